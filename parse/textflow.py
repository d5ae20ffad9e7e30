"""Indicator tables of `pdftotext` default-mode dumps, rebuilt as grids.

Without -raw or -layout, pdftotext groups a page's words into blocks (a blank line between
blocks) and writes the blocks in its flow order: a ruled table's cells come out as blocks, a
column's cells often as one block (a cell a line, or a cell's wrapped lines), cells of
neighbouring columns on one baseline may share a line (质量指标 指标 2：…), a label printed down
a narrow column comes a character a line (绩/效/指/标), and a column's cells may come long
after the others' (a level column, the last rows' values, a page's names). Within one column
the order mostly holds. `find_flow_tables` finds a dump's indicator tables; `flow_parts`
(`flow_table`) rebuilds one as a `GridTable` that parse/columns.py `ColumnIndicators` reads
like a PDF's ruled grid, and hands back the lines among the table's that are not its own.

0. Which dumps (`is_flow_dump`): blocks between blank lines (cellstream.paragraph_mode), every
   line flush left, no web site's lines. A copy of a web page or a Word file indents some lines;
   -raw has few blank lines: those go to parse/cellstream.py as before.
1. Where: at a line with a header word naming a level, name or value column (or at the value-side
   header words right before such a line: 权重 / 计量单 / 位 / 指标值), two more header
   roles within the next 40 pieces (and no later run of header words naming again a column the
   first run names, where that first run names fewer than three: a 年度目标任务 matrix above,
   支出项目名称 | 预算金额, is no indicator table) (a header word wrapped over two lines counts) and not a
   flat export's header nor a header block's label wrapped in its cell (部门（单 / 位）名称);
   with the category words, captions and header words on the lines right above. Up to a title,
   a form's header block, a note, a site's line, or a 总分 line after which no category word or
   labelled name comes; the header block's lines between a stray first header word (一级指标)
   and the header's word naming the name or value column end nothing.
2. Lines outside the tables (`header_lines`): cut only at a space between two Han characters (a
   space beside a digit or a Latin letter is a font change: 2017 年…); a label or funds column
   header wrapped in its cell is one again (全年预 / 算数(A)); a label's pieces at the heads of a
   long text's lines (当年整体 … / 绩效目标 …, 总 体 目 … / 标) are taken off and stand before it;
   a paragraph wrapped at the page's width is one line again (a line of 40 characters or more
   ending no sentence, and the next line of its block opening with no label or header word).
3. Pieces: a table line is cut at a space between two Han characters and before ★ or 指标N：;
   page furniture goes (a page's own number on its first or last line, -1-, 第1页共2页). A
   category word wrapped in its narrow cell is joined from its pieces on the next lines, other
   columns' pieces between skipped (经济效益指 / 指标 2：… / 标; 数量指标（必 / 填硬性指 / 标）);
   characters a line each are one piece (产/出 → 产出; 年/度/绩/效/目/标/1/（/8/0/分/） a caption);
   a header word wrapped over up to four lines is joined (偏差大或 / 目标未完 / 成 / 原因分析), or
   of short pieces the vocabulary spells whole (指标 / 性质); header cells wrapped side by side
   interleave (年度 / 实际 / 指标值 / 完成值; 计量单 指标性 / 权重 / 位 / 质) and are joined again.
4. Kinds: category words, captions, template rows (指标3： alone, ……), labels alone (目标 1),
   header words, the header block's, data. Before the first header word naming the name or
   value column (or the level2 column's, where rows' values follow it before the next header
   word), anything but header words, category words and captions is the header block's;
   after it, header-block labels, 目标N：… and prose (a block's lines ending a sentence) are.
   Among the data a header word counts as a repeat, as the first of its role, beside another
   header word, or a note column's (…原因分析). A short word ending in 指标 that spells no column
   header is a category of the form's own (制度指标). No level column in the header and no
   category word before the data: category words are names (服务对象满意度 | 5 | % | 95).
5. Columns: the header's words from its word naming the name or value column on, in order
   (cellstream.header_template; words before it may be a funds matrix's 分值 | 得分). Where the
   words leave the order open (a closed set's word right before the value's; the value's word
   not among the header's run, or named twice in it: 指标值 over 计算符号 | 度量单位 | 数值), each
   order they allow is read and the cheapest reading kept
   (`_templates`). A data piece right under a header word in one block is that column's (分值 / 20).
6. Rows (`_rows_dp`): a beam search over the data pieces in order; each is a new name, the next
   line of the name or cell before it, a cell of the current or a later row (in the template's
   order, by its shape: cellstream.shape), or dropped, at costs. Rows are numbered in the order
   of their cells and the names fill them in order. A cell written after its row's name costs a
   little per row (a column flowed late); a row whose cells come before its name costs a fixed
   amount (a page's names flowed after its values); a cell right after a name but for an earlier
   row costs. The lines of one block are one column's (after a name's line a name or its next
   line, after a cell's a cell). A labelled piece (指标N：, ★, after 目标 1) opens a name, and
   where most names are labelled an unlabelled piece hardly does; a short text seen twice
   (达到目标值) or one of 1–3 characters is hardly a name. A wrap is cheap after an open bracket
   or 、，, after a line as wide as several others (the column's width), between a number and its
   unit; dearer between two lines that each end in the word for what a name measures (…合格率 /
   完成检测样品数: two names). A row may wait for a name written later beside a category word,
   or numbered out of its group's sequence (指标3 not after 指标2), and takes such names in
   order; a row may leave its value for a run of the value column written after the rows, and
   takes those in order. An operator alone goes with the number after it (= / 100). A name
   without any cell is left out.
7. Levels (`_levels`): level2 words (成本 is one unless 经济成本… stand under it; 服务对象满意度
   指标 is one) and level1 words, each assigned to contiguous runs of rows in their order by
   dynamic programming; words standing before or after all rows take their places among those
   between rows by the framework's order. Evidence: the word on a row name's line; the word right
   before a name, no other word of its level since the row before; the framework wording of names
   and values (cellstream._categories); numbering (指标1 opens a group, 指标N+1 goes on), with the
   empty template rows counted; rows without evidence go to the nearer word that has some.
   Level1 is the framework parent of the level2 where the table has that word (成本 under the
   level1 the table puts it under), else the level1 words assigned the same way.
8. The grid: a header row naming each role, a row per indicator, the level cells merged
   (start=False repeats), a cell's lines joined with "\n".
9. Trust (issue: never a value shifted by one row). A value whose unit contradicts what its
   row's name measures (合格率 | 90人, normalize.values.contradicts_name) goes to the row beside
   it that has no value and whose name it fits (the search put a run of values one row off
   where a value was lost); else the row is doubtful. Each row carries what its reading cost in
   the search for placing its cells, less what its empty columns, rows passed over and a name
   beside its category word cost (patterns pdftotext writes), plus its name's cost where a
   value-shaped piece opened it; a row costing UNSURE or more, or still contradicting its name,
   is left out, and the table carries a `row_alignment_lost` finding naming the rows (the
   document is `partial`). A table whose cheapest reading costs TABLE_UNSURE or more a row was
   not aligned at all (of drawn forms' tables costing that much, about a fifth of the rows were
   right, matching rows to the gold loosely by name and value): none of its rows is trusted.

Limits: a column's order is trusted; two columns' lines interleaved in one block (a wrapped name
and a wrapped value on shared baselines) are not told apart; where a name's value is empty the
rows around it are aligned on counts and positions alone; a flat export (many projects in one
table) is read as one project's table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import regex

from normalize.values import canonical_level1, canonical_level2, contradicts_name, split_levels
from parse.cellstream import _CAPTIONS, _exact_category, paragraph_mode, shape, stream_level
from parse.columns import GridTable
from parse.labels import (EMPTY_ROW, FURNITURE, GOAL_ACTUAL, GOAL_COLUMN, GOAL_MARK, LABEL_MARK, ORG_END, PAGE_OF,
                          SITE_CHROME, SITE_FURNITURE, header_label, squash)
from parse.roles import (EXPLANATION_OPEN, NAME_END, OPERATOR_ONLY, STANDARD_WORDS, header_scores, level_word, spelled_header,
                         strip_header)
from parse.rows import Row, Slot

INF = float("inf")


# -- pieces ----------------------------------------------------------------------------------------

@dataclass
class Piece:
    text: str
    line: int                # line index within the region
    block: int               # blank-line separated block
    page: int
    col: int = 0             # index of the piece on its line
    ncol: int = 1            # pieces on its line
    kind: str = "X"          # H header word, L category word, C caption/noise, P placeholder row,
    #                          F foreign (header block, prose), B label (指标1 / 目标1 alone), X data
    level: str | None = None  # l1 / l2 / l12 for a category word
    shape: str = ""
    head: str | None = None   # the role a header word names
    label: str | None = None  # 目标1 / 指标1 standing in a column of its own before this name
    near: bool = False        # the data piece before it is on the line above (other columns' words between)
    lead: bool = True         # nothing but category words and captions left of it on its line
    full: bool = False        # as wide as the widest lines of the table's text: a cell wraps after it
    caption: bool = False     # characters stacked down a column that spell no category word
    displaced: bool = False   # beside a category word on its line: pdftotext flows it with that column
    hint: str | None = None   # the column a header word right above it in its block names
    named: bool = False       # a category word standing as a row's name (no level2 column)
    parts: list["Piece"] = field(default_factory=list)   # pieces joined into this one

    @property
    def sq(self) -> str:
        return squash(self.text)


# a space between two Han characters (or their punctuation) in a default-mode line separates two
# cells pdftotext put on one baseline; a space next to a Latin letter or digit is a font change
_HAN = r"[\p{Han}（）【】《》、，。；：！？“”…)]"
_CELL_SPACE = regex.compile(rf"(?<={_HAN})\s+(?={_HAN})|\s+(?=[★☆]+|指标\s*\d+\s*[:：])")


def _pieces(lines: list[Row]) -> list[Piece]:
    out: list[Piece] = []
    block = 0
    # the first and last lines of each page are where a page number stands
    ends: set[int] = set()
    for pg in {r.page for r in lines}:
        ks = [k for k, r in enumerate(lines) if r.page == pg and not r.blank]
        ends |= {ks[0], ks[-1]} if ks else set()
    for k, row in enumerate(lines):
        if row.blank:
            block += 1
            continue
        text = row.text(" ").strip()
        if not text:
            block += 1
            continue
        sq = squash(text)
        if (FURNITURE.match(sq) and (not sq.isdigit() or (k in ends and int(sq) == row.page))) or PAGE_OF.search(sq):
            continue      # a page number or a page's furniture (a bare number mid-page is a cell)
        parts = [p for p in _CELL_SPACE.split(text) if p.strip()]
        for c, p in enumerate(parts):
            out.append(Piece(p.strip(), k, block, row.page, c, len(parts)))
    return out



# -- category words and captions in pieces ----------------------------------------------------------

_CORES = ("数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "环境效益", "可持续影响", "服务对象满意度",
          "产出", "效益", "满意度", "投入", "效果", "经济成本", "社会成本", "生态环境成本", "生态环境效益",
          "社会公众或服务对象满意度", "可持续性影响", "项目产出", "项目效益")
_CAT_WORDS = tuple(c + s for c in _CORES for s in ("指标", "目标", "值", ""))
_OPEN = regex.compile(r"[(（][^)）]*$")
_ANNOT_REST = regex.compile(r"^[必选填硬性核心指标\d分]*[)）]?$")


def _category(text: str) -> str | None:
    """'l1' / 'l2' / 'l12': a whole category word (its annotation closed)."""
    s = squash(text)
    if _OPEN.search(s):
        return None
    lv = stream_level(s)
    if lv is None:
        return None
    core = strip_header(s)
    if not (_exact_category(core) or split_levels(core)):
        return None
    return lv


def _cat_start(s: str) -> bool:
    """The start of a category word cut by its cell's width (经济效益指 / 标, 数量指标（必 / 填）)."""
    if not s or len(s) > 16:
        return False
    m = _OPEN.search(s)
    if m:
        return _category(s[:m.start()]) is not None or _cat_start(s[:m.start()])
    return any(w.startswith(s) and w != s for w in _CAT_WORDS) and len(s) >= 2


def _stacks(ps: list[Piece]) -> list[Piece]:
    """A caption or a category word printed down a narrow column a character a line (产 / 出,
    年 / 度 / 绩 / 效 / 目 / 标 / 1 / （ / 8 / 0 / 分 / ）): one piece, a category word or a caption."""
    out: list[Piece] = []
    k = 0
    while k < len(ps):
        j = k
        while j < len(ps) and len(ps[j].sq) == 1 and ps[j].ncol == 1 and ps[j].page == ps[k].page and \
                (j == k or ps[j].line == ps[j - 1].line + 1):
            j += 1
        run = ps[k:j]
        text = "".join(p.sq for p in run)
        han = sum(1 for p in run if regex.match(r"\p{Han}", p.sq))
        if len(run) >= 2 and (_category(text) or strip_header(text) in _CAPTIONS or (len(run) >= 3 and han >= 2)):
            q = Piece(text, run[0].line, run[0].block, run[0].page, 0, 1, parts=run)
            q.caption = not _category(text)
            out.append(q)
            k = j
            continue
        out.append(ps[k])
        k += 1
    return out


def _join_categories(ps: list[Piece]) -> list[Piece]:
    """A category word wrapped in its narrow cell comes out in pieces on consecutive lines of
    one block, other columns' pieces between them (经济效益指 / 指标 2： / 标): the pieces that
    spell one are joined; a run of one-character lines (产 / 出, 绩 / 效 / 指 / 标) likewise."""
    ps = _stacks(ps)
    used: set[int] = set()
    out: list[Piece] = []
    for i, p in enumerate(ps):
        if i in used:
            continue
        s = p.sq
        whole = _category(s) is not None
        # (a whole category word may still go on: 可持续影响 / 指标（必填 / ）)
        nxt_open = any(regex.match(r"^[(（]", q.sq) and p.line < q.line <= p.line + 2 for q in ps[i + 1:i + 4])
        if len(s) > 1 and (_cat_start(s) or (whole and (not regex.search(r"(?:指标|[)）])$", s) or nxt_open))):
            acc, take, last = s, [], p
            best = None
            for j in range(i + 1, min(i + 12, len(ps))):
                q = ps[j]
                # (two level columns wrapped side by side interleave their lines: 满意度 / 服务对象满意 /
                # 指标 / 度指标, a block each)
                if j in used or q.page != p.page or q.line == last.line or q.line > last.line + 4 \
                        or q.block > last.block + 2:
                    continue
                if q.block == last.block + 2 and not any(
                        x.block == last.block + 1 and (_cat_start(x.sq) or i + 1 + n in used)
                        for n, x in enumerate(ps[i + 1:j])):
                    continue      # (only past a block of the other level column's word)
                t = q.sq
                if len(t) > 8 or LABEL_MARK.match(t) or EMPTY_ROW.match(t):
                    continue
                if _OPEN.search(acc):
                    # an annotation wrapped in the narrow cell: （必填硬性指 / 标）
                    if not _ANNOT_REST.match(t):
                        continue
                    acc, last = acc + t, q
                    take.append(j)
                    if _category(acc) is not None:
                        best = (list(take), acc)
                    continue
                cand = acc + t
                if _category(cand) is not None or _cat_start(cand) or (
                        _category(acc) is not None and _OPEN.search(cand) and _ANNOT_REST.match(t[1:])):
                    acc, last = cand, q
                    take.append(j)
                    if _category(cand) is not None:
                        best = (list(take), cand)
            if best is not None:
                used.update(best[0])
                np_ = Piece(best[1], p.line, p.block, p.page, p.col, p.ncol)
                np_.parts = [p] + [ps[j] for j in best[0]]
                out.append(np_)
                continue
        out.append(p)
    out = _join_interleaved_heads(out)
    # an annotation or points wrapped onto the next line alone: （必填） / （20分）; a header word
    # wrapped in its cell (未完成原因及拟采取的改 / 进措施)
    res: list[Piece] = []
    for p in out:
        joined = False
        for n in (3, 2, 1):        # the pieces of the lines above that make a header word with this one
            tail = res[-n:] + [p] if len(res) >= n else None
            if tail is None or any(x.block != p.block or x.ncol != 1 or len(x.sq) > (12 if k == 0 else 6)
                                   for k, x in enumerate(tail)) \
                    or any(y.line != x.line + 1 for x, y in zip(tail, tail[1:])) \
                    or _PROSE.search(tail[0].sq):
                continue
            text = "".join(x.text for x in tail)
            # (a first piece naming a column alone goes on only into a word the vocabulary spells
            # whole, of short pieces: 指标 / 性质)
            # (nor does a last piece that is a header word whole end a text the pieces above began:
            # 确保日常工作正 / … / 常运行 / 一级指标)
            if (_head(text, 24) and not _head(tail[0].text) and (spelled_header(text) or not spelled_header(p.sq))) or (
                    all(len(x.sq) <= 3 for x in tail) and spelled_header(text)):
                res[-n:] = [Piece(text, tail[0].line, tail[0].block, tail[0].page, tail[0].col, 1, parts=tail)]
                joined = True
                break
        if joined:
            continue
        if res and _category(res[-1].sq) and p.line <= res[-1].line + 2 and regex.match(
                r"^[(（][^()（）]{0,10}[)）]$|^[)）]$", p.sq):
            res[-1] = Piece(res[-1].text + p.text, res[-1].line, res[-1].block, res[-1].page, res[-1].col,
                            res[-1].ncol, parts=res[-1].parts + [p])
            continue
        res.append(p)
    return res


def _join_interleaved_heads(ps: list[Piece]) -> list[Piece]:
    """Two header cells wrapped side by side come out interleaved (年度 / 实际 / 指标值 / 完成值): a
    short piece that is no header word, with one of the next three short pieces making one with it
    (年度指标值), is that word's first line. Their first lines may share a line, their last ones
    come after the next column's word (计量单 指标性 / 权重 / 位 / 质): a line's pieces right after
    a header word each join the next short piece that makes a header word with it. A header word
    whose short last line comes after the next column's word (实际完成 / 分值 / 值) takes it back."""
    out = list(ps)
    # a header word whose last line, a short tail, comes after the next column's word (实际完成 /
    # 分值 / 值): the tail is its own
    k = 0
    while k + 2 < len(out):
        p, nxt, q = out[k], out[k + 1], out[k + 2]
        if p.ncol == 1 and q.ncol == 1 and q.page == p.page and p.line < nxt.line < q.line <= p.line + 3 \
                and len(q.sq) <= 2 and not header_scores(q.sq) and _head(nxt.text) and _head(p.text) \
                and spelled_header(p.text + q.text) and _head(p.text + q.text) == _head(p.text):
            out[k] = Piece(p.text + q.text, p.line, p.block, p.page, p.col, 1, parts=[p, q])
            del out[k + 2]
        k += 1
    k = 0
    while k < len(out):
        p = out[k]
        # (among the header's words: a header word right before it, or on its line before it)
        if len(p.sq) <= 4 and not header_scores(p.sq) and not _category(p.sq) \
                and regex.fullmatch(r"\p{Han}+", p.sq) and k > 0 and (
                    (p.ncol == 1 and _head(out[k - 1].text))
                    or (p.ncol > 1 and _line_after_head(out, k))):
            for j in range(k + 1, min(k + (4 if p.ncol == 1 else 6), len(out))):
                q = out[j]
                between = out[k + 1:j] if p.ncol > 1 else out[k + 1:j + 1]
                if q.page == p.page and p.line < q.line <= p.line + 6 and len(q.sq) <= (6 if p.ncol == 1 else 2) \
                        and q.ncol == 1 and (_head(p.text + q.text, 24) if p.ncol == 1 else (
                            not spelled_header(p.sq) and spelled_header(p.text + q.text))) and all(
                            _head(x.text) or (p.ncol > 1 and x.line == p.line) for x in between):
                    joined = Piece(p.text + q.text, q.line, q.block, q.page, q.col, 1, parts=[p, q])
                    if p.ncol == 1:
                        out[j] = joined
                        del out[k]
                        k -= 1
                    else:      # (first lines side by side: the columns' order is theirs)
                        out[k] = joined
                        del out[j]
                    break
        k += 1
    return out


def _line_after_head(ps: list[Piece], k: int) -> bool:
    """Piece k stands on a line of short pieces right after a header word's line."""
    first = k - ps[k].col
    return first > 0 and ps[first - 1].line < ps[k].line and _head(ps[first - 1].text) is not None \
        and all(len(x.sq) <= 4 for x in ps[first:first + ps[k].ncol])


# -- what each piece is ----------------------------------------------------------------------------

_LABEL_ONLY = regex.compile(r"^(?:指标|目标)\s*\d+\s*[:：]?$")
_PROSE = regex.compile(r"[，。；;,]")
_HEAD_ROLES = ("l1", "l2", "name", "label", "value", "op", "unit", "value_long", "actual", "weight", "score",
               "note", "valtype", "direction", "seq")


_BLOCK_LABELS = ("project_name", "department", "department_code", "implementing_unit", "funds_block", "funds_total",
                 "funds_fiscal", "funds_other", "funds_executed", "project_attribute", "project_period", "unit_name",
                 "budget", "signoff")


def _worded_value(t: str) -> bool:
    """A standard worded like a header word (达到目标值, 达到预期): a cell, no header word."""
    return bool(STANDARD_WORDS.match(t))


def _head(text: str, longest: int = 16) -> str | None:
    """The column role a header word names (strength 3), or None."""
    t = squash(text)
    if not t or len(t) > longest or _category(t) or LABEL_MARK.match(t) or _LABEL_ONLY.match(t) or _worded_value(t):
        return None
    lab = header_label(t)
    if lab is not None and lab[0] in _BLOCK_LABELS:
        return None
    sc = header_scores(t)
    hit = [r for r in _HEAD_ROLES if sc.get(r, 0.0) >= 3.0]
    if hit == ["name"] and t.endswith("指标") and t not in _NAME_HEADS:
        return None      # ends in 指标 and no more: a caption or a category (评价指标, 制度指标)
    return hit[0] if hit else None


_NAME_HEADS = {"三级指标", "具体指标", "明细指标", "指标", "绩效指标名称"}
# header words ending in 指标 that name a column, not a category of indicators
_HEAD_WORDS_ZHIBIAO = {"一级指标", "二级指标", "三级指标", "评价指标", "绩效指标", "具体指标", "明细指标", "年度指标",
                       "考核指标", "产出指标", "效益指标"}


def _weak_head(text: str) -> str | None:
    t = squash(text)
    if not t or len(t) > 10 or _category(t) or LABEL_MARK.match(t) or _LABEL_ONLY.match(t) or _worded_value(t):
        return None
    lab = header_label(t)
    if lab is not None and lab[0] in _BLOCK_LABELS:
        return None
    if _SHORT_CATEGORY.match(t) and t not in _HEAD_WORDS_ZHIBIAO:
        return None
    sc = header_scores(t)
    if not sc:
        return None
    if "name" in sc and t.endswith("指标") and t not in _NAME_HEADS:
        sc = {r: w for r, w in sc.items() if r != "name"} or {"l2": 1.0}
    best = max(sc.values())
    return next(r for r, w in sc.items() if w == best) if best >= 1.0 else None


def _tail(ps: list[Piece], k: int) -> bool:
    """A character alone on its line that ends the wrapped text on the line above (…培训 91 / 人)."""
    p = ps[k]
    prev = ps[k - 1] if k else None
    return prev is not None and prev.block == p.block and prev.line == p.line - 1 and len(prev.sq) >= 8 \
        and p.ncol == 1 and not any(len(q.sq) == 1 and q is not p and abs(q.line - p.line) <= 3
                                    for q in ps[max(0, k - 6):k + 7])


_NOTE_HEAD = regex.compile(r"(?:原因|措施|备注|说明)(?:分析)?$")
_SHORT_CATEGORY = regex.compile(r"^\p{Han}{2,4}指标$")
_LATE_HEADS = ("l1", "l2", "name", "value", "value_long", "actual", "weight", "score", "unit", "op")


def _lone_unit(ps: list[Piece], k: int) -> bool:
    """Piece k is a unit's one character (户, 人) with no one-character line next to it (a
    caption printed down a column comes a character a line)."""
    p = ps[k]
    near = [q for q in ps[max(0, k - 1):k + 2] if q is not p and len(q.sq) == 1 and abs(q.line - p.line) <= 1]
    return shape(p.sq) == "U" and not near


def classify(ps: list[Piece]) -> None:
    """Mark each piece's kind (see Piece.kind)."""
    # where the table's data starts: at its first header word naming the name or value column;
    # what stands before it other than header words, category words and captions is not the table's
    start = next((k for k, p in enumerate(ps) if _head(p.text) in ("name", "value", "value_long")), None)
    # (or at the level2 column's word where rows' values come between it and that word: the
    # name's and value's words flowed after the rows they head)
    l2 = next((k for k, p in enumerate(ps[:start]) if _head(p.text) == "l2"), None) if start is not None else None
    nxt_head = next((k for k in range(l2 + 1, len(ps)) if _head(ps[k].text)), len(ps)) if l2 is not None else 0
    if l2 is not None and sum(1 for p in ps[l2 + 1:nxt_head] if not _category(p.sq)
                              and _cellish(p.text) in ("V", "N")) >= 2:
        start = l2
    heads_seen: set[str] = set()
    roles_seen: set[str] = set()
    # (a unit column: a unit's one character alone is its cell, 户 / 人, no caption's)
    has_unit = any("unit" in (_head(p.text), _weak_head(p.text)) for p in ps)
    in_run = True          # the header's own run of words, from its start to the first data piece
    for k, p in enumerate(ps):
        s = p.sq
        lv = _category(s)
        if lv:
            p.kind, p.level = "L", lv
            continue
        lab = header_label(s)
        before = start is None or k < start
        wrap = k > 0 and ps[k - 1].kind == "X" and ps[k - 1].block == p.block and ps[k - 1].line == p.line - 1 \
            and ps[k - 1].ncol == 1 and p.ncol == 1
        if GOAL_COLUMN.fullmatch(s) and not GOAL_ACTUAL.search(s) and not _head(p.text):
            p.kind = "F"      # the planned goals' column word (年初设定目标): the goal after it is the form's
            continue
        if (before or in_run) and (_head(p.text) or _weak_head(p.text)) and strip_header(s) not in _CAPTIONS:
            pass
        elif wrap and strip_header(s) in _CAPTIONS and not p.caption:
            pass              # a caption's word on the line after a cell in its paragraph: the cell wrapped
        elif p.caption or _TOTAL.match(s) or strip_header(s) in _CAPTIONS or (len(s) == 1 and regex.match(r"\p{Han}", s)
                                            and not regex.match(r"^[是否有无]$", s) and not _tail(ps, k)
                                            and not (has_unit and _lone_unit(ps, k))) \
                or (start is not None and k > start and lab is not None and lab[0] in ("goals", "goal")
                    and not lab[1] and len(s) <= 10) \
                or regex.match(r"^[(（][^\d()（）]*[)）]$", s):
            p.kind = "C"     # a caption down the side of the table or a block; an annotation alone
            continue
        if EMPTY_ROW.match(s) or (LABEL_MARK.match(s) and not LABEL_MARK.sub("", s).strip()):
            p.kind = "P"
            continue
        if _LABEL_ONLY.match(s):
            p.kind = "B"
            continue
        strong, weak = _head(p.text), _weak_head(p.text)
        before = start is None or k < start
        if before and lab is not None and not strong:
            p.kind = "F"      # the header block's label (年度总体目标), not a column's
            continue
        nxt = next((q for q in ps[k + 1:k + 3] if q.kind not in ("L", "C")), None)
        h = None
        if before or in_run:
            h = strong or weak
        elif strong and (s in heads_seen or (strong not in roles_seen and strong in _LATE_HEADS and len(s) <= 8
                                             and spelled_header(s))
                         or (nxt is not None and _head(nxt.text))
                         or (strong == "note" and (p.parts or _NOTE_HEAD.search(s)))):
            h = strong       # a header word the dump flowed among the data, or repeated on a later page
        if h:
            p.kind, p.head = "H", h
            heads_seen.add(s)
            roles_seen.add(h)
            continue
        if _SHORT_CATEGORY.match(s) and s not in _HEAD_WORDS_ZHIBIAO:
            p.kind, p.level = "L", "l2"     # a category of the form's own (制度指标)
            continue
        if before:
            p.kind = "F"
            continue
        lab = header_label(s)
        # (a header block's label with its value, 财政资金100万; not a name opening like one, 财政资金到位及时支付率)
        if GOAL_MARK.match(s) or (lab is not None and lab[0] in _BLOCK_LABELS
                                  and (not lab[1] or regex.search(r"\d", lab[1]) or ORG_END.search(lab[1]))):
            p.kind = "F"
            continue
        p.kind = "X"
        in_run = False
    # prose pdftotext flowed in among the data (a goal's text, what was done: 已完成…。): a run of a
    # block's lines that ends a sentence is no cell
    k = 0
    while k < len(ps):
        j = k
        while j + 1 < len(ps) and ps[j + 1].block == ps[k].block and ps[j + 1].line == ps[j].line + 1 \
                and ps[j + 1].ncol == 1 and ps[j].ncol == 1:
            j += 1
        run = ps[k:j + 1]
        text = "".join(p.sq for p in run)
        if all(p.kind == "X" for p in run) and len(text) >= 20 and text.endswith("。") \
                and len(_PROSE.findall(text)) >= 2:
            for p in run:
                p.kind = "F"
        k = j + 1
    # a mark alone on the line after prose (…报送重要信息 / 。) is the prose's
    for a, b in zip(ps, ps[1:]):
        if a.kind == "F" and b.kind in ("P", "C") and b.block == a.block and b.line == a.line + 1 \
                and regex.match(r"^[。；;，,]$", b.sq):
            b.kind = "F"
    # no level2 column and no category word before the data: a category word with a value right
    # after it is a name here (服务对象满意度 | 5 | % | 95; 数量指标 | 375万平方米 under 指标名称)
    if not any(p.head == "l2" for p in ps if p.kind == "H") and \
            not any(p.kind == "L" for p in ps[:start or 0]):
        data = [p for p in ps if p.kind in ("X", "L")]
        for p, q in zip(data, data[1:]):
            if p.kind == "L" and q.kind == "X" and shape(q.text) in ("V", "N", "O", "U"):
                p.kind, p.level, p.named = "X", None, True


# -- rows: names and the cells right of them --------------------------------------------------------

_STAR = regex.compile(r"^[★☆]")
_EXPLAINS = regex.compile(rf"{EXPLANATION_OPEN}|指.{{2,}}(?:达到|的水平|情况)")
_CLOSER = regex.compile(r"^[)）、，,。；;：:%]")
_HINT = regex.compile(r"[(（][^()（）]*\*\*[^()（）]*[)）]?")
_DATE_LIKE = regex.compile(r"^\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?")


def _cellish(t: str) -> str:
    """A data piece's shape, dates without a deadline word counted as values."""
    sh = shape(t)
    if sh == "T" and _DATE_LIKE.match(squash(t)):
        return "V"
    return sh


# cost of a piece of this shape as a cell of a column of this role (absent: not allowed)
_FIT = {
    "value": {"V": 0.0, "N": 0.3, "T": 1.0, "D": 1.0, "M": 2.0, "S": 1.6, "C": 3.0},
    "op": {"O": 0.0},
    "unit": {"U": 0.0},
    "closed": {"C": 0.0, "O": 0.0},
    "valtype": {"C": 0.0},
    "direction": {"C": 0.0},
    "weight": {"N": 0.0, "V": 3.5},
    "note": {"D": 0.0, "S": 0.3, "T": 0.6, "M": 0.8, "V": 1.2, "N": 3.0},
    "seq": {"N": 0.0},
}
_FIT["actual"] = _FIT["value_long"] = _FIT["value"]
_FIT["score"] = _FIT["weight"]
# cost of leaving a column of a row empty
_SKIP = {"value": 2.2, "actual": 1.4, "value_long": 1.4, "op": 0.5, "unit": 0.5, "weight": 0.8, "score": 0.8,
         "closed": 0.5, "valtype": 0.5, "direction": 0.5, "note": 0.3, "seq": 0.8}
_NAME = {"T": 0.0, "M": 0.0, "S": 0.5, "V": 1.6, "D": 3.0, "N": 4.0, "O": 6.0, "U": 6.0, "C": 5.0}
_DROP = {"N": 2.5, "O": 3.0, "U": 3.0, "T": 3.5, "M": 3.5, "S": 2.5, "V": 3.0, "D": 3.0, "C": 3.0}
EMPTY_ROW_COST = 2.5      # a name with no cell at all
BEHIND = 0.03             # per row a cell is written after its row's name was (a column flowed late)
AHEAD = 1.2               # per row whose cells are written before its name
BEAM = 60               # states kept per piece (100 read no better on the real or generated dumps, at 1.3x the time)
MARGIN = 10.0             # states costing this much more than the best are dropped
TABLE_UNSURE = 2.5        # a row, on average: a table read at this cost or more gives none of its rows
ORDER_SURE = 1.0          # a row: a table read at less is read in the header's first order
UNSURE = 3.0              # a row whose reading cost this much is left out (row_alignment_lost)


@dataclass
class FlowRow:
    name: list[Piece] = field(default_factory=list)
    cells: dict[str, list[Piece]] = field(default_factory=dict)
    placeholder: bool = False
    pos: int = 0              # index of its first piece in the table's pieces
    cost: float = 0.0         # what reading its pieces as this row cost in the search


# how a value opens: a number, an operator, or one in words (不低于, 达到)
_VALUE_OPEN = regex.compile(r"^(?:[\d≥≤≧≦<>＜＞=＝+\-]|不?(?:低于|少于|超过|高于|大于|小于)|达到)")


def _join_cost(a: Piece, b: Piece, cell: bool) -> float:
    """Cost of reading b as the next line of the cell a (one cell wrapped in its width)."""
    if a.page != b.page or a.block != b.block or not b.near or not b.lead:
        return INF
    ta, tb = a.sq, b.sq
    if LABEL_MARK.match(tb) or regex.match(r"^[★☆]", tb):
        return INF
    if regex.search(r"[(（][^()（）]*$", ta):
        return 0.05               # an open bracket goes on
    if regex.match(r"^[)）、，,。；;：:%]", tb):
        return 0.05
    if regex.search(r"[、，,；;（(：:—-]$", ta):
        return 0.15
    if ta.endswith("不") and regex.match(r"(?:低于|少于|超过|高于|大于|小于)", tb):
        return 0.05               # a value's word cut at the width: 不 / 低于95%
    if cell:
        if OPERATOR_ONLY.match(ta) or (regex.search(r"[\d年月]$", ta) and (shape(tb) == "U" or (
                len(tb) <= 3 and not tb[0].isdigit()))):
            return 0.1            # 不超过149 / 万元, 2022年6月底之 / 前, 2021年12月 / 底前
        if a.full and not _VALUE_OPEN.match(tb) and len(tb) >= 6:
            return 0.3            # after a full line words, not a value's start: 满意率应该在95%以上
        if _cellish(tb) in ("V", "N") and len(tb) >= 2:
            return 3.0            # a whole value of its own: the next row's
        if a.full:
            return 0.3
        return 0.8 if len(tb) <= 4 else 1.5
    if a.full:
        return 0.2                # a line as wide as the column's widest: the cell wraps there
    if NAME_END.search(ta) and len(tb) >= 4 and NAME_END.search(tb):
        return 3.0                # a name ends at the word for what it measures (…合格率), and so does this
    if len(tb) <= 3 and shape(tb) not in ("V", "N"):
        return 0.3
    return 1.6


AFTER_NAME = 1.0          # a cell right after a name that goes to an earlier row
PAIR = 0.8                # what was achieved, right after its target, in the same words (25TB | 25TB)
DEFER = 2.5               # a row whose name pdftotext wrote elsewhere, beside its category word
DEFER_VALUE = 0.6         # a row whose value comes later, in a run of the value column's own
LATE = 0.3
WRAPPED = 1.5            # a new name right after a name's line that wraps (full width, 、 or an open bracket)
GAP_WAIT = 1.8            # a row passed over whose value comes later


def _same_pair(a: Piece | None, b: Piece) -> bool:
    """A target and what was achieved in the same words (25TB | 25TB, 全天候可用 | 全天候)."""
    if a is None or len(a.sq) < 2 or len(b.sq) < 2:
        return False
    return a.sq == b.sq or a.sq.startswith(b.sq) or b.sq.startswith(a.sq)


def _rows_dp(toks: list[Piece], template: list[str], costs: list[float] | None = None,
             bound: float = INF, beam: int = BEAM) -> list[FlowRow] | None:
    """Names and cells of the data pieces in order (see the module docstring): a beam search over
    (names read, the row and column the cells have reached, what the last piece was, rows whose
    names come later beside their category words, rows whose values come later). The reading's
    whole cost is appended to `costs`; None where every reading costs more than `bound`."""
    k = len(template)
    jv = template.index("value") if "value" in template else None
    skip_pre = [0.0] * (k + 1)
    for j in range(k):
        skip_pre[j + 1] = skip_pre[j] + _SKIP.get(template[j], 0.5)

    def skip(a: int, b: int) -> float:   # columns a..b-1 left empty
        return skip_pre[b] - skip_pre[a] if b > a else 0.0

    def close(c: int) -> float:          # the rest of a row left empty
        return skip(c, k) if c > 0 else EMPTY_ROW_COST

    value_skip = _SKIP["value"]
    skip_all = skip(0, k)
    # where most names open with a label (指标1：, 目标1 in a column of its own), a piece without
    # one is the rest of a wrapped name or a cell
    labelled = sum(1 for t in toks if LABEL_MARK.match(t.sq) or t.label) >= 2
    explains = "note" in template
    # a short text standing again and again (达到目标值, 按行业标准) is a column's value: names differ
    seen: dict[str, int] = {}
    for t in toks:
        seen[t.sq] = seen.get(t.sq, 0) + 1
    # names on a category word's line, still to come after each piece
    disp_after = [0] * (len(toks) + 1)
    for i in range(len(toks) - 1, -1, -1):
        disp_after[i] = disp_after[i + 1] + (1 if toks[i].displaced else 0)
    # a state: (m names read, cursor row r, column c, what the last piece was, dn rows waiting
    # for a name beside a category word and fl of them named, whether row r is one, pv rows
    # whose value comes later and fv of them filled, whether row r has its value)
    start = (0, 0, k, "", 0, 0, False, 0, 0, False)
    states: dict[tuple, tuple] = {start: (0.0, None, None)}
    trail: list[dict[tuple, tuple]] = []
    for i, t in enumerate(toks):
        sh = t.shape
        nxt: dict[tuple, tuple] = {}
        get = nxt.get
        floor = min(v[0] for v in states.values()) + MARGIN + 6.0   # (no step costs more than this)

        def add(cost, key, prev, op):
            if cost > floor:
                return
            old = get(key)
            if old is None or cost < old[0] - 1e-9:
                nxt[key] = (cost, prev, op)

        # what the piece costs as each thing, whatever the state
        prevtok = toks[i - 1] if i else None
        nc = _NAME.get(sh, 3.0)
        opens = bool(LABEL_MARK.match(t.sq) or _STAR.match(t.sq) or t.label)
        if opens:
            nc = 0.0
        elif _CLOSER.match(t.sq):
            nc = 5.0          # a closing mark ends a wrapped cell, it opens none
        elif labelled:
            nc += 3.0
        if not opens and len(t.sq) <= 3:
            nc += 1.0         # a name of a character or three: rather the rest of a wrapped cell
        if not opens and seen[t.sq] >= 2 and len(t.sq) <= 12:
            nc += 1.5
        if explains and not opens and len(t.sq) >= 8 and _EXPLAINS.match(t.sq):
            nc += 2.0         # worded as an explanation (反映…, 指…达到的水平) where a column holds them
        jn = _join_cost(prevtok, t, False) if prevtok is not None and not opens else INF
        jvc = _join_cost(prevtok, t, True) if prevtok is not None and not opens else INF
        drop = _DROP.get(sh, 3.0)
        if "actual" not in template and prevtok is not None and sh in ("N", "V") \
                and regex.sub(r"^[=＝≥≤≧≦<>＜＞]+", "", prevtok.sq) == t.sq:
            drop = 0.5        # a value written twice running where no column repeats it: once is the row's
        fits = [(j, f) for j in range(k) if (f := _FIT.get(template[j], {}).get(sh)) is not None] if not opens else []
        if t.hint in template:
            fits = [(j, f) for j, f in fits if template[j] == t.hint] or fits
        late_fit = _FIT["value"].get(sh) if jv is not None and sh in ("V", "N") and not opens else None
        same_line = prevtok is not None and prevtok.line == t.line
        other_line_same_block = prevtok is not None and prevtok.line != t.line and prevtok.block == t.block
        can_defer = disp_after[i + 1]
        # lines of one block are one column's: after a name's line, a name or its next line; after
        # a cell's, a cell or its next line
        stacked = prevtok is not None and prevtok.block == t.block and prevtok.line + 1 == t.line \
            and t.ncol == 1 and prevtok.ncol == 1
        for key, (base, _p, _o) in states.items():
            m, r0, c0, last, dn, fl, cur_def, pv, fv, hv = key
            here = key
            if stacked and last in ("N", "F"):
                base_name, base_cell = base, base + 3.0
            elif stacked and last in ("V", "L"):
                base_name, base_cell = base + 3.0, base
            else:
                base_name = base_cell = base
            # a new name (a labelled one, 指标N：…, is always one); or the name of a row whose
            # cells came before it, written beside its category word (which fills such a row first)
            add(base_name + nc + (0.3 if t.displaced and fl < dn else 0.0) + (WRAPPED if last in ("N", "F") and jn <= 0.2 else 0.0),
                (m + 1, r0, c0, "N", dn, fl, cur_def, pv, fv, hv), here, ("name", i))
            if t.displaced and fl < dn:
                add(base_name + nc, (m, r0, c0, "F", dn, fl + 1, cur_def, pv, fv, hv), here, ("fill", i))
            if opens:
                continue
            # the next line of the name before, or of the cell before
            if last in ("N", "F") and jn < INF:
                add(base + jn, (m, r0, c0, last, dn, fl, cur_def, pv, fv, hv), here, ("name+", i))
            if last == "V" and jvc < INF:
                add(base + jvc, (m, r0, c0, "V", dn, fl, cur_def, pv, fv, hv), here, ("cell+", i))
            add(base + drop, (m, r0, c0, last if last != "V" else "D", dn, fl, cur_def, pv, fv, hv), here,
                ("drop", i))
            # a value of a row that left it for later (a run of the value column written after
            # the rows: the rows waiting take them in order; the current row may wait too)
            base = base_cell
            if late_fit is not None:
                if pv > fv:
                    add(base + late_fit + LATE, (m, r0, c0, "L", dn, fl, cur_def, pv, fv + 1, hv), here,
                        ("late", i, None))
                if not hv and r0 > 0 and c0 <= jv:
                    add(base + late_fit + LATE + DEFER_VALUE,
                        (m, r0, c0, "L", dn, fl, cur_def, pv + 1, fv + 1, True), here, ("late", i, r0))
            if not fits:
                continue
            # a cell of the current row, or of a later one
            nr0 = r0 - dn
            extra_same = 0.6 if last == "V" and other_line_same_block else 0.0  # lines of a block: rows
            if last == "N" and nr0 < m and not cur_def:
                extra_same += AFTER_NAME       # a cell right after a name is mostly that name's
            pos_same = 0.0 if cur_def else (BEHIND * (m - nr0) if nr0 <= m else 0.0)
            extra0 = 1.0 if last == "V" and same_line else 0.0                  # one line, one row
            row_done = close(c0) if r0 > 0 else 0.0
            # the row before may leave its value for later
            wait = r0 > 0 and jv is not None and not hv and c0 <= jv
            ahead_jump = 1.5 if (nr0 == m and last == "V" and not cur_def) else 0.0
            top = min(m + dn + 8, r0 + 2)
            defer = dn - fl + 1 <= can_defer
            for j, f in fits:
                isv = j == jv
                if j >= c0 and r0 > 0:
                    # what was achieved written as the target right before it (25TB | 25TB): a pair
                    pair = -PAIR if template[j] == "actual" and last == "V" and jv is not None and c0 - 1 == jv \
                        and _same_pair(prevtok, t) else 0.0
                    add(base + skip(c0, j) + f + pos_same + extra_same + pair,
                        (m, r0, j + 1, "V", dn, fl, cur_def, pv, fv, hv or isv), here, ("cell", i, r0, j, ()))
                lead = skip(0, j) + f + extra0
                for r in range(r0 + 1, top + 1):
                    nr = r - dn
                    if nr <= m:
                        pos = BEHIND * (m - nr) + (AFTER_NAME if last == "N" and nr < m else 0.0)
                    else:
                        pos = AHEAD + ahead_jump   # (the cells after a row's own run ahead of the names)
                    cost = base + (r - r0 - 1) * EMPTY_ROW_COST + row_done + lead + pos
                    add(cost, (m, r, j + 1, "V", dn, fl, False, pv, fv, isv), here, ("cell", i, r, j, ()))
                    if jv is None:
                        continue
                    # the row before, and rows passed over, may wait for values written later
                    gap = tuple(range(r0 + 1, r))
                    gap_cost = len(gap) * (GAP_WAIT + skip_all - value_skip)
                    if gap:
                        add(cost - len(gap) * EMPTY_ROW_COST + gap_cost,
                            (m, r, j + 1, "V", dn, fl, False, pv + len(gap), fv, isv), here, ("cell", i, r, j, gap))
                    if wait:
                        add(cost - value_skip + DEFER_VALUE, (m, r, j + 1, "V", dn, fl, False, pv + 1, fv, isv),
                            here, ("cell", i, r, j, (r0,)))
                        if gap:
                            add(cost - value_skip + DEFER_VALUE - len(gap) * EMPTY_ROW_COST + gap_cost,
                                (m, r, j + 1, "V", dn, fl, False, pv + 1 + len(gap), fv, isv), here,
                                ("cell", i, r, j, (r0,) + gap))
                if defer:
                    # a row whose name comes later, beside its category word
                    add(base + row_done + lead + DEFER, (m, r0 + 1, j + 1, "V", dn + 1, fl, True, pv, fv, isv),
                        here, ("cell", i, r0 + 1, j, ()))
        if not nxt:
            return None
        ranked = sorted(nxt.items(), key=lambda kv: kv[1][0])
        if ranked[0][1][0] > bound:
            return None       # (dearer already than a reading found with another template; a
            #                   path's cost falls only by a pair's bonus, so this prunes nearly exactly)
        cut = ranked[0][1][0] + MARGIN
        # (each state keeps its own way back: the key it came from and the op, in `trail`)
        trail.append({key: (v[1], v[2], v[0]) for key, v in ranked[:beam] if v[0] <= cut})
        states = {key: v for key, v in ranked[:beam] if v[0] <= cut}
    # close: every name needs its row; cells may not run ahead of the names
    final = None
    for ahead_ok in (False, True):
        for key, (cost, _p, _o) in states.items():
            m, r, c, last, dn, fl, cur_def, pv, fv, hv = key
            if not ahead_ok and (r - dn > m or fl != dn):
                continue
            cost += (close(c) if r > 0 else 0.0) + abs(m - (r - dn)) * EMPTY_ROW_COST + (pv - fv) * value_skip
            if final is None or cost < final[0]:
                final = (cost, key)
        if final is not None:
            break
        # (else cells ran ahead of the names the dump wrote, or rows waited for names beside
        # category words that never came: the rows that got no name are left out, the others read)
    if final is None:
        return None
    if costs is not None:
        costs.append(final[0])
    chain = []
    key = final[1]
    for step in range(len(toks) - 1, -1, -1):
        prev, op, cost = trail[step][key]
        before = trail[step - 1][prev][2] if step else 0.0
        chain.append((key, op, cost - before, prev))
        key = prev
    chain.reverse()
    # rows in the order of their cells; a deferred row takes the names written beside category
    # words in turn, the others the names in order; rows that left their values take the late
    # values in turn
    n_rows = final[1][1]
    deferred = [False] * (n_rows + 2)
    waiting: list[int] = []
    for key, op, _c, _p in chain:
        if op[0] == "cell" and key[6]:
            deferred[op[2]] = True
        if op[0] == "cell":
            waiting.extend(op[4])
        if op[0] == "late" and op[2] is not None:
            waiting.append(op[2])
    normal = [r for r in range(1, n_rows + 1) if not deferred[r]]
    later = [r for r in range(1, n_rows + 1) if deferred[r]]
    rows: dict[int, FlowRow] = {}
    extra_rows = n_rows
    last_name: int | None = None
    last_cell: tuple[int, str] | None = None
    m = f_ = lv = 0
    for key, op, step_cost, prev in chain:
        kind, i = op[0], op[1]
        # a row's doubt: what placing its cells cost, less what its empty columns, closing the row
        # before, rows passed over and a name beside its category word cost (patterns pdftotext
        # writes); a name's own cost only where a value-shaped piece opened it (44,561 as a name)
        if kind == "cell" and op[2] != prev[1]:
            step_cost -= (close(prev[2]) if prev[1] > 0 else 0.0) + skip(0, op[3])
            if not op[4]:       # (rows passed over or waiting: their own costs replaced these)
                step_cost -= (op[2] - prev[1] - 1) * EMPTY_ROW_COST
            if key[6]:
                step_cost -= DEFER
            step_cost = max(0.0, step_cost)
        elif kind in ("name", "fill", "name+"):
            step_cost = step_cost if kind != "name+" and toks[i].shape not in ("T", "M", "S") else 0.0
        if kind == "name":
            m += 1
            if m <= len(normal):
                r = normal[m - 1]
            else:
                extra_rows += 1
                r = extra_rows
            rows.setdefault(r, FlowRow()).name, rows[r].pos = [toks[i]], i
            last_name = r
            rows[r].cost += step_cost
        elif kind == "fill":
            f_ += 1
            r = later[f_ - 1]
            rows.setdefault(r, FlowRow()).name, rows[r].pos = [toks[i]], i
            last_name = r
            rows[r].cost += step_cost
        elif kind == "name+" and last_name is not None:
            rows[last_name].name.append(toks[i])
            rows[last_name].cost += step_cost
        elif kind == "cell":
            r, j = op[2], op[3]
            rows.setdefault(r, FlowRow()).cells[template[j]] = [toks[i]]
            last_cell = (r, template[j])
            rows[r].cost += step_cost
        elif kind == "cell+" and last_cell is not None:
            rows[last_cell[0]].cells[last_cell[1]].append(toks[i])
            rows[last_cell[0]].cost += step_cost
        elif kind == "late":
            r = waiting[lv]
            lv += 1
            rows.setdefault(r, FlowRow()).cells["value"] = [toks[i]]
            rows[r].cost += step_cost
    return [rows[r] for r in sorted(rows)]


# -- the table --------------------------------------------------------------------------------------

_CANON_HEAD = {"l1": "一级指标", "l2": "二级指标", "name": "三级指标", "value": "指标值", "value_long": "长期指标值",
               "actual": "实际完成值", "weight": "分值", "score": "得分", "op": "计算符号", "unit": "计量单位",
               "note": "备注", "seq": "序号", "closed": "指标性质", "valtype": "指标类型", "direction": "指标方向"}


def _template(heads: list[Piece]) -> list[str]:
    """The roles of the columns right of the name, in the header's order."""
    from parse.cellstream import header_template
    roles = header_template([p.text for p in heads])
    return [r for r in roles if r not in ("name", "label")]


def _text(ps: list[Piece]) -> str:
    return "\n".join(p.text for p in ps)


# the framework's order of level2 categories: where the dump flowed a level column's words in a run
# of their own, they take their places among the others by it
_ORDER = {c: k for k, c in enumerate(("数量指标", "质量指标", "时效指标", "成本指标", "经济成本指标", "社会成本指标",
                                      "生态环境成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
                                      "可持续影响指标", "服务对象满意度指标"))}
_COST_L2 = ("经济成本指标", "社会成本指标", "生态环境成本指标")
_NUM = regex.compile(r"^\s*[*★☆]*\s*(?:指标|目标)\s*(\d+)")


@dataclass
class _Mark:
    piece: Piece
    pos: int
    text: str
    lines: set
    l1: str | None = None       # canonical level1 it names
    l2: str | None = None       # the level2 it names (canonical where known, else as written)


def _marks(ps: list[Piece]) -> tuple[list[_Mark], list[_Mark]]:
    """The table's category words: (level2 words, level1 words) in the dump's order. 成本 is a
    level1 only where the table has the kinds of cost under it (经济成本指标 …)."""
    cost_l1 = any(canonical_level2(p.text) in _COST_L2 for p in ps if p.kind == "L")
    l2s, l1s = [], []
    for k, p in enumerate(ps):
        if p.kind != "L":
            continue
        m = _Mark(p, k, p.text, {q.line for q in (p.parts or [p])})
        c1, c2 = canonical_level1(p.text), canonical_level2(p.text)
        if c1 == "满意度指标" and c2 and strip_header(squash(p.text)) not in ("满意度指标", "满意度", "满意度值"):
            c1 = None         # 服务对象满意度指标: the level2 under 满意度指标
        both = split_levels(p.text) if not c2 or p.level == "l12" else None
        if both and p.level == "l12":
            m.l1, m.l2 = both
            l2s.append(m)
        elif p.level == "l1" and (c1 or not c2) and not (c1 == "成本指标" and not cost_l1):
            m.l1 = c1 or strip_header(squash(p.text))
            l1s.append(m)
        else:
            m.l2 = c2 or strip_header(squash(p.text))
            l2s.append(m)
    return l2s, l1s


def _merge_runs(marks: list[_Mark], rows_pos: list[int], ps: list[Piece]) -> list[_Mark]:
    """A level column pdftotext flowed on its own comes as a run of category words before or after
    the rows (or among them): such words go where the framework's order puts them among the
    words that stand by their rows (alone between two rows, or on a name's line)."""
    if len(marks) < 2:
        return marks
    data_lines = {p.line for p in ps if p.kind == "X"}
    in_run: set[int] = set()
    for a, b in zip(marks, marks[1:]):
        if not any(p.kind in ("X", "P") for p in ps[a.pos + 1:b.pos]):
            in_run.update((id(a), id(b)))

    def anchored(m: _Mark) -> bool:
        if m.lines & data_lines:
            return True
        return id(m) not in in_run and any(a < m.pos < b for a, b in zip(rows_pos, rows_pos[1:]))
    fixed = [m for m in marks if anchored(m)]
    free = [m for m in marks if not anchored(m)]
    if not fixed or not free or any(m.l2 not in _ORDER for m in marks):
        return marks
    out = list(fixed)
    for m in free:
        rank = _ORDER[m.l2]
        k = next((x for x, f in enumerate(out) if _ORDER[f.l2] > rank), len(out))
        out.insert(k, m)
    return out


SKIP_MARK = 1.6          # a mark written that heads no row


def _assign(rows: list[FlowRow], marks: list[_Mark], ps: list[Piece], kind: str) -> list[int | None]:
    """Which mark (index) each row stands under: contiguous groups in the marks' order, by
    dynamic programming over the evidence (see the module docstring)."""
    from parse.cellstream import _categories, _fit
    n, M = len(rows), len(marks)
    if not n or not M:
        return [None] * n
    # the data piece after each mark and the row each data piece is in
    row_of: dict[int, int] = {}
    for r, row in enumerate(rows):
        for p in row.name + [q for v in row.cells.values() for q in v]:
            row_of[id(p)] = r
            for q in p.parts:
                row_of.setdefault(id(q), r)
    index = {id(p): k for k, p in enumerate(ps)}
    score = [[0.0] * M for _ in range(n)]
    for m, mk in enumerate(marks):
        nxt = next((q for q in ps[mk.pos + 1:] if q.kind in ("X", "P") and id(q) in row_of), None)
        prv = next((q for q in reversed(ps[:mk.pos]) if q.kind in ("X", "P") and id(q) in row_of), None)
        for r, row in enumerate(rows):
            if any(q.line in mk.lines for q in row.name):
                score[r][m] += 6.0           # on the baseline of the row's name
        # right before a name, the only word of its column since the row before: its own (a run of
        # them is a piece of the column pdftotext flowed on its own)
        between = ps[index[id(prv)] + 1:index[id(nxt)]] if prv is not None and nxt is not None else []
        if nxt is not None and prv is not None and rows[row_of[id(nxt)]].name \
                and nxt is rows[row_of[id(nxt)]].name[0] \
                and sum(1 for q in between if q.kind == "L" and (q.level == "l1") == (mk.piece.level == "l1")) == 1:
            score[row_of[id(nxt)]][m] += 2.0
        if prv is not None:
            score[row_of[id(prv)]][m] += 0.2
    # a mark stands by (the middle of) its rows: rows without evidence of their own go to the
    # nearer of the marks that have some
    for m in range(M):
        best_r = max(range(n), key=lambda r: score[r][m])
        if score[best_r][m] >= 2.0:
            for r in range(n):
                score[r][m] -= 0.04 * abs(r - best_r)
    if kind == "l2":
        for r, row in enumerate(rows):
            cats = _categories(_text(row.name), _text(row.cells.get("value", [])))
            for m, mk in enumerate(marks):
                if mk.l2 in _ORDER:
                    score[r][m] += _fit(cats, mk.l2)
    nums = [_number(row) for row in rows]
    NEG = -1e9
    f = [[NEG] * M for _ in range(n)]
    bk = [[0] * M for _ in range(n)]
    for m in range(M):
        f[0][m] = score[0][m] - SKIP_MARK * m
    for r in range(1, n):
        restart = nums[r] is not None and nums[r - 1] is not None and nums[r] <= nums[r - 1]
        cont = nums[r] is not None and nums[r - 1] is not None and nums[r] == nums[r - 1] + 1
        best_prev, arg = NEG, 0
        for m in range(M):
            # staying under the same mark, or moving on (skipping marks costs a little each)
            if m >= 1 and f[r - 1][m - 1] + SKIP_MARK * (m - 1) > best_prev:
                best_prev, arg = f[r - 1][m - 1] + SKIP_MARK * (m - 1), m - 1
            stay = f[r - 1][m] + (-4.0 if restart else 0.0)
            move = best_prev - SKIP_MARK * (m - 1) + (-4.0 if cont else 0.0) if best_prev > NEG else NEG
            if stay >= move:
                f[r][m], bk[r][m] = stay + score[r][m], m
            else:
                f[r][m], bk[r][m] = move + score[r][m], arg
    m = max(range(M), key=lambda x: f[n - 1][x] - SKIP_MARK * (M - 1 - x))
    out: list[int | None] = [None] * n
    for r in range(n - 1, -1, -1):
        out[r] = m
        m = bk[r][m]
    return out


def _number(row: FlowRow) -> int | None:
    """N of the row's 指标N / 目标N label."""
    if row.name:
        m = _NUM.match(row.name[0].label or row.name[0].sq)
        return int(m.group(1)) if m else None
    return None


def _levels(rows: list[FlowRow], ps: list[Piece]) -> list[tuple[str | None, str | None]]:
    """(level1, level2) of each row."""
    from parse.cellstream import _PARENT
    l2s, l1s = _marks(ps)
    pos = [r.pos for r in rows]
    l2s = _merge_runs(l2s, pos, ps)
    a2 = _assign(rows, l2s, ps, "l2")
    out = []
    # (where category words stand for names, a name worded like one is one too: 可持续性发展影响指标)
    any_named = any(r.name and r.name[0].named for r in rows)
    for r, k in zip(rows, a2):
        m = l2s[k] if k is not None else None
        l2 = m.l2 if m is not None else None
        l1 = m.l1 if m is not None else None
        named = r.name and (r.name[0].named or (any_named and level_word(_text(r.name)) == "l2"))
        if named and (l1s or any(p.kind == "H" and p.head == "l1" for p in ps)):
            # (a table with a level1 column and the level2 categories for names: its own category)
            l2 = canonical_level2(_text(r.name)) or l2
        out.append([l1, l2])
    # level1: the framework's parent of the level2 where the table has it or names none; else
    # the level1 words in order over the rows
    if l1s:
        a1 = _assign(rows, l1s, ps, "l1")
        have = {m.l1 for m in l1s}
        for o, k in zip(out, a1):
            if o[0]:
                continue
            # (成本 stands under 产出 in one framework, under 投入 in another: the table's words say)
            parent = _PARENT.get(o[1])
            if o[1] == "成本指标" and (parent not in have or (k is not None and l1s[k].l1 not in
                                                                ("效益指标", "满意度指标"))):
                parent = None
            o[0] = parent or (l1s[k].l1 if k is not None else None)
    else:
        for o in out:
            o[0] = o[0] or _PARENT.get(o[1])
    return [(a, b) for a, b in out]


def _grid(rows: list[FlowRow], levels: list[tuple[str | None, str | None]], template: list[str],
          page: int) -> GridTable:
    """The rows as a ruled grid's: one header row naming each column's role, level cells merged."""
    cols = ["l1", "l2", "name"] + template
    xs = {c: (10.0 * k, 10.0 * k + 9.0) for k, c in enumerate(cols)}
    header = Row(page, [Slot(_CANON_HEAD.get(c, c), *xs[c]) for c in cols])
    data: list[Row] = []
    prev = (None, None)
    for r, (l1, l2) in zip(rows, levels):
        pg = (r.name or [p for ps in r.cells.values() for p in ps] or [None])[0]
        pg = pg.page if pg is not None else page
        slots = [Slot(l1 or "", *xs["l1"], start=(l1, None) != (prev[0], None) or not data),
                 Slot(l2 or "", *xs["l2"], start=(l1, l2) != prev or not data),
                 Slot(_text(r.name), *xs["name"])]
        for c in template:
            slots.append(Slot(_text(r.cells.get(c, [])), *xs[c]))
        prev = (l1, l2)
        data.append(Row(pg, slots))
    return GridTable([header], data)


def _plain(ps: list[Piece]) -> str:
    return _text(ps).replace("\n", "")


def _value_text(cells: dict[str, list[Piece]]) -> str:
    """A row's value with its unit cell."""
    return _plain(cells.get("value", [])) + _plain(cells.get("unit", []))


def _misfit(r: FlowRow) -> bool:
    """The row's value contradicts what its name measures (合格率 | 90人)."""
    return bool(r.name) and contradicts_name(_plain(r.name), _value_text(r.cells))


def _resync(rows: list[FlowRow]) -> list[FlowRow]:
    """A value that contradicts its row's name and fits the name of the row next to it, which has
    no value, is that row's: the search put a run of values one row off where a value was lost.
    Returns the rows that gave theirs away (their own value lost), their cells cleared."""
    emptied = []
    for k, r in enumerate(rows):
        if "value" not in r.cells or not _misfit(r):
            continue
        for n in (k - 1, k + 1):
            if 0 <= n < len(rows) and rows[n].name and "value" not in rows[n].cells:
                moved = {c: r.cells[c] for c in ("value", "unit") if c in r.cells and c not in rows[n].cells}
                if not contradicts_name(_plain(rows[n].name), _value_text(moved)):
                    for c in moved:
                        rows[n].cells[c] = r.cells.pop(c)
                    emptied.append(r)      # (its own value is lost: the row is no indicator)
                    break
    for r in emptied:
        r.cells.clear()
    return emptied


def _drop_total(toks: list[Piece], template: list[str]) -> list[Piece]:
    """A 总分 row's cells written after the last row's, away from their label (which may end the
    table's lines): 100 (the weights' sum) and the score's, then text or the end. In a table
    scoring its rows (分值 | 得分) no row weighs 100, so these open no row of their own."""
    if "weight" not in template or "score" not in template:
        return toks
    for k in range(1, len(toks) - 1):
        a, b = toks[k], toks[k + 1]
        after = toks[k + 2] if k + 2 < len(toks) else None
        if a.sq == "100" and toks[k - 1].shape == "N" and regex.fullmatch(r"\d+(\.\d+)?分?", b.sq) \
                and float(b.sq.rstrip("分")) <= 100 and (after is None or after.shape not in ("N", "V", "U")):
            return toks[:k] + toks[k + 2:]
    return toks


def _merge_operators(toks: list[Piece], template: list[str]) -> list[Piece]:
    """An operator alone (= / ≥ in a 指标性质 column) goes with the number after it: one value
    cell (=100), wherever pdftotext wrote the value column."""
    if "value" not in template or not ({"op", "closed"} & set(template)):
        return toks
    out: list[Piece] = []
    k = 0
    while k < len(toks):
        t = toks[k]
        if t.shape == "O" and k + 1 < len(toks) and toks[k + 1].shape in ("N", "V") and toks[k + 1].page == t.page:
            q = toks[k + 1]
            m = Piece(t.text + q.text, q.line, q.block, q.page, q.col, q.ncol, kind="X", parts=[t, q])
            m.shape, m.near, m.lead, m.displaced, m.hint = "V", q.near, q.lead, q.displaced, None
            out.append(m)
            k += 2
            continue
        out.append(t)
        k += 1
    return out


def flow_parts(lines: list[Row]) -> tuple[GridTable | None, list[Row]]:
    """One indicator table's lines -> (the table rebuilt as a grid or None, the lines among them
    that are not the table's: the header block's and prose pdftotext flowed in). None: the lines
    go to parse/cellstream.py as before."""
    try:
        return _flow_parts(lines)
    except Exception:  # pragma: no cover - defensive: a table this module cannot read is cellstream's
        return None, []


_VALUE_SIDE = ("weight", "unit", "op", "value_long", "note")


def _templates(ps: list[Piece], first: int) -> list[list[str]]:
    """The column orders the header's words allow, the likeliest first; the rows' reading cost
    chooses among them. The header's words from its first naming the name or value column on, in
    order (words before it may be another table's: a funds matrix's 分值 | 得分); a value column's
    header words right before the value's, nothing else between, are its own (指标 / 权重 / 指标值),
    a closed set's (指标方向 | 目标值) perhaps. A value column whose word is not among the header's
    own run (a 指标值 spanning the unit and operator columns, written elsewhere) may stand anywhere
    among the others."""
    def back(side: tuple[str, ...]) -> int:
        k = first
        if ps[k].head not in ("value", "value_long"):
            return k
        while k > 0 and ps[k - 1].kind == "H" and ps[k - 1].head in side:
            k -= 1
        return k

    out: list[list[str]] = []
    for start in (back(_VALUE_SIDE), back(_VALUE_SIDE + ("valtype", "direction"))):
        heads = [p for p in ps[start:] if p.kind == "H"]
        heads += [p for p in ps[:start] if p.kind == "H" and p.head not in {h.head for h in heads}]
        tpl = _template(heads)
        data = next((k for k in range(start, len(ps)) if ps[k].kind == "X"), len(ps))
        # a value column named twice in the header's run (指标值 spanning 计算符号 | 度量单位 |
        # 数值 over them): the column stands where either word does
        run = [p for p in ps[start:data] if p.kind == "H"]
        twice = [p for p in run if p.head in ("value", "value_long")
                 and sum(q.head == p.head for q in run) >= 2]
        if twice:
            later = _template([h for h in heads if h is not twice[0]])
            if later not in out and later != tpl:
                out.append(later)
        # (placed: before the first value-shaped cell; text before it may be the goals')
        cell = next((k for k in range(start, len(ps)) if ps[k].kind == "X" and _cellish(ps[k].text) in ("V", "N")),
                    len(ps))
        placed = any(q.kind == "H" and q.head == "value" for q in ps[start:cell])
        cands = [tpl]
        if "value" in tpl and not placed and len(tpl) > 2:
            others = [r for r in tpl if r != "value"]
            cands += [others[:i] + ["value"] + others[i:] for i in range(len(others) + 1)]
        for c in cands:
            if c not in out:
                out.append(c)
    return out


def _flow_parts(lines: list[Row]) -> tuple[GridTable | None, list[Row]]:
    ps = _join_categories(_pieces(lines))
    classify(ps)
    first = next((k for k, p in enumerate(ps) if p.kind == "H" and p.head in ("name", "value", "value_long")), 0)
    templates = _templates(ps, first)
    # 目标1 / 指标1 in a column of their own: the label of the name after them
    toks: list[Piece] = []
    pending = None
    for p in ps:
        if p.kind == "B":
            pending = p
        elif p.kind == "X":
            p.shape = _cellish(p.text)
            if _HINT.search(p.sq):
                p.shape = "T"     # a name carrying its value's template: (≥**人)
            if pending is not None:
                p.shape, p.label = "T", pending.sq   # the piece after 目标1 opens a name
                pending = None
            toks.append(p)
    if not toks:
        return None, []
    # a data piece on the next line of the one before, or with only category words, captions and
    # header words between them (a wrapped category word beside a wrapped name)
    index = {id(p): k for k, p in enumerate(ps)}
    by_line: dict[int, list[tuple[int, str]]] = {}
    for p in ps:
        for q in p.parts or [p]:      # (a category word joined from pieces stands on each one's line)
            by_line.setdefault(q.line, []).append((q.col, p.kind))
    for p in toks:
        p.lead = all(kind in ("L", "C") for col, kind in by_line[p.line] if col < p.col)
        p.displaced = any(kind == "L" for col, kind in by_line[p.line] if col < p.col)
    # a name numbered 指标N (N ≥ 2) that does not follow 指标N-1 was written away from its group's
    # rows (pdftotext flowed it with another column): like a name beside a category word
    last_num = None
    for p in ps:
        if p.kind not in ("X", "P"):
            continue
        m = _NUM.match(p.label or p.sq) if (p.label or LABEL_MARK.match(p.sq)) else None
        if m is None:
            continue
        num = int(m.group(1))
        if p.kind == "X" and num >= 2 and last_num is not None and num != last_num + 1:
            p.displaced = True
        last_num = num
    # the widths several lines share are where a column's cells wrap (cellstream.py's rule)
    from parse.cellstream import _width, wrap_widths
    widths = [_width(p.text) for p in toks if p.shape in ("T", "M", "S", "V")]
    if widths:
        plateaus = wrap_widths(widths, max(12.0, 0.6 * max(widths)))
        for p in toks:
            w = _width(p.text)
            p.full = any(abs(w - q) <= 1.0 for q in plateaus)
    for p in toks:
        k = index[id(p)]
        above = ps[k - 1] if k else None
        if above is not None and above.kind == "H" and above.block == p.block and above.line == p.line - 1 \
                and above.head in templates[0]:
            p.hint = above.head       # right under a header word in one block: a cell of its column
    for a, b in zip(toks, toks[1:]):
        between = ps[index[id(a)] + 1:index[id(b)]]
        b.near = b.line == a.line + 1 or (a.line < b.line <= a.line + 3 and all(q.kind in ("L", "C", "H")
                                                                               for q in between))
    best = None
    for n, tpl in enumerate(templates):
        # (a first reading costing little a row is the table's: the other orders are not tried)
        if best is not None and best[0] < ORDER_SURE * max(1, sum(1 for r in best[1] if r.name)):
            break
        tks = _drop_total(_merge_operators(toks, tpl), tpl)
        costs: list[float] = []
        # (the other orders are first read with a narrower beam; the one chosen, again in full)
        got = _rows_dp(tks, tpl, costs, best[0] if best is not None else INF, BEAM if n == 0 else BEAM // 3)
        if got is not None and (best is None or costs[0] < best[0] - 1e-9):
            best = (costs[0], got, tks, tpl)
    if best is not None and best[3] is not templates[0]:
        costs = []
        again = _rows_dp(best[2], best[3], costs)
        if again is not None:
            best = (costs[0], again, best[2], best[3])
    if best is None:
        return None, []
    rows, toks, template = best[1:]
    for p in ps:
        for q in p.parts:
            index.setdefault(id(q), index[id(p)])
    for t in toks:
        for q in t.parts:          # (an operator joined to its number: where the number stood)
            index.setdefault(id(t), index.get(id(q), 0))
    for r in rows:
        first = (r.name or [p for v in r.cells.values() for p in v] or [None])[0]
        r.pos = index.get(id(first), 0) if first is not None else 0
    lost = _resync(rows)
    # a name with no cell at all is no indicator the dump shows (a header word, a caption, a row
    # whose cells were lost): left out
    rows = [r for r in rows if r.name and any(r.cells.values())]
    if not rows:
        return None, []
    # the empty template rows (指标3： / ……) stand among the rows for the level columns
    every = sorted(rows + [FlowRow([p], placeholder=True, pos=k) for k, p in enumerate(ps) if p.kind == "P"],
                   key=lambda r: r.pos)
    lv = dict(zip(map(id, every), _levels(every, ps)))
    # a row whose cheapest reading still cost much (cells taken from far or ill-fitting, a value
    # from a run written elsewhere, a value-shaped name) is not trusted: left out and named, rather
    # than given a value that may be its neighbour's
    # a value whose unit contradicts what its row's name measures (合格率 | 2019年) is another row's
    for r in rows:
        if _misfit(r):
            r.cost += UNSURE
    # (a table whose reading cost much per row was not aligned at all: none of its rows is trusted)
    if best[0] >= TABLE_UNSURE * max(1, len(rows)):
        for r in rows:
            r.cost = max(r.cost, UNSURE)
    unsure = lost + [r for r in rows if r.cost >= UNSURE]
    sure = [r for r in rows if r.cost < UNSURE]
    levels = [lv[id(r)] for r in sure]
    foreign = sorted({p.line for p in ps if p.kind == "F"})
    grid = _grid(sure, levels, template, lines[0].page)
    if unsure:
        names = "; ".join(_text(r.name).replace("\n", "")[:20] for r in unsure[:5])
        grid.findings.append(("warning", "row_alignment_lost",
                              f"text dump: {len(unsure)} of {len(rows) + len(lost)} indicator rows could not be put back "
                              f"together with certainty and were left out ({names}{' …' if len(unsure) > 5 else ''})"))
    return grid, [lines[k] for k in foreign]


_ENDS = ("project_name", "department", "implementing_unit", "funds_block", "funds_total", "project_attribute",
         "project_period", "signoff")
_TOTAL = regex.compile(r"^(总分|合计|总计|得分合计)")
_NOTE = regex.compile(r"^(注|说明|备注)\s*[:：]")
_CORE = ("l1", "l2", "name", "value", "value_long")


def _line_pieces(row: Row) -> list[str]:
    return [p for p in _CELL_SPACE.split(row.text(" ").strip()) if p.strip()] if not row.blank else []


def _hard_end(row: Row, is_title) -> bool:
    """A line no indicator table runs past: a title, a form's header block, a note, a site's lines."""
    t0 = next((p for p in _line_pieces(row)), "")
    lab = header_label(t0)
    return bool(is_title(row)) or (lab is not None and lab[0] in _ENDS and not header_scores(t0)) \
        or bool(_NOTE.match(squash(t0))) or bool(SITE_FURNITURE.search(squash(row.text(""))))


def header_lines(rows: list[Row]) -> list[Row]:
    """The dump's lines cut into cells where a default-mode dump separates them: at a space between
    two Han characters (cells pdftotext put on one baseline), not at a space where the font
    changed ('2017 年', '完成 1 部'), which a raw reader splits at."""
    out: list[Row] = []
    for r in rows:
        if r.grid is not None or r.blank or not r.slots:
            out.append(r)
            continue
        text = r.text(" ").strip()
        parts = [p.strip() for p in _CELL_SPACE.split(text) if p.strip()]
        if len(parts) == len(r.slots):
            out.append(r)
            continue
        slots, x = [], r.slots[0].x0
        for p in parts:
            slots.append(Slot(p, x, x + len(p)))
            x += len(p) + 1
        out.append(Row(r.page, slots, None, r.bbox, r.line_no))
    return _join_paragraphs(_untangle_labels(_join_wrapped_labels(_two_columns(out))))


def _line_width(r: Row) -> float:
    """A line's printed width, less a label or category word pdftotext put before it on its baseline
    (punctuation counts full: the text's ',' and ';' were printed full-width)."""
    slots = r.slots
    if len(slots) >= 2:
        first = squash(slots[0].text)
        lab = header_label(first)
        if _category(first) or (lab is not None and not lab[1]):
            slots = slots[1:]
    return sum(1.0 if ord(ch) >= 0x2E80 or ch in ",;:!?()" else 0.5 for ch in squash("".join(sl.text for sl in slots)))


_CELL_END = regex.compile(r"[。！？!?]$")
_ITEM = regex.compile(r"^(?:[(（]?\d{1,2}[)）、.．]|[(（]?[一二三四五六七八九十]{1,3}[)）、.．])")
_OPENS_CELL = regex.compile(r"^(?:[★☆]|(?:目标|指标)\s*\d+\s*[:：])")


def _alternate(block: list[Row], w: list[float], i: int) -> bool:
    """Lines i..i+3 alternate between two widths a cell wraps at (two cells side by side)."""
    if i + 3 >= len(block) or min(w[i:i + 4]) < 6:
        return False
    # (a cell's full lines within a character and a half: a digit or a mark at the edge; two cells
    # at least two and a half apart)
    if abs(w[i] - w[i + 2]) > 1.5 or abs(w[i + 1] - w[i + 3]) > 1.5 or abs(min(w[i], w[i + 2]) - min(w[i + 1], w[i + 3])) < 2.5:
        return False
    texts = [squash(r.text("")) for r in block[i:i + 4]]
    # (an item of a list, （2）…, 3、…, opens a line of its own: a list, not two cells)
    return not any(_CELL_END.search(t) for t in texts) and not any(_OPENS_CELL.match(t) for t in texts[2:]) \
        and not any(_ITEM.match(t) for t in texts[1:])


def _two_columns(rows: list[Row]) -> list[Row]:
    """pdftotext's default mode writes two cells standing side by side in one block when their
    columns are close, their lines in the order of their baselines: the lines alternate (a planned
    goal beside what was achieved). A cell's wrapped lines are equally wide, so four lines or more
    whose widths alternate between two such widths are two cells: the first's lines stay, up to
    where it ends (a short line or a sentence's end), and the second's follow as a block of their
    own (the lines after them renumbered, so that each block's lines still follow each other)."""
    out: list[Row] = []
    shift = 0
    k = 0
    while k < len(rows):
        r = rows[k]
        if r.blank or r.grid is not None or not r.slots:
            out.append(_renumbered(r, r.line_no + shift) if shift else r)
            k += 1
            continue
        j = k + 1
        while j < len(rows) and not rows[j].blank and rows[j].grid is None and rows[j].slots \
                and rows[j].page == r.page and rows[j].line_no == rows[j - 1].line_no + 1:
            j += 1
        block, k = rows[k:j], j
        new = _split_columns(block) if len(block) >= 4 else block
        no = block[0].line_no + shift
        out.extend(_renumbered(b, no + n) if (shift or new is not block) else b for n, b in enumerate(new))
        shift += len(new) - len(block)
    return out


def _renumbered(r: Row, no: int) -> Row:
    return Row(r.page, r.slots, r.grid, r.bbox, no, r.blank, r.cells)


def _split_columns(block: list[Row]) -> list[Row]:
    """One block's lines with each run of two alternating cells written as two blocks (_two_columns)."""
    w = [_line_width(b) for b in block]
    out: list[Row] = []
    i = 0
    while i < len(block):
        if not _alternate(block, w, i):
            out.append(block[i])
            i += 1
            continue
        cols: tuple[list[Row], list[Row]] = ([], [])
        width = (min(w[i], w[i + 2]), min(w[i + 1], w[i + 3]))
        open_ = [True, True]
        x, turn = i, 0
        while x < len(block) and any(open_):
            c = turn % 2 if all(open_) else open_.index(True)
            cols[c].append(block[x])
            if w[x] < width[c] - 1.5 or _CELL_END.search(squash(block[x].text(""))):
                open_[c] = False       # (a short line or a sentence's end: the cell ends)
            x, turn = x + 1, turn + 1
        first, second = cols
        if _VALUE_OPEN.match(squash(first[0].text(""))) and not _VALUE_OPEN.match(squash(second[0].text(""))):
            first, second = second, first      # (the name's cell before its value's)
        blank = Row(block[0].page, [], None, None, 0, blank=True)
        out.extend(first + [blank] + second + [blank])
        i = x
    return out if len(out) > len(block) else block


_SENTENCE_END = regex.compile(r"[。；;！？!?：:]$")


def _join_paragraphs(rows: list[Row]) -> list[Row]:
    """A paragraph pdftotext wrapped at the page's width is one line again: a line of 40 or more
    characters that ends no sentence, and the next line of its block, neither holding a field's
    label (…规范建设。达 / 成以下目标: 目标1:…; not 项目名称 … 主管部门 … / (第二批))."""
    out: list[Row] = []
    last = -2            # the line number of the last line joined into out[-1]
    for r in rows:
        prev = out[-1] if out else None
        if prev is not None and not prev.blank and not r.blank and prev.grid is None and r.grid is None \
                and r.slots and prev.slots and r.page == prev.page and r.line_no == max(last, prev.line_no) + 1:
            a, b = squash(prev.text("")), squash(r.text(""))
            tail = squash(r.slots[0].text)
            if len(a) >= 40 and not _SENTENCE_END.search(a) and header_label(b) is None \
                    and not any((header_label(sl.text) or ("goals",))[0] != "goals" for sl in prev.slots + r.slots) \
                    and not GOAL_MARK.match(b) and not (len(r.slots) == 1 and (_head(tail) or _weak_head(tail) or _category(tail))):
                text = prev.text(" ").rstrip() + r.text(" ").strip()
                out[-1] = Row(prev.page, [Slot(text, prev.slots[0].x0, prev.slots[0].x0 + len(text))], None,
                              prev.bbox, prev.line_no)
                last = r.line_no
                continue
        out.append(r)
        last = -2
    return out


def _join_wrapped_labels(rows: list[Row]) -> list[Row]:
    """A label or a column header wrapped in its narrow cell (全年预 / 算数(A), 部门（单 / 位）名称)
    is one line again: two lines of one block, one cell each, that spell one."""
    from parse.labels import funds_column
    out: list[Row] = []
    for r in rows:
        prev = out[-1] if out else None
        if prev is not None and not prev.blank and not r.blank and prev.grid is None and r.grid is None \
                and len(prev.slots) == 1 and len(r.slots) == 1 and r.page == prev.page \
                and len(squash(prev.slots[0].text)) <= 8 and len(squash(r.slots[0].text)) <= 6:
            a, b = prev.slots[0].text, r.slots[0].text
            whole = a + b
            if (funds_column(whole) and not funds_column(a)) or (
                    (lab := header_label(whole)) is not None and not lab[1] and header_label(a) is None):
                out[-1] = Row(prev.page, [Slot(whole, prev.slots[0].x0, prev.slots[0].x0 + len(whole))], None,
                              prev.bbox, prev.line_no)
                continue
        out.append(r)
    return out


_SHORT_HAN = regex.compile(r"^\p{Han}{1,4}$")


def _untangle_labels(rows: list[Row]) -> list[Row]:
    """A header block's label cell beside a long text (当年整体 / 绩效目标 beside a goal of six
    lines) comes out in pieces at the heads of the text's lines, on the baselines they share
    (当年整体 强基层组织建设；…, 绩效目标 平；…), or letter-spaced (总 体 目 大青山乡…, 标): the
    pieces that spell a label are taken off the lines and the label stands before the text."""
    out: list[Row] = []
    k = 0
    while k < len(rows):
        if rows[k].blank or rows[k].grid is not None:
            out.append(rows[k])
            k += 1
            continue
        j = k
        while j < len(rows) and not rows[j].blank and rows[j].grid is None:
            j += 1
        block = rows[k:j]
        heads: list[tuple[int, int]] = []       # (line in block, slots taken off its head)
        for b, r in enumerate(block):
            n = 0
            while n < len(r.slots) and _SHORT_HAN.match(r.slots[n].text) and \
                    (n + 1 < len(r.slots) or len(r.slots[n].text) <= 2):
                n += 1
            if n and (n < len(r.slots) or len(block) >= 3):
                heads.append((b, n))
        label = "".join(sl.text for b, n in heads for sl in block[b].slots[:n])
        lab = header_label(label) if len(heads) >= 2 else None
        long_text = sum(len(squash(r.text(""))) for r in block) >= 40
        close_by = all(b2 - b1 <= 2 for (b1, _n1), (b2, _n2) in zip(heads, heads[1:]))
        if lab is not None and not lab[1] and long_text and close_by:
            taken = dict(heads)
            first = block[0]
            out.append(Row(first.page, [Slot(label, 0.0, float(len(label)))], None, first.bbox, first.line_no))
            for b, r in enumerate(block):
                rest = r.slots[taken.get(b, 0):]
                if rest:
                    shift = rest[0].x0
                    rest = [Slot(sl.text, sl.x0 - shift, sl.x1 - shift) for sl in rest]
                    out.append(Row(r.page, rest, None, r.bbox, r.line_no))
        else:
            out.extend(block)
        k = j
    return out


def is_flow_dump(rows: list[Row]) -> bool:
    """A dump in pdftotext's default mode: blocks between blank lines (cellstream.paragraph_mode),
    every line flush left (a copy of a web page or a Word file indents some), no web site's own
    lines (发布时间, 打印本页 …)."""
    lines = [r for r in rows if r.grid is None and not r.blank and r.slots]
    if not lines or not paragraph_mode(rows):
        return False
    indented = sum(1 for r in lines if r.slots[0].x0 > 0)
    return indented <= 0.01 * len(lines) and not any(SITE_CHROME.search(squash(r.text(""))) for r in lines)


def find_flow_tables(rows: list[Row], is_title: Callable[[Row], bool] | None = None
                     ) -> dict[int, tuple[list[Row], int]]:
    """Indicator tables of a default-mode dump: {index of the table's first line: (its
    lines, index after them)}; `rows` as parse/rows.py `document_rows` gives them."""
    from parse.cellstream import _flat
    if not is_flow_dump(rows):
        return {}
    is_title = is_title or (lambda r: False)
    out: dict[int, tuple[list[Row], int]] = {}
    n = len(rows)
    i = 0
    while i < n:
        pieces = _line_pieces(rows[i])
        if not any(_head(p) in _CORE for p in pieces) or _label_wrap(rows, i):
            i += 1
            continue
        # two more header words close after it, one naming the name or the value column
        roles, seen, k = set(), 0, i
        anchor = None          # the line of the first word naming the name or value column
        while k < n and seen < 40:
            ps_k = _line_pieces(rows[k])
            nxt = _line_pieces(rows[k + 1]) if k + 1 < n else []
            for p in ps_k:
                seen += 1
                # (a header word wrapped in its cell: 当年预期实现 / 值)
                h = _head(p) or _weak_head(p) or (len(nxt) == 1 and len(ps_k) == 1 and _head(p + nxt[0]))
                if h:
                    roles.add(h)
                    if anchor is None and h in ("name", "value", "value_long"):
                        anchor = k
            k += 1
        # (the value-side columns' words may stand right before the value's, wrapped in their
        # narrow cells: 指标 / 权重 / 计量单 / 位 / 指标性 / 质 / 指标值)
        lead, lead_roles = _header_before(rows, i)
        if len(roles) < 3 and len(roles | lead_roles) >= 3:
            roles |= lead_roles
        else:
            lead = i
        if len(roles) < 3 or not ({"name", "value", "value_long"} & roles) or _flat(rows[max(0, i - 8):i + 8]):
            i += 1
            continue
        if (later := _header_again(rows, i)) is not None:
            i = later          # a header names each column once: the first word was another table's
            continue
        # the category words and captions the dump put right before the header are the table's
        start = lead
        while start > 0:
            prev = start - 1
            while prev >= 0 and rows[prev].blank:
                prev -= 1
            if prev < 0 or not _prelude(_line_pieces(rows[prev])):
                break
            start = prev
        # (the header block's lines pdftotext put between a stray header word and the rest of
        # the header end nothing: they are read as the lines they are)
        j = max(i, anchor if anchor is not None else i) + 1
        while j < n:
            r = rows[j]
            if not r.blank:
                if _hard_end(r, is_title):
                    break
                t0 = next((p for p in _line_pieces(r)), "")
                if _TOTAL.match(squash(t0)) and not _data_after(rows, j + 1, is_title):
                    break
            j += 1
        out[start] = (rows[start:j], j)
        i = j
    return out


def _header_before(rows: list[Row], i: int) -> tuple[int, set[str]]:
    """The lines right before line i that are header words naming columns right of the name
    (or such a word wrapped over two lines: 计量单 / 位), and the roles they name: (the first of
    them, roles)."""
    roles: set[str] = set()
    k, first = i - 1, i
    while k >= 0 and i - k <= 10:
        if rows[k].blank:
            k -= 1
            continue
        ps = _line_pieces(rows[k])
        nxt = _line_pieces(rows[first]) if first < i else []
        if len(ps) != 1 or header_label(ps[0]) is not None:
            break
        h = _head(ps[0]) or _weak_head(ps[0])
        if h is None and len(nxt) == 1 and spelled_header(ps[0] + nxt[0]):
            h = _head(ps[0] + nxt[0]) or _weak_head(ps[0] + nxt[0])
        elif h is None and len(squash(ps[0])) <= 2 and k > 0 and spelled_header(
                "".join(_line_pieces(rows[k - 1])) + ps[0]):
            h = "wrap"     # (the last line of a word wrapped: 位 under 计量单)
        if h is None:
            break
        if h != "wrap":
            roles.add(h)
        first = k
        k -= 1
    return first, roles & {"weight", "unit", "op", "valtype", "direction", "name", "note", "value_long"}


def _header_again(rows: list[Row], i: int) -> int | None:
    """The line of a later word naming the name or value column, where the words from line i up to
    the first data (two pieces in a row that are neither header words, category words nor captions)
    name fewer than three columns: a matrix before the indicator table (年度目标任务 | 支出项目名称 |
    预算金额) whose column word spells a role too. None where line i opens a header."""
    first: set[str] = set()
    data_run, in_first, seen, second = 0, True, 0, None
    for k in range(i, len(rows)):
        for p in _line_pieces(rows[k]):
            seen += 1
            if seen > 40:
                return None
            h = _head(p) or _weak_head(p)
            if h:
                if in_first:
                    first.add(h)
                else:
                    second = k if second is None else second     # (where the next run of header words opens)
                    if h in ("name", "value", "value_long") and h in first and len(first) < 3:
                        return second
                data_run = 0
            elif not (_category(p) or strip_header(squash(p)) in _CAPTIONS or len(squash(p)) == 1):
                data_run += 1
                if data_run >= 2:
                    in_first, second = False, None
    return None


def _label_wrap(rows: list[Row], i: int) -> bool:
    """A header block's label wrapped in its cell (部门（单 / 位）名称): no table header."""
    prev = i - 1
    while prev >= 0 and rows[prev].blank:
        prev -= 1
    if prev < 0:
        return False
    a, b = _line_pieces(rows[prev]), _line_pieces(rows[i])
    return bool(a and b) and header_label(a[-1] + b[0]) is not None and header_label(b[0]) is None \
        and header_label(a[-1]) is None


def _prelude(pieces: list[str]) -> bool:
    """Only category words, captions, header words or one-character lines."""
    return bool(pieces) and all(
        _category(p) or strip_header(squash(p)) in _CAPTIONS or len(squash(p)) == 1 or _head(p) or _weak_head(p)
        or _cat_start(squash(p)) for p in pieces) and not any(
        header_label(p) is not None and strip_header(squash(p)) not in _CAPTIONS for p in pieces)


def _data_after(rows: list[Row], j: int, is_title) -> bool:
    """Category words or labelled names after a 总分 line: the dump flowed more of the table there."""
    while j < len(rows) and not _hard_end(rows[j], is_title):
        if any(_category(p) or LABEL_MARK.match(squash(p)) for p in _line_pieces(rows[j])):
            return True
        j += 1
    return False


def flow_table(rows: list[Row]) -> GridTable | None:
    """The lines of one indicator table -> a GridTable of rebuilt cells, or None."""
    return flow_parts(rows)[0]
