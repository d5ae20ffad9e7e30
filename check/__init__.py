"""Checks on a parsed form -> rows of the `issues` table.

`check_project(p, goals, inds, form)` is called once per form with the project
record, its goal and indicator records (columns as in the README) and the
parsed `parse.model.RawForm`.  Every check is a small function of those
records returning ``(severity, code, message)`` triples, so each one can be
tested on hand-made records.  Messages are one Chinese sentence naming the
numbers involved.

Rules (codes are stable; severities as in the README):

* ``funds_sum_mismatch`` (error): 财政拨款 + 其他资金 (blank = 0) differs from
  年度资金总额 by more than one yuan.  Only when both total and 财政拨款 are given.
* ``cost_sum_mismatch`` (warning): the money values (``value_yuan``) of the
  成本指标 blocks add up to something other than 年度资金总额.  Rates such as
  ``元/人`` have no ``value_yuan`` and are not summed.  A single upper bound
  that covers the total (``≤1125万元`` against 1125万元) is consistent.
* ``required_block_empty`` (warning): a 二级指标 block that is marked （必填）,
  or that the template lays out with empty ``指标N：`` rows and that every
  performance-target template requires (数量/质量/时效/成本指标 and
  服务对象满意度指标), has no indicator.  Optional blocks left empty
  (经济效益指标（选填）) are fine.
* ``quantity_not_numeric`` (warning): a 数量/质量/时效/成本 indicator whose
  value has neither a number nor a date.  A 时效 value that only names a
  period (``2021年全年``, ``全年``) is reported too: every project runs in its
  budget year, so it sets no checkable time limit; the message says so.
* ``satisfaction_below_norm`` (warning): a satisfaction target (an indicator
  of 满意度指标, or named …满意…) with a lower bound or exact value in % below
  90.  Upper bounds (``不满意率≤5%``) are not satisfaction targets.
* ``deadline_outside_year`` (warning): a deadline before the budget year, or
  after it for a one-year project (a multi-year 项目期 may end later).
* ``year_mismatch`` (info): a year that contradicts the budget year B.
  Only two places are read, because goals routinely cite earlier policy
  documents (《…2023年政务公开工作要点》, 〔2023〕24号) and history:
  1. an indicator's name (三级指标), outside 《》 titles and 〔〕 document
     numbers, naming a year before B−1 (the previous year is the normal
     subject of yearbooks, accounts and reviews; ``2025年年鉴`` is B);
  2. a goal saying what the project records or preserves
     (保存/记录/编纂/编撰/反映/总结 … Y年), with Y before B−1.
  Each year is reported once per form.
* ``duplicate_label`` (info): the same ``指标N`` label on more than one filled
  row of one block.
* ``header_field_missing`` (warning, `missing_fields`, called by pipeline.py beside
  the document's status): a project form without a 项目名称, or any form without
  indicators: a part every form has was not found (the status is ``partial``).
* what the parser itself was unsure of (``RawForm.findings``): ``column_role_uncertain``
  (warning; error when no column could be taken for the names), ``budget_year_inferred``
  (info: no year in the title, the year the form's text names most).
* ``unplaced_text`` (info): text inside a form that no field took, except the
  template's own notes (``注：``, ``说明``, numbered fill-in instructions).
"""
from __future__ import annotations

import regex

MONEY_L2 = {"成本指标", "经济成本指标", "社会成本指标", "生态环境成本指标"}
NUMERIC_L2 = {"数量指标", "质量指标", "时效指标", "成本指标"}
# blocks every 预算绩效目标表 template asks for (财预〔2021〕101号: 产出、成本、满意度)
CORE_L2 = {"数量指标", "质量指标", "时效指标", "成本指标", "服务对象满意度指标"}
SATISFACTION_NORM = 90.0
YUAN_TOLERANCE = 1.0

_YEAR = regex.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年")
_QUOTED = regex.compile(r"《[^《》]*》|〔[^〔〕]*〕|［[^［］]*］|\[[^\[\]]*\]")
_RECORD = regex.compile(r"(?:保存|记录|编纂|编撰|反映|总结|记载)[^，。；,;！!？?]{0,12}?((?:19|20)\d{2})\s*年(?!度?(?:年鉴|鉴))")
_PERIOD = regex.compile(r"^(?:(?:19|20)\d{2}\s*年)?(?:度)?(?:全年|年内|全年度|当年|本年度?|年度内|整年)$")
_NOTE = regex.compile(
    r"^(?:注|备注|说明|填表说明|填报说明)\s*[:：]"
    r"|^\d{1,2}\s*[.、．]\s*.{0,40}(?:各单位|可根据|是指|填写|填报|应当|须|自行)"
)


def _wan(y: float) -> str:
    """Yuan as 万元, trimmed: 423000 -> '42.3万元'."""
    w = round(y / 1e4, 6)
    return f"{w:,.6f}".rstrip("0").rstrip(".") + "万元"


def _num(v):
    """A float, or None for None / NaN / pandas NA."""
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def _tag(i: dict) -> str:
    lab = i.get("label") or ""
    return f"{lab}「{i.get('name') or ''}」" if lab else f"「{i.get('name') or ''}」"


# -- one function per code ----------------------------------------------------------

def funds_sum(p: dict) -> list[tuple]:
    total, fiscal, other = _num(p.get("funds_total_yuan")), _num(p.get("funds_fiscal_yuan")), _num(p.get("funds_other_yuan"))
    if total is None or fiscal is None:
        return []
    s = fiscal + (other or 0.0)
    if abs(s - total) <= YUAN_TOLERANCE:
        return []
    return [("error", "funds_sum_mismatch",
             f"财政拨款 {_wan(fiscal)} 加其他资金 {_wan(other or 0.0)} 合计 {_wan(s)}，"
             f"与年度资金总额 {_wan(total)} 不符。")]


def cost_sum(p: dict, inds: list[dict]) -> list[tuple]:
    total = _num(p.get("funds_total_yuan"))
    costs = [i for i in inds if i.get("level2") in MONEY_L2 and _num(i.get("value_yuan")) is not None]
    if not costs or not total:
        return []
    c = sum(_num(i["value_yuan"]) for i in costs)
    if abs(c - total) <= YUAN_TOLERANCE:
        return []
    if len(costs) == 1 and costs[0].get("operator") in ("<=", "<") and c >= total:
        return []  # a ceiling that covers the total: 项目总成本 ≤1125万元
    return [("warning", "cost_sum_mismatch",
             f"成本指标的金额合计 {_wan(c)}（{len(costs)} 项），与年度资金总额 {_wan(total)} 不符，"
             f"相差 {_wan(abs(total - c))}。")]


def required_blocks(inds: list[dict], form) -> list[tuple]:
    present = {i.get("level2") for i in inds}
    marked = set(getattr(form, "required_blocks", None) or ())
    laid_out = {b for b, n in (getattr(form, "template_rows", None) or {}).items() if n and b in CORE_L2}
    out = []
    for block in sorted((marked | laid_out) - present, key=str):
        why = "标注为必填" if block in marked else "为模板必设的二级指标"
        out.append(("warning", "required_block_empty", f"二级指标「{block}」{why}，但没有填写任何三级指标。"))
    return out


def not_numeric(i: dict) -> list[tuple]:
    if i.get("level2") not in NUMERIC_L2 or i.get("value_kind") != "qualitative":
        return []
    raw = (i.get("value_raw") or "").strip()
    if i.get("level2") == "时效指标" and _PERIOD.match(regex.sub(r"\s+", "", raw)):
        msg = f"时效指标中{_tag(i)}的指标值「{raw}」只写了期间，没有可考核的完成时限或时长。"
    elif not raw:
        msg = f"{i['level2']}中{_tag(i)}没有填写指标值。"
    else:
        msg = f"{i['level2']}中{_tag(i)}的指标值「{raw[:40]}」没有数值或日期。"
    return [("warning", "quantity_not_numeric", msg)]


def satisfaction(i: dict) -> list[tuple]:
    name = i.get("name") or ""
    is_sat = i.get("level1") == "满意度指标" or i.get("level2") == "服务对象满意度指标" or "满意" in name
    if not is_sat or regex.search(r"不满意|投诉|差评", name):
        return []
    v = _num(i.get("value_num"))
    if i.get("unit") != "%" or v is None or i.get("operator") in ("<=", "<"):
        return []
    if v >= SATISFACTION_NORM:
        return []
    return [("warning", "satisfaction_below_norm",
             f"满意度指标{_tag(i)}的目标值 {v:g}% 低于 {SATISFACTION_NORM:g}% 的常规标准。")]


def _multi_year(period) -> bool:
    m = regex.search(r"(\d+)\s*年", str(period or ""))
    return bool(m and int(m.group(1)) > 1) or bool(regex.search(r"\d{4}\s*[-—–至~]\s*\d{4}", str(period or "")))


def deadline(i: dict, year, period=None) -> list[tuple]:
    d = i.get("deadline")
    if not year or d is None or d != d:
        return []
    try:
        dy = d.year
    except AttributeError:
        return []
    if dy == year or (dy > year and _multi_year(period)):
        return []
    return [("warning", "deadline_outside_year",
             f"{_tag(i)}的完成时限 {d:%Y年%m月%d日} 不在预算年度 {year} 年内。")]


def year_mismatch(goals: list[dict], inds: list[dict], year) -> list[tuple]:
    if not year:
        return []
    found: list[tuple[int, str, str]] = []
    for i in inds:
        name = _QUOTED.sub("", i.get("name") or "")
        for m in _YEAR.finditer(name):
            found.append((int(m.group(1)), "三级指标", i.get("name") or ""))
    for g in goals:
        text = _QUOTED.sub("", g.get("text") or "")
        for m in _RECORD.finditer(text):
            found.append((int(m.group(1)), f"目标{g.get('goal_no') or g.get('goal_seq') or ''}", g.get("text") or ""))
    out, seen = [], set()
    for y, where, text in found:
        if y >= year - 1 or y in seen:
            continue
        seen.add(y)
        t = text if len(text) <= 40 else text[:39] + "…"
        out.append(("info", "year_mismatch", f"{where}「{t}」写的是 {y} 年，而预算年度为 {year} 年。"))
    return out


def duplicate_labels(form) -> list[tuple]:
    counts = getattr(form, "label_counts", None) or {}
    out = []
    for (l2, label), n in sorted(counts.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        if n > 1:
            out.append(("info", "duplicate_label", f"{l2 or '同一二级指标'}中标号「{label}」出现了 {n} 次。"))
    return out


def unplaced(form) -> list[tuple]:
    out = []
    for text, page in getattr(form, "unplaced", None) or []:
        t = (text or "").strip()
        if not t or _NOTE.search(t):
            continue
        where = f"第 {page} 页" if page else "表内"
        short = t if len(t) <= 60 else t[:59] + "…"
        out.append(("info", "unplaced_text", f"{where}有 {len(t)} 个字符的文字未归入任何字段：「{short}」。"))
    return out


def missing_fields(p: dict, inds: list[dict]) -> list[tuple]:
    """A part every form has that was not found (pipeline.py makes the document `partial`)."""
    out = []
    if not p.get("project_name") and p.get("form_type") != "department_target":
        out.append(("warning", "header_field_missing", "项目名称未能读出"))
    if not inds:
        out.append(("warning", "header_field_missing", "未能读出任何绩效指标"))
    return out


def check_project(p: dict, goals: list[dict], inds: list[dict], form) -> list[dict]:
    found: list[tuple] = []
    found += funds_sum(p)
    found += cost_sum(p, inds)
    found += required_blocks(inds, form)
    year = p.get("budget_year")
    for i in inds:
        found += not_numeric(i)
        found += satisfaction(i)
        found += deadline(i, year, p.get("project_period"))
    found += year_mismatch(goals, inds, year)
    found += duplicate_labels(form)
    found += unplaced(form)
    found += list(getattr(form, "findings", ()))
    return [{"doc_id": p["doc_id"], "project_id": p["project_id"], "severity": sev, "code": code, "message": msg}
            for sev, code, msg in found]
