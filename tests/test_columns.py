"""Indicator columns that explain the value (指标值设定依据及数据来源, 评(扣)分标准)
sit next to it in several provinces' templates: they are never the value."""
from __future__ import annotations

import pytest
import pymupdf

import pipeline
from goldfacts import run_projects

HEADER = ["一级指标", "二级指标", "三级指标", "指标值", "指标值设定依据及数据来源"]
ROWS = [["产出指标", "数量指标", "培训人数", "≥100人", "年度培训计划"],
        ["产出指标", "质量指标", "培训合格率", "≥95%", "考核结果统计"],
        ["效益指标", "社会效益指标", "群众知晓率", "明显提高", "问卷调查"]]
HEAD_LINES = [("项目名称", "职业技能培训补助"), ("主管部门", "某县人力资源和社会保障局"),
              ("年度总体目标", "目标1：完成职业技能培训。")]


def _values(out, name):
    projects = run_projects(out, name)
    assert len(projects) == 1, projects
    return {i["name"]: i["value_raw"] for i in projects[0]["indicators"]}


def test_basis_column_is_not_the_value_in_a_pdf(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page(width=842, height=595)
    page.insert_text((300, 50), "项目支出绩效目标表", fontname="china-s", fontsize=14)
    widths = [90, 110, 200, 110, 230]
    x0, y = 50, 80
    rows = [[k, v, "", "", ""] for k, v in HEAD_LINES] + [HEADER] + ROWS
    for r, cells in enumerate(rows):
        x = x0
        merged = r < len(HEAD_LINES)
        spans = [(0, 1), (1, 5)] if merged else [(c, c + 1) for c in range(5)]
        for a, b in spans:
            w = sum(widths[a:b])
            page.draw_rect(pymupdf.Rect(x, y, x + w, y + 24), color=(0, 0, 0), width=0.6)
            page.insert_text((x + 4, y + 16), cells[a], fontname="china-s", fontsize=9)
            x += w
        y += 24
    path = tmp_path / "basis.pdf"
    doc.save(path)
    pipeline.run([str(path)], tmp_path / "out", ocr=False, quiet=True)
    assert _values(tmp_path / "out", path.name) == {"培训人数": "≥100人", "培训合格率": "≥95%",
                                                    "群众知晓率": "明显提高"}


def test_basis_column_is_not_the_value_in_a_raw_dump(tmp_path):
    lines = ["项目支出绩效目标表"] + [f"{k} {v}" for k, v in HEAD_LINES] + [" ".join(HEADER)]
    lines += [" ".join(r[:2] + [f"指标{k + 1}：{r[2]}"] + r[3:]) for k, r in enumerate(ROWS)]
    path = tmp_path / "basis.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pipeline.run([str(path)], tmp_path / "out", ocr=False, quiet=True)
    assert _values(tmp_path / "out", path.name) == {"培训人数": "≥100人", "培训合格率": "≥95%",
                                                    "群众知晓率": "明显提高"}


@pytest.mark.parametrize("name,conf,kept,want_name", [
    ("指标4：数据上报响应时间", None, True, "数据上报响应时间"),
    ("指标4数据上报响应时间", 0.9, True, "数据上报响应时间"),     # OCR lost the colon
    ("、n", 0.4, False, None),                                    # specks read as a row
    ("、n", None, True, "、n"),                                   # a text layer says what it says
])
def test_indicator_cells_label_and_specks(name, conf, kept, want_name):
    from parse.columns import LevelCarry, indicator_from_cells
    from parse.model import RawForm
    carry = LevelCarry()
    carry.update("产出指标", "时效指标")
    ind = indicator_from_cells(name, "", carry, RawForm(), 1, (0, 0, 1, 1), conf)
    assert (ind is not None) is kept
    if kept:
        assert ind.name_raw == want_name
