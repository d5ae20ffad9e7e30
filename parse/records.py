"""Parsed forms (raw strings) -> typed rows of the five tables, through normalize/."""
from __future__ import annotations

import regex

from normalize.text import clean_text
from normalize.values import parse_money, parse_value, strip_annotation
from parse.labels import split_code
from parse.model import RawForm

# Template residue left in names: (≥**%), （≤**万元）, ★ markers. In brackets one
# asterisk is enough: OCR reads (≥**%) as (>*%6) or (2*%), and a placeholder is the
# only thing a form puts an asterisk in brackets for.
_RESIDUE = regex.compile(r"[(（][^()（）]*\*[^()（）]*[)）]|[≥≤≧≦><]?\s*\*{2,}\s*\S{0,3}"
                         r"|[≥≤≧≦><》《]\s*\*\s*\S{0,3}$"   # OCR: ≥** read as 》* at the end
                         # a hint whose asterisks OCR lost or whose bracket it did not close: (>人), (≥*人次
                         r"|[(（]\s*[≥≤≧≦⩾⩽><]=?\s*\**\s*[^()（）\d]{0,6}[)）]?$")
# what kind of body a name is, in brackets after it: 乌海市供销合作社联合社（部门）
_KIND_NOTE = regex.compile(r"\s*[(（](?:部门|单位)[)）]$")
_DASH_NOTE = regex.compile(r"\s*(?:——|--|－－|—\s*—)")
_MARKERS = regex.compile(r"^[\s*★☆※]+|[\s*★☆※]+$")
_TRAIL = regex.compile(r"[。.;；,，、\s]+$")
_CHECKED = regex.compile(r"([^\s□☐■☑√✓✔☒]+?)\s*[☑√✓✔■☒]|[☑√✓✔■☒]\s*([^\s□☐■☑√✓✔☒]+)")


def clean_name(name_raw: str) -> str:
    m = _RESIDUE.search(name_raw)
    if m and _DASH_NOTE.match(name_raw, m.end()):
        name_raw = name_raw[:m.start()]   # …(≤**元/户·年)——一户年最高5300元: a note after the hint
    s = _RESIDUE.sub("", name_raw)
    s = _MARKERS.sub("", s)
    s = _TRAIL.sub("", s)
    # a closing bracket left alone at the end (OCR doubled the placeholder's: '（**场）)')
    while s and s[-1] in ")）" and not regex.search(r"[(（]", s):
        s = s[:-1].rstrip()
    return clean_text(s)


_ENUM = regex.compile(r"^(?:\d{1,2}|[一二三四五六七八九十])\s*[、.．)）]\s*")   # 1、持续性项目 ☑
_OPTION_MARKS = regex.compile(r"([^\s□☐■☑√✓✔☒]{2,})\s*([□☐■☑√✓✔☒])")


def _box_read_as_kou(s: str) -> str:
    """OCR reads an empty box □ as the character 口. Where a check mark is present and
    putting □ for every 口 makes the text exactly options of 2+ characters each
    followed by a mark, those 口 were boxes ('新增项目口延续项目√')."""
    if "口" not in s or regex.search(r"[□☐]", s) or not regex.search(r"[☑√✓✔■☒]", s):
        return s
    boxed = s.replace("口", "□")
    if _OPTION_MARKS.sub("", boxed).strip() == "" and len(_OPTION_MARKS.findall(boxed)) >= 2:
        return boxed
    return s


def checkbox_value(s: str | None) -> str | None:
    """'新增项目□ 延续项目√' -> '延续项目'; plain text unchanged."""
    if not s:
        return None
    s = _box_read_as_kou(s)
    if regex.search(r"[□☐☑√✓✔■☒]", s):
        m = _CHECKED.search(s)
        if m:
            return _ENUM.sub("", clean_text(m.group(1) or m.group(2))) or None
        return None
    return s


def _num(s: str | None) -> float | None:
    if not s:
        return None
    m = regex.search(r"-?\d+(?:\.\d+)?", s.replace(",", ""))
    return float(m.group()) if m else None


def project_record(form: RawForm, doc_id: str, seq: int) -> dict:
    f = form.fields
    unit = form.money_unit or ("元" if form.money_unit is None and _looks_yuan(f) else "万元")
    dept_raw = f.get("department")
    code = f.get("department_code")
    dept = dept_raw
    if dept_raw and code is None:
        code, dept = split_code(dept_raw)
    elif dept_raw:
        dept = split_code(dept_raw)[1]
    dept = _KIND_NOTE.sub("", dept or "") or None
    unit_name = f.get("implementing_unit")
    if form.form_type == "department_target" and not dept and unit_name:
        dept, unit_name = _KIND_NOTE.sub("", split_code(unit_name)[1]) or None, None   # 单位名称 of a 单位整体 form
    if unit_name:
        unit_name = _KIND_NOTE.sub("", split_code(unit_name)[1]) or None   # (433001)乌海市…: the unit's code
    return {
        "project_id": f"{doc_id}-{seq}",
        "doc_id": doc_id,
        "project_seq": seq,
        "page_start": min(form.pages) if form.pages else None,
        "page_end": max(form.pages) if form.pages else None,
        "form_type": form.form_type,
        "form_title": form.form_title,
        "budget_year": form.budget_year,
        "project_name": f.get("project_name") if form.form_type != "department_target" else None,
        "department": dept or None,
        "department_code": code,
        "implementing_unit": unit_name,
        "project_attribute": checkbox_value(f.get("project_attribute")),
        "project_period": f.get("project_period"),
        "funds_total_yuan": parse_money(f.get("funds_total"), unit),
        "funds_fiscal_yuan": parse_money(f.get("funds_fiscal"), unit),
        "funds_other_yuan": parse_money(f.get("funds_other"), unit),
        "funds_executed_yuan": parse_money(f.get("funds_executed"), unit),
    }


def _looks_yuan(fields: dict) -> bool:
    """Amounts written with thousands separators and cents are in 元."""
    v = fields.get("funds_total") or ""
    return bool(regex.search(r"\d,\d{3}|\.\d{2}$", v))


def goal_records(form: RawForm, project_id: str) -> list[dict]:
    return [{"project_id": project_id, "goal_seq": i + 1, "goal_no": g.no, "text": g.text, "page": g.page}
            for i, g in enumerate(form.goals)]


def indicator_records(form: RawForm, project_id: str, ocr: bool, paged: bool = True) -> list[dict]:
    """paged: the input has pages (PDF, text dump); office files and web pages have none."""
    out = []
    for i, ind in enumerate(form.indicators):
        value_raw = clean_text(ind.value_raw)
        pv = parse_value(value_raw, form.budget_year)
        bb = ind.bbox
        out.append({
            "project_id": project_id,
            "ind_seq": i + 1,
            "level1": ind.level1,
            "level2": ind.level2,
            "level2_raw": strip_annotation(ind.level2_raw) if ind.level2_raw else None,
            "label": ind.label,
            "name": clean_name(ind.name_raw),
            "name_raw": clean_text(ind.name_raw),
            "value_raw": value_raw,
            "operator": pv.operator,
            "value_num": pv.value_num,
            "unit": pv.unit,
            "value_yuan": pv.value_yuan,
            "deadline": pv.deadline,
            "value_kind": pv.value_kind,
            "actual_raw": clean_text(ind.actual_raw) if ind.actual_raw else None,
            "weight": _num(ind.weight_raw),
            "value_long_term_raw": clean_text(ind.value_long_term_raw) if ind.value_long_term_raw else None,
            "score": _num(ind.score_raw),
            "page": ind.page if paged else None,
            "bbox_x0": bb[0] if bb else None,
            "bbox_y0": bb[1] if bb else None,
            "bbox_x1": bb[2] if bb else None,
            "bbox_y1": bb[3] if bb else None,
            "ocr_confidence": ind.confidence if ocr else None,
            "cell_ref": ind.cell_ref,
        })
    return out
