"""The OCR reader against the text-layer reader of the same forms.

shapotou-2025-scan.pdf is a scan of shapotou-2025-excel.pdf, so the text-layer
reading of the latter is the reference for the former. The slow parts (model
load, a few pages of recognition) are shared through module-level caches.
"""
from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest

import cv2  # noqa: E402 - opencv comes with rapidocr-onnxruntime, a dependency
import pymupdf  # noqa: E402
import rapidocr_onnxruntime  # noqa: E402,F401

from extract.model import Grid, Page  # noqa: E402
from extract.ocr import OcrPage, Suspect, read_scanned_page  # noqa: E402
from extract.ocr_glyph import classify_colon, classify_operator  # noqa: E402
from extract.pdf_mupdf import read_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_DIRS = [ROOT / "samples"]


def _sample(name: str) -> Path:
    for d in _DIRS:
        if (d / name).exists():
            return d / name
    raise AssertionError(f"sample {name} not found in {_DIRS}")


_WS = re.compile(r"\s+")
_VALUE = re.compile(r"^[≧≦≥≤=<>]?\d")


def _ws(s: str) -> str:
    return _WS.sub("", s)


def _cells(page: Page) -> list:
    return [c for b in page.blocks if isinstance(b, Grid) for c in b.cells]


def _match(ref_cells, got_cells, tol: float = 8.0):
    """Pair each reference cell with the OCR cell at the same place (bbox within tol points)."""
    pairs = []
    for rc in ref_cells:
        best = min(got_cells, key=lambda c: sum(abs(a - b) for a, b in zip(c.bbox, rc.bbox)))
        d = sum(abs(a - b) for a, b in zip(best.bbox, rc.bbox))
        pairs.append((rc, best if d <= tol else None))
    return pairs


def _char_score(pairs) -> float:
    ok = tot = 0
    for rc, oc in pairs:
        a, b = _ws(rc.text), _ws(oc.text) if oc else ""
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        ok += sum(m.size for m in sm.get_matching_blocks())
        tot += max(len(a), len(b))
    return ok / max(tot, 1)


@functools.lru_cache(maxsize=None)
def _reference(page_no: int) -> Page:
    doc = pymupdf.open(_sample("shapotou-2025-excel.pdf"))
    return read_pdf(doc).pages[page_no - 1]


@functools.lru_cache(maxsize=None)
def _scan(page_no: int) -> OcrPage:
    doc = pymupdf.open(_sample("shapotou-2025-scan.pdf"))
    return read_scanned_page(doc[page_no - 1])


def test_scan_page1_matches_text_layer():
    ref, got = _reference(1), _scan(1)
    assert isinstance(got, Page) and got.extractor == "ocr" and got.number == 1
    assert abs(got.width - 595.4) < 1 and abs(got.height - 842) < 1
    grids = [b for b in got.blocks if isinstance(b, Grid)]
    assert len(grids) == 1
    g, rg = grids[0], next(b for b in ref.blocks if isinstance(b, Grid))
    assert (g.n_rows, g.n_cols) == (rg.n_rows, rg.n_cols)
    pairs = _match(_cells(ref), _cells(got))
    assert all(oc is not None for _, oc in pairs), "every reference cell found at its place"
    for rc, oc in pairs:       # same structure: spans included
        assert (oc.row, oc.col, oc.rowspan, oc.colspan) == (rc.row, rc.col, rc.rowspan, rc.colspan)
    equal = sum(_ws(rc.text) == _ws(oc.text) for rc, oc in pairs)
    assert equal >= 0.9 * len(pairs), f"{equal}/{len(pairs)} cells equal"
    assert _char_score(pairs) >= 0.98
    # every value cell exactly, operators included (≧ is not in the recogniser's dictionary)
    values = [(rc, oc) for rc, oc in pairs if _VALUE.match(_ws(rc.text))]
    assert sum("≧" in rc.text for rc, _ in values) >= 3
    for rc, oc in values:
        assert _ws(oc.text) == _ws(rc.text)
    # stacked one-character label, top to bottom, one per line
    assert any(c.text == "绩\n效\n指\n标" for c in _cells(got))
    # free text outside the table
    lines = ["".join(f.text for f in b.frags) for b in got.blocks if not isinstance(b, Grid)]
    assert any("沙坡头区本级部门项目支出预算绩效目标表" in _ws(t) for t in lines)
    assert any("2025年度" in _ws(t) for t in lines)
    # reading order: top to bottom
    tops = [b.bbox[1] for b in got.blocks]
    assert tops == sorted(tops)
    # confidences present, bboxes in points inside the page
    for c in _cells(got):
        assert 0 <= c.bbox[0] < c.bbox[2] <= got.width + 1 and 0 <= c.bbox[1] < c.bbox[3] <= got.height + 1
        if c.text:
            assert c.confidence is not None and 0 < c.confidence <= 1
    assert all(isinstance(s, Suspect) for s in got.ocr_suspects)


def _image_pdf_from(page, angle: float, seed: int = 0, dpi: int = 200) -> "pymupdf.Document":
    """A text-layer page -> an image-only PDF page: rotated by `angle` degrees, noisy."""
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).astype(np.float32)
    img = cv2.GaussianBlur(img, (3, 3), 0.6)
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    rng = np.random.default_rng(seed)
    img = img * 0.85 + 25 + rng.normal(0, 9, img.shape)          # grey paper, sensor noise
    img = np.clip(img, 0, 255).astype(np.uint8)
    ok, png = cv2.imencode(".png", img)
    assert ok
    out = pymupdf.open()
    p = out.new_page(width=page.rect.width, height=page.rect.height)
    p.insert_image(p.rect, stream=png.tobytes())
    return out


def test_rotated_noisy_render_reads_back():
    src = pymupdf.open(_sample("shapotou-2025-excel.pdf"))
    ref = _reference(2)
    doc = _image_pdf_from(src[1], angle=0.5, seed=1)
    assert not doc[0].get_text().strip()           # image only
    got = read_scanned_page(doc[0])
    assert 0.3 < abs(got.skew_degrees) < 0.7, got.skew_degrees
    pairs = _match(_cells(ref), _cells(got))
    score = _char_score(pairs)
    assert score >= 0.97, score
    values = [(rc, oc) for rc, oc in pairs if _VALUE.match(_ws(rc.text))]
    assert any("≧" in rc.text for rc, _ in values)
    bad = [(rc.text, oc.text if oc else None) for rc, oc in values if not oc or _ws(oc.text) != _ws(rc.text)]
    assert not bad, bad


def _glyph_image(ch: str, size: int = 30) -> np.ndarray:
    """One character drawn with PyMuPDF's CJK font, rasterised at 200 dpi, grey."""
    doc = pymupdf.open()
    p = doc.new_page(width=60, height=40)
    p.insert_text((10, 28), ch, fontname="china-s", fontsize=size * 0.5)
    pix = p.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).copy()


@pytest.mark.parametrize("ch,want", [("≧", "≧"), ("≦", "≦"), ("≥", "≥"), ("≤", "≤"),
                                     ("1", None), ("2", None), ("5", None), ("0", None)])
def test_operator_glyph_shapes(ch, want):
    img = _glyph_image(ch)
    ys, xs = np.nonzero(img < 160)
    box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    op, why = classify_operator(img, line_h=30.0, box=box)
    assert op == want, (ch, op, why)
    if want is None:
        assert why == "not-operator"


# --------------------------------------------------------------------------- ： or ；

_WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def _line_ink(text: str, mid: int, px: int = 28, font: str | None = None):
    """`text` drawn in one line (PIL with WenQuanYi Zen Hei, else PyMuPDF's Song),
    binarised and cut to its ink rows -> (ink, x centre of character `mid`)."""
    if font == "wqy":
        from PIL import Image, ImageDraw, ImageFont
        f = ImageFont.truetype(str(_WQY), px)
        im = Image.new("L", (px * (len(text) + 2), int(px * 1.6)), 255)
        ImageDraw.Draw(im).text((px // 2, px // 4), text, font=f, fill=0)
        img = np.asarray(im)
        x = px // 2 + (f.getlength(text[:mid]) + f.getlength(text[:mid + 1])) / 2
    else:
        size = px * 72 / 200                          # px tall at 200 dpi
        doc = pymupdf.open()
        p = doc.new_page(width=size * (len(text) + 2), height=size * 2)
        p.insert_text((size / 2, size * 1.4), text, fontname="china-s", fontsize=size)
        pix = p.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
        img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
        x = (size / 2 + size * (mid + 0.5)) * 200 / 72
    ink = (img < 150).astype(np.uint8) * 255
    rows = np.nonzero(ink.any(axis=1))[0]
    return ink[rows[0]:rows[-1] + 1], x


@pytest.mark.parametrize("font", ["wqy", "song"])
@pytest.mark.parametrize("px", [25, 31, 39])
@pytest.mark.parametrize("ch,want", [("：", ":"), ("；", ";"), ("目", None), ("、", None), ("，", None)])
def test_colon_or_semicolon_from_the_glyph(font, px, ch, want):
    if font == "wqy" and not _WQY.exists():
        pytest.skip("WenQuanYi Zen Hei not installed")
    ink, x = _line_ink("标" + ch + "年", 1, px, font)
    kind, why = classify_colon(ink, x, float(px))
    assert kind == want, (font, px, ch, kind, why)


def test_scan_semicolon_read_as_colon_is_restored():
    """Page 3 of the scan: a long goal line whose ； the recogniser reads as ：. The
    glyph (a dot over a comma) puts it back, reported; every true ： stays."""
    ref, got = _reference(3), _scan(3)
    pairs = _match(_cells(ref), _cells(got))
    goal = next(oc for rc, oc in pairs if "群众关切;" in _ws(rc.text))
    assert "群众关切;2023年" in _ws(goal.text)
    assert any("';' restored" in s.reason or "'；' restored" in s.reason for s in got.ocr_suspects)
    for rc, oc in pairs:              # no colon turned into a semicolon, nor the reverse
        assert _ws(oc.text).count(":") == _ws(rc.text).count(":"), (rc.text, oc.text)
        assert _ws(oc.text).count(";") == _ws(rc.text).count(";"), (rc.text, oc.text)


# --------------------------------------------------------------------------- recogniser

def test_line_recognizer_reads_short_and_long_crops_with_positions():
    from extract.ocr import RapidRecognizer
    rec = RapidRecognizer()
    crops = []
    for text in ("目标", "指标1：差旅费", "年度总体目标" * 4):
        doc = pymupdf.open()
        p = doc.new_page(width=12 * len(text) + 12, height=18)
        p.insert_text((6, 13), text, fontname="china-s", fontsize=11)
        pix = p.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
        crops.append(np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).copy())
    reads = rec.read_lines(crops)
    assert [r.text for r in reads] == ["目标", "指标1：差旅费", "年度总体目标" * 4]
    assert rec.recognize(crops) == [(r.text, r.conf) for r in reads]
    for crop, r in zip(crops, reads):
        assert 0.8 < r.conf <= 1
        xs = [x for _, _, x in r.chars]
        assert "".join(c for c, _, _ in r.chars) == r.text
        assert xs == sorted(xs) and 0 <= xs[0] and xs[-1] <= crop.shape[1]
    # positions: the colon of the second crop lies between the '1' and '差' glyphs
    xs = {c: x for c, _, x in reads[1].chars}
    assert xs["1"] < xs["："] < xs["差"]
    ink = crops[1] < 150
    cols = np.nonzero(ink.any(axis=0))[0]
    step = (cols[-1] - cols[0]) / 7.0           # 7 characters; '：' is the 4th (index 3)
    assert abs(xs["："] - (cols[0] + 3.5 * step)) < 0.6 * step


def test_short_crops_read_narrow_agree_with_the_full_width_reading(monkeypatch):
    """Short crops are read with 128 px of padding and again at PaddleOCR's 320 px when
    unsure; what survives must fold to what the full width reads (sample scan, page 2)."""
    from extract import ocr_rec
    from extract.ocr import RapidRecognizer, fold_text
    seen: list = []
    real = ocr_rec.LineRecognizer.read

    def spy(self, crops):
        seen.extend(crops)
        return real(self, crops)

    monkeypatch.setattr(ocr_rec.LineRecognizer, "read", spy)
    read_scanned_page(pymupdf.open(_sample("shapotou-2025-scan.pdf"))[1], RapidRecognizer())
    monkeypatch.setattr(ocr_rec.LineRecognizer, "read", real)
    short = [c for c in seen if ocr_rec.rec_input(c).shape[1] < ocr_rec.SHORT_RATIO * ocr_rec.INPUT_H]
    assert len(short) >= 20
    lr = ocr_rec.LineRecognizer()
    got = lr.read(short)
    imgs = [ocr_rec.rec_input(c) for c in short]
    full = lr._run(lr.model, imgs, short, [ocr_rec._full_width()] * len(short))
    assert [fold_text(r.text).strip() for r in got] == [fold_text(r.text).strip() for r in full]
    # and the narrow first pass alone does differ somewhere: the re-read is needed
    narrow = lr._run(lr.model, imgs, short, [max(ocr_rec._min_width(im.shape[1]), im.shape[1]) for im in imgs])
    assert [r.text for r in narrow] != [r.text for r in full]


def test_component_boxes_are_the_connected_components():
    """Contour tracing stands in for pixel labelling on rule masks: same boxes, also for
    a component inside another's hole and for pieces touching only at a corner."""
    from extract.ocr import _component_boxes
    rng = np.random.default_rng(5)
    mask = np.zeros((300, 400), np.uint8)
    cv2.rectangle(mask, (20, 20), (200, 150), 255, 3)          # a ring ...
    cv2.rectangle(mask, (80, 60), (120, 90), 255, -1)          # ... with a block in its hole
    mask[200, 10:300] = 255                                    # a rule
    mask[201, 300] = 255                                       # 8-connected to it by a corner
    for _ in range(40):                                        # specks and strokes
        x, y = int(rng.integers(0, 390)), int(rng.integers(160, 290))
        mask[y:y + int(rng.integers(1, 6)), x:x + int(rng.integers(1, 40))] = 255
    n, _, st, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    want = sorted(tuple(int(v) for v in st[i][:4]) for i in range(1, n))
    assert sorted(_component_boxes(mask)) == want
    assert len(want) > 10



@pytest.mark.parametrize("squeezed,full,want", [
    ("17,870,00.00", "１７，８７０，０００.００", "17,870,000.00"),   # a merged repeat put back
    ("不低于99%6", "不低于99%", "不低于99%"),                        # a stray digit dropped
    ("2023年党中央、国务院", "2023年党中央国务院", "2023年党中央、国务院"),  # marks stay squeezed
    ("≥1748万元", "21748万元", "≥1748万元"),                         # so do signs
    ("3，0０0,000", "３，０００，０００", "3，0０0,000"),             # same once folded: unchanged
    ("新增项目延续项目√", "新增项目口延续项目√", "新增项目口延续项目√"),  # a thin box squeezed away
    ("4464万元", "44.64万元", "44.64万元"),                           # a decimal point lost
    ("92.26以上", "92.2%以上", "92.2%以上"),                          # % read as 6
])
def test_digits_and_boxes_taken_from_the_full_width_reading(squeezed, full, want):
    from extract.ocr import _marks_from
    base = [(c, 0.9, float(i)) for i, c in enumerate(squeezed)]
    wide = [(c, 0.8, float(i)) for i, c in enumerate(full)]
    got = _marks_from(base, wide)
    fold = functools.partial(unicodedata.normalize, "NFKC")
    assert fold("".join(c for c, _, _ in got)) == fold(want)
    if squeezed == want:
        assert got is base


def test_a_bar_read_from_a_rule_piece_separates():
    from extract.ocr import _fix_confusables
    assert _fix_confusables("实施单位|城泰市生态环境局") == "实施单位 城泰市生态环境局"
    assert _fix_confusables("资金丶补助") == "资金、补助"
