"""Tests for normalize.values (SCHEMA.md "Normalisation rules", values)."""
import datetime
import glob
import json
import os

import pytest
from hypothesis import given, settings, strategies as st

from normalize.values import (
    MONEY_UNITS,
    ParsedValue,
    canonical_level1,
    canonical_level2,
    contradicts_name,
    parse_money,
    parse_value,
    strip_annotation,
)

D = datetime.date
Q = (None, None, None, None, None, "qualitative")

# (value_raw, budget_year, money_unit) ->
#     (operator, value_num, unit, value_yuan, deadline, value_kind)
CASES = [
    # --- every value in the gold files -----------------------------------
    ("8个", 2021, None, ("=", 8.0, "个", None, None, "numeric")),
    ("房屋设备、设施的管理到位,环境卫生整洁,车辆停放有序", 2021, None, Q),
    ("2021年全年", 2021, None, Q),
    ("≤1125万元", 2021, None, ("<=", 1125.0, "万元", 11_250_000.0, None, "numeric")),
    ("≥95%", 2021, None, (">=", 95.0, "%", None, None, "numeric")),
    ("显著改善", 2021, None, Q),
    ("显著提高", 2021, None, Q),
    ("持续保障", 2021, None, Q),
    ("≥90%", 2021, None, (">=", 90.0, "%", None, None, "numeric")),
    ("1次/年", 2025, None, ("=", 1.0, "次/年", None, None, "numeric")),
    ("≧1次/月", 2025, None, (">=", 1.0, "次/月", None, None, "numeric")),
    ("≧1次/天", 2025, None, (">=", 1.0, "次/天", None, None, "numeric")),
    ("≧1次", 2025, None, (">=", 1.0, "次", None, None, "numeric")),
    ("0", 2025, None, ("=", 0.0, None, None, None, "numeric")),
    ("100%", 2025, None, ("=", 100.0, "%", None, None, "numeric")),
    ("2025年12月前", 2025, None, ("<=", None, None, None, D(2025, 12, 31), "date")),
    ("3.5万元", 2025, None, ("=", 3.5, "万元", 35_000.0, None, "numeric")),
    ("25.8万元", 2025, None, ("=", 25.8, "万元", 258_000.0, None, "numeric")),
    ("10万元", 2025, None, ("=", 10.0, "万元", 100_000.0, None, "numeric")),
    ("3万元", 2025, None, ("=", 3.0, "万元", 30_000.0, None, "numeric")),
    ("有效提升", 2025, None, Q),
    ("长期", 2025, None, Q),
    ("≧95%", 2025, None, (">=", 95.0, "%", None, None, "numeric")),
    ("≧10次", 2025, None, (">=", 10.0, "次", None, None, "numeric")),
    ("≧3次", 2025, None, (">=", 3.0, "次", None, None, "numeric")),
    ("2025年12月底前", 2025, None, ("<=", None, None, None, D(2025, 12, 31), "date")),
    ("7天", 2025, None, ("=", 7.0, "天", None, None, "numeric")),
    ("5万元", 2025, None, ("=", 5.0, "万元", 50_000.0, None, "numeric")),
    ("20万元", 2025, None, ("=", 20.0, "万元", 200_000.0, None, "numeric")),
    ("有效促进", 2025, None, Q),
    ("打造阳光政务", 2025, None, Q),
    ("持续提升", 2025, None, Q),
    ("331条", 2025, None, ("=", 331.0, "条", None, None, "numeric")),
    ("28条", 2025, None, ("=", 28.0, "条", None, None, "numeric")),
    ("86台", 2025, None, ("=", 86.0, "台", None, None, "numeric")),
    ("2025年12月底之前", 2025, None, ("<=", None, None, None, D(2025, 12, 31), "date")),
    ("30分钟之内恢复正常", 2025, None, ("<=", 30.0, "分钟", None, None, "numeric")),
    ("143万元", 2025, None, ("=", 143.0, "万元", 1_430_000.0, None, "numeric")),
    ("37万元", 2025, None, ("=", 37.0, "万元", 370_000.0, None, "numeric")),
    ("50万元", 2025, None, ("=", 50.0, "万元", 500_000.0, None, "numeric")),
    ("有效保障", 2025, None, Q),
    ("15万元", 2025, None, ("=", 15.0, "万元", 150_000.0, None, "numeric")),
    ("提供科学依据", 2025, None, Q),
    ("提供翔实资料", 2025, None, Q),
    ("≥1年", 2023, None, (">=", 1.0, "年", None, None, "numeric")),
    ("≥1人/年", 2023, None, (">=", 1.0, "人/年", None, None, "numeric")),
    ("≥230个", 2023, None, (">=", 230.0, "个", None, None, "numeric")),
    ("=11个", 2023, None, ("=", 11.0, "个", None, None, "numeric")),
    # --- operators ---------------------------------------------------------
    ("≥85%", None, None, (">=", 85.0, "%", None, None, "numeric")),
    (">=85", None, None, (">=", 85.0, None, None, None, "numeric")),
    ("≤5%", None, None, ("<=", 5.0, "%", None, None, "numeric")),
    ("≦2小时", None, None, ("<=", 2.0, "小时", None, None, "numeric")),
    ("<=3天", None, None, ("<=", 3.0, "天", None, None, "numeric")),
    ("＞90%", None, None, (">", 90.0, "%", None, None, "numeric")),
    ("＜1%", None, None, ("<", 1.0, "%", None, None, "numeric")),
    ("> 80", None, None, (">", 80.0, None, None, None, "numeric")),
    ("＝100%", None, None, ("=", 100.0, "%", None, None, "numeric")),
    ("不低于90%", None, None, (">=", 90.0, "%", None, None, "numeric")),
    ("不少于3次", None, None, (">=", 3.0, "次", None, None, "numeric")),
    ("大于等于95%", None, None, (">=", 95.0, "%", None, None, "numeric")),
    ("不小于10个", None, None, (">=", 10.0, "个", None, None, "numeric")),
    ("至少2次", None, None, (">=", 2.0, "次", None, None, "numeric")),
    ("不高于5%", None, None, ("<=", 5.0, "%", None, None, "numeric")),
    ("不超过20万元", None, None, ("<=", 20.0, "万元", 200_000.0, None, "numeric")),
    ("不多于3人", None, None, ("<=", 3.0, "人", None, None, "numeric")),
    ("小于等于1%", None, None, ("<=", 1.0, "%", None, None, "numeric")),
    ("不大于2%", None, None, ("<=", 2.0, "%", None, None, "numeric")),
    ("大于80%", None, None, (">", 80.0, "%", None, None, "numeric")),
    ("超过100人", None, None, (">", 100.0, "人", None, None, "numeric")),
    ("高于90%", None, None, (">", 90.0, "%", None, None, "numeric")),
    ("小于5%", None, None, ("<", 5.0, "%", None, None, "numeric")),
    ("低于3%", None, None, ("<", 3.0, "%", None, None, "numeric")),
    ("少于2次", None, None, ("<", 2.0, "次", None, None, "numeric")),
    ("等于100%", None, None, ("=", 100.0, "%", None, None, "numeric")),
    ("95%以上", None, None, (">=", 95.0, "%", None, None, "numeric")),
    ("90%及以上", None, None, (">=", 90.0, "%", None, None, "numeric")),
    ("95%（含）以上", None, None, (">=", 95.0, "%", None, None, "numeric")),
    ("5%以下", None, None, ("<=", 5.0, "%", None, None, "numeric")),
    ("3天以内", None, None, ("<=", 3.0, "天", None, None, "numeric")),
    ("7天内完成", None, None, ("<=", 7.0, "天", None, None, "numeric")),
    ("满意度≥90%", None, None, (">=", 90.0, "%", None, None, "numeric")),
    ("控制在5%以内", None, None, ("<=", 5.0, "%", None, None, "numeric")),
    ("提升20%以上的效率", None, None, (">=", 20.0, "%", None, None, "numeric")),
    # --- numbers and units -------------------------------------------------
    ("1,200人", None, None, ("=", 1200.0, "人", None, None, "numeric")),
    ("0.5小时", None, None, ("=", 0.5, "小时", None, None, "numeric")),
    ("１００", None, None, ("=", 100.0, None, None, None, "numeric")),
    ("９５％", None, None, ("=", 95.0, "%", None, None, "numeric")),
    ("+5%", None, None, ("=", 5.0, "%", None, None, "numeric")),
    ("-2%", None, None, ("=", -2.0, "%", None, None, "numeric")),
    ("百分之95", None, None, ("=", 95.0, "%", None, None, "numeric")),
    ("百分之九十五", None, None, ("=", 95.0, "%", None, None, "numeric")),
    ("100百分比", None, None, ("=", 100.0, "%", None, None, "numeric")),
    ("2个百分点", None, None, ("=", 2.0, "个百分点", None, None, "numeric")),
    ("500元/人·月", None, None, ("=", 500.0, "元/人·月", None, None, "numeric")),
    ("2000人次", None, None, ("=", 2000.0, "人次", None, None, "numeric")),
    ("1.2万人次", None, None, ("=", 1.2, "万人次", None, None, "numeric")),
    ("10万/月", None, None, ("=", 10.0, "万/月", None, None, "numeric")),
    ("300平方米", None, None, ("=", 300.0, "平方米", None, None, "numeric")),
    ("12km", None, None, ("=", 12.0, "km", None, None, "numeric")),
    ("8 km", None, None, ("=", 8.0, "km", None, None, "numeric")),
    ("100Mbps", None, None, ("=", 100.0, "Mbps", None, None, "numeric")),
    ("50㎡", None, None, ("=", 50.0, "m2", None, None, "numeric")),
    ("100余人", None, None, ("=", 100.0, "人", None, None, "numeric")),
    ("8 个", None, None, ("=", 8.0, "个", None, None, "numeric")),
    ("3个月", None, None, ("=", 3.0, "个月", None, None, "numeric")),
    ("5个工作日", None, None, ("=", 5.0, "个工作日", None, None, "numeric")),
    ("8个乡镇", None, None, ("=", 8.0, "个", None, None, "numeric")),
    ("1-3天", None, None, ("=", 1.0, "天", None, None, "numeric")),
    ("90%-95%", None, None, ("=", 90.0, "%", None, None, "numeric")),
    ("95分以上", None, None, (">=", 95.0, "分", None, None, "numeric")),
    ("1年", None, None, ("=", 1.0, "年", None, None, "numeric")),
    ("2025", None, None, ("=", 2025.0, None, None, None, "numeric")),
    # --- money -------------------------------------------------------------
    ("3.5万", None, None, ("=", 3.5, "万", None, None, "numeric")),
    ("3.5万", None, "万元", ("=", 3.5, "万元", 35_000.0, None, "numeric")),
    ("1125", None, "万元", ("=", 1125.0, "万元", 11_250_000.0, None, "numeric")),
    ("1125", None, "（万元）", ("=", 1125.0, "万元", 11_250_000.0, None, "numeric")),
    ("8,827,620.53", None, "元", ("=", 8827620.53, "元", 8827620.53, None, "numeric")),
    ("3000元", None, "万元", ("=", 3000.0, "元", 3000.0, None, "numeric")),
    ("95%", None, "万元", ("=", 95.0, "%", None, None, "numeric")),
    ("2千元", None, None, ("=", 2.0, "千元", 2000.0, None, "numeric")),
    ("1.5亿元", None, None, ("=", 1.5, "亿元", 150_000_000.0, None, "numeric")),
    ("2000.5万元", None, None, ("=", 2000.5, "万元", 20_005_000.0, None, "numeric")),
    ("≤ 63 万元", None, None, ("<=", 63.0, "万元", 630_000.0, None, "numeric")),
    # --- dates -------------------------------------------------------------
    ("2025年12月31日前", None, None, ("<=", None, None, None, D(2025, 12, 31), "date")),
    ("2025年6月30日前", None, None, ("<=", None, None, None, D(2025, 6, 30), "date")),
    ("2025年底前", None, None, ("<=", None, None, None, D(2025, 12, 31), "date")),
    ("2025年年底前", None, None, ("<=", None, None, None, D(2025, 12, 31), "date")),
    ("2025年内", None, None, ("<=", None, None, None, D(2025, 12, 31), "date")),
    ("2024年2月底前", None, None, ("<=", None, None, None, D(2024, 2, 29), "date")),
    ("2025年11月前", None, None, ("<=", None, None, None, D(2025, 11, 30), "date")),
    ("12月底之前", 2025, None, ("<=", None, None, None, D(2025, 12, 31), "date")),
    ("12月底之前", None, None, Q),
    ("6月底前完成", 2023, None, ("<=", None, None, None, D(2023, 6, 30), "date")),
    ("年底前完成", 2024, None, ("<=", None, None, None, D(2024, 12, 31), "date")),
    ("次年3月底前", 2024, None, ("<=", None, None, None, D(2025, 3, 31), "date")),
    ("上半年完成", 2024, None, ("<=", None, None, None, D(2024, 6, 30), "date")),
    ("第三季度末前", 2024, None, ("<=", None, None, None, D(2024, 9, 30), "date")),
    ("2025-12-31前", None, None, ("<=", None, None, None, D(2025, 12, 31), "date")),
    # a bare date names a time, not a limit (real form: 开工时限 2021年7月 is qualitative in its gold)
    ("2025/6/30", None, None, Q),
    ("2025.12", None, None, Q),
    ("2025年12月", None, None, Q),
    ("2021年7月", None, None, Q),
    ("2025.12前", None, None, ("<=", None, None, None, D(2025, 12, 31), "date")),
    ("2025年12月底完成验收工作", 2025, None, ("<=", None, None, None, D(2025, 12, 31), "date")),
    ("2021年12月底完成物业服务全部工作", 2021, None, ("<=", None, None, None, D(2021, 12, 31), "date")),
    ("于2025年10月底前完成", None, None, ("<=", None, None, None, D(2025, 10, 31), "date")),
    ("≤2025年12月", None, None, ("<=", None, None, None, D(2025, 12, 31), "date")),
    ("2023.07-2024.01", None, None, Q),
    ("2023年1月-12月", None, None, Q),
    ("2023年1-12月", None, None, Q),
    ("2023年1月至2023年12月", None, None, Q),
    ("2021年", None, None, Q),
    ("2023年度", None, None, Q),
    ("截至2025年12月，培训≥100人次", None, None, (">=", 100.0, "人次", None, None, "numeric")),
    ("2025年2月30日前", None, None, Q),        # impossible day: no deadline
    # --- qualitative -------------------------------------------------------
    ("优", None, None, Q),
    ("是", None, None, Q),
    ("良好", None, None, Q),
    ("按时完成", None, None, Q),
    ("每月一次", None, None, Q),               # Chinese numerals are not read
    ("按GB50300标准执行", None, None, Q),       # incidental number, no unit
    ("", None, None, Q),
    ("   ", None, None, Q),
    (None, None, None, Q),
    ("……", None, None, Q),
]


@pytest.mark.parametrize("raw, year, money_unit, expected", CASES)
def test_parse_value_table(raw, year, money_unit, expected):
    got = parse_value(raw, year, money_unit)
    assert isinstance(got, ParsedValue)
    op, num, unit, yuan, deadline, kind = expected
    assert got.operator == op
    assert got.unit == unit
    assert got.deadline == deadline
    assert got.value_kind == kind
    if num is None:
        assert got.value_num is None
    else:
        assert got.value_num == pytest.approx(num)
    if yuan is None:
        assert got.value_yuan is None
    else:
        assert got.value_yuan == pytest.approx(yuan)


def test_cases_cover_every_gold_value():
    here = os.path.dirname(__file__)
    gold_dirs = [os.path.join(here, "..", "samples"),
                 os.path.join(here, "..", "..", "shared", "samples")]
    table = {c[0] for c in CASES}
    seen = 0
    for d in gold_dirs:
        for path in glob.glob(os.path.join(d, "*.gold.json")):
            with open(path, encoding="utf-8") as fh:
                gold = json.load(fh)
            for p in gold.get("projects", []):
                for ind in p.get("indicators", []):
                    seen += 1
                    key = (ind["value_raw"], p.get("budget_year"))
                    if key[0] not in table:
                        pytest.fail(f"gold value {key!r} from {path} missing from CASES")
                    got = parse_value(ind["value_raw"], p.get("budget_year"))
                    assert got.operator == ind["operator"], key
                    assert got.unit == ind["unit"], key
                    want_num = ind["value_num"]
                    assert (got.value_num is None) == (want_num is None), key
                    if want_num is not None:
                        assert got.value_num == pytest.approx(want_num), key
                    want_dl = ind.get("deadline")
                    assert (str(got.deadline) if got.deadline else None) == want_dl, key
    assert seen > 0, "no gold files found in samples/"


def test_parse_value_does_not_mutate_and_accepts_odd_types():
    raw = "≥ 95 %"
    parse_value(raw)
    assert raw == "≥ 95 %"
    assert parse_value(95).value_num == 95.0          # type: ignore[arg-type]
    assert parse_value("95%", "2025").value_num == 95.0  # type: ignore[arg-type]
    assert parse_value("x" * 1_000_000).value_kind == "qualitative"
    assert parse_value("1" * 100_000).value_kind in ("numeric", "qualitative")


# --- parse_money ------------------------------------------------------------

@pytest.mark.parametrize("raw, default_unit, expected", [
    ("49.5万元", None, 495_000.0),
    ("49.5 万元", None, 495_000.0),
    ("1125", "万元", 11_250_000.0),
    ("1125", "（万元）", 11_250_000.0),
    ("8,827,620.53", "元", 8_827_620.53),
    ("3,309,840.00", None, 3_309_840.0),
    ("63 万元", None, 630_000.0),
    ("63万", None, 630_000.0),
    ("１２万元", None, 120_000.0),
    ("2.5亿元", None, 250_000_000.0),
    ("5千元", None, 5_000.0),
    ("300元", "万元", 300.0),
    ("（万元）49.5", None, 495_000.0),
    ("0", "万元", 0.0),
    ("", "万元", None),
    ("   ", None, None),
    (None, "万元", None),
    ("—", "万元", None),
    ("无", None, None),
])
def test_parse_money(raw, default_unit, expected):
    got = parse_money(raw, default_unit)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)


# --- labels -------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("产出指标", "产出指标"), ("产出", "产出指标"), ("效益指标", "效益指标"), ("效益", "效益指标"),
    ("满意度指标", "满意度指标"), ("满意度", "满意度指标"), ("满意度指 标", "满意度指标"),
    ("满意度\n指标", "满意度指标"), ("成本指标", "成本指标"), ("成本", "成本指标"),
    ("产出指标（必填）", "产出指标"), ("★效益指标", "效益指标"),
    ("数量指标", None), ("绩效指标", None), ("", None), (None, None), ("指标1：完成率", None),
])
def test_canonical_level1(raw, expected):
    assert canonical_level1(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("数量指标", "数量指标"), ("数量", "数量指标"), ("数量指标（必填硬性指标）", "数量指标"),
    ("数量指标\n（必填硬性\n指标）", "数量指标"), ("质量指标(必填)", "质量指标"),
    ("时效", "时效指标"), ("时效指标（必填）", "时效指标"), ("*成本指标", "成本指标"),
    ("经济成本指标", "经济成本指标"), ("社会成本指标", "社会成本指标"),
    ("生态环境成本指标", "生态环境成本指标"), ("经济效益指标", "经济效益指标"),
    ("社会效益指标（选填）", "社会效益指标"), ("生态效益指标", "生态效益指标"),
    ("环境效益指标", "生态效益指标"), ("可持续影响", "可持续影响指标"),
    ("可持续影响指标", "可持续影响指标"), ("服务对象满意度指标", "服务对象满意度指标"),
    ("社会公众或服务对象满意度指标", "服务对象满意度指标"), ("服务对象满意度", "服务对象满意度指标"),
    ("满意度指标", "服务对象满意度指标"), ("满意度指 标", "服务对象满意度指标"),
    ("产出指标", None), ("效益指标", None), ("指标1：受益对象的满意度", None), ("", None), (None, None),
])
def test_canonical_level2(raw, expected):
    assert canonical_level2(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("数量指标（必填硬性指标）", "数量指标"),
    ("数量指标（必填）", "数量指标"),
    ("质量指标（选填）", "质量指标"),
    ("时效指标(必填)", "时效指标"),
    ("*成本指标", "成本指标"),
    ("★社会效益指标", "社会效益指标"),
    ("数量指标\n（必填硬性\n指标）", "数量指标"),
    ("数量指标（必填硬性", "数量指标"),
    ("可持续影响指标", "可持续影响指标"),
    ("", ""),
    (None, ""),
])
def test_strip_annotation(raw, expected):
    assert strip_annotation(raw) == expected


# --- properties ----------------------------------------------------------------

_value_alphabet = st.sampled_from(list(
    "0123456789.,-+/年月日底前之内以上下≥≤≧≦<>=＞＜%％万元亿千个次天小时分钟人·度全至到~ "
    "上半第三季末完成率不低于超过约余百之九十\n１２（）()含优是") + ["2025", "2023.", "次年"])
_values = st.one_of(st.text(max_size=60), st.lists(_value_alphabet, max_size=20).map("".join))
_years = st.one_of(st.none(), st.integers(min_value=-10, max_value=10_000))
_money_units = st.sampled_from([None, "万元", "元", "（万元）", "千元", "亿元", "美元", ""])


@settings(max_examples=1500, deadline=None)
@given(_values, _years, _money_units)
def test_parse_value_properties(raw, year, money_unit):
    a = parse_value(raw, year, money_unit)
    b = parse_value(raw, year, money_unit)
    assert a == b                                                   # deterministic
    assert a.value_kind in ("numeric", "date", "qualitative")
    assert (a.value_kind == "numeric") == (a.value_num is not None)
    assert (a.value_kind == "date") == (a.deadline is not None)
    assert a.operator in (None, ">=", "<=", ">", "<", "=")
    if a.value_kind == "qualitative":
        assert a.operator is None and a.unit is None and a.value_yuan is None
    else:
        assert a.operator is not None
    if a.value_yuan is not None:
        assert a.unit in MONEY_UNITS
        assert a.value_yuan == pytest.approx(a.value_num * MONEY_UNITS[a.unit])
    if a.value_kind == "date":
        assert a.value_num is None and a.unit is None


@settings(max_examples=500, deadline=None)
@given(st.text(), _money_units)
def test_never_raises_on_any_text(raw, unit):
    parse_value(raw, 2025, unit)
    parse_value(raw)
    m = parse_money(raw, unit)
    assert m is None or isinstance(m, float)
    assert canonical_level1(raw) in (None, "产出指标", "效益指标", "满意度指标", "成本指标")
    l2 = canonical_level2(raw)
    assert l2 is None or l2.endswith("指标")
    assert isinstance(strip_annotation(raw), str)


@pytest.mark.parametrize("name,value,contradicts", [
    ("项目合格率", "2019年", True),           # a rate given as a year
    ("种植作物成活率", "12万元", True),
    ("养殖家畜家禽成活率", "90人", True),
    ("数据上报及时率", "2023年底前", True),
    ("设施设备使用年限", "≤3%", True),      # a service life given as a share
    ("服务对象满意度", "≥90%", False),
    ("服务对象满意度", "95", False),         # no unit: its unit may stand in a column of its own
    ("覆盖率", "全覆盖", False),             # qualitative
    ("完成率(≥**%)", "100%", False),        # the template's hint is no part of the name's measure
    ("设施使用年限", "3年", False),
    ("培训人数", "≥100人", False),           # a name that says nothing of its unit
    ("满意度", "≥90分", False),              # a satisfaction in points
    ("巡查频率", "每周2次", False),           # 频率, 功率, 效率 are no shares
    ("设备功率", "100千瓦", False),
    ("项目验收合格率", "2025年底前达到100%", False),
    ("其中鱼塘养殖面积", "192只", True),      # an area counted in head
    ("受益人口数量", "12万元", True),          # people counted in yuan
    ("农户收入(总收入)", "90人", False),       # a money word at the end counts nothing for sure:
    ("带动农户增收", "≥200人", False),         # households whose income rose, land subsidised
    ("补贴资金", "10万亩", False), ("人员经费", "12人", False),
    ("人均增收", "500元", False),             # no dimension word at its end: nothing to contradict
    ("受益人口人均收入", "≥1200元", False),    # the last word is what it measures
    ("补助家畜家禽养殖数量", "192只", False),
    ("绿化面积", "3万平方米", False),
])
def test_contradicts_name(name, value, contradicts):
    """A value whose unit contradicts what its name measures (parse/textflow.py leaves such a row
    out of a rebuilt table rather than give it its neighbour's value)."""
    assert contradicts_name(name, value) is contradicts


def test_money_spaces_join_thousands_groups_only():
    """'3 309 840.00' is one amount split by thousands; '5 5 100% 20' (a raw dump's funds row:
    budget, executed, rate, score) are cells, the first of which is the amount."""
    assert parse_money("3 309 840.00") == 3309840.0
    assert parse_money("5 5 100% 20", "万元") == 50000.0
    assert parse_money("12 5", "万元") == 120000.0
