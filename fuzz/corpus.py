"""The bad-input corpus: every kind of file jxmb must refuse or survive, built in code.

`bad_inputs(samples)` yields `Bad` records: a name, a file name to write it
under, its bytes, and what jxmb must say about it (`status`, and a substring of
`error`). Tests write them to a temporary folder and run them through the
pipeline; the fuzzer uses them as seeds.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SMALL_PDF = "sichuan-jingyan-mata-2023.pdf"
TEXT_UTF8 = "shapotou-2025.txt"


@dataclass
class Bad:
    kind: str                  # what is wrong, e.g. "truncated PDF (30%)"
    filename: str              # the name it is written under
    data: bytes
    status: str | tuple        # expected documents.status (or any of a tuple)
    error: str | None = None   # expected substring of documents.error (None: no check)
    ocr: bool = False          # run with OCR (only where OCR is the point)


# -- little PDF writers (by hand, so each defect is exactly the one named) ----------------------

def raw_pdf(objects: list[bytes], root: int = 1, *, xref: bool = True, trailer_extra: bytes = b"",
            header: bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") -> bytes:
    """A PDF from numbered object bodies (1-based), with a correct xref table."""
    out = bytearray(header)
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for off in offsets:
            out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer_extra, start)
    return bytes(out)


def stream(dict_body: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (dict_body, len(data)) + data + b"\nendstream"


def one_page_pdf(content: bytes = b"BT /F1 12 Tf 72 720 Td (hello) Tj ET", *, content_dict: bytes = b"",
                 extra_objects: list[bytes] | None = None, page_extra: bytes = b"",
                 catalog_extra: bytes = b"", mediabox: bytes = b"[0 0 595 842]") -> bytes:
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox " + mediabox +
        b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R " + page_extra + b">>",
        stream(content_dict, content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return raw_pdf(objs + (extra_objects or []))


def deflate_bomb(size: int) -> bytes:
    """A valid zlib stream of `size` zero bytes (a multiple of 1 MiB), built in well under a second.

    One MiB of zeros compressed up to a full flush gives a byte-aligned block that
    does not refer back past itself, so the block can simply be repeated."""
    chunk = bytes(1 << 20)
    co = zlib.compressobj(9)
    head = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)     # 2-byte zlib header + block
    block = head[2:]
    n = max(1, size >> 20)
    adler = ((n << 20) % 65521) << 16 | 1   # adler32 of zeros: A stays 1, B grows by 1 a byte
    tail = zlib.compressobj(9)
    end = tail.compress(b"") + tail.flush()                       # header + empty final block + adler
    final = end[2:-4]
    return head[:2] + block * n + final + adler.to_bytes(4, "big")


def _pymupdf_pdf(n_pages: int = 1, text: str | None = None, **save) -> bytes:
    import pymupdf
    doc = pymupdf.open()
    for _ in range(n_pages):
        pg = doc.new_page(width=200, height=200)
        if text:
            pg.insert_text((20, 40), text)
    return doc.tobytes(**save)


def _image_pdf(w: int = 120, h: int = 80) -> bytes:
    """A page whose only content is a small grey picture (no text layer, no form)."""
    import pymupdf
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, w, h), False)
    pix.clear_with(200)
    doc = pymupdf.open()
    pg = doc.new_page(width=300, height=200)
    pg.insert_image(pymupdf.Rect(10, 10, 10 + w, 10 + h), stream=pix.tobytes("png"))
    return doc.tobytes()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def nested_pages_pdf(depth: int) -> bytes:
    """A page tree `depth` /Pages nodes deep with one page at the bottom."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    # objects 2 .. depth+1 are Pages nodes, each the only kid of the one before
    for i in range(depth):
        me = 2 + i
        kid = me + 1
        parent = b" /Parent %d 0 R" % (me - 1) if i else b""
        objs.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (kid, parent))
    page = 2 + depth
    objs.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 200 200] /Contents %d 0 R >>" % (page - 1, page + 1))
    objs.append(stream(b"", b"BT /F1 12 Tf 10 10 Td (x) Tj ET"))
    return raw_pdf(objs)


def cyclic_pages_pdf() -> bytes:
    """A /Pages node that lists itself as a kid."""
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"])


def form_text(encoding_safe: bool = False) -> str:
    t = (SAMPLES / TEXT_UTF8).read_text("utf-8")
    return t


# -- the corpus -----------------------------------------------------------------------------------

def bad_inputs(samples: Path = SAMPLES, *, big: bool = True) -> list[Bad]:
    """Every bad-input kind. `big=False` leaves out the few that take a second or more to build."""
    pdf = (samples / SMALL_PDF).read_bytes()
    txt = (samples / TEXT_UTF8).read_text("utf-8")
    zh = "项目名称 预算绩效目标表 产出指标 数量指标 " * 4 + "\n"
    out: list[Bad] = []
    add = out.append

    add(Bad("empty file", "empty.pdf", b"", "failed", "empty file"))
    add(Bad("1-byte file", "one-byte.pdf", b"%", "failed", "too short"))
    add(Bad("PDF header only", "header-only.pdf", b"%PDF-1.7\n", "failed", "truncated"))
    for pct in range(10, 100, 10):
        add(Bad(f"truncated PDF ({pct}%)", f"truncated-{pct}.pdf", pdf[: len(pdf) * pct // 100],
                ("failed", "partial", "no_forms"), "truncated"))
    # broken xref: every offset wrong (MuPDF rebuilds it by scanning; the forms are still read)
    broken = bytearray(pdf)
    x = broken.rfind(b"startxref")
    broken[x:] = b"startxref\n999999999\n%%EOF\n"
    add(Bad("PDF with a broken xref (repaired)", "broken-xref.pdf", bytes(broken), ("ok", "partial")))
    add(Bad("PDF with no xref and no trailer", "no-trailer.pdf",
            one_page_pdf()[: one_page_pdf().rfind(b"xref")], ("no_forms", "failed")))
    add(Bad("PDF whose objects are garbage", "garbage-objects.pdf",
            b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\n" + bytes(range(256)) * 8,
            "failed", "truncated PDF: no trailer"))

    # encryption
    import pymupdf
    add(Bad("encrypted PDF with a user password", "encrypted-user.pdf",
            _pymupdf_pdf(text="secret", encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o"),
            "failed", "encrypted: needs a password"))
    add(Bad("encrypted PDF with only an owner password (opens without one)", "encrypted-owner.pdf",
            _pymupdf_pdf(text="open", encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o",
                         permissions=0), "no_forms"))
    add(Bad("encrypted PDF (RC4-40, user password)", "encrypted-rc4.pdf",
            _pymupdf_pdf(text="secret", encryption=pymupdf.PDF_ENCRYPT_RC4_40, user_pw="u", owner_pw="o"),
            "failed", "encrypted: needs a password"))

    # active content
    js = (b"<< /S /JavaScript /JS (var f = this.exportDataObject\\({cName: 'x', nLaunch: 2}\\); "
          b"app.launchURL\\('http://127.0.0.1:9/pwn'\\);) >>")
    add(Bad("PDF with JavaScript (OpenAction, page AA)", "javascript.pdf",
            one_page_pdf(catalog_extra=b"/OpenAction 6 0 R ", page_extra=b"/AA << /O 6 0 R >> ",
                         extra_objects=[js]), "no_forms"))
    emb = pymupdf.open()
    emb.new_page()
    emb.embfile_add("../../evil.sh", b"#!/bin/sh\ntouch /tmp/jxmb-pwned\n", filename="../../evil.sh")
    emb.embfile_add("/tmp/jxmb-pwned-abs", b"x", filename="/tmp/jxmb-pwned-abs")
    add(Bad("PDF with embedded files (path-like names)", "embedded.pdf", emb.tobytes(), "no_forms"))
    add(Bad("PDF with a Launch action", "launch.pdf",
            one_page_pdf(catalog_extra=b"/OpenAction << /S /Launch /F (/bin/sh) >> "), "no_forms"))

    # pages without a form
    add(Bad("PDF whose pages are all blank", "blank.pdf", _pymupdf_pdf(5), "no_forms"))
    add(Bad("PDF with no pages (/Count 0)", "no-pages.pdf",
            raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]),
            "failed", "no pages"))
    add(Bad("image-only PDF, no form, OCR off", "image-only.pdf", _image_pdf(), "partial",
            "without a usable text layer"))
    add(Bad("image-only PDF, no form, OCR on", "image-only-ocr.pdf", _image_pdf(), "no_forms", ocr=True))
    add(Bad("English-only text PDF", "english.pdf", _pymupdf_pdf(text="Hello world, no form here."),
            "no_forms"))
    add(Bad("PDF with an invalid content stream", "bad-content.pdf",
            one_page_pdf(b"BT /F9 12 Tf ) ( ]] Tj 1 2 3 re re re f* ET q q q Q"), "no_forms"))
    add(Bad("PDF with an undecodable content stream", "bad-flate.pdf",
            one_page_pdf(b"this is not deflate data", content_dict=b"/Filter /FlateDecode"), "no_forms"))
    add(Bad("PDF with a huge page (200 x 200 in)", "huge-page.pdf",
            one_page_pdf(mediabox=b"[0 0 14400 14400]"), "no_forms"))
    add(Bad("PDF with a degenerate page box", "zero-page.pdf",
            one_page_pdf(mediabox=b"[0 0 0 0]"), ("no_forms", "failed")))
    add(Bad("PDF with an image claiming 100000 x 100000 pixels", "pixel-bomb.pdf",
            one_page_pdf(b"q 100 0 0 100 0 0 cm /Im1 Do Q",
                         page_extra=b"",
                         extra_objects=[stream(b"/Type /XObject /Subtype /Image /Width 100000 /Height 100000 "
                                               b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
                                               deflate_bomb(1 << 20))]).replace(
                b"/Font << /F1 5 0 R >>", b"/Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >>"),
            ("failed", "partial", "no_forms"), None, ocr=True))
    if big:
        add(Bad("decompression bomb (content stream inflating to 2 GB)", "bomb.pdf",
                one_page_pdf(deflate_bomb(2 << 30), content_dict=b"/Filter /FlateDecode"),
                "failed", "decompression bomb"))
        add(Bad("2,001-page PDF (over the page cap)", "many-pages.pdf", _pymupdf_pdf(2001), "failed",
                "too many pages"))
    add(Bad("deeply nested page tree (5,000 levels)", "nested.pdf", nested_pages_pdf(5000),
            ("failed", "no_forms"), None))
    add(Bad("page tree with /Count -1", "count-negative.pdf",
            raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count -1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]),
            "failed", "damaged PDF: Invalid number of pages"))
    add(Bad("page tree that contains itself", "cyclic.pdf", cyclic_pages_pdf(), ("failed", "no_forms")))
    add(Bad("PDF with thousands of tiny drawings", "many-drawings.pdf",
            one_page_pdf(b"0 0 0 RG 0.5 w " + b"".join(b"%d %d m %d %d l S " % (i % 500, i // 500, i % 500 + 1, i // 500)
                                                         for i in range(20000))), ("no_forms", "failed")))
    add(Bad("PDF with leading junk before %PDF (over 1 KB)", "junk-prefix.pdf",
            b"X" * 2000 + b"\n" + pdf, ("ok", "partial")))

    # other formats under a .pdf name
    add(Bad("Word .docx renamed .pdf", "word.pdf",
            _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
            "failed", "Word document"))
    add(Bad("Excel .xlsx renamed .pdf", "excel.pdf",
            _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}),
            "failed", "Excel workbook"))
    add(Bad("ZIP archive renamed .pdf", "archive.pdf", _zip({"a.pdf": pdf}), "failed", "ZIP archive"))
    # a web page is an input kind of its own (html_page.py): read by its bytes whatever its name
    add(Bad("HTML page renamed .pdf", "page.pdf",
            b"<!DOCTYPE html>\n<html><head><title>x</title></head><body>" + zh.encode() + b"</body></html>",
            ("ok", "partial", "no_forms"), None))
    add(Bad("old Office .doc renamed .pdf", "old.pdf", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "failed", "old Office"))
    add(Bad("PNG image renamed .pdf", "image.pdf", pymupdf.Pixmap(pymupdf.csRGB, (0, 0, 4, 4), False).tobytes("png"),
            "failed", "PNG image"))
    add(Bad("gzip-compressed PDF", "sample.pdf.gz.pdf", __import__("gzip").compress(pdf), "failed", "gzip"))
    add(Bad("random binary bytes", "random.pdf", bytes((i * 7919 + 13) % 256 for i in range(4096)),
            "failed", "binary"))

    # text dumps
    add(Bad("text dump in Big5", "big5.txt", txt.encode("big5", errors="replace"), ("ok", "partial", "no_forms")))
    add(Bad("text dump in Shift-JIS", "sjis.txt", "予算業績目標表 項目名称 数量指標\n".encode("shift_jis") * 20,
            "no_forms"))
    add(Bad("text dump in UTF-16 LE without BOM", "utf16le.txt", txt.encode("utf-16-le"), "ok"))
    add(Bad("text dump in UTF-16 BE without BOM", "utf16be.txt", txt.encode("utf-16-be"), "ok"))
    half = txt.index("\n", len(txt) // 2) + 1
    add(Bad("text dump in mixed encodings (GBK then UTF-8)", "mixed.txt",
            txt[:half].encode("gb18030") + txt[half:].encode("utf-8"), "ok"))
    add(Bad("5 MB single-line text", "one-line.txt", (zh.strip() + " ").encode() * (5_000_000 // len((zh.strip() + " ").encode())),
            ("no_forms", "failed")))
    add(Bad("text with NUL bytes throughout", "nul.txt", b"\x00" * 5000, "failed", "binary"))
    add(Bad("UTF-8 text with a few NUL bytes", "some-nul.txt",
            txt.encode()[:3000] + b"\x00" + txt.encode()[3000:], ("ok", "partial")))
    add(Bad("tiny text (7 bytes of white space)", "tiny.txt", b" \n\n\f\t\f\n", "failed", "too short"))
    add(Bad("text of only white space and form feeds", "blank.txt", b" \n\n\f\t\f\n" * 100, "failed", "no text"))
    add(Bad("text of control characters", "control.txt", bytes(range(1, 32)) * 200, "failed", "binary"))
    add(Bad("text with a UTF-8 BOM and invalid bytes", "bom-bad.txt",
            b"\xef\xbb\xbf" + txt.encode()[:2000] + b"\xff\xfe\xfd" + txt.encode()[2000:], ("ok", "partial")))
    add(Bad("text with 30,000 blank lines", "blank-lines.txt", b"\n" * 30_000 + txt.encode(),
            ("ok", "partial", "failed")))
    add(Bad("text with lone surrogates in UTF-16", "surrogates.txt",
            b"\xff\xfe" + "项目名称".encode("utf-16-le") + b"\x00\xd8\x00\xd8" + txt.encode("utf-16-le"),
            ("ok", "partial")))

    # Excel workbooks
    add(Bad("Excel workbook: ZIP header, then junk", "broken.xlsx", b"PK\x03\x04xl/" + bytes(300),
            "failed", "damaged workbook"))
    add(Bad("Excel workbook declaring a 3.75 GB sheet (zip bomb)", "bomb.xlsx",
            _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                  "xl/worksheets/sheet1.xml": b"A" * 1000}).replace(b"\xe8\x03\x00\x00" * 2,
                                                                     b"\xe8\x03\x00\x00\x00\x00\x00\xf0"),
            "failed", "decompression bomb"))
    return out
