"""parse/layout_grid.py: indicator tables and header blocks of `pdftotext -layout` dumps
rebuilt as ruled grids, read by ColumnIndicators and the form parser as a PDF's grid is
(the pipeline is not involved).

Real dumps of five templates (tests/fixtures/layout/, copied with their gold from
shared/samples/real), the project's own layout samples, drawn forms of every family with
one form per table through the real `pdftotext -layout`, and hand-built dumps."""
from __future__ import annotations

import collections
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES
from extract.reader import ReadOptions, read_document
from extract.textdump import read_text
from goldfacts import HEADER, canon, gold_indicators, indicator_ident, multiset_f1
from parse.columns import ColumnIndicators, find_tables
from parse.form import FormParser
from parse.layout_grid import (as_one_column_wide, find_layout_tables, grid_rows, header_block, header_spans,
                               layout_table, wide_as_two)
from parse.model import RawForm
from parse.records import indicator_records, project_record
from parse.rows import document_rows
from tests.fixtures import formgen

FIXTURES = ROOT / "tests" / "fixtures" / "layout"
REAL = sorted(p.name for p in FIXTURES.glob("*-layout.txt"))
OWN = ["shapotou-2025-layout.txt", "shapotou-2025-word-layout.txt", "anhui-jinzhai-wuye-2021-layout.txt"]
# flat exports (many projects in one table) are parse/flat_text.py's, not a grid's
FAMILIES = [f for f in formgen.FAMILIES if f != "flat"]



def _rebuilt(rows) -> list[tuple]:
    """Indicators of every table of a dump, through layout_table and ColumnIndicators."""
    out = []
    for _start, (lines, _end) in find_layout_tables(rows).items():
        table = layout_table(lines)
        if table is None:
            continue
        form = RawForm()
        ColumnIndicators(form, table).read()
        out.extend(indicator_ident(i) for i in indicator_records(form, "p", ocr=False))
    return out




def _rows_of(path: Path):
    return document_rows(read_document(path.read_bytes(), ReadOptions(ocr=False)))


@pytest.mark.parametrize("name", REAL)
def test_real_layout_dumps_read_like_their_grids(name):
    """Wrapped level labels centred in their blocks, stacked 产/出/指/标 captions, three-line
    headers, a page set narrower by pdftotext, cells run together by one space."""
    path = FIXTURES / name
    gold = json.loads(Path(str(path) + ".gold.json").read_text(encoding="utf-8"))["projects"]
    got = _rebuilt(_rows_of(path))
    assert collections.Counter(got) == collections.Counter(gold_indicators(gold)), \
        f"missed {list((collections.Counter(gold_indicators(gold)) - collections.Counter(got)).elements())[:4]}; " \
        f"extra {list((collections.Counter(got) - collections.Counter(gold_indicators(gold))).elements())[:4]}"


def test_real_dumps_are_five_templates():
    # the fixtures are the five real dumps the module was measured on
    assert len(REAL) == 5


@pytest.mark.parametrize("name", OWN)
def test_own_layout_samples_stay_exact(name):
    path = SAMPLES / name
    got = _rebuilt(_rows_of(path))
    want = gold_indicators(json.loads(Path(str(path) + ".gold.json").read_text(encoding="utf-8"))["projects"])
    assert collections.Counter(got) == collections.Counter(want)


def test_generated_forms_through_pdftotext_layout(tmp_path):
    """Every family with one form per table, seeds 0-2, through the real pdftotext -layout:
    measured exact on all 21 forms."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed: .ci/run installs it"
    scores = {}
    for family in FAMILIES:
        for seed in (0, 1, 2):
            spec = formgen.random_spec(seed, family)
            pdf = tmp_path / f"{family}-{seed}.pdf"
            txt = tmp_path / f"{family}-{seed}-layout.txt"
            formgen.render_pdf(spec, pdf)
            subprocess.run(["pdftotext", "-layout", str(pdf), str(txt)], check=True)
            scores[f"{family}-{seed}"] = multiset_f1(gold_indicators(formgen.gold(spec)["projects"]), _rebuilt(_rows_of(txt)))
    low = {k: round(v, 3) for k, v in scores.items() if v < 0.95}
    assert not low, low
    assert sum(scores.values()) / len(scores) >= 0.99, scores


def _line(*parts: tuple[int, str]) -> str:
    s = ""
    for x, text in parts:
        s = s.ljust(x) + text
    return s


# a table with a two-line header cell, a level label centred on its block, a name
# wrapped around the line its value stands on, and a level label run into its name
SMALL = "\n".join([
    _line((0, "项目支出绩效目标表")),
    _line((0, "项目名称"), (12, "职业技能培训补助")),
    "",
    _line((46, "年度")),
    _line((0, "一级指标"), (12, "二级指标"), (24, "三级指标"), (46, "指标值")),
    "",
    _line((12, "数量指标"), (18, "培训人数"), (46, "≥100人")),
    _line((18, "培训合格率的长名称很长很长")),
    _line((0, "产出指标"), (46, "≥95%")),
    _line((18, "的一部分")),
    _line((12, "质量指标 按时完成率"), (46, "100%")),
    "",
    _line((0, "效益指标"), (12, "社会效益指标"), (20, "群众知晓率"), (46, "明显提高")),
]) + "\n"


def _small_table():
    doc = read_text(SMALL.encode("utf-8"))
    assert doc.layout_text
    rows = document_rows(doc)
    tables = find_layout_tables(rows)
    assert len(tables) == 1
    (start, (lines, end)), = tables.items()
    assert rows[start].text("") == "年度"          # the header's piece above it is taken in
    assert end == len(rows)
    return layout_table(lines)


def test_small_table_cells():
    t = _small_table()
    assert [s.text for s in t.header[-1].slots] == ["一级指标", "二级指标", "三级指标", "年度\n指标值"]
    cells = [[(s.text, s.start) for s in r.slots] for r in t.data]
    assert cells == [
        [("产出指标", True), ("数量指标", True), ("培训人数", True), ("≥100人", True)],
        [("产出指标", False), ("", True), ("培训合格率的长名称很长很长\n的一部分", True), ("≥95%", True)],
        [("产出指标", False), ("质量指标", True), ("按时完成率", True), ("100%", True)],
        [("效益指标", True), ("社会效益指标", True), ("群众知晓率", True), ("明显提高", True)],
    ]
    # every slot of a column spans the column's own characters, the same on every row
    for k in range(4):
        assert len({(r.slots[k].x0, r.slots[k].x1) for r in t.data}) == 1


def test_small_table_reads_through_column_indicators():
    form = RawForm()
    ColumnIndicators(form, _small_table()).read()
    got = [(i.level1, i.level2, i.name_raw, i.value_raw) for i in form.indicators]
    assert got == [("产出指标", "数量指标", "培训人数", "≥100人"),
                   ("产出指标", "数量指标", "培训合格率的长名称很长很长的一部分", "≥95%"),
                   ("产出指标", "质量指标", "按时完成率", "100%"),
                   ("效益指标", "社会效益指标", "群众知晓率", "明显提高")]


def test_sum_row_and_its_wrapped_score_are_left_out():
    """总分 with its score wrapped above and below it (90.1 / 总分 100 / 5) is no indicator."""
    text = "\n".join([
        _line((0, "一级指标"), (12, "二级指标"), (24, "三级指标"), (46, "指标值"), (56, "分值"), (62, "得分")),
        _line((0, "产出指标"), (12, "数量指标"), (24, "培训人数"), (46, "≥100人"), (56, "10"), (62, "10")),
        _line((62, "90.1")),
        _line((24, "总分"), (56, "100")),
        _line((62, "5")),
    ]) + "\n"
    rows = document_rows(read_text(text.encode("utf-8")))
    (_start, (lines, end)), = find_layout_tables(rows).items()
    assert rows[end - 1].text("") == "5"     # the table takes in the sum row's wrapped piece below it
    t = layout_table(lines)
    assert [[s.text for s in r.slots] for r in t.data] == [["产出指标", "数量指标", "培训人数", "≥100人", "10", "10"]]


def test_no_table_without_column_headers():
    text = "\n".join([_line((0, "项目名称"), (12, "某项目")), _line((0, "部门（单位")), _line((6, "某局")),
                      _line((1, "）名称"))]) + "\n"
    assert find_layout_tables(document_rows(read_text(text.encode("utf-8")))) == {}
    assert layout_table([]) is None


# -- header blocks -----------------------------------------------------------------------------------

def _header_facts(doc) -> collections.Counter:
    """Header fields and goals of a document's forms, through the form parser."""
    out = collections.Counter()
    for k, form in enumerate(FormParser(doc).run()):
        rec = project_record(form, "d", k + 1)
        for f in HEADER:
            if canon(rec.get(f)) is not None:
                out[(k, f, canon(rec[f]))] += 1
        for g in form.goals:
            out[(k, "goal", canon(g.text))] += 1
    return out


@pytest.mark.parametrize("name", REAL)
def test_real_layout_headers_read_like_their_grids(name):
    """Funds matrices with headings of three lines under a merged 项目资金 label, goals under
    预期目标 | 实际完成情况, a label set letter-spaced (总 体 目 / 标) and run into its text, a
    value wrapped around its label's line, sub-labels in a merged block (立项依据 / 主要内容)."""
    path = FIXTURES / name
    gold = json.loads(Path(str(path) + ".gold.json").read_text(encoding="utf-8"))["projects"]
    want = collections.Counter()
    for k, p in enumerate(gold):
        for f in HEADER:
            if canon(p.get(f)) is not None:
                want[(k, f, canon(p[f]))] += 1
        for g in p.get("goals", []):
            want[(k, "goal", canon(g))] += 1
    got = _header_facts(read_document(path.read_bytes(), ReadOptions(ocr=False)))
    assert got == want, f"missed {list((want - got).elements())[:4]}; extra {list((got - want).elements())[:4]}"


@pytest.mark.parametrize("name", REAL)
def test_rebuilt_tables_are_found_among_grid_rows(name):
    """The indicator table as grid rows is the table find_tables finds (the form parser reads
    a layout dump's grid rows as a PDF's)."""
    for _start, (lines, _end) in find_layout_tables(_rows_of(FIXTURES / name)).items():
        t = layout_table(lines)
        rows = grid_rows(t, -1)
        found = find_tables(rows)
        assert list(found) == [0] and found[0][1] == len(rows)
        got = found[0][0]
        assert [[(s.text, s.start) for s in r.slots] for r in got.header + got.data] == \
            [[(s.text, s.start) for s in r.slots] for r in t.header + t.data]


# a self-evaluation form: a label run into its value with one space, a funds matrix whose
# headings wrap over three lines under a merged label, a fiscal row wrapped around its
# amounts, goals under 预期目标 | 实际完成情况
SELF_EVAL = "\n".join([
    _line((22, "项目支出绩效自评表")),
    _line((28, "（2019年度）")),
    _line((60, "单位：万元")),
    "",
    _line((0, "项目名称 购买第三方服务")),
    "",
    _line((0, "主管部门"), (18, "市财政局"), (43, "实施单位"), (65, "市财政局")),
    "",
    _line((32, "全年预算"), (45, "全年执行"), (58, "执行")),
    _line((18, "年初预算数"), (52, "分值"), (71, "得分")),
    _line((34, "数"), (47, "数"), (58, "率")),
    "",
    _line((7, "年度资金总额"), (23, "287"), (33, "287"), (45, "171"), (52, "10"), (58, "60%"), (71, "6")),
    _line((0, "项目资金")),
    _line((7, "其中：当年财")),
    _line((0, "（万元）"), (23, "287"), (33, "287"), (45, "171")),
    _line((7, "政拨款")),
    "",
    _line((7, "其他资金")),
    "",
    _line((0, "年度总体"), (18, "预期目标"), (55, "实际完成情况")),
    _line((1, "目标"), (18, "287"), (55, "171")),
    "",
    _line((33, "年度"), (41, "实际")),
    _line((0, "一级指标"), (12, "二级指标"), (22, "三级指标"), (33, "指标值"), (41, "完成值"), (52, "分值"), (58, "得分")),
    "",
    _line((0, "产出指标"), (12, "数量指标"), (22, "服务对象人数"), (33, "100人次"), (41, "100人次"), (52, "15"), (58, "15")),
]) + "\n"


def _block_rows(text: str) -> tuple[list, list]:
    """(lines before it, grid rows) of the dump's first header block, above its table."""
    rows = document_rows(read_text(text.encode("utf-8")))
    rows = rows[:min(find_layout_tables(rows), default=len(rows))]
    (s, e), *_ = header_spans(rows)
    return rows[:s], header_block(rows[s:e], iter(range(-1, -100, -1)))


def test_header_block_rows_stand_as_a_grids_rows():
    free, grid = _block_rows(SELF_EVAL)
    # the title, the year and the money unit stand outside the rules
    assert [r.text("") for r in free if not r.blank] == ["项目支出绩效自评表", "(2019年度)", "单位:万元"]
    assert {r.grid for r in grid} == {-1}
    assert [[(s.text, s.start) for s in r.slots] for r in grid] == [
        [("项目名称", True), ("购买第三方服务", True)],
        [("主管部门", True), ("市财政局", True), ("实施单位", True), ("市财政局", True)],
        [("项目资金\n(万元)", True), ("年初预算数", True), ("全年预算\n数", True), ("全年执行\n数", True),
         ("分值", True), ("执行\n率", True), ("得分", True)],
        [("项目资金\n(万元)", False), ("年度资金总额", True), ("287", True), ("287", True), ("171", True),
         ("10", True), ("60%", True), ("6", True)],
        [("项目资金\n(万元)", False), ("其中:当年财\n政拨款", True), ("287", True), ("287", True), ("171", True)],
        [("项目资金\n(万元)", False), ("其他资金", True)],
        [("年度总体\n目标", True), ("预期目标", True), ("实际完成情况", True)],
        [("年度总体\n目标", False), ("287", True), ("171", True)],
    ]
    # a merged label is one cell (one key) on every row it spans
    assert len({r.slots[0].key for r in grid[2:6]}) == 1
    # under one label, a value stands in its heading's column
    head, total = grid[2], grid[3]
    for h, v in zip(head.slots[1:], total.slots[2:]):
        assert (h.x0, h.x1) == (v.x0, v.x1)


def test_header_block_reads_funds_by_column_and_planned_goals():
    (form,) = FormParser(read_text(SELF_EVAL.encode("utf-8"))).run()
    rec = project_record(form, "d", 1)
    assert (rec["project_name"], rec["department"], rec["implementing_unit"]) == ("购买第三方服务", "市财政局", "市财政局")
    assert (rec["funds_total_yuan"], rec["funds_fiscal_yuan"], rec["funds_executed_yuan"]) == \
        (2870000.0, 2870000.0, 1710000.0)
    assert [g.text for g in form.goals] == ["287"]          # 实际完成情况 is no goal
    assert [(i.name_raw, i.value_raw) for i in form.indicators] == [("服务对象人数", "100人次")]


# a declaration form: a project name wrapped around its label's line, a label run into its
# value, a unit wrapped around the next label's line, goals under a letter-spaced label
# (总 体 目 / 标) run into its text with one space and a heading of their own (年度目标)
DECLARATION = "\n".join([
    _line((24, "绩效目标申报表")),
    _line((29, "（2021年度）")),
    "",
    _line((7, "大青山乡沙湾子少数民族聚居村养殖")),
    _line((0, "项目名称"), (37, "项目负责人及电话"), (55, "达布 15947711885")),
    _line((7, "场基础设施建设项目")),
    _line((54, "武川县民族事务委员")),
    _line((0, "主管部门 武川县民族事务委员会"), (41, "实施单位")),
    _line((54, "会")),
    "",
    _line((7, "年度资金总额：50万"), (27, "中央衔接推进乡村振兴补助资金50")),
    _line((0, "资金情况")),
    _line((7, "其中：财政拨款"), (27, "中央衔接推进乡村振兴补助资金50")),
    _line((0, "（万元）")),
    _line((7, "其他资金")),
    "",
    _line((34, "年度目标")),
    "",
    _line((0, "总 体 目 新建养殖场占地约6500平米，建棚圈一栋约360平米，人工配种室、防疫")),
    _line((2, "标"), (6, "室84平米，饲料库120平米，打井，配电，建围墙约300米。")),
    _line((10, "一级指标"), (20, "二级指标"), (36, "三级指标"), (60, "指标值")),
    "",
    _line((10, "产出指标"), (20, "数量指标"), (36, "新增特色产业数量"), (60, "≥1个")),
]) + "\n"


def test_wrapped_values_and_a_letter_spaced_label():
    _free, grid = _block_rows(DECLARATION)
    cells = [[(s.text, s.start) for s in r.slots] for r in grid]
    assert cells[:2] == [
        [("项目名称", True), ("大青山乡沙湾子少数民族聚居村养殖\n场基础设施建设项目", True), ("项目负责人及电话", True),
         ("达布 15947711885", True)],
        [("主管部门", True), ("武川县民族事务委员会", True), ("实施单位", True), ("武川县民族事务委员\n会", True)],
    ]
    assert [c[0] for c in cells[2:5]] == [("资金情况\n(万元)", True)] + [("资金情况\n(万元)", False)] * 2
    # the goals label heads 年度目标 and the text under it, its letters kept whole
    assert cells[5] == [("总 体 目\n标", True), ("年度目标", True)]
    assert cells[6][0] == ("总 体 目\n标", False) and cells[6][1][0].startswith("新建养殖场") and len(cells[6]) == 2
    (form,) = FormParser(read_text(DECLARATION.encode("utf-8"))).run()
    rec = project_record(form, "d", 1)
    assert rec["project_name"] == "大青山乡沙湾子少数民族聚居村养殖场基础设施建设项目"
    assert rec["department"] == rec["implementing_unit"] == "武川县民族事务委员会"
    assert [g.text for g in form.goals] == ["新建养殖场占地约6500平米,建棚圈一栋约360平米,人工配种室、防疫室84平米,饲料库"
                                            "120平米,打井,配电,建围墙约300米。"]


def test_a_label_column_run_into_its_values():
    """Labels set narrower than the column beside them, two run into their cells with one
    space: the strip ends after the labels, not at the first gutter further right."""
    text = "\n".join([
        _line((4, "项目名称"), (12, "办公楼物业管理补助资金")),
        _line((4, "主管部门"), (12, "某市林业局"), (35, "实施单位"), (50, "某市林业局")),
        "",
        _line((12, "年度资金总额"), (34, "18")),
        _line((0, "项目资金（万 其中：当")),
        _line((2, "元）"), (7, "年财政拨"), (34, "18")),
        _line((8, "款")),
        _line((12, "其他资金")),
        "",
        _line((0, "年度总体目标 加快推进公共文化场馆免费开放工作")),
    ]) + "\n"
    _free, grid = _block_rows(text)
    assert [[(s.text, s.start) for s in r.slots] for r in grid] == [
        [("项目名称", True), ("办公楼物业管理补助资金", True)],
        [("主管部门", True), ("某市林业局", True), ("实施单位", True), ("某市林业局", True)],
        [("项目资金(万\n元)", True), ("年度资金总额", True), ("18", True)],
        [("项目资金(万\n元)", False), ("其中:当\n年财政拨\n款", True), ("18", True)],
        [("项目资金(万\n元)", False), ("其他资金", True)],
        [("年度总体目标", True), ("加快推进公共文化场馆免费开放工作", True)],
    ]


def test_no_header_block_in_a_flat_export():
    """A flat export's 项目名称 names a column (parse/flat_text.py reads it)."""
    text = "\n".join([
        _line((0, "单位名称"), (12, "项目名称"), (24, "预算数"), (34, "年度目标"), (46, "一级指标"), (56, "二级指标"),
              (66, "三级指标"), (78, "指标值")),
        _line((0, "某局"), (12, "某项目"), (24, "100"), (34, "完成某事"), (46, "产出指标"), (56, "数量指标"),
              (66, "培训人数"), (78, "≥100人")),
    ]) + "\n"
    assert header_spans(document_rows(read_text(text.encode("utf-8")))) == []


def _dline(*parts: tuple[int, str]) -> str:
    """A line as a terminal shows it: a wide character two columns wide."""
    s = ""
    for x, text in parts:
        w = sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)
        s += " " * max(1 if s else 0, x - w) + text
    return s


def test_a_dump_with_wide_characters_two_columns_wide():
    """Set by a terminal's widths, a value after a label starts its label's width in wide
    characters left of the values of lines without one: put back where pdftotext sets it."""
    parts = [[(0, "项目名称"), (20, "某项目经费")], [(20, "某市某区某某局")], [(0, "主管部门"), (20, "某市某区某局")],
             [(0, "实施单位"), (20, "某市某区某中心")], [(20, "某市某区某某某中心")], [(0, "项目属性"), (20, "新增项目")]]
    two = document_rows(read_text(("\n".join(_dline(*p) for p in parts) + "\n").encode("utf-8")))
    one = document_rows(read_text(("\n".join(_line(*p) for p in parts) + "\n").encode("utf-8")))
    assert wide_as_two(two) and not wide_as_two(one)
    moved = as_one_column_wide(two)
    assert [[(s.text, s.x0) for s in r.slots] for r in moved] == [[(s.text, s.x0) for s in r.slots] for r in one]
    assert as_one_column_wide(one) is one
