"""Smoke test of the independent form generator (tests/fixtures/formgen.py)."""
import json
import re
import sys
from pathlib import Path

import pymupdf
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures import formgen  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEEDS = (0, 1, 2, 7)
WS = re.compile(r"\s+")

# extra keys a family adds on top of the sample gold shape
EXTRA_PROJECT = {"self_eval": {"funds_executed_yuan"}}
EXTRA_IND = {"longterm": {"value_long_term_raw"}, "self_eval": {"actual_raw", "weight", "score"}}


def _sample_shape():
    proj_keys, ind_keys = None, set()
    for f in sorted(SAMPLES.glob("*.gold.json")):
        for p in json.loads(f.read_text(encoding="utf-8"))["projects"]:
            keys = set(p)
            proj_keys = keys if proj_keys is None else proj_keys
            assert keys == proj_keys
            for ind in p["indicators"]:
                ind_keys |= set(ind)
    return proj_keys, ind_keys


if SAMPLES.exists():
    SAMPLE_PROJECT_KEYS, SAMPLE_IND_KEYS = _sample_shape()
else:  # the shape as of SCHEMA.md
    SAMPLE_PROJECT_KEYS = set(formgen.GOLD_KEYS) | {"goals", "indicators"}
    SAMPLE_IND_KEYS = {"level1", "level2", "name", "value_raw", "operator", "value_num", "unit", "deadline"}
REQUIRED_IND = {"level1", "level2", "name", "value_raw", "operator", "value_num", "unit"}


def _text(path):
    with pymupdf.open(path) as doc:
        assert doc.page_count >= 1
        return doc.page_count, WS.sub("", "".join(p.get_text() for p in doc))


def _check_gold_shape(family, g):
    assert set(g) == {"projects"}
    assert 1 <= len(g["projects"]) <= 3
    for p in g["projects"]:
        assert set(p) == SAMPLE_PROJECT_KEYS | EXTRA_PROJECT.get(family, set())
        assert isinstance(p["goals"], list) and all(isinstance(t, str) and t for t in p["goals"])
        assert p["indicators"]
        for ind in p["indicators"]:
            keys = set(ind)
            assert REQUIRED_IND <= keys
            assert keys <= SAMPLE_IND_KEYS | EXTRA_IND.get(family, set()), keys
            assert ("deadline" in ind) == (ind["operator"] == "<=" and ind["value_num"] is None)
            assert not re.match(r"指标\s*\d", ind["name"])
    json.dumps(g)  # serialisable


@pytest.mark.parametrize("family", formgen.FAMILIES)
@pytest.mark.parametrize("seed", SEEDS)
def test_render_and_gold(tmp_path, family, seed):
    spec = formgen.random_spec(seed, family)
    assert spec == formgen.random_spec(seed, family)  # deterministic
    g = formgen.gold(spec)
    _check_gold_shape(family, g)
    pdf = tmp_path / f"{family}-{seed}.pdf"
    info = formgen.render_pdf(spec, pdf)
    pages, text = _text(pdf)
    assert info["pages"] == pages
    for p in g["projects"]:
        if p["project_name"]:
            assert WS.sub("", p["project_name"]) in text
        for ind in p["indicators"]:
            assert WS.sub("", ind["name"]) in text, ind["name"]
            assert WS.sub("", ind["value_raw"]) in text or family == "flat", ind["value_raw"]
    assert "指标" in text


TRAIT_CASES = [("glyphs",), ("filled_rules",), ("hrules_only",), ("rotate90",),
               ("glyphs", "filled_rules", "rotate90")]


@pytest.mark.parametrize("traits", TRAIT_CASES, ids=lambda t: "+".join(t))
@pytest.mark.parametrize("family", ["ningxia", "flat"])
def test_traits(tmp_path, family, traits):
    spec = formgen.random_spec(3, family)
    pdf = tmp_path / "t.pdf"
    formgen.render_pdf(spec, pdf, traits)
    _, text = _text(pdf)
    for p in formgen.gold(spec)["projects"]:
        for ind in p["indicators"]:
            assert WS.sub("", ind["name"]) in text
    with pymupdf.open(pdf) as doc:
        page = doc[0]
        assert page.rotation == (90 if "rotate90" in traits else 0)
        if "rotate90" in traits:
            assert page.rect.width > page.rect.height  # displayed landscape
        drawings = page.get_drawings()
        assert drawings
        if "hrules_only" in traits:
            for d in drawings:
                for it in d["items"]:
                    if it[0] == "l":
                        assert abs(it[1].x - it[2].x) > 0.01  # no vertical rule
        if "glyphs" in traits:
            raw = doc[0].read_contents()
            assert raw.count(b"BT") > 200


def test_page_break_and_multi_form(tmp_path):
    spec = formgen.random_spec(11, "ningxia", n_projects=3, max_per_block=4, min_per_block=2,
                               p_long=0.5, mid_page=True, repeat_header=True, span_break="blank")
    info = formgen.render_pdf(spec, tmp_path / "m.pdf")
    assert info["pages"] >= 2
    spans = [(p["page_start"], p["page_end"]) for p in info["projects"]]
    assert any(a < b for a, b in spans)  # a table breaks across pages
    assert all(spans[k][1] <= spans[k + 1][0] for k in range(len(spans) - 1))


def test_render_text():
    spec = formgen.random_spec(5, "mof")
    raw = WS.sub("", formgen.render_text(spec, "raw"))
    lay = formgen.render_text(spec, "layout")
    for ind in formgen.gold(spec)["projects"][0]["indicators"]:
        assert WS.sub("", ind["name"]) in raw
    assert spec["projects"][0]["project_name"] in lay


def test_unknown_trait_and_override(tmp_path):
    spec = formgen.random_spec(0, "mof")
    with pytest.raises(NotImplementedError):
        formgen.render_pdf(spec, tmp_path / "x.pdf", ("scanned",))
    with pytest.raises(TypeError):
        formgen.random_spec(0, "mof", nonsense=1)
