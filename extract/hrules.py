"""Tables ruled with horizontal lines only (some Word table styles): their column
borders, inferred from where the text of the rows leaves gutters.

Returns vertical segments (x, y0, y1) that the grid builder treats like drawn
rules, so the rest of the reader never knows they were inferred.
"""
from __future__ import annotations

from extract.gridbuild import DEFAULT, GridSettings, _lines, merge_segments, split_line_frags


def _rule_groups(hs, s: GridSettings):
    """Horizontal rules stacked one under another with overlapping extents: one table each."""
    groups: list[list] = []
    for h in sorted(hs):
        for g in groups:
            gx0, gx1 = min(x[1] for x in g), max(x[2] for x in g)
            if min(gx1, h[2]) - max(gx0, h[1]) > 0.5 * (h[2] - h[1]) and h[0] - g[-1][0] < 160:
                g.append(h)
                break
        else:
            groups.append([h])
    return [g for g in groups if len(g) >= 3]


def infer_verticals(hs, vs, chars, s: GridSettings = DEFAULT) -> list:
    """Column borders of tables printed with horizontal rules only (some Word styles).

    A border is a vertical gutter that text in (almost) no row crosses, or where a
    partial rule starts or ends (the edge of a merged cell). It is drawn in each
    row band that no text crosses there, so merged cells stay merged."""
    hs = merge_segments(hs, s)
    vs = merge_segments(vs, s)
    out = []
    for g in _rule_groups(hs, s):
        L, R = min(h[1] for h in g), max(h[2] for h in g)
        T, B = g[0][0], g[-1][0]
        if sum(1 for v in vs if L - 3 <= v[0] <= R + 3 and v[1] < B and v[2] > T) >= 2:
            continue  # the table has vertical rules of its own
        ys = sorted({h[0] for h in g})
        inside = [c for c in chars if not c[4].isspace() and L <= (c[0] + c[2]) / 2 <= R
                  and T <= (c[1] + c[3]) / 2 <= B]
        bands: list[list[tuple[float, float]]] = []
        for y0, y1 in zip(ys, ys[1:]):
            band = [c for c in inside if y0 <= (c[1] + c[3]) / 2 < y1]
            frags = []
            for ln in _lines(band, s):
                for f in split_line_frags(ln, s, gap=0.45):
                    frags.append((f.x0, f.x1))
            bands.append(frags)
        n = sum(1 for b in bands if b)
        if n < 2:
            continue
        width = int(R - L)
        cross = [0] * (width + 1)
        for frags in bands:
            hit = bytearray(width + 1)
            for x0, x1 in frags:
                if x1 - x0 > 0.5 * (R - L):
                    continue  # text across half the table is a wide merged cell
                for x in range(max(0, int(x0 - L) + 1), min(width, int(x1 - L)) + 1):
                    hit[x] = 1
            for x in range(width + 1):
                cross[x] += hit[x]
        limit = 1 + int(0.05 * n)
        ends = sorted({h[1] for h in g if h[1] > L + 3} | {h[2] for h in g if h[2] < R - 3})
        borders = []
        x = 0
        while x <= width:
            if cross[x] < limit:
                start = x
                while x <= width and cross[x] < limit:
                    x += 1
                a, b = L + start, L + x - 1
                if start > 0 and x <= width:   # not the margins inside the outer border
                    inner = [e for e in ends if a <= e <= b]
                    borders.append(inner[0] if inner else (a + b) / 2)
            x += 1
        for e in ends:
            if all(abs(e - b) > 4 for b in borders):
                borders.append(e)
        for bx in [L, R] + borders:
            for (y0, y1), frags in zip(zip(ys, ys[1:]), bands):
                if bx in (L, R) or not any(x0 < bx - 1 and x1 > bx + 1 for x0, x1 in frags):
                    out.append((bx, y0, y1))
        # A row whose cells follow other columns (the header block above the
        # indicator table): a wide blank gap between its texts is a border there.
        for (y0, y1), frags in zip(zip(ys, ys[1:]), bands):
            spans = sorted(frags)
            merged: list[list[float]] = []
            for x0, x1 in spans:
                if merged and x0 <= merged[-1][1] + 1:
                    merged[-1][1] = max(merged[-1][1], x1)
                else:
                    merged.append([x0, x1])
            for (a0, a1), (b0, b1) in zip(merged, merged[1:]):
                if b0 - a1 >= s.band_gap and not any(a1 <= bx <= b0 for bx in borders):
                    out.append(((a1 + b0) / 2, y0, y1))
    return out
