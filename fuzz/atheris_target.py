"""Coverage-guided fuzzing with atheris (libFuzzer) over the sample PDFs and text dumps.

Run by `python -m fuzz` in a child process:

    python -m fuzz.atheris_target ESCAPE_DIR CORPUS_DIR -max_total_time=N ...

The target never raises: an escape is written to ESCAPE_DIR (input + traceback)
and fuzzing goes on, so one run finds every kind of escape, not just the first.
"""
from __future__ import annotations

import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["extract", "parse", "normalize", "check"]):
    import check  # noqa: F401
    import extract.reader  # noqa: F401
    import parse.records  # noqa: F401
    import parse.form  # noqa: F401

from fuzz.target import Findings, run_bytes  # noqa: E402

FINDINGS = Findings()
COUNT = [0]


def test_one(data: bytes) -> None:
    COUNT[0] += 1
    o = run_bytes(data, time_cap=20.0)
    if FINDINGS.add(o, data, "atheris"):
        print(f"\n#ESCAPE {o.kind}: {o.detail}", file=sys.stderr, flush=True)


def main() -> None:
    FINDINGS.out_dir = Path(sys.argv[1])
    argv = [sys.argv[0]] + sys.argv[2:]
    atheris.Setup(argv, test_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
