"""Old Office files (OLE2 / Compound File Binary, starting D0 CF 11 E0) -> Document.

What the file is comes from the stream names in its CFB directory, read here by a
small parser of the directory and FAT (no olefile):
- `EncryptedPackage` / `EncryptionInfo`: a password-protected .xlsx/.docx: refused;
- `Workbook` / `Book`: an .xls (or Kingsoft .et) workbook, read with xlrd (merged
  cells, number formats, borders, hidden rows/columns, print area) and laid out by the
  same code as .xlsx (office_xlsx.sheet_blocks, format_value); if xlrd cannot read it,
  LibreOffice converts it to .xlsx where installed;
- `WordDocument`: a .doc / .wps file, converted to .docx by LibreOffice (`soffice`) in a
  temporary folder under the deadline, then read by office_docx; refused when
  LibreOffice is not installed or the FIB says the document is encrypted;
- anything else (PowerPoint, Outlook messages, ...): refused.

Limits: xlrd reads BIFF5-8 (Excel 95-2003); a sheet is read up to 20,000 rows and 200
columns like .xlsx; a multi-area print area counts as the union of its areas.
LibreOffice runs with a throw-away profile and no network; its output is never trusted
beyond what read_docx / read_xlsx accept.
"""
from __future__ import annotations

import io
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from extract.office_xlsx import (MAX_COLS, MAX_ROWS, SheetCell, SheetData, cell_text, format_value,
                                 workbook_document)
from extract.reader import InputError, ReadDocument, ReadOptions

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE
_MAX_REGULAR = 0xFFFFFFFA


class _Damaged(Exception):
    """The CFB structure is broken."""


@dataclass(frozen=True)
class _Entry:
    name: str
    kind: int          # 1 storage, 2 stream, 5 root
    start: int
    size: int


class Cfb:
    """The directory of a Compound File Binary and the first bytes of its streams."""

    def __init__(self, data: bytes):
        if len(data) < 512 or not data.startswith(MAGIC):
            raise _Damaged("not an OLE compound file")
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise _Damaged("bad sector size in the header")
        self.data = data
        self.ss = 1 << shift
        self.n_sectors = max(0, (len(data) - self.ss) // self.ss + (1 if len(data) % self.ss else 0))
        (n_fat, first_dir, _sig, self.cutoff, first_minifat, _n_minifat, first_difat,
         n_difat) = struct.unpack_from("<IIIIIIII", data, 0x2C)
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s <= _MAX_REGULAR]
        sec, seen = first_difat, set()
        while sec <= _MAX_REGULAR and len(seen) < n_difat and sec not in seen:
            seen.add(sec)
            words = self._words(sec)
            fat_sectors += [s for s in words[:-1] if s <= _MAX_REGULAR]
            sec = words[-1]
        fat_sectors = fat_sectors[:max(n_fat, 1)]
        self.fat: list[int] = []
        for s in fat_sectors:
            self.fat.extend(self._words(s))
        self.entries = self._directory(first_dir)
        self.first_minifat = first_minifat

    def _sector(self, n: int) -> bytes:
        if n >= self.n_sectors:
            raise _Damaged(f"sector {n} lies past the end of the file")
        off = (n + 1) * self.ss
        return self.data[off:off + self.ss].ljust(self.ss, b"\x00")

    def _words(self, n: int) -> tuple[int, ...]:
        return struct.unpack(f"<{self.ss // 4}I", self._sector(n))

    def chain(self, start: int, table: list[int] | None = None) -> list[int]:
        table = self.fat if table is None else table
        out, seen = [], set()
        while start != _END:
            if start >= len(table) or start in seen:
                raise _Damaged("broken sector chain")
            seen.add(start)
            out.append(start)
            start = table[start]
        return out

    def _directory(self, first: int) -> list[_Entry]:
        out = []
        for sec in self.chain(first):
            raw = self._sector(sec)
            for k in range(0, self.ss, 128):
                e = raw[k:k + 128]
                n_len = struct.unpack_from("<H", e, 64)[0]
                kind = e[66]
                if kind not in (1, 2, 5) or not 2 <= n_len <= 64:
                    continue
                name = e[:n_len - 2].decode("utf-16-le", "replace")
                start, size = struct.unpack_from("<IQ", e, 116)
                if self.ss == 512:
                    size &= 0xFFFFFFFF            # version 3: the high half is undefined
                out.append(_Entry(name, kind, start, size))
        if not out or out[0].kind != 5:
            raise _Damaged("no root entry in the directory")
        return out

    def names(self) -> set[str]:
        return {e.name.lower() for e in self.entries}

    def head(self, name: str, n: int) -> bytes:
        """The first n bytes (at most one sector) of a stream, b"" if there is no such stream."""
        e = next((e for e in self.entries if e.kind == 2 and e.name.lower() == name.lower()), None)
        if e is None:
            return b""
        if e.size >= self.cutoff:
            return self._sector(e.start)[:min(n, e.size)] if e.size else b""
        # a small stream: in the mini stream, whose sectors are 64 bytes
        root = self.entries[0]
        minifat: list[int] = []
        for s in self.chain(self.first_minifat) if self.first_minifat <= _MAX_REGULAR else []:
            minifat.extend(self._words(s))
        mini_chain = self.chain(e.start, minifat)
        root_chain = self.chain(root.start)
        out = bytearray()
        for m in mini_chain:
            if len(out) >= n:
                break
            off = m * 64
            sec = root_chain[off // self.ss] if off // self.ss < len(root_chain) else None
            if sec is None:
                raise _Damaged("mini stream sector out of range")
            out += self._sector(sec)[off % self.ss:off % self.ss + 64]
        return bytes(out[:min(n, e.size)])


# -- LibreOffice ---------------------------------------------------------------------------------

def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert(exe: str, data: bytes, src_ext: str, dst_ext: str, what: str, opts: ReadOptions,
             deadline: float) -> bytes:
    """The file converted by LibreOffice to `dst_ext`, in a throw-away folder and profile."""
    left = min(opts.max_seconds, deadline - time.monotonic())
    if left <= 0:
        raise InputError(f"too slow: gave up after {opts.max_seconds:g} s (cap: --max-seconds)")
    with tempfile.TemporaryDirectory(prefix="jxmb-lo-") as tmp:
        src = Path(tmp) / f"input.{src_ext}"     # never the user's file name
        src.write_bytes(data)
        out = Path(tmp) / "out"
        out.mkdir()
        cmd = [exe, "--headless", "--norestore", "--nolockcheck",
               f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
               "--convert-to", dst_ext, "--outdir", str(out), str(src)]
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, cwd=tmp, start_new_session=True)
        except OSError as e:
            raise InputError(f"{what}: LibreOffice could not be started ({e.strerror or e})") from None
        try:
            proc.wait(timeout=left)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise InputError(f"too slow: LibreOffice did not convert the {what} within {left:.0f} s "
                             f"(cap: --max-seconds)") from None
        result = out / f"input.{dst_ext}"
        if not result.is_file() or result.stat().st_size == 0:
            raise InputError(f"damaged {what}: LibreOffice could not convert it")
        if result.stat().st_size > opts.max_file_bytes:
            raise InputError(f"file too large: LibreOffice made a {result.stat().st_size:,}-byte file of the {what}")
        return result.read_bytes()


def _kill(proc: subprocess.Popen) -> None:
    """End the converter and whatever it started (its own session, so only its processes)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()


# -- .doc / .wps -------------------------------------------------------------------------------

def _read_doc(data: bytes, cfb: Cfb, opts: ReadOptions, deadline: float) -> ReadDocument:
    fib = cfb.head("WordDocument", 16)
    if len(fib) >= 12 and struct.unpack_from("<H", fib, 0x0A)[0] & 0x0100:
        raise InputError("encrypted: the file needs a password")
    exe = _soffice()
    if exe is None:
        raise InputError("a .doc/.wps file: install LibreOffice (soffice) to read it, or save it as .docx")
    docx = _convert(exe, data, "doc", "docx", "Word document", opts, deadline)
    from extract.office_docx import read_docx
    doc = read_docx(docx, opts, deadline)
    return ReadDocument(doc.pages, "doc", notes=["converted from .doc/.wps to .docx by LibreOffice", *doc.notes])


# -- .xls / .et ----------------------------------------------------------------------------------

def _open_xls(data: bytes):
    """The xlrd Book (with formatting when xlrd can give it), or the reason it cannot be read."""
    import xlrd

    last: Exception | None = None
    for formatting in (True, False):
        try:
            return xlrd.open_workbook(file_contents=data, formatting_info=formatting, logfile=io.StringIO(),
                                      verbosity=0, on_demand=False), formatting
        except MemoryError:
            raise
        except Exception as e:  # noqa: BLE001 - only xlrd runs here: whatever it raises, the file is bad
            if "encrypt" in str(e).lower():
                raise InputError("encrypted: the file needs a password") from None
            last = e
    msg = str(last).strip().splitlines()[0][:200] if last and str(last).strip() else type(last).__name__
    raise _XlsError(msg)


class _XlsError(Exception):
    pass


def _print_areas(book, index: int) -> list[tuple[int, int, int, int]]:
    """0-based inclusive (row0, col0, row1, col1) of a sheet's print area, [] if none."""
    out = []
    for nobj in getattr(book, "name_obj_list", []):
        if nobj.name.lower() != "print_area" or nobj.scope != index:
            continue
        res = nobj.result
        for ref in (getattr(res, "value", None) or []) if res is not None else []:
            coords = getattr(ref, "coords", None)
            if not coords or len(coords) != 6:
                continue
            _s0, _s1, r0, r1, c0, c1 = coords
            if r1 > r0 and c1 > c0:
                out.append((r0, c0, r1 - 1, c1 - 1))
    return out


def _xls_border(book, xf_index: int | None) -> bool:
    if xf_index is None or not 0 <= xf_index < len(book.xf_list):
        return False
    b = book.xf_list[xf_index].border
    return any((b.top_line_style, b.bottom_line_style, b.left_line_style, b.right_line_style))


def _xls_text(book, cell, date1904: bool) -> str:
    import xlrd

    t = cell.ctype
    if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if t == xlrd.XL_CELL_TEXT:
        return cell_text(cell.value)
    if t == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if t == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    fmt, fmt_id = "General", None
    xf_list = getattr(book, "xf_list", None)
    if xf_list and cell.xf_index is not None and 0 <= cell.xf_index < len(xf_list):
        fmt_id = xf_list[cell.xf_index].format_key
        f = book.format_map.get(fmt_id)
        fmt = f.format_str if f is not None else "General"
    return cell_text(format_value(float(cell.value), fmt, fmt_id, date1904))


def _xls_sheet(book, index: int, formatting: bool, deadline: float, opts: ReadOptions) -> SheetData:
    sh = book.sheet_by_index(index)
    name = sh.name
    sheet = SheetData(name, [])
    date1904 = book.datemode == 1
    areas = _print_areas(book, index)

    def skipped(r: int, c: int) -> bool:
        """Outside the print area, or inside a merge (whose own cell stands for it)."""
        return ((areas and not any(a[0] <= r <= a[2] and a[1] <= c <= a[3] for a in areas))
                or (r, c) in covered or any(b[0] <= r <= b[2] and b[1] <= c <= b[3] for b in big))

    merges = []
    covered: set[tuple[int, int]] = set()
    big: list[tuple[int, int, int, int]] = []      # merges too large to list cell by cell
    for rlo, rhi, clo, chi in (sh.merged_cells if formatting else []):
        r0, c0, r1, c1 = rlo, clo, min(rhi, MAX_ROWS) - 1, min(chi, MAX_COLS) - 1
        if r0 > r1 or c0 > c1 or (r0 == r1 and c0 == c1):
            continue
        if areas:
            clip = [(max(r0, a[0]), max(c0, a[1]), min(r1, a[2]), min(c1, a[3])) for a in areas]
            clip = [x for x in clip if x[0] <= x[2] and x[1] <= x[3]]
            if not clip:
                continue
            r0c, c0c, r1, c1 = clip[0]
        else:
            r0c, c0c = r0, c0
        merges.append((rlo, clo, r0c, c0c, r1, c1))
        if (r1 - r0c + 1) * (c1 - c0c + 1) > 1 << 16:
            big.append((r0c, c0c, r1, c1))
        else:
            covered.update((r, c) for r in range(r0c, r1 + 1) for c in range(c0c, c1 + 1))
    for r in range(min(sh.nrows, MAX_ROWS)):
        if r % 1000 == 0 and time.monotonic() > deadline:
            raise InputError(f"too slow: gave up after {opts.max_seconds:g} s (cap: --max-seconds)")
        for c, cell in enumerate(sh.row(r)[:MAX_COLS]):
            if skipped(r, c):
                continue
            text = _xls_text(book, cell, date1904)
            bordered = formatting and _xls_border(book, cell.xf_index)
            if text:
                sheet.cells.append(SheetCell(r, c, r, c, text, bordered))
            elif bordered:
                sheet.bordered_rows.add(r)
    for rlo, clo, r0, c0, r1, c1 in merges:
        text = _xls_text(book, sh.cell(rlo, clo), date1904) if rlo < sh.nrows and clo < sh.ncols else ""
        edge = [(r0, c) for c in range(c0, c1 + 1)] + [(r1, c) for c in range(c0, c1 + 1)]
        edge += [(r, c0) for r in range(r0, r1 + 1)] + [(r, c1) for r in range(r0, r1 + 1)]
        bordered = any(r < sh.nrows and c < sh.ncols and _xls_border(book, sh.cell_xf_index(r, c))
                       for r, c in edge)
        sheet.cells.append(SheetCell(r0, c0, r1, c1, text, bordered, (rlo, clo)))
    if formatting:
        sheet.hidden_rows = {r for r, info in sh.rowinfo_map.items() if r < MAX_ROWS and info.hidden}
        sheet.hidden_cols = {c for c, info in sh.colinfo_map.items()
                             if c < MAX_COLS and (info.hidden or info.width == 0)}
    if sh.nrows > MAX_ROWS:
        sheet.notes.append(f"sheet '{name}': only the first {MAX_ROWS:,} rows read (cap)")
    if sh.ncols > MAX_COLS:
        sheet.notes.append(f"sheet '{name}': only the first {MAX_COLS} columns read (cap)")
    return sheet


def _read_xls(data: bytes, opts: ReadOptions, deadline: float) -> ReadDocument:
    try:
        book, formatting = _open_xls(data)
    except _XlsError as e:
        exe = _soffice()
        if exe is None:
            raise InputError(f"damaged workbook: {e}") from None
        xlsx = _convert(exe, data, "xls", "xlsx", "workbook", opts, deadline)
        from extract.office_xlsx import read_xlsx
        doc = read_xlsx(xlsx, opts, deadline)
        return ReadDocument(doc.pages, "xls", notes=["converted from .xls/.et to .xlsx by LibreOffice", *doc.notes])
    if time.monotonic() > deadline:
        raise InputError(f"too slow: gave up after {opts.max_seconds:g} s (cap: --max-seconds)")
    notes = [] if formatting else ["merged cells, borders and number formats could not be read"]
    sheets = [None if getattr(book.sheet_by_index(i), "visibility", 0) else
              (lambda i=i: _xls_sheet(book, i, formatting, deadline, opts))
              for i in range(book.nsheets)]
    return workbook_document(sheets, "xls", notes, deadline, opts)


# -- entry point -----------------------------------------------------------------------------------

def read_ole(data: bytes, opts: ReadOptions, deadline: float) -> ReadDocument:
    """An OLE2 file: an .xls/.et workbook or a .doc/.wps document, told apart by its streams."""
    try:
        cfb = Cfb(data)
        names = cfb.names()
    except _Damaged as e:
        raise InputError(f"damaged old Office document: {e}") from None
    except struct.error:
        raise InputError("damaged old Office document: truncated") from None
    if "encryptedpackage" in names or "encryptioninfo" in names:
        raise InputError("encrypted: the file needs a password")
    if "workbook" in names or "book" in names:
        return _read_xls(data, opts, deadline)
    if "worddocument" in names:
        try:
            return _read_doc(data, cfb, opts, deadline)
        except _Damaged as e:
            raise InputError(f"damaged old Office document: {e}") from None
    raise InputError("not a form file: an OLE document holding neither a workbook nor a Word document")
