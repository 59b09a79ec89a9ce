"""Reading CSV records fast, with :mod:`csv` doing every record that is not plainly quoted.

Most rows of a declaration have no quotes: for them, splitting the line on commas gives exactly
what :func:`csv.reader` gives, at a fraction of the cost. Most of the others quote a whole cell
or two (``"1,200,000"``) on one line; :func:`_quoted` splits those. Any other record — a quote
inside a cell, a doubled quote, a cell over several lines — is handed, with the lines that
complete its quoted fields, to :func:`csv.reader` itself. ``tests/test_csvrecords.py`` checks
against csv.reader, with hypothesis, that the three read what it reads.

Each record comes with its text as it stood in the file (line ending removed), so that a writer
can carry the input columns through unchanged without writing them again field by field.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO


def records(lines: Iterable[str]) -> Iterator[tuple[str, list[str]]]:
    """Yield ``(text, fields)`` for each CSV record of ``lines`` (a file opened newline="")."""
    for _, fields, text in numbered(lines, 1, blank=True):
        yield text, fields


def numbered(lines: Iterable[str], first: int, *, blank: bool = False,
             count: list[int] | None = None,
             closing: IO[str] | None = None) -> Iterator[tuple[int, list[str], str]]:
    """Yield ``(number, fields, text)`` for each record of ``lines``, numbered from ``first``;
    a blank record (no field with text) is counted but not yielded unless ``blank``.

    ``count`` gets the number of records read, blank ones included, at the end; ``closing``
    is closed when the records end (or are abandoned). The loop is written for speed: it runs
    once per row of a batch, twice.
    """
    limit = csv.field_size_limit()  # csv.reader refuses longer fields; so must the shortcut
    it = iter(lines)
    number = first - 1
    try:
        for line in it:
            if '"' not in line:
                number += 1
                text = line.rstrip("\r\n")
                if blank or text.strip(","):  # some field has text: any(text.split(","))
                    yield number, text.split(",") if text else [], text
                continue
            record = line
            while record.count('"') % 2:
                more = next(it, None)
                if more is None:
                    break
                record += more
            text = record.rstrip("\r\n")
            fields = _quoted(text) if record is line and len(text) < limit else None
            if fields is not None:
                number += 1
                if blank or any(fields):
                    yield number, fields, text
                continue
            # Only CR and LF end lines here, as in the file (str.splitlines would split at VT,
            # FF…).
            for fields in csv.reader(io.StringIO(record, newline="")):
                number += 1
                if blank or any(fields):
                    yield number, fields, text
        if count is not None:
            count.append(number - first + 1)
    finally:
        if closing is not None:
            closing.close()


def _quoted(text: str) -> list[str] | None:
    """The fields of a one-line record whose quotes each open or close a whole cell; else None.

    Split on quotes, such a record alternates text outside quotes and the quoted cells. Outside
    text runs from the end of a quoted cell (a comma) to the start of the next (a comma), so
    that splitting it on commas gives an empty piece at each end that touches a quote and the
    unquoted cells between. A doubled quote or a quote inside a cell breaks that pattern: None,
    and csv.reader reads the record.
    """
    parts = text.split('"')
    last = len(parts) - 1
    if last & 1:
        return None  # an odd number of quotes
    fields: list[str] = []
    for i in range(0, last + 1, 2):
        pieces = parts[i].split(",")
        if i:
            if pieces[0]:
                return None  # text right after a closing quote
            del pieces[0]
        if i < last:
            if not pieces or pieces[-1]:
                return None  # text right before an opening quote (or a doubled quote)
            pieces[-1] = parts[i + 1]
        fields += pieces
    return fields
