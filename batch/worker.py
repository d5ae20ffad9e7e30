"""The worker process: `python -m batch.worker FD PARENT_PID`.

Started by batch.runner.Runner. It talks to its parent over the socket FD with
multiprocessing.connection framing:

    parent -> worker   {"sys_path", "initializer" (pickled or None), "as_limit_mb"}
    worker -> parent   ("ready", pid)
    parent -> worker   ("task", idx, path, shown, opts)          (repeated)
    worker -> parent   ("done", idx, Result, seconds, peak_rss_kb)
                       ("memory", idx, None, seconds, peak_rss_kb)  then exits (code 3)
                       ("error", idx, message, seconds, peak_rss_kb)
    parent -> worker   None                                      (exit)

The per-document function is looked up as `pipeline.process_file` for every
task, so an initializer (tests) can replace it. The worker dies with its parent
(PR_SET_PDEATHSIG on Linux, and EOF on the socket otherwise).
"""
from __future__ import annotations

import os
import pickle
import signal
import sys
import time

MEMORY_EXIT = 3


def peak_rss_kb() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _die_with_parent(parent_pid: int) -> None:
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - not Linux: EOF on the socket still ends us
        pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _limit_address_space(mb: int | None) -> None:
    if not mb:
        return
    try:
        import resource
        lim = int(mb) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
    except (ImportError, ValueError, OSError):
        pass


def main(argv: list[str]) -> int:
    from multiprocessing.connection import Connection

    fd, parent_pid = int(argv[1]), int(argv[2])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent(parent_pid)
    conn = Connection(fd)
    init = conn.recv()
    for p in reversed(init.get("sys_path") or []):
        if p not in sys.path:
            sys.path.insert(0, p)
    try:
        import pymupdf  # noqa: F401 - slow import, done before the first task's clock starts
    except ImportError:
        pass
    import pipeline
    if init.get("initializer"):
        fn, args = pickle.loads(init["initializer"])
        fn(*args)
    _limit_address_space(init.get("as_limit_mb"))
    conn.send(("ready", os.getpid()))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return 0
        if msg is None:
            return 0
        _, idx, path, shown, opts = msg
        t0 = time.perf_counter()
        res = reply = None
        try:
            from pathlib import Path
            if isinstance(opts, dict):
                opts = pipeline.Options(**opts)
            res = pipeline.process_file(Path(path), opts, shown)
            reply = ("done", idx, res, time.perf_counter() - t0, peak_rss_kb())
        except MemoryError:
            res = None
            try:
                conn.send(("memory", idx, None, time.perf_counter() - t0, peak_rss_kb()))
            finally:
                os._exit(MEMORY_EXIT)
        except BaseException as e:  # noqa: BLE001 - reported as the document's error
            reply = ("error", idx, f"{type(e).__name__}: {e}", time.perf_counter() - t0, peak_rss_kb())
        try:
            conn.send(reply)
        except MemoryError:
            os._exit(MEMORY_EXIT)
        del res, reply


if __name__ == "__main__":
    sys.exit(main(sys.argv))
