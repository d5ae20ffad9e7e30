"""Progress while a batch runs, and the summary table at its end.

On a terminal (stderr is a TTY) a tqdm bar shows documents/s, pages/s and the
ETA; otherwise a plain log line every few seconds. `quiet` silences both.
"""
from __future__ import annotations

import sys
import time


def _fmt_eta(s: float) -> str:
    s = int(round(s))
    if s >= 3600:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    if s >= 60:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s}s"


class Progress:
    def __init__(self, total: int, quiet: bool = False, stream=None, interval: float = 5.0,
                 bar: bool | None = None):
        self.total, self.quiet, self.interval = total, quiet, interval
        self.stream = stream or sys.stderr
        self.n = self.pages = self.failed = 0
        self.t0 = self.last = time.monotonic()
        self.t1 = None          # first document done: rates count from there (workers started)
        self.bar = None
        if quiet:
            return
        if bar is None:
            try:
                bar = self.stream.isatty()
            except (AttributeError, ValueError):
                bar = False
        if bar and total:
            try:
                from tqdm import tqdm
                self.bar = tqdm(total=total, unit="doc", file=self.stream, dynamic_ncols=True,
                                smoothing=0.1, mininterval=0.5, desc="jxmb")
            except ImportError:
                self.bar = None

    def rates(self) -> tuple[float, float]:
        if self.t1 is None or self.n < 2:
            return 0.0, 0.0
        dt = max(time.monotonic() - self.t1, 1e-9)
        return (self.n - 1) / dt, (self.pages - self.pages1) / dt

    def update(self, doc_rows: list[dict]) -> None:
        self.n += 1
        for d in doc_rows:
            self.pages += d.get("pages") or 0
            if d.get("status") == "failed":
                self.failed += 1
        if self.t1 is None:
            self.t1, self.pages1 = time.monotonic(), self.pages
        if self.quiet:
            return
        if self.bar is not None:
            _, pps = self.rates()
            post = f"{pps:.1f} pages/s" + (f", {self.failed} failed" if self.failed else "")
            self.bar.set_postfix_str(post, refresh=False)
            self.bar.update(1)
            return
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self._log_line()

    def _log_line(self) -> None:
        dps, pps = self.rates()
        if not dps:
            print(f"jxmb: {self.n}/{self.total} documents", file=self.stream, flush=True)
            return
        eta = f", ETA {_fmt_eta((self.total - self.n) / dps)}" if dps > 0 and self.n < self.total else ""
        fail = f", {self.failed} failed" if self.failed else ""
        print(f"jxmb: {self.n}/{self.total} documents ({dps:.1f} documents/s, {pps:.1f} pages/s{fail}){eta}",
              file=self.stream, flush=True)

    def note(self, msg: str) -> None:
        if self.quiet:
            return
        if self.bar is not None:
            self.bar.write(msg, file=self.stream)
        else:
            print(msg, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        elif not self.quiet and self.total and self.n and self.last != self.t0:
            self._log_line()


def format_summary(s: dict) -> str:
    """The summary table: this run's documents and, when it appended, the whole OUT."""
    new, tot = s["new"], s["dataset"]
    both = s["skipped"] > 0 or tot["documents"] != new["documents"]
    statuses = ["ok", "partial", "no_forms", "failed"]
    statuses += sorted((set(new["status"]) | set(tot["status"])) - set(statuses))
    sevs = ["error", "warning", "info"]
    sevs += sorted((set(new["issues_by_severity"]) | set(tot["issues_by_severity"])) - set(sevs))
    rows = [("documents", new["documents"], tot["documents"])]
    rows += [(f"  {k}", new["status"].get(k, 0), tot["status"].get(k, 0)) for k in statuses]
    rows += [("pages", new["pages"], tot["pages"]), ("projects", new["projects"], tot["projects"]),
             ("indicators", new["indicators"], tot["indicators"]),
             ("issues", new["issues"], tot["issues"])]
    rows += [(f"  {k}", new["issues_by_severity"].get(k, 0), tot["issues_by_severity"].get(k, 0)) for k in sevs]
    head = ("", "this run", "in OUT") if both else ("", "", "")
    w0 = max(len(r[0]) for r in rows) + 2
    lines = [f"jxmb: {s['out']}"]
    if both:
        lines.append(f"{head[0]:<{w0}}{head[1]:>10}{head[2]:>10}")
    for label, a, b in rows:
        lines.append(f"{label:<{w0}}{a:>10,}" + (f"{b:>10,}" if both else ""))
    el = s["elapsed_s"]
    rate = (f" ({new['documents'] / el:.1f} documents/s, {new['pages'] / el:.1f} pages/s)"
            if el > 0 and new["documents"] else "")
    lines.append(f"{'elapsed':<{w0}}{el:>9.1f}s{rate}")
    if s["skipped"]:
        lines.append(f"{s['skipped']:,} document(s) already in OUT were skipped")
    return "\n".join(lines)
