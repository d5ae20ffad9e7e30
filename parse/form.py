"""Row stream -> forms: segmentation, header block, goals, indicator table.

Keyed on the form's structure only: a title ending in 绩效目标表 (or a
项目名称 label when there is no title) starts a form; header labels take the
cells after them as values; the indicator header row (一级指标 | 二级指标 |
三级指标 | 指标值) hands the rows that follow to an indicator strategy:
`columns` for ruled grids, `stream` for text dumps, `flat` for one-table
exports holding many projects.
"""
from __future__ import annotations

import collections

import regex

from extract.model import Document
from normalize.text import clean_text
from normalize.values import contradicts_name, is_unit, parse_value, strip_annotation
from parse.roles import is_outcome
from parse import cellstream, flat, flat_text, layout_cells, layout_grid, pipe_grid, stream, textflow, unglue
from parse.columns import ColumnIndicators, GridTable, find_tables, header_roles
from parse.labels import (AMOUNT, FURNITURE, GOAL_ACTUAL, GOAL_COLUMN, GOAL_MARK, MONEY_UNIT, NOTE_LINE, ORG_END, PAGE_OF,
                          SITE_FURNITURE, TITLE, YEAR_IN, YEAR_LINE, column_prefix, column_role, flat_role,
                          funds_column, header_label, split_code, squash)
from parse.model import RawForm, RawGoal
from parse.rows import Row, Slot, document_rows

_LEADING_NUM = regex.compile(r"^\s*(?:\d+\s*[、.．]|[(（]\s*\d+\s*[)）])\s*")


def _title_of(row: Row) -> str | None:
    starts = [s for s in row.starts if squash(s.text)]
    # a text dump's line cut where the PDF changed font (2022 | 年度…自评表) is one cell again
    if len(starts) > 1 and row.grid is None and all(
            cellstream._SOFT.search(a.text.strip()[-1:] + b.text.strip()[:1]) for a, b in zip(starts, starts[1:])):
        t = squash("".join(s.text for s in starts))
    elif len(starts) != 1:
        return None
    else:
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
        self.money_unit: str | None = None
        self.funds_cols = None
        self.goal_x = None
        self.goal_label = None     # (key of the goals label's cell, whether text stood beside it)
        self.goal_cols: list[bool] = []   # a copied table's goal columns in order (True: what was done)
        self.goal_cell = 0                # the goal cells read so far under them, a cell per line
        self.goal_gap = False             # a blank line after goal text (a paragraph dump's block ended)
        self.actual_block = False  # a text dump's goals: this block is the 完成情况综述 column's text
        self.pending = None        # (kind, form, field, width): a raw dump's cell going on to the next line
        self.cut_off = None        # the last such cell a label's line interrupted
        self._raw_dump = doc.file_type == "text" and not doc.layout_text
        self.cell_rows = doc.pipe_table     # a line is a table row of cells ('|' copies, glued copies cut)
        self.wrap_widths: list[float] = []   # shared by the document's stream tables

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
        self.funds_cols = None
        self.goal_x = None
        self.goal_label = None
        self.goal_cols, self.goal_cell, self.goal_gap = [], 0, False
        self.cut_off = None
        self.actual_block = False
        return f

    def _form(self) -> RawForm:
        return self.cur if self.cur is not None else self._new_form()

    # -- the row loop --------------------------------------------------------
    def run(self) -> list[RawForm]:
        rows = document_rows(self.doc)
        grids: dict[int, tuple[GridTable, int]] = {}
        if self.doc.layout_text:
            rows, grids = _layout_grids(rows)
        elif self.doc.file_type == "text":
            if not self.doc.pipe_table and unglue.is_glued([r.text(" ") for r in rows]):
                rows = _unglued(rows)
                self.cell_rows = True
                rows = _merge_cell_lines(pipe_grid.regrid(rows))
            elif self.doc.pipe_table:
                rows = _merge_cell_lines(pipe_grid.regrid(rows))
            else:
                rows, grids = _flow_grids(pipe_grid.regrid(rows))
        self.prev_row = None
        self.page_ends = _page_end_rows(rows) if self.doc.file_type == "text" else set()
        tables = {**(find_tables(rows) if any(r.grid is not None for r in rows) else {}), **grids}
        texts = cellstream.find_text_tables(rows, lambda r: bool(_title_of(r))) \
            if self.doc.file_type == "text" and not self.doc.layout_text else {}
        paras = cellstream.paragraph_mode(rows)
        i = 0
        while i < len(rows):
            hit = tables.get(i)
            if hit is not None:
                self._table(hit[0])
                self.prev_row = rows[hit[1] - 1]
                i = hit[1]
                continue
            hit = texts.get(i)
            if hit is not None and self.phase != "flat":
                self._text_table(*hit[:2], paras, hit[3] if len(hit) > 3 else None)
                self.prev_row = rows[hit[2] - 1]
                i = hit[2]
                continue
            self._row(rows[i])
            self.prev_row = rows[i]
            i += 1
        if self.strategy is not None and hasattr(self.strategy, "finish"):
            self.strategy.finish()
        _late_titles(self.forms)
        for f in self.forms:
            _coded_unit(f)
            if self.doc.file_type == "text":
                _unit_for_goal(f)
            _drop_misread_rows(f, self.doc.file_type == "text" and not self.cell_rows)
            _weights_to_total(f)
            _split_goals(f)
            if f.budget_year is None:
                _infer_year(f)
        return [f for f in self.forms if f.has_content()]

    def _row(self, row: Row) -> None:
        if row.blank:
            self.actual_block = False
            self.goal_gap = self.phase == "goals" and self.cur is not None and bool(self.cur.goal_text)
            if isinstance(self.strategy, (stream.StreamIndicators, flat_text.FlatTextIndicators)):
                self.strategy.feed(row)
            return
        text = squash(row.text(""))
        if not text:
            return
        if row.grid is None and self.doc.file_type == "text" and SITE_FURNITURE.search(text) and len(text) < 80:
            return  # the web site's own lines around a copied form
        if row.grid is None and (FURNITURE.match(text) or PAGE_OF.search(text)) \
                and (self.phase != "flat" or isinstance(self.strategy, flat.FlatIndicators)) \
                and not self._value_not_page_number(row, text) \
                and not (self.pending is not None and self.pending[0] == "value" and text.isdigit()):
            return  # (a ruled flat table goes on past the page number; a dump's lone number may be its own)
        title = _title_of(row)
        if title:
            head = self._title_head(row)
            if head:
                title = head + title
                if self.cur is not None and self.cur.unplaced and self.cur.unplaced[-1][0] == head:
                    self.cur.unplaced.pop()
            t, year = _split_title(title)
            if self.strategy is not None and hasattr(self.strategy, "finish"):
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
        if mu and row.grid is None and len(row.starts) == 1 and len(text) < 30:
            self.money_unit = mu.group(1) or mu.group(2)
            if self.cur is not None:
                self.cur.money_unit = self.money_unit
            return
        pending, self.pending = self.pending, None
        if pending is not None and self._pending_value(row, text, pending):
            return
        if pending is not None and pending[0] == "more":
            self.cut_off = pending     # a value that may go on after the label that cut it off
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
        held = self._header_row(row)
        if pending is not None and pending[0] == "value" and self.pending is None \
                and not pending[1].fields.get(pending[2]) and self._bare_labels(row):
            # a column of labels, then a column of values (项目主管部门 | 项目实施内容 | 年度绩效目标,
            # then 罗湖区住房和建设局): the first value after them is still the first label's, if no
            # sentence (width -1: held; a goals label among them has its text come too)
            self.pending = (pending[0], pending[1], pending[2], -1)
        if held:
            return
        if self.phase == "indicators":
            if row.grid is None and NOTE_LINE.match(text):
                self.phase = "after"
                return
            self.strategy.feed(row)
            return
        if self.phase == "goals" and row.grid is not None and not self._goal_row(row):
            self.phase = "header"    # a new labelled block under the goals: not goal text
            if self.cur is not None:
                self.cur.unplaced.append((clean_text(row.text(" ")), row.page))
            return
        if row.grid is None and self.doc.file_type == "text" and self._text_goals(row, text):
            return
        if self.phase == "goals":
            self.goal_gap = False
            if self.goal_x is not None and row.grid is not None:
                gx0, gx1 = self.goal_x
                parts = [sl.text for sl in row.starts if min(sl.x1, gx1) - max(sl.x0, gx0) > 0.5 * (gx1 - gx0)]
                if parts:
                    self.cur.goal_text.append(("\n".join(parts), row.page))
                return
            if row.grid is None and len(text) <= 4 and stream.is_level_piece(text):
                return  # the stacked 绩/效/指/标 label printed before the table header
            if row.grid is None and _TABLE_CAPTION.match(text):
                self.phase = "header"
                return  # the indicator table's caption (绩效指标(权重分值90分,…)): the goals end
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

    def _text_goals(self, row: Row, text: str) -> bool:
        """The goals block of a text dump or copy, where no positions tell its columns apart
        (预期目标 | 实际完成情况): True when the line was taken care of here."""
        if self.phase == "goals" and (self.actual_block or GOAL_COLUMN.fullmatch(text)):
            if self.cell_rows and GOAL_COLUMN.fullmatch(text):
                self.goal_cols.append(bool(GOAL_ACTUAL.search(text)))
            return True   # (the actual column's text, or a column word alone: 年初设定目标)
        if self.phase == "goals" and not self.cur.goal_text and funds_column(text):
            self.phase = "header"    # a funds matrix's column word (全年预算) under the goals' label: no
            self.cur.unplaced.append((clean_text(row.text(" ")), row.page))   # goal text came yet
            return True
        if self.phase == "header" and self.cur is not None and not self.cur.goal_text \
                and GOAL_COLUMN.fullmatch(text) and not GOAL_ACTUAL.search(text):
            self.phase, self.actual_block = "goals", False   # 年初设定目标 alone: the planned goals follow
            return True
        if self.phase == "goals" and self.cell_rows and len(self.goal_cols) >= 2:
            # a copied table's goal cells under 年初设定目标 | …完成情况综述: the planned ones are goals
            # (a row of them, or a cell per line in the columns' turn)
            if len(row.starts) == len(self.goal_cols):
                parts = [sl.text for sl, done in zip(row.starts, self.goal_cols) if not done]
            else:
                done = self.goal_cols[self.goal_cell % len(self.goal_cols)]
                self.goal_cell += 1
                parts = [] if done else [row.text(" ")]
            if parts:
                self.cur.goal_text.append((" ".join(parts), row.page))
            return True
        if self.phase == "goals" and self.goal_gap and not self.cell_rows \
                and any(GOAL_MARK.match(squash(t)) for t, _ in self.cur.goal_text) \
                and not GOAL_MARK.match(text) and not (len(text) <= 4 and stream.is_level_piece(text)):
            # numbered goals (目标1：…) ended with their paragraph: a paragraph after them that no
            # number opens is another column's (实际完成情况) or another block's
            self.phase = "header"
            self.cur.unplaced.append((clean_text(row.text(" ")), row.page))
            return True
        return False

    def _table(self, table: GridTable) -> None:
        """A ruled indicator table, read whole: its columns' roles need all its rows."""
        if self.strategy is not None and hasattr(self.strategy, "finish"):
            self.strategy.finish()
        form = self._form()
        for r in table.header + table.data:
            form.pages.add(r.page)
        form.findings.extend(ColumnIndicators(form, table).read())
        form.findings.extend(table.findings)
        self.phase = "header"
        self.strategy = None

    def _text_table(self, heads: list[str], rows: list[Row], paragraphs: bool,
                    level_runs: list[tuple[str, int]] | None = None) -> None:
        """A text dump's indicator table, rebuilt from its cells (parse/cellstream.py)."""
        if self.strategy is not None and hasattr(self.strategy, "finish"):
            self.strategy.finish()
        form = self._form()
        for r in rows:
            if not r.blank:
                form.pages.add(r.page)
        rows = self._header_lines_in(rows)
        reader = cellstream.CellStreamIndicators(form, heads, rows, paragraphs, self.cell_rows, level_runs)
        form.findings.extend(reader.read())
        if self.phase == "goals" and not form.goal_text:
            form.goal_text.extend((t, None) for t in reader.stray)
        self.phase = "header"
        self.strategy = None

    def _header_lines_in(self, rows: list[Row]) -> list[Row]:
        """pdftotext may write lines of the header block among the table's (a funds row after the
        table's header): they are read as header lines, with the value line after a label, and
        left out of the table."""
        keep: list[Row] = []
        phase = self.phase
        k = 0
        while k < len(rows):
            r = rows[k]
            first = next((sl.text for sl in r.starts if squash(sl.text)), "")
            y = _YEAR_NOTE.match(squash(r.text("")))
            if y and self.cur is not None and not self.cur.budget_year:
                self.cur.budget_year = int(y.group(1))   # the title's (2019年度), printed in the table
                k += 1
                continue
            lab = header_label(first) if first else None
            if lab is not None and lab[0] in _BLOCK_LINES:
                self._row(r)
                k += 1
                while k < len(rows) and rows[k].blank:
                    k += 1
                nxt = rows[k] if k < len(rows) else None
                if nxt is not None and self.pending is not None and len(nxt.starts) == 1 \
                        and cellstream.shape(nxt.starts[0].text) in ("N", "V"):
                    self._row(nxt)      # the label's value, written on the next line
                    k += 1
                self.pending = None
                continue
            keep.append(r)
            k += 1
        self.phase = phase
        return keep

    def _start_indicators(self, row: Row, roles) -> None:
        names = {r for r, _, _ in roles}
        tokens = [t for s in row.starts for t in s.text.split()]
        if "project_name" in {flat_role(t) for t in tokens} and "l1" in names:
            self._form()
            if row.grid is None:
                above = self.prev_row if self.prev_row is not None and self.prev_row.line_no == row.line_no - 1 \
                    else None
                self.strategy = flat_text.FlatTextIndicators(self, row, above)
            else:
                self.strategy = flat.FlatIndicators(self, row, roles)
            self.phase = "flat"
            return
        if row.grid is not None:
            return  # a ruled table's header with no rows under it (find_tables reads the others)
        form = self._form()
        if row.grid is None:
            carry = (None, None)
            if self.phase == "indicators" and isinstance(self.strategy, stream.StreamIndicators):
                # the header repeated on a new page: read the rows so far, keep their levels
                self.strategy.finish()
                carry = self.strategy.carry
            self.strategy = stream.StreamIndicators(form, row, self.doc.layout_text, carry, self.wrap_widths)
        self.phase = "indicators"
        form.pages.add(row.page)

    def _header_row(self, row: Row) -> bool:
        """Label/value pairs of a header row. True if the row held a label."""
        starts = row.starts
        cols = [(r, s.x0, s.x1) for s in starts for r in [funds_column(s.text)] if r]
        if len(cols) >= 2 and (row.grid is not None or self.cell_rows):
            # a funds matrix (年初预算数 | 全年预算数 | 全年执行数 …): values are read by column
            # (in a copied table, where no positions are, by their order)
            self.funds_cols = cols
            lab = header_label(starts[0].text)
            if lab and lab[0] == "funds_block":
                mu = MONEY_UNIT.search(squash(starts[0].text))
                if mu:
                    self._form().money_unit = mu.group(1) or mu.group(2)
            return True
        found = False
        i = 0
        while i < len(starts):
            lab = header_label(starts[i].text)
            if lab is None:
                i += 1
                continue
            field, inline = lab
            if field in ("other", "signoff"):
                j = i + 1
                while j < len(starts) and not _is_label(starts[j].text):
                    j += 1
                i = j
                continue
            if field == "project_name" and self.cur is not None and (
                    self.cur.fields.get("project_name") or self.cur.indicators):
                if self.strategy is not None and hasattr(self.strategy, "finish"):
                    self.strategy.finish()
                self._new_form()
            form = self._form()
            found = True
            j = i + 1
            vals = [inline] if inline else []
            while j < len(starts) and not _is_label(starts[j].text):
                vals.append(starts[j].text)
                j += 1
            if field not in ("goals", "basis"):
                vals = _cut_runon(vals)
            value = clean_text(" ".join(vals))
            form.pages.add(row.page)
            if field in FUNDS_FIELDS and self.funds_cols and (row.grid is not None or self.cell_rows):
                by_col = _by_column(starts[i + 1:j], self.funds_cols) if row.grid is not None \
                    else {r: sl.text for (r, _, _), sl in zip(self.funds_cols, starts[i + 1:j])}
                budget = by_col.get("budget_full") or by_col.get("budget_initial")
                if budget and not form.fields.get(field):
                    form.fields[field] = clean_text(budget)
                if field == "funds_total" and by_col.get("executed"):
                    form.fields["funds_executed"] = clean_text(by_col["executed"])
                i = j
                continue
            if field == "goals" and row.grid is None and value and GOAL_COLUMN.fullmatch(squash(value)):
                # a text dump's goals label beside a column word (年度总体目标 | 完成情况综述): the
                # block under an actual column's word is what was done, not a goal
                self.phase = "goals"
                self.goal_label = None
                # (after a planned column's word on the line, 年初设定目标 | …完成情况综述, the text
                # under them starts with the planned column's)
                planned = any(GOAL_COLUMN.match(squash(sl.text)) and not GOAL_ACTUAL.search(squash(sl.text))
                              for sl in starts[:i])
                self.actual_block = bool(GOAL_ACTUAL.search(squash(value))) and not planned
                if self.cell_rows:
                    self.goal_cols = ([False] if planned else self.goal_cols) + \
                        [bool(GOAL_ACTUAL.search(squash(value)))]
                    self.actual_block = False
                i = j
                continue
            if field == "goals":
                self.phase = "goals"
                self.goal_label = (starts[i].key, bool(value)) if row.grid is not None else None
                heads = [s for s in starts[i + 1:j] if GOAL_COLUMN.match(squash(s.text))]
                self.goal_cols, self.goal_cell = [], 0
                if heads and row.grid is None and self.cell_rows and len(heads) == j - i - 1:
                    self.goal_cols = [bool(GOAL_ACTUAL.search(squash(h.text))) for h in heads]
                    i = j
                    continue
                if heads and row.grid is not None:
                    # 预期目标 | 实际完成情况: only the planned goals are goals
                    planned = [h for h in heads if not GOAL_ACTUAL.search(squash(h.text))] or heads
                    self.goal_x = (planned[0].x0, planned[0].x1)
                    i = j
                    continue
                if (row.grid is not None or self.cell_rows) and len(vals) >= 2:
                    vals = _drop_sublabels(vals)
                if self.goal_x is not None and row.grid is not None:
                    gx0, gx1 = self.goal_x
                    vals = [sl.text for sl in starts[i + 1:j]
                            if min(sl.x1, gx1) - max(sl.x0, gx0) > 0.5 * min(gx1 - gx0, sl.x1 - sl.x0)]
                    value = clean_text(" ".join(vals))
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
                if j == len(starts) and self._raw_dump and row.grid is None and self.phase == "header" \
                        and field != "funds_block":
                    # the cell went on to the next line of a raw dump: its value, or more of it
                    self.pending = ("more", form, field, len(squash(vals[-1]))) if value \
                        else ("value", form, field, 0)
            i = j
        return found

    @staticmethod
    def _bare_labels(row: Row) -> bool:
        """A line of labels only, none with its value beside it."""
        return all((lab := header_label(sl.text)) is not None and not lab[1] for sl in row.starts)

    def _title_head(self, row: Row) -> str | None:
        """A long title wraps: its first line (2022年度黄石市…经费 / 项目自评表) is the free
        line right above, a name without a label, a sentence mark or a page number."""
        prev = self.prev_row
        if prev is None or prev.grid is not None or prev.blank or row.grid is not None or prev.page != row.page:
            return None
        if self.doc.file_type == "text" and prev.line_no != row.line_no - 1:
            return None
        t = squash(prev.text(""))
        if not (4 <= len(t) <= 40) or len(regex.findall(r"\p{Han}", t)) < 4 or len(prev.starts) != 1 \
                or FURNITURE.match(t) or PAGE_OF.search(t) \
                or YEAR_LINE.match(t) or _title_of(prev) or MONEY_UNIT.search(t) \
                or any(header_label(sl.text) for sl in prev.starts) or regex.search(r"[。:：;；,，!！?？]", t):
            return None
        return t

    def _goal_row(self, row: Row) -> bool:
        """In a ruled form, a row holds goal text while the goals label's merged cell runs
        down beside it, or right under a label that had none beside it."""
        if self.goal_label is None:
            return True
        key, had_text = self.goal_label
        if any(sl.key == key and not sl.start for sl in row.slots):
            return True
        if not had_text:
            self.goal_label = (key, True)    # the text comes under its label: this row
            return True
        return False

    def _value_not_page_number(self, row: Row, text: str) -> bool:
        """A bare number inside a dump's indicator table, right under a name line and
        not the last line of its page, is a value ('会议出错率' / '0'), not a page number."""
        prev = self.prev_row
        return (self.phase == "indicators" and text.isdigit() and self.doc.file_type == "text"
                and id(row) not in self.page_ends and prev is not None and not prev.blank
                and prev.grid is None and prev.line_no == row.line_no - 1)

    def _pending_value(self, row: Row, text: str, pending) -> bool:
        """A raw dump writes a row's cells one after another and wraps them: the line
        after a label that ended its line starts with that label's value, and a short
        line after a value that ended its line is the rest of it (兴岭市湖河区司法 / 局).
        Not a goal, a table header, a stacked label character or a line of labels."""
        kind, form, field, width = pending
        if (row.grid is not None or GOAL_MARK.search(text) or header_roles(row) is not None
                or stream.is_level_piece(text) or GOAL_COLUMN.match(text)
                or any(funds_column(sl.text) or column_role(sl.text) for sl in row.starts)):
            return False
        starts = row.starts
        k = 0
        while k < len(starts) and header_label(starts[k].text) is None:
            k += 1
        if k == 0:
            return False
        if field in FUNDS_FIELDS and kind == "value" and not AMOUNT.match(squash(starts[0].text)):
            return False      # an amount is a number (差旅费用27.47按合同约定金额 is a cost table's row)
        if kind == "more":
            if k == len(starts) == 1 and len(text) < width and form.fields.get(field):
                form.fields[field] = clean_text(form.fields[field] + starts[0].text)
                return True
            return False
        value = clean_text(" ".join(sl.text for sl in starts[:k]))
        if width == -1 and regex.search(r"[。；;]|\p{Han}[，,]", value):
            return False
        cut = self.cut_off
        if field == "leader" and cut is not None and cut[1] is form and cut[2] != field and k == len(starts) \
                and not regex.search(r"\d", value) and len(squash(value)) > 4 and form.fields.get(cut[2]) \
                and cut[2] == "project_name" and _NAME_TAIL.search(value):
            # no person nor telephone: the cell before, wrapped past the label between (项目名称 | 大青山…
            # 养殖 | 项目负责人及电话 | 场基础设施建设项目)
            form.fields[cut[2]] = clean_text(form.fields[cut[2]] + value)
            self.cut_off = None
            self.pending = pending
            return True
        if not form.fields.get(field):
            form.fields[field] = value
        if k < len(starts):
            self._header_row(Row(row.page, starts[k:], None, row.bbox, row.line_no))
        elif self._raw_dump:
            self.pending = ("more", form, field, len(squash(starts[k - 1].text)))
        return True


FUNDS_FIELDS = ("funds_total", "funds_fiscal", "funds_other")
# a year in brackets on a line of its own: a title's (2019年度), never a cell's value
_YEAR_NOTE = regex.compile(r"^[(（](\d{4})年度?[)）]$")
_TABLE_CAPTION = regex.compile(r"^(?:年度|当年)?绩效指标[(（]")
# header lines a dump may scatter into a table: funds and the fields that name the project
_BLOCK_LINES = FUNDS_FIELDS + ("funds_block", "department", "implementing_unit", "project_attribute",
                               "project_period", "department_code")


def _is_label(text: str) -> bool:
    """A header cell that is a label: one of the dictionary's, or a short text ending in a colon
    (项目编号：) — a value before it stops there."""
    t = squash(text)
    if GOAL_COLUMN.match(t):
        return False     # 年度总体目标完成情况综述: a column of the goals block, not a label
    if header_label(text) is not None:
        return True
    return 2 <= len(t) <= 12 and t[-1] in ":：" and not regex.search(r"\d", t)


# where a label may start inside a value cell: after a gap, a line break or a mark
_GAP = regex.compile(r"\s{2,}|\n|[*★]|(?<=\S)\s(?=\S)")
_LABEL_AT = regex.compile(r"[*★]?(\p{Han}{2,8}?)[:：]")


def _cut_runon(vals: list[str]) -> list[str]:
    """A header value stops where another label starts inside its cell (某县林业局  *联系人：
    王某; the label may wrap: 负⏎责人：); the cells after that one are that label's."""
    out: list[str] = []
    for v in vals:
        for g in _GAP.finditer(v):
            m = _LABEL_AT.match(squash(v[g.end():]))
            # after a wide gap or a mark any colon label; after a wrap only one the dictionary knows
            wide = len(g.group()) >= 2 or g.group() in "*★"
            if m and (header_label(m.group(1)) or (wide and _is_label(m.group(1) + "："))) \
                    and v[:g.start()].strip():
                out.append(v[:g.start()])
                return out
        cut = _glued_label(v)
        if cut is not None:
            out.append(v[:cut])
            return out
        out.append(v)
    return out


def _glued_label(v: str) -> int | None:
    """Where a label the dictionary knows is glued to the value before it (黄石市图书馆主要领导签字：)."""
    for c in regex.finditer(r"[:：]", v):
        for j in range(max(0, c.start() - 8), c.start() - 1):
            lab = header_label(v[j:c.start()])
            if lab is not None and not lab[1] and j > 0 and regex.match(r"\p{Han}", v[j]):
                return j
    return None


def _drop_sublabels(vals: list[str]) -> list[str]:
    """绩效目标 | 总体描述 | <the goals>: a short caption beside the text is not goal text."""
    longest = max(len(squash(v)) for v in vals)
    keep = [v for v in vals if not (len(squash(v)) <= 10 and 3 * len(squash(v)) < longest
                                    and not regex.search(r"[\d,，。;；、]", v))]
    return keep or vals
def _by_column(slots, cols) -> dict[str, str]:
    out = {}
    for role, x0, x1 in cols:
        for sl in slots:
            if min(sl.x1, x1) - max(sl.x0, x0) > 0.5 * min(sl.x1 - sl.x0, x1 - x0):
                out[role] = sl.text
                break
    return out


# a number with at most an operator before it and a unit after it (100%, ≥60%, 25TB, 901001033)
_QUANTITY = regex.compile(r"(?:[≥≤≧≦<>＜＞=＝]{1,2})?\d[\d.,，]*(?P<unit>\D{0,4})")


def _is_quantity(text: str) -> bool:
    m = _QUANTITY.fullmatch(squash(text))
    return m is not None and (not m.group("unit") or m.group("unit") in ("%", "％", "‰") or is_unit(m.group("unit")))


def _misread_name(name: str, goals: set[str], text: bool) -> bool:
    """A name that no indicator has: a quantity alone (100%, ≥60%, 25TB); in a dump, where cells
    are placed by their order only, also a label or column word of the form (年度总体目标完成情况综述)
    or the form's goal sentence (a table's cell may say 项目周期 | 1年)."""
    t = squash(name)
    if _is_quantity(t):
        return True
    lab = header_label(t)
    return text and (GOAL_COLUMN.fullmatch(t) is not None or (lab is not None and not lab[1])
                     or (len(t) >= 10 and t in goals))


# a name that measures money (an amount in yuan may be written without its unit: 发放金额 | 1500000)
_MONEY_NAME = regex.compile(r"金额|资金|经费|费用?|成本|支出|投资|收入|预算|元")
# how a project's name ends (…基础设施建设项目): a cell cut off by the next label may end so
_NAME_TAIL = regex.compile(r"(?:项目|工程|经费|资金|补助|补贴)$")


def _off_kind(ind) -> bool:
    """A value of a kind its row never holds: nine digits or more with no unit or separator (seven
    where the name measures no money), a satisfaction without a share, points, a word of
    satisfaction or a short outcome (满意度 | 使读者更方便快捷查找检阅), a rate given in a unit other
    than a share (合格率 | 12人). None of 3,011 rows of every sample's, real form's and generated
    form's gold is so."""
    v = squash(ind.value_raw or "")
    if not v:
        return False
    name = strip_annotation(squash(ind.name_raw or ""))
    if regex.fullmatch(r"\d{9,}", v) or (regex.fullmatch(r"\d{7,8}", v) and not _MONEY_NAME.search(name)):
        return True       # a code or a header block's amount flowed in (901001033, 4875700): no target
    if name.endswith("满意度") and not regex.search(r"[%％分]|满意|\d", v) and not is_outcome(v) and len(v) > 4:
        return True
    return contradicts_name(name, v)


def _mixed_pair(ind) -> bool:
    """The target and what was achieved disagree in kind: a bare number or points on one side and
    words on the other (10 | 完成, 完成 | 99.55分), or a bare number and a quantity in a unit
    (5 | 95%, not 100 | 100%). In a text dump, cells of different rows. None of 3,011 gold rows
    (samples, real forms, generated seeds 0-9) is so."""
    v, a = squash(ind.value_raw or ""), squash(ind.actual_raw or "")
    if not (v and a):
        return False
    # (one side a bare number or points: 10 | 完成; a share beside words, 100% | 全部准确, is common)
    bare = r"\d+(?:\.\d+)?分?"
    if bool(regex.search(r"\d", v)) != bool(regex.search(r"\d", a)):
        return bool(regex.fullmatch(bare, v) or regex.fullmatch(bare, a))
    # a bare number beside another number in a unit (5 | 95%, 12万元 | 10): a weight or score taken
    # for one side (the same number is the same quantity, its unit left off: 100% | 100, 1 | 1项)
    num = r"[≥≤>＞<＜=]?\d+(?:\.\d+)?"
    bare_v, bare_a = regex.fullmatch(num, v) is not None, regex.fullmatch(num, a) is not None
    if bare_v != bare_a:
        bare, other = parse_value(v if bare_v else a), parse_value(a if bare_v else v)
        return other.value_num is not None and other.unit not in (None, "分") and bare.value_num != other.value_num
    return False


def _written_twice(inds: list) -> list:
    """Rows of one form named and valued in the same words (公益性事业 | 良好 twice): a text written
    twice running, a target and its achievement, read as names. (Names or values that only
    share a start are other rows: 资助覆盖率 | 100% beside 资助覆盖率（建档立卡学生） | 100%.) No two
    gold rows of a form (samples, real forms, generated seeds 0-9) are so."""
    keys = [(squash(i.name_raw or ""), squash(i.value_raw or "")) for i in inds]
    seen = collections.Counter(keys)
    return [i for i, (n, v) in zip(inds, keys) if len(n) >= 2 and v and seen[n, v] > 1]


def _drop_misread_rows(f: RawForm, text: bool = False) -> None:
    """A name says in words what is measured; a row whose name is a quantity was put together from
    the wrong cells, so its value belongs to no known row either; so was, in a dump (`text`: cells
    placed by their order only), a row named by a label or the goal, whose target and achievement
    disagree in kind, or whose value is of a kind the row never holds. Such rows are left out and
    the table is reported (row_alignment_lost), never shown shifted."""
    # (the goal's sentence, read as goals or left unplaced beside the table)
    goals = {squash(t) for t, _ in f.goal_text + f.unplaced}
    bad = [ind for ind in f.indicators if _misread_name(ind.name_raw or "", goals, text)
           or (text and (_mixed_pair(ind) or _off_kind(ind)))]
    if text:
        bad += [ind for ind in _written_twice(f.indicators) if not any(ind is b for b in bad)]
    if not bad:
        return
    f.indicators = [ind for ind in f.indicators if not any(ind is b for b in bad)]
    names = "、".join(squash(b.name_raw) for b in bad[:5])
    f.findings.append(("warning", "row_alignment_lost",
                       f"{len(bad)} indicator row(s) put together from the wrong cells ({names}) were left out: "
                       "a name that is a quantity, a label or the goal, or a value of a kind the row never holds"))


def _unit_for_goal(f: RawForm) -> None:
    """A column of labels (部门名称 | 年度预算 | 年度总体目标) before a column of values may leave the
    department's name where the goal's text starts: with the department empty, a first goal
    block that is an organisation's name alone (中共宁德市委党史和地方志研究室) is the department."""
    if f.fields.get("department") or not f.goal_text:
        return
    t = squash(f.goal_text[0][0])
    if regex.fullmatch(r"\p{Han}{4,30}", t) and ORG_END.search(t):
        f.fields["department"] = t
        del f.goal_text[0]


def _coded_unit(f: RawForm) -> None:
    """A dump may print the 主管部门 cell far from its label (an Excel sheet's style run): with the
    department empty, the one line of the form that is a coded unit and nothing else is it."""
    if f.fields.get("department"):
        return
    # (a unit as budget systems write it, its code before its name: labels.split_code)
    hits = [k for k, (t, _) in enumerate(f.unplaced)
            if (c := split_code(squash(t)))[0] and regex.fullmatch(r"\p{Han}{4,40}", c[1])]
    if len(hits) == 1:
        f.fields["department"] = squash(f.unplaced.pop(hits[0])[0])


def _late_titles(forms: list[RawForm]) -> None:
    """A -raw dump may print a page's title after its table (pdftotext's reading order): a
    "form" of a title and at most some free text, after a form with indicators but no title of
    its own, is that form's title. Its text is kept as unplaced, not taken for goals."""
    k = 1
    while k < len(forms):
        a, b = forms[k - 1], forms[k]
        if b.form_title and not a.form_title and a.indicators and not b.indicators and not b.fields:
            a.form_title, a.budget_year = b.form_title, a.budget_year or b.budget_year
            a.unplaced.extend(b.goal_text + b.unplaced)
            a.pages |= b.pages
            del forms[k]
            continue
        k += 1


def _weights_to_total(f: RawForm) -> None:
    """Under a weight column (分值) whose weights add up to 100 a row may show one bare number
    where its value is empty (规章制度建立与否 | 20): when those numbers are exactly what the
    other rows' weights lack of 100, they are the rows' weights, not their values."""
    def num(t: str | None) -> float | None:
        t = squash(t or "")
        return float(t) if regex.fullmatch(r"\d+(?:\.\d+)?", t) else None
    weighted = [num(i.weight_raw) for i in f.indicators if i.weight_raw]
    if len(weighted) < 2 or any(w is None for w in weighted):
        return
    bare = [i for i in f.indicators if not i.weight_raw and num(i.value_raw) is not None]
    if bare and abs(sum(weighted) + sum(num(i.value_raw) for i in bare) - 100) < 1e-6:
        for i in bare:
            i.weight_raw, i.value_raw = i.value_raw, None


def _infer_year(f: RawForm) -> None:
    """No year in the title: the year the form's own text names most (its goals, its header
    cells), said in `issues` since it is a guess."""
    texts = list(f.fields.values()) + [t for t, _ in f.goal_text] + [t for t, _ in f.unplaced]
    years: dict[int, int] = {}
    for t in texts:
        for m in regex.finditer(r"(?<!\d)(20\d\d)\s*年", t or ""):
            years[int(m.group(1))] = years.get(int(m.group(1)), 0) + 1
    if years:
        y = max(years, key=lambda k: (years[k], k))
        f.budget_year = y
        f.findings.append(("info", "budget_year_inferred", f"no year in the title: {y} is the year the form's "
                           f"text names most ({years[y]} times)"))


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
            body = text[m.end():end].strip().rstrip("；;")
            if body and not regex.fullmatch(r"[.…。·\s]*", body):
                goals.append(RawGoal(int(m.group(1)), body, page))
    else:
        numbered = _numbered_goals("\n".join(t for t, _ in f.goal_text))
        if numbered:
            goals = [RawGoal(n, b, page) for n, b in numbered]
        else:
            body = text.strip()
            if body and not regex.fullmatch(r"[.…。·\s]*", body):
                goals.append(RawGoal(None, body, page))
    f.goals = goals


_NUM_AT_LINE = regex.compile(r"(?m)^\s*(?:[（(]\s*(\d{1,2})\s*[)）]|(\d{1,2})\s*[、.．](?!\d))")
_NUM_INLINE = regex.compile(r"(?:^|(?<=[；;。]))\s*(?:[（(]\s*(\d{1,2})\s*[)）]|(\d{1,2})\s*[、．](?!\d))")


def _numbered_goals(raw: str) -> list[tuple[int, str]]:
    """Goals numbered `1、` / `1.` / `（1）` at line starts or after `；`, counting 1, 2, 3 …"""
    for pat in (_NUM_AT_LINE, _NUM_INLINE):
        marks = list(pat.finditer(raw))
        nums = [int(m.group(1) or m.group(2)) for m in marks]
        if len(marks) >= 2 and nums == list(range(1, len(nums) + 1)):
            out = []
            for k, m in enumerate(marks):
                end = marks[k + 1].start() if k + 1 < len(marks) else len(raw)
                body = clean_text(raw[m.end():end]).strip().rstrip("；;")
                if body:
                    out.append((nums[k], body))
            return out
    return []


def _join_header_wraps(rows: list[Row]) -> list[Row]:
    """In a layout dump, a table header cell of two lines prints one line above and
    one below the header's baseline ('实际完成' / '值', '当年预期实现' / '值'). Pieces
    on the lines right above and below that complete column labels by position join
    the header row; the lines they came from are dropped."""
    out = list(rows)
    k = 0
    while k < len(out):
        row = out[k]
        if row.grid is not None or header_roles(row) is None:
            k += 1
            continue
        above = out[k - 1] if k > 0 and out[k - 1].line_no == row.line_no - 1 else None
        below = out[k + 1] if k + 1 < len(out) and out[k + 1].line_no == row.line_no + 1 else None
        ups = list(above.starts) if above is not None and above.starts and all(
            column_prefix(s.text) or column_role(s.text) for s in above.starts) else []
        downs = list(below.starts) if below is not None and below.starts and all(
            len(squash(s.text)) <= 3 for s in below.starts) else []
        if not ups and not downs:
            k += 1
            continue
        # each piece joins the header cell it overlaps, or makes a cell of its own
        # (a two-line cell with nothing on the baseline: its piece from above, then below)
        trial = [Slot(s.text, s.x0, s.x1, True) for s in row.starts]
        n = len(trial)
        for piece, above_it in [(u, True) for u in ups] + [(d, False) for d in downs]:
            home = next((t for t in trial if min(t.x1, piece.x1) - max(t.x0, piece.x0) > 0), None)
            if home is None:
                trial.append(Slot(piece.text, piece.x0, piece.x1, True))
            elif above_it:
                home.text = piece.text + home.text
            else:
                home.text += piece.text
        changed = [t for t, s0 in zip(trial, row.starts) if t.text != s0.text] + trial[n:]
        if changed and all(column_role(t.text) and not column_prefix(squash(t.text)) for t in changed):
            trial.sort(key=lambda s: s.x0)
            out[k] = Row(row.page, trial, None, row.bbox, row.line_no)
            if downs:
                del out[k + 1]
            if ups:
                del out[k - 1]
                k -= 1
            k += 1
            continue
        k += 1
    return out


def _flow_grids(rows: list[Row]) -> tuple[list[Row], dict[int, tuple[GridTable, int]]]:
    """A plain dump's indicator tables that parse/textflow.py rebuilds as grids (pdftotext's
    default mode); the other lines regrouped as one-cell-per-line dumps need. Returns the
    rows, each table standing as its first line, and {index: (table, index after it)}."""
    regions = textflow.find_flow_tables(rows, lambda r: bool(_title_of(r)))
    if regions:
        rows = textflow.header_lines(rows)     # (a default-mode dump: lines cut into its cells)
        regions = textflow.find_flow_tables(rows, lambda r: bool(_title_of(r)))
    out: list[Row] = []
    grids: dict[int, tuple[GridTable, int]] = {}
    i = 0
    for start in sorted(regions):
        lines, end = regions[start]
        table, foreign = textflow.flow_parts(lines)
        if table is None:
            out.extend(_merge_cell_lines(rows[i:start]))
            out.extend(_merge_cell_lines(lines))     # parse/cellstream.py reads them
        else:
            # the header block's lines and prose pdftotext flowed in among the table's are read
            # before it, as the lines they are
            out.extend(_merge_cell_lines(rows[i:start] + _blocks(foreign)))
            grids[len(out)] = (table, len(out) + 1)
            out.append(lines[0])
        i = end
    out.extend(_merge_cell_lines(rows[i:]))
    return out, grids


def _blocks(lines: list[Row]) -> list[Row]:
    """Lines taken from among a table's, a blank line where they did not follow each other (so a
    block of them stays one: the 完成情况综述 column's text, then the goal's)."""
    out: list[Row] = []
    for r in lines:
        if out and r.line_no != out[-1].line_no + 1:
            out.append(Row(r.page, [], None, None, r.line_no - 1, blank=True))
        out.append(r)
    return out


def _layout_grids(rows: list[Row]) -> tuple[list[Row], dict[int, tuple[GridTable, int]]]:
    """A layout dump rebuilt as a PDF's ruled grids (parse/layout_grid.py): each form's
    header block and indicator tables become grid rows, found on the lines as pdftotext
    wrote them; the lines around them (titles, sign-offs) stay free text, regrouped as
    before. Returns the rows and no tables: find_tables finds them among the grid rows."""
    import itertools

    def is_title(r: Row) -> bool:
        return bool(_title_of(r))

    rows = layout_grid.as_one_column_wide(rows)     # (a terminal's rendering: pdftotext's columns)
    ids = itertools.count(-1, -1)       # grid ids of their own (document_rows counts up from 1)
    out: list[Row] = []

    def around(seg: list[Row]) -> None:
        j = 0
        for s, e in layout_grid.header_spans(seg, is_title):
            out.extend(_merge_layout_headers(_join_header_wraps(seg[j:s])))
            out.extend(layout_grid.header_block(seg[s:e], ids))
            j = e
        out.extend(_merge_layout_headers(_join_header_wraps(seg[j:])))

    regions = layout_grid.find_layout_tables(rows, is_title)
    i = 0
    for start in sorted(regions):
        lines, end = regions[start]
        around(rows[i:start])
        table = layout_grid.layout_table(lines)
        if table is None:
            out.extend(lines)            # the line reader (parse/stream.py) keeps them
        else:
            out.extend(layout_grid.grid_rows(table, next(ids)))
        i = end
    around(rows[i:])
    return out, {}


def _merge_layout_headers(rows: list[Row]) -> list[Row]:
    """In a layout dump, rebuild the header block's wrapped cells (see layout_cells)."""
    out: list[Row] = []
    buf: list[Row] = []
    in_table = False

    def flush():
        if buf:
            out.extend(layout_cells.merge_rows(buf))
            buf.clear()

    for row in rows:
        text = squash(row.text(""))
        starts_form = bool(_title_of(row)) or any(
            (lab := header_label(s.text)) is not None and lab[0] == "project_name" for s in row.starts)
        if header_roles(row) is not None:
            flush()
            in_table = True
            out.append(row)
        elif _title_of(row) or YEAR_LINE.match(text) or (text and FURNITURE.match(text)):
            if in_table and not _title_of(row):
                out.append(row)  # a year or a lone number inside the table stays in the table
                continue
            flush()
            in_table = False
            out.append(row)
        elif starts_form and in_table:
            flush()  # a form without a title: its 项目名称 ends the table above
            in_table = False
            buf.append(row)
        elif in_table:
            out.append(row)
        else:
            buf.append(row)
    flush()
    return out


def _page_end_rows(rows: list[Row]) -> set[int]:
    """ids of the first and last non-blank free-text rows of each page (where page numbers sit)."""
    firsts: dict[int, Row] = {}
    lasts: dict[int, Row] = {}
    for r in rows:
        if r.grid is None and not r.blank:
            firsts.setdefault(r.page, r)
            lasts[r.page] = r
    return {id(r) for r in (*firsts.values(), *lasts.values())}


def _wrapped_header(rows: list[Row], i: int) -> tuple[Row, int] | None:
    """A table header that a raw dump spreads over several lines: wrapped cells
    ('一级指' / '标'), one label per line, or a header row whose last cells run on
    ('… 年度指标值' / '实际完成' / '值' / '分值 得分'). Pieces join while they complete
    column labels; returns the header row and the index after it, or None."""
    slots: list[Slot] = []
    pend = ""
    j = i
    while j < len(rows) and j <= i + 12 and not rows[j].blank and rows[j].grid is None:
        took, rest = [], pend
        for sl in rows[j].starts:
            cand = squash(rest + sl.text)
            if column_role(cand) and not column_prefix(cand + "值"):
                took.append(cand)
                rest = ""
            elif column_role(cand) or column_prefix(cand):
                rest = cand      # a label cut by wrapping, or one that may go on (指标 / 指标值)
            else:
                break
        else:
            for t in took:
                x = 10.0 * len(slots)
                slots.append(Slot(t, x, x + 8, True))
            pend = rest
            j += 1
            continue
        break
    if pend and column_role(pend):
        slots.append(Slot(pend, 10.0 * len(slots), 10.0 * len(slots) + 8, True))
        pend = ""
    if j == i or pend or len(slots) < 2:
        return None
    row = rows[i]
    merged = Row(row.page, slots, None, row.bbox, row.line_no)
    return (merged, j) if header_roles(merged) is not None else None


def _merge_cell_lines(rows: list[Row]) -> list[Row]:
    """A raw dump that prints one cell per line: the table header's labels (一级指标 /
    二级指标 / 三级指标 / 指标值 on lines of their own) become one header row, and a
    header label wrapped in its cell (主管部门及代 / 码) one label."""
    rows = list(rows)
    out: list[Row] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        first = row.starts[0].text if row.starts else ""
        if row.grid is None and first and (column_role(first) or column_prefix(first)):
            hit = _wrapped_header(rows, i)
            if hit is not None:
                out.append(hit[0])
                i = hit[1]
                continue
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if nxt is not None and row.starts and nxt.starts and not nxt.blank:
            a, b = row.starts[-1], nxt.starts[0]
            whole = header_label(a.text + b.text)
            part = header_label(a.text)
            if whole is not None and not whole[1] and (part is None or part[1]) and len(squash(b.text)) <= 6:
                # a label wrapped in its cell: 主管部门及代 / 码, 项目资金（元 / ）
                joined = Slot(a.text + b.text, a.x0, a.x1, True)
                rows[i] = Row(row.page, row.starts[:-1] + [joined], None, row.bbox, row.line_no)
                if len(nxt.starts) > 1:
                    rows[i + 1] = Row(nxt.page, nxt.starts[1:], None, nxt.bbox, nxt.line_no)
                else:
                    del rows[i + 1]
                continue
        out.append(row)
        i += 1
    return out


def _unglued(rows: list[Row]) -> list[Row]:
    """A copy whose cells came out glued: each line cut into its cells (parse/unglue.py)."""
    out: list[Row] = []
    for row, cells in zip(rows, unglue.unglue([r.text(" ") for r in rows])):
        x = 0.0
        slots = []
        for c in cells:
            slots.append(Slot(c, x, x + len(c), True))
            x += len(c) + 2
        out.append(Row(row.page, slots, None, row.bbox, row.line_no, blank=not slots))
    return out


def parse_document(doc: Document) -> list[RawForm]:
    return FormParser(doc).run()
