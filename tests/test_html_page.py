"""Saved web page reader (extract/html_page.py).

The real pages are checked against the PDF rendering of the same form read by the PDF reader
(an independent path to the same grid); the generated pages exercise one construct each.
"""
from __future__ import annotations

import re
import time

import pytest

from conftest import ROOT
from extract.html_page import is_furniture_line, read_html
from extract.model import Grid, Line
from fuzz.target import check_grid
from extract.reader import InputError, ReadOptions, read_document

OFFICE = ROOT / "tests" / "fixtures" / "office"
REAL = sorted(OFFICE.glob("*.html"))


def _read(data: bytes):
    return read_html(data, ReadOptions(), time.monotonic() + 60)


def _page(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<!DOCTYPE html><html><head>{head}<title>标题栏</title></head><body>{body}</body></html>".encode()


def _grids(doc) -> list[Grid]:
    return [b for p in doc.pages for b in p.blocks if isinstance(b, Grid)]


def _lines(doc) -> list[str]:
    return [" ".join(f.text for f in b.frags) for p in doc.pages for b in p.blocks if isinstance(b, Line)]


def _kinds(doc) -> list[str]:
    return ["G" if isinstance(b, Grid) else "L" for b in doc.pages[0].blocks]


def _cells(g: Grid) -> list[tuple]:
    """Every cell as (row, col, rowspan, colspan, text)."""
    return sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in g.cells)


def _covers_once(g: Grid) -> bool:
    """Each grid position covered by exactly one cell (fuzz/target.py's check; it raises
    naming the position otherwise)."""
    check_grid(g, None)
    return True


def _nows(s: str) -> str:
    return re.sub(r"\s", "", s)


def _expanded(grids: list[Grid]) -> list[list[tuple[str, bool]]]:
    """Rows of (text of the cell covering the position, whether the cell starts in this row), grids stacked."""
    out = []
    for g in grids:
        rows = [[("", False)] * g.n_cols for _ in range(g.n_rows)]
        for c in g.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    rows[r][k] = (_nows(c.text), r == c.row)
        out.extend(rows)
    return out


def _pdf_for(html) -> object:
    stem = html.name[: -len(".html")]
    return next(p for p in (OFFICE / f"{stem}-excel.pdf", OFFICE / f"{stem}-word.pdf") if p.exists())


# -- real pages -----------------------------------------------------------------------------------

def test_real_pages_present():
    assert len(REAL) == 14


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_real_page_grid_matches_its_pdf(path):
    doc = read_document(path.read_bytes(), ReadOptions(ocr=False))
    pdf = read_document(_pdf_for(path).read_bytes(), ReadOptions(ocr=False))
    assert doc.file_type == "html" and doc.extractor == "html" and len(doc.pages) == 1
    grids, pdf_grids = _grids(doc), _grids(pdf)
    assert grids and all(_covers_once(g) for g in grids)
    mine, theirs = _expanded(grids), _expanded(pdf_grids)
    # the same positions covered by the same texts: same rows, cells, texts and spans ...
    assert [[t for t, _ in row] for row in mine] == [[t for t, _ in row] for row in theirs]
    # ... and the same cells starting in each row, except where the PDF restarts a merged cell on a new page
    restarts = set()
    n = 0
    for g in pdf_grids:
        if n:
            restarts.add(n)
        n += g.n_rows
    for i, (a, b) in enumerate(zip(mine, theirs)):
        if i not in restarts:
            assert [s for _, s in a] == [s for _, s in b], f"row {i + 1}"
    # free text: the same titles and notes (a PDF may wrap a long title over two lines)
    assert "".join(map(_nows, _lines(doc))) == "".join(map(_nows, _lines(pdf)))
    # nothing of the site around the form: navigation, publication line, footer
    text = "".join(_lines(doc)) + "".join(c.text for g in grids for c in g.cells)
    for furniture in ("首页", "政务公开", "发布时间", "打印本页", "主办单位", "备案号"):
        assert furniture not in text


def test_real_gbk_page_is_read_as_declared():
    doc = read_document((OFFICE / "hubei-ezhou-caizheng-ziping-2019.html").read_bytes())
    assert doc.encoding == "gb18030" and doc.notes == []
    g1, g2 = _grids(doc)
    assert _lines(doc) == ["项目支出绩效自评表", "(2019年度)"] * 2     # each form's own title, in order
    first = {c.text: c for c in g1.cells}
    assert first["产出指标"].rowspan == 4 and first["产出指标"].ref == "table 1 row 11"
    assert first["项目资金\n(万元)"].rowspan == 5           # <br> inside a cell is a line break
    assert {c.text: c for c in g2.cells}["财政政务管理"].ref == "table 2 row 1"


# -- encodings ------------------------------------------------------------------------------------

def test_gbk_declared_by_http_equiv():
    # 镕 is GBK but not GB2312: a page declaring gb2312 is read as GB18030
    body = "<p>单位：万元</p><table><tr><td>项目负责人</td><td>朱镕</td></tr><tr><td>金额</td><td>10</td></tr></table>"
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
            f"<body>{body}</body></html>")
    doc = _read(html.encode("gbk"))
    assert doc.encoding == "gb18030" and doc.notes == []
    assert _lines(doc) == ["单位:万元"]
    assert _cells(_grids(doc)[0])[1][4] == "朱镕"


def test_utf8_with_bom_and_no_meta():
    data = b"\xef\xbb\xbf" + "<table><tr><td>项目名称</td><td>绿化养护</td></tr><tr><td>a</td><td>b</td></tr></table>".encode()
    doc = _read(data)
    assert doc.encoding == "utf-8" and doc.notes == []
    assert _cells(_grids(doc)[0])[:2] == [(0, 0, 1, 1, "项目名称"), (0, 1, 1, 1, "绿化养护")]


def test_utf16_with_bom():
    data = "\ufeff<p>绩效目标表</p><table><tr><td>项目</td><td>值</td></tr><tr><td>a</td><td>b</td></tr></table>"
    doc = _read(data.encode("utf-16-le"))
    assert doc.encoding == "utf-16-le"
    assert _lines(doc) == ["绩效目标表"]


def test_undeclared_gb18030_is_detected():
    # € and 𠀀 need GB18030's two- and four-byte forms beyond GBK
    html = "<html><body><p>绩效目标表</p><table><tr><td>项目名称</td><td>€𠀀</td></tr><tr><td>a</td><td>b</td></tr></table></body></html>"
    doc = _read(html.encode("gb18030"))
    assert doc.encoding == "gb18030"
    assert doc.notes == ["web page declares no encoding: detected GB18030"]
    assert _cells(_grids(doc)[0])[1][4] == "€𠀀"


def test_utf8_page_that_declares_gb2312():
    html = '<html><head><meta charset="gb2312"></head><body><p>绩效目标表</p></body></html>'
    doc = _read(html.encode("utf-8"))
    assert doc.encoding == "utf-8" and _lines(doc) == ["绩效目标表"]
    assert "declares gb2312 but its bytes are UTF-8" in doc.notes[0]


@pytest.mark.parametrize("label", ["iso-8859-1", "utf-8"])
def test_gbk_page_with_a_wrong_declaration(label):
    html = f'<html><head><meta charset="{label}"></head><body><p>绩效目标表</p></body></html>'
    doc = _read(html.encode("gbk"))
    assert doc.encoding == "gb18030" and _lines(doc) == ["绩效目标表"]
    assert doc.notes == [f"web page declares {label} but holds GB18030 text: read as GB18030"]


def test_neither_utf8_nor_gb18030_falls_back_to_latin1():
    doc = _read("<p>caf\u00e9 se\u00f1or \u00e0 la carte</p>".encode("latin-1"))
    assert doc.encoding == "latin-1" and _lines(doc) == ["café señor à la carte"]
    assert "latin-1" in doc.notes[0]


# -- tables ---------------------------------------------------------------------------------------

def test_unclosed_td_and_tr():
    doc = _read(_page("<table><tr><td>a<td>b<td>c<tr><td>d<td>e</table><p>后记"))
    (g,) = _grids(doc)
    assert (g.n_rows, g.n_cols) == (2, 3) and _covers_once(g)
    # the missing cell at the end of row 2 is an empty cell
    assert _cells(g) == [(0, 0, 1, 1, "a"), (0, 1, 1, 1, "b"), (0, 2, 1, 1, "c"),
                         (1, 0, 1, 1, "d"), (1, 1, 1, 1, "e"), (1, 2, 1, 1, "")]
    assert _lines(doc) == ["后记"]


def test_cell_opened_inside_an_unclosed_div():
    # libxml2 nests the second cell in the first one's <div>; browsers start a new cell
    (g,) = _grids(_read(_page("<table><tr><td><div>a<td>b<td>c<tr><td>d<td>e</table>")))
    assert _cells(g) == [(0, 0, 1, 1, "a"), (0, 1, 1, 1, "b"), (0, 2, 1, 1, "c"),
                         (1, 0, 1, 1, "d"), (1, 1, 1, 1, "e"), (1, 2, 1, 1, "")]


def test_rowspan_beyond_the_table_is_clipped():
    (g,) = _grids(_read(_page('<table><tr><td rowspan="5">a</td><td>b</td></tr><tr><td>c</td></tr></table>')))
    assert (g.n_rows, g.n_cols) == (2, 2) and _covers_once(g)
    assert _cells(g) == [(0, 0, 2, 1, "a"), (0, 1, 1, 1, "b"), (1, 1, 1, 1, "c")]


def test_rowspan_zero_runs_to_the_end_of_its_row_group():
    html = ('<table><thead><tr><th>指标</th><th>值</th></tr></thead>'
            '<tbody><tr><td rowspan="0">产出指标</td><td>1</td></tr><tr><td>2</td></tr><tr><td>3</td></tr></tbody>'
            '<tbody><tr><td>效益指标</td><td>4</td></tr></tbody></table>')
    (g,) = _grids(_read(_page(html)))
    assert _covers_once(g)
    assert _cells(g) == [(0, 0, 1, 1, "指标"), (0, 1, 1, 1, "值"), (1, 0, 3, 1, "产出指标"), (1, 1, 1, 1, "1"),
                         (2, 1, 1, 1, "2"), (3, 1, 1, 1, "3"), (4, 0, 1, 1, "效益指标"), (4, 1, 1, 1, "4")]


def test_bad_spans():
    # non-numeric counts as 1, 0 as 1, a huge colspan stops at the last column any cell starts in
    html = ('<table><tr><td colspan="abc">a</td><td colspan="0">b</td><td colspan="99999">c</td></tr>'
            '<tr><td>1</td><td>2</td><td>3</td><td colspan="2px">4</td></tr></table>')
    (g,) = _grids(_read(_page(html)))
    assert (g.n_rows, g.n_cols) == (2, 4) and _covers_once(g)
    assert _cells(g) == [(0, 0, 1, 1, "a"), (0, 1, 1, 1, "b"), (0, 2, 1, 2, "c"),
                         (1, 0, 1, 1, "1"), (1, 1, 1, 1, "2"), (1, 2, 1, 1, "3"), (1, 3, 1, 1, "4")]


def test_colspan_running_into_a_rowspan_from_above_stops_there():
    html = ('<table><tr><td>a</td><td rowspan="2">b</td><td>c</td></tr>'
            '<tr><td colspan="3">d</td></tr></table>')
    (g,) = _grids(_read(_page(html)))
    assert _covers_once(g)
    assert _cells(g) == [(0, 0, 1, 1, "a"), (0, 1, 2, 1, "b"), (0, 2, 1, 1, "c"), (1, 0, 1, 1, "d"), (1, 2, 1, 1, "")]


def test_cell_text_lines_and_nbsp():
    html = ("<table><tr><td><p>项目&nbsp;&nbsp;资金</p><p>（万元）</p></td><td>a<br>b</td></tr>"
            "<tr><td><ul><li>一</li><li>二</li></ul></td><td>  x \n  y  </td></tr></table>")
    (g,) = _grids(_read(_page(html)))
    assert [c.text for c in g.cells] == ["项目 资金\n(万元)", "a\nb", "一\n二", "x y"]


def test_nested_table_adds_one_line_per_row_to_its_cell():
    html = ("<table><tr><td>a</td><td>b<table><tr><td>n1</td><td>n2</td></tr><tr><td>n3</td><td>n4</td></tr></table>"
            "after</td><td>z</td></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>")
    doc = _read(_page(html))
    (g,) = _grids(doc)
    assert (g.n_rows, g.n_cols) == (2, 3) and _covers_once(g)
    assert _cells(g)[1] == (0, 1, 1, 1, "b\nn1 n2\nn3 n4\nafter")


def test_layout_wrapper_table_is_descended():
    form = ("<table border=1><tr><td>项目名称</td><td>甲</td><td>金额</td></tr>"
            "<tr><td>指标</td><td>乙</td><td>10</td></tr></table>")
    html = (f'<table width="900"><tr><td><h2>绩效目标表</h2><p>（2019年度）</p>{form}'
            f"<p>填报单位（盖章）：</p></td></tr></table>")
    doc = _read(_page(html))
    assert _kinds(doc) == ["L", "L", "G", "L"]
    assert _lines(doc) == ["绩效目标表", "(2019年度)", "填报单位(盖章):"]
    (g,) = _grids(doc)
    assert (g.n_rows, g.n_cols) == (2, 3) and g.cells[0].ref == "table 1 row 1"


def test_form_split_over_two_tables_is_joined():
    html = ('<div class="TRS_Editor"><h2>绩效目标表</h2>'
            "<table><tr><td>一级指标</td><td>二级指标</td><td>指标值</td></tr><tr><td>产出</td><td>数量</td><td>10</td></tr></table>"
            "<p>&nbsp;</p><p></p>"
            "<table><tr><td>效益</td><td>社会</td><td>好</td></tr></table>"
            "<p>备注：无</p></div>")
    doc = _read(_page(html))
    assert _kinds(doc) == ["L", "G", "L"]
    (g,) = _grids(doc)
    assert (g.n_rows, g.n_cols) == (3, 3) and _covers_once(g)
    assert [(c.row, c.text, c.ref) for c in g.cells if c.col == 0] == [
        (0, "一级指标", "table 1 row 1"), (1, "产出", "table 1 row 2"), (2, "效益", "table 2 row 1")]


def test_tables_with_text_between_stay_apart():
    t = "<table><tr><td>项目</td><td>值</td></tr><tr><td>a</td><td>b</td></tr></table>"
    doc = _read(_page(f"<div>{t}<p>附表2</p>{t}</div>"))
    assert _kinds(doc) == ["G", "L", "G"]
    assert [g.cells[0].ref for g in _grids(doc)] == ["table 1 row 1", "table 2 row 1"]


def test_split_parts_of_different_widths():
    # the second part has no header row: joined, its last column widened to the joint width
    html = ("<table><tr><th>一级</th><th>二级</th><th>三级</th></tr><tr><td>a</td><td>b</td><td>c</td></tr></table>"
            "<table><tr><td>d</td><td>e</td></tr></table>")
    (g,) = _grids(_read(_page(html)))
    assert _covers_once(g)
    assert _cells(g)[-2:] == [(2, 0, 1, 1, "d"), (2, 1, 1, 2, "e")]
    # ... while a second part with its own header row is a table of its own
    html2 = html.replace("<table><tr><td>d</td>", "<table><tr><th>x</th><th>y</th></tr><tr><td>d</td>")
    assert len(_grids(_read(_page(html2)))) == 2


def test_word_web_page_export():
    # Word's markup: <o:p>, class=MsoHeader inside a cell (not furniture there), and the zero-height
    # row of empty cells it adds for old browsers (not a row of the form)
    html = ("<div class=WordSection1><p class=MsoNormal align=center><b>项目绩效目标表<o:p></o:p></b></p>"
            "<table class=MsoTableGrid border=1><tr><td rowspan=2><p class=MsoNormal>项目<span lang=EN-US>&nbsp;</span>名称</p></td>"
            "<td colspan=2><p class=MsoNormal>甲<o:p></o:p></p></td></tr>"
            "<tr><td><p class=MsoNormal>乙</p></td><td><p class=MsoHeader>丙</p></td></tr>\n"
            "<![if !supportMisalignedColumns]><tr height=0><td width=95 style='border:none'></td>"
            "<td style='border:none'></td><td style='border:none'></td></tr><![endif]></table>"
            "<p class=MsoNormal><o:p>&nbsp;</o:p></p></div>")
    doc = _read(_page(html))
    assert _lines(doc) == ["项目绩效目标表"]
    (g,) = _grids(doc)
    assert _cells(g) == [(0, 0, 2, 1, "项目 名称"), (0, 1, 1, 2, "甲"), (1, 1, 1, 1, "乙"), (1, 2, 1, 1, "丙")]


def test_control_characters():
    doc = _read(_page("<p>正文\x01一</p>\x00<div class=nav>菜单</div>\x02尾巴\x0b<table><tr><td>a\x1f</td><td>b</td></tr></table>"))
    assert _lines(doc) == ["正文 一", "尾巴"]
    assert [c.text for c in _grids(doc)[0].cells] == ["a", "b"]


def test_hidden_rows_are_skipped():
    html = ('<table><tr><td>a</td><td>b</td></tr><tr style="display: none"><td>h</td><td>h</td></tr>'
            "<tr><td>c</td><td>d</td></tr></table>")
    doc = _read(_page(html))
    assert [c.text for c in _grids(doc)[0].cells] == ["a", "b", "c", "d"]
    assert doc.notes == ["hidden rows skipped: 1"]


# -- what is not the form ------------------------------------------------------------------------

def test_navigation_footer_and_page_furniture_dropped():
    body = ('<nav><a href="/">首页</a></nav><div class="breadcrumb">首页 &gt; 政务公开</div>'
            '<div id="topMenu"><ul><li>机构</li></ul></div><header>市政府网站</header>'
            '<div class="info">发布时间：2023-03-01 来源：本站 【字体：大 中 小】 打印本页 关闭窗口</div>'
            '<div class="content"><h2>绩效目标表</h2><p>资金来源：财政拨款</p>'
            "<table><tr><td>项目</td><td>值</td></tr><tr><td>a</td><td>b</td></tr></table>"
            '<p>扫一扫在手机打开当前页</p></div>'
            '<aside>相关文章</aside><div class="footer">主办单位：市政府办公室</div>'
            "<footer>网站标识码 备案号</footer>")
    doc = _read(_page(body))
    assert _lines(doc) == ["绩效目标表", "资金来源:财政拨款"]
    assert len(_grids(doc)) == 1


def test_only_the_tables_container_is_kept():
    body = ("<p>某某市财政局门户网站</p><div><div><h1>关于公开2019年绩效目标的通知</h1></div>"
            '<div class="TRS_Editor"><p>附件：绩效目标表</p><div align="center">'
            "<table><tr><td>项目</td><td>值</td></tr><tr><td>a</td><td>b</td></tr></table></div>"
            "<p>单位：万元</p></div></div><p>联系我们</p>")
    doc = _read(_page(body))
    assert _lines(doc) == ["附件:绩效目标表", "单位:万元"]


def test_script_style_and_head_text_dropped():
    body = ("<script>document.write('脚本文字')</script><style>p{color:red}</style><noscript>请启用脚本</noscript>"
            "<p>正文<script>var x='内嵌脚本';</script>继续</p><template><p>模板</p></template>")
    doc = _read(_page(body))
    assert _lines(doc) == ["正文继续"]           # and not the <title>


def test_page_without_table_keeps_all_its_text():
    body = ('<div class="nav">首页</div><h1>2019年项目绩效目标</h1><p>一、项目名称：某某项目</p>'
            "<p>二、年度目标：完成<b>全部</b>任务</p><pre>三、指标\n  数量：10个</pre>")
    doc = _read(_page(body))
    assert _kinds(doc) == ["L"] * 5
    assert _lines(doc) == ["2019年项目绩效目标", "一、项目名称:某某项目", "二、年度目标:完成全部任务",
                           "三、指标", "数量:10个"]


def test_aspnet_form_wrapping_the_page_is_kept():
    doc = _read(_page('<form id="form1" method="post"><div><p>绩效目标说明</p><p>第二段</p></div></form>'))
    assert _lines(doc) == ["绩效目标说明", "第二段"]


def test_furniture_lines():
    for s in ("发布时间:2023-03-01 来源:本站 【字体:大 中 小】 打印本页", "发布时间:2023-03-01 10:20:00",
              "【关闭窗口】", "分享到: 微信 微博", "浏览次数:123 | 打印", "当前位置:首页 > 政务公开"):
        assert is_furniture_line(s), s
    for s in ("资金来源:财政拨款", "单位:万元", "打印机购置", "项目名称:字体设计", "发布时间:2023-03-01 项目名称:甲"):
        assert not is_furniture_line(s), s


def test_furniture_line_check_is_fast_on_long_near_misses():
    t = time.monotonic()
    assert not is_furniture_line("打印 " * 90 + "项目")
    assert not is_furniture_line("【打印】 " * 50 + "项目")
    assert time.monotonic() - t < 1.0


# -- bad input ------------------------------------------------------------------------------------

def test_empty_page():
    for data in (b"", b"   \n", b"<html><head><title>x</title></head><body> </body></html>",
                 b"<html><body><script>var a = 1;</script></body></html>"):
        with pytest.raises(InputError, match="^no text: the web page is empty$"):
            _read(data)


def test_deep_nesting_is_refused_not_crashed():
    html = "<html><body>" + "<div>" * 10_000 + "x" + "</div>" * 10_000 + "</body></html>"
    with pytest.raises(InputError, match="^damaged web page: "):
        _read(html.encode())


def test_deep_nested_tables_do_not_crash():
    html = "<table><tr><td>" * 600 + "项目" + "</td></tr></table>" * 600
    assert _lines(_read(_page(html))) == ["项目"]       # one-cell tables are layout wrappers


def test_page_too_large():
    with pytest.raises(InputError, match=r"^web page too large: 51 MB \(cap 50 MB\)$"):
        _read(b"<p>" + b" " * (51 << 20))


def test_long_table_is_cut_with_a_note():
    rows = "".join(f"<tr><td>{i}</td></tr>" for i in range(20_005))
    doc = _read(_page(f"<table><tr><td>序号</td><td>值</td></tr>{rows}</table>"))
    (g,) = _grids(doc)
    assert g.n_rows == 20_000 and g.n_cols == 2
    assert doc.notes == ["table 1: 20,006 rows, only the first 20,000 read"]


def test_very_wide_row_is_cut_with_a_note():
    # the 17th cell starts at column 16,000 (its span clipped at the cap); the last three would start past it
    row = '<td colspan="1000">x</td>' * 20
    doc = _read(_page(f"<table><tr>{row}</tr><tr><td>a</td><td>b</td></tr></table>"))
    (g,) = _grids(doc)
    assert g.n_cols == 16_001 and _covers_once(g)
    assert doc.notes == ["table 1: 3 cells beyond column 16,384 skipped"]


def test_deadline():
    rows = "".join(f"<tr><td>{i}</td><td>x</td></tr>" for i in range(2000))
    with pytest.raises(InputError, match="^too slow"):
        read_html(_page(f"<table>{rows}</table>"), ReadOptions(), time.monotonic() - 1)


def test_nothing_is_fetched(tmp_path):
    # every way a page can point at another file, aimed at a local file: its text must not come in
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER")
    url = secret.as_uri()
    html = (f'<!DOCTYPE html [<!ENTITY x SYSTEM "{url}">]><html><head><link rel="stylesheet" href="{url}">'
            f'<script src="{url}"></script></head><body><p>文字&amp;符号&x;</p><iframe src="{url}"></iframe>'
            f'<object data="{url}"></object><img src="{url}" alt="">'
            f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{url}" parse="text"/></body></html>')
    doc = _read(html.encode())
    assert "文字&符号&x;" in _lines(doc)
    assert "SECRET" not in "".join(_lines(doc))
