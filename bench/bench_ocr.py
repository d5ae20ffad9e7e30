"""Seconds per page: read_scanned_page vs whole-page RapidOCR det+rec, same run.

    python bench/bench_ocr.py [PDF] [--pages N] [--repeat R]

Both use the same RapidOCR engine (loaded and warmed up before timing). The
whole-page baseline renders the page at the same dpi and runs detection +
recognition (no angle classifier) on the full image. Timings interleave the two
per page so load from other processes hits both alike. CPU seconds (all threads of
this process) are printed too: on a shared machine they vary less than wall time.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
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
    ours_cpu: list[float] = []
    whole_cpu: list[float] = []
    for _ in range(a.repeat):
        for i in pages:
            t, c = time.perf_counter(), time.process_time()
            read_scanned_page(doc[i], rec, dpi=a.dpi)
            ours.append(time.perf_counter() - t)
            ours_cpu.append(time.process_time() - c)
            t, c = time.perf_counter(), time.process_time()
            img = cv2.cvtColor(render_gray(doc[i], a.dpi), cv2.COLOR_GRAY2BGR)
            eng(img, use_cls=False)
            whole.append(time.perf_counter() - t)
            whole_cpu.append(time.process_time() - c)
            print(f"page {i + 1}: read_scanned_page {ours[-1]:.2f} s (cpu {ours_cpu[-1]:.2f})   "
                  f"whole-page det+rec {whole[-1]:.2f} s (cpu {whole_cpu[-1]:.2f})", flush=True)
    mo, mw = statistics.mean(ours), statistics.mean(whole)
    # each page's fastest round: a shared machine's load only ever adds time
    n = len(pages)
    fo = statistics.mean(min(ours[k::n]) for k in range(n))
    fw = statistics.mean(min(whole[k::n]) for k in range(n))
    print(f"\n{Path(a.pdf).name}: {len(ours)} page runs")
    print(f"read_scanned_page      {mo:.2f} s/page (median {statistics.median(ours):.2f}; "
          f"each page's fastest round {fo:.2f})")
    print(f"whole-page RapidOCR    {mw:.2f} s/page (median {statistics.median(whole):.2f}; "
          f"each page's fastest round {fw:.2f})")
    print(f"ratio ours/whole       {mo / mw:.2f}")
    co, cw = statistics.mean(ours_cpu), statistics.mean(whole_cpu)
    print(f"cpu s/page: ours {co:.2f}, whole page {cw:.2f}, ratio {co / cw:.2f}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus")


if __name__ == "__main__":
    main()
