"""Is a page's text layer usable, or must the page be read by OCR?"""
from __future__ import annotations


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF


def unusable_reason(chars: list[tuple], has_images: bool) -> str | None:
    """None if the chars can be trusted; else a short reason the page needs OCR."""
    text = "".join(c[4] for c in chars if not c[4].isspace())
    if not text:
        return "no text layer" if has_images else None
    n = len(text)
    bad = sum(1 for ch in text if ch == "\ufffd" or 0xE000 <= ord(ch) <= 0xF8FF)
    if "(cid:" in text or bad > 0.1 * n:
        return f"garbled text layer ({bad} of {n} characters unmapped)"
    cjk = sum(1 for ch in text if _is_cjk(ch))
    if n >= 40 and cjk == 0 and sum(ch.isalpha() for ch in text) > 0.5 * n:
        # A Chinese form whose text decodes to no CJK at all is a broken font mapping.
        return "garbled text layer (no Chinese characters)"
    return None
