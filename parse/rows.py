"""Document -> one stream of rows in reading order, across pages.

A grid row lists every cell that covers it (a merged cell appears in each row
it spans, flagged `start=False` after its first row) so a parser can read the
level1/level2 column of any row directly. A free-text line is a row of its
fragments.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from extract.model import BBox, Document, Grid, Line
from normalize.text import clean_text
from normalize.values import is_unit


@dataclass(slots=True)
class Slot:
    text: str                  # as read, line breaks kept
    x0: float
    x1: float
    start: bool = True         # False: a merged cell continuing from the row above
    bbox: BBox | None = None
    confidence: float | None = None
    key: int = 0               # identity of the underlying cell
    ref: str | None = None     # the cell's place in an office file or web page

    @property
    def clean(self) -> str:
        return clean_text(self.text)


@dataclass(slots=True)
class Row:
    page: int
    slots: list[Slot]
    grid: int | None = None    # id of the grid; None for free text
    bbox: BBox | None = None
    line_no: int = 0           # line index in a text dump (for layout geometry)
    blank: bool = False        # an empty line of a text dump
    cells: list[str] | None = None   # a '|' copy's line: its cells as written, empty ones included

    def text(self, sep: str = " ") -> str:
        return sep.join(s.text for s in self.slots if s.start)

    @property
    def starts(self) -> list[Slot]:
        return [s for s in self.slots if s.start]


def _grid_rows(g: Grid, gid: int) -> list[Row]:
    rows: list[list[Slot]] = [[] for _ in range(g.n_rows)]
    for k, c in enumerate(g.cells):
        x0, x1 = (c.bbox[0], c.bbox[2]) if c.bbox else (float(c.col), float(c.col + c.colspan))
        for r in range(c.row, min(c.row + c.rowspan, g.n_rows)):
            rows[r].append(Slot(c.text, x0, x1, r == c.row, c.bbox, c.confidence, gid * 100000 + k, c.ref))
    out = []
    for r, slots in enumerate(rows):
        slots.sort(key=lambda s: s.x0)
        y0 = g.row_edges[r] if g.row_edges else 0.0
        y1 = g.row_edges[r + 1] if g.row_edges else 0.0
        bb = (g.bbox[0], y0, g.bbox[2], y1) if g.bbox else None
        out.append(Row(g.page, slots, gid, bb))
    return out


def document_rows(doc: Document) -> list[Row]:
    rows: list[Row] = []
    gid = 0
    line_no = 0
    for page in doc.pages:
        for b in page.blocks:
            if isinstance(b, Grid):
                gid += 1
                rows.extend(_grid_rows(b, gid))
            elif isinstance(b, Line):
                slots = [Slot(f.text, f.x0, f.x1, True, f.bbox, f.confidence) for f in b.frags]
                if doc.file_type == "text" and not doc.layout_text and not doc.pipe_table:
                    slots = _join_soft_spaces(slots)
                rows.append(Row(b.page, slots, None, b.bbox, line_no, blank=not slots, cells=b.pipe_cells))
                line_no += 1
    return rows


_MARK_WORD = regex.compile(r"(?:目标|指标)$")
_MARK_NUMBER = regex.compile(r"^\d{1,3}\s*[:：、.]")
_NUMBER_END = regex.compile(r"[\d.]$")
_OP_NUMBER = regex.compile(r"^[≥≤≧≦<>＜＞]\d+(?:\.\d+)?$")
_YEAR = regex.compile(r"^(?:19|20)\d\d$")
_IN_TEXT_YEAR = regex.compile(r"^年(?!底|前|内|初|中|末|以前|之前|度?$)\p{Han}")
_CJK_END = regex.compile(r"\p{Han}$")
_DATE_TAIL = regex.compile(r"^[年月日](?:底|前|内|初|中|末|以前|之前|底前|末前|以内)?$")


def _join_soft_spaces(slots: list[Slot]) -> list[Slot]:
    """A raw dump splits a line at every space, but some spaces only mark a font
    change in the PDF it came from (Chinese text, Latin digits): '目标 1：',
    '指标 2：', '1 次/月', '2025 年'. Those pairs are one token again."""
    out: list[Slot] = []
    for k, s in enumerate(slots):
        if out and _YEAR.match(s.text) and k + 1 < len(slots) and _IN_TEXT_YEAR.match(slots[k + 1].text) \
                and _CJK_END.search(out[-1].text):
            out[-1] = Slot(out[-1].text + s.text, out[-1].x0, s.x1, out[-1].start, out[-1].bbox,
                           out[-1].confidence, out[-1].key)   # '保存 2022 年发展': a year inside a name
            continue
        if out:
            prev = out[-1]
            if ((_MARK_WORD.search(prev.text) and _MARK_NUMBER.match(s.text))
                    or (_NUMBER_END.search(prev.text) and (is_unit(s.text) or _DATE_TAIL.match(s.text)))
                    or (_OP_NUMBER.match(prev.text) and any(is_unit(s.text[:n]) for n in (1, 2)))):
                # (an operator's number takes the unit after it, with the words it opens:
                # '≥360 天服务读者' is one name)
                out[-1] = Slot(prev.text + s.text, prev.x0, s.x1, prev.start, prev.bbox, prev.confidence, prev.key)
                continue
        out.append(s)
    return out
