"""Text copied from a web page whose table cells came out glued together.

A browser's copy of some pages writes a table row's cells one after another with no
separator at all (`预算执行率10%=100`, `部门(单位)名称重庆市…办事处区级支出预算总量3724.39`,
`绩效指标指标名称指标权重计量单位指标性质指标值`). Such a copy is recognised by its
table header: a line made only of column header words written together. Then every
line is cut again, with the vocabulary the rest of the parser uses (no second one):

* a header line: into the header words (the longest split in which every piece is one);
* a header-block line: before and after each label of the header dictionary
  (parse/labels.py), so a value stops at the next label;
* a table line: where Chinese text meets a number, an operator or a unit, before a
  standard or an outcome worded as one (`…达到目标值`, `…有效提升`), after a caption with its
  note (`项目年度绩效目标(定量指标)`), a category of the form's own after it (`制度指标`) and
  the category words the line opens with (`产出数量指标享受资助人数…`: 产出 | 数量指标 | …);
  a goal's label opening a line inside the table is such a caption, not a header field.

Two numbers written together (`210010` for 2100 and 10) are cut only where the other rows
show a weight column (a value, then a bare number: `95%10`) and one of its numbers ends the
digits; otherwise they stay as they are and the row rebuild (parse/cellstream.py) finds
fewer cells than columns.
"""
from __future__ import annotations

import functools

import regex

from normalize.values import is_unit, split_levels
from parse.labels import CAPTION, FLAT_COLUMNS, HEADER_LABELS, ORG_END, TITLE, header_label, squash
from parse.roles import EXPLANATION_OPEN, STANDARD, header_scores, own_category, is_outcome, level_word, spelled_header, strip_header

# the header dictionary's labels, found anywhere in a line
_LABELS = [regex.compile(pat.pattern.replace("^", "").replace("$", "")) for _, pat in HEADER_LABELS]
# a table line's runs: Chinese text, a number, an operator, a unit
# (a % before an operator is a unit cell of its own: 10%=100 is 10 | % | = | 100)
_RUNS = regex.compile(r"[≥≤≧≦<>＜＞=＝]+|\d+(?:[.,]\d+)*(?:%(?![=≥≤≧≦<>＜＞＝]))?|%|[^\d%≥≤≧≦<>＜＞=＝]+")
_CAPTION = {"绩效指标", "年度绩效指标", "绩效目标"}


@functools.lru_cache(maxsize=1 << 12)
def header_words(text: str) -> list[str] | None:
    """A line written as column header words and nothing else, cut into them (None if not one)."""
    s = squash(text)
    n = len(s)
    if n < 6 or n > 80:
        return None
    # best[i]: most pieces covering s[:i], each a header word (the finest cut: 指标名称指标权重
    # is two words, not one that ends like 指标权重)
    best: list[tuple[int, int, int] | None] = [None] * (n + 1)   # (score, pieces, start)
    best[0] = (0, 0, 0)
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 2, min(n, i + 14) + 1):
            if _word(s[i:j]):
                # the longest exact words win: 实际完成值 whole, not 实际 + 完成值
                cand = (best[i][0] + (j - i) * _exact(s[i:j]) - 1, best[i][1] + 1, i)
                if best[j] is None or cand[0] > best[j][0]:
                    best[j] = cand
    if best[n] is None or best[n][1] < 3:
        return None
    out, j = [], n
    while j > 0:
        i = best[j][2]
        out.append(s[i:j])
        j = i
    out.reverse()
    strong = sum(1 for w in out if max(header_scores(w).values(), default=0.0) >= 3.0)
    # (or captions spanning the levels and the name, then the value's word: 绩效目标绩效指标指标值)
    spanned = strong == 1 and len(out) >= 3 and all(w.removeprefix("年度") in _CAPTION for w in out[:-1])
    return out if strong >= 2 or spanned else None


def _word(piece: str) -> bool:
    """A header word on its own: a caption, or a word naming a role (a piece of two or three
    characters only when it names it outright: 一级, 分值, 备注, 值类型; never the bare 指标)."""
    if piece in _CAPTION or _flat_word(piece):
        return True
    w = max(header_scores(piece).values(), default=0.0)
    # (a three-character word the vocabulary spells outright, its role left to the cells: 值类型)
    return w >= 3.0 or (w >= 1.0 and len(piece) >= 4) or (w >= 1.5 and len(piece) == 3 and bool(_exact(piece)))


def _exact(piece: str) -> int:
    """1 when the piece is a header word as the vocabulary spells it (二级指标, 年度指标值),
    not merely ending like one (指标二级)."""
    return int(strip_header(piece) in _CAPTION or _flat_word(piece) or spelled_header(piece))


def _flat_word(piece: str) -> bool:
    """A flat export's project column named outright: 单位名称, 项目名称, 预算数, 年度目标."""
    return any((m := pat.match(piece)) is not None and m.end() == len(piece) for _, pat in FLAT_COLUMNS)


def is_glued(lines: list[str]) -> bool:
    """The copy writes its table header's words together: a glued copy."""
    return any(" " not in ln.strip() and header_words(ln) for ln in lines if ln.strip())


def cut_labels(text: str) -> list[str]:
    """A header-block line cut before and after each label it holds."""
    s = text.strip()
    out: list[str] = []
    pos = start = 0
    while pos < len(s):
        # the longest label starting here (年度资金总额, not 年度资金)
        end = max((m.end() for rx in _LABELS if (m := rx.match(s, pos)) is not None), default=pos)
        # a label opens the line or has a value after it (病媒生物防制补助资金 ends in 资金, no label)
        if end - pos >= 3 and not (pos > 0 and end >= len(s)):
            pos = _label_start(s, start, pos, end)
            while end < len(s) and s[end] in ":：":
                end += 1
            if pos > start:
                out.append(s[start:pos])
            out.append(s[pos:end])
            pos = start = end
            continue
        pos += 1
    if start < len(s):
        out.append(s[start:])
    return [p for p in (x.strip(" :：") for x in out) if p]


# how an organisation's name ends (a department or unit is the value most labels follow)


def _label_start(s: str, start: int, pos: int, end: int) -> int:
    """Where a label ending at `end` starts. A label with a free prefix (区级支出预算总量)
    may take the end of the value before it (…街道办事处区级支出预算总量): if an
    organisation's name ends inside the match and the rest is still a label, the label
    starts after the name."""
    for q in range(pos + 1, end - 2):
        if ORG_END.search(s[start:q]) and any(rx.fullmatch(s, q, end) for rx in _LABELS):
            return q
    return pos


_DATE = regex.compile(r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:份)?)?(?:\s*\d{1,2}\s*[日号])?(?:底|末)?"
                      r"(?:之前|以前|前|以内|之内|内)?")
_NUMBER = regex.compile(r"(?:[≥≤≧≦<>＜＞=＝]+|不低于|不少于|不超过|不高于|不大于|不小于|大于等于|小于等于|大于|小于|达到|高于|低于)?"
                        r"\s*\d+(?:[.,]\d+)*")
_OP = regex.compile(r"[≥≤≧≦<>＜＞=＝]+")
_LABEL = regex.compile(r"指标\s*\d+\s*[:：]")
_AFTER = regex.compile(r"(?:以上|以下|以内|之内|及以上|及以下)")


def _unit_at(s: str, i: int) -> int:
    """End of the longest unit starting at s[i] (i when none): 个, 元/人, 万平方米, %."""
    for j in range(min(len(s), i + 8), i, -1):
        if is_unit(s[i:j]):
            return j
    return i


# a closed set's word a 指标性质 / 指标方向 / 指标类型 column holds, glued to the name before it
_CLOSED_WORD = regex.compile(r"(?:正向|反向|逆向|中性|定量|定性)(?:指标)?")
_CLOSED_TAIL = regex.compile(r"(?<=\p{Han}{2})(?:正向|反向|逆向|中性|定量|定性)(?:指标)?$")


def cut_row(text: str, outcomes: int = 1, closed: bool = False) -> list[str]:
    """A table line cut into its cells: text, a value (operator, number, unit: ≥11个), a
    date (2025年6月前), an operator or a unit standing alone (10 | % | = | 100: a % before
    an operator is a cell of its own); a label 指标1： stays with the name after it; the
    category words the line opens with are cut off one by one. `outcomes`: how many qualitative
    cells may end the row (a self-evaluation's value and its actual: 持续提升 | 达到预期).
    `closed`: the header names a column of a closed set (指标性质: 正向 | 反向, 定量 | 定性), whose word
    a cell ending so is cut at (受益农户数正向 | 19 → 受益农户数 | 正向 | 19); a row holds one such
    cell, so where it stands alone no other cell is cut (系统运行稳定性 | ≥99% | 定量)."""
    s = text.strip()
    out: list[str] = []
    buf = ""
    i = 0
    while i < len(s):
        m = _LABEL.match(s, i)
        if m:
            if buf.strip():
                out.append(buf)
            buf = m.group()          # the label opens a name: it stays with the text after it
            i = m.end()
            continue
        m = _HINT.match(s, i)
        if m and buf.strip():
            buf += m.group()         # the template's hint stays with the name: 完成巡查次数（≥**次）
            i = m.end()
            continue
        m = _CODE_HEAD.match(s, i) if not buf.strip() else None
        if m:
            # 875001-南岭县…人民政府: a unit's code opens its name, which ends at an organisation's
            # word when more text follows (the project's name)
            org = next((q for q in range(m.end() + 4, len(s) - 3) if ORG_END.search(s[m.end():q])
                        and regex.match(r"\p{Han}{4}|(?:19|20)\d{2}年", s[q:])), None)
            if org is not None and (more := _ORG_MORE.match(s, org)) and ORG_END.search(more.group()):
                org = more.end()     # (…卫生健康委 | 员会: the organisation's word goes on)
            if org is not None:
                out.append(s[i:org])
                i = org
            else:
                buf += m.group()
                i = m.end()
            continue
        m = _DATE.match(s, i) or _NUMBER.match(s, i)
        if m and m.re is _DATE and (not buf.strip() or ORG_END.search(buf.strip())) and _YEAR_NAME.match(s, i):
            buf += m.group()         # …人民政府2020年环境质量监测经费: a year opening a project's name
            i = m.end()
            continue
        if s[i] in "。；;" and _leading_category(s[i + 1:]):
            out.append(buf + s[i])   # a goal's sentence, then the row's category words
            buf = ""
            i += 1
            continue
        if m and (m.re is _DATE or regex.search(r"\d", m.group())):
            if buf.strip() and not _LABEL.fullmatch(buf.strip()):
                out.append(buf)
                buf = ""
            j = m.end()
            if m.re is _NUMBER and not _OP.match(m.group()):
                u = _unit_at(s, j)
                if u > j and _OP.match(s, u):
                    out += [s[i:j], s[j:u]]  # 10%=100, 10公里=125: weight, unit, then the value
                    i = u
                    continue
            if _opens_name(s, i, m, buf, out):
                buf += s[i:m.end()]          # 60岁以上老人…, 2025年度…: a name's own number
                i = m.end()
                continue
            if m.re is _NUMBER:
                u = _unit_at(s, j)
                # an amount in yuan and fen (127,114.00) takes no unit but money's: 127,114.00组织开展…
                if not (regex.search(r"\d,\d{3}\.\d{2}$", m.group()) and not regex.match(r"[万亿千]?元", s[j:u])):
                    j = u
                a = _AFTER.match(s, j)
                j = a.end() if a else j
            out.append((buf + s[i:j]) if buf else s[i:j])
            buf = ""
            i = j
            continue
        m = _OP.match(s, i)
        if m:
            if buf.strip():
                out.append(buf)
                buf = ""
            out.append(m.group())
            i = m.end()
            continue
        buf += s[i]
        i += 1
    if buf.strip():
        out.append(buf)
    cells: list[str] = []
    pieces = [x.strip() for x in out if x.strip()]
    alone = any(_CLOSED_WORD.fullmatch(p) for p in pieces)      # (the row's closed cell, standing alone)
    for k, p in enumerate(pieces):
        tails: list[str] = []
        # (with one value column, a value written after the piece is the row's: …基层治理持续改善 |
        # ≥90% keeps its name whole; a standard before the value is still cut off: …资金支出率达到目标值
        # | 95%. With two (长期 | 年度指标值) the piece may end in the other column's outcome.)
        valued = outcomes < 2 and any(_VALUE_CELL.match(q) for q in pieces[k + 1:])
        # (with two, a row showing fewer values than columns had its first one glued to the name:
        # 资金发放合格率长期 | 不低于97% under 长期指标值 | 年度指标值)
        shown = sum(1 for q in pieces[k + 1:] if regex.search(r"\d", q) or is_outcome(q))
        kind: list[str] = []
        if closed and not alone and (m := _CLOSED_TAIL.search(p)):
            kind, p = [m.group()], p[:m.start()]    # (before or after the value: 按期完成定性)
        while len(tails) < outcomes + 1 and (
                tail := _trailing_outcome(p, standard_only=valued or len(tails) >= outcomes,
                                          short=outcomes >= 2 and shown + len(tails) < outcomes)):
            tails.insert(0, tail)    # 促进产业发展有效带动: name, then its value (计划标准有效带动: its standard first)
            p = p[:-len(tail)]
        cells += _categories(p, cells) + tails + kind
    return cells


def _opens_name(s: str, i: int, m: regex.Match, buf: str, out: list[str]) -> bool:
    """A number or date where the row's name starts (nothing but category words and a
    label before it), without an operator, with the name's text right after it and its
    unit (60岁以上老人体检人数, 2025年度培训人数): the name's own, not a value."""
    if buf.strip() and not _LABEL.fullmatch(buf.strip()):
        return False
    if _OP.match(m.group()) or not all(level_word(c) for c in out):
        return False
    if m.re is _DATE and not regex.fullmatch(r"(?:19|20)\d{2}\s*年", m.group()):
        return False                 # a whole date (2025年12月底前) is a value
    j = m.end()
    if m.re is _NUMBER:
        j = _unit_at(s, j)
        a = _AFTER.match(s, j)
        j = a.end() if a else j
    rest = regex.match(r"\p{Han}{2,}", s[j:])
    return rest is not None and not _DATE_WORD.match(rest.group())


# how an organisation's word may go on past a character ORG_END ends at (委 | 员会, 县委 | 组织部,
# 人民政府 | 办公室, 办 | 事处)
_ORG_MORE = regex.compile(r"员会|组织部|宣传部|统战部|办公室|公室|事处")

# a value cell: an operator before a number, or a number with its unit (≥90%, =13期, 100%)
_VALUE_CELL = regex.compile(r"^(?:[≥≤≧≦<>＜＞=＝]+\s*\d|\d+(?:\.\d+)?\s*(?:%|\p{Han}))")

# a unit's code before its name (875001-…), and a year opening a name (2020年环境…, not 2020年底前)
_CODE_HEAD = regex.compile(r"\d{3,}\s*[-－—](?=\p{Han})")
_YEAR_NAME = regex.compile(r"(?:19|20)\d{2}年(?!度?(?:底|末|前|内|以前|之前|以内|之内|全年|[\d]))(?=\p{Han}{4,})")

# a date's own words after 年/月 (底前, 以前): the date is a value, not a name's head
_DATE_WORD = regex.compile(r"(?:底|末|前|内|以前|之前|以内|之内)")


# a category of the form's own (制度指标): two to four characters and 指标, a name after it
_OWN_CATEGORY = regex.compile(r"^\p{Han}{2,4}指标(?=\p{Han}{4,})")


def _categories(p: str, before: list[str]) -> list[str]:
    """The captions and category words a line opens with cut off one by one (产出指标数量指标指标 1：…,
    项目年度绩效目标(定量指标)制度指标规章制度…); a category word spelling both levels (产出数量指标) is
    two cells."""
    out: list[str] = []
    caption = CAPTION.match(p) if not before else None
    rest = p[caption.end():] if caption else ""
    own = _OWN_CATEGORY.match(rest)
    own = own.group() if own and own_category(own.group()) else ""
    # (a caption only with its note or a category after it: 绩效目标完成率 is a name)
    if caption and rest and level_word(caption.group()) is None and (
            caption.group().endswith((")", "）")) or own or _leading_category(rest)):
        out += [caption.group()] + ([own] if own else [])
        p = rest[len(own):]
    # (after a goal's sentence a flat export's row opens its indicator columns: …效益。| 效益指标 …)
    ends = [k for k, c in enumerate(before) if c.rstrip().endswith(("。", "；", ";"))]
    since = before[ends[-1] + 1:] if ends else before
    while not (since + out) and before or all(level_word(c) or c in out for c in since + out):
        lead = _leading_category(p)
        if not lead or lead == p:
            break
        both = split_levels(lead) if level_word(lead) == "l12" else None
        out += [lead[:len(lead) - len(both[1])], both[1]] if both and lead.endswith(both[1]) else [lead]
        p = p[len(lead):]
    return out + [p]


def _trailing_outcome(p: str, standard_only: bool = False, short: bool = False) -> str | None:
    """A qualitative value glued after its name (…促进产业发展有效带动 → 有效带动), or the standard a
    绩效标准 column names (…信息公开完成率计划标准 → 计划标准, …按行业标准). `short`: a value column
    is known to be missing from the row, so a bare two-character outcome (长期, 及时) is one too."""
    if _LABEL.fullmatch(p):
        return None
    m = _OUTCOME_TAIL.search(p) if not standard_only else None
    if m and m.start() >= 4 and is_outcome(m.group()):
        return m.group()
    m = regex.search(r"(?<=\p{Han}{4})\p{Han}{2}$", p) if short and not standard_only else None
    if m and is_outcome(m.group()):
        return m.group()
    m = _STANDARD_TAIL.search(p)
    if m and len(regex.sub(r"^(?:指标|目标)\s*\d+\s*[:：]", "", p[:m.start()])) >= 2:
        return m.group()
    return None


# a template's hint of the value's form inside a name (（≥**次）, (**万元))
_HINT = regex.compile(r"[(（][^()（）]{0,8}\*\*[^()（）]{0,8}[)）]")

# a 绩效标准 column's standard glued after the name (roles.STANDARD: 计划标准, 按国家标准, 达到目标值)
_STANDARD_TAIL = regex.compile(rf"{STANDARD}$")


# an outcome worded as one: an adverb, at most two characters, a verb of change (稳步提升, 有效带动,
# 持续发挥作用); not a name's ending (…保障有效性)
_OUTCOME_TAIL = regex.compile(r"(?:有效|明显|显著|持续|逐步|稳步|进一步|不断|大幅|全面|按时|按期|及时|基本)\p{Han}{0,2}?"
                              r"(?:提升|提高|改善|促进|保障|向好|作用|带动|增长|增加|下降|降低|减少|稳定|完成|推进)$"
                              r"|(?:长期|持续|基本)(?:有效|稳定|保持)$|(?:已|均已|全部)(?:完成|达到|实现|落实|达标)$")


def _leading_category(text: str) -> str | None:
    for k in range(min(len(text), 12), 3, -1):
        head = text[:k]
        if level_word(head) and strip_header(head).endswith(("指标", "目标")):
            # two category words written together are two cells (满意度指标满意度指标)
            for t in range(4, k - 3):
                if head[:t].endswith(("指标", "目标")) and level_word(head[:t]) and level_word(head[t:]):
                    return head[:t]
            return head
    return None


def unglue(lines: list[str]) -> list[list[str]]:
    """Every line of a glued copy as its cells (lines of other copies: one cell, unchanged)."""
    out: list[list[str]] = []
    table_rows: list[list[str]] = []
    in_table, outcomes, weight_first, closed, explained, explained_first = False, 1, False, False, False, False
    for ln in lines:
        words = header_words(ln) if " " not in ln.strip() else None
        if words:
            out.append(words)
            in_table = True
            weight_first = _weight_after_name(words)
            # the value columns a row may end in (年度指标值 | 实际完成值): so many outcomes (a flat
            # export's 年度目标 is the project's goal, not a value column)
            outcomes = max(1, sum(1 for w in words if _value_column(w) and not _flat_word(w)))
            closed = any({"valtype", "direction"} & set(header_scores(w)) for w in words)
            # (the last column an explanation right after the value's: 指标值 | 指标值说明, not 备注;
            # or an explanation right before the value's: 指标解释 | 指标值)
            explains = [regex.search(r"说明|解释|描述", w) is not None and _best_role(w) == "note" for w in words]
            explained = len(words) >= 2 and explains[-1] and _value_column(words[-2])
            explained_first = len(words) >= 2 and explains[-2] and _value_column(words[-1])
            continue
        if not ln.strip():
            out.append([])
            continue
        if TITLE.search(squash(ln)) and len(squash(ln)) <= 60:
            out.append([ln.strip()])      # a form's title stays whole
            in_table = False
            continue
        labelled = cut_labels(ln)
        # inside a table a goal's label opening a line is the caption of its level column
        # (项目年度绩效目标(定量指标)制度指标…): the line is a row
        caption = in_table and len(labelled) > 1 and (header_label(labelled[0]) or ("",))[0] == "goals"
        if (len(labelled) > 1 and not caption) or not in_table:
            out.append(labelled)
        else:
            out.append(cut_row(ln, outcomes, closed))
            if explained:
                out[-1] = _explanation_after_value(out[-1])
            elif explained_first:
                out[-1] = _explanation_before_value(out[-1])
            table_rows.append(out[-1])
    _cut_weights(table_rows)
    if weight_first:
        _cut_leading_weights(table_rows)
    return out


_EXPLAIN_OPEN = regex.compile(EXPLANATION_OPEN)


def _explanation_after_value(cells: list[str]) -> list[str]:
    """Under … | 指标值 | 指标值说明 everything after the row's value is its explanation, one cell
    (≥11个 | 反映计划监测点位的完成情况。; 369万元 | 带动村民增收应达到369万元), and a value cut with
    the explanation's first words (10万元完成租赁费用，) is cut at its unit."""
    for v, c in enumerate(cells):
        if level_word(c):
            continue
        if not regex.search(r"\d", c):
            # an outcome, then the explanation opening as one does (持续向好 | 反映…情况), the
            # name before it where the row has one (医疗服务持续改善 | 持续发挥作用 | 考核…)
            m = _EXPLAIN_OPEN.search(c, 2)
            if m is None:
                continue
            head, tail = c[:m.start()], c[m.start():] + "".join(cells[v + 1:])
            if is_outcome(head):
                return cells[:v] + [head, tail]
            out = _trailing_outcome(head)
            return cells[:v] + [head[:-len(out)], out, tail] if out else cells
        m = _DATE.match(c) or _NUMBER.match(c)
        if m is None or v == 0:
            return cells
        if m.re is _NUMBER and not _OP.match(c) and _unit_at(c, m.end()) == m.end() \
                and regex.search(r"[≥≤≧≦<>＜＞=＝]", c[m.end():] + "".join(cells[v + 1:])):
            continue                 # a bare number a value follows: the name's own (65 | 岁以上…≥70%)
        j = _unit_at(c, m.end()) if m.re is _NUMBER else m.end()
        a = _AFTER.match(c, j)
        j = a.end() if a else j
        value, rest = c[:j], c[j:] + "".join(cells[v + 1:])
        return cells[:v] + [value] + ([rest] if rest.strip() else [])
    return cells


# (the explanation's openers, and 指 too: an explanation saying the name again may open so)
_REPEATING = regex.compile(f"(?:{EXPLANATION_OPEN}|指)")


def _explanation_before_value(cells: list[str]) -> list[str]:
    """Under … | 指标解释 | 指标值 the explanation is glued to the name before the value; it opens
    as one does and says the name again (受益农户数量反映受益农户数量的完成情况。 → 受益农户数量 |
    反映…), which a name's own words (年度绩效考核合格率) do not."""
    v = next((k for k, c in enumerate(cells) if regex.search(r"\d", _LABEL.sub("", c))), None)
    if not v:
        return cells
    c = cells[v - 1]
    lab = _LABEL.match(c)
    start = lab.end() if lab else 0
    for m in _REPEATING.finditer(c, start + 2):
        head, tail = c[start:m.start()].strip(), c[m.end():]
        if len(head) >= 2 and tail.startswith(head[:4]):
            return cells[:v - 1] + [c[:m.start()], c[m.start():]] + cells[v:]
    return cells


def _best_role(word: str) -> str | None:
    sc = header_scores(word)
    return max(sc, key=sc.get) if sc and max(sc.values()) >= 3.0 else None


def _weight_after_name(words: list[str]) -> bool:
    """The header names the weight's column right after the names' (指标名称 | 指标权重 | 计量单位 …)."""
    roles = [_best_role(w) for w in words]
    return any(a == "name" and b == "weight" for a, b in zip(roles, roles[1:]))


def _cut_leading_weights(rows: list[list[str]]) -> None:
    """Under 名称 | 权重 | 单位 | … | 指标值 the weight is the number right after the name; where
    three rows or more show it alone (预算执行率 | 10 | % | =100), a weight run into its unit before
    a value (森林受灾率 | 10% | 1) is cut from the unit, and digits run into the value with nothing
    between (开展各种文艺活动场次 | 1020) lose the weight they open with (10 | 20), the longest first."""
    weights = {r[1] for r in rows if len(r) >= 3 and regex.fullmatch(r"\d{1,3}", r[1])}
    if sum(1 for r in rows if len(r) >= 3 and r[1] in weights) < 3:
        return
    for r in rows:
        if len(r) >= 3 and (m := regex.fullmatch(r"(\d{1,3})(\D{1,4})", r[1])) and m.group(1) in weights \
                and is_unit(m.group(2)):
            r[1:2] = [m.group(1), m.group(2)]
        elif len(r) == 2 and _DIGITS.match(r[1]):
            w = next((w for w in sorted(weights, key=len, reverse=True)
                      if r[1].startswith(w) and len(r[1]) > len(w)), None)
            if w is not None:
                r[1:2] = [w, r[1][len(w):]]


def _value_column(word: str) -> bool:
    sc = header_scores(word)
    best = max(sc.values(), default=0.0)
    return best >= 1.5 and any(sc.get(r) == best for r in ("value", "actual", "value_long"))


_DIGITS = regex.compile(r"^\d{3,}$")


def _cut_weights(rows: list[list[str]]) -> None:
    """A value without a unit run into the row's weight (享受资助人数 | 达到预计值 | 210010): where the
    other rows end in a value and then a bare number (95% | 10), those numbers are the weight column's,
    and a row of three cells or more ending in digits after a text (not a year), with one of those
    numbers at their end, is cut there (2100 | 10), the longest weight first."""
    weights = {r[-1] for r in rows if len(r) >= 2 and regex.fullmatch(r"\d{1,3}", r[-1])
               and regex.search(r"\d", r[-2])}
    if not weights or sum(1 for r in rows if len(r) >= 2 and r[-1] in weights) < 3:
        return
    for r in rows:
        if len(r) >= 3 and _DIGITS.match(r[-1]) and not regex.search(r"\d", r[-2]) \
                and not regex.fullmatch(r"(?:19|20)\d\d", r[-1]):
            for w in sorted(weights, key=len, reverse=True):
                if r[-1].endswith(w) and len(r[-1]) > len(w):
                    r[-1:] = [r[-1][:-len(w)], w]
                    break
