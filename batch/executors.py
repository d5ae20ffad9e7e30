"""Where documents are read: a local pool of worker processes, or a Dask cluster.

Both call `sink(task, result, peak_rss_kb)` once per task, in completion order,
and start a task only when `accepts(task.idx)` (the writer's window: results wait
in memory only until their chunk is complete, so a run holds at most a window of
them whatever the batch size). Order on disk is the writer's business.
"""
from __future__ import annotations

import atexit
import pickle
import threading
import time
import uuid
from collections import deque
from multiprocessing.connection import wait

from batch.runner import POLL, Limits, Runner, Task, WorkerStartError, call_isolated, close_all

MAX_START_FAILURES = 3

# Idle workers kept between runs of one process (API use, tests): a second `run` starts
# without paying the workers' imports again. Closed at exit; they die with us anyway.
_idle: dict = {}
_idle_lock = threading.Lock()


def _take(key, n: int, make) -> list[Runner]:
    with _idle_lock:
        got = [r for r in _idle.pop(key, []) if r.alive()]
    for r in got[n:]:
        r.close()
    got = got[:n]
    return got + [make() for _ in range(n - len(got))]


def _give_back(key, runners: list[Runner]) -> None:
    keep = [r for r in runners if r.task is None and r.alive()]
    for r in runners:
        if r not in keep:
            r.kill()
    with _idle_lock:
        old = _idle.pop(key, [])
        _idle[key] = keep
    for r in old:
        r.close()


@atexit.register
def close_idle() -> None:
    with _idle_lock:
        rs = [r for v in _idle.values() for r in v]
        _idle.clear()
    for r in rs:
        r.close()


def run_local(tasks: list[Task], opts, limits: Limits, jobs: int, sink, accepts, initializer=None,
              note=None) -> None:
    queue = deque(tasks)
    if not queue:
        return
    n = max(1, min(jobs, len(queue)))
    key = (limits, pickle.dumps(initializer) if initializer else None)
    runners: list[Runner] = _take(key, n, lambda: Runner(limits, initializer))
    start_failures = 0
    finished = False
    try:
        while True:
            for r in runners:
                if r.ready and r.task is None and queue and accepts(queue[0].idx):
                    r.start(queue.popleft(), opts)
            busy = [r for r in runners if r.task is not None]
            if not queue and not busy:
                finished = True
                return
            step = POLL if limits.max_memory_mb else 1.0
            now = time.monotonic()
            for r in busy:
                dl = r.deadline()
                if dl is not None:
                    step = min(step, max(0.0, dl - now))
            ready = wait([r.conn for r in runners], step)
            for i, r in enumerate(runners):
                if r.conn not in ready:
                    continue
                try:
                    out = r.receive()
                except WorkerStartError:
                    start_failures += 1
                    if start_failures > MAX_START_FAILURES:
                        raise
                    runners[i] = Runner(limits, initializer)
                    continue
                if len(out) == 2:
                    task, res = out
                    sink(task, res, r.peak_rss_kb)
                    _report(note, task, res)
                if not r.alive() or out == ("gone",):
                    runners[i] = Runner(limits, initializer)
            now = time.monotonic()
            for i, r in enumerate(runners):
                hit = r.check_limits(now)
                if hit:
                    sink(hit[0], hit[1], r.peak_rss_kb)
                    _report(note, *hit)
                    runners[i] = Runner(limits, initializer)
    finally:
        if finished:
            _give_back(key, runners)
        else:                      # interrupted or failed: no worker survives
            for r in runners:
                r.kill()


def _report(note, task, res) -> None:
    if note is None:
        return
    for d in res.documents:
        err = d.get("error") or ""
        if d.get("status") == "failed" and err.startswith(("timeout:", "memory:", "crashed:")):
            note(f"jxmb: {task.shown}: {err}")


# -- Dask ----------------------------------------------------------------------------------

def dask_task(task: Task, opts, limits: Limits, initializer=None):
    """Runs on a Dask worker: the document in an isolated worker process of that Dask
    worker (same limits as a local run, and PyMuPDF never shares a process between threads)."""
    return call_isolated(task, opts, limits, initializer)


def _client(scheduler, jobs: int):
    """(client, things to close): an address, a Client, or None for a LocalCluster."""
    from dask.distributed import Client, LocalCluster

    if scheduler is None:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
        return client, [client, cluster]
    if isinstance(scheduler, str):
        client = Client(scheduler)
        return client, [client]
    return scheduler, []    # a Client the caller owns


def run_dask(tasks: list[Task], opts, limits: Limits, jobs: int, sink, accepts, scheduler=None,
             initializer=None, note=None) -> None:
    from dask.distributed import wait as dwait

    queue = deque(tasks)
    if not queue:
        return
    client, owned = _client(scheduler, jobs)
    run_id = uuid.uuid4().hex[:8]     # task keys only; nothing of it reaches the output
    try:
        threads = sum(client.nthreads().values()) or jobs
        inflight = max(2, 2 * threads)
        pending: dict = {}
        while queue or pending:
            while queue and len(pending) < inflight and accepts(queue[0].idx):
                t = queue.popleft()
                f = client.submit(dask_task, t, opts, limits, initializer, pure=False,
                                  key=f"jxmb-{run_id}-{t.idx}", retries=0)
                pending[f] = t
            if not pending:      # the writer's window is full but nothing is running: cannot happen
                raise RuntimeError("jxmb: internal error: nothing to wait for")
            done = dwait(list(pending), return_when="FIRST_COMPLETED").done
            for f in sorted(done, key=lambda f: pending[f].idx):
                t = pending.pop(f)
                try:
                    res, rss = f.result()
                except Exception as e:  # noqa: BLE001 - the Dask worker was lost (KilledWorker, ...)
                    from batch.runner import failure_result
                    res, rss = failure_result(t, f"crashed: {type(e).__name__}: {e}"), 0
                f.release()
                sink(t, res, rss)
                _report(note, t, res)
    finally:
        try:
            client.run(close_all)
        except Exception:  # noqa: BLE001 - the cluster may be gone already
            pass
        for o in owned:
            try:
                o.close()
            except Exception:  # noqa: BLE001
                pass
