"""Accuracy on every sample and real development document: F1 per document, per
template family and per input variant, worst first, with P/R per fact kind.

    python bench/accuracy.py                      # ../shared/samples and ../shared/samples/real
    python bench/accuracy.py --no-scans           # leave the OCR'd scans out (a minute less)
    python bench/accuracy.py --only real --show 3 # the facts missed / extra of the 3 worst documents
    python bench/accuracy.py --generated 0-2      # also formgen families, seeds 0-2, as PDF and dumps
    python bench/accuracy.py --only real --generated 0-2 --gen-kinds pdftotext,pdftotext:raw,pdftotext:layout

Facts are counted as ../shared/eval/score.py counts them (header fields, goals,
indicators, their normalisation; projects paired by name, then by order).
"""
from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pipeline  # noqa: E402
from tests.goldfacts import canon, facts, run_projects  # noqa: E402

# the variant a file name ends with -> its kind of input
VARIANTS = [("-pipe_rows-web.txt", "web pipe rows"), ("-pipe_cells-web.txt", "web pipe cells"),
            ("-glued-web.txt", "web glued"), ("-spaced-web.txt", "web spaced"), ("-fgraw.txt", "formgen-raw"), ("-fglayout.txt", "formgen-layout"), ("-scan.pdf", "scan"), ("-excel.pdf", "pdf"), ("-word.pdf", "pdf"), (".pdf", "pdf"),
            ("-dump.txt", "dump"), ("-raw.txt", "raw"), ("-layout.txt", "layout"), ("-gbk.txt", "gbk"),
            ("-web.txt", "web"), ("-word-cells.txt", "cells"), ("-word-layout.txt", "layout"),
            ("-word-raw.txt", "raw"), (".txt", "text"), (".xlsx", "xlsx"), (".xls", "xls"),
            (".docx", "docx"), (".doc", "doc"), (".html", "html"), (".htm", "html")]


def variant(name: str) -> tuple[str, str]:
    """(family, variant) of a sample file name."""
    for suffix, kind in VARIANTS:
        if name.endswith(suffix):
            return name[: -len(suffix)], kind
    return name, "other"


def pair(gold: list[dict], got: list[dict]) -> list:
    """Keys for the run's projects: the gold project of the same name, else by order."""
    keys: list = [None] * len(got)
    taken = set()
    for pi, p in enumerate(got):
        for gi, g in enumerate(gold):
            if gi not in taken and canon(p.get("project_name")) == canon(g.get("project_name")):
                keys[pi] = gi
                taken.add(gi)
                break
    free = [gi for gi in range(len(gold)) if gi not in taken]
    for pi in range(len(got)):
        if keys[pi] is None:
            keys[pi] = free.pop(0) if free else f"extra{pi}"
    return keys


def prf(tp: int, want: int, got: int) -> tuple[float, float, float]:
    p = tp / got if got else (1.0 if not want else 0.0)
    r = tp / want if want else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold: list[dict], got: list[dict]):
    want = facts(gold, list(range(len(gold))))
    have = facts(got, pair(gold, got))
    return want, have


def collect(args) -> list[tuple[Path, list[dict], str]]:
    """(input file, gold projects, group) for every document asked for."""
    items = []
    shared = Path(args.shared)
    if args.only in (None, "samples"):
        for gf in sorted((shared / "samples").glob("*.gold.json")):
            items.append((gf.with_name(gf.name[: -len(".gold.json")]), None, "sample"))
    if args.only in (None, "real"):
        for gf in sorted((shared / "samples" / "real").glob("*.gold.json")):
            items.append((gf.with_name(gf.name[: -len(".gold.json")]), None, "real"))
    items = [(p, g, grp) for p, g, grp in items if p.exists()
             and not (args.no_scans and p.name.endswith("-scan.pdf"))]
    return [(p, json.loads(Path(str(p) + ".gold.json").read_text(encoding="utf-8"))["projects"], grp)
            for p, _, grp in items]


def generated(seeds: list[int], kinds: list[str], tmp: Path, variations: bool = False
              ) -> list[tuple[Path, list[dict], str]]:
    from tests.fixtures import formgen
    out = []
    draws = [(fam, None) for fam in formgen.FAMILIES]
    if variations:      # the template variations formgen draws within the families (other templates)
        draws = [(fam, var) for var, fams in formgen.VARIATION_FAMILIES.items() for fam in fams]
    for fam, var in draws:
        for seed in seeds:
            spec = formgen.random_spec(seed, fam, var, **formgen.VARIATION_GEN.get(var, {})) if var \
                else formgen.random_spec(seed, fam)
            gold = formgen.gold(spec)["projects"]
            base = tmp / (f"gen-{var}.{fam}-{seed}" if var else f"gen-{fam}-{seed}")
            pdf = base.with_name(base.name + ".pdf")
            if any(k == "pdf" or k.startswith("pdftotext") for k in kinds):
                formgen.render_pdf(spec, pdf)
            if "pdf" in kinds:
                out.append((pdf, gold, "generated"))
            for kind in kinds:        # copies of the form from a web page (formgen.render_web)
                if kind.startswith("web:"):
                    style = kind.partition(":")[2]
                    txt = base.with_name(f"{base.name}-{style}-web.txt")
                    txt.write_text(formgen.render_web(spec, style), encoding="utf-8")
                    out.append((txt, gold, "generated"))
            # the PDF through poppler's pdftotext: -dump (its default mode), -raw, -layout
            for kind in kinds:
                if kind.startswith("pdftotext"):
                    opt = kind.partition(":")[2]
                    txt = base.with_name(f"{base.name}-{opt or 'dump'}.txt")
                    subprocess.run(["pdftotext"] + ([f"-{opt}"] if opt else []) + [str(pdf), str(txt)], check=True)
                    out.append((txt, gold, "generated"))
            for style in ("raw", "layout"):
                if style in kinds:
                    p = base.with_name(f"{base.name}-fg{style}.txt")   # formgen's own text renderings
                    p.write_text(formgen.render_text(spec, style), encoding="utf-8")
                    out.append((p, gold, "generated"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared folder (samples, real set)")
    ap.add_argument("--only", choices=("samples", "real"), help="one set only")
    ap.add_argument("--no-scans", action="store_true", help="leave out *-scan.pdf (OCR)")
    ap.add_argument("--generated", default="", help="formgen seeds, e.g. 0-2 (all families)")
    ap.add_argument("--gen-kinds", default="pdf,raw,layout", help="renderings of the generated forms")
    ap.add_argument("--variations", action="store_true",
                    help="draw formgen's template variations (two_row_header, valtype_column …) instead of the families")
    ap.add_argument("--match", default="", help="only documents whose name contains this")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--show", type=int, default=0, help="missed/extra facts of the N worst documents")
    ap.add_argument("--json", help="also write the per-document rows to this file")
    a = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="jxmb-acc-"))
    items = collect(a)
    if a.generated:
        lo, _, hi = a.generated.partition("-")
        items += generated(list(range(int(lo), int(hi or lo) + 1)), a.gen_kinds.split(","), tmp, a.variations)
    if a.match:
        items = [it for it in items if a.match in it[0].name]
    t0 = time.monotonic()
    out = tmp / "out"
    pipeline.run([str(p) for p, _, _ in items], out, jobs=a.jobs, quiet=True, force=True)
    elapsed = time.monotonic() - t0
    import pandas as pd
    docs = pd.read_parquet(out / "documents")
    status = {Path(s).name: (st, err) for s, st, err in zip(docs.source_path, docs.status, docs.error)}

    rows, kinds = [], collections.defaultdict(lambda: [0, 0, 0])
    for path, gold, group in items:
        got = run_projects(out, path.name) if path.name in status else []
        want, have = score(gold, got)
        tp = sum((want & have).values())
        for fact, n in want.items():
            kinds[fact[1]][0] += min(n, have[fact])
            kinds[fact[1]][1] += n
        for fact, n in have.items():
            kinds[fact[1]][2] += n
        p, r, f = prf(tp, sum(want.values()), sum(have.values()))
        fam, var = variant(path.name)
        rows.append({"document": path.name, "group": group, "family": fam, "variant": var,
                     "status": status.get(path.name, ("missing", None))[0], "facts": sum(want.values()),
                     "precision": p, "recall": r, "f1": f,
                     "missed": sorted(map(str, (want - have).elements())),
                     "extra": sorted(map(str, (have - want).elements()))})
    rows.sort(key=lambda r: (r["f1"], r["document"]))

    print(f"{'document':58} {'group':9} {'status':8} {'facts':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for r in rows:
        print(f"{r['document'][:58]:58} {r['group']:9} {r['status']:8} {r['facts']:5d} "
              f"{r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}")

    def table(title: str, key) -> None:
        groups = collections.defaultdict(list)
        for r in rows:
            groups[key(r)].append(r["f1"])
        print(f"\n{title:40} {'docs':>4} {'mean F1':>8} {'lowest':>7}")
        for k, v in sorted(groups.items(), key=lambda kv: sum(kv[1]) / len(kv[1])):
            print(f"{k:40} {len(v):4d} {sum(v) / len(v):8.3f} {min(v):7.3f}")

    table("by template family (real set)", lambda r: r["family"] if r["group"] == "real" else f"[{r['group']}]")
    table("by variant", lambda r: f"{r['group']}: {r['variant']}")
    if a.variations:
        table("by template variation and variant",
              lambda r: f"{r['document'][4:].partition('.')[0]}: {r['variant']}" if r["group"] == "generated" else "-")
    pdf_scan = [r["f1"] for r in rows if r["group"] == "real" and r["variant"] in ("pdf", "scan")]
    if pdf_scan:
        print(f"\nreal text-layer PDFs and scans together: mean F1 {sum(pdf_scan) / len(pdf_scan):.3f}, "
              f"lowest {min(pdf_scan):.3f} ({len(pdf_scan)} documents)")
    print("\nby fact kind:")
    for k, v in sorted(kinds.items()):
        p, r, f = prf(*v)
        print(f"  {k:12} P={p:.3f} R={r:.3f} F1={f:.3f}  ({v[1]} facts)")
    tp = sum(v[0] for v in kinds.values())
    p, r, f = prf(tp, sum(v[1] for v in kinds.values()), sum(v[2] for v in kinds.values()))
    print(f"overall: {len(rows)} documents, P={p:.4f} R={r:.4f} F1={f:.4f}  ({elapsed:.0f} s)")
    for r in rows[: a.show]:
        if r["f1"] == 1.0:
            break
        print(f"\n== {r['document']} F1={r['f1']:.3f} {r['status']}")
        for m in r["missed"]:
            print("  -", m)
        for m in r["extra"]:
            print("  +", m)
    if a.json:
        Path(a.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
