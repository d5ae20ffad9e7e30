"""Generated forms read back from text: pdftotext's three modes and copies of web pages.

formgen (tests/fixtures/formgen.py, independent of jxmb) draws every family with seeds
0-2; each form becomes text of every kind -- `pdftotext` of its PDF (default mode, -raw,
-layout; poppler-utils) and formgen.render_web in its four styles (a browser's copy of
the published HTML table, site furniture around it) -- and is scored fact by fact
against formgen's gold. Each kind holds the floor measured for it, so that a regression
shows; the goal (issue) is a mean F1 >= 0.9 for every kind.
"""
from __future__ import annotations

import shutil
import subprocess

import pytest

import pipeline
from goldfacts import f1, run_projects
from tests.fixtures import formgen

SEEDS = (0, 1, 2)
GOAL = 0.9  # the target: mean F1 >= 0.9 for every kind
PDFTOTEXT = {"pdftotext": [], "pdftotext-raw": ["-raw"], "pdftotext-layout": ["-layout"]}
WEB = {f"web-{style}": style for style in formgen.WEB_STYLES}
# test_generated.py: "the flat export's raw dump is not read: its cells come out column by column"
EXCLUDED = {"pdftotext-raw": {"flat"}}

# Floors: measured minus 0.02, rounded down. Measured 2026-12-03 (third session), mean / min F1 over the
# 24 forms (21 for pdftotext-raw). Goal for every kind: mean >= 0.9 (GOAL).
FLOOR = {
    "pdftotext": 0.78,         # measured 0.803 / 0.039 (fifth session; was 0.791)
    "pdftotext-raw": 0.93,     # measured 0.952 / 0.824 (fifth session; was 0.948)
    "pdftotext-layout": 0.94,  # measured 0.961 / 0.596
    "web-pipe_rows": 0.97,     # measured 0.992 / 0.944
    "web-pipe_cells": 0.96,    # measured 0.982 / 0.900
    "web-glued": 0.94,         # measured 0.969 / 0.845 (fourth session; was 0.888 / 0.270)
    "web-spaced": 0.96,        # measured 0.989 / 0.921
}
MIN_FLOOR = {  # same measurements
    "pdftotext": 0.02,
    "pdftotext-raw": 0.80,
    "pdftotext-layout": 0.57,
    "web-pipe_rows": 0.92,
    "web-pipe_cells": 0.88,
    "web-glued": 0.82,
    "web-spaced": 0.90,
}
KINDS = list(PDFTOTEXT) + list(WEB)


def _cases(kind: str) -> list[tuple[str, int]]:
    return [(fam, seed) for fam in formgen.FAMILIES if fam not in EXCLUDED.get(kind, ())
            for seed in SEEDS]


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict[str, dict[tuple[str, int], float]]:
    """F1 of every (family, seed) per kind; each form drawn once, all texts read in one run."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed: .ci/run installs it"
    root = tmp_path_factory.mktemp("dumps")
    specs = {(fam, seed): formgen.random_spec(seed, fam) for fam in formgen.FAMILIES for seed in SEEDS}
    names: dict[tuple[str, str, int], str] = {}
    for (fam, seed), spec in specs.items():
        pdf = root / f"{fam}-{seed}.pdf"
        formgen.render_pdf(spec, pdf)
        for kind, opts in PDFTOTEXT.items():
            if fam in EXCLUDED.get(kind, ()):
                continue
            txt = root / f"{kind}-{fam}-{seed}.txt"
            subprocess.run(["pdftotext", *opts, str(pdf), str(txt)], check=True)
            names[kind, fam, seed] = txt.name
        for kind, style in WEB.items():
            txt = root / f"{kind}-{fam}-{seed}.txt"
            txt.write_text(formgen.render_web(spec, style), encoding="utf-8")
            names[kind, fam, seed] = txt.name
    out = root / "out"
    pipeline.run([str(root / n) for n in names.values()], out, ocr=False, quiet=True)
    res: dict[str, dict[tuple[str, int], float]] = {k: {} for k in KINDS}
    for (kind, fam, seed), name in names.items():
        gold = formgen.gold(specs[fam, seed])["projects"]
        res[kind][fam, seed] = f1(gold, run_projects(out, name))[0]
    return res


@pytest.mark.parametrize("kind", KINDS)
def test_generated_forms_read_back_as_text(scores, kind):
    got = scores[kind]
    assert sorted(got) == sorted(_cases(kind))  # every form of the kind was read and scored
    vals = list(got.values())
    mean, low = sum(vals) / len(vals), min(vals)
    shown = {f"{f}-{s}": round(v, 3) for (f, s), v in got.items() if v < GOAL}
    assert mean >= FLOOR[kind], f"{kind}: mean F1 {mean:.3f} < {FLOOR[kind]}; below goal: {shown}"
    assert low >= MIN_FLOOR[kind], f"{kind}: min F1 {low:.3f} < {MIN_FLOOR[kind]}; below goal: {shown}"


def _variation_f1(tmp_path, variation: str, fam: str, kind: str, seed: int = 0) -> float:
    """F1 of one of formgen's template variations (VARIATION_FAMILIES) read back as text of a kind."""
    spec = formgen.random_spec(seed, fam, variation, **formgen.VARIATION_GEN.get(variation, {}))
    txt = tmp_path / f"{variation}-{fam}-{kind}.txt"
    if kind.startswith("web-"):
        txt.write_text(formgen.render_web(spec, WEB[kind]), encoding="utf-8")
    else:
        pdf = tmp_path / f"{variation}-{fam}.pdf"
        formgen.render_pdf(spec, pdf)
        subprocess.run(["pdftotext", *PDFTOTEXT[kind], str(pdf), str(txt)], check=True)
    out = tmp_path / f"out-{variation}-{fam}-{kind}"
    pipeline.run([str(txt)], out, ocr=False, quiet=True)
    return f1(formgen.gold(spec)["projects"], run_projects(out, txt.name))[0]


@pytest.mark.parametrize("kind", ["pdftotext-raw", "web-pipe_rows", "web-glued"])
def test_a_two_row_header_copied_without_its_spans(tmp_path, kind):
    """formgen's two_row_header variation: 绩效目标 | 绩效指标 | 指标值 over 一级指标 | 二级指标 |
    三级指标, 指标值 spanning both rows. A copy or a -raw dump writes the upper row's words first:
    the value column still stands right of the name (parse/cellstream.py header_template); an
    upper row naming only 长期指标值 | 年度指标值 opens the table too. Before: F1 0.26-0.55."""
    # (a glued copy of longterm's reads 0.67: its two value columns' outcomes run together)
    for fam in ("department", "hunan", "mof") + (("longterm",) if kind != "web-glued" else ()):
        score = _variation_f1(tmp_path, "two_row_header", fam, kind)
        assert score >= 0.9, (fam, kind, score)
    if kind == "pdftotext-raw":
        # city's upper row: 绩效指标 | 绩效标准 | 当年预期实现值, the standard's column spanning both
        # rows as well (before: 0.295)
        score = _variation_f1(tmp_path, "two_row_header", "city", kind)
        assert score >= 0.85, ("city", kind, score)


@pytest.mark.parametrize("variation, fam, floor", [("marked_headers", "city", 0.7), ("split_value", "department", 0.9)])
def test_raw_header_cells_wrapped_in_their_columns(tmp_path, variation, fam, floor):
    """-raw writes a narrow header cell's lines as they wrap (二级指标（ / 必填）, 当年预期实 / 现值（必填 /
    ）): the pieces are one column word again (parse/cellstream.py _join_wrapped_heads), so the value
    column is found. Before: F1 0.28 (marked_headers city-0) and 0.33 (split_value department-0)."""
    score = _variation_f1(tmp_path, variation, fam, "pdftotext-raw")
    assert score >= floor, score


@pytest.mark.parametrize("fam, seed, floor", [("mof", 0, 0.7), ("city", 0, 0.75), ("longterm", 0, 0.75),
                                             ("mof", 1, 0.6), ("department", 1, 0.6)])
def test_raw_explanation_column_beside_the_value(tmp_path, fam, seed, floor):
    """formgen's explain_column variation through -raw: 指标值说明's cell (反映…情况。) starts on the
    line after the value; a whole value is never continued by an explanation's sentence, and a
    second note column (绩效标准 … 指标值说明, city) keeps its own cells. With the explanation
    before the value (指标解释 | 指标值, seed 1), its sentence on a line of its own continues no
    name, and a data cell ending like a column word (…长效机制的完成情况) is no late header.
    Before: F1 0.46 (mof-0), 0.59 (city-0), 0.56 (longterm-0), 0.20 (mof-1), 0.48 (department-1)."""
    score = _variation_f1(tmp_path, "explain_column", fam, "pdftotext-raw", seed=seed)
    assert score >= floor, score


@pytest.mark.parametrize("variation, fam", [("valtype_column", "ningxia"), ("split_value", "ningxia"),
                                            ("valtype_column", "longterm")])
def test_raw_header_word_wrapped_after_a_column_word(tmp_path, variation, fam):
    """formgen's valtype_column and split_value through -raw: 指标值类型 wraps as 指标值 / 类型 before
    the 指标值 column's own word, 指标性质 as 指标性 / 质; the pieces spell one header word, so the
    closed column (定量, 正向指标) stands before the value; its words wrapped in the narrow column
    (正向指 / 标) are one cell again and stay out of the name. A header word worded like a value
    (长期指标值) is still the header's. Before: F1 0.28 (ningxia-0, both), 0.33 (longterm-0)."""
    score = _variation_f1(tmp_path, variation, fam, "pdftotext-raw")
    assert score >= 0.94, score


def test_raw_no_levels_header_wrapped_and_weight_read_with_its_unit(tmp_path):
    """formgen's no_levels variation (department-0) through -raw: the header wraps in its narrow
    cells (指标 / 权重, 计量单 / 位, 指标性 / 质) and is read whole; a row's weight and unit come as
    one run (受益农户数 3 户 ≥ 19), which under 权重 | 计量单位 is two cells. Before: F1 0.22."""
    score = _variation_f1(tmp_path, "no_levels", "department", "pdftotext-raw")
    assert score >= 0.8, score


def test_raw_a_task_table_before_the_indicator_table_is_not_it(tmp_path):
    """formgen's dept_whole variation through -raw: a 年度主要任务 table (任务名称 | 主要内容 |
    预算金额) stands before the indicator table; its rows' numbers come before three header words
    did, so it opens no indicator table, and the goals and the indicator table after it are read.
    Before: F1 0.47 (the task table's reading ran over both)."""
    score = _variation_f1(tmp_path, "dept_whole", "department", "pdftotext-raw")
    assert score >= 0.9, score


@pytest.mark.parametrize("kind", ["pdftotext-raw", "web-pipe_rows", "web-glued"])
def test_a_header_naming_only_the_value_column(tmp_path, kind):
    """formgen's headerless_name variation, seed 2: the header spans the levels and the name with
    one word (绩效目标 | 绩效指标 | 指标值); the line after it opens with a category word, so it is
    the indicator table's header (glued: 绩效目标绩效指标指标值 is a header line of captions and
    the value's word). Before: F1 0.22-0.48 on every family's copy and -raw dump."""
    for fam in ("department", "mof", "longterm"):
        score = _variation_f1(tmp_path, "headerless_name", fam, kind, seed=2)
        assert score >= 0.9, (fam, kind, score)


def test_default_dump_header_cells_wrapped_side_by_side(tmp_path):
    """formgen's split_value variation (mof-1) as a default-mode dump: two header cells wrapped
    in narrow columns share their first line and end after the next column's word (计量单 指标性 /
    权重 / 位 / 质): 计量单位 and 指标性质 are read whole, in their columns' order, so the rows'
    units are theirs. Before: F1 0.27."""
    score = _variation_f1(tmp_path, "split_value", "mof", "pdftotext", seed=1)
    assert score >= 0.5, score


@pytest.mark.parametrize("variation,fam,seed,floor", [
    ("valtype_column", "longterm", 0, 0.95),   # 指标值类型 before 年度指标值 (before: 0.34)
    ("weight_column", "city", 0, 0.65),        # 指标值 not among the header's run (before: 0.43)
])
def test_default_dump_column_order_chosen_by_the_rows(tmp_path, variation, fam, seed, floor):
    """Where the header's words leave the columns' order open (a closed set's or a weight's word
    right before the value's; the value's word written away from the header's run), each order
    they allow is tried and the one that reads the rows at least cost is kept."""
    score = _variation_f1(tmp_path, variation, fam, "pdftotext", seed=seed)
    assert score >= floor, score


@pytest.mark.parametrize("fam,seed,floor", [("department", 0, 0.83), ("hunan", 2, 0.7), ("mof", 2, 0.4)])
def test_default_dump_explanation_column(tmp_path, fam, seed, floor):
    """formgen's explain_column variation (三级指标 | 指标值 | 指标值说明) as a default-mode dump: a
    piece worded as an explanation (反映…, 指…达到的水平) hardly opens a name where a column holds
    explanations; an explanation's wrapped tail (…村数量的完成情况) is no late 实际完成情况 header;
    the header repeated on the next page is no second note column. Before: 0.74, 0.53, 0.25."""
    score = _variation_f1(tmp_path, "explain_column", fam, "pdftotext", seed=seed)
    assert score >= floor, score


@pytest.mark.parametrize("variation,fam,seed,floor", [
    ("no_levels", "department", 0, 0.6),     # before: 0.31
    ("split_value", "department", 1, 0.4),   # before: 0.20
])
def test_default_dump_value_side_header_before_the_value_word(tmp_path, variation, fam, seed, floor):
    """A header whose value-side words come right before the value's, wrapped in their narrow
    cells (指标 / 权重 / 计量单 / 位 / 指标性 / 质 / 指标值): the table opens at the first of them,
    their run stands before the value's (or after it, as the rows read cheaper), and a unit's one
    character alone (户, 人) is its cell, no caption's."""
    score = _variation_f1(tmp_path, variation, fam, "pdftotext", seed=seed)
    assert score >= floor, score


@pytest.mark.parametrize("fam,seed,floor", [("city", 1, 0.9), ("ningxia", 1, 0.65), ("mof", 2, 0.4)])
def test_default_dump_two_row_header_value_word_twice(tmp_path, fam, seed, floor):
    """formgen's two_row_header variation as a default-mode dump: the upper row's value word
    (指标值, 当年预期实现值) spans the lower row's columns, one of which names the value again
    (计算符号 | 度量单位 | 数值). The value column may stand at either word; the rows' reading cost
    chooses (the lower word's place). Before: 0.37, 0.35, 0.21."""
    score = _variation_f1(tmp_path, "two_row_header", fam, "pdftotext", seed=seed)
    assert score >= floor, score
