"""What a file is, by its bytes (never by its name)."""
from __future__ import annotations

_MAGIC = [
    (b"PK\x03\x04", "a ZIP archive (Word/Excel .docx/.xlsx or .zip)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc/.xls)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", None),                       # BMP: checked below (two letters are too common in text)
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", None),                      # bzip2: checked below
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"MZ", None),                       # Windows executable: checked below
    (b"AT&TFORM", "a DjVu document"),
    (b"%!PS", "a PostScript file"),
    (b"\x00\x00\x01\x00", None),         # ICO: too weak alone
]

# How far into a file a PDF header may sit. The PDF standard says within the first
# 1024 bytes; real files sometimes carry a longer mail or HTTP header before it, so
# a header further in counts when the file also ends like a PDF.
_PDF_HEAD = 1024
_PDF_HEAD_FAR = 65536


def _zip_kind(data: bytes) -> str:
    head = data[:65536]
    if b"word/" in head:
        return "a Word document (.docx)"
    if b"xl/" in head:
        return "an Excel workbook (.xlsx)"
    if b"ppt/" in head:
        return "a PowerPoint presentation (.pptx)"
    if b"mimetypeapplication/vnd.oasis.opendocument" in head:
        return "an OpenDocument file (.odt/.ods)"
    if b"mimetypeapplication/epub" in head:
        return "an EPUB e-book"
    if b"Documents/1/Pages" in head or b"FixedDocSeq" in head:
        return "an XPS/OFD document"
    return "a ZIP archive"


# what the readers take, by what _zip_kind / the magic numbers call a file
_READABLE = {"a Word document (.docx)": "docx", "an Excel workbook (.xlsx)": "xlsx",
             "an old Office document (.doc/.xls)": "ole", "an HTML page": "html"}


def sniff(data: bytes) -> tuple[str, str | None]:
    """('pdf' | 'text' | 'xlsx' | 'docx' | 'ole' | 'html' | 'other', description of what it is)."""
    kind, what = _sniff(data)
    if kind == "other" and what in _READABLE:
        return _READABLE[what], what
    return kind, what


def _sniff(data: bytes) -> tuple[str, str | None]:
    if not data:
        return "other", "empty file"
    for magic, what in _MAGIC:
        if not data.startswith(magic):
            continue
        if magic == b"PK\x03\x04":
            return "other", _zip_kind(data)
        if magic == b"BM" and len(data) > 26 and data[6:10] == b"\x00\x00\x00\x00":
            return "other", "a BMP image"
        if magic == b"BZh" and data[3:4].isdigit():
            return "other", "a bzip2 archive"
        if magic == b"MZ" and b"This program cannot be run in DOS mode" in data[:1024]:
            return "other", "a program (Windows executable)"
        if what:
            return "other", what
    if b"%PDF-" in data[:_PDF_HEAD]:
        return "pdf", None
    if b"%PDF-" in data[:_PDF_HEAD_FAR] and b"%%EOF" in data[-2048:]:
        return "pdf", None
    head = data[:2048]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):   # UTF-16 with a BOM: look at its letters
        try:
            head = head[2:].decode("utf-16-le" if head[:2] == b"\xff\xfe" else "utf-16-be", "ignore").encode()
        except Exception:  # noqa: BLE001
            pass
    low = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low[:200] or _html_fragment(low):
        return "other", "an HTML page"
    if low.startswith(b"<?xml") and b"<svg" in low:
        return "other", "an SVG image"
    if low.startswith(b"<?xml"):
        return "other", "an XML file"
    return "text", None


def _html_fragment(low: bytes) -> bool:
    """A saved page without <html> (a bare <meta> + <table> export still opens in a browser)."""
    return low.startswith((b"<meta", b"<head", b"<body", b"<table", b"<!--")) and b"<t" in low
