"""Text dumps (pdftotext raw or -layout output, any Chinese encoding) -> Document.

A text dump has no geometry: each line becomes a `Line` whose fragments carry
their character column in x0/x1 and `bbox=None`. Blank lines are kept as Lines
without fragments, because a blank line is where a raw dump separates cells.
"""
from __future__ import annotations

import codecs

import regex

from extract.model import Document, Frag, Line, Page
from normalize.text import fold_text

_LAYOUT_GAP = regex.compile(r"\S {3,}\S")


class NotText(ValueError):
    """The bytes are not a text dump in any encoding we read."""


def decode(data: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding name). Raises NotText for binary data."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace"), "utf-16"
    head = data[:4096]
    # UTF-16 without BOM: every other byte NUL in ASCII-heavy text.
    if len(head) >= 4 and head.count(b"\x00") > len(head) // 4:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        enc = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            raise NotText("binary data (NUL bytes)") from None
    for enc in ("utf-8", "gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return text, enc
    raise NotText("not text in UTF-8, UTF-16, GB18030 or Big5")


def looks_like_text(text: str) -> bool:
    if not text.strip():
        return False
    sample = text[:20000]
    ctrl = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    return ctrl <= 0.01 * len(sample)


def _frags(line: str, layout: bool) -> list[Frag]:
    """Split a line into fragments at runs of 2+ spaces (layout) or any space (raw)."""
    pat = r"\S+(?: \S+)*" if layout else r"\S+"
    return [Frag(m.group(), float(m.start()), float(m.end())) for m in regex.finditer(pat, line)]


def read_text(data: bytes) -> Document:
    text, _enc = decode(data)
    if not looks_like_text(text):
        raise NotText("binary data, not a text dump")
    text = fold_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    chunks = text.split("\f")
    nonblank = [ln for ln in text.split("\n") if ln.strip()]
    layout = bool(nonblank) and sum(bool(_LAYOUT_GAP.search(ln)) for ln in nonblank) > 0.3 * len(nonblank)
    pages = []
    for i, chunk in enumerate(chunks):
        if i == len(chunks) - 1 and not chunk.strip() and i > 0:
            break  # pdftotext ends with a form feed: no page after it
        page = Page(i + 1, extractor="text")
        for ln in chunk.split("\n"):
            page.blocks.append(Line(i + 1, _frags(ln.rstrip(), layout), None))
        pages.append(page)
    return Document(pages, "text", layout_text=layout)
