"""The fast CSV record reader (tokko.io.csvrecords) against the standard csv module."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokko.io.csvrecords import numbered, records

#: Pieces a field is made of: quotes, commas, CR, LF, CRLF, blanks, tabs, Japanese, nothing.
PIECES = ["a", "B", "1", " ", "\t", ",", '"', '""', "\r", "\n", "\r\n", "あ", "漢字", "'", "=", ""]
FIELD = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)
ROWS = st.lists(st.lists(FIELD, min_size=1, max_size=6), min_size=1, max_size=8)


def _written(rows: list[list[str]], terminator: str) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=terminator).writerows(rows)
    return buffer.getvalue()


def _lines(text: str) -> io.StringIO:
    """The text as a file opened with newline="" gives it, line by line."""
    return io.StringIO(text, newline="")


def _standard(text: str) -> list[list[str]]:
    return list(csv.reader(_lines(text)))


@settings(max_examples=150, deadline=None)
@given(rows=ROWS, terminator=st.sampled_from(["\r\n", "\n"]), last_newline=st.booleans())
def test_records_give_the_fields_csv_reader_gives(
    rows: list[list[str]], terminator: str, last_newline: bool
) -> None:
    """For any text csv.writer writes, records() yields exactly the rows csv.reader yields."""
    text = _written(rows, terminator)
    if not last_newline:
        text = text.removesuffix(terminator)
    assert [fields for _, fields in records(_lines(text))] == _standard(text)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.one_of(st.just([]), st.lists(FIELD, min_size=1, max_size=4)), max_size=8),
       first=st.integers(1, 5))
def test_numbered_skips_blank_records_but_counts_them(rows: list[list[str]], first: int) -> None:
    """numbered() yields the records with some text, numbered as all records are, and counts
    every record (blank lines and all-empty records included)."""
    text = _written(rows, "\r\n")
    every = list(records(_lines(text)))
    count: list[int] = []
    found = list(numbered(_lines(text), first, count=count))
    assert found == [(first + i, fields, record_text)
                     for i, (record_text, fields) in enumerate(every) if any(fields)]
    assert count == [len(every)]


@settings(max_examples=150, deadline=None)
@given(rows=ROWS, terminator=st.sampled_from(["\r\n", "\n"]))
def test_record_text_parses_back_to_its_fields(rows: list[list[str]], terminator: str) -> None:
    """Each record's text, re-read by csv.reader, is exactly that one record's fields."""
    text = _written(rows, terminator)
    for record_text, fields in records(_lines(text)):
        reparsed = _standard(record_text) if record_text else [[]]
        assert reparsed == [fields]


@settings(max_examples=100, deadline=None)
@given(rows=ROWS)
def test_record_texts_rebuild_the_file(rows: list[list[str]]) -> None:
    """The record texts joined by CRLF are the file csv.writer wrote (nothing lost or added)."""
    text = _written(rows, "\r\n")
    rebuilt = "".join(f"{record_text}\r\n" for record_text, _ in records(_lines(text)))
    assert rebuilt == text


#: Pieces of one line: a cell quoted whole, a quote inside a cell, doubled quotes, text after
#: a closing quote, commas, blanks, Japanese — but no line end.
LINE_PIECES = ["a", "1", " ", ",", '"', '""', ',"', '",', "あ", "=", "\x0b"]


@settings(max_examples=300, deadline=None)
@given(line=st.lists(st.sampled_from(LINE_PIECES), max_size=12).map("".join)
       .filter(lambda line: line.count('"') % 2 == 0),
       ending=st.sampled_from(["", "\n", "\r\n"]))
def test_one_line_with_paired_quotes_reads_as_csv_reader_reads_it(line: str, ending: str) -> None:
    """A line whose quotes pair up, however they sit in its cells, is read as csv.reader reads it
    (by the shortcut for cells quoted whole, by csv.reader itself otherwise)."""
    text = line + ending
    assert [fields for _, fields in records(_lines(text))] == _standard(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('a,b,c\r\n', [["a", "b", "c"]]),
        ('"1,200,000",x\r\n', [["1,200,000", "x"]]),
        ('"1行目\r\n2行目",y\r\nz,w\r\n', [["1行目\r\n2行目", "y"], ["z", "w"]]),
        ('"say ""hi""",\n', [['say "hi"', ""]]),
        (',,\n', [["", "", ""]]),
        ('"",x', [["", "x"]]),
        ('"a\nb\nc"\n"d"\n', [["a\nb\nc"], ["d"]]),
        ('札幌市,"函館,市"\r\n', [["札幌市", "函館,市"]]),
        ('"a","",,"b"\r\n', [["a", "", "", "b"]]),
        ('"a"b,c\n', [["ab", "c"]]),
        ('a"b",c\n', [['a"b"', "c"]]),
        ('"a" ,b\n', [["a ", "b"]]),
    ],
)
def test_records_on_written_out_examples(text: str, expected: list[list[str]]) -> None:
    """Hand-written records: plain, quoted commas, multi-line cells, doubled quotes, empties."""
    assert [fields for _, fields in records(_lines(text))] == expected


@pytest.mark.parametrize("separator", ["\x0b", "\x0c", "\x1c", "\x85", "\u2028"])
def test_line_separators_other_than_cr_lf_stay_inside_a_field(separator: str) -> None:
    """A field holding VT/FF/NEL/U+2028 in a row with a quoted cell is one record, as csv.reader says."""
    text = _written([[f"AI{separator}OCR", "1,200,000"]], "\r\n")
    assert [fields for _, fields in records(_lines(text))] == [[f"AI{separator}OCR", "1,200,000"]]


def test_empty_line_is_an_empty_record() -> None:
    """An empty line is the record with no fields, as csv.reader gives it."""
    text = "a,b\r\n\r\nc,d\r\n"
    assert [fields for _, fields in records(_lines(text))] == _standard(text)
