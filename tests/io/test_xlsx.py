"""tokko.io.xlsx: cells read as tokko reads them, and hostile files refused in bounded time and memory.

Every workbook here is written by the tests in a temporary folder: a small one by
:func:`write_book` from XML text, a hostile one byte by byte (:func:`raw_zip`, with sizes that may
lie). Hostile files are read in a fresh process (:func:`probe`) that reports the outcome, the
seconds and the peak resident memory, so a case that ran away would show here, not take the
machine down (the child's address space is capped at 4 GiB).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokko
from tokko.errors import InputFileError
from tokko.io.xlsx import Cell, open_workbook
from tokko.model.fields import Unsaved

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
MiB = 1 << 20
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Cell styles: 0 general, 1 yyyy/m/d (14), 2 a date and time, 3 #,##0 (3), 4 text (49),
# 5 Japanese era date (28), 6 another Japanese built-in date (57), 7 a custom 年月日 format.
STYLES = (
    f'{HEAD}<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="164" '
    'formatCode="yyyy/m/d h:mm"/><numFmt numFmtId="165" formatCode="yyyy&quot;年&quot;m&quot;月'
    '&quot;d&quot;日&quot;"/></numFmts><fonts count="1"><font><sz val="11"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1">'
    '<border/></borders><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
    '<cellXfs count="8"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
    '<xf numFmtId="3"/><xf numFmtId="49"/><xf numFmtId="28"/><xf numFmtId="57"/>'
    '<xf numFmtId="165"/></cellXfs></styleSheet>'
)


def sheet_xml(rows: str, before: str = "", after: str = "") -> str:
    return (
        f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{REL}">{before}<sheetData>{rows}'
        f"</sheetData>{after}</worksheet>"
    )


def shared_xml(*items: str) -> str:
    """Shared strings; each item is the inside of one ``<si>`` (``<t>…</t>`` or rich runs)."""
    return f'{HEAD}<sst xmlns="{MAIN}">' + "".join(f"<si>{i}</si>" for i in items) + "</sst>"


def write_book(
    path: Path,
    sheets: list[tuple[str, str]],
    shared: str | None = None,
    styles: str | None = STYLES,
    workbook_pr: str = "",
    method: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """An xlsx with these (name, sheet XML) pairs, laid out as Excel lays one out."""
    wb = (
        f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_pr}<sheets>'
        + "".join(
            f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, (n, _) in enumerate(sheets, 1)
        )
        + "</sheets></workbook>"
    )
    rels = [
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    ]
    if styles is not None:
        rels.append(f'<Relationship Id="rIdS" Type="{REL}/styles" Target="styles.xml"/>')
    if shared is not None:
        rels.append(
            f'<Relationship Id="rIdT" Type="{REL}/sharedStrings" Target="/xl/sharedStrings.xml"/>'
        )
    with zipfile.ZipFile(path, "w", method) as book:
        book.writestr(
            "[Content_Types].xml",
            f'{HEAD}<Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="xml" ContentType='
            f'"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{CT}'
            '.sheet.main+xml"/></Types>',
        )
        book.writestr(
            "_rels/.rels",
            f'{HEAD}<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr("xl/workbook.xml", wb)
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{HEAD}<Relationships xmlns="{PKG}">{"".join(rels)}</Relationships>',
        )
        if styles is not None:
            book.writestr("xl/styles.xml", styles)
        if shared is not None:
            book.writestr("xl/sharedStrings.xml", shared)
        for i, (_, xml) in enumerate(sheets, 1):
            book.writestr(f"xl/worksheets/sheet{i}.xml", xml)
    return path


def _ja(exc: InputFileError) -> str:
    """The refusal's words in Japanese, without the file name."""
    return exc.message("ja").removeprefix(f"{exc.file}: ")


def _en(exc: InputFileError) -> str:
    """The refusal's words in English, without the file name."""
    return exc.message("en").removeprefix(f"{exc.file}: ")


def read(path: Path, sheet: str | None = None) -> list[tuple[int, list[Cell]]]:
    with open_workbook(path, path.name) as book:
        return list(book.rows(sheet))


def refusal(path: Path, sheet: str | None = None) -> InputFileError:
    with pytest.raises(InputFileError) as caught:
        read(path, sheet)
    assert caught.value.file == path.name
    # the reader's words, from the catalog (shared with CSV where the words are the same)
    assert caught.value.detail.startswith(("xlsx.", "file."))
    for lang in ("ja", "en"):
        assert caught.value.message(lang).startswith(f"{path.name}: ")
    assert _ja(caught.value)
    assert _en(caught.value)
    return caught.value


# --- hostile files, written byte by byte --------------------------------------------------------


class Member:
    """One zip member as raw bytes: ``data`` already compressed (or stored), sizes as declared."""

    def __init__(self, data: bytes, crc: int, size: int, method: int = 8) -> None:
        self.data, self.crc, self.size, self.method = data, crc, size, method


def deflated(text: bytes) -> Member:
    return Member(zlib.compress(text, 9)[2:-4], zlib.crc32(text), len(text))


def stored(text: bytes) -> Member:
    return Member(text, zlib.crc32(text), len(text), method=0)


def repeated(head: bytes, block: bytes, times: int, tail: bytes) -> Member:
    """head + block × times + tail, deflated without ever holding it: after a full flush no
    block refers to data before it, so one compressed block can be written ``times`` times."""
    press = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = press.compress(head) + press.flush(zlib.Z_FULL_FLUSH)
    one = press.compress(block) + press.flush(zlib.Z_FULL_FLUSH)
    last = press.compress(tail) + press.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return Member(first + one * times + last, crc, len(head) + len(block) * times + len(tail))


def raw_zip(path: Path, members: dict[str, Member], declared: dict[str, int] | None = None) -> Path:
    """A zip of these members; ``declared`` overrides a member's inflated size (a lie told in
    both the local header and the table of contents)."""
    declared = declared or {}
    local, central = bytearray(), bytearray()
    for name, member in members.items():
        size = declared.get(name, member.size)
        raw = name.encode()
        header = struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            0,
            member.method,
            0,
            0x21,
            member.crc,
            len(member.data),
            size,
            len(raw),
            0,
        )
        central += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                member.method,
                0,
                0x21,
                member.crc,
                len(member.data),
                size,
                len(raw),
                0,
                0,
                0,
                0,
                0,
                len(local),
            )
            + raw
        )
        local += header + raw + member.data
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0
    )
    path.write_bytes(bytes(local + central + end))
    return path


def package(sheet: Member, shared: Member | None = None) -> dict[str, Member]:
    """The members of a minimal workbook around one sheet (and shared strings)."""
    rels = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>' + (
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        if shared
        else ""
    )
    types = (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName='
        f'"/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/><Override PartName="/xl/'
        f'worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>'
        + (
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>'
            if shared
            else ""
        )
        + "</Types>"
    )
    parts = {
        "[Content_Types].xml": deflated(types.encode()),
        "_rels/.rels": deflated(
            f'{HEAD}<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>".encode()
        ),
        "xl/workbook.xml": deflated(
            f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="申告" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>".encode()
        ),
        "xl/_rels/workbook.xml.rels": deflated(
            f'{HEAD}<Relationships xmlns="{PKG}">{rels}</Relationships>'.encode()
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared:
        parts["xl/sharedStrings.xml"] = shared
    return parts


SHEET_HEAD = f'{HEAD}<worksheet xmlns="{MAIN}"><sheetData>'.encode()
SHEET_TAIL = b"</sheetData></worksheet>"

PROBE = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
from pathlib import Path
from tokko.errors import InputFileError
from tokko.io.xlsx import open_workbook
import openpyxl.worksheet._reader  # imported lazily by the reader; the clock times reading only
start = time.perf_counter()
outcome = {"rows": 0, "last": None}
try:
    with open_workbook(Path(sys.argv[1]), "hostile.xlsx") as book:
        for number, cells in book.rows():
            outcome["rows"] += 1
            outcome["last"] = [number, len(cells), repr(cells[-1])[:50]]
except InputFileError as exc:
    outcome["error"] = exc.message("en")
outcome["seconds"] = time.perf_counter() - start
print(json.dumps(outcome))
"""

# A small process between pytest and the probe: Linux counts the memory of the process that
# starts a child in the child's ru_maxrss, and pytest has built large files by then.
LAUNCH = """
import json, resource, subprocess, sys
done = subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2]], capture_output=True,
                      text=True, timeout=120, check=False)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"code": done.returncode, "out": done.stdout, "err": done.stderr,
                  "peak_mib": peak}))
"""


def probe(path: Path) -> dict[str, Any]:
    """Read ``path`` in a fresh process: rows read or the refusal, seconds and peak memory."""
    env = {**os.environ, "PYTHONPATH": str(Path(tokko.__file__).resolve().parents[1])}
    launched = subprocess.run(
        [sys.executable, "-c", LAUNCH, PROBE, str(path)],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        check=True,
    )
    done = json.loads(launched.stdout)
    assert done["code"] == 0, done["err"][-3000:]
    assert not done["err"], done["err"][-3000:]  # no traceback, no warning
    outcome: dict[str, Any] = {**json.loads(done["out"]), "peak_mib": done["peak_mib"]}
    print(path.name, outcome)  # the figures for the report (pytest -s shows them)
    assert outcome["seconds"] < 10, outcome
    assert outcome["peak_mib"] < 512, outcome
    return outcome


# --- 1. zip bomb --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small xlsx whose sharedStrings.xml inflates to about 2.3 GB (sizes told truthfully)."""
    block = b"<si><t>" + b"A" * (4 * MiB - 16) + b"</t></si>"  # 4 MiB, one string
    strings = repeated(f'{HEAD}<sst xmlns="{MAIN}">'.encode(), block, 550, b"</sst>")
    sheet = deflated(SHEET_HEAD + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + SHEET_TAIL)
    return raw_zip(tmp_path_factory.mktemp("bomb") / "bomb.xlsx", package(sheet, strings))


def test_zip_bomb_is_refused_from_the_table_of_contents(bomb: Path) -> None:
    """A 3 MB zip whose shared strings inflate to 2.3 GB is refused on opening, from the sizes in
    its table of contents, in well under a second."""
    assert bomb.stat().st_size < 3 * MiB
    with zipfile.ZipFile(bomb) as book:
        assert book.getinfo("xl/sharedStrings.xml").file_size > 2_300_000_000
    outcome = probe(bomb)
    assert "sharedStrings.xml is too large" in outcome["error"]
    assert outcome["seconds"] < 1
    with pytest.raises(InputFileError, match="too large"):
        open_workbook(bomb, "bomb.xlsx")  # refused on opening, before any part is inflated


def test_parts_together_over_a_gigabyte_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts each within their cap but together over MAX_TOTAL_BYTES are refused ("the workbook is
    too large")."""
    from tokko.io import xlsx

    monkeypatch.setattr(xlsx, "MAX_TOTAL_BYTES", 2_000)  # lowered to show where it bites
    path = write_book(tmp_path / "total.xlsx", [("S", sheet_xml("")), ("T", sheet_xml(""))])
    assert "the workbook is too large" in _en(refusal(path))


def test_zip_bomb_lying_about_its_size_is_read_no_further_than_it_says(
    tmp_path: Path, bomb: Path
) -> None:
    """A bomb whose declared size is small is inflated no further than declared; its first string
    is refused at 1 MiB."""
    # The same bomb, its size declared as 60 MiB: every cap and the ratio pass, zipfile stops at
    # the declared size, and the first string is refused at 1 MiB.
    members = {n: Member(*_raw(bomb, n)) for n in package(stored(b""), stored(b""))}
    lying = raw_zip(tmp_path / "lying.xlsx", members, declared={"xl/sharedStrings.xml": 60 * MiB})
    outcome = probe(lying)
    assert "shared string 0 is over 1,048,576 bytes" in outcome["error"]


def _raw(path: Path, name: str) -> tuple[bytes, int, int, int]:
    """A member's compressed bytes, CRC, size and method, as stored in ``path``."""
    with zipfile.ZipFile(path) as book:
        info = book.getinfo(name)
    with path.open("rb") as stream:
        stream.seek(info.header_offset + 26)
        skip = sum(struct.unpack("<HH", stream.read(4)))
        stream.seek(skip, 1)
        data = stream.read(info.compress_size)
    return data, info.CRC, info.file_size, info.compress_type


def test_high_compression_ratio_is_refused(tmp_path: Path) -> None:
    """A part over 4 MiB inflating to more than 100 times its compressed size is refused as a
    possible zip bomb."""
    rows = b"<row><c><v>1</v></c></row>" * 400_000  # 10 MB that deflate to some 10 kB
    path = raw_zip(tmp_path / "ratio.xlsx", package(deflated(SHEET_HEAD + rows + SHEET_TAIL)))
    outcome = probe(path)
    assert "refused as a possible zip bomb" in outcome["error"]


# --- 2. a single 1.5 GB cell --------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_cell(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One inline-string cell of 1.5 GB (about 1.5 MB deflated)."""
    sheet = repeated(
        SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>',
        b"x" * MiB,
        1536,
        b"</t></is></c></row>" + SHEET_TAIL,
    )
    return raw_zip(tmp_path_factory.mktemp("cell") / "cell.xlsx", package(sheet))


def test_a_cell_of_one_and_a_half_gigabytes_is_refused_unread(big_cell: Path) -> None:
    """A sheet part of 1.5 GB (one cell) is refused from its declared size, unread."""
    outcome = probe(big_cell)
    assert "sheet1.xml is too large (1,610,612," in outcome["error"]
    assert outcome["seconds"] < 1


def test_the_same_cell_with_its_size_hidden_is_refused_at_16_mib(
    tmp_path: Path, big_cell: Path
) -> None:
    """The same cell under a declared size that passes every cap is refused once its row passes 16
    MiB of XML."""
    # Declared as 100 × its compressed size (about 150 MB, under every cap): zipfile gives no
    # more than that, and the scan refuses the row once it passes 16 MiB; nothing is built.
    name = "xl/worksheets/sheet1.xml"
    members = {n: Member(*_raw(big_cell, n)) for n in package(stored(b""))}
    lying = raw_zip(
        tmp_path / "hidden.xlsx", members, declared={name: 100 * len(members[name].data)}
    )
    outcome = probe(lying)
    assert "row 1 is over 16,777,216 bytes of XML" in outcome["error"]


def test_a_cell_over_32767_characters_is_refused(tmp_path: Path) -> None:
    """Inline, formula and shared text over 32,767 characters is refused, naming the cell or the
    string; exactly 32,767 is read."""
    long = "あ" * 32_768
    inline = sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{long}</t></is></c></row>')
    error = refusal(write_book(tmp_path / "inline.xlsx", [("S", inline)]))
    assert "cell A1 holds more than 32,767 characters" in _en(error)
    assert "32,767" in _ja(error)
    formula = sheet_xml(
        f'<row r="3"><c r="B3" t="str"><f>REPT("あ",32768)</f><v>{long}</v></c></row>'
    )
    error = refusal(write_book(tmp_path / "formula.xlsx", [("S", formula)]))
    assert "cell B3 holds more than 32,767" in _en(error)
    shared = write_book(
        tmp_path / "shared.xlsx",
        [("S", sheet_xml("<row/>"))],
        shared=shared_xml("<t>ok</t>", f"<t>{long}</t>"),
    )
    assert "shared string 1 holds more than 32,767" in _en(refusal(shared))
    exactly = sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{long[1:]}</t></is></c></row>')
    assert read(write_book(tmp_path / "max.xlsx", [("S", exactly)])) == [(1, [long[1:]])]


# --- 3. a row of 20 million cells ---------------------------------------------------------------


def test_a_row_of_twenty_million_cells_is_refused(tmp_path: Path) -> None:
    """A row of 20 million cells is refused: deflated as a zip bomb, stored at its 16,385th cell,
    in under a second."""
    cells = b'<row r="1">' + b"<c/>" * 20_000_000 + b"</row>"
    squeezed = raw_zip(
        tmp_path / "deflated.xlsx", package(deflated(SHEET_HEAD + cells + SHEET_TAIL))
    )
    assert "refused as a possible zip bomb" in probe(squeezed)["error"]
    plain = raw_zip(tmp_path / "stored.xlsx", package(stored(SHEET_HEAD + cells + SHEET_TAIL)))
    assert plain.stat().st_size > 80_000_000
    outcome = probe(plain)
    assert "row 1 has more than 16,384 cells" in outcome["error"]
    assert outcome["seconds"] < 1


def test_cells_per_row_stop_at_16384(tmp_path: Path) -> None:
    """A row may hold 16,384 cells (up to XFD) and no more; a cell beyond XFD is out of place."""
    row = "".join(f"<c><v>{i % 997}</v></c>" for i in range(16_385))
    error = refusal(write_book(tmp_path / "wide.xlsx", [("S", sheet_xml(f"<row>{row}</row>"))]))
    assert "row 1 has more than 16,384 cells" in _en(error)
    full = sheet_xml("<row>" + "<c/>" * 16_383 + '<c r="XFD1"><v>7</v></c></row>')
    [(number, cells)] = read(write_book(tmp_path / "full.xlsx", [("S", full)]))
    assert (number, len(cells), cells[-1]) == (1, 16_384, 7)
    beyond = sheet_xml('<row r="1"><c r="XFE1"><v>1</v></c></row>')
    error = refusal(write_book(tmp_path / "beyond.xlsx", [("S", beyond)]))
    assert "row 1 has a cell out of place (column 16385" in _en(error)


def test_other_elements_in_a_row_are_bounded(tmp_path: Path) -> None:
    """A row with more than 131,072 XML elements of any kind is refused."""
    # openpyxl takes every child of a row for a cell, and a tree is built per row.
    row = b'<row r="1"><c r="A1"><v>1</v></c>' + b"<x/>" * 200_000 + b"</row>"
    path = raw_zip(tmp_path / "elements.xlsx", package(stored(SHEET_HEAD + row + SHEET_TAIL)))
    assert "row 1 has more than 131,072 XML elements" in probe(path)["error"]


def test_the_elements_of_a_sheet_are_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sheet with more than MAX_SHEET_ELEMENTS XML elements is refused, naming the row reached."""
    # 33,554,432 elements take openpyxl minutes; the cap is lowered here to show where it bites.
    from tokko.io import xlsx

    monkeypatch.setattr(xlsx, "MAX_SHEET_ELEMENTS", 1_000)
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 400))
    error = refusal(write_book(tmp_path / "many.xlsx", [("S", sheet_xml(rows))]))
    assert "the sheet has more than 1,000 XML elements (row 333)" in _en(error)


# --- 4. a dimension claiming the whole grid -----------------------------------------------------


def test_a_dimension_claiming_the_whole_grid_is_not_allocated(tmp_path: Path) -> None:
    """A <dimension> claiming A1:XFD1048576 allocates nothing: only the cells in the file are
    read."""
    sheet = sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1234</v></c></row>',
        before='<dimension ref="A1:XFD1048576"/>',
    )
    path = write_book(tmp_path / "grid.xlsx", [("S", sheet)])
    outcome = probe(path)
    assert outcome["rows"] == 2
    assert outcome["last"] == [1_048_576, 16_384, "1234"]
    rows = read(path)
    assert rows[0] == (1, ["a"])
    assert rows[1][1] == [None] * 16_383 + [1234]


# --- 5. more than 1,048,576 rows ----------------------------------------------------------------


def test_more_than_1048576_rows_are_refused(tmp_path: Path) -> None:
    """A row numbered over 1,048,576, or a 1,048,577th row without a number, is refused before the
    first row is yielded."""
    numbered = sheet_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048577"><c r="A1048577"><v>2</v></c></row>'
    )
    error = refusal(write_book(tmp_path / "numbered.xlsx", [("S", numbered)]))
    assert "more than 1,048,576 rows, Excel's limit (row 1048577)" in _en(error)
    # 1,048,577 rows without numbers, stored so that the ratio check lets them through.
    rows = b"<row><c><v>1</v></c></row>" * 1_048_577
    path = raw_zip(tmp_path / "counted.xlsx", package(stored(SHEET_HEAD + rows + SHEET_TAIL)))
    outcome = probe(path)
    assert "more than 1,048,576 rows, Excel's limit (row 1048577)" in outcome["error"]
    assert outcome["rows"] == 0  # refused before the first row


def test_rows_out_of_order_are_refused(tmp_path: Path) -> None:
    """Row numbers that do not ascend, or are not whole numbers from 1, are refused."""
    for rows in (
        '<row r="5"/><row r="3"/>',
        '<row r="2"/><row r="2"/>',
        '<row r="0"/>',
        '<row r="-1"/>',
        '<row r="2.0"/>',
        '<row r="x"/>',
    ):
        error = refusal(write_book(tmp_path / "order.xlsx", [("S", sheet_xml(rows))]))
        assert "invalid row number" in _en(error), rows


def test_cells_out_of_order_or_in_another_row_are_refused(tmp_path: Path) -> None:
    """Cells out of column order, given twice, in another row or beyond XFD are refused."""
    for cells in (
        '<c r="B1"><v>1</v></c><c r="A1"><v>2</v></c>',
        '<c r="B1"><v>1</v></c><c r="B1"><v>2</v></c>',
        '<c r="A7"><v>1</v></c>',
        '<c r="AAAA1"><v>1</v></c>',
    ):
        path = write_book(tmp_path / "cells.xlsx", [("S", sheet_xml(f'<row r="1">{cells}</row>'))])
        error = refusal(path)
        assert "out of place" in _en(error) or "cannot read" in _en(error), cells


# --- 6. files that are not workbooks ------------------------------------------------------------


def _ole(*streams: str) -> bytes:
    """An OLE compound file's header and a directory sector naming these streams."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16) + struct.pack("<HHH", 0x3E, 3, 0xFFFE)
    header += struct.pack("<H", 9) + bytes(512 - len(header) - 2)
    entries = b"".join(
        name.encode("utf-16-le").ljust(64, b"\0")
        + struct.pack("<H", 2 * len(name) + 2).ljust(64, b"\0")
        for name in ("Root Entry", *streams)
    )
    return header + bytes(512) + entries.ljust(512, b"\0")


def test_a_password_protected_workbook_is_refused(tmp_path: Path) -> None:
    """A password-protected workbook (an OLE file with an EncryptedPackage) is refused with words
    that say so."""
    path = tmp_path / "protected.xlsx"
    path.write_bytes(_ole("\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"))
    error = refusal(path)
    assert _ja(error) == "パスワードで保護されたブックは読めません。保護を外して保存してください"
    assert _en(error) == (
        "password-protected workbooks cannot be read; remove the protection and save again"
    )


def test_an_xls_is_refused_whatever_its_name(tmp_path: Path) -> None:
    """An OLE .xls is refused as an old Excel file, whatever its file name says."""
    for name in ("old.xls", "renamed.xlsx"):
        path = tmp_path / name
        path.write_bytes(_ole("Workbook", "\x05SummaryInformation"))
        assert "old Excel files (.xls)" in _en(refusal(path))


def test_damaged_and_foreign_files_are_refused(tmp_path: Path) -> None:
    """A truncated zip, garbage, an empty file, a CSV renamed .xlsx and a missing file are each
    refused with their own words."""
    good = write_book(
        tmp_path / "good.xlsx", [("S", sheet_xml('<row r="1"><c><v>1</v></c></row>'))]
    )
    data = good.read_bytes()
    cases = {
        "truncated.xlsx": (data[: len(data) // 2], "the workbook is damaged"),
        "tail-cut.xlsx": (data[:-30], "the workbook is damaged"),
        "garbage.xlsx": (bytes(range(256)) * 10, "not an Excel workbook (.xlsx)"),
        "empty.xlsx": (b"", "not an Excel workbook (.xlsx)"),
        "text.xlsx": ("団体コード,年度\n013951,2021\n".encode(), "not an Excel workbook (.xlsx)"),
    }
    for name, (content, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        assert expected in _en(refusal(path)), name
    missing = refusal(tmp_path / "missing.xlsx")
    assert _en(missing).startswith("cannot open the file")


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    """A zip without workbook.xml, or whose workbook or sheet part is missing, is refused naming
    what is missing."""
    path = tmp_path / "plain.xlsx"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("readme.txt", "hello")
    assert "no workbook.xml" in _en(refusal(path))
    no_book = {
        n: m
        for n, m in package(deflated(SHEET_HEAD + SHEET_TAIL)).items()
        if n != "xl/workbook.xml"
    }
    error = refusal(raw_zip(tmp_path / "nobook.xlsx", no_book))
    assert "has no part xl/workbook.xml" in _en(error)
    no_sheet = {
        n: m
        for n, m in package(deflated(SHEET_HEAD + SHEET_TAIL)).items()
        if n != "xl/worksheets/sheet1.xml"
    }
    error = refusal(raw_zip(tmp_path / "nosheet.xlsx", no_sheet))
    assert "has no part xl/worksheets/sheet1.xml" in _en(error)


def test_a_damaged_member_is_refused(tmp_path: Path) -> None:
    """A sheet part whose compressed bytes are damaged is refused as damaged."""
    rows = "".join(
        f'<row r="{i}"><c r="A{i}"><v>{i * 7919 % 10007}</v></c></row>' for i in range(1, 3000)
    )
    path = write_book(tmp_path / "crc.xlsx", [("S", sheet_xml(rows))])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as book:
        info = book.getinfo("xl/worksheets/sheet1.xml")
    data[info.header_offset + 30 + len(info.filename) + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert "damaged" in _en(refusal(path))


def test_a_table_of_contents_too_large_or_zip64_is_refused(tmp_path: Path) -> None:
    """A table of contents over 4 MiB, or a ZIP64 archive, is refused before zipfile parses it."""
    good = write_book(tmp_path / "good.xlsx", [("S", sheet_xml(""))]).read_bytes()
    end = good.rfind(b"PK\x05\x06")
    big = good[: end + 12] + struct.pack("<I", 5 << 20) + good[end + 16 :]
    (tmp_path / "toc.xlsx").write_bytes(big)
    assert "too many parts" in _en(refusal(tmp_path / "toc.xlsx"))
    locator = struct.pack("<IIQI", 0x07064B50, 0, 0, 1)
    (tmp_path / "zip64.xlsx").write_bytes(good[:end] + locator + good[end:])
    assert "too many parts" in _en(refusal(tmp_path / "zip64.xlsx"))


def test_xml_that_expat_would_hold_whole_or_expand_is_refused(tmp_path: Path) -> None:
    """A DOCTYPE (entity expansion), a tag or comment over 1 MiB and malformed XML are refused."""
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        f'<worksheet xmlns="{MAIN}"><sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is>'
        "</c></row></sheetData></worksheet>"
    )
    error = refusal(write_book(tmp_path / "laughs.xlsx", [("S", laughs)]))
    assert "has a DOCTYPE" in _en(error)
    for name, junk in (
        ("tag", f'<row r="1" x="{"a" * (2 * MiB)}"/>'),
        ("comment", f"<!-- {'a' * (2 * MiB)} -->"),
    ):
        path = write_book(
            tmp_path / f"{name}.xlsx", [("S", sheet_xml(junk))], method=zipfile.ZIP_STORED
        )
        assert "a single tag or comment is over 1,048,576 bytes" in _en(refusal(path))
    broken = write_book(tmp_path / "broken.xlsx", [("S", sheet_xml("<row><c></row>"))])
    assert "not well-formed XML" in _en(refusal(broken))


def test_what_stands_after_the_last_row_is_not_parsed(tmp_path: Path) -> None:
    """Whatever stands after the last row (100,000 hyperlinks) is not parsed."""
    # openpyxl would build objects for these 100,000 hyperlinks; the reader stops at the last row.
    links = "".join(f'<hyperlink ref="A{i}" display="x"/>' for i in range(1, 100_000))
    sheet = sheet_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row>', after=f"<hyperlinks>{links}</hyperlinks>"
    )
    path = write_book(tmp_path / "tail.xlsx", [("S", sheet)])
    outcome = probe(path)
    assert outcome["rows"] == 1
    assert outcome["seconds"] < 1


# --- the catalog's words -----------------------------------------------------------------------


def test_refusals_are_put_into_words_in_the_language_asked(tmp_path: Path) -> None:
    """A refusal is an ``xlsx.*`` entry with its values: a part's refusal is the part's name and
    the problem, both in the language asked; values (cells, limits) are filled in each."""
    laughs = f'<?xml version="1.0"?><!DOCTYPE x []><worksheet xmlns="{MAIN}"/>'
    error = refusal(write_book(tmp_path / "doctype.xlsx", [("S", laughs)]))
    assert error.detail == "xlsx.in_part"
    assert _ja(error) == "xl/worksheets/sheet1.xml: DOCTYPE 宣言があります（Excel は書きません）"
    assert _en(error) == "xl/worksheets/sheet1.xml: has a DOCTYPE (Excel writes none)"
    wide = sheet_xml("<row>" + "<c/>" * 16_385 + "</row>")
    error = refusal(write_book(tmp_path / "wide.xlsx", [("S", wide)]))
    assert (
        _ja(error) == "xl/worksheets/sheet1.xml: 行 1 のセルが Excel の上限 16,384 列を超えています"
    )
    long = sheet_xml(f'<row r="2"><c r="B2" t="inlineStr"><is><t>{"x" * 32_768}</t></is></c></row>')
    error = refusal(write_book(tmp_path / "long.xlsx", [("S", long)]))
    assert (error.detail, error.params["cell"]) == ("xlsx.cell_too_long", "B2")
    assert _ja(error) == "セル B2 の文字数が 32,767 を超えています（Excel の上限）"
    assert _en(error) == "cell B2 holds more than 32,767 characters (Excel's limit)"
    beyond = sheet_xml('<row r="3"><c r="XFE3"><v>1</v></c></row>')
    error = refusal(write_book(tmp_path / "beyond.xlsx", [("S", beyond)]))
    assert _ja(error) == "行 3 のセルの位置が不正です（列 16385、行 3）"
    assert _en(error) == (
        "row 3 has a cell out of place (column 16385, row 3; columns ascend up to 16,384, XFD)"
    )


def test_every_refusal_of_the_reader_names_an_entry_of_the_catalog() -> None:
    """Every ``xlsx.*`` and ``file.*`` id the reader refuses with (also the rare ones no file
    here reaches) is an entry of the catalog, with Japanese words in its Japanese text."""
    from tokko.io import xlsx
    from tokko.messages import CATALOG

    source = Path(xlsx.__file__).read_text(encoding="utf-8")
    ids = set(re.findall(r'"((?:xlsx|file)\.[a-z_]+)"', source))
    assert len(ids) >= 40
    missing = sorted(i for i in ids if i not in CATALOG)
    assert not missing
    for entry in ids - {"xlsx.in_part"}:
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", CATALOG[entry].ja), entry
        assert CATALOG[entry].ja != CATALOG[entry].en, entry


# --- cells as tokko reads them ------------------------------------------------------------------


def test_each_kind_of_cell(tmp_path: Path) -> None:
    """Numbers, dates (by style), text exactly as stored, booleans, formulas' cached values (a
    formula without one is Unsaved, never an empty cell) and errors are read as documented by
    Cell."""
    shared = shared_xml(
        "<t>013951</t>",
        '<r><rPr><b/></rPr><t>令和</t></r><r><t xml:space="preserve">3年度 </t></r>',
        '<t xml:space="preserve">  spaced  </t>',
        '<t>令和</t><rPh sb="0" eb="2"><t>レイワ</t></rPh><phoneticPr fontId="1"/>',
        "<t>a_x000D_b</t>",
        "<t>_x005F_x000D_</t>",
        "<t/>",
    )
    rows = (
        # numbers: Excel's floats; whole ones (also huge ones, as the float is) become ints
        '<row r="1"><c r="A1"><v>1234567</v></c><c r="B1"><v>1234567.0</v></c>'
        '<c r="C1"><v>12.5</v></c><c r="D1"><v>9007199254740993</v></c>'
        '<c r="E1"><v>1.2345678901234567E+19</v></c><c r="F1"><v>-0</v></c>'
        '<c r="G1" s="3"><v>45000</v></c><c r="H1" t="n"><v>2021</v></c>'
        '<c r="I1"><v>1E-3</v></c></row>'
        # dates: by the cell's style, not its value
        '<row r="3"><c r="A3" s="1"><v>45000</v></c><c r="B3" s="2"><v>45000.5</v></c>'
        '<c r="C3" s="2"><v>45000</v></c><c r="D3" s="1"><v>0.5</v></c>'
        '<c r="E3" s="5"><v>45000</v></c><c r="F3" s="6"><v>45000</v></c>'
        '<c r="G3" s="7"><v>45000</v></c><c r="H3" t="d"><v>2023-03-15T00:00:00</v></c>'
        '<c r="I3" t="d"><v>2023-03-15T08:30:00</v></c><c r="J3" s="1"><v>1E+300</v></c></row>'
        # text, exactly as stored
        '<row r="4"><c r="A4" t="s"><v>0</v></c><c r="B4" t="s"><v>1</v></c>'
        '<c r="C4" t="s"><v>2</v></c><c r="D4" t="inlineStr"><is><t>007</t></is></c>'
        '<c r="E4" t="str"><v>0123</v></c><c r="F4" s="4"><v>13951</v></c>'
        '<c r="G4" t="s"><v>3</v></c><c r="H4" t="s"><v>4</v></c><c r="I4" t="s"><v>5</v></c>'
        '<c r="J4" t="s"><v>6</v></c></row>'
        # booleans, formulas (their cached values) and errors
        '<row r="5"><c r="A5" t="b"><v>1</v></c><c r="B5" t="b"><v>0</v></c>'
        '<c r="C5"><f>1+1</f><v>2</v></c><c r="D5" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'
        '<c r="E5" t="e"><f>NA()</f><v>#N/A</v></c><c r="F5" t="e"><v>#DIV/0!</v></c>'
        '<c r="G5" t="b"><f>TRUE()</f><v>1</v></c><c r="H5"><f>1/3</f><v>0.33333333333333331</v></c>'
        '<c r="I5"><f>NOW()</f></c></row>'
    )
    got = dict(read(write_book(tmp_path / "kinds.xlsx", [("申告", sheet_xml(rows))], shared)))
    assert got[1] == [
        1234567,
        1234567,
        12.5,
        9007199254740992,
        12345678901234567168,
        0,
        45000,
        2021,
        0.001,
    ]
    assert [type(v) for v in got[1]] == [int] * 2 + [float] + [int] * 5 + [float]
    assert got[3] == [
        dt.date(2023, 3, 15),
        dt.datetime(2023, 3, 15, 12),
        dt.date(2023, 3, 15),
        "12:00:00",
        dt.date(2023, 3, 15),
        dt.date(2023, 3, 15),
        dt.date(2023, 3, 15),
        dt.date(2023, 3, 15),
        dt.datetime(2023, 3, 15, 8, 30),
        int(1e300),
    ]
    assert got[4] == [
        "013951",
        "令和3年度 ",
        "  spaced  ",
        "007",
        "0123",
        13951,
        "令和",
        "a\rb",
        "_x000D_",
        "",
    ]
    assert got[5] == [
        True,
        False,
        2,
        "ab",
        "#N/A",
        "#DIV/0!",
        True,
        0.3333333333333333,
        Unsaved("=NOW()"),
    ]
    assert type(got[5][0]) is bool
    assert 2 not in got  # no row 2 in the file


def test_a_formula_saved_as_the_empty_string_is_blank_not_unknown(tmp_path: Path) -> None:
    """=IF(…,"",…) saved by Excel or LibreOffice: t="str" with an empty value is a known empty
    text (blank); a formula with no saved value at all (openpyxl writes <v/>) is Unsaved."""
    rows = (
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1" t="str"><f>IF(A1&gt;5,1,"")</f><v></v></c>'
        '<c r="C1"><f>A1*2</f><v/></c><c r="D1"><f>A1*3</f></c></row>'
    )
    got = read(write_book(tmp_path / "saved.xlsx", [("申告", sheet_xml(rows))]))
    assert got == [(1, [1, "", Unsaved("=A1*2"), Unsaved("=A1*3")])]


def test_the_1904_date_system(tmp_path: Path) -> None:
    """A workbook in the 1904 date system reads its dates right."""
    sheet = sheet_xml('<row r="1"><c r="A1" s="1"><v>43538</v></c></row>')
    path = write_book(
        tmp_path / "mac.xlsx", [("S", sheet)], workbook_pr='<workbookPr date1904="1"/>'
    )
    assert read(path) == [(1, [dt.date(2023, 3, 15)])]


def test_numbers_excel_cannot_hold_are_refused(tmp_path: Path) -> None:
    """A number that is not finite or not a number at all is refused, naming the cell when it is
    parsed."""
    for value in ("1E+999", "-1e999", "NaN", "inf", "1" * 400, "0x10"):
        sheet = sheet_xml(f'<row r="2"><c r="C2"><v>{value}</v></c></row>')
        error = refusal(write_book(tmp_path / "nan.xlsx", [("S", sheet)]))
        assert "C2 holds a number Excel cannot hold" in _en(
            error
        ) or "cannot read the workbook" in _en(error), value


def test_a_shared_string_index_out_of_range_is_refused(tmp_path: Path) -> None:
    """A shared string index that is negative, too large or not a number is refused."""
    for index in ("-1", "2", "x"):
        sheet = sheet_xml(f'<row r="1"><c r="A1" t="s"><v>{index}</v></c></row>')
        path = write_book(
            tmp_path / "index.xlsx", [("S", sheet)], shared_xml("<t>a</t>", "<t>b</t>")
        )
        assert "cannot read the workbook" in _en(refusal(path)), index


def test_row_numbers_stay_right_across_blank_rows(tmp_path: Path) -> None:
    """Empty rows are skipped and row numbers stay those Excel shows; a row without r follows the
    previous one."""
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>見出し</t></is></c></row>'
        '<row r="2"><c r="A2" s="3"/><c r="B2" t="inlineStr"><is><t></t></is></c></row>'
        '<row r="4" ht="30" customHeight="1"/>'
        '<row r="7"><c r="C7"><v>5</v></c></row>'
        '<row><c><v>6</v></c><c><v>7</v></c><c r="E8"><v>8</v></c></row>'
    )
    assert read(write_book(tmp_path / "blank.xlsx", [("S", sheet_xml(rows))])) == [
        (1, ["見出し"]),
        (7, [None, None, 5]),
        (8, [6, 7, None, None, 8]),
    ]


def test_sheets_by_name_first_by_default_and_missing_ones_listed(tmp_path: Path) -> None:
    """Sheets are read by name (the first by default, again if asked); a missing sheet is refused
    listing the sheets."""
    path = write_book(
        tmp_path / "sheets.xlsx",
        [
            ("申告", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')),
            ("Other", sheet_xml('<row r="2"><c r="B2"><v>2</v></c></row>')),
            ("空", sheet_xml("")),
        ],
    )
    with open_workbook(path, "sheets.xlsx") as book:
        assert book.sheet_names == ["申告", "Other", "空"]
        assert list(book.rows()) == [(1, [1])]
        assert list(book.rows("Other")) == [(2, [None, 2])]
        assert list(book.rows("申告")) == [(1, [1])]  # a sheet can be read again
        assert list(book.rows("空")) == []
        with pytest.raises(InputFileError) as caught:
            book.rows("Sheet1")  # refused when asked, before any iteration
    assert _ja(caught.value) == "シート「Sheet1」がありません（あるシート: 申告, Other, 空）"
    assert _en(caught.value) == "no sheet named 'Sheet1' (sheets: 申告, Other, 空)"


def test_unusual_but_valid_layouts(tmp_path: Path) -> None:
    """A workbook without styles or shared strings, with namespace prefixes and stored members, is
    read."""
    # No styles, no shared strings, namespace prefixes, stored members.
    prefixed = (
        f'{HEAD}<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="2"><x:c r="B2" '
        't="inlineStr"><x:is><x:t>013951</x:t></x:is></x:c></x:row></x:sheetData>'
        "</x:worksheet>"
    )
    path = write_book(
        tmp_path / "bare.xlsx", [("S", prefixed)], styles=None, method=zipfile.ZIP_STORED
    )
    assert read(path) == [(2, [None, "013951"])]


def test_sheets_that_are_not_worksheets_or_strict_workbooks_are_refused(tmp_path: Path) -> None:
    """A chart sheet and a Strict Open XML workbook are refused."""
    path = write_book(tmp_path / "chart.xlsx", [("Chart", sheet_xml(""))])
    data = {i.filename: zipfile.ZipFile(path).read(i) for i in zipfile.ZipFile(path).infolist()}
    data["xl/_rels/workbook.xml.rels"] = data["xl/_rels/workbook.xml.rels"].replace(
        b'/worksheet"', b'/chartsheet"'
    )
    with zipfile.ZipFile(path, "w") as book:
        for name, content in data.items():
            book.writestr(name, content)
    assert "sheet 'Chart' is not a worksheet" in _en(refusal(path))
    strict = write_book(tmp_path / "strict.xlsx", [("S", sheet_xml(""))])
    data = {i.filename: zipfile.ZipFile(strict).read(i) for i in zipfile.ZipFile(strict).infolist()}
    data["xl/workbook.xml"] = data["xl/workbook.xml"].replace(
        MAIN.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    )
    with zipfile.ZipFile(strict, "w") as book:
        for name, content in data.items():
            book.writestr(name, content)
    assert "Strict Open XML" in _en(refusal(strict))


def test_a_workbook_written_by_openpyxl(tmp_path: Path) -> None:
    """A workbook written by openpyxl reads back with its sheet names, text codes, numbers and
    dates."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "申告"
    sheet.append(["団体コード", "年度", "事業費", "契約日", "確認"])
    sheet.append(["013951", "令和3年度", 1_234_567, dt.date(2021, 4, 1), True])
    sheet.append([13951, 2021, 1500.5, dt.datetime(2021, 4, 1, 9, 30), None])
    sheet["B5"] = "=1+1"  # no cached value: openpyxl does not compute
    book.create_sheet("メモ")["A1"] = "x"
    path = tmp_path / "openpyxl.xlsx"
    book.save(path)
    with open_workbook(path, "openpyxl.xlsx") as read_back:
        assert read_back.sheet_names == ["申告", "メモ"]
        assert list(read_back.rows()) == [
            (1, ["団体コード", "年度", "事業費", "契約日", "確認"]),
            (2, ["013951", "令和3年度", 1_234_567, dt.date(2021, 4, 1), True]),
            (3, [13951, 2021, 1500.5, dt.datetime(2021, 4, 1, 9, 30)]),  # no cell E3
            (5, [None, Unsaved("=1+1")]),  # a formula openpyxl could not compute: unknown
        ]


def test_close_releases_the_file(tmp_path: Path) -> None:
    """Leaving the with block closes the zip."""
    path = write_book(tmp_path / "close.xlsx", [("S", sheet_xml(""))])
    with open_workbook(path, "close.xlsx") as book:
        pass
    assert book._zip.fp is None


# --- properties ---------------------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)
VALUES = st.one_of(
    st.integers(-(2**63), 2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    TEXT,
    st.from_regex(r"0[0-9]{5}", fullmatch=True),
    st.none(),
)


def _cell(ref: str, value: object, strings: list[str]) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    strings.append(str(value))
    return f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>'


def _expected(value: object) -> object:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return value
    number = float(value)  # what Excel holds
    return int(number) if number.is_integer() else number


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.tuples(st.integers(1, 3), st.lists(VALUES, max_size=6)), max_size=6))
def test_values_read_back_as_excel_holds_them(
    tmp_path: Path, rows: list[tuple[int, list[object]]]
) -> None:
    """Any values written read back as Excel holds them: whole numbers as ints, text as written,
    empty rows skipped."""
    from xml.sax.saxutils import escape

    strings: list[str] = []
    xml, expected, number = [], [], 0
    for gap, values in rows:
        number += gap
        row = "".join(_cell(f"{_letters(i + 1)}{number}", v, strings) for i, v in enumerate(values))
        xml.append(f'<row r="{number}">{row}</row>')
        want = [_expected(v) for v in values]
        while want and want[-1] is None:
            want.pop()
        if any(v is not None and v != "" for v in want):
            expected.append((number, want))
    shared = shared_xml(*(f'<t xml:space="preserve">{escape(s)}</t>' for s in strings))
    path = write_book(tmp_path / "values.xlsx", [("S", sheet_xml("".join(xml)))], shared)
    got = [(n, cells) for n, cells in read(path)]
    assert got == expected
    for (_, cells), (_, want) in zip(got, expected, strict=True):
        assert [type(c) for c in cells] == [type(w) for w in want]


def _letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="s"><v>{i % 3}</v></c><c r="B{i}" s="1"><v>{45000 + i}'
        f'</v></c><c r="C{i}"><v>{i * 1.5}</v></c></row>'
        for i in range(1, 40)
    )
    path = write_book(
        tmp_path_factory.mktemp("sample") / "sample.xlsx",
        [("申告", sheet_xml(rows)), ("B", sheet_xml(""))],
        shared_xml("<t>013951</t>", "<t>令和3年度</t>", "<r><t>a</t></r>"),
    )
    return path.read_bytes()


def _read_everything(path: Path) -> InputFileError | None:
    """Read every sheet; the refusal, if any (anything else fails the test)."""
    try:
        with open_workbook(path, path.name) as book:
            for sheet in book.sheet_names:
                for number, cells in book.rows(sheet):
                    assert 1 <= number <= 1_048_576
                    assert len(cells) <= 16_384
                    for c in cells:
                        assert c is None or isinstance(c, str | int | float | bool | dt.date)
                        assert not isinstance(c, float) or math.isfinite(c)
                        assert not isinstance(c, str) or len(c) <= 32_767
    except InputFileError as exc:
        return exc
    return None


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_damage_to_the_file_ends_in_rows_or_a_refusal(
    tmp_path: Path, sample: bytes, data: st.DataObject
) -> None:
    """Bytes of the file damaged or cut anywhere end in rows within Excel's limits or in a refusal
    in both languages, never another exception."""
    damaged = bytearray(sample)
    for _ in range(data.draw(st.integers(1, 8))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        damaged = damaged[: data.draw(st.integers(0, len(damaged)))]
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(damaged))
    refused = _read_everything(path)
    if refused is not None:
        assert _ja(refused)
        assert _en(refused)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_damage_to_the_xml_ends_in_rows_or_a_refusal(
    tmp_path: Path, sample: bytes, data: st.DataObject
) -> None:
    """Damage inside a part, in a sound zip, ends in rows or in a refusal in both languages, never
    another exception."""
    # The parts are damaged, the zip around them is sound: the damage reaches expat and openpyxl.
    path = tmp_path / "sample.xlsx"
    path.write_bytes(sample)
    with zipfile.ZipFile(path) as book:
        parts = {name: bytearray(book.read(name)) for name in book.namelist()}
    name = data.draw(st.sampled_from(sorted(parts)))
    part = parts[name]
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(part)))
        choice = data.draw(
            st.sampled_from(
                [
                    b"<",
                    b">",
                    b'"',
                    b"&",
                    b"/",
                    b"0",
                    b"9",
                    b"-",
                    b"\xff",
                    b" ",
                    b"x",
                    b"<row>",
                    b"</c>",
                    b"_x0000_",
                ]
            )
        )
        if data.draw(st.booleans()):
            part[at : at + len(choice)] = choice
        else:
            del part[at : at + data.draw(st.integers(1, 40))]
    with zipfile.ZipFile(path, "w") as book:
        for key, content in parts.items():
            book.writestr(key, bytes(content))
    refused = _read_everything(path)
    if refused is not None:
        assert _ja(refused)
        assert _en(refused)
