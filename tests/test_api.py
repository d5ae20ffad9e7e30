"""pipeline.run / load / indicators_wide as a library: summary, dtypes, the wide table."""
from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pipeline
from conftest import SAMPLES
from normalize.schema import TABLES

INPUTS = [str(SAMPLES / "shapotou-2025.txt"), str(SAMPLES / "sichuan-jingyan-mata-2023.pdf")]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("api") / "out"
    summary = pipeline.run(INPUTS, out, ocr=False, quiet=True)
    return out, summary


def test_run_returns_a_summary(out):
    _, s = out
    assert s["documents"] == 2 and s["status"] == {"ok": 2}
    assert s["projects"] == s["new"]["projects"] > 0
    assert s["indicators"] == s["new"]["indicators"] > 0
    assert s["issues"] == sum(s["issues_by_severity"].values())
    assert s["skipped"] == 0 and s["elapsed_s"] > 0
    assert set(s["peak_rss_mb"]) == {"main", "worker"}


def test_load_gives_arrow_dtypes(out):
    t = pipeline.load(out[0])
    assert set(t) == {"documents", "projects", "goals", "indicators", "issues"}
    for name, schema in pipeline.OUT_TABLES.items():
        df = t[name]
        assert list(df.columns) == schema.names
        for f in schema:
            assert df[f.name].dtype == pd.ArrowDtype(f.type), (name, f.name)
    docs, inds, projects = t["documents"], t["indicators"], t["projects"]
    assert docs["doc_id"].dtype == pd.ArrowDtype(pa.string())          # Arrow-backed strings
    assert docs["pages"].dtype == pd.ArrowDtype(pa.int64())            # nullable ints
    assert inds["deadline"].dtype == pd.ArrowDtype(pa.date32())        # dates
    assert inds["value_num"].dtype == pd.ArrowDtype(pa.float64())
    assert inds["bbox_x0"].isna().any() and inds["bbox_x0"].notna().any()   # text dump + PDF
    assert inds["deadline"].notna().any()
    assert projects["budget_year"].notna().all()
    assert list(docs["source_path"]) == INPUTS
    assert (docs["sha256"].str.slice(0, 16) == docs["doc_id"]).all()


def test_indicators_wide_joins_the_project_header(out):
    t = pipeline.load(out[0])
    wide = pipeline.indicators_wide(out[0])
    assert list(wide.columns[:len(pipeline.WIDE_HEADER)]) == pipeline.WIDE_HEADER
    assert len(wide) == len(t["indicators"])
    assert list(wide["ind_seq"]) == list(t["indicators"]["ind_seq"])       # indicator order kept
    assert wide["project_name"].notna().all() and wide["source_path"].notna().all()
    first = t["projects"].iloc[0]
    rows = wide[wide["project_id"] == first["project_id"]]
    assert (rows["department"] == first["department"]).all()
    assert wide["budget_year"].dtype == pd.ArrowDtype(pa.int64())
    assert pipeline.indicators_wide(t).equals(wide)                        # tables or OUT


def test_load_reads_an_older_single_file_dataset(tmp_path):
    res = pipeline.process_file(SAMPLES / "shapotou-2025.txt", pipeline.Options(ocr=False))
    for name, schema in TABLES.items():                                    # no sha256 column
        rows = getattr(res, name)
        (tmp_path / name).mkdir()
        pq.write_table(pa.table({f.name: [r.get(f.name) for r in rows] for f in schema}, schema=schema),
                       tmp_path / name / "part-0.parquet")
    t = pipeline.load(tmp_path)
    assert t["documents"]["sha256"].isna().all()
    assert t["documents"]["sha256"].dtype == pd.ArrowDtype(pa.string())
    assert len(t["indicators"]) == len(res.indicators)


def test_empty_batch_writes_empty_typed_tables(tmp_path):
    (tmp_path / "in").mkdir()
    s = pipeline.run([str(tmp_path / "in")], tmp_path / "out", quiet=True)
    assert s["documents"] == 0
    t = pipeline.load(tmp_path / "out")
    assert all(len(df) == 0 for df in t.values())
    assert t["indicators"]["deadline"].dtype == pd.ArrowDtype(pa.date32())
    assert pd.read_parquet(tmp_path / "out" / "indicators").empty


def test_unknown_option_is_an_error(tmp_path):
    with pytest.raises(TypeError):
        pipeline.run(INPUTS, tmp_path / "out", job=2)
