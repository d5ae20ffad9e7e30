"""Checks on a parsed form -> rows of the `issues` table."""
from __future__ import annotations

import regex

MONEY_L2 = {"成本指标", "经济成本指标", "社会成本指标", "生态环境成本指标"}
NUMERIC_L2 = {"数量指标", "质量指标", "时效指标", "成本指标"}


def _fmt(y: float) -> str:
    w = y / 1e4
    return f"{w:g}万元"


def check_project(p: dict, goals: list[dict], inds: list[dict], form) -> list[dict]:
    out = []

    def add(sev, code, msg):
        out.append({"doc_id": p["doc_id"], "project_id": p["project_id"], "severity": sev,
                    "code": code, "message": msg})

    total, fiscal, other = p["funds_total_yuan"], p["funds_fiscal_yuan"], p["funds_other_yuan"]
    if total is not None and fiscal is not None:
        s = fiscal + (other or 0.0)
        if abs(s - total) > 0.5:
            add("error", "funds_sum_mismatch",
                f"财政拨款 {_fmt(fiscal)} + 其他资金 {_fmt(other or 0.0)} ≠ 年度资金总额 {_fmt(total)}")
    costs = [i["value_yuan"] for i in inds if i["level2"] in MONEY_L2 and i["value_yuan"] is not None]
    if costs and total:
        c = sum(costs)
        if abs(c - total) > 0.5:
            add("warning", "cost_sum_mismatch",
                f"成本指标合计 {_fmt(c)}，与年度资金总额 {_fmt(total)} 不符")
    present = {i["level2"] for i in inds}
    for block in sorted(getattr(form, "required_blocks", set()) - present):
        add("warning", "required_block_empty", f"必填的二级指标「{block}」没有填写三级指标")
    year = p["budget_year"]
    for i in inds:
        tag = f"「{i['name']}」"
        if i["level2"] in NUMERIC_L2 and i["value_kind"] == "qualitative":
            add("warning", "quantity_not_numeric", f"{i['level2']}{tag}的指标值「{i['value_raw']}」没有数值或日期")
        if i["level1"] == "满意度指标" or i["level2"] == "服务对象满意度指标":
            if i["unit"] == "%" and i["value_num"] is not None and i["value_num"] < 90:
                add("warning", "satisfaction_below_norm", f"满意度指标{tag}目标 {i['value_num']:g}% 低于 90%")
        if year and i["deadline"] is not None and i["deadline"].year != year:
            add("warning", "deadline_outside_year", f"{tag}的完成时限 {i['deadline']} 不在预算年度 {year} 内")
    if year:
        texts = [g["text"] for g in goals] + [i["name"] for i in inds]
        seen = set()
        for t in texts:
            for m in regex.finditer(r"(?<!\d)(20\d{2})年(?!度)", t or ""):
                y = int(m.group(1))
                if y < year - 1 and y not in seen:
                    seen.add(y)
                    add("info", "year_mismatch", f"「{t[:40]}」提到 {y} 年，预算年度为 {year} 年")
    counts = getattr(form, "label_counts", {})
    for (l2, label), n in sorted(counts.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        if n > 1:
            add("info", "duplicate_label", f"{l2 or ''}中标号「{label}」出现 {n} 次")
    for text, page in getattr(form, "unplaced", []):
        if text:
            add("info", "unplaced_text", f"第 {page} 页未归入任何字段的文字：{text[:60]}")
    return out
