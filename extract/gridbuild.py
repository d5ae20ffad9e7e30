"""Ruling segments -> table grids with merged cells; characters -> cell text.

Pure functions over plain tuples, shared by every engine (PyMuPDF, pdfplumber,
OCR): an engine only has to say where the visible rules and the characters are.

A horizontal segment is (y, x0, x1); a vertical one is (x, y0, y1); a char is
(x0, y0, x1, y1, text, size). All in points, y downwards.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

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


def _components(hs, vs, tol):
    """Group rules that touch each other into tables (labels spread over the touch matrix)."""
    if not hs or not vs:
        return [([h], []) for h in hs] + [([], [v]) for v in vs]
    H, V = np.asarray(hs, dtype=np.float64), np.asarray(vs, dtype=np.float64)
    touch = ((H[:, 1, None] - tol <= V[None, :, 0]) & (V[None, :, 0] <= H[:, 2, None] + tol)
             & (V[None, :, 1] - tol <= H[:, 0, None]) & (H[:, 0, None] <= V[None, :, 2] + tol))
    big = len(hs) + len(vs)
    lh, lv = np.arange(len(hs)), np.arange(len(hs), big)
    while True:
        nv = np.minimum(lv, np.where(touch, lh[:, None], big).min(axis=0))
        nh = np.minimum(lh, np.where(touch, nv[None, :], big).min(axis=1))
        if np.array_equal(nh, lh) and np.array_equal(nv, lv):
            break
        lh, lv = nh, nv
    groups: dict[int, tuple[list, list]] = {}
    for h, k in zip(hs, lh.tolist()):
        groups.setdefault(k, ([], []))[0].append(h)
    for v, k in zip(vs, lv.tolist()):
        groups.setdefault(k, ([], []))[1].append(v)
    return list(groups.values())


def _overlaps(segs, positions, edges) -> np.ndarray:
    """Length of the rules at each position inside each interval between edges."""
    pos = {p: i for i, p in enumerate(positions)}
    arr = np.asarray([(pos[p], a, b) for p, a, b in segs], dtype=np.float64)
    lo, hi = np.asarray(edges[:-1]), np.asarray(edges[1:])
    ov = np.clip(np.minimum(arr[:, 2, None], hi) - np.maximum(arr[:, 1, None], lo), 0.0, None)
    out = np.zeros((len(positions), len(lo)))
    np.add.at(out, arr[:, 0].astype(np.int64), ov)
    return out


def _labels(right: np.ndarray, down: np.ndarray) -> np.ndarray:
    """Connected slots of an nr x nc grid (joined where `right`/`down` say no border):
    each slot's label is the smallest slot index of its region."""
    nr, nc = right.shape[0], down.shape[1]
    parent = list(range(nr * nc))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    pairs = [(r * nc + c, r * nc + c + 1) for r, c in np.argwhere(right).tolist()]
    pairs += [(r * nc + c, (r + 1) * nc + c) for r, c in np.argwhere(down).tolist()]
    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    lab = np.asarray(parent)
    while True:
        nxt = lab[lab]
        if np.array_equal(nxt, lab):
            return lab
        lab = nxt


def grid_geometry(hs, vs, s: GridSettings = DEFAULT):
    """Yield (xs, ys, cells, slot_cell) per table; a cell is (row, col, rowspan, colspan),
    slot_cell maps each row-major slot to its cell's index (-1: outside the table)."""
    hs, vs = merge_segments(hs, s), merge_segments(vs, s)
    for ghs, gvs in _components(hs, vs, s.snap + s.join):
        if len(ghs) < s.min_table_rules or len(gvs) < s.min_table_rules:
            continue
        ys = sorted({y for y, _, _ in ghs})
        xs = sorted({x for x, _, _ in gvs})
        nr, nc = len(ys) - 1, len(xs) - 1
        ov = _overlaps(gvs, xs, ys)          # (nc+1) x nr: vertical rule length per row
        oh = _overlaps(ghs, ys, xs)          # (nr+1) x nc: horizontal rule length per column
        need_v = s.min_cover * np.diff(ys)   # per row
        need_h = s.min_cover * np.diff(xs)   # per column
        # A slot joins its neighbour where no rule covers the side between them.
        right = ~(ov[1:-1].T >= need_v[:, None])         # nr x (nc-1)
        down = ~(oh[1:-1] >= need_h[None, :])            # (nr-1) x nc
        lab = _labels(right.reshape(nr, nc - 1), down.reshape(nr - 1, nc))
        roots, inv = np.unique(lab, return_inverse=True)
        rows, cols = np.divmod(np.arange(nr * nc), nc)
        r0 = np.full(len(roots), nr); c0 = np.full(len(roots), nc)
        r1 = np.full(len(roots), -1); c1 = np.full(len(roots), -1)
        np.minimum.at(r0, inv, rows); np.minimum.at(c0, inv, cols)
        np.maximum.at(r1, inv, rows); np.maximum.at(c1, inv, cols)
        # A region with no rule on any side is the space around the table.
        cv = np.vstack([np.zeros(nc + 1), np.cumsum(ov.T, axis=0)])   # (nr+1) x (nc+1)
        ch = np.hstack([np.zeros((nr + 1, 1)), np.cumsum(oh, axis=1)])  # (nr+1) x (nc+1)
        ya, xa = np.asarray(ys), np.asarray(xs)
        hgt, wid = ya[r1 + 1] - ya[r0], xa[c1 + 1] - xa[c0]
        side_v = lambda c: (cv[r1 + 1, c] - cv[r0, c]) >= s.min_cover * hgt  # noqa: E731
        side_h = lambda r: (ch[r, c1 + 1] - ch[r, c0]) >= s.min_cover * wid  # noqa: E731
        ruled = side_v(c0) | side_v(c1 + 1) | side_h(r0) | side_h(r1 + 1)
        regions = sorted((int(r0[i]), int(c0[i]), int(r1[i] - r0[i] + 1), int(c1[i] - c0[i] + 1), i)
                         for i in np.flatnonzero(ruled).tolist())
        cells = [reg[:4] for reg in regions]
        cell_of = np.full(len(roots), -1)
        cell_of[[reg[4] for reg in regions]] = np.arange(len(regions))
        yield xs, ys, cells, cell_of[inv].tolist()


def chars_to_text(chars, s: GridSettings = DEFAULT) -> str:
    """Characters (x0, y0, x1, y1, text, size) of one region -> lines joined by "\\n"."""
    if not chars:
        return ""
    gap = s.space_gap
    out = []
    for ln in _lines(chars, s):
        if len(ln) > 1:
            ln.sort(key=_x0)
        buf: list[str] = []
        prev = None
        for ch in ln:
            t = ch[4]
            if prev is not None and t != " " and prev[4] != " ":
                size = ch[5]
                if ch[0] - prev[2] > gap * (size if size > 1.0 else 1.0):
                    buf.append(" ")
            buf.append(t)
            prev = ch
        out.append("".join(buf).strip())
    return join_cell_lines(out)


def join_cell_lines(lines: list[str]) -> str:
    """A cell's text lines joined by "\\n"; a number wrapped inside a narrow cell
    ("174.2" / "4万元") is one number again. Shared by the PDF engines and OCR."""
    text = ""
    for t in lines:
        if not t:
            continue
        if text and _NUMCHAR.match(text[-1]) and _NUMCHAR.match(t[0]):
            text += t
        else:
            text = f"{text}\n{t}" if text else t
    return text


def _x0(c) -> float:
    return c[0]


def _centre_key(c) -> tuple[float, float]:
    return ((c[1] + c[3]) / 2, c[0])


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


def _lines(chars, s: GridSettings):
    chars = sorted(chars, key=_centre_key) if len(chars) > 1 else list(chars)
    tol = s.line_tol
    lines: list[list] = []
    cur_y = None
    for ch in chars:
        cy = (ch[1] + ch[3]) / 2
        size = ch[5]
        if cur_y is None or abs(cy - cur_y) > (size if size > 1.0 else 1.0) * tol:
            lines.append([ch])
            cur_y = cy
        else:
            lines[-1].append(ch)
    return lines


def _char_centres(chars):
    """Centre x, centre y and is-space of every char, as arrays (one pass per page)."""
    cx = np.array([c[0] + c[2] for c in chars], dtype=np.float64) * 0.5
    cy = np.array([c[1] + c[3] for c in chars], dtype=np.float64) * 0.5
    space = np.array([c[4].isspace() for c in chars], dtype=bool)
    return cx, cy, space


def _assign_chars(chars, cx, cy, space, taken, xs, ys, slot_cell, n_cells) -> list[list]:
    """Chars whose centre falls in a cell, per cell (non-space chars first, each in page order).

    A space inside the table is taken even where no cell holds it, so it never
    becomes a free line; a non-space char outside every cell stays free."""
    nr, nc = len(ys) - 1, len(xs) - 1
    inside = ~taken & (cx >= xs[0]) & (cx <= xs[-1]) & (cy >= ys[0]) & (cy <= ys[-1])
    idx = np.flatnonzero(inside)
    c = np.clip(np.searchsorted(xs, cx[idx], side="right") - 1, 0, nc - 1)
    r = np.clip(np.searchsorted(ys, cy[idx], side="right") - 1, 0, nr - 1)
    k = np.asarray(slot_cell, dtype=np.int64)[r * nc + c]
    sp = space[idx]
    taken[idx[(k >= 0) | sp]] = True
    keep = k >= 0
    # non-space chars before spaces, page order within each: a stable sort by cell
    idx, k, sp = idx[keep], k[keep], sp[keep]
    order = np.lexsort((sp, k)) if idx.size else idx
    idx, k = idx[order], k[order]
    bounds = np.searchsorted(k, np.arange(n_cells + 1))
    flat = idx.tolist()
    b = bounds.tolist()
    return [[chars[i] for i in flat[b[j]:b[j + 1]]] for j in range(n_cells)]


def build_blocks(hs, vs, chars, page: int, s: GridSettings = DEFAULT, pages: dict | None = None) -> list:
    """Rules and chars of one page -> Grid and Line blocks in reading order.

    `pages`: state an engine keeps from page to page of a document (see hrules)."""
    grids = []
    taken = np.zeros(len(chars), dtype=bool)
    if hs:
        from extract.hrules import infer_verticals  # built on this module's line helpers
        vs = list(vs) + infer_verticals(hs, vs, chars, s, pages)
    centres = None
    for xs, ys, cells, slot_cell in grid_geometry(hs, vs, s):
        nr, nc = len(ys) - 1, len(xs) - 1
        if centres is None:
            centres = _char_centres(chars)
        buckets = _assign_chars(chars, *centres, taken, xs, ys, slot_cell, len(cells))
        gcells = []
        for (r, c, rs, cs), bucket in zip(cells, buckets):
            bb = (xs[c], ys[r], xs[c + cs], ys[r + rs])
            gcells.append(Cell(chars_to_text(bucket, s), r, c, rs, cs, bb))
        grids.append(Grid(page, nr, nc, gcells, (xs[0], ys[0], xs[-1], ys[-1]), list(xs), list(ys)))
    if centres is None:
        rest = [ch for ch in chars if not ch[4].isspace()]
    else:
        free = ~taken & ~centres[2]
        rest = [chars[i] for i in np.flatnonzero(free).tolist()]
    blocks = grids + free_lines(rest, page, s)
    blocks.sort(key=lambda b: (b.bbox[1], b.bbox[0]))
    return blocks
