"""Generated forms written as Excel, Word and web pages read the same as their PDF.

formgen (tests/fixtures/formgen.py) draws a random form to PDF and states its gold;
tests/fixtures/office_render.py writes the very same form (titles, rows, cells, spans,
texts) the way an office keeps it.  Every rendering goes through the whole pipeline: the
office files must give the PDF's records field for field (geometry and ids aside), both must
score against the gold, and every office indicator must point at the cell its name stands in.

All 8 families are covered: each is a form people really keep in these formats (the flat
family is a system export, typically a workbook).  Seeds 2 and 3 give every family at least
one file with several forms (stacked on a sheet / one sheet each, page breaks in Word).
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

import pipeline
from goldfacts import canon, f1, run_projects
from tests.fixtures import formgen
from tests.fixtures import office_render as R

SEEDS = (2, 3)
# name -> (file suffix, writer): each office way of keeping the form
KINDS = {
    "xlsx": (".xlsx", lambda spec, p: R.render_xlsx(spec, p)),
    "xlsx-sheets-numbers": (".xlsx", lambda spec, p: R.render_xlsx(spec, p, per_sheet=True, numbers=True)),
    "docx": (".docx", lambda spec, p: R.render_docx(spec, p)),
    "docx-br": (".docx", lambda spec, p: R.render_docx(spec, p, breaks="br")),
    "html": (".html", lambda spec, p: R.render_html(spec, p)),
    "html-gbk": (".html", lambda spec, p: R.render_html(spec, p, encoding="gbk")),
}
PROJECT_SKIP = {"project_id", "doc_id", "page_start", "page_end"}
# name_raw is checked against the printed name instead: a PDF cell wrapped between two ASCII
# characters ("标准(" / "**元/亩)") reads back with a space there, the office cell has none
INDICATOR_SKIP = {"project_id", "page", "bbox_x0", "bbox_y0", "bbox_x1", "bbox_y1", "cell_ref",
                  "ocr_confidence", "name_raw"}
CASES = [(fam, seed) for fam in formgen.FAMILIES for seed in SEEDS]


def _plain(v):
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return str(v)[:10]
    return v


def _records(projects: list[dict]) -> list[dict]:
    return [{k: _plain(v) for k, v in p.items() if k not in PROJECT_SKIP | {"goals", "indicators"}}
            | {"goals": list(p["goals"]),
               "indicators": [{k: _plain(v) for k, v in i.items() if k not in INDICATOR_SKIP}
                              for i in p["indicators"]]}
            for p in projects]


def _first_difference(want: list[dict], got: list[dict]) -> str:
    if len(want) != len(got):
        return f"{len(got)} projects, the PDF gives {len(want)}"
    for k, (a, b) in enumerate(zip(want, got)):
        for f in a.keys() | b.keys():
            if f != "indicators" and a.get(f) != b.get(f):
                return f"project {k} {f}: pdf {a.get(f)!r} / office {b.get(f)!r}"
        ia, ib = a["indicators"], b["indicators"]
        for j, (x, y) in enumerate(zip(ia, ib)):
            if x != y:
                diff = {f: (x.get(f), y.get(f)) for f in x.keys() | y.keys() if x.get(f) != y.get(f)}
                return f"project {k} indicator {j} ({x.get('name')!r}): pdf/office {diff}"
        if len(ia) != len(ib):
            return f"project {k}: {len(ib)} indicators, the PDF gives {len(ia)}"
    return "no difference"


def _read(path) -> list[dict]:
    # one run per file: byte-identical renderings (no cell with a line break) share a doc_id
    out = path.parent / f"out-{path.name}"
    pipeline.run([str(path)], out, ocr=False, quiet=True)
    return run_projects(out, path.name)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """(family, seed) -> spec, PDF projects and {kind: (office projects, expected refs)}."""
    cache: dict = {}

    def get(family: str, seed: int):
        if (family, seed) not in cache:
            d = tmp_path_factory.mktemp(f"{family}-{seed}")
            spec = formgen.random_spec(seed, family)
            pdf = d / "form.pdf"
            formgen.render_pdf(spec, pdf)
            office = {}
            for kind, (suffix, write) in KINDS.items():
                path = d / f"form-{kind}{suffix}"
                refs = write(spec, path)["refs"]
                office[kind] = (_read(path), refs)
            cache[family, seed] = (spec, _read(pdf), office)
        return cache[family, seed]

    return get


def _expected_refs(spec: dict, refs: dict) -> list[list[str]]:
    return [[refs[pi, i] for i, r in enumerate(p["rows"]) if not r["empty"]]
            for pi, p in enumerate(spec["projects"])]


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("family,seed", CASES, ids=[f"{f}-{s}" for f, s in CASES])
def test_office_rendering_reads_as_the_pdf(rendered, family, seed, kind):
    spec, pdf, office = rendered(family, seed)
    got, refs = office[kind]
    gold = formgen.gold(spec)["projects"]
    score, missed, extra = f1(gold, pdf)
    assert score >= 0.995, f"PDF: F1 {score:.4f}; missed {missed[:3]}; extra {extra[:3]}"
    score, missed, extra = f1(gold, got)
    assert score >= 0.995, f"{kind}: F1 {score:.4f}; missed {missed[:3]}; extra {extra[:3]}"
    want, have = _records(pdf), _records(got)
    assert have == want, _first_difference(want, have)
    printed = [[canon(r["name_raw"]) for r in p["rows"] if not r["empty"]] for p in spec["projects"]]
    assert [[canon(i["name_raw"]) for i in p["indicators"]] for p in got] == printed
    assert all(_plain(i["cell_ref"]) is None for p in pdf for i in p["indicators"])
    assert [[_plain(i["cell_ref"]) for i in p["indicators"]] for p in got] == _expected_refs(spec, refs)


@pytest.mark.parametrize("family", ["self_eval", "flat", "city"])
def test_workbook_with_typed_numbers_reads_as_typed_text(tmp_path, family):
    """Money, weights and scores typed as numbers under a number format show the same text."""
    import openpyxl

    from extract.model import Grid
    from extract.reader import ReadOptions, read_document

    spec = formgen.random_spec(2, family)
    text, typed = tmp_path / "text.xlsx", tmp_path / "typed.xlsx"
    R.render_xlsx(spec, text)
    R.render_xlsx(spec, typed, numbers=True)
    ws = openpyxl.load_workbook(typed).active
    numeric = [c for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))]
    assert len(numeric) >= 5 and {c.number_format for c in numeric} - {"General"}

    def cells(path):
        doc = read_document(path.read_bytes(), ReadOptions(ocr=False))
        return [(c.row, c.col, c.rowspan, c.colspan, c.text, c.ref)
                for p in doc.pages for b in p.blocks if isinstance(b, Grid) for c in b.cells]

    assert cells(typed) == cells(text)
