"""The flat one-table export (see flat.py) as a layout text dump.

Without rules, a token belongs to the column whose header centre is nearest;
indicator rows are the blank-separated bands of lines; the merged project
cells (单位名称, 项目名称, 预算数, 年度目标) print at the vertical middle of their
project's rows, so bands are given to projects the way level labels are given
to rows in stream.py: each block centred on its project name.
"""
from __future__ import annotations

import regex

from normalize.text import clean_text
from parse.columns import OPERATOR_ONLY, LevelCarry, indicator_from_cells
from parse.labels import column_role, flat_role, split_code, squash
from parse.rows import Row
from parse.stream import _assign, is_level_piece

PROJECT_COLS = ("unit_name", "project_name", "budget", "goal")


def _tokens(row: Row | None) -> list[tuple[float, str]]:
    if row is None or row.blank:
        return []
    return [(s.x0 + m.start(), m.group()) for s in row.slots for m in regex.finditer(r"\S+", s.text)]


def header_columns(row: Row, above: Row | None = None, below: Row | None = None) -> dict[str, float]:
    """Column centres from a header line; header cells wrapped onto the lines above
    and below (指标性 / 质) are joined by column first."""
    stacks: list[list[tuple[float, str, int]]] = []
    for li, line in enumerate((above, row, below)):
        for x, tok in _tokens(line):
            for st in stacks:
                px, pt, pl = st[-1]
                if pl < li and (abs(px - x) <= 3 or abs((px + len(pt) / 2) - (x + len(tok) / 2)) <= 3):
                    st.append((x, tok, li))
                    break
            else:
                stacks.append([(x, tok, li)])
    cols: dict[str, float] = {}
    for st in stacks:
        tok = "".join(t for _, t, _ in st)
        role = flat_role(tok) or column_role(tok)
        if role == "goal" and column_role(tok) == "value":
            role = "value"
        if role and role not in cols:
            cols[role] = sum(x + len(t) / 2 for x, t, _ in st) / len(st)
    return cols


class FlatTextIndicators:
    def __init__(self, parser, header: Row, above: Row | None = None):
        self.parser = parser
        self.header, self.above = header, above
        self.cols = header_columns(header, above)
        self.rows: list[Row] = []
        self.title = parser.cur.form_title if parser.cur else None
        self.year = parser.cur.budget_year if parser.cur else None
        self.first_form = parser.cur
        self.done = False

    def feed(self, row: Row) -> bool:
        if row.grid is not None:
            return False
        self.rows.append(row)
        return True

    def _align(self, toks: list[tuple[float, str]]) -> list[str]:
        """Tokens of a line -> columns, in order, one column each: positions in a
        dump drift by a few characters, the order of cells does not."""
        cols = sorted(self.cols, key=self.cols.get)
        m, n = len(toks), len(cols)
        if m > n:
            return [self._column(t, x) for x, t in toks]
        INF = float("inf")

        def cost(i, j):
            x, t = toks[i]
            c = abs(self.cols[cols[j]] - (x + len(t) / 2))
            level = is_level_piece(t) and not OPERATOR_ONLY.match(t)
            if (cols[j] in ("l1", "l2")) != level and not (level and cols[j] == "name"):
                c += 50
            return c

        dp = [[INF] * n for _ in range(m)]
        back = [[-1] * n for _ in range(m)]
        for j in range(n):
            dp[0][j] = cost(0, j)
        for i in range(1, m):
            best, arg = INF, -1
            for j in range(n):
                if j > 0 and dp[i - 1][j - 1] < best:
                    best, arg = dp[i - 1][j - 1], j - 1
                if best < INF:
                    dp[i][j] = best + cost(i, j)
                    back[i][j] = arg
        j = min(range(n), key=lambda k: dp[m - 1][k])
        out = [None] * m
        for i in range(m - 1, -1, -1):
            out[i] = cols[j]
            j = back[i][j]
        return out

    def _column(self, tok: str, x: float) -> str:
        c = x + len(tok) / 2
        # level columns hold only level labels: positions in a dump are too rough to say more
        level = is_level_piece(tok) and not OPERATOR_ONLY.match(tok)
        cands = [r for r in self.cols if r in ("l1", "l2", "name") or not level]
        if not level:
            cands = [r for r in cands if r not in ("l1", "l2")]
        cands = cands or list(self.cols)
        return min(cands, key=lambda r: abs(self.cols[r] - c))

    def finish(self) -> None:
        if self.done:
            return
        self.done = True
        # tokens by column, per line
        lines = []
        # a header cell wrapped onto the next line (指标性 / 质) is still the header
        rows = self.rows
        while rows and rows[0].blank:
            rows = rows[1:]
        if rows and rows[0].line_no == self.header.line_no + 1 and not regex.search(r"\d", rows[0].text("")):
            self.cols = header_columns(self.header, self.above, rows[0])
            rows = rows[1:]
        for row in rows:
            if row.blank:
                lines.append((row, {}))
                continue
            toks = _tokens(row)
            cells: dict[str, list[str]] = {}
            for (x, tok), col in zip(toks, self._align(toks)):
                cells.setdefault(col, []).append(tok)
            lines.append((row, cells))
        # indicator rows: one per line holding a value; wrapped pieces of its other
        # cells (printed above and below, centred) join the nearest such line
        ind_cols = {"l1", "l2", "name", "value", "op", "unit", "weight", "direction", "actual", "score",
                    "value_long"}
        anchors = [(row, cells) for row, cells in lines if cells.get("value")]
        bands: list[dict] = [{"first": r.line_no, "last": r.line_no, "page": r.page, "pieces": []}
                             for r, _ in anchors]
        blank_lines = [r.line_no for r, c in lines if not c]
        for row, cells in lines:
            parts = {c: t for c, t in cells.items() if c in ind_cols}
            if not parts or not bands:
                continue
            # nearest value line with no blank line between; on a tie the one above
            reach = [b for b in bands if abs(b["first"] - row.line_no) <= 3 and not any(
                min(b["first"], row.line_no) < bl < max(b["first"], row.line_no) for bl in blank_lines)]
            if not reach:
                continue
            near = min(reach, key=lambda b: (abs(b["first"] - row.line_no), b["first"] > row.line_no))
            for col, toks in parts.items():
                near["pieces"].append((row.line_no, col, " ".join(toks)))
        for b in bands:
            b["pieces"].sort()
            b["cells"] = {}
            for ln, col, text in b["pieces"]:
                b["cells"].setdefault(col, []).append(text)
                b["first"], b["last"] = min(b["first"], ln), max(b["last"], ln)
        # the department's total: lines above the first indicator row
        top = bands[0]["first"] if bands else 10 ** 9
        pre: dict[str, list[str]] = {}
        for row, cells in lines:
            if row.line_no < top - 1:
                for col in ("unit_name", "project_name", "budget"):
                    pre.setdefault(col, []).extend(cells.get(col, []))
        ind_bands = bands
        dept = None
        who = pre.get("unit_name") or pre.get("project_name")
        if who and pre.get("budget"):
            dept = split_code(clean_text("".join(who)))
        # project names: runs of consecutive lines with text in the 项目名称 column
        names = []
        for row, cells in lines:
            toks = cells.get("project_name")
            if not toks or (ind_bands and row.line_no < ind_bands[0]["first"] - 2):
                continue
            if names and row.line_no - names[-1]["last"] <= 2:
                names[-1]["text"].append(" ".join(toks))
                names[-1]["last"] = row.line_no
            else:
                names.append({"first": row.line_no, "last": row.line_no, "text": [" ".join(toks)]})
        labels = [((n["first"] + n["last"]) / 2, k, n) for k, n in enumerate(names)]
        owner = _assign(ind_bands, labels, numbered=False)[0] if labels else [None] * len(ind_bands)
        unit_text = None
        forms = {}
        for k, n in enumerate(names):
            mine = [b for b, o in zip(ind_bands, owner) if o == k]
            if not mine:
                continue
            lo, hi = min(b["first"] for b in mine) - 1, max(b["last"] for b in mine) + 1

            def col_text(col, lo=lo, hi=hi):
                return "\n".join(" ".join(c[col]) for r, c in lines if lo <= r.line_no <= hi and c.get(col))

            form = self._form(not forms)
            forms[k] = form
            form.fields["project_name"] = clean_text("\n".join(n["text"]))
            unit = col_text("unit_name")
            unit_text = clean_text(unit) if squash(unit) else unit_text
            if unit_text:
                code, name = split_code(unit_text)
                form.fields["implementing_unit"] = name
            if dept:
                form.fields["department"] = dept[1]
                if dept[0]:
                    form.fields["department_code"] = dept[0]
            elif unit_text:
                code, name = split_code(unit_text)
                form.fields["department"] = name
                if code:
                    form.fields["department_code"] = code
            budget = squash(col_text("budget"))
            if budget:
                form.fields["funds_total"] = budget
            goal = col_text("goal")
            if squash(goal):
                form.goal_text.append((goal, mine[0]["page"]))
            carry = LevelCarry()
            for b in mine:
                c = b["cells"]
                carry.update("\n".join(c.get("l1", [])) or None, "\n".join(c.get("l2", [])) or None, form)
                value = "".join(squash(t) for t in c.get("value", []))
                op = "".join(squash(t) for t in c.get("op", []))
                if op and OPERATOR_ONLY.match(op) and value:
                    value = op + value
                unit_col = "".join(squash(t) for t in c.get("unit", []))
                if unit_col and value and not value.endswith(unit_col):
                    value += unit_col
                ind = indicator_from_cells("\n".join(c.get("name", [])), value, carry, form, b["page"], None, None)
                if ind is not None:
                    w = c.get("weight")
                    if w:
                        ind.weight_raw = " ".join(w)
                    form.indicators.append(ind)
                    form.pages.add(b["page"])

    def _form(self, first: bool):
        if first and self.first_form is not None and not self.first_form.has_content():
            f = self.first_form
        else:
            f = self.parser._new_form(self.title, self.year)
        f.form_title, f.budget_year = self.title, self.year
        f.money_unit = self.parser.money_unit or "元"
        return f
