"""Structure variations of generated forms (formgen.VARIATIONS) read back fact by fact.

Each variation is a class of real template (an extra 指标值类型 / 指标描述 / 分值 column,
marked or two-row or blank headers, split operator | number | unit columns, no 三级 or
no level columns, blank 一级 cells, labels run on after header values, 部门整体 forms,
odd or missing titles). Column roles must come from header words and cell contents
together, so the same bar as tests/test_generated.py holds: F1 >= 0.995 per form.
The gold comes from formgen alone (SCHEMA.md rules), never from the pipeline.
"""
import re

import pytest

import pipeline
from goldfacts import canon, f1, run_projects
from tests.fixtures import formgen

# families per variation, one case per (family, seed=index): sub-kinds follow the seed
# (two_row_header: levels / value / both; headerless_name: blank / merged 二级 / merged all;
# blank_level1: all blank / first row only; dept_whole: section / vertical 基本信息;
# odd_title: the 5 titles of formgen.ODD_TITLES for the first form, seed 4 none at all;
# later forms of a file draw theirs at random, city-5's third has none)
FAMILIES = {
    "valtype_column": ("ningxia", "mof", "longterm", "self_eval"),
    "explain_column": ("hunan", "department", "city", "self_eval"),
    "marked_headers": ("ningxia", "mof", "longterm", "self_eval"),
    "two_row_header": ("mof", "hunan", "ningxia", "longterm", "self_eval", "self_eval"),
    "headerless_name": ("mof", "hunan", "ningxia", "city"),
    "no_level3": ("mof", "hunan", "department", "longterm"),
    "blank_level1": ("ningxia", "mof", "hunan", "self_eval"),
    "label_runon": ("ningxia", "mof", "department", "city"),
    "dept_whole": ("department", "department", "department", "department"),
    "odd_title": ("mof", "ningxia", "hunan", "longterm", "city", "city"),
    "split_value": ("mof", "ningxia", "department", "city"),
    "weight_column": ("mof", "ningxia", "longterm", "hunan"),
    "no_levels": ("department", "mof", "ningxia"),
}
CASES = [(v, fam, seed) for v in formgen.VARIATIONS for seed, fam in enumerate(FAMILIES[v])]
EXTRA_COLS = ("value_long_term_raw", "actual_raw", "weight", "score")
WS = re.compile(r"\s+")


def test_every_variation_has_cases():
    assert set(FAMILIES) == set(formgen.VARIATIONS)
    for v, fams in FAMILIES.items():
        assert len(fams) >= 3 and set(fams) <= set(formgen.VARIATION_FAMILIES[v]), v


@pytest.mark.parametrize("variation,family,seed", CASES, ids=[f"{v}-{f}-{s}" for v, f, s in CASES])
def test_variation_reads_back(tmp_path, variation, family, seed):
    spec = formgen.random_spec(seed, family, variation=variation)
    gold = formgen.gold(spec)["projects"]
    src = tmp_path / "form.pdf"
    formgen.render_pdf(spec, src)
    out = tmp_path / "out"
    pipeline.run([str(src)], out, ocr=False, quiet=True)
    got = run_projects(out, src.name)
    score, missed, extra = f1(gold, got)
    assert score >= 0.995, f"F1 {score:.4f}; missed {missed[:4]}; extra {extra[:4]}"
    # columns the yardstick does not grade (weight of 分值 / 权重 columns, self-evaluation's)
    for g, p in zip(gold, got):
        assert canon(p.get("funds_executed_yuan")) == canon(g.get("funds_executed_yuan"))
        for gi, pi in zip(g["indicators"], p["indicators"]):
            for col in EXTRA_COLS:
                if col in gi:
                    assert canon(pi[col]) == canon(gi[col]), (col, gi["name"])


@pytest.mark.parametrize("variation", formgen.VARIATIONS)
def test_variation_text_renderings(variation):
    """render_text draws every variation (the same layout as the PDF): every gold name is
    in the raw rendering and the layout rendering has as many pages."""
    fam = FAMILIES[variation][0]
    spec = formgen.random_spec(1, fam, variation=variation)
    assert spec == formgen.random_spec(1, fam, variation=variation)
    raw = WS.sub("", formgen.render_text(spec, "raw"))
    lay = formgen.render_text(spec, "layout")
    for p in formgen.gold(spec)["projects"]:
        for ind in p["indicators"]:
            assert WS.sub("", ind["name"]) in raw, ind["name"]
    assert lay.count("\f") == formgen.render_text(spec, "raw").count("\f")


def test_variation_needs_a_family_it_fits():
    with pytest.raises(ValueError):
        formgen.random_spec(0, "mof", variation="dept_whole")
    with pytest.raises(ValueError):
        formgen.random_spec(0, "mof", variation="no_such_variation")
