"""What a file is, by its bytes (never by its name)."""
from __future__ import annotations

_MAGIC = [
    (b"PK\x03\x04", "a ZIP archive (Word/Excel .docx/.xlsx or .zip)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc/.xls)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
]


def sniff(data: bytes) -> tuple[str, str | None]:
    """('pdf' | 'text' | 'other', description of what it is otherwise)."""
    if not data:
        return "other", "empty file"
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf", None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            if magic == b"PK\x03\x04":
                if b"word/" in data[:4096]:
                    what = "a Word document (.docx)"
                elif b"xl/" in data[:4096]:
                    what = "an Excel workbook (.xlsx)"
            return "other", what
    low = head.lstrip().lower()
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low[:200]:
        return "other", "an HTML page"
    return "text", None
