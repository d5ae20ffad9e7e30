"""Document -> one stream of rows in reading order, across pages.

A grid row lists every cell that covers it (a merged cell appears in each row
it spans, flagged `start=False` after its first row) so a parser can read the
level1/level2 column of any row directly. A free-text line is a row of its
fragments.
"""
from __future__ import annotations

from dataclasses import dataclass

from extract.model import BBox, Document, Grid, Line
from normalize.text import clean_text


@dataclass(slots=True)
class Slot:
    text: str                  # as read, line breaks kept
    x0: float
    x1: float
    start: bool = True         # False: a merged cell continuing from the row above
    bbox: BBox | None = None
    confidence: float | None = None
    key: int = 0               # identity of the underlying cell

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
            rows[r].append(Slot(c.text, x0, x1, r == c.row, c.bbox, c.confidence, gid * 100000 + k))
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
                rows.append(Row(b.page, slots, None, b.bbox, line_no, blank=not slots))
                line_no += 1
    return rows
