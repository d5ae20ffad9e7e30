"""Excel readers: .xlsx (extract/office_xlsx.py) and old OLE files (extract/office_legacy.py).

The real workbooks are checked against their PDF rendering (printed by Excel/LibreOffice)
read by the PDF reader: an independent path to the same rows and cells. The generated
workbooks exercise one construct or one bad input each; the 1,000,000-row sheet and the
zip bombs are written by hand so that building them stays cheap.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import struct
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Border, Side
from openpyxl.styles.cell_style import StyleArray

from conftest import ROOT
from extract.model import Grid, Line
from fuzz.target import check_grid
from extract.office_xlsx import format_value, read_xlsx
from extract.reader import InputError, ReadOptions, read_document
from fuzz.corpus import cfb  # a minimal OLE2 compound file

OFFICE = ROOT / "tests" / "fixtures" / "office"
REAL = sorted(OFFICE.glob("*.xlsx"))
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _read(data: bytes, opts: ReadOptions | None = None, seconds: float = 60):
    return read_xlsx(data, opts or ReadOptions(ocr=False), time.monotonic() + seconds)


def _save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _grids(doc) -> list[Grid]:
    return [b for p in doc.pages for b in p.blocks if isinstance(b, Grid)]


def _layout(g: Grid) -> list[tuple]:
    return sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in g.cells)


def _covers_once(g: Grid) -> bool:
    """Each grid position covered by exactly one cell (fuzz/target.py's check; it raises
    naming the position otherwise)."""
    check_grid(g, None)
    return True


def _rows(doc) -> list[list[str]]:
    """Every Line and every grid row (the cells starting in it), white space removed."""
    out = []
    for p in doc.pages:
        for b in p.blocks:
            if isinstance(b, Grid):
                out.extend([re.sub(r"\s", "", c.text) for c in row] for row in b.rows())
            else:
                out.append(["LINE:" + "".join(re.sub(r"\s", "", f.text) for f in b.frags)])
    return out


def _boxed(ws, cells: dict[str, object]) -> None:
    for ref, v in cells.items():
        ws[ref] = v
        ws[ref].border = BOX


# -- the real workbooks against their PDF rendering -------------------------------------------------

def test_real_fixtures_are_there():
    assert len(REAL) == 7
    assert all(p.with_name(p.stem + "-excel.pdf").is_file() for p in REAL)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_real_workbook_rows_equal_its_pdf(path: Path):
    mine = read_document(path.read_bytes(), ReadOptions(ocr=False))
    pdf = read_document(path.with_name(path.stem + "-excel.pdf").read_bytes(), ReadOptions(ocr=False))
    assert mine.file_type == "xlsx"
    assert all(p.extractor == "office" for p in mine.pages)
    assert _rows(mine) == _rows(pdf)
    for g in _grids(mine):
        assert _covers_once(g)
        assert all(c.bbox is None and re.fullmatch(r"[^!]+![A-Z]+\d+", c.ref) for c in g.cells)


@pytest.mark.parametrize("path", [p for p in REAL if "chongqing" in p.name or "fujian" in p.name
                                  or "guangdong" in p.name or "hebei" in p.name], ids=lambda p: p.stem)
def test_real_one_page_workbook_cells_equal_its_pdf(path: Path):
    """Where the PDF holds the table on one page, every cell and span is the same."""
    mine = _grids(read_document(path.read_bytes(), ReadOptions(ocr=False)))
    pdf = _grids(read_document(path.with_name(path.stem + "-excel.pdf").read_bytes(), ReadOptions(ocr=False)))
    assert len(mine) == len(pdf) == 1

    def strip(g):
        return [(r, c, rs, cs, re.sub(r"\s", "", t)) for r, c, rs, cs, t in _layout(g)]

    assert (mine[0].n_rows, mine[0].n_cols) == (pdf[0].n_rows, pdf[0].n_cols)
    assert strip(mine[0]) == strip(pdf[0])


def test_real_indicator_rows_and_refs():
    doc = read_document((OFFICE / "anhui-huaibei-suixi-linshijiuzhu-ziping-2019.xlsx").read_bytes())
    blocks = doc.pages[0].blocks
    assert [f.text for b in blocks[:2] for f in b.frags] == ["绩效目标自评表", "(2019年度)"]
    g = blocks[2]
    by_ref = {c.ref: c for c in g.cells}
    assert by_ref["1-自评表!A12"].text == "产出指标(50分)" and by_ref["1-自评表!A12"].rowspan == 8
    row = [c.text for c in g.rows()[by_ref["1-自评表!C15"].row]]
    assert row == ["★★★特困人员救助供养人数(按月平均)(≥**人)", "5", ">=4754人", "4604人", "5", "特困人员实行动态管理"]


# -- generated workbooks: layout ---------------------------------------------------------------------

def _form(ws, top: int, title: str, name: str) -> None:
    """A title row (merged, no border) above a bordered 3-row table at row `top`."""
    ws.cell(top, 1, title)
    ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=4)
    t = top + 1
    _boxed(ws, {f"A{t}": "项目名称", f"B{t}": name, f"A{t + 1}": "产出指标", f"B{t + 1}": "数量指标",
                f"C{t + 1}": "人数", f"D{t + 1}": 5, f"B{t + 2}": "质量指标", f"C{t + 2}": "合格率", f"D{t + 2}": 0.95})
    for c in "CD":
        ws[f"{c}{t}"].border = BOX
    ws[f"A{t + 2}"].border = BOX
    ws.merge_cells(f"B{t}:D{t}")
    ws.merge_cells(f"A{t + 1}:A{t + 2}")
    ws[f"D{t + 2}"].number_format = "0%"


def test_title_line_and_merged_cells():
    wb = openpyxl.Workbook()
    _form(wb.active, 1, "项目绩效目标表", "测试项目")
    doc = _read(_save(wb))
    assert doc.file_type == "xlsx" and len(doc.pages) == 1
    title, g = doc.pages[0].blocks
    assert isinstance(title, Line) and [f.text for f in title.frags] == ["项目绩效目标表"]
    assert _layout(g) == [(0, 0, 1, 1, "项目名称"), (0, 1, 1, 3, "测试项目"),
                          (1, 0, 2, 1, "产出指标"), (1, 1, 1, 1, "数量指标"), (1, 2, 1, 1, "人数"), (1, 3, 1, 1, "5"),
                          (2, 1, 1, 1, "质量指标"), (2, 2, 1, 1, "合格率"), (2, 3, 1, 1, "95%")]
    assert {c.text: c.ref for c in g.cells}["测试项目"] == "Sheet!B2"


def test_hidden_row_and_column_are_skipped():
    wb = openpyxl.Workbook()
    ws = wb.active
    _boxed(ws, {"A1": "指标", "B1": "内部备注", "C1": "目标值",
                "A2": "人数", "B2": "不要显示", "C2": "10",
                "A3": "隐藏行", "B3": "x", "C3": "y",
                "A4": "合格率", "B4": "", "C4": "95%"})
    ws.column_dimensions["B"].hidden = True
    ws.row_dimensions[3].hidden = True
    doc = _read(_save(wb))
    (g,) = doc.pages[0].blocks
    assert [[c.text for c in r] for r in g.rows()] == [["指标", "目标值"], ["人数", "10"], ["合格率", "95%"]]
    assert "sheet 'Sheet': 1 hidden row skipped" in doc.notes
    assert "sheet 'Sheet': 1 hidden column skipped" in doc.notes


def test_empty_rows_and_columns_inside_a_table_are_dropped():
    wb = openpyxl.Workbook()
    ws = wb.active
    _boxed(ws, {"B2": "指标", "D2": "值", "B3": "", "D3": "", "B4": "人数", "D4": "3"})
    ws["C2"].border = ws["C3"].border = ws["C4"].border = BOX
    (g,) = _read(_save(wb)).pages[0].blocks
    assert _layout(g) == [(0, 0, 1, 1, "指标"), (0, 1, 1, 1, "值"), (1, 0, 1, 1, "人数"), (1, 1, 1, 1, "3")]
    refs = [c.ref for c in sorted(g.cells, key=lambda c: (c.row, c.col))]
    assert refs == ["Sheet!B2", "Sheet!D2", "Sheet!B4", "Sheet!D4"]


def test_number_formats():
    wb = openpyxl.Workbook()
    ws = wb.active
    values = [(10, "0.00"), (0.95, "0%"), (0.95, "0.0%"), (1437, "#,##0"), (3.0, "General"), (438.768, "General"),
              (dt.datetime(2021, 12, 31), "yyyy-mm-dd"), (dt.datetime(2021, 12, 31), 'yyyy"年"m"月"d"日"'),
              (dt.datetime(2022, 3, 5), "yyyy/m/d"), (dt.datetime(2022, 3, 5), "m月d日"),
              (-1234.5, '#,##0.00;[Red]\\(#,##0.00\\)'), (5, '0.00"万元"')]
    for i, (v, fmt) in enumerate(values, 1):
        ws.cell(i, 1, f"v{i}").border = BOX
        c = ws.cell(i, 2, v)
        c.number_format = fmt
        c.border = BOX
    # a number under the Chinese built-in date format 31 (openpyxl knows no string for it)
    c = ws.cell(len(values) + 1, 2, 43830)
    c._style = StyleArray()
    c._style.numFmtId = 31
    ws.cell(len(values) + 1, 1, "builtin").border = BOX
    c.border = BOX
    ws.cell(len(values) + 2, 1, "formula").border = BOX
    ws.cell(len(values) + 2, 2, "=1+2").border = BOX     # openpyxl saves no cached value
    doc = _read(_save(wb))
    (g,) = doc.pages[0].blocks
    got = [r[1].text if len(r) > 1 else "" for r in g.rows()]
    assert got == ["10.00", "95%", "95.0%", "1,437", "3", "438.768", "2021-12-31", "2021年12月31日",
                   "2022/3/5", "3月5日", "(1,234.50)", "5.00万元", "2019年12月31日", ""]
    assert "sheet 'Sheet': 1 formula without a saved value shown empty" in doc.notes


@pytest.mark.parametrize("value,fmt,shown", [
    (0.285, "0%", "29%"), (2.675, "0.00", "2.68"), (0.1 + 0.2, "General", "0.3"), (12345, "0.00E+00", "1.23E+04"),
    (0, '0.00;-0.00;"-"', "-"), ("说明", '"注:"@', "注:说明"), (0.5, "#.00", ".50"), (12345678, "#,##0,", "12,346"),
    (dt.datetime(2021, 3, 5, 14, 7), '上午/下午h"时"mm"分"', "下午2时07分"), (dt.datetime(2021, 3, 5), "[$-804]aaaa", "星期五"),
    (44561, "yyyy-mm-dd", "2021-12-31"), (44561, None, "44561"), (1.5, "[h]:mm", "36:00"),
    (100, '[>50]"big";"small"', "100"), (0.5, "# ?/?", "0.5"), (True, "General", "TRUE"), (7, ";;;", ""),
])
def test_format_value(value, fmt, shown):
    """The formatter on its own, including what falls back to General (conditions, fractions)."""
    assert format_value(value, fmt) == shown


def test_print_area_limits_what_is_read():
    wb = openpyxl.Workbook()
    ws = wb.active
    _form(ws, 1, "项目绩效目标表", "打印区内")
    _boxed(ws, {"F2": "区外右侧", "A8": "区外下方"})
    ws.print_area = "A1:D4"
    doc = _read(_save(wb))
    text = " ".join(c.text for g in _grids(doc) for c in g.cells)
    assert "打印区内" in text and "区外" not in text
    assert len(_grids(doc)[0].rows()) == 3


def test_two_forms_on_one_sheet():
    wb = openpyxl.Workbook()
    ws = wb.active
    _form(ws, 1, "表一", "项目甲")
    _form(ws, 7, "表二", "项目乙")
    blocks = _read(_save(wb)).pages[0].blocks
    assert [type(b).__name__ for b in blocks] == ["Line", "Grid", "Line", "Grid"]
    assert [blocks[0].frags[0].text, blocks[2].frags[0].text] == ["表一", "表二"]
    assert blocks[1].cells[1].text == "项目甲" and blocks[3].cells[1].text == "项目乙"
    assert blocks[3].cells[1].ref == "Sheet!B8"


def test_two_sheets_are_two_pages_and_hidden_and_empty_sheets_are_skipped():
    wb = openpyxl.Workbook()
    _form(wb.active, 1, "表一", "项目甲")
    wb.create_sheet("空表")
    secret = wb.create_sheet("隐藏")
    _form(secret, 1, "隐藏表", "不要读")
    secret.sheet_state = "hidden"
    _form(wb.create_sheet("第二张"), 1, "表二", "项目乙")
    doc = _read(_save(wb))
    assert [p.number for p in doc.pages] == [1, 2]
    assert [p.blocks[1].cells[1].text for p in doc.pages] == ["项目甲", "项目乙"]
    assert all(b.page == p.number for p in doc.pages for b in p.blocks)
    assert doc.pages[1].blocks[1].cells[1].ref == "第二张!B2"
    assert "hidden sheets skipped: 1" in doc.notes


def test_sheet_without_borders_takes_rows_of_two_cells_as_the_table():
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["项目绩效目标表"], [], ["项目名称", "无边框项目"], ["一级指标", "二级指标", "指标值"],
                ["产出指标", "数量指标", "10"], [], ["填报人:张三"]):
        ws.append(row)
    blocks = _read(_save(wb)).pages[0].blocks
    assert [type(b).__name__ for b in blocks] == ["Line", "Grid", "Line"]
    assert [[c.text for c in r] for r in blocks[1].rows()] == [
        ["项目名称", "无边框项目", ""], ["一级指标", "二级指标", "指标值"], ["产出指标", "数量指标", "10"]]
    assert blocks[2].frags[0].text == "填报人:张三"


def test_line_of_several_cells_and_a_multi_line_title():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "项目支出绩效目标表\n（2024年度）"
    ws["A2"], ws["D2"] = "填报单位:某局", "单位:万元"
    _boxed(ws, {"A3": "项目名称", "B3": "某项目"})
    blocks = _read(_save(wb)).pages[0].blocks
    assert [[(f.text, f.x0, f.x1) for f in b.frags] for b in blocks[:3]] == [
        [("项目支出绩效目标表", 0, 9)], [("(2024年度)", 0, 8)], [("填报单位:某局 单位:万元", 0, 13)]]
    assert isinstance(blocks[3], Grid)


# -- minimal packages written by hand -----------------------------------------------------------------

CT = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
      b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
      b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
      b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
      b'officedocument.spreadsheetml.worksheet+xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WB = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
      b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
      b'<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
WB_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
           b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
           b'2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main"><sheetData>')


def _package(sheet_rows: bytes, tail: bytes = b"", level: int = 6, head: bytes = SHEET_HEAD) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in (("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("xl/workbook.xml", WB),
                           ("xl/_rels/workbook.xml.rels", WB_RELS)):
            z.writestr(name, data)
        z.writestr("xl/worksheets/sheet1.xml", head + sheet_rows + b"</sheetData>" + tail + b"</worksheet>")
    return buf.getvalue()


def _inline(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def test_million_row_sheet_is_read_within_the_cap():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in (("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("xl/workbook.xml", WB),
                           ("xl/_rels/workbook.xml.rels", WB_RELS)):
            z.writestr(name, data)
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(SHEET_HEAD)
            for start in range(1, 1_000_001, 10_000):
                f.write(b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>r</t></is></c><c r="B%d"><v>%d</v></c>'
                                 b'</row>' % (i, i, i, i) for i in range(start, start + 10_000)))
            # ranges that openpyxl would expand cell by cell
            f.write(b'</sheetData><mergeCells count="1"><mergeCell ref="C1:XFD1048576"/></mergeCells>'
                    b'<hyperlinks><hyperlink ref="A1:XFD1048576" display="x"/></hyperlinks></worksheet>')
    t = time.monotonic()
    doc = _read(buf.getvalue())
    assert time.monotonic() - t < 60
    (g,) = doc.pages[0].blocks
    assert (g.n_rows, g.n_cols) == (20_000, 2)
    assert [c.text for c in g.rows()[-1]] == ["r", "20000"]
    assert any(n.startswith("sheet 'S': only the first 20,000 rows read (cap") for n in doc.notes)


def test_columns_and_far_rows_past_the_caps_are_cut():
    rows = (b'<row r="1">' + _inline("A1", "项目名称") + _inline("B1", "甲") + _inline("HA1", "第209列") + b"</row>"
            b'<row r="30000">' + _inline("A30000", "第三万行") + _inline("B30000", "乙") + b"</row>")
    doc = _read(_package(rows))
    assert "第209列" not in str(doc.pages) and "第三万行" not in str(doc.pages)
    assert [c.text for c in doc.pages[0].blocks[0].cells] == ["项目名称", "甲"]
    assert "sheet 'S': only the first 200 columns read (cap)" in doc.notes
    assert "sheet 'S': rows past 20,000 not read (cap)" in doc.notes


def test_sheet_xml_past_the_byte_cap_is_cut_at_a_row(monkeypatch):
    from extract import office_xlsx

    monkeypatch.setattr(office_xlsx, "MAX_SHEET_XML", 50_000)
    rows = b"".join(b'<row r="%d">' % i + _inline(f"A{i}", "行") + _inline(f"B{i}", str(i)) + b"</row>"
                    for i in range(1, 3001))
    doc = _read(_package(rows))
    (g,) = doc.pages[0].blocks
    assert 100 < g.n_rows < 3000
    assert [c.text for c in g.rows()[-1]] == ["行", str(g.n_rows)]
    assert any(n.startswith(f"sheet 'S': only the first {g.n_rows:,} rows read") for n in doc.notes)


def test_xml_entities_are_refused():
    doctype = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    rows = b'<row r="1">' + _inline("A1", "&e;") + _inline("B1", "x") + b"</row>"
    data = _package(rows, head=SHEET_HEAD.replace(b"?><worksheet", b"?>" + doctype + b"<worksheet"))
    with pytest.raises(InputError, match="DOCTYPE"):
        read_document(data)


def _declare(data: bytes, member: str, size: int) -> bytes:
    """The zip with `member`'s uncompressed size rewritten to `size` in its central directory entry."""
    out = bytearray(data)
    name = member.encode()
    pos = out.find(b"PK\x01\x02")
    while pos >= 0:
        n_len = struct.unpack_from("<H", out, pos + 28)[0]
        if bytes(out[pos + 46:pos + 46 + n_len]) == name:
            struct.pack_into("<I", out, pos + 24, size)
            return bytes(out)
        pos = out.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(member)


def test_zip_bomb_declared_size_is_refused_before_inflating():
    rows = b'<row r="1">' + _inline("A1", "项目名称") + _inline("B1", "甲") + b"</row>"
    bomb = _declare(_package(rows), "xl/worksheets/sheet1.xml", 0xF000_0000)
    with pytest.raises(InputError, match=r"decompression bomb: .*--max-stream-mb"):
        read_document(bomb)


def test_zip_bomb_real_deflate_hits_the_caps():
    pad = b"<!--" + b" " * (8 << 20) + b"-->"          # 8 MB of blanks deflate to a few KB
    data = _package(b'<row r="1">' + _inline("A1", "项目名称") + _inline("B1", "甲") + b"</row>" + pad, level=9)
    assert len(data) < 100_000
    with pytest.raises(InputError, match="decompression bomb: a part of the workbook"):
        _read(data, ReadOptions(max_stream_bytes=4 << 20))
    with pytest.raises(InputError, match="decompression bomb: the workbook's parts .*--max-inflated-mb"):
        _read(data, ReadOptions(max_inflated_bytes=4 << 20))
    assert _read(data).pages[0].blocks                  # under the default caps it is just a workbook


def test_external_link_is_ignored_with_a_note():
    wb = openpyxl.Workbook()
    _form(wb.active, 1, "表一", "项目甲")
    src = zipfile.ZipFile(io.BytesIO(_save(wb)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b"</sheets>", b'</sheets><externalReferences><externalReference '
                                                  b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                                                  b'relationships" r:id="rIdX"/></externalReferences>')
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>",
                                    b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/'
                                    b'2006/relationships/externalLink" Target="externalLinks/externalLink1.xml"/>'
                                    b"</Relationships>")
            z.writestr(info, data)
        z.writestr("xl/externalLinks/externalLink1.xml",
                   b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   b'<externalBook r:id="rId1"/></externalLink>')
        z.writestr("xl/externalLinks/_rels/externalLink1.xml.rels",
                   b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   b'relationships/externalLinkPath" Target="http://127.0.0.1:9/secret.xlsx" TargetMode="External"/>'
                   b"</Relationships>")
    doc = _read(buf.getvalue())
    assert doc.pages[0].blocks[1].cells[1].text == "项目甲"
    assert "external links ignored: 1 (never followed)" in doc.notes


def test_macros_are_never_loaded():
    wb = openpyxl.Workbook()
    _form(wb.active, 1, "表一", "项目甲")
    data = _save(wb)
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(100))
    doc = _read(buf.getvalue())
    assert "macros ignored: never run" in doc.notes


@pytest.mark.parametrize("data,message", [
    (b"PK\x03\x04xl/" + bytes(300), "damaged workbook: not a readable ZIP package"),
    (None, "damaged workbook"),                                     # a real workbook cut in half
    (_package(b"").replace(b"xl/workbook.xml", b"xl/workbook.xmX"), "damaged workbook"),
])
def test_damaged_workbooks(data, message):
    if data is None:
        real = REAL[0].read_bytes()
        data = real[:len(real) // 2]
    with pytest.raises(InputError, match=message):
        read_document(data)


def test_empty_workbook_is_refused():
    with pytest.raises(InputError, match="no text: the workbook's sheets are empty"):
        read_document(_save(openpyxl.Workbook()))


def test_deadline():
    wb = openpyxl.Workbook()
    _form(wb.active, 1, "表一", "项目甲")
    with pytest.raises(InputError, match="too slow"):
        read_xlsx(_save(wb), ReadOptions(), time.monotonic() - 1)


# -- OLE files ---------------------------------------------------------------------------------------


def test_encrypted_office_file_is_refused():
    data = cfb({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 5000})
    with pytest.raises(InputError, match="^encrypted: the file needs a password$"):
        read_document(data)


def test_ole_without_workbook_or_word_document_is_refused():
    with pytest.raises(InputError, match="not a form file: an OLE document holding neither"):
        read_document(cfb({"PowerPoint Document": b"\x00" * 10}))


def test_damaged_ole_header_is_refused():
    with pytest.raises(InputError, match="damaged old Office document"):
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))


def test_ole_workbook_that_xlrd_cannot_read_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(InputError, match="damaged workbook"):
        read_document(cfb({"Workbook": b"not BIFF at all" * 300}))


def _fib(flags: int) -> bytes:
    return struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0x0804, 0, flags) + bytes(5000)


def test_doc_without_libreoffice_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(InputError, match=r"a \.doc/\.wps file: install LibreOffice \(soffice\)"):
        read_document(cfb({"WordDocument": _fib(0)}))


def test_encrypted_doc_is_refused_without_converting(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(InputError, match="^encrypted: the file needs a password$"):
        read_document(cfb({"WordDocument": _fib(0x0100)}))


def _fake_soffice(tmp_path: Path, body: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)


def _copying_soffice(tmp_path: Path, made: Path) -> None:
    """A stand-in for LibreOffice: writes the prepared file where --outdir says, as input.<ext>."""
    _fake_soffice(tmp_path, 'out=""; prev=""\nfor a in "$@"; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; done\n'
                            f'cp "{made}" "$out/input{made.suffix}"\n')


def test_doc_is_converted_by_libreoffice_and_read_as_docx(tmp_path, monkeypatch):
    import docx

    d = docx.Document()
    d.add_paragraph("项目支出绩效目标表")
    t = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "项目名称", (0, 1): "转换测试", (1, 0): "主管部门", (1, 1): "某局"}.items():
        t.cell(r, c).text = text
    d.save(tmp_path / "made.docx")
    _copying_soffice(tmp_path, tmp_path / "made.docx")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    doc = read_document(cfb({"WordDocument": _fib(0)}))
    assert doc.file_type == "doc"
    grid = _grids(doc)[0]
    assert [[c.text for c in r] for r in grid.rows()] == [["项目名称", "转换测试"], ["主管部门", "某局"]]
    assert "converted from .doc/.wps to .docx by LibreOffice" in doc.notes


def test_workbook_that_xlrd_cannot_read_is_converted_by_libreoffice(tmp_path, monkeypatch):
    wb = openpyxl.Workbook()
    _form(wb.active, 1, "金山表格", "转换项目")
    wb.save(tmp_path / "made.xlsx")
    _copying_soffice(tmp_path, tmp_path / "made.xlsx")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    doc = read_document(cfb({"Workbook": b"not BIFF at all" * 300}))
    assert doc.file_type == "xls"
    assert doc.pages[0].blocks[1].cells[1].text == "转换项目"
    assert "converted from .xls/.et to .xlsx by LibreOffice" in doc.notes


def test_libreoffice_that_hangs_is_stopped_at_the_deadline(tmp_path, monkeypatch):
    _fake_soffice(tmp_path, "sleep 30\n")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    t = time.monotonic()
    with pytest.raises(InputError, match="too slow: LibreOffice did not convert"):
        read_document(cfb({"WordDocument": _fib(0)}), ReadOptions(max_seconds=1))
    assert time.monotonic() - t < 10


def _xls(build) -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xls_form(wb) -> None:
    import xlwt

    b = xlwt.Borders()
    b.left = b.right = b.top = b.bottom = xlwt.Borders.THIN

    def style(fmt: str = "General"):
        s = xlwt.XFStyle()
        s.borders = b
        s.num_format_str = fmt
        return s

    ws = wb.add_sheet("表1")
    ws.write_merge(0, 0, 0, 3, "项目绩效目标表")
    ws.write(1, 0, "项目名称", style())
    ws.write_merge(1, 1, 1, 3, "老格式项目", style())
    ws.write(2, 0, "指标", style())
    ws.write(2, 1, 10, style("0.00"))
    ws.write(2, 2, 0.95, style("0%"))
    ws.write(2, 3, 1437, style("#,##0"))
    ws.write(3, 0, "隐藏", style())
    ws.write(3, 1, "不要读", style())
    ws.row(3).hidden = True
    ws.write(4, 0, "日期", style())
    ws.write(4, 1, dt.date(2021, 12, 31), style("yyyy-mm-dd"))
    ws.write(4, 2, dt.date(2021, 12, 31), style("M/D/YY"))        # built-in 14: shown as yyyy/m/d
    ws.write(4, 3, 438.768, style())


def test_xls_workbook_reads_like_xlsx():
    doc = read_document(_xls(_xls_form))
    assert doc.file_type == "xls" and [p.extractor for p in doc.pages] == ["office"]
    title, g = doc.pages[0].blocks
    assert [f.text for f in title.frags] == ["项目绩效目标表"]
    assert _layout(g) == [(0, 0, 1, 1, "项目名称"), (0, 1, 1, 3, "老格式项目"),
                          (1, 0, 1, 1, "指标"), (1, 1, 1, 1, "10.00"), (1, 2, 1, 1, "95%"), (1, 3, 1, 1, "1,437"),
                          (2, 0, 1, 1, "日期"), (2, 1, 1, 1, "2021-12-31"), (2, 2, 1, 1, "2021/12/31"),
                          (2, 3, 1, 1, "438.768")]
    assert {c.text: c.ref for c in g.cells}["老格式项目"] == "表1!B2"
    assert "sheet '表1': 1 hidden row skipped" in doc.notes


def test_xls_with_two_sheets():
    def build(wb):
        _xls_form(wb)
        wb.add_sheet("空")
        wb.add_sheet("表2").write(0, 0, "第二页")

    doc = read_document(_xls(build))
    assert [p.number for p in doc.pages] == [1, 2]
    assert [f.text for f in doc.pages[1].blocks[0].frags] == ["第二页"]
