"""parse/roles.py on its own: header words, cell profiles and the joint assignment of
column roles in an indicator table (一级指标 | 二级指标 | 三级指标 | 指标值 | …).

Each expected role is what the form's column means to a reader of the form, not what
the code happens to return."""
from __future__ import annotations

import pytest

from parse.roles import (ColumnEvidence, assign_roles, column_role, content_scores, header_scores, is_outcome,
                         level_word, profile, strip_header)

# a small standard table, column by column (a merged 一级 cell written once, then blank)
L1 = ["产出指标", "", "", "效益指标", "满意度指标"]
L2 = ["数量指标", "质量指标", "时效指标", "社会效益指标", "服务对象满意度指标"]
NAMES = ["培训人数", "培训合格率", "培训完成时限", "群众政策知晓率", "受训人员满意度"]
VALUES = ["≥1000人次", "≥95%", "2025年12月底前", "明显提高", "≥90%"]
SENTENCES = ["反映项目培训人数的完成情况，按实际培训人次统计。",
             "指培训考核合格人数占参训人数的比例。",
             "考核培训是否在规定时间内完成，以验收报告为准。",
             "反映群众对政策的知晓程度，通过问卷调查取得。",
             "反映受训人员对培训的满意程度，通过问卷调查取得。"]
WEIGHTS = ["20", "20", "10", "30", "20"]


def _roles(cols: list[tuple[list[str], list[str]]]):
    """assign_roles on (header pieces, cells) per column; returns the choices."""
    return assign_roles([ColumnEvidence(list(h), list(c), rows=len(c)) for h, c in cols])


# -- strip_header ----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,clean", [
    ("★三级指标", "三级指标"),                         # a mark for required columns
    ("*指标值", "指标值"),
    ("※备注", "备注"),
    ("指标值（必填）", "指标值"),                       # an annotation of the template
    ("三级指标(选填)", "三级指标"),
    ("年初目标值(A)", "年初目标值"),                    # a letter naming the column in a formula
    ("执行率(B/A)", "执行率"),
    ("分值（20分）", "分值"),                           # the points a block is worth
    ("预算执行情况（万元）（20分）", "预算执行情况"),   # a money unit and points together
    (" 三级 指标 ", "三级指标"),                        # white space a wrapped cell keeps
    ("年度\n指标值", "年度指标值"),
    ("指标名称：", "指标名称"),                         # a closing colon
    ("★年度指标值（必填）", "年度指标值"),            # several at once
])
def test_strip_header_removes_marks_and_annotations(raw, clean):
    """A header cell as templates print it: marks, annotations, spaces, a colon go."""
    assert strip_header(raw) == clean


def test_strip_header_keeps_plain_words_and_empty():
    """A plain header comes back as it is; nothing is nothing."""
    assert strip_header("二级指标") == "二级指标"
    assert strip_header(None) == ""
    assert strip_header("  ") == ""


# -- header_scores / column_role -------------------------------------------------------------------

@pytest.mark.parametrize("header,role", [
    ("一级指标", "l1"),
    ("二级指标", "l2"),
    ("三级指标", "name"),
    ("指标名称", "name"),
    ("指标值", "value"),
    ("年度指标值", "value"),
    ("目标值", "value"),
    ("年初目标值(A)", "value"),
    ("长期指标值", "value_long"),      # its tail spells 指标值, its head says long-term
    ("实际完成值", "actual"),
    ("全年实际完成值", "actual"),
    ("实际完成值(B)", "actual"),
    ("指标值说明", "note"),            # head-final: an explanation of the value, not the value
    ("指标值设定依据", "note"),
    ("评分标准", "note"),
    ("备注", "note"),
    ("分值", "weight"),
    ("权重", "weight"),
    ("指标权重", "weight"),
    ("分值（20分）", "weight"),
    ("得分", "score"),
    ("自评得分", "score"),
    ("得分 (20分*执行率)", "score"),
    ("计量单位", "unit"),
    ("运算符号", "op"),
    ("序号", "seq"),
])
def test_column_role_of_header_words(header, role):
    """A header word that names its column outright gives that role, and only that one."""
    assert column_role(header) == role
    assert header_scores(header) == {role: 3.0}


@pytest.mark.parametrize("header,role", [
    ("年度\n指标值", "value"),          # wrapped in a narrow cell
    ("实际\n完成值", "actual"),
    ("分\n值", "weight"),
    ("指标值\n说明", "note"),
    ("★年度指标值（必填）", "value"),  # marked and annotated
    ("*三级指标", "name"),
    ("备注：", "note"),
    ("1.一级指标", "l1"),               # numbered headers: matched on how they end
    ("（三）三级指标", "name"),
])
def test_column_role_of_wrapped_and_marked_headers(header, role):
    """The same words wrapped over lines, marked, annotated or numbered."""
    assert column_role(header) == role


@pytest.mark.parametrize("header", ["指标性质", "指标方向", "指标值类型", "年度目标", "指标"])
def test_weak_headers_leave_the_role_to_the_contents(header):
    """Headers that may name several roles (指标性质: an operator, a direction or a type)
    name none outright: the column's cells must decide."""
    sc = header_scores(header)
    assert sc, header                          # they do say something
    assert max(sc.values()) < 3.0
    assert column_role(header) is None


def test_header_scores_of_weak_words():
    """What a weak header hints at: 指标性质 an operator / direction / type, 年度目标 a value."""
    assert set(header_scores("指标性质")) == {"op", "direction", "valtype"}
    assert set(header_scores("指标值类型")) == {"valtype"}
    assert set(header_scores("年度目标")) == {"value"}


@pytest.mark.parametrize("text", [
    "",
    "项目年度绩效目标完成情况总体评价",                 # a long caption, no column word
    "本表指标值由项目单位根据实际情况填写并对其真实性负责",   # a note mentioning 指标值
    "培训人数",
    "≥95%",
])
def test_non_header_text_names_no_role(text):
    """Text that is not a column header (a sentence, a name, a value) names no role."""
    assert column_role(text) is None
    assert not any(w >= 3.0 for w in header_scores(text).values())


# -- level_word / is_outcome -----------------------------------------------------------------------

@pytest.mark.parametrize("text,lw", [
    ("产出指标", "l1"),
    ("效益指标", "l1"),
    ("满意度指标", "l1"),
    ("产出", "l1"),
    ("产出指标（50分）", "l1"),        # with its points
    ("★产出指标", "l1"),
    ("数量指标", "l2"),
    ("质量指标", "l2"),
    ("时效指标", "l2"),
    ("社会效益指标", "l2"),
    ("生态效益", "l2"),
    ("可持续影响指标", "l2"),
    ("（一）数量指标", "l2"),          # numbered
    ("产出数量指标", "l12"),           # both levels in one cell
    ("效益-社会效益指标", "l12"),
])
def test_level_word_of_framework_categories(text, lw):
    """The framework's category words are level markers, l1 or l2 (or both at once)."""
    assert level_word(text) == lw


@pytest.mark.parametrize("text", ["培训人数", "培训合格率", "≥95%", "指标1", "2025年12月底前", "有效提升",
                                  "反映项目培训人数的完成情况，按实际培训人次统计。", ""])
def test_level_word_of_other_cells(text):
    """Names, values, labels and sentences are no category words."""
    assert level_word(text) is None


@pytest.mark.parametrize("text", ["有效提升", "明显改善", "稳步提升", "显著提高", "按时完成", "达标", "合格",
                                  "全覆盖", "基本满意"])
def test_is_outcome_of_qualitative_values(text):
    """Short texts worded as an outcome are qualitative values."""
    assert is_outcome(text)


@pytest.mark.parametrize("text", ["培训合格率", "资金到位率", "群众满意度", "培训完成时间", "95%",
                                  "促进产业发展有效带动", "有"])
def test_is_outcome_not_of_names(text):
    """Names (…率, …度, …时间), numbers, long phrases and single characters are no outcome."""
    assert not is_outcome(text)


# -- profile / content_scores ----------------------------------------------------------------------

def _best(cells: list[str]) -> str:
    cs = content_scores(profile(cells))
    return max(cs, key=cs.get)


def test_profile_counts_non_empty_cells_once():
    """Blank cells (a merged cell written once) and template dots are not counted; the
    shares are of the cells that hold something."""
    p = profile(["产出指标", "", "……", "效益指标"])
    assert p.n == 2 and p.rows == 4
    assert p.l1 == pytest.approx(1.0)
    assert p.value == 0.0


def test_profile_of_a_value_column():
    """Operators, percentages, deadlines and outcomes all parse as values."""
    p = profile(VALUES)
    assert p.value == pytest.approx(1.0)
    assert p.l1 == p.l2 == p.sentence == 0.0
    assert _best(VALUES) in ("value", "actual", "value_long")
    cs = content_scores(p)
    assert cs["value"] > max(cs["name"], cs["note"], cs["l1"], cs["l2"])


def test_profile_of_level_columns():
    """A column of 产出指标 / 效益指标 is level 1; of 数量指标 / 质量指标 … level 2."""
    assert _best(L1) == "l1"
    assert _best(L2) == "l2"
    assert profile(L2).l2 >= 0.6


def test_profile_of_sentences():
    """A column of explanations (反映…, 指…) is a note, not a value or a name."""
    p = profile(SENTENCES)
    assert p.sentence == pytest.approx(1.0)
    assert p.value == 0.0
    assert _best(SENTENCES) == "note"


def test_profile_of_names():
    """Indicator names are the name column's."""
    assert _best(NAMES) == "name"


def test_profile_of_small_integers():
    """Bare small numbers are a weight or a score (contents alone cannot tell which, nor
    from a bare value): both score positive, a column of real values does not."""
    p = profile(WEIGHTS)
    assert p.bare == pytest.approx(1.0)
    cs = content_scores(p)
    assert cs["weight"] > 0 and cs["score"] > 0
    cv = content_scores(profile(VALUES))
    assert cv["weight"] < 0 and cv["score"] < 0


@pytest.mark.parametrize("cells,role", [
    (["≥", "≥", "≤", "=", "≥"], "op"),
    (["人", "%", "万元", "个", "%"], "unit"),
    (["定量", "定量", "定性"], "valtype"),
    (["正向", "反向", "正向"], "direction"),
    (["指标1", "指标2", "指标3"], "label"),
])
def test_profile_of_closed_sets(cells, role):
    """Operators alone, units alone, 定量/定性, 正向/反向 and labels each point to their column."""
    assert _best(cells) == role


def test_content_scores_of_an_empty_column():
    """An empty column says nothing about itself."""
    assert content_scores(profile(["", "  ", "…"])) == {}


# -- assign_roles ----------------------------------------------------------------------------------

def test_assign_roles_standard_table():
    """The plain template: every header names its column and the cells agree; nothing is
    uncertain."""
    ch = _roles([(["一级指标"], L1), (["二级指标"], L2), (["三级指标"], NAMES), (["指标值"], VALUES)])
    assert [c.role for c in ch] == ["l1", "l2", "name", "value"]
    assert not any(c.uncertain for c in ch)
    assert all(c.why == "" for c in ch)
    assert all(c.score > c.runner_up for c in ch)


def test_assign_roles_unknown_headers_contents_decide():
    """Headers in words no template uses (栏目一 …): the cells say what the columns are."""
    ch = _roles([(["栏目一"], L1), (["栏目二"], L2), (["栏目三"], NAMES), (["栏目四"], VALUES),
                 (["栏目五"], SENTENCES)])
    assert [c.role for c in ch] == ["l1", "l2", "name", "value", "note"]


def test_assign_roles_no_header_row():
    """A table continued on a page without its header row: the contents alone place it."""
    ch = _roles([([], L1), ([], L2), ([], NAMES), ([], VALUES)])
    assert [c.role for c in ch] == ["l1", "l2", "name", "value"]


def test_assign_roles_header_value_but_sentences():
    """A column headed 指标值 that holds explanation sentences, beside a column of real
    values headed 年度目标: the sentences are a note, the values the value."""
    ch = _roles([(["一级指标"], L1), (["二级指标"], L2), (["三级指标"], NAMES), (["指标值"], SENTENCES),
                 (["年度目标"], VALUES)])
    assert [c.role for c in ch] == ["l1", "l2", "name", "note", "value"]


def test_assign_roles_explanation_column_beside_value():
    """指标值说明 beside 指标值 (a head-final compound): a note, never a second value."""
    notes = SENTENCES[:2] + ["", "", ""]
    ch = _roles([(["一级指标"], L1), (["二级指标"], L2), (["三级指标"], NAMES), (["指标值"], VALUES),
                 (["指标值说明"], notes)])
    assert [c.role for c in ch] == ["l1", "l2", "name", "value", "note"]


def test_assign_roles_self_evaluation_columns():
    """A self-evaluation table: 年度指标值 | 实际完成值 | 分值 | 得分 each get their own role."""
    scores = ["20", "18", "10", "28", "20"]
    ch = _roles([(["一级指标"], L1), (["二级指标"], L2), (["三级指标"], NAMES), (["年度指标值"], VALUES),
                 (["实际完成值"], VALUES), (["分值"], WEIGHTS), (["得分"], scores)])
    assert [c.role for c in ch] == ["l1", "l2", "name", "value", "actual", "weight", "score"]


def test_assign_roles_weight_before_value():
    """权重 before 指标值: the small integers are the weight, the value stays the value."""
    ch = _roles([(["一级指标"], L1), (["二级指标"], L2), (["三级指标"], NAMES), (["权重"], WEIGHTS),
                 (["指标值"], VALUES)])
    assert [c.role for c in ch] == ["l1", "l2", "name", "weight", "value"]


def test_assign_roles_split_value():
    """A value split over 运算符号 | 指标值 | 计量单位."""
    ch = _roles([(["一级指标"], L1), (["二级指标"], L2), (["三级指标"], NAMES),
                 (["运算符号"], ["≥", "≥", "≤", "=", "≥"]), (["指标值"], ["1000", "95", "12", "90", "95"]),
                 (["计量单位"], ["人次", "%", "月", "%", "%"])])
    assert [c.role for c in ch] == ["l1", "l2", "name", "op", "value", "unit"]


def test_assign_roles_empty_columns_by_header():
    """Columns the form left empty (计量单位, 分值) keep the role their header names."""
    empty = [""] * 5
    ch = _roles([(["一级指标"], L1), (["二级指标"], L2), (["三级指标"], NAMES), (["分值"], empty),
                 (["指标值"], VALUES), (["计量单位"], empty)])
    assert [c.role for c in ch] == ["l1", "l2", "name", "weight", "value", "unit"]


def test_assign_roles_merged_parent_header():
    """A merged parent header (绩效指标) over 一级 / 二级 / 三级: the leaf decides."""
    ch = _roles([(["绩效指标", "一级指标"], L1), (["绩效指标", "二级指标"], L2), (["绩效指标", "三级指标"], NAMES),
                 (["指标值"], VALUES)])
    assert [c.role for c in ch] == ["l1", "l2", "name", "value"]


def test_assign_roles_categories_are_the_names():
    """指标类型 | 指标名称 | 指标值 where 指标名称 holds 数量指标 / 质量指标 …: a template
    without a 三级 column, its categories are the names (role l2name)."""
    ch = _roles([(["指标类型"], L1), (["指标名称"], L2), (["指标值"], VALUES)])
    assert [c.role for c in ch] == ["l1", "l2name", "value"]


def test_assign_roles_weights_need_a_header():
    """Contents alone never make a column the weight or the score: a header must say so."""
    ch = _roles([(["一级指标"], L1), (["二级指标"], L2), (["三级指标"], NAMES), (["指标值"], VALUES),
                 (["栏目"], WEIGHTS)])
    assert ch[3].role == "value"
    assert ch[4].role not in ("weight", "score", "value")


def test_assign_roles_conflict_unknown_header_mixed_cells_is_uncertain():
    """A column with an unknown header whose cells are half values, half text: taken as
    the value (nothing better), but flagged uncertain with the reason."""
    mixed = ["≥1000人次", "合格率较上年有所提升的情况说明", "按计划推进培训工作", "明显提高", "≥90%"]
    ch = _roles([(["一级指标"], L1), (["二级指标"], L2), (["三级指标"], NAMES), (["栏目"], mixed)])
    assert ch[3].role == "value"
    assert ch[3].uncertain
    assert "weak evidence" in ch[3].why and "栏目" in ch[3].why
    assert ch[3].score - ch[3].runner_up < 1.0          # a close call
    assert not any(c.uncertain for c in ch[:3])


def test_assign_roles_conflict_weak_header_is_uncertain():
    """A weak header (目标) over mixed cells: the value, reported as weakly named."""
    mixed = ["≥1000人次", "合格率较上年有所提升的情况说明", "按计划推进培训工作", "明显提高", "≥90%"]
    ch = _roles([(["一级指标"], L1), (["二级指标"], L2), (["三级指标"], NAMES), (["目标"], mixed)])
    assert ch[3].role == "value" and ch[3].uncertain
    assert "目标" in ch[3].why and "weakly" in ch[3].why


def test_assign_roles_weak_name_column_is_uncertain():
    """A 内容 column holding names and values mixed: the name column on weak evidence."""
    cells = ["培训人数", "≥95%", "完成时限", "群众知晓率", "有效"]
    ch = _roles([(["一级指标"], L1), (["二级指标"], L2), (["内容"], cells), (["指标值"], VALUES)])
    assert ch[2].role == "name" and ch[2].uncertain
    assert "内容" in ch[2].why
    assert ch[3].role == "value" and not ch[3].uncertain


def test_assign_roles_no_header_weight_column_after_values():
    """A table continued without its header row, with a 分值 column after the values:
    the column of operators, units and deadlines is the value, not the bare integers."""
    ch = _roles([([], L1), ([], L2), ([], NAMES), ([], VALUES), ([], WEIGHTS)])
    assert [c.role for c in ch][:4] == ["l1", "l2", "name", "value"]
