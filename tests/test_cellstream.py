"""parse/cellstream.py: indicator tables of text dumps rebuilt from the stream of their
cells. `assign_levels` (which 二级 marker each row stands under) on hand-built rows,
`find_text_tables` on small dumps, and `CellStreamIndicators` end to end through
pipeline.process_file on small dumps of each kind the module reads (a cell per line, a
cell per paragraph, a '|' copy), each expected reading being what the form says."""
from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

import pipeline
from extract.textdump import read_text
from parse import cellstream, textflow
from parse.cellstream import AlignedRow, Tok, assign_levels, find_text_tables, shape, stream_level
from parse.labels import TITLE, squash
from parse.rows import document_rows

# -- assign_levels ---------------------------------------------------------------------------------


def _marker(text: str) -> Tok:
    t = Tok(text, 0, 0)
    t.level = stream_level(text)
    t.shape = "L"
    assert t.level, text            # (the test's own markers must be category words)
    return t


def _row(name: str, value: str, before: tuple[str, ...] = (), after: tuple[str, ...] = ()) -> AlignedRow:
    """A rebuilt row: its name and value, the markers the dump wrote since the row before
    it, and (last row) the markers written after it."""
    return AlignedRow({"name": name, "value": value}, [_marker(m) for m in before], None,
                      [_marker(m) for m in after])


def _levels(rows: list[AlignedRow]) -> list[str | None]:
    return [m.text if m is not None else None for m in assign_levels(rows)]


def test_assign_levels_markers_before_their_rows():
    """A merged level cell written once, before the first of its rows: each row takes the
    marker before it (an 一级 marker is no 二级)."""
    rows = [_row("培训人数", "≥1000人次", ("产出指标", "数量指标")), _row("补贴发放户数", "120户"),
            _row("培训合格率", "≥95%", ("质量指标",)), _row("证书发放率", "≥90%")]
    assert _levels(rows) == ["数量指标", "数量指标", "质量指标", "质量指标"]


def test_assign_levels_own_marker_beats_wording():
    """A marker written right before a row is the row's own even where the wording would
    suggest another category (a …率 under 时效指标)."""
    rows = [_row("培训人数", "≥1000人次", ("数量指标",)), _row("资金到位率", "100%", ("时效指标",))]
    assert _levels(rows) == ["数量指标", "时效指标"]


def test_assign_levels_flowed_run_before_the_rows():
    """pdftotext flowed a tall level column: all markers in one run before the first row.
    The wording splits the rows (人数/户数 a quantity, …率 a quality, …时限 / 及时 a
    timeliness, 元 a cost), groups in the markers' order."""
    rows = [_row("培训人数", "≥1000人次", ("数量指标", "质量指标", "时效指标", "成本指标")),
            _row("补贴发放户数", "120户"),
            _row("培训合格率", "≥95%"),
            _row("资金拨付及时性", "及时"),
            _row("培训完成时限", "2025年12月底前"),
            _row("人均补助额", "≤500元")]
    assert _levels(rows) == ["数量指标", "数量指标", "质量指标", "时效指标", "时效指标", "成本指标"]


def test_assign_levels_flowed_run_uneven_groups():
    """A run of three markers over five rows: one quantity, three …率 qualities, one
    deadline; the split follows the wording, not an even share."""
    rows = [_row("培训人数", "≥1000人次", ("数量指标", "质量指标", "时效指标")),
            _row("培训合格率", "≥95%"), _row("验收合格率", "100%"), _row("证书发放率", "≥90%"),
            _row("完成时限", "2025年12月底前")]
    assert _levels(rows) == ["数量指标", "质量指标", "质量指标", "质量指标", "时效指标"]


def test_assign_levels_trailing_markers():
    """The level column flowed after the rows: the markers come after the last row."""
    rows = [_row("培训人数", "≥1000人次"), _row("补贴发放户数", "120户"), _row("培训合格率", "≥95%"),
            _row("资金拨付及时性", "及时"), _row("培训完成时限", "2025年12月底前"),
            _row("人均补助额", "≤500元", after=("数量指标", "质量指标", "时效指标", "成本指标"))]
    assert _levels(rows) == ["数量指标", "数量指标", "质量指标", "时效指标", "时效指标", "成本指标"]


def test_assign_levels_both_levels_in_one_marker():
    """A marker naming both levels (产出数量指标) is the rows' 二级 marker."""
    rows = [_row("培训人数", "≥1000人次", ("产出数量指标",)), _row("培训合格率", "≥95%", ("产出质量指标",))]
    assert _levels(rows) == ["产出数量指标", "产出质量指标"]


def test_rows_before_any_marker_leave_the_others_theirs():
    """A first row no marker may be given (its category is the form's own, not a marker) does not
    void the markers of the rows after it."""
    rows = [_row("规章制度建立与否", ""), _row("享受资助人数", "2100", ("产出指标", "数量指标")),
            _row("建档立卡学生全面覆盖", "100%", ("质量指标",))]
    assert _levels(rows) == [None, "数量指标", "质量指标"]


def test_assign_levels_without_markers():
    """No 二级 marker anywhere (only an 一级, or none): no row gets one."""
    assert _levels([_row("培训人数", "≥1000人次", ("产出指标",)), _row("培训合格率", "≥95%")]) == [None, None]
    assert _levels([_row("培训人数", "≥1000人次"), _row("培训合格率", "≥95%")]) == [None, None]
    assert assign_levels([]) == []


# -- shape -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,sh", [
    ("20", "N"), ("≥", "O"), ("万元", "U"), ("定量", "C"), ("正向", "C"), ("指标1", "B"),
    ("≥95%", "V"), ("2025年12月底前", "V"), ("有效提升", "V"),
    ("培训合格率", "M"), ("就业技能", "T"), ("达到目标值", "D"), ("达到预计值", "D"), ("计划标准", "D"), ("按省级标准", "D"),
    ("反映项目培训人数的完成情况，按实际培训人次统计。", "S"),
])
def test_shape_of_cells(text, sh):
    """What a cell looks like decides which column may take it: a bare number, an
    operator, a unit, a closed word, a label, a value, a name-worded text, a sentence."""
    assert shape(text) == sh


# -- find_text_tables ------------------------------------------------------------------------------

def _rows(text: str):
    return document_rows(read_text(text.encode("utf-8")))


def _is_title(row) -> bool:
    return bool(TITLE.search(squash(row.text(""))))


def _tables(text: str) -> list[tuple[list[str], list[str]]]:
    """(header words, the table's non-blank lines) of each table found."""
    rows = _rows(text)
    return [(heads, [r.text(" ") for r in rs if not r.blank])
            for _i, (heads, rs, _j) in sorted(find_text_tables(rows, _is_title).items())]


ONE_CELL_DUMP = """项目支出绩效目标表
项目名称
职业技能培训补助
主管部门
某县人力资源和社会保障局
年度绩效目标
目标1：完成职业技能培训1000人次。
一级指标
二级指标
三级指标
指标值
产出指标
数量指标
培训人数
≥1000人次
质量指标
培训合格率
≥95%
填报人：张三
联系电话：12345678
"""


def test_find_text_tables_one_cell_per_line():
    """A table written a cell per line starts at its first header word and ends before
    the sign-off under it; the header block above is not part of it."""
    ((heads, lines),) = _tables(ONE_CELL_DUMP)
    assert heads == ["一级指标", "二级指标", "三级指标", "指标值"]
    assert lines[0] == "一级指标" and lines[-1] == "≥95%"
    assert "填报人：张三" not in lines and "职业技能培训补助" not in lines


RAW_TABLE = ("项目名称 职业技能培训补助\n"
             "一级指标 二级指标 三级指标 指标值\n"
             "产出指标 数量指标 培训人数 ≥1000人次\n"
             "产出指标 质量指标 培训合格率 ≥95%\n")


@pytest.mark.parametrize("after", [
    "总分 100",                          # the total line
    "注：本表由项目单位填报。",          # a note under the table
    "填报单位（盖章）：某县就业服务中心",  # sign-off
    "审核人：李四",
    "打印本页 关闭窗口",                 # a web page's furniture
    "主办单位：某县人民政府 网站标识码 123",
    "项目名称 农村公路养护补助",         # the next form's header block
])
def test_find_text_tables_ends_at_what_follows_a_table(after):
    """What stands under a table ends it: its rows are the two indicator rows only."""
    ((heads, lines),) = _tables(RAW_TABLE + after + "\n产出指标 数量指标 养护里程 125公里\n")
    assert heads == ["一级指标", "二级指标", "三级指标", "指标值"]
    assert lines == ["一级指标 二级指标 三级指标 指标值", "产出指标 数量指标 培训人数 ≥1000人次",
                     "产出指标 质量指标 培训合格率 ≥95%"]


def test_find_text_tables_two_forms():
    """Two forms one after the other: a table each, the second title ends the first."""
    text = (RAW_TABLE + "项目支出绩效目标表\n项目名称 农村公路养护补助\n"
            "一级指标 二级指标 三级指标 指标值\n产出指标 数量指标 养护里程 125公里\n")
    tables = _tables(text)
    assert [lines[1:] for _h, lines in tables] == [
        ["产出指标 数量指标 培训人数 ≥1000人次", "产出指标 质量指标 培训合格率 ≥95%"],
        ["产出指标 数量指标 养护里程 125公里"]]


@pytest.mark.parametrize("text", [
    "本项目一级指标为产出，二级指标为数量。\n三级指标说明如下：培训人数。\n",   # prose using the words
    "项目名称 职业技能培训补助\n指标名称 指标值\n培训人数 100人\n",            # two header words only
    "单位名称 项目名称 预算数 年度目标 一级指标 二级指标 三级指标 指标值\n"     # a flat export's header
    "某局 某项目 50 完成培训 产出指标 数量指标 培训人数 100人\n",
])
def test_find_text_tables_not_a_table(text):
    """No indicator table: prose mentioning header words, a line with only two of them,
    or a flat export (read by another reader)."""
    assert _tables(text) == []


# -- CellStreamIndicators through the pipeline -----------------------------------------------------

@pytest.fixture
def reads(monkeypatch):
    """The CellStreamIndicators readers that ran. The grid rebuild of default-mode dumps
    (parse/textflow.py) is held off so that these dumps reach the cell-stream reader."""
    seen: list[cellstream.CellStreamIndicators] = []
    real = cellstream.CellStreamIndicators.read

    def read(self):
        seen.append(self)
        return real(self)

    monkeypatch.setattr(cellstream.CellStreamIndicators, "read", read)
    monkeypatch.setattr(textflow, "find_flow_tables", lambda rows, is_title=None: {}, raising=False)
    return seen


def _process(tmp_path: Path, text: str, reads) -> pipeline.Result:
    path = tmp_path / "dump.txt"
    path.write_text(text, encoding="utf-8")
    res = pipeline.process_file(path, pipeline.Options(ocr=False))
    assert res.documents[0]["status"] != "failed", res.documents
    assert reads, "the table was not read by CellStreamIndicators"
    return res


def _indicators(res) -> list[tuple]:
    return [(i["level1"], i["level2"], i["name"], i["value_raw"]) for i in res.indicators]


FULL = [
    ("产出指标", "数量指标", "培训人数", "≥1000人次"),
    ("产出指标", "质量指标", "培训合格率", "≥95%"),
    ("产出指标", "时效指标", "培训完成时间", "2025年12月底前"),
    ("产出指标", "成本指标", "人均培训补助", "≤500元/人"),
    ("效益指标", "社会效益指标", "就业技能", "有效提升"),
    ("满意度指标", "服务对象满意度指标", "受训人员满意度", "≥90%"),
]
HEAD_CELLS = ["2025年度项目支出绩效目标表", "项目名称", "职业技能培训补助", "主管部门", "某县人力资源和社会保障局",
              "一级指标", "二级指标", "三级指标", "指标值"]
BODY_CELLS = ["产出指标", "数量指标", "培训人数", "≥1000人次",
              "质量指标", "培训合格率", "≥95%",
              "时效指标", "培训完成时间", "2025年12月底前",
              "成本指标", "人均培训补助", "≤500元/人",
              "效益指标", "社会效益指标", "就业技能", "有效提升",
              "满意度指标", "服务对象满意度指标", "受训人员满意度", "≥90%"]


def test_one_cell_per_line_dump(tmp_path, reads):
    """pdftotext -raw of a narrow table: a cell per line, merged level cells once."""
    res = _process(tmp_path, "\n".join(HEAD_CELLS + BODY_CELLS + ["填报人：张三"]) + "\n", reads)
    assert _indicators(res) == FULL
    assert res.projects[0]["project_name"] == "职业技能培训补助"


def test_one_cell_per_paragraph_dump(tmp_path, reads):
    """pdftotext's default mode: the same cells, a blank line between each."""
    res = _process(tmp_path, "\n\n".join(HEAD_CELLS + BODY_CELLS) + "\n", reads)
    assert reads[0].paragraphs
    assert _indicators(res) == FULL


def test_flowed_level_column_dump(tmp_path, reads):
    """The 二级 column flowed in one run before the rows (数量 质量 时效 成本, then the
    names and values): the wording puts each row under its category."""
    body = ["产出指标", "数量指标", "质量指标", "时效指标", "成本指标",
            "培训人数", "≥1000人次", "补贴发放户数", "120户", "培训合格率", "≥95%",
            "培训完成时限", "2025年12月底前", "人均补助额", "≤500元",
            "效益指标", "社会效益指标", "就业技能", "有效提升"]
    res = _process(tmp_path, "\n".join(HEAD_CELLS + body) + "\n", reads)
    assert _indicators(res) == [
        ("产出指标", "数量指标", "培训人数", "≥1000人次"),
        ("产出指标", "数量指标", "补贴发放户数", "120户"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
        ("产出指标", "时效指标", "培训完成时限", "2025年12月底前"),
        ("产出指标", "成本指标", "人均补助额", "≤500元"),
        ("效益指标", "社会效益指标", "就业技能", "有效提升"),
    ]


PIPE_ROWS = """2025年度项目支出绩效目标表
项目名称 | 职业技能培训补助 |
主管部门 | 某县人力资源和社会保障局 | 实施单位 | 某县就业服务中心 |
年度绩效目标 | 目标1：完成职业技能培训1000人次。 |
一级指标 | 二级指标 | 三级指标 | 指标值 |
产出指标 | 数量指标 | 培训人数 | ≥1000人次 |
质量指标 | 培训合格率 | ≥95% |
时效指标 | 培训完成时间 | 2025年12月底前 |
成本指标 | 人均培训补助 | ≤500元/人 |
效益指标 | 社会效益指标 | 就业技能 | 有效提升 |
满意度指标 | 服务对象满意度指标 | 受训人员满意度 | ≥90% |
"""


def test_pipe_table_a_row_per_line(tmp_path, reads):
    """A web page copied with '|' between cells, a row per line; merged cells written
    once, so rows have 3 or 4 cells."""
    res = _process(tmp_path, PIPE_ROWS, reads)
    assert reads[0].pipes
    assert _indicators(res) == FULL
    assert res.projects[0]["implementing_unit"] == "某县就业服务中心"


def test_pipe_table_self_evaluation_columns(tmp_path, reads):
    """A '|' copy of a self-evaluation table: target, actual, weight and score each in
    their place; the 总分 line is no indicator."""
    text = """2024年度项目支出绩效自评表
项目名称 | 职业技能培训补助 |
主管部门 | 某县人力资源和社会保障局 |
一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |
产出指标 | 数量指标 | 培训人数 | ≥1000人次 | 1050人次 | 20 | 20 |
质量指标 | 培训合格率 | ≥95% | 96% | 20 | 18 |
效益指标 | 社会效益指标 | 就业技能 | 有效提升 | 有效提升 | 30 | 28 |
满意度指标 | 服务对象满意度指标 | 受训人员满意度 | ≥90% | 92% | 10 | 10 |
总分 | 100 | 96 |
"""
    res = _process(tmp_path, text, reads)
    got = [(i["level2"], i["name"], i["value_raw"], i["actual_raw"], i["weight"], i["score"]) for i in res.indicators]
    assert got == [
        ("数量指标", "培训人数", "≥1000人次", "1050人次", 20.0, 20.0),
        ("质量指标", "培训合格率", "≥95%", "96%", 20.0, 18.0),
        ("社会效益指标", "就业技能", "有效提升", "有效提升", 30.0, 28.0),
        ("服务对象满意度指标", "受训人员满意度", "≥90%", "92%", 10.0, 10.0),
    ]


def test_pipe_table_a_cell_per_line_blank_line_ends_a_row(tmp_path, reads):
    """A '|' copy written a cell per line, a blank line after each row: rows whose value
    cell is empty end at the blank line, so the next row's name is not taken as a value."""
    text = """2025年度项目支出绩效目标表
项目名称 | 职业技能培训补助 |
主管部门 | 某县人力资源和社会保障局 |
一级指标 | 二级指标 | 三级指标 | 指标值 |
产出指标 |
数量指标 |
培训人数 |

培训覆盖乡镇 |

培训班次 |
12期 |

质量指标 |
培训合格率 |
≥95% |

效益指标 |
社会效益指标 |
就业技能 |
有效提升 |

"""
    res = _process(tmp_path, text, reads)
    assert [(l1, l2, n, v or "") for l1, l2, n, v in _indicators(res)] == [
        ("产出指标", "数量指标", "培训人数", ""),
        ("产出指标", "数量指标", "培训覆盖乡镇", ""),
        ("产出指标", "数量指标", "培训班次", "12期"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
        ("效益指标", "社会效益指标", "就业技能", "有效提升"),
    ]


@pytest.mark.parametrize("kind", ["pipes", "one_cell"])
def test_checkbox_rows_are_skipped(tmp_path, reads, kind):
    """A checklist row inside the table (最近年度绩效评价情况 优秀□ 良好□ …) is a field
    of the form, not an indicator; the reader sees it and leaves it out."""
    if kind == "pipes":
        text = PIPE_ROWS + "最近年度绩效评价情况 | 优秀□ 良好□ 合格□ 不合格□ |\n"
        want = FULL
    else:
        body = BODY_CELLS[:7] + ["最近年度绩效评价情况", "优秀□ 良好□ 合格□ 不合格□"] + BODY_CELLS[13:17]
        text = "\n".join(HEAD_CELLS + body) + "\n"
        want = [FULL[0], FULL[1], FULL[4]]
    res = _process(tmp_path, text, reads)
    assert any("□" in r.text("") for rd in reads for r in rd.rows)     # inside the table read
    assert _indicators(res) == want
    assert not any("评价情况" in i["name"] or "□" in (i["value_raw"] or "") for i in res.indicators)


@pytest.mark.parametrize("names,values,sep", [
    pytest.param(["指标1：培训人数", "指标2：补贴发放户数"], ["≥1000人次", "120户"], "\n", id="labelled-raw"),
])
def test_deferred_values(tmp_path, reads, names, values, sep):
    """A dump that writes the values of a group after all of its names (pdftotext flowed
    the value column of a band): each name still gets its own value, in order."""
    def lab(k, n):
        return f"指标{k}：{n}" if names[0].startswith("指标") else n
    body = (["产出指标", "数量指标"] + names + values
            + ["质量指标", lab(3, "培训合格率"), "≥95%", "效益指标", "社会效益指标", lab(4, "就业技能"), "有效提升"])
    res = _process(tmp_path, sep.join(HEAD_CELLS + body) + "\n", reads)
    assert _indicators(res) == [
        ("产出指标", "数量指标", "培训人数", "≥1000人次"),
        ("产出指标", "数量指标", "补贴发放户数", "120户"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
        ("效益指标", "社会效益指标", "就业技能", "有效提升"),
    ]


def test_deferred_values_in_a_paragraph(tmp_path):
    """pdftotext's default mode: the values of a group stacked in one paragraph after its
    names. The whole pipeline pairs them in order (the default-mode rebuild,
    parse/textflow.py, reads such dumps; the cell-stream reader alone does not)."""
    body = ["产出指标", "数量指标", "培训人数", "补贴发放户数", "≥1000人次\n120户",
            "质量指标", "培训合格率", "≥95%", "效益指标", "社会效益指标", "就业技能", "有效提升"]
    path = tmp_path / "dump.txt"
    path.write_text("\n\n".join(HEAD_CELLS + body) + "\n", encoding="utf-8")
    res = pipeline.process_file(path, pipeline.Options(ocr=False))
    assert _indicators(res) == [
        ("产出指标", "数量指标", "培训人数", "≥1000人次"),
        ("产出指标", "数量指标", "补贴发放户数", "120户"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
        ("效益指标", "社会效益指标", "就业技能", "有效提升"),
    ]


def test_real_raw_dump_with_a_standard_column():
    """hebei-ningjin's -raw dump (指标名称 | 指标说明 | 目标值 | 分值 | 备注): 达到目标值 / 达到预计值 are
    the 指标说明 column's, not header words repeated nor values, so each value and weight keeps
    its row. (资助对象满意度, whose value the dump wrote after the table, is read with its weight
    as its value: not asserted.)"""
    path = Path(__file__).parent / "fixtures" / "textflow" / "hebei-ningjin-gaozhong-zhuxuejin-2019-raw.txt"
    res = pipeline.process_file(path, pipeline.Options(ocr=False))
    got = {i["name"]: (i["value_raw"], i["weight"]) for i in res.indicators}
    assert got["享受资助人数"] == ("2100", 10)
    assert got["资金支出率"] == ("95%", 10)
    assert got["及时发放率"] == ("100%", 20)
    assert got["建档立卡学生全面覆盖"] == ("100%", 10)


def test_real_excel_raw_dump_table_resumes_after_the_header_block():
    """huaibei's Excel sheet through pdftotext -raw comes by style run: the header, the category
    words with the weights' and scores' numbers (no value among them), the form's header block,
    then the rows (产出指标(50分) / name target actual). The table is read where it resumes,
    under the header it opened with."""
    path = Path(__file__).parent / "fixtures" / "textflow" / "anhui-huaibei-suixi-linshijiuzhu-ziping-2019-raw.txt"
    res = pipeline.process_file(path, pipeline.Options(ocr=False))
    gold = json.loads(Path(str(path) + ".gold.json").read_text(encoding="utf-8"))["projects"][0]["indicators"]
    got = {(i["level1"], i["level2"], i["name"], i["value_raw"], i["actual_raw"]) for i in res.indicators}
    assert got == {(g["level1"], g["level2"], g["name"], g["value_raw"], g["actual_raw"]) for g in gold}
    assert not any(i["name"].isdigit() for i in res.indicators)


def test_real_excel_raw_dump_level_column_run_and_the_header_lines_after_it():
    """huaibei -raw: the level column's run (数量指标 then a line of 分值 得分 per row, 质量指标
    then its lines) gives the rows without a level of their own their 二级指标 in order (5 数量,
    3 质量); the lines after the run are the form's: its year (2019年度) and its unit in the budget
    system's spelling ([155]濉溪县民政局); the text under 年初设定目标 | …完成情况综述 is the goal."""
    path = Path(__file__).parent / "fixtures" / "textflow" / "anhui-huaibei-suixi-linshijiuzhu-ziping-2019-raw.txt"
    res = pipeline.process_file(path, pipeline.Options(ocr=False))
    (p,) = res.projects
    assert p["budget_year"] == 2019
    assert (p["department"], p["department_code"]) == ("濉溪县民政局", "155")
    assert [g["text"] for g in res.goals] == ["为建档立卡扶贫户解决临时性的困难"]
    assert collections.Counter(i["level2"] for i in res.indicators) == {"数量指标": 5, "质量指标": 3, "社会效益指标": 1}


def test_real_raw_dump_title_cut_at_a_font_change_and_a_funds_row_of_cells():
    """tushuguan -raw: '2022 年度共享工程项目自评表' is cut where the PDF changed font (a space
    beside a digit), and its funds row is '年度财政资金总额 5 5 100% 20' (万元): the title, year and
    form type are read, and the total is 5万, not 5 5 100 run together."""
    path = Path(__file__).parent / "fixtures" / "textflow" / "hubei-huangshi-tushuguan-ziping-2022-raw.txt"
    res = pipeline.process_file(path, pipeline.Options(ocr=False))
    (p,) = res.projects
    assert p["form_title"] == "2022年度共享工程项目自评表" and p["budget_year"] == 2022
    assert p["form_type"] == "self_evaluation"
    assert p["funds_total_yuan"] == 50000.0


def test_real_raw_dump_an_operators_number_keeps_the_words_its_unit_opens():
    """tushuguan -raw: '≥360 天服务读者 ≥360 天 ≥360 天 10' — the space after ≥360 is a font change:
    the name is ≥360天服务读者 (its value ≥360天), not 天服务读者."""
    path = Path(__file__).parent / "fixtures" / "textflow" / "hubei-huangshi-tushuguan-ziping-2022-raw.txt"
    res = pipeline.process_file(path, pipeline.Options(ocr=False))
    got = {i["name"]: i["value_raw"] for i in res.indicators}
    assert got.get("≥360天服务读者") == "≥360天" and "天服务读者" not in got


def test_a_second_note_column_is_a_column_of_its_own():
    """绩效标准 and 指标值说明 both name notes; the second is its own column (note2), not dropped as a
    repeat, so its cells do not shift the row."""
    from parse.cellstream import header_template
    assert header_template(["一级指标", "二级指标", "三级指标", "绩效标准", "当年预期实现值", "指标值说明"]) \
        == ["name", "note", "value", "note2"]
    assert header_template(["一级指标", "二级指标", "三级指标", "指标值", "指标值说明"]) == ["name", "value", "note"]


def test_header_template_a_word_written_again_is_the_header_repeated():
    """A dump writes the header again on each page: 指标值说明 twice is one note column, not a
    second (a second note column has a word of its own: 绩效标准 … 指标值说明)."""
    from parse.cellstream import header_template
    assert header_template(["三级指标", "指标值", "指标值说明", "一级指标", "三级指标", "指标值", "指标值说明"]) \
        == ["name", "value", "note"]
    assert header_template(["三级指标", "绩效标准", "指标值", "指标值说明"]) == ["name", "note", "value", "note2"]
