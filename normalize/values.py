"""Parsing of 指标值 cells, money cells and 一级/二级指标 labels.

Public API::

    parse_value(value_raw, budget_year=None, money_unit=None) -> ParsedValue
    parse_money(s, default_unit=None) -> float | None
    canonical_level1(s) -> str | None
    canonical_level2(s) -> str | None
    strip_annotation(s) -> str

Every function here is total: it never raises, whatever string it is given.

Rule choices beyond SCHEMA.md (kept deliberately small and documented):

* Deadlines.  A date with an explicit year (``2025年12月``, ``2025-12-31``,
  ``2025.12``), or a month with ``budget_year`` known (``12月底之前``), is a
  deadline -- operator ``<=``, ``deadline`` the last day of the month (or year,
  or the stated day) -- when it carries a marker (``底 末 前 之前 以前 完成 止
  截止 以内 之内 内 结束 ...``) or is the whole value.  A year on its own
  (``2021年``), ``2021年全年``, ``2023年度`` and periods (``2023.07-2024.01``,
  ``2023年1月-12月``, ``2023年1-12月``) are qualitative.  ``年底前`` /
  ``上半年`` / ``第三季度`` without a year use ``budget_year``; without a
  ``budget_year`` they stay qualitative.  An explicit leading comparison
  symbol (``≤2025年12月``) wins over the default ``<=``.  A date at the start
  of a sentence (``2021年12月底完成全部工作``) makes the value a date; a date
  later in a sentence only does when no other number is present.
* Numbers.  The first number that is not part of a date is ``value_num``.
  Thousands separators, full-width digits (NFKC), a leading ``+``/``-`` and
  ``百分之95`` / ``百分之九十五`` / ``百分之百`` are understood; other Chinese
  numerals (``一次``) are not, and such values are qualitative.
* Ranges (``90%-95%``) keep the first number with operator ``=``.
* Operators: a symbol or operator word right before the number
  (``≥``, ``不低于``, ``大于``, ``控制在 ... 以内`` -> the word after), else a
  word right after the number and its unit (``以上``, ``以内``, ``内``,
  ``（含）以上``), else ``=``.  ``达到`` / ``约`` are not operators (``=``).
* Units: a known unit word (``分钟``, ``人次``, ``平方米``, ``个百分点`` ...), a
  multiplier ``十 百 千 万 亿`` plus a unit (``万元``, ``万人次``), a bare
  ``万``/``亿``/``千``, a single measure-word character from a fixed list, or
  a Latin unit (``km``, ``Mbps``, ``m2``); compound units join with ``/`` or
  a middle dot (``元/人·月``, ``次/月``).  An approximation word between
  number and unit is skipped (``100余人`` -> 人).  ``百分比`` as unit -> ``%``.
* Incidental numbers.  A value is numeric when the number has a unit or an
  operator, or when the number is (nearly) the whole value.  A bare number
  inside words without unit or operator (``按GB50300标准执行``) is
  qualitative.
* Money: ``value_yuan`` is only set for the units ``元 千元 万元 亿元``
  (exactly the grader's list; rates such as ``元/人·月`` get none).  With a
  ``money_unit`` (block headed ``（万元）``/``（元）``) a bare number takes that
  unit, and a bare ``万``/``亿``/``千`` becomes ``万元``/``亿元``/``千元``.
"""
from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .text import clean_text

__all__ = [
    "MONEY_UNITS",
    "ParsedValue",
    "canonical_level1",
    "canonical_level2",
    "split_levels",
    "parse_money",
    "parse_value",
    "strip_annotation",
]

MONEY_UNITS: dict[str, int] = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}

_MAX_LEN = 400  # longer values are parsed on their first _MAX_LEN characters


@dataclass(frozen=True)
class ParsedValue:
    operator: str | None      # '>=', '<=', '>', '<', '=' or None
    value_num: float | None
    unit: str | None
    value_yuan: float | None
    deadline: datetime.date | None
    value_kind: str           # 'numeric', 'date', 'qualitative'


_QUALITATIVE = ParsedValue(None, None, None, None, None, "qualitative")

# ---------------------------------------------------------------------------
# operators

_SYMBOL_OPS = {
    "≥": ">=", "≧": ">=", "⩾": ">=", ">=": ">=", "=>": ">=",
    "≤": "<=", "≦": "<=", "⩽": "<=", "<=": "<=", "=<": "<=",
    ">": ">", "<": "<", "=": "=", "≈": "=",
}
# Words that may stand right before the number (longest first in the regex).
_PREFIX_WORDS = {
    "大于或等于": ">=", "大于等于": ">=", "不低于": ">=", "不少于": ">=", "不小于": ">=",
    "不得低于": ">=", "不得少于": ">=", "不应低于": ">=", "至少": ">=", "最少": ">=",
    "小于或等于": "<=", "小于等于": "<=", "不高于": "<=", "不超过": "<=", "不多于": "<=",
    "不大于": "<=", "不得超过": "<=", "不得高于": "<=", "不应超过": "<=", "至多": "<=",
    "最多": "<=", "最高": "<=", "最低": ">=",
    "大于": ">", "超过": ">", "高于": ">", "多于": ">",
    "小于": "<", "低于": "<", "少于": "<",
    "等于": "=",
}
# Words that may follow the number and its unit.
_SUFFIX_WORDS = {
    "及以上": ">=", "或以上": ">=", "以上": ">=", "之上": ">=",
    "及以下": "<=", "或以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=", "内": "<=",
}
_SYM_ALT = "|".join(re.escape(k) for k in sorted(_SYMBOL_OPS, key=len, reverse=True))
_PRE_ALT = "|".join(sorted(_PREFIX_WORDS, key=len, reverse=True))
_SUF_ALT = "|".join(sorted(_SUFFIX_WORDS, key=len, reverse=True))

# Operator at the very end of the text before the number ("满意度≥", "不低于").
_PREFIX_OP = re.compile(rf"(?:(?P<sym>{_SYM_ALT})|(?P<word>{_PRE_ALT}))[为是在达到:：]?\s*$")
# Operator right after the unit ("以上", "（含）以上", "(含)以内").
_SUFFIX_OP = re.compile(rf"\s*(?:[(（]含[)）])?\s*(?P<word>{_SUF_ALT})")
_LEADING_SYM = re.compile(rf"^\s*(?P<sym>{_SYM_ALT})\s*")

# ---------------------------------------------------------------------------
# numbers

_NUMBER = re.compile(
    r"(?<![\d.,])(?P<sign>[+\-])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?![\d])"
)
# a list separator, then another number further on
_LIST_SEP = re.compile(r"[、，,;；]")
_LIST = re.compile(r"[、，,;；][^\d]*\d")
_RANGE_TAIL = re.compile(r"\s*[-~～—–至到]\s*\d+(?:\.\d+)?")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_PERCENT_WORD = re.compile(r"百分之(?P<num>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+)")


def _cn_small_int(s: str) -> int | None:
    """Chinese numeral 0..100 (九十五, 十, 一百, 百) -> int, else None."""
    if s in ("百", "一百"):
        return 100
    if not s or len(s) > 3:
        return None
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_DIGITS.get(tens, None) if tens else 1
        o = _CN_DIGITS.get(ones, None) if ones else 0
        if t is None or o is None:
            return None
        return t * 10 + o
    if len(s) == 1 and s in _CN_DIGITS:
        return _CN_DIGITS[s]
    return None


# ---------------------------------------------------------------------------
# units

# Multi-character unit words, longest first.
_UNIT_WORDS = sorted(
    """个百分点 百分点 百分比 个工作日 工作日 个月 个季度 季度 人次 户次 车次 架次 班次 批次
    场次 台次 频次 期次 课时 学时 小时 分钟 秒钟 平方米 平方公里 平方千米 立方米 公里 千米
    公顷 公斤 千克 千瓦时 千瓦 兆瓦 延米 平米 人天 人日 工日 周岁 标准箱 人年""".split(),
    key=len, reverse=True,
)
# Single-character measure words that count as a unit on their own.
_UNIT_CHARS = set(
    "个次人户家条台套件项本册份篇部场期批辆架艘座栋幢间处所张块片只头匹株棵亩吨斤克米里度"
    "天日月年周时分秒元名位组队支盏根把门点起宗例轮届节课卷箱袋包瓶盒桶罐车趟班岗村镇乡校"
    "类种级星倍层段道号幅封遍回餐顿床票单网站屏帧页字词首集季"
)
_MULTIPLIERS = "十百千万亿"
_LATIN_UNIT = re.compile(r"[A-Za-z]{1,6}[23]?(?![A-Za-z])")
_JOINERS = "/／·・•‧∙*×"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_APPROX = "余多"


def _unit_atom(s: str, i: int) -> int:
    """End index of one unit atom starting at s[i], or i if none."""
    if i >= len(s):
        return i
    c = s[i]
    if c in "%‰℃°":
        return i + 1
    for w in _UNIT_WORDS:
        if s.startswith(w, i):
            return i + len(w)
    if c in _MULTIPLIERS:
        j = i + 1
        if j < len(s) and s[j] in _MULTIPLIERS and s[j] != c:  # 百万, 千万
            j += 1
        k = _unit_atom_plain(s, j)
        if k > j:
            return k
        # bare multiplier: only 千/万/亿, and 百万/千万
        if j - i == 2 or c in "千万亿":
            return j
        return i
    return _unit_atom_plain(s, i)


def _unit_atom_plain(s: str, i: int) -> int:
    if i >= len(s):
        return i
    for w in _UNIT_WORDS:
        if s.startswith(w, i):
            return i + len(w)
    c = s[i]
    if c in _UNIT_CHARS:
        return i + 1
    m = _LATIN_UNIT.match(s, i)
    if m:
        return m.end()
    return i


def is_unit(s: str) -> bool:
    """The whole string is one unit: 次/月, 万元, 个, %, 人次."""
    unit, end = _read_unit(s, 0)
    return unit is not None and end == len(s)


def _read_unit(s: str, i: int) -> tuple[str | None, int]:
    """Read a (possibly compound) unit at s[i:]; return (unit, end)."""
    n = len(s)
    j = i
    while j < n and s[j] == " ":
        j += 1
    if j < n and s[j] in _APPROX:          # 100余人 -> 人
        k = _unit_atom(s, j + 1)
        if k > j + 1:
            j += 1
    end = _unit_atom(s, j)
    if end == j:
        return None, i
    start = j
    # compound: 次/月, 元/人·月, 人/年, 元/人*月; after a slash any one character is
    # what the rate is per (元/生/年, 元/户)
    while end < n and s[end] in _JOINERS:
        k = _unit_atom(s, end + 1)
        if k == end + 1 and s[end] in "/／" and end + 1 < n and _HAN.match(s[end + 1]) \
                and (end + 2 == n or s[end + 2] in _JOINERS or not _HAN.match(s[end + 2])):
            k = end + 2
        if k == end + 1:
            break
        end = k
    unit = s[start:end]
    if unit == "百分比":
        unit = "%"
    return unit, end


# ---------------------------------------------------------------------------
# dates

_RANGE_SEP = "-~～—–至到"
_REL_YEAR = {"次年": 1, "明年": 1, "下年": 1, "下一年": 1, "下一年度": 1,
             "当年": 0, "本年": 0, "今年": 0, "同年": 0, "本年度": 0, "当年度": 0}
_REL_ALT = "|".join(sorted(_REL_YEAR, key=len, reverse=True))

_DATE = re.compile(
    # 2025-12-31 / 2025.12 / 2025/12/31 (same separator twice)
    r"(?P<B>(?<![\d.])(?P<by>(?:19|20)\d{2})(?P<bs>[.\-/])(?P<bm>\d{1,2})"
    r"(?:(?P=bs)(?P<bd>\d{1,2}))?(?![\d]|\.\d))"
    # 2025年 / 2025年12月 / 2025年12月31日 / 2023年1-12月
    r"|(?P<A>(?<![\d.])(?P<ay>(?:19|20)\d{2})\s*年\s*"
    r"(?:(?P<am>\d{1,2})(?:\s*[" + _RANGE_SEP + r"]\s*(?P<am2>\d{1,2}))?\s*月份?"
    r"(?:\s*(?P<ad>\d{1,2})\s*[日号])?)?)"
    # (次年)12月 / 6月30日 -- needs budget_year
    r"|(?P<C>(?P<crel>" + _REL_ALT + r")?(?<![\d.])(?P<cm>\d{1,2})"
    r"(?:\s*[" + _RANGE_SEP + r"]\s*(?P<cm2>\d{1,2}))?\s*月份?(?:\s*(?P<cd>\d{1,2})\s*[日号])?)"
    # 年底 / 次年年底 / 上半年 / 第三季度 -- needs budget_year
    r"|(?P<D>(?P<drel>" + _REL_ALT + r")?(?=年底|年末|年终|年内|上半年|下半年|第?[一二三四1-4]季度))"
)
# What may follow a date token.
_DATE_SUFFIX = re.compile(
    r"\s*(?P<suf>年底|年末|年终|年内|底|末|上半年|下半年|第?(?P<q>[一二三四1-4])季度末?|上旬|中旬|下旬)?"
    r"\s*(?P<mk>之前|以前|前|完成(?![率量数度])|为止|止|截止|截至|以内|之内|内|结束|完工|竣工|完毕|实施|验收)?"
)
_PERIOD_TAIL = re.compile(r"\s*(?:[" + _RANGE_SEP + r"]\s*\d|全年|年度|度)")
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass
class _DateHit:
    start: int
    end: int
    kind: str                        # 'A' 2025年12月, 'B' 2025-12-31, 'C' 12月, 'D' 年底
    deadline: datetime.date | None   # None: period, bare year, or no year known
    is_period: bool
    has_marker: bool                 # 底/末/前/完成/以内 ... or 上半年/季度
    has_month: bool


def _month_end(y: int, m: int) -> datetime.date:
    return datetime.date(y, m, calendar.monthrange(y, m)[1])


def _date_hits(s: str, budget_year: int | None) -> list[_DateHit]:
    hits: list[_DateHit] = []
    pos = 0
    n = len(s)
    while pos < n:
        m = _DATE.search(s, pos)
        if not m:
            break
        kind = next(k for k in "ABCD" if m.group(k) is not None)
        suf = _DATE_SUFFIX.match(s, m.end())
        sufw, mk = suf.group("suf"), suf.group("mk")
        has_marker = bool(sufw or mk)
        if kind == "D" and not sufw:  # the lookahead promised one; be safe
            pos = m.start() + 1
            continue
        if kind == "B" and not has_marker and _unit_atom(s, m.end()) > m.end():
            pos = m.start() + 1        # 2000.5万元 is money, not May 2000
            continue
        y = mo = d = None
        period = False
        if kind == "B":
            y, mo = int(m.group("by")), int(m.group("bm"))
            d = int(m.group("bd")) if m.group("bd") else None
        elif kind == "A":
            y = int(m.group("ay"))
            if m.group("am"):
                mo = int(m.group("am"))
                period = m.group("am2") is not None
                d = int(m.group("ad")) if m.group("ad") else None
        elif kind == "C":
            mo = int(m.group("cm"))
            period = m.group("cm2") is not None
            d = int(m.group("cd")) if m.group("cd") else None
            if budget_year is not None:
                y = budget_year + _REL_YEAR.get(m.group("crel") or "", 0)
        elif budget_year is not None:  # D
            y = budget_year + _REL_YEAR.get(m.group("drel") or "", 0)
        if kind in ("B", "C") and not 1 <= mo <= 12:
            pos = m.start() + 1
            continue
        if not has_marker and _PERIOD_TAIL.match(s, m.end()):
            period = True              # 2023.07-2024.01, 2023年1月-12月, 2021年全年
        deadline = None
        if not period and y is not None:
            try:
                if sufw == "上半年":
                    deadline = datetime.date(y, 6, 30)
                elif suf.group("q"):
                    deadline = _month_end(y, _QUARTER[suf.group("q")] * 3)
                elif mo is None:
                    if has_marker:     # 2025年底前, 2025年内, 年底前
                        deadline = datetime.date(y, 12, 31)
                elif d is not None:
                    deadline = datetime.date(y, mo, d)
                elif sufw == "上旬":
                    deadline = datetime.date(y, mo, 10)
                elif sufw == "中旬":
                    deadline = datetime.date(y, mo, 20)
                else:
                    deadline = _month_end(y, mo)
            except (ValueError, OverflowError):
                deadline = None
        hits.append(_DateHit(m.start(), suf.end(), kind, deadline, period,
                             has_marker, mo is not None))
        pos = max(suf.end(), m.start() + 1)
    return hits


# ---------------------------------------------------------------------------
# helpers

_MASK = "\u25a1"  # □ stands in for a date token in the numeric pass
_DIGIT = re.compile(r"\d")
_PUNCT_STRIP = " \t,，.。;；:：、!！?？\"'“”‘’()（）[]【】《》<>"
_FILLER = re.compile(r"[\s,，.。;；:：、!！?？\"'“”‘’()（）\[\]【】《》约大概左右余多以上下内及或含]")
_LEADING_FILLER = re.compile(r"^(?:于|在|将|力争|预计|计划|确保|争取|须|需|要|应|截至|截止|截止到|到)+")


def _to_decimal(num: str) -> Decimal | None:
    try:
        return Decimal(num.replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


def _yuan(num: Decimal, unit: str | None) -> float | None:
    if unit in MONEY_UNITS:
        try:
            v = float(num * MONEY_UNITS[unit])
        except (OverflowError, InvalidOperation):
            return None
        return v if v == v and abs(v) != float("inf") else None
    return None


def _finite(x: Decimal) -> float | None:
    try:
        v = float(x)
    except (OverflowError, ValueError, InvalidOperation):
        return None
    if v != v or v in (float("inf"), float("-inf")):
        return None
    return v


def _money_context_unit(unit: str | None, money_unit: str | None) -> str | None:
    if money_unit and unit in ("万", "亿", "千"):
        return unit + "元"
    return unit


def _norm_money_unit(money_unit: str | None) -> str | None:
    if not money_unit:
        return None
    mu = re.sub(r"[\s()（）]", "", clean_text(str(money_unit)))
    if mu in MONEY_UNITS:
        return mu
    if mu in ("万", "亿", "千"):
        return mu + "元"
    return None


# ---------------------------------------------------------------------------
# parse_value


def parse_value(value_raw: str | None, budget_year: int | None = None,
                money_unit: str | None = None) -> ParsedValue:
    """Normalise one 指标值 cell (see the module docstring for the rules)."""
    try:
        return _parse_value(value_raw, budget_year, money_unit)
    except Exception:  # pragma: no cover - defensive: never raise
        return _QUALITATIVE


def _parse_value(value_raw, budget_year, money_unit) -> ParsedValue:
    if value_raw is None:
        return _QUALITATIVE
    if not isinstance(value_raw, str):
        value_raw = str(value_raw)
    if isinstance(budget_year, bool) or not isinstance(budget_year, int):
        try:
            budget_year = int(budget_year) if budget_year is not None else None
        except (TypeError, ValueError):
            budget_year = None
    if budget_year is not None and not 1 <= budget_year <= 9998:
        budget_year = None
    mu = _norm_money_unit(money_unit)

    s = clean_text(value_raw[: _MAX_LEN * 4])[:_MAX_LEN]
    s = re.sub(r"\s+", "", s) if not s.isascii() else re.sub(r"\s+", " ", s)
    if not s:
        return _QUALITATIVE

    # explicit leading comparison symbol (used by dates too)
    lead = _LEADING_SYM.match(s)
    lead_op = _SYMBOL_OPS[lead.group("sym")] if lead else None
    body_start = lead.end() if lead else 0

    hits = _date_hits(s, budget_year)

    # ---- dates -----------------------------------------------------------
    s_num = s
    if len(hits) >= 2 and _LIST_SEP.search(s, hits[0].end, hits[1].start):
        return _QUALITATIVE   # several dates listed (6月份完成…；9月份完成…): a plan, not one limit
    if hits:
        first = hits[0]
        head = _LEADING_FILLER.sub("", s[body_start:first.start].strip(_PUNCT_STRIP))
        at_start = head.strip(_PUNCT_STRIP) == ""
        rest = _mask(s, [(h.start, h.end) for h in hits])
        other_digits = _DIGIT.search(rest) is not None
        tail = rest[first.end:].replace(_MASK, "").strip(_PUNCT_STRIP)
        if at_start and first.is_period:
            return _QUALITATIVE
        if first.kind == "C" and not first.has_marker:
            # "≤9月" with no year and no 底/前: a duration of months, not September
            return _parse_numeric(s, s, mu)
        if first.deadline is not None:
            if at_start:
                # a bare date (开工时限: 2021年7月) names a time, not a limit: no 前/底/内, no ≤
                is_date = (first.has_marker or lead_op is not None) and (first.has_marker or not tail
                                                                          or not other_digits)
            else:
                is_date = first.kind in ("A", "B") and not other_digits
            if is_date:
                op = lead_op if lead_op is not None else "<="
                return ParsedValue(op, None, None, None, first.deadline, "date")
        elif at_start and not other_digits:
            # a bare year (2021年), 2023年度, 12月底前 without a budget_year
            return _QUALITATIVE
        s_num = rest

    # ---- numbers ---------------------------------------------------------
    return _parse_numeric(s_num, s, mu)


def _mask(s: str, spans: list[tuple[int, int]]) -> str:
    """Replace each span by placeholders of the same length (keeps indices)."""
    if not spans:
        return s
    out = list(s)
    for a, b in spans:
        out[a:b] = _MASK * (b - a)
    return "".join(out)


def _parse_numeric(s: str, original: str, mu: str | None) -> ParsedValue:
    # 百分之95 / 百分之九十五
    pm = _PERCENT_WORD.search(s)
    m = _NUMBER.search(s)
    if pm and (m is None or pm.start() <= m.start()):
        raw = pm.group("num")
        if raw[0].isdigit():
            num = _to_decimal(raw)
        else:
            iv = _cn_small_int(raw)
            num = Decimal(iv) if iv is not None else None
        if num is None:
            return _QUALITATIVE
        op = _operator_before(s[: pm.start()]) or _operator_after(s, pm.end()) or "="
        v = _finite(num)
        if v is None:
            return _QUALITATIVE
        return ParsedValue(op, v, "%", None, None, "numeric")
    if m is None:
        return _QUALITATIVE
    if _LIST.search(s, m.end()):
        return _QUALITATIVE   # several counts listed (完成1部宣传片，2套方案): no one number is the value

    num = _to_decimal(m.group("num"))
    if num is None:
        return _QUALITATIVE
    sign = m.group("sign")
    if sign == "-":
        # a minus directly after a digit/letter is a range dash, never a sign
        before = s[: m.start()]
        if before and (before[-1].isalnum()):
            sign = None
        else:
            num = -num
    start = m.start("sign") if sign else m.start("num")
    unit, uend = _read_unit(s, m.end())
    if unit is None:
        # a range "1-3天" / "90~95%": the unit is written after the second number
        rm = _RANGE_TAIL.match(s, m.end())
        if rm:
            unit2, uend2 = _read_unit(s, rm.end())
            if unit2 is not None:
                unit, uend = unit2, uend2

    op_before = _operator_before(s[:start])
    op_after = _operator_after(s, uend)
    op = op_before or op_after

    if unit is None and op is None:
        # incidental number inside words: numeric only if (nearly) the whole value
        leftover = _FILLER.sub("", s[:start] + s[m.end():]).replace(_MASK, "")
        if leftover:
            return _QUALITATIVE
    if unit is None and mu is not None:
        unit = mu
    unit = _money_context_unit(unit, mu)

    v = _finite(num)
    if v is None:
        return _QUALITATIVE
    return ParsedValue(op or "=", v, unit, _yuan(num, unit), None, "numeric")


def _operator_before(prefix: str) -> str | None:
    if not prefix:
        return None
    pm = _PREFIX_OP.search(prefix[-12:])
    if not pm:
        return None
    if pm.group("sym"):
        return _SYMBOL_OPS[pm.group("sym")]
    return _PREFIX_WORDS[pm.group("word")]


def _operator_after(s: str, i: int) -> str | None:
    sm = _SUFFIX_OP.match(s, i)
    if not sm:
        return None
    w = sm.group("word")
    if w == "内":
        # "内" alone: "30天内" yes; but not "内容", "内部"
        nxt = s[sm.end(): sm.end() + 1]
        if nxt in ("容", "部", "涵", "外", "在"):
            return None
    return _SUFFIX_WORDS[w]


# ---------------------------------------------------------------------------
# parse_money

_MONEY_AFTER = re.compile(r"\s*(?P<u>亿元|万元|千元|元|亿|万|千)")
_MONEY_HINT = re.compile(r"[(（]\s*(?P<u>亿元|万元|千元|元)\s*[)）]|单位[:：]?\s*(?P<u2>亿元|万元|千元|元)")


def parse_money(s: str | None, default_unit: str | None = None) -> float | None:
    """Yuan amount of a header money cell (``49.5万元``, ``1125`` with default
    ``万元``, ``8,827,620.53``); None when the cell holds no number.

    Unit: the one written after the number, else one written elsewhere in the
    cell as ``（万元）`` / ``单位：万元``, else ``default_unit``, else 元.
    """
    try:
        if s is None:
            return None
        if not isinstance(s, str):
            s = str(s)
        t = clean_text(s[: _MAX_LEN * 4])[:_MAX_LEN]
        if not t:
            return None
        # "3 309 840.00": thousands split by spaces (groups of three); "5 5 100%" are cells
        t = re.sub(r"(?<=\d)\s+(?=\d{3}(?!\d)|[,.])", "", t)
        m = _NUMBER.search(t)
        if not m:
            return None
        num = _to_decimal(m.group("num"))
        if num is None:
            return None
        if m.group("sign") == "-" and not (m.start() > 0 and t[m.start() - 1].isalnum()):
            num = -num
        um = _MONEY_AFTER.match(t, m.end())
        unit = None
        if um:
            unit = um.group("u")
            if unit in ("亿", "万", "千"):
                unit += "元"
        if unit is None:
            hm = _MONEY_HINT.search(t)
            if hm:
                unit = hm.group("u") or hm.group("u2")
        if unit is None:
            unit = _norm_money_unit(default_unit) or "元"
        return _yuan(num, unit)
    except Exception:  # pragma: no cover - defensive
        return None


# ---------------------------------------------------------------------------
# level labels

_ANNOTATION = re.compile(
    r"[(（【\[][^()（）【】\[\]]{0,20}?(?:必填|选填|必选|可选|硬性|非必填|自选|可填)[^()（）【】\[\]]{0,20}?[)）】\]]"
    r"|[(（【\[]\s*(?:必填|选填|必选|可选|硬性|非必填|自选|可填)[^()（）【】\[\]]{0,20}$"
    r"|[*＊★☆※]"
)


# what an indicator's name says it measures, by its last word: a rate (…合格率, 满意度) is a share,
# a service life (使用年限) a number of years
_RATE_NAME = re.compile(r"(?<![频功效速利])率$|满意度$")   # (频率, 功率, 效率: no share)
_YEARS_NAME = re.compile(r"年限$")
_SHARE_UNITS = {"%", "‰", "个百分点", "百分点"}
# a name ending in what it counts (…养殖面积, 受益人口数量) and the units that count it: a value in
# another of these dimensions is another row's (面积 | 192只, 人口数量 | 12万元). No row of the
# samples', real forms' and generated forms' gold disagrees.
_DIMENSIONS = (
    (re.compile(r"面积(?:数量|总量|规模)?$"), {"亩", "万亩", "平方米", "万平方米", "㎡", "平米", "公顷", "平方公里"}),
    # (money: a unit of another dimension only; a name ending in money words may count in people or
    # land, 带动农户增收 | ≥200人, 补贴资金 | 10万亩)
    (None, {"元", "万元", "亿元"}),
    (re.compile(r"(?:人数|人口|人次)(?:数量|总数|规模)?$"), {"人", "万人", "人次", "名"}),
    (re.compile(r"[只头]数(?:量)?$"), {"只", "头"}),
)


def contradicts_name(name: str | None, value_raw: str | None, budget_year: int | None = None) -> bool:
    """True where the value's unit contradicts what the name measures: a rate given in people,
    yuan or a date (合格率 | 2019年, 成活率 | 90人), a service life in anything but years, an area
    or a number of people counted in another dimension (养殖面积 | 192只, 人口数量 | 12万元). A value
    with no unit or a qualitative one contradicts nothing (its unit may stand in a column of its own)."""
    core = re.sub(r"[(（][^()（）]*[)）]$", "", re.sub(r"\s+", "", name or ""))
    if not core or not value_raw:
        return False
    rate, years = bool(_RATE_NAME.search(core)), bool(_YEARS_NAME.search(core))
    if not (rate or years):
        return _other_dimension(core, value_raw, budget_year)
    if rate and re.search(r"[%％‰]", value_raw):
        return False      # a share somewhere in it (2025年底前达到100%)
    v = parse_value(value_raw, budget_year)
    if rate and (v.deadline is not None or re.match(r"^\s*\d{4}\s*年", value_raw)):
        return True
    if v.unit is None:
        return False
    if rate:              # (a satisfaction given in points, 满意度 | ≥90分, is one)
        return v.unit not in _SHARE_UNITS and not (core.endswith("满意度") and v.unit == "分")
    return not v.unit.startswith("年")


def _other_dimension(core: str, value_raw: str, budget_year: int | None) -> bool:
    """The name counts in one dimension (area, people, head of livestock) and the value's unit is
    another's (money among them)."""
    own = next((units for pat, units in _DIMENSIONS if pat is not None and pat.search(core)), None)
    if own is None:
        return False
    unit = parse_value(value_raw, budget_year).unit
    return unit is not None and unit not in own and any(unit in units for _, units in _DIMENSIONS)


@functools.lru_cache(maxsize=1 << 14)
def strip_annotation(s: str | None) -> str:
    """Remove ``（必填硬性指标）``, ``（必填）``, ``（选填）``, ``*``, ``★`` … and
    wrap white space from a raw label."""
    try:
        if not s:
            return ""
        t = clean_text(str(s))
        t = _ANNOTATION.sub("", t)
        return clean_text(t)
    except Exception:  # pragma: no cover - defensive
        return ""


@functools.lru_cache(maxsize=1 << 14)
def _label_core(s: str | None) -> str:
    t = strip_annotation(s)
    t = _SPACES.sub("", t)
    t = _POINTS.sub("", t)
    t = t.strip(_PUNCT_STRIP + "-—_")
    t = _LEVEL_PREFIX.sub("", t)
    t = _NUMBERING.sub("", t)
    t = _LEVEL_SUFFIX.sub("", t)
    return t


_SPACES = re.compile(r"\s+")
# the points a block is worth, printed with its label: 产出指标（50分）, 效益指标(30 分)
_POINTS = re.compile(r"[(（]\s*(?:权重|分值)?[:：]?\s*\d+(?:\.\d+)?\s*分?\s*[)）]")
_LEVEL_PREFIX = re.compile(r"^(?:[一二三]级指标[:：]?)")
_NUMBERING = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)[.、．)）]")
# 数量指标, 成本目标 (some templates word the blocks as goals), 数量值 (and as values)
_LEVEL_SUFFIX = re.compile(r"(?:指标|类指标|目标|值)$")


_LEVEL1 = {
    "产出": "产出指标", "项目产出": "产出指标",
    "效益": "效益指标", "项目效益": "效益指标", "效果": "效益指标",
    "满意度": "满意度指标", "满意": "满意度指标", "服务对象满意度": "满意度指标",
    "成本": "成本指标",
}

_LEVEL2 = {
    "数量": "数量指标",
    "质量": "质量指标",
    "时效": "时效指标", "时间": "时效指标",
    "成本": "成本指标",
    "经济成本": "经济成本指标",
    "社会成本": "社会成本指标",
    "生态环境成本": "生态环境成本指标", "生态成本": "生态环境成本指标",
    "环境成本": "生态环境成本指标",
    "经济效益": "经济效益指标",
    "社会效益": "社会效益指标",
    "生态效益": "生态效益指标", "环境效益": "生态效益指标", "生态环境效益": "生态效益指标",
    "可持续影响": "可持续影响指标", "可持续": "可持续影响指标", "可持续发展": "可持续影响指标",
    "可持续性影响": "可持续影响指标", "可持续发展影响": "可持续影响指标",
    "可持续影响力": "可持续影响指标",
    "服务对象满意度": "服务对象满意度指标", "满意度": "服务对象满意度指标",
    "服务对象满意": "服务对象满意度指标", "满意": "服务对象满意度指标",
}


_SATISFACTION = re.compile(r"[\u4e00-\u9fff、]{1,12}满意度")
_SUSTAINABLE = re.compile(r"可持续性?(?:发展)?(?:影响力?)?")


@functools.lru_cache(maxsize=1 << 14)
def split_levels(s: str | None) -> tuple[str, str] | None:
    """A cell naming both levels (产出数量指标, 效益-社会效益指标) -> (level1, level2), else None."""
    try:
        core = _label_core(s)
        for head, l1 in _LEVEL1.items():
            if core.startswith(head) and len(core) > len(head):
                rest = core[len(head):].lstrip("-—_、/:：")
                l2 = canonical_level2(rest)
                if l2 and (l2 != "服务对象满意度指标" or l1 == "满意度指标"):
                    return l1, l2
        return None
    except Exception:  # pragma: no cover - defensive
        return None


@functools.lru_cache(maxsize=1 << 14)
def canonical_level1(s: str | None) -> str | None:
    """Canonical 一级指标 (产出指标/效益指标/满意度指标/成本指标) or None."""
    try:
        core = _label_core(s)
        return _LEVEL1.get(core)
    except Exception:  # pragma: no cover - defensive
        return None


@functools.lru_cache(maxsize=1 << 14)
def canonical_level2(s: str | None) -> str | None:
    """Canonical 二级指标 (see SCHEMA.md) or None when not a recognisable label."""
    try:
        core = _label_core(s)
        if not core:
            return None
        hit = _LEVEL2.get(core)
        if hit:
            return hit
        # 社会公众或服务对象满意度, 受益对象满意度, 群众满意度 ...
        if _SATISFACTION.fullmatch(core) and "的" not in core:
            return "服务对象满意度指标"
        # 可持续性影响, 可持续性发展影响, 可持续发展影响力 ...
        if _SUSTAINABLE.fullmatch(core):
            return "可持续影响指标"
        return None
    except Exception:  # pragma: no cover - defensive
        return None
