"""Cutting CSV files into parts at record boundaries, so that several processes can read them.

A part is a range of bytes that starts where a record starts. :func:`boundary_after` finds
such places: a line end after which the file has had an even number of quotes. That is exactly where
:func:`tokko.io.csvrecords.records` ends a record (it joins lines while a record's quotes are
odd), so reading the parts one after the other gives the records of the whole file, each once.
A line end is a newline byte; in UTF-8 and CP932 neither a quote nor a newline byte is ever part
of another character, so the bytes can be counted without decoding them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import IO, NamedTuple

_CHUNK = 1 << 20


class Part(NamedTuple):
    """Bytes ``start`` to ``end`` of table number ``table`` (``end`` None: the whole table)."""

    table: int
    start: int = 0
    end: int | None = None


def share(tables: Sequence[tuple[Path, bool]], pieces: int) -> list[list[Part]]:
    """The tables cut into at most ``pieces`` groups of parts, in order, of about equal size.

    ``tables`` are (path, whether it can be cut): a CSV file can, at a record; a spreadsheet
    goes whole into one group. Each group is a run of whole tables and pieces of tables.
    """
    sizes = [path.stat().st_size for path, _ in tables]
    total = sum(sizes)
    targets = [total * k // pieces for k in range(1, pieces)]
    groups: list[list[Part]] = [[]]
    base = 0
    for index, ((path, cuttable), size) in enumerate(zip(tables, sizes, strict=True)):
        start = 0
        cut_after = False
        while targets and targets[0] < base + size:
            local = targets.pop(0) - base
            if local <= 0 or not cuttable:
                if local <= 0 and groups[-1]:
                    groups.append([])  # the cut falls between two tables
                cut_after = cut_after or local > 0
                continue
            at = boundary_after(path, max(local, start))
            if at is None:
                continue  # no record starts after it: the rest of the table stays here
            if at > start:
                groups[-1].append(Part(index, start, at))
                start = at
            if groups[-1]:
                groups.append([])
        groups[-1].append(Part(index, start, None))
        if cut_after:
            groups.append([])
        base += size
    return [group for group in groups if group]


def boundary_after(path: Path, offset: int) -> int | None:
    """The first offset at or after ``offset`` where a record starts (None: none before the
    end of the file)."""
    quotes = 0
    position = 0
    with path.open("rb") as stream:
        while position < offset:
            chunk = stream.read(min(_CHUNK, offset - position))
            if not chunk:
                return None
            quotes += chunk.count(b'"')
            position += len(chunk)
        if offset > 0 and _ends_line(path, offset) and quotes % 2 == 0:
            return offset
        found = _line_end(stream, quotes, position)
    if found is None or found[0] >= path.stat().st_size:
        return None
    return found[0]


def _line_end(stream: IO[bytes], quotes: int, position: int) -> tuple[int, int] | None:
    """(the offset just after the next record-ending newline, quotes before it), or None."""
    while chunk := stream.read(_CHUNK):
        at = 0
        while (newline := chunk.find(b"\n", at)) >= 0:
            quotes += chunk.count(b'"', at, newline)
            at = newline + 1
            if quotes % 2 == 0:
                return position + at, quotes
        quotes += chunk.count(b'"', at)
        position += len(chunk)
    return None


def _ends_line(path: Path, offset: int) -> bool:
    """Whether the byte before ``offset`` is a newline."""
    with path.open("rb") as stream:
        stream.seek(offset - 1)
        return stream.read(1) == b"\n"


class _Slice(io.RawIOBase):
    """Bytes ``start`` to ``end`` of a file, read as if they were the whole file."""

    def __init__(self, path: Path, start: int, end: int | None) -> None:
        super().__init__()
        self._file = path.open("rb", buffering=0)
        self._file.seek(start)
        self._left = None if end is None else end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer)
        if self._left is not None:
            view = view[: self._left]
        count = self._file.readinto(view) or 0
        if self._left is not None:
            self._left -= count
        return count

    def close(self) -> None:
        self._file.close()
        super().close()


def open_part(path: Path, encoding: str, start: int, end: int | None) -> IO[str]:
    """The text of bytes ``start`` to ``end``, opened as :func:`open` would (``newline=""``).

    A byte order mark belongs to the file's first part only.
    """
    if start == 0 and end is None:
        return path.open(encoding=encoding, newline="")
    if start > 0 and encoding == "utf-8-sig":
        encoding = "utf-8"
    return io.TextIOWrapper(io.BufferedReader(_Slice(path, start, end), 1 << 16),
                            encoding=encoding, newline="")
