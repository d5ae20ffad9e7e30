"""python -m fuzz [--minutes N] [--mode auto|atheris|mutate] [--out DIR] [--seed S]

Fuzzes the layers below pipeline.process_file for N minutes and prints
executions, minutes, corpus size and escapes (uncaught exceptions other than
InputError, and hangs past the time cap). The budget is split: 25 % text dumps
through Hypothesis, 10 % parse_value through Hypothesis, 65 % byte mutation of
the sample PDFs and dumps, a generated form as .xlsx/.docx/.html and the small bad
inputs (atheris/libFuzzer when installed, else fuzz/mutate.py, which also mutates
the parts inside .xlsx/.docx zips).

Escapes are written to OUT/escapes/ (input + traceback); OUT/report.json holds the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fuzz.target import Findings  # noqa: E402


def _log(msg: str) -> None:
    print(f"[fuzz {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def have_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def run_atheris(seconds: float, out: Path, findings: Findings) -> dict:
    """libFuzzer in child processes (restarted after a native crash) until the budget is spent."""
    from fuzz.mutate import _seeds

    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for name, data in _seeds():
        (corpus / f"seed-{name}").write_bytes(data)
    esc = out / "escapes"
    crashes = out / "crashes"
    crashes.mkdir(parents=True, exist_ok=True)
    runs = 0
    native = []
    t0 = time.monotonic()
    while (left := seconds - (time.monotonic() - t0)) > 5:
        cmd = [sys.executable, "-m", "fuzz.atheris_target", str(esc), str(corpus),
               f"-max_total_time={int(left)}", "-max_len=400000", "-timeout=0", "-rss_limit_mb=6144",
               f"-artifact_prefix={crashes}/", "-print_final_stats=1", "-len_control=0"]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, errors="replace",
                              timeout=left + 120)
        log = proc.stderr
        (out / "libfuzzer.log").open("a").write(log)
        m = re.findall(r"Done (\d+) runs", log) or re.findall(r"stat::number_of_executed_units:\s*(\d+)", log)
        if m:
            runs += int(m[-1])
        else:
            m = re.findall(r"^#(\d+)\s", log, re.M)
            runs += int(m[-1]) if m else 0
        for line in log.splitlines():
            if line.startswith("#ESCAPE"):
                _log(line[1:])
        if proc.returncode != 0:
            what = next((ln for ln in log.splitlines() if "ERROR: libFuzzer" in ln or "deadly signal" in ln),
                        f"exit {proc.returncode}")
            native.append(what.strip())
            _log(f"native crash or libFuzzer stop: {what.strip()}; restarting")
    # escapes found in the child were written to disk; count them there
    for p in sorted(esc.glob("*.txt")) if esc.exists() else []:
        lines = p.read_text("utf-8").splitlines()
        detail = lines[1] if len(lines) > 1 else p.stem
        key = detail.split(": ", 1)[0] if p.name.startswith("escape") else "hang"
        findings.found.setdefault(key, (_Stub(p.name.split("-")[0], detail), b""))
    for i, what in enumerate(native):
        findings.found.setdefault(f"native crash {i}", (_Stub("escape", f"native crash: {what}"), b""))
    return {"executions": runs, "corpus": len(list(corpus.iterdir())), "engine": "atheris"}


class _Stub:
    def __init__(self, kind, detail):
        self.kind, self.detail = kind, detail


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=1.0)
    ap.add_argument("--mode", choices=["auto", "atheris", "mutate"], default="auto")
    ap.add_argument("--out", default=str(ROOT / "fuzz-out"), help="escapes and the report (default fuzz-out/)")
    ap.add_argument("--seed", type=int, default=int(time.time()))
    a = ap.parse_args(argv)
    out = Path(a.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    budget = a.minutes * 60
    findings = Findings(out_dir=out / "escapes")
    t0 = time.monotonic()
    figures: dict = {}

    from fuzz import textfuzz
    _log(f"hypothesis: text dumps for {budget * 0.25:.0f} s")
    n_text = textfuzz.fuzz_text(budget * 0.25, findings)
    _log(f"hypothesis: parse_value for {budget * 0.10:.0f} s")
    n_val = textfuzz.fuzz_values(budget * 0.10, findings)
    figures["hypothesis_text_executions"] = n_text
    figures["hypothesis_value_executions"] = n_val

    left = budget - (time.monotonic() - t0)
    mode = a.mode
    if mode == "auto":
        mode = "atheris" if have_atheris() else "mutate"
    _log(f"bytes ({mode}) for {left:.0f} s")
    if mode == "atheris":
        b = run_atheris(left, out, findings)
    else:
        from fuzz.mutate import fuzz as mfuzz
        st = mfuzz(left, seed=a.seed, findings=findings, log=_log)
        b = {"executions": st.executions, "corpus": st.corpus, "engine": "mutate"}
    figures.update(bytes_engine=b["engine"], bytes_executions=b["executions"])
    escapes = [d for k, (o, _) in findings.found.items() if o.kind == "escape" for d in [o.detail]]
    hangs = [o.detail for o, _ in findings.found.values() if o.kind == "hang"]
    figures.update(
        executions=n_text + n_val + b["executions"],
        minutes=round((time.monotonic() - t0) / 60, 2),
        corpus=b["corpus"],
        escapes=len(escapes),
        hangs=len(hangs),
        escape_details=escapes,
        hang_details=hangs,
        seed=a.seed,
    )
    (out / "report.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2), "utf-8")
    print(f"executions {figures['executions']:,} (text {n_text:,}, parse_value {n_val:,}, "
          f"bytes/{b['engine']} {b['executions']:,}); minutes {figures['minutes']}; corpus {b['corpus']}; "
          f"escapes {len(escapes)}; hangs {len(hangs)}")
    for d in escapes + hangs:
        print(f"  - {d}")
    return 1 if escapes or hangs else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
