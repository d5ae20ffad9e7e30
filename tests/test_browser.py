"""The HTML review pages in a real browser: headless Chromium driven through the
Chrome DevTools Protocol over `--remote-debugging-pipe` (fd 3 / fd 4, NUL-
delimited JSON), standard library only.

Checks that the records and their highlight boxes are there and line up, that
a real mouse click on a record highlights its box (and a click on a box selects
its record), that the page images load, that no page logs a console error or
exception, and that text from a hostile document stays text.  For a Word file
and a workbook: the table is drawn with its merged cells spanning their rows,
and clicking a record outlines the table row holding its name.  Saves
screenshots to tests/artifacts/ (review-page.png, review-docx.png, review-xlsx.png).

Chromium is required: CI installs it (.ci/run); when it is missing this test
FAILS rather than skips.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

import pipeline
from conftest import ROOT, SAMPLES
from report.html import write_site

ARTIFACTS = Path(os.environ.get("JXMB_ARTIFACTS", ROOT / "tests" / "artifacts"))
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str:
    for n in CHROMIUM_NAMES:
        p = shutil.which(n)
        if p:
            return p
    pytest.fail("chromium is not installed (CI installs it: apt-get install chromium); "
                "the browser test does not skip")


class Browser:
    """A headless Chromium and one page, spoken to over the DevTools pipe."""

    def __init__(self, exe: str, profile: Path, width: int = 1500, height: int = 1100):
        cmd_r, cmd_w = os.pipe()      # we write commands, Chromium reads them on fd 3
        res_r, res_w = os.pipe()      # Chromium writes replies on fd 4, we read them
        # move the child's ends out of the way of 3 and 4 before dup2 in the child
        hi_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD_CLOEXEC, 50)
        hi_w = fcntl.fcntl(res_w, fcntl.F_DUPFD_CLOEXEC, 50)
        os.close(cmd_r)
        os.close(res_w)

        def child():
            os.dup2(hi_r, 3)
            os.dup2(hi_w, 4)

        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--mute-audio", "--hide-scrollbars", f"--user-data-dir={profile}",
                f"--window-size={width},{height}", "--remote-debugging-pipe", "about:blank"]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, preexec_fn=child, close_fds=False)
        os.close(hi_r)
        os.close(hi_w)
        self.w, self.r = cmd_w, res_r
        self.buf = b""
        self.next_id = 0
        self.events: list[dict] = []
        self.session = None
        tid = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": tid, "flatten": True})["sessionId"]
        for m in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.call(m)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    # -- protocol
    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no reply from chromium")
            ready, _, _ = select.select([self.r], [], [], left)
            if ready:
                chunk = os.read(self.r, 1 << 20)
                if not chunk:
                    err = self.proc.stderr.read().decode(errors="replace")[-2000:] if self.proc.stderr else ""
                    raise RuntimeError(f"chromium closed the pipe: {err}")
                self.buf += chunk
        msg, _, self.buf = self.buf.partition(b"\0")
        return json.loads(msg)

    def call(self, method: str, params: dict | None = None, timeout: float = 30, browser: bool = False) -> dict:
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session and not browser:
            msg["sessionId"] = self.session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        for i, e in enumerate(self.events):
            if e["method"] == method:
                return self.events.pop(i)
        while True:
            m = self._read_message(deadline)
            if m.get("method") == method:
                return m
            if "method" in m:
                self.events.append(m)

    # -- page helpers
    def goto(self, url: str) -> None:
        self.events = [e for e in self.events if e["method"] != "Page.loadEventFired"]
        self.call("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def js(self, expr: str):
        r = self.call("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise AssertionError(f"page script failed: {r['exceptionDetails']}")
        return r["result"].get("value")

    def click(self, x: float, y: float) -> None:
        for t in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": t, "x": x, "y": y, "button": "left", "clickCount": 1})

    def screenshot(self, path: Path, full: bool = False) -> None:
        params = {"format": "png"}
        if full:
            params["captureBeyondViewport"] = True
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", params)["data"]))

    def console_errors(self) -> list[str]:
        out = []
        for e in self.events:
            p = e.get("params", {})
            if e["method"] == "Runtime.exceptionThrown":
                out.append(json.dumps(p.get("exceptionDetails", {}), ensure_ascii=False)[:500])
            elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(json.dumps(p.get("args", []), ensure_ascii=False)[:500])
            elif e["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(p["entry"].get("text", "") + " " + p["entry"].get("url", ""))
            elif e["method"] == "Page.javascriptDialogOpening":
                out.append("dialog: " + p.get("message", ""))
        return out

    def close(self) -> None:
        try:
            self.call("Browser.close", browser=True, timeout=5)
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.w, self.r):
            try:
                os.close(fd)
            except OSError:
                pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser")
    out = base / "out"
    pipeline.run([str(SAMPLES / "shapotou-2025-excel.pdf"), str(SAMPLES / "shapotou-2025.txt")], out, ocr=False)
    index = write_site(out, base / "html")
    t = pipeline.load(out)
    docs = dict(zip(t["documents"]["source_path"].map(lambda s: Path(s).name), t["documents"]["doc_id"]))
    return index, docs, base


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    exe = find_chromium()
    b = Browser(exe, tmp_path_factory.mktemp("profile"))
    yield b
    b.close()


def test_chromium_is_installed():
    assert find_chromium()


def test_review_page_records_boxes_and_click(site, browser):
    index, docs, _ = site
    page = index.parent / f"doc-{docs['shapotou-2025-excel.pdf']}.html"
    browser.events.clear()
    browser.goto(page.as_uri())
    n_rows = browser.js("document.querySelectorAll('tr.rec[data-box]').length")
    n_boxes = browser.js("document.querySelectorAll('.sheet .box').length")
    assert n_rows >= 40 and n_boxes == n_rows
    # every record has its box, on a page image that loaded
    assert browser.js("[...document.querySelectorAll('tr.rec[data-box]')]"
                      ".every(r => document.getElementById(r.dataset.box))")
    assert browser.js("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    assert browser.js("document.images.length") == 7
    # boxes lie inside their page image and have a size
    assert browser.js("""[...document.querySelectorAll('.sheet .box')].every(b => {
        const s = b.parentElement.getBoundingClientRect(), r = b.getBoundingClientRect();
        return r.width > 20 && r.height > 5 && r.left >= s.left - 1 && r.right <= s.right + 1
               && r.top >= s.top - 1 && r.bottom <= s.bottom + 1; })""")
    assert browser.js("document.querySelectorAll('.sel').length") == 0

    # a real mouse click on the 3rd record of page 1
    rid = browser.js("""(() => { const r = document.querySelectorAll('tr.rec[data-box]')[2];
        r.scrollIntoView({block: 'center'}); return r.dataset.box; })()""")
    rect = browser.js(f"""(() => {{ const c = document.querySelector('tr.rec[data-box="{rid}"] td:nth-child(5)')
        .getBoundingClientRect(); return [c.left + c.width / 2, c.top + c.height / 2]; }})()""")
    browser.click(*rect)
    assert browser.js(f"document.getElementById('{rid}').classList.contains('sel')")
    assert browser.js(f"document.querySelector('tr.rec[data-box=\"{rid}\"]').classList.contains('sel')")
    assert browser.js("document.querySelectorAll('.box.sel').length") == 1
    # the selected box was scrolled into view
    assert browser.js(f"""(() => {{ const r = document.getElementById('{rid}').getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight; }})()""")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "review-page.png"
    browser.screenshot(shot)
    assert shot.stat().st_size > 20_000

    # clicking another box selects its record and deselects the first
    other = browser.js("""(() => { const b = document.querySelectorAll('.sheet .box')[5];
        b.scrollIntoView({block: 'center'}); const r = b.getBoundingClientRect();
        return [b.id, r.left + r.width / 2, r.top + r.height / 2]; })()""")
    browser.click(other[1], other[2])
    assert browser.js(f"document.querySelector('tr.rec[data-box=\"{other[0]}\"]').classList.contains('sel')")
    assert not browser.js(f"document.getElementById('{rid}').classList.contains('sel')")
    # the keyboard works too
    browser.js(f"document.querySelector('tr.rec[data-box=\"{rid}\"]').focus()")
    browser.call("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Enter", "code": "Enter",
                                            "windowsVirtualKeyCode": 13})
    browser.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Enter", "code": "Enter",
                                            "windowsVirtualKeyCode": 13})
    assert browser.js(f"document.getElementById('{rid}').classList.contains('sel')")
    # the issues of the page are shown beside the records
    assert "cost_sum_mismatch" in browser.js("document.querySelector('section.page .side').innerText")
    assert browser.console_errors() == []


def test_text_dump_page_and_index(site, browser):
    index, docs, _ = site
    browser.events.clear()
    browser.goto((index.parent / f"doc-{docs['shapotou-2025.txt']}.html").as_uri())
    assert browser.js("document.images.length") == 0
    assert browser.js("document.querySelectorAll('.box').length") == 0
    assert browser.js("document.querySelectorAll('table.inds tbody tr').length") == 55
    browser.goto(index.as_uri())
    assert browser.js("document.querySelectorAll('tr[data-doc]').length") == 2
    assert browser.js("document.querySelectorAll('#chart-funds svg rect').length") >= 1
    assert browser.js("document.querySelectorAll('#chart-categories svg rect').length") >= 3
    assert browser.js("[...document.querySelectorAll('tr[data-doc] a')].every(a => a.href.startsWith('file:'))")
    browser.screenshot(ARTIFACTS / "index-page.png") if ARTIFACTS.exists() else None
    assert browser.console_errors() == []


def test_hostile_text_stays_text(tmp_path, browser):
    evil = '<img src=x onerror="document.title=\'pwned\';alert(1)"><script>alert(2)</script>'
    res = pipeline.Result()
    res.documents.append({"doc_id": "e" * 16, "source_path": f"{evil}.txt", "file_type": "text",
                          "extractor": "text", "pages": 1, "status": "ok", "error": None, "n_projects": 1})
    pid = "e" * 16 + "-1"
    res.projects.append({"project_id": pid, "doc_id": "e" * 16, "project_seq": 1, "project_name": evil,
                         "department": evil, "budget_year": 2025, "funds_total_yuan": 1e4})
    res.goals.append({"project_id": pid, "goal_seq": 1, "goal_no": 1, "text": evil})
    res.indicators.append({"project_id": pid, "ind_seq": 1, "level1": "产出指标", "level2": evil,
                           "name": evil, "name_raw": evil, "value_raw": evil, "value_kind": "qualitative"})
    res.issues.append({"doc_id": "e" * 16, "project_id": pid, "severity": "warning", "code": evil, "message": evil})
    pipeline.write_tables(res, tmp_path / "out")
    index = write_site(tmp_path / "out", tmp_path / "html")
    browser.events.clear()
    for page in (index, index.parent / f"doc-{'e' * 16}.html"):
        browser.goto(page.as_uri())
        assert browser.js("document.title") != "pwned"
        assert browser.js("document.querySelectorAll('main img, main script').length") == 0
        assert evil in browser.js("document.body.textContent")
    assert not [e for e in browser.events if e["method"] == "Page.javascriptDialogOpening"]


def test_harness_sees_console_errors(site, browser):
    # the "no console errors" assertions above mean something: an error is seen
    index, _, _ = site
    browser.events.clear()
    browser.goto(index.as_uri())
    browser.js("console.error('boom'); setTimeout(() => { throw new Error('late'); }, 0); 1")
    browser.js("new Promise(r => setTimeout(r, 50))")
    errs = browser.console_errors()
    assert any("boom" in e for e in errs) and any("late" in e for e in errs)


# -- office files: the document's own table beside its records ------------------------

OFFICE = ROOT / "tests" / "fixtures" / "office"
OFFICE_FILES = ("hubei-huangshi-haimian-ziping-2022.docx", "fujian-ningde-fangzhi-zhengti-2019.xlsx")


def squash(s) -> str:
    return "".join(str(s or "").split())


@pytest.fixture(scope="module")
def office_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("office")
    pipeline.run([str(OFFICE / n) for n in OFFICE_FILES], base / "out", ocr=False)
    index = write_site(base / "out", base / "html")
    t = pipeline.load(base / "out")
    docs = dict(zip(t["documents"]["source_path"].map(lambda s: Path(s).name), t["documents"]["doc_id"]))
    names = {}   # (doc page, cell_ref) -> the record's name as the parser read it
    for r in t["indicators"].to_dict("records"):
        names[(r["project_id"].split("-")[0], r["cell_ref"])] = r["name_raw"] or r["name"]
    return index, docs, names


def _click_record(browser, k: int) -> tuple[str, str]:
    """A real mouse click on the name of the k-th linked record: (its cell id, its cell_ref)."""
    rid, ref = browser.js(f"""(() => {{ const r = document.querySelectorAll('tr.rec[data-box]')[{k}];
        r.scrollIntoView({{block: 'center'}}); return [r.dataset.box, r.dataset.ref]; }})()""")
    xy = browser.js(f"""(() => {{ const c = [...document.querySelectorAll('tr.rec[data-box]')][{k}]
        .querySelector('td:nth-child(4)').getBoundingClientRect(); return [c.left + c.width / 2, c.top + c.height / 2]; }})()""")
    browser.click(*xy)
    return rid, ref


@pytest.mark.parametrize("name", OFFICE_FILES)
def test_office_click_outlines_the_records_row(office_site, browser, name):
    index, docs, names = office_site
    did = docs[name]
    browser.events.clear()
    browser.goto((index.parent / f"doc-{did}.html").as_uri())
    n_recs = browser.js("document.querySelectorAll('tr.rec[data-box]').length")
    assert n_recs == sum(1 for d, _ in names if d == did) >= 6
    assert browser.js("document.querySelectorAll('table.grid').length") == 1
    assert browser.js("document.images.length") == 0
    # every record points at a drawn cell carrying the same cell_ref
    assert browser.js("""[...document.querySelectorAll('tr.rec[data-box]')].every(r => {
        const c = document.getElementById(r.dataset.box);
        return c && c.tagName === 'TD' && c.dataset.ref === r.dataset.ref && c.closest('table.grid'); })""")
    # merged cells are laid out over the rows they span
    assert browser.js("""(() => { const tds = [...document.querySelectorAll('table.grid td[rowspan]')];
        return tds.length >= 3 && tds.every(td => {
          const rows = td.closest('table').rows, i = td.parentElement.rowIndex;
          const top = rows[i].getBoundingClientRect().top;
          const bottom = rows[i + td.rowSpan - 1].getBoundingClientRect().bottom;
          const r = td.getBoundingClientRect();
          return Math.abs(r.top - top) < 3 && Math.abs(r.bottom - bottom) < 3; }); })()""")
    assert browser.js("document.querySelectorAll('.sel').length") == 0

    rid, ref = _click_record(browser, 2)
    sel_rows = browser.js("[...document.querySelectorAll('table.grid tr.sel')].map(r => r.innerText)")
    assert len(sel_rows) == 1
    assert squash(names[(did, ref)]) in squash(sel_rows[0])
    assert browser.js(f"document.getElementById('{rid}').classList.contains('sel')")
    assert browser.js(f"document.getElementById('{rid}').parentElement.classList.contains('sel')")
    assert browser.js(f"document.querySelector('tr.rec[data-box=\"{rid}\"]').classList.contains('sel')")
    # outlined: the cell has a red outline, its row's cells a red inset border
    style = browser.js(f"""(() => {{ const c = getComputedStyle(document.getElementById('{rid}'));
        const t = getComputedStyle(document.getElementById('{rid}').parentElement.cells[0]);
        return [c.outlineStyle, c.outlineWidth, c.outlineColor, t.boxShadow]; }})()""")
    assert style[0] == "solid" and style[1] == "3px" and style[2] == "rgb(227, 18, 11)"
    assert "inset" in style[3] and "rgb(227, 18, 11)" in style[3]
    # scrolled into view
    assert browser.js(f"""(() => {{ const r = document.getElementById('{rid}').getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight && r.width > 0; }})()""")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"review-{name.rsplit('.', 1)[1]}.png"
    browser.screenshot(shot)
    assert shot.stat().st_size > 20_000

    # a click on another record's row in the table selects that record and nothing else
    other = browser.js("""(() => { const r = document.querySelectorAll('tr.rec[data-box]')[5];
        const tr = document.getElementById(r.dataset.box).parentElement;
        tr.scrollIntoView({block: 'center'}); const b = tr.cells[tr.cells.length - 1].getBoundingClientRect();
        return [r.dataset.box, b.left + b.width / 2, b.top + b.height / 2]; })()""")
    browser.click(other[1], other[2])
    assert browser.js(f"document.querySelector('tr.rec[data-box=\"{other[0]}\"]').classList.contains('sel')")
    assert browser.js("document.querySelectorAll('tr.rec.sel').length") == 1
    assert browser.js("document.querySelectorAll('table.grid tr.sel').length") == 1
    assert not browser.js(f"document.getElementById('{rid}').classList.contains('sel')")
    assert browser.console_errors() == []


def test_office_hostile_text_stays_text(tmp_path, browser):
    from tests.fixtures.hostile_office import EVIL, EVIL_CELL, EVIL_SHEET, hostile_xlsx

    src = hostile_xlsx(tmp_path / "evil.xlsx")
    pipeline.run([str(src)], tmp_path / "out", ocr=False)
    index = write_site(tmp_path / "out", tmp_path / "html")
    browser.events.clear()
    browser.goto(next(index.parent.glob("doc-*.html")).as_uri())
    assert browser.js("document.title") != "pwned"
    assert browser.js("document.querySelectorAll('main img, main script, main b').length") == 0
    body = browser.js("document.body.textContent")
    assert EVIL in body and EVIL_SHEET in body
    # the hostile record still links to its hostile cell
    k = browser.js(f"""[...document.querySelectorAll('tr.rec[data-box]')]
        .findIndex(r => r.dataset.ref === {json.dumps(EVIL_SHEET + '!' + EVIL_CELL)})""")
    assert k >= 0
    _click_record(browser, k)
    assert EVIL in browser.js("document.querySelector('table.grid tr.sel').innerText")
    assert browser.js("document.title") != "pwned"
    assert not [e for e in browser.events if e["method"] == "Page.javascriptDialogOpening"]
    assert browser.console_errors() == []
