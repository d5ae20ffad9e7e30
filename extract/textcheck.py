"""Is a page's text layer usable, or must the page be read by OCR?"""
from __future__ import annotations

import re
from typing import Callable

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_UNMAPPED = re.compile(r"[\ufffd\ue000-\uf8ff]")
_SPACE = re.compile(r"\s+")


def unusable_reason(chars: list[tuple], has_images: bool | Callable[[], bool]) -> str | None:
    """None if the chars can be trusted; else a short reason the page needs OCR.

    `has_images` may be a callable: it is asked only for a page without text."""
    text = _SPACE.sub("", "".join([c[4] for c in chars]))
    if not text:
        images = has_images() if callable(has_images) else has_images
        return "no text layer" if images else None
    n = len(text)
    bad = len(_UNMAPPED.findall(text))
    if "(cid:" in text or bad > 0.1 * n:
        return f"garbled text layer ({bad} of {n} characters unmapped)"
    if n >= 40 and not _CJK.search(text) and sum(ch.isalpha() for ch in text) > 0.5 * n:
        # A Chinese form whose text decodes to no CJK at all is a broken font mapping.
        return "garbled text layer (no Chinese characters)"
    return None
