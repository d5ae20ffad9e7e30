"""Bytes -> Document: which reader takes a file, and why a file is refused.

Every refusal is an InputError whose message becomes `documents.error`.
"""
from __future__ import annotations

from dataclasses import dataclass

from extract.model import Document
from extract.sniff import sniff


@dataclass
class ReadOptions:
    engine: str = "pymupdf"
    ocr: bool = True
    max_pages: int = 2000


class InputError(Exception):
    """A file that cannot be read; its message becomes documents.error."""


def _read_pdf(data: bytes, opts: ReadOptions) -> Document:
    import pymupdf

    try:
        pdf = pymupdf.open(stream=data, filetype="pdf")
    except Exception as e:  # noqa: BLE001 - MuPDF raises several types
        raise InputError(f"not a readable PDF: {e}") from None
    with pdf:
        if pdf.needs_pass:
            raise InputError("encrypted: needs a password")
        if pdf.page_count == 0:
            raise InputError("PDF has no pages")
        if pdf.page_count > opts.max_pages:
            raise InputError(f"too many pages: {pdf.page_count} > --max-pages {opts.max_pages}")
        if opts.engine == "pdfplumber":
            from extract.pdf_plumber import read_pdf as read_plumber
            doc = read_plumber(data)
        else:
            from extract.pdf_mupdf import read_pdf
            doc = read_pdf(pdf)
        if opts.ocr and any(p.needs_ocr for p in doc.pages):
            _ocr_pages(pdf, doc)
    return doc


def _ocr_pages(pdf, doc: Document) -> None:
    from extract.ocr import read_scanned_page

    for i, p in enumerate(doc.pages):
        if p.needs_ocr:
            reason = p.needs_ocr
            new = read_scanned_page(pdf[i])
            new.needs_ocr = None
            new.ocr_reason = reason
            doc.pages[i] = new


def read_document(data: bytes, opts: ReadOptions | None = None) -> Document:
    opts = opts or ReadOptions()
    kind, what = sniff(data)
    if kind == "pdf":
        return _read_pdf(data, opts)
    if kind == "other":
        raise InputError(f"not a form file: looks like {what}" if what != "empty file" else "empty file")
    from extract.textdump import NotText, read_text
    try:
        return read_text(data)
    except NotText as e:
        raise InputError(f"not a PDF or text dump: {e}") from None
