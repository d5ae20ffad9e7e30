"""A table copied from a web page or a Word file with '|' between its cells, rebuilt as a grid.

A browser writes each row's own cells: a cell merged down from a row above (a project's columns
in a flat export, a level column) is not written again, so the row is short, and a cell merged
across columns is written once. Once the header names the columns, each later row's cells are
placed in order at the columns where what they hold fits best (a level word under 一级指标, a
number under 预算数 or 权重, an operator under 指标性质, a unit under 度量单位, a name not a
number), by dynamic programming; a column left out on the left continues the cell above it
(merged down), one left out between two cells widens the cell before it (merged across). The
rows become a `Grid`, which parse/flat.py and parse/columns.py read as they read a PDF's.

Tables whose header a flat export's is (单位名称 | 项目名称 | … | 一级指标 …) are rebuilt so; of
per-project copies, which read well as cell streams (parse/cellstream.py), only those copied a row
per line under header words the vocabulary does not spell (绩效内容 | 绩效标准 | 全年绩效目标) are
rebuilt, flush right, for the grid reader to tell their columns apart by their contents.
"""
from __future__ import annotations

from extract.model import Cell, Grid
from normalize.values import canonical_level1, canonical_level2
from parse.cellstream import shape, stream_level
from parse.labels import column_role, flat_role, squash
from parse.roles import header_scores, level_word
from parse.rows import Row, _grid_rows

GRID_ID = 9000          # grid ids of rebuilt tables (apart from a document's own grids)

# what leaving a column out of a row costs: on the left, merged down from the row above; between
# two cells, the cell before widened over it; on the right, an empty cell at the row's end
LEFT, INNER, RIGHT = 0.05, 0.4, 0.1
UNCOVERED = 0.5         # a column left out on the left that no cell above covers


def _role(text: str) -> str | None:
    return flat_role(text) or column_role(text)


def fit(role: str | None, text: str) -> float:
    """How well a cell's text suits a column of this role: 1 fits, 0 says nothing, -1 contradicts."""
    t = squash(text)
    if not t or role is None:
        return 0.0
    sh, cat = shape(t), stream_level(t)
    if role == "l1":
        return 1.0 if canonical_level1(t) or level_word(t) == "l12" else -1.0
    if role == "l2":
        return 1.0 if canonical_level2(t) else -1.0
    if role in ("name", "project_name", "unit_name"):
        # (a name may end like a category, 农户满意度; a category word stands alone: 成本指标)
        return -1.0 if sh in ("N", "O", "U", "C") or (sh == "V" and role != "name") or cat else 0.5
    if role == "goal":
        return 0.5 if sh in ("S", "T", "M") and not cat else -1.0
    if role in ("budget", "weight", "score"):
        return 1.0 if sh == "N" or (role == "budget" and sh == "V" and t[0].isdigit()) else -1.0
    if role in ("value", "actual", "value_long"):
        return 1.0 if sh in ("N", "V") else (0.0 if sh in ("T", "D") else -1.0)
    if role == "op":
        return 1.0 if sh == "O" else (0.5 if sh == "C" else -1.0)
    if role == "unit":
        return 1.0 if sh == "U" else -1.0
    if role in ("direction", "closed", "valtype"):
        return 1.0 if sh == "C" else -1.0
    return 0.0


def place(cells: list[str], roles: list[str | None], above: list[bool] | None = None) -> list[tuple[int, int]]:
    """Each cell's (first column, columns it spans), in order, where the cells fit the columns
    best (see the module docstring); ties go right: merged columns stand on the left. `above`:
    the columns a cell of the row before covers (a column left out where none does is no merge)."""
    m, n = len(cells), len(roles)
    if m == 0 or m > n:
        return [(k, 1) for k in range(m)]
    NEG = float("-inf")
    best = [[NEG] * n for _ in range(m)]
    back = [[-1] * n for _ in range(m)]
    left = 0.0
    for j in range(n - m + 1):
        best[0][j] = fit(roles[j], cells[0]) - left + 1e-6 * j
        left += LEFT if above is None or above[j] else UNCOVERED
    for k in range(1, m):
        for j in range(k, n - (m - k) + 1):
            f = fit(roles[j], cells[k])
            for jp in range(k - 1, j):
                if best[k - 1][jp] == NEG:
                    continue
                v = best[k - 1][jp] + f - INNER * (j - jp - 1)
                if v > best[k][j]:
                    best[k][j], back[k][j] = v, jp
    end = max(range(m - 1, n), key=lambda j: (best[m - 1][j] - RIGHT * (n - 1 - j), j))
    cols = [end]
    for k in range(m - 1, 0, -1):
        cols.append(back[k][cols[-1]])
    cols.reverse()
    return [(c, (cols[k + 1] if k + 1 < m else c + 1) - c) for k, c in enumerate(cols)]


# columns of free text: a row whose only fitting cells stand in these may be any line (a site's
# 主办单位：… 网站标识码：…); a table's row has a number, a category word, an operator or a unit
_FREE = {"name", "project_name", "unit_name", "goal", "note", None}


def _cells(row: Row) -> list[str] | None:
    """A line's cells: as written between '|' marks, else its pieces (a copy whose cells were
    cut apart at spaces or by their words, parse/unglue.py); None for a blank line."""
    if row.cells is not None:
        return row.cells
    return [s.text.strip() for s in row.starts if s.text.strip()] or None


def _header_at(rows: list[Row], i: int) -> tuple[list[str], int] | None:
    """The header's cells from row i on (on one line, or in a '|' copy a cell per line) and the
    row after it, when they name a flat export's columns."""
    heads: list[str] = []
    k = i
    while k < len(rows) and _cells(rows[k]) is not None:
        cs = [c for c in _cells(rows[k]) if c]
        if not cs or not all(_role(c) for c in cs):
            break
        heads += cs
        k += 1
        if len(cs) > 1 or rows[k - 1].cells is None:
            break           # a header on one line: a row per line
    roles = {_role(h) for h in heads}
    if "project_name" in roles and "l1" in roles and len(heads) >= 5:
        return heads, k
    return None


def _spelled_header_at(rows: list[Row], i: int) -> tuple[list[str], int] | None:
    """A line of four or more short cells cut at spaces that all read as column words, one naming
    the names' column outright, however the template spells the others (绩效目标 | 评价指标 |
    绩效内容 | 绩效标准 | 全年绩效目标), with the next line opening on a category word and as many
    cells or more: a per-project table copied a row per line. Its columns' roles are left to the
    reading of the grid (parse/columns.py), as for a PDF's."""
    if rows[i].cells is not None:
        return None
    cells = _cells(rows[i]) or []
    if len(cells) < 4 or any(len(squash(c)) > 8 or max(header_scores(c).values(), default=0.0) < 1.0
                             for c in cells) or not any(header_scores(c).get("name", 0.0) >= 3.0 for c in cells):
        return None
    nxt = _cells(rows[i + 1]) if i + 1 < len(rows) else None
    if not nxt or len(nxt) < len(cells) or not (canonical_level1(nxt[0]) or level_word(nxt[0])):
        return None
    return cells, i + 1


def _line_rows(rows: list[Row], k: int) -> tuple[list[list[str]], int]:
    """The rows of a table copied a row per line, cells cut at spaces: lines of two or more cells."""
    out: list[list[str]] = []
    while k < len(rows):
        cells = _cells(rows[k])
        if cells is None or rows[k].cells is not None or len(cells) < 2:
            break
        out.append(cells)
        k += 1
    return out, k


def _right_grid(heads: list[str], data: list[list[str]], page: int) -> Grid:
    """A grid of rows each written flush right: the cells a row leaves out on the left are those
    merged down from the row above (its levels), as a browser copies them."""
    n = max([len(heads)] + [len(r) for r in data])
    cells = [Cell(h, 0, n - len(heads) + j) for j, h in enumerate(heads)]
    if len(heads) < n:
        cells[0].col, cells[0].colspan = 0, n - len(heads) + 1
    cover: list[Cell | None] = [None] * n
    for r, written in enumerate(data, start=1):
        first = n - len(written)
        for j in range(first):
            c = cover[j]
            if c is not None and c.row + c.rowspan == r:
                c.rowspan += 1
        for j, text in enumerate(written):
            c = Cell(text, r, first + j)
            cells.append(c)
            cover[first + j] = c
    return Grid(page, len(data) + 1, n, cells)


def _data_rows(rows: list[Row], k: int, heads: list[str], per_line: bool) -> tuple[list[list[str]], int]:
    """The cells of each data row from row k to the table's end (a line that is no copied cell),
    and the index after the table."""
    n = len(heads)
    out: list[list[str]] = []
    stream: list[str] = []
    roles = None
    per_line_pipes = False      # the table's lines so far were '|' copies
    while k < len(rows):
        r = rows[k]
        cells = _cells(r)
        if cells is None:
            if r.blank:
                k += 1
                continue
            break
        if r.cells is None:
            # a line cut at spaces or by its words is the table's while two or more of its cells
            # fit their columns (a site's line after the table does not: 附件：….xlsx); in a '|'
            # copy a line without '|' ends the table
            roles = roles or [_role(h) for h in heads]
            fits = [(fit(roles[j], c), roles[j]) for c, (j, _w) in zip(cells, place(cells, roles))]
            if per_line_pipes or sum(f > 0 for f, _r in fits) < 2 or sum(f for f, _r in fits) <= 0 \
                    or not any(f > 0 and r not in _FREE for f, r in fits):
                break
            out.append(list(cells))
        elif per_line:
            per_line_pipes = True
            out.append(list(r.cells))
        else:
            per_line_pipes = True
            stream += r.cells
            while len(stream) >= n:
                out.append(stream[:n])
                stream = stream[n:]
        k += 1
    if stream:
        out.append(stream)
    return out, k


def _grid(heads: list[str], data: list[list[str]], page: int) -> Grid:
    n = len(heads)
    roles = [_role(h) for h in heads]
    cells = [Cell(h, 0, j) for j, h in enumerate(heads)]
    cover: list[Cell | None] = [None] * n      # the cell covering each column in the row before
    for r, written in enumerate(data, start=1):
        while written and not written[-1]:
            written = written[:-1]             # empty cells at the end: none the row needs
        if len(written) > n:
            written = written[:n - 1] + [" ".join(x for x in written[n - 1:] if x)]
        placed = place(written, roles, [c is not None for c in cover])
        now: list[Cell | None] = [None] * n
        first = placed[0][0] if placed else n
        grown: set[int] = set()
        for j in range(first):                 # merged down from the row above
            c = cover[j]
            if c is not None and id(c) not in grown and c.row + c.rowspan == r:
                c.rowspan += 1
                grown.add(id(c))
            now[j] = c if c is not None and c.row + c.rowspan > r else None
        for text, (j, span) in zip(written, placed):
            c = Cell(text, r, j, 1, span)
            cells.append(c)
            for q in range(j, j + span):
                now[q] = c
        cover = now
    return Grid(page, len(data) + 1, n, cells)


def regrid(rows: list[Row]) -> list[Row]:
    """The document's rows with each flat export copied as text (with '|' marks, cut at spaces
    or by its words) replaced by its grid's rows."""
    out: list[Row] = []
    i, gid = 0, GRID_ID
    while i < len(rows):
        hit = _header_at(rows, i) if not rows[i].blank else None
        spelled = _spelled_header_at(rows, i) if hit is None and not rows[i].blank else None
        if spelled is not None:
            heads, k = spelled
            data, end = _line_rows(rows, k)
            gid += 1
            out.extend(_grid_rows(_right_grid(heads, data, rows[i].page), gid))
            i = end
            continue
        if hit is None:
            out.append(rows[i])
            i += 1
            continue
        heads, k = hit
        data, end = _data_rows(rows, k, heads, per_line=k == i + 1)
        gid += 1
        out.extend(_grid_rows(_grid(heads, data, rows[i].page), gid))
        i = end
    return out
