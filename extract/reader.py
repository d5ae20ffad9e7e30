"""Bytes -> Document: which reader takes a file, and why a file is refused.

Every refusal is an InputError whose message becomes `documents.error`; the
messages are meant for the person who gave us the file (`encrypted: needs a
password`, `not a PDF or text dump: looks like a Word document (.docx)`,
`truncated PDF: no trailer, no pages recovered`). Anything else escaping
`read_document` is a bug.

Resource caps (all in ReadOptions, each with a CLI flag in pipeline.py):

    max_pages           pages of one PDF                      --max-pages
    max_file_bytes      size of one input file                --max-file-mb
    max_stream_bytes    one decompressed PDF stream           --max-stream-mb
    max_inflated_bytes  all decompressed non-image streams    --max-inflated-mb
    max_ocr_pixels      one page rendered for OCR             --max-ocr-megapixels
    max_image_pixels    one embedded image decoded for OCR    --max-image-megapixels
    max_seconds         reading one file (checked per page)   --max-seconds
    max_line_chars      one line of a text dump               --max-line-chars
"""
from __future__ import annotations

import logging
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from extract.model import Document, Grid, compact_columns
from extract.sniff import sniff

MB = 1 << 20


@dataclass
class ReadOptions:
    engine: str = "pymupdf"
    ocr: bool = True
    max_pages: int = 2000
    max_file_bytes: int = 1024 * MB
    max_stream_bytes: int = 256 * MB
    max_inflated_bytes: int = 1024 * MB
    max_ocr_pixels: int = 40_000_000
    max_image_pixels: int = 400_000_000
    max_seconds: float = 600.0
    max_line_chars: int = 20_000
    ocr_dpi: int = 200


@dataclass
class ReadDocument(Document):
    """A Document plus notes on how it was read (repairs, encoding guesses, skipped pages).

    `notes` are short English sentences meant for `issues` (document level, info)."""
    notes: list = field(default_factory=list)
    encoding: str | None = None


class InputError(Exception):
    """A file that cannot be read; its message becomes documents.error."""


# The smallest file that could hold a form: a title and one label.
MIN_BYTES = 16

_quiet = False


def _quiet_libraries() -> None:
    """MuPDF and pdfminer print warnings on stderr by default; a batch wants none of that."""
    global _quiet
    if _quiet:
        return
    import pymupdf
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)
    _quiet = True


def _fz_errors() -> tuple:
    """The exception types MuPDF raises for a damaged file."""
    import pymupdf
    types = []
    base = getattr(getattr(pymupdf, "mupdf", None), "FzErrorBase", None)
    if base is not None:
        types.append(base)
    for name in ("FileDataError", "EmptyFileError"):
        t = getattr(pymupdf, name, None)
        if t is not None:
            types.append(t)
    return tuple(types)


def _mupdf_message(e: Exception) -> str:
    msg = str(e).strip()
    # "code=7: cycle in page tree" -> "cycle in page tree"
    if msg.startswith("code=") and ": " in msg:
        msg = msg.split(": ", 1)[1]
    return msg.splitlines()[0][:200] if msg else type(e).__name__


_OOM_WORDS = ("out of memory", "cannot allocate", "malloc", "bad_alloc")
_PDF_LIBS = ("pymupdf", "fitz", "pdfminer", "pdfplumber")


_OURS = str(Path(__file__).resolve().parent.parent)


def _library_error(e: BaseException) -> str | None:
    """The PDF library an exception was raised inside, if it came out of one (a damaged file),
    else None (our own code: a bug, which must not be passed off as the file's fault).

    Judged by the innermost frame that is either ours or a PDF library's (frames of the
    standard library and other packages in between do not count)."""
    if isinstance(e, InputError):
        return None
    tb = e.__traceback__
    owner = None
    while tb is not None:
        fn = tb.tb_frame.f_code.co_filename.replace("\\", "/")
        parts = fn.split("/")
        lib = next((x for x in _PDF_LIBS if x in parts), None)
        if lib is not None:
            owner = lib
        elif fn.startswith(_OURS) and "site-packages" not in parts:
            owner = None
        tb = tb.tb_next
    return owner


def _damage(data: bytes) -> str | None:
    """Why a PDF's structure is broken at its end, judged from the bytes alone."""
    tail = data[-2048:]
    if b"%%EOF" not in tail and b"startxref" not in tail:
        return f"truncated PDF: no trailer (the file stops after {len(data):,} bytes)"
    if b"startxref" not in data[-4096:]:
        return "damaged PDF: no startxref"
    return None


# -- caps on what a PDF may inflate to ---------------------------------------------------------

_FLATE = ("/FlateDecode", "/Fl")
_DEFLATE_MAX_RATIO = 1032   # the format's limit: a 258-byte match costs at least 2 bits


def _filters(pdf, xref: int) -> list[str]:
    kind, val = pdf.xref_get_key(xref, "Filter")
    if kind == "name":
        return [val]
    if kind == "array":
        return [t for t in val.strip("[]").replace("/", " /").split() if t.startswith("/")]
    return []


def _inflated_size(raw: bytes, n_flate: int, cap: int) -> int:
    """Bytes that `n_flate` chained Flate filters make of `raw`, counting up to cap+1."""
    total = 0
    chunk = 1 << 16
    decs = [zlib.decompressobj() for _ in range(n_flate)]

    def feed(level: int, buf: bytes) -> bool:
        nonlocal total
        d = decs[level]
        before = len(buf) + 1
        while buf:
            try:
                out = d.decompress(buf, chunk)
            except zlib.error:
                return False           # broken data: MuPDF copes (and stops) on its own
            buf = d.unconsumed_tail
            if level + 1 < len(decs):
                if not feed(level + 1, out):
                    return False
            else:
                total += len(out)
            if total > cap:
                return False
            if d.eof or (not out and len(buf) >= before):
                break                  # end of stream (the rest is trailing junk) or no progress
            before = len(buf)
        return True

    for i in range(0, len(raw), chunk):
        if not feed(0, raw[i:i + chunk]) or decs[0].eof:
            break
    return total


def _flate_streams(pdf) -> list[tuple[int, int, int, bool]]:
    """(xref, raw length, number of chained Flate filters, is an image) of every Flate stream."""
    out = []
    for xref in range(1, pdf.xref_length()):
        try:
            if not pdf.xref_is_stream(xref):
                continue
            n = 0
            for f in _filters(pdf, xref):
                if f not in _FLATE:
                    break
                n += 1
            if not n:
                continue
            size = len(pdf.xref_stream_raw(xref))
            is_image = pdf.xref_get_key(xref, "Subtype")[1] == "/Image"
        except Exception:  # noqa: BLE001 - an object MuPDF cannot read is not inflated by it either
            continue
        if size:
            out.append((xref, size, n, is_image))
    return out


def _check_streams(pdf, opts: ReadOptions, deadline: float) -> None:
    """Refuse a PDF whose compressed streams would inflate beyond the caps."""
    streams = _flate_streams(pdf)
    # Deflate expands at most 1032:1: when even that bound stays under the caps,
    # the file is proven safe without inflating anything (the common, small form).
    bounds = [(size * _DEFLATE_MAX_RATIO ** n, img) for _, size, n, img in streams]
    if (all(b <= opts.max_stream_bytes for b, _ in bounds)
            and sum(b for b, img in bounds if not img) <= opts.max_inflated_bytes):
        return
    total = 0
    for xref, _, n, is_image in streams:
        raw = pdf.xref_stream_raw(xref)
        size = _inflated_size(raw, n, opts.max_stream_bytes)
        if size > opts.max_stream_bytes:
            raise InputError(f"decompression bomb: a compressed stream (object {xref}, {len(raw):,} bytes) "
                             f"inflates to more than {opts.max_stream_bytes // MB} MB "
                             f"(cap: --max-stream-mb)")
        if not is_image:
            total += size
            if total > opts.max_inflated_bytes:
                raise InputError(f"decompression bomb: its streams inflate to more than "
                                 f"{opts.max_inflated_bytes // MB} MB (cap: --max-inflated-mb)")
        if time.monotonic() > deadline:
            raise InputError(f"too slow: gave up after {opts.max_seconds:g} s checking streams "
                             f"(cap: --max-seconds)")


def _active_content(pdf, data: bytes) -> list[str]:
    """Notes on what a PDF carries that jxmb never runs or unpacks (it only reads text and lines)."""
    out = []
    try:
        n = pdf.embfile_count()
    except Exception:  # noqa: BLE001 - a broken name tree is no reason to refuse the file
        n = 0
    if n:
        out.append(f"PDF carries {n} embedded file(s): ignored, never unpacked")
    kinds = [what for key, what in ((b"/JavaScript", "JavaScript"), (b"/JS", "JavaScript"),
                                    (b"/Launch", "launch actions"), (b"/SubmitForm", "form submission"),
                                    (b"/URI", "links")) if key in data]
    kinds = sorted(set(kinds) - {"links"})
    if kinds:
        out.append(f"PDF carries {' and '.join(kinds)}: ignored, never run")
    return out


# -- PDF ----------------------------------------------------------------------------------------

class _Paced:
    """The pages of a PDF, one at a time, refusing to go on past the deadline."""

    def __init__(self, pdf, deadline: float, opts: ReadOptions):
        self.pdf, self.deadline, self.opts = pdf, deadline, opts

    def __iter__(self):
        n = self.pdf.page_count
        for i in range(n):
            if time.monotonic() > self.deadline:
                raise InputError(f"too slow: gave up after {self.opts.max_seconds:g} s at page {i + 1} of {n} "
                                 f"(cap: --max-seconds)")
            yield self.pdf[i]

    def __len__(self):
        return self.pdf.page_count


def _open_pdf(data: bytes):
    import pymupdf

    pymupdf.TOOLS.mupdf_warnings(reset=True)
    try:
        pdf = pymupdf.open(stream=data, filetype="pdf")
    except Exception as e:  # noqa: BLE001 - MuPDF raises several types for a file it cannot open
        why = _damage(data)
        raise InputError(why or f"damaged PDF: {_mupdf_message(e)}") from None
    return pdf


def _read_pdf(data: bytes, opts: ReadOptions, deadline: float) -> Document:
    _quiet_libraries()
    try:
        return _read_pdf_checked(data, opts, deadline)
    except InputError:
        raise
    except Exception as e:  # noqa: BLE001 - only errors raised inside the PDF libraries become refusals
        if not isinstance(e, _fz_errors()) and _library_error(e) is None:
            raise           # our own code: a bug, which must not be passed off as the file's fault
        if any(w in str(e).lower() for w in _OOM_WORDS):
            raise MemoryError(str(e)) from e    # the batch runner reports memory, not damage
        raise InputError(f"damaged PDF: {_library_message(e)}") from None


def _library_message(e: BaseException) -> str:
    if isinstance(e, RecursionError) or "recursion" in str(e):
        return "objects nested too deeply"
    if _library_error(e) in ("pdfminer", "pdfplumber"):
        msg = str(e).splitlines()[0][:200] if str(e).strip() else ""
    else:
        msg = _mupdf_message(e)
    return msg or type(e).__name__


def _read_pdf_checked(data: bytes, opts: ReadOptions, deadline: float) -> Document:
    notes: list[str] = []
    pdf = _open_pdf(data)
    with pdf:
        if pdf.needs_pass:
            raise InputError("encrypted: needs a password")
        n = pdf.page_count
        damage = _damage(data)
        if n == 0:
            if damage:
                raise InputError(f"{damage}; no pages could be recovered")
            if pdf.is_repaired:
                raise InputError("damaged PDF: broken cross-reference table; no pages could be recovered")
            raise InputError("PDF has no pages")
        if n > opts.max_pages:
            raise InputError(f"too many pages: {n:,} (cap: --max-pages {opts.max_pages:,})")
        if damage:
            notes.append(f"{damage}; read the {n} page(s) that could be recovered")
        elif pdf.is_repaired:
            notes.append("damaged PDF: broken cross-reference table, repaired")
        if pdf.is_encrypted or (pdf.metadata or {}).get("encryption"):
            notes.append("encrypted PDF without a user password: read anyway")
        notes.extend(_active_content(pdf, data))
        _check_streams(pdf, opts, deadline)
        if opts.engine == "pdfplumber":
            from extract.pdf_plumber import read_pdf as read_plumber
            doc = read_plumber(data)
            if time.monotonic() > deadline:
                raise InputError(f"too slow: gave up after {opts.max_seconds:g} s (cap: --max-seconds)")
        else:
            from extract.pdf_mupdf import read_pdf
            doc = read_pdf(_Paced(pdf, deadline, opts))
        if opts.ocr and any(p.needs_ocr for p in doc.pages):
            _ocr_pages(pdf, doc, opts, deadline, notes)
    if damage and not any(p.blocks or p.needs_ocr for p in doc.pages):
        # Pages came back but nothing on them: the cut took their content.
        raise InputError(f"{damage}; the {n} recovered page(s) are empty")
    return ReadDocument(doc.pages, doc.file_type, doc.layout_text, notes=notes)


def _ocr_pages(pdf, doc: Document, opts: ReadOptions, deadline: float, notes: list) -> None:
    from extract.ocr import read_scanned_page

    for i, p in enumerate(doc.pages):
        if not p.needs_ocr:
            continue
        if time.monotonic() > deadline:
            raise InputError(f"too slow: gave up after {opts.max_seconds:g} s at OCR of page {i + 1} "
                             f"(cap: --max-seconds)")
        page = pdf[i]
        big = [(w, h) for (_x, _s, w, h, *_rest) in page.get_images() if w * h > opts.max_image_pixels]
        if big:
            w, h = big[0]
            p.needs_ocr = f"{p.needs_ocr}; image of {w:,} x {h:,} pixels too large to decode (cap: --max-image-megapixels)"
            continue
        dpi = opts.ocr_dpi
        area_in2 = (page.rect.width / 72) * (page.rect.height / 72)
        if area_in2 <= 0:
            continue
        if area_in2 * dpi * dpi > opts.max_ocr_pixels:
            dpi = int((opts.max_ocr_pixels / area_in2) ** 0.5)
            if dpi < 72:
                p.needs_ocr = (f"{p.needs_ocr}; page of {page.rect.width:.0f} x {page.rect.height:.0f} pt too large "
                               f"to OCR (cap: --max-ocr-megapixels)")
                continue
            notes.append(f"page {i + 1}: large page read by OCR at {dpi} dpi")
        reason = p.needs_ocr
        new = read_scanned_page(page, dpi=dpi)
        new.needs_ocr = None
        new.ocr_reason = reason
        doc.pages[i] = new


# -- text dumps ---------------------------------------------------------------------------------

def _read_text(data: bytes, opts: ReadOptions) -> Document:
    from extract.textdump import NotText, decode, looks_like_text, read_text

    try:
        text, enc = decode(data)
    except NotText as e:
        raise InputError(f"not a PDF or text dump: {e}") from None
    if not text.strip():
        raise InputError("no text: the file holds only white space")
    if not looks_like_text(text):
        raise InputError("not a PDF or text dump: binary data (control characters)")
    longest = max(map(len, text.replace("\r", "\n").split("\n")))
    if longest > opts.max_line_chars:
        raise InputError(f"not a form text dump: a line of {longest:,} characters "
                         f"(cap: --max-line-chars {opts.max_line_chars:,})")
    try:
        doc = read_text(data)
    except NotText as e:
        raise InputError(f"not a PDF or text dump: {e}") from None
    notes = []
    if enc not in ("utf-8", "utf-8-sig", "gb18030"):
        notes.append(f"text decoded as {enc}" + (" (lines in different encodings)" if enc == "mixed" else ""))
    return ReadDocument(doc.pages, doc.file_type, doc.layout_text, doc.pipe_table, notes=notes, encoding=enc)


# -- office files and web pages ------------------------------------------------------------------

def _read_office(kind: str, data: bytes, opts: ReadOptions, deadline: float) -> Document:
    """Excel, Word and HTML files: their tables are read as grids, cell for cell, without
    the columns no written cell starts in."""
    doc = _read_office_grids(kind, data, opts, deadline)
    for page in doc.pages:
        page.blocks = [compact_columns(b) if isinstance(b, Grid) else b for b in page.blocks]
    return doc


def _read_office_grids(kind: str, data: bytes, opts: ReadOptions, deadline: float) -> Document:
    if kind == "xlsx":
        from extract.office_xlsx import read_xlsx
        return read_xlsx(data, opts, deadline)
    if kind == "docx":
        from extract.office_docx import read_docx
        return read_docx(data, opts, deadline)
    if kind == "html":
        from extract.html_page import read_html
        return read_html(data, opts, deadline)
    from extract.office_legacy import read_ole
    return read_ole(data, opts, deadline)


# -- entry point --------------------------------------------------------------------------------

def read_document(data: bytes, opts: ReadOptions | None = None) -> Document:
    opts = opts or ReadOptions()
    deadline = time.monotonic() + opts.max_seconds
    if len(data) > opts.max_file_bytes:
        raise InputError(f"file too large: {len(data) // MB:,} MB (cap: --max-file-mb {opts.max_file_bytes // MB:,})")
    kind, what = sniff(data)
    if kind == "other":
        if what == "empty file":
            raise InputError("empty file")
        raise InputError(f"not a PDF or text dump: looks like {what}")
    if kind == "pdf":
        return _read_pdf(data, opts, deadline)
    if kind in ("xlsx", "docx", "ole", "html"):
        return _read_office(kind, data, opts, deadline)
    if len(data) < MIN_BYTES:
        raise InputError(f"too short to hold a form: {len(data)} byte{'s' if len(data) != 1 else ''}")
    return _read_text(data, opts)
