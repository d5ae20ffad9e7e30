"""Shape test for the comparison operator at the start of a value (≧ ≦ ≥ ≤ = > <).

PP-OCRv4's dictionary has `≥ ≤` but not `≧ ≦`, so `≧1次/月` comes out as
`21次/月` or `1次/月`. This looks at the pixels of the first glyph instead:
a wedge (two strokes meeting at a point on the left or the right) above zero, one
or two full-width bars. It works on the grey image, so the thin gap between the two
bars of ≧ (often closed by binarisation at 200 dpi) still counts.
"""
from __future__ import annotations

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
    cover = (d >= 0.5).mean(axis=1)
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
