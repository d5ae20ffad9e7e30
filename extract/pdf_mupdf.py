"""The default PDF engine: characters and ruling lines from PyMuPDF."""
from __future__ import annotations

import pymupdf

from extract.gridbuild import DEFAULT, GridSettings, build_blocks
from extract.model import Document, Page
from extract.paint import Box, cover as _cover
from extract.textcheck import unusable_reason
from normalize.text import fold_text

# A stroke or fill this light is paper, not a border.
_WHITE = 0.92
# A filled rectangle thinner than this (points) is drawn as a rule.
_THIN = 2.5


def _visible(color, opacity) -> bool:
    if color is None:
        return False
    if opacity is not None and opacity <= 0.05:
        return False
    return not all(c >= _WHITE for c in color)


def page_rules(page) -> tuple[list, list]:
    """Visible horizontal (y, x0, x1) and vertical (x, y0, y1) rules of a page."""
    hs: list = []
    vs: list = []
    tiny = 0.8

    def seg(x0, y0, x1, y1):
        if abs(y1 - y0) <= tiny and abs(x1 - x0) > tiny:
            hs.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= tiny and abs(y1 - y0) > tiny:
            vs.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))

    # Drawings come in the unrotated page space; take them in the visual frame.
    # (raw tuples from get_cdrawings: get_drawings makes a Point or Rect of each)
    m = tuple(page.rotation_matrix) if page.rotation else None

    def box(r) -> Box:
        x0, y0, x1, y1 = r
        if m is not None:
            return Box(*_turn(m, x0, y0, x1, y1))
        return Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    def point(p) -> tuple[float, float]:
        if m is None:
            return p
        a, b, c, d, e, f = m
        return a * p[0] + c * p[1] + e, b * p[0] + d * p[1] + f

    for d in page.get_cdrawings():
        kind_of = d.get("type")
        stroked = kind_of in ("s", "fs") and _visible(d.get("color"), d.get("stroke_opacity"))
        filled = kind_of in ("f", "fs") and _visible(d.get("fill"), d.get("fill_opacity"))
        if kind_of in ("f", "fs") and d.get("fill") is not None and (d.get("fill_opacity") or 1) > 0.95:
            # an opaque fill paints over the rules drawn before it (they no longer show)
            bb = box(d["rect"])
            if bb.x1 - bb.x0 > _THIN and bb.y1 - bb.y0 > _THIN:
                _cover(hs, vs, bb)
        if filled and not stroked and any(it[0] == "l" for it in d["items"]):
            # a thin filled polygon drawn with line commands is a rule (rotated pages)
            bb = box(d["rect"])
            if bb.y1 - bb.y0 <= _THIN < bb.x1 - bb.x0:
                hs.append(((bb.y0 + bb.y1) / 2, bb.x0, bb.x1))
            elif bb.x1 - bb.x0 <= _THIN < bb.y1 - bb.y0:
                vs.append(((bb.x0 + bb.x1) / 2, bb.y0, bb.y1))
            continue
        for it in d["items"]:
            kind = it[0]
            if kind == "l" and stroked:
                p, q = point(it[1]), point(it[2])
                seg(p[0], p[1], q[0], q[1])
            elif kind in ("re", "qu"):
                if kind == "qu":
                    xs, ys = [pt[0] for pt in it[1]], [pt[1] for pt in it[1]]
                    r = box((min(xs), min(ys), max(xs), max(ys)))
                else:
                    r = box(it[1])
                w, h = r.x1 - r.x0, r.y1 - r.y0
                if filled and (h <= _THIN or w <= _THIN):
                    if h <= _THIN:
                        hs.append(((r.y0 + r.y1) / 2, r.x0, r.x1))
                    else:
                        vs.append(((r.x0 + r.x1) / 2, r.y0, r.y1))
                elif stroked:
                    seg(r.x0, r.y0, r.x1, r.y0)
                    seg(r.x0, r.y1, r.x1, r.y1)
                    seg(r.x0, r.y0, r.x0, r.y1)
                    seg(r.x1, r.y0, r.x1, r.y1)
    return hs, vs


def _turn(m, x0, y0, x1, y1) -> tuple[float, float, float, float]:
    """A box through the page's rotation matrix (plain arithmetic: a Rect per char is slow)."""
    a, b, c, d, e, f = m
    xa, ya = a * x0 + c * y0 + e, b * x0 + d * y0 + f
    xb, yb = a * x1 + c * y1 + e, b * x1 + d * y1 + f
    return (xa if xa < xb else xb, ya if ya < yb else yb, xb if xa < xb else xa, yb if ya < yb else ya)


def page_chars(page) -> list[tuple]:
    """Every character as (x0, y0, x1, y1, text, size), folded (NFKC + radicals)."""
    out: list[tuple] = []
    add = out.append
    m = tuple(page.rotation_matrix) if page.rotation else None
    raw = page.get_text("rawdict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP)
    for b in raw["blocks"]:
        if b.get("type") != 0:
            continue
        for ln in b["lines"]:
            for sp in ln["spans"]:
                size = sp["size"]
                for ch in sp["chars"]:
                    t = ch["c"]
                    x0, y0, x1, y1 = ch["bbox"]
                    if m is not None:
                        x0, y0, x1, y1 = _turn(m, x0, y0, x1, y1)
                    add((x0, y0, x1, y1, t if t.isascii() else fold_text(t), size))
    return out


def read_pdf(doc: pymupdf.Document, settings: GridSettings = DEFAULT) -> Document:
    pages = []
    state: dict = {}   # carried from page to page (a table run onto the next page)
    for pg in doc:
        chars = page_chars(pg)
        page = Page(pg.number + 1, pg.rect.width, pg.rect.height)
        page.needs_ocr = unusable_reason(chars, has_images=lambda: bool(pg.get_images()))
        if page.needs_ocr is None:
            hs, vs = page_rules(pg)
            page.blocks = build_blocks(hs, vs, chars, page.number, settings, state)
        pages.append(page)
    return Document(pages, "pdf")
