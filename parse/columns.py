"""Indicator rows of a ruled grid: columns take their role from the header row.

The header row (一级指标 | 二级指标 | 三级指标 | 指标值 …) gives each role an x
range; every later row's cells are matched to roles by horizontal overlap, so a
continuation page with slightly different column edges still reads right.
level1/level2 are carried down over merged or blank cells (Word leaves merged
cells empty on a continuation page).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from normalize.text import clean_text
from normalize.values import canonical_level1, canonical_level2, split_levels, strip_annotation
from parse.labels import FURNITURE, LABEL_MARK, PAGE_OF, column_role, flat_role, header_label, squash
from parse.model import RawForm, RawIndicator
from parse.roles import ColumnEvidence, assign_roles, header_scores, level_word, strip_header
from parse.rows import Row, Slot

OPERATOR_ONLY = regex.compile(r"^(≥|≧|>=|≤|≦|<=|>|<|=|＞|＜|＝|大于等于|小于等于|大于|小于|等于)$")
L2_PARENT = {
    "数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标",
    "经济效益指标": "效益指标", "社会效益指标": "效益指标", "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标", "服务对象满意度指标": "满意度指标",
    "经济成本指标": "成本指标", "社会成本指标": "成本指标", "生态环境成本指标": "成本指标",
}
REQUIRED = regex.compile(r"必填")
_SPACES = regex.compile(r"\s+")
# no letter, digit or character: an empty template row ("……", or specks OCR read as ",*")
_NOTHING = regex.compile(r"^[\W_]*$")
_LABEL_ONLY = regex.compile(r"^指标\d+$")   # '指标2' whose colon was lost, nothing after it
TOTAL_ROW = regex.compile(r"^(总分|合计|总计|小计|得分合计)$")


def header_roles(row: Row) -> list[tuple[str, float, float]] | None:
    """Column roles of an indicator header row, or None if the row is not one."""
    roles = []
    for s in row.slots:
        if not s.start:
            continue
        r = column_role(s.text)
        if r:
            roles.append((r, s.x0, s.x1))
    names = {r for r, _, _ in roles}
    if ("name" in names and ({"l1", "l2", "value"} & names)) or {"l1", "l2"} <= names:
        return roles
    return None


def assign(row: Row, roles: list[tuple[str, float, float]]) -> dict[str, Slot]:
    """Each slot to the role it overlaps most (a slot fills at most one role)."""
    span: dict[str, float] = {}
    for role, x0, x1 in roles:
        span.setdefault(role, max(x1 - x0, 1e-6))
    out: dict[str, Slot] = {}
    best: dict[str, float] = {}
    for s in row.slots:
        sx0, sx1 = s.x0, s.x1
        pick, pick_ov = None, 0.0
        for role, x0, x1 in roles:
            ov = (sx1 if sx1 < x1 else x1) - (sx0 if sx0 > x0 else x0)
            if ov > pick_ov:
                pick, pick_ov = role, ov
        if pick is None or pick_ov < 0.3 * min(max(sx1 - sx0, 1e-6), span[pick]):
            continue
        if pick_ov > best.get(pick, 0.0):
            out[pick], best[pick] = s, pick_ov
    return out


class LevelCarry:
    """level1/level2 as read in the row or carried down from above."""

    def __init__(self):
        self.l1: str | None = None
        self.l2: str | None = None
        self.l2_raw: str | None = None

    def update(self, l1_text: str | None, l2_text: str | None, form: RawForm | None = None,
               l1_blank: bool = False, l1_column: bool | None = None):
        """l1_blank: the row's own level1 cell is empty; l1_column: the table has a level1
        column (False: none, so every level1 comes from the level2; None: not known)."""
        c1 = canonical_level1(l1_text) if l1_text else None
        c2 = canonical_level2(l2_text) if l2_text else None
        if l2_text and not c2:
            both = split_levels(l2_text)        # 产出数量指标: one cell naming both levels
            if both:
                c1, c2 = c1 or both[0], both[1]
        if c1 is None and l1_text and c2 is None:
            # text overflowing a narrow cell: the level1 cell may hold both labels
            both = canonical_level2(l1_text)
            if both and not canonical_level1(l1_text):
                c2, l2_text = both, l1_text
        if c1 is None and l1_column and l1_text and level_word(l1_text) == "l1":
            c1 = strip_annotation(squash(l1_text)) or None   # a framework word of its own (投入)
        if c1 and c1 != self.l1:
            self.l1 = c1
            if not c2:
                self.l2 = self.l2_raw = None
        if c2:
            self.l2 = c2
            self.l2_raw = strip_annotation(squash(l2_text))
            if form is not None and REQUIRED.search(squash(l2_text)):
                form.required_blocks.add(c2)
        elif l2_text and squash(l2_text) and not canonical_level1(l2_text):
            raw = strip_annotation(squash(l2_text))
            if raw:
                self.l2 = self.l2_raw = raw
        if (l1_blank or l1_column is False) and self.l2 in L2_PARENT:
            self.l1 = L2_PARENT[self.l2]        # no level1 written for this row: the framework's
        if self.l1 is None and self.l2 in L2_PARENT:
            self.l1 = L2_PARENT[self.l2]


def indicator_from_cells(name_text: str, value_text: str, carry: LevelCarry, form: RawForm,
                         page: int | None, bbox, confidence) -> RawIndicator | None:
    """Shared by every strategy: drop template rows, split off the `指标N：` label."""
    name = clean_text(name_text or "")
    label = None
    m = LABEL_MARK.match(name)
    if m:
        label = _SPACES.sub("", m.group(1))
        name = name[m.end():].lstrip(":：、，,.。 ")   # a doubled mark after the label (OCR)
    value = clean_text(value_text or "")
    if confidence is not None and not value and len(squash(name)) <= 2 \
            and not regex.search(r"[\p{Han}\d]", name):
        return None  # OCR: specks read as a mark or a letter ('、n'), no indicator
    if TOTAL_ROW.match(squash(name)):
        return None  # 总分 / 合计: a sum row, not an indicator
    if (_NOTHING.match(squash(name)) or _LABEL_ONLY.match(squash(name))) and _NOTHING.match(squash(value)):
        if carry.l2:
            form.template_rows[carry.l2] = form.template_rows.get(carry.l2, 0) + 1
        return None
    if label:
        k = (carry.l2, label)
        form.label_counts[k] = form.label_counts.get(k, 0) + 1
    return RawIndicator(carry.l1, carry.l2, carry.l2_raw, label, name, value, page, bbox, confidence)


# columns an indicator row may carry besides its value, and the attribute each fills
EXTRA_COLUMNS = (("actual", "actual_raw"), ("weight", "weight_raw"), ("score", "score_raw"),
                 ("value_long", "value_long_term_raw"))


def keep_indicator(form: RawForm, ind: RawIndicator, page, extras: dict[str, str]) -> None:
    """Add an indicator to its form with the texts of its extra columns (shared by
    every strategy: 实际完成值, 分值, 得分, 长期指标值)."""
    for role, attr in EXTRA_COLUMNS:
        text = extras.get(role)
        if text and text.strip():
            setattr(ind, attr, text)
    form.indicators.append(ind)
    form.pages.add(page)


class ColumnIndicators:
    """Reads the indicator rows of a ruled table once all of it is known: the columns
    are found from the data rows' cells, their roles from headers and contents together
    (parse/roles.py), then every row is read by those roles."""

    def __init__(self, form: RawForm, table: "GridTable"):
        self.form = form
        self.table = table
        self.carry = LevelCarry()

    def read(self) -> list[tuple[str, str, str]]:
        """Add the table's indicators to the form; returns findings for `issues`."""
        t = self.table
        cols = table_columns(t)
        if not cols:
            return []
        ev = [ColumnEvidence(_header_pieces(t, c), [], len(t.data)) for c in cols]
        mapped = [map_row(row, cols) for row in t.data]
        for m in mapped:
            for k, sl in m.items():
                if sl.start:
                    ev[k].cells.append(sl.text)
        choices = assign_roles(ev)
        roles = {ch.role: k for k, ch in enumerate(choices) if ch.role}
        self.form.column_roles |= set(roles)
        findings = [("warning", "column_role_uncertain", f"indicator table column {k + 1}: {ch.why}")
                    for k, ch in enumerate(choices) if ch.uncertain]
        if "name" not in roles and "l2name" not in roles:
            return findings + [("error", "column_role_uncertain",
                                "indicator table: no column holds the indicators' names; its rows were not read")]
        for row, m in zip(t.data, mapped):
            self._row(row, {r: m.get(k) for r, k in roles.items()})
        return findings

    def _row(self, row: Row, cells: dict[str, Slot | None]) -> None:
        if any(sl.start and TOTAL_ROW.match(squash(sl.text)) for sl in row.slots):
            return  # 总分 / 合计: a sum row
        l1, l2 = cells.get("l1"), cells.get("l2")
        name = cells.get("name") or cells.get("l2name")
        if "l2name" in cells and name is not None:
            l2 = name
        self.carry.update(l1.text if l1 else None, l2.text if l2 else None, self.form,
                          l1_blank=l1 is not None and l1.start and not squash(l1.text),
                          l1_column="l1" in cells)
        value = cells.get("value")
        if name is None and value is None:
            return
        if (name is None or not name.start) and (value is None or not value.start):
            return  # a row inside a merged name/value cell: already read
        value_text = value.text.strip() if value is not None and value.start else ""
        op, unit = cells.get("op"), cells.get("unit")
        if op is not None and OPERATOR_ONLY.match(squash(op.text)) and value_text:
            value_text = squash(op.text) + value_text
        if unit is not None and squash(unit.text) and value_text:
            u = squash(unit.text)
            if not squash(value_text).endswith(u):
                value_text = value_text + u
        label = cells.get("label")
        name_text = name.text if name is not None and name.start else ""
        present = [sl for sl in cells.values() if sl is not None]
        conf = [sl.confidence for sl in present if sl.confidence is not None]
        ind = indicator_from_cells(name_text, value_text, self.carry, self.form, row.page,
                                   _row_bbox(row, {"name": name, "value": value} if name else {}),
                                   min(conf) if conf else None)
        if ind is not None:
            ind.cell_ref = (name or value).ref
            if label is not None and label.start and squash(label.text) and ind.label is None:
                ind.label = squash(label.text).rstrip(":：")   # a column of its own: 目标1, 指标2
            keep_indicator(self.form, ind, row.page,
                           {r: sl.text for r, sl in cells.items() if sl is not None and sl.start})


@dataclass
class GridTable:
    """An indicator table of ruled grids: its header rows (none when the table has no
    header) and its data rows, possibly over several pages' grids."""
    header: list[Row]
    data: list[Row]
    findings: list[tuple[str, str, str]] = field(default_factory=list)   # what rebuilding it left unsure


def _span(sl: Slot) -> tuple[float, float]:
    return sl.x0, max(sl.x1, sl.x0 + 1e-6)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return min(a[1], b[1]) - max(a[0], b[0])


def table_columns(t: GridTable) -> list[tuple[float, float]]:
    """The table's columns: the x ranges its data cells start in, clustered; a cell
    spanning two or more of them (a note row, a caption) makes no column of its own."""
    spans = sorted(_span(sl) for row in t.data for sl in row.slots if sl.start)
    clusters: list[list[tuple[float, float]]] = []
    for sp in spans:
        for cl in clusters:
            rep = cl[0]
            if _overlap(rep, sp) >= 0.6 * min(rep[1] - rep[0], sp[1] - sp[0]) and \
                    _overlap(rep, sp) >= 0.5 * max(rep[1] - rep[0], sp[1] - sp[0]):
                cl.append(sp)
                break
        else:
            clusters.append([sp])
    reps = []
    for cl in clusters:
        xs0 = sorted(a for a, _ in cl)
        xs1 = sorted(b for _, b in cl)
        reps.append((xs0[len(xs0) // 2], xs1[len(xs1) // 2], len(cl)))
    out = []
    for x0, x1, n in reps:
        inside = [r for r in reps if r[0] >= x0 - 1e-6 and r[1] <= x1 + 1e-6 and r != (x0, x1, n)
                  and r[1] - r[0] < x1 - x0]
        if len(inside) >= 2 and sum(r[2] for r in inside) > n:
            continue   # spans columns that are there on their own
        out.append((x0, x1))
    out.sort()
    return out


def map_row(row: Row, cols: list[tuple[float, float]]) -> dict[int, Slot]:
    """Each slot of a row to the column it overlaps most (a column keeps its best slot)."""
    out: dict[int, Slot] = {}
    best: dict[int, float] = {}
    for sl in row.slots:
        sp = _span(sl)
        k, ov = None, 0.0
        for i, c in enumerate(cols):
            o = _overlap(sp, c)
            if o > ov:
                k, ov = i, o
        if k is None or ov < 0.3 * min(sp[1] - sp[0], cols[k][1] - cols[k][0]):
            continue
        if ov > best.get(k, 0.0):
            out[k], best[k] = sl, ov
    return out


def _header_pieces(t: GridTable, col: tuple[float, float]) -> list[str]:
    """Header texts above a column, top to bottom; a caption across the whole table is not one."""
    if not t.header:
        return []
    width = max(c for row in t.data for sl in row.slots for c in (sl.x1,)) - \
        min(c for row in t.data for sl in row.slots for c in (sl.x0,))
    out: list[str] = []
    for row in t.header:
        for sl in row.slots:
            if not sl.start or not squash(sl.text):
                continue
            sp = _span(sl)
            if sp[1] - sp[0] >= 0.8 * width:
                continue
            if _overlap(sp, col) >= 0.5 * min(col[1] - col[0], sp[1] - sp[0]):
                out.append(sl.text)
    return out


def _row_bbox(row: Row, cells: dict[str, Slot]):
    name = cells.get("name")
    if name is not None and name.bbox is not None and row.bbox is not None:
        ys = [s.bbox for s in (cells.get("name"), cells.get("value")) if s is not None and s.bbox]
        return (min(b[0] for b in ys), min(b[1] for b in ys), max(b[2] for b in ys), max(b[3] for b in ys))
    return row.bbox


# -- where the tables are ------------------------------------------------------------------------

# header fields that open a form's header block: a data row starting with one ends a table
_BLOCK_FIELDS = ("project_name", "department", "implementing_unit", "funds_block", "funds_total",
                 "project_attribute", "project_period", "leader", "category", "nature", "signoff")


def header_evidence(row: Row) -> tuple[int, bool]:
    """(cells naming a column role, whether one names a level, name or value column
    outright) for a row that may be an indicator table's header. Header-block labels
    (项目名称, 绩效目标 …) are not column headers."""
    n, core = 0, False
    for sl in row.slots:
        if not sl.start or not squash(sl.text) or header_label(sl.text) is not None:
            continue
        if level_word(sl.text):
            return 0, False   # a category word (数量指标): a data row
        sc = header_scores(sl.text)
        if not sc:
            continue
        n += 1
        if any(sc.get(r, 0) >= 3.0 for r in ("l1", "l2", "name", "value")):
            core = True
    return n, core


def _is_header(row: Row) -> bool:
    n, core = header_evidence(row)
    return (n >= 2 and core) or header_roles(row) is not None


def _category_row(row: Row) -> bool:
    """A data row of a table without a header: a framework category word starting in it,
    beside 2+ other cells."""
    filled = [sl for sl in row.slots if squash(sl.text)]
    return len(filled) >= 3 and any(sl.start and level_word(sl.text) for sl in filled[:3])


def _is_indicator_table(header: list[Row], data: list[Row]) -> bool:
    """A header naming a value column, or category words down the rows (数量指标 …):
    a table of names alone (支出项目名称 | 预算金额) is another kind of table."""
    if any(header_roles(h) is not None for h in header):
        return True
    if any(header_scores(sl.text).get("value", 0) >= 3.0 for h in header for sl in h.starts):
        return True
    return sum(1 for r in data if any(sl.start and level_word(sl.text) for sl in r.slots)) >= 2


def _flat_header(row: Row) -> bool:
    tokens = [t for s in row.starts for t in s.text.split()]
    names = {r for r, _, _ in (header_roles(row) or [])}
    return "project_name" in {flat_role(t) for t in tokens} and "l1" in names


def _ends_table(row: Row) -> bool:
    for sl in row.starts:
        if not squash(sl.text):
            continue
        lab = header_label(sl.text)
        return lab is not None and lab[0] in _BLOCK_FIELDS
    return False


def find_tables(rows: list[Row]) -> dict[int, tuple[GridTable, int]]:
    """Indicator tables of ruled grids, found by their structure: a header row naming
    column roles (or, without one, rows holding framework category words beside names
    and values), then the rows below it, over page breaks, until a form's header block,
    a title or free text. Returns {index of the table's first row: (table, index after it)}."""
    out: dict[int, tuple[GridTable, int]] = {}
    i, n = 0, len(rows)
    flat = False     # inside a flat export (flat.py reads it, header or not on later pages)
    while i < n:
        row = rows[i]
        if row.grid is None or row.blank:
            i += 1
            continue
        header: list[Row] = []
        if _flat_header(row):
            flat = True
            i += 1
            continue
        if _is_header(row) and not flat:
            header = [row]
            j = i + 1
            # a second header row under merged parents (指标值 over 计算符号 | 目标值 | 度量单位)
            while j < n and rows[j].grid is not None and len(header) < 3 and _header_continues(rows[j]):
                header.append(rows[j])
                j += 1
        elif not flat and _category_row(row) and i + 1 < n and any(
                r.grid is not None and _category_row(r) for r in rows[i + 1:i + 4]):
            j = i
        else:
            i += 1
            continue
        data: list[Row] = []
        k = j
        while k < n:
            r = rows[k]
            text = squash(r.text(""))
            if r.grid is None:
                if r.blank or not text or FURNITURE.match(text) or PAGE_OF.search(text):
                    k += 1
                    continue
                break
            if _ends_table(r):
                break
            if _is_header(r):
                if data and not _same_header(r, header):
                    break    # another table's header
                k += 1       # the header repeated on a continuation page
                continue
            if _header_piece(r):
                k += 1       # a piece of it (the caption 绩效指标 of a two-row header, repeated)
                continue
            data.append(r)
            k += 1
        if data and _is_indicator_table(header, data):
            out[i] = (GridTable(header, data), k)
            i = k
        else:
            i += 1
    return out


def _header_piece(row: Row) -> bool:
    """Only column-header words and nothing else (no category word, no value)."""
    starts = [sl for sl in row.starts if squash(sl.text)]
    return bool(starts) and len(starts) <= 2 and all(
        header_scores(sl.text) and header_label(sl.text) is None and not level_word(sl.text) for sl in starts)


def _header_continues(row: Row) -> bool:
    """A row of column headers under the first one: every new cell in it names a role."""
    starts = [sl for sl in row.starts if squash(sl.text)]
    return bool(starts) and all(header_scores(sl.text) and header_label(sl.text) is None for sl in starts) \
        and not any(level_word(sl.text) for sl in starts)


def _same_header(row: Row, header: list[Row]) -> bool:
    """The header repeated on a continuation page: the same column words (a vertical caption
    beside them, 绩效指标, may be there or not)."""
    if not header:
        return False

    def words(r: Row) -> list[str]:
        return [strip_header(sl.text) for sl in r.starts
                if max(header_scores(sl.text).values(), default=0.0) >= 1.5]
    mine = words(row)
    known = {w for h in header for w in words(h)}
    # the whole header again, or one of its rows (a two-row header repeats its lower row)
    return bool(mine) and (any(mine == words(h) for h in header) or set(mine) <= known)
