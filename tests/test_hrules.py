"""Tables ruled with horizontal lines only (extract/hrules.py).

Each case draws a small table twice in memory -- with its vertical rules and
without -- and asks the grid builder for the same cells both ways. The tables
are built here from plain geometry (columns, rows, merged cells, text placed
with a 3 pt padding like a word processor's cell margin), one per failure kind
the column inference had: a title between two tables, a header block with
other columns than the table under it, text nearly touching a border, a tall
row, a merged cell spanning rows, a one-row table cut off by a title.
"""
from __future__ import annotations

import time

from extract.gridbuild import build_blocks, merge_segments
from extract.hrules import infer_verticals
from extract.model import Grid, Line

SIZE = 10.0
PAD = 3.0


def _width(text: str, size: float = SIZE) -> float:
    return sum(size * (0.55 if ch.isascii() else 1.0) for ch in text)


def _put(chars, text, x, y, size=SIZE):
    for ch in text:
        w = size * (0.55 if ch.isascii() else 1.0)
        chars.append((x, y, x + w, y + size, ch, size))
        x += w


class Table:
    """Columns xs, rows ys; cells (r0, r1, c0, c1, lines, align) cover rows r0..r1-1
    and columns c0..c1-1. Gives the rules of the fully ruled table and the chars."""

    def __init__(self, xs, ys):
        self.xs, self.ys, self.cells = list(xs), list(ys), []

    def cell(self, r0, r1, c0, c1, *lines, align="left"):
        self.cells.append((r0, r1, c0, c1, lines, align))
        return self

    def rules(self):
        xs, ys = self.xs, self.ys
        hs, vs = [], []
        for k, y in enumerate(ys):   # a rule under every row, broken by cells spanning it
            for c in range(len(xs) - 1):
                if not any(r0 < k < r1 and c0 <= c < c1 for r0, r1, c0, c1, _, _ in self.cells):
                    hs.append((y, xs[c], xs[c + 1]))
        for k, x in enumerate(xs):
            for r in range(len(ys) - 1):
                if not any(c0 < k < c1 and r0 <= r < r1 for r0, r1, c0, c1, _, _ in self.cells):
                    vs.append((x, ys[r], ys[r + 1]))
        return merge_segments(hs), merge_segments(vs)

    def chars(self):
        out = []
        for r0, r1, c0, c1, lines, align in self.cells:
            x0, x1, y0, y1 = self.xs[c0], self.xs[c1], self.ys[r0], self.ys[r1]
            top = y0 + max(PAD, (y1 - y0 - len(lines) * SIZE * 1.2) / 2)
            for i, ln in enumerate(lines):
                w = _width(ln)
                x = x0 + PAD if align == "left" else (x0 + x1 - w) / 2
                _put(out, ln, x, top + i * SIZE * 1.2)
        return out


def _read(hs, vs, chars):
    """Grids as lists of (row, col, rowspan, colspan, text) of their non-empty cells, and free lines."""
    grids, lines = [], []
    for b in build_blocks(hs, vs, chars, 0):
        if isinstance(b, Grid):
            grids.append(sorted((c.text,) for c in b.cells if c.text))
        elif isinstance(b, Line):
            lines.append(" ".join(f.text for f in b.frags))
    return grids, lines


def _same_both_ways(hs, vs, chars):
    ruled = _read(hs, vs, chars)
    bare = _read(hs, [], chars)
    assert bare == ruled
    return ruled


def _indicator_table(y0=100.0, rows=5):
    """一级 | 二级 | 三级 (left-aligned, wide) | 指标值 (centred), level cells merged down."""
    xs = [40, 110, 190, 420, 520]
    ys = [y0 + 24 * k for k in range(rows + 2)]
    t = Table(xs, ys)
    t.cell(0, 1, 0, 1, "一级指标", align="centre").cell(0, 1, 1, 2, "二级指标", align="centre")
    t.cell(0, 1, 2, 3, "三级指标", align="centre").cell(0, 1, 3, 4, "指标值", align="centre")
    t.cell(1, rows + 1, 0, 1, "产出指标", align="centre")
    t.cell(1, 3, 1, 2, "数量指标", align="centre").cell(3, rows + 1, 1, 2, "质量指标", align="centre")
    for k in range(rows):
        t.cell(1 + k, 2 + k, 2, 3, f"指标{k + 1}:完成任务{k}").cell(1 + k, 2 + k, 3, 4, f"≥{90 + k}%", align="centre")
    return t


def test_plain_indicator_table():
    t = _indicator_table()
    hs, vs = t.rules()
    grids, _ = _same_both_ways(hs, vs, t.chars())
    assert len(grids) == 1 and ("指标1:完成任务0",) in grids[0]


def test_a_table_with_its_own_verticals_is_left_alone():
    t = _indicator_table()
    hs, vs = t.rules()
    assert infer_verticals(hs, vs, t.chars()) == []


def test_title_between_two_tables_is_not_a_row():
    """The end of one table, a caption at the margin and a larger title, the next table:
    two grids and free lines, as with drawn verticals (the title band is no cell)."""
    a, b = _indicator_table(60.0, 3), _indicator_table(300.0, 4)
    hs, vs = a.rules()
    hs2, vs2 = b.rules()
    chars = a.chars() + b.chars()
    _put(chars, "附表1", 40.0, 200.0, 12.0)                      # at the table's left edge
    _put(chars, "项目支出绩效目标表", 200.0, 230.0, 20.0)         # a larger title
    _put(chars, "(2025年度)", 250.0, 262.0, SIZE)
    grids, lines = _same_both_ways(hs + hs2, vs + vs2, chars)
    assert len(grids) == 2 and any("项目支出绩效目标表" in ln for ln in lines)


def test_header_block_columns_do_not_cut_the_table_under_it():
    """Header rows with borders (at 300 and 360) that the indicator rows do not have:
    the header '三级指标' and the names stay one cell over the whole name column,
    and the table's own border at 420 is found though header values cross it."""
    t = Table([40, 110, 190, 300, 360, 420, 520], [60, 84, 108, 132, 156, 180, 204, 228])
    t.cell(0, 1, 0, 2, "项目名称", align="centre").cell(0, 1, 2, 6, "便民服务中心运行经费")
    t.cell(1, 2, 0, 2, "主管部门", align="centre").cell(1, 2, 2, 3, "某某区水务局", align="centre")
    t.cell(1, 2, 3, 4, "").cell(1, 2, 4, 5, "实施单位", align="centre")
    t.cell(1, 2, 5, 6, "某某中心", align="centre")
    t.cell(2, 3, 0, 2, "资金总额", align="centre").cell(2, 3, 2, 4, "")
    t.cell(2, 3, 4, 6, "4875700", align="centre")             # crosses 420
    t.cell(3, 4, 0, 1, "一级指标", align="centre").cell(3, 4, 1, 2, "二级指标", align="centre")
    t.cell(3, 4, 2, 5, "三级指标", align="centre").cell(3, 4, 5, 6, "指标值", align="centre")
    t.cell(4, 7, 0, 1, "产出指标", align="centre").cell(4, 7, 1, 2, "数量指标", align="centre")
    t.cell(4, 5, 2, 5, "指标1:检查企业数量").cell(4, 5, 5, 6, "≥9家", align="centre")
    t.cell(5, 6, 2, 5, "指标2:覆盖行政村数").cell(5, 6, 5, 6, "不少于940个", align="centre")
    t.cell(6, 7, 2, 5, "指标3:按照上级部门要求完成时间").cell(6, 7, 5, 6, "2021年9月底前", align="centre")
    hs, vs = t.rules()
    _same_both_ways(hs, vs, t.chars())


def test_text_nearly_touching_a_border():
    """A centred text 1 pt from its border and the next cell's text 3 pt after it: a
    blank narrower than the usual gap between two texts, the border still goes there."""
    t = _indicator_table(rows=4)
    t.xs[2] = 182.0                                            # a 72 pt column
    t.cells = [c for c in t.cells if c[4] != ("质量指标",)]
    t.cell(3, 4, 1, 2, "服务对象满意度", align="centre")    # 70 pt of text, beside a name
    t.cell(4, 5, 1, 2, "质量指标", align="centre")
    hs, vs = t.rules()
    chars = t.chars()
    gap = min(c[0] for c in chars if c[0] > 182) - max(c[2] for c in chars if c[2] < 182)
    assert gap < 0.45 * SIZE
    _same_both_ways(hs, vs, chars)


def test_tall_row_with_cells_side_by_side():
    """A goals row taller than the usual space between two tables stays a row."""
    t = Table([40, 110, 320, 520], [60, 84, 330, 354, 378])
    t.cell(0, 1, 0, 1, "项目名称", align="centre").cell(0, 1, 1, 3, "某某经费")
    goals = [f"目标{k}:完成某项工作任务" for k in range(1, 17)]
    t.cell(1, 2, 0, 1, "年度总体目标", align="centre").cell(1, 2, 1, 2, *goals)
    t.cell(1, 2, 2, 3, *[f"已完成第{k}项工作" for k in range(1, 9)])
    t.cell(2, 3, 0, 1, "一级指标", align="centre").cell(2, 3, 1, 2, "三级指标", align="centre")
    t.cell(2, 3, 2, 3, "指标值", align="centre")
    t.cell(3, 4, 0, 1, "产出指标", align="centre").cell(3, 4, 1, 2, "指标1:完成率")
    t.cell(3, 4, 2, 3, "100%", align="centre")
    hs, vs = t.rules()
    grids, _ = _same_both_ways(hs, vs, t.chars())
    assert len(grids) == 1


def test_merged_cell_spanning_rows_and_a_merged_row_above():
    """A unit / project pair merged down many rows, under a row whose text spans both
    columns: the border between them is still drawn beside the tall cells."""
    t = Table([40, 110, 180, 260, 330, 520], [60 + 24 * k for k in range(8)])
    t.cell(0, 1, 0, 1, "单位名称", align="centre").cell(0, 1, 1, 2, "项目名称", align="centre")
    t.cell(0, 1, 2, 3, "预算数", align="centre").cell(0, 1, 3, 4, "一级指标", align="centre")
    t.cell(0, 1, 4, 5, "三级指标", align="centre")
    t.cell(1, 2, 0, 2, "334-某某镇某某部门").cell(1, 2, 2, 3, "2,110,498.68")
    t.cell(2, 7, 0, 1, "334001-某", "某县某某镇", "人民政府").cell(2, 7, 1, 2, "河湖长制管", "理项目", align="centre")
    t.cell(2, 7, 2, 3, "23,480.53")
    for k in range(5):
        t.cell(2 + k, 3 + k, 3, 4, "产出指标", align="centre").cell(2 + k, 3 + k, 4, 5, f"工程验收{k}")
    hs, vs = t.rules()
    _same_both_ways(hs, vs, t.chars())


def test_one_row_table_cut_off_by_a_title():
    """The last row of a table run onto a page, then a title and the next table."""
    a = Table([40, 110, 190, 420, 520], [40, 70])
    a.cell(0, 1, 0, 1, "满意度指标", align="centre").cell(0, 1, 1, 2, "服务对象满", "意度指标", align="centre")
    a.cell(0, 1, 2, 3, "服务对象满意度").cell(0, 1, 3, 4, "97.3%", align="centre")
    b = _indicator_table(160.0, 3)
    hs, vs = a.rules()
    hs2, vs2 = b.rules()
    chars = a.chars() + b.chars()
    _put(chars, "项目支出绩效目标表", 200.0, 110.0, 20.0)
    grids, _ = _same_both_ways(hs + hs2, vs + vs2, chars)
    assert len(grids) == 2


def test_fast_on_a_long_table():
    t = _indicator_table(40.0, 60)
    hs, _ = t.rules()
    chars = t.chars()
    start = time.perf_counter()
    for _ in range(5):
        infer_verticals(hs, [], chars)
    assert (time.perf_counter() - start) / 5 < 0.25


def test_a_row_run_alone_onto_the_next_page_keeps_the_columns():
    """The last indicator row runs onto the next page, alone between two rules: on its
    own page there is no second row to find gutters in, so it takes the columns of
    the table it continues (same box, the page before) -- as it would with its
    vertical rules drawn. Without the page before it stays free text."""
    t = _indicator_table(100.0, 3)
    hs, vs = t.rules()
    state: dict = {}
    first = [b for b in build_blocks(hs, [], t.chars(), 0, pages=state) if isinstance(b, Grid)]
    assert len(first) == 1 and state["tables"]

    last = Table(t.xs, [60.0, 84.0])
    last.cell(0, 1, 0, 1, "").cell(0, 1, 1, 2, "").cell(0, 1, 2, 3, "指标4:完成任务3")
    last.cell(0, 1, 3, 4, "≥93%", align="centre")
    lhs, lvs = last.rules()
    ruled = [b for b in build_blocks(lhs, lvs, last.chars(), 1) if isinstance(b, Grid)]
    carried = [b for b in build_blocks(lhs, [], last.chars(), 1, pages=state) if isinstance(b, Grid)]
    alone = [b for b in build_blocks(lhs, [], last.chars(), 1, pages={}) if isinstance(b, Grid)]
    assert len(ruled) == 1 and len(carried) == 1 and not alone

    def texts(g):
        return sorted((c.col, c.text) for c in g.cells if c.text)
    assert texts(carried[0]) == texts(ruled[0]) == [(2, "指标4:完成任务3"), (3, "≥93%")]
