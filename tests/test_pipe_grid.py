"""Flat exports copied from a web page as text ('|' rows, a cell per line, cells cut at spaces),
rebuilt as grids (parse/pipe_grid.py) and read like a PDF's."""
from __future__ import annotations

import pipeline
from extract.textdump import read_text
from parse.pipe_grid import _role, place, regrid
from parse.rows import document_rows

HEADS = ["单位名称", "项目名称", "预算数", "年度目标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值",
         "度量单位", "权重", "指标方向性"]
ROLES = [_role(h) for h in HEADS]


def test_a_short_row_stands_under_the_columns_its_cells_fit():
    """The project's four columns merged down from the row above: the eight cells written go
    to the indicator columns, not the first eight."""
    row = ["效益指标", "生态效益指标", "水环境状况", "≥", "98", "%", "10", "正向指标"]
    assert [c for c, _ in place(row, ROLES)] == list(range(4, 12))


def test_categories_that_are_both_levels_and_a_name_ending_like_one():
    """成本指标 and 服务对象满意度指标 may be level 1 or 2 words; 农户满意度 ends like a category
    but is the name: the cells still go to 一级 | 二级 | 三级."""
    assert [c for c, _ in place(["产出指标", "成本指标", "印刷经费", "≤", "62", "万元", "20", "反向指标"], ROLES)] \
        == list(range(4, 12))
    assert [c for c, _ in place(["满意度指标", "服务对象满意度指标", "农户满意度", "≥", "92", "%", "5", "正向指标"],
                                ROLES)] == list(range(4, 12))


def test_a_cell_merged_across_columns_widens_over_the_column_it_covers():
    """The department's total row, first under the header: its name written once over 单位名称
    and 项目名称, the amount under 预算数 (no cell above to merge down from)."""
    assert place(["637-寨永镇部门", "5,806,292.96"], ROLES, [False] * 12) == [(0, 2), (2, 1)]


FLAT_PIPES = """当前位置: 首页 > 信息公开 > 预决算公开
部门预算项目绩效目标申报表（2024年度）
金额单位：元
单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重 | 指标方向性 |
637-寨永镇部门 | 5,806,292.96 | | | | | | | | | | |
637001-华丰区寨永镇人民政府 | 办公楼物业管理专项资金 | 14,899.00 | 加快推进执法检查工作。 | 产出指标 | 成本指标 | 维修支出 | ≤ | 176 | 万元 | 10 | 反向指标 |
效益指标 | 生态效益指标 | 水环境状况 | ≥ | 98 | % | 10 | 正向指标 | ||||
租赁经费项目 | 127,114.00 | 组织开展便民服务。 | 产出指标 | 数量指标 | 培训班 | = | 13 | 期 | 20 | | |
满意度指标 | 服务对象满意度指标 | 农户满意度 | ≥ | 92 | % | 5 | 正向指标 | ||||

附件:部门预算项目绩效目标申报表（2024年度）.xlsx
"""


def _indicators(tmp_path, text: str, name: str = "flat.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    res = pipeline.process_file(path, pipeline.Options(ocr=False))
    names = {p["project_id"]: p["project_name"] for p in res.projects}
    return {(names[i["project_id"]], i["level1"], i["level2"], i["name"], i["value_raw"]) for i in res.indicators}, res


def test_a_flat_export_copied_with_pipes_reads_its_projects_and_rows(tmp_path):
    got, res = _indicators(tmp_path, FLAT_PIPES)
    assert got == {
        ("办公楼物业管理专项资金", "产出指标", "成本指标", "维修支出", "≤176万元"),
        ("办公楼物业管理专项资金", "效益指标", "生态效益指标", "水环境状况", "≥98%"),
        ("租赁经费项目", "产出指标", "数量指标", "培训班", "=13期"),
        ("租赁经费项目", "满意度指标", "服务对象满意度指标", "农户满意度", "≥92%")}
    assert {p["funds_total_yuan"] for p in res.projects} == {14899.0, 127114.0}


def test_the_same_export_a_cell_per_line_and_cut_at_spaces(tmp_path):
    """A cell per line ('|' alone: an empty cell; '||||': the columns a row left out), and the
    copy without marks whose cells are cut at spaces (a site's line after it is no row)."""
    want, _ = _indicators(tmp_path, FLAT_PIPES)
    per_line = []
    for ln in FLAT_PIPES.splitlines():
        if "|" not in ln:
            per_line.append(ln)
            continue
        for part in ln.replace("||||", " ¦").split("|")[:-1] if not ln.endswith("||||") else \
                ln[:-4].split("|")[:-1] + ["¦"]:
            per_line.append("||||" if part.strip() == "¦" else (f"{part.strip()} |" if part.strip() else "|"))
    got, _ = _indicators(tmp_path, "\n".join(per_line) + "\n", "cells.txt")
    assert got == want
    spaced = "\n".join(" ".join(c.strip() for c in ln.split("|") if c.strip()) for ln in FLAT_PIPES.splitlines())
    spaced += "\n主办单位:寨永镇部门 网站标识码:2575744799\n"
    got, res = _indicators(tmp_path, spaced, "spaced.txt")
    assert got == want
    assert all("网站" not in (p["project_name"] or "") for p in res.projects)


def test_only_a_flat_exports_header_is_rebuilt():
    """A per-project form copied with '|' marks stays a stream of cells (parse/cellstream.py)."""
    text = ("项目名称 | 道路养护 |\n一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
            "产出指标 | 数量指标 | 养护里程 | ≥10公里 |\n")
    rows = document_rows(read_text(text.encode("utf-8")))
    assert regrid(rows) == rows


SPELLED = """2017年财政支出项目绩效目标表
专项名称 农村饮水安全工程维修养护
绩效目标 评价指标 绩效内容 绩效标准 全年绩效目标
投入 成本目标 目标1 维修养护支出 100% 按合同约定支付
目标2 水质检测支出 100% 100%
产出 数量目标 目标1 维修养护工程处数 计划数 12处
目标2 水质检测次数 计划数 4次
"""


def test_a_per_project_table_copied_a_row_per_line_under_header_words_of_its_own(tmp_path):
    """A header whose words the vocabulary spells otherwise (绩效内容 names the names' column, the
    others only lean), rows a line each, the levels left out where merged down: the rows are
    written flush right, and the grid's columns take their roles from header and contents
    together, as a PDF's do (the standard 100% / 计划数 is not the value)."""
    got, _ = _indicators(tmp_path, SPELLED, "spelled.txt")
    assert {g[1:] for g in got} == {
        ("投入", "成本指标", "维修养护支出", "按合同约定支付"), ("投入", "成本指标", "水质检测支出", "100%"),
        ("产出指标", "数量指标", "维修养护工程处数", "12处"), ("产出指标", "数量指标", "水质检测次数", "4次")}


def test_real_web_copy_of_a_table_with_its_own_header_words(tmp_path):
    """shengzhi's web copy (cells cut at spaces; 绩效目标 | 评价指标 | 绩效内容 | 绩效标准 |
    全年绩效目标): its four indicators read as its gold has them."""
    import json
    from pathlib import Path
    path = Path(__file__).parent / "fixtures" / "textflow" / "fujian-shengzhi-tailian-butie-2017-web.txt"
    res = pipeline.process_file(path, pipeline.Options(ocr=False))
    gold = json.loads(Path(str(path) + ".gold.json").read_text(encoding="utf-8"))["projects"][0]["indicators"]
    got = {(i["level1"], i["level2"], i["name"], i["value_raw"]) for i in res.indicators}
    assert {(g["level1"], g["level2"], g["name"], g["value_raw"]) for g in gold} <= got


GOAL_COLUMNS = """绩效目标自评表
项目名称 | 临时救助 |
年度总体目标 |
年初设定目标 |
年度总体目标完成情况综述 |
||||||
为建档立卡扶贫户解决临时性的困难 |
全年救助建档立卡扶贫户临时救助87人次，完成目标任务。 |
一级指标 | 二级指标 | 三级指标 | 年度指标值 | 全年实际值 |
产出指标 | 数量指标 | 救助人次 | ≥59人次 | 87人次 |
"""


def test_a_copied_tables_goal_cells_under_planned_and_done_columns(tmp_path):
    """Under 年初设定目标 | 年度总体目标完成情况综述 a copy gives the planned cell, then what was done
    (a cell per line, or both on one row): only the planned one is a goal."""
    for text in (GOAL_COLUMNS, GOAL_COLUMNS.replace(
            "年度总体目标 |\n年初设定目标 |\n年度总体目标完成情况综述 |\n||||||\n为建档立卡扶贫户解决临时性的困难 |\n"
            "全年救助建档立卡扶贫户临时救助87人次，完成目标任务。 |\n",
            "年度总体目标 | 年初设定目标 | 年度总体目标完成情况综述 |\n"
            "| 为建档立卡扶贫户解决临时性的困难 | 全年救助建档立卡扶贫户临时救助87人次，完成目标任务。 |\n")):
        path = tmp_path / "goals.txt"
        path.write_text(text, encoding="utf-8")
        res = pipeline.process_file(path, pipeline.Options(ocr=False))
        assert [g["text"] for g in res.goals] == ["为建档立卡扶贫户解决临时性的困难"], text


def test_a_copied_goal_row_drops_its_sub_caption(tmp_path):
    """linhai's copy: '项目绩效目标 | 绩效目标 总体描述 | <the goal>' — the short caption beside the
    goal's text is no part of it, as in the PDF's grid."""
    path = tmp_path / "goal.txt"
    path.write_text("项目名称 | 绿化养护经费 |\n项目绩效目标 | 绩效目标 总体描述 | 完成我市建成区的绿化养护工作，改善了城市生态环境，提升城市品位。 |\n"
                    "指标类型 | 指标名称 | 指标值 | 指标描述 |\n产出指标 | 数量指标 | 375万平方米 | 完成全市绿地养护 |\n",
                    encoding="utf-8")
    res = pipeline.process_file(path, pipeline.Options(ocr=False))
    assert [g["text"] for g in res.goals] == ["完成我市建成区的绿化养护工作,改善了城市生态环境,提升城市品位。"]
