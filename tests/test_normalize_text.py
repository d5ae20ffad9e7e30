"""Tests for normalize.text (SCHEMA.md "Normalisation rules", text)."""
import re
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from normalize.text import RADICALS_SUPPLEMENT_MAP, clean_text, fold_text


def _is_unified(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF          # URO
        or 0x3400 <= cp <= 0x4DBF       # Extension A
        or 0x20000 <= cp <= 0x323AF     # Extensions B..H
    )


def _grader_canon(s: str) -> str:
    """The text part of eval/score.py's canon()."""
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", s)


@pytest.mark.parametrize("raw, expected", [
    ("⽬标", "目标"),                          # Kangxi radical EYE (U+2F6C)
    ("⼯作⽇", "工作日"),
    ("⺠生", "民生"),                          # CJK radical CIVILIAN
    ("⻄部", "西部"),
    ("⻓期", "长期"),
    ("⻔户", "门户"),
    ("⻢路", "马路"),
    ("⻅效", "见效"),
    ("⻋辆", "车辆"),
    ("⻛险", "风险"),
    ("⻩河", "黄河"),
    ("⻬全", "齐全"),
    ("⻆色", "角色"),
    ("⻘年", "青年"),
    ("⺟婴", "母婴"),
    ("ＡＢＣ１２３", "ABC123"),                # full-width forms
    ("１００％", "100%"),
    ("（万元）", "(万元)"),
    ("≧95％", "≧95%"),                       # ≧ has no NFKC mapping: kept
    ("\uf900", "\u8c48"),                    # CJK compatibility ideograph
    ("\ufeff目标\u200b值", "目标值"),           # BOM / zero-width space dropped
])
def test_character_folding(raw, expected):
    assert clean_text(raw) == expected
    assert fold_text(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("政府办公 室", "政府办公室"),
    ("政府办公\n室", "政府办公室"),
    ("政府办公\r\n室", "政府办公室"),
    ("政府\u3000办公室", "政府办公室"),          # ideographic space
    ("Hello  world", "Hello world"),
    ("Hello\r\nworld", "Hello world"),
    ("8 个", "8个"),
    ("A面 线路", "A面线路"),
    ("B 面", "B面"),
    ("≥ 95%", "≥95%"),                      # ≥ is non-ASCII
    (">= 85", ">= 85"),                     # ASCII only: one space kept
    ("  a \t b  ", "a b"),
    ("满意度指 标", "满意度指标"),
    ("指标2：召开常务会、区长办公会、政府专题会的\n                     次数", "指标2:召开常务会、区长办公会、政府专题会的次数"),
    ("", ""),
    ("   ", ""),
    ("\r\n", ""),
    ("abc", "abc"),
])
def test_wrap_whitespace(raw, expected):
    assert clean_text(raw) == expected


def test_fold_text_keeps_whitespace():
    assert fold_text("⽬标 \n ⻓期") == "目标 \n 长期"
    assert fold_text("a  b") == "a  b"
    assert fold_text("") == ""


def test_radicals_supplement_map_is_complete():
    assigned = {cp for cp in range(0x2E80, 0x2F00) if unicodedata.name(chr(cp), None)}
    assert len(assigned) == 115
    assert set(RADICALS_SUPPLEMENT_MAP) == assigned


@pytest.mark.parametrize("cp", sorted(RADICALS_SUPPLEMENT_MAP))
def test_every_radical_maps_to_a_unified_ideograph(cp):
    target = RADICALS_SUPPLEMENT_MAP[cp]
    assert len(target) == 1 and _is_unified(target), (hex(cp), target)
    assert unicodedata.name(target).startswith("CJK UNIFIED IDEOGRAPH")
    assert clean_text(chr(cp)) == target
    # where NFKC already maps the radical (U+2E9F, U+2EF3), we agree with it
    nfkc = unicodedata.normalize("NFKC", chr(cp))
    assert nfkc == chr(cp) or nfkc == target


def test_kangxi_radicals_are_handled_by_nfkc():
    for cp in range(0x2F00, 0x2FE0):
        if unicodedata.name(chr(cp), None) is None:
            continue
        out = clean_text(chr(cp))
        assert len(out) == 1 and _is_unified(out), hex(cp)


def test_compatibility_ideographs_are_handled_by_nfkc():
    # The 12 code points NFKC leaves alone in U+F900-U+FAFF are themselves
    # unified ideographs (Unified_Ideograph=Yes), so nothing is left to map.
    unified_in_block = {0xFA0E, 0xFA0F, 0xFA11, 0xFA13, 0xFA14, 0xFA1F,
                        0xFA21, 0xFA23, 0xFA24, 0xFA27, 0xFA28, 0xFA29}
    for cp in range(0xF900, 0xFB00):
        if unicodedata.name(chr(cp), None) is None:
            continue
        out = clean_text(chr(cp))
        if cp in unified_in_block:
            assert out == chr(cp)
        else:
            assert len(out) == 1 and _is_unified(out), hex(cp)


@settings(max_examples=500)
@given(st.text())
def test_clean_text_idempotent(s):
    once = clean_text(s)
    assert clean_text(once) == once


_cjkish = st.text(alphabet=st.sampled_from(list("目标值政府办公室 \n\r\t\u3000ab1%≥个⽬⻓（）()")), max_size=40)


@settings(max_examples=500)
@given(_cjkish)
def test_clean_text_matches_grader_canon(s):
    # Same result as the grader's normalisation (up to the radicals map).
    assert clean_text(s) == _grader_canon(s).translate(
        {k: v for k, v in RADICALS_SUPPLEMENT_MAP.items()})


@settings(max_examples=300)
@given(st.text())
def test_clean_text_has_no_wrap_spaces(s):
    out = clean_text(s)
    assert out == out.strip()
    assert "  " not in out
    assert not re.search(r"[^\x00-\x7f] | [^\x00-\x7f]", out)


@pytest.mark.parametrize("raw,expected", [
    ("垃圾无害化处理率（≥**%）", "垃圾无害化处理率"),
    ("培训经费（≤**万元）", "培训经费"),
    ("垃圾无害化处理率(>*%6)", "垃圾无害化处理率"),      # the residue as OCR reads it
    ("参训人员满意度(2*%)", "参训人员满意度"),
    ("宣传活动（**场）)", "宣传活动"),                   # OCR doubled its bracket
    ("★项目实施进度", "项目实施进度"),
    ("覆盖率≥**%", "覆盖率"),
    ("设备购置（台）", "设备购置（台）"),                  # a unit in brackets stays
    ("新建道路(含人行道)", "新建道路(含人行道)"),
])
def test_name_template_residue(raw, expected):
    from normalize.text import clean_text
    from parse.records import clean_name
    assert clean_name(raw) == clean_text(expected) != ""


@pytest.mark.parametrize("line,furniture", [
    ("第1页，共2页", True), ("第 3 页 共 12 页", True), ("共2页 第1页", True),
    ("第1顶,共2页", True),                     # OCR's 页 misread, the line nothing else
    ("第1顶,共页", True),                      # ... and a digit lost
    ("第一，共享", False),
    ("说明：第1页，共2页", True),
    ("第1批,共2个项目按期完成", False),          # a sentence, not a page number
    ("第一阶段完成投资", False),
])
def test_page_numbering_lines(line, furniture):
    from parse.labels import PAGE_OF
    assert bool(PAGE_OF.search(line)) is furniture


@pytest.mark.parametrize("raw,expected", [
    ("新增项目□ 延续项目√", "延续项目"),
    ("新增项目√ 延续项目□", "新增项目"),
    ("新增项目口延续项目√", "延续项目"),          # OCR: the empty box read as 口
    ("新增项目√延续项目口", "新增项目"),
    ("人口普查项目√", "人口普查项目"),            # a 口 inside a word stays
    ("出口项目□ 进口项目√", "进口项目"),
    ("延续项目", "延续项目"),
])
def test_checkbox_value(raw, expected):
    from parse.records import checkbox_value
    assert checkbox_value(raw) == expected


@pytest.mark.parametrize("raw,code,name", [
    ("820-马踏镇部门", "820", "马踏镇部门"), ("【812】某局", "812", "某局"), ("某局【812】", "812", "某局"),
    ("334龙西镇部门", "334", "龙西镇部门"),        # OCR lost the hyphen
    ("2023年项目", None, "2023年项目"), ("马踏镇部门", None, "马踏镇部门"),
])
def test_department_code(raw, code, name):
    from parse.labels import split_code
    assert split_code(raw) == (code, name)
