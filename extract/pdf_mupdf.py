"""The default PDF engine: characters and ruling lines from PyMuPDF."""
from __future__ import annotations

import pymupdf

from extract.gridbuild import DEFAULT, GridSettings, build_blocks
from extract.model import Document, Page
from extract.paint import cover as _cover
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
    m = page.rotation_matrix if page.rotation else None

    for d in page.get_drawings():
        stroked = d.get("type") in ("s", "fs") and _visible(d.get("color"), d.get("stroke_opacity"))
        filled = d.get("type") in ("f", "fs") and _visible(d.get("fill"), d.get("fill_opacity"))
        if d.get("type") in ("f", "fs") and d.get("fill") is not None and (d.get("fill_opacity") or 1) > 0.95:
            # an opaque fill paints over the rules drawn before it (they no longer show)
            box = pymupdf.Rect(d["rect"]) * m if m is not None else pymupdf.Rect(d["rect"])
            if box.width > _THIN and box.height > _THIN:
                _cover(hs, vs, box)
        if filled and not stroked and any(it[0] == "l" for it in d["items"]):
            # a thin filled polygon drawn with line commands is a rule (rotated pages)
            box = pymupdf.Rect(d["rect"]) * m if m is not None else pymupdf.Rect(d["rect"])
            if box.height <= _THIN < box.width:
                hs.append(((box.y0 + box.y1) / 2, box.x0, box.x1))
            elif box.width <= _THIN < box.height:
                vs.append(((box.x0 + box.x1) / 2, box.y0, box.y1))
            continue
        for it in d["items"]:
            kind = it[0]
            if kind == "l" and stroked:
                p, q = it[1], it[2]
                if m is not None:
                    p, q = p * m, q * m
                seg(p.x, p.y, q.x, q.y)
            elif kind in ("re", "qu"):
                r = it[1].rect if kind == "qu" else it[1]
                if m is not None:
                    r = pymupdf.Rect(r) * m
                w, h = r.width, r.height
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


def page_chars(page) -> list[tuple]:
    """Every character as (x0, y0, x1, y1, text, size), folded (NFKC + radicals)."""
    out: list[tuple] = []
    add = out.append
    m = page.rotation_matrix if page.rotation else None
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
                        x0, y0, x1, y1 = pymupdf.Rect(x0, y0, x1, y1) * m
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
