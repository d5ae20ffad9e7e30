"""Shape test for the comparison operator at the start of a value (≧ ≦ ≥ ≤ = > <).

PP-OCRv4's dictionary has `≥ ≤` but not `≧ ≦`, so `≧1次/月` comes out as
`21次/月` or `1次/月`. This looks at the pixels of the first glyph instead:
a wedge (two strokes meeting at a point on the left or the right) above zero, one
or two full-width bars. It works on the grey image, so the thin gap between the two
bars of ≧ (often closed by binarisation at 200 dpi) still counts.
"""
from __future__ import annotations

import math

import numpy as np


def _darkness(gray: np.ndarray) -> np.ndarray:
    g = gray.astype(np.float32)
    bg = float(np.median(g))
    dark = g[g < bg - 40]
    if dark.size < 3:
        return np.zeros_like(g)
    ink = min(float(np.percentile(g, 2)), float(np.percentile(dark, 30)))
    return np.clip((bg - g) / (bg - ink), 0.0, 1.0)


def _peaks(cover: np.ndarray, profile: np.ndarray, hi: float) -> list[tuple[int, int]]:
    """Runs of rows inked across >= hi of the width, split where the darkness dips."""
    runs: list[list[int]] = []
    for y, v in enumerate(cover):
        if v >= hi:
            if runs and runs[-1][1] == y:
                runs[-1][1] = y + 1
            else:
                runs.append([y, y + 1])
    out = []
    for a, b in runs:
        seg = profile[a:b]
        # split a run at an interior dip well below both sides (two bars that touch)
        cut = None
        for i in range(1, len(seg) - 1):
            left, right = seg[:i].max(), seg[i + 1:].max()
            if seg[i] < 0.8 * min(left, right) and (cut is None or seg[i] < seg[cut]):
                cut = i
        if cut is not None:
            out += [(a, a + cut), (a + cut + 1, b)]
        else:
            out.append((a, b))
    return out


def _centroid_x(d: np.ndarray) -> float | None:
    w = d.sum()
    if w < 1e-3:
        return None
    return float((d.sum(axis=0) * np.arange(d.shape[1])).sum() / w)


def classify_operator(gray: np.ndarray, line_h: float,
                      box: tuple[int, int, int, int] | None = None) -> tuple[str | None, str]:
    """Grey image around one glyph; `box` (x0, y0, x1, y1) is the glyph within it
    (default: all of it). The image around the box sets the paper and ink levels.

    Returns (operator, "ok"), or (None, "not-operator") when the glyph is clearly
    something else (a digit), or (None, reason) when the shape is unclear.
    """
    d = _darkness(gray)
    if box is not None:
        d = d[box[1]:box[3], box[0]:box[2]]
    rows = np.nonzero(d.max(axis=1) >= 0.45)[0]
    cols = np.nonzero(d.max(axis=0) >= 0.45)[0]
    if len(rows) < 3 or len(cols) < 2:
        return None, "no ink"
    d = d[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    gh, gw = d.shape
    if gw < 0.45 * gh:
        return None, "not-operator"          # narrow: 1, l, ( …
    if gh < 0.25 * line_h:
        return None, "not-operator"          # a dot, a dash
    prof = d.mean(axis=1)
    # a bar is one stroke across the glyph: two strokes side by side (the lower arm of a
    # wedge beside the slanted bar of ⩾) are not one, however much of the row they cover
    cover = np.array([_bar_cover(r) for r in d >= 0.5])
    bars = [(a, b) for a, b in _peaks(cover, prof, 0.7) if (b - a) <= max(2, 0.3 * gh)]
    top_end = bars[0][0] if bars else gh
    wedge = d[:top_end]
    kind = None
    if top_end >= 0.3 * gh:
        n = wedge.shape[0]
        q = max(1, n // 4)
        ct = _centroid_x(wedge[:q])
        cb = _centroid_x(wedge[n - q:])
        cm = _centroid_x(wedge[n // 2 - q // 2: n // 2 + q // 2 + 1])
        if ct is not None and cm is not None and cb is not None:
            ct, cm, cb = ct / gw, cm / gw, cb / gw
            if ct < 0.4 and cb < 0.4 and cm > 0.6:
                kind = ">"
            elif ct > 0.6 and cb > 0.6 and cm < 0.4:
                kind = "<"
            else:
                kind = "other"
    # bars below the wedge must reach the bottom of the glyph
    if bars and bars[-1][1] < gh - 2:
        return (None, "not-operator") if kind in (None, "other") else (None, "ink below the bars")
    if kind in (">", "<"):
        if len(bars) == 0:
            if _slanted_bar(d, kind):
                return ("≥" if kind == ">" else "≤"), "ok"   # ⩾ / ⩽: the bar slants with the lower arm
            return kind, "ok"
        if len(bars) == 1:
            return ("≥" if kind == ">" else "≤"), "ok"
        if len(bars) == 2:
            return ("≧" if kind == ">" else "≦"), "ok"
        return None, f"wedge over {len(bars)} bars"
    if kind is None and len(bars) == 2:
        # '=': two bars and nothing else (no ink between or around them)
        inside = np.ones(gh, bool)
        for a, b in bars:
            inside[max(0, a - 1):b + 1] = False
        if prof[inside].max(initial=0.0) < 0.2 and gh < 0.6 * line_h:
            return "=", "ok"
        return None, "not-operator"          # 2, 3, 5 … have bars and strokes between
    if kind == "other" and len(bars) <= 1:
        return None, "not-operator"          # 2, 3, 4, 7 … (curves, no wedge)
    if kind is None:
        return None, "not-operator"          # a bar at the top (5, 7, 下 …): no wedge
    return None, f"unclear shape ({len(bars)} bars, top {kind})"


# --------------------------------------------------------------------------- ： or ；

def equals_after(band: np.ndarray, x: int, line_h: float) -> int | None:
    """An '=' right after column x of a line's grey band (a '>=' typed as two characters):
    two bars one above the other, close together, and no other long stroke (a digit's
    strokes span its height). Returns the x after it, or None."""
    w = int(0.6 * line_h)
    d = _darkness(band[:, x + 1: x + 1 + w]) >= 0.45
    if d.shape[1] < 4 or not d.any():
        return None
    longest = np.array([_longest_run(r) for r in d])
    bar = longest >= 0.3 * line_h
    groups = np.count_nonzero(np.diff(bar.astype(np.int8)) == 1) + int(bar[0])
    if groups != 2:
        return None
    rows = np.nonzero(bar)[0]
    if not (0.12 * line_h <= rows[-1] - rows[0] <= 0.4 * line_h):
        return None
    if np.count_nonzero(~bar & (longest >= 0.2 * line_h)) > 1:
        return None
    cols = np.nonzero(d[rows].any(axis=0))[0]
    return int(x + 1 + cols[-1] + 1)


def _bar_cover(r: np.ndarray) -> float:
    """Share of a glyph row a bar would cover: the inked share, but only the longest
    stroke where the row holds two strokes of some length apart (a gap of 2+ pixels;
    a pixel lost to noise inside one bar does not split it)."""
    w = len(r)
    runs, start = [], None
    for i, v in enumerate(list(r) + [False]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            runs.append((start, i))
            start = None
    merged: list[list[int]] = []
    for a, b in runs:
        if merged and a - merged[-1][1] < 2:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    long = [b - a for a, b in merged if b - a >= 0.2 * w]
    if len(long) >= 2:
        return max(long) / w
    return float(r.mean())


def _longest_run(r: np.ndarray) -> int:
    best = cur = 0
    for v in r:
        cur = cur + 1 if v else 0
        best = max(best, cur)
    return best


def _slanted_bar(d: np.ndarray, kind: str) -> bool:
    """⩾ / ⩽ (Ming fonts draw ≥ ≤ so): a slanted bar runs under the wedge's lower arm, so
    the glyph reaches well below the wedge's point; a plain > has its point mid-height."""
    ink = d >= 0.45
    rows = np.nonzero(ink.any(axis=1))[0]
    if len(rows) < 6:
        return False
    gh = rows[-1] - rows[0] + 1
    if kind == ">":
        ext = np.array([np.nonzero(r)[0].max() if r.any() else -1 for r in ink[rows[0]:rows[-1] + 1]])
        tip = np.nonzero(ext >= ext.max() - 1)[0]
    else:
        ext = np.array([np.nonzero(r)[0].min() if r.any() else 10 ** 6 for r in ink[rows[0]:rows[-1] + 1]])
        tip = np.nonzero(ext <= ext.min() + 1)[0]
    first = tip[: int(np.argmax(np.diff(np.append(tip, 10 ** 6)) > 1)) + 1]   # the wedge's point: the first run
    if float(first.mean()) / gh >= 0.42:
        return False
    # and under the point the arm and the bar are two strokes side by side
    lower = ink[rows[0] + int(first.mean()) + 1: rows[-1] + 1]
    two = sum(1 for r in lower if np.count_nonzero(np.diff(r.astype(np.int8)) == 1) + int(r[0]) >= 2)
    return two >= 3


def _small_marks(ink: np.ndarray, line_h: float) -> list[tuple[int, int, int, int]]:
    """(x0, y0, x1, y1) of the small ink pieces of a binary image (ink > 0)."""
    import cv2
    n, _, st, _ = cv2.connectedComponentsWithStats((ink > 0).astype(np.uint8), connectivity=8)
    return [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, a in st[1:]
            if a >= 2 and w <= 0.35 * line_h and h <= 0.45 * line_h]


def classify_colon(ink: np.ndarray, x: float, line_h: float) -> tuple[str | None, str]:
    """Colon or semicolon, from the marks stacked in the column around `x`.

    `ink` is a binary image (ink > 0) of one text line, full height; `x` a column near
    the mark's centre (e.g. where the recogniser put its `:`). PP-OCRv4 reads a
    semicolon as a colon when the line is long; the shapes differ: ： is two equal
    dots, ； a dot over a comma whose tail hangs below it (at least half as tall
    again as the dot).

    Returns (":", "ok"), (";", "ok") or (None, reason).
    """
    h, w = ink.shape[:2]
    r = 0.5 * line_h
    a, b = max(0, int(x - r)), min(w, int(math.ceil(x + r)))
    if b - a < 2:
        return None, "no ink"
    win = ink[:, a:b] > 0
    marks = [m for m in _small_marks(win, line_h) if abs((m[0] + m[2]) / 2 - (x - a)) <= 0.4 * line_h]
    best = None
    for u in marks:
        for lo in marks:
            if lo is u or lo[1] < u[3]:
                continue                      # the lower mark starts below the upper one
            ov = min(u[2], lo[2]) - max(u[0], lo[0])
            if ov < 0.5 * min(u[2] - u[0], lo[2] - lo[0]) or lo[1] - u[3] > 0.5 * line_h:
                continue
            d = abs((min(u[0], lo[0]) + max(u[2], lo[2])) / 2 - (x - a))
            if best is None or d < best[0]:
                best = (d, u, lo)
    if best is None:
        return None, "no two marks stacked"
    _, u, lo = best
    x0, x1 = min(u[0], lo[0]), max(u[2], lo[2])
    # the column holds these two marks and nothing else (not strokes of a character)
    col = win[:, x0:x1].copy()
    col[u[1]:u[3], u[0] - x0:u[2] - x0] = False
    col[lo[1]:lo[3], lo[0] - x0:lo[2] - x0] = False
    if col.any():
        return None, "other ink in the column"
    uh, lh_ = u[3] - u[1], lo[3] - lo[1]
    uw, lw = u[2] - u[0], lo[2] - lo[0]
    if uh > 0.3 * line_h or uw > 0.3 * line_h:
        return None, "upper mark is no dot"
    # a pixel of binarisation noise is a quarter of a small dot's height
    if lh_ >= max(1.45 * uh, uh + 2) and lo[3] - u[3] >= 1.45 * uh:
        return ";", "ok"
    if lh_ <= max(1.2 * uh, uh + 1) and 0.6 * uw <= lw <= 1.6 * uw:
        return ":", "ok"
    return None, f"unclear (dot {uw}x{uh}, lower mark {lw}x{lh_})"
