"""Header blocks of layout text dumps: rebuild cells from wrapped fragments.

`pdftotext -layout` prints a cell that wraps onto several lines as fragments
stacked at the same column, and centres single-line cells vertically between
them: `主管部门及代` / `469001-某局  实施单位` / `码`. Stacked fragments aligned
left or centred are joined into one cell; cells whose lines overlap form one
row, read left to right — what the grid reader gives for a ruled table.
"""
from __future__ import annotations

import regex

from parse.labels import GOAL_MARK, header_label, squash
from parse.rows import Row, Slot

_NUMBER = regex.compile(r"^[\d,.\s]+(万元|元|千元|亿元)?$")


def _aligned(a: dict, s: Slot) -> bool:
    if abs(a["x0"] - s.x0) <= 1.5:
        return True
    return abs((a["x0"] + a["x1"]) / 2 - (s.x0 + s.x1) / 2) <= 1.5


def _joinable(cell: dict, s: Slot) -> bool:
    upper, lower = cell["texts"][-1], s.text
    if _NUMBER.match(squash(upper)) and _NUMBER.match(squash(lower)):
        return False            # two amounts in two rows
    lab = header_label(lower)
    if lab is not None and not lab[1] and len(squash(lower)) > 2:
        return False            # a label of its own
    if GOAL_MARK.match(squash(lower)):
        return False
    lab_up = header_label(upper)
    if lab_up is not None and squash(upper).endswith((":", "：")):
        return False            # a complete label ends with its colon
    return True


def merge_rows(rows: list[Row]) -> list[Row]:
    """Text rows of a header block -> rows of rebuilt cells."""
    cells: list[dict] = []
    for li, row in enumerate(rows):
        if row.blank:
            continue
        for k, s in enumerate(row.slots):
            best = None
            own_label = k > 0 and header_label(row.slots[k - 1].text) is not None
            for c in ([] if own_label else reversed(cells)):  # a labelled value starts its own cell
                gap = li - c["last"]
                if gap < 1 or gap > 2 or c["page"] != row.page:
                    continue
                if gap == 2 and (rows[li - 1].blank or _blocked(rows[li - 1], s) or
                                 (len(squash(s.text)) > 3 and not _label_beside(rows[li - 1], s))):
                    # across a line: the short tail of a wrapped cell, or a value wrapped
                    # around the single line that holds its label
                    continue
                if _aligned(c, s) and _joinable(c, s):
                    best = c
                    break
            if best is None:
                cells.append({"first": li, "last": li, "x0": s.x0, "x1": s.x1, "texts": [s.text],
                              "page": row.page, "line_no": row.line_no})
            else:
                best["texts"].append(s.text)
                best["last"] = li
                best["x0"], best["x1"] = min(best["x0"], s.x0), max(best["x1"], s.x1)
    cells.sort(key=lambda c: (c["first"], c["x0"]))
    out: list[Row] = []
    groups: list[list[dict]] = []
    for c in cells:
        if groups and any(c["first"] <= g["last"] and g["first"] <= c["last"] for g in groups[-1]):
            groups[-1].append(c)
        else:
            groups.append([c])
    for g in groups:
        g.sort(key=lambda c: c["x0"])
        slots = [Slot("\n".join(c["texts"]), c["x0"], c["x1"]) for c in g]
        out.append(Row(g[0]["page"], slots, None, None, g[0]["line_no"]))
    return out


def _blocked(row: Row, s: Slot) -> bool:
    """A fragment on the line between overlaps the column: the cells are not one."""
    return any(min(o.x1, s.x1) - max(o.x0, s.x0) > 0 for o in row.slots)


def _label_beside(row: Row, s: Slot) -> bool:
    """The line holds a header label ending just left of this column."""
    return any(o.x1 <= s.x0 + 1 and s.x0 - o.x1 <= 8 and header_label(o.text) is not None for o in row.slots)
