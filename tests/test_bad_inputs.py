"""Bad inputs (issue 9): every kind gets a documents row with a status and an error a user
understands; the batch finishes with exit 0 and no traceback; OUT is never half-written;
nothing in a file is ever executed, fetched or turned into a path.

The corpus is generated here from the samples (fuzz/corpus.py), never downloaded.
"""
from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
import zlib
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT, SAMPLES

sys.path.insert(0, str(ROOT))
import pipeline  # noqa: E402
from extract.reader import InputError, ReadOptions, read_document  # noqa: E402
from fuzz.corpus import bad_inputs, deflate_bomb, office_forms, one_page_pdf, zip_members  # noqa: E402

CORPUS = bad_inputs()
BY_KIND = {b.kind: b for b in CORPUS}


def _row(path: Path, ocr: bool = False, **opts) -> dict:
    res = pipeline.process_file(path, pipeline.Options(ocr=ocr, **opts))
    assert len(res.documents) == 1
    return res.documents[0]


def test_corpus_has_at_least_40_kinds():
    kinds = {b.kind.split(" (")[0] if b.kind.startswith("truncated PDF") else b.kind for b in CORPUS}
    assert len(kinds) >= 40, len(kinds)


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    for b in CORPUS:
        (d / b.filename).write_bytes(b.data)
    return d


@pytest.mark.parametrize("kind", list(BY_KIND))
def test_bad_input(kind, corpus_dir):
    b = BY_KIND[kind]
    row = _row(corpus_dir / b.filename, ocr=b.ocr)
    allowed = b.status if isinstance(b.status, tuple) else (b.status,)
    assert row["status"] in allowed, (row["status"], row["error"])
    err = row["error"] or ""
    assert "internal error" not in err, err
    assert "Traceback" not in err
    if row["status"] == "failed":
        assert err and len(err) < 300, err
    if b.error and row["status"] == "failed":
        assert b.error in err, err


# -- caps ----------------------------------------------------------------------------------------

def test_bomb_is_refused_fast_with_a_small_cap():
    data = one_page_pdf(deflate_bomb(64 << 20), content_dict=b"/Filter /FlateDecode")
    with pytest.raises(InputError, match="decompression bomb.*--max-stream-mb"):
        read_document(data, ReadOptions(ocr=False, max_stream_bytes=8 << 20))


def test_double_flate_bomb_is_refused():
    inner = deflate_bomb(64 << 20)
    data = one_page_pdf(zlib.compress(inner), content_dict=b"/Filter [/FlateDecode /FlateDecode]")
    with pytest.raises(InputError, match="decompression bomb"):
        read_document(data, ReadOptions(ocr=False, max_stream_bytes=8 << 20))


def test_many_streams_under_the_per_stream_cap_hit_the_total_cap():
    bomb = deflate_bomb(6 << 20)
    from fuzz.corpus import raw_pdf, stream
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents [%s] >>"
            % b" ".join(b"%d 0 R" % i for i in range(4, 10))]
    objs += [stream(b"/Filter /FlateDecode", bomb)] * 6
    with pytest.raises(InputError, match="--max-inflated-mb"):
        read_document(raw_pdf(objs), ReadOptions(ocr=False, max_stream_bytes=8 << 20,
                                                 max_inflated_bytes=20 << 20))


def test_page_cap_is_an_option():
    from fuzz.corpus import _pymupdf_pdf
    with pytest.raises(InputError, match="too many pages: 6 .*--max-pages 5"):
        read_document(_pymupdf_pdf(6), ReadOptions(max_pages=5))


def test_time_cap_stops_between_pages():
    from fuzz.corpus import _pymupdf_pdf
    with pytest.raises(InputError, match="too slow: .*--max-seconds"):
        read_document(_pymupdf_pdf(3), ReadOptions(ocr=False, max_seconds=0.0))


def test_huge_page_is_not_rendered_beyond_the_pixel_cap(monkeypatch):
    """A page needing OCR whose render would pass the cap is read at a lower dpi, or skipped."""
    import extract.ocr as ocr
    seen = []

    def render(page, dpi=200, **k):
        seen.append(dpi)
        raise AssertionError("rendered")

    monkeypatch.setattr(ocr, "read_scanned_page", render)
    from fuzz.corpus import _image_pdf
    import pymupdf
    doc = pymupdf.open(stream=_image_pdf(), filetype="pdf")
    doc[0].set_mediabox(pymupdf.Rect(0, 0, 14400, 14400))
    got = read_document(doc.tobytes(), ReadOptions(ocr=True, max_ocr_pixels=10_000_000))
    assert not seen
    assert "too large to OCR" in got.pages[0].needs_ocr


def test_line_cap_is_an_option():
    with pytest.raises(InputError, match="--max-line-chars 100"):
        read_document(("项目名称" * 100).encode(), ReadOptions(max_line_chars=100))


def test_file_size_cap_is_an_option():
    with pytest.raises(InputError, match="file too large"):
        read_document(b"x" * (2 << 20), ReadOptions(max_file_bytes=1 << 20))


# -- the file system -------------------------------------------------------------------------------

def test_unreadable_file_gets_a_row(tmp_path, monkeypatch):
    """Permission denied, simulated (root reads everything): one failed row, the reason in words."""
    p = tmp_path / "secret.pdf"
    p.write_bytes((SAMPLES / "sichuan-jingyan-mata-2023.pdf").read_bytes())
    real = Path.read_bytes

    def deny(self):
        if self == p:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    row = _row(p)
    assert row["status"] == "failed"
    assert row["error"] == "unreadable: Permission denied"


def test_path_with_spaces_and_chinese(tmp_path):
    d = tmp_path / "预算 绩效 2025" / "沙坡头 区"
    d.mkdir(parents=True)
    p = d / "项目 目标表 (副本).txt"
    p.write_bytes((SAMPLES / "shapotou-2025.txt").read_bytes())
    row = _row(p)
    assert row["status"] == "ok", row
    assert row["source_path"] == str(p)


def test_symlink_loop_is_not_followed(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "loop").symlink_to(d, target_is_directory=True)
    (d / "self").symlink_to(d / "self")            # a link to itself
    (d / "a.txt").write_bytes((SAMPLES / "shapotou-2025.txt").read_bytes())
    found = pipeline.discover([str(d)])
    names = sorted(Path(p).name for p, _ in found)
    assert names.count("a.txt") == 1
    rows = [_row(Path(p)) for p, _ in found]
    assert all(r["status"] in ("ok", "failed") for r in rows)
    bad = [r for r in rows if r["status"] == "failed"]
    assert all("internal error" not in r["error"] for r in bad)


# -- the command line --------------------------------------------------------------------------------

def _cli(*args, cwd=ROOT, timeout=120):
    return subprocess.run([sys.executable, str(ROOT / "pipeline.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def test_batch_of_bad_files_exit_0_no_traceback(tmp_path):
    inp = tmp_path / "in put 输入"
    inp.mkdir()
    small = [b for b in CORPUS if len(b.data) < 300_000 and not b.ocr and "blank lines" not in b.kind
             and "drawings" not in b.kind]
    for b in small:
        (inp / b.filename).write_bytes(b.data)
    (inp / "loop").symlink_to(inp, target_is_directory=True)
    out = tmp_path / "out"
    r = _cli(str(inp), "-o", str(out), "--no-ocr", "-j", "1", "-q")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert "MuPDF" not in r.stderr
    docs = pd.read_parquet(out / "documents")
    assert len(docs) == len(small)
    assert docs.status.notna().all()
    failed = docs[docs.status == "failed"]
    assert failed.error.notna().all()
    assert not failed.error.str.contains("internal error").any(), failed.error.tolist()


def test_out_under_a_file_is_refused_before_any_work(tmp_path):
    f = tmp_path / "somefile"
    f.write_text("x")
    r = _cli(str(SAMPLES), "-o", str(f / "out"), timeout=30)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jxmb: "), r.stderr
    assert "Traceback" not in r.stderr
    assert f.read_text() == "x"


def test_out_that_is_a_file_is_refused(tmp_path):
    f = tmp_path / "out"
    f.write_text("x")
    r = _cli(str(SAMPLES / "shapotou-2025.txt"), "-o", str(f), timeout=30)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1
    assert f.read_text() == "x"


def test_disk_full_keeps_the_previous_dataset(tmp_path, monkeypatch):
    out = tmp_path / "out"
    txt = SAMPLES / "shapotou-2025.txt"
    assert pipeline.main([str(txt), "-o", str(out), "--no-ocr", "-j", "1", "-q"]) == 0
    before = {t: pd.read_parquet(out / t) for t in ("documents", "projects", "indicators")}
    files_before = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())

    import pyarrow.parquet as pq
    real = pq.write_table
    calls = [0]

    def full(*a, **k):
        calls[0] += 1
        if calls[0] >= 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*a, **k)

    monkeypatch.setattr(pq, "write_table", full)
    gbk = SAMPLES / "shapotou-2025-gbk.txt"
    rc = pipeline.main([str(gbk), str(txt), "-o", str(out), "--no-ocr", "-j", "1", "-q", "--force"])
    assert rc == 2
    monkeypatch.setattr(pq, "write_table", real)
    for t, df in before.items():
        pd.testing.assert_frame_equal(pd.read_parquet(out / t), df)
    assert sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file()) == files_before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "out" and not p.name.endswith(".lock")]
    assert not leftovers, leftovers


# -- security --------------------------------------------------------------------------------------

_EVENTS: list = []
_WATCH = [False]


def _hook(event, args):
    if not _WATCH[0]:
        return
    if event == "open":
        path, mode, flags = (list(args) + [None, None, None])[:3]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        if writing:
            _EVENTS.append((event, str(path)))
    elif event.startswith(("socket.", "subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                           "os.fork", "urllib.", "http.", "webbrowser", "ctypes.dlopen", "os.startfile")):
        _EVENTS.append((event, repr(args)[:200]))


sys.addaudithook(_hook)


def _read_watched(kind: str, tmp_path: Path, monkeypatch, read):
    """read(path) with the network blocked and the audit hook watching; the outcome, and
    what the hook saw and what changed on disk checked."""
    b = BY_KIND[kind]
    p = tmp_path / b.filename
    p.write_bytes(b.data)

    def no_net(*a, **k):
        raise AssertionError("network access")

    monkeypatch.setattr(socket, "socket", no_net)
    monkeypatch.setattr(socket, "create_connection", no_net)
    before = set(tmp_path.rglob("*"))
    cwd_before = set(Path.cwd().iterdir())
    _EVENTS.clear()
    _WATCH[0] = True
    try:
        out = read(p)
    finally:
        _WATCH[0] = False
    assert _EVENTS == []
    assert set(tmp_path.rglob("*")) == before
    assert set(Path.cwd().iterdir()) == cwd_before
    assert not Path("/tmp/jxmb-pwned").exists() and not Path("/tmp/jxmb-pwned-abs").exists()
    return out


@pytest.mark.parametrize("kind", ["PDF with JavaScript (OpenAction, page AA)",
                                  "PDF with embedded files (path-like names)", "PDF with a Launch action"])
def test_active_content_is_never_run(kind, tmp_path, monkeypatch):
    row = _read_watched(kind, tmp_path, monkeypatch, _row)
    assert row["status"] == "no_forms", row


@pytest.mark.parametrize("kind", ["Excel workbook with an external link to a network share",
                                  "Word document with an embedded OLE object"])
def test_office_links_and_objects_are_never_followed(kind, tmp_path, monkeypatch):
    """The linked workbook (a UNC path) is never fetched, the embedded package never unpacked or run;
    the form around them is still read."""
    res = _read_watched(kind, tmp_path, monkeypatch,
                        lambda p: pipeline.process_file(p, pipeline.Options(ocr=False)))
    assert res.documents[0]["status"] == "ok", res.documents[0]
    assert len(res.projects) == 1 and len(res.indicators) > 5


def test_names_inside_documents_never_become_paths(tmp_path):
    """Embedded file names, titles and project names with ../ and / stay data: OUT holds the tables only."""
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "embedded.pdf").write_bytes(BY_KIND["PDF with embedded files (path-like names)"].data)
    evil = (SAMPLES / "shapotou-2025.txt").read_text("utf-8").replace(
        "项目名称", "项目名称 ../../../../tmp/jxmb-evil/", 1)
    (inp / "evil.txt").write_text(evil, "utf-8")
    out = tmp_path / "out"
    r = _cli(str(inp), "-o", str(out), "--no-ocr", "-j", "1", "-q")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["in", "out"]
    tables = {"documents", "projects", "goals", "indicators", "issues"}
    for p in out.rglob("*"):
        rel = p.relative_to(out)
        assert rel.parts[0] in tables or rel.parts[0].startswith(("_", ".")), rel
        assert ".." not in rel.parts
    assert not Path("/tmp/jxmb-evil").exists()


# -- regressions found by the fuzzer -----------------------------------------------------------------

def test_regression_inflate_trailing_junk_hang():
    """fuzz: a Flate stream with bytes after its end looped forever in the bomb check (zlib keeps
    returning the junk as unconsumed_tail once at eof)."""
    body = zlib.compress(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" * 4000) + b"\n\nJUNK AFTER THE END"
    data = one_page_pdf(body, content_dict=b"/Filter /FlateDecode")
    from fuzz.target import run_bytes
    o = run_bytes(data, time_cap=10)
    assert o.kind in ("ok", "refused"), o.detail


def test_regression_cyclic_page_tree_is_a_refusal():
    """corpus: MuPDF's FzErrorFormat ('cycle in page tree') escaped as an internal error."""
    with pytest.raises(InputError, match="damaged PDF: cycle in page tree"):
        read_document(BY_KIND["page tree that contains itself"].data, ReadOptions(ocr=False))


def test_regression_page_count_runtime_error():
    """fuzz: a /Count of -1 (or > 2**31) made pymupdf's page_count raise a plain RuntimeError
    ('code=7: Invalid number of pages'), which escaped as an internal error."""
    for engine in ("pymupdf", "pdfplumber"):
        with pytest.raises(InputError, match="damaged PDF: Invalid number of pages"):
            read_document(BY_KIND["page tree with /Count -1"].data, ReadOptions(engine=engine, ocr=False))


def test_regression_pdfminer_errors_are_refusals():
    """corpus: with --engine pdfplumber, pdfminer's PdfminerException ('No /Root object', recursion
    in a 5,000-deep page tree) escaped as an internal error."""
    for kind in ("PDF with no xref and no trailer", "deeply nested page tree (5,000 levels)"):
        try:
            read_document(BY_KIND[kind].data, ReadOptions(engine="pdfplumber", ocr=False))
        except InputError as e:
            assert str(e).startswith("damaged PDF: "), e


def test_a_bug_in_our_code_is_not_blamed_on_the_file(monkeypatch):
    """Only exceptions raised inside the PDF libraries become `damaged PDF`; ours stay bugs."""
    import extract.pdf_mupdf as pm
    monkeypatch.setattr(pm, "build_blocks", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        read_document((SAMPLES / "sichuan-jingyan-mata-2023.pdf").read_bytes(), ReadOptions(ocr=False))


def test_regression_zip_holding_a_pdf_is_not_read_as_the_pdf():
    """corpus: a .zip storing a PDF uncompressed was sniffed as a PDF (%PDF- in its first KB)."""
    with pytest.raises(InputError, match="ZIP archive"):
        read_document(BY_KIND["ZIP archive renamed .pdf"].data)


def test_regression_utf16_without_bom_cjk():
    """corpus: UTF-16 text that is mostly CJK has few NUL bytes and was refused as not text."""
    doc = read_document((SAMPLES / "shapotou-2025.txt").read_text("utf-8").encode("utf-16-be"))
    assert doc.encoding == "utf-16-be"


def test_notes_say_what_was_repaired_or_ignored():
    """read_document's notes (for the issues table) name repairs, guesses and ignored content."""
    js = read_document(BY_KIND["PDF with JavaScript (OpenAction, page AA)"].data, ReadOptions(ocr=False))
    assert any("JavaScript: ignored, never run" in n for n in js.notes)
    emb = read_document(BY_KIND["PDF with embedded files (path-like names)"].data, ReadOptions(ocr=False))
    assert any("2 embedded file(s)" in n for n in emb.notes)
    fixed = read_document(BY_KIND["PDF with a broken xref (repaired)"].data, ReadOptions(ocr=False))
    assert fixed.notes == ["damaged PDF: broken cross-reference table, repaired"]
    big5 = read_document(BY_KIND["text dump in Big5"].data)
    assert big5.notes == ["text decoded as big5"]
    clean = read_document((SAMPLES / "shapotou-2025.txt").read_bytes())
    assert clean.notes == []


def test_office_notes_say_what_was_capped_or_ignored():
    """A capped sheet, an external link and an embedded object each leave a note (an issues row)."""
    opts = ReadOptions(ocr=False)
    rows = read_document(BY_KIND["Excel workbook with a 1,000,000-row sheet"].data, opts)
    assert rows.notes == ["sheet 'Sheet1': only the first 20,000 rows read (cap: 20,000 rows, 64 MB of XML per sheet)"]
    link = read_document(BY_KIND["Excel workbook with an external link to a network share"].data, opts)
    assert link.notes == ["external links ignored: 1 (never followed)"]
    obj = read_document(BY_KIND["Word document with an embedded OLE object"].data, opts)
    assert obj.notes == ["embedded objects ignored: 1"]


def test_capped_sheet_keeps_the_form_and_stops_at_the_cap():
    """Of a 1,000,000-row sheet the form at its top is read and the rows past the cap never are."""
    doc = read_document(BY_KIND["Excel workbook with a 1,000,000-row sheet"].data, ReadOptions(ocr=False))
    refs = [c.ref for p in doc.pages for b in p.blocks if hasattr(b, "cells") for c in b.cells]
    assert refs and all(r.startswith("Sheet1!") for r in refs)
    lines = [b for p in doc.pages for b in p.blocks if not hasattr(b, "cells")]
    zeros = [ln for ln in lines if [f.text for f in ln.frags] == ["0"]]
    # the 20,000 rows kept are the form's rows, then zeros up to the cap; nothing beyond
    form_rows = zip_members(office_forms()["xlsx"])["xl/worksheets/sheet1.xml"].count(b"</row>")
    assert len(zeros) == 20_000 - form_rows, (len(zeros), form_rows)


def _records(res) -> list[tuple]:
    return [(i["level1"], i["level2"], i["name"], i["value_raw"]) for i in res.indicators]


def test_regression_wide_colspan_is_folded_and_reads_the_form(tmp_path):
    """fuzz: colspan=1000 on one cell made a 1,004-column grid of padding cells, and the
    column mapping (quadratic in columns) took 6-9 s. Columns no written cell starts in are
    folded away at reading; the form reads as the unmodified page does."""
    page = office_forms()["html"]
    wide = page.replace(b'<td colspan="2" align="center" valign="middle">',
                        b'<td colspan="1000" align="center" valign="middle">', 1)
    assert wide != page
    (tmp_path / "form.html").write_bytes(page)
    (tmp_path / "wide.html").write_bytes(wide)
    grids = [b for p in read_document(wide, ReadOptions(ocr=False)).pages for b in p.blocks
             if hasattr(b, "n_cols")]
    assert max(g.n_cols for g in grids) <= 12       # the page's 6 and those the widened row starts in
    from fuzz.target import check_grid
    for g in grids:
        check_grid(g, None)                         # still each position covered exactly once
    base = pipeline.process_file(tmp_path / "form.html", pipeline.Options(ocr=False))
    got = pipeline.process_file(tmp_path / "wide.html", pipeline.Options(ocr=False))
    assert len(base.indicators) >= 10
    assert _records(got) == _records(base)


def test_regression_xlsx_cell_address_row_zero(tmp_path):
    """fuzz: a cell written at r="A0" (Excel calls the file corrupt) was moved to the top of
    the sheet as a grid of its own. It is left out, with a note, and the form still reads."""
    parts = zip_members(office_forms()["xlsx"])
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert b'<c r="A3" ' in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b'<c r="A3" ', b'<c r="A0" ', 1)
    from fuzz.corpus import rezip
    (tmp_path / "a0.xlsx").write_bytes(rezip(parts))
    res = pipeline.process_file(tmp_path / "a0.xlsx", pipeline.Options(ocr=False))
    assert res.documents[0]["status"] == "ok"
    assert any("1 cell with an invalid address" in i["message"] for i in res.issues)
    refs = [i["cell_ref"] for i in res.indicators]
    assert len(refs) >= 10 and not any(r.endswith("!A0") for r in refs)
