"""The form checks (check/): exact findings on the seed forms, no false errors on
the other samples, and each check on small hand-made records."""
from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

import check
import pipeline
from conftest import SAMPLES

SEED = ["shapotou-2025.txt", "shapotou-2025-excel.pdf", "shapotou-2025-word.pdf"]

# (project, code, words that must appear in the message)
SEED_EXPECTED = sorted([
    ("政府专项工作经费", "cost_sum_mismatch", ("42.3万元", "49.5万元")),
    ("政府专项工作经费", "duplicate_label", ("数量指标", "指标4", "4 次")),
    ("督查及政务公开工作经费", "cost_sum_mismatch", ("45万元", "63万元")),
    ("2025年年鉴编纂工作经费", "year_mismatch", ("2022", "2025")),
    ("2025年年鉴编纂工作经费", "duplicate_label", ("社会效益指标", "指标1", "2 次")),
])


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = {}
    for name in SEED + ["anhui-jinzhai-wuye-2021.pdf", "sichuan-jingyan-mata-2023.pdf"]:
        d = tmp_path_factory.mktemp("chk") / "out"
        pipeline.run([str(SAMPLES / name)], d, ocr=False)
        out[name] = pipeline.load(d)
    return out


def _findings(t):
    names = dict(zip(t["projects"]["project_id"], t["projects"]["project_name"]))
    return [(names.get(r.project_id), r.severity, r.code, r.message) for r in t["issues"].itertuples()]


@pytest.mark.parametrize("name", SEED)
def test_seed_exact_findings(runs, name):
    got = sorted(_findings(runs[name]), key=lambda f: (f[0], f[2], f[3]))
    assert [(p, c) for p, _, c, _ in got] == [(p, c) for p, c, _ in SEED_EXPECTED]
    for (p, sev, code, msg), (_, _, words) in zip(got, SEED_EXPECTED):
        for w in words:
            assert w in msg, (code, msg)
        assert sev == {"cost_sum_mismatch": "warning", "year_mismatch": "info", "duplicate_label": "info"}[code]
    assert not any(sev == "error" for _, sev, _, _ in got)


def test_seed_policy_years_are_not_mismatches(runs):
    # 《…2023年政务公开工作要点》 in a goal and the project name 2025年年鉴 are fine
    msgs = [m for _, _, c, m in _findings(runs["shapotou-2025.txt"]) if c == "year_mismatch"]
    assert len(msgs) == 1 and "2023" not in msgs[0]


@pytest.mark.parametrize("name", ["anhui-jinzhai-wuye-2021.pdf", "sichuan-jingyan-mata-2023.pdf"])
def test_other_samples_no_false_findings(runs, name):
    got = _findings(runs[name])
    assert not any(sev == "error" for _, sev, _, _ in got)
    codes = sorted(c for _, _, c, _ in got)
    if name.startswith("anhui"):
        # 质量指标 written as prose, and 时效 `2021年全年` (a period, no time limit); the
        # template's own 注 line is not unplaced text
        assert codes == ["quantity_not_numeric", "quantity_not_numeric"]
        assert any("2021年全年" in m and "期间" in m for *_, m in got)
    else:
        assert codes == []


# -- unit tests on hand-made records -----------------------------------------------

def proj(**kw):
    p = {"doc_id": "d", "project_id": "d-1", "budget_year": 2025, "funds_total_yuan": 100000.0,
         "funds_fiscal_yuan": 100000.0, "funds_other_yuan": None, "project_period": "1年"}
    p.update(kw)
    return p


def ind(**kw):
    i = {"level1": "产出指标", "level2": "数量指标", "label": "指标1", "name": "x", "value_raw": "1次",
         "operator": "=", "value_num": 1.0, "unit": "次", "value_yuan": None, "deadline": None,
         "value_kind": "numeric"}
    i.update(kw)
    return i


def form(**kw):
    f = SimpleNamespace(required_blocks=set(), template_rows={}, label_counts={}, unplaced=[])
    for k, v in kw.items():
        setattr(f, k, v)
    return f


def codes(p=None, goals=(), inds=(), f=None):
    return [r["code"] for r in check.check_project(p or proj(), list(goals), list(inds), f or form())]


def test_funds_sum_mismatch():
    rows = check.check_project(proj(funds_fiscal_yuan=80000.0, funds_other_yuan=10000.0), [], [], form())
    assert [r["code"] for r in rows] == ["funds_sum_mismatch"]
    assert rows[0]["severity"] == "error"
    assert "8万元" in rows[0]["message"] and "1万元" in rows[0]["message"] and "10万元" in rows[0]["message"]
    assert codes(proj(funds_fiscal_yuan=80000.0, funds_other_yuan=20000.0)) == []
    assert codes(proj(funds_fiscal_yuan=None)) == []          # nothing to add up
    assert codes(proj(funds_fiscal_yuan=100000.4)) == []      # rounding


def test_cost_sum_mismatch():
    c = [ind(level1="成本指标", level2="成本指标", value_yuan=35000.0, unit="万元"),
         ind(level1="成本指标", level2="经济成本指标", value_yuan=25000.0, unit="万元")]
    rows = check.check_project(proj(), [], c, form())
    assert [r["code"] for r in rows] == ["cost_sum_mismatch"]
    assert "6万元" in rows[0]["message"] and "10万元" in rows[0]["message"]
    c.append(ind(level1="成本指标", level2="成本指标", value_yuan=40000.0))
    assert codes(inds=c) == []
    # a rate (元/人) has no value_yuan and is not summed; a ceiling covering the total is fine
    assert codes(inds=[ind(level2="成本指标", unit="元/人", value_yuan=None)]) == []
    assert codes(inds=[ind(level2="成本指标", operator="<=", value_yuan=100000.0)]) == []
    assert codes(inds=[ind(level2="成本指标", operator="<=", value_yuan=90000.0)]) == ["cost_sum_mismatch"]


def test_required_block_empty():
    f = form(required_blocks={"质量指标", "可持续影响指标"}, template_rows={"经济效益指标": 2, "时效指标": 1})
    rows = check.check_project(proj(), [], [ind(level2="质量指标")], f)
    assert [(r["code"], r["severity"]) for r in rows] == [("required_block_empty", "warning")] * 2
    blocks = sorted(r["message"] for r in rows)
    assert any("「可持续影响指标」" in m and "必填" in m for m in blocks)
    assert any("「时效指标」" in m for m in blocks)
    assert not any("经济效益指标" in m for m in blocks)          # optional block, left empty


def test_quantity_not_numeric():
    q = ind(level2="质量指标", value_raw="显著提升", value_kind="qualitative", operator=None, value_num=None)
    assert codes(inds=[q]) == ["quantity_not_numeric"]
    t = ind(level2="时效指标", value_raw="2021年全年", value_kind="qualitative", operator=None, value_num=None)
    rows = check.check_project(proj(), [], [t], form())
    assert rows[0]["code"] == "quantity_not_numeric" and "期间" in rows[0]["message"]
    assert codes(inds=[ind(level2="社会效益指标", value_raw="有效提升", value_kind="qualitative")]) == []
    assert codes(inds=[ind(level2="时效指标", value_kind="date", deadline=datetime.date(2025, 12, 31))]) == []


def test_satisfaction_below_norm():
    s = dict(level1="满意度指标", level2="服务对象满意度指标", name="受益对象的满意度", unit="%", operator=">=")
    rows = check.check_project(proj(), [], [ind(value_num=85.0, **s)], form())
    assert [r["code"] for r in rows] == ["satisfaction_below_norm"] and "85%" in rows[0]["message"]
    assert codes(inds=[ind(value_num=90.0, **s)]) == []
    assert codes(inds=[ind(value_num=95.0, **s)]) == []
    up = dict(s, name="群众不满意率", operator="<=")
    assert codes(inds=[ind(value_num=5.0, **up)]) == []
    # a satisfaction target written in another block counts too
    assert codes(inds=[ind(level1="效益指标", level2="社会效益指标", name="群众满意度", unit="%",
                           operator=">=", value_num=80.0)]) == ["satisfaction_below_norm"]


def test_deadline_outside_year():
    d = lambda y: ind(level2="时效指标", value_kind="date", operator="<=", value_num=None, unit=None,  # noqa: E731
                      deadline=datetime.date(y, 12, 31))
    rows = check.check_project(proj(), [], [d(2024)], form())
    assert [r["code"] for r in rows] == ["deadline_outside_year"]
    assert "2024年12月31日" in rows[0]["message"] and "2025" in rows[0]["message"]
    assert codes(inds=[d(2025)]) == []
    assert codes(inds=[d(2026)]) == ["deadline_outside_year"]
    assert codes(proj(project_period="3年"), inds=[d(2026)]) == []   # multi-year project may end later
    assert codes(proj(budget_year=None), inds=[d(2024)]) == []


def test_year_mismatch_rule():
    g = lambda t: {"goal_seq": 1, "goal_no": 1, "text": t}  # noqa: E731
    # a policy document of an earlier year, cited in a goal: not a contradiction
    assert codes(goals=[g("根据《中卫市2023年政务公开工作要点》（宁政办发〔2023〕24号）安排")]) == []
    # the budget year and the previous year (yearbooks record last year) are fine
    assert codes(goals=[g("通过编撰2025年鉴，记录沙坡头区2024年经济发展，保存沙坡头区2024年发展")]) == []
    assert codes(inds=[ind(name="2025年年鉴编纂的次数")]) == []
    # what the project records, in a goal, two years back: worth a look
    rows = check.check_project(proj(), [g("记录沙坡头区2022年经济发展")], [], form())
    assert [(r["code"], r["severity"]) for r in rows] == [("year_mismatch", "info")]
    # an indicator name naming an old year
    rows = check.check_project(proj(), [], [ind(name="保存沙坡头区2022年发展")], form())
    assert [r["code"] for r in rows] == ["year_mismatch"] and "2022" in rows[0]["message"]
    # a policy title inside an indicator name is removed before looking
    assert codes(inds=[ind(name="落实《2021年工作方案》的次数")]) == []
    # one finding per year
    assert codes(inds=[ind(name="2020年数据"), ind(name="2020年资料")]) == ["year_mismatch"]


def test_duplicate_label():
    f = form(label_counts={("数量指标", "指标4"): 4, ("数量指标", "指标1"): 1})
    rows = check.check_project(proj(), [], [], f)
    assert [(r["code"], r["severity"]) for r in rows] == [("duplicate_label", "info")]
    assert "指标4" in rows[0]["message"] and "4 次" in rows[0]["message"]


def test_unplaced_text():
    f = form(unplaced=[("残留的一段文字", 2), ("注：1.“其他资金”是指单位自有资金。", 2),
                       ("2.各单位可根据项目特点自行增加或减少二级指标。", 2), ("", 1)])
    rows = check.check_project(proj(), [], [], f)
    assert [r["code"] for r in rows] == ["unplaced_text"]
    assert "第 2 页" in rows[0]["message"] and "残留的一段文字" in rows[0]["message"]


def test_issue_rows_have_the_contract_columns():
    rows = check.check_project(proj(funds_fiscal_yuan=1.0), [], [], form())
    assert set(rows[0]) == {"doc_id", "project_id", "severity", "code", "message"}
    assert rows[0]["message"].endswith("。")
