"""Word .docx reader (extract/office_docx.py).

The real documents are checked against their LibreOffice PDF rendering read by the PDF
reader (an independent path to the same grid); the generated ones exercise one Word
construct each, built with python-docx (plus raw XML where python-docx has no API).
"""
from __future__ import annotations

import io
import re
import struct
import time
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from conftest import ROOT
from extract import office_docx
from extract.model import Grid, Line
from fuzz.target import check_grid
from extract.office_docx import read_docx
from extract.reader import InputError, ReadOptions, read_document

OFFICE = ROOT / "tests" / "fixtures" / "office"
REAL = sorted(OFFICE.glob("*.docx"))


def _read(data: bytes, opts: ReadOptions | None = None):
    opts = opts or ReadOptions()
    return read_docx(data, opts, time.monotonic() + 60)


def _save(d) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _blocks(doc) -> list:
    assert len(doc.pages) == 1
    return doc.pages[0].blocks


def _grids(doc) -> list[Grid]:
    return [b for p in doc.pages for b in p.blocks if isinstance(b, Grid)]


def _layout(g: Grid) -> list[tuple]:
    """Every cell as (row, col, rowspan, colspan, text without white space)."""
    return sorted((c.row, c.col, c.rowspan, c.colspan, re.sub(r"\s", "", c.text)) for c in g.cells)


def _covers_once(g: Grid) -> bool:
    """Each grid position covered by exactly one cell (fuzz/target.py's check; it raises
    naming the position otherwise)."""
    check_grid(g, None)
    return True


def _free_text(doc) -> list[str]:
    """Consecutive Lines joined (a PDF wraps a long title), grids as markers."""
    out: list[str] = []
    prev_line = False
    for p in doc.pages:
        for b in p.blocks:
            if isinstance(b, Line):
                t = re.sub(r"\s", "", "".join(f.text for f in b.frags))
                if prev_line:
                    out[-1] += t
                else:
                    out.append(t)
                prev_line = True
            else:
                out.append("<grid>")
                prev_line = False
    return out


# -- real documents -----------------------------------------------------------------------------

def test_fixtures_present():
    assert len(REAL) == 7
    assert all(f.with_name(f.stem + "-word.pdf").exists() for f in REAL)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_real_docx_grids_match_their_pdf(path: Path):
    doc = read_document(path.read_bytes(), ReadOptions(ocr=False))
    pdf = read_document(path.with_name(path.stem + "-word.pdf").read_bytes(), ReadOptions(ocr=False))
    assert doc.file_type == "docx" and doc.extractor == "office"
    mine, theirs = _grids(doc), _grids(pdf)
    assert len(mine) == len(theirs) >= 1
    for g, h in zip(mine, theirs):
        assert (g.n_rows, g.n_cols) == (h.n_rows, h.n_cols)
        assert _layout(g) == _layout(h)
        assert _covers_once(g)
        assert all(c.bbox is None for c in g.cells)
    assert _free_text(doc) == _free_text(pdf)


def test_real_docx_spans_and_refs():
    doc = _read((OFFICE / "hubei-ezhou-caizheng-ziping-2019.docx").read_bytes())
    g1, g2 = _grids(doc)
    by_pos = {(c.row, c.col): c for c in g2.cells}
    funds = by_pos[(2, 0)]
    assert (funds.text, funds.rowspan, funds.colspan) == ("项目资金\n(万元)", 5, 1)   # fold_text: （ -> (
    assert funds.ref == "table 2 row 3"
    assert (by_pos[(0, 1)].text, by_pos[(0, 1)].colspan) == ("财政政务管理", 7)
    assert (by_pos[(10, 0)].text, by_pos[(10, 0)].rowspan) == ("产出指标", 3)
    assert by_pos[(4, 5)].text == ""                  # an empty cell is there, with no text
    assert [type(b).__name__ for b in _blocks(doc)] == ["Line", "Line", "Grid", "Line", "Line", "Grid"]


def test_real_docx_tab_splits_a_line_into_fragments():
    doc = _read((OFFICE / "hubei-huangshi-tushuguan-ziping-2022.docx").read_bytes())
    lines = [b for b in _blocks(doc) if isinstance(b, Line)]
    assert [f.text for f in lines[2].frags] == ["项目单位(盖章):黄石市图书馆", "主要领导签字:", "填报日期:2023.6.28"]
    assert [f.text for f in lines[0].frags] == ["附表2"]
    assert doc.notes == []


# -- generated documents ------------------------------------------------------------------------

def _table(d, rows: list[list[str]]):
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    return t


def test_grid_span(tmp_path):
    d = docx.Document()
    t = _table(d, [["项目名称", "", "甲项目"], ["一级", "二级", "三级"]])
    t.cell(0, 0).merge(t.cell(0, 1))
    assert t._tbl.xpath(".//w:gridSpan")       # the fixture really holds a gridSpan
    (g,) = _grids(_read(_save(d)))
    assert (g.n_rows, g.n_cols) == (2, 3)
    assert _layout(g) == [(0, 0, 1, 2, "项目名称"), (0, 2, 1, 1, "甲项目"),
                          (1, 0, 1, 1, "一级"), (1, 1, 1, 1, "二级"), (1, 2, 1, 1, "三级")]


def test_vmerge_over_three_rows_and_a_block_merge():
    d = docx.Document()
    t = _table(d, [["产出指标", "数量", "", ""], ["", "质量", "", ""], ["", "时效", "", ""], ["效益", "社会", "x", "y"]])
    t.cell(0, 0).merge(t.cell(2, 0))
    t.cell(0, 2).merge(t.cell(1, 3))            # 2 x 2 block: gridSpan and vMerge together
    assert len(t._tbl.xpath(".//w:vMerge")) >= 4
    (g,) = _grids(_read(_save(d)))
    assert (g.n_rows, g.n_cols) == (4, 4)
    pos = {(c.row, c.col): c for c in g.cells}
    assert (pos[(0, 0)].text, pos[(0, 0)].rowspan, pos[(0, 0)].colspan) == ("产出指标", 3, 1)
    assert (pos[(0, 2)].rowspan, pos[(0, 2)].colspan) == (2, 2)
    assert (pos[(3, 0)].text, pos[(3, 0)].rowspan) == ("效益", 1)
    assert [pos[(r, 1)].text for r in range(4)] == ["数量", "质量", "时效", "社会"]
    assert (2, 2) in pos and (2, 3) in pos      # below the block: two ordinary cells
    assert _covers_once(g)


def _grid_skip(tr, before: int = 0, after: int = 0) -> None:
    """Turn a row into one with w:gridBefore / w:gridAfter (python-docx has no API for it)."""
    tcs = tr.findall(qn("w:tc"))
    for tc in tcs[:before] + (tcs[len(tcs) - after:] if after else []):
        tr.remove(tc)
    parts = ((f'<w:gridBefore w:val="{before}"/>' if before else "")
             + (f'<w:gridAfter w:val="{after}"/>' if after else ""))
    tr.insert(0, parse_xml(f"<w:trPr {nsdecls('w')}>{parts}</w:trPr>"))


def test_grid_before_and_after_leave_empty_cells():
    d = docx.Document()
    t = _table(d, [["a", "b", "c"], ["", "e", "f"], ["g", "h", ""]])
    _grid_skip(t.rows[1]._tr, before=1)
    _grid_skip(t.rows[2]._tr, after=1)
    (g,) = _grids(_read(_save(d)))
    assert (g.n_rows, g.n_cols) == (3, 3)
    assert _layout(g) == [(0, 0, 1, 1, "a"), (0, 1, 1, 1, "b"), (0, 2, 1, 1, "c"),
                          (1, 0, 1, 1, ""), (1, 1, 1, 1, "e"), (1, 2, 1, 1, "f"),
                          (2, 0, 1, 1, "g"), (2, 1, 1, 1, "h"), (2, 2, 1, 1, "")]
    assert {c.ref for c in g.cells if c.row == 1} == {"table 1 row 2"}


def test_legacy_hmerge_and_an_unmatched_vmerge_continue():
    d = docx.Document()
    t = _table(d, [["项目名称", "", "甲"], ["一级", "二级", "三级"], ["产出", "数量", "x"]])
    w = nsdecls("w")
    t.cell(0, 0)._tc.get_or_add_tcPr().append(parse_xml(f'<w:hMerge {w} w:val="restart"/>'))
    t.cell(0, 1)._tc.get_or_add_tcPr().append(parse_xml(f"<w:hMerge {w}/>"))
    t.cell(1, 1)._tc.get_or_add_tcPr().append(parse_xml(f'<w:gridSpan {w} w:val="2"/>'))
    t.rows[1]._tr.remove(t.rows[1]._tr.findall(qn("w:tc"))[2])
    # a continue under a cell of another width opens a cell of its own
    t.cell(2, 1)._tc.get_or_add_tcPr().append(parse_xml(f"<w:vMerge {w}/>"))
    (g,) = _grids(_read(_save(d)))
    assert _layout(g) == [(0, 0, 1, 2, "项目名称"), (0, 2, 1, 1, "甲"),
                          (1, 0, 1, 1, "一级"), (1, 1, 1, 2, "二级"),
                          (2, 0, 1, 1, "产出"), (2, 1, 1, 1, "数量"), (2, 2, 1, 1, "x")]


def test_nested_table_rows_join_the_outer_cell():
    d = docx.Document()
    t = _table(d, [["指标", "外层"], ["总分", "100"]])
    inner = t.cell(0, 1).add_table(rows=2, cols=2)
    for r, row in enumerate([["甲", "1"], ["乙", "2"]]):
        for c, text in enumerate(row):
            inner.cell(r, c).text = text
    (g,) = _grids(_read(_save(d)))
    assert (g.n_rows, g.n_cols) == (2, 2)
    assert {(c.row, c.col): c.text for c in g.cells}[(0, 1)] == "外层\n甲 1\n乙 2"


def test_two_tables_with_titles_between():
    d = docx.Document()
    d.add_paragraph("表一 项目支出绩效目标表")
    _table(d, [["项目名称", "甲"]])
    d.add_paragraph("")
    d.add_paragraph("表二\u3000\u3000项目支出绩效自评表")
    d.add_paragraph("（2025年度）")
    _table(d, [["项目名称", "乙"], ["主管部门", "财政局"]])
    blocks = _blocks(_read(_save(d)))
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["Line", "Grid", "Line", "Line", "Grid"]     # the empty paragraph is skipped
    assert [f.text for f in blocks[0].frags] == ["表一 项目支出绩效目标表"]
    assert [f.text for f in blocks[2].frags] == ["表二", "项目支出绩效自评表"]   # two ideographic spaces: a gap
    assert [f.text for f in blocks[3].frags] == ["(2025年度)"]
    assert [c.ref for c in blocks[4].cells] == ["table 2 row 1"] * 2 + ["table 2 row 2"] * 2


_TEXTBOX = (
    '<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
    '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx>'
    '</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
    '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
    '</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')


def _add_textbox(paragraph, text: str) -> None:
    ns = nsdecls("w", "wp", "a") + (
        ' xmlns:v="urn:schemas-microsoft-com:vml"'
        ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')
    paragraph._p.append(parse_xml(_TEXTBOX.format(ns=ns, text=text)))


def test_text_box_is_ignored_with_a_note():
    d = docx.Document()
    box_text = "项目名称：城区绿化养护经费（文本框中的内容，超过四十个字符时只记下前四十个字符以免太长）"
    p = d.add_paragraph("正文标题")
    _add_textbox(p, box_text)
    _add_textbox(d.add_paragraph(), "第1页")     # not form text: no note
    doc = _read(_save(d))
    assert [[f.text for f in b.frags] for b in _blocks(doc)] == [["正文标题"]]
    folded = "项目名称:城区绿化养护经费(文本框中的内容,超过四十个字符时只记下前四十个字符以免太长)"
    assert doc.notes == [f"text in a text box was ignored: «{folded[:40]}»"]


def test_only_text_boxes_is_no_text():
    d = docx.Document()
    _add_textbox(d.add_paragraph(), "项目名称：甲")
    with pytest.raises(InputError, match=r"^no text: .*only in text boxes"):
        _read(_save(d))


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_embedded_image_is_counted_in_a_note():
    d = docx.Document()
    d.add_paragraph("项目支出绩效目标表")
    d.add_picture(io.BytesIO(_png()))
    t = _table(d, [["公章", ""]])
    t.cell(0, 1).paragraphs[0].add_run().add_picture(io.BytesIO(_png()))
    doc = _read(_save(d))
    assert doc.notes == ["embedded objects ignored: 2"]
    assert [c.text for c in _grids(doc)[0].cells] == ["公章", ""]


def test_what_word_shows_of_runs_fields_and_content_controls():
    d = docx.Document()
    p = d.add_paragraph("保留")
    w = nsdecls("w")
    p._p.append(parse_xml(f'<w:del {w} w:id="1" w:author="x"><w:r><w:delText>删除</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {w} w:id="2" w:author="x"><w:r><w:t>插入</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:r {w}><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>'))
    p._p.append(parse_xml(f'<w:r {w}><w:sym w:font="Wingdings 2" w:char="F052"/><w:br/><w:t>第二行</w:t></w:r>'))
    p._p.append(parse_xml(f'<w:r {w}><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox>'
                          f'<w:default w:val="0"/></w:checkBox></w:ffData></w:fldChar></w:r>'))
    p._p.append(parse_xml(f'<w:r {w}><w:instrText> FORMCHECKBOX </w:instrText></w:r>'))
    p._p.append(parse_xml(f'<w:r {w}><w:fldChar w:fldCharType="end"/></w:r>'))
    body = d.element.body
    sdt = parse_xml(f'<w:sdt {w}><w:sdtPr><w:alias w:val="标题"/></w:sdtPr><w:sdtContent>'
                    f'<w:p><w:r><w:t>内容控件中的标题</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    body.insert(len(body) - 1, sdt)      # before the final w:sectPr
    t = _table(d, [["一级", "二级"], ["产出", "数量"]])
    tr = t.rows[1]._tr
    wrapper = parse_xml(f'<w:sdt {w}><w:sdtContent/></w:sdt>')
    tr.addprevious(wrapper)
    wrapper.find(qn("w:sdtContent")).append(tr)      # a row inside a content control
    blocks = _blocks(_read(_save(d)))
    texts = [[f.text for f in b.frags] if isinstance(b, Line) else "grid" for b in blocks]
    assert texts == [["保留插入☑"], ["第二行□"], ["内容控件中的标题"], "grid"]
    assert _layout(blocks[3]) == [(0, 0, 1, 1, "一级"), (0, 1, 1, 1, "二级"),
                                  (1, 0, 1, 1, "产出"), (1, 1, 1, 1, "数量")]


# -- caps and bad input -------------------------------------------------------------------------

def _declare_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the central directory so that `member` declares `size` bytes inflated."""
    buf = bytearray(data)
    i = buf.find(b"PK\x01\x02")
    while i >= 0:
        n = struct.unpack_from("<H", buf, i + 28)[0]
        if bytes(buf[i + 46:i + 46 + n]).decode() == member:
            struct.pack_into("<I", buf, i + 24, size)
            return bytes(buf)
        i = buf.find(b"PK\x01\x02", i + 4)
    raise AssertionError(member)


def test_zip_bomb_declared_entry_size_is_refused_before_parsing():
    data = _declare_size(_save(docx.Document()), "word/document.xml", 0xFFFF_0000)
    with pytest.raises(InputError, match=r"^decompression bomb: the part word/document.xml declares 4,294,901,760"):
        _read(data)


def test_zip_bomb_total_inflated_size_is_refused():
    data = (OFFICE / "fujian-shengzhi-tailian-butie-2017.docx").read_bytes()
    with pytest.raises(InputError, match=r"^decompression bomb: its parts declare .* \(cap: --max-inflated-mb\)"):
        _read(data, ReadOptions(max_inflated_bytes=500_000))


def test_corrupt_files_are_damaged():
    data = (OFFICE / "fujian-shengzhi-tailian-butie-2017.docx").read_bytes()
    with pytest.raises(InputError, match=r"^damaged Word document: "):
        _read(data[: len(data) // 2])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/notes.txt", "项目名称")
    with pytest.raises(InputError, match=r"^damaged Word document: There is no item named '\[Content_Types\].xml'"):
        _read(buf.getvalue())
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(broken, "w") as z:
        for info in src.infolist():
            body = src.read(info)
            z.writestr(info, body[:500] if info.filename == "word/document.xml" else body)
    with pytest.raises(InputError, match=r"^damaged Word document: bad XML: "):
        _read(broken.getvalue())
    with pytest.raises(InputError, match=r"^damaged Word document: File is not a zip file"):
        _read(b"PK\x03\x04word/" + b"\x00" * 100)


def test_empty_document_has_no_text():
    d = docx.Document()
    d.add_paragraph("   ")
    _table(d, [["", ""], ["", ""]])
    with pytest.raises(InputError, match=r"^no text: the Word document is empty$"):
        _read(_save(d))


def test_row_cap_cuts_a_long_table(monkeypatch):
    monkeypatch.setattr(office_docx, "MAX_ROWS", 5)
    d = docx.Document()
    _table(d, [[f"指标{i}", str(i)] for i in range(8)])
    doc = _read(_save(d))
    (g,) = _grids(doc)
    assert g.n_rows == 5 and g.cells[-1].text == "4"
    assert doc.notes == ["table 1 cut at 5 rows (it has 8)"]


def test_deadline_is_checked():
    data = (OFFICE / "fujian-shengzhi-tailian-butie-2017.docx").read_bytes()
    with pytest.raises(InputError, match=r"^too slow: "):
        read_docx(data, ReadOptions(), time.monotonic() - 1)
