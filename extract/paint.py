"""Paint-order rule shared by both PDF engines: a later opaque fill hides the
rules drawn before it.

Pure geometry on rule lists (no PDF library), so the engines stay independent.
"""
from __future__ import annotations

from typing import NamedTuple


class Box(NamedTuple):
    """An axis-aligned box in page points, top-left origin (y grows down)."""
    x0: float
    y0: float
    x1: float
    y1: float


def cover(hs: list, vs: list, box) -> None:
    """Drop rules (or their parts) lying strictly inside an opaque fill.

    ``hs`` holds horizontal rules (y, x0, x1), ``vs`` vertical ones (x, y0, y1);
    both are edited in place. ``box`` is anything with x0, y0, x1, y1.
    """
    eps = 0.6
    for segs, horiz in ((hs, True), (vs, False)):
        keep = []
        for pos, a, b in segs:
            lo, hi = (box.y0, box.y1) if horiz else (box.x0, box.x1)
            alo, ahi = (box.x0, box.x1) if horiz else (box.y0, box.y1)
            if not (lo + eps < pos < hi - eps) or b <= alo + eps or a >= ahi - eps:
                keep.append((pos, a, b))
                continue
            if a < alo - eps:
                keep.append((pos, a, alo))
            if b > ahi + eps:
                keep.append((pos, ahi, b))
        segs[:] = keep
