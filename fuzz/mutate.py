"""A bytes-mutation fuzzer over the samples (used where atheris is not installed, and in CI).

Seeds are the sample PDFs and text dumps plus the small bad inputs of corpus.py.
Each round picks an input from the corpus, applies one to four mutations that
know a little about PDF syntax and Chinese text, and runs it through
`target.run_bytes`. An input that produces a new outcome signature joins the
corpus (a crude stand-in for coverage guidance).
"""
from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field

from fuzz.corpus import SAMPLES, bad_inputs
from fuzz.target import Findings, run_bytes

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
_NUM = re.compile(rb"\d+")


def _seeds(big: bool = False) -> list[tuple[str, bytes]]:
    seeds = []
    for p in sorted(SAMPLES.iterdir()):
        if p.name.endswith(".gold.json"):
            continue
        if p.stat().st_size > 1_000_000 and not big:
            continue                     # the 3 MB scan: slow to mutate and all image
        seeds.append((p.name, p.read_bytes()))
    for b in bad_inputs(big=False):
        if len(b.data) <= 200_000:
            seeds.append((b.filename, b.data))
    return seeds


def mutate(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(11)
        n = len(b)
        if n == 0:
            b += rng.choice(_PDF_TOKENS + _TEXT_TOKENS)
            continue
        i = rng.randrange(n)
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
         log=None) -> Stats:
    rng = random.Random(seed)
    corpus = [d for _, d in _seeds()]
    seen: set[str] = set()
    st = Stats(findings=findings or Findings())
    t0 = time.monotonic()
    for d in list(corpus):                            # seeds first, once each
        o = run_bytes(d, time_cap=time_cap)
        seen.add(o.signature)
        st.executions += 1
        st.findings.add(o, d, "seed")
    last = t0
    while time.monotonic() - t0 < seconds:
        parent = rng.choice(corpus)
        child = mutate(parent, rng, corpus)
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
