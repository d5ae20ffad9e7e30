"""Text dumps and text-layer PDFs: parse time of this tree against a baseline tree, in one command.

    .venv/bin/python bench/bench_text_dumps.py --baseline /path/to/older/checkout

Reads every text dump (*.txt) and text-layer PDF (no scans) of ../shared/samples and
../shared/samples/real with pipeline.process_file (read + parse + records, OCR off), the
fastest of --rounds rounds per file, once with this tree's code and once with the
baseline's (e.g. `git worktree add /tmp/base f0a4791`), each in its own interpreter so
the two never share a module. Prints ms per file for each kind and the ratio. One more
kind: a 2,000-line default-mode dump of drawn self-evaluation forms (formgen seeds 20-22
through pdftotext), the most search state per piece.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
SHARED = HERE.parent / "shared" / "samples"

_TIMER = r"""
import json, sys, time
from pathlib import Path
root, rounds, files = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
sys.path.insert(0, root)
import pipeline
best = {}
for _ in range(rounds):
    for f in files:
        t = time.perf_counter()
        pipeline.process_file(Path(f), pipeline.Options(ocr=False))
        d = time.perf_counter() - t
        best[f] = min(best.get(f, d), d)
print(json.dumps(best))
"""


def _files() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"text dump": [], "text-layer PDF": []}
    for d in (SHARED, SHARED / "real"):
        for p in sorted(d.glob("*")):
            if p.suffix == ".txt":
                out["text dump"].append(str(p))
            elif p.suffix == ".pdf" and "scan" not in p.name:
                out["text-layer PDF"].append(str(p))
    return out


def _long_dump(folder: Path) -> str:
    """2,000 lines of pdftotext default-mode dumps of drawn self-evaluation forms."""
    sys.path.insert(0, str(HERE))
    from tests.fixtures import formgen
    parts = []
    for seed in range(3):
        pdf, txt = folder / f"s{seed}.pdf", folder / f"s{seed}.txt"
        formgen.render_pdf(formgen.random_spec(20 + seed, "self_eval"), pdf)
        subprocess.run(["pdftotext", str(pdf), str(txt)], check=True)
        parts.append(txt.read_text(encoding="utf-8"))
    lines = "".join(parts).split("\n")
    while len(lines) < 2000:
        lines += lines
    out = folder / "long-self-eval-dump.txt"
    out.write_text("\n".join(lines[:2000]), encoding="utf-8")
    return str(out)


def _time(root: Path, files: list[str], rounds: int) -> dict[str, float]:
    res = subprocess.run([sys.executable, "-c", _TIMER, str(root), str(rounds), json.dumps(files)],
                         capture_output=True, text=True, check=True, cwd=root)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", required=True, type=Path, help="a checkout of the tree to compare with")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    kinds = _files()
    kinds["long dump"] = [_long_dump(Path(tempfile.mkdtemp(prefix="jxmb-long-")))]
    every = [f for fs in kinds.values() for f in fs]
    new, old = _time(HERE, every, args.rounds), _time(args.baseline.resolve(), every, args.rounds)
    for kind, fs in kinds.items():
        if not fs:
            continue
        a, b = sum(new[f] for f in fs) / len(fs), sum(old[f] for f in fs) / len(fs)
        print(f"{kind:15s} {len(fs):3d} files  this tree {a * 1000:6.1f} ms/file  "
              f"baseline {b * 1000:6.1f} ms/file  ratio {a / b:4.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
