"""Text-line recognition with the PP-OCRv4 recogniser shipped in rapidocr-onnxruntime,
run on our own ONNX Runtime session.

Why not `RapidOCR.text_rec`:

* it pads every crop to at least 320 px at the model's 48 px input height (PaddleOCR's
  training width) and batches crops of different widths together. Most lines of
  these forms are short labels and values, so that padding was half of all
  recognition work. Here crops wider than 3 input heights are padded to 160 px only
  (less than that and the model misreads, e.g. 。 as o, 目 as 自); narrower ones,
  one or two glyphs, to 128 px, and again to the full 320 px when the reading is
  unsure (see MIN_RATIO);
* its session runs one inference at a time on all cores (intra-op threads). On a
  shared machine those threads wait on each other and cost twice the CPU of one
  thread. Here one single-threaded session is called from a few worker threads at
  once, each on its own batch (ONNX Runtime runs concurrent `run` calls in parallel
  and releases the GIL);
* the exported graph spells each activation and affine as separate elementwise ops,
  which ONNX Runtime does not fuse; `onnx_fuse` folds them into the convolutions
  once, when the session is built;
* it returns no character positions. `LineReading.chars` gives each character's
  x centre in the crop, from its CTC time step, so repairs can look at the glyph.

The models come inside the wheel; nothing is downloaded.
"""
from __future__ import annotations

import functools
import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import cv2
import numpy as np

INPUT_H = 48          # PP-OCRv4 rec input height
# Input widths. PaddleOCR trains on crops padded (grey) to 320 px; RapidOCR pads every
# crop to that. The model reads crops of a few characters the same with much less
# padding. One or two glyphs alone (a lone ≥, 一, 指标1：) sometimes need the full
# width or come out empty, doubled or misread; such readings are unsure of some
# character, so short crops are read narrow first and again at the full width when
# any character's probability is below RECHECK_PROB (measured on the sample scan and
# generated scans of every family: 14-30 % of short crops are read twice, and no
# reading that survives the check differs from the full-width one once folded).
MIN_RATIO = 10 / 3          # crops are padded to at least this many heights wide,
SHORT_RATIO = 3.0           # crops narrower than this many heights ...
SHORT_MIN_RATIO = 8 / 3     # ... to this many first,
FULL_RATIO = 320 / 48       # ... and, when doubtful, to PaddleOCR's training width
RECHECK_PROB = 0.75
# Crops per inference call. One is cheapest: batches of 2-8 same-width crops cost
# 10-35 % more CPU per crop with a single-threaded session (measured on the sample
# scan), and the worker threads already keep the cores busy.
MAX_BATCH = 1
MAX_WASTE = 0.08      # a batch pads no crop by more than this share of its width


@dataclass(slots=True)
class LineReading:
    text: str
    conf: float
    # (character, probability, x centre in the crop's pixels), left to right
    chars: list[tuple[str, float, float]] = field(default_factory=list)


_MODELS: dict[tuple, "_Model"] = {}
_LOCK = threading.Lock()


class _Model:
    def __init__(self, model_path: str, workers: int):
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.log_severity_level = 4
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        self.session = ort.InferenceSession(_fused(model_path), so, providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0].name
        meta = self.session.get_modelmeta().custom_metadata_map
        # CTC classes: blank, the dictionary, then a space (as PaddleOCR / RapidOCR)
        self.chars = ["\0"] + meta["character"].splitlines() + [" "]
        self.workers = workers
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="ocr-rec") if workers > 1 else None

    def run(self, batch: np.ndarray) -> np.ndarray:
        return self.session.run(None, {self.input: batch})[0]


def _fused(model_path: str) -> bytes:
    """The model with its elementwise chains folded into its convolutions (exact
    algebra, see onnx_fuse): about a third less recognition time."""
    import onnx
    from extract.onnx_fuse import fuse
    return fuse(onnx.load(model_path)).SerializeToString()


@functools.lru_cache(maxsize=1)
def default_model_path() -> str:
    from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH
    from rapidocr_onnxruntime.utils import read_yaml, update_model_path
    return update_model_path(read_yaml(str(DEFAULT_CFG_PATH)))["Rec"]["model_path"]


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _model(model_path: str | None, workers: int | None) -> _Model:
    path = model_path or default_model_path()
    n = workers or max(1, min(4, _cpus()))
    key = (path, n, os.getpid())      # a forked worker builds its own session and threads
    m = _MODELS.get(key)
    if m is None:
        with _LOCK:
            m = _MODELS.get(key)
            if m is None:
                m = _MODELS[key] = _Model(path, n)
    return m


def _min_width(w: int) -> int:
    """Input width a crop `w` px wide (at INPUT_H) is padded to."""
    return int(round((SHORT_MIN_RATIO if w < SHORT_RATIO * INPUT_H else MIN_RATIO) * INPUT_H))


def _full_width() -> int:
    return int(round(FULL_RATIO * INPUT_H))


def _doubtful(r: LineReading) -> bool:
    return not r.chars or min(p for _, p, _ in r.chars) < RECHECK_PROB


def rec_input(img: np.ndarray, h: int = INPUT_H) -> np.ndarray:
    """A grey (or BGR) crop -> `h` px high, scaled to [-1, 1] (RapidOCR's resize and
    normalisation, on one channel)."""
    if img.ndim == 3:
        img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    w = max(1, int(math.ceil(h * img.shape[1] / max(1, img.shape[0]))))
    g = cv2.resize(img, (w, h)).astype(np.float32)
    return g * np.float32(2 / 255) - np.float32(1.0)


class LineRecognizer:
    """Crops of single text lines -> `LineReading`s, same order."""

    def __init__(self, model_path: str | None = None, workers: int | None = None):
        self.model_path = model_path
        self.workers = workers

    @property
    def model(self) -> _Model:
        return _model(self.model_path, self.workers)

    def read(self, crops: list[np.ndarray]) -> list[LineReading]:
        if not crops:
            return []
        m = self.model
        imgs = [rec_input(c) for c in crops]
        # each crop's input width: padded (grey, as in training) to a minimum
        out = self._run(m, imgs, crops, [max(_min_width(im.shape[1]), im.shape[1]) for im in imgs])
        # short crops read doubtfully under the narrow padding: again at the full width
        again = [i for i, (im, r) in enumerate(zip(imgs, out))
                 if im.shape[1] < SHORT_RATIO * INPUT_H and _doubtful(r)]
        if again:
            full = _full_width()
            redo = self._run(m, [imgs[i] for i in again], [crops[i] for i in again], [full] * len(again))
            for i, r in zip(again, redo):
                out[i] = r
        return out

    def _run(self, m: _Model, imgs: list[np.ndarray], crops: list[np.ndarray],
             widths: list[int]) -> list[LineReading]:
        order = sorted(range(len(imgs)), key=lambda i: widths[i])
        batches: list[list[int]] = []
        for i in order:
            b = batches[-1] if batches else None
            if b and len(b) < MAX_BATCH and widths[i] <= (1 + MAX_WASTE) * widths[b[0]]:
                b.append(i)
            else:
                batches.append([i])
        # widest first, so the workers finish together
        batches.reverse()

        def one(idx: list[int]) -> list[tuple[int, LineReading]]:
            w = max(widths[i] for i in idx)
            x = np.zeros((len(idx), 3, INPUT_H, w), np.float32)
            for b, i in enumerate(idx):
                x[b, :, :, :imgs[i].shape[1]] = imgs[i]
            preds = m.run(x)
            return [(i, self._decode(preds[b], w, imgs[i].shape[1], crops[i].shape[1], m.chars))
                    for b, i in enumerate(idx)]

        out: list[LineReading | None] = [None] * len(imgs)
        results = m.pool.map(one, batches) if m.pool and len(batches) > 1 else map(one, batches)
        for res in results:
            for i, r in res:
                out[i] = r
        return out  # type: ignore[return-value]

    @staticmethod
    def _decode(pred: np.ndarray, in_w: int, img_w: int, crop_w: int, chars: list[str]) -> LineReading:
        """Greedy CTC (as RapidOCR: repeats merged, blanks dropped, conf = mean prob)."""
        idx = pred.argmax(axis=1)
        prob = pred[np.arange(len(idx)), idx]
        keep = idx != 0
        keep[1:] &= idx[1:] != idx[:-1]
        ts = np.nonzero(keep)[0]
        step = in_w / pred.shape[0]                     # input pixels per time step
        scale = crop_w / max(1, img_w)                  # input pixels -> crop pixels
        cs = [(chars[idx[t]], float(prob[t]), float((t + 0.5) * step * scale)) for t in ts]
        text = "".join(c for c, _, _ in cs)
        conf = float(np.mean([p for _, p, _ in cs])) if cs else 0.0
        return LineReading(text, conf, cs)
