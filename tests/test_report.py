"""The Excel workbook (report/xlsx.py) and the static HTML pages (report/html.py)."""
from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

import pipeline
from conftest import ROOT, SAMPLES
from normalize.schema import TABLES as SCHEMAS
from report import CAPTIONS, caption
from report.html import DPI, write_site
from report.xlsx import write_workbook

TABLES = ["documents", "projects", "goals", "indicators", "issues"]
INPUTS = ["shapotou-2025-excel.pdf", "shapotou-2025.txt", "anhui-jinzhai-wuye-2021.pdf"]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("report") / "out"
    pipeline.run([str(SAMPLES / n) for n in INPUTS], d, ocr=False)
    return d


@pytest.fixture(scope="module")
def tables(out):
    return pipeline.load(out)


# -- workbook ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def workbook(out, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "sub" / "jxmb.xlsx"
    write_workbook(out, path)
    return openpyxl.load_workbook(path)


def test_workbook_sheets(workbook):
    assert workbook.sheetnames == ["概览"] + TABLES


def test_workbook_headers_captions_and_rows(workbook, tables):
    for name in TABLES:
        ws = workbook[name]
        cols = list(tables[name].columns)
        assert [c.value for c in ws[1]] == cols
        assert [c.value for c in ws[2]] == [caption(c) for c in cols]
        assert all(c in CAPTIONS for c in cols if c in SCHEMAS[name].names)
        assert all(ws.cell(row=2, column=j).value for j in range(1, len(cols) + 1))
        assert ws.freeze_panes == "A3"
        assert ws.max_row == len(tables[name]) + 2
        # widths fitted, bounded
        widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width for j in range(1, len(cols) + 1)]
        assert all(8 <= w <= 62 for w in widths)
    head = [c.value for c in workbook["projects"][1]]
    assert workbook["projects"].cell(row=2, column=head.index("project_name") + 1).value == "项目名称"


def test_workbook_values(workbook, tables):
    ws = workbook["projects"]
    head = [c.value for c in ws[1]]
    names = [ws.cell(row=r, column=head.index("project_name") + 1).value for r in range(3, ws.max_row + 1)]
    assert "政府专项工作经费" in names and "物业管理" in names
    tot = [ws.cell(row=r, column=head.index("funds_total_yuan") + 1).value for r in range(3, ws.max_row + 1)]
    assert 495000.0 in tot and 11250000.0 in tot
    wi = workbook["indicators"]
    head = [c.value for c in wi[1]]
    dl = [wi.cell(row=r, column=head.index("deadline") + 1).value for r in range(3, wi.max_row + 1)]
    assert any(d is not None and d.year == 2025 for d in dl)
    # no cell became a formula
    for name in TABLES:
        for row in workbook[name].iter_rows(min_row=3):
            assert not any(c.data_type == "f" for c in row)


def test_workbook_overview(workbook, tables):
    ws = workbook["概览"]
    cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
    text = [v for v in cells.values()]
    assert "department" in text and "主管部门" in text and "资金总额（万元）" in text
    rows = {ws.cell(row=r, column=1).value: [ws.cell(row=r, column=j).value for j in (2, 3, 4)]
            for r in range(1, ws.max_row + 1)}
    # two copies of the 4 shapotou forms: 8 projects, 2 × (49.5 + 63 + 230 + 15) 万元
    assert rows["中卫市沙坡头区人民政府办公室"] == [8, 110, pytest.approx(715.0)]
    assert rows["县财政局"] == [1, 9, pytest.approx(1125.0)]
    assert rows["合计"][0] == len(tables["projects"]) and rows["合计"][1] == len(tables["indicators"])
    codes = tables["issues"]["code"].value_counts().to_dict()
    for code, n in codes.items():
        assert rows[code][1] == n
    assert ws.freeze_panes is not None


def test_workbook_formula_like_text_stays_text(tmp_path):
    res = pipeline.Result()
    res.documents.append({"doc_id": "f" * 16, "source_path": "=HYPERLINK(\"http://x\")", "file_type": "text",
                          "status": "ok", "n_projects": 0})
    res.issues.append({"doc_id": "f" * 16, "severity": "info", "code": "unplaced_text", "message": "=1+1\x07"})
    pipeline.write_tables(res, tmp_path / "out")
    write_workbook(tmp_path / "out", tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "x.xlsx")
    assert wb["documents"]["B3"].value == "=HYPERLINK(\"http://x\")" and wb["documents"]["B3"].data_type == "s"
    assert wb["issues"]["E3"].value == "=1+1"
    assert wb["projects"].max_row == 2


# -- HTML --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(out, tmp_path_factory):
    html_dir = tmp_path_factory.mktemp("html") / "site"
    return write_site(out, html_dir)


def test_site_files(site, tables):
    d = site.parent
    assert site.name == "index.html" and site.is_file()
    for did in tables["documents"]["doc_id"]:
        assert (d / f"doc-{did}.html").is_file()
    pngs = sorted(p.name for p in (d / "img").glob("*.png"))
    assert len(pngs) == 7 + 2   # the excel PDF and the anhui PDF; the text dump has none


def test_site_is_offline_and_safe(site):
    for f in site.parent.glob("*.html"):
        text = f.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in text
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text), f.name
        assert "<link" not in text and "<script src" not in text
        assert text.count("<script>") == 1


def test_site_index(site):
    text = site.read_text(encoding="utf-8")
    for code in ("cost_sum_mismatch", "duplicate_label", "year_mismatch", "quantity_not_numeric"):
        assert f'data-code="{code}"' in text
    assert text.count("<tr data-doc=") == 3
    assert '<figure id="chart-funds"><svg' in text and '<figure id="chart-categories"><svg' in text
    assert "中卫市沙坡头区人民政府办公室" in text and "715 万元" in text


def test_site_boxes_follow_bboxes(site, tables):
    import pymupdf

    docs = tables["documents"]
    did = docs[docs.source_path.str.endswith("shapotou-2025-excel.pdf")].doc_id.iloc[0]
    text = (site.parent / f"doc-{did}.html").read_text(encoding="utf-8")
    inds = tables["indicators"]
    inds = inds[inds.project_id.str.startswith(did)]
    assert text.count('class="box"') == len(inds) == text.count('class="rec"')
    with pymupdf.open(SAMPLES / "shapotou-2025-excel.pdf") as pdf:
        w, h = pdf[0].rect.width, pdf[0].rect.height
        pix = pdf[0].get_pixmap(dpi=DPI)
    i = inds.iloc[0]
    m = re.search(rf'id="b-{i.project_id}-{i.ind_seq}"[^>]*style="left:([\d.]+)%;top:([\d.]+)%;width:([\d.]+)%', text)
    assert m
    assert float(m.group(1)) == pytest.approx(i.bbox_x0 / w * 100, abs=0.01)
    assert float(m.group(2)) == pytest.approx(i.bbox_y0 / h * 100, abs=0.01)
    assert float(m.group(3)) == pytest.approx((i.bbox_x1 - i.bbox_x0) / w * 100, abs=0.01)
    assert f'width="{pix.width}" height="{pix.height}"' in text      # rendered at DPI
    assert "cost_sum_mismatch" in text and "42.3万元" in text


def test_site_text_dump_records_only(site, tables):
    docs = tables["documents"]
    did = docs[docs.source_path.str.endswith("shapotou-2025.txt")].doc_id.iloc[0]
    text = (site.parent / f"doc-{did}.html").read_text(encoding="utf-8")
    assert "<img" not in text and 'class="box"' not in text
    assert text.count('class="rec-nobox"') == 55
    assert "政府专项工作经费" in text


def test_site_missing_source_and_sources_map(out, tables, tmp_path):
    docs = tables["documents"]
    pdf_id = docs[docs.source_path.str.endswith("shapotou-2025-excel.pdf")].doc_id.iloc[0]
    index = write_site(out, tmp_path / "a", sources={pdf_id: str(tmp_path / "gone.pdf")})
    text = (index.parent / f"doc-{pdf_id}.html").read_text(encoding="utf-8")
    assert "<img" not in text and "找不到来源 PDF" in text and text.count('class="rec-nobox"') > 40
    # a map pointing at a copy elsewhere is used
    copy = tmp_path / "copy.pdf"
    copy.write_bytes((SAMPLES / "shapotou-2025-excel.pdf").read_bytes())
    index = write_site(out, tmp_path / "b", sources={pdf_id: str(copy)})
    assert (index.parent / "img" / f"{pdf_id}-p1.png").is_file()


def test_site_escapes_document_text(tmp_path):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'&'
    res = pipeline.Result()
    did = "a" * 16
    res.documents.append({"doc_id": did, "source_path": evil, "file_type": "text", "status": "failed",
                          "error": evil, "n_projects": 1})
    res.projects.append({"project_id": did + "-1", "doc_id": did, "project_seq": 1, "project_name": evil,
                         "department": evil, "form_title": evil, "funds_total_yuan": 1.0})
    res.goals.append({"project_id": did + "-1", "goal_seq": 1, "text": evil})
    res.indicators.append({"project_id": did + "-1", "ind_seq": 1, "level1": evil, "level2": evil, "label": evil,
                           "name": evil, "value_raw": evil, "unit": evil, "value_num": 1.0, "operator": "="})
    res.issues.append({"doc_id": did, "project_id": did + "-1", "severity": evil, "code": evil, "message": evil})
    pipeline.write_tables(res, tmp_path / "out")
    index = write_site(tmp_path / "out", tmp_path / "html")
    for f in (index, index.parent / f"doc-{did}.html"):
        text = f.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text and "onerror=alert(1)>" not in text
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text


# -- HTML: office files and web pages ------------------------------------------------

OFFICE = ROOT / "tests" / "fixtures" / "office"
XLSX = "fujian-ningde-fangzhi-zhengti-2019.xlsx"
DOCX = "hubei-huangshi-haimian-ziping-2022.docx"
WEB = "fujian-shengzhi-tailian-butie-2017.html"


class Dom(HTMLParser):
    """What a review page holds, as plain data: its grid tables ([[(tr attrs, [(td attrs, text)])]],
    <br> read as a line break), its record rows [(attrs, text)] and its free lines."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.grids: list[list] = []
        self.recs: list[tuple] = []
        self.free: list[str] = []
        self._grid = False
        self._td = self._rec = self._p = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "table":
            self._grid = "grid" in cls
            if self._grid:
                self.grids.append([])
        elif tag == "tr" and self._grid:
            self.grids[-1].append((a, []))
        elif tag == "td" and self._grid:
            self._td = [a, ""]
        elif tag == "br" and self._td is not None:
            self._td[1] += "\n"
        elif tag == "tr" and {"rec", "rec-nobox"} & set(cls):
            self._rec = [a, ""]
        elif tag == "p" and "free" in cls:
            self._p = ""

    def handle_endtag(self, tag):
        if tag == "td" and self._td is not None:
            self.grids[-1][-1][1].append(tuple(self._td))
            self._td = None
        elif tag == "table":
            self._grid = False
        elif tag == "tr" and self._rec is not None:
            self.recs.append(tuple(self._rec))
            self._rec = None
        elif tag == "p" and self._p is not None:
            self.free.append(self._p)
            self._p = None

    def handle_data(self, data):
        for part in (self._td, self._rec):
            if part is not None:
                part[1] += data
        if self._p is not None:
            self._p += data

    def cells(self) -> list[tuple[dict, str, dict]]:
        """Every grid cell: (td attrs, text, its tr's attrs)."""
        return [(a, t, tr) for g in self.grids for tr, row in g for a, t in row]


def fold(s: str) -> str:
    """A cell's text as the readers keep it: NFKC, lines stripped, empty lines dropped."""
    lines = (x.strip() for x in unicodedata.normalize("NFKC", s).split("\n"))
    return "\n".join(x for x in lines if x)


def squash(s) -> str:
    return "".join(str(s or "").split())


def spans(a: dict) -> tuple[int, int]:
    return int(a.get("rowspan", 1)), int(a.get("colspan", 1))


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    base = tmp_path_factory.mktemp("office")
    pipeline.run([str(OFFICE / n) for n in (XLSX, DOCX, WEB)], base / "out", ocr=False)
    index = write_site(base / "out", base / "html")
    t = pipeline.load(base / "out")
    ids = {Path(s).name: d for s, d in zip(t["documents"].source_path, t["documents"].doc_id)}
    return index, t, ids


def office_page(office, name: str) -> tuple[str, Dom, list[dict]]:
    index, t, ids = office
    text = (index.parent / f"doc-{ids[name]}.html").read_text(encoding="utf-8")
    inds = t["indicators"]
    inds = inds[inds.project_id.str.startswith(ids[name])]
    return text, Dom(text), inds.to_dict("records")


def test_office_pages_are_offline(office):
    index, _, ids = office
    for name in (XLSX, DOCX, WEB):
        text = (index.parent / f"doc-{ids[name]}.html").read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text), name
        assert "<img" not in text and "<link" not in text and text.count("<script>") == 1
    assert not list((index.parent / "img").iterdir())


def test_office_xlsx_table_is_the_sheet(office):
    text, dom, _ = office_page(office, XLSX)
    wb = openpyxl.load_workbook(OFFICE / XLSX)
    assert len(wb.sheetnames) == 1
    ws = wb.active
    assert len(dom.grids) == 1
    merges = {f"{ws.title}!{str(m).split(':')[0]}": m for m in ws.merged_cells.ranges}
    # the two title rows (merged over the width) stand as lines above the table
    assert dom.free[:2] == [fold(ws["A1"].value), fold(ws["A2"].value)]
    assert text.index('<p class="free">') < text.index('<table class="grid"')
    area = 0
    for a, cell_text, _ in dom.cells():
        sheet, coord = a["data-ref"].rsplit("!", 1)
        assert sheet == ws.title
        m = merges.get(a["data-ref"])
        want = (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1) if m else (1, 1)
        assert spans(a) == want, a["data-ref"]
        area += want[0] * want[1]
        v = ws[coord].value
        assert cell_text == (fold(str(v)) if v is not None else ""), a["data-ref"]
    # rows 3..18 of 5 columns, each position drawn exactly once; 10 merges inside the table
    assert area == (ws.max_row - 2) * ws.max_column == 80
    assert sum(r in merges for r in (a["data-ref"] for a, _, _ in dom.cells())) == 10
    assert sum("\n" in t for _, t, _ in dom.cells()) >= 4      # cells of several lines keep their breaks


def docx_rows(path: Path, k: int = 0) -> list[list[tuple[int, int, str]]]:
    """Table k of a Word file by python-docx: per row, the cells that start in it as
    (rowspan, colspan, text); a vertical merge spans the rows that continue it."""
    import docx
    from docx.table import _Cell

    doc = docx.Document(path)
    table = doc.tables[k]
    trs = table._tbl.tr_lst
    grid = []
    for tr in trs:
        col, row = tr.grid_before, []
        for tc in tr.tc_lst:
            row.append((col, tc))
            col += tc.grid_span
        grid.append(row)
    out = []
    for r, row in enumerate(grid):
        cells = []
        for col, tc in row:
            if tc.vMerge == "continue":
                continue
            rowspan = 1
            if tc.vMerge == "restart":
                for below in grid[r + 1:]:
                    if not any(c == col and t.vMerge == "continue" for c, t in below):
                        break
                    rowspan += 1
            text = "\n".join(p.text for p in _Cell(tc, table).paragraphs)
            cells.append((rowspan, tc.grid_span, fold(text)))
        out.append(cells)
    return out


@pytest.mark.parametrize("name", [DOCX, WEB])
def test_office_word_and_web_tables_keep_spans(office, name):
    text, dom, _ = office_page(office, name)
    want = docx_rows(OFFICE / (name if name.endswith(".docx") else name.replace(".html", ".docx")))
    assert len(dom.grids) == 1 and len(dom.grids[0]) == len(want)
    for r, ((tr, tds), cells) in enumerate(zip(dom.grids[0], want)):
        assert [(*spans(a), t) for a, t in tds] == cells, r
        assert all(a["data-ref"] == f"table 1 row {r + 1}" for a, _ in tds)
    assert any(rs > 1 for row in want for rs, _, _ in row) and any(cs > 1 for row in want for _, cs, _ in row)
    assert sum("\n" in t for _, t, _ in dom.cells()) == sum("\n" in c[2] for row in want for c in row)
    assert text.index('<p class="free">') < text.index('<table class="grid"')


@pytest.mark.parametrize("name", [XLSX, DOCX, WEB])
def test_office_records_point_at_their_rows(office, name):
    _, dom, inds = office_page(office, name)
    assert len(inds) >= 4 and len(dom.recs) == len(inds)
    by_id = {a["id"]: (a, tr) for a, _, tr in dom.cells() if "id" in a}
    row_text = {id(tr): squash("".join(t for _, t in row)) for g in dom.grids for tr, row in g}
    for ind in inds:
        a = next(a for a, _ in dom.recs if a.get("data-ref") == ind["cell_ref"])
        assert a["class"] == "rec"
        td, tr = by_id[a["data-box"]]
        assert td["data-ref"] == ind["cell_ref"] and "hit" in td["class"]
        assert squash(ind["name_raw"] or ind["name"]) in row_text[id(tr)], ind["cell_ref"]
        assert tr.get("data-box")          # a click on the row selects a record
    assert len({a["data-box"] for a, _ in dom.recs}) == len(inds)


def test_office_hostile_text_stays_text(tmp_path):
    from tests.fixtures.hostile_office import EVIL, EVIL_CELL, EVIL_SHEET, hostile_xlsx

    src = hostile_xlsx(tmp_path / "evil.xlsx")
    pipeline.run([str(src)], tmp_path / "out", ocr=False)
    index = write_site(tmp_path / "out", tmp_path / "html")
    page = next(index.parent.glob("doc-*.html"))
    text = page.read_text(encoding="utf-8")
    assert "<script>alert" not in text and "<img src=x" not in text and '<b onclick' not in text
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in text
    dom = Dom(text)
    cell = next((a, t) for a, t, _ in dom.cells() if a["data-ref"] == f"{EVIL_SHEET}!{EVIL_CELL}")
    assert cell[1] == EVIL
    assert dom.free[0] == EVIL + " 绩效评价指标表"
    rec = next(a for a, _ in dom.recs if a.get("data-ref") == f"{EVIL_SHEET}!{EVIL_CELL}")
    assert rec["data-box"] == cell[0]["id"]
    assert f"工作表 {html.escape(EVIL_SHEET)}" in text


def test_office_source_gone_changed_or_unreadable(office, tmp_path):
    index, t, ids = office
    out = index.parent.parent / "out"
    did = ids[XLSX]
    n = len(office_page(office, XLSX)[2])

    def page(sources, name):
        return (write_site(out, tmp_path / name, sources=sources).parent / f"doc-{did}.html").read_text("utf-8")

    gone = page({did: str(tmp_path / "gone.xlsx")}, "a")
    assert "找不到来源文件" in gone and '<table class="grid"' not in gone and gone.count('class="rec-nobox"') == n
    changed = tmp_path / "changed.xlsx"
    changed.write_bytes((OFFICE / XLSX).read_bytes() + b"\0")
    text = page({did: str(changed)}, "b")
    assert "SHA-256" in text and '<table class="grid"' not in text and text.count('class="rec-nobox"') == n
    # a copy of the same bytes elsewhere is used
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes((OFFICE / XLSX).read_bytes())
    assert page({did: str(copy)}, "c").count('class="rec" ') == n
    # a file that cannot be read (no hash recorded to tell it changed)
    res = pipeline.Result()
    res.documents.append({"doc_id": "c" * 16, "source_path": str(tmp_path / "bad.docx"), "file_type": "docx",
                          "status": "ok", "n_projects": 1})
    res.projects.append({"project_id": "c" * 16 + "-1", "doc_id": "c" * 16, "project_seq": 1, "project_name": "某项目"})
    res.indicators.append({"project_id": "c" * 16 + "-1", "ind_seq": 1, "level1": "产出指标", "name": "某指标",
                           "value_raw": "1个", "cell_ref": "table 1 row 3"})
    pipeline.write_tables(res, tmp_path / "out2")
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04" + b"\0" * 200)
    index2 = write_site(tmp_path / "out2", tmp_path / "d")
    text = (index2.parent / f"doc-{'c' * 16}.html").read_text("utf-8")
    assert "无法重新读取" in text and '<table class="grid"' not in text
    assert 'class="rec-nobox" data-ref="table 1 row 3"' in text and "某指标" in text


def test_office_cap_keeps_whole_rows_and_says_so(office, tmp_path, monkeypatch):
    import report.html as rh

    index, _, ids = office
    out = index.parent.parent / "out"
    _, full, inds = office_page(office, DOCX)
    n_cells = len(full.cells())
    monkeypatch.setattr(rh, "MAX_TABLE_CELLS", 45)
    text = (write_site(out, tmp_path / "cut").parent / f"doc-{ids[DOCX]}.html").read_text("utf-8")
    dom = Dom(text)
    m = re.search(r'class="muted cap" data-drawn="(\d+)" data-total="(\d+)"', text)
    assert m and int(m.group(2)) == n_cells + len(full.free)
    drawn = len(dom.cells()) + len(dom.free)
    assert int(m.group(1)) == drawn <= 45
    # whole rows only: the rows drawn are the first rows of the full table, cell for cell
    assert dom.grids[0] == full.grids[0][:len(dom.grids[0])]
    assert len(full.grids[0][len(dom.grids[0])][1]) + drawn > 45
    # records in rows not drawn are listed apart, the others still link
    drawn_refs = {a["data-ref"] for a, _, _ in dom.cells()}
    linked = [a for a, _ in dom.recs if a["class"] == "rec"]
    assert {a["data-ref"] for a in linked} == {i["cell_ref"] for i in inds} & drawn_refs
    assert len(linked) < len(inds) and "没有对应单元格的记录" in text


def test_office_big_sheet_is_bounded(tmp_path):
    from report.html import MAX_TABLE_CELLS

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 301):
        for c in range(1, 81):
            ws.cell(r, c, f"r{r}c{c}")
    wb.save(tmp_path / "big.xlsx")
    pipeline.run([str(tmp_path / "big.xlsx")], tmp_path / "out", ocr=False)
    index = write_site(tmp_path / "out", tmp_path / "html")
    text = next(index.parent.glob("doc-*.html")).read_text(encoding="utf-8")
    n_td = text.count("<td")
    assert n_td <= MAX_TABLE_CELLS and n_td % 80 == 0 and n_td >= MAX_TABLE_CELLS - 80
    assert f'data-total="{300 * 80}"' in text and f">r{n_td // 80}c80<" in text and f">r{n_td // 80 + 1}c1<" not in text
    assert len(text) < 2_000_000
