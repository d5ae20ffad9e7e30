"""The "city template" family of formgen: 项目类别 / 项目性质 / 立项依据 rows, a
项目预算成本构成 block and 绩效标准 | 当年预期实现值 indicator columns, none of
which may leak into the records."""
import pytest

import pipeline
from goldfacts import f1, run_projects
from tests.fixtures import formgen


@pytest.mark.parametrize("seed", (0, 1, 2))
def test_city_reads_back(tmp_path, seed):
    spec = formgen.random_spec(seed, "city")
    pdf = tmp_path / f"city-{seed}.pdf"
    formgen.render_pdf(spec, pdf)
    out = tmp_path / "out"
    pipeline.run([str(pdf)], out, ocr=False, quiet=True)
    score, missed, extra = f1(formgen.gold(spec)["projects"], run_projects(out, pdf.name))
    assert score >= 0.99, f"F1 {score:.4f}; missed {missed[:4]}; extra {extra[:4]}"
