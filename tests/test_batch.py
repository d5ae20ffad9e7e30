"""The batch runner: limits per document, determinism, resume, kills, Dask."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import pipeline
from batch.dataset import DatasetError, part_files
from conftest import ROOT, SAMPLES

TEXT = (SAMPLES / "shapotou-2025.txt").read_bytes()
PDF = (SAMPLES / "sichuan-jingyan-mata-2023.pdf").read_bytes()


@pytest.fixture(autouse=True, scope="module")
def _same_code():
    """Other work may edit the readers while this runs; resuming must not see a new version."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JXMB_CODE_FINGERPRINT", "test")
        yield


def make_corpus(folder: Path, n_text: int, n_pdf: int = 0, start: int = 0, extra=()) -> Path:
    """n_text text dumps and n_pdf PDFs with distinct bytes (so distinct doc_ids)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n_text):
        (folder / f"doc-{i:03d}.txt").write_bytes(TEXT + b"\n" * (i + 1))
    for i in range(start, start + n_pdf):
        (folder / f"pdf-{i:03d}.pdf").write_bytes(PDF + b"%%jxmb-test " + str(i).encode() + b"\n")
    for name in extra:
        (folder / name).write_bytes(TEXT + name.encode())
    return folder


def files_of(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _patch_worker():
    """Initializer run in every worker: documents named *hang*, *hog*, *crash* misbehave."""
    import pipeline as pl

    real = pl.process_file

    def patched(path, opts, shown=None):
        if "hang" in path.name:
            time.sleep(3600)
        if "hog" in path.name:
            hog = [b"x" * (64 << 20) for _ in range(64)]  # 4 GB, touched
            del hog
        if "crash" in path.name:
            os.kill(os.getpid(), signal.SIGSEGV)
        return real(path, opts, shown)

    pl.process_file = patched


def test_limits_fail_one_document_and_the_batch_goes_on(tmp_path):
    src = make_corpus(tmp_path / "in", 3, extra=["a-hang.txt", "b-hog.txt", "c-crash.txt"])
    s = pipeline.run([str(src)], tmp_path / "out", jobs=2, timeout=3, max_memory=400, chunk_size=2,
                     quiet=True, initializer=(_patch_worker, ()))
    docs = pipeline.load(tmp_path / "out")["documents"]
    by_name = {Path(p).name: (st, err) for p, st, err in zip(docs.source_path, docs.status, docs.error)}
    assert by_name["a-hang.txt"] == ("failed", "timeout: took longer than 3 s")
    assert by_name["b-hog.txt"] == ("failed", "memory: exceeded 400 MB")
    assert by_name["c-crash.txt"][0] == "failed"
    assert by_name["c-crash.txt"][1].startswith("crashed: the worker process died (signal SIGSEGV)")
    assert all(by_name[f"doc-{i:03d}.txt"][0] == "ok" for i in range(3))
    assert list(docs.source_path) == sorted(docs.source_path)      # input order, not finishing order
    assert docs.doc_id.str.len().eq(16).all() and docs.sha256.str.len().eq(64).all()
    assert s["new"]["status"] == {"ok": 3, "failed": 3}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_corpus(tmp_path_factory.mktemp("corpus"), 9, n_pdf=3)


@pytest.fixture(scope="module")
def local_out(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "out"
    pipeline.run([str(corpus)], out, jobs=2, chunk_size=4, quiet=True)
    return out


def test_jobs_1_and_2_write_identical_files(corpus, local_out, tmp_path):
    pipeline.run([str(corpus)], tmp_path / "one", jobs=1, chunk_size=4, quiet=True)
    a, b = files_of(local_out), files_of(tmp_path / "one")
    assert a == b
    assert [k for k in a if k.startswith("documents/")] == [
        "documents/part-00000.parquet", "documents/part-00001.parquet", "documents/part-00002.parquet"]
    assert len(pipeline.load(local_out)["documents"]) == 12


def test_dask_local_cluster_writes_the_same_bytes(corpus, local_out, tmp_path):
    import dask.distributed as distributed  # the [dask] extra, installed with [test]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        s = pipeline.run([str(corpus)], tmp_path / "dask", executor="dask", scheduler=client,
                         chunk_size=4, quiet=True)
    assert s["new"]["documents"] == 12
    assert files_of(tmp_path / "dask") == files_of(local_out)


def test_resume_appends_only_new_documents(tmp_path):
    src = make_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    s1 = pipeline.run([str(src)], out, jobs=2, quiet=True)
    first = files_of(out)
    make_corpus(src, 2, start=3)                          # two new documents
    s2 = pipeline.run([str(src)], out, jobs=2, quiet=True)
    assert (s1["new"]["documents"], s2["new"]["documents"], s2["skipped"]) == (3, 2, 3)
    after = files_of(out)
    for k, v in first.items():                            # the old part files are untouched
        if k.endswith(".parquet"):
            assert after[k] == v
    assert "documents/part-00001.parquet" in after
    docs = pipeline.load(out)["documents"]
    assert [Path(p).name for p in docs.source_path] == [f"doc-{i:03d}.txt" for i in range(5)]
    assert s2["documents"] == 5 and s2["dataset"]["status"] == {"ok": 5}
    s3 = pipeline.run([str(src)], out, resume=True, quiet=True)   # nothing new: nothing rewritten
    assert s3["new"]["documents"] == 0 and files_of(out) == after
    s4 = pipeline.run([str(src)], out, force=True, quiet=True)    # everything again, one chunk
    assert s4["new"]["documents"] == 5 and s4["skipped"] == 0
    assert [k for k in files_of(out) if k.startswith("documents/")] == ["documents/part-00000.parquet"]
    with pytest.raises(DatasetError):                             # other settings: no silent mix
        pipeline.run([str(src)], out, resume=True, engine="pdfplumber", quiet=True)


def _cli(args, **kw):
    return subprocess.Popen([sys.executable, str(ROOT / "pipeline.py"), *map(str, args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def _workers_of(pid: int) -> list[int]:
    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmd = (d / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"batch.worker" in cmd and str(pid).encode() in cmd:
                found.append(int(d.name))
    return found


def _wait_for(cond, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return False


def test_sigkill_midway_leaves_the_dataset_and_the_next_run_resumes(tmp_path):
    out = tmp_path / "out"
    pipeline.run([str(make_corpus(tmp_path / "old", 2, start=90))], out, quiet=True)
    before = files_of(out)
    src = make_corpus(tmp_path / "in", 16)
    # 1. killed before any commit: OUT is exactly what it was, and readable
    p = _cli([src, "-o", out, "--jobs", "2", "--chunk-size", "2", "--checkpoint", "9999"])
    staged = lambda: list(tmp_path.glob(".out.tmp-*/documents/part-00001.parquet"))  # noqa: E731  a new chunk
    assert _wait_for(staged), p.communicate()
    workers = _workers_of(p.pid)
    os.kill(p.pid, signal.SIGKILL)
    p.communicate()
    assert files_of(out) == before
    assert len(pipeline.load(out)["documents"]) == 2
    assert workers and _wait_for(lambda: not _workers_of(p.pid), 10)   # the workers died with it
    # 2. killed after some commits (--checkpoint 0: after every chunk): OUT holds whole chunks
    p = _cli([src, "-o", out, "--jobs", "2", "--chunk-size", "2", "--checkpoint", "0"])
    assert _wait_for(lambda: len(part_files(out / "documents")) >= 3), p.communicate()
    os.kill(p.pid, signal.SIGKILL)
    p.communicate()
    committed = len(pipeline.load(out)["documents"])
    assert 2 + 4 <= committed < 2 + 16 and committed % 2 == 0
    # 3. the next run cleans up what the kills left, skips what is done and finishes
    p = _cli([src, "-o", out, "--jobs", "2", "--chunk-size", "2"])
    stdout, stderr = p.communicate(timeout=120)
    assert p.returncode == 0, stderr
    assert f"{committed - 2} already in OUT" in stderr.decode()
    assert not list(tmp_path.glob(".out.*-*"))
    t = pipeline.load(out)
    assert list(t["documents"].source_path) == (
        [str(tmp_path / "old" / f"doc-{i:03d}.txt") for i in (90, 91)]
        + [str(src / f"doc-{i:03d}.txt") for i in range(16)])
    assert set(t["projects"].doc_id) == set(t["documents"].doc_id)
    assert t["documents"].doc_id.is_unique


def test_cli_usage_errors(tmp_path):
    p = _cli([SAMPLES / "shapotou-2025.txt", "-o", tmp_path / "o", "--jobs", "0"])
    assert p.wait(60) == 2
    p = _cli([SAMPLES / "shapotou-2025.txt", "-o", tmp_path / "o", "--resume", "--force"])
    assert p.wait(60) == 2
