"""Indicator tables of text dumps, rebuilt row by row from the stream of their cells.

A text dump (pdftotext in its default or -raw mode, a copy from a web page or a Word
file) writes a table as a sequence of cells: one per paragraph, one per line, a few
per line split by spaces, or a line per row split by `|`. Cells left empty are not
written and a merged cell (the level columns) is written once, so rows have no fixed
length. The rows are rebuilt by the table's own header and the shapes of the cells:

1. tokens: the cells in reading order; the pieces of a category word wrapped in a
   narrow cell (产出指 / 标 / （40 / 分）) and stacked one-character captions are joined;
   a category word (数量指标, 效益指标) is a level marker, not a cell of a row, and so is a
   short word in 指标 that names no column (制度指标) opening a row before a name where the
   table has category words; a caption (年度绩效指标, 项目年度绩效目标(定量指标)) is neither.
   Where the header names no level column, category words are names (服务对象满意度 | 5 |
   % | 95) unless rows show them before a name (质量指标 | 建档立卡学生全面覆盖 | 100%);
2. the header (一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 …) gives the
   columns a row may fill, in order; its words are matched as parse/roles.py matches
   a ruled table's (one vocabulary);
3. `align` cuts the token sequence into rows by dynamic programming: a row is a name
   and then, in the header's order, the cells of the columns it fills; each
   (column, token shape) pair has a cost (a weight column takes a bare number, a value
   column anything that parses, a name text), leaving a column empty has a cost, a
   wrapped cell may take several tokens, and a token that fits nowhere is dropped at
   a cost. The cheapest cut is the reading.

Where the alignment had to drop cells or leave the value column empty in many rows,
the table is reported (`row_alignment_lost`) rather than trusted silently.
"""
from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field

import regex

from normalize.text import clean_text
from normalize.values import canonical_level2, is_unit
from parse.columns import L2_PARENT, LevelCarry, indicator_from_cells, keep_indicator
from parse.labels import (CAPTION, EMPTY_ROW, FURNITURE, LABEL_MARK, PAGE_OF, SITE_FURNITURE, flat_role,
                          header_label, squash)
from parse.model import RawForm
from parse.roles import (EXPLANATION_OPEN, OPERATOR_ONLY, STANDARD_WORDS, _BARE, _DIRECTIONS, NAME_END, own_category, _SENTENCE, _TYPES, _value_like,
                         header_scores, is_outcome, level_word, spelled_header, strip_header)
from parse.rows import Row

# -- tokens ----------------------------------------------------------------------------------------


@dataclass
class Tok:
    text: str
    row: int                 # index of the text line it came from
    para: int                # paragraph (block between blank lines)
    page: int | None = None
    shape: str = ""
    level: str | None = None  # 'l1' / 'l2' / 'l12': a category word, a marker
    brk: bool = False        # a row of a '|' table ends after this token
    before_rows: bool = False  # dropped before the first row (prose flowed into the table)
    repeated: int = 0        # times the same text stands in the table: a standard or a value, no name
    labelled: bool = False   # opens with 指标N：: the start of a name
    soft: bool = False       # split from the run before it on its line only where Latin and Chinese meet
    cell: bool = False       # a whole cell ('|' copies): never part of another
    last: bool = False       # the last run of its line
    paragraphs: bool = False  # from a dump that writes a cell per paragraph (its lines are cells)
    full: float = 0.0        # how full its line is (display width / the table's widest line), for the last run
    empty: bool = False      # a category marker followed only by empty template rows


_POINTS_PIECE = regex.compile(r"^[(（]?\s*\d*\s*分?\s*[)）]?$")
_ANNOT_PIECE = regex.compile(r"^[(（]?[必选填硬性核心指标]*[)）]?$")


def tokens(rows: list[Row], paragraphs: bool = False, pipes: bool = False) -> list[Tok]:
    """The cells of a table's lines, in order. paragraphs: a dump that writes a cell per
    paragraph (pdftotext's default mode), where a line is split only at a wide gap; else
    a line's runs split at every space (-raw)."""
    out: list[Tok] = []
    para = 0
    # the first and last lines of each page are where a page number stands
    ends: set[int] = set()
    for pg in {r.page for r in rows}:
        ks = [k for k, r in enumerate(rows) if r.page == pg and not r.blank]
        ends |= {ks[0], ks[-1]} if ks else set()
    for k, row in enumerate(rows):
        if row.blank or not paragraphs:
            para += 1          # (-raw: every line is a paragraph of its own)
        if row.blank:
            if pipes and out:
                out[-1].brk = True    # a line of '|' alone closes a row copied a cell per line
            continue
        text = row.text(" ")
        if (FURNITURE.match(squash(text)) and (k in ends or not squash(text).isdigit())) \
                or PAGE_OF.search(squash(text)):
            continue          # a page number or header between the table's pages (a bare number mid-page: a value)
        if pipes:
            cells = [sl.text for sl in row.starts if squash(sl.text)]
            for c in cells:
                out.append(Tok(c.strip(), k, para, row.page, cell=True))
            if out and len(cells) >= 2:
                out[-1].brk = True    # a row per line
            continue
        prev = None
        for sl in row.starts:
            if squash(sl.text):
                t = Tok(_DOTS.sub("", sl.text.strip()) or sl.text.strip(), k, para, row.page)
                # a space where the PDF changed font (Chinese | digits): '完成全市 375 万平方米的…'
                t.soft = prev is not None and bool(_SOFT.search(prev.text[-1:] + t.text[:1]))
                out.append(t)
                prev = t
    out = [t for t in out if not EMPTY_ROW.match(squash(t.text))]   # …… of a template row
    if paragraphs:
        out = _deinterleave(_prose(out))
    out = _join_pieces(out)
    # a cell wraps where its line is full: the last run of each line knows how full it is
    widths: dict[int, float] = {}
    for t in out:
        widths[t.row] = widths.get(t.row, 0.0) + _width(t.text)
    top = sorted(widths.values())
    wmax = top[int(0.95 * (len(top) - 1))] if top else 1.0
    # the widths several lines share are where columns wrap (a narrower value column too)
    plateaus = wrap_widths(list(widths.values()), max(8.0, 0.6 * wmax))
    for k, t in enumerate(out):
        w = widths[t.row]
        t.full = 1.0 if any(abs(w - p) <= 1.0 for p in plateaus) else (w / wmax if wmax else 0.0)
        t.last = k + 1 == len(out) or out[k + 1].row != t.row
        t.paragraphs = paragraphs
    return out


def _width(text: str) -> float:
    """Printed width in full-width characters (Latin letters and digits are half)."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def wrap_widths(widths: list[float], least: float) -> list[float]:
    """The widths (at least `least`) that two or more lines share within half a character: where
    a column's cells wrap. Within half a character, because a full-width comma read back as ','
    counts half."""
    ws = sorted(widths)
    out = []
    for k, w in enumerate(ws):
        if w >= least and ((k and w - ws[k - 1] <= 0.5) or (k + 1 < len(ws) and ws[k + 1] - w <= 0.5)):
            out.append(w)
    return out


_SOFT = regex.compile(r"^(?:[\p{Han}][0-9A-Za-z]|[0-9A-Za-z%][\p{Han}])$")
_DOTS = regex.compile(r"^[.…。·]+(?=\p{Han})")   # '......生态效益指标': a template row's dots glued on


def _deinterleave(toks: list[Tok]) -> list[Tok]:
    """pdftotext's default mode writes a band of the table as one paragraph, its lines in the
    order of their baselines: a name wrapped over two lines with its value centred between
    them comes out name / value / name. In a paragraph holding one row (one name opening with
    指标N：, or no label at all), the category words come first, then the text lines in order,
    then the values."""
    out: list[Tok] = []
    k = 0
    while k < len(toks):
        j = k + 1
        while j < len(toks) and toks[j].para == toks[k].para:
            j += 1
        group = toks[k:j]
        shapes = [shape(t.text) for t in group]
        labels = sum(1 for t in group if LABEL_MARK.match(t.text))
        values = [t for t, sh in zip(group, shapes) if sh in ("V", "N")]
        texts = [t for t, sh in zip(group, shapes) if sh not in ("V", "N") and not stream_level(t.text)]
        levels = [t for t in group if stream_level(t.text) and t not in texts]
        first_value = next((i for i, sh in enumerate(shapes) if sh in ("V", "N")), None)
        mixed = first_value is not None and any(group[i] in texts for i in range(first_value + 1, len(group)))
        if len({t.row for t in group}) >= 3 and labels <= 1 and len(values) == 1 and mixed:
            out.extend(levels + texts + values)
        else:
            out.extend(group)
        k = j
    return out


def _prose(toks: list[Tok]) -> list[Tok]:
    """A paragraph of prose that flowed into the table (a goal beside its label) is one token."""
    out: list[Tok] = []
    k = 0
    while k < len(toks):
        j = k + 1
        while j < len(toks) and toks[j].para == toks[k].para and not toks[j - 1].brk:
            j += 1
        text = "".join(t.text for t in toks[k:j])
        if j - k > 1 and len(text) >= 40 and len(regex.findall(r"[，。；,;]", text)) >= 2:
            out.append(Tok(clean_text(" ".join(t.text for t in toks[k:j])), toks[k].row, toks[k].para, toks[k].page))
        else:
            out.extend(toks[k:j])
        k = j
    return out


def _join_pieces(toks: list[Tok]) -> list[Tok]:
    """Category words wrapped in their cells, and captions printed a character a line."""
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        # a run of one-character lines: a stacked caption (绩/效/指/标, 年/度/…/（/8/0/分/）)
        j = i
        while j < len(toks) and len(squash(toks[j].text)) == 1 and (j == i or toks[j].row != toks[j - 1].row):
            j += 1
        if j - i >= 3:
            # cut where a category word or a caption is complete (绩/效/指/标/产/出/指/标)
            acc, first = "", toks[i]
            for x in toks[i:j]:
                if not acc:
                    first = x
                acc += squash(x.text)
                if stream_level(acc) or strip_header(acc) in _CAPTIONS:
                    out.append(_tok(acc, first))
                    acc = ""
            if acc:
                out.append(_tok(acc, first))
            i = j
            continue
        # a category word in pieces (产出指 / 标 / （40 / 分）)
        best = None
        acc = squash(t.text)
        for k in range(i + 1, min(i + 5, len(toks))):
            if toks[k].brk or toks[k - 1].brk or len(squash(toks[k].text)) > 6:
                break
            acc += squash(toks[k].text)
            if stream_level(acc) and _exact_category(acc) and (
                    not stream_level(squash(toks[k].text)) or len(squash(t.text)) <= 4):
                best = k      # (服务对象 / 满意度指标: a category word wrapped before its last word)
        if best is not None and not stream_level(t.text) and not t.labelled and not LABEL_MARK.match(t.text):
            out.append(_tok(acc_until(toks, i, best), t, toks[best].brk))
            i = best + 1
            continue
        nt = _tok(t.text, t, t.brk)
        nt.soft, nt.cell = t.soft, t.cell
        out.append(nt)
        i += 1
    # points or annotations printed after a category word: （40分） / （必填）
    res: list[Tok] = []
    for t in out:
        if res and res[-1].level and (_POINTS_PIECE.match(squash(t.text)) or _ANNOT_PIECE.match(squash(t.text))) \
                and not _BARE.match(squash(t.text)):
            res[-1].brk = res[-1].brk or t.brk
            continue
        res.append(t)
    return res


def acc_until(toks: list[Tok], i: int, k: int) -> str:
    return "".join(squash(x.text) for x in toks[i:k + 1])


def _tok(text: str, like: Tok, brk: bool = False) -> Tok:
    t = Tok(text, like.row, like.para, like.page, brk=brk)
    t.level = stream_level(text)
    t.shape = "L" if t.level else shape(text)
    t.labelled = bool(LABEL_MARK.match(text))
    if is_caption(text):
        t.shape, t.level = "H", None
    return t


def is_caption(text: str) -> bool:
    """A level column's caption (年度绩效指标, 项目年度绩效目标(定量指标), labels.CAPTION)."""
    t = strip_header(squash(text))
    return t in _CAPTIONS or bool(CAPTION.fullmatch(t))


_LEVEL_END = regex.compile(r"(?:指标|目标|值)(?:[(（][^()（）]*[)）]?)?$")


def stream_level(text: str) -> str | None:
    """A category word standing alone in a dump. Stricter than in a ruled column, where
    the column says it: 学生家长满意度 is a name there, 服务对象满意度指标 a category."""
    lw = level_word(text)
    if lw is None:
        return None
    t = strip_header(squash(text))
    if _LEVEL_END.search(t) or t in _CATEGORY_CORES:
        return lw
    return None


# captions printed down the side of a table or a block: not a cell of a row
_CAPTIONS = {"绩效指标", "绩效目标", "年度绩效指标", "年度绩效目标", "当年绩效指标", "绩效", "指标", "目标"}
def _exact_category(text: str) -> bool:
    """The framework's own wording of a category (pieces joined must spell one, not just end like one)."""
    core = regex.sub(r"(?:类)?(?:指标|目标|值)$", "", strip_header(squash(text)))
    core = regex.sub(r"^(?:[一二三四五六七八九十\d]+[、.．])", "", core)
    return core in _CATEGORY_CORES or core in ("社会公众或服务对象满意度", "可持续性影响", "生态环境效益", "经济成本",
                                               "社会成本", "生态环境成本", "项目产出", "项目效益")


_CATEGORY_CORES = {"数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "环境效益", "可持续影响",
                   "服务对象满意度", "产出", "效益", "满意度", "投入", "效果"}


_BOXES = regex.compile(r"[□☐☑☒■]")
_LABEL_ONLY = regex.compile(r"^(?:指标|目标)\s*\d+\s*[:：]?$")


@functools.lru_cache(maxsize=1 << 15)
def shape(text: str) -> str:
    """What a cell looks like: N bare number, O operator, U unit, C closed word (定量,
    正向), B label (指标1), V a value, D a standard (达到目标值), S a sentence, T text. (H, a column header word,
    is given by the reader to the header's own words.)"""
    t = squash(text)
    if not t:
        return "E"
    if _BARE.match(t):
        return "N"
    if OPERATOR_ONLY.match(t):
        return "O"
    if is_unit(t) and not t.isdigit():
        return "U"
    if _TYPES.match(t) or _DIRECTIONS.match(t):
        return "C"
    if _LABEL_ONLY.match(t):
        return "B"
    if LABEL_MARK.match(t):
        return "S" if len(t) >= 24 else "T"   # 指标1：… opens a name
    if STANDARD_WORDS.match(t):
        return "D"            # a standard (达到目标值, 计划标准): a note's cell, hardly a value, no name
    if _value_like(t):
        return "V"
    if len(t) >= 18 and (_SENTENCE.match(t) or regex.search(r"[，。；;,]", t[:-1])):
        return "S"
    if NAME_END.search(t) and not is_outcome(t):
        return "M"            # worded as a name: …率, …数量, …时间
    return "T"


# -- the header ------------------------------------------------------------------------------------

# the order value columns stand in when a wrapped header interleaved its pieces (年度 / 实际 / 指标值 / 完成值)
_VALUE_ORDER = {"value_long": 0, "value": 1, "actual": 3}
# the roles a row's cells may take, in the header's order
ROW_ROLES = ("label", "seq", "name", "value_long", "value", "op", "unit", "actual", "weight", "score",
             "valtype", "direction", "note")


def header_template(heads: list[str], rows_as_written: bool = False) -> list[str]:
    """Column roles of a dump's header words, level columns left out (their cells are
    markers): the roles in the order the header gives them. `rows_as_written`: the header's
    lines are its rows as printed (a copy, a -raw dump), not pdftotext's flow of its cells."""
    roles: list[str] = []
    seen: set[str] = set()
    for h in heads:
        sc = header_scores(h)
        if not sc or strip_header(h) in seen:
            continue      # (a word written again is the header repeated on a later page)
        seen.add(strip_header(h))
        best = max(sc.values())
        cand = [r for r, w in sc.items() if w == best]
        if {"op", "valtype", "direction"} & set(cand) and len(cand) > 1:
            # 指标性质 / 指标方向: the cells say which (=, ≥ or 正向, 定量); a form may have both
            role = "closed2" if "closed" in roles else "closed"
        else:
            role = cand[0]
        if role == "note" and "note" in roles and "note2" not in roles:
            role = "note2"      # a second note column (绩效标准 … 指标值说明): its own cells
        if role in ("l1", "l2") or role in roles:
            continue
        roles.append(role)
    if "name" not in roles:
        roles.insert(0, "name")
    elif rows_as_written and any(r not in ("label", "seq") for r in roles[:roles.index("name")]):
        # a value column's word before the name's: a header of two rows whose upper row's value
        # word (指标值, spanning both) was written before the lower row's 一级 | 二级 | 三级指标;
        # the value columns stand right of the name
        # (after the lower row's own value-side columns where it has them: 指标值 spanning
        # 计算符号 | 度量单位 | 数值 is the number's column, the last)
        # (a standard's column may span both rows too: 绩效标准 | 当年预期实现值 over 一级 … 三级)
        ni = roles.index("name")
        moved = [r for r in roles[:ni] if r not in ("label", "seq")]
        rest = roles[ni + 1:]
        spans = bool({"op", "unit", "closed"} & set(rest))
        roles = [r for r in roles[:ni] if r in ("label", "seq")] + ["name"] + \
            (rest + moved if spans else moved + rest)
    vals = [r for r in roles if r in _VALUE_ORDER]
    if vals != sorted(vals, key=_VALUE_ORDER.get):
        it = iter(sorted(vals, key=_VALUE_ORDER.get))
        roles = [next(it) if r in _VALUE_ORDER else r for r in roles]
    if not any(r in roles for r in ("value", "value_long", "actual")):
        roles.insert(roles.index("name") + 1, "value")
    return roles


# -- alignment -------------------------------------------------------------------------------------

INF = float("inf")
# cost of a cell of this shape in a column of this role (missing pairs: not allowed)
_CELL = {
    "name": {"T": 0.0, "M": 0.0, "S": 0.6, "V": 1.3, "D": 3.0, "N": 3.5, "H": 5.0, "B": 6.0, "C": 6.0, "U": 6.0,
             "L": 4.0},
    "value": {"V": 0.0, "N": 0.2, "T": 0.9, "D": 0.9, "M": 2.0, "S": 1.6, "C": 3.0, "H": 5.0},
    "op": {"O": 0.0},
    "unit": {"U": 0.0, "N": 3.0, "V": 3.0},
    "weight": {"N": 0.0, "V": 3.0},
    "closed": {"C": 0.0, "O": 0.0},
    "closed2": {"C": 0.0, "O": 0.0},
    "valtype": {"C": 0.0},
    "direction": {"C": 0.0},
    "note": {"D": 0.0, "S": 0.3, "T": 0.8, "M": 0.8, "V": 1.5, "N": 3.0},
    "label": {"B": 0.0},
    "seq": {"N": 0.0},
}
_CELL["actual"] = _CELL["value_long"] = _CELL["value"]
_CELL["note2"] = _CELL["note"]
_CELL["score"] = _CELL["weight"]
# cost of leaving a column of the row empty
_SKIP = {"value": 2.2, "actual": 1.8, "value_long": 1.8, "op": 0.6, "unit": 0.6, "weight": 0.8, "score": 0.8,
         "closed": 0.6, "closed2": 0.6, "valtype": 0.6, "direction": 0.6, "note": 0.15, "note2": 0.15, "label": 0.8,
         "seq": 0.8}
# cost of dropping a token no column takes
_DROP = {"N": 2.0, "O": 3.0, "U": 3.0, "H": 0.8, "T": 3.5, "M": 3.5, "S": 2.5, "V": 3.0, "D": 3.0, "C": 3.0, "B": 1.0,
         "E": 0.0}
_JOINABLE = ("name", "value", "actual", "value_long", "note", "note2")


@dataclass
class AlignedRow:
    cells: dict[str, str]
    levels: list[Tok] = field(default_factory=list)   # markers met since the previous row
    page: int | None = None
    after: list[Tok] = field(default_factory=list)    # (last row) markers after it


_EXPLAINS = regex.compile("^" + EXPLANATION_OPEN)


def _join_cost(a: Tok, b: Tok) -> float:
    """Cost of reading token b as the continuation of a (one cell wrapped)."""
    if a.brk or a.cell or b.shape == "B" or LABEL_MARK.match(b.text):
        return INF        # a row's end, or a label opening the next name
    if a.row == b.row and b.soft and b.shape not in ("H", "O") and a.shape != "V" \
            and (b.paragraphs or not (b.last and b.shape in ("V", "N"))):
        # one cell the dump split where the PDF changed font ('完成全市 375 万平方米的…'); but a
        # whole value closing the line is the next cell ('…的次数 1次/年')
        return 0.2
    if (a.shape == "V" and b.shape == "S") or (_EXPLAINS.match(squash(b.text)) and a.row != b.row
                                                and len(squash(b.text)) >= 8):
        return 3.0        # a sentence (反映…, 考核…) on a line of its own: an explanation's cell (not
        #                   a name's last words, 年度绩效 / 考核合格率)
    if b.shape in ("N", "O", "U", "C", "H") or (b.shape == "V" and len(squash(b.text)) > 2) \
            or (b.repeated and (a.full < 0.85 or b.repeated >= 3)):
        return 3.0        # a cell of its own, not the rest of a wrapped one (unless its line was full)
    if a.para == b.para and a.row != b.row:
        return 0.2                 # the next line of one paragraph
    if a.row == b.row:
        return 1.2        # two runs of one line: a dump splits cells there
    if b.row == a.row + 1:
        # a cell wraps where its line is full: a long line before, the rest after; a line
        # ending in 、，； or an open bracket goes on
        if regex.search(r"[、，,；;（(：:]$", a.text):
            return 0.1
        return 0.3 if a.full >= 0.85 else 0.8 if a.full >= 0.6 else 1.6
    return 2.5


def align(toks: list[Tok], template: list[str], l2_names: bool = False,
          labelled: bool = False) -> tuple[list[AlignedRow], float, list[Tok]]:
    """Cut the tokens into rows of the template (see the module docstring).
    Returns the rows, the total cost and the tokens no row took."""
    n, C = len(toks), len(template)
    ni = template.index("name")
    # best[i][c]: cheapest reading of toks[:i] with columns < c of the current row used
    best = [[INF] * (C + 1) for _ in range(n + 1)]
    back: list[list[tuple | None]] = [[None] * (C + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    skip_to = [[0.0] * (C + 1) for _ in range(C + 1)]
    for a in range(C + 1):
        for b in range(a, C + 1):
            skip_to[a][b] = sum(_SKIP.get(template[x], 0.0) for x in range(a, b) if x != ni)

    def relax(i2, c2, cost, info):
        if cost < best[i2][c2] - 1e-12:
            best[i2][c2] = cost
            back[i2][c2] = info

    for i in range(n + 1):
        # a row may end here (once it has its name): the next one starts
        for c in range(ni + 1, C + 1):
            if best[i][c] < INF:
                relax(i, 0, best[i][c] + skip_to[c][C], ("end", i, c))
        for c in range(C + 1):
            cur = best[i][c]
            if cur == INF or i == n:
                continue
            t = toks[i]
            if i > 0 and toks[i - 1].brk and c != 0:
                continue                   # a '|' row ended: only a new row may start
            if t.level and not (l2_names and t.level in ("l2", "l12")):
                relax(i + 1, c, cur, ("marker", i, c))
                continue
            relax(i + 1, c, cur + _DROP.get(t.shape, 3.0), ("drop", i, c))
            for j in range(c, C):
                role = template[j]
                if j > ni and c <= ni:
                    break                  # nothing after the name before the name
                shape_ = "T" if t.level and role == "name" else t.shape
                base = _CELL[role].get(shape_, INF)
                if base == INF or (t.labelled and role != "name"):
                    continue
                if t.repeated and role == "name":
                    base += 1.5
                if labelled and role == "name" and not t.labelled and not (l2_names and t.level):
                    base += 4.0        # every name of this table opens with 指标N：
                pre = cur + skip_to[c][j] + base + _short(t, role)
                relax(i + 1, j + 1, pre, ("cell", i, c, j, 1))
                if role in _JOINABLE:
                    acc = cur + skip_to[c][j]
                    text = t.text
                    for k in range(i + 1, min(i + 4, n)):
                        jc = _join_cost(toks[k - 1], toks[k])
                        if jc == INF or toks[k].level:
                            break
                        acc += jc
                        text += toks[k].text
                        # the cell is judged whole: 2025年 / 12 / 月底之前 is a date, 完成全市 / 375 /
                        # 万平方米的绿地养护 a sentence
                        whole = _CELL[role].get(shape(text), INF)
                        if whole < INF:
                            relax(k + 1, j + 1, acc + whole + (base - _CELL[role].get(shape_, 0.0)),
                                  ("cell", i, c, j, k - i + 1))
    def close(c: int) -> float:
        return skip_to[c][C] if c > ni else (0.0 if c == 0 else INF)
    final = min(range(C + 1), key=lambda c: best[n][c] + close(c))
    total = best[n][final] + close(final)
    steps = []
    i, c = n, final
    while (i, c) != (0, 0) and back[i][c] is not None:
        info = back[i][c]
        steps.append(info)
        i, c = info[1], info[2]
    steps.reverse()
    rows: list[AlignedRow] = []
    cur: AlignedRow | None = None
    pending: list[Tok] = []
    dropped: list[Tok] = []
    for info in steps:
        kind, i0 = info[0], info[1]
        if kind == "marker":
            pending.append(toks[i0])
        elif kind == "drop":
            if toks[i0].shape == "B" and pending:
                pending[-1].empty = True   # 指标1： with nothing after it: that category's rows are empty
            if toks[i0].shape not in ("H", "E"):
                toks[i0].before_rows = not rows and cur is None
                dropped.append(toks[i0])
        elif kind == "cell":
            j, k = info[3], info[4]
            if cur is None:
                cur = AlignedRow({}, pending, toks[i0].page)
                pending = []
            cur.cells[template[j]] = _join_text([t.text for t in toks[i0:i0 + k]])
        elif kind == "end":
            if cur is not None:
                rows.append(cur)
            cur = None
    if cur is not None:
        rows.append(cur)
    if pending and rows:
        rows[-1].after = pending      # markers after the last row (a level column the dump flowed last)
    dropped = _deferred_values(steps, toks, template, rows, dropped)
    return rows, total, dropped


def _deferred_values(steps, toks: list[Tok], template: list[str], rows: list[AlignedRow],
                     dropped: list[Tok]) -> list[Tok]:
    """pdftotext may write the values of the last rows of a band after them, stacked in one
    paragraph (83%以上 / 稳步提升): a run of values no row took fills, in order, the rows just
    before it that have none."""
    if "value" not in template:
        return dropped
    order: list = []          # rows and dropped tokens in reading order
    cur_rows = iter(rows)
    started = False
    for info in steps:
        if info[0] == "cell" and not started:
            order.append(next(cur_rows, None))
            started = True
        elif info[0] == "end":
            started = False
        elif info[0] == "drop":
            order.append(toks[info[1]])
    taken: set[int] = set()
    k = 0
    while k < len(order):
        if isinstance(order[k], Tok) and order[k].shape in ("V", "N"):
            j = k
            while j < len(order) and isinstance(order[j], Tok) and order[j].shape in ("V", "N"):
                j += 1
            run = order[k:j]
            empty = [r for r in order[:k] if isinstance(r, AlignedRow) and not r.cells.get("value")]
            # rows without values, then one that took the value right after its name: the
            # values of all of them came after the last name (指标1：A / 指标2：B / v1 / v2)
            tail: list[AlignedRow] = []
            for r in reversed(order[:k]):
                if not isinstance(r, AlignedRow) or (tail and r.cells.get("value")):
                    break
                tail.insert(0, r)
            if len(tail) == len(run) + 1 and tail[-1].cells.get("value") and \
                    not any(r.cells.get("value") for r in tail[:-1]):
                vals = [tail[-1].cells["value"]] + [t.text for t in run]
                for r, v in zip(tail, vals):
                    r.cells["value"] = v
                taken.update(id(t) for t in run)
            elif empty and len(run) <= len(empty):
                for r, t in zip(empty[-len(run):], run):
                    r.cells["value"] = t.text
                    taken.add(id(t))
            k = j
        else:
            k += 1
    return [t for t in dropped if id(t) not in taken]


def _short(t: Tok, role: str) -> float:
    """A one-character text cell is more likely a wrapped cell's last character; a short
    text where the header puts a column between the name and the value is that column's
    (行业标准 under 绩效标准)."""
    s = squash(t.text)
    if role in ("name", "value", "actual", "note", "note2") and len(s) == 1 and t.shape in ("T",):
        return 1.5
    if role == "note" and 2 <= len(s) <= 8 and t.shape in ("T", "M"):
        return -0.6
    return 0.0


def _join_text(parts: list[str]) -> str:
    return clean_text("\n".join(parts))


# -- reading a table -------------------------------------------------------------------------------

class CellStreamIndicators:
    """A text dump's indicator table: the rows from its header on."""

    def __init__(self, form: RawForm, header_words: list[str], rows: list[Row], paragraphs: bool = False,
                 pipes: bool = False, level_runs: list[tuple[str, int]] | None = None):
        self.form = form
        self.level_runs = level_runs or []
        self.header_words = header_words
        self.rows = rows
        self.paragraphs = paragraphs
        self.pipes = pipes

    def read(self) -> list[tuple[str, str, str]]:
        heads, template, body, l2_names, rows, dropped = rebuild(self.rows, self.paragraphs, self.pipes)
        # prose the dump flowed in among the header's cells (a goal beside its label)
        self.stray = [t.text for t in dropped if t.before_rows and t.shape in ("S", "T") and len(squash(t.text)) >= 15]
        carry = LevelCarry()
        findings = []
        n_rows = 0
        l2_of = [m.text if m else None for m in assign_levels(rows)] if not l2_names else [None] * len(rows)
        free = [k for k, m in enumerate(l2_of) if m is None]
        if self.level_runs and len(free) == sum(n for _, n in self.level_runs):
            # the level column came in its own style run, a line per row: the rows without a
            # level take its words in order
            words = iter(w for w, n in self.level_runs for _ in range(n))
            for k in free:
                l2_of[k] = next(words)
        for r, l2m in zip(rows, l2_of):
            for m in r.levels:
                if m.level == "l1" and not canonical_level2(m.text):
                    carry.update(m.text, None, self.form)
            name = r.cells.get("name", "")
            if any(_BOXES.search(v) for v in r.cells.values()):
                continue      # a checklist (优秀□ 良好□): a field of the form, not an indicator
            if l2_names and level_word(name):
                carry.update(None, name, self.form)
            elif l2m is not None:
                carry.update(None, l2m, self.form)
            _fix_parent(carry)
            value = r.cells.get("value", "")
            op = r.cells.get("op") or next((c for c in (r.cells.get("closed"), r.cells.get("closed2"))
                                            if c and OPERATOR_ONLY.match(squash(c))), None)
            unit = r.cells.get("unit")
            if op and OPERATOR_ONLY.match(squash(op)) and value:
                value = squash(op) + value
            if unit and value and not squash(value).endswith(squash(unit)):
                value = value + squash(unit)
            ind = indicator_from_cells(name, value, carry, self.form, r.page, None, None)
            if ind is None:
                continue
            if r.cells.get("label") and ind.label is None:
                ind.label = squash(r.cells["label"]).rstrip(":：")
            keep_indicator(self.form, ind, r.page, r.cells)
            n_rows += 1
        lost = sum(1 for t in dropped if t.shape != "B") - len(self.stray)   # (指标2： alone: an empty template row)
        if n_rows and lost > max(2, 0.15 * len(body)):
            findings.append(("warning", "row_alignment_lost",
                             f"text dump: {lost} of {len(body)} cells of the indicator table fit no row; "
                             "the rows around them may be misread"))
        return findings


_ALL_ROLES = ROW_ROLES + ("l1", "l2")
# header words found among the data: those whose wording a value or a name hardly has
# (年度指标值, 全年实际值, 计量单位); not a note's (…依据, …标准 end values too)
_LATE_ROLES = ("l1", "l2", "name", "value", "value_long", "actual", "weight", "score", "unit", "op")
_NOTE_HEADS = {"备注", "说明", "指标说明", "指标解释", "指标描述", "指标值说明"}


_UNCLOSED = regex.compile(r"[(（][^()（）]*$")


def _join_wrapped_heads(toks: list[Tok]) -> list[Tok]:
    """Header cells wrapped in their narrow columns come in pieces (二级指标（ / 必填）, 当年预期实 /
    现值（必填 / ）, 指标值 / 类型): before the first category word, a piece with a bracket left open, a
    piece that closes one, and a piece naming no column with the one before it where together
    they name one, or spell a header word (指标值类型), are one word again."""
    out: list[Tok] = []
    for k, t in enumerate(toks):
        if t.level or LABEL_MARK.match(squash(t.text)) or (_value_like(squash(t.text))
                                                            and not _strong(t.text, _ALL_ROLES)):
            return out + toks[k:]      # (the data: 长期指标值 is a header word, though worded like a value)
        prev = out[-1] if out else None
        if prev is not None and not prev.cell and not t.cell:
            a, b = squash(prev.text), squash(t.text)
            if _UNCLOSED.search(a) or regex.match(r"^[)）]", b) or (not _strong(b, _ALL_ROLES) and (
                    (not _strong(a, _ALL_ROLES) and _strong(a + b, _ALL_ROLES)) or spelled_header(a + b))):
                prev.text = prev.text + t.text
                continue
        out.append(t)
    return out


def _join_wrapped_closed(toks: list[Tok]) -> list[Tok]:
    """A closed set's word wrapped in its narrow column (正向指 / 标, 定量指 / 标) is one cell again."""
    out: list[Tok] = []
    for t in toks:
        prev = out[-1] if out else None
        if prev is not None and not prev.cell and not t.cell and t.row == prev.row + 1 and prev.shape != "C" \
                and shape(prev.text + t.text) == "C":
            prev.text, prev.shape = prev.text + t.text, "C"
            continue
        out.append(t)
    return out


def _mark_header(toks: list[Tok]) -> list[str]:
    """The header's words: those at the table's start, before its first data cell (a dump
    may put category words and the pieces of wrapped header cells among them); the same
    words later (the header repeated on a new page) are marked too. Returns the words."""
    heads: list[str] = []
    for t in toks:
        if t.level:
            continue
        weak = max(header_scores(t.text).values(), default=0.0) >= 1.5 and not t.labelled \
            and len(squash(t.text)) <= 8 and header_label(t.text) is None
        if _strong(t.text, _ALL_ROLES) or (heads and len(squash(t.text)) <= 3 and t.shape in ("T", "M", "H")) or weak:
            if _strong(t.text, _ALL_ROLES) or weak:
                heads.append(t.text)
            t.shape = "H"
            continue
        if heads and not (t.shape == "S" or len(squash(t.text)) >= 40):
            break          # (prose the dump flowed among the header's cells does not end it)
    # every cell of a line that holds two header words is the header's (a caption beside them:
    # 年度绩效目标1（80分） | 一级指标 | 二级指标 …)
    rows_with = {}
    for t in toks:
        if _strong(t.text, _ALL_ROLES):
            rows_with[t.row] = rows_with.get(t.row, 0) + 1
    for t in toks:
        if rows_with.get(t.row, 0) >= 2 and not t.level and t.shape != "H" and not _value_like(squash(t.text)):
            t.shape = "H"
    words = {squash(h) for h in heads}
    for t in toks:
        if squash(t.text) in words:
            t.shape = "H"
        elif len(squash(t.text)) <= 8 and ((_strong(t.text, _LATE_ROLES) and spelled_header(t.text))
                                           or squash(t.text) in _NOTE_HEADS) \
                and not STANDARD_WORDS.match(squash(t.text)):
            # a header word the dump flowed elsewhere (备注 at the table's end); not a standard
            # worded like one (达到目标值 is a cell)
            t.shape = "H"
            heads.append(t.text)
    return heads


def _own_categories(toks: list[Tok]) -> None:
    """A short word ending in 指标 that names no column (制度指标), opening a row before a cell worded
    as a name, where other rows open with the framework's category words: a level2 of the form's own."""
    if not any(t.level for t in toks):
        return
    for a, b in zip(toks, toks[1:]):
        if a.level is None and a.shape in ("T", "M") and own_category(a.text) and b.row == a.row \
                and b.shape in ("T", "M", "S") and not b.level:
            a.level, a.shape = "l2", "L"


def _levels_before_names(toks: list[Tok]) -> bool:
    """Rows where a category word stands before a cell worded as a name (质量指标 | 建档立卡学生全面覆盖
    | 100%): the category words are a level column's, whatever the header calls it."""
    return sum(1 for a, b in zip(toks, toks[1:]) if a.level and a.shape == "L" and b.row == a.row
               and b.shape in ("T", "M", "S") and not b.level) >= 2


def rebuild(lines: list[Row], paragraphs: bool, pipes: bool = False):
    """The table's rows: (header words, template, cells, categories-as-names, rows, dropped)."""
    toks = _join_wrapped_heads([t for t in tokens(lines, paragraphs, pipes) if not EMPTY_ROW.match(squash(t.text))])
    toks = _join_wrapped_closed(toks)
    heads = _mark_header(toks)
    _own_categories(toks)
    template = header_template(heads, rows_as_written=not paragraphs)
    toks = _split_weight_units(toks, template)
    has_l2 = any(header_scores(h).get("l2", 0) >= 3.0 for h in heads)
    if len(heads) >= 4 and any(header_scores(h).get("name", 0) >= 3.0 for h in heads) \
            and not any(header_scores(h).get(r, 0) >= 1.5 for h in heads for r in ("l1", "l2")) \
            and not any(t.level for t in toks[:3]) and not _levels_before_names(toks):
        # no level columns: a category word is a name here (服务对象满意度 | 5 | % | 95)
        for t in toks:
            if t.level and t.shape == "L":
                t.level, t.shape = None, shape(t.text)
    # the header's own words (and a repeat of them on a later page) are no cells
    body = [t for t in toks if t.shape != "H"]
    seen: dict[str, int] = {}
    per_row: dict[int, int] = {}
    for t in body:
        seen[squash(t.text)] = seen.get(squash(t.text), 0) + 1
        per_row[t.row] = per_row.get(t.row, 0) + 1
    for t in body:
        # a short text standing alone on its line, again and again (行业标准): a column's value
        # (how often: a text seen three times is never the tail of a wrapped name)
        t.repeated = seen[squash(t.text)] if t.shape in ("T", "M", "D") and seen[squash(t.text)] >= 2 \
            and len(squash(t.text)) <= 12 and (per_row[t.row] == 1 or t.cell) else 0
    l2_names = not has_l2 and _categories_as_names(body)
    # a dump may scramble its header: the orders a template's value columns commonly take
    # are tried too, and the reading that costs least wins
    best = None
    labelled = sum(t.labelled for t in body) >= 3
    for tpl in _orders(template):
        rows, cost, dropped = align(body, tpl, l2_names, labelled)
        if best is None or cost < best[1] - 1e-9:
            best = (rows, cost, dropped, tpl)
    rows, _cost, dropped, template = best
    return heads, template, body, l2_names, rows, dropped


_WEIGHT_UNIT = regex.compile(r"^(\d{1,3}(?:\.\d+)?)\s*(\D{1,4})$")


def _split_weight_units(toks: list[Tok], template: list[str]) -> list[Tok]:
    """Under 权重 | 计量单位 side by side, a number and a unit read as one run right after a name
    (受益农户数 | 3 户 | ≥ | 19: a dump joins a number to its unit across a font change) are the
    weight's cell and the unit's."""
    if "weight" not in template or "unit" not in template or template.index("unit") != template.index("weight") + 1:
        return toks
    out: list[Tok] = []
    for t in toks:
        m = _WEIGHT_UNIT.match(squash(t.text)) if t.shape == "V" else None
        if m and is_unit(m.group(2)) and out and out[-1].shape in ("T", "M") and out[-1].row == t.row:
            out.append(dataclasses.replace(t, text=m.group(1), shape="N"))
            out.append(dataclasses.replace(t, text=m.group(2), shape="U", soft=False))
            continue
        out.append(t)
    return out


def _orders(template: list[str]) -> list[list[str]]:
    """The header's order, then the same columns in the usual orders: value before what
    was achieved; weight before the values or after them, the score last."""
    out = [template]
    ni = template.index("name")
    tail = template[ni + 1:]
    vals = [r for r in tail if r in ("value_long", "value", "op", "unit", "closed", "closed2", "actual")]
    rest = [r for r in tail if r not in vals and r not in ("weight", "score")]
    sc = [r for r in tail if r == "score"]
    w = [r for r in tail if r == "weight"]
    for order in (vals + w + sc + rest, w + vals + sc + rest):
        cand = template[:ni + 1] + order
        if cand not in out:
            out.append(cand)
    return out


def _categories_as_names(toks: list[Tok]) -> bool:
    """A template without a 三级 column: category words stand where names would, each
    followed by a value rather than by a name."""
    cats = [k for k, t in enumerate(toks) if t.level in ("l2", "l12")]
    if len(cats) < 2:
        return False
    followed = sum(1 for k in cats if k + 1 < len(toks) and toks[k + 1].shape in ("V", "N") and not toks[k + 1].level)
    return followed >= 0.6 * len(cats)


# -- which level2 each row is under ----------------------------------------------------------------

_AFFINITY = [
    ("数量指标", r"数量|人数|次数|个数|户数|场次|人次|面积|里程|规模|台数|座数|件数|[^效]数$", r"^\D*\d+(?:\.\d+)?(?:个|次|人|台|套|场|户|亩|公里|平方米|米|件|批|期|册|名|所|处|家|辆|条|座|项|部|本|份|人次)"),
    ("质量指标", r"质量|合格|达标|验收|准确|覆盖|完好|成活|完成率|通过率|优良|规范", r"%$|^≥?\d+(?:\.\d+)?%"),
    ("时效指标", r"时限|时间|及时|时效|进度|期限|周期|完成时|天数|工作日", r"\d{4}\s*年|月底|年底|前$|之前|以内|天|工作日|小时|月$"),
    ("成本指标", r"成本|费用|经费|资金|补助标准|补贴标准|单价|造价|费$|投资|预算", r"元"),
    ("经济效益指标", r"收入|增收|经济|产值|节约|创收|税收|GDP|带动", None),
    ("社会效益指标", r"社会|群众|居民|就业|知晓|安全|保障|宣传|教育|文化|服务水平|影响力", None),
    ("生态效益指标", r"生态|环境|绿化|污染|排放|节能|水质|空气|植被|森林|卫生", None),
    ("可持续影响指标", r"可持续|长效|长期|持续|机制|使用年限", None),
    ("服务对象满意度指标", r"满意", None),
]
_AFF = [(c, regex.compile(n), regex.compile(v) if v else None) for c, n, v in _AFFINITY]


def _categories(name: str, value: str) -> frozenset[str]:
    """The framework categories an indicator's name and value speak of."""
    n, v = squash(name), squash(value)
    return frozenset(cat for cat, pn, pv in _AFF
                     if pn.search(n) or (pv is not None and v and pv.search(v)))


def _fit(hits: frozenset[str], l2: str) -> float:
    """How well an indicator fits a level2 category (the national framework's own
    wording): +1 it speaks of it, -0.5 of another, 0 of none."""
    return 0.0 if not hits else (1.0 if l2 in hits else -0.5)


def assign_levels(rows: list[AlignedRow]) -> list[Tok | None]:
    """The level2 marker each row stands under. A dump writes a merged level cell once:
    before its rows (then each row takes the marker before it), or all of a level column
    in one run before or after the rows it heads (pdftotext flows a tall merged column).
    The rows are split into contiguous groups, one per marker in order, by dynamic
    programming: a marker written right before a row is its own; elsewhere the framework
    wording of names and values (…率 a quality, …时限 a timeliness, 元 a cost) decides.
    Time is O(rows × markers): a skip of markers costs linearly, so the best predecessor
    is a running maximum."""
    marks: list[Tok] = []
    own: list[int | None] = []      # index in marks of the one marker right before the row
    runs: list[list[int]] = []      # markers of a flowed run right before the row
    next_marked = [len(rows)] * (len(rows) + 1)   # first row at or after k with a marker
    for k in range(len(rows) - 1, -1, -1):
        next_marked[k] = k if any(m.level for m in rows[k].levels) else next_marked[k + 1]
    for k, r in enumerate(rows):
        ms = [m for m in r.levels if (m.level in ("l2", "l12") or canonical_level2(m.text)) and not m.empty]
        if len(ms) > 1:
            # a run of markers before one row is a flowed column only if rows without markers
            # follow for the others; else the earlier ones had empty rows
            free = next_marked[k + 1] - (k + 1)
            if free + 1 < len(ms):
                ms = ms[-1:]
        idx = list(range(len(marks), len(marks) + len(ms)))
        marks.extend(ms)
        own.append(idx[-1] if len(idx) == 1 else None)
        runs.append(idx if len(idx) > 1 else [])
    trailing = [m for m in (rows[-1].after if rows else []) if m.level in ("l2", "l12") or canonical_level2(m.text)]
    marks.extend(trailing)
    if not marks:
        return [None] * len(rows)
    n, M = len(rows), len(marks)
    NEG = -1e9
    f = [[NEG] * M for _ in range(n)]
    bk = [[0] * M for _ in range(n)]
    cats = [_categories(r.cells.get("name", ""), r.cells.get("value", "")) for r in rows]
    l2s = [canonical_level2(t.text) or t.text for t in marks]
    trailing_ix = set(range(M - len(trailing), M))
    in_run: set[int] = set()        # markers of runs up to row r
    limit = -1                      # last marker written at or before row r
    for r in range(n):
        # markers written after row r (not in a run, not trailing) cannot be its own
        in_run.update(runs[r])
        limit = max(limit, max(runs[r]) if runs[r] else (own[r] if own[r] is not None else -1))
        prev = f[r - 1] if r else None
        started = prev is not None and max(prev) > NEG
        # best over p <= m-2 of prev[p] - 0.5*(m-p-1) = max(prev[p] + 0.5p) - 0.5(m-1); the
        # values are multiples of 0.5, so the arithmetic is exact and ties fall as before
        pre, pre_arg = NEG, 0
        for m in range(M):
            if prev is not None and m >= 2 and prev[m - 2] > NEG and prev[m - 2] + 0.5 * (m - 2) > pre:
                pre, pre_arg = prev[m - 2] + 0.5 * (m - 2), m - 2
            if m > limit and m not in trailing_ix and m not in in_run:
                continue
            sc = _fit(cats[r], l2s[m])
            if own[r] is not None:
                sc += 3.0 if m == own[r] else (-6.0 if m < own[r] else -2.0)
            if prev is None or not started:
                f[r][m] = sc - 0.5 * m     # (rows before any marker they may take stand under none)
                continue
            best, arg = (pre - 0.5 * (m - 1), pre_arg) if pre > NEG else (NEG, 0)
            for p in (m - 1, m):
                if p >= 0 and prev[p] > NEG and prev[p] > best:
                    best, arg = prev[p], p
            if best > NEG:
                f[r][m], bk[r][m] = best + sc, arg
    m = max(range(M), key=lambda k: f[n - 1][k])
    out: list[Tok | None] = [None] * n
    for r in range(n - 1, -1, -1):
        out[r] = marks[m] if f[r][m] > NEG else None
        m = bk[r][m]
    return out


# 成本指标 as a level2 stands under 产出指标 (SCHEMA: 数量/质量/时效/成本 → 产出指标)
_PARENT = {**L2_PARENT, "成本指标": "产出指标"}


def _fix_parent(carry: LevelCarry) -> None:
    """A stream loses where a merged level1 cell stood: the framework's parent of the
    level2 wins over a level1 read elsewhere."""
    if carry.l2 in _PARENT and carry.l1 != _PARENT[carry.l2]:
        carry.l1 = _PARENT[carry.l2]


# -- where the tables are --------------------------------------------------------------------------

_ENDS = ("project_name", "department", "implementing_unit", "funds_block", "funds_total", "project_attribute",
         "project_period", "signoff")
_TOTAL = regex.compile(r"^(总分|合计|总计|得分合计)$")
_NOTE = regex.compile(r"^(注|说明|备注)\s*[:：]")


def _strong(text: str, roles=("l1", "l2", "name", "value")) -> str | None:
    t = squash(text)
    if not t or len(t) > 16 or header_label(t) is not None or level_word(t) or LABEL_MARK.match(t):
        return None
    sc = header_scores(t)
    hit = [r for r in roles if sc.get(r, 0.0) >= 3.0]
    return hit[0] if hit else None


def _headerless(rows: list[Row], i: int, roles: set) -> bool:
    """A header naming the value's column and spanning the levels and the name with one word
    (绩效目标 | 绩效指标 | 指标值): the line after it opens with a category word (产出指标 | 数量指标 | …)."""
    if not ({"value", "value_long"} & roles):
        return False
    after = [r for r in rows[i + 1:i + 5] if not r.blank and r.starts][:2]
    if not after:
        return False
    first = squash(after[0].starts[0].text.split("|")[0])
    # (the category word may wrap in its narrow cell: 产出指 / 标)
    both = first + squash(after[1].starts[0].text) if len(after) == 2 and len(after[0].starts) == 1 else ""
    return bool(level_word(first) or (both and level_word(both)))


def _flat(rows: list[Row]) -> bool:
    """The header of a flat export (单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 …), its
    project columns named one after another: flat_text.py reads it."""
    roles = set()
    for r in rows:
        cells = [sl.text for sl in r.starts if squash(sl.text)]
        # a line of header words only (one cell per line, or all of them on one line)
        if cells and all(flat_role(c) or _strong(c, _ALL_ROLES) for c in cells):
            roles |= {flat_role(c) for c in cells} - {None}
    return "project_name" in roles and len(roles) >= 3


def paragraph_mode(rows: list[Row]) -> bool:
    """pdftotext's default mode: blank lines between most cells (-raw has almost none)."""
    lines = [r for r in rows if r.grid is None]
    return len(lines) >= 6 and sum(r.blank for r in lines) >= 0.2 * len(lines)


# the column words a table's header may open with (长期指标值 too: 绩效目标 | 绩效指标 | 长期指标值 | …)
_OPENING = ("l1", "l2", "name", "value", "value_long")


def find_text_tables(rows: list[Row], is_title) -> dict[int, tuple[list[str], list[Row], int]]:
    """Indicator tables of a text dump: from a line opening with a column header word
    (一级指标, 三级指标, 指标名称 …) that two more header words follow within a few
    cells, to the next form's title or header block, a 总分 line, a note or sign-off.
    Returns {first line: (header words, the lines, index after them)}."""
    out: dict[int, tuple[list[str], list[Row], int]] = {}
    i, n = 0, len(rows)
    while i < n:
        row = rows[i]
        lead = [sl.text for sl in row.starts if squash(sl.text)][:3] if not row.blank else []
        first = next((t for t in lead if _strong(t, _OPENING)), None)
        # (a line may open with a header word that only the contents decide, 指标类型)
        strong_here = sum(1 for sl in row.starts if _strong(sl.text))
        if first is None or not (lead[0] == first or strong_here >= 2
                                 or max(header_scores(lead[0]).values(), default=0) >= 1.5
                                 or _headerless(rows, i, {_strong(first, ("value", "value_long"))})) \
                or _flat(rows[max(0, i - 8):i + 1]):
            i += 1
            continue
        # two more header words close after it
        seen, roles, k = 0, {_strong(first, _OPENING)}, i
        data = False
        while k < n and seen < 40 and not data:
            for sl in rows[k].starts:
                for part in sl.text.split("|"):
                    if not squash(part):
                        continue
                    seen += 1
                    r = _strong(part, ("l1", "l2", "name", "value", "actual", "weight", "score", "unit", "op",
                                       "note", "value_long"))
                    if r:
                        roles.add(r)
                    elif k > i and shape(part) in ("N", "V") and len(roles) < 2:
                        data = True      # (a row's number before a second header word: another table's)
                        break
                if data:
                    break
            k += 1
        if (len(roles) < 3 or not ({"name", "value"} & roles)) and not _headerless(rows, i, roles):
            i += 1
            continue
        j = i + 1
        while j < n:
            r = rows[j]
            if not r.blank:
                t0 = next((sl.text for sl in r.starts if squash(sl.text)), "")
                first_cell = t0.split("|")[0] if "|" in t0 else t0
                lab = header_label(first_cell)
                if is_title(r) or (lab is not None and lab[0] in _ENDS) or _TOTAL.match(squash(first_cell)) \
                        or _NOTE.match(squash(first_cell)) or SITE_FURNITURE.search(squash(r.text(""))):
                    break
            j += 1
        heads = [part for r in rows[i:j] for sl in r.starts for part in sl.text.split("|")
                 if _strong(part, tuple(ROW_ROLES) + ("l1", "l2", "closed")) or shape(part) == "H"]
        resumed = _resumed(rows, i, j, is_title)
        if resumed is not None:
            # the header's lines read once more before the rows where the table resumes
            top, c, j2 = resumed
            runs, used = level_runs(rows[top:j])
            # (the lines after the level column's run are the form's: its year, its unit)
            out[i] = (heads, rows[i:top], top + used if runs else j)
            out[c] = (heads, rows[i:top] + rows[c:j2], j2, runs)
            i = j2
            continue
        out[i] = (heads, rows[i:j], j)
        i = j
    return out


_OPEN_TAIL = regex.compile(r"[(（][^)）]*$")


def level_runs(rows: list[Row]) -> tuple[list[tuple[str, int]], int]:
    """The style run of a resumed table's level column: each level-2 word followed by one line
    of numbers (分值 得分) per row it heads (数量指标 / 5 5 / 5 5 / 质量指标 / 5 5 → 数量指标: 2,
    质量指标: 1), and how many lines it took; it ends at the first other line."""
    runs: list[tuple[str, int]] = []
    used = 0
    for k, r in enumerate(rows):
        if r.blank:
            continue
        toks = [p for sl in r.starts for p in sl.text.split() if squash(p)]
        if len(toks) == 1 and level_word(toks[0]) in ("l2", "l12"):
            runs.append((squash(toks[0]), 0))
        elif runs and toks and shape(toks[0]) == "N":
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            break
        used = k + 1
    return [r for r in runs if r[1]], used


def _resumed(rows: list[Row], i: int, j: int, is_title) -> tuple[int, int, int] | None:
    """An Excel sheet printed to PDF and dumped by -raw comes by style run: the header, then the
    category words and the weights' and scores' numbers, then the form's header block, then the
    rows (产出指标(50分) / name value actual …). A table whose lines after its header hold no
    value, ended by a header-block label, resumes at the next line opening with a level-1
    category word that a value follows within three lines. Returns (end of the header's lines,
    where it resumes, its end) or None."""
    if j >= len(rows):
        return None
    top = i
    while top < j and (rows[top].blank or all(_strong(p, _ALL_ROLES) or shape(p) == "H"
                                               for sl in rows[top].starts for p in sl.text.split() if squash(p))):
        top += 1
    if any(shape(p) == "V" for r in rows[top:j] for sl in r.starts for p in sl.text.split()):
        return None
    for c in range(j, min(len(rows), j + 40)):
        r = rows[c]
        if r.blank:
            continue
        first = next((sl.text for sl in r.starts if squash(sl.text)), "")
        if is_title(r) or _strong(first):
            return None
        word = _OPEN_TAIL.sub("", squash(first.split()[0])) if first.split() else ""
        if level_word(word) != "l1":
            continue
        if not any(shape(p) == "V" for r2 in rows[c + 1:c + 4] for sl in r2.starts for p in sl.text.split()):
            continue
        k = c + 1
        while k < len(rows):
            r2 = rows[k]
            if not r2.blank:
                t0 = next((sl.text for sl in r2.starts if squash(sl.text)), "")
                lab = header_label(t0)
                if is_title(r2) or (lab is not None and lab[0] in _ENDS) or _TOTAL.match(squash(t0)) \
                        or _NOTE.match(squash(t0)) or SITE_FURNITURE.search(squash(r2.text(""))):
                    break
            k += 1
        return top, c, k
    return None
