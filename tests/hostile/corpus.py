"""Hostile text, files and numbers: what an attacker or a careless user gives planner.

Shared by the TUI test (every screen shows such text literally) and the command harness
(every command that takes a name, a date, a number, a file or a path meets each of these).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

#: Names and titles: (id, text). Markup, unbalanced brackets, escape sequences, bidi controls,
#: zero-width characters, a very long string.
NAMES: list[tuple[str, str]] = [
    ("markup-close", "KH[/foo]TC"),
    ("markup-red", "[red]alarm[/red] phòng"),
    ("markup-bold-open", "[b]unclosed"),
    ("markup-link", "[link=https://evil.example]click[/link]"),
    ("bracket-only", "]["),
    ("rich-emoji-code", ":warning: :cross_mark:"),
    ("ansi-colour", "A\x1b[31mB\x1b[0m"),
    ("osc-title", "ev\x1b]0;PWNED\x07il"),
    ("bidi-override", "abc\u202eevil\u202cdef"),
    ("zero-width", "Ph\u200bòng\u200d K\ufeffH"),
    ("c1-control", "x\x9by"),
    ("newline-tab", "line1\nline2\tend"),
    ("long", "Đ" + "x" * 9_999),
    ("percent-format", "{title} %s %(x)s {0}"),
    ("html", "<script>alert(1)</script>&amp;"),
]

#: Dates a person could type by mistake: (id, text).
DATES: list[tuple[str, str]] = [
    ("typo-year", "01/05/2202"),
    ("far-future", "31/12/2099"),
    ("far-past", "01/01/1900"),
    ("impossible", "31/02/2022"),
    ("garbage", "sau Tết nhé"),
    ("huge-relative", "+999999wd"),
    ("year-zero", "01/01/0000"),
    ("empty", ""),
    ("markup", "[red]1/1/2022"),
]

#: Numbers: (id, text) for ids, versions, progress, readings, weights, limits.
NUMBERS: list[tuple[str, str]] = [
    ("huge", "99999999999999999999999"),
    ("negative", "-1"),
    ("zero", "0"),
    ("float", "1.5"),
    ("nan", "nan"),
    ("inf", "inf"),
    ("text", "abc"),
    ("exp", "1e400"),
    ("int64-max", str(2**63 - 1)),
    ("int32-over", str(2**31)),
]


@dataclass(frozen=True)
class HostileFile:
    """A file (or something posing as one) at a path the corpus makes in a directory."""

    id: str
    make: Callable[[Path], Path]


def _write(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    """A file called `name` holding `data` (made when first needed: some are large)."""
    def make(directory: Path) -> Path:
        path = directory / name
        path.write_bytes(data() if callable(data) else data)
        return path

    return make


def _device(name: str) -> Callable[[Path], Path]:
    def make(_directory: Path) -> Path:
        return Path(name)

    return make


def _fifo(directory: Path) -> Path:
    path = directory / "pipe.csv"
    os.mkfifo(path)
    return path


def _directory(directory: Path) -> Path:
    path = directory / "folder.xlsx"
    path.mkdir()
    return path


def _symlink_to_zero(directory: Path) -> Path:
    path = directory / "link.toml"
    path.symlink_to("/dev/zero")
    return path


def _zip(parts: dict[str, bytes], *, lie: bool = False) -> bytes:
    """An .xlsx-shaped ZIP; `lie` rewrites every declared uncompressed size to 100 bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    data = buffer.getvalue()
    if not lie:
        return data
    out = bytearray(data)
    # Local headers (PK\x03\x04: size at +22) and central directory (PK\x01\x02: size at +24).
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (found := out.find(signature, start)) >= 0:
            out[found + offset:found + offset + 4] = (100).to_bytes(4, "little")
            start = found + 4
    return bytes(out)


_WORKBOOK = (b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             b'<sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>')
_RELS = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         b'relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'
         b'</Relationships>')


def _sheet(rows: bytes) -> bytes:
    return (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            b'2006/main"><sheetData>' + rows + b"</sheetData></worksheet>")


@cache
def _bomb(*, lie: bool = False) -> bytes:
    """A workbook whose sheet inflates to 150 MB (150 KB compressed)."""
    filler = b"<row>" + b" " * 1_000_000 + b"</row>"
    return _zip({"xl/workbook.xml": _WORKBOOK, "xl/_rels/workbook.xml.rels": _RELS,
                 "xl/worksheets/sheet1.xml": _sheet(filler * 150)}, lie=lie)


def _far_row() -> bytes:
    """One row numbered two billion: a reader that pads the rows before it would use 100 GB."""
    return _zip({"xl/workbook.xml": _WORKBOOK, "xl/_rels/workbook.xml.rels": _RELS,
                 "xl/worksheets/sheet1.xml": _sheet(b'<row r="2000000000"><c r="A2000000000" '
                                                    b't="inlineStr"><is><t>x</t></is></c></row>')})


def _merges() -> bytes:
    """Ten thousand different merged ranges, each down to the last row: filling them would
    write 60 billion cells."""
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (i, i)
                    for i in range(1, 20_001))
    merges = b"<mergeCells>" + b"".join(b'<mergeCell ref="A%d:BH1048576"/>' % i
                                        for i in range(1, 10_001)) + b"</mergeCells>"
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             b'2006/main"><sheetData>' + rows + b"</sheetData>" + merges + b"</worksheet>")
    return _zip({"xl/workbook.xml": _WORKBOOK, "xl/_rels/workbook.xml.rels": _RELS,
                 "xl/worksheets/sheet1.xml": sheet})


def device_node(directory: Path, name: str) -> Path:
    """A character device to write to, for the output paths: as root a private node (so a
    writer that replaced what it was given, the bug this corpus guards against, would replace
    a copy, never the system's own /dev/full), else the system's (which a user cannot
    replace)."""
    numbers = {"null": (1, 3), "full": (1, 7)}
    if os.geteuid() == 0:
        import stat

        path = directory / f"dev-{name}"
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(*numbers[name]))
        return path
    return Path("/dev") / name


#: Files for every command that reads one.
FILES: list[HostileFile] = [
    HostileFile("dev-zero", _device("/dev/zero")),
    HostileFile("dev-urandom", _device("/dev/urandom")),
    HostileFile("dev-null", _device("/dev/null")),
    HostileFile("fifo", _fifo),
    HostileFile("directory", _directory),
    HostileFile("symlink-to-dev-zero", _symlink_to_zero),
    HostileFile("missing", lambda d: d / "no-such-file.csv"),
    HostileFile("empty", _write("empty.csv", b"")),
    HostileFile("binary", _write("binary.toml", bytes(range(256)) * 64)),
    HostileFile("not-utf8", _write("latin1.csv", "Phòng;Kế hoạch\n".encode("cp1258", "replace") + b"\xff\xfe\n")),
    HostileFile("utf16", _write("utf16.csv", "STT,Nội dung\n1,x\n".encode("utf-16"))),
    HostileFile("big-csv", _write("big.csv", lambda: b"a,b\n" * (60 * 1024 * 1024 // 4 + 1))),
    HostileFile("zip-bomb", _write("bomb.xlsx", _bomb)),
    HostileFile("zip-bomb-lying", _write("liar.xlsx", lambda: _bomb(lie=True))),
    HostileFile("far-row", _write("far.xlsx", _far_row)),
    HostileFile("merges", _write("merges.xlsx", _merges)),
    HostileFile("truncated-zip", _write("cut.xlsx", lambda: _bomb()[:5000])),
    HostileFile("toml-deep", _write("deep.toml", b"a = " + b"[" * 100_000 + b"]" * 100_000)),
    HostileFile("markup-name", _write("[red]x[-].csv", b"STT,Noi dung\n")),
]
