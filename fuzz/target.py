"""The layers below `pipeline.process_file`, run the way it runs them, without its safety net.

`run_bytes(data)` reads, parses, builds records and checks; an `InputError` is a
proper refusal, any other exception is an *escape* (a bug: process_file would
turn it into `internal error: …`), and running past the time cap is a *hang*.
A Document that breaks extract/model.py's rules (a grid position covered by no cell
or by two, a cell outside its grid, an office or web-page cell without its `ref`) is
counted as an escape too: the parser would read it wrongly without a word.
"""
from __future__ import annotations

import hashlib
import re
import signal
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from extract.model import Grid
from extract.reader import InputError, ReadOptions, read_document

# Fuzzing never OCRs (seconds per page) and keeps the caps small, so each run is quick.
FUZZ_OPTS = ReadOptions(ocr=False, max_pages=50, max_stream_bytes=32 << 20,
                        max_inflated_bytes=64 << 20, max_seconds=10.0)

PLUMBER_OPTS = ReadOptions(engine="pdfplumber", ocr=False, max_pages=50, max_stream_bytes=32 << 20,
                           max_inflated_bytes=64 << 20, max_seconds=10.0)


def opts_for(data: bytes) -> ReadOptions:
    """Every fourth input (by length) goes through the pdfplumber engine."""
    return PLUMBER_OPTS if len(data) % 4 == 1 else FUZZ_OPTS


class Invalid(Exception):
    """A reader returned a Document that breaks the model's rules."""


# what a cell's ref looks like, by file type (extract/model.py); 1-based rows, so never row 0
_SHEET_REF = re.compile(r".+![A-Z]{1,3}[1-9][0-9]*")
_TABLE_REF = re.compile(r"table [1-9][0-9]* row [1-9][0-9]*")
_REF = {"xlsx": _SHEET_REF, "xls": _SHEET_REF, "docx": _TABLE_REF, "html": _TABLE_REF}


def check_grid(g: Grid, ref: re.Pattern | None) -> None:
    """Every (row, col) of the grid covered by exactly one cell; office cells say where they stand."""
    covered: set[tuple[int, int]] = set()
    for c in g.cells:
        if not isinstance(c.text, str):
            raise Invalid(f"cell ({c.row}, {c.col}): text is {type(c.text).__name__}")
        if (c.row < 0 or c.col < 0 or c.rowspan < 1 or c.colspan < 1
                or c.row + c.rowspan > g.n_rows or c.col + c.colspan > g.n_cols):
            raise Invalid(f"cell ({c.row}, {c.col}) spanning {c.rowspan}x{c.colspan} outside a "
                          f"{g.n_rows}x{g.n_cols} grid")
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                if (r, k) in covered:
                    raise Invalid(f"grid position ({r}, {k}) covered by two cells")
                covered.add((r, k))
        if ref is not None and not (isinstance(c.ref, str) and ref.fullmatch(c.ref)):
            raise Invalid(f"cell ({c.row}, {c.col}) has ref {c.ref!r}")
    if len(covered) != g.n_rows * g.n_cols:
        raise Invalid(f"{g.n_rows * g.n_cols - len(covered)} position(s) of a {g.n_rows}x{g.n_cols} grid "
                      f"covered by no cell")


def check_document(doc) -> None:
    ref = _REF.get(doc.file_type)
    for page in doc.pages:
        for b in page.blocks:
            if isinstance(b, Grid):
                check_grid(b, ref)


class Hang(Exception):
    """Raised by the watchdog when one input runs past the time cap."""


@dataclass
class Outcome:
    kind: str                  # "ok", "refused", "escape", "hang"
    detail: str = ""           # refusal message or exception summary
    trace: str = ""
    forms: int = 0
    indicators: int = 0
    seconds: float = 0.0

    @property
    def signature(self) -> str:
        """A coarse fingerprint of what happened, for keeping inputs that do something new."""
        if self.kind in ("escape", "hang"):
            return f"{self.kind}:{self.detail.split(':')[0]}"
        if self.kind == "refused":
            return "refused:" + "".join(ch for ch in self.detail.split(":")[0] if not ch.isdigit())
        return f"ok:{min(self.forms, 5)}:{min(self.indicators, 1) + (self.indicators > 20)}"


def process_doc(doc) -> tuple[int, int]:
    """parse -> records -> checks, as pipeline.process_file does; (forms, indicators)."""
    import check
    from parse.records import goal_records, indicator_records, project_record
    from parse.form import parse_document

    forms = parse_document(doc)
    n_inds = 0
    ocr = any(p.extractor == "ocr" for p in doc.pages)
    for seq, form in enumerate(forms, 1):
        prec = project_record(form, "0" * 16, seq)
        goals = goal_records(form, prec["project_id"])
        inds = indicator_records(form, prec["project_id"], ocr=ocr)
        check.check_project(prec, goals, inds, form)
        n_inds += len(inds)
    return len(forms), n_inds


@contextmanager
def watchdog(seconds: float):
    """Raise Hang in this (main) thread after `seconds`; a no-op outside the main thread."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum, frame):
        raise Hang(f"still running after {seconds:g} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old if old is not None else signal.SIG_DFL)


def run_bytes(data: bytes, opts: ReadOptions | None = None, time_cap: float = 20.0) -> Outcome:
    opts = opts or opts_for(data)
    t0 = time.monotonic()
    try:
        with watchdog(time_cap):
            doc = read_document(data, opts)
            check_document(doc)
            forms, inds = process_doc(doc)
    except InputError as e:
        return Outcome("refused", str(e), seconds=time.monotonic() - t0)
    except Invalid as e:
        return Outcome("escape", f"invalid {doc.file_type} Document: {e}"[:300], traceback.format_exc(),
                       seconds=time.monotonic() - t0)
    except Hang as e:
        return Outcome("hang", str(e), traceback.format_exc(), seconds=time.monotonic() - t0)
    except Exception as e:  # noqa: BLE001 - that is the point: count what escapes
        where = traceback.extract_tb(e.__traceback__)[-1]
        detail = f"{type(e).__name__} at {Path(where.filename).name}:{where.lineno} ({where.name}): {e}"[:300]
        return Outcome("escape", detail, traceback.format_exc(), seconds=time.monotonic() - t0)
    out = Outcome("ok", forms=forms, indicators=inds, seconds=time.monotonic() - t0)
    if out.seconds > time_cap:     # C code the alarm could not interrupt
        return Outcome("hang", f"took {out.seconds:.1f} s", seconds=out.seconds)
    return out


@dataclass
class Findings:
    """Escapes and hangs, one per distinct place, with the smallest input seen for each."""
    out_dir: Path | None = None
    found: dict = field(default_factory=dict)    # key -> (Outcome, data)

    def add(self, outcome: Outcome, data: bytes, source: str) -> bool:
        if outcome.kind not in ("escape", "hang"):
            return False
        key = outcome.detail.split(": ", 1)[0] if outcome.kind == "escape" else "hang"
        prev = self.found.get(key)
        new = prev is None
        if new or len(data) < len(prev[1]):
            self.found[key] = (outcome, data)
            if self.out_dir is not None:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                h = hashlib.sha256(data).hexdigest()[:12]
                stem = self.out_dir / f"{outcome.kind}-{h}"
                stem.with_suffix(".bin").write_bytes(data)
                stem.with_suffix(".txt").write_text(f"{source}\n{outcome.detail}\n\n{outcome.trace}", "utf-8")
        return new
