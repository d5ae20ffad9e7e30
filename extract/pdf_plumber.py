"""The second PDF engine: characters and edges from pdfplumber (pdfminer.six).

It feeds the same grid builder as the PyMuPDF engine; the two agreeing on every
sample is the guard against geometry bugs in either.
"""
from __future__ import annotations

import io

import pdfplumber

from extract.gridbuild import DEFAULT, GridSettings, build_blocks
from extract.model import Document, Page
from extract.textcheck import unusable_reason
from normalize.text import fold_text

_WHITE = 0.92
_THIN = 2.5


def _visible(color) -> bool:
    if color is None:
        return False
    if isinstance(color, (int, float)):
        color = (color,)
    try:
        vals = [float(c) for c in color]
    except (TypeError, ValueError):
        return True  # a pattern or named colour: assume it prints
    if len(vals) == 4:  # CMYK: white is all zeros
        return any(v > 1 - _WHITE for v in vals)
    return not all(v >= _WHITE for v in vals)


def page_rules(page) -> tuple[list, list]:
    hs, vs = [], []
    tiny = 0.8
    for ln in page.lines:
        if not ln.get("stroke", True) or not _visible(ln.get("stroking_color")):
            continue
        x0, x1, y0, y1 = ln["x0"], ln["x1"], ln["top"], ln["bottom"]
        if abs(y1 - y0) <= tiny and x1 - x0 > tiny:
            hs.append(((y0 + y1) / 2, x0, x1))
        elif abs(x1 - x0) <= tiny and y1 - y0 > tiny:
            vs.append(((x0 + x1) / 2, y0, y1))
    for r in page.rects:
        x0, x1, y0, y1 = r["x0"], r["x1"], r["top"], r["bottom"]
        w, h = x1 - x0, y1 - y0
        filled = r.get("fill") and _visible(r.get("non_stroking_color"))
        stroked = r.get("stroke") and _visible(r.get("stroking_color"))
        if filled and (h <= _THIN or w <= _THIN):
            if h <= _THIN:
                hs.append(((y0 + y1) / 2, x0, x1))
            else:
                vs.append(((x0 + x1) / 2, y0, y1))
        elif stroked:
            if w > tiny:
                hs += [(y0, x0, x1), (y1, x0, x1)]
            if h > tiny:
                vs += [(x0, y0, y1), (x1, y0, y1)]
    for c in page.curves:
        pts = c.get("pts") or []
        if not c.get("stroke", True) or not _visible(c.get("stroking_color")):
            continue
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            if abs(ay - by) <= tiny and abs(ax - bx) > tiny:
                hs.append(((ay + by) / 2, min(ax, bx), max(ax, bx)))
            elif abs(ax - bx) <= tiny and abs(ay - by) > tiny:
                vs.append(((ax + bx) / 2, min(ay, by), max(ay, by)))
    return hs, vs


def page_chars(page) -> list[tuple]:
    out = []
    for ch in page.chars:
        t = ch["text"]
        out.append((ch["x0"], ch["top"], ch["x1"], ch["bottom"], fold_text(t) if not t.isascii() else t,
                    ch.get("size", 10.0)))
    return out


def read_pdf(data: bytes, settings: GridSettings = DEFAULT) -> Document:
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i, pg in enumerate(pdf.pages):
            chars = page_chars(pg)
            page = Page(i + 1, float(pg.width), float(pg.height))
            page.needs_ocr = unusable_reason(chars, has_images=bool(pg.images))
            if page.needs_ocr is None:
                hs, vs = page_rules(pg)
                page.blocks = build_blocks(hs, vs, chars, page.number, settings)
            pages.append(page)
    return Document(pages, "pdf")
