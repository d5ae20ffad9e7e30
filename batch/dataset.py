"""The output folder as an appendable, atomically replaced set of Parquet datasets.

    OUT/_jxmb.json                  what wrote it (settings and code fingerprint)
    OUT/<table>/part-00000.parquet  one part file per table per chunk of documents
    OUT/<table>/part-00001.parquet  (chunks of --chunk-size documents, in input order)

A run writes into a staging folder next to OUT (`.OUT.tmp-<pid>`), which starts
as hard links to OUT's part files when the run appends, and swaps it into place
(`commit`): at the end and every `checkpoint` seconds. Part files are never
changed once written, so linking them is safe. The swap is one renameat2
(RENAME_EXCHANGE) where Linux has it, else two renames; a run that finds OUT
missing next to a `.OUT.old-*` folder (killed between those two renames) puts it
back. `.OUT.lock` keeps two runs from writing the same OUT.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

MANIFEST = "_jxmb.json"
FORMAT = 1
PART = re.compile(r"^part-(\d+)\.parquet$")


class DatasetError(Exception):
    """OUT cannot be used as asked (locked, or written with other settings)."""


def code_fingerprint() -> str:
    """What identifies the code that reads documents: $JXMB_CODE_FINGERPRINT if set (tests;
    or to vouch that a change does not alter the output), else a hash of its source."""
    return os.environ.get("JXMB_CODE_FINGERPRINT") or _source_hash()


@functools.lru_cache(maxsize=None)
def _source_hash() -> str:
    """sha256 over the source of every stage, so a dataset is only appended to by the
    same code that wrote it (read once per process)."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    files = [root / "pipeline.py"]
    for pkg in ("extract", "parse", "normalize", "check"):
        files += sorted((root / pkg).rglob("*.py"))
    for f in files:
        try:
            h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes() + b"\0")
        except OSError:
            pass
    return h.hexdigest()[:16]


def part_files(table_dir: Path) -> list[Path]:
    """A table's part files in order (part number, then name)."""
    if not table_dir.is_dir():
        return []
    found = []
    for p in table_dir.iterdir():
        m = PART.match(p.name)
        if m:
            found.append((int(m.group(1)), p.name, p))
        elif p.suffix == ".parquet":
            found.append((-1, p.name, p))
    return [p for _, _, p in sorted(found)]


def read_manifest(out: Path) -> dict | None:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    rc = fn(AT_FDCWD, os.fsencode(str(a)), AT_FDCWD, os.fsencode(str(b)), RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP if hasattr(errno, "ENOTSUP") else errno.EINVAL):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Dataset:
    """Staging, part writing and commits for one run into OUT."""

    def __init__(self, out: Path, tables: dict[str, pa.Schema], settings: dict, mode: str = "auto"):
        """mode: "auto" (append if OUT was written with the same settings and code, else
        rewrite), "resume" (append; error if OUT was written differently), "force" (rewrite)."""
        self.out = Path(os.path.abspath(out))
        self.parent = self.out.parent
        self.parent.mkdir(parents=True, exist_ok=True)
        self.tables = tables
        self.manifest = {"format": FORMAT, "settings": settings, "code": code_fingerprint()}
        self._lock_fd = self._lock()
        try:
            self._recover()
            self.appending, self.note = self._decide(mode)
            self.staging = self.parent / f".{self.out.name}.tmp-{os.getpid()}"
            self._fresh_staging()
            self.next_part = self._next_part()
            self.dirty = not self.appending   # a rewrite always commits, even with nothing read
        except BaseException:
            self._unlock()
            raise

    # -- setup ------------------------------------------------------------------------------
    def _lock(self) -> int:
        fd = os.open(self.parent / f".{self.out.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise DatasetError(f"another jxmb run is writing {self.out}") from None
        return fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _recover(self) -> None:
        """Clear what killed runs left next to OUT (we hold the lock, so they are dead)."""
        prefix = f".{self.out.name}."
        olds = sorted(p for p in self.parent.iterdir() if p.name.startswith(prefix + "old-"))
        if not self.out.exists() and olds:
            os.rename(olds[-1], self.out)
            olds = olds[:-1]
        for p in olds + [p for p in self.parent.iterdir() if p.name.startswith(prefix + "tmp-")]:
            shutil.rmtree(p, ignore_errors=True)

    def _decide(self, mode: str) -> tuple[bool, str | None]:
        if mode == "force" or not self.out.exists():
            return False, None
        old = read_manifest(self.out)
        if old is None:
            if mode == "resume" and any(self.out.iterdir()):
                raise DatasetError(f"{self.out} was not written by this version of jxmb; "
                                   "use --force to replace it")
            return False, None
        if old.get("format") != FORMAT or old.get("settings") != self.manifest["settings"]:
            why = f"{self.out} was written with other settings ({_settings_str(old.get('settings'))})"
        elif old.get("code") != self.manifest["code"]:
            why = f"{self.out} was written by another version of jxmb's readers"
        else:
            return True, None
        if mode == "resume":
            raise DatasetError(why + "; use --force to read everything again")
        return False, why + "; reading everything again"

    def _fresh_staging(self) -> None:
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir()
        for name in self.tables:
            (self.staging / name).mkdir()
            if self.appending:
                for f in part_files(self.out / name):
                    _link(f, self.staging / name / f.name)

    def _next_part(self) -> int:
        n = -1
        for name in self.tables:
            for f in part_files(self.staging / name):
                m = PART.match(f.name)
                if m:
                    n = max(n, int(m.group(1)))
        return n + 1

    # -- what OUT already holds -----------------------------------------------------------
    def done_keys(self) -> set:
        """Identities of the documents OUT holds: ("sha256", hex) or ("path", source_path)
        for files that could not be read."""
        keys: set = set()
        if not self.appending:
            return keys
        for f in part_files(self.out / "documents"):
            cols = [c for c in ("sha256", "source_path") if c in pq.read_schema(f).names]
            t = pq.ParquetFile(f).read(columns=cols).to_pydict()  # no pyarrow.dataset (and pandas) import
            for sha, src in zip(t.get("sha256", [None] * len(t["source_path"])), t["source_path"]):
                keys.add(("sha256", sha) if sha else ("path", src))
        return keys

    # -- writing ----------------------------------------------------------------------------
    def write_chunk(self, rows: dict[str, list[dict]]) -> int:
        """Write one part file per table; returns the part number."""
        k = self.next_part
        for name, schema in self.tables.items():
            cols = {f.name: [r.get(f.name) for r in rows.get(name, ())] for f in schema}
            table = pa.table(cols, schema=schema)
            path = self.staging / name / f"part-{k:05d}.parquet"
            with open(path, "wb") as fh:
                pq.write_table(table, fh, compression="zstd")
                fh.flush()
                os.fsync(fh.fileno())
        self.next_part += 1
        self.dirty = True
        return k

    def commit(self, again: bool = False) -> None:
        """Swap the staging folder into place as OUT. again: keep staging for more parts."""
        if self.next_part == 0:                       # nothing at all: empty tables, readable
            self.write_chunk({})
        (self.staging / MANIFEST).write_text(json.dumps(self.manifest, sort_keys=True, indent=1) + "\n",
                                             encoding="utf-8")
        for name in self.tables:
            _fsync_dir(self.staging / name)
        _fsync_dir(self.staging)
        if self.out.exists():
            if _exchange(self.staging, self.out):
                shutil.rmtree(self.staging, ignore_errors=True)
            else:
                old = self.parent / f".{self.out.name}.old-{os.getpid()}"
                os.rename(self.out, old)
                os.rename(self.staging, self.out)
                shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(self.staging, self.out)
        _fsync_dir(self.parent)
        self.dirty = False
        if again:
            self.appending = True
            self._fresh_staging()

    def close(self) -> None:
        """Drop the staging folder (an uncommitted run leaves OUT as it was) and unlock."""
        try:
            if self.staging.exists():
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self._unlock()


def stats(out: Path) -> dict:
    """Counts over the whole dataset in OUT (what the summary's "in OUT" column shows)."""
    out = Path(out)
    status: dict[str, int] = {}
    severity: dict[str, int] = {}
    n = {"documents": 0, "projects": 0, "indicators": 0, "issues": 0, "pages": 0}
    for f in part_files(out / "documents"):
        t = pq.ParquetFile(f).read(columns=["status", "pages"])
        n["documents"] += t.num_rows
        for s in t.column("status").to_pylist():
            status[s] = status.get(s, 0) + 1
        n["pages"] += sum(p or 0 for p in t.column("pages").to_pylist())
    for name in ("projects", "indicators"):
        n[name] = sum(pq.read_metadata(f).num_rows for f in part_files(out / name))
    for f in part_files(out / "issues"):
        for s in pq.ParquetFile(f).read(columns=["severity"]).column("severity").to_pylist():
            severity[s] = severity.get(s, 0) + 1
        n["issues"] = sum(severity.values())
    return {**n, "status": status, "issues_by_severity": severity}


def _link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _settings_str(s) -> str:
    if not isinstance(s, dict):
        return "unknown"
    return ", ".join(f"{k}={v}" for k, v in sorted(s.items()))
