"""tokko.io.writers and tokko.io.paths: outputs safe to open, written whole, never an input."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokko.errors import OutputFileError, UsageError
from tokko.io.paths import check_outputs
from tokko.io.writers import CsvSheet, atomic, csv_output, neutralize, xlsx_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+81", "'+81"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("", ""),
        ("a\x00b", "ab"),
    ],
)
def test_neutralize(value: str, expected: str) -> None:
    """A cell a spreadsheet would run as a formula is shown as text; NUL is never written."""
    assert neutralize(value) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=8), min_size=1, max_size=8))
def test_a_row_is_written_as_its_cells_neutralised_one_by_one(cells: list[str]) -> None:
    """The one search over the joined row finds exactly the cells that need neutralising."""
    fast, slow = io.StringIO(), io.StringIO()
    CsvSheet(fast).writerow(cells)
    import csv

    csv.writer(slow, lineterminator="\r\n").writerow([neutralize(c) for c in cells])
    assert fast.getvalue() == slow.getvalue()


def test_xlsx_text_escapes_control_characters() -> None:
    assert xlsx_text("a\x0bb") == "a\\x0bb"
    assert xlsx_text("=x") == "'=x"


def test_atomic_replaces_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "r.csv"
    target.write_text("old", encoding="utf-8")

    def interrupted() -> None:
        with atomic(target) as temporary:
            temporary.write_text("half", encoding="utf-8")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        interrupted()
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


def test_csv_output_in_cp932_keeps_a_character_it_cannot_hold(tmp_path: Path) -> None:
    """CP932 has no 𠮷 and no emoji: each is written as an escape rather than stopping the
    run, once (the row is not written twice), and counted so that the command can say so."""
    target = tmp_path / "r.csv"
    with csv_output(target, "cp932") as sheet:
        sheet.writerow(["𠮷野家", "札幌"])
        sheet.writerow(["😀", "函館"])
        sheet.writerow(["小樽", "旭川"])
    assert sheet.escaped == 2
    text = target.read_bytes().decode("cp932")
    assert text == "\\U00020bb7野家,札幌\r\n\\U0001f600,函館\r\n小樽,旭川\r\n"
    with csv_output(tmp_path / "u.csv") as sheet:
        sheet.writerow(["𠮷野家"])
    assert sheet.escaped == 0


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError) as caught:
        check_outputs([], [tmp_path / "no" / "r.csv"])
    assert str(tmp_path / "no") in caught.value.message("ja")


def test_outputs_that_are_inputs_or_each_other(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("x", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(source)
    hard = tmp_path / "hard.csv"
    os.link(source, hard)
    for output in (source, link, hard, tmp_path / "." / "in.csv"):
        with pytest.raises(UsageError):
            check_outputs([source], [output])
    with pytest.raises(UsageError):
        check_outputs([source], [tmp_path / "a.csv", tmp_path / "a.csv"])
    check_outputs([source], [tmp_path / "a.csv", tmp_path / "b.csv", None])


def test_a_utf8_csv_starts_with_one_bom_then_utf8(tmp_path: Path) -> None:
    """Excel opens a UTF-8 CSV as UTF-8 only with a BOM: exactly one, at the start (none on
    the rows after), then the rows in UTF-8; CP932 has none."""
    target = tmp_path / "r.csv"
    with csv_output(target) as sheet:
        sheet.writerow(["団体", "金額"])
        sheet.writerow(["札幌市", "1000"])
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1
    assert data[3:].decode("utf-8") == "団体,金額\r\n札幌市,1000\r\n"
    with csv_output(tmp_path / "s.csv", "cp932") as sheet:
        sheet.writerow(["団体"])
    assert (tmp_path / "s.csv").read_bytes() == "団体\r\n".encode("cp932")
