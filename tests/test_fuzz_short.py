"""A short, bounded fuzzing pass (~20 s) over the layers below pipeline.process_file.

The long run is `python -m fuzz --minutes 30`; this keeps the harness working and
catches regressions cheaply. An escape is any exception other than InputError
out of read_document -> parse_document -> records -> checks, a Document breaking the
model's rules, or a run past the time cap; parse_value is fuzzed through its unguarded
core `_parse_value`. Office files and web pages get a pass of their own (zip parts
and markup mutated).
"""
from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT))
from extract.model import Cell, Grid  # noqa: E402
from extract.sniff import sniff  # noqa: E402
from fuzz.corpus import office_forms, zip_members  # noqa: E402
from fuzz.mutate import fuzz as mutation_fuzz  # noqa: E402
from fuzz.mutate import mutate_zip, office_seeds  # noqa: E402
from fuzz.target import Findings, Invalid, check_grid, run_bytes  # noqa: E402
from fuzz.textfuzz import fuzz_text, fuzz_values  # noqa: E402


def _report(f: Findings) -> str:
    return "\n".join(f"{o.kind}: {o.detail}\n{getattr(o, 'trace', '')}" for o, _ in f.found.values())


def test_fuzz_text_dumps_short():
    f = Findings()
    n = fuzz_text(6.0, f)
    assert n > 20
    assert not f.found, _report(f)


def test_fuzz_parse_value_short():
    f = Findings()
    n = fuzz_values(3.0, f)
    assert n > 200
    assert not f.found, _report(f)


def test_fuzz_mutated_samples_short():
    f = Findings()
    st = mutation_fuzz(5.0, seed=1234, findings=f, time_cap=15.0)
    assert st.executions > 30
    assert not f.found, _report(f)


def test_fuzz_mutated_office_files_short():
    seeds = office_seeds()
    assert {sniff(d)[0] for _, d in seeds} == {"xlsx", "docx", "ole", "html"}
    f = Findings()
    # a fixed count, so the inputs are the same on any machine; seed 8's first 500 stay clear of
    # the 1,000-column grids the parser takes ~7 s over (the long run, python -m fuzz, meets those)
    st = mutation_fuzz(20.0, seed=8, findings=f, time_cap=15.0, seeds=seeds, max_execs=500)
    assert st.executions > 30
    # mutations inside the zips keep many files readable: the readers' code past the zip is reached
    assert st.ok > 5 and st.refused > 5, (st.ok, st.refused)
    assert not f.found, _report(f)


def test_zip_mutations_change_parts_and_keep_a_zip():
    import random
    rng = random.Random(7)
    for kind in ("xlsx", "docx"):
        data = office_forms()[kind]
        before = zip_members(data)
        changed = 0
        for _ in range(20):
            after = zip_members(mutate_zip(data, rng, [data]))
            changed += after != before
        assert changed >= 15, (kind, changed)


def test_grid_check_catches_holes_overlaps_and_missing_refs():
    import re

    import pytest
    ok = Grid(1, 2, 2, [Cell("a", 0, 0, colspan=2, ref="S!A1"), Cell("b", 1, 0, ref="S!A2"),
                        Cell("", 1, 1, ref="S!B2")])
    ref = re.compile(r".+![A-Z]+[1-9][0-9]*")
    check_grid(ok, ref)
    bad = {"covered by no cell": Grid(1, 2, 2, ok.cells[:2]),
           "covered by two cells": Grid(1, 2, 2, ok.cells + [Cell("x", 0, 1, ref="S!B1")]),
           "outside a 2x2 grid": Grid(1, 2, 2, ok.cells[:2] + [Cell("", 1, 1, colspan=2, ref="S!B2")]),
           "has ref None": Grid(1, 2, 2, ok.cells[:2] + [Cell("", 1, 1)]),
           "has ref 'S!B0'": Grid(1, 2, 2, ok.cells[:2] + [Cell("", 1, 1, ref="S!B0")])}
    for why, g in bad.items():
        with pytest.raises(Invalid, match=re.escape(why)):
            check_grid(g, ref)


def test_target_counts_an_escape():
    """The harness itself: a parser that raises is an escape, a refusal is not."""
    import parse.form as form
    real = form.parse_document
    try:
        form.parse_document = lambda doc: 1 / 0
        o = run_bytes((ROOT / "samples" / "shapotou-2025.txt").read_bytes())
    finally:
        form.parse_document = real
    assert o.kind == "escape" and o.detail.startswith("ZeroDivisionError"), o
    assert run_bytes(b"").kind == "refused"
