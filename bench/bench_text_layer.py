"""Text-layer PDFs: the full read+parse per page against PyMuPDF's bare word extraction.

    python bench/bench_text_layer.py [--docs 240] [--traits] [--repeat 3]

Builds a corpus in a temp folder (the sample text-layer PDFs plus forms drawn
by tests/fixtures/formgen.py), then times in this one process, on the same
files: (a) PyMuPDF `get_text("words")` alone, the floor, and the PyMuPDF calls the
default engine makes (rawdict characters + drawings) alone; (b) jxmb's reader and
form parser (`extract.reader.read_document` + `parse.form.parse_document` +
records); (c) pdfplumber's `extract_tables` alone on the first quarter of the
files. Prints ms/page, the ratios, and peak RSS. With --traits, also ms/page
for each producer trait of tests/fixtures/formgen.py (all but mixed_scan, whose
scanned pages bench_ocr.py covers) against the plain rendering of the same
specs. Rounds are interleaved and each figure is its fastest round.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pymupdf  # noqa: E402

from extract.reader import ReadOptions, read_document  # noqa: E402
from parse.records import indicator_records, project_record  # noqa: E402
from parse.form import parse_document  # noqa: E402
from tests.fixtures import formgen  # noqa: E402


def corpus(folder: Path, n: int, traits=(), samples: bool = True) -> list[Path]:
    files = [p for p in sorted((ROOT / "samples").glob("*.pdf")) if "scan" not in p.name] if samples else []
    folder.mkdir(exist_ok=True)
    seed = 0
    while len(files) < n:
        fam = formgen.FAMILIES[seed % len(formgen.FAMILIES)]
        path = folder / f"{fam}-{seed}{'-' + '-'.join(traits) if traits else ''}.pdf"
        formgen.render_pdf(formgen.random_spec(seed, fam), path, traits=traits)
        files.append(path)
        seed += 1
    return files


def words_floor(files) -> tuple[float, int]:
    pages = 0
    t = time.perf_counter()
    for f in files:
        with pymupdf.open(f) as d:
            for p in d:
                p.get_text("words")
                pages += 1
    return time.perf_counter() - t, pages


def extraction_floor(files) -> tuple[float, int]:
    """Only the PyMuPDF calls the default engine makes per page (characters with their
    boxes, vector drawings): what any reader of the grid pays before its own work."""
    flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
    pages = 0
    t = time.perf_counter()
    for f in files:
        with pymupdf.open(f) as d:
            for p in d:
                p.get_text("rawdict", flags=flags)
                p.get_cdrawings()
                pages += 1
    return time.perf_counter() - t, pages


def plumber_tables(files) -> tuple[float, int]:
    """pdfplumber's extract_tables alone: what a generic table extractor costs."""
    import pdfplumber

    pages = 0
    t = time.perf_counter()
    for f in files:
        with pdfplumber.open(f) as pdf:
            for p in pdf.pages:
                p.extract_tables()
                pages += 1
    return time.perf_counter() - t, pages


def full(files) -> tuple[float, int, int]:
    pages = inds = 0
    opts = ReadOptions(ocr=False)
    t = time.perf_counter()
    for f in files:
        doc = read_document(f.read_bytes(), opts)
        pages += len(doc.pages)
        for k, form in enumerate(parse_document(doc), 1):
            project_record(form, "x", k)
            inds += len(indicator_records(form, "x", ocr=False))
    return time.perf_counter() - t, pages, inds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=240)
    ap.add_argument("--traits", action="store_true")
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds, interleaved; each figure is its fastest round (a shared VM's "
                         "speed drifts between runs)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = corpus(Path(tmp), a.docs)
        full(files[:5])  # warm imports and caches
        some = files[: max(1, len(files) // 4)]
        tw = tf = tp = tfs = tx = float("inf")
        for _ in range(max(1, a.repeat)):
            w, pages = words_floor(files)
            x, _ = extraction_floor(files)
            f, pages2, inds = full(files)
            p, pp = plumber_tables(some)
            fs, pfs, _ = full(some)
            tw, tf, tp, tfs, tx = min(tw, w), min(tf, f), min(tp, p), min(tfs, fs), min(tx, x)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"corpus: {len(files)} PDFs, {pages} pages, {inds} indicators")
        print(f"pymupdf get_text('words') alone : {1000 * tw / pages:7.2f} ms/page")
        print(f"pymupdf chars + drawings alone   : {1000 * tx / pages:7.2f} ms/page "
              f"(the engine's own PyMuPDF calls)")
        print(f"jxmb read + parse + records      : {1000 * tf / pages2:7.2f} ms/page "
              f"({1000 * (tf - tx) / pages2:.2f} beyond those calls)")
        print(f"ratio full / words floor         : {tf / tw:7.1f}x")
        print(f"pdfplumber extract_tables alone  : {1000 * tp / pp:7.2f} ms/page "
              f"(first {len(some)} PDFs; jxmb on them {1000 * tfs / pfs:.2f} ms/page, "
              f"{(tp / pp) / (tfs / pfs):.1f}x faster)")
        print(f"peak RSS                         : {rss:7.0f} MB")
        if a.traits:
            n = min(60, a.docs)
            base = corpus(Path(tmp) / "plain", n, samples=False)
            # every producer trait of the generator but mixed_scan (OCR: bench_ocr.py)
            sets = {t: corpus(Path(tmp) / t, n, (t,), samples=False)
                    for t in formgen.TRAITS if t != "mixed_scan"}
            best = {}
            for _ in range(max(1, a.repeat)):   # plain and each trait, interleaved
                for name, fs in [("plain", base)] + list(sets.items()):
                    t, pg, _ = full(fs)
                    best[name] = min(best.get(name, float("inf")), t / pg)
            print(f"plain rendering ({n} forms)      : {1000 * best['plain']:7.2f} ms/page")
            for trait in sets:
                print(f"  {trait:14s}                 : {1000 * best[trait]:7.2f} ms/page "
                      f"({best[trait] / best['plain']:.2f}x plain)")


if __name__ == "__main__":
    main()
