"""One isolated worker process (batch/worker.py) and what the parent does with it.

A Runner is a long-lived child process reading documents one at a time. The
parent enforces the per-document limits: a document still running after
`timeout` seconds, or whose worker's resident memory passes `max_memory_mb`, gets
its worker SIGKILLed and becomes a `failed` row (`timeout: ...`, `memory: ...`);
the worker is replaced. The worker also runs under an address-space limit
(RLIMIT_AS, a backstop at several times the cap, since the address space of a
process with an OCR model loaded is several times its resident memory).
"""
from __future__ import annotations

import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent)
AS_FACTOR = 4            # RLIMIT_AS = max(AS_FACTOR x --max-memory, --max-memory + AS_SLACK_MB)
AS_SLACK_MB = 2048
POLL = 0.25              # seconds between memory checks of busy workers
START_TIMEOUT = 300      # seconds a new worker may take to import its modules
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Task:
    idx: int             # position among this run's documents to read (input order)
    path: str
    shown: str
    sha256: str | None   # None: the parent could not read the file
    file_type: str | None


@dataclass(frozen=True)
class Limits:
    timeout: float | None = 120.0
    max_memory_mb: int | None = 2048


def failure_result(task: Task, error: str):
    """A Result holding one `failed` documents row, for a document whose worker was lost."""
    import pipeline
    res = pipeline.Result()
    doc_id = task.sha256[:16] if task.sha256 else ""
    res.documents.append(pipeline._doc_row(doc_id, task.shown, task.file_type, None, None, "failed",
                                           error, 0, None, task.sha256))
    return res


def timeout_error(limits: Limits) -> str:
    return f"timeout: took longer than {limits.timeout:g} s"


def memory_error(limits: Limits) -> str:
    return f"memory: exceeded {limits.max_memory_mb} MB" if limits.max_memory_mb else "memory: out of memory"


class WorkerStartError(RuntimeError):
    pass


class Runner:
    """A worker process; `start(task)` hands it a document, `receive()` reads its reply."""

    def __init__(self, limits: Limits, initializer=None):
        self.limits = limits
        a, b = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "batch.worker", str(b.fileno()), str(os.getpid())],
                pass_fds=[b.fileno()], env=env, stdin=subprocess.DEVNULL, stdout=2)
        finally:
            b.close()
        self.conn = Connection(a.detach())
        self.ready = False
        self.task: Task | None = None
        self.started = 0.0
        self.peak_rss_kb = 0
        self.killed_for: str | None = None
        cap = limits.max_memory_mb
        as_mb = max(cap * AS_FACTOR, cap + AS_SLACK_MB) if cap else None
        self.conn.send({"sys_path": list(sys.path), "as_limit_mb": as_mb,
                        "initializer": pickle.dumps(initializer) if initializer else None})
        self.born = time.monotonic()

    # -- the parent's side of one document --------------------------------------------
    def start(self, task: Task, opts) -> None:
        self.task, self.started, self.killed_for = task, time.monotonic(), None
        self.conn.send(("task", task.idx, task.path, task.shown, _plain(opts)))

    def receive(self):
        """Read the worker's message. Returns ("ready",), (task, Result) or (task, None) when the
        worker is gone; raises WorkerStartError if it died before becoming ready."""
        try:
            msg = self.conn.recv()
        except (EOFError, OSError):
            return self._lost()
        if msg[0] == "ready":
            self.ready = True
            return ("ready",)
        kind, idx, payload, _secs, rss = msg
        self.peak_rss_kb = max(self.peak_rss_kb, rss or 0)
        task, self.task = self.task, None
        if kind == "done":
            return task, payload
        if kind == "memory":
            self.kill()
            return task, failure_result(task, memory_error(self.limits))
        return task, failure_result(task, f"internal error: {payload}")

    def _lost(self):
        try:
            self.proc.wait(timeout=5)       # EOF: it is exiting; learn how before anything else
        except subprocess.TimeoutExpired:
            pass
        self.kill()
        task, self.task = self.task, None
        if not self.ready and task is None:
            raise WorkerStartError(f"a worker process exited while starting ({_how(self.proc.returncode)})")
        if task is None:
            return ("gone",)
        if self.proc.returncode == 3:
            why = memory_error(self.limits)
        elif self.proc.returncode == -signal.SIGKILL:
            why = "memory: the worker was killed (out of memory?)"
        else:
            why = f"crashed: the worker process died ({_how(self.proc.returncode)})"
        return task, failure_result(task, why)

    def check_limits(self, now: float):
        """(task, failed Result) if the running document broke a limit (the worker is killed), else None."""
        if self.task is None:
            return None
        why = None
        if self.limits.timeout and now - self.started > self.limits.timeout:
            why = timeout_error(self.limits)
        elif self.limits.max_memory_mb and self.rss_mb() > self.limits.max_memory_mb:
            why = memory_error(self.limits)
        if why is None:
            return None
        task, self.task = self.task, None
        self.kill()
        return task, failure_result(task, why)

    def deadline(self) -> float | None:
        if self.task is None or not self.limits.timeout:
            return None
        return self.started + self.limits.timeout

    def rss_mb(self) -> float:
        try:
            with open(f"/proc/{self.proc.pid}/statm") as f:
                return int(f.read().split()[1]) * _PAGE / 2**20
        except (OSError, ValueError, IndexError):
            return 0.0

    # -- life ---------------------------------------------------------------------------
    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.kill()
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        try:
            self.conn.close()
        except OSError:
            pass

    def close(self) -> None:
        """Ask an idle worker to exit; kill it if it does not."""
        if self.proc.poll() is None:
            try:
                self.conn.send(None)
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired, ValueError):
                pass
        self.kill()

    # -- synchronous use (one document at a time, e.g. inside a Dask task) --------------
    def call(self, task: Task, opts):
        """Run one document to its end under the limits; returns (Result, worker_alive)."""
        while not self.ready:
            if not wait([self.conn], START_TIMEOUT):
                self.kill()
                raise WorkerStartError("a worker process did not start in time")
            self.receive()
        self.start(task, opts)
        while True:
            dl = self.deadline()
            step = POLL if self.limits.max_memory_mb else 1.0
            if dl is not None:
                step = max(0.0, min(step, dl - time.monotonic()))
            if wait([self.conn], step):
                out = self.receive()
                if len(out) == 2:
                    return out[1]
                continue
            hit = self.check_limits(time.monotonic())
            if hit:
                return hit[1]


def _plain(opts):
    """Options as a dict, so the worker rebuilds them as pipeline.Options whatever module
    the parent's class lives in (`python pipeline.py` runs it as __main__)."""
    import dataclasses
    return dataclasses.asdict(opts) if dataclasses.is_dataclass(opts) else opts


def _how(code) -> str:
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


# -- a Runner per thread, for executors that call documents from threads (Dask) --------

_local = threading.local()
_all: list[Runner] = []
_all_lock = threading.Lock()


def call_isolated(task: Task, opts, limits: Limits, initializer=None):
    """Process one document in this thread's worker process (started on first use,
    replaced when a limit killed it). Returns (Result, peak_rss_kb of the worker)."""
    key = (limits, pickle.dumps(initializer) if initializer else None)
    r = getattr(_local, "runner", None)
    if r is None or getattr(_local, "key", None) != key or not r.alive():
        if r is not None:
            r.close()
        r = Runner(limits, initializer)
        _local.runner, _local.key = r, key
        with _all_lock:
            _all.append(r)
    try:
        res = r.call(task, opts)
    except BaseException:
        r.kill()
        raise
    return res, r.peak_rss_kb


def close_all() -> int:
    """Close every worker process started by call_isolated in this process."""
    with _all_lock:
        rs, _all[:] = list(_all), []
    for r in rs:
        r.close()
    return len(rs)
