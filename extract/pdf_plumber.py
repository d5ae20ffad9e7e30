"""The second PDF engine: characters and edges from pdfplumber (pdfminer.six).

It feeds the same grid builder as the PyMuPDF engine; the two agreeing on every
sample is the guard against geometry bugs in either.

pdfminer ignores the ExtGState (``gs``) and pdfplumber's per-type object lists
lose paint order, so the page layout is built here with a graphics state that
also carries the constant alpha (``CA`` stroke, ``ca`` fill; saved and restored
by q/Q, inherited by form XObjects), each path object is tagged with it, and the
rules are taken from the layout in content-stream order, so that a transparent
stroke is no rule and a later opaque fill hides the rules under it
(``extract.paint.cover``), as the PyMuPDF engine does.
"""
from __future__ import annotations

import io

import pdfplumber
from pdfminer.layout import LTContainer, LTCurve, LTLine, LTRect
from pdfminer.pdfinterp import PDFGraphicState, PDFPageInterpreter
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import literal_name
from pdfplumber.page import PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException

from extract.gridbuild import DEFAULT, GridSettings, build_blocks
from extract.model import Document, Page
from extract.paint import Box, cover
from extract.textcheck import unusable_reason
from normalize.text import fold_text

_WHITE = 0.92
_THIN = 2.5
# alpha at or below this paints nothing; at or above OPAQUE a fill hides what is under it
_INVISIBLE = 0.05
_OPAQUE = 0.95


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


def _as_dict(x) -> dict:
    x = resolve1(x)
    return x if isinstance(x, dict) else {}


def _alpha(x, default: float) -> float:
    x = resolve1(x)
    return min(1.0, max(0.0, float(x))) if isinstance(x, (int, float)) else default


class _GState(PDFGraphicState):
    """pdfminer's graphics state plus the ExtGState constant alphas."""

    def __init__(self) -> None:
        super().__init__()
        self.stroke_alpha = 1.0
        self.fill_alpha = 1.0

    def copy(self) -> _GState:  # q saves a copy: keep every field, alphas included
        obj = _GState.__new__(_GState)
        obj.__dict__.update(self.__dict__)
        return obj


class _Interpreter(PDFPageInterpreter):
    """pdfminer's interpreter that honours ``CA`` / ``ca`` of ``gs``."""

    _inherit = (1.0, 1.0)  # alphas in force where a form XObject is invoked

    def subinterp(self) -> PDFPageInterpreter:
        interp = super().subinterp()
        gs = self.graphicstate
        interp._inherit = (getattr(gs, "stroke_alpha", 1.0), getattr(gs, "fill_alpha", 1.0))
        return interp

    def init_state(self, ctm) -> None:
        super().init_state(ctm)
        gs = _GState()
        gs.stroke_alpha, gs.fill_alpha = self._inherit
        self.graphicstate = gs

    def do_gs(self, name) -> None:
        """Set parameters from graphics state parameter dictionary (only CA / ca)."""
        ext = _as_dict(_as_dict(_as_dict(self.resources).get("ExtGState")).get(literal_name(name)))
        gs = self.graphicstate
        gs.stroke_alpha = _alpha(ext.get("CA"), gs.stroke_alpha)
        gs.fill_alpha = _alpha(ext.get("ca"), gs.fill_alpha)


class _Aggregator(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's layout device; tags each path object with the alphas it was painted with."""

    def paint_path(self, gstate, *args, **kwargs) -> None:  # type: ignore[override]
        objs = self.cur_item._objs
        n = len(objs)
        super().paint_path(gstate, *args, **kwargs)
        for o in objs[n:]:
            o.stroke_alpha = getattr(gstate, "stroke_alpha", 1.0)
            o.fill_alpha = getattr(gstate, "fill_alpha", 1.0)


def _lay_out(pg) -> None:
    """Build the page's layout with the alpha-aware interpreter (one pass over the
    content stream) and install it as pdfplumber's cached layout, which its
    chars / images then come from. Mirrors ``pdfplumber.page.Page.layout``."""
    if hasattr(pg, "_layout"):
        return
    device = _Aggregator(pg.pdf.rsrcmgr, pageno=pg.page_number, laparams=pg.pdf.laparams)
    interpreter = _Interpreter(pg.pdf.rsrcmgr, device)
    try:
        interpreter.process_page(pg.page_obj)
    except Exception as e:
        raise PdfminerException(e)
    pg._layout = device.get_result()


def _paths(objs):
    """Path objects in paint (content-stream) order, form XObjects included."""
    for o in objs:
        if isinstance(o, LTCurve):
            yield o
        elif isinstance(o, LTContainer):
            yield from _paths(o)


def page_rules(page) -> tuple[list, list]:
    """Visible horizontal (y, x0, x1) and vertical (x, y0, y1) rules of a pdfplumber page.

    Walks the layout in paint order: an opaque fill hides the rules painted
    before it; strokes / fills with alpha ~0 or a white colour are no rules.
    Coordinates as pdfplumber gives them (``Page.point2coord``, top-left origin).
    """
    hs, vs = [], []
    tiny = 0.8
    for o in _paths(page.layout):
        pts = [page.point2coord(p) for p in o.pts]
        if not pts:
            continue
        x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
        y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
        w, h = x1 - x0, y1 - y0
        s_alpha = getattr(o, "stroke_alpha", 1.0)
        f_alpha = getattr(o, "fill_alpha", 1.0)
        stroked = o.stroke and s_alpha > _INVISIBLE and _visible(o.stroking_color)
        filled = o.fill and f_alpha > _INVISIBLE and _visible(o.non_stroking_color)
        if o.fill and o.non_stroking_color is not None and f_alpha >= _OPAQUE and w > _THIN and h > _THIN:
            # an opaque fill paints over the rules drawn before it (they no longer show)
            cover(hs, vs, Box(x0, y0, x1, y1))
        if isinstance(o, LTRect):
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
        elif stroked:  # LTLine or a general curve: its straight axis-aligned pieces
            if isinstance(o, LTLine):
                pts = pts[:2]
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
    state: dict = {}   # carried from page to page (a table run onto the next page)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i, pg in enumerate(pdf.pages):
            _lay_out(pg)
            chars = page_chars(pg)
            page = Page(i + 1, float(pg.width), float(pg.height))
            page.needs_ocr = unusable_reason(chars, has_images=lambda: bool(pg.images))
            if page.needs_ocr is None:
                hs, vs = page_rules(pg)
                page.blocks = build_blocks(hs, vs, chars, page.number, settings, state)
            pages.append(page)
    return Document(pages, "pdf")
