"""Indicator rows of a text dump, where no rules say where a cell ends.

Raw dumps (pdftotext without -layout) print each cell as a paragraph and the
level labels before the rows they head. Layout dumps keep columns side by side:
a token's character column says whether it is a name or a value, and a merged
level label sits at the vertical middle of its block, so rows are assigned to
labels by where the labels' centres fall.
"""
from __future__ import annotations

import copy

import regex

from normalize.values import canonical_level1, canonical_level2, parse_value
from parse.columns import EXTRA_COLUMNS, L2_PARENT, OPERATOR_ONLY, LevelCarry, indicator_from_cells, keep_indicator
from parse.labels import EMPTY_ROW, LABEL_MARK, column_role, squash
from parse.model import RawForm
from parse.rows import Row

_TERMS = ["产出指标", "效益指标", "满意度指标", "成本指标", "数量指标", "质量指标", "时效指标",
          "经济成本指标", "社会成本指标", "生态环境成本指标", "经济效益指标", "社会效益指标",
          "生态效益指标", "环境效益指标", "可持续影响指标", "服务对象满意度指标",
          "社会公众或服务对象满意度指标", "绩效指标"]
_ANNOT = regex.compile(r"^[(（]?(必填|选填|核心|硬性|必填硬性)*(硬性)?(指标)?[)）]?$")
_PREFIXES = {t[:k] for t in _TERMS for k in range(2, len(t) + 1)}
_SUFFIXES = {t[-k:] for t in _TERMS for k in range(2, len(t) + 1)}


_ANNOT_PART = regex.compile(r"[(（][必选填硬性核心指标]*[)）]?|^[必选填硬性核心指标]*[)）]")
_ANNOT_CHARS = regex.compile(r"^[()（）必选填硬性核心指标]+$")
_LABEL_SPACE = regex.compile(r"指标\s+(\d+)\s*([:：])")


def join_label_space(text: str) -> str:
    """'指标 1：' (a space inside the label, as some templates print it) -> '指标1：'."""
    return _LABEL_SPACE.sub(r"指标\1\2", text)


def is_level_piece(tok: str) -> bool:
    s = squash(tok)
    if not s:
        return False
    if _ANNOT_CHARS.match(s) and regex.search(r"[(（)）必选填]", s):
        return True   # pieces of a wrapped annotation: 必填硬性指 / 标）
    if regex.search(r"[(（)）]", s):
        core = _ANNOT_PART.sub("", s)
        if core != s and regex.search(r"必|选|填|硬性", s):
            return not core or is_level_piece(core)
    if len(s) == 1:
        return s in "绩效指标"
    core = s.strip("()（）")
    if core in _PREFIXES or core in _SUFFIXES:
        return True
    if regex.search(r"必填|选填|硬性", s) and _ANNOT.match(s):
        return True
    # several labels glued together: 效益指标经济效益指标
    rest = s
    while rest:
        for t in sorted(_TERMS, key=len, reverse=True):
            if rest.startswith(t):
                rest = rest[len(t):]
                break
        else:
            return False
    return True


def _is_annotation(s: str) -> bool:
    return bool(regex.search(r"必填|选填|硬性", s)) and bool(_ANNOT.match(s))


def resolve_labels(pieces: list[str]) -> tuple[str | None, str | None, str | None]:
    """Label pieces read in order -> (level1, level2, level2 as written)."""
    s = "".join(squash(p) for p in pieces if not _is_annotation(squash(p)))
    s = regex.sub(r"[(（][^)）]*[)）]?|^[绩效指标]{1,4}(?=[产效满成])", "", s)
    s = s.replace("绩效指标", "")
    found = []
    i = 0
    terms = sorted(_TERMS, key=len, reverse=True)
    while i < len(s):
        for t in terms:
            if s.startswith(t, i):
                found.append(t)
                i += len(t)
                break
        else:
            i += 1
    if not found and len(s) >= 3:
        # a label cut short by wrapping (经济效益指 / 标 with the 标 lost)
        for t in terms:
            if t.startswith(s):
                found.append(t)
                break
    l1 = l2 = None
    for t in found:
        c1, c2 = canonical_level1(t), canonical_level2(t)
        if l1 is None and l2 is None and c1 and (len(found) > 1 or not c2):
            l1 = t
        elif c2:
            l2 = t
        elif c1:
            l1 = t
    return l1, l2, l2


class StreamIndicators:
    def __init__(self, form: RawForm, header: Row, layout: bool, carry=(None, None), widths=None):
        self.form = form
        # the name column's wrap width seen in the document's earlier tables (one template)
        self.widths: list[float] = widths if widths is not None else []
        self.layout = layout
        self.rows: list[Row] = []
        self.header_x = {column_role(s.text): s.x0 for s in header.slots if column_role(s.text)}
        self.header_c = {column_role(s.text): (s.x0 + s.x1) / 2 for s in header.slots if column_role(s.text)}
        self.done = False
        self.carry = carry          # level1/level2 the table had before this header (a page break)

    def feed(self, row: Row) -> None:
        self.rows.append(row)

    def finish(self) -> None:
        if self.done:
            return
        self.done = True
        if self.layout:
            _layout(self)
        else:
            _raw(self)


# -- raw dumps ----------------------------------------------------------------

def _tokens(row: Row) -> list[str]:
    # joined first: a raw dump's slots are its space-separated runs, and the
    # space of '指标 1：' (a font change in the PDF it was dumped from) splits one
    return join_label_space(" ".join(s.text for s in row.slots)).split()


def _raw(st: StreamIndicators) -> None:
    carry = LevelCarry()
    pieces: list[str] = []
    cur: dict | None = None
    form = st.form

    done: list[tuple[dict, LevelCarry]] = []

    def flush():
        nonlocal cur
        if cur is not None:
            done.append((cur, copy.copy(carry)))   # split once the table's wrap width is known
        cur = None

    columns = [r for r in sorted(st.header_x, key=st.header_x.get)
               if st.header_x[r] > st.header_x.get("name", float("inf")) and r in _VALUE_COLUMNS]
    ncols = max(1, len(columns))
    toks_of = [_tokens(r) for r in st.rows]
    filled = [t for t in toks_of if t]
    # a dump printing one cell per line (PyMuPDF get_text(), copy and paste)
    per_cell = len(filled) >= 4 and sum(len(t) == 1 for t in filled) >= 0.85 * len(filled)
    table_w = max((_width(t) for t in filled if not is_level_piece(t[0])), default=0.0)

    for row, row_toks in zip(st.rows, toks_of):
        if row.blank:
            if cur is not None and cur["paras"] and cur["paras"][-1]:
                cur["paras"].append([])
            continue
        line: list[str] = []
        for tok in row_toks:
            if is_level_piece(tok) and not line:
                if cur is not None:
                    flush()
                pieces.append(tok)
                continue
            if pieces:
                l1, l2, l2raw = resolve_labels(pieces)
                _apply(carry, l1, l2, pieces, form)
                pieces = []
            m = LABEL_MARK.match(tok)
            if m:
                flush()
                if line:
                    line = []
                cur = {"label": m.group(0), "paras": [[]], "page": row.page}
                rest = tok[m.end():]
                if rest:
                    line.append(rest)
                continue
            if EMPTY_ROW.match(squash(tok)):
                flush()
                continue
            if cur is None:
                cur = {"label": "", "paras": [[]], "page": row.page}
            elif not line and not cur["label"] and (
                    _complete(cur) or (per_cell and _cells_done(cur, row_toks, table_w, ncols))):
                flush()
                cur = {"label": "", "paras": [[]], "page": row.page}
            line.append(tok)
        if line:
            if cur is None:
                cur = {"label": "", "paras": [[]], "page": row.page}
            cur["paras"][-1].append(line)
    flush()
    wrap = _wrap_width([c for c, _ in done])
    st.widths.append(wrap)
    wrap = max(st.widths)
    for c, level in done:
        name, value = _split_raw(c["paras"], wrap, c["label"] or "", len(columns))
        cells = _by_columns(value, columns) if len(columns) >= 2 else {"value": value}
        ind = indicator_from_cells((c["label"] or "") + name, cells.get("value", ""), level, form,
                                   c["page"], None, None)
        if ind is not None:
            keep_indicator(form, ind, c["page"], cells)


def _complete(cur) -> bool:
    paras = [p for p in cur["paras"] if p]
    return len(paras) >= 2 or (len(paras) == 1 and len(paras[0][-1]) >= 2)


def _apply(carry: LevelCarry, l1, l2, pieces, form):
    raw = "".join(squash(p) for p in pieces)
    carry.update(l1, l2 if l2 else None, form)
    if l2 and regex.search(r"必填", raw):
        form.required_blocks.add(canonical_level2(l2) or l2)


_VALUE_OPENING = regex.compile(r"^[≥≧≤≦<>=＞＜\d]")   # how a value's text may open


def _valueish(text: str) -> bool:
    v = parse_value(text)
    return v.value_kind != "qualitative" or bool(_VALUE_OPENING.match(text))


_VALUE_COLUMNS = ("standard", "value_long", "op", "value", "unit", "actual", "weight", "score", "direction", "note")


def _by_columns(value: str, columns: list[str]) -> dict[str, str]:
    """A raw dump's value tokens over the value columns the header names, in order
    (长期指标值 年度指标值 / 年度指标值 实际完成值 分值 得分 / 绩效标准 当年预期实现值).
    Surplus tokens stay with the first column; missing ones are the last columns'."""
    toks = value.split()
    if not toks:
        return {}
    if len(toks) > len(columns):
        cut = len(toks) - len(columns) + 1
        toks = [" ".join(toks[:cut])] + toks[cut:]
    out = dict(zip(columns, toks))
    op, unit = out.pop("op", ""), out.pop("unit", "")
    if out.get("value"):
        out["value"] = (op if OPERATOR_ONLY.match(op) else "") + out["value"] + unit
    for role in ("standard", "direction", "note"):
        out.pop(role, None)
    return out


_VALUE_TAIL = regex.compile(r"^(?:底|前|内|以前|之前|底前|以内|以上|以下|[日月年%）)])")


def _cells_done(cur: dict, nxt: list[str], width: float, ncols: int) -> bool:
    """One cell per line: the row so far (a name, then its values) is whole when its
    last lines are values — a value by itself, or a short line after a name line that
    stopped short of the wrap width — and the next line does not carry a value on."""
    lines = cur["paras"][-1] if cur["paras"] else []
    if len(lines) < 1 + ncols or (nxt and _VALUE_TAIL.match(squash(nxt[0]))):
        return False
    vals, before = lines[-ncols:], lines[-ncols - 1]
    if all(_whole_value(" ".join(v)) or _outcome(" ".join(v)) for v in vals):
        return True
    return (_width(before) + 2.0 <= width or bool(_SENTENCE_END.search(before[-1]))) and all(
        _width(v) <= 0.6 * width for v in vals)


# The wording of a qualitative 指标值 (有效促进, 明显改善, 持续发挥作用, 不产生负面影响)
# against that of a 三级指标 name (…率, …数量, …时间, …水平): used only where a dump
# gives no geometry to tell them apart.
_OUTCOME = regex.compile(
    r"^(?:有效|明显|显著|持续|长期|逐步|稳步|进一步|不断|大幅|基本|全面|按时|按期|及时|较好|良好|优良|"
    r"达到|符合|合格|无|不产生|没有|是|否)"
    r"|(?:提升|提高|改善|促进|保障|向好|作用|达标|合格|完成|增长|增加|下降|降低|减少|稳定|有效|良好)$")
_NAME_END = regex.compile(r"(?:率|数|量|度|时间|时限|成本|费用|标准|水平|状况|情况|效益|机制|质量|面积|金额|收入|比例)$")


def _outcome(text: str) -> bool:
    """A short line worded as a qualitative value, not as an indicator's name."""
    t = squash(text)
    return 2 <= len(t) <= 8 and not _NAME_END.search(t) and bool(_OUTCOME.search(t))


def _width(tokens: list[str]) -> float:
    """Printed width of a line in full-width characters (Latin letters and digits are half)."""
    text = " ".join(tokens)
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _wrap_width(curs: list[dict]) -> float:
    """The width at which the name column wraps: the widest line (the first with
    its `指标N：` label) that another line of the same cell follows."""
    widths = [_width(([c["label"] or ""] if k == 0 else []) + ln)
              for c in curs for p in c["paras"][:1] for k, ln in enumerate(p[:-1])]
    return max(widths) if widths else 0.0


_SENTENCE_END = regex.compile(r"[。；;！!]$|[。；;]")


def _whole_value(text: str) -> bool:
    """A line that is a value by itself: '≧1 次/月', '25.8 万元', '2025 年 12 月前'."""
    t = squash(text)
    if not t or len(t) > 12 or "的" in t or not _VALUE_OPENING.match(t):
        return False
    return parse_value(t).value_kind != "qualitative"


def _split_raw(paras: list[list[list[str]]], wrap: float = 0.0, label: str = "",
               ncols: int = 1) -> tuple[str, str]:
    paras = [p for p in paras if p]
    if not paras:
        return "", ""
    if len(paras) >= 2:
        return _join(paras[0]), _join([ln for p in paras[1:] for ln in p])
    lines = paras[0]
    last = lines[-1]
    if ncols >= 2:
        # several value columns (长期 | 年度, 指标值 | 实际完成值 | 分值 | 得分): one token each
        if len(last) > ncols:
            return _join(lines[:-1] + [last[:-ncols]]), " ".join(last[-ncols:])
        if len(last) == ncols and len(lines) >= 2:
            return _join(lines[:-1]), " ".join(last)
        if len(lines) > ncols and all(len(ln) == 1 for ln in lines[-ncols:]):
            # one cell per line: the last lines are the value columns
            return _join(lines[:-ncols]), " ".join(ln[0] for ln in lines[-ncols:])
    if len(lines) >= 2:
        # A name wrapped in its cell, the value on a line of its own (raw dumps
        # put a vertically centred value after the name's lines): the value is a
        # value by itself, or the name's last line stopped short of the wrap width
        # or at the end of a sentence.
        before = ([label] if len(lines) == 2 else []) + lines[-2]
        # (greedy line breaking: had two more characters fitted, the line did not wrap)
        ended = _width(before) + 2.0 <= wrap or bool(_SENTENCE_END.search(before[-1]))
        if _whole_value(" ".join(last)) or (len(last) == 1 and _outcome(last[0])) or (
                wrap and ended and _width(last) <= 0.6 * wrap and _value_start(last) is None
                and not _SENTENCE_END.search("".join(last))):
            return _join(lines[:-1]), " ".join(last)
    if len(last) < 2:
        return _join(lines), ""
    k = _value_start(last)
    if k is None:
        k = len(last) - 1
    name_lines = lines[:-1] + [last[:k]]
    return _join(name_lines), " ".join(last[k:])


def _value_start(tokens: list[str]) -> int | None:
    """Where the line's own value starts, after at least one token of name: the first
    token opening with an operator or digit from which the rest reads as a value."""
    for i in range(1, len(tokens)):
        if _VALUE_OPENING.match(tokens[i]) and _valueish(" ".join(tokens[i:])):
            return i
    return None


def _join(lines: list[list[str]]) -> str:
    return "\n".join(" ".join(ln) for ln in lines)


# -- layout dumps ---------------------------------------------------------------

def _layout_tokens(row: Row) -> list[tuple[str, float]]:
    """Fragments split further where a level label stands beside other text."""
    out = []
    for s in row.slots:
        text = join_label_space(s.text)
        parts = [(m.group(), s.x0 + m.start()) for m in regex.finditer(r"\S+", text)]
        buf: list[tuple[str, float]] = []
        for tok, x in parts:
            if is_level_piece(tok):
                if buf:
                    out.append((" ".join(t for t, _ in buf), buf[0][1]))
                    buf = []
                out.append((tok, x))
            else:
                buf.append((tok, x))
        if buf:
            out.append((" ".join(t for t, _ in buf), buf[0][1]))
    return out


def _layout(st: StreamIndicators) -> None:
    form = st.form
    lines = []   # (row, [(tok, x, kind)])
    label_pieces = []   # (line_no, x, text, page)
    for row in st.rows:
        if row.blank:
            lines.append((row, []))
            continue
        toks = []
        for tok, x in _layout_tokens(row):
            if is_level_piece(tok):
                if len(squash(tok)) > 1:
                    label_pieces.append((row.line_no, x, squash(tok), row.page))
                    continue
                toks.append((tok, -x - 1))  # a stacked 绩/效/指/标 char, or a name's last char
                continue
            if len(squash(tok)) == 1 and not regex.match(r"[\d.%]", squash(tok)):
                toks.append((tok, -x - 1))  # a stacked label char (年/度/…), or a name's last char
                continue
            toks.append((tok, x))
        lines.append((row, toks))
    # a single char counts as a stacked label only left of the names
    first_x0 = [x for _, toks in lines for t, x in toks if x >= 0 and LABEL_MARK.match(t)]
    if not first_x0:
        # no 指标N labels: the name column starts where most lines' first text does
        starts = sorted(toks[0][1] for _, toks in lines if toks and toks[0][1] >= 0)
        first_x0 = starts[len(starts) // 4: len(starts) // 4 + 1] if starts else []
    left = min(first_x0) - 2 if first_x0 else 0.0
    for row, toks in lines:
        for t, x in toks:
            if x < 0 and -x - 1 < left and is_level_piece(t):
                label_pieces.append((row.line_no, -x - 1, squash(t), row.page))  # e.g. the 标 of 效益指/标
    lines = [(row, [(t, -x - 1) if x < 0 else (t, x) for t, x in toks if x >= 0 or -x - 1 >= left])
             for row, toks in lines]
    # where names start and values start
    name_x = [x for _, toks in lines for t, x in toks if LABEL_MARK.match(t)]
    val_x = [toks[-1][1] for _, toks in lines if len(toks) >= 2]
    first_x = [toks[0][1] for _, toks in lines if toks]
    nx = min(name_x) if name_x else (min(first_x) if first_x else 0.0)
    vx = min(val_x) if val_x else st.header_x.get("value", nx + 30)
    threshold = (nx + vx) / 2 if vx > nx else nx + 10
    # rows
    rows: list[dict] = []
    cur = None
    pending: dict[str, list[str]] = {}
    prev_blank = False
    value_roles = [r for r in ("value", "value_long", "actual", "weight", "score", "standard") if r in st.header_c]
    if "value" not in value_roles:
        value_roles = []
    # rows numbered 指标1, 指标2 …: only a number starts a row
    numbered = bool(name_x)
    # what kind each line is, to look one line ahead
    kinds = []
    for _, toks in lines:
        has_n = any(0 <= x < threshold for _, x in toks)
        has_v = any(x >= threshold for _, x in toks)
        kinds.append("name" if has_n else ("value" if has_v else None))
    for li, (row, toks) in enumerate(lines):
        if not toks:
            prev_blank = prev_blank or row.blank  # a line of level labels only is no gap
            continue
        names = [t for t, x in toks if x < threshold]
        values = [(t, x) for t, x in toks if x >= threshold]
        extra = {}
        if len(value_roles) > 1:
            # several value columns (长期 | 年度, 年度指标值 | 实际完成值 | 分值 | 得分): nearest header
            ordered = sorted(value_roles, key=lambda r: st.header_c[r])
            if len(values) == len(ordered):
                # one token per value column: the order of cells is surer than positions
                for (t, _), role in zip(values, ordered):
                    extra.setdefault(role, []).append(t)
            else:
                for t, x in values:
                    c = x + len(t) / 2
                    role = min(value_roles, key=lambda r: abs(st.header_c[r] - c))
                    extra.setdefault(role, []).append(t)
            values = extra.pop("value", [])
        else:
            values = [t for t, _ in values]
        marker = bool(names) and bool(LABEL_MARK.match(names[0]))
        empty = bool(names) and EMPTY_ROW.match(squash(names[0])) is not None
        cols = {"value": values, **extra}
        if not names and cur is not None and not prev_blank and any(
                ts and (cur.get(c) or _template(cur)) for c, ts in cols.items()):
            # a value line under a filled value: perhaps the first line of the next
            # row's value, printed above its name because values are centred
            for c, ts in cols.items():
                if ts:
                    pending.setdefault(c, []).extend(ts)
            cur["last"] = row.line_no
            continue
        nxt = next((k for k in kinds[li + 1:] if k), None)
        if names and (marker or empty or cur is None or (not numbered and
                      cur["value"] and (prev_blank or values or nxt == "value"))):
            # with its value already read, the row ends where a line's own value
            # follows (a wrapped name with its value centred on the next line)
            new = {"name": [], "value": [], "page": row.page, "first": row.line_no, "last": row.line_no,
                   "label_no": _label_no(names[0])}
            for c, ts in pending.items():
                # the new row has nothing of its own there: the pending line is its top
                target = new if (not cols.get(c) and not prev_blank) or cur is None else cur
                target.setdefault(c, []).extend(ts)
            pending = {}
            cur = new
            rows.append(cur)
        elif cur is None:
            cur = {"name": [], "value": [], "page": row.page, "first": row.line_no, "last": row.line_no,
                   "label_no": None}
            rows.append(cur)
        else:
            for c, ts in pending.items():
                cur.setdefault(c, []).extend(ts)
            pending = {}
        cur["name"].extend(names)
        for role, ts in cols.items():
            cur.setdefault(role, []).extend(ts)
        cur["last"] = row.line_no
        prev_blank = False
    if cur is not None:
        for c, ts in pending.items():
            cur.setdefault(c, []).extend(ts)
    # level labels: group pieces stacked in one column into labels
    labels = []
    for ln, x, text, page in sorted(label_pieces):
        for lab in reversed(labels):  # the most recent label in the column first
            if lab["page"] == page and abs(lab["x"] - x) <= 3 and ln - lab["last"] <= 2 and not (
                    _complete_label(lab["text"]) and not _is_annotation(text) and not _needs_more(text)):
                lab["text"] += text
                lab["last"] = ln
                break
        else:
            if len(text) > 1:
                labels.append({"x": x, "first": ln, "last": ln, "text": text, "page": page})
    h1, h2 = st.header_x.get("l1"), st.header_x.get("l2")
    l1s, l2s = [], []
    for lab in labels:
        l1, l2, _ = resolve_labels([lab["text"]])
        c = (lab["first"] + lab["last"]) / 2
        if l1 and l2:
            l1s.append((c, l1, lab))
            l2s.append((c, l2, lab))
        elif l2 and l1 is None:
            if canonical_level1(l2) and h1 is not None and h2 is not None and abs(lab["x"] - h1) < abs(lab["x"] - h2):
                l1s.append((c, l2, lab))
            else:
                l2s.append((c, l2, lab))
        elif l1:
            if canonical_level2(l1) and h1 is not None and h2 is not None and abs(lab["x"] - h2) < abs(lab["x"] - h1):
                l2s.append((c, l1, lab))
            else:
                l1s.append((c, l1, lab))
    pages = sorted({r["page"] for r in rows})
    carry1, carry2 = st.carry
    for p in pages:
        prow = [r for r in rows if r["page"] == p]
        # rows continuing the last block of the previous page (numbered 指标3, 指标4 …)
        prefix = 0
        if carry2 is not None and prow and prow[0]["label_no"] not in (None, 1):
            prefix = next((i for i, r in enumerate(prow) if r["label_no"] == 1), len(prow))
        a2 = [carry2] * prefix + _assign(prow[prefix:], [x for x in l2s if x[2]["page"] == p])[0]
        # level1 blocks are unions of level2 blocks: assign level1 over those groups
        groups: list[dict] = []
        for r, t2 in zip(prow, a2):
            if groups and t2 is not None and groups[-1]["l2"] == t2 and groups[-1]["l2id"] == id(t2):
                groups[-1]["rows"].append(r)
                groups[-1]["last"] = r["last"]
            elif groups and t2 is None and groups[-1]["l2"] is None:
                groups[-1]["rows"].append(r)
                groups[-1]["last"] = r["last"]
            else:
                groups.append({"l2": t2, "l2id": id(t2), "rows": [r], "first": r["first"], "last": r["last"],
                               "label_no": r["label_no"]})
        a1g = _assign_l1(groups, [x for x in l1s if x[2]["page"] == p], carry1)
        a1 = [t1 for g, t1 in zip(groups, a1g) for _ in g["rows"]]
        for r, t1, t2 in zip(prow, a1, a2):
            r["l1"] = t1 or carry1
            r["l2"] = (t2 if t2 else (carry2 if not t1 or t1 == carry1 else None))
            carry1, carry2 = r["l1"], r["l2"]
    carry = LevelCarry()
    for r in rows:
        carry.update(r.get("l1"), r.get("l2"), form)
        ind = indicator_from_cells("\n".join(r["name"]), "\n".join(r["value"]), carry, form,
                                   r["page"], None, None)
        if ind is not None:
            keep_indicator(form, ind, r["page"], {c: "\n".join(r[c]) for c, _ in EXTRA_COLUMNS if r.get(c)})
    st.carry = (carry1, carry2)
    for lab in labels:
        if regex.search("必填", lab["text"]):
            _, l2, _ = resolve_labels([lab["text"]])
            if l2:
                form.required_blocks.add(canonical_level2(l2) or l2)


def _template(row: dict) -> bool:
    """An empty template row (指标2：, ……): it takes no value."""
    name = LABEL_MARK.sub("", squash("".join(row["name"])))
    return not name or bool(EMPTY_ROW.match(name))


def _complete_label(text: str) -> bool:
    return bool(regex.search(r"[)）]$", text)) or (text.endswith("指标") and not regex.search(r"[(（][^)）]*$", text))


def _needs_more(text: str) -> bool:
    return text in ("指标", "指标)", "指标）") or text.startswith(("(", "（"))


def _label_no(tok: str) -> int | None:
    m = regex.match(r"^\s*指标\s*(\d+)", tok)
    return int(m.group(1)) if m else None


def _parent_mismatch(group: dict, l1: str | None) -> int:
    """1 when the group's level2 belongs under another level1 (the taxonomy of SCHEMA.md)."""
    c2 = canonical_level2(group.get("l2") or "")
    c1 = canonical_level1(l1 or "")
    if not c2 or not c1:
        return 0
    if c2 == "成本指标":   # under 产出指标, or the 2021 framework's level1 成本指标
        return int(c1 not in ("产出指标", "成本指标"))
    if c2 not in L2_PARENT:
        return 0
    if c2 == "服务对象满意度指标" and c1 == "效益指标":
        return 0  # older templates put satisfaction under 效益指标
    return int(L2_PARENT[c2] != c1)


def _assign_l1(groups: list[dict], labels: list, carry: str | None) -> list[str | None]:
    """Level1 over level2 groups; leading groups may continue the previous page's level1."""
    best = None
    for q in range(0, len(groups) + 1 if carry else 1):
        pre = sum(5.0 * _parent_mismatch(g, carry) for g in groups[:q]) + 0.01 * q
        rest, cost = _assign(groups[q:], labels, numbered=False, parent=True)
        if q == len(groups):
            cost = 10.0 * len(labels)  # every label on the page left unused
        total = pre + cost
        if best is None or total < best[0]:
            best = (total, [carry] * q + rest)
    return best[1] if best else [None] * len(groups)


def _assign(rows: list[dict], labels: list, numbered: bool = True, parent: bool = False):
    """Split rows into contiguous blocks, one per label, each centred on its label.

    Where rows are numbered (指标1, 指标2, …) a block starts at 指标1 and holds no
    other 指标1: numbering outweighs centring. With `parent`, rows are level2
    groups and a level1 that the taxonomy does not put above them costs extra.
    Returns (assignment, cost)."""
    n, k = len(rows), len(labels)
    if n == 0:
        return [], 0.0
    if k == 0:
        return [None] * n, 0.0
    labels = sorted(labels, key=lambda t: t[0])
    unused = 0.0
    if k > n:
        labels = labels[:n]
        unused = 10.0 * (k - n)
        k = n
    INF = float("inf")
    cost = [[[0.0] * n for _ in range(n)] for _ in range(k)]
    for i in range(k):
        c = labels[i][0]
        top = labels[i][2].get("first", c) if isinstance(labels[i][2], dict) else c
        for a in range(n):
            ones = 0
            bad_start = numbered and rows[a].get("label_no") not in (None, 1)
            wrong = 0
            for b in range(a, n):
                if numbered and b > a and rows[b].get("label_no") == 1:
                    ones += 1
                if parent:
                    wrong += _parent_mismatch(rows[b], labels[i][1])
                # centred (Excel) or top-aligned (Word) in its merged cell
                place = min(abs((rows[a]["first"] + rows[b]["last"]) / 2 - c), abs(rows[a]["first"] - top))
                cost[i][a][b] = place + 5.0 * (ones + bad_start + wrong)
    dp = [[INF] * n for _ in range(k)]
    back = [[0] * n for _ in range(k)]
    for b in range(n):
        dp[0][b] = cost[0][0][b]
    for i in range(1, k):
        for b in range(i, n):
            for a in range(i, b + 1):
                v = dp[i - 1][a - 1] + cost[i][a][b]
                if v < dp[i][b]:
                    dp[i][b], back[i][b] = v, a
    out = [None] * n
    b = n - 1
    for i in range(k - 1, -1, -1):
        a = back[i][b] if i > 0 else 0
        for j in range(a, b + 1):
            out[j] = labels[i][1]
        b = a - 1
    return out, dp[k - 1][n - 1] + unused
