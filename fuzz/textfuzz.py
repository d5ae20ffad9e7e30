"""Hypothesis-driven fuzzing of the text parser and the value normaliser.

* `text_dumps()` builds text dumps that look like forms (titles, header labels,
  indicator rows, goals, values, layout gaps, form feeds, odd white space and
  random Unicode), encoded in any encoding jxmb reads; each goes through
  `read_document` -> `parse_document` -> records -> checks (fuzz.target).
* `value_texts()` builds 指标值 cells for `normalize.values._parse_value` — the
  unguarded core: the public `parse_value` swallows every exception, so a crash
  there would be silently lost data; each result is checked against the
  contract (operator set, finite numbers, kinds).

`fuzz_for(seconds, ...)` runs either for a time budget, recording each distinct
escape with the shrunk input Hypothesis found.
"""
from __future__ import annotations

import datetime
import math
import time

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from fuzz.target import Findings, Outcome, run_bytes

OPS = ["≥", "≧", ">=", "≤", "≦", "<=", "＞", ">", "＜", "<", "=", "不低于", "不少于", "大于等于", "不高于",
       "不超过", "不多于", "小于等于", "约", "±", "-", "～", "~", "至", ""]
UNITS = ["%", "％", "万元", "元", "千元", "亿元", "次/月", "次", "个", "人", "人次", "天", "分钟", "小时", "年", "月",
         "㎡", "平方米", "公里", "km", "元/人", "万元/年", "台（套）", "‰", "倍", "分", ""]
SUFFIX = ["以上", "以内", "之内", "以下", "前", "底前", "之前", "左右", "（含）", "", "", ""]
WORDS = ["有效提升", "长期", "逐步改善", "达标", "合格", "是", "否", "显著", "明显提高", "100%完成", "按时", "≥",
         "年底前", "2025年12月底前", "2025年底前", "12月31日前", "第四季度", "全年", "——", "/", "无", "……"]
LABELS = ["项目名称", "主管部门", "实施单位", "项目属性", "项目期", "年度资金总额", "其中：财政拨款", "其他资金",
          "资金情况（万元）", "年度总体目标", "年度目标", "一级指标", "二级指标", "三级指标", "指标值", "指标内容",
          "产出指标", "效益指标", "满意度指标", "成本指标", "数量指标", "质量指标", "时效指标", "经济成本指标",
          "社会效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标", "（必填）", "权重", "分值",
          "实际完成值", "得分", "全年执行数", "长期目标", "绩效指标", "部门（单位）名称", "编码"]
TITLES = ["预算绩效目标表", "项目支出绩效目标表", "部门整体支出绩效目标表", "项目支出绩效自评表",
          "绩效目标申报表", "（2025年度）", "（2021年）", "附件2", "单位：万元"]
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "big5"]


def numbers():
    return st.one_of(
        st.integers(-10, 10 ** 6).map(str),
        st.floats(allow_nan=False, allow_infinity=False, width=32).map(lambda x: f"{x:g}"),
        st.sampled_from(["0", "00", "0.0", ".5", "5.", "1,000", "1，000.5", "1e9", "1e400", "9" * 30, "１２", "二",
                         "十二", "三百", "一百二十", "-0", "３．５", "1/2", "2025", "20251231", "2025.12.31",
                         "2025-12", "2025年12月", "2025年13月", "2025年2月30日", "0年0月", "99999年12月"]),
    )


def value_texts():
    structured = st.builds(lambda a, b, c, d, e: a + b + c + d + e,
                           st.sampled_from(OPS), numbers(), st.sampled_from(UNITS), st.sampled_from(SUFFIX),
                           st.sampled_from(["", "", " ", "\n", "，", "；以上", "或更高", "（"]))
    free = st.text(alphabet=st.sampled_from(list("0123456789.,，%％万元亿千年月日底前内以上下≥≤<>=＞＜~～-—/ \n"
                                                 "一二三十百零个次人天小时分钟倍（）()")), max_size=40)
    anything = st.text(max_size=30)
    return st.one_of(structured, structured.flatmap(lambda s: st.sampled_from(WORDS).map(lambda w: s + w)),
                     st.sampled_from(WORDS), free, anything)


def _row(parts: list[str], layout: bool) -> str:
    return ("   " if layout else " ").join(parts)


def text_dumps():
    line = st.one_of(
        st.sampled_from(TITLES).map(lambda t: "沙坡头区本级" + t if "表" in t else t),
        st.tuples(st.sampled_from(LABELS), st.text(max_size=12)).map(lambda p: " ".join(p)),
        st.tuples(st.sampled_from(LABELS), st.sampled_from(LABELS), st.sampled_from(LABELS),
                  st.sampled_from(LABELS)).map(list),
        st.tuples(st.sampled_from(["产出指标", "效益指标", "满意度指标", "成本指标", ""]),
                  st.sampled_from(["数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", ""]),
                  st.builds(lambda n, t: f"指标{n}：{t}", st.integers(0, 12), st.text(max_size=8)),
                  value_texts()).map(list),
        st.builds(lambda n, t: f"目标{n}：{t}", st.integers(0, 20), st.text(max_size=20)),
        st.sampled_from(["", "", "\f", "……", "★", "（≥**%）", "　"]),
        numbers(),
        st.text(max_size=40),
    )
    return st.tuples(st.lists(line, min_size=1, max_size=60), st.booleans(), st.sampled_from(["\n", "\r\n", "\r"]),
                     st.sampled_from(ENCODINGS)).map(_dump)


def _dump(args) -> bytes:
    lines, layout, nl, enc = args
    text = nl.join(_row(ln, layout) if isinstance(ln, list) else ln for ln in lines)
    return text.encode(enc, errors="replace" if enc not in ("utf-16", "utf-16-le", "utf-16-be", "utf-8",
                                                             "utf-8-sig") else "surrogatepass")


# -- invariants of a parsed value -----------------------------------------------------------------

def check_value(pv) -> None:
    assert pv.value_kind in ("numeric", "date", "qualitative"), pv
    assert pv.operator in (None, ">=", "<=", ">", "<", "="), pv
    for x in (pv.value_num, pv.value_yuan):
        assert x is None or (isinstance(x, float) and math.isfinite(x)), pv
    assert pv.deadline is None or isinstance(pv.deadline, datetime.date), pv
    if pv.value_kind == "qualitative":
        assert pv.operator is None and pv.value_num is None and pv.unit is None, pv
    if pv.value_kind == "date":
        assert pv.deadline is not None, pv
    assert pv.unit is None or isinstance(pv.unit, str), pv


# -- running for a time budget -------------------------------------------------------------------

_SETTINGS = dict(database=None, deadline=None, derandomize=False, print_blob=False,
                 suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink])


class _Escape(AssertionError):
    pass


def _run(test_body, strategy, seconds: float, findings: Findings, label: str, batch: int) -> int:
    execs = 0
    last: dict = {}

    @settings(max_examples=batch, **_SETTINGS)
    @given(strategy)
    def prop(x):
        nonlocal execs
        execs += 1
        o = test_body(x)
        if o is not None:
            last["o"], last["x"] = o, x
            raise _Escape(o.detail)

    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        try:
            prop()
        except _Escape:
            o, x = last["o"], last["x"]
            data = x if isinstance(x, bytes) else repr(x).encode("utf-8", "backslashreplace")
            findings.add(o, data, label)
        except Exception as e:  # noqa: BLE001 - a Hypothesis error (e.g. flaky) is a finding too
            findings.add(Outcome("escape", f"{type(e).__name__} in {label} harness: {e}"[:300]), b"", label)
    return execs


def text_body(data: bytes) -> Outcome | None:
    o = run_bytes(data, time_cap=10.0)
    return o if o.kind in ("escape", "hang") else None


def value_body(args) -> Outcome | None:
    import traceback

    from normalize.values import _parse_value
    raw, year, mu = args
    try:
        pv = _parse_value(raw, year, mu)
        check_value(pv)
    except Exception as e:  # noqa: BLE001
        where = traceback.extract_tb(e.__traceback__)[-1]
        return Outcome("escape", f"{type(e).__name__} at values.py:{where.lineno} ({where.name}) "
                                 f"in parse_value({raw!r}, {year!r}, {mu!r}): {e}"[:300], traceback.format_exc())
    return None


def value_args():
    return st.tuples(value_texts(), st.one_of(st.none(), st.integers(1900, 2100), st.integers(-10 ** 9, 10 ** 9)),
                     st.sampled_from([None, "万元", "元", "千元", "亿元", "（万元）", "单位：万元", "", "%"]))


def fuzz_text(seconds: float, findings: Findings) -> int:
    return _run(text_body, text_dumps(), seconds, findings, "text dump", batch=100)


def fuzz_values(seconds: float, findings: Findings) -> int:
    return _run(value_body, value_args(), seconds, findings, "parse_value", batch=500)
