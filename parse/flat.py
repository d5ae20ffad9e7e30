"""The 预算管理一体化 flat export: one wide table holding many projects.

单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 | 二级指标 | 三级指标 | … The
project columns are merged down over the project's indicator rows; a row
with a 单位名称 and an amount but no 项目名称 is the department's total.
"""
from __future__ import annotations

from normalize.text import clean_text
from parse.columns import (OPERATOR_ONLY, LevelCarry, _row_bbox, assign, header_roles, indicator_from_cells,
                           keep_indicator)
from parse.labels import flat_role, split_code, squash
from parse.rows import Row


class FlatIndicators:
    def __init__(self, parser, header: Row, roles):
        self.parser = parser
        extra = []
        for s in header.starts:
            r = flat_role(s.text)
            if r and not any(x0 <= (s.x0 + s.x1) / 2 <= x1 for _, x0, x1 in roles):
                extra.append((r, s.x0, s.x1))
        self.roles = list(roles) + extra
        self.title = parser.cur.form_title if parser.cur else None
        self.year = parser.cur.budget_year if parser.cur else None
        self.department: tuple[str | None, str] | None = None
        self.project_key: int | None = None
        self.project_page: int | None = None
        self.unit_text: str | None = None
        self.form = parser.cur
        self.used_template = False
        self.carry = LevelCarry()

    def feed(self, row: Row) -> bool:
        """Consume a row of the table; False when the row is not part of it."""
        if row.grid is None:
            return False
        if header_roles(row) is not None:
            return True  # the header repeated on a continuation page
        cells = assign(row, self.roles)
        proj = cells.get("project_name")
        unit = cells.get("unit_name")
        budget = cells.get("budget")
        name, value = cells.get("name"), cells.get("value")
        has_indicator = any(s is not None and s.start and squash(s.text) for s in (name, value))
        if not has_indicator and budget is not None and squash(budget.text):
            # a row with an amount but no indicator is the department's total
            who = unit if unit is not None and squash(unit.text) else proj
            if who is not None and squash(who.text):
                self.department = split_code(clean_text(who.text))
                return True
        if proj is not None and squash(proj.text) and proj.key != self.project_key:
            if self.form is not None and squash(proj.text) == squash(self.form.fields.get("project_name")) \
                    and row.page != self.project_page:
                self.project_key = proj.key  # the merged project cell continues on a new page
            else:
                self._new_project(row, cells)
        if proj is not None:
            self.project_page = row.page
        if self.form is None or self.project_key is None:
            return True
        self.carry.update(_text(cells, "l1"), _text(cells, "l2"), self.form)
        value_text = value.text if value else ""
        op, u = cells.get("op"), cells.get("unit")
        if op is not None and OPERATOR_ONLY.match(squash(op.text)) and value_text.strip():
            value_text = squash(op.text) + value_text.strip()
        if u is not None and squash(u.text) and value_text.strip():
            value_text = value_text.strip() + squash(u.text)
        conf = [s.confidence for s in cells.values() if s.confidence is not None]
        ind = indicator_from_cells(name.text if name else "", value_text, self.carry, self.form,
                                   row.page, _row_bbox(row, cells), min(conf) if conf else None)
        if ind is not None:
            ind.cell_ref = (name or value).ref if (name or value) is not None else None
            keep_indicator(self.form, ind, row.page, {r: s.text for r, s in cells.items()})
        return True

    def _new_project(self, row: Row, cells) -> None:
        if self.form is not None and not self.form.has_content():
            form = self.form  # the empty form the title opened
        else:
            form = self.parser._new_form(self.title, self.year)
            self.parser.phase = "flat"
            self.parser.strategy = self
        form.form_title, form.budget_year = self.title, self.year
        form.money_unit = self.parser.money_unit or "元"
        proj = cells["project_name"]
        self.project_key = proj.key
        form.fields["project_name"] = clean_text(proj.text)
        unit = cells.get("unit_name")
        unit_text = clean_text(unit.text) if unit is not None and squash(unit.text) else self.unit_text
        if unit_text:
            self.unit_text = unit_text  # a merged unit cell is blank on later pages
            code, name = split_code(unit_text)
            form.fields["implementing_unit"] = name
            if self.department is None:
                form.fields["department"] = name
                if code:
                    form.fields["department_code"] = code
        if self.department is not None:
            code, name = self.department
            form.fields["department"] = name
            if code:
                form.fields["department_code"] = code
        b = cells.get("budget")
        if b is not None and squash(b.text):
            form.fields["funds_total"] = squash(b.text)
        g = cells.get("goal")
        if g is not None and squash(g.text):
            form.goal_text.append((g.text, row.page))
        form.pages.add(row.page)
        self.form = form
        self.carry = LevelCarry()

    def finish(self) -> None:
        pass


def _text(cells, role):
    s = cells.get(role)
    return s.text if s is not None else None
