"""Reading XLSX workbooks that may be damaged or hostile.

:func:`open_workbook` opens a workbook; :meth:`Workbook.rows` streams the rows of one sheet with
each cell read as tokko reads it (see :data:`Cell`). Whatever goes wrong ends in
:class:`~tokko.errors.InputFileError` whose message is an ``xlsx.*`` entry of the catalog
(:mod:`tokko.messages`), shown in Japanese or English, never a traceback.

The sheet is read with openpyxl's sheet parser; everything around it is done here, in this order:

1. The first bytes: an xlsx is a zip. An OLE file (D0 CF 11 E0) is an ``.xls`` or a
   password-protected workbook, and is refused with a message saying which.
2. The zip's end record: a table of contents (central directory) over 4 MiB, or a ZIP64 archive,
   is refused before :mod:`zipfile` parses it (each entry costs memory there).
3. The sizes in the table of contents, before anything is inflated: every part at most 256 MiB
   inflated and, once over 4 MiB, at most 100 times its compressed size; all together at most
   1 GiB. When a part is opened, tighter caps: 64 MiB for the shared strings (held whole), 16 MiB
   for the small parts (package and workbook relationships, workbook.xml, styles.xml).
   :mod:`zipfile` never returns more than the declared size and checks the CRC at the end, so a zip
   that lies about sizes fails instead of growing. Only the parts named here are ever inflated.
4. Every part goes through expat in pieces of 1 MiB. A DOCTYPE is refused (no entities), and so is
   any one tag, comment or processing instruction over 1 MiB (expat would hold it whole).
5. The small parts are read here: sheet names and where each sheet is, the 1904 date system, and
   which cell styles show dates (Japanese built-in date formats 27–36 and 50–58 included, which
   openpyxl does not know). At most 65,536 sheets, relationships, number formats or cell styles.
6. The shared strings are read here too: at most 2,097,152 strings, each at most 1 MiB of XML and
   32,767 characters; phonetic runs (furigana) are left out and ``_xHHHH_`` escapes decoded.
7. The sheet is scanned before openpyxl parses it: at most 1,048,576 rows, numbered in ascending
   order, and 33,554,432 XML elements (openpyxl's work: a full 1,048,576 × 13 declaration is 28 M);
   in one row at most 16,384 cells, 131,072 elements and 16 MiB of XML (the same bounds hold for
   what stands before the first row and after the last). openpyxl then reads exactly the
   rows counted and stops, so nothing after the last row is parsed. Rows and cells are built from
   what the file holds: the grid a ``<dimension>`` claims is never allocated.
8. Each cell, as it is read: in ascending columns of its own row, at most column 16,384 (XFD),
   text at most 32,767 characters (Excel's limits), numbers finite.

A rule of step 8 can only be checked once the cell is parsed, so it can stop :meth:`Workbook.rows`
after earlier rows were yielded; every other refusal comes before the first row.

Why openpyxl's parser and not python-calamine (issue 14, ``benchmarks/xlsx_read.py``): calamine
reads 100,000 rows about six times faster, but it gives an error cell such as ``#N/A`` back as an
empty value — an amount that silently becomes blank — and it allocates the whole grid a
``<dimension>`` claims, so a hostile ``A1:XFD1048576`` ends the process before any check here
can run. The parser is pinned to openpyxl 3.1 (``pyproject.toml``): it is not public API.
"""

from __future__ import annotations

import datetime as dt
import math
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import IO, Any, NoReturn, TypeVar
from xml.parsers import expat

from tokko.errors import InputFileError, os_reason
from tokko.messages import Ref
from tokko.model.fields import Unsaved

Cell = str | int | float | bool | dt.date | dt.datetime | Unsaved | None
"""A cell as tokko reads it: a whole number is an ``int`` (Excel stores every number as a binary
float; ``1234567.0`` is ``1234567``, and above 2**53 the float's exact value), a fraction a
``float``, a date-formatted number a ``date`` (a ``datetime`` when it has a time of day; a time
alone is its ISO text), text exactly as stored, an error such as ``#N/A`` its text, a formula
its saved value (:class:`~tokko.model.fields.Unsaved` when none was saved), and an empty cell
``None``."""

MiB = 1 << 20
MAX_ROWS = 1_048_576  # Excel's limits
MAX_COLUMNS = 16_384
MAX_CELL_CHARS = 32_767
MAX_DIRECTORY_BYTES = 4 * MiB  # the zip's table of contents
MAX_PART_BYTES = 256 * MiB  # one part, inflated
MAX_TOTAL_BYTES = 1024 * MiB  # all parts together, inflated
MAX_STRINGS_PART_BYTES = 64 * MiB  # sharedStrings.xml, held whole (up to 4 bytes a character)
MAX_SMALL_PART_BYTES = 16 * MiB  # relationships, workbook.xml, styles.xml
MAX_RATIO = 100  # inflated / compressed, for a part over RATIO_FROM_BYTES
RATIO_FROM_BYTES = 4 * MiB
MAX_TOKEN_BYTES = 1 * MiB  # one tag, comment or processing instruction
MAX_ITEMS = 65_536  # sheets, relationships, number formats, cell styles
MAX_SHARED_STRINGS = 2_097_152
MAX_STRING_BYTES = 1 * MiB  # the XML of one shared string
MAX_ROW_BYTES = 16 * MiB  # the XML of one row
MAX_ROW_ELEMENTS = 131_072
MAX_SHEET_ELEMENTS = 1 << 25  # 33,554,432: openpyxl's work (1,048,576 rows × 13 cells is 28 M)

_PIECE = MiB
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"
_ROW, _C, _SI, _T, _RPH = (f"{_MAIN} {t}" for t in ("row", "c", "si", "t", "rPh"))
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # a stream of a password-protected xlsx
_EAST_ASIAN_DATES = frozenset(range(27, 37)) | frozenset(range(50, 59))  # built-in date formats
_EXACT = 2**53  # every int up to here is exactly a float
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _refuse(name: str, detail: str, **params: object) -> NoReturn:
    """Every refusal of this module goes through here: ``detail`` is an ``xlsx.*`` entry of the
    catalog, ``params`` its placeholders."""
    raise InputFileError(name, detail, **params)


def _short(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 200 else text[:199] + "…"


@contextmanager
def _translated(name: str, part: str = "") -> Iterator[None]:
    """Any exception of zipfile, zlib, expat or openpyxl becomes an InputFileError."""
    try:
        yield
    except InputFileError:
        raise
    except expat.ExpatError as exc:
        _refuse(name, "xlsx.not_xml", part=part, reason=_short(exc))
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        _refuse(name, "xlsx.not_zip", reason=_short(exc))
    except Exception as exc:
        if part:
            _refuse(name, "xlsx.unreadable_part", part=part, reason=_short(exc))
        _refuse(name, "xlsx.unreadable", reason=_short(exc))


def open_workbook(path: Path, name: str) -> Workbook:
    """Open the workbook at ``path``; ``name`` is how messages refer to it."""
    _check_signature(path, name)
    _check_directory(path, name)
    with _translated(name):
        archive = zipfile.ZipFile(path)
    try:
        return Workbook(name, archive)
    except BaseException:
        archive.close()
        raise


def _check_signature(path: Path, name: str) -> None:
    """An xlsx starts as a zip; an OLE file is an .xls or a password-protected workbook."""
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
            ole = head == _OLE and _holds(stream, _ENCRYPTED)
    except OSError as exc:
        _refuse(name, "xlsx.cannot_open", reason=os_reason(exc) if exc.errno else _short(exc))
    if ole:
        _refuse(name, "xlsx.protected")
    if head == _OLE:
        _refuse(name, "file.xls")
    if not head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        _refuse(name, "xlsx.not_xlsx")


def _holds(stream: IO[bytes], needle: bytes) -> bool:
    """Whether the rest of ``stream`` contains ``needle`` (read in pieces)."""
    tail = b""
    while piece := stream.read(MiB):
        if needle in tail + piece:
            return True
        tail = piece[-len(needle) :]
    return False


def _check_directory(path: Path, name: str) -> None:
    """Refuse a zip whose table of contents is too large, before zipfile parses it.

    The end record is found as :mod:`zipfile` finds it (at the very end, or the last signature in
    the last 64 KiB); a ZIP64 locator before it would let zipfile read other sizes, so a ZIP64
    archive is refused (no workbook within these limits needs one).
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            stream.seek(max(0, size - (22 + 65_535 + 20)))
            tail = stream.read()
    except OSError as exc:
        _refuse(name, "file.unreadable", reason=os_reason(exc) if exc.errno else _short(exc))
    end = len(tail) - 22
    if not (end >= 0 and tail[end : end + 4] == b"PK\x05\x06" and tail[-2:] == b"\0\0"):
        end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        _refuse(name, "xlsx.no_directory")
    (directory,) = struct.unpack("<I", tail[end + 12 : end + 16])
    if directory > MAX_DIRECTORY_BYTES or tail[max(0, end - 20) : end].startswith(b"PK\x06\x07"):
        _refuse(
            name,
            "xlsx.directory_too_large",
            size=f"{directory:,}",
            limit=f"{MAX_DIRECTORY_BYTES:,}",
        )


class _Scan:
    """One expat pass over a part: what an element start (and end, and text) means.

    ``check`` is called after each piece with the bytes fed so far. ``end`` and ``text`` are
    given to expat only where a subclass defines them (each costs a call per element).
    """

    parser: Any = None

    def __init__(self, name: str, part: str) -> None:
        self.name, self.part = name, part

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        """An element starts."""

    def end(self, tag: str) -> None:
        """An element ends."""

    def text(self, data: str) -> None:
        """Character data."""

    def check(self, fed: int) -> None:
        """Called after each piece of the part."""

    def refuse(self, detail: str, **params: object) -> NoReturn:
        """Refuse the part: ``detail`` (an ``xlsx.*`` entry) after the part's name."""
        _refuse(self.name, "xlsx.in_part", part=self.part, problem=Ref(detail, params))


_S = TypeVar("_S", bound=_Scan)


class Workbook:
    """An open workbook: its sheet names and the rows of each sheet. Close it (or use ``with``)."""

    def __init__(self, name: str, archive: zipfile.ZipFile) -> None:
        self.name = name
        self._zip = archive
        self._strings: _SharedStrings | None = None
        for info in archive.infolist():  # every part, before any is inflated (step 3)
            self._check_sizes(info, MAX_PART_BYTES)
        total = sum(info.file_size for info in archive.infolist())
        if total > MAX_TOTAL_BYTES:
            _refuse(name, "xlsx.too_large", size=f"{total:,}", limit=f"{MAX_TOTAL_BYTES:,}")
        main = self._relations("_rels/.rels", "").get("officeDocument", [])
        if not main:
            _refuse(name, "xlsx.no_workbook")
        workbook = main[0][1]
        folder = posixpath.dirname(workbook)
        book = self._parse(workbook, MAX_SMALL_PART_BYTES, _WorkbookScan(name, workbook))
        relations = self._relations(
            posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels"), folder
        )
        by_id = {rid: (kind, target) for kind, found in relations.items() for rid, target in found}
        self._sheets: dict[str, tuple[str, str]] = {}
        for sheet, rid in book.sheets:
            if sheet in self._sheets:
                _refuse(name, "xlsx.sheet_twice", sheet=sheet)
            self._sheets[sheet] = by_id.get(rid, ("", ""))
        self.sheet_names: list[str] = list(self._sheets)
        self._strings_part = next((p for _, p in relations.get("sharedStrings", [])), None)
        styles = next((p for _, p in relations.get("styles", [])), None)
        self._dates = (
            frozenset()
            if styles is None
            else self._parse(styles, MAX_SMALL_PART_BYTES, _StylesScan(name, styles)).dates()
        )
        self._epoch = book.epoch

    def __enter__(self) -> Workbook:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the file."""
        self._zip.close()

    def rows(self, sheet: str | None = None) -> Iterator[tuple[int, list[Cell]]]:
        """(row number as Excel shows it, 1-based; the cells of that row, column A first).

        Rows with no value at all are skipped (the numbering stays right). Trailing empty cells
        may be dropped. ``sheet=None`` is the first sheet. The sheet is found and scanned (step 7
        of the module docstring) before this returns.
        """
        if not self.sheet_names:
            _refuse(self.name, "xlsx.no_sheets")
        chosen = self.sheet_names[0] if sheet is None else sheet
        if chosen not in self._sheets:
            names = ", ".join(self.sheet_names[:20]) + ("…" if len(self.sheet_names) > 20 else "")
            _refuse(self.name, "file.no_sheet", sheet=chosen, sheets=names)
        kind, part = self._sheets[chosen]
        if not part:
            _refuse(self.name, "xlsx.sheet_without_part", sheet=chosen)
        if kind != "worksheet":
            _refuse(self.name, "xlsx.not_worksheet", sheet=chosen)
        strings = self._shared_strings()
        count = self._parse(part, MAX_PART_BYTES, _SheetScan(self.name, part)).rows
        return self._read(part, count, strings)

    def _shared_strings(self) -> _SharedStrings:
        if self._strings is None:
            part = self._strings_part
            self._strings = _SharedStrings(
                []
                if part is None
                else self._parse(
                    part, MAX_STRINGS_PART_BYTES, _StringsScan(self.name, part)
                ).strings
            )
        return self._strings

    def _open(self, part: str, limit: int) -> IO[bytes]:
        """The part's bytes, once its sizes in the table of contents pass (step 3)."""
        try:
            info = self._zip.getinfo(part)
        except KeyError:
            _refuse(self.name, "xlsx.missing_part", part=part)
        self._check_sizes(info, limit)
        with _translated(self.name, part):
            return self._zip.open(info)

    def _check_sizes(self, info: zipfile.ZipInfo, limit: int) -> None:
        part = info.filename
        if info.file_size > limit:
            _refuse(
                self.name,
                "xlsx.part_too_large",
                part=part,
                size=f"{info.file_size:,}",
                limit=f"{limit:,}",
            )
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * info.compress_size:
            ratio = info.file_size // max(info.compress_size, 1)
            _refuse(self.name, "xlsx.zip_bomb", part=part, ratio=f"{ratio:,}", limit=MAX_RATIO)

    def _parse(self, part: str, limit: int, scan: _S) -> _S:
        """Feed the part to expat in pieces with the scan's handlers (step 4); the scan back."""
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = lambda *_: scan.refuse("xlsx.doctype")
        parser.StartElementHandler = scan.start
        if type(scan).end is not _Scan.end:
            parser.EndElementHandler = scan.end
        if type(scan).text is not _Scan.text:
            parser.CharacterDataHandler = scan.text
        scan.parser = parser
        with self._open(part, limit) as stream, _translated(self.name, part):
            fed = 0
            while piece := stream.read(_PIECE):
                parser.Parse(piece, False)
                fed += len(piece)
                if fed - max(parser.CurrentByteIndex, 0) > MAX_TOKEN_BYTES:
                    scan.refuse("xlsx.token_too_large", limit=f"{MAX_TOKEN_BYTES:,}")
                scan.check(fed)
            parser.Parse(b"", True)
            scan.check(fed)
        return scan

    def _relations(self, part: str, folder: str) -> dict[str, list[tuple[str, str]]]:
        """The part's relationships by kind (the last word of their type): (id, target part)."""
        try:
            self._zip.getinfo(part)
        except KeyError:
            return {}
        found: dict[str, list[tuple[str, str]]] = {}
        for kind, rid, target in self._parse(
            part, MAX_SMALL_PART_BYTES, _RelationsScan(self.name, part)
        ).found:
            path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            found.setdefault(kind, []).append((rid, posixpath.normpath(path)))
        return found

    def _read(
        self, part: str, count: int, strings: _SharedStrings
    ) -> Iterator[tuple[int, list[Cell]]]:
        """openpyxl's parser over the sheet, ``count`` rows and no further (steps 7 and 8)."""
        from openpyxl.utils.cell import get_column_letter

        name, dates, epoch = self.name, self._dates, self._epoch
        if count == 0:
            return
        with self._open(part, MAX_PART_BYTES) as source, _translated(name, part):
            parser = _parser()(source, strings, data_only=True)
            previous = 0
            for seen, (number, cells) in enumerate(parser.parse(), start=1):
                parser.row_dimensions.clear()  # it keeps the attributes of every row otherwise
                if not previous < number <= MAX_ROWS:
                    _refuse(name, "xlsx.row_number", row=number, limit=f"{MAX_ROWS:,}")
                previous = number
                values: list[Cell] = []
                for cell in cells:
                    column, value, kind = cell["column"], cell["value"], cell["data_type"]
                    if not len(values) < column <= MAX_COLUMNS or cell["row"] != number:
                        _refuse(
                            name,
                            "xlsx.cell_out_of_place",
                            row=number,
                            column=column,
                            cell_row=cell["row"],
                        )
                    if column > len(values) + 1:
                        values.extend([None] * (column - 1 - len(values)))
                    if value is None:
                        pass
                    elif kind == "n":
                        value = _number(value)
                        if value is None:
                            _refuse(
                                name,
                                "xlsx.number_out_of_range",
                                cell=f"{get_column_letter(column)}{number}",
                            )
                        if cell["style_id"] in dates:
                            value = _date(value, epoch)
                    elif kind == "d":
                        value = _moment(value)
                    elif isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                        _refuse(
                            name,
                            "xlsx.cell_too_long",
                            cell=f"{get_column_letter(column)}{number}",
                            limit=f"{MAX_CELL_CHARS:,}",
                        )
                    values.append(value)
                if any(v is not None and v != "" for v in values):
                    yield number, values
                if seen == count:
                    break  # the scan counted every row: what follows is not parsed


def _parser() -> Any:
    """openpyxl's sheet parser, reading a formula as its saved result — and a formula with no
    saved result (a workbook written by a program) as :class:`Unsaved`, never as an empty
    cell: its value is unknown, and tokko must not take it for 0 or for nothing."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            if cell["value"] is None and element.get("t") == "str":
                cell["value"] = ""  # a formula whose saved result is the empty string ("")
            elif cell["value"] is None and element.find(FORMULA_TAG) is not None:
                formula = element.findtext(FORMULA_TAG) or ""
                cell["value"] = Unsaved(f"={formula}" if formula else "=…")  # …: shared
                cell["data_type"] = "f"
            return cell

    return Parser


def _number(value: int | float) -> int | float | None:
    """A number as Excel holds it (a binary float), whole ones as ints; None if not finite."""
    if isinstance(value, int):  # openpyxl reads digits without a point as an int
        if -_EXACT <= value <= _EXACT:
            return value
        value = float(value) if abs(value) < 2**1024 else math.inf
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() else value


def _date(number: int | float, epoch: dt.datetime) -> Cell:
    """A date-formatted number as a date (a datetime with a time of day; a time alone as text)."""
    from openpyxl.utils.datetime import from_excel

    try:
        moment = from_excel(number, epoch)
    except (OverflowError, ValueError):
        return number  # beyond the dates Excel shows (it shows #####): the number as stored
    return _moment(moment)


def _moment(moment: object) -> Cell:
    if isinstance(moment, dt.datetime):
        return moment.date() if moment.time() == dt.time() else moment
    if isinstance(moment, dt.date):
        return moment
    if isinstance(moment, dt.time | dt.timedelta):
        return moment.isoformat() if isinstance(moment, dt.time) else str(moment)
    return None if moment is None else str(moment)


class _SharedStrings:
    """The shared strings as openpyxl's parser indexes them; a negative index is refused."""

    def __init__(self, strings: list[str]) -> None:
        self._strings = strings

    def __getitem__(self, index: int) -> str:
        if index < 0:
            raise IndexError(f"shared string index {index}")
        return self._strings[index]


class _RelationsScan(_Scan):
    """Relationships: (kind, id, target); external targets are left out."""

    def __init__(self, name: str, part: str) -> None:
        super().__init__(name, part)
        self.found: list[tuple[str, str, str]] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_PACKAGE} Relationship" and attrs.get("TargetMode") != "External":
            if len(self.found) >= MAX_ITEMS:
                self.refuse("xlsx.too_many_relationships", limit=f"{MAX_ITEMS:,}")
            kind = attrs.get("Type", "").rsplit("/", 1)[-1]
            self.found.append((kind, attrs.get("Id", ""), attrs.get("Target", "")))


class _WorkbookScan(_Scan):
    """workbook.xml: the sheets (name, relationship id) in order and the date system."""

    def __init__(self, name: str, part: str) -> None:
        super().__init__(name, part)
        self.sheets: list[tuple[str, str]] = []
        self.epoch = dt.datetime(1899, 12, 30)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if not self.sheets and tag.startswith(_STRICT):
            _refuse(self.name, "xlsx.strict")
        if tag == f"{_MAIN} sheet":
            if len(self.sheets) >= MAX_ITEMS:
                self.refuse("xlsx.too_many_sheets", limit=f"{MAX_ITEMS:,}")
            self.sheets.append((attrs.get("name", ""), attrs.get(_REL_ID, "")))
        elif tag == f"{_MAIN} workbookPr" and attrs.get("date1904") in ("1", "true"):
            self.epoch = dt.datetime(1904, 1, 1)


class _StylesScan(_Scan):
    """styles.xml: the number format of each cell style (``cellXfs``) and the custom formats."""

    def __init__(self, name: str, part: str) -> None:
        super().__init__(name, part)
        self.formats: dict[int, str] = {}
        self.styles: list[int] = []
        self.inside = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_MAIN} cellXfs":
            self.inside = True
        elif tag == f"{_MAIN} numFmt" or (self.inside and tag == f"{_MAIN} xf"):
            if len(self.formats) + len(self.styles) >= 2 * MAX_ITEMS:
                self.refuse("xlsx.too_many_formats", limit=f"{MAX_ITEMS:,}")
            number = int(attrs.get("numFmtId", "0"))
            if tag.endswith(" xf"):
                self.styles.append(number)
            else:
                self.formats[number] = attrs.get("formatCode", "")

    def end(self, tag: str) -> None:
        if tag == f"{_MAIN} cellXfs":
            self.inside = False

    def dates(self) -> frozenset[int]:
        """The cell styles whose number format shows a date or a time."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

        def is_date(number: int) -> bool:
            if number in self.formats:
                return bool(is_date_format(self.formats[number]))
            return number in _EAST_ASIAN_DATES or bool(is_date_format(BUILTIN_FORMATS.get(number)))

        return frozenset(i for i, number in enumerate(self.styles) if is_date(number))


class _StringsScan(_Scan):
    """sharedStrings.xml read whole in one pass: each ``si``'s text, phonetic runs left out."""

    def __init__(self, name: str, part: str) -> None:
        super().__init__(name, part)
        self.strings: list[str] = []
        self.pieces: list[str] = []
        self.since = 0  # where the last string started
        self.keep = False
        self.phonetic = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        at = self.parser.CurrentByteIndex
        if tag == _SI:
            if len(self.strings) >= MAX_SHARED_STRINGS:
                self.refuse("xlsx.too_many_strings", limit=f"{MAX_SHARED_STRINGS:,}")
            self.since, self.pieces = at, []
        elif tag == _T:
            self.keep = not self.phonetic
        elif tag == _RPH:
            self.phonetic += 1
        self.check(at)

    def end(self, tag: str) -> None:
        if tag == _T:
            self.keep = False
        elif tag == _RPH:
            self.phonetic -= 1
        elif tag == _SI:
            text = "".join(self.pieces)
            if "_x" in text:
                text = _ESCAPE.sub(_unescape, text)
            if len(text) > MAX_CELL_CHARS:
                self.refuse(
                    "xlsx.string_too_long", index=len(self.strings), limit=f"{MAX_CELL_CHARS:,}"
                )
            self.strings.append(text)

    def text(self, data: str) -> None:
        if self.keep:
            self.pieces.append(data)

    def check(self, fed: int) -> None:
        if fed - self.since > MAX_STRING_BYTES:
            self.refuse(
                "xlsx.string_too_large", index=len(self.strings), limit=f"{MAX_STRING_BYTES:,}"
            )


def _unescape(match: re.Match[str]) -> str:
    """``_xHHHH_`` is how OOXML writes a character XML cannot hold (``_x000D_`` a CR)."""
    code = int(match[1], 16)
    return match[0] if 0xD800 <= code <= 0xDFFF else chr(code)


class _SheetScan(_Scan):
    """The sheet before openpyxl parses it: rows, cells, elements and bytes per row (step 7)."""

    def __init__(self, name: str, part: str) -> None:
        super().__init__(name, part)
        self.rows = 0
        self.number = 0  # the last row's number
        self.cells = self.elements = 0  # in the current row
        self.total = 0  # elements in the sheet
        self.since = 0  # where the current row started

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.elements += 1
        self.total += 1
        if tag == _C:
            self.cells += 1
            if self.cells > MAX_COLUMNS:
                self.refuse("xlsx.too_many_cells", row=self.number, limit=f"{MAX_COLUMNS:,}")
        elif tag == _ROW:
            self.rows += 1
            ref = attrs.get("r")
            number = self.number + 1 if ref is None else _integer(ref)
            if number > MAX_ROWS:
                self.refuse("xlsx.too_many_rows", limit=f"{MAX_ROWS:,}", row=ref or number)
            if number <= self.number:
                self.refuse("xlsx.row_number", row=ref, limit=f"{MAX_ROWS:,}")
            self.check(self.parser.CurrentByteIndex)  # the row before ends here
            self.number, self.since, self.cells, self.elements = (
                number,
                self.parser.CurrentByteIndex,
                0,
                1,
            )
        if self.elements > MAX_ROW_ELEMENTS:
            self.refuse("xlsx.row_elements", row=self.number, limit=f"{MAX_ROW_ELEMENTS:,}")
        if self.total > MAX_SHEET_ELEMENTS:
            self.refuse("xlsx.sheet_elements", limit=f"{MAX_SHEET_ELEMENTS:,}", row=self.number)

    def check(self, fed: int) -> None:
        """Between pieces and at each row: the row so far is within bounds."""
        if fed - self.since > MAX_ROW_BYTES:
            self.refuse("xlsx.row_too_large", row=self.number, limit=f"{MAX_ROW_BYTES:,}")


def _integer(text: str) -> int:
    """A row number as openpyxl reads it; 0 (refused as out of order) for anything else."""
    return int(text) if text.strip().isdecimal() and len(text) < 20 else 0
