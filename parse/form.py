"""Row stream -> forms: segmentation, header block, goals, indicator table.

Keyed on the form's structure only: a title ending in 绩效目标表 (or a
项目名称 label when there is no title) starts a form; header labels take the
cells after them as values; the indicator header row (一级指标 | 二级指标 |
三级指标 | 指标值) hands the rows that follow to an indicator strategy:
`columns` for ruled grids, `stream` for text dumps, `flat` for one-table
exports holding many projects.
"""
from __future__ import annotations

import regex

from extract.model import Document
from normalize.text import clean_text
from parse import flat, stream
from parse.columns import ColumnIndicators, header_roles
from parse.labels import (FURNITURE, GOAL_MARK, MONEY_UNIT, NOTE_LINE, TITLE, YEAR_IN, YEAR_LINE,
                          header_label, squash)
from parse.model import RawForm, RawGoal
from parse.rows import Row, document_rows

_LEADING_NUM = regex.compile(r"^\s*(?:\d+\s*[、.．]|[(（]\s*\d+\s*[)）])\s*")


def _title_of(row: Row) -> str | None:
    starts = [s for s in row.starts if squash(s.text)]
    if len(starts) != 1:
        return None
    t = squash(starts[0].text)
    if len(t) > 60 or not TITLE.search(t):
        return None
    return t


def _split_title(t: str) -> tuple[str, int | None]:
    m = regex.search(r"[(（]\s*(\d{4})\s*年度?\s*[)）]$", t)
    if m:
        return t[:m.start()], int(m.group(1))
    m = YEAR_IN.search(t)
    return t, (int(m.group(1)) if m else None)


class FormParser:
    def __init__(self, doc: Document):
        self.doc = doc
        self.forms: list[RawForm] = []
        self.cur: RawForm | None = None
        self.phase = "header"
        self.strategy = None
        self.pending_field: str | None = None
        self.money_unit: str | None = None

    # -- form boundaries ---------------------------------------------------
    def _new_form(self, title: str | None = None, year: int | None = None) -> RawForm:
        prev = self.cur
        f = RawForm(form_title=title, budget_year=year)
        if title is None and prev is not None:
            f.form_title, f.budget_year = prev.form_title, prev.budget_year
        f.money_unit = self.money_unit
        self.forms.append(f)
        self.cur = f
        self.phase = "header"
        self.strategy = None
        self.pending_field = None
        return f

    def _form(self) -> RawForm:
        return self.cur if self.cur is not None else self._new_form()

    # -- the row loop --------------------------------------------------------
    def run(self) -> list[RawForm]:
        for row in document_rows(self.doc):
            self._row(row)
        if self.strategy is not None and hasattr(self.strategy, "finish"):
            self.strategy.finish()
        for f in self.forms:
            _split_goals(f)
        return [f for f in self.forms if f.has_content()]

    def _row(self, row: Row) -> None:
        if row.blank:
            if self.phase == "indicators" and isinstance(self.strategy, stream.StreamIndicators):
                self.strategy.feed(row)
            return
        text = squash(row.text(""))
        if not text:
            return
        if row.grid is None and FURNITURE.match(text):
            return
        title = _title_of(row)
        if title:
            t, year = _split_title(title)
            if isinstance(self.strategy, flat.FlatIndicators):
                self.strategy.finish()
            if self.cur is not None and self.strategy is not None and hasattr(self.strategy, "finish") \
                    and not isinstance(self.strategy, flat.FlatIndicators):
                self.strategy.finish()
            if self.cur is None or self.cur.has_content() or self.cur.form_title:
                self._new_form(t, year)
            else:
                self.cur.form_title, self.cur.budget_year = t, year
            self.cur.pages.add(row.page)
            return
        m = YEAR_LINE.match(text)
        if m and self.cur is not None and self.phase == "header":
            self.cur.budget_year = self.cur.budget_year or int(m.group(1))
            return
        mu = MONEY_UNIT.search(text)
        if mu and row.grid is None and len(text) < 30:
            self.money_unit = mu.group(1) or mu.group(2)
            if self.cur is not None:
                self.cur.money_unit = self.money_unit
            return
        if self.phase == "flat":
            if self.strategy.feed(row):
                return
            self.strategy.finish()
            self.phase = "header"
            self.strategy = None
        roles = header_roles(row)
        if roles is not None:
            self._start_indicators(row, roles)
            return
        if self._header_row(row):
            return
        if self.phase == "indicators":
            if row.grid is None and NOTE_LINE.match(text):
                self.phase = "after"
                return
            self.strategy.feed(row)
            return
        if self.phase == "goals":
            if row.grid is None and len(text) <= 4 and stream.is_level_piece(text):
                return  # the stacked 绩/效/指/标 label printed before the table header
            self.cur.goal_text.append((row.text("\n"), row.page))
            self.cur.pages.add(row.page)
            return
        if self.cur is not None and row.grid is None and GOAL_MARK.search(text) and self.phase == "header":
            # layout dumps print goal lines before the label that sits mid-block
            self.cur.goal_text.append((row.text(" "), row.page))
            self.phase = "goals"
            return
        if self.cur is not None:
            self.cur.unplaced.append((clean_text(row.text(" ")), row.page))

    def _start_indicators(self, row: Row, roles) -> None:
        names = {r for r, _, _ in roles}
        if "project_name" in {flat.flat_role(s.text) for s in row.starts} and "l1" in names:
            form = self._form()
            self.strategy = flat.FlatIndicators(self, row, roles)
            self.phase = "flat"
            return
        form = self._form()
        if self.strategy is not None and self.phase == "indicators" and row.grid is not None \
                and isinstance(self.strategy, ColumnIndicators):
            self.strategy.roles = roles  # header repeated on a continuation page
            return
        if row.grid is None:
            self.strategy = stream.StreamIndicators(form, row, self.doc.layout_text)
        else:
            self.strategy = ColumnIndicators(form, roles)
        self.phase = "indicators"
        form.pages.add(row.page)

    def _header_row(self, row: Row) -> bool:
        """Label/value pairs of a header row. True if the row held a label."""
        starts = row.starts
        found = False
        i = 0
        while i < len(starts):
            lab = header_label(starts[i].text)
            if lab is None:
                i += 1
                continue
            field, inline = lab
            if field == "project_name" and self.cur is not None and (
                    self.cur.fields.get("project_name") or self.cur.indicators):
                if self.strategy is not None and hasattr(self.strategy, "finish"):
                    self.strategy.finish()
                self._new_form()
            form = self._form()
            found = True
            j = i + 1
            vals = [inline] if inline else []
            while j < len(starts) and header_label(starts[j].text) is None:
                vals.append(starts[j].text)
                j += 1
            value = clean_text(" ".join(vals))
            form.pages.add(row.page)
            if field == "goals":
                self.phase = "goals"
                if value:
                    form.goal_text.append((" ".join(vals) if row.grid is None else "\n".join(vals), row.page))
            else:
                if self.phase == "goals":
                    self.phase = "header"
                if field == "funds_block":
                    mu = MONEY_UNIT.search(squash(starts[i].text))
                    if mu:
                        form.money_unit = mu.group(1) or mu.group(2)
                elif value and not form.fields.get(field):
                    form.fields[field] = value
            i = j
        return found


def _split_goals(f: RawForm) -> None:
    """Goal text -> numbered goals (`目标N：`), wrapped lines joined."""
    if not f.goal_text:
        return
    page = f.goal_text[0][1]
    text = clean_text("\n".join(t for t, _ in f.goal_text))
    marks = list(GOAL_MARK.finditer(text))
    goals: list[RawGoal] = []
    if marks:
        head = text[:marks[0].start()].strip()
        if head and not regex.fullmatch(r"[\W_]*", head):
            goals.append(RawGoal(None, head, page))
        for k, m in enumerate(marks):
            end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
            body = text[m.end():end].strip()
            if body and not regex.fullmatch(r"[.…。·\s]*", body):
                goals.append(RawGoal(int(m.group(1)), body, page))
    else:
        body = text.strip()
        if body and not regex.fullmatch(r"[.…。·\s]*", body):
            goals.append(RawGoal(None, body, page))
    f.goals = goals


def parse_document(doc: Document) -> list[RawForm]:
    return FormParser(doc).run()
