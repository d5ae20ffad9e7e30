"""The Excel workbook (report/xlsx.py) and the static HTML pages (report/html.py)."""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

import pipeline
from conftest import SAMPLES
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
