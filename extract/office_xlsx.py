"""Excel workbooks (.xlsx/.xlsm) -> Document: one office Page per visible sheet.

Each sheet is read as Excel shows it, never as it computes it: the cached value of a
formula (never the formula; no macro is ever run), numbers as their number format
shows them (`format_value`), merged ranges as one Cell with rowspan/colspan, hidden
rows/columns and whatever lies outside the print area left out.

The sheet is then split into tables and free lines (`sheet_blocks`, shared with the
.xls reader in office_legacy.py): a maximal run of rows in which some non-empty cell
has a border is one Grid (empty rows and columns inside it dropped, empty columns at
its sides trimmed); every other row with text is a Line (its cells joined by a space). A sheet
without any bordered text takes its rows with 2+ non-empty cells as the tables.

Caps and refusals: the zip entries' declared inflated sizes are checked against
--max-stream-mb / --max-inflated-mb before anything is inflated (zipfile never
inflates an entry past its declared size); each sheet's XML is cut after 20,000 rows
(or 64 MB) before openpyxl parses it, and its merged ranges, hyperlinks and other
parts that openpyxl would expand cell by cell are left out (merges are read here);
columns past 200 are dropped. External links, macros and the sheets' own relations
(drawings, comments, embedded objects) are never opened; a part declaring a DOCTYPE
(XML entities) is refused, and so are .xlsb and Strict Open XML packages.

Number formats: `format_value` renders the common built-in and custom formats
(sections pos;neg;zero;text, quoted literals, `\\x`, `_x`, `*x`, `@`, `0 # ?`,
thousands `,` and scaling commas, `%`, `E+00`, dates and times incl. `上午/下午`,
`aaa`/`aaaa`, `[h]`, and the Chinese built-in date formats 27-36/50-58, 14 as
`yyyy/m/d`). What it cannot render (conditions such as `[>100]`, fractions `# ?/?`,
eras, text between digit placeholders) falls back to General. Limits: `[DBNum1]`
(Chinese numerals) is ignored, digits are Western; `mmm`/`dddd` are English names;
General shows up to 15 significant digits whatever the column width.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import io
import math
import re
import time
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from extract.model import Cell, Frag, Grid, Line, Page
from extract.reader import MB, InputError, ReadDocument, ReadOptions
from normalize.text import fold_text

MAX_ROWS = 20_000
MAX_COLS = 200
MAX_SHEET_XML = 64 * MB       # kept XML of one sheet (the rows beyond are cut)
CHECK_EVERY = 2_000           # cells / rows between two looks at the clock


# == number formats =============================================================================

class _Unsupported(Exception):
    """A format this module does not render: the value is shown as General."""


# The Chinese (zh-CN) meaning of the locale-dependent built-in formats: openpyxl and xlrd
# give the en-US strings (14 = mm-dd-yy) or nothing at all (27-36, 50-58).
ZH_BUILTIN_FORMATS: dict[int, str] = {
    14: "yyyy/m/d", 22: "yyyy/m/d h:mm",
    27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"', 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"',
    54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"', 56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}
# [$-F800] / [$-x-sysdate]: the system's long date, [$-F400] / [$-x-systime]: its time
_SYSTEM_LOCALE = {"F800": 'yyyy"年"m"月"d"日"', "X-SYSDATE": 'yyyy"年"m"月"d"日"',
                  "F400": "h:mm:ss", "X-SYSTIME": "h:mm:ss"}
_COLORS = {"black", "blue", "cyan", "green", "magenta", "red", "white", "yellow"}
_WEEKDAYS_ZH = "一二三四五六日"
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


@dataclass(slots=True)
class _Section:
    tokens: list            # (kind, value): lit, num, dot, comma, exp, pct, text, general, date, ampm, frac
    is_date: bool = False
    has_condition: bool = False


def _tokenize(s: str) -> _Section:
    sec = _Section([])
    out = sec.tokens
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        low = s[i:].lower()
        if ch == '"':
            j = s.find('"', i + 1)
            j = n if j < 0 else j
            out.append(("lit", s[i + 1:j]))
            i = j + 1
        elif ch == "\\":
            out.append(("lit", s[i + 1:i + 2]))
            i += 2
        elif ch == "_":
            out.append(("lit", " "))
            i += 2
        elif ch == "*":
            i += 2                                   # fill character: no width on a page
        elif ch == "[":
            j = s.find("]", i)
            j = n if j < 0 else j
            _bracket(s[i + 1:j], sec)
            i = j + 1
        elif low.startswith("general"):
            out.append(("general", ""))
            i += 7
        elif low.startswith(("am/pm", "a/p")):
            k = 5 if low.startswith("am/pm") else 3
            out.append(("ampm", s[i:i + k]))
            i += k
        elif s.startswith("上午/下午", i):
            out.append(("ampm", "上午/下午"))
            i += 5
        elif ch in "0#?":
            out.append(("num", ch))
            i += 1
        elif ch == ".":
            out.append(("dot", "."))
            i += 1
        elif ch == ",":
            out.append(("comma", ","))
            i += 1
        elif ch in "Ee" and s[i + 1:i + 2] in ("+", "-"):
            out.append(("exp", s[i + 1]))
            i += 2
        elif ch == "%":
            out.append(("pct", "%"))
            i += 1
        elif ch == "@":
            out.append(("text", "@"))
            i += 1
        elif ch.lower() in "ymdhsae" and ch.isascii():
            j = i
            while j < n and s[j].lower() == ch.lower():
                j += 1
            run = ch.lower() * (j - i)
            if ch.lower() == "a" and len(run) < 3:
                out.append(("lit", s[i:j]))          # a lone 'a' is just a letter
            elif ch.lower() == "e":
                out.append(("date", "yyyy"))         # 'e': the year (Chinese/Japanese locales)
            else:
                out.append(("date", run))
            i = j
        elif ch.lower() in "gb" and ch.isascii():
            raise _Unsupported("eras")
        else:
            out.append(("lit", ch))
            i += 1
    sec.is_date = any(k in ("date", "ampm") for k, _ in out)
    return sec


def _bracket(body: str, sec: _Section) -> None:
    low = body.lower()
    if re.fullmatch(r"h+|m+|s+", low):
        sec.tokens.append(("date", f"[{low[0]}]"))
    elif body.startswith("$"):
        sym, _, locale = body[1:].partition("-")
        if locale.upper() in _SYSTEM_LOCALE:
            raise _SystemFormat(_SYSTEM_LOCALE[locale.upper()])
        if sym:
            sec.tokens.append(("lit", sym))
    elif body[:1] in "<>=":
        sec.has_condition = True
    # colours ([Red], [Color10]), [DBNum1] and unknown brackets show nothing


class _SystemFormat(Exception):
    """[$-F800] and [$-F400]: the whole section is the system's long date / time format."""


def _split_sections(fmt: str) -> list[str]:
    out, cur, i, n = [], [], 0, len(fmt)
    while i < n:
        ch = fmt[i]
        if ch == '"':
            j = fmt.find('"', i + 1)
            j = n - 1 if j < 0 else j
            cur.append(fmt[i:j + 1])
            i = j + 1
        elif ch in "\\_*":
            cur.append(fmt[i:i + 2])
            i += 2
        elif ch == "[":
            j = fmt.find("]", i)
            j = n - 1 if j < 0 else j
            cur.append(fmt[i:j + 1])
            i = j + 1
        elif ch == ";":
            out.append("".join(cur))
            cur = []
            i += 1
        else:
            cur.append(ch)
            i += 1
    out.append("".join(cur))
    return out[:4]


@functools.lru_cache(maxsize=512)
def _parse_format(fmt: str) -> tuple[_Section, ...]:
    sections = []
    for s in _split_sections(fmt):
        try:
            sections.append(_tokenize(s))
        except _SystemFormat as e:
            sections.append(_tokenize(str(e)))
    if any(s.has_condition for s in sections):
        raise _Unsupported("conditions")
    return tuple(sections)


def effective_format(fmt: str | None, fmt_id: int | None = None) -> str:
    """The format string Excel (in a Chinese locale) applies for this format / built-in id."""
    if fmt_id is not None and fmt_id in ZH_BUILTIN_FORMATS:
        return ZH_BUILTIN_FORMATS[fmt_id]
    return fmt or "General"


def format_value(value, fmt: str | None, fmt_id: int | None = None, date1904: bool = False) -> str:
    """A cell value as Excel shows it under the number format `fmt` (built-in id `fmt_id`).

    `value` is what openpyxl/xlrd give: str, bool, int, float, datetime/date/time/timedelta
    or None. A number under a date format is a date serial (1900 or 1904 system)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    fmt = effective_format(fmt, fmt_id)
    try:
        sections = _parse_format(fmt) if fmt.lower() != "general" else ()
        if isinstance(value, str):
            return _format_text(value, sections)
        if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
            return _format_temporal(value, sections)
        if isinstance(value, (int, float)):
            return _format_number(float(value) if isinstance(value, float) else value, sections, date1904)
    except (_Unsupported, OverflowError, ValueError, InvalidOperation):
        pass
    return _general(value)


def _general(value) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "#NUM!"
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        s = format(value, ".15g")
        if "e" in s:
            mant, exp = s.split("e")
            s = f"{mant}E{exp[0]}{exp[1:].zfill(2)}"
        return s
    if isinstance(value, dt.datetime):
        return _render_date(value, _parse_format("yyyy/m/d h:mm" if value.time() != dt.time() else "yyyy/m/d")[0])
    if isinstance(value, dt.date):
        return f"{value.year}/{value.month}/{value.day}"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        return _general(value.total_seconds() / 86400)
    return str(value)


def _format_text(text: str, sections) -> str:
    if len(sections) >= 4:
        sec = sections[3]
    elif len(sections) == 1 and any(k == "text" for k, _ in sections[0].tokens):
        sec = sections[0]
    else:
        return text
    return "".join(text if k == "text" else v if k == "lit" else "" for k, v in sec.tokens)


def _pick(x: float, sections) -> tuple[_Section, bool]:
    """The section for number x and whether a minus sign is to be written before it."""
    n = len(sections)
    if n == 1:
        return sections[0], x < 0
    if x > 0:
        return sections[0], False
    if x < 0:
        return sections[1], False
    return (sections[2] if n >= 3 else sections[0]), False


def _format_number(x, sections, date1904: bool) -> str:
    if not sections:
        return _general(x)
    sec, minus = _pick(x, sections)
    if sec.is_date:
        if x < 0:
            raise _Unsupported("negative date")
        return _render_date(_serial_to_datetime(x, date1904), sec, elapsed=x * 86400)
    if any(k == "text" for k, _ in sec.tokens):
        return _general(x)
    body = _render_number(abs(x), sec)
    return ("-" + body) if minus else body


def _format_temporal(v, sections) -> str:
    if not sections:
        return _general(v)
    sec = sections[0]
    if isinstance(v, dt.timedelta):
        total = v.total_seconds()
        d = _EPOCH_1900 + v
    elif isinstance(v, dt.datetime):
        d, total = v, (v - _EPOCH_1900).total_seconds()
    elif isinstance(v, dt.date):
        d = dt.datetime(v.year, v.month, v.day)
        total = (d - _EPOCH_1900).total_seconds()
    else:
        d = dt.datetime.combine(_EPOCH_1900.date(), v)
        total = v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
    if not sec.is_date:
        raise _Unsupported("a date under a number format")
    return _render_date(d, sec, elapsed=total)


def _serial_to_datetime(x: float, date1904: bool) -> dt.datetime:
    if x > 2958465:                              # past 9999-12-31: Excel shows ####
        raise _Unsupported("date out of range")
    if date1904:
        return _EPOCH_1904 + dt.timedelta(days=x)
    if x < 60:                                   # Excel's fictitious 1900-02-29 sits at 60
        return _EPOCH_1900 + dt.timedelta(days=x + 1)
    return _EPOCH_1900 + dt.timedelta(days=x)


def _dec(x) -> Decimal:
    return Decimal(x) if isinstance(x, int) else Decimal(format(x, ".15g"))


def _render_number(x, sec: _Section) -> str:
    """x >= 0 under a numeric section: literals around one run of digit placeholders."""
    toks = sec.tokens
    numeric = [i for i, (k, _) in enumerate(toks) if k in ("num", "dot", "comma", "exp")]
    pct = sum(1 for k, _ in toks if k == "pct")
    if not numeric:
        out = []
        for k, v in toks:
            out.append(_general(x) if k == "general" else v if k in ("lit", "pct") else "")
        return "".join(out)
    first, last = numeric[0], numeric[-1]
    # only literals made of separators may stand between placeholders ("0 %" is fine, "0-00" is not)
    if any(toks[i][0] not in ("num", "dot", "comma", "exp") for i in range(first, last + 1)):
        raise _Unsupported("text between digit placeholders")
    pattern = "".join(("E" + v) if k == "exp" else v for k, v in toks[first:last + 1])
    number = _render_pattern(x, pattern, pct)
    out = []
    for i, (k, v) in enumerate(toks):
        if i == first:
            out.append(number)
        elif first < i <= last:
            continue
        elif k in ("lit", "pct"):
            out.append(v)
        elif k == "general":
            out.append(_general(x))
    return "".join(out)


def _render_pattern(x, pattern: str, pct: int = 0) -> str:
    """x >= 0 under a placeholder pattern such as '#,##0.00', '0.00E+00'; `pct` % signs scale it."""
    mant, exp_sign, exp_pat = pattern, "", ""
    m = re.search(r"E([+-])", pattern)
    if m:
        mant, exp_sign, exp_pat = pattern[:m.start()], m.group(1), pattern[m.end():]
    scale = len(mant) - len(mant.rstrip(","))
    mant = mant.rstrip(",")
    int_pat, dot, dec_pat = mant.partition(".")
    group = "," in int_pat
    int_pat = int_pat.replace(",", "")
    dec_pat = dec_pat.replace(",", "")
    d = _dec(x).scaleb(2 * pct - 3 * scale)
    if exp_sign:
        return _render_sci(d, int_pat, dot, dec_pat, exp_sign, exp_pat)
    return _render_fixed(d, int_pat, dot, dec_pat, group)


def _render_fixed(d: Decimal, int_pat: str, dot: str, dec_pat: str, group: bool) -> str:
    nd = len(dec_pat)
    q = d.quantize(Decimal(1).scaleb(-nd), rounding=ROUND_HALF_UP)
    ip, _, fp = format(q, "f").partition(".")
    fp = fp.ljust(nd, "0")
    need = dec_pat.rfind("0") + 1
    keep = len(fp)
    while keep > need and fp[keep - 1] == "0":
        keep -= 1
    fp = fp[:keep] + "".join(" " for ch in dec_pat[keep:] if ch == "?")
    if ip == "0":
        ip = ""
    ip = ip.rjust(int_pat.count("0"), "0")
    if group and len(ip) > 3:
        head = len(ip) % 3 or 3
        ip = ip[:head] + "".join("," + ip[i:i + 3] for i in range(head, len(ip), 3))
    return ip + (dot + fp if dot else "")


def _render_sci(d: Decimal, int_pat: str, dot: str, dec_pat: str, sign: str, exp_pat: str) -> str:
    nd = len(dec_pat)
    n_int = max(1, len(int_pat))
    e = 0 if d == 0 else d.adjusted()
    if n_int > 1:
        e -= e % n_int                            # ##0.0E+0: engineering notation
    m = d.scaleb(-e).quantize(Decimal(1).scaleb(-nd), rounding=ROUND_HALF_UP)
    if m >= Decimal(10) ** n_int:
        e += n_int
        m = d.scaleb(-e).quantize(Decimal(1).scaleb(-nd), rounding=ROUND_HALF_UP)
    body = _render_fixed(m, int_pat or "0", dot, dec_pat, False)
    es = "-" if e < 0 else ("+" if sign == "+" else "")
    return f"{body}E{es}{str(abs(e)).zfill(max(1, exp_pat.count('0')))}"


def _render_date(d: dt.datetime, sec: _Section, elapsed: float | None = None) -> str:
    toks = _resolve_minutes(sec.tokens)
    frac_digits = max((len(v) for k, v in toks if k == "frac"), default=0)
    if elapsed is None:
        elapsed = (d - _EPOCH_1900).total_seconds()
    d = _round_time(d, frac_digits)
    elapsed = round(elapsed, frac_digits)
    twelve = any(k == "ampm" for k, _ in toks)
    out = []
    for k, v in toks:
        if k == "lit":
            out.append(v)
        elif k == "ampm":
            out.append(_ampm(v, d.hour))
        elif k == "frac":
            out.append("." + f"{d.microsecond / 1e6:.{len(v)}f}"[2:])
        elif k == "date":
            out.append(_date_part(v, d, twelve, elapsed))
        elif k in ("num", "dot", "comma", "pct", "exp"):
            out.append({"exp": "E"}.get(k, "") + v)
    return "".join(out)


def _resolve_minutes(tokens: list) -> list:
    """'m'/'mm' mean minutes after an hour or before a second; dots before 0s after seconds are
    fractions of a second. Returns a new token list."""
    toks = list(tokens)
    dates = [i for i, (k, _) in enumerate(toks) if k == "date"]
    for pos, i in enumerate(dates):
        v = toks[i][1]
        if v[0] != "m" or len(v) > 2:
            continue
        prev = toks[dates[pos - 1]][1] if pos else ""
        nxt = toks[dates[pos + 1]][1] if pos + 1 < len(dates) else ""
        if prev[:1] in ("h",) or prev == "[h]" or nxt[:1] == "s" or nxt == "[s]":
            toks[i] = ("date", "M" * len(v))       # minutes
    out: list = []
    i = 0
    while i < len(toks):
        k, v = toks[i]
        if k == "dot" and out and out[-1][0] == "date" and out[-1][1] in ("s", "ss", "[s]"):
            j = i + 1
            while j < len(toks) and toks[j] == ("num", "0"):
                j += 1
            if j > i + 1:
                out.append(("frac", "0" * (j - i - 1)))
                i = j
                continue
        if k in ("num", "dot", "comma", "pct"):
            out.append(("lit", v))
        elif k == "exp":
            out.append(("lit", "E" + v))
        elif k in ("text", "general"):
            out.append(("lit", ""))
        else:
            out.append((k, v))
        i += 1
    return out


def _round_time(d: dt.datetime, frac_digits: int) -> dt.datetime:
    unit = 10 ** (6 - frac_digits)
    us = d.microsecond
    rounded = (us + unit // 2) // unit * unit
    return d.replace(microsecond=0) + dt.timedelta(microseconds=rounded)


def _ampm(v: str, hour: int) -> str:
    pm = hour >= 12
    if v == "上午/下午":
        return "下午" if pm else "上午"
    am_s, pm_s = v.split("/")
    return pm_s if pm else am_s


def _date_part(v: str, d: dt.datetime, twelve: bool, elapsed: float) -> str:
    c, n = v[0], len(v)
    if v == "[h]":
        return str(int(elapsed // 3600))
    if v == "[m]":
        return str(int(elapsed // 60))
    if v == "[s]":
        return str(int(elapsed))
    if c == "y":
        return f"{d.year % 100:02d}" if n <= 2 else f"{d.year:04d}"
    if c == "m":
        if n == 1:
            return str(d.month)
        if n == 2:
            return f"{d.month:02d}"
        name = d.strftime("%B")
        return name[:3] if n == 3 else name[:1] if n == 5 else name
    if c == "M":                                   # minutes
        return str(d.minute) if n == 1 else f"{d.minute:02d}"
    if c == "d":
        if n == 1:
            return str(d.day)
        if n == 2:
            return f"{d.day:02d}"
        name = d.strftime("%A")
        return name[:3] if n == 3 else name
    if c == "a":
        w = _WEEKDAYS_ZH[d.weekday()]
        return w if n == 3 else "星期" + w
    if c == "h":
        h = d.hour
        if twelve:
            h = h % 12 or 12
        return str(h) if n == 1 else f"{h:02d}"
    if c == "s":
        return str(d.second) if n == 1 else f"{d.second:02d}"
    return v


# == cell text ==================================================================================

_CONTROL = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\x7f]")


def cell_text(s: str) -> str:
    """Folded cell text: line breaks kept as "\\n", each line stripped, blank lines dropped."""
    if not s:
        return ""
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    s = _CONTROL.sub("", fold_text(s))
    return "\n".join(t for t in (line.strip() for line in s.split("\n")) if t)


def col_letter(col: int) -> str:
    """0-based column index -> 'A', 'B', ..., 'AA'."""
    out = ""
    col += 1
    while col:
        col, r = divmod(col - 1, 26)
        out = chr(65 + r) + out
    return out


def cell_ref(sheet: str, row: int, col: int) -> str:
    return f"{sheet}!{col_letter(col)}{row + 1}"


# == sheet layout (shared with office_legacy) ===================================================

@dataclass(slots=True)
class SheetCell:
    """A cell or a merged range of a sheet, 0-based, bounds inclusive."""
    row: int
    col: int
    last_row: int
    last_col: int
    text: str
    bordered: bool
    origin: tuple[int, int] | None = None   # where the cell stands in the sheet, if not (row, col)

    @property
    def home(self) -> tuple[int, int]:
        return self.origin or (self.row, self.col)


@dataclass
class SheetData:
    """What a reader found on one sheet, before hidden rows/columns are applied."""
    name: str
    cells: list[SheetCell]                  # non-empty cells and every merged range
    bordered_rows: set[int] = field(default_factory=set)   # rows holding a bordered empty cell
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


class _Clock:
    def __init__(self, deadline: float, opts: ReadOptions):
        self.deadline, self.opts, self.n = deadline, opts, 0

    def tick(self, k: int = 1) -> None:
        self.n += k
        if self.n >= CHECK_EVERY:
            self.n = 0
            self.check()

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise InputError(f"too slow: gave up after {self.opts.max_seconds:g} s (cap: --max-seconds)")


def _visible_span(lo: int, hi: int, hidden: set[int]) -> tuple[int, int] | None:
    if not hidden:
        return lo, hi
    while lo <= hi and lo in hidden:
        lo += 1
    while hi >= lo and hi in hidden:
        hi -= 1
    return (lo, hi) if lo <= hi else None


def _hide(sheet: SheetData, clock: _Clock) -> list[SheetCell]:
    """The sheet's cells with hidden rows/columns taken out (merges shrink to what is visible)."""
    out = []
    for c in sheet.cells:
        clock.tick()
        rs = _visible_span(c.row, c.last_row, sheet.hidden_rows)
        cs = _visible_span(c.col, c.last_col, sheet.hidden_cols) if rs else None
        if rs and cs:
            out.append(SheetCell(rs[0], cs[0], rs[1], cs[1], c.text, c.bordered, c.home))
    texts = [c for c in sheet.cells if c.text]
    if texts:
        r0, r1 = min(c.row for c in texts), max(c.last_row for c in texts)
        c0, c1 = min(c.col for c in texts), max(c.last_col for c in texts)
        n_r = sum(1 for r in sheet.hidden_rows if r0 <= r <= r1)
        n_c = sum(1 for c in sheet.hidden_cols if c0 <= c <= c1)
        if n_r:
            sheet.notes.append(f"sheet '{sheet.name}': {n_r} hidden row{'s' * (n_r > 1)} skipped")
        if n_c:
            sheet.notes.append(f"sheet '{sheet.name}': {n_c} hidden column{'s' * (n_c > 1)} skipped")
    return out


def _merge_intervals(iv: list[tuple[int, int]]) -> list[list[int]]:
    out: list[list[int]] = []
    for a, b in sorted(iv):
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def _busy_rows(cells: list[SheetCell]) -> list[list[int]]:
    """Row intervals where 2+ non-empty cells (merges counted on every row they cover) stand."""
    events: dict[int, int] = {}
    for c in cells:
        if c.text:
            events[c.row] = events.get(c.row, 0) + 1
            events[c.last_row + 1] = events.get(c.last_row + 1, 0) - 1
    out, depth, start = [], 0, None
    for r in sorted(events):
        depth += events[r]
        if depth >= 2 and start is None:
            start = r
        elif depth < 2 and start is not None:
            out.append((start, r - 1))
            start = None
    return _merge_intervals(out)


def _table_runs(cells: list[SheetCell], sheet: SheetData) -> list[list[int]]:
    """Row intervals [first, last] that are tables (see the module docstring)."""
    strong = [(c.row, c.last_row) for c in cells if c.text and c.bordered]
    if not strong:
        runs = _busy_rows(cells)
        weak: set[int] = set()
    else:
        runs = _merge_intervals(strong)
        weak = set(sheet.bordered_rows)
        for c in cells:
            if c.bordered and not c.text and c.last_row - c.row < MAX_ROWS:
                weak.update(range(c.row, c.last_row + 1))
    texts = {c.row for c in cells if c.text}
    joined: list[list[int]] = []
    for a, b in runs:
        if joined:
            gap = range(joined[-1][1] + 1, a)
            if all((r in weak or r in sheet.hidden_rows) and r not in texts for r in gap):
                joined[-1][1] = b
                continue
        joined.append([a, b])
    return joined


def _grid(cells: list[SheetCell], sheet: SheetData, page: int, clock: _Clock) -> Grid | None:
    """The cells of one table run as a Grid: rows and columns where no text starts are dropped."""
    rows = sorted({c.row for c in cells if c.text})
    cols = sorted({c.col for c in cells if c.text})
    if not rows:
        return None
    n_r, n_c = len(rows), len(cols)
    taken = bytearray(n_r * n_c)
    out: list[Cell] = []
    for c in sorted(cells, key=lambda c: (not c.text, c.row, c.col)):
        clock.tick()
        r0 = bisect.bisect_left(rows, c.row)
        r1 = bisect.bisect_right(rows, c.last_row) - 1
        c0 = bisect.bisect_left(cols, c.col)
        c1 = bisect.bisect_right(cols, c.last_col) - 1
        if r0 > r1 or c0 > c1:
            continue
        if any(taken[r * n_c + k] for r in range(r0, r1 + 1) for k in range(c0, c1 + 1)):
            if taken[r0 * n_c + c0] or not c.text:
                continue                     # overlapping merges in a damaged file: first one wins
            r1, c1 = r0, c0
        for r in range(r0, r1 + 1):
            taken[r * n_c + c0:r * n_c + c1 + 1] = b"\x01" * (c1 - c0 + 1)
        out.append(Cell(c.text, r0, c0, r1 - r0 + 1, c1 - c0 + 1,
                        ref=cell_ref(sheet.name, *c.home)))
    for r in range(n_r):
        clock.tick(n_c)
        for k in range(n_c):
            if not taken[r * n_c + k]:
                out.append(Cell("", r, k, ref=cell_ref(sheet.name, rows[r], cols[k])))
    out.sort(key=lambda c: (c.row, c.col))
    return Grid(page=page, n_rows=n_r, n_cols=n_c, cells=out)


def _line(text: str, page: int) -> Line:
    return Line(page=page, frags=[Frag(text, 0.0, float(len(text)))])


def _lines(cells: list[SheetCell], page: int) -> list[tuple[int, Line]]:
    """(sheet row, Line) for text outside the tables: one Line per row, its cells joined by a space
    (a lone cell's own line breaks make one Line each)."""
    by_row: dict[int, list[SheetCell]] = {}
    for c in cells:
        if c.text:
            by_row.setdefault(c.row, []).append(c)
    out = []
    for r, cs in sorted(by_row.items()):
        cs.sort(key=lambda c: c.col)
        if len(cs) == 1:
            out.extend((r, _line(t, page)) for t in cs[0].text.split("\n"))
        else:
            out.append((r, _line(" ".join(c.text.replace("\n", " ") for c in cs), page)))
    return out


def sheet_blocks(sheet: SheetData, page: int, deadline: float, opts: ReadOptions) -> list:
    """Grids and Lines of one sheet, top to bottom."""
    clock = _Clock(deadline, opts)
    cells = _hide(sheet, clock)
    runs = _table_runs(cells, sheet)
    starts = [a for a, _ in runs]
    in_run: list[list[SheetCell]] = [[] for _ in runs]
    outside: list[SheetCell] = []
    for c in cells:
        k = bisect.bisect_right(starts, c.row) - 1
        if k >= 0 and c.row <= runs[k][1]:
            in_run[k].append(SheetCell(c.row, c.col, min(c.last_row, runs[k][1]), c.last_col,
                                       c.text, c.bordered, c.home))
        elif c.text:
            outside.append(c)
    blocks: list[tuple[int, object]] = []
    for (a, _), cs in zip(runs, in_run):
        g = _grid(cs, sheet, page, clock)
        if g is not None:
            blocks.append((a, g))
    blocks.extend(_lines(outside, page))
    blocks.sort(key=lambda t: t[0])
    return [b for _, b in blocks]


# == the .xlsx container ========================================================================

_ROW_END = re.compile(rb"</(?:[\w.-]+:)?row\s*>|<(?:[\w.-]+:)?row\b[^>]*/>")
_SHEETDATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData\s*>|<(?:[\w.-]+:)?sheetData\b[^>]*/>")
_SHEETDATA_OPEN = re.compile(rb"<((?:[\w.-]+:)?)sheetData\b")
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*(?::[\w.-]+)?)[\s>/]")
_MERGE = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']"
                    rb"([A-Za-z]{1,3}\d{1,7}(?::[A-Za-z]{1,3}\d{1,7})?)[\"']")
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c\s*>|<(?:[\w.-]+:)?c\b[^>]*/>")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v\s*>\s*[^<\s]")
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)    # entities: never in an Office part
_CHUNK = 1 << 20
_CARRY = 4096
STRICT_NS = b"purl.oclc.org/ooxml"


@dataclass
class _SheetPart:
    """A worksheet part as prepared for openpyxl, and what was taken out of it."""
    xml: bytes
    merges: list[tuple[int, int, int, int]]     # 1-based (min_row, min_col, max_row, max_col)
    rows_cut: int | None = None                 # rows kept when the part was cut
    no_cache: int = 0                           # formulas without a cached value


def _first_line(e: BaseException) -> str:
    msg = str(e).strip()
    return msg.splitlines()[0][:200] if msg else type(e).__name__


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _merge_bounds(ref: bytes) -> tuple[int, int, int, int] | None:
    parts = [_REF.fullmatch(p) for p in ref.decode("ascii").split(":")]
    if not all(parts):
        return None
    (c0, r0), (c1, r1) = [(_col_index(m.group(1)), int(m.group(2))) for m in (parts[0], parts[-1])]
    r0, r1 = sorted((r0, r1))
    c0, c1 = sorted((c0, c1))
    if r0 < 1 or c0 < 1 or (r0 == r1 and c0 == c1):
        return None
    return r0, c0, r1, c1


def _prepare_sheet(f, max_bytes: int) -> _SheetPart:
    """Read one worksheet part in chunks: keep it up to the end of sheetData (cut after MAX_ROWS
    rows or max_bytes), collect the merged ranges, drop everything after sheetData."""
    kept = bytearray()
    carry = b""
    offset = 0                       # absolute position of carry[0]
    rows = 0
    cut_at = None                    # absolute end of the kept rows
    data_end = None                  # absolute end of sheetData (closing tag included)
    last_row_end = None
    merges: list[tuple[int, int, int, int]] = []
    while True:
        chunk = f.read(_CHUNK)
        eof = not chunk
        buf = carry + chunk
        if cut_at is None and data_end is None:
            kept += chunk
        safe = len(buf) if eof else max(0, len(buf) - _CARRY)
        consumed = safe
        if cut_at is None and data_end is None:
            for m in _ROW_END.finditer(buf, 0):
                if m.start() >= safe:
                    break
                if rows == MAX_ROWS:         # a row past the cap: cut after the last one kept
                    cut_at = last_row_end
                    break
                rows += 1
                last_row_end = offset + m.end()
                consumed = max(consumed, m.end())
            if cut_at is None:
                m = _SHEETDATA_END.search(buf)
                if m and m.start() < safe:
                    data_end = offset + m.end()
                    consumed = max(consumed, m.end())
            if cut_at is None and data_end is None and len(kept) > max_bytes:
                cut_at = last_row_end or 0
                rows = rows if last_row_end else 0
        for m in _MERGE.finditer(buf):
            if m.start() >= safe:
                break
            b = _merge_bounds(m.group(1))
            if b:
                merges.append(b)
            consumed = max(consumed, m.end())
        if eof:
            break
        carry = buf[consumed:]
        offset += consumed
    head = bytes(kept)
    root = _ROOT.search(head)
    if root is None:
        raise InputError("damaged workbook: a worksheet part holds no XML element")
    if _DOCTYPE.search(head, 0, root.start()):
        raise InputError("damaged workbook: a part declares a DOCTYPE, which Excel never writes")
    end = f"</{root.group(1).decode()}>".encode()
    opened = _SHEETDATA_OPEN.search(head)
    if opened is None:                        # no cell data at all: keep the root element only
        tag_end = head.find(b">", root.start()) + 1
        xml = head[:tag_end] if head[tag_end - 2:tag_end] == b"/>" else head[:tag_end] + end
        return _SheetPart(xml, merges=[])
    if cut_at is not None:
        xml = head[:max(cut_at, opened.end())]
        if cut_at <= opened.end():            # not a single complete row: an empty sheet
            xml = head[:opened.start()] + b"<" + opened.group(1) + b"sheetData/>"
        else:
            xml += b"</" + opened.group(1) + b"sheetData>"
    elif data_end is not None:
        xml = head[:data_end]
    else:
        raise InputError("damaged workbook: a worksheet's cell data is cut off")
    part = _SheetPart(xml + end, merges, rows_cut=rows if cut_at is not None else None)
    part.no_cache = _formulas_without_value(xml)
    return part


def _formulas_without_value(xml: bytes) -> int:
    n = 0
    for m in _FORMULA.finditer(xml):
        e = _CELL_END.search(xml, m.end())
        seg = xml[m.end():e.start() if e else len(xml)]
        if not _VALUE.search(seg):
            n += 1
    return n


def _is_worksheet(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    if not info.filename.lower().endswith(".xml") or "_rels/" in info.filename:
        return False
    with z.open(info) as f:
        head = f.read(2048)
    m = _ROOT.search(head)                     # the first element: '<?xml' and '<!--' do not match
    return bool(m) and m.group(1).split(b":")[-1] == b"worksheet"


@dataclass
class _Prepared:
    data: bytes                                  # the zip openpyxl is given
    sheets: dict[str, _SheetPart]                # by part name
    notes: list[str]


def _check_sizes(infos: list[zipfile.ZipInfo], opts: ReadOptions) -> None:
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError("encrypted: the workbook needs a password")
        if info.file_size > opts.max_stream_bytes:
            raise InputError(f"decompression bomb: a part of the workbook declares {info.file_size:,} bytes "
                             f"inflated, more than {opts.max_stream_bytes // MB} MB (cap: --max-stream-mb)")
        total += info.file_size
    if total > opts.max_inflated_bytes:
        raise InputError(f"decompression bomb: the workbook's parts declare {total:,} bytes inflated, more than "
                         f"{opts.max_inflated_bytes // MB} MB (cap: --max-inflated-mb)")


def _prepare(data: bytes, opts: ReadOptions, clock: _Clock) -> _Prepared:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as e:
        raise InputError(f"damaged workbook: not a readable ZIP package ({_first_line(e)})") from None
    _check_sizes(infos, opts)
    names = {i.filename for i in infos}
    if "xl/workbook.bin" in names:
        raise InputError("unsupported workbook: a binary Excel workbook (.xlsb); save it as .xlsx")
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        raise InputError("damaged workbook: the Excel workbook has no workbook part")
    try:
        strict = "_rels/.rels" in names and STRICT_NS in z.read("_rels/.rels")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as e:
        raise InputError(f"damaged workbook: {_first_line(e)}") from None
    if strict:
        raise InputError("unsupported workbook: saved as Strict Open XML; "
                         "save it again as an ordinary Excel workbook (.xlsx)")
    notes = []
    links = sum(1 for n in names if n.lower().startswith("xl/externallinks/") and n.lower().endswith(".xml"))
    if links:
        notes.append(f"external links ignored: {links} (never followed)")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        notes.append("macros ignored: never run")
    sheets: dict[str, _SheetPart] = {}
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as w:
            for info in infos:
                clock.check()
                name = info.filename
                if info.is_dir() or name in w.NameToInfo:
                    continue
                if "worksheets/_rels/" in name.lower():
                    continue                     # drawings, comments, objects, hyperlink targets
                if _is_worksheet(z, info):
                    with z.open(info) as f:
                        part = _prepare_sheet(f, min(MAX_SHEET_XML, opts.max_stream_bytes))
                    sheets[name] = part
                    w.writestr(name, part.xml)
                else:
                    body = z.read(info)
                    if name.lower().endswith((".xml", ".rels", ".vml")) and _DOCTYPE.search(body):
                        raise InputError("damaged workbook: a part declares a DOCTYPE, which Excel never writes")
                    w.writestr(name, body)
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
            NotImplementedError) as e:
        raise InputError(f"damaged workbook: {_first_line(e)}") from None
    return _Prepared(out.getvalue(), sheets, notes)


def _load(prepared: _Prepared):
    """The workbook (values only, no links, no macros) and its sheets' part names by title."""
    from openpyxl.reader.excel import ExcelReader

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = ExcelReader(io.BytesIO(prepared.data), read_only=False, keep_vba=False,
                                 data_only=True, keep_links=False, rich_text=False)
            reader.read()
            parts = {sheet.name: rel.target for sheet, rel in reader.parser.find_sheets()}
    except MemoryError:
        raise
    except InputError:
        raise
    except Exception as e:  # noqa: BLE001 - only openpyxl runs here: whatever it raises, the package is bad
        raise InputError(f"damaged workbook: not a readable Excel workbook ({_openpyxl_message(e)})") from None
    return reader.wb, parts


def _openpyxl_message(e: BaseException) -> str:
    """openpyxl wraps XML errors as 'Unable to read workbook: could not <step> from <file object>'."""
    m = re.match(r"Unable to read workbook: could not (.+?) from", str(e))
    if m and e.__cause__ is not None:
        return f"could not {m.group(1)}: {_first_line(e.__cause__)}"
    if isinstance(e, KeyError):
        return f"a part or relation is missing: {_first_line(e)}"
    return _first_line(e)


# == openpyxl sheets -> SheetData ===============================================================

def _has_border(cell) -> bool:
    b = cell.border
    return any(s is not None and s.style for s in (b.left, b.right, b.top, b.bottom))


_AREA = re.compile(r"!(\$?[A-Za-z]{1,3}\$?\d{1,7}(?::\$?[A-Za-z]{1,3}\$?\d{1,7})?"
                   r"|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|\$?\d{1,7}:\$?\d{1,7})")


def _print_areas(ws) -> list[tuple[int, int, int, int]]:
    """1-based (min_row, min_col, max_row, max_col) of the sheet's print ranges, [] if none."""
    from openpyxl.utils.cell import range_boundaries

    try:
        text = ws.print_area
    except Exception:  # noqa: BLE001 - an unreadable print area is as good as none
        return []
    out = []
    for piece in _AREA.findall(text or ""):          # "'Sheet'!$A$1:$H$20,'Sheet'!$J$1:$K$5"
        ref = piece.replace("$", "")
        try:
            c0, r0, c1, r1 = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        out.append((r0 or 1, c0 or 1, r1 or 1_048_576, c1 or 16_384))
    return out


def _clip(b: tuple[int, int, int, int], areas: list[tuple[int, int, int, int]]):
    r0, c0, r1, c1 = b
    r1, c1 = min(r1, MAX_ROWS), min(c1, MAX_COLS)
    if r0 > r1 or c0 > c1:
        return None
    if not areas:
        return r0, c0, r1, c1
    for ar0, ac0, ar1, ac1 in areas:
        x = (max(r0, ar0), max(c0, ac0), min(r1, ar1), min(c1, ac1))
        if x[0] <= x[2] and x[1] <= x[3]:
            return x
    return None


def _inside(r: int, c: int, areas) -> bool:
    return not areas or any(a[0] <= r <= a[2] and a[1] <= c <= a[3] for a in areas)


def _hidden_dims(ws) -> tuple[set[int], set[int]]:
    """0-based hidden rows and columns (hidden, or of zero height/width), within the caps."""
    rows = set()
    for r, d in list(ws.row_dimensions.items()):
        if isinstance(r, int) and r <= MAX_ROWS and (d.hidden or (d.ht is not None and d.ht == 0)):
            rows.add(r - 1)
    cols = set()
    for d in list(ws.column_dimensions.values()):
        if d.hidden or (d.width is not None and d.width == 0):
            lo = d.min or _col_index(d.index)
            hi = d.max or lo
            cols.update(range(lo - 1, min(hi, MAX_COLS)))
    return rows, cols


def _xlsx_value(cell, date1904: bool) -> str:
    style = getattr(cell, "_style", None)
    fmt_id = getattr(style, "numFmtId", None)
    return cell_text(format_value(cell.value, cell.number_format, fmt_id, date1904))


def _sheet_data(ws, part: _SheetPart | None, date1904: bool, clock: _Clock) -> SheetData:
    """The cells, merges, borders and hidden rows/columns of one openpyxl sheet."""
    sheet = SheetData(ws.title, [])
    areas = _print_areas(ws)
    cells = ws._cells             # sparse {(row, col): cell}: iter_rows would create every empty cell
    merges = []
    covered: set[tuple[int, int]] = set()
    for b in (part.merges if part else []):
        x = _clip(b, areas)
        if x is None:
            continue
        merges.append((b, x))
        if (x[2] - x[0] + 1) * (x[3] - x[1] + 1) <= 1 << 16:
            covered.update((r, c) for r in range(x[0], x[2] + 1) for c in range(x[1], x[3] + 1))
    big = [x for _, x in merges if (x[2] - x[0] + 1) * (x[3] - x[1] + 1) > 1 << 16]
    cut_rows = cut_cols = bad_refs = 0
    for (r, c), cell in list(cells.items()):
        clock.tick()
        if r < 1 or c < 1:
            bad_refs += cell.value is not None     # an address Excel refuses ('A0'): no place on the sheet
            continue
        if r > MAX_ROWS or c > MAX_COLS:
            if cell.value is not None:
                cut_rows += r > MAX_ROWS
                cut_cols += c > MAX_COLS
            continue
        if not _inside(r, c, areas):
            continue
        if (r, c) in covered or any(x[0] <= r <= x[2] and x[1] <= c <= x[3] for x in big):
            continue
        text = _xlsx_value(cell, date1904)
        bordered = _has_border(cell)
        if text:
            sheet.cells.append(SheetCell(r - 1, c - 1, r - 1, c - 1, text, bordered))
        elif bordered:
            sheet.bordered_rows.add(r - 1)
    for (r0, c0, _, _), (xr0, xc0, xr1, xc1) in merges:
        clock.tick()
        top = cells.get((r0, c0))          # the value lives there even when the print area cuts it off
        text = _xlsx_value(top, date1904) if top is not None else ""
        edge = [(xr0, c) for c in range(xc0, xc1 + 1)] + [(xr1, c) for c in range(xc0, xc1 + 1)]
        edge += [(r, xc0) for r in range(xr0, xr1 + 1)] + [(r, xc1) for r in range(xr0, xr1 + 1)]
        bordered = any(cells.get(p) is not None and _has_border(cells[p]) for p in edge)
        sheet.cells.append(SheetCell(xr0 - 1, xc0 - 1, xr1 - 1, xc1 - 1, text, bordered, (r0 - 1, c0 - 1)))
    sheet.hidden_rows, sheet.hidden_cols = _hidden_dims(ws)
    if part and part.rows_cut is not None:
        sheet.notes.append(f"sheet '{ws.title}': only the first {part.rows_cut:,} rows read "
                           f"(cap: {MAX_ROWS:,} rows, {MAX_SHEET_XML // MB} MB of XML per sheet)")
    elif cut_rows:
        sheet.notes.append(f"sheet '{ws.title}': rows past {MAX_ROWS:,} not read (cap)")
    if bad_refs:
        sheet.notes.append(f"sheet '{ws.title}': {bad_refs} cell{'s' * (bad_refs > 1)} with an invalid "
                           "address (row or column 0) not read")
    if cut_cols:
        sheet.notes.append(f"sheet '{ws.title}': only the first {MAX_COLS} columns read (cap)")
    if part and part.no_cache:
        sheet.notes.append(f"sheet '{ws.title}': {part.no_cache} formula{'s' * (part.no_cache > 1)} "
                           f"without a saved value shown empty")
    return sheet


def has_text(blocks: list) -> bool:
    return any(isinstance(b, Line) or any(c.text for c in b.cells) for b in blocks)


def read_xlsx(data: bytes, opts: ReadOptions, deadline: float) -> ReadDocument:
    """An .xlsx/.xlsm workbook as one office Page per visible, non-empty sheet."""
    from openpyxl.utils.datetime import MAC_EPOCH

    clock = _Clock(deadline, opts)
    prepared = _prepare(data, opts, clock)
    wb, parts = _load(prepared)
    clock.check()
    date1904 = wb.epoch == MAC_EPOCH
    sheets = [None if ws.sheet_state != "visible" else
              (lambda ws=ws: _sheet_data(ws, prepared.sheets.get(parts.get(ws.title, "")), date1904, clock))
              for ws in wb.worksheets]
    return workbook_document(sheets, "xlsx", list(prepared.notes), deadline, opts)


def workbook_document(sheets: list, kind: str, notes: list[str], deadline: float,
                      opts: ReadOptions) -> ReadDocument:
    """One office Page per visible, non-empty sheet. `sheets`: per sheet in order, None
    when it is hidden, else a function reading its SheetData (read only when needed)."""
    pages: list[Page] = []
    hidden = 0
    for read_sheet in sheets:
        if read_sheet is None:
            hidden += 1
            continue
        sheet = read_sheet()
        blocks = sheet_blocks(sheet, len(pages) + 1, deadline, opts)
        if not has_text(blocks):
            continue
        notes.extend(sheet.notes)
        pages.append(Page(number=len(pages) + 1, blocks=blocks, extractor="office"))
    if hidden:
        notes.append(f"hidden sheets skipped: {hidden}")
    if not pages:
        raise InputError("no text: the workbook's sheets are empty")
    return ReadDocument(pages, kind, notes=notes)
