"""A bytes-mutation fuzzer over the samples (used where atheris is not installed, and in CI).

Seeds are the sample PDFs and text dumps, one generated form written as .xlsx, .docx
and .html (corpus.office_forms), plus the small bad inputs of corpus.py. Each round
picks an input from the corpus, applies one to four mutations that know a little
about PDF syntax, markup and Chinese text, and runs it through `target.run_bytes`.
A zip (an .xlsx or .docx) is mutated mostly inside: its parts are inflated, one to
three of them mutated (bytes, markup tokens, numeric attributes, cell ranges), dropped,
renamed or swapped with another zip's, and the zip is written again, so that the
mutations reach the XML instead of stopping at a broken CRC.
An input that produces a new outcome signature joins the corpus (a crude stand-in
for coverage guidance); a seed slower than SLOW_SEED seconds is run once, not mutated.
"""
from __future__ import annotations

import functools
import random
import re
import time
from dataclasses import dataclass, field

from extract.sniff import sniff
from fuzz.corpus import SAMPLES, bad_inputs, office_forms, rezip, zip_members
from fuzz.target import Findings, run_bytes

SLOW_SEED = 0.5

_PDF_TOKENS = [b"obj", b"endobj", b"stream", b"endstream", b"xref", b"trailer", b"startxref", b"%%EOF",
               b"<<", b">>", b"[", b"]", b"R", b"/Kids", b"/Count", b"/Parent", b"/Type /Pages",
               b"/Length", b"/Filter /FlateDecode", b"/MediaBox", b"/Rotate 90", b"/Contents",
               b"BT", b"ET", b"Tj", b"TJ", b"Tf", b"Td", b"re", b"m", b"l", b"S", b"f", b"cm", b"q", b"Q",
               b"-1", b"0", b"999999999", b"4294967296", b"1e308", b"-0", b"NaN", b"()", b"<>", b"null"]
_TEXT_TOKENS = [t.encode() for t in [
    "项目名称", "主管部门", "实施单位", "预算绩效目标表", "（2025年度）", "一级指标", "二级指标", "三级指标",
    "指标值", "产出指标", "数量指标", "质量指标", "时效指标", "成本指标", "效益指标", "满意度指标",
    "年度资金总额", "其中：财政拨款", "其他资金", "年度总体目标", "目标1：", "指标1：", "≥95%", "≤100万元",
    "2025年12月底前", "（万元）", "\f", "\n", "\n\n", "   ", "\t", "（必填）", "★", "……", "9" * 40,
    "１２３", "⽬标", "\u3000", "\ufeff", "\u200b", "\ud7ff", "\U0002000b"]]
_MARKUP_TOKENS = [
    # SpreadsheetML
    b"<row>", b"</row>", b'<row r="1048576">', b'<c r="XFD1048576"><v>1</v></c>', b'<c t="s"><v>99999</v></c>',
    b'<c t="inlineStr"><is><t>\xe9\xa1\xb9\xe7\x9b\xae\xe5\x90\x8d\xe7\xa7\xb0</t></is></c>',
    b'<mergeCell ref="A1:XFD1048576"/>', b'<mergeCell ref="B2:A1"/>', b'<mergeCell ref="A1:A1"/>',
    b'<row hidden="1">', b'<col min="1" max="16384" hidden="1"/>', b'<c s="9999"><v>1</v></c>',
    b'<c><f>1/0</f></c>', b'<c t="e"><v>#REF!</v></c>', b'<c t="d"><v>9999-99-99</v></c>', b"<v>1e308</v>",
    b'<definedName name="_xlnm.Print_Area">Sheet1!$Z$9:$A$1</definedName>', b"<sheetData/>", b"</sheetData>",
    # WordprocessingML
    b"<w:tbl>", b"</w:tbl>", b"<w:tr>", b"</w:tr>", b"<w:tc>", b"</w:tc>", b"<w:p>", b"</w:p>",
    b"<w:r><w:t>\xe6\x8c\x87\xe6\xa0\x87</w:t></w:r>", b'<w:gridSpan w:val="99999"/>', b'<w:gridSpan w:val="0"/>',
    b'<w:vMerge/>', b'<w:vMerge w:val="restart"/>', b'<w:gridBefore w:val="1000"/>', b'<w:hMerge/>',
    b"<w:tblGrid></w:tblGrid>", b'<w:gridCol w:w="-1"/>', b"<w:br/>", b'<w:vanish/>', b"<w:sdt><w:sdtContent>",
    # HTML
    b"<table>", b"</table>", b"<tr>", b"</tr>", b"<td>", b"</td>", b"<th>", b'<td rowspan="0">',
    b'<td colspan="1000">', b'<td rowspan="65535" colspan="65535">', b'<td colspan="-3">', b"<br>", b"<tbody>",
    b'<tr style="display:none">', b'<div class="nav">', b"</div>", b"<script>", b"</script>", b"<!--", b"-->",
    b'<meta charset="gbk">', b'<meta charset="utf-16">', b"&#0;", b"&#xD800;", b"&nbsp;", b"<frameset>",
    b"<table border=1><tr><td>\xe9\xa1\xb9\xe7\x9b\xae\xe5\x90\x8d\xe7\xa7\xb0</td><td>x</td></tr></table>",
    # any XML
    b'<!DOCTYPE x [<!ENTITY e "ee">]>', b"&e;", b"<![CDATA[", b"]]>", b"<?xml version='1.0'?>", b"\xef\xbb\xbf",
    b' xmlns="urn:x"', b"<a:b>", b"/>", b">", b"<", b'"', b"&amp;", b"&#x1F600;"]
_NUM = re.compile(rb"\d+")
_ATTR_NUM = re.compile(rb'[\s:](?:r|val|min|max|rowspan|colspan|s|ht|w|sheetId|numFmtId)="(-?\d+)"')
_CELL_RANGE = re.compile(rb"\$?[A-Z]{1,3}\$?\d{1,7}(?::\$?[A-Z]{1,3}\$?\d{1,7})?")
_EDGE_NUMS = [b"0", b"-1", b"1", b"2", b"255", b"256", b"16384", b"16385", b"65535", b"1048576", b"1048577",
              b"2147483648", b"99999999999999999999"]
_RANGES = [b"A1", b"A0", b"XFD1048576", b"XFE1", b"A1:XFD1048576", b"B2:A1", b"A1:A1", b"ZZZZ9", b"A1048577",
           b"$A$1:$B$2", b"A:A", b"1:1"]
# the parts that hold the form (picked more often than styles, themes and properties)
_MAIN_PARTS = re.compile(r"(word/document|xl/worksheets/sheet\d+|xl/sharedStrings|xl/workbook)\.xml$")


@functools.lru_cache(maxsize=2)
def _seeds(big: bool = False) -> list[tuple[str, bytes]]:
    seeds = []
    for p in sorted(SAMPLES.iterdir()):
        if p.name.endswith(".gold.json"):
            continue
        if p.stat().st_size > 1_000_000 and not big:
            continue                     # the 3 MB scan: slow to mutate and all image
        seeds.append((p.name, p.read_bytes()))
    for ext, data in office_forms().items():
        seeds.append((f"form.{ext}", data))
    for b in bad_inputs(big=False):
        if len(b.data) <= 200_000:
            seeds.append((b.filename, b.data))
    return seeds


def office_seeds() -> list[tuple[str, bytes]]:
    """The seeds that are office files or web pages (what the office readers take)."""
    return [(n, d) for n, d in _seeds() if sniff(d)[0] in ("xlsx", "docx", "ole", "html")]


def mutate(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(12)
        n = len(b)
        if n == 0:
            b += rng.choice(_PDF_TOKENS + _TEXT_TOKENS)
            continue
        i = rng.randrange(n)
        if op == 11:                                  # insert a markup token (XML, HTML)
            b[i:i] = rng.choice(_MARKUP_TOKENS)
            continue
        if op == 0:                                   # flip bits
            for _ in range(rng.randint(1, 8)):
                j = rng.randrange(n)
                b[j] ^= 1 << rng.randrange(8)
        elif op == 1:                                 # random bytes
            k = rng.randint(1, 16)
            b[i:i + k] = bytes(rng.randrange(256) for _ in range(k))
        elif op == 2:                                 # delete a run
            del b[i:i + rng.choice([1, 4, 64, 1024, n // 3 or 1])]
        elif op == 3:                                 # duplicate a run
            k = rng.choice([1, 16, 256, 4096])
            b[i:i] = b[i:i + k] * rng.choice([1, 2, 50])
        elif op == 4:                                 # insert a PDF token
            b[i:i] = b" " + rng.choice(_PDF_TOKENS) + b" "
        elif op == 5:                                 # insert form vocabulary (UTF-8 or GBK)
            t = rng.choice(_TEXT_TOKENS)
            try:
                t = t.decode().encode(rng.choice(["utf-8", "gb18030"]))
            except UnicodeError:
                pass
            b[i:i] = t
        elif op == 6:                                 # change a number (offsets, lengths, counts)
            ms = list(_NUM.finditer(bytes(b[max(0, i - 2000): i + 2000])))
            if ms:
                m = rng.choice(ms)
                s, e = m.span()
                base = max(0, i - 2000)
                v = rng.choice([b"0", b"1", b"-1", b"65535", b"2147483648", b"99999999999",
                                str(int(m.group()) + rng.randint(-3, 3)).encode()])
                b[base + s: base + e] = v
        elif op == 7:                                 # truncate
            del b[i:]
        elif op == 8 and others:                      # splice with another input
            o = rng.choice(others)
            if o:
                j = rng.randrange(len(o))
                b[i:] = o[j: j + rng.randint(1, 65536)]
        elif op == 9:                                 # swap two lines
            lines = bytes(b).split(b"\n")
            if len(lines) > 2:
                x, y = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[x], lines[y] = lines[y], lines[x]
                b = bytearray(b"\n".join(lines))
        else:                                         # NUL / 0xFF runs
            b[i:i] = rng.choice([b"\x00", b"\xff"]) * rng.choice([1, 2, 3, 100])
    return bytes(b[: 8 << 20])


def _mutate_attr(x: bytes, rng: random.Random) -> bytes:
    """A numeric attribute (r=, w:val=, rowspan=, ...) or a cell range set to an edge value."""
    pat, values = (_ATTR_NUM, _EDGE_NUMS) if rng.random() < 0.5 else (_CELL_RANGE, _RANGES)
    i = rng.randrange(len(x) + 1)
    m = pat.search(x, i) or pat.search(x)
    if m is None:
        return x
    g = 1 if pat.groups else 0
    return x[:m.start(g)] + rng.choice(values) + x[m.end(g):]


def mutate_zip(data: bytes, rng: random.Random, others: list[bytes]) -> bytes | None:
    """`data` (a zip) with one to three of its parts mutated, dropped, renamed or swapped, zipped
    again; None when `data` is no readable zip."""
    try:
        parts = zip_members(data)
    except Exception:  # noqa: BLE001 - a zip mutated past reading: byte mutations only
        return None
    if not parts:
        return None
    for _ in range(rng.randint(1, 3)):
        names = list(parts)
        main = [n for n in names if _MAIN_PARTS.search(n)]
        name = rng.choice(main if main and rng.random() < 0.8 else names)
        op = rng.randrange(10)
        if op < 4:                                    # bytes and markup inside the part
            parts[name] = mutate(parts[name], rng, others)
        elif op < 7:                                  # a number or a range at an edge
            parts[name] = _mutate_attr(parts[name], rng)
        elif op == 7:                                 # a part missing
            del parts[name]
        elif op == 8:                                 # a part under another name
            body = parts.pop(name)
            parts[rng.choice([name.upper(), "/" + name, name + ".bak", name.replace("1", "2"),
                              name.rsplit("/", 1)[-1]])] = body
        else:                                         # a part's body from another zip of the corpus
            zips = [o for o in others if o[:4] == b"PK\x03\x04"]
            try:
                other = zip_members(rng.choice(zips)) if zips else {}
            except Exception:  # noqa: BLE001 - that zip is broken: skip
                other = {}
            if other:
                parts[name] = other[rng.choice(list(other))]
        if not parts:
            return None
    # stored mostly: the big unchanged parts (styles, themes) cost nothing to write again
    return rezip(parts, stored=rng.random() < 0.8)[: 8 << 20]


def mutate_any(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    """Zips mostly inside (mutate_zip), everything else (and a zip now and then) as bytes."""
    if data[:4] == b"PK\x03\x04" and rng.random() < 0.75:
        child = mutate_zip(data, rng, others)
        if child is not None:
            return child
    return mutate(data, rng, others)


@dataclass
class Stats:
    executions: int = 0
    seconds: float = 0.0
    corpus: int = 0
    refused: int = 0
    ok: int = 0
    findings: Findings = field(default_factory=Findings)

    @property
    def escapes(self) -> int:
        return sum(1 for o, _ in self.findings.found.values() if o.kind == "escape")

    @property
    def hangs(self) -> int:
        return sum(1 for o, _ in self.findings.found.values() if o.kind == "hang")


def fuzz(seconds: float, seed: int = 0, findings: Findings | None = None, time_cap: float = 20.0,
         log=None, seeds: list[tuple[str, bytes]] | None = None, max_execs: int | None = None) -> Stats:
    """Mutate `seeds` (default: all of `_seeds()`) for `seconds`, the seeds' own run included, or
    until `max_execs` executions (then the inputs run are the same on any machine)."""
    rng = random.Random(seed)
    corpus = []
    seen: set[str] = set()
    st = Stats(findings=findings or Findings())
    t0 = time.monotonic()
    for _, d in seeds if seeds is not None else _seeds():   # seeds first, once each
        o = run_bytes(d, time_cap=time_cap)
        seen.add(o.signature)
        st.executions += 1
        st.findings.add(o, d, "seed")
        if o.seconds < SLOW_SEED:
            corpus.append(d)
    last = t0
    while corpus and time.monotonic() - t0 < seconds and (max_execs is None or st.executions < max_execs):
        parent = rng.choice(corpus)
        child = mutate_any(parent, rng, corpus)
        o = run_bytes(child, time_cap=time_cap)
        st.executions += 1
        if o.kind == "ok":
            st.ok += 1
        elif o.kind == "refused":
            st.refused += 1
        if st.findings.add(o, child, "mutation") and log:
            log(f"  new {o.kind}: {o.detail}")
        if o.signature not in seen and o.kind in ("ok", "refused"):
            seen.add(o.signature)
            corpus.append(child)
        if log and time.monotonic() - last > 60:
            last = time.monotonic()
            log(f"  mutate: {st.executions} execs, corpus {len(corpus)}, escapes {st.escapes}, hangs {st.hangs}")
    st.seconds = time.monotonic() - t0
    st.corpus = len(corpus)
    return st
