"""A batch read by several processes (tokko.parallel, tokko.io.parts) writes what one writes.

- Cutting a CSV file: the parts, read one after the other, give the records of the whole file,
  whatever its quotes, line ends and encoding.
- Whole batches with repeated item ids, repeated and shared contracts, bad rows and blank
  lines, run with 1, 2 and 3 processes: the three results, summaries and error reports are the
  same bytes.
- The workers: answers in order, an exception or a dead worker reported, no half output left.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokko
import tokko.batch
import tokko.batchparts
from tokko import onepass
from tokko.audit import ItemIds
from tokko.batch import run_batch
from tokko.errors import InputFileError
from tokko.io.csvrecords import records
from tokko.io.parts import Part, boundary_after, open_part, share
from tokko.io.table import open_table
from tokko.parallel import WorkerError, map_parts, workers
from tokko.prefilter import HashIn

RULES = tokko.load_rules()
HEADER = ["entity_code", "fiscal_year", "item_id", "description", "technology",
          "business_area", "expense_kind", "amount", "specific_revenue", "procurement",
          "agreement_id", "contract_id", "contract_total", "備考"]


def whole_records(path: Path, encoding: str) -> list[tuple[str, list[str]]]:
    with path.open(encoding=encoding, newline="") as stream:
        return list(records(stream))


def part_records(path: Path, encoding: str, parts: list[list[Part]]) -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    for group in parts:
        for part in group:
            with open_part(path, encoding, part.start, part.end) as stream:
                found.extend(records(stream))
    return found


# ── Cutting files ────────────────────────────────────────────────────────────────────────────

CELL = st.one_of(
    st.sampled_from(["", "011002", "2021", "AI", "導入", "1,000", '"', 'a"b', "x\ny", "p\r\nq",
                     "札幌市", " ", "=1+1", "\r", ","]),
    st.text(alphabet='ab,"\n\r 円', max_size=6),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.one_of(st.none(), st.lists(CELL, min_size=1, max_size=4)), max_size=25),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932"]),
       ending=st.sampled_from(["\r\n", "\n"]),
       pieces=st.integers(min_value=2, max_value=5),
       stray=st.booleans())
def test_parts_read_in_order_are_the_whole_file(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str] | None], encoding: str,
    ending: str, pieces: int, stray: bool,
) -> None:
    """Quotes, quoted line ends, blank lines, a BOM, CP932: no record is lost, split or read
    twice."""
    folder = tmp_path_factory.mktemp("parts")
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator=ending)
    writer.writerow(["a", "b"])
    for row in rows:
        writer.writerow([] if row is None else row)
    content = text.getvalue() + ('x"y' + ending if stray else "")  # a quote csv would not write
    path = folder / "t.csv"
    path.write_bytes(content.encode(encoding))
    parts = share([(path, True)], pieces)
    assert parts[0][0].start == 0
    assert len(parts) <= pieces
    assert part_records(path, encoding, parts) == whole_records(path, encoding)


def test_a_cut_never_falls_inside_a_quoted_line_end(tmp_path: Path) -> None:
    """The record boundary after a byte offset skips the line ends inside quotes."""
    path = tmp_path / "q.csv"
    path.write_bytes(b'h\r\n"a\r\nb\r\nc"\r\nd\r\n')
    assert boundary_after(path, 4) == 14  # after "a... c" closes, not at the inner line ends
    assert boundary_after(path, 3) == 3  # already at the start of a record
    assert boundary_after(path, 16) is None  # no record starts after the last one


def test_spreadsheets_go_whole_into_one_group(tmp_path: Path) -> None:
    first, book, last = tmp_path / "a.csv", tmp_path / "b.xlsx", tmp_path / "c.csv"
    for path in (first, book, last):
        path.write_bytes(b"h\n" + b"1\n" * 500)
    groups = share([(first, True), (book, False), (last, True)], 3)
    assert [p.table for g in groups for p in g if p.table == 1] == [1]
    assert all(p.start == 0 and p.end is None for g in groups for p in g if p.table == 1)
    assert 2 <= len(groups) <= 3


# ── Whole batches ────────────────────────────────────────────────────────────────────────────

ENTITIES = ["011002", "012025", "013030", "札幌市", "999999", ""]
YEARS = ["2021", "令和4年度", "2023", "R5", "1999", "x"]


def a_row(draw: Any) -> list[str] | None:
    if draw(st.integers(0, 15)) == 0:
        return None  # a blank line
    entity = draw(st.sampled_from(ENTITIES))
    year = draw(st.sampled_from(YEARS))
    item = draw(st.sampled_from(["1", "2", "3", "４", "", "x"]))  # repeats are the point
    description = draw(st.sampled_from(["AI-OCR", "RPA\n導入", "", '"引用"', "=cmd"]))
    technology = draw(st.sampled_from(["AI", "RPA", "IoT", ""]))
    area = draw(st.sampled_from(["", "住民記録", "会計事務"]))
    kind = draw(st.sampled_from(["導入", "研修", "謎", ""]))
    amount = draw(st.sampled_from(["1000", "2,500", "", "abc", "0", "1234567"]))
    revenue = draw(st.sampled_from(["", "0", "500", "5000"]))
    joint = draw(st.booleans())
    contract = draw(st.sampled_from(["", "C-1", "C-2", "C-3", " C-1 "]))
    total = draw(st.sampled_from(["", "1500", "100000"]))
    memo = draw(st.sampled_from(["", "メモ", "a,b"]))
    return [entity, year, item, description, technology, area, kind, amount, revenue,
            "共同" if joint else "単独", "K-1" if joint else "", contract, total, memo]


@st.composite
def batches(draw: Any) -> list[list[list[str] | None]]:
    files = draw(st.integers(1, 2))
    return [[a_row(draw) for _ in range(draw(st.integers(0, 30)))] for _ in range(files)]


def write(path: Path, rows: list[list[str] | None], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow([] if row is None else row)
    return path


def agreements(folder: Path) -> Path:
    path = folder / "agreements.csv"
    path.write_text("agreement_id,concluded_on,parties\r\n"
                    "K-1,2020-12-01,011002;012025;013030\r\n", encoding="utf-8")
    return path


def outputs(folder: Path, inputs: list[Path], jobs: int, name: str = "", **options: Any,
            ) -> list[bytes]:
    out = folder / (name or f"jobs{jobs}")
    out.mkdir()
    files = [out / "r.csv", out / "s.csv", out / "e.csv"]
    report = run_batch(inputs, out=files[0], summary=files[1], errors=files[2],
                       agreements=agreements(folder), rules=RULES, jobs=jobs, **options)
    assert sorted(p.name for p in out.iterdir()) == ["e.csv", "r.csv", "s.csv"]
    return [report.rows.to_bytes(8, "big"), report.error_rows.to_bytes(8, "big"),
            *(f.read_bytes() for f in files)]


@contextmanager
def blocks_of(bits: int) -> Iterator[None]:
    """The single pass's blocks of 2**bits rows (the workers are forked: they see it too)."""
    kept = onepass.BLOCK_BITS
    onepass.BLOCK_BITS = bits
    try:
        yield
    finally:
        onepass.BLOCK_BITS = kept


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=batches(), encoding=st.sampled_from(["utf-8", "cp932"]),
       bits=st.sampled_from([0, 1, 2, 6]), whole=st.sampled_from([0.0, 0.25, 1.0]))
def test_any_batch_gives_the_same_bytes_with_one_two_or_three_processes(
    tmp_path_factory: pytest.TempPathFactory, files: list[list[list[str] | None]], encoding: str,
    bits: int, whole: float,
) -> None:
    """One, two or three groups read once give what the input read twice gives (the scan
    first); blocks of 1, 2 and 4 rows mix blocks computed again with blocks that stand, and a
    group with dirty rows is computed again whole always, past a quarter, or never."""
    folder = tmp_path_factory.mktemp("batch")
    inputs = [write(folder / f"in{i}.csv", rows, encoding) for i, rows in enumerate(files)]
    with mock.patch.object(tokko.batch, "_ONE_PASS", frozenset()):  # scan, then compute
        reference = outputs(folder, inputs, 1, name="reference")
    with blocks_of(bits), mock.patch.object(tokko.batchparts, "_WHOLE", whole):
        assert outputs(folder, inputs, 1) == reference
        assert outputs(folder, inputs, 2) == reference
        assert outputs(folder, inputs, 3) == reference


def test_an_item_id_repeated_in_a_later_part_is_a_duplicate_there(tmp_path: Path) -> None:
    """The first row stands and the repeat (read by the second process) is the error, as in
    one process; a contract repeated across the parts warns on both rows."""
    rows: list[list[str] | None] = [
        ["011002", "2021", f"n{n}", "AI-OCR", "AI", "", "導入", "1000", "", "単独", "", "", "", ""]
        for n in range(40)]
    rows[0] = ["011002", "2021", "dup", "AI-OCR", "AI", "", "導入", "1000", "", "単独", "",
               "C-9", "", ""]
    rows[-1] = ["011002", "2021", "dup", "AI-OCR", "AI", "", "導入", "2000", "", "単独", "",
                "C-9", "", ""]
    source = write(tmp_path / "d.csv", rows)
    assert len(share([(source, True)], 2)) == 2
    folder = tmp_path / "two"
    folder.mkdir()
    run_batch([source], out=folder / "r.csv", summary=folder / "s.csv",
              errors=folder / "e.csv", rules=RULES, jobs=2)
    with (folder / "r.csv").open(encoding="utf-8-sig", newline="") as stream:
        results = list(csv.DictReader(stream))
    assert (results[0]["status"], results[0]["warnings"]) == ("eligible", "DUPLICATE_CONTRACT")
    assert results[-1]["status"] == "error"
    with (folder / "e.csv").open(encoding="utf-8-sig", newline="") as stream:
        errors = list(csv.reader(stream))[1:]
    assert [(e[1], e[2], e[3]) for e in errors] == [("41", "item_id", "DUPLICATE_ITEM_ID")]
    assert outputs(tmp_path, [source], 2) == outputs(tmp_path, [source], 1)


def test_item_ids_know_the_keys_earlier_parts_claimed() -> None:
    """A later group's ids start with the keys that may repeat that earlier groups took."""
    taken = ("011002", 2021, "1")
    may_repeat = HashIn({hash(taken), hash(("011002", 2021, "3"))})
    ids = ItemIds(may_repeat, [taken])
    assert ids.claim(("011002", 2021, "2"))  # not a candidate: unique
    assert not ids.claim(taken)  # an earlier part has it
    assert ids.claim(("011002", 2021, "3"))  # a candidate first met here
    assert not ids.claim(("011002", 2021, "3"))  # this part's own repeat


# ── Workers ──────────────────────────────────────────────────────────────────────────────────


def test_answers_come_back_in_part_order_from_other_processes() -> None:
    ticks: list[int] = []

    def task(part: int, done: Any) -> tuple[int, int]:
        done(part + 1)
        return part, os.getpid()

    answers = map_parts(task, 3, ticks.append)
    assert [a[0] for a in answers] == [0, 1, 2]
    assert os.getpid() not in {a[1] for a in answers}
    assert len({a[1] for a in answers}) == 3
    assert ticks
    assert ticks[-1] <= 6


class UnpicklableError(Exception):
    def __init__(self, a: int, b: int) -> None:
        super().__init__(f"{a}-{b}")


@pytest.mark.parametrize("error", [ValueError("bad part"), UnpicklableError(1, 2)])
def test_an_exception_in_a_part_is_raised_here(error: Exception) -> None:
    def task(part: int, done: Any) -> int:
        if part == 1:
            raise error
        return part

    with pytest.raises((ValueError, RuntimeError), match=r"bad part|UnpicklableError: 1-2"):
        map_parts(task, 2, lambda n: None)


def test_a_worker_that_dies_is_reported() -> None:
    def task(part: int, done: Any) -> int:
        if part == 0:
            os._exit(9)
        return part

    with pytest.raises(WorkerError, match="exit code 9"):
        map_parts(task, 2, lambda n: None)


def test_a_failing_worker_leaves_no_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows: list[list[str] | None] = [
        ["011002", "2021", str(n), "AI", "AI", "", "導入", "1000", "", "", "", "", "", ""]
        for n in range(30)]
    source = write(tmp_path / "d.csv", rows)
    out = tmp_path / "out"
    out.mkdir()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(tokko.batchparts, "csv_part", broken)
    with pytest.raises(OSError, match="disk full"):
        run_batch([source], out=out / "r.csv", summary=out / "s.csv", errors=out / "e.csv",
                  rules=RULES, jobs=2)
    assert list(out.iterdir()) == []


def test_how_many_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    assert workers(3) == 3
    assert workers(0) == 1
    assert workers(None) >= 1
    monkeypatch.setattr(sys, "platform", "win32")
    assert workers(None) == workers(4) == 1  # no fork: one process


def test_small_batches_stay_in_one_process(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """With jobs=None a batch smaller than the split size starts no process."""
    source = write(tmp_path / "d.csv", [["011002", "2021", "1", "AI", "AI", "", "導入", "1000",
                                         "", "", "", "", "", ""]])

    def no_processes(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a process was started")

    monkeypatch.setattr(tokko.batchparts, "map_parts", no_processes)
    report = run_batch([source], out=tmp_path / "r.csv", rules=RULES)
    assert report.rows == 1
    assert open_table(source).kind == "csv"


# ── Encodings found late ─────────────────────────────────────────────────────────────────────


def late_file(path: Path, tail: bytes) -> Path:
    """A file that is plain ASCII for its first megabyte and ends with ``tail``."""
    head = ",".join(HEADER[:8]).encode() + b"\r\n"
    rows = b"".join(f"011002,2021,{n},AI-OCR,AI,,license,1000\r\n".encode()
                    for n in range(20_000))
    path.write_bytes(head + rows + tail)
    return path


@pytest.mark.parametrize("jobs", [1, 2])
def test_cp932_after_the_first_megabyte_is_read_as_cp932(tmp_path: Path, jobs: int) -> None:
    """The batch checks only the start before pass 1; pass 1 finds the rest is not UTF-8."""
    source = late_file(tmp_path / "late.csv",
                       "011002,2021,x,札幌市の議事録,AI,,license,2000\r\n".encode("cp932"))
    report = run_batch([source], out=tmp_path / "r.csv", rules=RULES, jobs=jobs)
    assert report.rows == 20_001
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as stream:
        last = list(csv.reader(stream))[-1]
    assert last[3] == "札幌市の議事録"
    assert last[-6:] == ["eligible", "STANDARD_RATE", "", "2000", "0.3", "600"]


def test_a_file_that_stops_decoding_late_is_refused_before_any_output(tmp_path: Path) -> None:
    source = late_file(tmp_path / "bad.csv", b"011002,2021,x,\x82\xff\x81,AI,,license,2000\r\n")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InputFileError, match="neither UTF-8"):
        run_batch([source], out=out / "r.csv", summary=out / "s.csv", errors=out / "e.csv",
                  rules=RULES, jobs=2)
    assert list(out.iterdir()) == []
