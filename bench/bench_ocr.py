"""Seconds per page: read_scanned_page vs whole-page RapidOCR det+rec, same run.

    python bench/bench_ocr.py [PDF] [--pages N] [--repeat R]

Both use the same RapidOCR engine (loaded and warmed up before timing). The
whole-page baseline renders the page at the same dpi and runs detection +
recognition (no angle classifier) on the full image. Timings interleave the two
per page so load from other processes hits both alike.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pymupdf  # noqa: E402

from extract.ocr import RapidRecognizer, read_scanned_page, render_gray  # noqa: E402

DEFAULT_PDF = Path(__file__).resolve().parent.parent / "samples" / "shapotou-2025-scan.pdf"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf", nargs="?", default=str(DEFAULT_PDF))
    ap.add_argument("--pages", type=int, default=0, help="first N pages (0 = all)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--dpi", type=int, default=200)
    a = ap.parse_args(argv)

    doc = pymupdf.open(a.pdf)
    pages = list(range(len(doc)))[: a.pages or None]
    rec = RapidRecognizer()
    eng = rec.engine
    # warm-up: first inference of each model is slow
    read_scanned_page(doc[pages[0]], rec, dpi=a.dpi)
    eng(render_gray(doc[pages[0]], a.dpi), use_cls=False)

    ours: list[float] = []
    whole: list[float] = []
    for _ in range(a.repeat):
        for i in pages:
            t = time.perf_counter()
            read_scanned_page(doc[i], rec, dpi=a.dpi)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            import cv2
            img = cv2.cvtColor(render_gray(doc[i], a.dpi), cv2.COLOR_GRAY2BGR)
            eng(img, use_cls=False)
            whole.append(time.perf_counter() - t)
            print(f"page {i + 1}: read_scanned_page {ours[-1]:.2f} s   whole-page det+rec {whole[-1]:.2f} s",
                  flush=True)
    mo, mw = statistics.mean(ours), statistics.mean(whole)
    print(f"\n{Path(a.pdf).name}: {len(ours)} page runs")
    print(f"read_scanned_page      {mo:.2f} s/page (median {statistics.median(ours):.2f})")
    print(f"whole-page RapidOCR    {mw:.2f} s/page (median {statistics.median(whole):.2f})")
    print(f"ratio ours/whole       {mo / mw:.2f}")


if __name__ == "__main__":
    main()
