"""jxmb: budget performance target forms (PDF, scans, text dumps) -> Parquet tables.

    python pipeline.py INPUT [INPUT ...] -o OUT [--engine pymupdf|pdfplumber] [--no-ocr]
                       [--jobs N] [--timeout S] [--max-memory MB] [--resume | --force]
                       [--executor local|dask [--scheduler ADDRESS]] [--quiet]

Stages: read (extract/) -> parse forms (parse/) -> normalise (normalize/) ->
check (check/) -> write Parquet atomically. `process_file` is the per-document
function; `run` runs it over a batch in isolated worker processes (batch/) and
streams the results, chunk by chunk in input order, into OUT.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import signal
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import check
from extract.reader import InputError, ReadOptions, read_document
from extract.sniff import sniff
from parse.records import goal_records, indicator_records, project_record
from normalize.schema import TABLES
from parse.form import parse_document

SIDE_CAR = ".gold.json"   # ground-truth files kept beside samples are not inputs

# The tables as written: the contract's, plus documents.sha256 (jxmb), the full hash
# that lets a later run skip documents OUT already holds.
OUT_TABLES: dict[str, pa.Schema] = dict(TABLES)
if "sha256" not in TABLES["documents"].names:
    OUT_TABLES["documents"] = TABLES["documents"].append(pa.field("sha256", pa.string()))

_OOM_WORDS = ("out of memory", "cannot allocate", "malloc", "bad_alloc", "memoryerror")


@dataclass
class Options:
    engine: str = "pymupdf"
    ocr: bool = True
    max_pages: int = 2000
    debug: bool = False
    # resource caps (see extract/reader.py ReadOptions): bytes, pixels, seconds
    max_file_mb: int = 1024
    max_stream_mb: int = 256
    max_inflated_mb: int = 1024
    max_ocr_megapixels: float = 40.0
    max_image_megapixels: float = 400.0
    max_seconds: float = 600.0
    max_line_chars: int = 20000

    def read_options(self) -> ReadOptions:
        return ReadOptions(engine=self.engine, ocr=self.ocr, max_pages=self.max_pages,
                           max_file_bytes=self.max_file_mb << 20, max_stream_bytes=self.max_stream_mb << 20,
                           max_inflated_bytes=self.max_inflated_mb << 20,
                           max_ocr_pixels=int(self.max_ocr_megapixels * 1e6),
                           max_image_pixels=int(self.max_image_megapixels * 1e6),
                           max_seconds=self.max_seconds, max_line_chars=self.max_line_chars)


@dataclass
class Result:
    documents: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    goals: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    issues: list = field(default_factory=list)


# -- one document ------------------------------------------------------------------

def process_file(path: Path, opts: Options, shown: str | None = None) -> Result:
    res = Result()
    shown = shown or str(path)
    try:
        size = path.stat().st_size
        if size > opts.max_file_mb << 20:   # refuse before loading it into memory
            res.documents.append(_doc_row("", shown, None, None, None, "failed",
                                          f"file too large: {size >> 20:,} MB (cap: --max-file-mb "
                                          f"{opts.max_file_mb:,})", 0))
            return res
        data = path.read_bytes()
    except OSError as e:
        res.documents.append(_doc_row("", shown, None, None, None, "failed", f"unreadable: {e.strerror or e}", 0))
        return res
    sha = hashlib.sha256(data).hexdigest()
    doc_id = sha[:16]
    kind = sniff(data)[0]
    file_type = {"pdf": "pdf", "text": "text", "xlsx": "xlsx", "docx": "docx", "html": "html"}.get(kind)
    try:
        doc = read_document(data, opts.read_options())
        file_type = doc.file_type
        forms = parse_document(doc)
    except InputError as e:
        res.documents.append(_doc_row(doc_id, shown, file_type, None, None, "failed", str(e), 0, None, sha))
        return res
    except MemoryError:
        raise               # the batch runner turns it into `memory: exceeded N MB`
    except Exception as e:  # noqa: BLE001 - one bad file never stops the batch
        if any(w in str(e).lower() for w in _OOM_WORDS):
            raise MemoryError(str(e)) from e   # MuPDF / onnxruntime allocation failures
        if opts.debug:
            traceback.print_exc()
        res.documents.append(_doc_row(doc_id, shown, file_type, None, None, "failed",
                                      f"internal error: {type(e).__name__}: {e}", 0, None, sha))
        return res
    ocr_pages = [p.number for p in doc.pages if p.extractor == "ocr"]
    unread = [p for p in doc.pages if p.needs_ocr]
    for p in doc.pages:
        reason = getattr(p, "ocr_reason", None) or p.needs_ocr
        if reason:
            sev = "warning" if p.needs_ocr else "info"
            what = "not read (OCR off)" if p.needs_ocr else "read by OCR"
            res.issues.append({"doc_id": doc_id, "project_id": None, "severity": sev,
                               "code": "text_layer_unusable", "message": f"page {p.number}: {reason}; {what}"})
    notes = list(getattr(doc, "notes", ()))
    for note in notes:
        sev = "warning" if note.startswith(("truncated", "damaged")) else "info"
        res.issues.append({"doc_id": doc_id, "project_id": None, "severity": sev, "code": "input_note",
                           "message": note})
    for seq, form in enumerate(forms, 1):
        prec = project_record(form, doc_id, seq)
        goals = goal_records(form, prec["project_id"])
        inds = indicator_records(form, prec["project_id"], ocr=bool(ocr_pages),
                                 paged=file_type in ("pdf", "text"))
        res.projects.append(prec)
        res.goals.extend(goals)
        res.indicators.extend(inds)
        res.issues.extend(check.check_project(prec, goals, inds, form))
        res.issues.extend({"doc_id": doc_id, "project_id": prec["project_id"], "severity": sev, "code": code,
                           "message": msg} for sev, code, msg in check.missing_fields(prec, inds))
    res.issues.extend(_ocr_suspects(doc, doc_id, res.indicators))
    status, error = "ok", None
    if not forms:
        status = "no_forms"
        if unread:
            status, error = "partial", f"{len(unread)} page(s) without a usable text layer were not read"
    elif unread:
        status, error = "partial", f"{len(unread)} page(s) without a usable text layer were not read"
    elif any(i["code"] == "row_alignment_lost" for i in res.issues):
        # (before the missing indicators: rows left out as untrusted are why they are missing)
        status, error = "partial", "a text dump's indicator rows could not all be put back together (see issues)"
    elif any(not p["project_name"] and p["form_type"] != "department_target" or not any(
            i["project_id"] == p["project_id"] for i in res.indicators) for p in res.projects):
        status, error = "partial", "some forms have no project name or no indicators"
    elif any(i["code"] == "column_role_uncertain" for i in res.issues):
        status, error = "partial", "an indicator table's columns were told apart on weak evidence (see issues)"
    truncated = [n for n in notes if n.startswith("truncated PDF")]
    if truncated and status == "ok":
        status, error = "partial", truncated[0]
    res.documents.append(_doc_row(doc_id, shown, file_type, doc.extractor, len(doc.pages), status, error,
                                  len(forms), ",".join(map(str, ocr_pages)) or None, sha))
    return res


def _ocr_suspects(doc, doc_id: str, indicators: list[dict]) -> list[dict]:
    """OCR readings in doubt -> issues, on the indicator whose row holds them."""
    out = []
    for page in doc.pages:
        for bbox, text, reason in getattr(page, "ocr_suspects", ()) or ():
            cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
            pid = next((i["project_id"] for i in indicators if i["page"] == page.number
                        and i["bbox_y0"] is not None and i["bbox_y0"] <= cy <= i["bbox_y1"]), None)
            code = ("ocr_operator_suspect" if "operator" in reason or "first glyph" in reason
                    else "ocr_low_confidence" if "confidence" in reason else "ocr_repaired")
            out.append({"doc_id": doc_id, "project_id": pid, "severity": "warning", "code": code,
                        "message": f"page {page.number}: OCR read 「{text}」 at ({cx:.0f}, {cy:.0f}) pt; {reason}"})
    return out


def _doc_row(doc_id, path, file_type, extractor, pages, status, error, n, ocr_pages=None, sha256=None):
    return {"doc_id": doc_id, "source_path": path, "file_type": file_type, "extractor": extractor,
            "pages": pages, "status": status, "error": error, "n_projects": n, "ocr_pages": ocr_pages,
            "sha256": sha256}


# -- inputs and output -------------------------------------------------------------

def discover(inputs: list[str]) -> list[tuple[Path, str]]:
    """Files named or found under folders (recursively, symlinked folders not followed)."""
    out = []
    for inp in inputs:
        p = Path(inp)
        if p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs.sort()
                for name in sorted(files):
                    if name.endswith(SIDE_CAR):
                        continue
                    fp = Path(root) / name
                    out.append((fp, str(fp)))
        else:
            out.append((p, inp))
    return out


def _identify(path: Path) -> tuple[str | None, str | None]:
    """(sha256, file_type) of a file, read in blocks; (None, None) if it cannot be read."""
    h = hashlib.sha256()
    head = b""
    try:
        with open(path, "rb") as f:
            while True:
                block = f.read(1 << 20)
                if not block:
                    break
                if len(head) < 4096:
                    head += block[:4096 - len(head)]
                h.update(block)
    except OSError:
        return None, None
    return h.hexdigest(), ("pdf" if sniff(head)[0] == "pdf" else "text")


def _ours(path: Path, out: Path) -> bool:
    """A file of OUT or of its staging/lock siblings (an input folder that contains OUT)."""
    p = Path(os.path.abspath(path))
    if out == p or out in p.parents:
        return True
    return any(q.parent == out.parent and q.name.startswith(f".{out.name}.") for q in [p, *p.parents])


def write_tables(res: Result, out: Path) -> None:
    """Write one Result as a fresh dataset in OUT (atomically replacing it)."""
    from batch.dataset import Dataset

    ds = Dataset(Path(out), OUT_TABLES, _settings(Options()), mode="force")
    try:
        ds.write_chunk({name: getattr(res, name) for name in OUT_TABLES})
        ds.commit()
    finally:
        ds.close()


def _settings(opts: Options) -> dict:
    """What makes a document's rows what they are (a dataset is only appended to with the same)."""
    return {"engine": opts.engine, "ocr": opts.ocr, "max_pages": opts.max_pages,
            "caps": [opts.max_file_mb, opts.max_stream_mb, opts.max_inflated_mb, opts.max_ocr_megapixels,
                     opts.max_image_megapixels, opts.max_seconds, opts.max_line_chars]}


RUN_DEFAULTS = {
    "jobs": None,            # worker processes (default: all cores)
    "timeout": 120.0,        # seconds per document (None: no limit)
    "max_memory": 2048,      # MB of resident memory per worker (None: no limit)
    "chunk_size": 200,       # documents per part file
    "checkpoint": 60.0,      # seconds between commits of the finished chunks to OUT
    "executor": "local",     # or "dask"
    "scheduler": None,       # Dask: scheduler address or Client (None: a LocalCluster)
    "resume": False,         # append to OUT, refusing if it was written differently
    "force": False,          # read everything again, replacing OUT
    "quiet": False,          # no progress display
    "progress_bar": None,    # None: a bar when stderr is a terminal
    "initializer": None,     # (callable, args) run in every worker process at start (tests)
}


class _Collector:
    """Results arrive in any order; chunks of `size` documents are written in input order."""

    def __init__(self, ds, n: int, size: int, jobs: int, checkpoint: float | None, progress):
        self.ds, self.n, self.size, self.progress = ds, n, max(1, size), progress
        self.window = max(2 * self.size, self.size + 2 * jobs)
        self.checkpoint = checkpoint
        self.last_commit = time.monotonic()
        self.buf: dict[int, Result] = {}
        self.flushed = 0          # documents [0, flushed) are written
        self.peak_rss_kb = 0
        self.first_at = self.last_at = None     # monotonic times of the first and last result
        self.new = {"documents": 0, "pages": 0, "projects": 0, "indicators": 0, "issues": 0,
                    "status": {}, "issues_by_severity": {}}

    def accepts(self, idx: int) -> bool:
        return idx < self.flushed + self.window

    def sink(self, task, res: Result, rss_kb: int = 0) -> None:
        if task.idx in self.buf or task.idx < self.flushed:
            return
        self.buf[task.idx] = res
        self.last_at = time.monotonic()
        self.first_at = self.first_at or self.last_at
        self.peak_rss_kb = max(self.peak_rss_kb, rss_kb or 0)
        nw = self.new
        for d in res.documents:
            nw["documents"] += 1
            nw["pages"] += d.get("pages") or 0
            nw["status"][d["status"]] = nw["status"].get(d["status"], 0) + 1
        nw["projects"] += len(res.projects)
        nw["indicators"] += len(res.indicators)
        nw["issues"] += len(res.issues)
        for i in res.issues:
            nw["issues_by_severity"][i["severity"]] = nw["issues_by_severity"].get(i["severity"], 0) + 1
        self.progress.update(res.documents)
        self._flush()

    def _flush(self, final: bool = False) -> None:
        while self.flushed < self.n:
            end = min(self.flushed + self.size, self.n)
            if any(i not in self.buf for i in range(self.flushed, end)):
                break
            rows: dict[str, list] = {name: [] for name in OUT_TABLES}
            for i in range(self.flushed, end):
                r = self.buf.pop(i)
                for name in OUT_TABLES:
                    rows[name].extend(getattr(r, name))
            self.ds.write_chunk(rows)
            self.flushed = end
            if (self.checkpoint is not None and self.flushed < self.n
                    and time.monotonic() - self.last_commit >= self.checkpoint):
                self.ds.commit(again=True)
                self.last_commit = time.monotonic()


def run(inputs: list[str], out: str | Path, **options) -> dict:
    """Read every input, write OUT/<table>/ (appending to a dataset OUT already holds,
    see RUN_DEFAULTS and the README); return a summary dict."""
    from batch.dataset import Dataset, stats
    from batch.progress import Progress
    from batch.runner import Limits, Task

    unknown = set(options) - set(RUN_DEFAULTS) - set(Options.__dataclass_fields__)
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
    ro = {k: options.get(k, v) for k, v in RUN_DEFAULTS.items()}
    opts = Options(**{k: v for k, v in options.items() if k in Options.__dataclass_fields__})
    if ro["resume"] and ro["force"]:
        raise ValueError("resume and force exclude each other")
    if ro["executor"] not in ("local", "dask"):
        raise ValueError(f"unknown executor {ro['executor']!r} (local or dask)")
    jobs = int(ro["jobs"] or os.cpu_count() or 1)
    limits = Limits(timeout=float(ro["timeout"]) if ro["timeout"] else None,
                    max_memory_mb=int(ro["max_memory"]) if ro["max_memory"] else None)
    t0 = time.monotonic()
    mode = "force" if ro["force"] else "resume" if ro["resume"] else "auto"
    ds = Dataset(Path(out), OUT_TABLES, _settings(opts), mode)
    try:
        done = ds.done_keys()
        tasks, skipped = [], 0
        for path, shown in discover(inputs):
            if _ours(path, ds.out):
                continue
            sha, ftype = _identify(path)
            if (("sha256", sha) if sha else ("path", shown)) in done:
                skipped += 1
                continue
            tasks.append(Task(len(tasks), str(path), shown, sha, ftype))
        t_hashed = time.monotonic()
        progress = Progress(len(tasks), quiet=ro["quiet"], bar=ro["progress_bar"])
        if ds.note:
            progress.note(f"jxmb: {ds.note}")
        if tasks and not ro["quiet"] and progress.bar is None:
            where = f"Dask ({ro['scheduler'] or 'local cluster'})" if ro["executor"] == "dask" else \
                f"{min(jobs, len(tasks))} worker process(es)"
            progress.note(f"jxmb: {len(tasks)} document(s) to read on {where}"
                          + (f"; {skipped} already in OUT" if skipped else ""))
        col = _Collector(ds, len(tasks), int(ro["chunk_size"]), jobs, ro["checkpoint"], progress)
        common = dict(sink=col.sink, accepts=col.accepts, initializer=ro["initializer"], note=progress.note)
        try:
            if ro["executor"] == "dask":
                from batch.executors import run_dask
                run_dask(tasks, opts, limits, jobs, scheduler=ro["scheduler"], **common)
            else:
                from batch.executors import run_local
                run_local(tasks, opts, limits, jobs, **common)
        finally:
            progress.close()
        col._flush(final=True)
        if col.flushed != len(tasks):
            raise RuntimeError(f"internal error: {len(tasks) - col.flushed} document(s) without a result")
        if ds.dirty:
            ds.commit()
    finally:
        ds.close()
    import resource
    total = stats(Path(out))
    return {
        "out": str(out),
        "documents": total["documents"], "status": total["status"], "projects": total["projects"],
        "indicators": total["indicators"], "issues": total["issues"],
        "issues_by_severity": total["issues_by_severity"],
        "new": col.new, "dataset": total, "skipped": skipped,
        "elapsed_s": round(time.monotonic() - t0, 3),
        # where the time went: finding and hashing inputs; until the first document was
        # done (worker start-up); from the first to the last document (steady reading)
        "timing_s": {"discover_hash": round(t_hashed - t0, 3),
                     "to_first_result": round((col.first_at or t_hashed) - t_hashed, 3),
                     "first_to_last_result": round((col.last_at or t_hashed) - (col.first_at or t_hashed), 3)},
        "executor": ro["executor"], "jobs": jobs,
        "peak_rss_mb": {"main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                        "worker": round(col.peak_rss_kb / 1024, 1)},
    }


def load(out: str | Path) -> dict:
    """The tables of OUT as pandas DataFrames (Arrow-backed strings, nullable ints, dates)."""
    import pandas as pd
    from batch.dataset import part_files

    out = Path(out)
    frames = {}
    for name, schema in OUT_TABLES.items():
        parts = []
        for f in part_files(out / name):
            t = pq.read_table(f)
            cols = [t.column(fl.name).cast(fl.type) if fl.name in t.column_names
                    else pa.nulls(t.num_rows, fl.type) for fl in schema]
            parts.append(pa.Table.from_arrays(cols, schema=schema))
        table = pa.concat_tables(parts) if parts else schema.empty_table()
        frames[name] = table.to_pandas(types_mapper=pd.ArrowDtype)
    return frames


WIDE_HEADER = ["doc_id", "source_path", "project_id", "project_seq", "form_type", "form_title", "budget_year",
               "department", "department_code", "implementing_unit", "project_name", "project_attribute",
               "project_period", "funds_total_yuan", "funds_fiscal_yuan", "funds_other_yuan",
               "funds_executed_yuan"]


def indicators_wide(out_or_tables):
    """One row per indicator with its project's header (and the document's source_path)
    in front: the table analysts want first. Takes OUT or the dict `load` returns."""
    tables = out_or_tables if isinstance(out_or_tables, dict) else load(out_or_tables)
    inds, projects, docs = tables["indicators"], tables["projects"], tables["documents"]
    projects = projects.drop_duplicates("project_id")
    docs = docs[["doc_id", "source_path"]].drop_duplicates("doc_id")
    wide = inds.merge(projects, on="project_id", how="left", sort=False)
    wide = wide.merge(docs, on="doc_id", how="left", sort=False)
    rest = [c for c in inds.columns if c != "project_id"]
    return wide[WIDE_HEADER + rest].reset_index(drop=True)


def _writable(out: Path) -> str | None:
    parent = out.resolve().parent
    probe = parent
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        return f"cannot write to {parent}: {probe} is a file, not a folder"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"cannot write to {parent}: permission denied"
    if out.exists() and not out.is_dir():
        return f"{out} exists and is not a folder"
    return None


def _positive(kind):
    def conv(v):
        x = kind(v)
        if x <= 0:
            raise argparse.ArgumentTypeError(f"must be > 0: {v}")
        return x
    return conv


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="jxmb", description="预算绩效目标表 -> Parquet tables")
    ap.add_argument("inputs", nargs="+", help="files or folders (searched recursively)")
    ap.add_argument("-o", "--out", required=True,
                    help="output folder (written atomically; a dataset already there is appended to)")
    ap.add_argument("--engine", choices=["pymupdf", "pdfplumber"], default="pymupdf",
                    help="PDF geometry engine (default pymupdf)")
    ap.add_argument("--no-ocr", action="store_true", help="do not OCR pages without a text layer")
    ap.add_argument("--max-pages", type=int, default=2000, help="refuse PDFs with more pages (default 2000)")
    ap.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    c = ap.add_argument_group("resource caps (a document over a cap becomes a failed row)")
    for flag, kind, default, what in (
            ("--max-file-mb", int, 1024, "refuse files larger than this"),
            ("--max-stream-mb", int, 256, "one decompressed PDF stream"),
            ("--max-inflated-mb", int, 1024, "all decompressed PDF streams of a file"),
            ("--max-ocr-megapixels", float, 40.0, "pixels of one page rendered for OCR"),
            ("--max-image-megapixels", float, 400.0, "pixels of one embedded image"),
            ("--max-seconds", float, 600.0, "reading time of one document"),
            ("--max-line-chars", int, 20000, "characters in one line of a text dump")):
        c.add_argument(flag, type=_positive(kind), default=default, help=f"{what} (default {default:g})")
    g = ap.add_argument_group("batch")
    g.add_argument("-j", "--jobs", type=_positive(int), default=None,
                   help="worker processes, one document each at a time (default: all cores)")
    g.add_argument("--timeout", type=_positive(float), default=120.0,
                   help="seconds a document may take before it is a failed row (default 120)")
    g.add_argument("--max-memory", type=_positive(int), default=2048, metavar="MB",
                   help="resident memory a worker may use before its document is a failed row (default 2048)")
    g.add_argument("--chunk-size", type=_positive(int), default=200, metavar="N",
                   help="documents per part file (default 200)")
    g.add_argument("--checkpoint", type=float, default=60.0, metavar="SECONDS",
                   help="commit finished chunks to OUT this often, so a killed run can be resumed "
                        "(default 60; 0: after every chunk)")
    m = g.add_mutually_exclusive_group()
    m.add_argument("--resume", action="store_true",
                   help="append to OUT, skipping documents it holds (the default when OUT was written "
                        "with the same settings); refuse if it was written with other settings")
    m.add_argument("--force", action="store_true", help="read every document again and replace OUT")
    g.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="where documents are read (dask needs the jxmb[dask] extra)")
    g.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address (default: a local cluster of --jobs workers)")
    g.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary")
    r = ap.add_argument_group("reports (after the tables are written)")
    r.add_argument("--xlsx", metavar="FILE", help="also write an Excel workbook of the tables")
    r.add_argument("--html", metavar="DIR", help="also write a static HTML site of the tables")
    a = ap.parse_args(argv)
    if a.scheduler and a.executor != "dask":
        ap.error("--scheduler needs --executor dask")
    out = Path(a.out)
    err = _writable(out)
    if err:
        print(f"jxmb: {err}", file=sys.stderr)
        return 2
    missing = [i for i in a.inputs if not Path(i).exists()]
    if missing:
        print(f"jxmb: no such file or folder: {missing[0]}", file=sys.stderr)
        return 2
    if a.executor == "dask":
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            print("jxmb: --executor dask needs Dask: pip install 'jxmb[dask]'", file=sys.stderr)
            return 2
    from batch.dataset import DatasetError
    from batch.progress import format_summary
    from batch.runner import WorkerStartError

    def _term(signum, frame):
        raise SystemExit(128 + signum)
    try:
        signal.signal(signal.SIGTERM, _term)
    except ValueError:   # not the main thread
        pass
    try:
        caps = {k: getattr(a, k) for k in ("max_file_mb", "max_stream_mb", "max_inflated_mb", "max_ocr_megapixels",
                                           "max_image_megapixels", "max_seconds", "max_line_chars")}
        s = run(a.inputs, out, engine=a.engine, ocr=not a.no_ocr, max_pages=a.max_pages, debug=a.debug, **caps,
                jobs=a.jobs, timeout=a.timeout, max_memory=a.max_memory, chunk_size=a.chunk_size,
                checkpoint=a.checkpoint, resume=a.resume, force=a.force, executor=a.executor,
                scheduler=a.scheduler, quiet=a.quiet)
    except DatasetError as e:
        print(f"jxmb: {e}", file=sys.stderr)
        return 2
    except WorkerStartError as e:
        print(f"jxmb: {e}; {out} holds what was committed before", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"jxmb: cannot write {out}: {e.strerror or e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"jxmb: interrupted; {out} holds what was committed before", file=sys.stderr)
        return 130
    except SystemExit as e:
        if e.code == 128 + signal.SIGTERM:
            print(f"jxmb: terminated; {out} holds what was committed before", file=sys.stderr)
        raise
    if not a.quiet:
        print(format_summary(s))
    for flag, modname, fn, target in (("--xlsx", "report.xlsx", "write_workbook", a.xlsx),
                                      ("--html", "report.html", "write_site", a.html)):
        if not target:
            continue
        try:
            import importlib
            writer = getattr(importlib.import_module(modname), fn)
        except (ImportError, AttributeError) as e:
            print(f"jxmb: {flag} is not available: {e}", file=sys.stderr)
            return 2
        try:
            writer(out, Path(target))
        except OSError as e:
            print(f"jxmb: cannot write {target}: {e.strerror or e}", file=sys.stderr)
            return 2
        if not a.quiet:
            print(f"jxmb: wrote {target}")
    return 0


if __name__ == "__main__":
    # run as the `pipeline` module, so what goes to worker processes names `pipeline.*`
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import pipeline as _self
    sys.exit(_self.main())
