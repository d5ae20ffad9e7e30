"""Roles of an indicator table's columns, decided from all the evidence.

A column's role (level1, level2, name, value, operator, unit, …) is scored from
two kinds of evidence and the roles are then assigned jointly:

* its header: every header piece above the column (a merged parent first, the
  leaf last), stripped of marks (`*`, `★`, `※`), annotations (`（必填）`, `(A)`,
  `（20分）`, `（万元）`) and white space, is matched against `HEADER_WORDS`.
  Chinese compounds are head-final, so a header is matched on how it ENDS:
  `指标值说明` is a 说明 (a note), `指标值类型` a 类型, `年度指标值` a value;
* what its cells hold (`profile`): the share of cells that parse as a value
  (number, %, date, deadline, or a short outcome such as 有效提升), that are
  framework category words (产出/效益/满意度, 数量指标 …), an operator alone, a
  unit alone, a closed set (定量/定性, 正向/反向), a bare number (a weight or a
  score), a label (`指标1`), an explanation sentence (`反映…`, `指…`), and the
  mean length.

`assign_roles` adds the two scores per (column, role) and hands out the roles
greedily, best first, so a header word cannot win against contents that
contradict it, and contents alone can place a column that has no header. One
name column, one value (or an operator / number / unit triple), one of each
extra; any number of notes. A role given on weak evidence is reported back as
uncertain so the caller can say so in `issues`.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex

from normalize.text import clean_text
from normalize.values import canonical_level1, canonical_level2, is_unit, parse_value, split_levels

_WS = regex.compile(r"\s+")

# -- header words --------------------------------------------------------------------------------

# Marks and annotations a header may carry: *指标值, ★三级指标, 指标值（必填）, 年初目标值(A),
# 预算执行情况（万元）（20分）, 执行率(B/A).
_HEADER_NOISE = regex.compile(
    r"[*＊★☆※◆●■▲]"
    r"|[(（【\[][^()（）【】\[\]]{0,12}?(?:必填|选填|必选|可选|硬性|非必填|自选|可填|填写|选择)[^()（）【】\[\]]{0,12}?[)）】\]]"
    r"|[(（]\s*[A-Za-z](?:\s*[/／]\s*[A-Za-z])?\s*[)）]"
    r"|[(（][^()（）]{0,8}分[^()（）]{0,8}[)）]"
    r"|[(（]\s*(?:万元|元|千元|亿元|%)\s*[)）]"
    r"|[:：]$")

# (role, pattern matched at the END of the stripped header, strength). First match per role counts.
# Strength 3: the header names the role; 1.5: it may (the contents decide).
HEADER_WORDS: list[tuple[str, str, float]] = [
    ("value_long", r"长期(?:绩效)?(?:指标值|目标值|目标|指标|值)", 3.0),
    ("actual", r"(?:实际|全年实际|年度实际)(?:完成)?(?:值|数|情况|结果)?|(?:实际)?完成(?:值|数|情况)|实际完成", 3.0),
    ("note", r"说明|解释|描述|依据|来源|标准|备注|措施|原因|分析|方法|口径|规则|公式|定义|含义|要求|计算方法|评分细则|细则",
     3.0),
    ("valtype", r"(?:指标)?(?:值)?类型", 1.5),
    ("valtype", r"(?:指标)?性质", 1.5),
    ("direction", r"(?:指标)?(?:方向性?|性质|属性)", 1.5),
    ("op", r"计算符号|运算符号?|比较符号?|符号|关系符|计算方式", 3.0),
    ("op", r"(?:指标)?方向性?|(?:指标)?性质", 1.5),
    ("unit", r"(?:计量|度量|指标值)?单位", 3.0),
    ("weight", r"分值|权重(?:分值)?|指标权重|满分|标准分|分数", 3.0),
    ("score", r"得分|自评得分|评价得分|评分", 3.0),
    ("seq", r"序号|编号|指标序号|行次", 3.0),
    ("value", r"指标值|目标值|预期值|实现值|计划值|期望值|数值|标准值|指标目标|年度指标|预期目标值", 3.0),
    ("value", r"(?:年度|全年|当年|预期|绩效|计划|年度绩效)目标|目标", 1.5),
    ("name", r"三级指标(?:名称)?|三级|指标名称|指标内容|绩效内容|考核内容|具体指标|指标项目?|名称|具体内容|明细指标",
     3.0),
    ("name", r"评价内容|内容|绩效指标|指标", 1.0),
    ("l1", r"一级指标|一级", 3.0),
    ("l1", r"指标类型|指标类别|指标大类|维度|评价维度", 1.5),
    ("l2", r"二级指标|二级", 3.0),
    ("l2", r"评价指标|指标分类|指标类别|类别|绩效指标|指标", 1.0),
]
_HEADER_RES = [(role, regex.compile(f"(?:{pat})$"), w) for role, pat, w in HEADER_WORDS]

ROLES = ("l1", "l2", "name", "label", "value", "op", "unit", "value_long", "actual", "weight", "score",
         "note", "valtype", "direction", "seq")
UNIQUE = ("l1", "l2", "name", "label", "value", "op", "unit", "value_long", "actual", "weight", "score", "seq")
# roles contents alone cannot tell from the value or from each other: their header must name them
NEED_HEADER = ("value_long", "actual", "weight", "score")


# how an explanation of the indicator opens (指标值说明 / 指标解释: 反映…情况, 考核…是否达到预期目标)
EXPLANATION_OPEN = r"(?:反映|考核|衡量|用于|是指|该指标)"

_MODIFIERS = "(?:年度|全年|当年|年初|预期|计划|绩效|评价|考核|项目)?"
_SPELLED = [regex.compile(f"{_MODIFIERS}(?:{pat})") for _, pat, _ in HEADER_WORDS]


@functools.lru_cache(maxsize=1 << 14)
def spelled_header(text: str) -> bool:
    """The text is a header word as the vocabulary spells it, marks stripped (二级指标, 年度指标值,
    指标值类型), not merely ending like one (指标二级)."""
    p = strip_header(text)
    return bool(p) and any(rx.fullmatch(p) for rx in _SPELLED)


@functools.lru_cache(maxsize=1 << 14)
def strip_header(text: str | None) -> str:
    """A header cell without marks, annotations, white space and a closing colon."""
    s = _WS.sub("", clean_text(text or ""))
    prev = None
    while prev != s:
        prev, s = s, _HEADER_NOISE.sub("", s)
    return s


@functools.lru_cache(maxsize=1 << 14)
def header_scores(text: str | None) -> dict[str, float]:
    """role -> strength of what a header cell says (empty when it names no role)."""
    s = strip_header(text)
    hits: dict[str, tuple[float, int]] = {}
    if not s or len(s) > 16:
        return {}
    for role, pat, w in _HEADER_RES:
        m = pat.search(s)
        if m and (role not in hits or w > hits[role][0]):
            hits[role] = (w, m.end() - m.start())
    strong = [(n, r) for r, (w, n) in hits.items() if w >= 3.0]
    if strong:
        # the longest strong match names the head of the compound: 长期指标值 is a long-term
        # value, not the (annual) value its tail also spells
        n_best = max(n for n, _ in strong)
        return {r: w for r, (w, n) in hits.items() if w >= 3.0 and n == n_best}
    return {r: w for r, (w, n) in hits.items()}


@functools.lru_cache(maxsize=1 << 14)
def column_role(text: str | None) -> str | None:
    """The role a header names on its own (strength 3), else None."""
    sc = header_scores(text)
    strong = [r for r, w in sc.items() if w >= 3.0]
    return strong[0] if len(strong) == 1 else None


# -- what the cells hold --------------------------------------------------------------------------

OPERATOR_ONLY = regex.compile(r"^(≥|≧|>=|≤|≦|<=|>|<|=|＞|＜|＝|大于等于|小于等于|大于|小于|等于|不低于|不高于|不少于|不超过)$")
_TYPES = regex.compile(r"^(定量|定性)(指标)?$")
_DIRECTIONS = regex.compile(r"^(正向|反向|逆向|中性|正|反)(指标)?$")
_BOOL = regex.compile(r"^(是|否|有|无|√|×)$")
_LABEL = regex.compile(r"^(?:指标|目标)\s*\d+[:：]?$")
_BARE = regex.compile(r"^\d+(?:\.\d+)?分?$")
_SENTENCE = regex.compile(r"^(?:反映|指|考核|用于|衡量|按|根据|评价|通过|主要|是指|该指标|计算|统计|以|对|由|依据|参照|完成|确保)")
_OUTCOME = regex.compile(
    r"^(?:有效|明显|显著|持续|长期|逐步|稳步|进一步|不断|大幅|基本|全面|按时|按期|及时|较好|良好|优良|优秀|"
    r"达到|符合|合格|无|不产生|没有|是|否|满意|全覆盖|全年|高|好|较高|稳定|正常)"
    r"|(?:提升|提高|改善|促进|保障|向好|作用|达标|合格|完成|增长|增加|下降|降低|减少|稳定|有效|良好|满意|可用)$")
# a standard a target is set by, as a 绩效标准 / 指标说明 column words it: the kinds (财政部: 计划标准,
# 行业标准, 历史标准, 其他标准; 按国家标准, 按省级标准) and 达到目标值 / 达到预期
STANDARD = (r"(?:(?:计划|历史|行业|其他)标准|按(?:计划|历史|行业|国家|省级|市级|县级|地方|其他)标准"
            r"|达到\p{Han}{0,4}?(?:目标值|预期值|预计值|预期|要求|标准))")
STANDARD_WORDS = regex.compile(rf"^{STANDARD}$")
NAME_END = regex.compile(r"(?:率|数|量|度|时间|时限|成本|费用|标准|水平|状况|情况|效益|机制|质量|面积|金额|收入|比例|人次|次数)$")
_FRAMEWORK_L1 = regex.compile(r"^(?:投入|产出|效益|效果|满意度|成本|过程|管理|决策)(?:指标|目标|值)?$")


def is_outcome(text: str) -> bool:
    """A short text worded as a qualitative value (有效提升, 明显改善), not as a name (…率, …数量)."""
    t = _WS.sub("", text)
    return 2 <= len(t) <= 8 and not NAME_END.search(t) and bool(_OUTCOME.search(t))


_OWN_CATEGORY = regex.compile(r"\p{Han}{2,4}指标")


def own_category(text: str) -> bool:
    """A short word ending in 指标 that is no framework category and names no column (制度指标,
    管理指标): where it heads rows, a category of the form's own."""
    t = _WS.sub("", text)
    return bool(_OWN_CATEGORY.fullmatch(t)) and level_word(t) is None \
        and max(header_scores(t).values(), default=0.0) < 3.0


def level_word(text: str) -> str | None:
    """'l1' / 'l2' / 'l12' when a cell is a framework category word, else None."""
    t = _WS.sub("", clean_text(text))
    if not t or len(t) > 24:
        return None
    if canonical_level2(t) and not canonical_level1(t):
        return "l2"
    if canonical_level1(t):
        return "l1"
    if split_levels(t):
        return "l12"
    core = strip_header(t)
    if _FRAMEWORK_L1.match(core):
        return "l1"
    return None


@functools.lru_cache(maxsize=1 << 15)
def _value_like(text: str) -> bool:
    t = _WS.sub("", text)
    if not t or len(t) > 40:
        return False
    if _BOOL.match(t) or is_outcome(t):
        return True
    pv = parse_value(t)
    if pv.value_kind == "qualitative":
        return False
    # a number inside a long phrase is a name's ('完成1部宣传片' is a value, '饲料库120平米' a name)
    return len(t) <= 14 or pv.operator not in (None, "=")


@dataclass
class Profile:
    """What a column's cells hold: shares of the non-empty cells."""
    n: int = 0             # non-empty cells (merged cells counted once)
    rows: int = 0          # data rows the column was seen in
    l1: float = 0.0
    l2: float = 0.0
    value: float = 0.0
    bare: float = 0.0
    op: float = 0.0
    unit: float = 0.0
    types: float = 0.0
    direction: float = 0.0
    label: float = 0.0
    sentence: float = 0.0
    mean_len: float = 0.0

    @property
    def closed(self) -> float:
        return self.op + self.unit + self.types + self.direction + self.label


def profile(cells: list[str], rows: int | None = None) -> Profile:
    """Shares of a column's non-empty cells (each merged cell once)."""
    texts = [_WS.sub("", clean_text(c)) for c in cells]
    texts = [t for t in texts if t and not regex.fullmatch(r"[.…。·\-—_/\\]*", t)]
    p = Profile(n=len(texts), rows=rows if rows is not None else len(cells))
    if not texts:
        return p
    k = 1.0 / len(texts)
    for t in texts:
        lw = level_word(t)
        if lw in ("l1",):
            p.l1 += k
        elif lw in ("l2", "l12"):
            p.l2 += k
        if OPERATOR_ONLY.match(t):
            p.op += k
        elif is_unit(t) and not t.isdigit():
            p.unit += k
        elif _TYPES.match(t):
            p.types += k
        elif _DIRECTIONS.match(t):
            p.direction += k
        elif _LABEL.match(t):
            p.label += k
        elif _BARE.match(t):
            p.bare += k
            p.value += k
        elif lw is None and _value_like(t):
            p.value += k
        if len(t) >= 12 and (_SENTENCE.match(t) or regex.search(r"[，。；;]", t[:-1])):
            p.sentence += k
        p.mean_len += len(t) * k
    return p


def content_scores(p: Profile) -> dict[str, float]:
    """role -> what the contents say (about -3 .. 4); nothing for an empty column."""
    if p.n == 0:
        return {}
    cat = p.l1 + p.l2
    other = p.value + p.closed + cat
    s = {
        "l1": 4 * p.l1 - 1 - 2 * p.value,
        "l2": 4 * p.l2 - 1 - 2 * p.value,
        "op": 4 * p.op - 1,
        "unit": 4 * p.unit - 1,
        "valtype": 4 * p.types - 1,
        "direction": 4 * p.direction - 1,
        "label": 4 * p.label - 1,
        "seq": 3 * p.bare - 1 if p.mean_len <= 2.5 else -1,
        "weight": 3 * p.bare - 1.5,
        "score": 3 * p.bare - 1.5,
        # a value with an operator, a unit or a date says more than a bare number (a weight's)
        "value": 3 * p.value + 0.25 * (p.value - p.bare) - 2 * p.sentence - 3 * cat - 3 * p.closed,
        "name": 2.5 * (1 - other) - 1.5 * p.sentence + (0.5 if p.mean_len >= 4 else -0.5),
        "note": 2 * p.sentence + (0.5 if p.mean_len > 12 else 0) - 2 * (p.closed + cat),
    }
    for r in ("actual", "value_long"):
        s[r] = s["value"]
    return s


# -- joint assignment -----------------------------------------------------------------------------

@dataclass
class ColumnEvidence:
    headers: list[str]               # header pieces above the column, parent first
    cells: list[str]                 # texts of the cells that start in the column (one per data row seen)
    rows: int = 0                    # data rows of the table
    prof: Profile | None = None
    head: dict[str, float] = field(default_factory=dict)


@dataclass
class Choice:
    role: str | None
    score: float
    runner_up: float                 # best score of another role for this column
    uncertain: bool = False
    why: str = ""


def _head_scores(headers: list[str]) -> dict[str, float]:
    """Leaf header counts fully, a merged parent above it at half strength."""
    out: dict[str, float] = {}
    pieces = [h for h in headers if strip_header(h)]
    for depth, h in enumerate(reversed(pieces)):
        w = 1.0 if depth == 0 else 0.5
        for r, v in header_scores(h).items():
            out[r] = max(out.get(r, 0.0), v * w)
    return out


def assign_roles(cols: list[ColumnEvidence]) -> list[Choice]:
    """Roles for the columns of one table, left to right."""
    scores: list[dict[str, float]] = []
    for c in cols:
        c.prof = c.prof or profile(c.cells, c.rows)
        c.head = _head_scores(c.headers)
        cs = content_scores(c.prof)
        sc = {}
        for r in ROLES:
            h = c.head.get(r, 0.0)
            v = cs.get(r)
            if r in NEED_HEADER and h < 1.5:
                sc[r] = -9.0
            elif v is None:           # an empty column: its header alone, if it names the role
                sc[r] = h - (0.0 if h >= 3.0 else 1.0)
            else:
                sc[r] = h + v
        scores.append(sc)
    choices: list[Choice | None] = [None] * len(cols)
    taken: set[str] = set()
    pairs = sorted(((sc[r], i, r) for i, sc in enumerate(scores) for r in ROLES), reverse=True)
    for s, i, r in pairs:
        if s < 1.0:
            break
        if choices[i] is not None or (r in UNIQUE and r in taken) or not _order_ok(r, i, choices):
            continue
        others = [v for k, v in scores[i].items() if k != r]
        choices[i] = Choice(r, s, max(others) if others else 0.0)
        taken.add(r)
    out = [c if c is not None else Choice(None, 0.0, 0.0) for c in choices]
    _no_name_column(cols, out)
    for c, ch in zip(cols, out):
        # weak: neither the header names the role outright nor do the contents show it plainly
        head = c.head.get(ch.role or "", 0.0)
        if ch.role in ("name", "value") and head < 3.0 and ch.score - head < 2.0:
            ch.uncertain = True
            hdr = "/".join(strip_header(h) for h in c.headers if strip_header(h))
            ch.why = (f"taken as the {ch.role} column on weak evidence (header {hdr or 'none'} names it "
                      f"{'weakly' if head else 'not'}; its cells do not show it plainly: score {ch.score:.1f})")
    return out


# level columns stand left of the names, the value columns right of them
_LEFT_OF_NAME = ("l1", "l2", "seq")
_RIGHT_OF_NAME = ("value", "op", "unit", "actual", "value_long", "weight", "score")


def _order_ok(role: str, i: int, choices: list[Choice | None]) -> bool:
    for j, ch in enumerate(choices):
        if ch is None:
            continue
        if role == "l1" and ch.role == "l2" and j < i:
            return False
        if role == "l2" and ch.role == "l1" and j > i:
            return False
        if role in _LEFT_OF_NAME and ch.role == "name" and j < i:
            return False
        if role == "name" and ch.role in _LEFT_OF_NAME and j > i:
            return False
        if role in _RIGHT_OF_NAME and ch.role == "name" and j > i:
            return False
        if role == "name" and ch.role in _RIGHT_OF_NAME and j < i:
            return False
    return True


def _no_name_column(cols: list[ColumnEvidence], out: list[Choice]) -> None:
    """A template without a 三级 column (指标类型 | 指标名称 | 指标值): the categories are the names."""
    roles = [c.role for c in out]
    if "name" in roles:
        k = roles.index("name")
        if "l2" not in roles and cols[k].prof is not None and cols[k].prof.l2 >= 0.6:
            out[k] = Choice("l2name", out[k].score, out[k].runner_up)
        return
    if "l2" in roles:
        k = roles.index("l2")
        out[k] = Choice("l2name", out[k].score, out[k].runner_up)
