"""Opening a CSV file safely (tokko.io.csvfile): one encoding throughout, bounded reading.

Every file is built in tmp_path. Each hostile case checks the exception, its message (file
name, line, what was expected) and its cost: time, and for the heavy ones the peak memory of a
subprocess that reads the file (limited to 2 GiB of address space, so that a blow-up fails
there instead of taking the machine).
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import json
import os
import random
import subprocess
import sys
import textwrap
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokko
from tokko.errors import InputFileError
from tokko.io import csvfile
from tokko.io.csvfile import FIELD_CAP, RECORD_CAP, detect_encoding, read_records

SRC = Path(tokko.__file__).resolve().parents[1]  # the tokko under test, for subprocesses
MAX_SECONDS = 10.0
MAX_RSS_KB = 512 * 1024

Records = list[tuple[int, list[str]]]


# --------------------------------------------------------------------------- helpers


def _ja(exc: InputFileError) -> str:
    """The refusal's words in Japanese, without the file name."""
    return exc.message("ja").removeprefix(f"{exc.file}: ")


def _en(exc: InputFileError) -> str:
    """The refusal's words in English, without the file name."""
    return exc.message("en").removeprefix(f"{exc.file}: ")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _written(
    rows: list[list[str]],
    terminator: str = "\r\n",
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL,
) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=terminator, quoting=quoting).writerows(rows)
    return buffer.getvalue()


def _read(path: Path, name: str = "申告.csv", encoding: str | None = None) -> Records:
    return list(read_records(path, name, encoding))


def _refused(call: Callable[[], object]) -> InputFileError:
    """The InputFileError ``call`` raises, within MAX_SECONDS."""
    start = time.perf_counter()
    with pytest.raises(InputFileError) as info:
        call()
    assert time.perf_counter() - start < MAX_SECONDS
    return info.value


def _read_refused(
    path: Path,
    name: str = "申告.csv",
    encoding: str | None = None,
) -> InputFileError:
    return _refused(lambda: _read(path, name, encoding))


def _names(exc: InputFileError, name: str, line: int | None, ja: str, en: str) -> None:
    """The refusal names the file, the line (if any) and says what was expected."""
    assert exc.file == name
    assert str(exc).startswith(f"{name}: ")
    assert exc.message("ja").startswith(f"{name}: ")
    if line is not None:
        assert _ja(exc).startswith(f"{line}行目") or f"{line}行目から" in _ja(exc)
        assert f"line {line}" in _en(exc)
    assert ja in _ja(exc), _ja(exc)
    assert en in _en(exc), _en(exc)


def _bounded(path: Path, name: str, encoding: str | None = None, setup: str = "") -> dict[str, Any]:
    """Read ``path`` in a subprocess; its outcome, its time and its peak memory (checked)."""
    code = textwrap.dedent("""
        import csv, json, resource, sys, time
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
        from pathlib import Path
        from tokko.errors import InputFileError
        from tokko.io.csvfile import read_records
        path, name, encoding, setup = sys.argv[1:5]
        exec(setup)
        start = time.perf_counter()
        try:
            out = {"records": sum(1 for _ in read_records(Path(path), name, encoding or None))}
        except InputFileError as exc:
            out = {"file": exc.file,
                   "ja": exc.message("ja").removeprefix(exc.file + ": "),
                   "en": exc.message("en").removeprefix(exc.file + ": ")}
        out["seconds"] = time.perf_counter() - start
        # The peak of this process's own memory. (ru_maxrss keeps, across exec, the peak of
        # the process that started it: the pytest process, here.)
        try:
            status = Path("/proc/self/status").read_text().splitlines()
            out["maxrss_kb"] = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
        except OSError:
            out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps(out, ensure_ascii=False))
    """)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, str(path), name, encoding or "", setup],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    wall = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    out: dict[str, Any] = json.loads(done.stdout)
    assert wall < MAX_SECONDS, out
    assert out["maxrss_kb"] < MAX_RSS_KB, out
    out["wall"] = wall
    return out


def _japanese_rows(count: int, start: int = 1) -> list[list[str]]:
    return [
        ["住民記録システム", f"{i * 1000:,}", "ＡＩ議事録"] for i in range(start, start + count)
    ]


# --------------------------------------------------------------------------- one encoding


def test_utf8_with_one_cp932_line_is_refused_naming_it(tmp_path: Path) -> None:
    """Today this file is decoded whole as CP932 and 住民記録 becomes mojibake; it is refused."""
    data = (
        _written([["費目", "金額"], ["住民記録", "100"]]).encode()
        + _written([["住民記録", "200"]]).encode("cp932")
        + _written([["議事録", "300"]]).encode()
    )
    path = _write(tmp_path / "mixed.csv", data)
    exc = _refused(lambda: detect_encoding(path, "申告.csv"))
    _names(exc, "申告.csv", 3, "UTF-8 でない文字", "not UTF-8")
    assert "1つの文字コード" in _ja(exc)
    assert "one encoding" in _en(exc)
    assert _ja(_read_refused(path)) == _ja(exc)  # reading detects first
    # The encoding given by the caller: the reading itself refuses, naming the same line.
    exc = _read_refused(path, encoding="utf-8")
    _names(exc, "申告.csv", 3, "UTF-8 として読めない文字", "not UTF-8")


def test_utf8_for_2_5_mb_then_cp932_is_refused(tmp_path: Path) -> None:
    rows = [["費目", "金額", "備考"]]
    size = 0
    while size < 2_500_000:
        more = _japanese_rows(1000, len(rows))
        rows += more
        size += len(_written(more).encode())
    data = _written(rows).encode() + _written([["住民記録", "1", "CP932"]]).encode("cp932")
    path = _write(tmp_path / "mixed.csv", data)
    line = len(rows) + 1
    start = time.perf_counter()
    exc = _refused(lambda: detect_encoding(path, "大きい.csv"))
    _names(exc, "大きい.csv", line, "UTF-8 でない文字", "not UTF-8")
    _names(_read_refused(path, "大きい.csv", "utf-8"), "大きい.csv", line, "UTF-8", "UTF-8")
    assert time.perf_counter() - start < 2.0
    out = _bounded(path, "大きい.csv")
    assert out["ja"].startswith(f"{line}行目")


def test_ascii_then_cp932_is_cp932(tmp_path: Path) -> None:
    rows = [["code", "amount"], *[[f"{i:06d}", str(i)] for i in range(100_000)]]
    data = _written(rows).encode("ascii") + _written(_japanese_rows(3)).encode("cp932")
    path = _write(tmp_path / "sjis.csv", data)
    assert len(data) > 1 << 20  # the first non-ASCII byte is past the first chunk
    assert detect_encoding(path, "x.csv") == "cp932"
    records = _read(path)
    assert records[-1] == (len(rows) + 3, ["住民記録システム", "3,000", "ＡＩ議事録"])
    assert len(records) == len(rows) + 3


def test_ascii_then_cp932_then_bytes_of_neither_is_refused(tmp_path: Path) -> None:
    data = (
        b"code,amount\r\n" + "住民記録,100\r\n".encode("cp932") + b"x,1\r\n" + b"\x82\x20bad,2\r\n"
    )  # 0x82 0x20: no CP932 character
    path = _write(tmp_path / "bad.csv", data)
    exc = _refused(lambda: detect_encoding(path, "bad.csv"))
    _names(exc, "bad.csv", 4, "Shift_JIS（CP932）として読めない", "not Shift_JIS (CP932)")


def test_first_non_ascii_byte_of_neither_encoding_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.csv", b"a,b\r\nc,d\r\n\x81\x7f,e\r\n")
    exc = _refused(lambda: detect_encoding(path, "bad.csv"))
    _names(exc, "bad.csv", 3, "UTF-8 でも Shift_JIS（CP932）でもない", "neither UTF-8 nor")


def test_pure_cp932_japanese(tmp_path: Path) -> None:
    rows = [["費目", "金額", "備考"], *_japanese_rows(100), ["ｶ)ﾃｸﾉ", "①", "髙橋・﨑"]]
    path = _write(tmp_path / "sjis.csv", _written(rows).encode("cp932"))
    assert detect_encoding(path, "x.csv") == "cp932"
    assert _read(path) == list(enumerate(rows, 1))


def test_utf8_bom(tmp_path: Path) -> None:
    rows = [["費目", "金額"], ["住民記録", "100"]]
    path = _write(tmp_path / "bom.csv", codecs.BOM_UTF8 + _written(rows).encode())
    assert detect_encoding(path, "x.csv") == "utf-8-sig"
    assert _read(path) == [(1, ["費目", "金額"]), (2, ["住民記録", "100"])]  # no U+FEFF


def test_utf8_bom_then_cp932_is_refused(tmp_path: Path) -> None:
    """A BOM says UTF-8: ASCII after it, then CP932, is a mixed file, not CP932."""
    data = codecs.BOM_UTF8 + b"a,b\r\n" + "住民記録,1\r\n".encode("cp932")
    path = _write(tmp_path / "bom.csv", data)
    _names(
        _refused(lambda: detect_encoding(path, "x.csv")), "x.csv", 2, "UTF-8 でない", "not UTF-8"
    )


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_is_refused_with_a_hint(tmp_path: Path, codec: str) -> None:
    text = _written([["費目", "金額"], ["住民記録", "100"]])
    data = text.encode(codec) if codec != "utf-16-be" else codecs.BOM_UTF16_BE + text.encode(codec)
    path = _write(tmp_path / "u16.csv", data)
    exc = _refused(lambda: detect_encoding(path, "u16.csv"))
    _names(exc, "u16.csv", None, "UTF-16", "UTF-16")
    assert "UTF-8 または Shift_JIS" in _ja(exc)


def test_euc_jp_is_refused_not_read_as_cp932(tmp_path: Path) -> None:
    """An EUC-JP file decodes as CP932 without an error, its kanji turned into half-width
    katakana (戸籍 → ｸﾍﾀﾒ, no longer a standardization target): refused with a hint, and
    tokko calc exits 3 instead of computing the row as eligible."""
    text = _written([["entity_code", "business_area", "amount"], ["013951", "戸籍", "1000"]])
    path = _write(tmp_path / "euc.csv", text.encode("euc_jp"))
    exc = _refused(lambda: detect_encoding(path, "euc.csv"))
    _names(exc, "euc.csv", None, "EUC-JP", "EUC-JP")
    assert "UTF-8 または Shift_JIS" in _ja(exc)


@pytest.mark.parametrize("words", ["住民記録", "ー", "介護保険・ｶﾅ", "戸籍の附票　（本庁）"])
def test_cp932_japanese_is_not_taken_for_euc_jp(tmp_path: Path, words: str) -> None:
    """Japanese written in CP932 (kana, "ー", common kanji) is never valid EUC-JP."""
    text = _written([["費目", "金額"], [words, "100"]])
    path = _write(tmp_path / "sj.csv", text.encode("cp932"))
    assert detect_encoding(path, "sj.csv") == "cp932"


def test_utf16_without_bom_is_refused_at_its_nul(tmp_path: Path) -> None:
    path = _write(tmp_path / "u16.csv", "code,amount\r\n1,2\r\n".encode("utf-16-le"))
    exc = _refused(lambda: detect_encoding(path, "u16.csv"))
    _names(exc, "u16.csv", 1, "NUL 文字", "NUL")
    assert "UTF-16" in _ja(exc)
    assert "UTF-16" in _en(exc)


def test_nul_is_refused_when_detecting_and_when_reading(tmp_path: Path) -> None:
    """csv in Python 3.11 keeps NUL in a cell; tokko refuses it, whether it detects the
    encoding or is given one (the raw reads are searched), naming the record."""
    data = _written([["費目", "金額"], [], ["a\nb", "1"]]).encode() + b"c\x00,d\r\n"
    path = _write(tmp_path / "nul.csv", data)
    for exc in (
        _refused(lambda: detect_encoding(path, "n.csv")),
        _read_refused(path, "n.csv"),
        _read_refused(path, "n.csv", "utf-8"),
    ):
        _names(exc, "n.csv", 4, "NUL 文字（0x00）", "NUL character")


def test_a_nul_far_into_the_file_is_found_by_the_reading(tmp_path: Path) -> None:
    data = b"a,b\r\n" * 300_000 + b"c\x00\r\n"
    path = _write(tmp_path / "nul.csv", data)
    _names(_read_refused(path, "n.csv", "utf-8"), "n.csv", 300_001, "NUL", "NUL")


def test_garbage_bytes_are_refused(tmp_path: Path) -> None:
    rng = random.Random(20240401)
    for size in (16, 4096, 3 << 20):
        data = rng.randbytes(size)
        for label, payload in (("raw", data), ("no-nul", data.replace(b"\0", b"\x01"))):
            path = _write(tmp_path / f"garbage-{size}-{label}.bin", payload)
            exc = _read_refused(path, "garbage.csv")
            assert exc.file == "garbage.csv"
            assert "行目" in _ja(exc)
            assert "line " in _en(exc)


def test_a_file_cut_inside_a_character_is_refused(tmp_path: Path) -> None:
    data = _written([["費目", "金額"], ["住民記録", "100"]]).encode() + "記".encode()[:2]
    path = _write(tmp_path / "cut.csv", data)
    _names(_refused(lambda: detect_encoding(path, "cut.csv")), "cut.csv", 3, "UTF-8", "UTF-8")
    path = _write(tmp_path / "cut2.csv", b"a,b\r\n" + "記".encode("cp932")[:1])
    exc = _refused(lambda: detect_encoding(path, "cut2.csv"))
    _names(exc, "cut2.csv", 2, "Shift_JIS（CP932）として読めない", "not Shift_JIS (CP932)")


@pytest.mark.parametrize("shift", range(-3, 4))
@pytest.mark.parametrize("codec", ["utf-8", "cp932"])
def test_a_character_split_across_chunks_is_not_an_error(
    tmp_path: Path, codec: str, shift: int
) -> None:
    """The detection reads 1 MiB chunks: a character cut at a chunk's end is carried over."""
    line = b"x" * 99 + b"\n"
    head = line * ((1 << 20) // 100)
    head += b"y" * ((1 << 20) - len(head) + shift)
    rows = [["住民記録", "繧A"]]  # in CP932, 繧 is E3 81: a valid start of UTF-8 too
    path = _write(tmp_path / "split.csv", head + _written(rows).encode(codec))
    assert detect_encoding(path, "s.csv") == codec
    assert _read(path)[-1][1][0].endswith("住民記録")


def test_numbers_in_refusals_are_records_not_physical_lines(tmp_path: Path) -> None:
    rows = [["費目", "備考"], ["a", "一\n二\r\n三"], [], ["b", "c"]]
    data = _written(rows).encode() + "住民,1\r\n".encode("cp932")
    path = _write(tmp_path / "lines.csv", data)
    _names(_refused(lambda: detect_encoding(path, "l.csv")), "l.csv", 5, "UTF-8", "UTF-8")


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    exc = _refused(lambda: detect_encoding(tmp_path / "none.csv", "none.csv"))
    _names(exc, "none.csv", None, "ファイルを読めません", "cannot read the file")
    exc = _read_refused(tmp_path, "folder.csv", "utf-8")
    _names(exc, "folder.csv", None, "ファイルを読めません", "cannot read the file")


def test_an_unknown_encoding_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="encoding"):
        read_records(_write(tmp_path / "a.csv", b"a\r\n"), "a.csv", "latin-1")


def test_empty_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "empty.csv", b"")
    assert detect_encoding(path, "e.csv") == "utf-8"
    assert _read(path) == []


# --------------------------------------------------------------------------- bounded reading


def test_a_200000_character_quoted_cell_is_refused(tmp_path: Path) -> None:
    data = b'a,b\r\n1,2\r\n"' + b"x" * 200_000 + b'",c\r\n'
    path = _write(tmp_path / "cell.csv", data)
    exc = _read_refused(path, "cell.csv")
    _names(exc, "cell.csv", 3, "32,767 文字を超えるセル", "longer than 32,767 characters")
    out = _bounded(path, "cell.csv")
    assert out["ja"] == _ja(exc)


@pytest.mark.parametrize("size", [FIELD_CAP + 1, 100_000])
def test_a_cell_over_the_cap_but_within_csv_limit_is_refused(tmp_path: Path, size: int) -> None:
    for text in ("x" * size, "住" * size, "x\n" * (size // 2 + 1)):
        path = _write(tmp_path / "cell.csv", b"a\r\n" + _written([["b", text]]).encode())
        _names(_read_refused(path, "c.csv"), "c.csv", 2, "32,767 文字を超えるセル", "32,767")


def test_a_cell_of_exactly_the_cap_is_read(tmp_path: Path) -> None:
    rows = [["a", "b"], ["漢" * FIELD_CAP, "c"], ["d", "x\n" * (FIELD_CAP // 2) + "y"]]
    path = _write(tmp_path / "cell.csv", _written(rows).encode())
    assert _read(path) == list(enumerate(rows, 1))


@pytest.mark.parametrize("count", [4000, 40_000])
def test_an_unterminated_quote_then_many_lines_fails_fast(tmp_path: Path, count: int) -> None:
    """Today 4,000 lines after an open quote take 8.5 s (the hand splitting is quadratic).
    4,000 lines reach the end of the file inside the quote; 40,000 pass csv's own limit
    (131,072 characters) first."""
    lines = [["住民記録", str(i), "ＡＩ議事録作成"] for i in range(count)]  # no quote in them
    data = b"a,b,c\r\n1,2,3\r\n" + b'4,"open,6\r\n' + _written(lines).encode()
    path = _write(tmp_path / "quote.csv", data)
    start = time.perf_counter()
    exc = _read_refused(path, "q.csv")
    elapsed = time.perf_counter() - start
    assert elapsed < 0.5, elapsed
    _names(exc, "q.csv", 3, '3行目から始まる引用符（"）が', 'quote (") opened in line 3')
    assert "閉じられていません" in _ja(exc)
    assert "not closed" in _en(exc)
    before = csv.field_size_limit()
    out = _bounded(path, "q.csv")
    assert out["ja"] == _ja(exc)
    assert csv.field_size_limit() == before


def test_an_unterminated_quote_to_the_end_is_refused(tmp_path: Path) -> None:
    """csv (not strict) would hand out the rest of the file as one cell, silently."""
    for tail in (b'"', b'"abc', b'"abc\r\n', b'"a\r\nb,c\r\nd,e\r\n'):
        path = _write(tmp_path / "quote.csv", b"a,b\r\n1,2\r\n\r\n" + tail)
        exc = _read_refused(path, "q.csv")
        _names(
            exc, "q.csv", 4, "ファイルの終わりまで閉じられていません", "not closed before the end"
        )


def test_an_unterminated_quote_with_csv_limit_raised_is_stopped_by_the_record_cap(
    tmp_path: Path,
) -> None:
    """A process that raised csv.field_size_limit: RECORD_CAP still stops the open quote."""
    data = b'a,b\r\n"open\r\n' + b"1,2,3,4,5,6,7,8,9,10\r\n" * 200_000
    path = _write(tmp_path / "quote.csv", data)
    out = _bounded(path, "q.csv", setup="csv.field_size_limit(sys.maxsize)")
    assert out["ja"].startswith("2行目から始まる")
    assert "引用符" in out["ja"]
    assert f"{RECORD_CAP:,}" in out["ja"]
    assert "not closed" in out["en"]


def test_csv_field_size_limit_is_never_changed(tmp_path: Path) -> None:
    rows = [["a", "b"], *[[str(i), "x" * 40_000] for i in range(3)]]
    path = _write(tmp_path / "a.csv", _written(rows[:2]).encode() + b"c,d\r\n")
    with mock.patch.object(csv, "field_size_limit", wraps=csv.field_size_limit) as limit:
        records = read_records(path, "a.csv", "utf-8")
        next(records)
        assert all(call.args == () for call in limit.call_args_list)
        with pytest.raises(InputFileError):
            list(records)
        assert all(call.args == () for call in limit.call_args_list)


def test_a_100_mb_line_without_a_newline_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "line.csv"
    with path.open("wb") as stream:
        stream.write(b"a,b\r\n")
        block = b"x" * (1 << 20)
        for _ in range(100):
            stream.write(block)
    out = _bounded(path, "line.csv")
    assert out["ja"] == f"2行目が長すぎます（1行 {RECORD_CAP:,} 文字まで）"
    assert out["en"] == f"line 2 is longer than {RECORD_CAP:,} characters"
    assert out["maxrss_kb"] < 80 * 1024, out  # a fraction of the line's 100 MB


def test_a_record_of_many_small_quoted_cells_over_many_lines_is_bounded(tmp_path: Path) -> None:
    path = _write(tmp_path / "cells.csv", b"a\r\n" + b'"ab\r\n",' * 3_000_000)
    out = _bounded(path, "cells.csv", "utf-8")
    assert out["ja"].startswith("2行目から始まる行が長すぎます")
    assert "is longer than" in out["en"]
    assert out["maxrss_kb"] < 128 * 1024, out


def test_200000_rows_read_in_bounded_time_and_memory(tmp_path: Path) -> None:
    rows = [["費目", "金額"], *_japanese_rows(200_000)]
    path = _write(tmp_path / "long.csv", _written(rows).encode())
    out = _bounded(path, "long.csv")
    assert out["records"] == len(rows)


# --------------------------------------------------------------------------- records, numbering


@pytest.mark.parametrize("ending", ["\r\n", "\n", "\r"])
def test_line_endings_and_breaks_inside_quotes(tmp_path: Path, ending: str) -> None:
    text = ending.join(
        [
            "費目,備考",
            '住民記録,"一行目\r\n二行目"',
            '議事録,"改行\nLF"',
            '帳票,"改行\rCR"',
            "縦タブ\x0bと,改ページ\x0cも",
            '"引用\x0b\x0c",x',
            "",
        ]
    )
    path = _write(tmp_path / "endings.csv", text.encode())
    assert _read(path) == [
        (1, ["費目", "備考"]),
        (2, ["住民記録", "一行目\r\n二行目"]),
        (3, ["議事録", "改行\nLF"]),
        (4, ["帳票", "改行\rCR"]),
        (5, ["縦タブ\x0bと", "改ページ\x0cも"]),
        (6, ["引用\x0b\x0c", "x"]),
    ]


def test_blank_records_are_skipped_but_counted(tmp_path: Path) -> None:
    text = 'a,b\r\n\r\n,,\r\n"",""\r\n\n\rc,d\r\n , \r\n\r\ne,f'
    path = _write(tmp_path / "blank.csv", text.encode())
    # Lines: a,b | CRLF | ,, | "","" | LF | CR | c,d | " , " | CRLF | e,f (as a spreadsheet
    # shows them: LF and CR alone each end a row too).
    assert _read(path) == [(1, ["a", "b"]), (7, ["c", "d"]), (8, [" ", " "]), (10, ["e", "f"])]


def test_a_quote_inside_an_unquoted_cell_is_a_character(tmp_path: Path) -> None:
    text = 'a,b\r\n5"",y\r\n x"y" ,"z"\r\n'
    path = _write(tmp_path / "sloppy.csv", text.encode())
    assert _read(path) == [(1, ["a", "b"]), (2, ['5""', "y"]), (3, [' x"y" ', "z"])]


def test_text_after_a_closing_quote_is_refused(tmp_path: Path) -> None:
    """Not strict, csv reads "1,200"円 as 1,200円; tokko refuses it."""
    path = _write(tmp_path / "sloppy.csv", 'a,b\r\n\r\n"1,200"円,x\r\n'.encode())
    exc = _read_refused(path, "s.csv")
    _names(exc, "s.csv", 3, '引用符（"）の後に「,」か改行がありません', "not followed by a comma")


def test_a_stray_quote_does_not_swallow_the_rows_after_it(tmp_path: Path) -> None:
    """Not strict, csv makes one cell of everything up to the next quote: rows vanish."""
    rows = [["費目", "金額"], *[["住民記録", "100"] for _ in range(50)], ["議事録", "1,000"]]
    text = 'a,b\r\n"stray,1\r\n' + _written(rows)
    path = _write(tmp_path / "stray.csv", text.encode())
    exc = _read_refused(path, "s.csv")
    _names(exc, "s.csv", 2, "2行目から始まるセル", "line 2")


def test_stopping_early_closes_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", b"a\r\nb\r\nc\r\n")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        records = read_records(path, "a.csv", "utf-8")
        assert next(records) == (1, ["a"])
        del records
        gc.collect()
    assert not [w for w in seen if issubclass(w.category, ResourceWarning)]


# --------------------------------------------------------------------------- properties

#: Cell text: ASCII, CSV's own characters, line breaks, VT/FF, Japanese in all its widths.
PIECES = [
    "a",
    "Z",
    "0",
    "9",
    " ",
    "\t",
    ",",
    '"',
    '""',
    "\r",
    "\n",
    "\r\n",
    "\x0b",
    "\x0c",
    "あ",
    "ア",
    "ｱ",
    "ﾃｨ",
    "漢字",
    "住民記録",
    "①",
    "髙",
    "－",
    "～",
    "・",
    "'",
    "=",
]
NOT_CP932 = ["é", "😀", "한", "\u00a0"]
CP932_FIELD = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)
UTF8_FIELD = st.lists(st.sampled_from(PIECES + NOT_CP932), max_size=6).map("".join)
CHUNKS = st.sampled_from([1, 2, 3, 7, 64, 1 << 20])


def _rows(field: st.SearchStrategy[str]) -> st.SearchStrategy[list[list[str]]]:
    return st.lists(st.lists(field, max_size=5), max_size=10)


def _layouts() -> st.SearchStrategy[tuple[str, Literal[0, 1, 2, 3]]]:
    return st.sampled_from(
        [
            ("\r\n", csv.QUOTE_MINIMAL),
            ("\n", csv.QUOTE_ALL),
            ("\r", csv.QUOTE_ALL),
            ("\r\n", csv.QUOTE_ALL),
        ]
    )


def _file(tmp: Path, data: bytes) -> Path:
    return _write(tmp / f"p{os.getpid()}-{time.perf_counter_ns()}.csv", data)


@pytest.fixture(scope="module")
def prop_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932"]),
    layout=_layouts(),
    chunk=CHUNKS,
    last_newline=st.booleans(),
)
def test_what_csv_writer_writes_reads_back_identically(
    prop_dir: Path,
    data: st.DataObject,
    encoding: str,
    layout: tuple[str, Literal[0, 1, 2, 3]],
    chunk: int,
    last_newline: bool,
) -> None:
    """Any records csv.writer writes, in any of the three encodings, read back as written,
    numbered as a spreadsheet numbers them (blank records skipped, counted)."""
    rows = data.draw(_rows(CP932_FIELD if encoding == "cp932" else UTF8_FIELD))
    if encoding == "cp932":
        rows = [["費目", "金額"], *rows]  # a Japanese header, as declarations have
    terminator, quoting = layout
    text = _written(rows, terminator, quoting)
    if not last_newline and rows and rows[-1] and any(rows[-1]):
        text = text.removesuffix(terminator)
    path = _file(prop_dir, text.encode(encoding))
    expected = [(i, row) for i, row in enumerate(rows, 1) if any(row)]
    with mock.patch.object(csvfile, "_CHUNK", chunk):
        found = detect_encoding(path, "p.csv")
        assert found == encoding or (encoding == "utf-8" and text.isascii())
        assert _read(path, "p.csv") == expected
    assert _read(path, "p.csv", encoding) == expected


@st.composite
def _mixed(draw: st.DrawFn) -> tuple[bytes, int]:
    """UTF-8 records with, in one cell after some non-ASCII text, a segment of Japanese in
    CP932; and the number of the record holding the segment."""
    rows = [["費目", "金額"], *draw(_rows(UTF8_FIELD))]
    where = draw(st.integers(1, len(rows)))
    if where == len(rows):
        rows.append([])
    row = rows[where]
    if not row:
        row.append("")
    column = draw(st.integers(0, len(row) - 1))
    cell = row[column]
    at = draw(st.integers(0, len(cell)))
    row[column] = cell[:at] + "\ue000" + cell[at:]  # the placeholder, replaced below
    # Hiragana, katakana, full-width forms and level-1 kanji: in CP932 their first byte
    # (0x81-0x9F) begins no UTF-8 character, so the segment can never pass for UTF-8.
    segment = draw(
        st.text(
            st.sampled_from("あいうえおアイウエオ住民記録議事録ＡＩ１２３、。「」"),
            min_size=1,
            max_size=8,
        )
    )
    data = _written(rows).encode().replace("\ue000".encode(), segment.encode("cp932"))
    return data, where + 1


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mixed=_mixed(), chunk=CHUNKS, bom=st.booleans())
def test_utf8_with_a_cp932_segment_is_always_refused(
    prop_dir: Path, mixed: tuple[bytes, int], chunk: int, bom: bool
) -> None:
    data, line = mixed
    path = _file(prop_dir, (codecs.BOM_UTF8 if bom else b"") + data)
    with mock.patch.object(csvfile, "_CHUNK", chunk):
        exc = _refused(lambda: detect_encoding(path, "m.csv"))
        _names(exc, "m.csv", line, "UTF-8 でない文字", "not UTF-8")
        assert _ja(_read_refused(path, "m.csv")) == _ja(exc)
    _names(
        _read_refused(path, "m.csv", "utf-8-sig" if bom else "utf-8"),
        "m.csv",
        line,
        "UTF-8 として読めない",
        "not UTF-8",
    )


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(max_size=200)
    | st.lists(
        st.sampled_from(
            [
                b"a",
                b",",
                b'"',
                b"\r",
                b"\n",
                b"\x00",
                b"\x81",
                b"\x82\xa0",
                b"\xe3\x81\x82",
                b"\xef\xbb\xbf",
                b"\xff\xfe",
                b"\xc3",
                b"\xa9",
                b"\x8e",
            ]
        ),
        max_size=40,
    ).map(b"".join),
    chunk=CHUNKS,
)
def test_any_bytes_are_read_as_csv_reads_them_or_refused(
    prop_dir: Path, data: bytes, chunk: int
) -> None:
    """Never a traceback, never a silent difference: either InputFileError, or exactly the
    records csv.reader gives for the text in the detected encoding."""
    path = _file(prop_dir, data)
    with mock.patch.object(csvfile, "_CHUNK", chunk):
        refused: InputFileError | None = None
        try:
            encoding = detect_encoding(path, "b.csv")
            records = _read(path, "b.csv", encoding)
        except InputFileError as exc:
            refused = exc
    if refused is not None:
        assert refused.file == "b.csv"
        return
    text = data.decode(encoding)
    assert "\0" not in text
    expected = list(csv.reader(io.StringIO(text, newline="")))
    assert records == [(i, row) for i, row in enumerate(expected, 1) if any(row)]
