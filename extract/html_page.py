"""Saved web pages (.html/.htm) -> Document: the page's tables as grids, its free text as lines.

Steps:

1. Encoding. A BOM (UTF-8, UTF-16) wins; bytes that are valid UTF-8 and not plain ASCII are read
   as UTF-8 whatever the page declares (pages re-saved as UTF-8 keep their old `charset=gb2312`);
   otherwise the charset a `<meta>` (or an XML declaration) names in the first 4 KB; otherwise
   detection: GB18030, then the least damaged of UTF-8 / GB18030, then latin-1. gb2312 and gbk
   are read as gb18030 (pages declaring gb2312 often hold GBK characters). The page is decoded
   here and lxml is handed text, so it never guesses. A note says when the encoding was
   detected or the declaration overruled.
2. Parsing with lxml.html (libxml2's forgiving HTML parser: unclosed `<td>`/`<tr>`, missing
   `<tbody>`). Nothing is fetched: no network, no external entities, no images. libxml2 nests a
   cell opened inside an unclosed `<div>` of the previous cell into that cell, and a `<table>`
   opened between rows into the outer table; browsers close the open elements instead, and so
   does `_repair_tables`.
3. Pruning: scripts, styles, embedded objects, form controls and `<head>` (the `<title>` is not
   read: the form's own title is in the body), control characters, Word's zero-height
   `supportMisalignedColumns` row, hidden elements (inline `display:none`, `visibility:hidden`,
   `hidden`; hidden table rows as a spreadsheet's hidden rows, with a note), and site furniture:
   `nav`, `header`, `footer`, `aside`, `form`, and elements whose class or id has a furniture word
   (nav, menu, search, ...) at the start or end of one of its parts. A furniture element is kept
   when it holds a form-like table, and a `form` or class-marked one also when it holds most of
   the page's text (ASP.NET pages wrap the whole body in a `<form>`). Class marks are not
   honoured inside data cells (Word exports `class=MsoHeader` paragraphs).
4. Tables. A table whose cells hold further tables and which has at most 2 columns, or a one-cell
   table, is a layout wrapper: its cells are read as ordinary blocks. A table without text, or
   whose text is all links, is navigation and skipped. Every other table is a data table: a
   `Grid` built by the HTML table model (rowspan/colspan, `rowspan="0"` to the end of its row
   group, spans clipped to the row group's end and to the last column any cell starts in, a
   colspan running into a cell that spans down from above stopped there, missing cells padded
   empty, rows no cell occupies dropped). A nested table inside a data cell adds one line per
   nested row (its cells joined by a space) to the cell's text.
5. Text outside tables becomes `Line`s (one per rendered line: block elements and `<br>` end a
   line). With tables, only the main content is kept: text inside the nearest common container
   of the data tables, climbing from there until the container holds some text (a lone table
   often sits in its own `<div align=center>`). Lines made only of site furniture phrases
   (`发布时间：… 来源：… 【字体：大 中 小】 打印本页`) are dropped.
6. Consecutive data tables with nothing but white space between them are one form split in
   parts when they have the same number of columns or the second has no header row: they are
   joined into one Grid (a narrower part's last column is widened to the joint width). Each
   cell's `ref` still names its source table and row: "table T row R".

Limits: pages over 50 MB are refused; a table is cut at 20,000 rows or 1,000,000 grid positions
(with a note), and at 16,384 columns; markup nested deeper than libxml2's limit (2,048 levels) is refused as damaged;
CSS beyond an inline `display:none` is not applied; text placed between a table's rows (which
browsers move in front of the table) is not read.
"""
from __future__ import annotations

import codecs
import re
import time
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

from extract.model import Cell, Frag, Grid, Line, Page
from extract.reader import InputError, ReadDocument, ReadOptions
from normalize.text import fold_text

MB = 1 << 20
MAX_PAGE_BYTES = 50 * MB
MAX_ROWS = 20_000
MAX_SLOTS = 1_000_000          # grid positions of one table (each becomes a Cell)
MAX_SPAN = 1000
MAX_COLS = 16_384              # a spreadsheet's width: cells starting further right are dropped
HEAD_BYTES = 4096              # where an encoding declaration may stand
CHECK_EVERY = 256              # rows / elements between deadline checks

# -- 1. encoding ---------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9._:\-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([a-z0-9._:\-]+)", re.I)
# A Chinese page declaring one of these (a server default) is GB18030 when its bytes decode as such.
_WESTERN = {"ascii", "iso8859-1", "cp1252"}
_GB_NAMES = {"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "gb_2312-80", "csgb2312", "euc-cn", "x-euc-cn",
             "chinese", "iso-ir-58", "csiso58gb231280", "ms936", "windows-936"}


def _codec(label: str) -> str | None:
    """The Python codec for a declared charset label, or None when it names none we can use."""
    label = label.strip().lower()
    if label in _GB_NAMES:
        return "gb18030"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in ("gb2312", "gbk", "gb18030"):
        return "gb18030"
    if name.startswith(("utf-16", "utf-32")):
        return None     # a byte-oriented page cannot be UTF-16 without a BOM (browsers read it as UTF-8)
    if name == "big5":
        return "big5hkscs"
    return name


def _declared(head: bytes) -> tuple[str | None, str | None]:
    """(codec, label) of the charset the page declares in its first bytes."""
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not m:
        return None, None
    label = m.group(1).decode("ascii", "replace")
    return _codec(label), label


def _utf8(data: bytes) -> str | None:
    """The bytes as UTF-8 if they are valid UTF-8 (a character cut at the very end is let go)."""
    try:
        return codecs.getincrementaldecoder("utf-8")("strict").decode(data, final=False)
    except UnicodeDecodeError:
        return None


def _strict(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def _lenient(data: bytes, enc: str) -> tuple[str, int]:
    """The bytes decoded with bad sequences replaced, and how many were replaced."""
    text = data.decode(enc, errors="replace")
    return text, text.count("\ufffd")


def _label(enc: str) -> str:
    return {"utf-8": "UTF-8", "gb18030": "GB18030", "latin-1": "latin-1"}.get(enc, enc)


def decode_page(data: bytes) -> tuple[str, str, list[str]]:
    """(text, codec used, notes on how it was chosen) of a web page's bytes."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text, bad = _lenient(data[len(bom):], enc)
            return text, enc, ([f"{bad} undecodable byte sequence(s) replaced ({_label(enc)})"] if bad else [])
    enc, label = _declared(data[:HEAD_BYTES])
    notes = [f"unknown encoding declared ({label!r}): ignored"] if label and not enc else []
    if data.isascii():
        return data.decode("ascii"), enc or "utf-8", notes
    text = _utf8(data)
    if text is not None:
        if enc == "utf-8":
            return text, "utf-8", notes
        notes.append(f"web page declares {label} but its bytes are UTF-8: read as UTF-8" if enc
                     else "web page declares no encoding: detected UTF-8")
        return text, "utf-8", notes
    if enc:
        text = None if enc in _WESTERN else _strict(data, enc)
        if text is not None:
            return text, enc, notes
        if enc != "gb18030" and (text := _strict(data, "gb18030")) is not None:
            notes.append(f"web page declares {label} but holds GB18030 text: read as GB18030")
            return text, "gb18030", notes
        text, bad = _lenient(data, enc)
        if bad:
            notes.append(f"{bad} undecodable byte sequence(s) replaced ({_label(enc)})")
        return text, enc, notes
    text = _strict(data, "gb18030")
    if text is not None:
        notes.append("web page declares no encoding: detected GB18030")
        return text, "gb18030", notes
    best = min((_lenient(data, e) + (e,) for e in ("utf-8", "gb18030")), key=lambda t: t[1])
    text, bad, enc = best
    if bad * 10 <= sum(1 for ch in text if ord(ch) > 127):     # at most one character in ten damaged
        notes.append(f"web page declares no encoding: detected {_label(enc)}, "
                     f"{bad} undecodable byte sequence(s) replaced")
        return text, enc, notes
    notes.append("web page declares no encoding and is neither UTF-8 nor GB18030: read as latin-1")
    return data.decode("latin-1"), "latin-1", notes


# -- 2. parsing ----------------------------------------------------------------------------------

_XML_DECL_TEXT = re.compile(r"^\s*<\?xml[^>]*>")
# Word's "Save as Web Page" ends a table with a zero-height row of empty cells for old browsers.
_WORD_PHANTOM_ROW = re.compile(r"<!\[if !supportMisalignedColumns\]>.*?<!\[endif\]>", re.S | re.I)
# Control characters: libxml2 parses them, but lxml refuses them in text set later (moving a tail).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _parse(text: str):
    """The page's root element; InputError for a page lxml cannot make a tree of."""
    text = _XML_DECL_TEXT.sub("", text, count=1)   # lxml refuses text that declares an encoding
    text = _CONTROL.sub(" ", text)
    if "supportMisalignedColumns" in text:
        text = _WORD_PHANTOM_ROW.sub("", text)
    if not text.strip():
        raise InputError("no text: the web page is empty")
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                  huge_tree=True, default_doctype=False)
    try:
        root = lxml.etree.fromstring(text, parser)
    except (lxml.etree.LxmlError, ValueError) as e:
        raise InputError(f"damaged web page: {_first_line(str(e))}") from None
    fatal = [e for e in parser.error_log if e.level_name == "FATAL"]
    if fatal:
        msg = fatal[0].message
        if "depth" in msg.lower():
            msg = "markup nested too deeply (more than 2,048 levels)"
        raise InputError(f"damaged web page: {_first_line(msg)}")
    if root is None:
        raise InputError("no text: the web page is empty")
    return root


def _first_line(msg: str) -> str:
    return (msg.strip().splitlines() or ["unreadable markup"])[0][:200]


def _tag(el) -> str:
    """An element's tag, lower case; '' for comments and other non-elements."""
    t = el.tag
    return t.lower() if isinstance(t, str) else ""


_SECTIONS = ("thead", "tbody", "tfoot")
_CELLS = ("td", "th")
_TABLE_SCOPE = {"table", *_SECTIONS, "tr", *_CELLS, "caption"}


def _nearest(el, tags) -> object | None:
    p = el.getparent()
    while p is not None and _tag(p) not in tags:
        p = p.getparent()
    return p


def _misplaced(el):
    """Where a table part that libxml2 left in the wrong place belongs (the element to follow), or None."""
    t = _tag(el)
    outer = _nearest(el, _TABLE_SCOPE)
    if outer is None:
        return None
    ot = _tag(outer)
    if t in _CELLS and ot in _CELLS:
        return outer                          # <td><div>a<td>b: the second cell follows the first
    if t == "tr" and ot in _CELLS:
        row = outer.getparent()
        return row if _tag(row) == "tr" else outer
    if t == "tr" and ot == "tr":
        return outer
    if t == "table" and ot in ("table", *_SECTIONS, "tr"):
        return outer if ot == "table" else _nearest(outer, {"table"})   # a table between rows follows its table
    return None


def _repair_tables(body, deadline: float) -> None:
    """Move cells, rows and tables that libxml2 nested inside an unclosed element to where browsers put them."""
    after: dict = {}      # anchor -> the last element moved behind it (keeps moved siblings in order)
    for i, el in enumerate(list(body.iter("table", "tr", "td", "th"))):
        if i % CHECK_EVERY == 0:
            _check(deadline, "repairing tables")
        anchor = _misplaced(el)
        if anchor is None:
            continue
        last = after.get(anchor, anchor)
        last.addnext(el)
        after[anchor] = el


# -- 3. pruning ----------------------------------------------------------------------------------

_DROP_TAGS = ("head", "script", "style", "noscript", "template", "iframe", "frame", "object", "embed",
              "applet", "svg", "math", "canvas", "audio", "video", "select", "button", "input")
_FURNITURE_TAGS = {"nav", "header", "footer", "aside"}
_FURNITURE_WORDS = ("nav", "menu", "breadcrumb", "crumb", "footer", "header", "share", "sidebar", "toolbar",
                    "pagination", "copyright", "login", "search")
_WORD_PARTS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z0-9]+(?![a-z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS = re.compile(r"\s+")


def _furniture_name(el) -> bool:
    """Whether a class or id names site furniture: a furniture word at the start or end of one of its parts
    (main-nav, topNav, navbar, page_footer; not 'unavailable')."""
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    if not names.strip():
        return False
    for part in _WORD_PARTS.findall(names):
        p = part.lower()
        if any(p.startswith(w) or p.endswith(w) for w in _FURNITURE_WORDS):
            return True
    return False


def _hidden(el) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


def _chars(el) -> int:
    """Characters of text (white space not counted) under an element."""
    return len(_WS.sub("", el.text_content()))


def _formlike(table) -> bool:
    """A table that may hold a form: two rows or more, and not only links."""
    if len(_table_rows(table)) < 2:
        return False
    n = _chars(table)
    return n > 0 and sum(_chars(a) for a in table.iter("a")) < n


def _holds_form(el) -> bool:
    return any(_formlike(t) for t in el.iter("table"))


def _layoutish(table) -> bool:
    """A layout wrapper (step 4): nested tables with text and at most 2 columns, or a single cell."""
    rows = _table_rows(table)
    if not rows:
        return False
    placed, _ = _place(rows[:1000], None)       # a layout table shows its width early
    width = max((c + 1 for _r, c, _rs, _cs, _el in placed), default=0)
    if len(rows) == 1 and width == 1:
        return True
    if width > 2:
        return False
    return any(t is not table and t.text_content().strip() for t in table.iter("table"))


def _prune(root, body, deadline: float) -> int:
    """Drop what a reader of the page does not see as its content (step 3); the hidden table rows dropped."""
    lxml.etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    body_chars = _chars(body)
    # (element, kind of the nearest enclosing table: None | "layout" | "data", inside a data cell)
    stack = [(ch, None, False) for ch in body]
    n = hidden_rows = 0
    while stack:
        el, table_kind, in_data_cell = stack.pop()
        n += 1
        if n % CHECK_EVERY == 0:
            _check(deadline, "pruning the page")
        tag = _tag(el)
        if not tag:
            continue
        if _drops(el, tag, in_data_cell, body_chars):
            hidden_rows += tag == "tr"
            el.drop_tree()
            continue
        if tag == "table":
            table_kind = "layout" if _layoutish(el) else "data"
        elif tag in _CELLS:
            in_data_cell = table_kind == "data"     # cells of a layout table are page blocks
        stack.extend((ch, table_kind, in_data_cell) for ch in el)
    return hidden_rows


def _drops(el, tag: str, in_data_cell: bool, body_chars: int) -> bool:
    if tag == "tr":
        return _hidden(el)                       # hidden rows (Excel exports them with display:none)
    if tag in _TABLE_SCOPE or tag in ("html", "body", "colgroup", "col"):
        return False
    if tag in _FURNITURE_TAGS:
        return not _holds_form(el)
    marked = tag == "form" or _hidden(el) or (not in_data_cell and _furniture_name(el))
    if not marked:
        return False
    return not (_holds_form(el) or _chars(el) * 2 > body_chars)


# -- table model ---------------------------------------------------------------------------------

@dataclass(slots=True)
class _Row:
    cells: list            # the <td>/<th> elements, left to right
    end: int               # index (in render order) one past the last row of this row's row group
    number: int            # 1-based position among the table's rows in the source
    header: bool = False   # in a <thead>, or made of <th> only


def _table_rows(table) -> list[_Row]:
    """The table's rows in render order (first <thead> first, first <tfoot> last), each knowing its row group."""
    groups: list[tuple[str, list[tuple[list, bool]]]] = []   # (kind, [(cells, in_thead)])
    loose: list | None = None                                 # the open implicit row group
    for ch in table:
        t = _tag(ch)
        if t in _SECTIONS:
            loose = None
            groups.append((t, _section_rows(ch, t == "thead")))
        elif t == "tr" or t in _CELLS:
            if loose is None:
                loose = []
                groups.append(("tbody", loose))
            if t == "tr":
                loose.append(([c for c in ch if _tag(c) in _CELLS], False))
            else:
                _append_loose_cell(loose, ch)
    numbered = []
    n = 0
    for kind, rows in groups:
        items = []
        for cells, head in rows:
            n += 1
            items.append((cells, head, n))
        numbered.append((kind, items))
    heads = [g for g in numbered if g[0] == "thead"][:1]
    feet = [g for g in numbered if g[0] == "tfoot"][:1]
    ordered = heads + [g for g in numbered if not any(g is h for h in heads + feet)] + feet
    out: list[_Row] = []
    for _kind, items in ordered:
        end = len(out) + len(items)
        for cells, head, number in items:
            header = head or (bool(cells) and all(_tag(c) == "th" for c in cells))
            out.append(_Row(cells, end, number, header))
    return out


def _append_loose_cell(loose: list, cell) -> None:
    """Cells standing directly in a table or row group (no <tr>) form one row while they follow each other."""
    prev = cell.getprevious()
    while prev is not None and not _tag(prev):
        prev = prev.getprevious()
    if loose and prev is not None and _tag(prev) in _CELLS and loose[-1][0] and loose[-1][0][-1] is prev:
        loose[-1][0].append(cell)
    else:
        loose.append(([cell], False))


def _section_rows(section, head: bool) -> list[tuple[list, bool]]:
    rows: list[tuple[list, bool]] = []
    for ch in section:
        t = _tag(ch)
        if t == "tr":
            rows.append(([c for c in ch if _tag(c) in _CELLS], head))
        elif t in _CELLS:
            _append_loose_cell(rows, ch)
    return rows


_SPAN = re.compile(r"\s*\+?(\d+)")


def _span(value: str | None) -> int | None:
    """A span attribute as browsers read it: its leading digits ('2px' is 2); None when it has none."""
    m = _SPAN.match(value or "")
    return min(int(m.group(1)), MAX_SPAN) if m else None


def _place(rows: list[_Row], deadline: float | None) -> tuple[list[tuple[int, int, int, int, object]], int]:
    """(row, col, rowspan, colspan, element) of every cell by the HTML table model; cells past MAX_COLS."""
    busy: list[int] = []        # per column: the first row no longer covered by a cell from above
    placed = []
    dropped = 0
    for r, row in enumerate(rows):
        if deadline is not None and r % CHECK_EVERY == 0:
            _check(deadline, f"reading a table at row {r + 1:,}")
        c = 0
        for el in row.cells:
            while c < len(busy) and busy[c] > r:
                c += 1
            if c >= MAX_COLS:
                dropped += 1
                continue
            cs = min(_span(el.get("colspan")) or 1, MAX_COLS - c)
            rs = _span(el.get("rowspan"))
            rs = row.end - r if rs == 0 else min(rs or 1, row.end - r)
            for k in range(c + 1, min(c + cs, len(busy))):
                if busy[k] > r:                 # runs into a cell spanning down from above: stops there
                    cs = k - c
                    break
            placed.append((r, c, rs, cs, el))
            if len(busy) < c + cs:
                busy.extend([0] * (c + cs - len(busy)))
            for k in range(c, c + cs):
                busy[k] = r + rs
            c += cs
    return placed, dropped


# -- text ----------------------------------------------------------------------------------------

_BLOCK = {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
          "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
          "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "listing", "main", "menu", "nav", "ol",
          "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "xmp"}


@dataclass(slots=True)
class _Item:
    kind: str                  # "line" | "table"
    text: str = ""
    el: object = None          # the table, or the element a line's first text came from


def _clean_line(s: str) -> str:
    return _WS.sub(" ", fold_text(s)).strip()


class _Lines:
    """Collects text into lines; `flush` ends the current line."""

    def __init__(self) -> None:
        self.items: list[_Item] = []
        self.buf: list[str] = []
        self.origin = None

    def add(self, s: str | None, owner, pre: bool = False) -> None:
        if not s:
            return
        if pre and "\n" in s:
            parts = s.split("\n")
            for p in parts[:-1]:
                self.add(p, owner)
                self.flush()
            s = parts[-1]
        if self.origin is None and not s.isspace():
            self.origin = owner
        self.buf.append(s)

    def brk(self, nested: int) -> None:
        """A block boundary: a new line, or a space inside a nested table (whose rows are lines)."""
        if nested:
            self.buf.append(" ")
        else:
            self.flush()

    def flush(self) -> None:
        if self.buf:
            line = _clean_line("".join(self.buf))
            self.buf.clear()
            if line:
                self.items.append(_Item("line", line, self.origin))
        self.origin = None


def _walk(root, kind_of=None, deadline: float | None = None) -> list[_Item]:
    """Lines (and, in page mode, data tables) under root in document order.

    Page mode (kind_of given): a data table becomes one item and is not entered, a layout table is
    read as blocks, navigation and empty tables are skipped. Cell mode: every table met is a nested
    table, read as one line per row with its cells joined by a space."""
    out = _Lines()
    stack = [(root, False, 0, False)]       # (element, leaving, nested-table depth, inside <pre>)
    n = 0
    while stack:
        el, leaving, nested, pre = stack.pop()
        tag = _tag(el)
        parent = el.getparent()
        if leaving:
            if nested and tag in ("table", "tr"):
                out.flush()
            elif tag in _BLOCK:
                out.brk(nested)
            if el is not root:
                out.add(el.tail, parent, pre)
            continue
        n += 1
        if deadline is not None and n % CHECK_EVERY == 0:
            _check(deadline, "reading the page's text")
        if not tag or tag == "br":
            if tag == "br":
                out.brk(nested)
            if el is not root:
                out.add(el.tail, parent, pre)
            continue
        if tag == "table":
            if kind_of is None:
                out.flush()
                nested += 1
            else:
                kind = kind_of(el)
                if kind != "layout":
                    out.flush()
                    if kind == "data":
                        for cap in (c for c in el if _tag(c) == "caption"):
                            out.items.extend(_Item("line", it.text, el) for it in _walk(cap))
                        out.items.append(_Item("table", "", el))
                    out.add(el.tail, parent, pre)
                    continue
        if tag in _BLOCK:
            out.brk(nested)
        out.add(el.text, el, pre or tag in ("pre", "xmp", "listing"))
        stack.append((el, True, nested, pre))
        inner = pre or tag in ("pre", "xmp", "listing")
        stack.extend((ch, False, nested, inner) for ch in reversed(el))
    out.flush()
    return out.items


def _cell_text(el) -> str:
    return "\n".join(it.text for it in _walk(el))


# -- 4. data tables -> grids -----------------------------------------------------------------------

@dataclass
class _Table:
    n_rows: int
    n_cols: int
    cells: list[Cell]
    header: bool               # its first row is a header row (<thead> or all <th>)
    notes: list[str] = field(default_factory=list)


def _table_kind(table, memo: dict) -> str:
    """data | layout | nav | empty (step 4)."""
    kind = memo.get(table)
    if kind is None:
        n = _chars(table)
        if n == 0:
            kind = "empty"
        elif sum(_chars(a) for a in table.iter("a")) >= n:
            kind = "nav"
        elif _layoutish(table):
            kind = "layout"
        else:
            kind = "data"
        memo[table] = kind
    return kind


def _build_table(table, number: int, deadline: float) -> _Table:
    notes = []
    rows = _table_rows(table)
    if len(rows) > MAX_ROWS:
        notes.append(f"table {number}: {len(rows):,} rows, only the first {MAX_ROWS:,} read")
        rows = rows[:MAX_ROWS]
        for row in rows:
            row.end = min(row.end, MAX_ROWS)
    placed, dropped = _place(rows, deadline)
    if dropped:
        notes.append(f"table {number}: {dropped:,} cells beyond column {MAX_COLS:,} skipped")
    n_rows = len(rows)
    width = max((c + 1 for _r, c, _rs, _cs, _el in placed), default=0)
    if width and n_rows * width > MAX_SLOTS:
        keep = max(1, MAX_SLOTS // width)
        notes.append(f"table {number}: {n_rows:,} rows x {width:,} columns, only the first {keep:,} rows read")
        n_rows = keep
        placed = [(r, c, min(rs, keep - r), cs, el) for r, c, rs, cs, el in placed if r < keep]
    covered = bytearray(n_rows * width)
    rects = []
    for r, c, rs, cs, el in placed:
        cs = min(cs, width - c)                 # a colspan past the last column any cell starts in
        for rr in range(r, r + rs):
            covered[rr * width + c: rr * width + c + cs] = b"\x01" * cs
        rects.append((r, c, rs, cs, el))
    live = [r for r in range(n_rows) if any(covered[r * width:(r + 1) * width])]
    new_row = {r: i for i, r in enumerate(live)}
    cells = []
    for i, (r, c, rs, cs, el) in enumerate(rects):
        if i % CHECK_EVERY == 0:
            _check(deadline, f"reading table {number}")
        cells.append(Cell(_cell_text(el), new_row[r], c, rs, cs, ref=f"table {number} row {rows[r].number}"))
    for r in live:
        base = r * width
        for c in range(width):
            if not covered[base + c]:
                cells.append(Cell("", new_row[r], c, ref=f"table {number} row {rows[r].number}"))
    cells.sort(key=lambda x: (x.row, x.col))
    header = bool(rows) and rows[0].header
    return _Table(len(live), width, cells, header, notes)


def _joinable(a: _Table, b: _Table) -> bool:
    return a.n_cols == b.n_cols or not b.header


def _join(parts: list[_Table]) -> Grid:
    """One Grid of a form split over consecutive tables; narrower parts' last column widened."""
    width = max(p.n_cols for p in parts)
    cells = []
    offset = 0
    for p in parts:
        for c in p.cells:
            span = c.colspan + (width - p.n_cols if c.col + c.colspan == p.n_cols else 0)
            cells.append(Cell(c.text, c.row + offset, c.col, c.rowspan, span, ref=c.ref))
        offset += p.n_rows
    return Grid(page=1, n_rows=offset, n_cols=width, cells=cells)


# -- 5. main content and page furniture lines -------------------------------------------------------

# Site-wide furniture phrases around an article; a line made of nothing else is dropped. Never form words.
_FURNITURE_PARTS = (
    r"发布(?:时间|日期)[:：]\s*[\d\-/.年月日]*(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?",   # 发布时间：2023-03-01 10:20
    r"(?:信息)?来源[:：]\s*[^\s【】\[\]|]*",                                       # 来源：本站
    r"字体[:：]?\s?(?:[大中小]\s?)++",                                              # 【字体：大 中 小】
    r"打印本页|打印此页|打印",
    r"关闭窗口|关闭本页",
    r"分享到[:：]?(?:\s*(?:微信|微博|QQ空间|QQ|朋友圈))*",
    r"扫一扫[^\s【】]*",                                                          # 扫一扫在手机打开当前页
    r"(?:浏览|访问|点击|阅读)(?:次数|量)?[:：]\s*\d*",                             # 浏览次数：123
    r"当前位置[:：].*",                                                           # 当前位置：首页 > 政务公开
)
# Atomic groups: a long line of near-furniture must fail in linear time, not by trying every split of its spaces.
_SEP = r"[\s|｜·/]*+"
_FURNITURE_LINE = re.compile(rf"(?>{_SEP}[【\[]?\s?(?>{'|'.join(_FURNITURE_PARTS)})\s?[】\]]?)++{_SEP}")


def is_furniture_line(text: str) -> bool:
    """A line of site furniture (`发布时间：… 来源：… 【字体：大 中 小】 打印本页`)."""
    return len(text) <= 300 and _FURNITURE_LINE.fullmatch(text) is not None


def _main_content(items: list[_Item]) -> list[_Item]:
    """The items inside the nearest common container of the data tables that holds some text (step 5)."""
    tables = [it.el for it in items if it.kind == "table"]
    if not tables:
        return items
    chain = []
    el = tables[0]
    while el is not None:
        chain.append(el)
        el = el.getparent()
    index = {e: i for i, e in enumerate(chain)}
    memo: dict = {}

    def meet(e) -> int:
        path = []
        while e not in index and e not in memo:
            path.append(e)
            e = e.getparent()
        i = index[e] if e in index else memo[e]
        for p in path:
            memo[p] = i
        return i

    lca = max(meet(t) for t in tables)
    lines = [meet(it.el) for it in items if it.kind == "line"]
    level = max(lca, min(lines, default=lca))
    return [it for it in items if it.kind == "table" or meet(it.el) <= level]


# -- entry -------------------------------------------------------------------------------------------

def _check(deadline: float, doing: str) -> None:
    if time.monotonic() > deadline:
        raise InputError(f"too slow: gave up {doing} (cap: --max-seconds)")


def _blocks(items: list[_Item], notes: list[str], deadline: float) -> list:
    blocks: list = []
    run: list[_Table] = []

    def close_run() -> None:
        if run:
            blocks.append(_join(run) if len(run) > 1 else
                          Grid(page=1, n_rows=run[0].n_rows, n_cols=run[0].n_cols, cells=run[0].cells))
            run.clear()

    number = 0
    for it in items:
        if it.kind == "table":
            number += 1
            t = _build_table(it.el, number, deadline)
            notes.extend(t.notes)
            if not t.cells:
                continue
            if run and not _joinable(run[-1], t):
                close_run()
            run.append(t)
            continue
        close_run()
        if not is_furniture_line(it.text):
            blocks.append(Line(page=1, frags=[Frag(it.text, 0.0, float(len(it.text)))]))
    close_run()
    return blocks


def read_html(data: bytes, opts: ReadOptions, deadline: float) -> ReadDocument:
    """A saved web page as one Page of Grids (its data tables) and Lines (its main text)."""
    if len(data) > MAX_PAGE_BYTES:
        raise InputError(f"web page too large: {len(data) / MB:,.0f} MB (cap {MAX_PAGE_BYTES // MB} MB)")
    text, enc, notes = decode_page(data)
    try:
        blocks = _read_tree(text, notes, deadline)
    except RecursionError:
        raise InputError("damaged web page: markup nested too deeply") from None
    except lxml.etree.LxmlError as e:
        raise InputError(f"damaged web page: {_first_line(str(e))}") from None
    if not blocks:
        raise InputError("no text: the web page is empty")
    return ReadDocument([Page(number=1, blocks=blocks, extractor="html")], "html", notes=notes, encoding=enc)


def _read_tree(text: str, notes: list[str], deadline: float) -> list:
    root = _parse(text)
    if root.find(".//frameset") is not None and root.find(".//body") is None:
        raise InputError("no text: the web page is a frameset (its frames are separate files)")
    body = root.find("body")
    if body is None:
        body = root
    _repair_tables(body, deadline)
    hidden_rows = _prune(root, body, deadline)
    if hidden_rows:
        notes.append(f"hidden rows skipped: {hidden_rows}")
    memo: dict = {}
    items = _walk(body, lambda t: _table_kind(t, memo), deadline)
    return _blocks(_main_content(items), notes, deadline)
