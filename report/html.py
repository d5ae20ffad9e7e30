"""Static HTML review pages for a run: a batch summary and one page per document.

    write_site(out_dir, html_dir, sources=None) -> Path of index.html

* ``index.html``: counts, each document's status, issues by code, and two
  inline SVG charts (funds and indicator categories per department).
* ``doc-<doc_id>.html``: each PDF page rendered with PyMuPDF to
  ``img/<doc_id>-p<N>.png`` with the extracted indicator rows outlined from
  their bboxes, beside the records and issues of that page.  Clicking a record
  (or Enter on it) highlights its box and scrolls to it; clicking a box selects
  its record.  Text dumps have no page images: their records only.
* Office files and web pages (xlsx/xls/docx/doc/html) are re-read with
  ``extract.reader.read_document`` and their tables drawn as HTML tables
  (rowspan/colspan and line breaks as in the file, free lines as paragraphs
  above/below) beside the records; a record is linked to the cell named by its
  ``cell_ref`` (``Sheet1!C12``, ``table 2 row 12``) and clicking it outlines
  that cell and its table row.  At most MAX_TABLE_CELLS cells (and free lines)
  are drawn per document and a cell shows at most MAX_CELL_CHARS characters;
  the page says when it was cut.  A source that is gone, changed since the run
  (SHA-256) or no longer readable gives the records only, with a note.

Static files only: no external scripts, styles, fonts or CDNs, so the folder
works offline and can be zipped and mailed.  Every string taken from a
document is escaped; a Content-Security-Policy forbids anything but the inline
style/script of the page itself and the page images.
"""
from __future__ import annotations

import hashlib
import html
import shutil
from pathlib import Path

from . import CAPTIONS, ISSUE_MEANINGS, SEVERITY_CAPTIONS, SEVERITY_ORDER, na_to_none

DPI = 100
MAX_RENDER_PAGES = 300
OFFICE_TYPES = frozenset({"xlsx", "xls", "docx", "doc", "html"})
MAX_TABLE_CELLS = 20_000    # cells and free lines drawn per office document
MAX_CELL_CHARS = 4_000      # characters shown of one cell or line
PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f", "#bab0ac"]
LEVEL1_ORDER = ["产出指标", "效益指标", "满意度指标", "成本指标"]

CSP = ("default-src 'none'; img-src 'self' data: file:; style-src 'unsafe-inline'; "
       "script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")

CSS = """
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
 margin:0;color:#1f2933;background:#f5f7fa;font-size:14px;line-height:1.45}
header{background:#243b53;color:#fff;padding:12px 20px}
header a{color:#bcccdc}
header h1{margin:0;font-size:20px}
main{padding:16px 20px}
h2{font-size:17px;margin:22px 0 8px}
h3{font-size:15px;margin:14px 0 6px}
table{border-collapse:collapse;background:#fff;margin:4px 0 12px}
th,td{border:1px solid #d9e2ec;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#e4ebf2;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:22px}
.badge{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;color:#fff;background:#829ab1}
.st-ok{background:#3f9142}.st-partial{background:#c77c02}.st-failed{background:#c62828}.st-no_forms{background:#829ab1}
.sev-error{background:#c62828}.sev-warning{background:#c77c02}.sev-info{background:#486581}
.page{display:flex;gap:16px;align-items:flex-start;margin:10px 0 28px;flex-wrap:wrap}
.sheet{position:relative;flex:0 0 auto;border:1px solid #9fb3c8;background:#fff;box-shadow:0 1px 4px #0002}
.sheet img{display:block;width:100%;height:auto}
.box{position:absolute;border:1.5px solid rgba(33,102,172,.75);background:rgba(33,102,172,.06);cursor:pointer}
.box:hover{background:rgba(33,102,172,.18)}
.box.sel{border:3px solid #e3120b;background:rgba(255,214,0,.35);z-index:2}
.sheet.tables{flex:1 1 560px;max-width:100%;overflow:auto;padding:10px 12px;box-shadow:none}
table.grid{border-collapse:collapse;margin:6px 0;font-size:13px}
table.grid td{border:1px solid #9fb3c8;padding:2px 5px;min-width:2.5em;max-width:30em;vertical-align:middle;
 overflow-wrap:anywhere}
table.grid tr.gr[data-box]{cursor:pointer}
table.grid tr.gr[data-box]>td{background:#f3f8fd}
table.grid tr.gr.sel>td{background:#fff3bf;box-shadow:inset 0 3px 0 #e3120b,inset 0 -3px 0 #e3120b}
table.grid td.hit.sel{outline:3px solid #e3120b;outline-offset:-3px;background:#ffe066}
p.free{margin:4px 0;white-space:pre-wrap}
p.cap{color:#9a5b00}
.side{flex:1 1 480px;min-width:380px;max-width:900px}
tr.rec{cursor:pointer}
tr.rec:hover td{background:#f0f4f8}
tr.rec.sel td{background:#fff3bf}
tr.rec:focus{outline:2px solid #2166ac}
.issues li{margin:2px 0}
.muted{color:#627d98}
.proj{background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:6px 10px;margin:8px 0}
.proj dl{display:grid;grid-template-columns:max-content 1fr;gap:1px 10px;margin:4px 0}
.proj dt{color:#627d98}.proj dd{margin:0}
ol.goals{margin:4px 0;padding-left:22px}
svg text{font-size:12px;fill:#1f2933}
.nw{white-space:nowrap}
td.kind-qualitative{color:#9a5b00}
table.inds{width:100%}
nav.toc a{margin-right:10px}
"""

JS = r"""
(function(){
  function clear(){document.querySelectorAll('.sel').forEach(function(e){e.classList.remove('sel')});}
  function select(id, scroll){
    clear();
    var box=document.getElementById(id);
    if(box){
      box.classList.add('sel');
      if(box.tagName==='TD'){box.parentElement.classList.add('sel');}
      if(scroll){box.scrollIntoView({block:'center',inline:'nearest'});}
    }
    var rows=document.querySelectorAll('tr.rec[data-box="'+id+'"]');
    rows.forEach(function(r){r.classList.add('sel');});
    if(!scroll && rows.length){rows[0].scrollIntoView({block:'nearest'});}
    document.body.setAttribute('data-selected', id);
  }
  document.addEventListener('click', function(e){
    var row=e.target.closest('tr.rec[data-box]');
    if(row){select(row.getAttribute('data-box'), true); return;}
    var box=e.target.closest('.box, td.hit');
    if(box){select(box.id, false); return;}
    var gr=e.target.closest('tr.gr[data-box]');
    if(gr){select(gr.getAttribute('data-box'), false);}
  });
  document.addEventListener('keydown', function(e){
    if(e.key!=='Enter' && e.key!==' '){return;}
    var row=e.target.closest && e.target.closest('tr.rec[data-box]');
    if(row){e.preventDefault(); select(row.getAttribute('data-box'), true);}
  });
  window.jxmbSelect=select;
})();
"""


# -- small helpers ---------------------------------------------------------------

def esc(v) -> str:
    """Escape any value for HTML text or a quoted attribute; NA -> ''."""
    v = _val(v)
    return "" if v is None else html.escape(str(v), quote=True)


_val = na_to_none


def _wan(y) -> str:
    y = _val(y)
    if y is None:
        return ""
    return f"{y / 1e4:,.4f}".rstrip("0").rstrip(".") + "万元"


def _num(v) -> str:
    v = _val(v)
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _page(title: str, body: str, up: str | None = None) -> str:
    nav = f'<a href="{esc(up)}">← 批次概览</a>' if up else ""
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<meta name=\"referrer\" content=\"no-referrer\"><title>{esc(title)}</title>"
            f"<style>{CSS}</style></head><body><header>{nav}<h1>{esc(title)}</h1></header>"
            f"<main>{body}</main><script>{JS}</script></body></html>\n")


def _group(df, key) -> dict:
    out: dict = {}
    for r in df.to_dict("records"):
        out.setdefault(_val(r[key]), []).append({k: _val(v) for k, v in r.items()})
    return out


def _sev(s) -> str:
    s = _val(s) or ""
    return f'<span class="badge sev-{esc(s)}">{esc(SEVERITY_CAPTIONS.get(s, s))}</span>'


# -- charts (inline SVG) -----------------------------------------------------------

def _bar_chart(rows: list[tuple[str, float]], unit: str, title: str) -> str:
    """Horizontal bars: (label, value)."""
    if not rows:
        return '<p class="muted">（无数据）</p>'
    lw, bw, bh, gap = 260, 420, 20, 8
    h = len(rows) * (bh + gap) + 30
    vmax = max(v for _, v in rows) or 1.0
    parts = [f'<svg role="img" aria-label="{esc(title)}" width="{lw + bw + 130}" height="{h}" '
             f'viewBox="0 0 {lw + bw + 130} {h}" xmlns="http://www.w3.org/2000/svg"><title>{esc(title)}</title>']
    for k, (label, v) in enumerate(rows):
        y = 10 + k * (bh + gap)
        w = max(1.0, bw * v / vmax) if v else 0
        short = label if len(label) <= 18 else label[:17] + "…"
        parts.append(f'<text x="{lw - 6}" y="{y + bh * 0.72:.1f}" text-anchor="end"><title>{esc(label)}</title>{esc(short)}</text>')
        parts.append(f'<rect x="{lw}" y="{y}" width="{w:.1f}" height="{bh}" fill="{PALETTE[0]}"/>')
        parts.append(f'<text x="{lw + w + 6:.1f}" y="{y + bh * 0.72:.1f}">{esc(f"{v:,.2f}".rstrip("0").rstrip("."))} {esc(unit)}</text>')
    parts.append(f'<line x1="{lw}" y1="4" x2="{lw}" y2="{h - 20}" stroke="#829ab1"/></svg>')
    return "".join(parts)


def _stacked_chart(rows: list[tuple[str, dict]], cats: list[str], title: str) -> str:
    """Horizontal stacked bars: (label, {category: count})."""
    if not rows:
        return '<p class="muted">（无数据）</p>'
    lw, bw, bh, gap = 260, 420, 20, 8
    h = len(rows) * (bh + gap) + 46
    vmax = max(sum(d.values()) for _, d in rows) or 1
    color = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(cats)}
    parts = [f'<svg role="img" aria-label="{esc(title)}" width="{lw + bw + 130}" height="{h}" '
             f'viewBox="0 0 {lw + bw + 130} {h}" xmlns="http://www.w3.org/2000/svg"><title>{esc(title)}</title>']
    for k, (label, d) in enumerate(rows):
        y = 10 + k * (bh + gap)
        short = label if len(label) <= 18 else label[:17] + "…"
        parts.append(f'<text x="{lw - 6}" y="{y + bh * 0.72:.1f}" text-anchor="end"><title>{esc(label)}</title>{esc(short)}</text>')
        x = float(lw)
        for c in cats:
            n = d.get(c, 0)
            if not n:
                continue
            w = bw * n / vmax
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bh}" fill="{color[c]}">'
                         f'<title>{esc(label)} · {esc(c)}: {n}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + bh * 0.72:.1f}">{sum(d.values())}</text>')
    ly = h - 18
    x = float(lw)
    for c in cats:
        parts.append(f'<rect x="{x:.1f}" y="{ly}" width="12" height="12" fill="{color[c]}"/>'
                     f'<text x="{x + 16:.1f}" y="{ly + 10}">{esc(c)}</text>')
        x += 24 + 13 * len(c)
    parts.append("</svg>")
    return "".join(parts)


# -- rendering ---------------------------------------------------------------------

def _render_pages(src: Path, doc_id: str, img_dir: Path, wanted: set[int] | None) -> dict[int, dict]:
    """Render the PDF's pages to PNG; {page: {file, w_pt, h_pt, w_px, h_px}}."""
    import pymupdf

    out: dict[int, dict] = {}
    with pymupdf.open(src) as doc:
        for pno in range(min(len(doc), MAX_RENDER_PAGES)):
            n = pno + 1
            if wanted is not None and n not in wanted:
                continue
            page = doc[pno]
            pix = page.get_pixmap(dpi=DPI, alpha=False)
            name = f"{doc_id}-p{n}.png"
            pix.save(img_dir / name)
            out[n] = {"file": f"img/{name}", "w_pt": page.rect.width, "h_pt": page.rect.height,
                      "w_px": pix.width, "h_px": pix.height}
    return out


# -- office files and web pages: the tables themselves ---------------------------------

def _office_source(src: Path | None, doc: dict):
    """Re-read an office file or web page: (Document, None), or (None, why not: a note in Chinese)."""
    if src is None or not src.is_file():
        return None, "找不到来源文件，只显示提取的记录。"
    try:
        data = src.read_bytes()
    except OSError as e:
        return None, f"来源文件无法读取（{e.strerror or type(e).__name__}），只显示提取的记录。"
    want = doc.get("sha256")
    if want and hashlib.sha256(data).hexdigest() != want:
        # cell refs of another version of the file would point at the wrong rows
        return None, "来源文件在运行之后已改变（SHA-256 不同），只显示提取的记录。"
    from extract.reader import InputError, ReadOptions, read_document
    try:
        document = read_document(data, ReadOptions(ocr=False))
    except InputError as e:
        return None, f"来源文件无法重新读取（{e}），只显示提取的记录。"
    except Exception as e:  # noqa: BLE001 - a reader bug must not take the whole site down
        return None, f"来源文件无法重新读取（{type(e).__name__}），只显示提取的记录。"
    if document.file_type not in OFFICE_TYPES:
        return None, f"来源文件现在读作 {document.file_type}，只显示提取的记录。"
    return document, None


def _squash(v) -> str:
    return "".join(str(v or "").split())


def _cell_id(g: int, row: int, col: int) -> str:
    return f"t{g}-r{row}-c{col}"


def _office_targets(document, inds: list[dict]) -> dict[tuple, tuple[int, str]]:
    """Each record's cell from its cell_ref: {(project_id, ind_seq): (page, cell id)}.

    A Word/HTML ref names a row (`table 2 row 12`), so several cells share it: the
    one holding the record's name is taken, else its value, else the leftmost."""
    from extract.model import Grid

    by_ref: dict[str, list] = {}
    g = 0
    for page in document.pages:
        for b in page.blocks:
            if not isinstance(b, Grid):
                continue
            g += 1
            for c in sorted(b.cells, key=lambda c: (c.row, c.col)):
                if c.ref:
                    by_ref.setdefault(c.ref, []).append((page.number, _cell_id(g, c.row, c.col), _squash(c.text)))
    out: dict[tuple, tuple[int, str]] = {}
    for i in inds:
        found = by_ref.get(i.get("cell_ref") or "")
        if not found:
            continue
        pick = found[0]
        for k in ("name_raw", "name", "value_raw"):
            want = _squash(i.get(k))
            hit = next((f for f in found if want and f[2] == want), None)
            if hit:
                pick = hit
                break
        out[_ind_key(i)] = (pick[0], pick[1])
    return out


def _text_html(text: str) -> str:
    """A cell's or line's text, escaped, its line breaks as <br>, cut at MAX_CELL_CHARS."""
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS] + "…"
    return "<br>".join(esc(line) for line in text.split("\n"))


def _grid_html(grid, g: int, hits: set[str], budget: int) -> tuple[str, int, int]:
    """One Grid as an HTML table, whole rows only while `budget` cells last:
    (html, cells drawn, rows drawn).  `hits`: ids of the cells records point at;
    their rows carry data-box (a click on the row selects the record)."""
    rows_html, used = [], 0
    for r, cells in enumerate(grid.rows()):
        if used + len(cells) > budget:
            break
        used += len(cells)
        tds, row_box = [], ""
        for c in cells:
            cid = _cell_id(g, c.row, c.col)
            attrs = f' id="{cid}" class="hit"' if cid in hits else ""
            if cid in hits and not row_box:
                row_box = cid
            if c.rowspan > 1:
                attrs += f' rowspan="{int(c.rowspan)}"'
            if c.colspan > 1:
                attrs += f' colspan="{int(c.colspan)}"'
            if c.ref:
                attrs += f' data-ref="{esc(c.ref)}"'
            tds.append(f"<td{attrs}>{_text_html(c.text or '')}</td>")
        box = f' data-box="{row_box}"' if row_box else ""
        rows_html.append(f'<tr class="gr" data-row="{r}"{box}>{"".join(tds)}</tr>')
    if not rows_html:
        return "", 0, 0
    return (f'<table class="grid" data-grid="{g}"><tbody>{"".join(rows_html)}</tbody></table>',
            used, len(rows_html))


def _page_title(page, n_pages: int) -> str:
    """A sheet's name for a workbook page, else a plain caption."""
    from extract.model import Grid

    for b in page.blocks:
        if isinstance(b, Grid):
            ref = next((c.ref for c in b.cells if c.ref), None)
            if ref and "!" in ref:
                return f"工作表 {ref.rsplit('!', 1)[0]}"
            break
    return f"第 {page.number} 部分" if n_pages > 1 else "文档内容"


def _office_pages(document, hits: set[str]) -> tuple[list[tuple[int, str, str]], set[str], int, int]:
    """The document's pages as HTML: ([(page, title, html)], ids of the hit cells drawn,
    items drawn, items in all).  Items are cells and free lines; drawing stops for
    good once MAX_TABLE_CELLS are drawn or a table did not fit."""
    from extract.model import Grid

    total = sum(len(b.cells) if isinstance(b, Grid) else 1 for p in document.pages for b in p.blocks)
    out, drawn_ids, drawn, g, full = [], set(), 0, 0, False
    for page in document.pages:
        parts = []
        for b in page.blocks:
            if isinstance(b, Grid):
                g += 1
                if full:
                    continue
                table, n, n_rows = _grid_html(b, g, hits, MAX_TABLE_CELLS - drawn)
                drawn += n
                full = n < len(b.cells)
                parts.append(table)
                drawn_ids.update(_cell_id(g, c.row, c.col) for c in b.cells if c.row < n_rows)
            elif not full and drawn < MAX_TABLE_CELLS:
                drawn += 1
                text = " ".join(f.text for f in getattr(b, "frags", []))
                parts.append(f'<p class="free">{_text_html(text)}</p>')
        if any(parts):
            out.append((page.number, _page_title(page, len(document.pages)), "".join(parts)))
    return out, drawn_ids & hits, drawn, total


def _box_id(ind: dict) -> str:
    return f"b-{ind['project_id']}-{ind['ind_seq']}"


OPS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "＝"}


def _parsed(i: dict) -> str:
    """The normalised value in one short string: `≥ 1 次/天`, `≤ 2025-12-31`, `35,000 元`."""
    op = OPS.get(i.get("operator") or "", "")
    if i.get("deadline") is not None:
        return f"{op} {i['deadline']}".strip()
    if i.get("value_yuan") is not None:
        return f"{op} {i['value_yuan']:,.2f}".rstrip("0").rstrip(".") + " 元"
    if i.get("value_num") is not None:
        return f"{op} {_num(i['value_num'])} {i.get('unit') or ''}".strip()
    return ""


def _ind_key(i: dict) -> tuple:
    return (i.get("project_id"), i.get("ind_seq"))


def _ind_table(inds: list[dict], boxes: bool, links: dict[tuple, str] | None = None) -> str:
    """The records; `boxes`: link each to its page box; `links`: {(project_id, ind_seq): table cell id}."""
    heads = [("ind_seq", "#"), ("level2", CAPTIONS["level2"]), ("label", CAPTIONS["label"]),
             ("name", CAPTIONS["name"]), ("value_raw", "指标值"), ("parsed", "解析"), ("value_kind", "类型")]
    head = "".join(f'<th title="{esc(c)}">{esc(h)}</th>' for c, h in heads)
    rows = []
    for i in inds:
        has_box = boxes and i.get("bbox_x0") is not None and i.get("page") is not None
        target = _box_id(i) if has_box else (links or {}).get(_ind_key(i))
        ref = f' data-ref="{esc(i.get("cell_ref"))}"' if i.get("cell_ref") is not None else ""
        attrs = (f' class="rec" data-box="{esc(target)}"{ref} tabindex="0"' if target
                 else f' class="rec-nobox"{ref}')
        l2 = i.get("level2") or ""
        cells = [f'<td class="num">{esc(_num(i.get("ind_seq")))}</td>',
                 f'<td class="nw" title="{esc(i.get("level1"))}">{esc(l2)}</td>',
                 f'<td class="nw">{esc(i.get("label"))}</td>',
                 f'<td>{esc(i.get("name"))}</td>',
                 f'<td>{esc(i.get("value_raw"))}</td>',
                 f'<td class="nw">{esc(_parsed(i))}</td>',
                 f'<td class="nw kind-{esc(i.get("value_kind"))}">{esc(i.get("value_kind"))}</td>']
        rows.append(f"<tr{attrs}>{''.join(cells)}</tr>")
    return f'<table class="inds"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _issue_list(issues: list[dict]) -> str:
    if not issues:
        return ""
    items = "".join(f'<li data-code="{esc(i["code"])}">{_sev(i["severity"])} <code>{esc(i["code"])}</code> '
                    f'{esc(i["message"])}</li>' for i in sorted(issues, key=lambda i: SEVERITY_ORDER.get(i["severity"], 9)))
    return f'<ul class="issues">{items}</ul>'


def _project_head(p: dict, goals: list[dict], with_goals: bool) -> str:
    fields = [("form_title", p.get("form_title")), ("budget_year", p.get("budget_year")),
              ("department", p.get("department")), ("implementing_unit", p.get("implementing_unit")),
              ("funds_total_yuan", _wan(p.get("funds_total_yuan"))),
              ("funds_fiscal_yuan", _wan(p.get("funds_fiscal_yuan"))),
              ("funds_other_yuan", _wan(p.get("funds_other_yuan")))]
    label = {"funds_total_yuan": "年度资金总额", "funds_fiscal_yuan": "财政拨款", "funds_other_yuan": "其他资金"}
    dl = "".join(f"<dt>{esc(label.get(k) or CAPTIONS.get(k, k))}</dt><dd>{esc(v)}</dd>"
                 for k, v in fields if v not in (None, ""))
    g = ""
    if with_goals and goals:
        g = "<ol class=\"goals\">" + "".join(f"<li>{esc(x.get('text'))}</li>" for x in goals) + "</ol>"
    name = p.get("project_name") or "（无项目名称）"
    return (f'<div class="proj" id="p-{esc(p["project_id"])}"><h3>项目 {esc(p.get("project_seq"))}：{esc(name)}</h3>'
            f"<dl>{dl}</dl>{g}</div>")


def _side(n: int, first: int, projects: list[dict], goals: dict, proj_issues: dict, on_page: list[dict],
          cells: dict[tuple, str] | None) -> list[str]:
    """What stands beside page n: the heads of the projects on it and their records
    (linked to page boxes when `cells` is None, else to table cells)."""
    side = []
    for p in projects:
        ps, pe = p.get("page_start"), p.get("page_end")
        p_inds = [i for i in on_page if i["project_id"] == p["project_id"]]
        starts_here = ps == n or (ps is None and n == first)
        if not p_inds and not starts_here and not (ps is not None and pe is not None and ps <= n <= pe):
            continue
        side.append(_project_head(p, goals.get(p["project_id"], []), starts_here))
        if starts_here:
            side.append(_issue_list(proj_issues.get(p["project_id"], [])))
        if p_inds:
            side.append(_ind_table(p_inds, cells is None, cells))
    if not side:
        side.append('<p class="muted">本页没有提取到记录。</p>')
    return side


def _office_body(document, projects: list[dict], goals: dict, proj_issues: dict, all_inds: list[dict]) -> str:
    """An office file's or web page's tables, page by page, each beside its records."""
    targets = _office_targets(document, all_inds)
    sections, drawn_ids, drawn, total = _office_pages(document, {cid for _, cid in targets.values()})
    cells = {k: cid for k, (_, cid) in targets.items() if cid in drawn_ids}
    page_of = {k: pg for k, (pg, cid) in targets.items() if cid in drawn_ids}
    parts = []
    if drawn < total:
        parts.append(f'<p class="muted cap" data-drawn="{drawn}" data-total="{total}">表格太大：只画出前 {drawn:,} 个'
                     f'单元格和文字行（共 {total:,} 个）；其余单元格中的记录列在页末，无法定位。</p>')
    if not sections:
        parts.append('<p class="muted">来源文件中没有表格或文字。</p>')
    if len(sections) > 1:
        toc = " ".join(f'<a href="#page-{n}">{esc(t)}</a>' for n, t, _ in sections)
        parts.append(f'<nav class="toc">{toc}</nav>')
    first = sections[0][0] if sections else 1
    for n, title, body in sections:
        on_page = [i for i in all_inds if page_of.get(_ind_key(i)) == n]
        side = _side(n, first, projects, goals, proj_issues, on_page, cells)
        parts.append(f'<h2 id="page-{n}">{esc(title)}</h2><section class="page office" data-page="{n}">'
                     f'<div class="sheet tables">{body}</div><div class="side">{"".join(side)}</div></section>')
    shown = {n for n, _, _ in sections}
    unplaced = [i for i in all_inds if _ind_key(i) not in cells]
    # projects whose page is not drawn still need their heads
    for p in projects:
        ps = p.get("page_start")
        if sections and (ps in shown or (ps is None and first in shown)):
            continue
        parts.append(_project_head(p, goals.get(p["project_id"], []), True))
        parts.append(_issue_list(proj_issues.get(p["project_id"], [])))
    if unplaced:
        parts.append("<h2>没有对应单元格的记录</h2>" + _ind_table(unplaced, False))
    return "".join(parts)


def _doc_page(doc: dict, projects: list[dict], goals: dict, inds: dict, issues: dict, src: Path | None,
              img_dir: Path) -> str:
    doc_id = doc["doc_id"]
    title = Path(str(doc.get("source_path") or doc_id)).name
    parts = [f'<p>{_status(doc)} <span class="muted">{esc(doc.get("source_path"))} · {esc(doc.get("file_type"))} · '
             f'{esc(doc.get("extractor"))} · {esc(doc.get("pages"))} 页 · 文档编号 {esc(doc_id)}</span></p>']
    if doc.get("error"):
        parts.append(f"<p>原因：{esc(doc.get('error'))}</p>")
    doc_issues = [i for i in issues.get(doc_id, []) if not i.get("project_id")]
    if doc_issues:
        parts.append("<h2>文档问题</h2>" + _issue_list(doc_issues))
    proj_issues: dict = {}
    for i in issues.get(doc_id, []):
        if i.get("project_id"):
            proj_issues.setdefault(i["project_id"], []).append(i)

    all_inds = [i for p in projects for i in inds.get(p["project_id"], [])]
    pages_info: dict[int, dict] = {}
    if src is not None and doc.get("file_type") == "pdf" and src.is_file():
        try:
            pages_info = _render_pages(src, doc_id, img_dir, None)
        except Exception as e:  # noqa: BLE001 - a page that cannot be drawn is shown without image
            parts.append(f'<p class="muted">页面图像无法生成：{esc(type(e).__name__)}</p>')
    elif doc.get("file_type") == "pdf":
        parts.append('<p class="muted">找不到来源 PDF，只显示提取的记录。</p>')
    office = None
    if doc.get("file_type") in OFFICE_TYPES:
        office, note = _office_source(src, doc)
        if note:
            parts.append(f'<p class="muted note">{esc(note)}</p>')

    if pages_info:
        toc = " ".join(f'<a href="#page-{n}">第 {n} 页</a>' for n in sorted(pages_info))
        parts.append(f'<nav class="toc">{toc}</nav>')
        unpaged = [i for i in all_inds if i.get("page") not in pages_info]
        for n in sorted(pages_info):
            info = pages_info[n]
            sx, sy = 100.0 / info["w_pt"], 100.0 / info["h_pt"]
            on_page = [i for i in all_inds if i.get("page") == n]
            boxes = []
            for i in on_page:
                if i.get("bbox_x0") is None:
                    continue
                x0, y0, x1, y1 = (float(i[k]) for k in ("bbox_x0", "bbox_y0", "bbox_x1", "bbox_y1"))
                tip = f"{i.get('label') or ''} {i.get('name') or ''} = {i.get('value_raw') or ''}"
                boxes.append(f'<div class="box" id="{esc(_box_id(i))}" title="{esc(tip)}" '
                             f'style="left:{x0 * sx:.3f}%;top:{y0 * sy:.3f}%;width:{(x1 - x0) * sx:.3f}%;'
                             f'height:{(y1 - y0) * sy:.3f}%"></div>')
            side = _side(n, min(pages_info), projects, goals, proj_issues, on_page, None)
            w = info["w_px"]
            parts.append(f'<h2 id="page-{n}">第 {n} 页</h2><section class="page" data-page="{n}">'
                         f'<div class="sheet" style="width:{w}px;max-width:100%">'
                         f'<img src="{esc(info["file"])}" alt="第 {n} 页" width="{w}" height="{info["h_px"]}">'
                         f'{"".join(boxes)}</div><div class="side">{"".join(side)}</div></section>')
        if unpaged:
            parts.append("<h2>没有页码的记录</h2>" + _ind_table(unpaged, False))
    elif office is not None:
        parts.append(_office_body(office, projects, goals, proj_issues, all_inds))
    else:
        if not projects:
            parts.append('<p class="muted">没有找到表格。</p>')
        for p in projects:
            parts.append(_project_head(p, goals.get(p["project_id"], []), True))
            parts.append(_issue_list(proj_issues.get(p["project_id"], [])))
            parts.append(_ind_table(inds.get(p["project_id"], []), False))
    return _page(title, "".join(parts), up="index.html")


def _status(doc: dict) -> str:
    s = doc.get("status") or ""
    return f'<span class="badge st-{esc(s)}">{esc(s)}</span>'


def _index(t: dict, docs: list[dict], projects: dict, inds: dict, issues: dict, pages: dict) -> str:
    n_iss = len(t["issues"])
    by_sev: dict[str, int] = {}
    for s in t["issues"]["severity"]:
        s = _val(s) or ""
        by_sev[s] = by_sev.get(s, 0) + 1
    cards = [("文档", len(docs)), ("项目", len(t["projects"])), ("指标", len(t["indicators"])),
             ("问题", n_iss)] + [(SEVERITY_CAPTIONS.get(s, s), by_sev[s])
                                 for s in sorted(by_sev, key=lambda s: SEVERITY_ORDER.get(s, 9))]
    body = ['<div class="cards">' + "".join(f'<div class="card"><b>{v}</b>{esc(k)}</div>' for k, v in cards) + "</div>"]
    # documents
    rows = []
    for d in docs:
        did = d["doc_id"]
        n_ind = sum(len(inds.get(p["project_id"], [])) for p in projects.get(did, []))
        iss = issues.get(did, [])
        sev = {}
        for i in iss:
            sev[i["severity"]] = sev.get(i["severity"], 0) + 1
        sev_s = " ".join(f"{_sev(s)} {n}" for s, n in sorted(sev.items(), key=lambda kv: SEVERITY_ORDER.get(kv[0], 9)))
        name = Path(str(d.get("source_path") or did)).name
        link = f'<a href="{esc(pages[did])}">{esc(name)}</a>' if did in pages else esc(name)
        rows.append(f'<tr data-doc="{esc(did)}"><td>{link}</td><td>{_status(d)}</td><td>{esc(d.get("file_type"))}</td>'
                    f'<td>{esc(d.get("extractor"))}</td><td class="num">{esc(d.get("pages"))}</td>'
                    f'<td class="num">{esc(d.get("n_projects"))}</td><td class="num">{n_ind}</td>'
                    f'<td>{sev_s}</td><td>{esc(d.get("error"))}</td></tr>')
    body.append("<h2>文档</h2><table><thead><tr><th>文件</th><th>状态</th><th>类型</th><th>读取方式</th>"
                "<th class=\"num\">页数</th><th class=\"num\">项目</th><th class=\"num\">指标</th><th>问题</th>"
                f"<th>原因</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
    # issues by code
    groups: dict[tuple, list] = {}
    for did, lst in issues.items():
        for i in lst:
            groups.setdefault((i["code"], i["severity"]), []).append(i)
    rows = []
    for (code, sev), lst in sorted(groups.items(), key=lambda kv: (SEVERITY_ORDER.get(kv[0][1], 9), kv[0][0])):
        ndocs = len({i["doc_id"] for i in lst})
        rows.append(f'<tr data-code="{esc(code)}"><td><code>{esc(code)}</code></td><td>{_sev(sev)}</td>'
                    f'<td class="num">{len(lst)}</td><td class="num">{ndocs}</td><td>{esc(ISSUE_MEANINGS.get(code, ""))}</td></tr>')
    body.append("<h2>问题（按代码）</h2>")
    if rows:
        body.append("<table><thead><tr><th>代码</th><th>严重程度</th><th class=\"num\">条数</th>"
                    f"<th class=\"num\">涉及文档</th><th>含义</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
    else:
        body.append('<p class="muted">没有发现问题。</p>')
    # charts
    dept_funds: dict[str, float] = {}
    dept_cats: dict[str, dict] = {}
    dept_of = {}
    for lst in projects.values():
        for p in lst:
            d = p.get("department") or "（未识别）"
            dept_of[p["project_id"]] = d
            dept_funds[d] = dept_funds.get(d, 0.0) + (p.get("funds_total_yuan") or 0.0)
    cats: list[str] = []
    for pid, lst in inds.items():
        d = dept_of.get(pid, "（未识别）")
        for i in lst:
            c = i.get("level1") or "（未识别）"
            if c not in cats:
                cats.append(c)
            dc = dept_cats.setdefault(d, {})
            dc[c] = dc.get(c, 0) + 1
    cats.sort(key=lambda c: (LEVEL1_ORDER.index(c) if c in LEVEL1_ORDER else 99, c))
    funds_rows = sorted(((d, y / 1e4) for d, y in dept_funds.items()), key=lambda r: -r[1])
    body.append('<h2>各部门资金总额</h2><figure id="chart-funds">'
                + _bar_chart(funds_rows, "万元", "各部门年度资金总额（万元）") + "</figure>")
    cat_rows = sorted(dept_cats.items(), key=lambda r: -sum(r[1].values()))
    body.append('<h2>各部门指标类别</h2><figure id="chart-categories">'
                + _stacked_chart(cat_rows, cats, "各部门一级指标条数") + "</figure>")
    # all issues
    rows = []
    for d in docs:
        for i in sorted(issues.get(d["doc_id"], []), key=lambda i: SEVERITY_ORDER.get(i["severity"], 9)):
            name = Path(str(d.get("source_path") or "")).name
            rows.append(f'<tr><td>{esc(name)}</td><td>{esc(i.get("project_id"))}</td><td>{_sev(i["severity"])}</td>'
                        f'<td><code>{esc(i["code"])}</code></td><td>{esc(i["message"])}</td></tr>')
    if rows:
        body.append(f"<details><summary>全部问题（{len(rows)} 条）</summary><table><thead><tr><th>文件</th><th>项目</th>"
                    f"<th>严重程度</th><th>代码</th><th>说明</th></tr></thead><tbody>{''.join(rows)}</tbody></table></details>")
    return _page("jxmb 批次概览", "".join(body))


def write_site(out_dir: Path, html_dir: Path, sources: dict[str, str] | None = None) -> Path:
    """Write index.html and one page per document into HTML_DIR; return index.html's path."""
    import pipeline

    t = pipeline.load(Path(out_dir))
    html_dir = Path(html_dir)
    html_dir.mkdir(parents=True, exist_ok=True)
    img_dir = html_dir / "img"
    if img_dir.exists():
        shutil.rmtree(img_dir)
    img_dir.mkdir()
    docs = [{k: _val(v) for k, v in r.items()} for r in t["documents"].to_dict("records")]
    docs.sort(key=lambda d: (str(d.get("source_path") or ""), str(d.get("doc_id") or "")))
    projects = _group(t["projects"], "doc_id")
    goals = _group(t["goals"], "project_id")
    inds = _group(t["indicators"], "project_id")
    issues = _group(t["issues"], "doc_id")
    for lst in projects.values():
        lst.sort(key=lambda p: p.get("project_seq") or 0)
    for lst in inds.values():
        lst.sort(key=lambda i: i.get("ind_seq") or 0)
    pages: dict[str, str] = {}
    for d in docs:
        did = d.get("doc_id")
        if not did:
            continue
        src = (sources or {}).get(did) or d.get("source_path")
        if src and not Path(src).is_absolute() and not Path(src).exists():
            beside = Path(out_dir).resolve().parent / src   # a relative path, run from the output's parent
            src = str(beside) if beside.exists() else src
        page_name = f"doc-{did}.html"
        text = _doc_page(d, projects.get(did, []), goals, inds, issues, Path(src) if src else None, img_dir)
        (html_dir / page_name).write_text(text, encoding="utf-8")
        pages[did] = page_name
    index = html_dir / "index.html"
    index.write_text(_index(t, docs, projects, inds, issues, pages), encoding="utf-8")
    return index
