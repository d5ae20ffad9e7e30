"""jxmb: budget performance target forms (PDF, scans, text dumps) -> Parquet tables.

    python pipeline.py INPUT [INPUT ...] -o OUT [--engine pymupdf|pdfplumber] [--no-ocr]

Stages: read (extract/) -> parse forms (parse/) -> normalise (normalize/) ->
check (check/) -> write Parquet atomically.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import check
from extract.reader import InputError, ReadOptions, read_document
from extract.sniff import sniff
from normalize.records import goal_records, indicator_records, project_record
from normalize.schema import TABLES
from parse.form import parse_document

SIDE_CAR = ".gold.json"   # ground-truth files kept beside samples are not inputs


@dataclass
class Options:
    engine: str = "pymupdf"
    ocr: bool = True
    max_pages: int = 2000
    debug: bool = False


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
        data = path.read_bytes()
    except OSError as e:
        res.documents.append(_doc_row("", shown, None, None, None, "failed", f"unreadable: {e.strerror or e}", 0))
        return res
    doc_id = hashlib.sha256(data).hexdigest()[:16]
    kind = sniff(data)[0]
    file_type = "pdf" if kind == "pdf" else "text"
    try:
        doc = read_document(data, ReadOptions(opts.engine, opts.ocr, opts.max_pages))
        forms = parse_document(doc)
    except InputError as e:
        res.documents.append(_doc_row(doc_id, shown, file_type, None, None, "failed", str(e), 0))
        return res
    except Exception as e:  # noqa: BLE001 - one bad file never stops the batch
        if opts.debug:
            traceback.print_exc()
        res.documents.append(_doc_row(doc_id, shown, file_type, None, None, "failed",
                                      f"internal error: {type(e).__name__}: {e}", 0))
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
    for seq, form in enumerate(forms, 1):
        prec = project_record(form, doc_id, seq)
        goals = goal_records(form, prec["project_id"])
        inds = indicator_records(form, prec["project_id"], ocr=bool(ocr_pages))
        res.projects.append(prec)
        res.goals.extend(goals)
        res.indicators.extend(inds)
        res.issues.extend(check.check_project(prec, goals, inds, form))
        for sus in getattr(form, "ocr_suspects", []):
            res.issues.append(sus)
    status, error = "ok", None
    if not forms:
        status = "no_forms"
        if unread:
            status, error = "partial", f"{len(unread)} page(s) without a usable text layer were not read"
    elif unread:
        status, error = "partial", f"{len(unread)} page(s) without a usable text layer were not read"
    elif any(not p["project_name"] and p["form_type"] != "department_target" or not any(
            i["project_id"] == p["project_id"] for i in res.indicators) for p in res.projects):
        status, error = "partial", "some forms have no project name or no indicators"
    res.documents.append(_doc_row(doc_id, shown, file_type, doc.extractor, len(doc.pages), status, error,
                                  len(forms), ",".join(map(str, ocr_pages)) or None))
    return res


def _doc_row(doc_id, path, file_type, extractor, pages, status, error, n, ocr_pages=None):
    return {"doc_id": doc_id, "source_path": path, "file_type": file_type, "extractor": extractor,
            "pages": pages, "status": status, "error": error, "n_projects": n, "ocr_pages": ocr_pages}


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


def write_tables(res: Result, out: Path) -> None:
    """Write the five datasets into a fresh folder, then swap it into place."""
    out = out.resolve()
    parent = out.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        for name, schema in TABLES.items():
            rows = getattr(res, name)
            cols = {f.name: [r.get(f.name) for r in rows] for f in schema}
            table = pa.table(cols, schema=schema)
            (tmp / name).mkdir()
            pq.write_table(table, tmp / name / "part-0.parquet", compression="zstd")
        old = None
        if out.exists():
            old = parent / f".{out.name}.old-{os.getpid()}"
            os.rename(out, old)
        os.rename(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def run(inputs: list[str], out: str | Path, **options) -> dict:
    """Read every input, write OUT/<table>/; return a summary."""
    opts = Options(**options)
    total = Result()
    for path, shown in discover(inputs):
        r = process_file(path, opts, shown)
        for name in ("documents", "projects", "goals", "indicators", "issues"):
            getattr(total, name).extend(getattr(r, name))
    write_tables(total, Path(out))
    by_status: dict[str, int] = {}
    for d in total.documents:
        by_status[d["status"]] = by_status.get(d["status"], 0) + 1
    return {"documents": len(total.documents), "status": by_status, "projects": len(total.projects),
            "indicators": len(total.indicators), "issues": len(total.issues)}


def load(out: str | Path) -> dict:
    """The tables of OUT as pandas DataFrames (Arrow-backed strings, nullable ints, dates)."""
    import pandas as pd

    out = Path(out)
    return {name: pq.read_table(out / name, schema=schema).to_pandas(types_mapper=pd.ArrowDtype)
            for name, schema in TABLES.items()}


def _writable(out: Path) -> str | None:
    parent = out.resolve().parent
    probe = parent
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"cannot write to {parent}: permission denied"
    if out.exists() and not out.is_dir():
        return f"{out} exists and is not a folder"
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="jxmb", description="预算绩效目标表 -> Parquet tables")
    ap.add_argument("inputs", nargs="+", help="files or folders (searched recursively)")
    ap.add_argument("-o", "--out", required=True, help="output folder (replaced atomically)")
    ap.add_argument("--engine", choices=["pymupdf", "pdfplumber"], default="pymupdf",
                    help="PDF geometry engine (default pymupdf)")
    ap.add_argument("--no-ocr", action="store_true", help="do not OCR pages without a text layer")
    ap.add_argument("--max-pages", type=int, default=2000, help="refuse PDFs with more pages (default 2000)")
    ap.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    a = ap.parse_args(argv)
    out = Path(a.out)
    err = _writable(out)
    if err:
        print(f"jxmb: {err}", file=sys.stderr)
        return 2
    missing = [i for i in a.inputs if not Path(i).exists()]
    if missing:
        print(f"jxmb: no such file or folder: {missing[0]}", file=sys.stderr)
        return 2
    try:
        s = run(a.inputs, out, engine=a.engine, ocr=not a.no_ocr, max_pages=a.max_pages, debug=a.debug)
    except OSError as e:
        print(f"jxmb: cannot write {out}: {e.strerror or e}", file=sys.stderr)
        return 2
    st = ", ".join(f"{k} {v}" for k, v in sorted(s["status"].items()))
    print(f"jxmb: {s['documents']} documents ({st}), {s['projects']} projects, "
          f"{s['indicators']} indicators, {s['issues']} issues -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
