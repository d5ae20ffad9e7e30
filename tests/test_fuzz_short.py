"""A short, bounded fuzzing pass (~20 s) over the layers below pipeline.process_file.

The long run is `python -m fuzz --minutes 30`; this keeps the harness working and
catches regressions cheaply. An escape is any exception other than InputError
out of read_document -> parse_document -> records -> checks, or a run past the
time cap; parse_value is fuzzed through its unguarded core `_parse_value`.
"""
from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT))
from fuzz.mutate import fuzz as mutation_fuzz  # noqa: E402
from fuzz.target import Findings, run_bytes  # noqa: E402
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
    st = mutation_fuzz(8.0, seed=1234, findings=f, time_cap=15.0)
    assert st.executions > 30
    assert not f.found, _report(f)


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
