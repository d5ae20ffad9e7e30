"""Fact-by-fact comparison of a run with gold files (the contract's yardstick, self-contained)."""
from __future__ import annotations

import collections
import datetime as dt
import json
import math
import re
import unicodedata
from pathlib import Path

import pandas as pd

HEADER = ["form_type", "form_title", "budget_year", "project_name", "department", "department_code",
          "implementing_unit", "project_attribute", "project_period",
          "funds_total_yuan", "funds_fiscal_yuan", "funds_other_yuan"]
YUAN = {"元": 1, "千元": 1e3, "万元": 1e4, "亿元": 1e8}


def canon(v):
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, (dt.date, pd.Timestamp)):
        return str(v)[:10]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return repr(round(float(v), 6))
    s = unicodedata.normalize("NFKC", str(v)).replace("≧", "≥").replace("≦", "≤")
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", s)
    return s or None


def _norm(ind):
    unit, num = canon(ind.get("unit")), ind.get("value_num")
    if "value_yuan" in ind:
        yuan = canon(ind["value_yuan"])
    elif unit in YUAN and canon(num) is not None:
        yuan = canon(float(num) * YUAN[unit])
    else:
        yuan = None
    return (canon(ind.get("operator")), canon(num), unit, canon(ind.get("deadline")), yuan)


def facts(projects, keys: list | None = None) -> collections.Counter:
    """The facts of a run or a gold file; `keys` names each project (default: its order)."""
    out = collections.Counter()
    for k, p in zip(keys if keys is not None else range(len(projects)), projects):
        for f in HEADER:
            v = canon(p.get(f))
            if v is not None:
                out[(k, "header", f, v)] += 1
        for g in p.get("goals", []):
            out[(k, "goal", canon(g))] += 1
        for ind in p.get("indicators", []):
            ident = (canon(ind.get("level1")), canon(ind.get("level2")), canon(ind.get("name")),
                     canon(ind.get("value_raw")))
            out[(k, "indicator") + ident] += 1
            out[(k, "normalised") + ident[2:] + _norm(ind)] += 1
    return out


def run_projects(out: Path, source_name: str) -> list[dict]:
    docs = pd.read_parquet(out / "documents")
    projects = pd.read_parquet(out / "projects")
    goals = pd.read_parquet(out / "goals")
    inds = pd.read_parquet(out / "indicators")
    doc = docs[docs.source_path.map(lambda s: Path(s).name) == source_name]
    assert len(doc) == 1, f"{source_name} not in documents"
    ps = projects[projects.doc_id == doc.doc_id.iloc[0]].sort_values("project_seq")
    res = []
    for p in ps.to_dict("records"):
        p["goals"] = list(goals[goals.project_id == p["project_id"]].sort_values("goal_seq")["text"])
        p["indicators"] = inds[inds.project_id == p["project_id"]].sort_values("ind_seq").to_dict("records")
        res.append(p)
    return res


def f1(gold_projects, got_projects) -> tuple[float, list, list]:
    want, got = facts(gold_projects), facts(got_projects)
    tp = sum((want & got).values())
    p = tp / sum(got.values()) if got else 0.0
    r = tp / sum(want.values()) if want else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f, list((want - got).elements()), list((got - want).elements())


def gold_of(path: Path) -> list[dict]:
    return json.loads(Path(str(path) + ".gold.json").read_text(encoding="utf-8"))["projects"]


# -- indicator identities (level1, level2, name, value_raw): what a table reader is judged on --------

def indicator_ident(ind: dict) -> tuple:
    return tuple(canon(ind.get(k)) for k in ("level1", "level2", "name", "value_raw"))


def gold_indicators(projects: list[dict]) -> list[tuple]:
    return [indicator_ident(i) for p in projects for i in p.get("indicators", [])]


def multiset_f1(want: list, got: list) -> float:
    w, g = collections.Counter(want), collections.Counter(got)
    tp = sum((w & g).values())
    return 2 * tp / (sum(w.values()) + sum(g.values())) if w or g else 1.0
