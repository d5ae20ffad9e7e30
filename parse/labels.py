"""The form's vocabulary: titles, header labels and indicator column headers.

Everything the parser keys on is here, matched against text with all
whitespace removed (so a label wrapped inside a narrow cell still matches).
"""
from __future__ import annotations

import functools

import regex

from normalize.text import clean_text
from parse.roles import strip_header

_WS = regex.compile(r"\s+")


@functools.lru_cache(maxsize=1 << 16)
def squash(s: str | None) -> str:
    """Cleaned text with every space removed: the key labels are matched on."""
    return _WS.sub("", clean_text(s or ""))


# A form's title: a short line that ends in 表 after a word of the trade (绩效目标表, 绩效自评表,
# 项目支出目标申报表, 绩效评价指标表), with the year in brackets after it or not.
TITLE = regex.compile(
    r"(?:绩效|目标|指标|自评|评价|申报)\p{Han}{0,8}表"
    r"\s*([(（]\s*\d{4}\s*年度?\s*[)）])?$")
YEAR_LINE = regex.compile(r"^[(（]?\s*(\d{4})\s*年度?\s*[)）]?$")
YEAR_IN = regex.compile(r"(\d{4})\s*年度?")
FURNITURE = regex.compile(
    r"^(附件\s*\d*|附表\s*[\d一二三四五六七八九十-]*|第\s*\d+\s*页.*|共\s*\d+\s*页|-?\s*\d+\s*-?|page\s*\d+.*|\d+\s*/\s*\d+)$",
    regex.I)
# "第1页，共2页" anywhere in a free-text line makes it a page header or footer; a
# line that is nothing else may have its 页 misread or a number lost (OCR: 第1顶，共页)
PAGE_OF = regex.compile(r"第\s*\d+\s*页[,，、\s]*共\s*\d+\s*页|^共\s*\d+\s*页[,，、\s]*第\s*\d+\s*页"
                        r"|^(?=.*\d)第\s*\d*\s*\S\s*[,，、\s]\s*共\s*\d*\s*\S$")
# a web site's own lines around a copied form (打印本页, 主办单位, 网站标识码 …)
# a funds amount as a cell gives it: a number and its unit (27.47, 1,437, 27.47万元, (27.47), ¥30),
# or a dash for none
AMOUNT = regex.compile(r"^(?:[(（]?[¥￥]?(?=[^)）]*\d)[\d,，.%％]+(?:万元|元|千元|亿元|万)?[)）]?"
                       r"(?:[(（](?:万元|元|千元|亿元)[)）])?|[-—－/无]+)$")
_SITE = (r"打印本页|关闭窗口|主办单位|网站标识码|分享到|版权所有|备案号|联系我们|技术支持|扫一扫"
         r"|浏览次数|上传时间|发布时间|字体[:：]?\s*[\[【]?\s*大"
         # a government site's footer: its hosts, its registrations, its mailbox
         r"|主办\s*\p{Han}{2,30}承办|ICP备|公网安备|网站(?:监督|纠错)|公务邮箱")
SITE_CHROME = regex.compile(_SITE)          # a web site's own words: no PDF prints them
# ... and an attachment's link (附件:…申报表.xlsx), which a PDF's page header may print too
SITE_FURNITURE = regex.compile(_SITE + r"|^(?:附件\d*[:：])?[^\s:：，。；,;]{1,80}\.(?i:xlsx?|docx?|pdf|wps|et|zip|rar)$")
# the word an organisation's name ends in (…人民政府, …研究室, …管理局)
ORG_END = regex.compile(r"(?:办事处|政府|委员会|中心|公司|集团|协会|医院|学校|幼儿园|[局委院所站馆校队会部室办处厅司社])$")
MONEY_UNIT = regex.compile(r"(?:金额|资金)?单位\s*[:：]\s*(万元|元|千元)|[(（](万元|元|千元)[)）]")

# Header labels: (field, pattern matched at the start of the squashed cell text).
HEADER_LABELS: list[tuple[str, regex.Pattern]] = [(f, regex.compile(p)) for f, p in [
    ("project_name", r"^项目名称|^专项(资金)?名称|^项目\(专项\)名称"),
    ("department_code", r"^(部门|单位|预算部门|主管部门)(预算)?(编码|代码|编号)$"),
    ("department", r"^(项目)?主管(部门|单位)(及代码|名称|及编码)?|^预算部门(名称)?|^部门(名称|\(单位\)名称)"),
    ("implementing_unit", r"^(项目)?实施单位(名称)?|^项目单位|^预算单位(名称)?|^执行单位|^单位名称"),
    ("project_attribute", r"^项目属性"),
    ("project_period", r"^项目(实施)?期(限)?(?!间)|^实施期(限)?|^项目起止(时间|日期)|^项目周期|^执行期"),
    ("funds_block", r"^(项目|年度|部门|单位)?(预算)?资金(情况|安排|申请)?(\((万元|元|千元)\))?$|^项目资金|^资金情况"
                    r"|^(年度)?预算资金|^(年度|项目)?预算(安排|执行情况)(\((万元|元|千元)\))?$"
                    r"|^(年度|项目|部门|单位)?预算\((万元|元|千元)\)$"),
    ("funds_total", r"^(其中[:：])?年度(财政)?资金总[额计][:：]?|^资金总[额计]|^预算总额|^年度预算(数|总额)?$"
                    r"|^\p{Han}{0,6}(资金|预算|支出)(总额|总计|总量|合计)$"),
    ("funds_fiscal", r"^(其中[:：])?(本年|当年|年度)?财政(拨款|资金)(数)?[:：]?|^其中[:：]财政"),
    ("funds_other", r"^(其中[:：])?其他资金[:：]?"),
    ("funds_executed", r"^全年执行数"),
    ("goals", r"^(项目)?(年度|当年|全年)?(整体|总体)?(绩效)?目标(\(年度\))?$|^(年度|当年)?(总体|整体)(绩效)?目标"
              r"|^年度(总体|绩效)目标|^年度总体$|^项目(年度)?绩效目标|^年度总$|^项目总体情况$"),
    ("leader", r"^项目负责人(及电话)?|^(项目)?联系(人|电话)|^(项目)?负责人"),
    ("category", r"^项目类(别|型)"),
    ("nature", r"^项目性质"),
    ("basis", r"^立项依据"),
    # fields of other templates jxmb does not keep: their cells end the value before them
    ("other", r"^项目(编号|编码|代码)|^投向领域|^归口(科室|处室)|^项目级次|^重要程度|^项目口径|^资金来源$"
              r"|^(项目)?功能科目|^对应一级项目|^项目(主要|实施)?内容$|^(主要)?实施内容$|^(项目)?概况$"
              # what a 部门/单位整体 form says of the body itself
              r"|^(单位|机构|部门)(性质|类型|级次|地址)|^(编制|实有|在职|在编)人数|^人员编制|^(部门|单位)?职能(职责)?$"),
    # sign-off under a form: never a header value, a goal or an indicator
    ("signoff", r"^填(报|表)(人|日期|单位)|^审核(人|意见)|^[(（]?(单位)?(公章|盖章)|^(主要)?领导签字|^签字|^经办人"
                r"|^财政部门|^(单位|部门)负责人|^年月日$"),
]]

# the points a block is worth: 预算执行情况（万元）（20分）
_POINTS_NOTE = regex.compile(r"[(（]\d+(\.\d+)?分[^()（）]{0,8}[)）]")
# a sign-off annotation after a label: 项目单位（盖章）
_LABEL_NOTE = regex.compile(r"^[(（](盖章|签章|签字|公章|单位盖章)[)）]")

# Indicator table column headers -> role.
COLUMN_ROLES: list[tuple[str, regex.Pattern]] = [(r, regex.compile(p)) for r, p in [
    # explanations beside the value (指标值设定依据及数据来源, 评(扣)分标准): never the value
    ("note", r"设定依据|数据来源|指标解释|指标说明|评分规则|评\(?扣\)?分标准|计分方法|评分方法"),
    ("l1", r"^一级指标"),
    ("l2", r"^二级指标"),
    ("name", r"^三级指标(名称)?|^指标名称|^绩效指标名称"),
    ("value_long", r"^长期(指标值|目标值|目标)"),
    ("actual", r"^(全年)?实际(完成)?值|^完成值|^实际完成情况"),
    ("weight", r"^分值|^(指标)?权重"),
    ("score", r"^得分"),
    ("op", r"^计算符号|^指标性质|^符号"),
    ("unit", r"^(度量|计量)单位|^单位$"),
    ("value", r"^(年度|当年|全年|预期)?(绩效)?(指标值|目标值)|^当年预期(实现)?值|^预期(实现)?值|^年度指标值|^指标值"),
    ("standard", r"^(绩效|评价|评分)标准"),
    ("direction", r"^指标方向"),
    ("note", r"^备注|^偏差原因|^说明"),
]]

FLAT_COLUMNS: list[tuple[str, regex.Pattern]] = [(r, regex.compile(p)) for r, p in [
    ("unit_name", r"^单位名称|^预算单位|^部门名称"),
    ("project_name", r"^项目名称"),
    ("budget", r"^预算数|^资金总额|^预算金额|^金额"),
    ("goal", r"^(年度)?(总体)?目标|^年度绩效目标"),
]]

# the mark after the number may be lost in OCR ('指标4数据上报…'): then a Han character follows
LABEL_MARK = regex.compile(r"^\s*[*★☆]*\s*(指标\s*\d+)\s*(?:[:：.、]\s*|(?=\p{Han}))")
GOAL_MARK = regex.compile(r"目标\s*(\d+)\s*[:：、.]")
EMPTY_ROW = regex.compile(r"^[.…。·\s]*$")
NOTE_LINE = regex.compile(r"^(注|说明|备注)\s*[:：]")
CODE = regex.compile(
    r"^\s*[\[【(（]\s*(\d{2,})\s*[\]】)）]\s*(.*)$|^\s*(\d{3,})\s*(?:[-－—_ ]\s*(.+)|(?=\p{Han}{2})(?!年)(.+))$"
    r"|^(.+?)\s*[\[【(（]\s*(\d{2,})\s*[\]】)）]\s*$")


@functools.lru_cache(maxsize=1 << 15)
def header_label(text: str) -> tuple[str, str] | None:
    """(field, inline value) when the cell starts with a header label."""
    s = _POINTS_NOTE.sub("", squash(text))
    if not s:
        return None
    for field, pat in HEADER_LABELS:
        m = pat.search(s)
        if m:
            rest = _LABEL_NOTE.sub("", s[m.end():]).lstrip(":：")
            return field, rest
    return None


FUNDS_COLUMNS: list[tuple[str, regex.Pattern]] = [(r, regex.compile(p)) for r, p in [
    ("budget_initial", r"^年初预算"), ("budget_full", r"^全年预算|^预算数$"), ("executed", r"^全年执行|^执行数"),
    ("rate", r"^执行率"), ("weight", r"^分值"), ("score", r"^得分")]]


def role_of(text: str | None, table: list[tuple[str, regex.Pattern]]) -> str | None:
    """The first role of `table` whose pattern the squashed text matches."""
    s = squash(text)
    for role, pat in table:
        if pat.search(s):
            return role
    return None


@functools.lru_cache(maxsize=1 << 15)
def column_role(text: str) -> str | None:
    """Indicator table column header -> role."""
    return role_of(text, COLUMN_ROLES)


@functools.lru_cache(maxsize=1 << 15)
def column_prefix(text: str) -> bool:
    """The text is the start of an indicator column header cut by wrapping (一级指 / 三级指标名)."""
    s = squash(text)
    return bool(s) and any((m := pat.match(s, partial=True)) is not None and m.partial
                           for _, pat in COLUMN_ROLES)


@functools.lru_cache(maxsize=1 << 15)
def flat_role(text: str) -> str | None:
    """Project columns of a flat export (单位名称 | 项目名称 | 预算数 | 年度目标)."""
    return role_of(text, FLAT_COLUMNS)


@functools.lru_cache(maxsize=1 << 15)
def funds_column(text: str) -> str | None:
    """Columns of a self-evaluation funds matrix (年初预算数 | 全年预算数 | 全年执行数 …),
    marks and annotations such as 预算数（A） left out."""
    return role_of(strip_header(text), FUNDS_COLUMNS)


_CODE_WORD = regex.compile(r"\s*[(（]?\s*(?:部门|单位|预算)?(?:编码|代码|编号)\s*[:：]?\s*(\d{2,})\s*[)）]?\s*")


def split_code(s: str) -> tuple[str | None, str]:
    """'820-马踏镇部门' -> ('820', '马踏镇部门'); '【812】某局' -> ('812', '某局')."""
    m = _CODE_WORD.search(s or "")
    if m:
        return m.group(1), (s[:m.start()] + s[m.end():]).strip()
    m = CODE.match(s or "")
    if not m:
        return None, (s or "").strip()
    if m.group(1):
        return m.group(1), m.group(2).strip()
    if m.group(3):   # '820-马踏镇部门', or '820马踏镇部门' (a hyphen OCR lost)
        return m.group(3), (m.group(4) or m.group(5)).strip()
    return m.group(7), m.group(6).strip()

# the goals block's own columns: planned (预期目标, 年初设定目标) and achieved (实际完成情况)
# a level column's caption with its note (项目年度绩效目标(定量指标), 年度绩效指标): not a cell of a row
CAPTION = regex.compile(r"(?:项目|部门|整体)?(?:年度|当年|全年)?绩效(?:目标|指标)(?:[(（][^()（）]{1,10}[)）])?")
# the column word of what was achieved (实际完成情况, 完成情况综述), not the planned goals
GOAL_ACTUAL = regex.compile(r"实际|完成情况|综述")
GOAL_COLUMN = regex.compile(r"^((年度|年初|全年)?(预期|设定|计划)目标|(全年)?实际完成(情况)?|(年度总体目标)?完成情况(综述)?)")
