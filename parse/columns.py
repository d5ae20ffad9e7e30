"""Indicator rows of a ruled grid: columns take their role from the header row.

The header row (一级指标 | 二级指标 | 三级指标 | 指标值 …) gives each role an x
range; every later row's cells are matched to roles by horizontal overlap, so a
continuation page with slightly different column edges still reads right.
level1/level2 are carried down over merged or blank cells (Word leaves merged
cells empty on a continuation page).
"""
from __future__ import annotations

import regex

from normalize.text import clean_text
from normalize.values import canonical_level1, canonical_level2, strip_annotation
from parse.labels import LABEL_MARK, column_role, squash
from parse.model import RawForm, RawIndicator
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

    def update(self, l1_text: str | None, l2_text: str | None, form: RawForm | None = None):
        c1 = canonical_level1(l1_text) if l1_text else None
        c2 = canonical_level2(l2_text) if l2_text else None
        if c1 is None and l1_text and c2 is None:
            # text overflowing a narrow cell: the level1 cell may hold both labels
            both = canonical_level2(l1_text)
            if both and not canonical_level1(l1_text):
                c2, l2_text = both, l1_text
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
    """Reads indicator rows of grids once a header row has given the roles."""

    def __init__(self, form: RawForm, roles):
        self.form = form
        self.roles = roles
        self.carry = LevelCarry()

    def feed(self, row: Row) -> None:
        cells = assign(row, self.roles)
        l1 = cells.get("l1")
        l2 = cells.get("l2")
        self.carry.update(l1.text if l1 else None, l2.text if l2 else None, self.form)
        name, value = cells.get("name"), cells.get("value")
        if name is None and value is None:
            return
        if (name is None or not name.start) and (value is None or not value.start):
            return  # a row inside a merged name/value cell: already read
        value_text = value.text if value else ""
        op, unit = cells.get("op"), cells.get("unit")
        if op is not None and OPERATOR_ONLY.match(squash(op.text)) and value_text.strip():
            value_text = squash(op.text) + value_text.strip()
        if unit is not None and squash(unit.text) and value_text.strip():
            u = squash(unit.text)
            if not squash(value_text).endswith(u):
                value_text = value_text.strip() + u
        conf = [s.confidence for s in cells.values() if s.confidence is not None]
        ind = indicator_from_cells(name.text if name else "", value_text, self.carry, self.form,
                                   row.page, _row_bbox(row, cells), min(conf) if conf else None)
        if ind is not None:
            ind.cell_ref = (name or value).ref
            keep_indicator(self.form, ind, row.page, {r: s.text for r, s in cells.items()})


def _row_bbox(row: Row, cells: dict[str, Slot]):
    name = cells.get("name")
    if name is not None and name.bbox is not None and row.bbox is not None:
        ys = [s.bbox for s in (cells.get("name"), cells.get("value")) if s is not None and s.bbox]
        return (min(b[0] for b in ys), min(b[1] for b in ys), max(b[2] for b in ys), max(b[3] for b in ys))
    return row.bbox
