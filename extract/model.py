"""The one intermediate form every reader produces and the form parser consumes.

A document is a list of pages; a page is a list of blocks in reading order:
`Grid` (a ruled table: cells with row/col/rowspan/colspan) or `Line` (free text
outside any table). Coordinates are PDF points in the page's visual frame,
origin top-left, y growing downwards (PyMuPDF's convention). Text dumps have no
geometry: their lines carry `bbox=None` and a character column in `x`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]


@dataclass(slots=True)
class Cell:
    text: str                    # folded text; line breaks inside the cell kept as "\n"
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    bbox: BBox | None = None
    confidence: float | None = None   # recogniser confidence (OCR only)
    ref: str | None = None            # where the cell stands in an office file or web page ('Sheet1!C12')


@dataclass(slots=True)
class Grid:
    page: int                    # 1-based
    n_rows: int
    n_cols: int
    cells: list[Cell]
    bbox: BBox | None = None
    col_edges: list[float] = field(default_factory=list)
    row_edges: list[float] = field(default_factory=list)

    def rows(self) -> list[list[Cell]]:
        """Cells grouped by the row they start in, left to right."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for c in self.cells:
            out[c.row].append(c)
        for r in out:
            r.sort(key=lambda c: c.col)
        return out


def compact_columns(g: Grid) -> Grid:
    """The grid without the columns no written cell starts in. Office files and web pages
    keep a column grid that cells may span far past their content (colspan=1000,
    w:gridSpan, a sheet's stray last column); readers pad it with empty cells, which
    browsers and Word never draw. Such a column is folded into the one before it: a
    cell's span is kept over the columns left, an empty cell left with none is dropped,
    and the grid still covers each position exactly once."""
    live = [False] * g.n_cols
    if g.n_cols:
        live[0] = True
    for c in g.cells:
        if c.text.strip() and 0 <= c.col < g.n_cols:
            live[c.col] = True
    if all(live) or not g.cells:
        return g
    group, k = [], -1                # grid column -> column of the compact grid
    for j in range(g.n_cols):
        k += live[j]
        group.append(k)
    cells = []
    for c in g.cells:
        last = group[min(c.col + c.colspan, g.n_cols) - 1]
        first = group[c.col] + (0 if live[c.col] else 1)
        if first > last:
            continue                 # empty padding over folded columns only
        cells.append(Cell(c.text, c.row, first, c.rowspan, last - first + 1, c.bbox, c.confidence, c.ref))
    edges = [e for j, e in enumerate(g.col_edges) if j >= len(live) or j == 0 or live[j]] \
        if g.col_edges else []
    return Grid(g.page, g.n_rows, k + 1, cells, g.bbox, edges, g.row_edges)


@dataclass(slots=True)
class Line:
    """A line of free text, split into fragments where a wide gap separates them."""
    page: int
    frags: list[Frag]
    bbox: BBox | None = None
    pipe_cells: list[str] | None = None   # a '|' copy: the cells as written, empty ones included


@dataclass(slots=True)
class Frag:
    text: str
    x0: float                    # points (PDF) or character column (text dumps)
    x1: float
    bbox: BBox | None = None
    confidence: float | None = None


@dataclass(slots=True)
class Page:
    number: int                  # 1-based
    width: float = 0.0
    height: float = 0.0
    blocks: list = field(default_factory=list)   # Grid | Line, top to bottom
    extractor: str = "text-layer"                # text-layer | ocr | text | office | html
    needs_ocr: str | None = None                 # why the text layer is unusable
    ocr_reason: str | None = None                # why this page was read by OCR
    suspects: list = field(default_factory=list) # OCR readings in doubt: (bbox, text, reason)


@dataclass(slots=True)
class Document:
    pages: list[Page]
    file_type: str               # pdf | text | xlsx | xls | docx | doc | html
    layout_text: bool = False    # a text dump whose columns stand side by side
    pipe_table: bool = False     # a table copied from a web page or Word: cells between '|' marks

    @property
    def extractor(self) -> str:
        kinds = {p.extractor for p in self.pages}
        if not kinds:
            return "text" if self.file_type == "text" else "text-layer"
        return kinds.pop() if len(kinds) == 1 else "mixed"
