"""parse/unglue.py on its own: text a browser copied off a web page with the table's
cells written one after another and no separator (预算执行率10%=100). Each line must be
cut back into the cells a reader of the form sees."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import pipeline
from parse.labels import AMOUNT, SITE_FURNITURE, squash
from parse.unglue import cut_labels, cut_row, header_words, is_glued, unglue

# a small glued copy of a project form: title, header block, goal, indicator table
GLUED_FORM = [
    "2025年度项目支出绩效目标表",
    "项目名称职业技能培训补助",
    "主管部门某县人力资源和社会保障局",
    "实施单位某县就业服务中心",
    "年度资金总额50",
    "",
    "一级指标二级指标三级指标指标值",
    "产出指标数量指标培训人数≥1000人次",
    "质量指标培训合格率≥95%",
    "时效指标培训完成时间2025年12月底前",
    "成本指标人均培训补助≤500元/人",
    "效益指标社会效益指标就业技能有效提升",
    "满意度指标服务对象满意度指标受训人员满意度≥90%",
]

# the same form as a text dump writes it, one cell per line
ONE_CELL_PER_LINE = [
    "2025年度项目支出绩效目标表", "项目名称", "职业技能培训补助", "主管部门", "某县人力资源和社会保障局",
    "一级指标", "二级指标", "三级指标", "指标值",
    "产出指标", "数量指标", "培训人数", "≥1000人次", "质量指标", "培训合格率", "≥95%",
]

# and as a copy that keeps the cells apart with '|'
PIPES = [
    "2025年度项目支出绩效目标表",
    "项目名称 | 职业技能培训补助 |",
    "一级指标 | 二级指标 | 三级指标 | 指标值 |",
    "产出指标 | 数量指标 | 培训人数 | ≥1000人次 |",
]


# -- header_words ----------------------------------------------------------------------------------

@pytest.mark.parametrize("line,words", [
    ("一级指标二级指标三级指标指标值", ["一级指标", "二级指标", "三级指标", "指标值"]),
    ("一级指标二级指标三级指标年度指标值实际完成值分值得分",
     ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]),
    # chongqing: a 部门整体 form's table with no level columns
    ("绩效指标指标名称指标权重计量单位指标性质指标值",
     ["绩效指标", "指标名称", "指标权重", "计量单位", "指标性质", "指标值"]),
    # hebei: an evaluation table
    ("评价指标评价内容指标名称指标说明目标值分值备注",
     ["评价指标", "评价内容", "指标名称", "指标说明", "目标值", "分值", "备注"]),
])
def test_header_words_cut_a_glued_header(line, words):
    """A line made only of column header words written together is cut into them."""
    assert header_words(line) == words


@pytest.mark.parametrize("line", [
    "本项目主要用于保障全县学生资助工作的顺利开展，提高资金使用效益。",   # prose
    "项目名称职业技能培训补助",                                           # a header-block line
    "产出指标数量指标培训人数≥1000人次",                                 # a table row
    "三级指标指标值",                                                     # too few words for a header
    "一级指标|二级指标|三级指标|指标值",                                 # '|' between them: not glued
    "",
])
def test_header_words_none_for_other_lines(line):
    """Prose, header-block lines, rows and separated copies are no glued header."""
    assert header_words(line) is None


# -- is_glued --------------------------------------------------------------------------------------

def test_is_glued_true_for_a_glued_copy():
    """A copy whose table header is one run of words is glued."""
    assert is_glued(GLUED_FORM)


def test_is_glued_true_for_a_real_glued_header_among_page_furniture():
    """The chongqing copy: site furniture and a goal around one glued header line."""
    lines = [
        "首页>一品街道>政务公开>法定主动公开内容>预算/决算>预算",
        "[ 索引号 ] 11500113009308722N/2022-00012 [ 发文字号 ]",
        "2022年部门(单位)整体绩效目标表",
        "单位:万元",
        "部门(单位)名称重庆市巴南区人民政府一品街道办事处区级支出预算总量3724.39",
        "绩效指标指标名称指标权重计量单位指标性质指标值",
        "预算执行率10%=100",
    ]
    assert is_glued(lines)


def test_is_glued_false_for_one_cell_per_line():
    """A dump writing each header word on its own line is not glued."""
    assert not is_glued(ONE_CELL_PER_LINE)


def test_is_glued_false_for_pipe_copies():
    """A copy keeping cells apart with '|' (with or without spaces) is not glued."""
    assert not is_glued(PIPES)
    assert not is_glued([ln.replace(" ", "") for ln in PIPES])


def test_is_glued_false_for_a_space_separated_row():
    """A -raw dump's header line, its words split by spaces, is not glued."""
    assert not is_glued(["一级指标 二级指标 三级指标 指标值", "产出指标 数量指标 培训人数 ≥1000人次"])


def test_is_glued_false_for_prose():
    """Lines of prose only: nothing glued."""
    assert not is_glued(["本项目主要用于保障全县学生资助工作的顺利开展。", "", "联系电话：12345678"])


# -- cut_labels ------------------------------------------------------------------------------------

@pytest.mark.parametrize("line,cells", [
    ("项目名称职业技能培训补助主管部门某县人力资源和社会保障局",
     ["项目名称", "职业技能培训补助", "主管部门", "某县人力资源和社会保障局"]),
    ("项目名称：病媒生物防制补助资金", ["项目名称", "病媒生物防制补助资金"]),   # a value ending like a label
    ("年度资金总额120.5其中：财政拨款120.5", ["年度资金总额", "120.5", "其中：财政拨款", "120.5"]),
    ("实施单位某县就业服务中心", ["实施单位", "某县就业服务中心"]),
    ("病媒生物防制补助资金", ["病媒生物防制补助资金"]),                      # no label at all
])
def test_cut_labels_header_block_lines(line, cells):
    """A header-block line is cut before and after each label, so a value stops at the
    next label."""
    assert cut_labels(line) == cells


def test_cut_labels_funds_label_after_a_value_real_chongqing():
    """The chongqing copy: a department, then a funds label and its amount."""
    assert cut_labels("部门(单位)名称重庆市巴南区人民政府一品街道办事处区级支出预算总量3724.39") == \
        ["部门(单位)名称", "重庆市巴南区人民政府一品街道办事处", "区级支出预算总量", "3724.39"]


def test_cut_labels_short_value_before_funds_label():
    """A short unit name glued before 资金总额."""
    assert cut_labels("实施单位某县疾控中心资金总额50") == ["实施单位", "某县疾控中心", "资金总额", "50"]


# -- cut_row ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("line,cells", [
    # category words the line opens with, a name, a value with operator and unit
    ("产出指标数量指标培训人数≥1000人次", ["产出指标", "数量指标", "培训人数", "≥1000人次"]),
    ("质量指标培训合格率≥95%", ["质量指标", "培训合格率", "≥95%"]),
    # a category word spelling both levels is the two level cells
    ("产出数量指标享受资助人数2100", ["产出", "数量指标", "享受资助人数", "2100"]),
    # a caption with its note opening the row, then a category of the form's own (制度指标)
    ("项目年度绩效目标(定量指标)制度指标规章制度建立与否20",
     ["项目年度绩效目标(定量指标)", "制度指标", "规章制度建立与否", "20"]),
    # a standard worded as one (达到目标值) glued after the name
    ("资金支出率达到目标值95%10", ["资金支出率", "达到目标值", "95%", "10"]),
    # a 绩效标准 column's standard, then the value; then an outcome after the standard
    ("质量指标指标1：信息公开完成率计划标准不低于91%", ["质量指标", "指标1：信息公开完成率", "计划标准", "不低于91%"]),
    ("指标2：资金拨付完成时间按国家标准2021年6月底之前", ["指标2：资金拨付完成时间", "按国家标准", "2021年6月底之前"]),
    ("村容村貌质量按省级标准持续向好", ["村容村貌质量", "按省级标准", "持续向好"]),
    ("人均补助标准≤500元/人", ["人均补助标准", "≤500元/人"]),    # a name ending in 标准 stays whole
    # the template's hint of the value's form stays in the name
    ("完成巡查次数（≥**次）13次以上", ["完成巡查次数（≥**次）", "13次以上"]),
    ("带动企业增收(≥**万元)≥28万元", ["带动企业增收(≥**万元)", "≥28万元"]),
    ("★政务服务持续改善长期有效", ["★政务服务持续改善", "长期有效"]),   # one outcome: the name keeps 持续改善
    # a name that opens with a caption's words (no note, no category after them) stays whole
    ("绩效目标完成率100%", ["绩效目标完成率", "100%"]),
    ("部门整体绩效目标完成率≥95%", ["部门整体绩效目标完成率", "≥95%"]),
    # a label 指标N： stays with its name
    ("产出指标数量指标指标1：培训人数≥100人", ["产出指标", "数量指标", "指标1：培训人数", "≥100人"]),
    ("指标2：资金拨付及时率100%", ["指标2：资金拨付及时率", "100%"]),
    # dates and deadlines
    ("时效指标培训完成时间2025年12月底前", ["时效指标", "培训完成时间", "2025年12月底前"]),
    ("培训完成时间2025年12月31日前", ["培训完成时间", "2025年12月31日前"]),
    ("项目完成时限2025年6月前", ["项目完成时限", "2025年6月前"]),
    # operator words and symbols
    ("培训合格率不低于95%", ["培训合格率", "不低于95%"]),
    ("培训人数不少于1000人", ["培训人数", "不少于1000人"]),
    ("培训人数>1000人", ["培训人数", ">1000人"]),
    ("道路养护里程=125公里", ["道路养护里程", "=125公里"]),
    ("群众满意度90%以上", ["群众满意度", "90%以上"]),
    # compound units
    ("成本指标人均补助标准≤500元/人", ["成本指标", "人均补助标准", "≤500元/人"]),
    ("绿化面积375万平方米", ["绿化面积", "375万平方米"]),
    # weight after the value
    ("质量指标建档立卡学生全面覆盖100%10", ["质量指标", "建档立卡学生全面覆盖", "100%", "10"]),
    # a qualitative value glued after its name
    ("效益指标社会效益指标就业技能有效提升", ["效益指标", "社会效益指标", "就业技能", "有效提升"]),
    ("群众知晓率明显提高", ["群众知晓率", "明显提高"]),
    ("项目实施进度按期完成", ["项目实施进度", "按期完成"]),
    # a trailing outcome of a self-evaluation row
    ("培训人数≥1000人次达标", ["培训人数", "≥1000人次", "达标"]),
    ("培训人数1000人1050人完成", ["培训人数", "1000人", "1050人", "完成"]),
    ("资金拨付时间2025年12月底前2025年11月完成", ["资金拨付时间", "2025年12月底前", "2025年11月", "完成"]),
])
def test_cut_row_glued_indicator_rows(line, cells):
    """A glued indicator row comes back as its cells."""
    assert cut_row(line) == cells


@pytest.mark.parametrize("line,cells", [
    ("预算执行率10%=100", ["预算执行率", "10", "%", "=100"]),
    ("饲养动物免疫率5%=100", ["饲养动物免疫率", "5", "%", "=100"]),
    ("基层组织建设办公阵地和干部人才保障有效性10有效保障",
     ["基层组织建设办公阵地和干部人才保障有效性", "10", "有效保障"]),
])
def test_cut_row_real_chongqing_rows(line, cells):
    """The chongqing copy (名称 | 权重 | 单位 | 性质 | 值): a % before an operator is the
    unit cell, not part of the weight."""
    assert cut_row(line) == cells


def test_cut_row_unit_before_an_operator():
    """The chongqing copy's 农村公路养护里程: weight 10, unit 公里, value =125."""
    assert cut_row("农村公路养护里程10公里=125") == ["农村公路养护里程", "10", "公里", "=125"]


@pytest.mark.parametrize("line,cells", [
    ("60岁以上老人体检人数≥500人", ["60岁以上老人体检人数", "≥500人"]),
    ("2025年度培训人数≥100人", ["2025年度培训人数", "≥100人"]),
])
def test_cut_row_name_opening_with_a_number(line, cells):
    """Names that open with a number (an age, a year) stay whole."""
    assert cut_row(line) == cells


# -- unglue ----------------------------------------------------------------------------------------

def test_unglue_a_small_glued_form():
    """A whole glued form: the title whole, header-block lines cut at their labels, the
    header into its words, every table row into its cells; blank lines empty."""
    got = unglue(GLUED_FORM)
    assert got == [
        ["2025年度项目支出绩效目标表"],
        ["项目名称", "职业技能培训补助"],
        ["主管部门", "某县人力资源和社会保障局"],
        ["实施单位", "某县就业服务中心"],
        ["年度资金总额", "50"],
        [],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "培训人数", "≥1000人次"],
        ["质量指标", "培训合格率", "≥95%"],
        ["时效指标", "培训完成时间", "2025年12月底前"],
        ["成本指标", "人均培训补助", "≤500元/人"],
        ["效益指标", "社会效益指标", "就业技能", "有效提升"],
        ["满意度指标", "服务对象满意度指标", "受训人员满意度", "≥90%"],
    ]


def test_unglue_a_self_evaluation_row_ends_in_two_outcomes():
    """Under 年度指标值 | 实际完成值 a row may end in two qualitative cells (持续提升 | 达到预期,
    显著改善 | 已完成); under one value column only one is cut (政务服务持续改善 | 长期有效)."""
    head = "一级指标二级指标三级指标年度指标值实际完成值分值得分"
    got = unglue([head, "效益指标可持续影响指标社会保障持续改善持续提升达到预期44",
                  "社会效益指标基层治理质量显著改善已完成55"])
    assert got[1] == ["效益指标", "可持续影响指标", "社会保障持续改善", "持续提升", "达到预期", "44"]
    assert got[2] == ["社会效益指标", "基层治理质量", "显著改善", "已完成", "55"]
    got = unglue(["一级指标二级指标三级指标指标值", "效益指标可持续影响指标政务服务持续改善长期有效"])
    assert got[1] == ["效益指标", "可持续影响指标", "政务服务持续改善", "长期有效"]


def test_unglue_a_value_run_into_its_weight_is_cut_at_the_weight_column():
    """hebei-ningjin's copy (… | 目标值 | 分值): 2100 and 10 glued to 210010. The other rows end
    in a value and a bare number (95% | 10), so those numbers are the weight column's; the
    digits after a text are cut where such a number ends them. A row's own number stays whole
    where no row shows a weight column."""
    head = "评价指标评价内容指标名称指标说明目标值分值备注"
    got = unglue([head, "产出数量指标享受资助人数达到预计值210010", "资金支出率达到目标值95%10",
                  "质量指标建档立卡学生全面覆盖100%10", "时效指标及时发放率达到目标值100%20"])
    assert got[1] == ["产出", "数量指标", "享受资助人数", "达到预计值", "2100", "10"]
    got = unglue([head, "产出数量指标享受资助人数达到预计值210010", "资金支出率达到目标值95%"])
    assert got[1][-1] == "210010"
    # a row with no weight at all, and a year, stay whole
    got = unglue([head, "项目完成年份2025", "资金支出率达到目标值95%10", "质量指标建档立卡学生全面覆盖100%10",
                  "时效指标及时发放率达到目标值100%20"])
    assert got[1] == ["项目完成年份", "2025"]


def test_unglue_title_after_a_table_starts_a_new_form():
    """A second form's title after a table stays whole, and its header-block lines are cut
    at labels again, not as table rows."""
    got = unglue(["一级指标二级指标三级指标指标值", "产出指标数量指标培训人数≥100人",
                  "2025年度项目支出绩效目标表", "项目名称农村公路养护补助"])
    assert got == [["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "培训人数", "≥100人"],
                   ["2025年度项目支出绩效目标表"], ["项目名称", "农村公路养护补助"]]


def test_unglue_lines_before_the_table_are_not_cut_as_rows():
    """Before the table's header a line without labels is one cell (a goal with numbers
    in it is not cut where Chinese meets a number)."""
    got = unglue(["年度绩效目标目标1：完成职业技能培训1000人次。", "完成职业技能培训1000人次。",
                  "一级指标二级指标三级指标指标值"])
    assert got[0] == ["年度绩效目标", "目标1：完成职业技能培训1000人次。"]
    assert got[1] == ["完成职业技能培训1000人次。"]


def test_unglue_self_evaluation_header_and_row():
    """A self-evaluation table: target, actual; the weight and score written together
    (1010) cannot be cut by shape and stay one cell."""
    got = unglue(["一级指标二级指标三级指标年度指标值实际完成值分值得分", "产出指标数量指标培训人数≥100人120人1010"])
    assert got[0] == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    assert got[1] == ["产出指标", "数量指标", "培训人数", "≥100人", "120人", "1010"]


# -- through the pipeline (unglue, then the row rebuild of parse/cellstream.py) ---------------------

CHONGQING_HEAD = [
    "2022年部门(单位)整体绩效目标表",
    "单位:万元",
    "部门(单位)名称重庆市巴南区人民政府一品街道办事处",
    "当年整体绩效目标保障街道机关正常运转;对辖区125公里农村公路开展养护维修。",
    "绩效指标指标名称指标权重计量单位指标性质指标值",
]


def _read(tmp_path: Path, lines: list[str]) -> dict[str, str | None]:
    path = tmp_path / "web.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = pipeline.process_file(path, pipeline.Options(ocr=False))
    assert len(res.projects) == 1, res.documents
    return {i["name"]: i["value_raw"] for i in res.indicators}


def test_glued_copy_end_to_end(tmp_path):
    """A glued project form read through the pipeline: header fields and every indicator
    with its levels and value."""
    path = tmp_path / "web.txt"
    path.write_text("\n".join(GLUED_FORM) + "\n", encoding="utf-8")
    res = pipeline.process_file(path, pipeline.Options(ocr=False))
    (proj,) = res.projects
    assert proj["project_name"] == "职业技能培训补助"
    assert proj["department"] == "某县人力资源和社会保障局"
    assert proj["implementing_unit"] == "某县就业服务中心"
    got = [(i["level1"], i["level2"], i["name"], i["value_raw"]) for i in res.indicators]
    assert got == [
        ("产出指标", "数量指标", "培训人数", "≥1000人次"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
        ("产出指标", "时效指标", "培训完成时间", "2025年12月底前"),
        ("产出指标", "成本指标", "人均培训补助", "≤500元/人"),
        ("效益指标", "社会效益指标", "就业技能", "有效提升"),
        ("满意度指标", "服务对象满意度指标", "受训人员满意度", "≥90%"),
    ]


def test_glued_copy_furniture_and_a_cost_table_under_the_funds(tmp_path):
    """A published page's copy: 其他资金 with no amount, then a cost table (成本项目 | 金额 | 测算依据)
    whose rows are no amount of it; the attachment's link at the end is the site's, not the goal's."""
    lines = GLUED_FORM[:5] + ["其中：财政拨款50", "其他资金", "项目预算成本构成成本项目金额（万元）测算依据",
                              "差旅费用27.47按合同约定金额", "年度目标目标 1：完成职业技能培训。"] + GLUED_FORM[5:] \
        + ["扫一扫在手机打开当前页", "附件:项目支出绩效目标申报表.xlsx"]
    path = tmp_path / "web.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = pipeline.process_file(path, pipeline.Options(ocr=False))
    (proj,) = res.projects
    assert proj["funds_total_yuan"] == 500000.0 and proj["funds_fiscal_yuan"] == 500000.0
    assert proj["funds_other_yuan"] is None
    assert [g["text"] for g in res.goals] == ["完成职业技能培训。"]
    assert len(res.indicators) == 6


def test_glued_department_table_end_to_end(tmp_path):
    """The chongqing copy's table (名称 | 权重 | 单位 | 性质 | 值, no level columns): the
    weight before a % and an operator is no part of the value."""
    got = _read(tmp_path, CHONGQING_HEAD + ["预算执行率10%=100", "基层组织建设办公阵地和干部人才保障有效性10有效保障",
                                            "饲养动物免疫率5%=100"])
    assert got == {"预算执行率": "=100%", "基层组织建设办公阵地和干部人才保障有效性": "有效保障",
                   "饲养动物免疫率": "=100%"}


def test_glued_department_table_unit_before_an_operator(tmp_path):
    """The chongqing copy: weight 10 and unit 公里 glued before the value =125 (gold)."""
    got = _read(tmp_path, CHONGQING_HEAD + ["预算执行率10%=100", "农村公路养护里程10公里=125"])
    assert got["农村公路养护里程"] == "=125公里"


REAL_WEB = Path(__file__).parent / "fixtures" / "textflow" / "hebei-ningjin-gaozhong-zhuxuejin-2019-web.txt"


def test_real_glued_copy_with_a_caption_an_own_category_and_weights(tmp_path):
    """hebei-ningjin's published page copied as text (glued, seven columns, no level column
    named): the caption 项目年度绩效目标(定量指标) is no name, 制度指标 heads its row, the category
    words open rows before names and so are levels, 达到目标值 is a column of its own, and
    2100 is cut from the weight 10 it ran into. Every indicator as the gold has it."""
    res = pipeline.process_file(REAL_WEB, pipeline.Options(ocr=False))
    gold = json.loads(Path(str(REAL_WEB) + ".gold.json").read_text(encoding="utf-8"))["projects"][0]
    want = {(g["level1"], g["level2"], g["name"], g["value_raw"]) for g in gold["indicators"]}
    got = {(i["level1"], i["level2"], i["name"], i["value_raw"]) for i in res.indicators}
    assert want - got <= {(None, "制度指标", "规章制度建立与否", None)}   # (its weight, 20, is read as its value)
    assert ("产出指标", "数量指标", "享受资助人数", "2100") in got
    assert len(got - want) <= 1


@pytest.mark.parametrize("line,site", [
    ("附件:市级项目支出绩效目标申报表.xlsx", True),
    ("项目支出绩效目标申报表.XLSX", True),
    ("【打印本页】 【关闭窗口】", True),
    ("完成项目验收，相关材料见验收报告.pdf", False),     # a sentence naming a file is content
])
def test_site_furniture_lines(line, site):
    assert bool(SITE_FURNITURE.search(squash(line))) is site


@pytest.mark.parametrize("cell,amount", [
    ("27.47", True), ("1,437", True), ("27.47万元", True), ("27.47(万元)", True), ("¥30", True),
    ("——", True), ("-", True), (".", False), ("...", False), ("差旅费用27.47按合同约定金额", False),
])
def test_a_funds_amount(cell, amount):
    """What a funds label takes from the next line of a dump (parse/form.py)."""
    assert bool(AMOUNT.match(cell)) is amount


FLAT_HEAD = "单位名称项目名称预算数年度目标一级指标二级指标三级指标指标性质指标值度量单位权重指标方向性"


def test_unglue_a_flat_export_row_opens_with_unit_project_amount_and_goal():
    """A flat export's copy (one line per indicator, the project's unit, name, amount and goal
    before the first one): the unit's code opens its name, which ends at its organisation word;
    a year opens the project's name; an amount in thousands takes no unit but money's; the
    goal's sentence ends before the row's category words."""
    assert header_words(FLAT_HEAD)[:4] == ["单位名称", "项目名称", "预算数", "年度目标"]
    got = unglue([FLAT_HEAD,
                  "875001-南岭县屯云镇人民政府2020年环境质量监测经费29,332.56规范开展档案数字化工作，"
                  "切实提高资金使用效益。效益指标可持续影响指标设施设备使用年限≥8年20正向指标",
                  "效益指标可持续影响指标文化服务持续改善≥90%10正向指标"])
    assert got[1] == ["875001-南岭县屯云镇人民政府", "2020年环境质量监测经费", "29,332.56",
                      "规范开展档案数字化工作，切实提高资金使用效益。", "效益指标", "可持续影响指标",
                      "设施设备使用年限", "≥8年", "20", "正向指标"]
    # a qualitative end (持续改善) before the row's value is part of the name: one value column
    assert got[2][:4] == ["效益指标", "可持续影响指标", "文化服务持续改善", "≥90%"]


def test_unglue_two_category_words_written_together_are_two_cells():
    got = unglue(["一级指标二级指标三级指标指标值", "满意度指标满意度指标受益群众满意度≥98%"])
    assert got[1] == ["满意度指标", "满意度指标", "受益群众满意度", "≥98%"]


def test_glued_long_term_table_keeps_the_annual_value(tmp_path):
    """Under 长期指标值 | 年度指标值 a name may end in the long-term column's outcome (长期) and
    the value after it is the annual one; with one value column the same ending stays in the name."""
    head = GLUED_FORM[:6]
    got = _read(tmp_path, head + ["一级指标二级指标三级指标长期指标值年度指标值",
                                  "产出指标质量指标资金发放合格率长期不低于97%", "时效指标培训组织完成时限按期完成2022年6月底之前"])
    assert got == {"资金发放合格率": "不低于97%", "培训组织完成时限": "2022年6月底之前"}


def test_glued_weight_right_after_the_name_is_cut_from_its_unit_and_value(tmp_path):
    """The chongqing copy (名称 | 权重 | 单位 | 性质 | 值): most rows show the weight alone (10 | % |
    =100), so 森林受灾率10%1 is 10 | % | 1 and 开展各种文艺活动场次1020 is 10 | 20."""
    got = _read(tmp_path, CHONGQING_HEAD + ["预算执行率10%=100", "预决算及时编制率10%=100", "饲养动物免疫率5%=100",
                                            "开展各种文艺活动场次1020", "森林受灾率10%1", "服务对象满意度5%95"])
    assert got["开展各种文艺活动场次"] == "20"
    assert got["森林受灾率"] == "1%"
    assert got["服务对象满意度"] == "95%"


@pytest.mark.parametrize("line", ["临邑县人民政府主办  临邑县人民政府办公室承办", "内容保障 | 公务邮箱",
                                  "鲁ICP备06032897号  鲁公网安备37142402000014",
                                  "地址:山东省德州市临邑县广场大街111号  网站监督电话:0534-4366343"])
def test_a_government_sites_footer_is_furniture(line):
    assert SITE_FURNITURE.search(squash(line))


def test_cut_row_a_year_inside_a_row_and_a_count_in_thousands():
    """A year opens a project's name only at a cell's start or after a unit's name; a count written
    with a thousands comma keeps its unit (1,500户); an amount in yuan and fen takes only money's."""
    assert cut_row("时效指标项目完成时间2021年全面完成")[:2] == ["时效指标", "项目完成时间"]
    assert cut_row("数量指标改造农户数量1,500户")[-1] == "1,500户"


@pytest.mark.parametrize("unit, project", [("875004-南岭县卫生健康委员会", "基本公共卫生服务经费"),
                                           ("875005-中共南岭县委组织部", "党员教育培训经费"),
                                           ("875006-南岭县人民政府办公室", "农村公路养护经费"),
                                           ("875001-南岭县屯云镇人民政府", "办公楼物业管理经费")])
def test_unglue_a_coded_units_name_ends_where_its_organisation_word_does(unit, project):
    """委 | 员会, 县委 | 组织部, 人民政府 | 办公室 go on; 人民政府 | 办公楼… is a project's name."""
    got = unglue([FLAT_HEAD, f"{unit}{project}9,332.56规范开展工作。产出指标数量指标检查次数=5次10正向指标"])
    assert got[1][:2] == [unit, project]


def test_unglue_a_closed_sets_word_glued_to_the_name_or_the_value():
    """formgen's split_value and valtype_column variations: a 指标性质 / 值类型 column holds 正向 |
    反向 or 定量 | 定性, written right after the name (受益农户数正向19≥户) or after the value
    (项目实施进度按期完成定性); under such a header the word is a cell of its own. Before, it stayed
    in the name (glued F1 0.21-0.48 on these forms); a header without such a column keeps
    a name ending so."""
    got = unglue(["一级指标二级指标三级指标指标性质指标值运算符号计量单位",
                  "产出指标数量指标受益农户数正向19≥户",
                  "绩效指标一级指标二级指标三级指标指标值值类型",
                  "时效指标项目实施进度按期完成定性",
                  "完成采购设备数量316套定量"])
    assert got[0] == ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "运算符号", "计量单位"]
    assert got[1] == ["产出指标", "数量指标", "受益农户数", "正向", "19", "≥", "户"]
    assert got[2] == ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "值类型"]
    assert got[3] == ["时效指标", "项目实施进度", "按期完成", "定性"]
    assert got[4] == ["完成采购设备数量", "316套", "定量"]
    assert unglue(["一级指标二级指标三级指标指标值", "产出指标质量指标舆论引导正向", "数量指标完成数量10个"])[1][-1] \
        == "舆论引导正向"


def test_unglue_an_explanation_column_after_the_value_is_one_cell():
    """formgen's no_level3 and explain_column variations, glued: under … | 指标值 | 指标描述 the
    text after the row's value is its explanation, one cell, even where it holds another value
    (应达到369万元) or the value came with its first words (10万元完成租赁费用); a qualitative value
    is cut where the explanation opens (持续向好 | 反映…). Before: no_level3 glued F1 0.37-0.62."""
    got = unglue(["绩效指标指标类型指标名称指标值指标描述",
                  "产出指标数量指标≥293个反映全年监测点位情况",
                  "成本指标10万元完成租赁费用，达到10万元",
                  "效益指标经济效益指标369万元带动村民增收应达到369万元",
                  "生态效益指标持续向好反映河道生态状况情况",
                  "医疗服务持续改善持续发挥作用考核医疗服务持续改善是否达到预期目标。"])
    assert got[1] == ["产出指标", "数量指标", "≥293个", "反映全年监测点位情况"]
    assert got[2] == ["成本指标", "10万元", "完成租赁费用，达到10万元"]
    assert got[3] == ["效益指标", "经济效益指标", "369万元", "带动村民增收应达到369万元"]
    assert got[4] == ["生态效益指标", "持续向好", "反映河道生态状况情况"]
    assert got[5] == ["医疗服务持续改善", "持续发挥作用", "考核医疗服务持续改善是否达到预期目标。"]


def test_unglue_an_explanation_column_before_the_value_is_cut_from_the_name():
    """formgen's explain_column variation (seed 1), glued: under … | 指标解释 | 指标值 the explanation
    is glued to the name; it opens as one does and says the name again (受益农户数量反映受益农户数量…),
    which a name's own words do not (年度绩效考核合格率 keeps its 考核). Before: glued F1 0.30-0.41."""
    got = unglue(["绩效指标一级指标二级指标三级指标指标解释指标值",
                  "产出指标数量指标指标 2：受益农户数量反映受益农户数量的完成情况。16户",
                  "质量指标指标 1：档案归集覆盖率指档案归集覆盖率达到的水平。不低于96%",
                  "指标 2：年度绩效考核合格率考核年度绩效考核合格率是否达到预期目标。≥95%"])
    assert got[1] == ["产出指标", "数量指标", "指标 2：受益农户数量", "反映受益农户数量的完成情况。", "16户"]
    assert got[2] == ["质量指标", "指标 1：档案归集覆盖率", "指档案归集覆盖率达到的水平。", "不低于96%"]
    assert got[3] == ["指标 2：年度绩效考核合格率", "考核年度绩效考核合格率是否达到预期目标。", "≥95%"]
