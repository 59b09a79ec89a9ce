"""Opening a CSV file safely: one text encoding from first byte to last, bounded reading.

Replaces :mod:`tokko.io.encoding` and the hand splitting of :mod:`tokko.io.csvrecords`: the
standard :mod:`csv` module reads every record, with its default dialect made ``strict``: a
closing quote must be followed by a comma or a line end. Not strict, csv reads on silently:
``"1,200"円`` becomes ``1,200円``, and a stray quote swallows every following line up to the
next quote of the file into one cell (the rows in between vanish). Whatever strict accepts,
both read alike; what only the lax reading accepts is refused, naming the record.

**Encoding** (:func:`detect_encoding`). The candidates are UTF-8 with BOM, UTF-8 and CP932
(Shift_JIS as Windows writes it). One streaming pass reads the bytes in chunks of 1 MiB through
an incremental strict decoder (a character cut at a chunk's end is carried to the next chunk):

* a UTF-8 BOM decides UTF-8; a UTF-16 (or UTF-32) BOM is refused with a hint;
* otherwise the bytes are decoded as UTF-8. If that fails at a byte while everything before it
  was ASCII, the file is CP932 (ASCII reads the same in both), and the pass goes on decoding
  CP932 to the end; a byte that is not CP932 either is refused. If it fails *after* some
  non-ASCII text was decoded as UTF-8, the file is **mixed** and refused: there is never a
  fall back to another encoding once real text was read in one;
* a file taken for CP932 that decodes as EUC-JP from first byte to last is refused as EUC-JP
  (:func:`_is_euc_jp`): CP932 would read its kanji as half-width katakana;
* a NUL byte (0x00) is refused anywhere: no CSV of declarations has one; it comes from UTF-16
  without a BOM or from a file that is not text at all. (Python 3.11's csv would keep it.)

A refusal names the record (see below) that holds the first offending byte: the part of the
file before that byte is parsed again, with the same reader, to count the records.

Known limit of any detection by decoding: bytes that are valid in both encodings are taken as
UTF-8. UTF-8 Japanese text often decodes as CP932 (that is the usual mojibake), so preferring
UTF-8 is right; the other way round, a CP932 file is valid UTF-8 only if *every* non-ASCII
character in it comes from the few that can start a UTF-8 sequence (half-width katakana, the
rarer kanji coded from 0xE0 on) in lucky pairs: hiragana, katakana, full-width symbols and
the common kanji all begin with a byte (0x81-0x9F) that no UTF-8 character begins with, so one
of them anywhere makes the file CP932 (or mixed, if non-ASCII UTF-8 came before it).

**Reading** (:func:`read_records`). The file is opened in the decided encoding, strictly, with
``newline=""`` (CR, LF and CRLF end lines; a line break, vertical tab or form feed inside quotes
stays in the cell), and :func:`csv.reader` is fed its lines read with ``readline(limit)``, so
that no more than about the caps below is ever held. A decoding error while reading (a file
changed since detection, or an ``encoding`` given by the caller) is refused like the detection
refuses, naming the record.

Caps (each refused with the record's number and what was expected):

* :data:`FIELD_CAP` = 32,767 characters in one cell, Excel's limit. A record whose text passes
  that many characters has its cells measured once it is parsed (shorter records cannot hold
  such a cell and cost nothing more).
* :data:`RECORD_CAP` = 1,048,576 characters of text in one record, line breaks included: one
  physical line, or the lines a quoted cell joins. Enforced as the lines are read
  (``readline(RECORD_CAP + 1)``; a line read that long is over the cap, so no line is ever
  handed to csv cut short), so a 100 MB line without a line break costs about 1 MiB of memory,
  and a record of many small quoted cells over many lines cannot grow without bound.
* A quote still open at the end of the file is refused (csv, not strict, would silently make
  the rest of the file one cell). An unterminated quote followed by more text than csv's
  ``field_size_limit`` (131,072 by default) makes csv raise, and is refused as soon as that
  happens; with a higher limit RECORD_CAP stops it. Either way in linear time.
* :func:`csv.field_size_limit` is never changed: it is process-wide, and setting it around
  each record would cost more than the checks above. The caps above do not depend on it,
  provided it is at least FIELD_CAP (the default is 131,072); a process that lowered it gets
  its own lower limit for cells, named in the message.

NUL characters (which csv in Python 3.11 keeps in cells) are refused by the reading too, at the
byte level (each chunk read from the file is searched), so reading with an ``encoding`` given
by the caller refuses what :func:`detect_encoding` refuses.

**Numbering.** Records are numbered as a spreadsheet numbers its rows: the header is 1, and a
record whose quoted cells hold line breaks is *one* number, however many physical lines it
takes. Blank records (no line, or every field empty, like ``,,,``) are not yielded but are
counted, so the numbers are still the rows a spreadsheet shows. Messages name that number as
「N行目」/ "line N".
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NoReturn

from tokko.errors import InputFileError, os_reason
from tokko.messages import Ref

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

#: The most characters one cell may hold: Excel's limit for a cell.
FIELD_CAP = 32_767
#: The most characters of text one record may take, its line breaks included.
RECORD_CAP = 1 << 20
#: The encodings a file can be read in, as :func:`detect_encoding` names them.
ENCODINGS = ("utf-8-sig", "utf-8", "cp932")

_CHUNK = 1 << 20  # bytes per read of the detection pass
_READ = RECORD_CAP + 1  # a line read this long is over the cap: never handed to csv cut short
_LABEL = {
    "utf-8-sig": "csv.encoding.utf8",
    "utf-8": "csv.encoding.utf8",
    "cp932": "csv.encoding.cp932",
}
_SENTINEL = b"X"  # marks where a bad byte was, when the records before it are counted


def _refuse(name: str, detail: str, **params: object) -> NoReturn:
    """Every refusal of this module goes through here: a message of :mod:`tokko.messages`."""
    raise InputFileError(name, detail, **params)


class _TooLong(Exception):  # noqa: N818 (signals inside this module)
    """The record being read passed RECORD_CAP (``many_lines``: over several lines)."""

    def __init__(self, many_lines: bool) -> None:
        super().__init__(many_lines)
        self.many_lines = many_lines


class _End(Exception):  # noqa: N818
    """The text has ended (csv.reader would hand out an open quoted cell as if closed)."""


class _NulAt(Exception):  # noqa: N818
    """A NUL byte at ``offset`` in the file."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


class _Offending(Exception):  # noqa: N818
    """What the detection pass found wrong: at which byte, and what."""

    def __init__(self, offset: int, encoding: str, kind: str) -> None:
        super().__init__(kind)
        self.offset = offset
        self.encoding = encoding
        self.kind = kind  # "mixed" | "utf8_line" | "neither" | "undecodable" | "nul"


# --------------------------------------------------------------------------- detection


def detect_encoding(path: Path, name: str, *, records: bool = True) -> str:
    """``"utf-8-sig"`` (BOM), ``"utf-8"`` or ``"cp932"``, after one streaming pass over the file.

    Anything else is an :class:`~tokko.errors.InputFileError` naming the line of the first
    byte that does not fit (see the module's docstring for the rules) — its CSV record, or
    with ``records=False`` (a JSON file) its line. An empty file is ``"utf-8"``.
    """
    try:
        with path.open("rb") as stream:
            try:
                encoding = _detect(stream, name)
                if encoding == "cp932":
                    stream.seek(0)
                    pasted = _utf8_line(stream)
                    if pasted is not None:
                        raise pasted
                    stream.seek(0)
                    if _is_euc_jp(stream):
                        _refuse(name, "csv.euc_jp")
                return encoding
            except _Offending as found:
                better = None
                if found.kind == "undecodable" and found.encoding == "cp932":
                    stream.seek(0)  # a UTF-8 line that CP932 cannot decode: say that
                    better = _utf8_line(stream, until=found.offset + 1)
                _refuse_offending(path, name, better or found, records=records)
    except OSError as exc:
        _refuse_os(name, exc)


def _utf8_line(stream: BinaryIO, until: int | None = None) -> _Offending | None:
    """A file read as CP932 must not hold a line of UTF-8 Japanese (a line pasted from another
    file): CP932 would decode it without complaint, as mojibake (``住民記録`` → ``菴乗ｰ題ｨ倬鹸``),
    and a standardization target would no longer be recognised. A line whose non-ASCII bytes
    are all valid UTF-8 and spell kana or kanji is such a line — Japanese in CP932 is almost
    never valid UTF-8 — and the file is refused as mixed, naming it. Returns the first such
    line starting before byte ``until``, or None."""
    offset = 0
    for raw in stream:
        if until is not None and offset >= until:
            break
        if not raw.isascii():
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                if _JAPANESE.search(text):
                    return _Offending(offset, "cp932", "utf8_line")
        offset += len(raw)
    return None


def _is_euc_jp(stream: BinaryIO) -> bool:
    """Whether a file taken for CP932 decodes as EUC-JP from first byte to last. Such a file
    is EUC-JP (as old Unix systems write it): CP932 would decode its kanji without complaint as
    half-width katakana and symbols (``戸籍`` → ``ｸﾍﾀﾒ``), and a standardization target would no
    longer be recognised. Japanese written in CP932 is almost never valid EUC-JP: hiragana,
    katakana, "ー" and the common kanji begin with a byte (0x81-0x9F) that EUC-JP only allows
    before half-width katakana or a JIS X 0212 kanji — one of them anywhere ends the test,
    usually on the first line of Japanese."""
    decoder = codecs.getincrementaldecoder("euc_jp")()
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


#: Kana and kanji: what a UTF-8 line in a CP932 file spells.
_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")


def _detect(stream: BinaryIO, name: str) -> str:
    chunk = stream.read(max(_CHUNK, 4))  # a BOM whole
    if chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        _refuse(name, "csv.utf16")
    encoding = "utf-8-sig" if chunk.startswith(codecs.BOM_UTF8) else "utf-8"
    decoder: codecs.IncrementalDecoder = codecs.getincrementaldecoder("utf-8")()  # BOM: U+FEFF
    # Every byte before the decoder's pending ones (a character cut at the last chunk's end)
    # is ASCII: nothing but ASCII was decoded, so the file may still be CP932.
    ascii_so_far = encoding == "utf-8"
    offset = 0  # of the chunk in the file
    while True:
        nul = chunk.find(b"\0")
        data = chunk if nul < 0 else chunk[:nul]
        final = not chunk or nul >= 0  # a character cut by the NUL is bad too, and before it
        base = offset - len(decoder.getstate()[0])  # of the bytes decoded now: pending + data
        try:
            decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            if not (ascii_so_far and exc.object[: exc.start].isascii()):
                kind = "undecodable" if encoding == "cp932" else "mixed"
                raise _Offending(base + exc.start, encoding, kind) from None
            # Only ASCII before this byte, which is not UTF-8: the file is CP932 from its first
            # byte (ASCII reads the same in both); decode again from the pending bytes on.
            encoding, ascii_so_far = "cp932", False
            decoder = codecs.getincrementaldecoder("cp932")()
            try:
                decoder.decode(exc.object, final)
            except UnicodeDecodeError as again:
                # At the same byte: neither encoding. Later: a CP932 file with a bad byte.
                kind = "neither" if again.start <= exc.start else "undecodable"
                raise _Offending(base + again.start, encoding, kind) from None
        if nul >= 0:
            raise _Offending(offset + nul, encoding, "nul")
        if final:
            return encoding
        if ascii_so_far:
            ascii_so_far = chunk[: len(chunk) - len(decoder.getstate()[0])].isascii()
        offset += len(chunk)
        chunk = stream.read(_CHUNK)


def _refuse_offending(
    path: Path, name: str, found: _Offending, *, records: bool = True
) -> NoReturn:
    """Refuse what the detection pass found, naming the record (or line) that holds the byte."""
    line = (
        _record_at(path, name, found.encoding, found.offset)
        if records
        else _line_at(path, found.offset)
    )
    if found.kind == "nul":
        _refuse_nul(name, line)
    if found.kind == "mixed":
        _refuse(name, "csv.mixed", line=line)
    if found.kind == "utf8_line":
        _refuse(name, "csv.mixed_utf8", line=line)
    if found.kind == "neither":
        _refuse(name, "csv.neither", line=line)
    _refuse_undecodable(name, line, found.encoding)


def _refuse_undecodable(name: str, line: int, encoding: str) -> NoReturn:
    _refuse(name, "csv.not_encoding", line=line, encoding=Ref(_LABEL[encoding]))


def _refuse_nul(name: str, line: int) -> NoReturn:
    _refuse(name, "csv.nul", line=line)


def _refuse_os(name: str, exc: OSError) -> NoReturn:
    reason = os_reason(exc)
    _refuse(name, "file.unreadable", reason=reason)


# --------------------------------------------------------------------------- reading


def read_records(
    path: Path,
    name: str,
    encoding: str | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """The records of the CSV file that have some text, as ``(number, fields)``.

    ``number`` is the record's row as a spreadsheet shows it: the header is 1, a record whose
    quoted cells hold line breaks counts once, and blank records (every field empty) are
    skipped but counted. ``encoding`` is one of :data:`ENCODINGS`; None detects it, here, when
    this is called (:func:`detect_encoding`: a pass over the file before reading it). The
    records are read as they are iterated. Any problem of the file (encoding, NUL, a cap
    passed, a quote never closed, an OS error) is an :class:`~tokko.errors.InputFileError`
    naming the line, raised by the call (detection) or by the iteration (reading); nothing is
    yielded past it.
    """
    if encoding is None:
        encoding = detect_encoding(path, name)
    elif encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}, not {encoding!r}")
    return _records(path, name, encoding)


def _records(
    path: Path,
    name: str,
    encoding: str,
    before: int | None = None,
) -> Generator[tuple[int, list[str]], None, int]:
    """The records of the file that have some text, numbered; returns how many records there
    were, blank ones included.

    ``before``: read only the bytes before this offset, then a plain character
    (:class:`_Prefix`), with bytes that do not decode replaced and a quote still open at the
    end accepted: for counting the records up to a bad byte (:func:`_record_at`).

    Written for speed: the loop runs once per record, and ``lines`` once per line.
    """
    used = 0  # characters read of the record being parsed
    long_record = 0  # 1 (one line so far) or 2 (several) once it passes FIELD_CAP characters

    def lines(readline: Callable[[int], str]) -> Iterator[str]:
        """The lines csv.reader parses, read ``readline(_READ)``: never one cut short (a line
        that long is over RECORD_CAP), never a record over RECORD_CAP; _End at the end."""
        nonlocal used, long_record
        limit, cap = _READ, FIELD_CAP
        while line := readline(limit):
            used += len(line)
            if used > cap:  # the record being parsed may have a cell over FIELD_CAP
                many_lines = used > len(line)
                if used > RECORD_CAP:
                    raise _TooLong(many_lines)
                long_record = 2 if many_lines else 1
            yield line
        raise _End

    item: tuple[int, list[str]] = (0, [])  # the last record parsed, and its number
    try:
        with _open_text(path, encoding, before) as stream:
            try:
                for item in enumerate(csv.reader(lines(stream.readline), strict=True), 1):
                    if long_record:
                        if max(map(len, item[1]), default=0) > FIELD_CAP:
                            _refuse_cell(name, item[0], FIELD_CAP)
                        long_record = 0
                    used = 0
                    fields = item[1]
                    if fields and (fields[0] or any(fields)):
                        yield item
            except _End:
                if not used:
                    return item[0]
                # Lines were read after the last record ended: csv.reader (not strict) would
                # hand out the rest of the file as one cell of an open quote.
                if before is None:
                    _refuse(name, "csv.quote_open_at_end", line=item[0] + 1)
                return item[0] + 1
            except csv.Error as exc:
                _refuse_csv(name, item[0] + 1, exc, long_record == 2)
            except _TooLong as exc:
                _refuse_too_long(name, item[0] + 1, exc.many_lines)
    except OSError as exc:
        _refuse_os(name, exc)
    except (UnicodeDecodeError, _NulAt):
        pass  # found in a chunk read ahead of the lines: located below, from its byte
    _refuse_first_bad(path, name, encoding)


def _refuse_csv(name: str, number: int, exc: csv.Error, many_lines: bool) -> NoReturn:
    reason = str(exc)
    if reason.endswith("expected after '\"'"):  # strict: text after a closing quote
        _refuse(name, "csv.quote_not_followed", line=number)
    if not reason.startswith("field larger than field limit"):
        _refuse(name, "csv.unreadable_line", line=number, reason=reason)
    if many_lines:
        _refuse(name, "csv.quote_not_closed", line=number, cap=f"{FIELD_CAP:,}")
    _refuse_cell(name, number, min(FIELD_CAP, csv.field_size_limit()))


def _refuse_too_long(name: str, number: int, many_lines: bool) -> NoReturn:
    if many_lines:
        _refuse(name, "csv.record_too_long", line=number, cap=f"{RECORD_CAP:,}")
    _refuse(name, "csv.line_too_long", line=number, cap=f"{RECORD_CAP:,}")


def _refuse_cell(name: str, number: int, cap: int) -> NoReturn:
    _refuse(name, "csv.cell_too_long", line=number, cap=f"{cap:,}", limit=f"{FIELD_CAP:,}")


def _open_text(path: Path, encoding: str, before: int | None) -> io.TextIOWrapper:
    """Like ``path.open(encoding=encoding, newline="")``, strict, over a raw file refusing NUL;
    or over the bytes ``before`` an offset (:class:`_Prefix`), bad bytes replaced."""
    raw: io.FileIO = _NoNul(path) if before is None else _Prefix(path, before)
    try:
        return io.TextIOWrapper(
            io.BufferedReader(raw),
            encoding=encoding,
            newline="",
            errors="strict" if before is None else "replace",
        )
    except BaseException:
        raw.close()
        raise


class _NoNul(io.FileIO):
    """A file whose reads raise :class:`_NulAt` at a NUL byte: a C-level search of each chunk
    the buffer reads, cheaper than looking at every line. (What io.BufferedReader calls is
    checked: readinto, and readall.)"""

    _at = 0  # offset of the next byte read

    def _check(self, data: bytes) -> None:
        found = data.find(b"\0")
        if found >= 0:
            raise _NulAt(self._at + found)
        self._at += len(data)

    def readinto(self, buffer: WriteableBuffer) -> int | None:
        count = super().readinto(buffer)
        if count:
            self._check(memoryview(buffer).cast("B")[:count].tobytes())
        return count

    def readall(self) -> bytes:
        data = super().readall()
        self._check(data)
        return data


class _Prefix(io.FileIO):
    """The first ``size`` bytes of a file, then _SENTINEL: the text before a bad byte, with a
    plain character standing where the bad byte was (so that the last record counted is the
    one that holds it, even when the byte starts a record)."""

    def __init__(self, path: Path, size: int) -> None:
        super().__init__(path)
        self._left = size
        self._sentinel = True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        if self._left > 0:
            count = super().readinto(view[: self._left])
            if count:
                self._left -= count
                return count
            self._left = 0
        if self._sentinel and len(view):
            self._sentinel = False
            view[0] = _SENTINEL[0]
            return 1
        return 0

    def readall(self) -> bytes:
        data = bytearray()
        chunk = bytearray(_CHUNK)
        while count := self.readinto(chunk):
            data += chunk[:count]
        return bytes(data)


def _refuse_first_bad(path: Path, name: str, encoding: str) -> NoReturn:
    """Reading in ``encoding`` met a NUL or a byte it cannot decode: refuse the first such
    byte of the file, naming its record."""
    try:
        found = _first_bad(path, encoding)
        if found is not None:
            _refuse_offending(path, name, found)
    except OSError as exc:
        _refuse_os(name, exc)
    # Not there any more: the file changed while it was read. Name no line rather than a wrong one.
    _refuse(name, "csv.changed_while_read", encoding=Ref(_LABEL[encoding]))


def _first_bad(path: Path, encoding: str) -> _Offending | None:
    """The first NUL or byte that ``encoding`` cannot decode, or None."""
    decoder = codecs.getincrementaldecoder("utf-8" if encoding == "utf-8-sig" else encoding)()
    offset = 0
    with path.open("rb") as stream:
        while True:
            chunk = stream.read(_CHUNK)
            nul = chunk.find(b"\0")
            base = offset - len(decoder.getstate()[0])
            try:
                decoder.decode(chunk if nul < 0 else chunk[:nul], not chunk or nul >= 0)
            except UnicodeDecodeError as exc:
                return _Offending(base + exc.start, encoding, "undecodable")
            if nul >= 0:
                return _Offending(offset + nul, encoding, "nul")
            if not chunk:
                return None
            offset += len(chunk)


# --------------------------------------------------------------------------- locating


def _line_at(path: Path, offset: int) -> int:
    """The number of the line that holds byte ``offset``, counted in chunks."""
    line, done = 1, 0
    with path.open("rb") as stream:
        while done < offset:
            chunk = stream.read(min(_CHUNK, offset - done))
            if not chunk:
                break
            line += chunk.count(b"\n")
            done += len(chunk)
    return line


def _record_at(path: Path, name: str, encoding: str, offset: int) -> int:
    """The number of the record that holds byte ``offset`` (the bytes before it decode).

    The text before the byte is parsed with the same reader and caps, so a problem earlier in
    the file (such as an over-long cell) is the one refused: the first in the file. Linear in
    ``offset``; memory bounded by the caps.
    """
    records = _records(path, name, encoding, before=offset)
    while True:
        try:
            next(records)
        except StopIteration as stop:
            count: int = stop.value
            return count
