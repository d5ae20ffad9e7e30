"""The five tables as one Excel workbook, with a 概览 (overview) sheet.

    write_workbook(out_dir, xlsx_path)

Sheets: 概览, then documents, projects, goals, indicators, issues.  Every
table sheet has two frozen header rows: the English column name (as in the
Parquet tables) and its Chinese caption; an auto-filter on the columns; widths
fitted to the content (CJK characters count double, capped).  Text from the
documents is written as text, never as a formula (a value such as ``=11`` stays
a string), and characters Excel cannot store are dropped.
"""
from __future__ import annotations

import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import ISSUE_MEANINGS, SEVERITY_CAPTIONS, SEVERITY_ORDER, TABLE_CAPTIONS, caption, na_to_none

TABLES = ("documents", "projects", "goals", "indicators", "issues")
HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
CAP_FILL = PatternFill("solid", fgColor="EEF2F7")
BOLD = Font(bold=True)
MAX_WIDTH = 60
YUAN_FORMAT = "#,##0.00"


def _plain(v):
    """A pandas / Arrow scalar as a value openpyxl can write (None for NA)."""
    v = na_to_none(v)
    if v is None:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            v = v.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(v, datetime.datetime):
        return v
    if hasattr(v, "to_pydatetime"):
        return v.to_pydatetime().date()
    if isinstance(v, str):
        return ILLEGAL_CHARACTERS_RE.sub("", v)
    return v


def _head_rows(ws, r: int, head) -> int:
    """English names over Chinese captions, the two header rows of an overview block."""
    for j, (en, zh) in enumerate(head, 1):
        _put(ws, r, j, en).font = BOLD
        ws.cell(row=r, column=j).fill = HEAD_FILL
        _put(ws, r + 1, j, zh).font = BOLD
        ws.cell(row=r + 1, column=j).fill = CAP_FILL
    return r + 2


def _width(v) -> int:
    if v is None:
        return 0
    s = v.strftime("%Y-%m-%d") if isinstance(v, (datetime.date, datetime.datetime)) else str(v)
    return sum(2 if ord(c) > 0x2E7F else 1 for c in s.split("\n")[0])


def _put(ws, row: int, col: int, value):
    """Write one cell; strings stay strings even if they start with '='."""
    c = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and c.data_type == "f":
        c.data_type = "s"
    return c


def _sheet(wb, title: str, columns: list[str], rows: list[list], captions: list[str],
           yuan_cols: set[str] = frozenset()):
    ws = wb.create_sheet(title)
    widths = [max(_width(c), _width(k)) for c, k in zip(columns, captions)]
    for j, (name, cap) in enumerate(zip(columns, captions), 1):
        h = _put(ws, 1, j, name)
        h.font, h.fill = BOLD, HEAD_FILL
        k = _put(ws, 2, j, cap)
        k.font, k.fill = BOLD, CAP_FILL
    for i, row in enumerate(rows, 3):
        for j, v in enumerate(row, 1):
            c = _put(ws, i, j, v)
            if isinstance(v, (datetime.date, datetime.datetime)):
                c.number_format = "yyyy-mm-dd"
            elif columns[j - 1] in yuan_cols and isinstance(v, (int, float)):
                c.number_format = YUAN_FORMAT
            widths[j - 1] = max(widths[j - 1], _width(v))
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = min(MAX_WIDTH, max(8, w + 2))
    ws.freeze_panes = "A3"
    if columns:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{max(2, len(rows) + 2)}"
    return ws


def _overview(wb, t: dict) -> None:
    ws = wb.create_sheet("概览", 0)
    projects, inds, issues, docs = t["projects"], t["indicators"], t["issues"], t["documents"]
    r = 1
    ws.cell(row=r, column=1, value="jxmb 概览（overview）").font = Font(bold=True, size=14)
    r += 1
    ws.cell(row=r, column=1, value=f"文档 {len(docs)} 份，项目 {len(projects)} 个，指标 {len(inds)} 条，问题 {len(issues)} 条")
    r += 2
    # -- per department
    head = [("department", "主管部门"), ("projects", "项目数"), ("indicators", "指标数"),
            ("funds_total_wan", "资金总额（万元）")]
    top = r
    r = _head_rows(ws, r, head)
    per: dict[str, list] = {}
    dept_of = {}
    for p in projects.itertuples(index=False):
        d = _plain(p.department) or "（未识别）"
        dept_of[p.project_id] = d
        e = per.setdefault(d, [0, 0, 0.0])
        e[0] += 1
        e[2] += _plain(p.funds_total_yuan) or 0.0
    for pid in inds["project_id"]:
        d = dept_of.get(pid, "（未识别）")
        per.setdefault(d, [0, 0, 0.0])[1] += 1
    for d in sorted(per):
        n, k, y = per[d]
        for j, v in enumerate([d, n, k, round(y / 1e4, 4)], 1):
            c = _put(ws, r, j, v)
            if j == 4:
                c.number_format = "#,##0.00##"
        r += 1
    tot = [sum(v[i] for v in per.values()) for i in range(3)]
    for j, v in enumerate(["合计", tot[0], tot[1], round(tot[2] / 1e4, 4)], 1):
        c = _put(ws, r, j, v)
        c.font = BOLD
        if j == 4:
            c.number_format = "#,##0.00##"
    r += 3
    # -- per issue code
    head2 = [("code", "问题代码"), ("severity", "严重程度"), ("count", "条数"), ("documents", "涉及文档"),
             ("meaning", "含义")]
    r = _head_rows(ws, r, head2)
    groups: dict[tuple, list] = {}
    for i in issues.itertuples(index=False):
        key = (_plain(i.code) or "", _plain(i.severity) or "")
        g = groups.setdefault(key, [0, set()])
        g[0] += 1
        g[1].add(i.doc_id)
    for (code, sev), (n, ds) in sorted(groups.items(), key=lambda kv: (SEVERITY_ORDER.get(kv[0][1], 9), kv[0][0])):
        for j, v in enumerate([code, f"{sev} {SEVERITY_CAPTIONS.get(sev, '')}".strip(), n, len(ds),
                               ISSUE_MEANINGS.get(code, "")], 1):
            _put(ws, r, j, v)
        r += 1
    if not groups:
        _put(ws, r, 1, "（无问题）")
        r += 1
    r += 2
    # -- legend of the table sheets
    for j, (en, zh) in enumerate([("sheet", "工作表"), ("table", "表"), ("rows", "行数")], 1):
        _put(ws, r, j, en).font = BOLD
        ws.cell(row=r, column=j).fill = HEAD_FILL
        _put(ws, r + 1, j, zh).font = BOLD
        ws.cell(row=r + 1, column=j).fill = CAP_FILL
    r += 2
    for name in TABLES:
        for j, v in enumerate([name, TABLE_CAPTIONS[name], len(t[name])], 1):
            _put(ws, r, j, v)
        r += 1
    for j, w in enumerate([34, 16, 10, 18, 44], 1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = ws.cell(row=top + 2, column=1).coordinate
    ws.cell(row=1, column=1).alignment = Alignment(vertical="center")


def write_workbook(out_dir: Path, xlsx_path: Path) -> None:
    """Read the five tables of OUT and write them, with an overview, to one .xlsx file."""
    import pipeline

    t = pipeline.load(Path(out_dir))
    wb = Workbook()
    wb.remove(wb.active)
    _overview(wb, t)
    for name in TABLES:
        df = t[name]
        cols = list(df.columns)
        rows = [[_plain(v) for v in rec] for rec in df.itertuples(index=False, name=None)]
        caps = [caption(c) for c in cols]
        yuan = {c for c in cols if c.endswith("_yuan")}
        ws = _sheet(wb, name, cols, rows, caps, yuan)
        ws.sheet_properties.tabColor = {"issues": "C0504D"}.get(name, "4F81BD")
    xlsx_path = Path(xlsx_path)
    xlsx_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = xlsx_path.with_name(f".{xlsx_path.name}.tmp")
    wb.save(tmp)
    tmp.replace(xlsx_path)
