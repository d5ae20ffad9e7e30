"""The pipeline on every sample document, fact by fact against its gold file."""
from pathlib import Path

import pytest

import pipeline
from conftest import SAMPLES
from goldfacts import f1, facts, gold_of, run_projects

# (sample, engine, minimum F1): the targets the issues set.
CASES = [
    ("shapotou-2025.txt", "pymupdf", 1.0),
    ("shapotou-2025-gbk.txt", "pymupdf", 1.0),
    ("shapotou-2025-layout.txt", "pymupdf", 0.99),
    ("shapotou-2025-excel.pdf", "pymupdf", 1.0),
    ("shapotou-2025-word.pdf", "pymupdf", 1.0),
    ("anhui-jinzhai-wuye-2021.pdf", "pymupdf", 0.99),
    ("sichuan-jingyan-mata-2023.pdf", "pymupdf", 0.99),
    # pdftotext -layout dumps of the sample PDFs (samples/*-layout.txt, gold copied from the PDF's)
    ("anhui-jinzhai-wuye-2021-layout.txt", "pymupdf", 1.0),
    ("shapotou-2025-word-layout.txt", "pymupdf", 1.0),
    ("sichuan-jingyan-mata-2023-layout.txt", "pymupdf", 1.0),
    # other dumps of the same PDFs: `pdftotext -raw` (content order, one space between
    # runs, '指标 1：' split by a font change) and PyMuPDF's get_text() (one cell per line)
    ("shapotou-2025-word-raw.txt", "pymupdf", 1.0),
    ("anhui-jinzhai-wuye-2021-raw.txt", "pymupdf", 0.92),
    ("shapotou-2025-word-cells.txt", "pymupdf", 1.0),
    ("shapotou-2025-excel.pdf", "pdfplumber", 1.0),
    ("shapotou-2025-word.pdf", "pdfplumber", 1.0),
    ("anhui-jinzhai-wuye-2021.pdf", "pdfplumber", 0.99),
    ("sichuan-jingyan-mata-2023.pdf", "pdfplumber", 0.99),
]


@pytest.mark.parametrize("name,engine,target", CASES, ids=[f"{n}-{e}" for n, e, _ in CASES])
def test_sample_matches_gold(tmp_path, name, engine, target):
    src = SAMPLES / name
    pipeline.run([str(src)], tmp_path / "out", engine=engine, ocr=False)
    score, missed, extra = f1(gold_of(src), run_projects(tmp_path / "out", name))
    assert score >= target, f"F1 {score:.4f} < {target}; missed {missed[:5]}; extra {extra[:5]}"


def test_gbk_and_utf8_dumps_read_the_same(tmp_path):
    pipeline.run([str(SAMPLES / "shapotou-2025.txt"), str(SAMPLES / "shapotou-2025-gbk.txt")],
                 tmp_path / "out", ocr=False)
    a = run_projects(tmp_path / "out", "shapotou-2025.txt")
    b = run_projects(tmp_path / "out", "shapotou-2025-gbk.txt")
    assert facts(a) == facts(b)
