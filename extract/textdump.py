"""Text dumps (pdftotext raw or -layout output, any Chinese encoding) -> Document.

A text dump has no geometry: each line becomes a `Line` whose fragments carry
their character column in x0/x1 and `bbox=None`. Blank lines are kept as Lines
without fragments, because a blank line is where a raw dump separates cells.
"""
from __future__ import annotations

import codecs

import regex

from extract.model import Document, Frag, Line, Page
from normalize.text import fold_text

_LAYOUT_GAP = regex.compile(r"\S {3,}\S")


class NotText(ValueError):
    """The bytes are not a text dump in any encoding we read."""


# Characters frequent in these forms and in Chinese generally, in both scripts. A wrong
# guess between GB18030, Big5 and Shift-JIS still decodes without error (their byte
# ranges overlap) but yields rare characters; the right one yields these.
_COMMON = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点"
    "从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原"
    "又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革"
    "位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强"
    "放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交"
    "受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八"
    "离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布"
    "复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精"
    "值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照"
    "参红细引听该铁价严龙飞项预绩额财拨款施单位满意度产出益态持续影务对象指标值目标年度资金总额其他"
    "這個們來為國過說種麼經現實動發時會後對學從業還當樣與關開應頭體氣問題見長門間點機電區進數義條處"
    "項預績額財撥款施單滿產態續響務標數質時總資額達費書報導護設運營環區縣級務統計劃廣網際"
    "予算業績目標表項名称数量指標質時効成本効果満足度年度資金総額事業実施担当部署"
)


def _plausible(text: str) -> float:
    """Share of characters that are ordinary text: ASCII, CJK punctuation, common characters."""
    if not text:
        return 0.0
    sample = text[:20000]
    good = 0
    cjk = 0
    common = 0
    for ch in sample:
        o = ord(ch)
        if 0x20 <= o < 0x7F or ch in "\r\n\t\f":
            good += 1
        elif 0x4E00 <= o <= 0x9FFF:
            cjk += 1
            if ch in _COMMON:
                common += 1
        elif 0x3000 <= o <= 0x30FF or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F or 0x2460 <= o <= 0x25FF:
            good += 1
    # CJK characters count in proportion to how many of them are common ones.
    score_cjk = cjk * min(1.0, 4 * common / cjk) if cjk else 0.0
    return (good + score_cjk) / len(sample)


def _strict(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        return None


def _bad_share(text: str) -> float:
    sample = text[:50000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\r\n\t\f"))
    return bad / len(sample)


def decode(data: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding name). Raises NotText for binary data.

    UTF-8 (with or without BOM), UTF-16/32 (with or without BOM), GB18030/GBK,
    Big5 and Shift-JIS; where the legacy encodings all decode, the one giving the
    most common characters wins. A file mixing encodings line by line is decoded
    per line (encoding name `mixed`). A few stray NUL bytes are dropped.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _finish(data[3:].decode("utf-8", errors="replace"), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _finish(data.decode("utf-32", errors="replace"), "utf-32")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _finish(data.decode("utf-16", errors="replace"), "utf-16")
    text = _strict(data, "utf-8")
    if text is not None and _plausible(text) >= 0.5:
        return _finish(text, "utf-8")
    # UTF-16 without BOM: strict decoding, and the result must read as text.
    even = data[: len(data) // 2 * 2]
    if len(even) >= 4:
        best = None
        for enc in ("utf-16-le", "utf-16-be"):
            t = _strict(even, enc)
            if t is not None:
                score = _plausible(t)
                if score >= 0.8 and (best is None or score > best[0]):
                    best = (score, t, enc)
        if best:
            return _finish(best[1], best[2])
    if text is not None:
        return _finish(text, "utf-8")   # UTF-8 that reads oddly is still UTF-8
    cands = []
    for enc in ("gb18030", "big5", "shift_jis"):
        t = _strict(data, enc)
        if t is not None:
            cands.append((_plausible(t), -len(cands), t, enc))
    if cands:
        score, _, t, enc = max(cands)
        if score >= 0.95:
            return _finish(t, enc)
    else:
        score = -1.0
    mixed = _per_line(data)
    mscore = _plausible(mixed)
    if cands and score >= mscore - 0.02 and (score >= 0.5 or _bad_share(t) < 0.01):
        return _finish(t, enc)
    if _bad_share(mixed) > 0.02 or mscore < 0.5:
        raise NotText("binary data, not text in UTF-8, UTF-16, GB18030, Big5 or Shift-JIS")
    return _finish(mixed, "mixed")


def _per_line(data: bytes) -> str:
    """A file mixing encodings: each line in the first encoding that takes it."""
    lines = []
    for raw in data.split(b"\n"):
        best = None
        for rank, enc in enumerate(("utf-8", "gb18030", "big5")):
            t = _strict(raw, enc)
            if t is not None:
                if raw.isascii():
                    best = (1.0, 0, t)
                    break
                cand = (_plausible(t), -rank, t)
                best = cand if best is None or cand > best else best
        lines.append(best[2] if best else raw.decode("gb18030", errors="replace"))
    return "\n".join(lines)


def _finish(text: str, enc: str) -> tuple[str, str]:
    if "\x00" in text:
        n = text.count("\x00")
        if n > 0.01 * len(text):
            raise NotText(f"binary data ({n} NUL bytes), not a text dump")
        text = text.replace("\x00", "")
    return text, enc


def looks_like_text(text: str) -> bool:
    if not text.strip():
        return False
    sample = text[:20000]
    ctrl = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    return ctrl <= 0.01 * len(sample)


def _frags(line: str, layout: bool, pipes: bool = False) -> list[Frag]:
    """Split a line into fragments at runs of 2+ spaces (layout) or any space (raw); a
    table copied from a web page or a Word file at its '|' cell separators (a line of
    pipes alone closes a row copied a cell per line: it reads as a blank line)."""
    if pipes and "|" in line:
        return [Frag(m.group().strip(), float(m.start()), float(m.end()))
                for m in regex.finditer(r"[^|]+", line) if m.group().strip()]
    pat = r"\S+(?: \S+)*" if layout else r"\S+"
    return [Frag(m.group(), float(m.start()), float(m.end())) for m in regex.finditer(pat, line)]


def _pipe_cells(line: str) -> list[str] | None:
    """A copied table's line as its cells, empty ones kept ('a | | b |' -> a, '', b); None for a
    line without '|'."""
    t = line.strip()
    if "|" not in t:
        return None
    parts = t.split("|")
    if parts and not parts[-1].strip():
        parts = parts[:-1]          # the mark closing the last cell
    return [p.strip() for p in parts]


def read_text(data: bytes) -> Document:
    text, _enc = decode(data)
    if not looks_like_text(text):
        raise NotText("binary data, not a text dump")
    text = fold_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    chunks = text.split("\f")
    nonblank = [ln for ln in text.split("\n") if ln.strip()]
    # pdftotext -layout keeps columns apart: wide gaps inside lines, deep indents
    gaps = sum(bool(_LAYOUT_GAP.search(ln.rstrip())) for ln in nonblank)
    indents = sum(len(ln) - len(ln.lstrip()) >= 8 for ln in nonblank)
    # a table copied from a web page or a Word file: cells between '|' marks
    pipes = sum("|" in ln for ln in nonblank) >= 0.3 * len(nonblank) if nonblank else False
    layout = not pipes and bool(nonblank) and (gaps > 0.3 * len(nonblank) or (gaps > 0.1 * len(nonblank)
                                                                               and indents > 0.4 * len(nonblank)))
    pages = []
    for i, chunk in enumerate(chunks):
        if i == len(chunks) - 1 and not chunk.strip() and i > 0:
            break  # pdftotext ends with a form feed: no page after it
        page = Page(i + 1, extractor="text")
        for ln in chunk.split("\n"):
            cells = _pipe_cells(ln) if pipes else None
            if cells is not None and not any(c.strip() for c in cells):
                # empty cells (a cell per line: '|'; the columns a row left out: '||||') go with
                # the cells before them
                last = next((b for b in reversed(page.blocks) if b.pipe_cells), None)
                if last is not None:
                    last.pipe_cells.extend(cells)
                if ln.strip() == "|":
                    continue
                cells = None
            page.blocks.append(Line(i + 1, _frags(ln.rstrip(), layout, pipes), None, cells))
        pages.append(page)
    return Document(pages, "text", layout_text=layout, pipe_table=pipes)
