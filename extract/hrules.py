"""Tables ruled with horizontal lines only (some Word table styles): their column
borders, inferred from where the text of the rows leaves gutters.

Returns vertical segments (x, y0, y1) that the grid builder treats like drawn
rules, so the rest of the reader never knows they were inferred.

The evidence, all geometric:

* a gap between two texts of one row band needs a border somewhere in it;
  the tightest gaps are settled first, each by the position that lies in the
  gaps of the most bands (so a border found in one row is reused by the wider
  gaps of the others instead of adding a new one);
* the end of a partial rule is the side of a merged cell: a border in the two
  bands beside that rule;
* a border holds over the rows between the first and the last row that need
  it (a section of the table), never across text; outside that range it is
  only drawn where a gap needs it and no better-placed border does;
* a band whose text is larger than the table's text (a title) or reaches past
  the table's outer border (a caption at the margin) is not a table row: the
  rules above and below it belong to two tables, read separately.
"""
from __future__ import annotations

import math

import numpy as np

import bisect

from extract.gridbuild import DEFAULT, GridSettings, _lines, merge_segments

_TITLE_SIZE = 1.25     # text this much larger than the table's median is a title, not a cell
_FRAG_GAP = 0.45       # blank (in font sizes) that separates two texts of a row band
_WORD_GAP = 0.33       # a blank this wide (a space is ~0.25) may still hold a border
_MAX_ROW = 600.0       # rules further apart are never one row (a tall row holds text)
_MAX_BLANK_ROW = 160.0  # a band taller than this is a table row only if it holds cells side by side


def _rule_groups(hs, s: GridSettings, least: int = 3):
    """Horizontal rules stacked one under another with overlapping extents: one table each."""
    groups: list[list] = []
    for h in sorted(hs):
        for g in groups:
            gx0, gx1 = min(x[1] for x in g), max(x[2] for x in g)
            if min(gx1, h[2]) - max(gx0, h[1]) > 0.5 * (h[2] - h[1]) and h[0] - g[-1][0] < _MAX_ROW:
                g.append(h)
                break
        else:
            groups.append([h])
    return [g for g in groups if len(g) >= least]


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Inclusive (start, end) index runs where mask is True."""
    if not mask.any():
        return []
    d = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1) - 1
    return list(zip(starts.tolist(), ends.tolist()))


def _spans(line, gap: float) -> list[tuple[float, float]]:
    """x extents of the runs of a line's chars closer than `gap` font sizes."""
    line = sorted(line, key=lambda c: c[0])
    out: list[list[float]] = []
    for c in line:
        if out and c[0] - out[-1][1] <= gap * max(c[5], 1.0):
            if c[2] > out[-1][1]:
                out[-1][1] = c[2]
        else:
            out.append([c[0], c[2]])
    return [(a, b) for a, b in out]


def _side_by_side(chars, s: GridSettings) -> bool:
    """Two texts of a band side by side (a blank between them that no line crosses)."""
    spans = sorted(sp for ln in _lines(chars, s) for sp in _spans(ln, _FRAG_GAP))
    end = None
    for x0, x1 in spans:
        if end is not None and x0 > end:
            return True
        end = x1 if end is None else max(end, x1)
    return False


def _separators(ys, band_chars, L, R, s: GridSettings) -> list[bool]:
    """Bands that are not table rows: a title (larger text), text at / past the outer
    border, or a tall band without two texts side by side (blank or a paragraph)."""
    sizes = [c[5] for b in band_chars for c in b]
    if not sizes:
        return [False] * len(band_chars)
    body = float(np.median(sizes))
    out = []
    for (y0, y1), b in zip(zip(ys, ys[1:]), band_chars):
        big = any(c[5] >= _TITLE_SIZE * body for c in b)
        outside = any(c[0] < L + 0.5 or c[2] > R - 0.5 for c in b)
        tall = y1 - y0 > _MAX_BLANK_ROW and not _side_by_side(b, s)
        out.append(big or outside or tall)
    return out


def infer_verticals(hs, vs, chars, s: GridSettings = DEFAULT, pages: dict | None = None) -> list:
    """Column borders of tables printed with horizontal rules only (some Word styles).

    `pages` carries tables from one page to the next (the engines keep one per
    document): a lone row run onto a page between two rules takes the columns of
    the table it continues, whose box it shares."""
    hs = merge_segments(hs, s)
    vs = merge_segments(vs, s)
    out: list = []
    before = (pages or {}).get("tables", [])
    found: list = []
    for g in _rule_groups(hs, s, least=2):
        L, R = min(h[1] for h in g), max(h[2] for h in g)
        T, B = g[0][0], g[-1][0]
        if sum(1 for v in vs if L - 3 <= v[0] <= R + 3 and v[1] < B and v[2] > T) >= 2:
            continue  # the table has vertical rules of its own
        if len(g) == 2:
            out += _continued_row(g, chars, before, s)
            continue
        n_out = len(out)
        _group_verticals(g, L, R, T, B, chars, s, out)
        xs = sorted({round(v[0], 1) for v in out[n_out:]} - {round(L, 1), round(R, 1)})
        if xs:
            found.append((L, R, xs))
    if pages is not None:
        pages["tables"] = found or before
    return out


def _continued_row(g, chars, before, s: GridSettings) -> list:
    """A row between two rules whose box is that of a table on the page before: its
    columns, where no text of the row crosses them."""
    L, R = min(h[1] for h in g), max(h[2] for h in g)
    y0, y1 = g[0][0], g[1][0]
    prev = next((t for t in before if abs(t[0] - L) <= 3 and abs(t[1] - R) <= 3), None)
    if prev is None:
        return []
    band = [c for c in chars if not c[4].isspace() and L < (c[0] + c[2]) / 2 < R
            and y0 <= (c[1] + c[3]) / 2 <= y1]
    if not _side_by_side(band, s):
        return []
    spans = [sp for ln in _lines(band, s) for sp in _spans(ln, _WORD_GAP)]
    xs = [x for x in prev[2] if not any(a < x - 1 and b > x + 1 for a, b in spans)]
    return [(x, y0, y1) for x in [L, R] + xs]


def _group_verticals(g, L, R, T, B, chars, s: GridSettings, out: list) -> None:
    """Borders of one rule group (one or more tables stacked), appended to out."""
    ys = sorted({h[0] for h in g})
    near = [c for c in chars if not c[4].isspace() and c[2] > L and c[0] < R
            and T <= (c[1] + c[3]) / 2 <= B]
    band_chars: list[list] = [[] for _ in ys[1:]]
    for c in near:
        k = bisect.bisect_right(ys, (c[1] + c[3]) / 2) - 1
        band_chars[min(max(k, 0), len(ys) - 2)].append(c)
    sep = _separators(ys, band_chars, L, R, s)
    if sum(1 for b, x in zip(band_chars, sep) if b and not x) < 2:
        return  # not two rows of text: rules around a line, not a table
    # runs of table bands between separators: one table each (a table may
    # be a single row here, e.g. the last row of a table run onto this page)
    k = 0
    while k < len(sep):
        if sep[k]:
            k += 1
            continue
        j = k
        while j < len(sep) and not sep[j]:
            j += 1
        y0, y1 = ys[k], ys[j]
        rules = [h for h in g if y0 - 0.1 <= h[0] <= y1 + 0.1]
        out += _table_verticals(rules, ys[k:j + 1], band_chars[k:j], s)
        k = j


def _table_verticals(rules, ys, band_chars, s: GridSettings) -> list:
    """Vertical borders of one table (rows between ys) from its rules and text."""
    if not any(band_chars) or len(rules) < 2:
        return []
    L, R = min(h[1] for h in rules), max(h[2] for h in rules)
    n = len(band_chars)
    W = int(math.ceil(R - L)) + 1
    # text covers x = L + i in band b: `words` where a border may not pass (runs of
    # chars closer than a wide space), `texts` whose gaps call for a border
    words = np.zeros((n, W), dtype=bool)
    texts = np.zeros((n, W), dtype=bool)
    for b, bc in enumerate(band_chars):
        for ln in _lines([c for c in bc if L < (c[0] + c[2]) / 2 < R], s):
            for arr, gap in ((words, _WORD_GAP), (texts, _FRAG_GAP)):
                for x0, x1 in _spans(ln, gap):
                    i0 = max(0, int(math.ceil(x0 - L + 0.5)))
                    i1 = min(W - 1, int(math.floor(x1 - L - 0.5)))
                    if i1 >= i0:
                        arr[b, i0:i1 + 1] = True
    cov = words
    # gaps between two texts of a band
    gaps: list[tuple[int, int, int]] = []
    in_gap = np.zeros((n, W), dtype=bool)
    for b in range(n):
        for a, c in _runs(~texts[b]):
            if a > 0 and c < W - 1:
                gaps.append((b, a, c))
                in_gap[b, a:c + 1] = True
    sup = in_gap.sum(axis=0)
    # ends of partial rules: sides of merged cells, in the bands beside the rule
    row_of = {y: k for k, y in enumerate(ys)}
    end_bands: dict[int, set[int]] = {}
    for y, x0, x1 in rules:
        k = row_of.get(y)
        if k is None:
            k = int(np.argmin([abs(y - t) for t in ys]))
        for e in (x0, x1):
            if L + 3 < e < R - 3:
                i = int(round(e - L))
                i = next((j for j in end_bands if abs(j - i) <= 3), i)
                end_bands.setdefault(i, set()).update(b for b in (k - 1, k) if 0 <= b < n)
    chosen = set(end_bands)
    # settle each gap, tightest first, with the position shared by the most gaps
    for b, a, c in sorted(gaps, key=lambda t: t[2] - t[1]):
        if any(a <= x <= c for x in chosen):
            continue
        seg = sup[a:c + 1]
        best = int(seg.max())
        if c - a + 1 < s.band_gap and best < 2:
            continue  # a narrow blank no other row shares: a space inside a cell
        top = _runs(seg == best)
        ra, rc = max(top, key=lambda t: t[1] - t[0])
        chosen.add(a + (ra + rc) // 2)
    xs = sorted(chosen)
    # the bands that need each border: sole border in one of their gaps, or beside a rule end
    need: dict[int, set[int]] = {x: set() for x in xs}
    for x, bands in end_bands.items():
        need[x].update(b for b in bands if not cov[b, x])
    gap_borders = []
    for b, a, c in gaps:
        inside = [x for x in xs if a <= x <= c]
        gap_borders.append((b, inside))
        if len(inside) == 1:
            need[inside[0]].add(b)
    span = {}
    for x, bs in need.items():
        if bs:
            lo, hi = min(bs), max(bs)
            # a border holds on over the rows above and below until text crosses it
            while lo > 0 and not cov[lo - 1, x]:
                lo -= 1
            while hi < n - 1 and not cov[hi + 1, x]:
                hi += 1
            span[x] = (lo, hi)
    draw = np.zeros((n, len(xs)), dtype=bool)
    col = {x: k for k, x in enumerate(xs)}
    for x, (lo, hi) in span.items():
        draw[lo:hi + 1, col[x]] = True
    # gaps whose borders all belong to other sections: the border that settles
    # the most of them, held over the rows between them and on until text crosses it
    while True:
        open_gaps = [(b, inside) for b, inside in gap_borders
                     if inside and not any(draw[b, col[x]] for x in inside)]
        if not open_gaps:
            break
        count: dict[int, int] = {}
        for _, inside in open_gaps:
            for x in inside:
                count[x] = count.get(x, 0) + 1
        x = max(count, key=lambda t: (count[t], int(sup[t]), -t))
        bands = [b for b, inside in open_gaps if x in inside]
        lo, hi = min(bands), max(bands)
        while lo > 0 and not cov[lo - 1, x]:
            lo -= 1
        while hi < n - 1 and not cov[hi + 1, x]:
            hi += 1
        draw[lo:hi + 1, col[x]] = True
    for x, bs in need.items():
        for b in bs:
            draw[b, col[x]] = True
    out = []
    for b, (y0, y1) in enumerate(zip(ys, ys[1:])):
        out.append((L, y0, y1))
        out.append((R, y0, y1))
        for k, x in enumerate(xs):
            if draw[b, k] and not cov[b, x]:
                out.append((L + x, y0, y1))
    return out
