"""Indicator tables of `pdftotext -layout` dumps, rebuilt as ruled grids.

A layout dump keeps the page's horizontal positions: a ruled table comes out as
lines whose fragments (runs split at 2+ spaces) stand in columns, a cell that
wraps runs over several lines, a merged cell (一级指标 / 二级指标) prints once,
vertically centred in its block, and a header cell may wrap (年度 / 指标值).
`find_layout_tables` finds a dump's indicator tables; `layout_table` turns the
lines of one into a `GridTable` that parse/columns.py `ColumnIndicators` reads
like a PDF's ruled grid: one header row, a row per table row, a Slot per column
at the column's character range, merged cells repeated with start=False.

1. Columns, page by page (pdftotext sets every page's characters anew). A gutter
   is a stretch of character columns no data word covers, and a stretch at most
   one line's words cover, 3+ wide (a label run into its name by one space); one
   a single character wide counts where some line has two fragments on its sides,
   one of them right at it, and a place between two touching words counts where
   such fragments meet there. A gutter one side of which never stands alone (every
   fragment there runs on over it, 指标 | 4：) is none. Where a line still has two
   fragments in one column, the column is split at the cheapest place (fewest
   characters on the wrong side, a fragment cut at a space costs 1). A fragment
   over a gutter is cut at its spaces, each word going to the column it stands in
   (one in a gutter stays with the word before it); the words ending a fragment that
   spell a cell standing alone in a column further right on other lines go there
   (…建设工 按国家标准) when that column has nothing on the line.
2. The header (the line naming column roles, with its wrapped pieces on the lines
   right above and below, kept where the stacks spell header words; or two or
   three lines none of which is a header alone but whose stacks are) names the
   columns of its page: each word stands over the column whose stretch holds its
   centre; two words of a line over one column split it at the cheapest place,
   or, where nothing stands under one of them, that word goes to the neighbouring
   column (right: pushing the words there on one column each up to a column with
   none), else makes an empty column; so does a word past the outer columns. A
   later page's repeated header names that page's columns the same way.
   The pieces per column, top to bottom, are the header row (年度 + 指标值); a piece
   over 2+ columns that have pieces of their own under it is a row above.
3. Later pages' columns are mapped onto the header page's in order by what they
   hold (shares of category words, values, bare numbers, single characters, marks,
   mean width, stacked category words and 绩效指标 captions) and where they stand;
   a page column that holds two of the table's columns (no header there to split
   it) is split where that brings the page closest to the table.
4. Rows. The columns left of the name column (header 三级指标 / 指标名称, else the
   widest text) hold merged cells, except a label or number column; the others
   define rows. A page's lines are cut into rows by dynamic programming: pieces of
   one column join across lines cheaply when the upper one is full or ends in
   、，（ (a wrapped name, also around the single line its value stands on); a piece
   opening with a mark (指标N：, 目标N, ★, 其中, 1、, ……) always opens a row; a whole
   value under another does not join it unless the upper one ran full or is an
   operator alone (不低于 / 75%); a row without a name, or without any value unless
   it is an empty template row, costs; every cell of a row should stand on the
   cells' common centre (half a line of slack).
5. Merged cells, the column nearest the names first. A column's pieces join down
   the lines into cells (a category word's pieces, 产/出/指/标 stacked a character a
   line) until 2+ lines pass or a complete category word meets a piece a line or
   more below it that is no annotation (（选填）). Each cell gets the consecutive
   rows it stands centred on, by dynamic programming over the cells in order, the
   centres taken on the rows' own heights (tallest cell, in lines) since pdftotext
   gives every baseline of every column a line; a row may be left to no cell (a
   ruled table leaves such a cell empty); where the names are numbered the
   numbering starts again in each cell (指标1), an outer level's cells hold whole
   cells of the level inside; a badly centred label costs at most a fixed amount
   (Word may set it at the top). A category word with no row (an empty template
   row, invisible in a dump) becomes an empty row so the level above centres
   right; rows at the top of a later page before its first cell continue the cell
   of the page before (a label printed once).
6. Cells are written as a grid's: wrapped lines joined with "\n", a merged cell's
   text on its first row (start=True) and again, start=False, on the rows after.
   A 总分 row and its wrapped pieces right around it are left out.

`header_spans` and `header_block` rebuild a form's header block (the lines above the
table) as grid rows the same way, with the same column finder; see "header blocks" below.
A dump that sets wide characters two columns wide (a terminal's rendering, not pdftotext's)
has its fragments moved to where pdftotext would start them (`as_one_column_wide`).

Limits: rows are never split across pages; a page of one line takes its own
columns as they fall; a column empty on the header's page and on a later one
gets its header only where the header stands clear of the data.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import regex

from normalize.values import is_unit
from parse.columns import GridTable
from parse.labels import (EMPTY_ROW, FURNITURE, GOAL_COLUMN, LABEL_MARK, MONEY_UNIT, NOTE_LINE, PAGE_OF, TITLE,
                          YEAR_LINE, column_prefix, flat_role, funds_column, header_label, squash)
from parse.roles import _BARE, OPERATOR_ONLY, _value_like, header_scores, level_word, strip_header
from parse.rows import Row, Slot

INF = float("inf")

# -- finding the tables ------------------------------------------------------------------------------

_ENDS = ("project_name", "department", "implementing_unit", "funds_block", "funds_total", "project_attribute",
         "project_period", "signoff")
_TOTAL = regex.compile(r"^(总分|合计|总计|得分合计)")
_NOTE = regex.compile(r"^(注|说明|备注)\s*[:：]")


def _default_title(row: Row) -> bool:
    starts = [s for s in row.starts if squash(s.text)]
    return len(starts) == 1 and len(squash(starts[0].text)) <= 60 and bool(TITLE.search(squash(starts[0].text)))


def find_layout_tables(rows: list[Row], is_title: Callable[[Row], bool] | None = None
                       ) -> dict[int, tuple[list[Row], int]]:
    """Indicator tables of a layout dump: {index of the table's first line: (its lines,
    index after them)}. `rows` are parse/rows.py `document_rows` of the dump as they are
    (not regrouped). Starts as parse/cellstream.py `find_text_tables` starts (a line
    opening with a column header word, two more close after it) where that line has two
    role words side by side, or at a line of three or more header words one of which
    names a level, name or value column outright (绩效目标 | 评价指标 | 绩效内容 | 绩效标准 |
    全年绩效目标), or at two or three lines whose stacked pieces are such a line (一级指 /
    标); the header's wrapped pieces on the lines right above are taken in. Not at a flat
    export's header (项目名称 among the columns: parse/flat_text.py's). Ends where
    find_text_tables ends (a title, a form's header block label, a 总分 line, a note),
    with the 总分 line and its wrapped piece below it taken in."""
    from parse.cellstream import find_text_tables   # (a late import: cellstream is large)

    is_title = is_title or _default_title
    # (a start needs two role words side by side on its line: a form's label wrapped onto
    # lines of its own, 部门（单位 / ）名称, is no table)
    found = {i: j for i, (_h, _rs, j) in find_text_tables(rows, is_title).items()
             if _role_line(rows[i]) or _header_line(rows[i])}
    out: dict[int, tuple[list[Row], int]] = {}
    i, n = 0, len(rows)
    while i < n:
        j = found.get(i)
        if j is None and (_header_line(rows[i]) or _stacked_header(rows, i)) \
                and not _flat_header(rows[max(0, i - 2):i + 3]):
            j = _table_end(rows, i + (_stacked_header(rows, i) or 1) - 1, is_title)
        if j is None:
            i += 1
            continue
        j = _with_total(rows, j)
        start = i
        while start > 0 and i - start < 2 and _header_piece_line(rows[start - 1], rows[start]):
            start -= 1
        if out and start < max(e for _r, e in out.values()):
            start = i
        out[start] = (rows[start:j], j)
        i = j
    return out


def _flat_header(rows: list[Row]) -> bool:
    """The header of a flat export (单位名称 | 项目名称 | 预算数 | … | 一级指标 …): many
    projects in one table, parse/flat_text.py reads it."""
    return any(flat_role(sl.text) in ("project_name", "unit_name") for r in rows for sl in r.starts)


def _with_total(rows: list[Row], j: int) -> int:
    """The table's 总分 line, where it ends on one, and the pieces of its cells wrapped onto
    the line after it go with the table (the lines above it are in it already), so that
    `layout_table` can leave the sum row out whole (90.1 / 总分 100 / 5)."""
    if j >= len(rows) or rows[j].blank:
        return j
    t0 = next((sl.text for sl in rows[j].starts if squash(sl.text)), "")
    if not _TOTAL.match(squash(t0)):
        return j
    k = j + 1
    if k < len(rows) and not rows[k].blank and rows[k].line_no == rows[j].line_no + 1 and _numbers_only(rows[k]):
        k += 1
    return k


def _table_end(rows: list[Row], i: int, is_title) -> int:
    j = i + 1
    while j < len(rows):
        r = rows[j]
        if not r.blank:
            t0 = next((sl.text for sl in r.starts if squash(sl.text)), "")
            lab = header_label(t0)
            if is_title(r) or (lab is not None and lab[0] in _ENDS) or _TOTAL.match(squash(t0)) \
                    or _NOTE.match(squash(t0)):
                break
        j += 1
    return j


def _strong(text: str) -> str | None:
    t = squash(text)
    if not t or len(t) > 16 or header_label(t) is not None or level_word(t) or LABEL_MARK.match(t):
        return None
    sc = header_scores(t)
    hit = [r for r in ("l1", "l2", "name", "value") if sc.get(r, 0.0) >= 3.0]
    return hit[0] if hit else None


def _stacks(lines: list[Row]) -> list[str]:
    """The texts of consecutive lines' fragments stacked where they overlap, top to bottom."""
    frags = sorted(((f.x0, f.x1, k, f.text) for k, r in enumerate(lines) for f in _frags(r)))
    groups: list[list] = []
    for f in frags:
        if groups and f[0] < max(g[1] for g in groups[-1]) + 1:
            groups[-1].append(f)
        else:
            groups.append([f])
    return ["".join(t for _a, _b, _k, t in sorted(g, key=lambda g: (g[2], g[0]))) for g in groups]


def _stacked_header(rows: list[Row], i: int) -> int | None:
    """A header whose every cell wraps (一级指 / 标, 年度指标 / 值, 分 / 值) over two or three
    consecutive lines, none a header line alone: how many lines, if these are one."""
    for n in (3, 2):
        lines = rows[i:i + n]
        if len(lines) < n or any(r.blank or r.page != lines[0].page for r in lines) or \
                any(b.line_no != a.line_no + 1 for a, b in zip(lines, lines[1:])):
            continue
        if any(_header_line(r) or _role_line(r) for r in lines):
            return None
        st = [t for t in _stacks(lines) if squash(t)]
        words = [t for t in st if header_scores(t)]
        if len(words) >= 3 and len(words) >= 0.75 * len(st) and any(_strong(t) for t in st) \
                and not any(level_word(t) or header_label(t) is not None and not header_scores(t) for t in st):
            return n
    return None


def _header_line(row: Row) -> bool:
    """Three or more column header words, one naming a level, name or value column outright,
    and nothing else of weight (no category word, no value)."""
    cells = [sl.text for sl in row.starts if squash(sl.text)]
    # (绩效目标 is a header block's label and a column's header word too)
    if len(cells) < 3 or any((header_label(c) is not None and not header_scores(c)) or level_word(c)
                             for c in cells):
        return False
    words = [c for c in cells if header_scores(c)]
    strong = [c for c in cells if _strong(c)]
    return len(words) >= 3 and len(words) >= 0.75 * len(cells) and bool(strong)


def _header_piece_line(above: Row, header: Row) -> bool:
    """A line right above a header line holding only pieces of its wrapped cells."""
    if above.blank or header.blank or above.page != header.page or above.line_no != header.line_no - 1:
        return False
    cells = [sl for sl in above.starts if squash(sl.text)]
    return bool(cells) and all(_piece_like(sl.text) for sl in cells)


_SENTENCE_MARK = regex.compile(r"[，。；;,!！?？]")


def _piece_like(text: str) -> bool:
    t = squash(text)
    return (0 < len(t) <= 14 and not _SENTENCE_MARK.search(t) and header_label(t) is None and not EMPTY_ROW.match(t)
            and not level_word(t) and not LABEL_MARK.match(t) and not regex.search(r"\d{2,}", t)
            and (bool(header_scores(t)) or column_prefix(t) or not _value_like(t)))


# -- the table's lines -----------------------------------------------------------------------------------

@dataclass
class _Piece:
    text: str
    x0: float
    x1: float
    no: int              # line number in the dump
    page: int
    col: int = -1        # column index (the table's columns)
    whole: bool = False  # a fragment of its own (not cut at a gutter)


@dataclass
class _Cell:
    pieces: list[_Piece]

    @property
    def text(self) -> str:
        return "\n".join(p.text.strip() for p in self.pieces)

    @property
    def top(self) -> int:
        return self.pieces[0].no

    @property
    def bottom(self) -> int:
        return self.pieces[-1].no

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class _Row:
    page: int
    lines: list[int]                                   # line numbers of its pieces
    cells: dict[int, list[_Piece]] = field(default_factory=dict)
    synthetic: bool = False                            # a row only a merged cell showed
    height: int = 1                                    # its tallest cell, in text lines

    @property
    def top(self) -> int:
        return min(self.lines)

    @property
    def bottom(self) -> int:
        return max(self.lines)


def _frags(row: Row) -> list[Slot]:
    return [s for s in row.slots if s.text.strip()]


def _split_header(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """(header lines, the lines after them). The header is the first line naming column
    roles with its wrapped pieces on the lines right above and below it: lines whose
    every piece, stacked with the pieces above and below it, spells a column header."""
    h = next((k for k, r in enumerate(rows) if not r.blank and (_header_line(r) or _role_line(r))), None)
    if h is None:
        k = next((k for k in range(min(len(rows), 4)) if _stacked_header(rows, k)), None)
        if k is None:
            return [], rows
        n = _stacked_header(rows, k)
        return rows[k:k + n], rows[k + n:]
    top = h
    while top > 0 and h - top < 2 and _header_piece_line(rows[top - 1], rows[top]):
        top -= 1
    end = h + 1
    while end < len(rows) and end - h <= 2 and _continues_header(rows[end], rows[end - 1], rows[top:end]):
        end += 1
    # keep the lines above and below only where the stacks they make are header words
    while end > h + 1 and not _stacks_ok(rows[end - 1], rows[top:end]):
        end -= 1
    while top < h and not _stacks_ok(rows[top], rows[top:end]):
        top += 1
    return rows[top:end], rows[end:]


def _stack(piece: Slot, lines: list[Row]) -> str:
    """The piece with the pieces over and under it on the other lines, top to bottom."""
    parts = []
    for r in lines:
        for f in _header_frags(r):
            if _overlap(f.x0, f.x1, piece.x0, piece.x1) > -1:
                parts.append(f.text)
    return squash("".join(parts))


def _stacks_ok(row: Row, lines: list[Row]) -> bool:
    return all(header_scores(t) for t in (_stack(f, lines) for f in _header_frags(row)))


def _role_line(row: Row) -> bool:
    """Two or more cells naming column roles outright (一级指标 | 二级指标 …)."""
    return sum(1 for sl in row.starts if _strong(sl.text)) >= 2


def _continues_header(row: Row, prev: Row, above: list[Row] = ()) -> bool:
    """A line right under a header line whose pieces all stand under pieces of the header's
    lines (指标值 under 年度, 进措施 under 未完成原因及拟采取的改)."""
    if row.blank or prev.blank or row.line_no != prev.line_no + 1 or row.page != prev.page:
        return False
    cells = _frags(row)
    over = [o for h in (*above, prev) for o in _frags(h)]
    return bool(cells) and all(
        _piece_like(sl.text) and any(_overlap(sl.x0, sl.x1, o.x0, o.x1) > -2 for o in over) for sl in cells)


def _data_lines(rows: list[Row], header: list[Row]) -> tuple[list[Row], dict[int, list[Row]]]:
    """The data lines, page furniture left out, and the header as repeated on later pages
    (its lines by page)."""
    out: list[Row] = []
    again: dict[int, list[Row]] = {}
    skip_after: Row | None = None
    total: Row | None = None
    edges = _page_edges(rows)
    for r in rows:
        if r.blank:
            out.append(r)
            continue
        text = squash(r.text(""))
        if (FURNITURE.match(text) and (not text.isdigit() or id(r) in edges)) or PAGE_OF.search(text) \
                or _default_title(r) or regex.fullmatch(r"[(（]\s*\d{4}\s*年度?\s*[)）]", text):
            continue   # (a bare number mid-page is a stacked caption's digit: 产/出/指/标/(/5/0/分/))
        if _TOTAL.match(squash(next((sl.text for sl in r.starts if squash(sl.text)), ""))):
            # the sum row, with its cells' pieces wrapped onto the lines right around it
            while out and not out[-1].blank and out[-1].line_no == r.line_no - 1 and _numbers_only(out[-1]):
                out.pop()
            skip_after = None
            total = r
            continue
        if total is not None and r.line_no == total.line_no + 1 and _numbers_only(r):
            continue
        total = None
        if header and (_header_line(r) or _role_line(r)):
            skip_after = r
            lines = again.setdefault(r.page, [])
            # the header's pieces right above it
            while out and not out[-1].blank and _header_piece_line(out[-1], r):
                lines.insert(0, out.pop())
            lines.append(r)
            continue
        if skip_after is not None and _continues_header(r, skip_after, again.get(r.page, [])):
            skip_after = r
            again[r.page].append(r)
            continue
        skip_after = None
        out.append(r)
    return out, again


def _numbers_only(row: Row) -> bool:
    return bool(row.starts) and all(regex.fullmatch(r"[\d.%％]+", squash(sl.text)) for sl in row.starts)


def _header_frags(row: Row) -> list[Slot]:
    """A header line's pieces; one holding several header words set a single space apart
    (一级指标 二级指标, 年度指标值 实际完成值 分值) is split into them."""
    out = []
    for f in _frags(row):
        ms = list(regex.finditer(r"\S+", f.text))
        if len(ms) >= 2 and all(header_scores(m.group()) or column_prefix(m.group()) for m in ms):
            out.extend(Slot(m.group(), f.x0 + m.start(), f.x0 + m.end(), True) for m in ms)
        else:
            out.append(f)
    return out


def _page_edges(rows: list[Row]) -> set[int]:
    """ids of the first and last non-blank lines of each page (where page numbers stand)."""
    firsts: dict[int, Row] = {}
    lasts: dict[int, Row] = {}
    for r in rows:
        if not r.blank:
            firsts.setdefault(r.page, r)
            lasts[r.page] = r
    return {id(r) for r in (*firsts.values(), *lasts.values())}


# -- columns ----------------------------------------------------------------------------------------------

def _words(frag: Slot) -> list[tuple[int, int]]:
    """Character ranges of the fragment's words (runs between single spaces)."""
    x0 = int(round(frag.x0))
    return [(x0 + m.start(), x0 + m.end()) for m in regex.finditer(r"\S+", frag.text)]


def _solid_words(frag: Slot) -> list[tuple[int, int]]:
    """Its words that mark where columns stand: a template row's dots (……) may stand
    anywhere in a merged cell."""
    x0 = int(round(frag.x0))
    return [(x0 + m.start(), x0 + m.end()) for m in regex.finditer(r"\S+", frag.text)
            if not EMPTY_ROW.match(m.group())]


def _gutters(lines: list[Row]) -> list[tuple[int, int]]:
    """Character ranges no data character covers, between the leftmost and rightmost
    character; a one-character one only where some line has two fragments on its sides."""
    occ = _occupancy(lines)
    if not occ:
        return []
    lo, hi = min(occ), max(occ)
    holes: list[tuple[int, int]] = []
    x = lo
    while x <= hi:
        if x not in occ:
            s = x
            while x not in occ:
                x += 1
            holes.append((s, x))
        else:
            x += 1
    out = [(a, b) for a, b in holes if b - a >= 2 or _separate_evidence(lines, a)]
    return _merge_runs(out + _soft_gutters(lines, occ) + _cuts(lines, occ))


def _cuts(lines: list[Row], occ: dict[int, int]) -> list[tuple[int, int]]:
    """Gutters no character wide: a place no word runs over, with characters right on both
    sides of it, where some line has two fragments meeting (the l2 column's 指标) and the
    names right after it, 指标2：, a page where their columns touch)."""
    words = [w for r in lines for f in _frags(r) for w in _solid_words(f)]
    over: set[int] = set()
    for a, b in words:
        over.update(range(a + 1, b))
    lo, hi = min(occ), max(occ)
    out = []
    for x in range(lo + 1, hi + 1):
        if x in over or not occ.get(x - 1) or not occ.get(x):
            continue
        if _meet_evidence(lines, x):
            out.append((x, x))
    return out


def _meet_evidence(lines: list[Row], x: int, near: int = 3) -> bool:
    for r in lines:
        fr = _frags(r)
        for f, g in zip(fr, fr[1:]):
            if x - near <= f.x1 <= x <= g.x0 <= x + near:
                return True
    return False


def _soft_gutters(lines: list[Row], occ: dict[int, int]) -> list[tuple[int, int]]:
    """Stretches three or more characters wide that at most one line's text covers, between
    columns of two or more: one line's cells set a single space apart run over the gutter
    (社会效益指标 受益人口数量). Not where a whole word stands inside (a column of one cell)."""
    lo, hi = min(occ), max(occ)
    words = [w for r in lines for f in _frags(r) for w in _solid_words(f)]
    out = []
    x = lo
    while x <= hi:
        if occ.get(x, 0) <= 1:
            s = x
            while x <= hi and occ.get(x, 0) <= 1:
                x += 1
            if x <= hi and s > lo and x - s >= 3 and any(occ.get(v, 0) == 1 for v in range(s, x)) \
                    and not any(s <= a and b <= x for a, b in words):
                out.append((s, x))
        else:
            x += 1
    return out


def _merge_runs(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(runs):
        if out and a <= out[-1][1] and not (a == b == out[-1][1]):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _separate_evidence(lines: list[Row], h: int, near: int = 3) -> bool:
    """Some line has two fragments on the two sides of the hole, one of them ending or
    starting right at it."""
    for r in lines:
        fr = _frags(r)
        for f, g in zip(fr, fr[1:]):
            if f.x1 <= h < g.x0 and (f.x1 >= h - near or g.x0 <= h + 1 + near):
                return True
    return False


def _columns_between(gutters: list[tuple[int, int]], lines: list[Row]) -> list[tuple[float, float]]:
    """Column ranges: the occupied stretches between gutters."""
    xs = [x for r in lines for f in _frags(r) for a, b in _solid_words(f) for x in (a, b)]
    if not xs:
        return []
    lo, hi = min(xs), max(xs)
    gutters = [g for g in gutters if not _bridged(g, gutters, lines)]
    edges = [lo] + [v for g in gutters for v in g] + [hi]
    return [(float(edges[k]), float(edges[k + 1])) for k in range(0, len(edges), 2)]


def _bridged(g: tuple[int, int], gutters: list[tuple[int, int]], lines: list[Row]) -> bool:
    """A gutter one side of which never stands alone: every fragment with words on that
    side (up to the next gutter) runs on over the gutter (指标 | 4：…, one line's 指标 a
    space before its number): no gutter, a space inside cells."""
    left = max((b for _a, b in gutters if b <= g[0]), default=-10 ** 6)
    right = min((a for a, _b in gutters if a >= g[1]), default=10 ** 6)
    lhs = rhs = 0
    lone_l = lone_r = False
    for r in lines:
        for f in _frags(r):
            ws = _solid_words(f)
            on_l = any(left <= a and b <= g[0] for a, b in ws)
            on_r = any(g[1] <= a and b <= right for a, b in ws)
            lhs += on_l
            rhs += on_r
            lone_l |= on_l and not on_r
            lone_r |= on_r and not on_l
    return (lhs > 0 and not lone_l) or (rhs > 0 and not lone_r)


def _occupancy(lines: list[Row]) -> dict[int, int]:
    occ: dict[int, int] = {}
    for r in lines:
        for f in _frags(r):
            for a, b in _solid_words(f):
                for x in range(a, b):
                    occ[x] = occ.get(x, 0) + 1
    return occ


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _nearest(cols: list[tuple[float, float]], x0: float, x1: float, slack: float = 3.0) -> int | None:
    """The column a range overlaps most, else the nearest within `slack` characters."""
    best, best_ov = None, -INF
    for k, (c0, c1) in enumerate(cols):
        ov = _overlap(x0, x1, c0, c1)
        if ov > best_ov:
            best, best_ov = k, ov
    if best is None or best_ov < -slack:
        return None
    return best


def _split_crowded(cols: list[tuple[float, float]], lines: list[Row]) -> list[tuple[float, float]]:
    """A column holds one cell a line: where a line has two fragments (two or more spaces
    apart) inside one column, the page's columns touched there (a continuation page
    without a header, 服务对象满意 指标2：… run together on one line): split it between them,
    at the cheapest place (`_best_cut`)."""
    cols = list(cols)
    for _ in range(len(cols) + 4):
        crowded = None
        for k, (c0, c1) in enumerate(cols):
            pairs = []
            for r in lines:
                inside = [f for f in _frags(r) if c0 <= (f.x0 + f.x1) / 2 < c1]
                pairs.extend(zip(inside, inside[1:]))
            if pairs:
                crowded = (k, pairs)
                break
        if crowded is None:
            break
        k, pairs = crowded
        c0, c1 = cols[k]
        lo = max(int(f.x1) for f, _g in pairs)
        hi = min(int(g.x0) for _f, g in pairs)
        if hi < lo:
            lo, hi = min(int(f.x1) for f, _g in pairs), max(int(g.x0) for _f, g in pairs)
        a = Slot("", lo, lo, True)
        b = Slot("", hi, hi, True)
        cut = _best_cut(lines, a, b, c0, c1)
        if not (c0 < cut < c1):
            break
        cols[k:k + 1] = [(c0, float(cut)), (float(cut), c1)]
    return cols


def _extent(cols: list[tuple[float, float]], k: int) -> tuple[float, float]:
    """Where column k's cells stand: from the middle of the gutter on its left to the
    middle of the one on its right (two characters past the outer columns)."""
    left = (cols[k - 1][1] + cols[k][0]) / 2 if k > 0 else cols[0][0] - 2.0
    right = (cols[k][1] + cols[k + 1][0]) / 2 if k + 1 < len(cols) else cols[-1][1] + 2.0
    return left, right


def _home(cols: list[tuple[float, float]], x0: float, x1: float) -> int | None:
    """The column a header piece stands over: the one whose cells' stretch holds its centre."""
    mid = (x0 + x1) / 2
    for k in range(len(cols)):
        lo, hi = _extent(cols, k)
        if lo <= mid < hi:
            return k
    return None


def _shift(groups: dict[int, list[Slot]], cols: list, forced: dict, k: int, piece: Slot, step: int) -> bool:
    """A header word with nothing under it in its column goes to the next column that way
    (right: a table's left columns may have no header, a caption's); the words of the
    columns in between move on one column each, up to a column with no word of this line
    (pdftotext sets a short header line's words off from the data's columns)."""
    m = k + step
    while 0 <= m < len(cols) and len(groups.get(m, ())) == 1:
        m += step
    if not (0 <= m < len(cols)) or groups.get(m):
        return False
    j = m
    while j != k + step:
        (moved,) = groups[j - step]
        forced[id(moved)] = cols[j]
        j -= step
    forced[id(piece)] = cols[k + step]
    return True


def _best_cut(lines: list[Row], a: Slot, b: Slot, c0: float, c1: float) -> int:
    """Where to split column (c0, c1) between header words a and b, the cheapest place:
    a fragment cut at a space costs 1, one cut inside a word 2 and the characters on the
    smaller side; two fragments of one line left on one side cost 3 (a column holds one
    cell a line); a side with nothing costs 3; ties go right after a character column
    nothing stands in, then nearest the middle between the words."""
    frags = [[(f.x0, f.x1, _solid_words(f)) for f in _frags(r) if _overlap(f.x0, f.x1, c0, c1) > 0] for r in lines]
    frags = [fs for fs in frags if fs]
    used = {x for fs in frags for _a, _b, ws in fs for u, v in ws for x in range(u, v)}
    lo, hi = int(math.ceil((a.x0 + a.x1) / 2)), int((b.x0 + b.x1) / 2)
    mid = (a.x1 + b.x0) / 2

    def key(x):
        cost = 0.0
        left = right = 0
        for fs in frags:
            sides = []
            for f0, f1, ws in fs:
                if f0 < x < f1:
                    inside = [min(x - u, v - x) for u, v in ws if u < x < v]
                    cost += 2 + inside[0] if inside else 1
                    sides.append(0 if sum(max(0, min(v, x) - u) for u, v in ws) >= (f1 - f0) / 2 else 1)
                else:
                    sides.append(0 if f1 <= x else 1)
            left += sides.count(0)
            right += sides.count(1)
            cost += 3 * (max(0, sides.count(0) - 1) + max(0, sides.count(1) - 1))
        if not left or not right:
            cost += 3
        return (cost, (x - 1) in used, abs(x - mid))
    return min(range(lo, max(lo, hi) + 1), key=key)


def _refine_with_header(cols: list[tuple[float, float]], header: list[Row], lines: list[Row]
                        ) -> tuple[list[tuple[float, float]], list[tuple[float, float]], list[tuple[Row, Slot, int]]]:
    """Header words name the columns: each stands over the column whose cells' stretch
    holds its centre. Two of one line over one column split it at the fewest characters
    between them; where none stand on one side (a column empty on this page), that word
    goes to the neighbouring column if no word of its line has it, else makes an empty
    column of its own; so does a word past the outer columns. Returns the columns, those
    of them that hold data, and (header line, piece, column) for every header piece."""
    cols = [[c0, c1, True] for c0, c1 in cols]
    forced: dict[int, list] = {}           # id(piece) -> the column (list object) it goes to

    def plain():
        return [(c[0], c[1]) for c in cols]

    def where(p):
        if id(p) in forced:
            return next(k for k, c in enumerate(cols) if c is forced[id(p)])
        return _home(plain(), p.x0, p.x1)

    frags = {id(h): _header_frags(h) for h in header}   # (once: `forced` keys on the pieces)
    for h in header:
        pieces = sorted(frags[id(h)], key=lambda f: f.x0)
        for _ in range(2 * len(pieces) + 2):
            groups: dict[int, list[Slot]] = {}
            for p in pieces:
                k = where(p)
                if k is not None:
                    groups.setdefault(k, []).append(p)
            split = next(((k, ps) for k, ps in sorted(groups.items()) if len(ps) >= 2), None)
            if split is None:
                break
            k, (a, b, *_rest) = split
            c0, c1, has = cols[k]
            cut = _best_cut(lines, a, b, c0, c1)
            if has and cut <= c0:          # nothing under a: the column before, if no word has it
                if k > 0 and k - 1 not in groups:
                    forced[id(a)] = cols[k - 1]
                else:
                    cols.insert(k, [a.x0, min(a.x1, c0 - 0.5), False])
                    forced[id(a)] = cols[k]
            elif has and cut >= c1 - 1:    # nothing under b
                if not _shift(groups, cols, forced, k, b, +1):
                    cols.insert(k + 1, [max(b.x0, c1 + 0.5), b.x1, False])
                    forced[id(b)] = cols[k + 1]
            elif has:
                cols[k:k + 1] = [[c0, float(cut), True], [float(cut) + 1, c1, True]]
            else:                          # an empty column under two words: one each
                cols.insert(k + 1, [max(b.x0, c1 + 0.5), b.x1, False])
                forced[id(b)] = cols[k + 1]
    for h in header:
        for p in frags[id(h)]:
            if where(p) is None:
                cols.append([p.x0, p.x1, False])
                forced[id(p)] = cols[-1]
                cols.sort(key=lambda c: c[0])
    placed = [(h, p, where(p)) for h in header for p in frags[id(h)]]
    final = [(c[0], c[1]) for c in cols]
    return _disjoint(final), _disjoint([(c[0], c[1]) for c in cols if c[2]]), placed


def _disjoint(cols: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for c0, c1 in cols:
        if out and c0 < out[-1][1]:
            p0, p1 = out[-1]
            if c1 <= p1:
                continue        # inside the one before
            c0 = p1
        out.append((c0, c1))
    return out


_CAPTION = regex.compile(r"^(?:年度|当年)?绩效(?:指标|目标)$")


def _features(pieces: list[_Piece]) -> tuple[float, ...]:
    """What a column's pieces on one page look like: shares of category words (or their
    pieces), values, bare numbers, single characters, opening marks; the mean width; and
    of its pieces joined down the lines, the shares of category words and of captions
    (绩/效/指/标 stacked)."""
    t = [x for x in (squash(p.text) for p in pieces) if x]
    if not t:
        return (0.0,) * 8
    n = len(t)
    stacks = [squash(c.text) for c in _merged_cells(pieces, set())]
    return (sum(1 for x in t if level_word(x) or _CORE.match(x)) / n,
            sum(1 for x in t if _value_like(x) and not (level_word(x) or _CORE.match(x))) / n,
            sum(1 for x in t if _BARE.match(x)) / n,
            sum(1 for x in t if len(x) == 1) / n,
            sum(1 for x in t if _MARK.match(x)) / n,
            min(1.0, sum(_width(x) for x in t) / n / 12),
            sum(1 for x in stacks if level_word(x)) / len(stacks),
            sum(1 for x in stacks if _CAPTION.match(strip_header(x))) / len(stacks))


def _align(ref: list[tuple[float, tuple]], cols: list[tuple[float, tuple]], new: float = 4.0
           ) -> tuple[list[int | None], float]:
    """Another page's columns onto the table's, in order, each to a column of its own, by
    what they hold and where they stand across the page ((position 0..1, features) each).
    pdftotext sets each page's characters by its own lines, so positions alone do not
    carry over. None: a column only that page has."""
    P, C = len(cols), len(ref)

    def dist(i, j):
        (xa, fa), (xb, fb) = cols[i], ref[j]
        return 2.0 * abs(xa - xb) + sum(abs(u - v) for u, v in zip(fa, fb))

    # a column of the table this page leaves unmatched costs a little (it may be empty here)
    miss = [0.5 if any(f) else 0.0 for _x, f in ref]

    best = [[INF] * (C + 1) for _ in range(P + 1)]
    back: list[list[tuple | None]] = [[None] * (C + 1) for _ in range(P + 1)]
    best[0][0] = 0.0
    for i in range(P + 1):
        for j in range(C + 1):
            v = best[i][j]
            if v == INF:
                continue
            if j < C and v + miss[j] < best[i][j + 1]:
                best[i][j + 1], back[i][j + 1] = v + miss[j], ("skip",)
            if i < P and v + new < best[i + 1][j]:
                best[i + 1][j], back[i + 1][j] = v + new, ("new",)
            if i < P and j < C:
                d = dist(i, j)
                if v + d < best[i + 1][j + 1]:
                    best[i + 1][j + 1], back[i + 1][j + 1] = v + d, ("match",)
    out: list[int | None] = [None] * P
    i, j = P, C
    while i > 0 or j > 0:
        info = back[i][j]
        if info[0] == "skip":
            j -= 1
        elif info[0] == "new":
            i -= 1
        else:
            i, j = i - 1, j - 1
            out[i] = j
    return out, best[P][C]


def _fill_in(ref_desc: list[tuple[float, tuple]], ref_has: list[bool], cols: list[tuple[float, float]],
             lines: list[Row]) -> list[tuple[float, float]]:
    """A later page's columns where two of the table's touch on it (a 二级指标 label run into
    the names, a page without a header to tell them apart): while the page has fewer
    columns than the table has columns of data, the page column whose split (at the
    cheapest place, `_best_cut`) brings the page's columns closest to the table's is
    split, if that brings them closer."""
    def desc(cs):
        by: dict[int, list[_Piece]] = {}
        for r in lines:
            for p in _pieces(r, cs, list(range(len(cs)))):
                by.setdefault(p.col, []).append(p)
        return [(x, _features(by.get(k, []))) for k, x in enumerate(_positions(cs, cs))]

    cost = _align(ref_desc, desc(cols))[1]
    while len(cols) < sum(ref_has):
        best = None
        for i, (c0, c1) in enumerate(cols):
            if c1 - c0 < 3:
                continue
            cut = _best_cut(lines, Slot("", c0 + 1, c0 + 1, True), Slot("", c1 - 1, c1 - 1, True), c0, c1)
            if not (c0 < cut < c1):
                continue
            trial = cols[:i] + [(c0, float(cut)), (float(cut), c1)] + cols[i + 1:]
            c = _align(ref_desc, desc(trial))[1]
            if best is None or c < best[0]:
                best = (c, trial)
        if best is None or best[0] >= cost - 0.05:
            break
        cost, cols = best
    return cols


def _positions(cols: list[tuple[float, float]], data: list[tuple[float, float]]) -> list[float]:
    """Column centres on a 0..1 scale between the page's first and last data column."""
    lo = min(c[0] for c in data) if data else min(c[0] for c in cols)
    hi = max(c[1] for c in data) if data else max(c[1] for c in cols)
    return [((c0 + c1) / 2 - lo) / max(hi - lo, 1.0) for c0, c1 in cols]


# -- pieces ------------------------------------------------------------------------------------------------

def _pieces(line: Row, cols: list[tuple[float, float]], index: list[int]) -> list[_Piece]:
    """The line's fragments cut at the column boundaries (at a space) and given to columns."""
    out: list[_Piece] = []
    for f in _frags(line):
        words = _words(f)
        x0 = int(round(f.x0))
        groups: dict[int, list[tuple[int, int]]] = {}
        prev = None
        for a, b in words:
            k = _nearest(cols, a, b, slack=0.0)
            if k is None or _overlap(a, b, *cols[k]) <= 0:
                # a word in a gutter goes on with the cell of the word before it
                k = prev if prev is not None else _nearest(cols, a, b, slack=INF)
            groups.setdefault(k, []).append((a, b))
            prev = k
        if len(groups) > 1:
            # a word that straddles a boundary goes where most of it stands; the cut falls
            # between words only
            for k, ws in sorted(groups.items(), key=lambda kv: kv[1][0][0]):
                a, b = ws[0][0], ws[-1][1]
                out.append(_Piece(f.text[a - x0:b - x0], float(a), float(b), line.line_no, line.page, index[k]))
        else:
            k = next(iter(groups))
            out.append(_Piece(f.text.strip(), f.x0, f.x1, line.line_no, line.page, index[k], whole=True))
    # two pieces of one line in one column: one cell
    merged: list[_Piece] = []
    for p in out:
        if merged and merged[-1].col == p.col:
            q = merged[-1]
            merged[-1] = _Piece(q.text + " " + p.text, q.x0, p.x1, q.no, q.page, q.col)
        else:
            merged.append(p)
    return merged


def _split_known_tails(pieces: list[_Piece]) -> list[_Piece]:
    """A cell run on into the next column's with one space, where that column's cells touch
    it on this line (…建设工 按国家标准): when the words at the end spell a cell that stands
    on its own in a column further right, on a line of its own column's, they are that
    column's cell on this line (if it has none)."""
    alone: dict[str, set[int]] = {}
    for p in pieces:
        if p.whole and len(squash(p.text)) >= 2:
            alone.setdefault(squash(p.text), set()).add(p.col)
    taken = {(p.no, p.col) for p in pieces}
    out: list[_Piece] = []
    for p in pieces:
        words = p.text.split(" ")
        done = False
        for k in range(1, len(words)):
            tail = squash(" ".join(words[k:]))
            cols = sorted(c for c in alone.get(tail, ()) if c > p.col and (p.no, c) not in taken)
            if cols and squash(" ".join(words[:k])):
                head = " ".join(words[:k])
                out.append(_Piece(head, p.x0, p.x0 + len(head), p.no, p.page, p.col))
                out.append(_Piece(" ".join(words[k:]), p.x0 + len(head) + 1, p.x1, p.no, p.page, cols[0]))
                taken.add((p.no, cols[0]))
                done = True
                break
        if not done:
            out.append(p)
    return out


# -- column kinds ----------------------------------------------------------------------------------------

_MARK = regex.compile(r"^\s*(?:[*★☆※](?![*★☆※])|(?:指标|目标)\s*\d+|其中|\d{1,2}\s*[、.．](?!\d)|[(（]\s*\d{1,2}\s*[)）]"
                      r"|[.…。·]{2,}\s*$)")
_LABEL_CELL = regex.compile(r"^(?:(?:指标|目标)\s*\d+\s*[:：]?|\d{1,3})$")
_CONTINUES = regex.compile(r"[、，,；;（(：:和及与或的]$")
VALUE_ROLES = ("value", "actual", "value_long", "weight", "score", "op", "unit")


def _width(text: str) -> float:
    """Printed width in full-width characters (Latin letters and digits are half)."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text.strip())


@dataclass
class _Kinds:
    name: int | None
    merged: list[int]           # columns of merged cells, nearest the names first
    valuey: set[int]            # columns of values (no wrapping expected)
    widths: dict[int, float]    # a column's wrap width (its widest pieces)


def _kinds(ncols: int, heads: dict[int, list[str]], pieces: list[_Piece]) -> _Kinds:
    by: dict[int, list[str]] = {k: [] for k in range(ncols)}
    for p in pieces:
        by[p.col].append(p.text)
    name = None
    named = [k for k in range(ncols) if any(header_scores(h).get("name", 0) >= 3.0 for h in heads.get(k, []))
             and not any(header_scores(h).get(r, 0) >= 3.0 for h in heads.get(k, []) for r in ("l1", "l2"))]
    if named:
        name = max(named, key=lambda k: sum(_width(t) for t in by[k]))
    else:
        cands = [k for k in range(ncols) if by[k] and _level_share(by[k]) < 0.5 and _value_share(by[k]) < 0.5
                 and not _label_column(by[k])]
        if cands:
            name = max(cands, key=lambda k: sum(_width(t) for t in by[k]) / max(1, len(by[k])) + 0.1 * len(by[k]))
    merged = []
    if name is not None:
        for k in range(name - 1, -1, -1):
            if by[k] and _label_column(by[k]):
                continue
            merged.append(k)
    valuey = {k for k in range(ncols) if k != name and k not in merged and by[k]
              and (_value_share(by[k]) >= 0.5 or any(header_scores(h).get(r, 0) >= 3.0 for h in heads.get(k, [])
                                                     for r in VALUE_ROLES))}
    widths = {}
    for k in range(ncols):
        widths[k] = max((_width(t) for t in by[k]), default=1.0)
    return _Kinds(name, merged, valuey, widths)


def _level_share(texts: list[str]) -> float:
    return sum(1 for t in texts if level_word(t)) / len(texts) if texts else 0.0


def _value_share(texts: list[str]) -> float:
    return sum(1 for t in texts if _value_like(t) or _BARE.match(squash(t))) / len(texts) if texts else 0.0


def _label_column(texts: list[str]) -> bool:
    t = [squash(x) for x in texts if squash(x)]
    return bool(t) and sum(1 for x in t if _LABEL_CELL.match(x)) >= 0.8 * len(t)


# -- rows ---------------------------------------------------------------------------------------------------

_TAIL = regex.compile(r"^(?:[月日底前之以内后年元万亿千百个次人户件项期批套台%％/）)、，,。；;]|分钟|小时)")


def _complete_value(text: str) -> bool:
    """A whole value (not the rest of one wrapped: 月底前, 元, %)."""
    t = squash(text)
    return bool(t) and (_value_like(t) or bool(_BARE.match(t))) and not (is_unit(t) and not t[0].isdigit()) \
        and not _TAIL.match(t) and not OPERATOR_ONLY.match(t)


def _join_cost(p: _Piece, q: _Piece, col: int, kinds: _Kinds, blank: set[int]) -> float:
    """Cost of reading q (a line below p, same column) as the rest of p's cell."""
    if _MARK.match(q.text) or EMPTY_ROW.match(squash(p.text)):
        return INF
    gap = q.no - p.no
    cost = 0.0
    if any(n in blank for n in range(p.no + 1, q.no)):
        cost += 1.5
    if gap > 2:
        cost += 2.0 * (gap - 2)
    full = _width(p.text) / max(kinds.widths.get(col, 1.0), 1.0)
    if col in kinds.valuey:
        if OPERATOR_ONLY.match(squash(p.text)):
            return cost + 0.1      # 不低于 / 75%: an operator wrapped away from its number
        # a value rarely wraps: a whole value on the line below is the next row's, unless
        # the line above ran full or breaks off (、，)
        if _complete_value(q.text) and len(squash(q.text)) > 2 and not _CONTINUES.search(p.text.strip()):
            if full < 0.8:
                return cost + 4.0
            if _complete_value(p.text):
                return cost + 2.0
        return cost + 0.3
    if _CONTINUES.search(p.text.strip()):
        return cost + 0.1
    return cost + (0.1 if full >= 0.8 else 0.7 if full >= 0.6 else 1.8)


_TEMPLATE = regex.compile(r"^(?:[*★☆]*(?:指标|目标)\d+[:：]?|[.…。·]+)$")


def _group_cost(lines: list[tuple[int, dict[int, _Piece]]], kinds: _Kinds, blank: set[int],
                row_cols: list[int]) -> float:
    """Cost of reading these lines as one row (see the module docstring)."""
    cost = 0.0
    has_name = has_value = False
    centres = []
    for c in row_cols:
        ps = [pcs[c] for _no, pcs in lines if c in pcs]
        if not ps:
            continue
        if c == kinds.name:
            has_name = True
        if c in kinds.valuey:
            has_value = True
        for p, q in zip(ps, ps[1:]):
            cost += _join_cost(p, q, c, kinds, blank)
            if cost == INF:
                return INF
        centres.append((ps[0].no + ps[-1].no) / 2)
    # every cell centred on the row: on the cells' common centre (a half line of slack)
    centres.sort()
    mid = centres[len(centres) // 2] if centres else 0.0
    cost += sum(max(0.0, abs(c - mid) - 0.5) for c in centres)
    if kinds.name is not None and not has_name:
        cost += 2.5
    names = [pcs[kinds.name].text for _no, pcs in lines if kinds.name in pcs]
    template = bool(names) and all(_TEMPLATE.match(squash(t)) for t in names)
    if template:
        cost += 1.0 if has_value else 0.0   # an empty template row (指标3：, ……) has no value
    elif kinds.valuey and not has_value:
        cost += 1.2
    return cost


def _segment(lines: list[tuple[int, dict[int, _Piece]]], kinds: _Kinds, blank: set[int],
             row_cols: list[int], max_lines: int = 9) -> list[list[tuple[int, dict[int, _Piece]]]]:
    """Cut a page's lines into rows, the cheapest way."""
    n = len(lines)
    best = [INF] * (n + 1)
    back = [0] * (n + 1)
    best[0] = 0.0
    for e in range(1, n + 1):
        for s in range(max(0, e - max_lines), e):
            if best[s] == INF:
                continue
            c = _group_cost(lines[s:e], kinds, blank, row_cols)
            if best[s] + c < best[e]:
                best[e], back[e] = best[s] + c, s
    return _segments(lines, back)


def _segments(lines: list, back: list[int]) -> list[list]:
    """The groups a segmentation's back pointers give (back[e]: where the group ending
    before e starts), in order."""
    out = []
    e = len(lines)
    while e > 0:
        s = back[e]
        out.append(lines[s:e])
        e = s
    return out[::-1]


# -- merged cells -----------------------------------------------------------------------------------------

_CORE = regex.compile(r"^(?:投入|产出|效益|效果|满意度|成本|数量|质量|时效|经济|社会|生态|环境|可持续|服务对象|项目|过程|管理|决策)")


def _merged_cells(pieces: list[_Piece], blank: set[int]) -> list[_Cell]:
    """A merged column's pieces joined down the lines into cells."""
    cells: list[_Cell] = []
    for p in sorted(pieces, key=lambda p: p.no):
        if cells:
            c = cells[-1]
            last = c.pieces[-1]
            acc = squash("".join(x.text for x in c.pieces))
            gap = p.no - last.no
            done = bool(level_word(acc)) and _ends_word(acc)
            new = (gap > 3 or (gap > 2 and any(n in blank for n in range(last.no + 1, p.no)))
                   or EMPTY_ROW.match(squash(p.text)) or EMPTY_ROW.match(acc)
                   or (done and _CORE.match(squash(p.text)))
                   # a complete word, then a piece a line or more below: another cell, unless
                   # the piece is its annotation (经济效益指标 / （选填）)
                   or (gap > 1 and done and not regex.match(r"[(（]", squash(p.text))))
            if not new:
                c.pieces.append(p)
                continue
        cells.append(_Cell([p]))
    return cells


def _ends_word(acc: str) -> bool:
    """A category word complete (数量指标, 产出指标(50分), 效益指标（选填）)."""
    t = strip_header(acc)
    return bool(regex.search(r"(?:指标|目标)$", t)) or bool(regex.search(r"[)）]$", acc)) or t in ("投入", "产出")


GAP = 0.6   # the space between two rows' texts, in text lines (padding and rule)


def _heights(rows: list[_Row]) -> tuple[list[float], list[float]]:
    """Where the rows stand on the page, in text lines, from their own heights: pdftotext
    gives lines to every baseline of every column, so line numbers stretch where merged
    cells wrap. Returns each row's top and centre."""
    tops, centres = [], []
    y = 0.0
    for r in rows:
        tops.append(y)
        centres.append(y + r.height / 2)
        y += r.height + GAP
    return tops, centres


def _phys(rows: list[_Row], centres: list[float], line: float) -> float:
    """A line number as a position on that scale, between the rows around it."""
    mids = [(r.top + r.bottom) / 2 for r in rows]
    if line <= mids[0]:
        return centres[0] - (mids[0] - line)
    for k in range(len(rows) - 1):
        if mids[k] <= line <= mids[k + 1]:
            if mids[k + 1] == mids[k]:
                return centres[k]
            return centres[k] + (line - mids[k]) / (mids[k + 1] - mids[k]) * (centres[k + 1] - centres[k])
    return centres[-1] + (line - mids[-1])


def _assign_blocks(cells: list[_Cell], rows: list[_Row], numbers: list[int | None] | None = None,
                   edges: tuple[set[int], set[int]] | None = None, carried: bool = False,
                   lam: float = 1.2, mu: float = 2.0) -> list[tuple[int, int] | None]:
    """Each cell the block of consecutive rows (s, e) it stands centred on, in order,
    or None (a cell with no row). Rows may be left to no cell at a cost each. Centres are
    compared on the rows' own scale (`_heights`). numbers: the 指标N label of each row's
    name, where the names are numbered: the numbering starts again in each block, so a
    block opening on 指标2 or holding a 指标1 after its first row costs one. edges: (rows
    a block may start on, rows it may end on), as ids: an outer level's cells hold whole
    cells of the level inside it. carried: a cell of this column goes on from the page
    before, so the rows above the first cell cost little to leave (they continue it)."""
    n, K = len(rows), len(cells)
    starts = [edges is None or id(r) in edges[0] for r in rows]
    ends = [edges is None or id(r) in edges[1] for r in rows]
    numbers = numbers or [None] * n
    ones = [0] * (n + 1)            # prefix counts of rows labelled 1 (not opening a cell inside)
    for i, v in enumerate(numbers):
        ones[i + 1] = ones[i] + (v == 1 and (edges is None or id(rows[i]) not in edges[0]))
    tops, mids = _heights(rows)
    where = [_phys(rows, mids, c.centre) for c in cells]
    # best[k][i]: cells < k placed, rows < i used up
    best = [[INF] * (n + 1) for _ in range(K + 1)]
    back: list[list[tuple | None]] = [[None] * (n + 1) for _ in range(K + 1)]
    best[0][0] = 0.0

    def relax(k, i, v, info):
        if v < best[k][i] - 1e-9:
            best[k][i] = v
            back[k][i] = info

    for k in range(K + 1):
        for i in range(n + 1):
            v = best[k][i]
            if v == INF:
                continue
            if i < n:
                relax(k, i + 1, v + (0.1 if carried and k == 0 else lam), ("skip",))
            if k < K:
                c = cells[k]
                # a category word with no row at all is rarer than one set off centre
                relax(k + 1, i, v + (4 * mu if level_word(c.text) else mu), ("none",))
                if i < n and not starts[i]:
                    continue
                for e in range(i, n):
                    if not ends[e]:
                        continue
                    if rows[i].top > c.bottom + 0.5:
                        break
                    if rows[e].bottom < c.top - 0.5:
                        continue
                    span = tops[e] + rows[e].height - tops[i]
                    dev = abs(tops[i] + span / 2 - where[k])
                    # (capped: a label set at the top of its cell, as Word may, still gets it)
                    cost = min(4.0, 2.0 * max(0.0, dev - 0.5 - 0.03 * span)) + 0.1 * min(dev, 10.0)
                    cost += 1.0 * ((numbers[i] or 1) > 1) + 1.0 * (ones[e + 1] - ones[i + 1])
                    relax(k + 1, e + 1, v + cost, ("block", i, e))
    out: list[tuple[int, int] | None] = [None] * K
    k, i = K, n
    while k > 0 or i > 0:
        info = back[k][i]
        if info is None:
            break
        if info[0] == "skip":
            i -= 1
        elif info[0] == "none":
            k -= 1
            out[k] = None
        else:
            _, s0, e = info
            k -= 1
            out[k] = (s0, e)
            i = s0
    return out


_NUMBERED = regex.compile(r"^\s*[*★☆]*\s*指标\s*(\d+)")


def _numbers(rows: list[_Row], name: int | None) -> list[int | None] | None:
    """The 指标N number each row's name opens with, if two or more rows' names have one."""
    out: list[int | None] = []
    for r in rows:
        ps = r.cells.get(name) if name is not None else None
        m = _NUMBERED.match(ps[0].text) if ps else None
        out.append(int(m.group(1)) if m else None)
    return out if sum(v is not None for v in out) >= 2 else None


# -- the table ---------------------------------------------------------------------------------------------

def layout_table(rows: list[Row]) -> GridTable | None:
    """The lines of one indicator table of a layout dump (header line(s) first, then
    the data lines) -> a GridTable of rebuilt cells, or None if no rows are found."""
    header, rest = _split_header(rows)
    data, again = _data_lines(rest, header)
    content = [r for r in data if not r.blank]
    if not content:
        return None
    blank = {r.line_no for r in data if r.blank}
    pages = sorted({r.page for r in content})
    first = pages[0] if not header else header[0].page
    if first not in pages:
        pages = [first] + pages
    # columns, page by page
    page_cols: dict[int, list[tuple[float, float]]] = {}
    ref_data: list[tuple[float, float]] = []
    placed: list[tuple[Row, Slot, int]] = []
    for pg in pages:
        lines = [r for r in content if r.page == pg]
        cols = _split_crowded(_columns_between(_gutters(lines), lines), lines)
        if pg == first:
            ref_data = cols
            if header:
                cols, ref_data, placed = _refine_with_header(cols, header, lines)
        elif again.get(pg) and cols:
            cols = _refine_with_header(cols, again[pg], lines)[0]
        page_cols[pg] = cols
    ref = page_cols[first]
    if not ref:
        return None
    # each page's pieces by its own columns, then its columns onto the first page's
    local: dict[int, list[_Piece]] = {}
    for pg in pages:
        cols = page_cols[pg] or ref
        local[pg] = [p for r in content if r.page == pg for p in _pieces(r, cols, list(range(len(cols))))]

    def described(pg, cols, data):
        by: dict[int, list[_Piece]] = {}
        for p in local[pg]:
            by.setdefault(p.col, []).append(p)
        return [(x, _features(by.get(k, []))) for k, x in enumerate(_positions(cols, data))]

    canon = list(ref)
    ref_desc = described(first, ref, ref_data)
    ref_has = [[p for p in local[first] if p.col == k] for k in range(len(ref))]
    index: dict[int, list[int]] = {first: list(range(len(ref)))}
    for pg in pages:
        if pg == first:
            continue
        cols = page_cols[pg]
        if not cols:
            index[pg] = list(range(len(ref)))
            continue
        lines = [r for r in content if r.page == pg]
        filled = _fill_in(ref_desc, [bool(t) for t in ref_has], cols, lines)
        if filled != cols:
            cols = page_cols[pg] = filled
            local[pg] = [p for r in lines for p in _pieces(r, cols, list(range(len(cols))))]
        idx: list[int] = []
        for k in _align(ref_desc, described(pg, cols, cols))[0]:
            if k is None:
                # a column only this page has: right after the column before it
                after = canon[idx[-1]][1] if idx else canon[0][0] - 1.0
                canon.append((after + 0.25, after + 0.5))
                k = len(canon) - 1
            idx.append(k)
        index[pg] = idx
    order = sorted(range(len(canon)), key=lambda k: canon[k][0])
    rank = {k: r for r, k in enumerate(order)}
    canon = [canon[k] for k in order]
    for pg in index:
        index[pg] = [rank[k] for k in index[pg]]
    pieces: list[_Piece] = []
    for pg in pages:
        for p in local[pg]:
            p.col = index[pg][p.col]
        # two pieces of one line now in one column: one cell
        for p in local[pg]:
            if pieces and pieces[-1].no == p.no and pieces[-1].col == p.col:
                q = pieces[-1]
                pieces[-1] = _Piece(q.text + " " + p.text, q.x0, p.x1, q.no, q.page, q.col)
            else:
                pieces.append(p)
    pieces = _split_known_tails(pieces)
    heads: dict[int, list[_Piece]] = {}
    for h, f, k in placed:
        if k is not None and k < len(index[first]):
            k = index[first][k]
            heads.setdefault(k, []).append(_Piece(f.text.strip(), f.x0, f.x1, h.line_no, h.page, k))
    kinds = _kinds(len(canon), {k: [p.text for p in ps] for k, ps in heads.items()}, pieces)
    row_cols = [k for k in range(len(canon)) if k not in kinds.merged]
    # rows, page by page
    all_rows: list[_Row] = []
    for pg in pages:
        pp = [p for p in pieces if p.page == pg]
        by_line: dict[int, dict[int, _Piece]] = {}
        for p in pp:
            if p.col in row_cols:
                by_line.setdefault(p.no, {})[p.col] = p
        lines = sorted(by_line.items())
        groups = _segment(lines, kinds, blank, row_cols) if lines else []
        prow = []
        for g in groups:
            row = _Row(pg, [no for no, _ in g])
            for no, pcs in g:
                for c, p in pcs.items():
                    row.cells.setdefault(c, []).append(p)
            row.height = max(len(ps) for ps in row.cells.values())
            prow.append(row)
        all_rows.append((pg, prow, pp))
    # merged cells, nearest the names first
    texts: dict[tuple[int, int], tuple[str, bool]] = {}     # (row id, col) -> (text, start)
    last_cell: dict[int, str] = {}
    final_rows: list[_Row] = []
    for pg, prow, pp in all_rows:
        rows_here = list(prow)
        edges: tuple[set[int], set[int]] | None = None
        for c in kinds.merged:
            cells = _merged_cells([p for p in pp if p.col == c], blank)
            if not rows_here:
                continue
            if not cells:
                if c in last_cell:    # a page the cell above runs through, its text not repeated
                    for r in rows_here:
                        texts[(id(r), c)] = (last_cell[c], False)
                continue
            blocks = _assign_blocks(cells, rows_here, _numbers(rows_here, kinds.name), edges, c in last_cell)
            # a category word with no row: an empty row of its own, where it stands
            extra = [cl for cl, b in zip(cells, blocks) if b is None and level_word(cl.text)]
            if extra:
                for cl in extra:
                    rows_here.append(_Row(pg, [cl.top, cl.bottom], synthetic=True, height=len(cl.pieces)))
                rows_here.sort(key=lambda r: (r.top + r.bottom) / 2)
                if edges is not None:
                    edges = (edges[0] | {id(r) for r in rows_here if r.synthetic},
                             edges[1] | {id(r) for r in rows_here if r.synthetic})
                blocks = _assign_blocks(cells, rows_here, _numbers(rows_here, kinds.name), edges, c in last_cell)
            covered = set()
            for cl, b in zip(cells, blocks):
                if b is None:
                    continue
                s, e = b
                for k in range(s, e + 1):
                    texts[(id(rows_here[k]), c)] = (cl.text, k == s)
                    covered.add(k)
                if s == e:   # a one-row block is as tall as its cell
                    rows_here[s].height = max(rows_here[s].height, len(cl.pieces))
            # rows at the top of a later page before its first cell continue the cell above
            firsts = [b[0] for b in blocks if b is not None]
            head = min(firsts) if firsts else len(rows_here)
            if c in last_cell:
                for k in range(head):
                    if k not in covered:
                        texts[(id(rows_here[k]), c)] = (last_cell[c], False)
            # the next level out holds whole cells of this one
            st, en = set(), set()
            for k, r in enumerate(rows_here):
                if k not in covered:
                    st.add(id(r))
                    en.add(id(r))
            for b in blocks:
                if b is not None:
                    st.add(id(rows_here[b[0]]))
                    en.add(id(rows_here[b[1]]))
            edges = (st, en) if edges is None else (st & edges[0], en & edges[1])
            done = [(b[1], cl) for cl, b in zip(cells, blocks) if b is not None]
            if done:
                last_cell[c] = max(done, key=lambda t: t[0])[1].text
        final_rows.extend(rows_here)
    # the grid
    out_rows: list[Row] = []
    for r in final_rows:
        slots = []
        for k, (c0, c1) in enumerate(canon):
            if k in kinds.merged:
                text, start = texts.get((id(r), k), ("", True))
            else:
                ps = r.cells.get(k, [])
                text, start = "\n".join(p.text.strip() for p in ps), True
            slots.append(Slot(text, c0, c1, start))
        out_rows.append(Row(r.page, slots, None, None, r.top))
    if not out_rows:
        return None
    head_rows = _header_rows(heads, canon, header)
    return GridTable(head_rows, out_rows)


def _header_rows(heads: dict[int, list[_Piece]], canon: list[tuple[float, float]], header: list[Row]) -> list[Row]:
    """One header row of the columns' pieces joined top to bottom; a piece over two or
    more columns that have pieces of their own (a merged parent) in a row above it."""
    if not header:
        return []
    page = header[0].page
    wide: list[Slot] = []
    per: dict[int, list[_Piece]] = {}
    for k, ps in heads.items():
        for p in ps:
            over = [j for j, (c0, c1) in enumerate(canon)
                    if _overlap(p.x0, p.x1, c0, c1) > 0 and j in heads
                    and any(q.no != p.no for q in heads[j])]
            if len(over) >= 2 and all(any(q.no > p.no for q in heads[j] if q is not p) for j in over):
                wide.append(Slot(p.text, canon[over[0]][0], canon[over[-1]][1], True))
                continue
            per.setdefault(k, []).append(p)
    main = []
    for k, (c0, c1) in enumerate(canon):
        ps = sorted(per.get(k, []), key=lambda p: (p.no, p.x0))
        main.append(Slot("\n".join(p.text for p in ps), c0, c1, True))
    rows = []
    if wide:
        rows.append(Row(page, sorted(wide, key=lambda s: s.x0), None, None, header[0].line_no))
    rows.append(Row(page, main, None, None, header[0].line_no))
    return rows


# -- header blocks ------------------------------------------------------------------------------------
#
# The form's header block above the indicator table (项目名称 | … | 实施单位 | …, the funds matrix,
# 年度目标 | 预期目标 | 实际完成情况 …) rebuilt as the rows of a ruled grid, read as a PDF's are.
#
# 1. The block (`header_spans`) opens at a line holding a header label, with the lines over it
#    up to the title, year, furniture or money-unit line, and runs to the table (or a title,
#    a note, a sign-off); those lines stay free text, as they stand outside a PDF's rules.
# 2. The label strip: the block's first column, where the column finder (`_gutters`) puts
#    it, or right after a label run into its value with one space, or where it was on the
#    page before: whichever edge leaves most labels in it. Fragments are cut at its edge by
#    their words' centres (a letter-spaced label, 总 体 目, stays whole). Its pieces join down
#    into cells on the next line, or a line apart when that line holds one-line cells only.
# 3. Rows, from the rest of the block: the lines are cut into rows by dynamic programming.
#    In a row, pieces standing over one another join into cells (pdftotext writes a wrapped
#    cell's lines around the single lines beside it: 其中：当年财 / 287 / 政拨款), every cell
#    centred on the row. A join costs where the lower piece is a label of its own, where
#    the upper is a complete heading (预期目标, 年初预算数) or both are whole values, where the
#    upper line stopped short of the cell's width (no wrap), where a piece lies under two
#    cells; a cut costs where it leaves a short tail (数, 率, 款) or the rest of a cell wrapped
#    around its row's centre line on its own; two strip labels in one row cost. Blank lines
#    always cut.
# 4. The strip's cells are given the blocks of rows they stand centred on (`_assign_blocks`);
#    a row of column headings belongs with the row under it. A label with no row is a row of
#    its own.
# 5. Cells are written as a grid's: a merged label on each of its rows (start=False after
#    the first). In a block of rows under one label, a cell alone in its column (found over
#    the block by `_gutters`) stands at the column's extent, so that a funds matrix's
#    values line up with their headings as a ruled grid's do.

_AMOUNT = regex.compile(r"^(?=.*\d)[\d,.%％]+(?:万元|元|千元|亿元|万)?$")
_LIST_MARK = regex.compile(r"^\s*(?:目标\s*\d+|\d{1,2}\s*[、.．](?!\d)|[(（]\s*\d{1,2}\s*[)）]|[.…。·]{2,})")


def _goal_heading(t: str) -> bool:
    m = GOAL_COLUMN.match(t)
    return m is not None and m.end() == len(t)


def _funds_heading(t: str) -> bool:
    return bool(funds_column(t)) and not regex.search(r"\d", t)


def _whole_label(t: str) -> bool:
    lab = header_label(t)
    return lab is not None and not lab[1]


def _heading(text: str) -> bool:
    """A complete heading cell: a header label with nothing after it, a funds matrix column
    (年初预算数) or a goals column (预期目标 | 实际完成情况)."""
    t = squash(text)
    return bool(t) and (_whole_label(t) or _funds_heading(t) or _goal_heading(t))


def _tail(text: str) -> bool:
    """The short rest of a wrapped cell (数, 率, 款, 及电话, 元）)."""
    t = squash(text)
    return bool(t) and (len(t) <= 3 and not _AMOUNT.match(t) and not _complete_value(t) and not _heading(t)
                        or bool(regex.match(r"[、，,。；;：:）)%％/]", t)))


def _hjoin_cost(p: _Piece, q: _Piece, width: float) -> float:
    """Cost of reading q (the piece under p, same cells' stretch) as the rest of p's cell;
    width: the widest piece of the cell so far."""
    a, b = squash(p.text), squash(q.text)
    if not a or not b:
        return 0.0
    if header_label(b) is not None and len(b) > 2 and not _CONTINUES.search(p.text.strip()) \
            and not _whole_label(a + b):
        # a label opens a cell of its own; not the rest of one (其中：当年 / 财政拨款), nor a
        # short word ending a cell (上年结转 / 资金)
        return INF
    cost = 1.0 * max(0, q.no - p.no - 2)
    if _heading(a) and not _heading(a + b) and not _tail(b):
        cost += 3.0                     # a heading over the cell it heads
    if (_AMOUNT.match(a) or _complete_value(a)) and (_AMOUNT.match(b) or _complete_value(b)):
        cost += 3.0                     # two whole values: two rows
    if _CONTINUES.search(p.text.strip()) or _LIST_MARK.match(q.text):
        return cost + 0.1
    # full: the line wraps where the next word (a Latin run, else a character) had no room
    nxt = regex.match(r"[\x21-\x7e]+", q.text.strip())
    full = (_width(p.text) + (_width(nxt.group()) if nxt else 1.0)) / max(width, 1.0)
    return cost + (0.0 if full >= 0.8 else 0.7 if full >= 0.6 else 1.8)


def _hcut_cost(p: _Piece, q: _Piece, around: bool = False) -> float:
    """Cost of p and q (q under p) standing in two rows; around: they stand a line apart
    and that line holds one-line cells only (a cell wrapped around its row's centre)."""
    if _hjoin_cost(p, q, _width(p.text)) >= 3.0:
        return 0.0
    cost = 0.3 if q.no - p.no == 1 else 0.15 + 1.2 * around
    if _tail(q.text):
        cost += 1.5
    if _CONTINUES.search(p.text.strip()):
        cost += 1.0
    if _width(p.text) >= max(_width(q.text), 8.0):
        cost += 0.3                     # a full line, then the rest of the text
    return cost


@dataclass
class _HRow:
    lines: list[int]                    # line numbers of its pieces
    cells: list[list[_Piece]]           # its cells left to right, each top to bottom
    heading: bool = False               # a row of column headings (年初预算数 | …, 预期目标 | …)
    label: int | None = None            # the strip's cell beside it
    height: int = 1                     # its tallest cell, in lines (as `_assign_blocks` wants)

    def __post_init__(self):
        self.top, self.bottom = min(self.lines), max(self.lines)
        self.height = max((len({p.no for p in c}) for c in self.cells), default=1)


def _cells_of(pieces: list[_Piece], ups: dict[int, list[_Piece]]) -> list[list[_Piece]]:
    """Pieces joined into cells: each with the pieces right over it (in `ups`) in the group."""
    ids = {id(p): k for k, p in enumerate(pieces)}
    parent = list(range(len(pieces)))

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k
    for q in pieces:
        for p in ups.get(id(q), ()):
            if id(p) in ids:
                parent[find(ids[id(p)])] = find(ids[id(q)])
    groups: dict[int, list[_Piece]] = {}
    for k, p in enumerate(pieces):
        groups.setdefault(find(k), []).append(p)
    return [sorted(g, key=lambda p: (p.no, p.x0)) for g in groups.values()]


class _RowCost:
    """The cost of one row of a header block as it grows a line at a time from line `first`
    (`_hsegment`). ups: `_upper`; around: ids of pieces wrapped around a row's centre line
    from the piece over them (`_single_between`). Pieces over one another join into cells
    (`_cells_of`); a join costs `_hjoin_cost` (at the width of the cell's widest piece), a piece
    under two cells of a line 3, a piece whose piece over it is in the row above
    `_hcut_cost`; cells overlapping side by side 5 each; cells off the row's centre (the
    median of theirs) more than a quarter line, plus a little for tall rows, 2 a line."""

    def __init__(self, ups: dict[int, list[_Piece]], first: int, around: set[int], memo: dict):
        self.ups, self.first, self.around, self.memo = ups, first, around, memo
        self.parent: dict[int, int] = {}
        self.cells: dict[int, dict] = {}     # root -> x0, x1, top, bottom, width, joins, sum
        self.fixed = 0.0

    def _root(self, k: int) -> int:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def _join(self, p: _Piece, q: _Piece, width: float) -> float:
        key = (id(p), id(q), width)
        if key not in self.memo:
            self.memo[key] = _hjoin_cost(p, q, width)
        return self.memo[key]

    def add(self, q: _Piece) -> None:
        """q, on a line under all the row's pieces so far."""
        k = id(q)
        self.parent[k] = k
        over = self.ups.get(k, ())
        inside = [p for p in over if id(p) in self.parent]
        new: list[tuple[_Piece, _Piece]] = []
        if len(over) >= 2:
            self.fixed += 3.0 * len(inside)
        else:
            for p in over:
                if p.no < self.first:
                    self.fixed += _hcut_cost(p, q, k in self.around)
            new = [(p, q) for p in inside]
        cell = {"x0": q.x0, "x1": q.x1, "top": q.no, "bottom": q.no, "width": _width(q.text), "joins": new}
        merged = []
        for p in inside:
            r = self._root(id(p))
            if r in self.cells:
                merged.append(self.cells.pop(r))
                self.parent[r] = k
        for m in merged:
            cell = {"x0": min(cell["x0"], m["x0"]), "x1": max(cell["x1"], m["x1"]), "top": min(cell["top"], m["top"]),
                    "bottom": max(cell["bottom"], m["bottom"]), "width": max(cell["width"], m["width"]),
                    "joins": m["joins"] + cell["joins"]}
        if len(merged) == 1 and merged[0]["width"] == cell["width"]:
            # (the cell's width is as it was: its joins cost as they did)
            cell["sum"] = merged[0]["sum"] + sum(self._join(a, b, cell["width"]) for a, b in new)
        else:
            cell["sum"] = sum(self._join(a, b, cell["width"]) for a, b in cell["joins"])
        self.cells[k] = cell

    def cost(self, labels: int) -> float:
        """The row's cost; labels: the strip's cells inside it (two: the labels of two rows)."""
        cells = list(self.cells.values())
        total = self.fixed + sum(c["sum"] for c in cells)
        if total == INF:
            return INF
        spans = sorted((c["x0"], c["x1"]) for c in cells)
        total += 5.0 * sum(1 for a, b in zip(spans, spans[1:]) if b[0] < a[1])
        total += 2.0 * max(0, labels - 1)
        if cells:
            centres = sorted((c["top"] + c["bottom"]) / 2 for c in cells)
            mid = centres[len(centres) // 2]
            tall = max(c["bottom"] - c["top"] + 1 for c in cells)
            # (pdftotext sets a row's one-line cells on the centre line of its tallest cell)
            total += 2.0 * sum(max(0.0, abs(c - mid) - 0.25 - 0.05 * (tall - 1)) for c in centres)
        return total


def _upper(pieces: list[_Piece], blank: set[int]) -> dict[int, list[_Piece]]:
    """Each piece's nearest pieces over it (up to three lines up, no blank line between)
    that share its stretch."""
    by_line: dict[int, list[_Piece]] = {}
    for p in pieces:
        by_line.setdefault(p.no, []).append(p)
    out: dict[int, list[_Piece]] = {}
    for q in pieces:
        for touching in (False, True):
            # (a short last line centred under a line of wide characters may stand just past
            # its end: the dump gives such a character one column, the page two)
            if touching and not _tail(q.text):
                break
            for d in (1, 2, 3):
                n = q.no - d
                if n in blank:
                    break
                ov = [(p, _overlap(p.x0, p.x1, q.x0, q.x1)) for p in by_line.get(n, ())]
                hit = [p for p, v in ov if (-2 <= v <= 0 if touching else v > 0)]
                if hit:
                    out[id(q)] = hit
                    break
            if id(q) in out:
                break
    return out


def _single_between(p: _Piece, q: _Piece, by_line: dict[int, list[_Piece]]) -> bool:
    """p and q stand a line apart, and what stands on that line are cells of one line
    (none has a piece over or under it on p's or q's line)."""
    if q.no - p.no != 2:
        return False
    return all(not any(_overlap(m.x0, m.x1, o.x0, o.x1) > 0 for o in by_line.get(p.no, []) + by_line.get(q.no, []))
               for m in by_line.get(p.no + 1, []))


def _hsegment(lines: list[int], pieces: list[_Piece], blank: set[int], labels: list[_Cell] = (),
              max_lines: int = 60) -> list[list[int]]:
    """The block's lines (numbers, in order) cut into rows, the cheapest way (`_RowCost`);
    labels: the strip's cells."""
    spans = [(c.top, c.bottom) for c in labels]
    ups = _upper(pieces, blank)
    by_line: dict[int, list[_Piece]] = {}
    for p in pieces:
        by_line.setdefault(p.no, []).append(p)
    # (a line between holding a piece of a label of several lines is no row's centre)
    tall = {n for c in labels if c.bottom > c.top for n in range(c.top, c.bottom + 1)}
    around = {id(q) for q in pieces if any(_single_between(p, q, by_line) and p.no + 1 not in tall
                                           for p in ups.get(id(q), ()))}
    n = len(lines)
    best = [INF] * (n + 1)
    back = [0] * (n + 1)
    best[0] = 0.0
    memo: dict = {}
    for s in range(n):
        if best[s] == INF:
            continue
        row = _RowCost(ups, lines[s], around, memo)
        some = False
        for e in range(s + 1, min(n, s + max_lines) + 1):
            if e - 1 > s and any(b in blank for b in range(lines[e - 2] + 1, lines[e - 1])):
                break                   # a blank line: rows never run over it
            for q in by_line.get(lines[e - 1], []):
                row.add(q)
                some = True
            inside = sum(1 for a, b in spans if lines[s] <= a and b <= lines[e - 1]) if some else 0
            c = row.cost(inside)
            if c == INF:
                break                   # (a join no longer line can undo)
            if best[s] + c < best[e]:
                best[e], back[e] = best[s] + c, s
    return _segments(lines, back)


_BLOCK_MAX = 150      # lines of a header block at most (a page or two)
_BLOCK_START = ("project_name", "department", "department_code", "implementing_unit", "funds_block", "funds_total",
                "project_attribute", "project_period", "leader", "category", "nature", "basis", "goals")


def _flat_line(row: Row) -> bool:
    """The header of a flat export (单位名称 | 项目名称 | … | 一级指标 …): its 项目名称 is a
    column's, parse/flat_text.py reads the table."""
    starts = [sl.text for sl in row.starts if squash(sl.text)]
    return any(flat_role(t) in ("project_name", "unit_name") for t in starts) and \
        sum(1 for t in starts if header_scores(t) or column_prefix(t)) >= 2


def _block_anchor(row: Row) -> bool:
    """A line holding a label of a form's header block."""
    if _flat_line(row):
        return False
    for sl in row.starts:
        for w in regex.split(r"\s+", sl.text.strip()):
            lab = header_label(w) if w else None
            if lab is not None and lab[0] in _BLOCK_START:
                return True
    return False


def _free_line(row: Row, is_title) -> bool:
    """A line outside a form's ruled block: a title, the year, page furniture, the money
    unit, a note or sign-off."""
    if row.blank:
        return False
    text = squash(row.text(""))
    first = next((sl.text for sl in row.starts if squash(sl.text)), "")
    lab = header_label(first) if first else None
    return (is_title(row) or bool(YEAR_LINE.match(text)) or bool(FURNITURE.match(text)) or bool(PAGE_OF.search(text))
            or bool(NOTE_LINE.match(text)) or (lab is not None and lab[0] == "signoff")
            or (bool(MONEY_UNIT.search(text)) and len(row.starts) <= 2 and len(text) < 40))


def _block_end(row: Row, is_title) -> bool:
    """A line that ends a header block: a title, a note, a sign-off."""
    first = next((sl.text for sl in row.starts if squash(sl.text)), "")
    lab = header_label(first) if first else None
    return is_title(row) or bool(NOTE_LINE.match(squash(row.text("")))) or (lab is not None and lab[0] == "signoff")


def header_spans(rows: list[Row], is_title: Callable[[Row], bool] | None = None) -> list[tuple[int, int]]:
    """Where a layout dump's header blocks stand among `rows` (lines between indicator
    tables, as `document_rows` gives them): [(first line, line after the block)]. A block
    opens at a line holding a header label (项目名称, 主管部门 …), taking in the lines over it
    up to a free line (title, year, furniture, money unit: a wrapped value or label's first
    lines), and runs to a title, a note, a sign-off, a flat export's or an indicator table's
    header."""
    is_title = is_title or _default_title
    out: list[tuple[int, int]] = []
    i, n = 0, len(rows)
    while i < n:
        a = next((k for k in range(i, n) if not rows[k].blank and not _free_line(rows[k], is_title)
                  and _block_anchor(rows[k])), None)
        if a is None:
            break
        s = a
        while s > i and rows[s - 1].page == rows[a].page and not _free_line(rows[s - 1], is_title):
            s -= 1
        while s < a and rows[s].blank:
            s += 1
        e = a + 1
        while e < n:
            r = rows[e]
            if not r.blank and (_block_end(r, is_title) or _header_line(r) or _role_line(r) or _flat_line(r)
                                or _stacked_header(rows, e)):
                break
            e += 1
        while e > s and (rows[e - 1].blank or _free_line(rows[e - 1], is_title)):
            e -= 1
        if sum(1 for r in rows[s:e] if not r.blank) <= _BLOCK_MAX:
            out.append((s, e))          # (a longer run is no form's block: a text, a table not found)
        i = e
    return out


def header_block(rows: list[Row], ids) -> list[Row]:
    """The lines of one header block (`header_spans`) -> rows of a ruled grid, a fresh grid
    id (`next(ids)`) a page; page furniture among them stays as it is."""
    out: list[Row] = []
    part: list[Row] = []
    strip: list[float | None] = [None]      # the label strip's edge on the page before

    def flush():
        if part:
            rows_, strip[0] = _page_block(part, next(ids), strip[0])
            out.extend(rows_)
            part.clear()
    for r in rows:
        if not r.blank and (FURNITURE.match(squash(r.text(""))) or PAGE_OF.search(squash(r.text("")))):
            flush()
            out.append(r)
            continue
        if part and part[-1].page != r.page:
            flush()
        part.append(r)
    flush()
    return out


def _label_edges(lines: list[Row]) -> set[float]:
    """Where a line's first words, a header label standing at the block's left edge, end and
    its value goes on after one space."""
    out = set()
    left = min((f.x0 for r in lines for f in _frags(r)), default=0.0)
    for r in lines:
        fr = _frags(r)
        ws = _words(fr[0]) if fr and fr[0].x0 <= left + 1 else []
        if len(ws) >= 2:
            t = fr[0].text[:ws[0][1] - int(round(fr[0].x0))]
            if _whole_label(squash(t)):
                out.add(ws[0][1] + 0.5)
    return out


def _cut_at(frag: Slot, boundary: float, line: Row) -> tuple[_Piece | None, _Piece | None]:
    """A fragment's words left of the strip's boundary (by their centres) and the rest."""
    x0 = int(round(frag.x0))
    ws = _words(frag)
    left = [w for w in ws if (w[0] + w[1]) / 2 < boundary]
    right = [w for w in ws if (w[0] + w[1]) / 2 >= boundary]
    # a label set letter-spaced (总 体 目 标) is one word
    while left and right and all(b - a == 1 for a, b in left) and right[0][1] - right[0][0] == 1 \
            and regex.match(r"\p{Han}", frag.text[right[0][0] - x0]):
        left.append(right.pop(0))

    def piece(part):
        if not part:
            return None
        a, b = part[0][0], part[-1][1]
        return _Piece(frag.text[a - x0:b - x0], float(a), float(b), line.line_no, line.page)
    return piece(left), piece(right)


def _as_lines(pieces: list[_Piece]) -> list[Row]:
    """Pieces as the dump's lines (Rows of one slot a piece), for the column finder."""
    by: dict[int, list[_Piece]] = {}
    for p in pieces:
        by.setdefault(p.no, []).append(p)
    return [Row(ps[0].page, [Slot(p.text, p.x0, p.x1) for p in sorted(ps, key=lambda p: p.x0)], None, None, no)
            for no, ps in sorted(by.items())]


def _strip_cells(pieces: list[_Piece], blank: set[int], rest: list[_Piece]) -> list[_Cell]:
    """The label strip's pieces joined down into cells (年度总体 / 目标, 项目资金（万 / 元）):
    on the next line, or a line apart where that line holds one-line cells only (a label
    wrapped around its row's centre line)."""
    by_line: dict[int, list[_Piece]] = {}
    for q in rest:
        by_line.setdefault(q.no, []).append(q)
    cells: list[_Cell] = []
    for p in sorted(pieces, key=lambda p: p.no):
        if cells:
            last = cells[-1].pieces[-1]
            acc = squash("".join(x.text for x in cells[-1].pieces))
            gap = p.no - last.no
            label = header_label(p.text) is not None and not _whole_label(acc + squash(p.text))
            # (a whole label a line apart takes no more, save its note: 项目资金 / （万元）)
            near = gap == 1 or (gap == 2 and last.no + 1 not in blank and _single_between(last, p, by_line)
                                and (not _whole_label(acc) or bool(regex.match(r"[(（]", squash(p.text)))))
            if near and not label:
                cells[-1].pieces.append(p)
                continue
        cells.append(_Cell([p]))
    return cells


def _page_block(lines: list[Row], gid: int, hint: float | None = None) -> tuple[list[Row], float | None]:
    """One page's lines of a header block -> grid rows; and the label strip's edge. hint:
    the edge on the page before (a block broken over pages: its columns go on)."""
    content = [r for r in lines if not r.blank]
    if not content:
        return list(lines), hint
    nos = [r.line_no for r in content]
    blank = {r.line_no for r in lines if r.blank} | (set(range(min(nos), max(nos) + 1)) - set(nos))
    # the label strip: the first column, where labels stand; its edge where the column
    # finder puts it, else right after a label run into its value with one space (项目资金（万
    # 其中：当), or where it was on the page before: the edge whose cells are most labels
    cols = _columns_between(_gutters(content), content)
    edges = ([cols[0][1] + 0.5] if len(cols) >= 2 else []) + sorted(_label_edges(content)) \
        + ([hint] if hint is not None else [])
    boundary, best = None, 0
    for edge in dict.fromkeys(edges):      # (a soft gutter may be wide: the strip's words end at its left)
        sp, rp = [], []
        for r in content:
            for f in _frags(r):
                a, b = _cut_at(f, edge, r)
                if a is not None:
                    sp.append(a)
                if b is not None:
                    rp.append(b)
        cells = _strip_cells(sp, blank, rp)
        score = sum(1 if header_label(c.text) is not None else -1 if len(squash(c.text)) >= 2 else 0 for c in cells)
        if score > best:
            boundary, best, rest, labels = edge, score, rp, cells
    if boundary is None:
        labels = []
        rest = [_Piece(f.text.strip(), f.x0, f.x1, r.line_no, r.page) for r in content for f in _frags(r)]
    # rows
    groups = _hsegment(sorted(set(nos)), rest, blank, labels)
    ups = _upper(rest, blank)
    rows: list[_HRow] = []
    for g in groups:
        ps = [p for p in rest if p.no in set(g)]
        if not ps:
            continue
        cells = sorted(_cells_of(ps, ups), key=lambda c: min(p.x0 for p in c))
        row = _HRow(sorted({p.no for p in ps}), cells)
        row.heading = all(_column_heading(_joined(c)) for c in cells)
        rows.append(row)
    # labels over the rows they stand centred on; a label with no row, a row of its own
    if labels and rows:
        ends = {id(r) for k, r in enumerate(rows) if not r.heading or k == len(rows) - 1}
        blocks = _assign_blocks(labels, rows, None, ({id(r) for r in rows}, ends))
    else:
        blocks = [None] * len(labels)
    for j, b in enumerate(blocks):
        if b is None:
            rows.append(_HRow(sorted({p.no for p in labels[j].pieces}), [], label=j))
        else:
            for k in range(b[0], b[1] + 1):
                rows[k].label = j
    rows.sort(key=lambda r: (r.top + r.bottom) / 2)
    # where the cells stand
    lo = (cols[0][0] if cols else 0.0) - 2.0
    ranges = _cell_ranges(rows)
    out: list[Row] = []
    for k, r in enumerate(rows):
        slots = []
        if r.label is not None:
            first = k == 0 or rows[k - 1].label != r.label
            slots.append(Slot(labels[r.label].text, lo, boundary, first, key=gid * 100000 + r.label))
        for m, c in enumerate(r.cells):
            x0, x1 = ranges[(k, m)]
            slots.append(Slot(_joined(c), x0, x1, True, key=gid * 100000 + 1000 + k * 50 + m))
        out.append(Row(lines[0].page, slots, gid, None, r.top))
    return out, boundary


def _joined(cell: list[_Piece]) -> str:
    """A cell's text: its lines top to bottom ("\\n"), pieces of one line left to right."""
    by: dict[int, list[_Piece]] = {}
    for p in cell:
        by.setdefault(p.no, []).append(p)
    return "\n".join(" ".join(p.text.strip() for p in sorted(ps, key=lambda p: p.x0))
                     for _n, ps in sorted(by.items()))


def _column_heading(text: str) -> bool:
    """A heading over the cells of the row under it: a funds matrix or goals column, or a
    goals label standing alone over its text (年度目标)."""
    t = squash(text)
    lab = header_label(t)
    return bool(t) and (_funds_heading(t) or _goal_heading(t) or (lab is not None and lab == ("goals", "")))


def _cell_ranges(rows: list[_HRow]) -> dict[tuple[int, int], tuple[float, float]]:
    """Each cell's x range: where it stands, or, in rows under one label (a funds matrix, a
    goals block), its column's extent where it stands alone in that column."""
    out = {(k, m): (min(p.x0 for p in c), max(p.x1 for p in c)) for k, r in enumerate(rows)
           for m, c in enumerate(r.cells)}
    sections = []
    for k, r in enumerate(rows):
        if r.label is not None and k and rows[k - 1].label == r.label:
            sections[-1][1] = k
        else:
            sections.append([k, k])
    for s, e in sections:
        if e == s:
            continue
        lines = _as_lines([p for k in range(s, e + 1) for c in rows[k].cells for p in c])
        if not lines:
            continue
        cols = _split_crowded(_columns_between(_gutters(lines), lines), lines)
        if len(cols) < 2:
            continue
        over = {}
        clean = [True] * len(cols)
        for k in range(s, e + 1):
            seen = [0] * len(cols)
            for m, c in enumerate(rows[k].cells):
                x0, x1 = out[(k, m)]
                ks = [j for j, (c0, c1) in enumerate(cols) if _overlap(x0, x1, c0, c1) > 0]
                over[(k, m)] = ks
                for j in ks:
                    seen[j] += 1
            for j, v in enumerate(seen):
                if v > 1:
                    clean[j] = False
        for key, ks in over.items():
            if ks and all(clean[j] for j in ks):
                out[key] = (_extent(cols, ks[0])[0], _extent(cols, ks[-1])[1])
    return out


def grid_rows(table: GridTable, gid: int) -> list[Row]:
    """A rebuilt indicator table as the rows of a ruled grid (`gid`), header rows first:
    what parse/columns.py `find_tables` finds and reads as a PDF's table."""
    return [Row(r.page, r.slots, gid, r.bbox, r.line_no) for r in table.header + table.data]


# -- wide characters ----------------------------------------------------------------------------------

def _wide(text: str) -> int:
    return sum(1 for ch in text if ord(ch) > 0x2E80)


def wide_as_two(rows: list[Row]) -> bool:
    """Whether the dump sets each wide (CJK) character two columns wide, as a terminal
    shows it, rather than one column per character as `pdftotext -layout` writes: then a
    fragment after wide characters on its line starts as many columns left of where the
    fragments of other lines starting at its place do. Told by which reading lines up more
    of such fragments with fragments a few lines away that have none before them: this one
    by twice as many."""
    info = []
    for r in rows:
        if r.blank:
            continue
        seen, frs = 0, []
        for s in r.slots:
            if s.text.strip():
                frs.append((s.x0, seen))
                seen += _wide(s.text)
        info.append((r.page, r.line_no, frs))
    raw = two = 0
    for k, (pg, no, frs) in enumerate(info):
        xs = [x for pg2, no2, frs2 in info[max(0, k - 3):k + 4] if pg2 == pg and no2 != no
              for x, w in frs2 if w == 0]
        for x, w in frs:
            if w:
                raw += any(abs(x - g) <= 1 for g in xs)
                two += any(abs(x + w - g) <= 1 for g in xs)
    return two >= max(4, 2 * raw)     # (clearly: a few lines may line up either way)


def as_one_column_wide(rows: list[Row]) -> list[Row]:
    """A dump that sets wide characters two columns wide (`wide_as_two`) with each fragment
    moved right by the wide characters before it on its line, so that it stands where
    `pdftotext -layout` would set it; other dumps as they are."""
    if not wide_as_two(rows):
        return rows
    out = []
    for r in rows:
        seen, slots = 0, []
        for s in r.slots:
            slots.append(Slot(s.text, s.x0 + seen, s.x1 + seen, s.start, s.bbox, s.confidence, s.key, s.ref))
            seen += _wide(s.text)
        out.append(Row(r.page, slots, r.grid, r.bbox, r.line_no, r.blank))
    return out
