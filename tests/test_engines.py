"""PyMuPDF and pdfplumber, two independent readers, must see the same tables."""
import pymupdf
import pytest

from conftest import SAMPLES
from extract import pdf_mupdf, pdf_plumber
from extract.model import Grid, Line

PDFS = sorted(p.name for p in SAMPLES.glob("*.pdf") if "scan" not in p.name)


def _shape(doc):
    out = []
    for page in doc.pages:
        for b in page.blocks:
            if isinstance(b, Grid):
                out.append(("grid", page.number, b.n_rows, b.n_cols,
                            tuple((c.row, c.col, c.rowspan, c.colspan, "".join(c.text.split()),
                                   tuple(round(v) for v in c.bbox)) for c in sorted(b.cells, key=lambda c: (c.row, c.col)))))
            elif isinstance(b, Line):
                out.append(("line", page.number, "".join("".join(f.text.split()) for f in b.frags)))
    return out


@pytest.mark.parametrize("name", PDFS)
def test_engines_agree(name):
    data = (SAMPLES / name).read_bytes()
    a = _shape(pdf_mupdf.read_pdf(pymupdf.open(stream=data, filetype="pdf")))
    b = _shape(pdf_plumber.read_pdf(data))
    assert any(x[0] == "grid" for x in a), "no table found"
    assert a == b
