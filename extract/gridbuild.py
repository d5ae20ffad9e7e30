"""Ruling segments -> table grids with merged cells; characters -> cell text.

Pure functions over plain tuples, shared by every engine (PyMuPDF, pdfplumber,
OCR): an engine only has to say where the visible rules and the characters are.

A horizontal segment is (y, x0, x1); a vertical one is (x, y0, y1); a char is
(x0, y0, x1, y1, text, size). All in points, y downwards.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from extract.model import Cell, Frag, Grid, Line


@dataclass(frozen=True, slots=True)
class GridSettings:
    snap: float = 2.0          # rules closer than this are one rule
    join: float = 2.5          # gaps shorter than this inside a rule are closed
    min_cover: float = 0.6     # share of a slot side a rule must cover to count as a border
    min_table_rules: int = 2   # at least this many rules each way make a table
    space_gap: float = 0.28    # gap (in font sizes) between chars that reads as a space
    line_tol: float = 0.45     # chars whose centres differ less (in font sizes) share a line
    band_gap: float = 8.0      # points of blank between texts of one ruled row that make a border


DEFAULT = GridSettings()
_NUMCHAR = re.compile(r"[0-9.,%]")


def _cluster(values: list[float], tol: float) -> dict[float, float]:
    """Map each value to the mean of its run of values closer than tol."""
    out: dict[float, float] = {}
    vs = sorted(set(values))
    i = 0
    while i < len(vs):
        j = i
        while j + 1 < len(vs) and vs[j + 1] - vs[j] <= tol:
            j += 1
        m = sum(vs[i:j + 1]) / (j - i + 1)
        for v in vs[i:j + 1]:
            out[v] = m
        i = j + 1
    return out


def merge_segments(segs: list[tuple[float, float, float]], s: GridSettings = DEFAULT):
    """Snap positions together and join collinear pieces of one rule."""
    if not segs:
        return []
    snap = _cluster([p for p, _, _ in segs], s.snap)
    by_pos: dict[float, list[tuple[float, float]]] = {}
    for p, a, b in segs:
        if b < a:
            a, b = b, a
        by_pos.setdefault(snap[p], []).append((a, b))
    out = []
    for p, spans in by_pos.items():
        spans.sort()
        a, b = spans[0]
        for a2, b2 in spans[1:]:
            if a2 <= b + s.join:
                b = max(b, b2)
            else:
                out.append((p, a, b))
                a, b = a2, b2
        out.append((p, a, b))
    return out


class _UF:
    def __init__(self, n: int):
        self.p = list(range(n))

    def find(self, a: int) -> int:
        while self.p[a] != a:
            self.p[a] = self.p[self.p[a]]
            a = self.p[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


def _components(hs, vs, tol):
    """Group rules that touch each other into tables."""
    n = len(hs) + len(vs)
    uf = _UF(n)
    for i, (y, x0, x1) in enumerate(hs):
        for j, (x, y0, y1) in enumerate(vs):
            if x0 - tol <= x <= x1 + tol and y0 - tol <= y <= y1 + tol:
                uf.union(i, len(hs) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i in range(n):
        g = groups.setdefault(uf.find(i), ([], []))
        if i < len(hs):
            g[0].append(hs[i])
        else:
            g[1].append(vs[i - len(hs)])
    return list(groups.values())


def _covered(rules: dict[float, list[tuple[float, float]]], pos: float, a: float, b: float,
             s: GridSettings) -> bool:
    spans = rules.get(pos)
    if not spans or b <= a:
        return False
    got = 0.0
    for c, d in spans:
        lo, hi = max(a, c), min(b, d)
        if hi > lo:
            got += hi - lo
    return got >= s.min_cover * (b - a)


def grid_geometry(hs, vs, s: GridSettings = DEFAULT):
    """Yield (xs, ys, cells) per table; a cell is (row, col, rowspan, colspan)."""
    hs, vs = merge_segments(hs, s), merge_segments(vs, s)
    for ghs, gvs in _components(hs, vs, s.snap + s.join):
        if len(ghs) < s.min_table_rules or len(gvs) < s.min_table_rules:
            continue
        ys = sorted({y for y, _, _ in ghs})
        xs = sorted({x for x, _, _ in gvs})
        hmap: dict[float, list] = {}
        vmap: dict[float, list] = {}
        for y, a, b in ghs:
            hmap.setdefault(y, []).append((a, b))
        for x, a, b in gvs:
            vmap.setdefault(x, []).append((a, b))
        nr, nc = len(ys) - 1, len(xs) - 1
        uf = _UF(nr * nc)
        # A slot is outside the table if no rule bounds it on the left and the right.
        for r in range(nr):
            for c in range(nc):
                if c + 1 < nc and not _covered(vmap, xs[c + 1], ys[r], ys[r + 1], s):
                    uf.union(r * nc + c, r * nc + c + 1)
                if r + 1 < nr and not _covered(hmap, ys[r + 1], xs[c], xs[c + 1], s):
                    uf.union(r * nc + c, (r + 1) * nc + c)
        spans: dict[int, list[int]] = {}
        for r in range(nr):
            for c in range(nc):
                root = uf.find(r * nc + c)
                b = spans.get(root)
                if b is None:
                    spans[root] = [r, c, r, c]
                else:
                    b[0], b[1] = min(b[0], r), min(b[1], c)
                    b[2], b[3] = max(b[2], r), max(b[3], c)
        cells = []
        slot_cell = [0] * (nr * nc)
        for root, (r0, c0, r1, c1) in spans.items():
            # A region with no rule on any side is the space around the table.
            if not (_covered(vmap, xs[c0], ys[r0], ys[r1 + 1], s)
                    or _covered(vmap, xs[c1 + 1], ys[r0], ys[r1 + 1], s)
                    or _covered(hmap, ys[r0], xs[c0], xs[c1 + 1], s)
                    or _covered(hmap, ys[r1 + 1], xs[c0], xs[c1 + 1], s)):
                continue
            cells.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1))
        cells.sort()
        idx = {(r, c): i for i, (r, c, _, _) in enumerate(cells)}
        for r in range(nr):
            for c in range(nc):
                root = uf.find(r * nc + c)
                r0, c0 = spans[root][0], spans[root][1]
                slot_cell[r * nc + c] = idx.get((r0, c0), -1)
        yield xs, ys, cells, slot_cell


def chars_to_text(chars, s: GridSettings = DEFAULT) -> str:
    """Characters (x0, y0, x1, y1, text, size) of one region -> lines joined by "\\n"."""
    if not chars:
        return ""
    lines = _lines(chars, s)
    out = []
    for ln in lines:
        ln.sort(key=lambda c: c[0])
        buf: list[str] = []
        prev = None
        for ch in ln:
            if prev is not None and ch[4] != " " and prev[4] != " ":
                if ch[0] - prev[2] > s.space_gap * max(ch[5], 1.0):
                    buf.append(" ")
            buf.append(ch[4])
            prev = ch
        out.append("".join(buf).strip())
    text = ""
    for t in out:
        if not t:
            continue
        # a number wrapped inside a narrow cell ("174.2" / "4万元") is one number
        if text and _NUMCHAR.match(text[-1]) and _NUMCHAR.match(t[0]):
            text += t
        else:
            text = f"{text}\n{t}" if text else t
    return text


def split_line_frags(chars, s: GridSettings = DEFAULT, gap: float = 1.5) -> list[Frag]:
    """One visual line of chars -> fragments separated by gaps wider than `gap` font sizes."""
    chars = sorted(chars, key=lambda c: c[0])
    frags: list[list] = []
    for ch in chars:
        if frags and ch[0] - frags[-1][-1][2] <= gap * max(ch[5], 1.0):
            frags[-1].append(ch)
        else:
            frags.append([ch])
    out = []
    for fr in frags:
        text = chars_to_text(fr, s)
        if text:
            bb = (min(c[0] for c in fr), min(c[1] for c in fr),
                  max(c[2] for c in fr), max(c[3] for c in fr))
            out.append(Frag(text, bb[0], bb[2], bb))
    return out


def free_lines(chars, page: int, s: GridSettings = DEFAULT) -> list[Line]:
    """Chars outside any table -> Line blocks, top to bottom."""
    out = []
    for g in _lines(chars, s):
        frags = split_line_frags(g, s)
        if frags:
            bb = (min(f.bbox[0] for f in frags), min(f.bbox[1] for f in frags),
                  max(f.bbox[2] for f in frags), max(f.bbox[3] for f in frags))
            out.append(Line(page, frags, bb))
    return out


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


def _lines(chars, s: GridSettings):
    chars = sorted(chars, key=lambda c: ((c[1] + c[3]) / 2, c[0]))
    lines: list[list] = []
    cur_y = None
    for ch in chars:
        cy = (ch[1] + ch[3]) / 2
        if cur_y is None or abs(cy - cur_y) > max(ch[5], 1.0) * s.line_tol:
            lines.append([ch])
            cur_y = cy
        else:
            lines[-1].append(ch)
    return lines


def build_blocks(hs, vs, chars, page: int, s: GridSettings = DEFAULT) -> list:
    """Rules and chars of one page -> Grid and Line blocks in reading order."""
    grids = []
    taken = [False] * len(chars)
    if hs:
        vs = list(vs) + infer_verticals(hs, vs, chars, s)
    for xs, ys, cells, slot_cell in grid_geometry(hs, vs, s):
        nr, nc = len(ys) - 1, len(xs) - 1
        buckets: list[list] = [[] for _ in cells]
        for i, ch in enumerate(chars):
            if taken[i] or ch[4].isspace():
                continue
            cx, cy = (ch[0] + ch[2]) / 2, (ch[1] + ch[3]) / 2
            if not (xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]):
                continue
            c = min(max(bisect_right(xs, cx) - 1, 0), nc - 1)
            r = min(max(bisect_right(ys, cy) - 1, 0), nr - 1)
            k = slot_cell[r * nc + c]
            if k < 0:
                continue
            buckets[k].append(ch)
            taken[i] = True
        # spaces: keep those that fall inside a cell next to its chars
        for i, ch in enumerate(chars):
            if not taken[i] and ch[4].isspace():
                cx, cy = (ch[0] + ch[2]) / 2, (ch[1] + ch[3]) / 2
                if xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]:
                    c = min(max(bisect_right(xs, cx) - 1, 0), nc - 1)
                    r = min(max(bisect_right(ys, cy) - 1, 0), nr - 1)
                    k = slot_cell[r * nc + c]
                    if k >= 0:
                        buckets[k].append(ch)
                    taken[i] = True
        gcells = []
        for (r, c, rs, cs), bucket in zip(cells, buckets):
            bb = (xs[c], ys[r], xs[c + cs], ys[r + rs])
            gcells.append(Cell(chars_to_text(bucket, s), r, c, rs, cs, bb))
        grids.append(Grid(page, nr, nc, gcells, (xs[0], ys[0], xs[-1], ys[-1]), list(xs), list(ys)))
    rest = [ch for i, ch in enumerate(chars) if not taken[i] and not ch[4].isspace()]
    blocks = grids + free_lines(rest, page, s)
    blocks.sort(key=lambda b: (b.bbox[1], b.bbox[0]))
    return blocks
