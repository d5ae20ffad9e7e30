"""The OCR reader: a scanned page -> the same Grid / Line blocks the text-layer reader makes.

Steps (all at one resolution, `dpi`, default 200):

1. render the page in grey with PyMuPDF;
2. binarise (adaptive threshold) and straighten small rotations (up to a few degrees),
   measured from the slope of the long horizontal rules;
3. find ruling lines by morphological opening with long thin kernels, turn them into
   segments in points and let `gridbuild.grid_geometry` build cells and spans;
4. split every cell into text lines by its ink profile (stacked one-character labels
   become one line per character), and recognise all line crops of the page in one
   batch; text detection only runs where the profile cannot split lines apart
   (touching lines), and text outside the tables (title, year, notes) is found the
   same way in the regions the tables leave free;
5. recover comparison operators the recogniser's dictionary lacks (`≧ ≦` are read as
   `2`, or dropped): the first glyph of every value-like line is measured (a wedge
   above one or two bars), the operator is put back and the rest of the line is read
   again without it; a recognised `：`/`；` is checked against its marks (two dots, or
   a dot over a comma: long lines get ； read as ：), found from the character's CTC
   position (`ocr_rec`). Whatever stays doubtful is kept as read and reported in
   `OcrPage.ocr_suspects`.

Coordinates in the result are PDF points of the straightened page, y downwards.
"""
from __future__ import annotations

import difflib
import math
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

import cv2
import numpy as np

from extract.gridbuild import DEFAULT, GridSettings, grid_geometry, join_cell_lines
from extract.model import Cell, Frag, Grid, Line, Page
from extract.ocr_glyph import classify_colon, classify_operator, equals_after
from extract.ocr_rec import LineReading, LineRecognizer

try:  # the shared folding (NFKC + radical look-alikes); plain NFKC until it exists
    from normalize.text import fold_text
except ImportError:  # pragma: no cover - only while normalize/ is being written
    def fold_text(s: str) -> str:
        return unicodedata.normalize("NFKC", s)

BBoxPx = tuple[int, int, int, int]


# --------------------------------------------------------------------------- engines

class Recognizer(Protocol):
    """What the reader needs from an OCR engine (grey or BGR uint8 images)."""

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """One text line per crop -> (text, confidence) per crop, same order."""
        ...

    def detect_and_recognize(self, img: np.ndarray) -> list[tuple[BBoxPx, str, float]]:
        """Find text lines in an image -> (bbox in pixels of `img`, text, confidence)."""
        ...


_ENGINES: dict[tuple, object] = {}
_ENGINE_LOCK = threading.Lock()


def _bgr(img: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(img, cv2.COLOR_GRAY2BGR) if img.ndim == 2 else img


class RapidRecognizer:
    """rapidocr-onnxruntime (PP-OCRv4 det + rec, models shipped in the wheel).

    Line crops go to `ocr_rec.LineRecognizer` (the same recognition model on its own
    session: less padding, parallel batches, character positions); detection uses
    the RapidOCR engine, loaded on first use and shared by every instance with the
    same options in this process.
    """

    def __init__(self, rec_batch_num: int = 8, workers: int | None = None, **options):
        self.options = {"rec_batch_num": rec_batch_num, "use_cls": False, **options}
        self.lines = LineRecognizer(options.get("rec_model_path"), workers)

    @property
    def engine(self):
        key = tuple(sorted(self.options.items()))
        eng = _ENGINES.get(key)
        if eng is None:
            with _ENGINE_LOCK:
                eng = _ENGINES.get(key)
                if eng is None:
                    from rapidocr_onnxruntime import RapidOCR
                    eng = RapidOCR(**self.options)
                    _ENGINES[key] = eng
        return eng

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        return [(r.text, r.conf) for r in self.lines.read(crops)]

    def read_lines(self, crops: list[np.ndarray]) -> list[LineReading]:
        """As `recognize`, with each character's x centre in its crop."""
        return self.lines.read(crops)

    def detect_and_recognize(self, img: np.ndarray) -> list[tuple[BBoxPx, str, float]]:
        res, _ = self.engine(_bgr(img), use_cls=False)
        out = []
        for box, text, score in res or []:
            xs = [p[0] for p in box]
            ys = [p[1] for p in box]
            out.append(((int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys))), text, float(score)))
        return out


_DEFAULT_RECOGNIZER: RapidRecognizer | None = None


def default_recognizer() -> RapidRecognizer:
    global _DEFAULT_RECOGNIZER
    if _DEFAULT_RECOGNIZER is None:
        _DEFAULT_RECOGNIZER = RapidRecognizer()
    return _DEFAULT_RECOGNIZER


# --------------------------------------------------------------------------- result

class Suspect(NamedTuple):
    """A reading kept as is but not trusted: where, what was read, and why."""
    bbox: tuple[float, float, float, float]   # the cell (or line) in points
    text: str
    reason: str


@dataclass(slots=True)
class OcrPage(Page):
    """A `Page` that also lists the readings OCR is unsure of."""
    ocr_suspects: list[Suspect] = field(default_factory=list)
    skew_degrees: float = 0.0


# --------------------------------------------------------------------------- imaging

def render_gray(page, dpi: int) -> np.ndarray:
    import pymupdf
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, pix.n)
    return np.ascontiguousarray(img[:, :, 0])


def binarize(gray: np.ndarray, dpi: int) -> np.ndarray:
    """Ink = 255. Adaptive, so uneven paper does not matter."""
    block = max(15, int(dpi * 0.16)) | 1
    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    return cv2.adaptiveThreshold(blur, 255, cv2.ADAPTIVE_THRESH_MEAN_C,
                                 cv2.THRESH_BINARY_INV, block, 20)


def _rule_masks(bw: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    hk = max(20, int(dpi * 0.34))       # ~24 pt: longer than any stroke of text, titles too
    vk = max(16, int(dpi * 0.34))       # ~24 pt: longer than a bold title stroke, shorter than a row pair
    h = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hk, 1)))
    v = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vk)))
    # close small breaks along a rule (scanned rules are often broken)
    gap = max(3, int(dpi * 0.03))
    h = cv2.morphologyEx(h, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    v = cv2.morphologyEx(v, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, gap)))
    return h, v


def skew_angle(bw: np.ndarray, dpi: int, max_deg: float = 3.0) -> float:
    """Degrees to rotate the image counter-clockwise (cv2 convention) to level its rules."""
    hk = max(20, int(dpi * 0.3))
    h = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hk, 1)))
    W = bw.shape[1]
    angles, weights = [], []
    for x, y, w, hh in _component_boxes(h):
        if w < W * 0.15 or hh > w * math.tan(math.radians(max_deg)) + 8:
            continue
        # the component's pixels: its box's own label (a long rule fills its box's
        # width, so the box holds no other component worth telling apart)
        n, lab = cv2.connectedComponents(h[y:y + hh, x:x + w], connectivity=8)
        sizes = np.bincount(lab.ravel(), minlength=n)
        sizes[0] = 0
        ys, xs = np.nonzero(lab == int(sizes.argmax()))
        if len(xs) < 20:
            continue
        vx, vy, _, _ = cv2.fitLine(np.column_stack([xs, ys]).astype(np.float32),
                                   cv2.DIST_L2, 0, 0.01, 0.01).ravel()
        if vx < 0:
            vx, vy = -vx, -vy
        angles.append(math.degrees(math.atan2(vy, vx)))
        weights.append(w)
    if not angles:
        return 0.0
    order = np.argsort(angles)
    a = np.asarray(angles)[order]
    wt = np.cumsum(np.asarray(weights, dtype=float)[order])
    med = float(a[np.searchsorted(wt, wt[-1] / 2)])
    return med if abs(med) <= max_deg else 0.0


def rotate(gray: np.ndarray, deg: float) -> np.ndarray:
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    bg = int(np.median(gray[:: 8, :: 8]))
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=bg)


def _component_boxes(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (x, y, w, h) of the 8-connected components of a sparse mask.

    The outer contours of a two-level contour tree are exactly the components, and
    tracing them costs a tenth of labelling every pixel of a page-sized mask."""
    contours, hier = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hier is None:
        return []
    boxes = [cv2.boundingRect(c) for c, hh in zip(contours, hier[0]) if hh[3] < 0]
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def _segments(mask: np.ndarray, horizontal: bool, min_len: int, k: float):
    """Connected pieces of a rule mask -> (pos, a, b) in points."""
    out = []
    for x, y, w, h in _component_boxes(mask):
        if horizontal:
            if w >= min_len and h <= max(12, w // 8):
                out.append((float((y + h / 2) * k), float(x * k), float((x + w) * k)))
        elif h >= min_len and w <= max(12, h // 8):
            out.append((float((x + w / 2) * k), float(y * k), float((y + h) * k)))
    return out


def _runs(profile: np.ndarray, min_val: int = 1) -> list[list[int]]:
    """[start, end) runs where profile >= min_val."""
    on = profile >= min_val
    if not on.any():
        return []
    d = np.diff(np.concatenate([[0], on.astype(np.int8), [0]]))
    starts = np.nonzero(d == 1)[0]
    ends = np.nonzero(d == -1)[0]
    return [[int(a), int(b)] for a, b in zip(starts, ends)]


# --------------------------------------------------------------------------- layout

@dataclass(slots=True)
class _TextLine:
    x0: int
    y0: int
    x1: int
    y1: int
    owner: int                     # cell index, or -1 for free text
    text: str = ""
    conf: float = 0.0
    detected: bool = False         # came from the detector already read
    # recognised characters: (char, probability, x centre in page pixels), before folding
    chars: list[tuple[str, float, float]] = field(default_factory=list)


@dataclass(slots=True)
class _Region:
    """A cell interior (or free-text area) in pixels."""
    x0: int
    y0: int
    x1: int
    y1: int


def _split_lines(ink: np.ndarray, line_h: float) -> list[list[int]] | None:
    """Row runs of a region's ink, merged into text lines; None if lines touch."""
    runs = _runs(ink.sum(axis=1) // 255, 1)
    if not runs:
        return []
    # merge pieces of one line (二, 三, a lone 。 under its line stays apart)
    merged = [runs[0]]
    for a, b in runs[1:]:
        pa, pb = merged[-1]
        if b - pa <= 1.15 * line_h and (a - pb) <= 0.45 * line_h:
            merged[-1] = [pa, b]
        else:
            merged.append([a, b])
    # any run much taller than a line: lines touch, the profile cannot split them
    if any(b - a > 1.7 * line_h for a, b in merged):
        return None
    return merged


def _x_extent(ink_rows: np.ndarray) -> tuple[int, int] | None:
    cols = np.nonzero(ink_rows.any(axis=0))[0]
    if not len(cols):
        return None
    return int(cols[0]), int(cols[-1]) + 1


def _despeckle(bw: np.ndarray, min_area: int, stats: list | None = None) -> np.ndarray:
    """Components smaller than `min_area` dropped; `stats` gets the kept components' stats."""
    n, lab, st, _ = cv2.connectedComponentsWithStats(bw, connectivity=8)
    keep = st[:, cv2.CC_STAT_AREA] >= min_area
    keep[0] = False
    if stats is not None:
        stats.append(st[keep])
    return np.take(np.where(keep, 255, 0).astype(np.uint8), lab)


def _estimate_line_height(bw: np.ndarray, dpi: int, stats: np.ndarray | None = None) -> float:
    """Median height of glyph components that look like CJK characters."""
    if stats is None:
        stats = cv2.connectedComponentsWithStats(bw, connectivity=8)[2][1:]
    lo, hi = dpi * 6 / 72, dpi * 20 / 72
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    hs = h[(lo <= h) & (h <= hi) & (lo * 0.8 <= w) & (w <= hi * 1.2)]
    if len(hs) < 5:
        return dpi * 11 / 72
    return float(np.median(hs)) * 1.1


# --------------------------------------------------------------------------- main

LOW_CONFIDENCE = 0.6   # a cell or line read with less is listed in ocr_suspects
# a value: a number, perhaps after a sign, or after a symbol the recogniser made of
# a sign it lacks or misread (≤6个工作日 read $6个工作日)
_VALUE_LIKE = re.compile(r"^\s*[≥≤≧≦=<>＜＞$¥￥§&@#*+~^?？]?\s*[0-9０-９]")
_OPS = "≥≤≧≦=<>"
_DIGIT = re.compile(r"[0-9]")


def read_scanned_page(page, recognizer: Recognizer | None = None, dpi: int = 200,
                      settings: GridSettings = DEFAULT) -> OcrPage:
    """OCR one PyMuPDF page into Grid and Line blocks, in reading order.

    Returns an `OcrPage` (a `Page`) with `extractor="ocr"`; its `ocr_suspects` lists
    `Suspect(bbox, text, reason)` for readings that were kept but are not trusted.
    """
    rec = recognizer or default_recognizer()
    k = 72.0 / dpi
    out = OcrPage(page.number + 1, page.rect.width, page.rect.height, extractor="ocr")
    pno = out.number

    gray = render_gray(page, dpi)
    bw = binarize(gray, dpi)
    ang = skew_angle(bw, dpi)
    if abs(ang) >= 0.03:
        gray = rotate(gray, ang)
        bw = binarize(gray, dpi)
    out.skew_degrees = ang
    H, W = gray.shape

    hmask, vmask = _rule_masks(bw, dpi)
    min_h, min_v = max(20, int(dpi * 0.28)), max(16, int(dpi * 0.22))
    hs = _segments(hmask, True, min_h, k)
    vs = _segments(vmask, False, min_v, k)

    # text image: rules removed, specks dropped
    rules = cv2.dilate(cv2.bitwise_or(hmask, vmask), np.ones((3, 3), np.uint8))
    ink = cv2.bitwise_and(bw, cv2.bitwise_not(rules))
    kept: list = []
    ink = _despeckle(ink, max(3, int(round(4 * (dpi / 200) ** 2))), kept)
    clean = gray.copy()
    clean[rules > 0] = np.uint8(np.median(gray[:: 8, :: 8]))
    line_h = _estimate_line_height(ink, dpi, kept[0])
    pad = max(2, int(round(line_h * 0.15)))

    lines: list[_TextLine] = []
    det_regions: list[tuple[int, _Region]] = []
    grids_raw = []        # (xs, ys, cells)
    free = ink.copy()

    def px(v: float) -> int:
        return int(round(v / k))

    cell_regions: list[_Region] = []
    for xs, ys, cells, _slot in grid_geometry(hs, vs, settings):
        base = len(cell_regions)
        for (r, c, rs, cs) in cells:
            inset = 1
            cell_regions.append(_Region(px(xs[c]) + inset, px(ys[r]) + inset,
                                        px(xs[c + cs]) - inset, px(ys[r + rs]) - inset))
        grids_raw.append((xs, ys, cells, base))
        gx0, gy0, gx1, gy1 = px(xs[0]), px(ys[0]), px(xs[-1]), px(ys[-1])
        free[max(0, gy0 - 2):gy1 + 3, max(0, gx0 - 2):gx1 + 3] = 0

    for ci, reg in enumerate(cell_regions):
        sub = ink[reg.y0:reg.y1, reg.x0:reg.x1]
        if sub.size == 0 or not sub.any():
            continue
        runs = _split_lines(sub, line_h)
        if runs is None:
            det_regions.append((ci, reg))
            continue
        for a, b in runs:
            ext = _x_extent(sub[a:b])
            if ext is None or (b - a) < 3:
                continue
            lines.append(_TextLine(reg.x0 + ext[0], reg.y0 + a, reg.x0 + ext[1], reg.y0 + b, ci))

    # free text: the page outside the tables
    free_runs = _split_lines(free, line_h)
    if free_runs is None:
        det_regions.append((-1, _Region(0, 0, W, H)))
        free_runs = []
    gap = 1.5 * line_h
    for a, b in free_runs:
        if b - a < max(4, 0.3 * line_h):
            continue
        cols = _runs(free[a:b].any(axis=0).astype(np.int32), 1)
        # fragments: columns of ink separated by gaps wider than 1.5 line heights
        frs: list[list[int]] = []
        for c0, c1 in cols:
            if frs and c0 - frs[-1][1] <= gap:
                frs[-1][1] = c1
            else:
                frs.append([c0, c1])
        for c0, c1 in frs:
            if c1 - c0 < 3:
                continue
            lines.append(_TextLine(c0, a, c1, b, -1))

    # detector where the ink profile could not separate lines
    for owner, reg in det_regions:
        crop = clean[reg.y0:reg.y1, reg.x0:reg.x1]
        if owner == -1:
            crop = np.where(free > 0, gray, np.uint8(np.median(gray[:: 8, :: 8]))).astype(np.uint8)
        for (x0, y0, x1, y1), text, conf in rec.detect_and_recognize(crop):
            lines.append(_TextLine(reg.x0 + x0, reg.y0 + y0, reg.x0 + x1, reg.y0 + y1, owner,
                                   text, conf, detected=True))

    # recognise every line crop of the page in one batch
    todo = [ln for ln in lines if not ln.detected]
    # body text is read squeezed (faster, as accurate); large bold titles are not
    padx = int(0.3 * line_h)
    crops = [_crop(clean, ln, pad, MIN_CROP_H * line_h + 2 * pad, padx=padx,
                   squeeze=(ln.y1 - ln.y0) <= 1.3 * line_h)
             for ln in todo]
    read_lines = getattr(rec, "read_lines", None)
    if read_lines is not None:
        def page_chars(ln, crop, r):
            # crop x -> page x: the crop starts padx left of the line and may be squeezed
            cx0 = max(0, ln.x0 - max(pad, padx))
            sx = (min(W, ln.x1 + max(pad, padx)) - cx0) / max(1, crop.shape[1])
            return [(c, p, cx0 + x * sx) for c, p, x in r.chars]

        for ln, crop, r in zip(todo, crops, read_lines(crops)):
            ln.text, ln.conf = r.text, r.conf
            ln.chars = page_chars(ln, crop, r)
        # squeezed, a digit spans about one time step of the recogniser and a repeated
        # one merges (17,870,000.00 -> 17,870,00.00), and a thin box □ vanishes:
        # values (lines mostly of digits) and check-box lines are read again at full
        # width, which is trusted for their digits and boxes only (squeezed lines keep
        # small marks such as 、 better)
        again = []
        for ln, crop in zip(todo, crops):
            if _mostly_numeric(ln.text) or _CHECK.search(ln.text):
                full = _crop(clean, ln, pad, MIN_CROP_H * line_h + 2 * pad, padx=padx, squeeze=False)
                if full.shape != crop.shape:
                    again.append((ln, full))
        for (ln, full), r in zip(again, read_lines([c for _, c in again])):
            chars = _marks_from(ln.chars, page_chars(ln, full, r))
            if chars is not ln.chars:
                ln.chars = chars
                ln.text = "".join(c for c, _, _ in chars)
                ln.conf = float(np.mean([p for _, p, _ in chars])) if chars else 0.0
    else:
        for ln, (text, conf) in zip(todo, rec.recognize(crops)):
            ln.text, ln.conf = text, conf

    suspects: list[Suspect] = []
    # punctuation the recogniser confuses, decided from the glyph (before folding)
    _fix_punct_glyphs(lines, ink, line_h, k, suspects)
    for ln in lines:
        ln.text = _fix_confusables(fold_text(ln.text).strip())

    # operators the dictionary lacks
    _fix_operators(lines, clean, ink, rec, pad, line_h, k, suspects)
    _fix_leading_punct(lines, ink, line_h, k, suspects)
    _fix_midline_dot(lines, k, suspects)

    # assemble
    by_owner: dict[int, list[_TextLine]] = {}
    for ln in lines:
        if ln.text:
            by_owner.setdefault(ln.owner, []).append(ln)
    blocks: list = []
    for xs, ys, cells, base in grids_raw:
        gcells = []
        for j, (r, c, rs, cs) in enumerate(cells):
            bb = (xs[c], ys[r], xs[c + cs], ys[r + rs])
            lns = sorted(by_owner.get(base + j, []), key=lambda t: (t.y0 + t.y1, t.x0))
            lns = _merge_same_row(lns)
            text = join_cell_lines([t.text for t in lns])
            conf = min((t.conf for t in lns), default=None)
            gcells.append(Cell(text, r, c, rs, cs, bb, conf))
            if conf is not None and conf < LOW_CONFIDENCE:
                suspects.append(Suspect(bb, text, f"low recognition confidence {conf:.2f}"))
        blocks.append(Grid(pno, len(ys) - 1, len(xs) - 1, gcells,
                           (xs[0], ys[0], xs[-1], ys[-1]), list(xs), list(ys)))
    for row in _group_rows(by_owner.get(-1, []), line_h):
        frags = []
        for t in row:
            if t.conf < 0.5 and len(t.text) <= 2:
                continue          # speck or stamp read as a character
            bb = (float(t.x0 * k), float(t.y0 * k), float(t.x1 * k), float(t.y1 * k))
            frags.append(Frag(t.text, bb[0], bb[2], bb, t.conf))
            if t.conf < LOW_CONFIDENCE:
                suspects.append(Suspect(bb, t.text, f"low recognition confidence {t.conf:.2f}"))
        if frags:
            bb = (min(f.bbox[0] for f in frags), min(f.bbox[1] for f in frags),
                  max(f.bbox[2] for f in frags), max(f.bbox[3] for f in frags))
            blocks.append(Line(pno, frags, bb))
    blocks.sort(key=lambda b: (b.bbox[1], b.bbox[0]))
    out.blocks = blocks
    out.ocr_suspects = suspects
    return out


# Line crops are squeezed horizontally before recognition: the recogniser's cost grows
# with the crop's width at its 48 px input height, and square CJK glyphs still read
# well at this aspect (measured on the samples: no loss of accuracy).
SQUEEZE = 0.5
MIN_CROP_H = 0.0     # line crops are at least this many line heights tall (plus padding)


# digits and number marks (a squeezed 44.64 loses its point, 92.2% reads 92.26);
# boxes and check marks (口: the recogniser's □)
_MARKS = re.compile(r"[0-9.,，%□☐■☑√✓✔☒口]*")
_CHECK = re.compile(r"[√✓✔☑☒■□☐]")


def _mostly_numeric(text: str) -> bool:
    text = fold_text(text)
    digits = len(_DIGIT.findall(text))
    marks = sum(text.count(c) for c in ",.%")
    return digits > 0 and (digits + marks) * 2 >= len(text)


def _marks_from(base: list, full: list) -> list:
    """`base` (a squeezed line's characters) with the digits, number marks and boxes of
    `full` (the same line read at full width) where the two differ in those only."""
    # compared folded: at full width the recogniser often reads digits as their
    # full-width forms (１７，８７０)
    a = [fold_text(c) for c, _, _ in base]
    b = [fold_text(c) for c, _, _ in full]
    out: list = []
    changed = False
    for op, i0, i1, j0, j1 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal" and _MARKS.fullmatch("".join(a[i0:i1])) and _MARKS.fullmatch("".join(b[j0:j1])):
            out.extend(full[j0:j1])
            changed = True
        else:
            out.extend(base[i0:i1])
    return out if changed else base


def _crop(img: np.ndarray, ln: _TextLine, pad: int, min_h: float = 0.0,
          blank_left: int | None = None, padx: int = 0, squeeze: bool = True) -> np.ndarray:
    """A line's grey crop: padded, at least `min_h` tall (so 。 or …… keep their scale).

    `blank_left`: paint the padding left of this column as paper (a glyph cut away).
    """
    H, W = img.shape[:2]
    y0, y1 = ln.y0 - pad, ln.y1 + pad
    if y1 - y0 < min_h:
        grow = (min_h - (y1 - y0)) / 2
        y0, y1 = int(y0 - grow), int(math.ceil(y1 + grow))
    padx = max(pad, padx)
    cx0 = max(0, ln.x0 - padx)
    crop = img[max(0, y0):min(H, y1), cx0:min(W, ln.x1 + padx)]
    if blank_left is not None and blank_left > cx0:
        crop = crop.copy()
        crop[:, :blank_left - cx0] = np.uint8(np.median(crop))
    if squeeze and SQUEEZE != 1.0 and crop.shape[1] > 4 * crop.shape[0]:
        crop = cv2.resize(crop, (max(crop.shape[0], int(crop.shape[1] * SQUEEZE)), crop.shape[0]),
                          interpolation=cv2.INTER_AREA)
    return crop


# Characters the recogniser emits for glyphs these forms never contain.
# A bar is a piece of a rule the rule masks missed (a broken or faint stroke), never
# text of these forms: it separates what stands either side.
_CONFUSABLES = str.maketrans({"丶": "、", "|": " ", "｜": " "})
# A document number is written 〔2023〕 (GB/T 9704); the dictionary reads the brackets as [ ].
_DOC_NUMBER = re.compile(r"(?:^|(?<=[\u4e00-\u9fff]))[\[【](\d{4})[\]】](?=\d+号)")


def _fix_confusables(text: str) -> str:
    return _DOC_NUMBER.sub(r"〔\1〕", text.translate(_CONFUSABLES))


def _merge_same_row(lns: list[_TextLine]) -> list[_TextLine]:
    """Detected boxes side by side on one row -> one line (texts joined by a space)."""
    out: list[_TextLine] = []
    for t in lns:
        if out:
            p = out[-1]
            ov = min(p.y1, t.y1) - max(p.y0, t.y0)
            if ov > 0.5 * min(p.y1 - p.y0, t.y1 - t.y0):
                out[-1] = _TextLine(min(p.x0, t.x0), min(p.y0, t.y0), max(p.x1, t.x1),
                                    max(p.y1, t.y1), p.owner,
                                    (p.text + " " + t.text) if p.x0 <= t.x0 else (t.text + " " + p.text),
                                    min(p.conf, t.conf), True)
                continue
        out.append(t)
    return out


def _group_rows(lns: list[_TextLine], line_h: float) -> list[list[_TextLine]]:
    lns = sorted(lns, key=lambda t: ((t.y0 + t.y1) / 2, t.x0))
    rows: list[list[_TextLine]] = []
    for t in lns:
        cy = (t.y0 + t.y1) / 2
        if rows:
            p = rows[-1][0]
            if abs((p.y0 + p.y1) / 2 - cy) <= 0.45 * line_h:
                rows[-1].append(t)
                continue
        rows.append([t])
    for r in rows:
        r.sort(key=lambda t: t.x0)
    return rows


# --------------------------------------------------------------------------- operators

# A cell's lone glyph read as nothing, a sign, a digit or Latin letter (≥ as 2, M, N,
# ?) or 二/三 (= with a rule's trace): its shape decides whether it is an operator.
# (Not punctuation: a wrapped line's lone 。 or ， stays as read.)
_SIGN_ALONE = re.compile(r"\s*(?:[A-Za-z0-9#+*?<>=≥≤≧≦＞＜＝]{0,2}|[二三])\s*")


def _fix_operators(lines, clean, ink, rec, pad, line_h, k, suspects) -> None:
    """Check the first glyph of value-like lines; put back operators the recogniser lost."""
    redo: list[tuple[_TextLine, str, np.ndarray]] = []
    for ln in lines:
        # a value line (≧1次/月), or a cell holding one sign alone (flat exports' 计算符号)
        # (a sign alone is also read as a letter of like shape, or as nothing at all)
        alone = bool(_SIGN_ALONE.fullmatch(ln.text))
        if not (alone or _VALUE_LIKE.match(ln.text)):
            continue
        first = _first_glyph(ink, ln)
        if first is None:
            continue
        if alone and ln.x1 - first[2] > 0.3 * line_h:
            if not _VALUE_LIKE.match(ln.text):
                continue      # more than one glyph: not a sign alone
            alone = False
        gx0, gy0, gx1, gy1 = first
        H, W = clean.shape
        ax0, ay0 = max(0, gx0 - pad), max(0, ln.y0 - pad)
        around = clean[ay0:min(H, ln.y1 + pad), ax0:min(W, gx1 + pad)]
        op, why = classify_operator(around, line_h, (gx0 - ax0, gy0 - ay0, gx1 - ax0, gy1 - ay0))
        if op in (">", "<") and not alone:
            # '>=' typed as two characters: the recogniser often drops the '='
            end = equals_after(clean[ln.y0:ln.y1], gx1, line_h)
            if end is not None:
                op, gx1 = op + "=", end
        lead = ln.text[:len(op)] if op else ln.text[:1]
        bb = (float(ln.x0 * k), float(ln.y0 * k), float(ln.x1 * k), float(ln.y1 * k))
        if op is None and why == "not-operator":
            if lead in _OPS:
                # the recogniser saw an operator where the glyph is a digit/letter
                suspects.append(Suspect(bb, ln.text, f"read {lead!r} but first glyph is no operator"))
            continue
        if op is None:
            suspects.append(Suspect(bb, ln.text, f"first glyph unclear ({why})"))
            continue
        if lead == op:
            continue
        if alone:
            ln.text = op
            suspects.append(Suspect(bb, op, f"operator restored from the glyph's shape; recogniser read {lead!r}"))
            continue
        # read the rest of the line without the operator glyph
        rest = _crop(clean, _TextLine(gx1 + 1, ln.y0, ln.x1, ln.y1, ln.owner), pad, MIN_CROP_H * line_h + 2 * pad,
                     blank_left=gx1 + 1)
        redo.append((ln, op, rest))
    if not redo:
        return
    res = rec.recognize([r for _, _, r in redo])
    for (ln, op, _), (text, conf) in zip(redo, res):
        text = _fix_confusables(fold_text(text).strip())
        old = ln.text
        bb = (float(ln.x0 * k), float(ln.y0 * k), float(ln.x1 * k), float(ln.y1 * k))
        if not text or text[0] in _OPS:
            suspects.append(Suspect(bb, old, f"first glyph looks like {op!r}, re-read gave {text!r}"))
            continue
        ln.text = op + text
        ln.conf = min(ln.conf, conf)
        # consistency: the old reading should be op-or-lookalike + rest, or rest alone
        if not (old == text or old[1:] == text or old == op + text):
            suspects.append(Suspect(bb, ln.text, f"operator restored; first reading was {old!r}"))


_PUNCT = "、，。,.;；:：…·)）」》”’-—_"


def _fix_leading_punct(lines, ink, line_h, k, suspects) -> None:
    """A wrapped line that starts with 、，。 (Excel breaks lines before them) loses that
    mark in the recogniser. Put back a small low first glyph by its shape, and say so."""
    for ln in lines:
        if not ln.text or ln.text[0] in _PUNCT or _VALUE_LIKE.match(ln.text):
            continue
        first = _first_glyph(ink, ln)
        if first is None:
            continue
        gx0, gy0, gx1, gy1 = first
        w, h = gx1 - gx0, gy1 - gy0
        if w > 0.45 * line_h or h > 0.45 * line_h or h < 0.15 * line_h \
                or (gy0 + gy1) / 2 < ln.y0 + 0.45 * (ln.y1 - ln.y0):
            continue   # a full-size glyph, a flat dash, or a mark high in the line
        glyph = ink[gy0:gy1, gx0:gx1] > 0
        if glyph.sum() < 4:
            continue
        gap = max(2, int(0.1 * line_h))
        if ink[ln.y0:ln.y1, gx1:gx1 + gap].any() or ink[ln.y0:gy0, gx0:gx1].any():
            continue   # a stroke of a character (the dots of 心): ink right beside it or above it
        mark = _punct_shape(glyph)
        ln.text = mark + ln.text
        bb = (float(ln.x0 * k), float(ln.y0 * k), float(ln.x1 * k), float(ln.y1 * k))
        suspects.append(Suspect(bb, ln.text, f"leading {mark!r} restored from the mark's shape"))


_MID_DOT = re.compile(r"(?<=[\u4e00-\u9fff])[·•・](?=[\u4e00-\u9fff])")


def _fix_midline_dot(lines, k, suspects) -> None:
    """The recogniser reads a small 。 as · between Chinese characters; forms write no
    interpunct there (names with · are not in these tables). Say so where it is done."""
    for ln in lines:
        if ln.text and _MID_DOT.search(ln.text):
            ln.text = _MID_DOT.sub("。", ln.text)
            bb = (float(ln.x0 * k), float(ln.y0 * k), float(ln.x1 * k), float(ln.y1 * k))
            suspects.append(Suspect(bb, ln.text, "a dot between Chinese characters taken as 。"))


def _punct_shape(glyph: np.ndarray) -> str:
    """。 (a ring), 、 (a stroke down to the right) or ， (a tail down to the left)."""
    h, w = glyph.shape
    if h >= 3 and w >= 3:
        paper = np.pad(~glyph, 1, constant_values=True).astype(np.uint8)
        n, lab = cv2.connectedComponents(paper, connectivity=4)
        if n > 2:          # paper inside the mark, apart from the paper around it: a ring
            return "。"
    ys, xs = np.nonzero(glyph)
    cov = float(np.mean((xs - xs.mean()) * (ys - ys.mean())))
    return "、" if cov > 0 else "，"


def _first_glyph(ink: np.ndarray, ln: _TextLine) -> tuple[int, int, int, int] | None:
    """Pixel box of the leftmost glyph of a line (components overlapping in x)."""
    sub = ink[ln.y0:ln.y1, ln.x0:ln.x1]
    n, _, st, _ = cv2.connectedComponentsWithStats(sub, connectivity=8)
    comps = sorted((tuple(s) for s in st[1:] if s[4] >= 3), key=lambda s: s[0])
    if not comps:
        return None
    x0, y0, w, h, _ = comps[0]
    x1, y1 = x0 + w, y0 + h
    changed = True
    while changed:
        changed = False
        for cx, cy, cw, ch, _ in comps:
            if cx < x1 - 1 and cx + cw > x0 + 1 and not (x0 <= cx and cx + cw <= x1 and y0 <= cy and cy + ch <= y1):
                ov = min(x1, cx + cw) - max(x0, cx)
                if ov >= 0.5 * min(cw, x1 - x0):
                    x0, y0, x1, y1 = min(x0, cx), min(y0, cy), max(x1, cx + cw), max(y1, cy + ch)
                    changed = True
    h = y1 - y0
    if x1 - x0 > 1.15 * h:
        # two glyphs touching (20, ≧1): cut at the thinnest column
        cols = (sub[y0:y1, x0:x1] > 0).sum(axis=0)
        lo, hi = int(0.35 * h), int((x1 - x0) - 0.2 * h)
        if hi > lo:
            c = lo + int(np.argmin(cols[lo:hi]))
            if cols[c] <= max(2, 0.15 * h):
                x1 = x0 + c
    return ln.x0 + x0, ln.y0 + y0, ln.x0 + x1, ln.y0 + y1


_COLONS = {":": ":", "：": ":", ";": ";", "；": ";"}
_COLON_OF = {(False, ":"): ":", (False, ";"): ";", (True, ":"): "：", (True, ";"): "；"}


def _fix_punct_glyphs(lines, ink, line_h, k, suspects) -> None:
    """Colon or semicolon, decided from the marks where the recogniser put the character
    (`ocr_glyph.classify_colon`); a change is reported."""
    for ln in lines:
        if not ln.chars or not any(c in _COLONS for c, _, _ in ln.chars):
            continue
        band = ink[ln.y0:ln.y1]
        new, notes = list(ln.chars), []
        for i, (c, p, x) in enumerate(ln.chars):
            if c not in _COLONS:
                continue
            kind, _why = classify_colon(band, x, line_h)
            if kind is None or kind == _COLONS[c]:
                continue
            rep = _COLON_OF[(c in "：；", kind)]
            new[i] = (rep, p, x)
            notes.append(f"{rep!r} restored from the mark's shape "
                         f"({'a dot over a comma' if kind == ';' else 'two dots'}); recogniser read {c!r}")
        if notes:
            ln.chars = new
            ln.text = "".join(c for c, _, _ in new)
            bb = (float(ln.x0 * k), float(ln.y0 * k), float(ln.x1 * k), float(ln.y1 * k))
            suspects += [Suspect(bb, ln.text, why) for why in notes]
