"""Regressions a review of the fifth session's changes reproduced (each file in
tests/fixtures/review5 is named after its defect; every assertion failed on the reviewed
commit and held on 37beef3, the tree before that session)."""
from __future__ import annotations

from conftest import ROOT

import pipeline

FIX = ROOT / "tests" / "fixtures" / "review5"


def _read(name: str):
    return pipeline.process_file(FIX / name, pipeline.Options(ocr=False))


def _pairs(name: str) -> set[tuple[str, str]]:
    return {(i["name"], i["value_raw"]) for i in _read(name).indicators}


def test_two_row_header_whose_value_word_spans_op_unit_and_number():
    """指标值 over 计算符号 | 度量单位 | 数值: the number is the last column, not the one after the name."""
    assert ("劳务支出", "51万元") in _pairs("two-row-header-spanning-op-unit-pipes.txt")


def test_header_cells_wrapped_above_and_below_the_name_line():
    """指标权 / 重, 计量单 / 位, 指标 / 性质 around 指标名称 … 指标值: the first row's number comes
    after two header words, so the table is still found."""
    got = _pairs("wrapped-header-above-and-below-layout.txt")
    assert {("年度培训班数量", "≥1期"), ("受益对象补助标准", "=1120元/亩")} <= got


def test_a_name_wrapped_before_a_word_that_opens_explanations():
    """…年度绩效 / 考核合格率: a short line opening with 考核 ends the name, it is no explanation."""
    got = _pairs("name-wrapped-before-kaohe-raw.txt")
    assert any(n.endswith("年度绩效考核合格率") and v == "≥95%" for n, v in got), got


def test_a_closed_sets_word_inside_a_name():
    """系统运行稳定性 | ≥99% | 定量: the row's closed cell stands alone, so 稳定性 keeps its 定性."""
    assert ("系统运行稳定性", "≥99%") in _pairs("closed-word-inside-a-name-glued.txt")


def test_a_number_opening_a_name_under_an_explanation_or_note_column():
    """65岁以上老年人健康管理率≥70% under … 指标值 | 备注: the name's own number is no value."""
    assert ("65岁以上老年人健康管理率", "≥70%") in _pairs("number-opening-a-name-glued.txt")


def test_a_goal_listing_items_line_by_line_is_not_two_cells():
    """目标1：完成以下工作： then （1）…（4）… on lines of their own: a list, read in order."""
    goals = [g["text"] for g in _read("goal-list-items-dump.txt").goals]
    first = next(g for g in goals if "(1)" in g or "（1）" in g)
    assert all(item in first for item in ("(2)", "(3)", "(4)")) or all(
        item in first for item in ("（2）", "（3）", "（4）")), first


def test_rows_whose_names_only_share_a_start():
    """资助覆盖率 | 100% beside 资助覆盖率（建档立卡学生） | 100% are two rows, both kept."""
    got = _pairs("names-sharing-a-start-layout.txt")
    assert {("资助覆盖率", "100%"), ("资助覆盖率(建档立卡学生)", "100%")} <= got, got
