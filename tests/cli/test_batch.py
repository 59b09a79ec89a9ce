"""``tokko batch FILE...``: many governments' rows to results, summary and errors files."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from tokko.cli import app, render
from tokko.messages import t

ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "FORCE_COLOR": None, "COLUMNS": "200"}
HEADER = [
    "団体コード",
    "年度",
    "項目番号",
    "事業名",
    "区分",
    "対象業務",
    "経費区分",
    "事業費",
    "特定財源",
    "調達方法",
    "協定番号",
    "契約番号",
]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=ENV)


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.fixture
def inputs(tmp_path: Path) -> list[Path]:
    sapporo = write_csv(
        tmp_path / "札幌.csv",
        [
            HEADER,
            [
                "011002",
                "R3",
                "1",
                "AI-OCR",
                "AI",
                "会計",
                "導入",
                "1000000",
                "",
                "共同",
                "K1",
                "C1",
            ],
            ["011002", "R3", "2", "RPA", "RPA", "住民記録", "研修", "500000", "", "", "", "C2"],
        ],
    )
    hakodate = write_csv(
        tmp_path / "函館.csv",
        [
            HEADER,
            [
                "012025",
                "令和3年度",
                "1",
                "AI",
                "AI",
                "庶務",
                "license",
                "2,000,000",
                "500000",
                "",
                "",
                "C9",
            ],
        ],
        encoding="cp932",
    )
    return [sapporo, hakodate]


@pytest.fixture
def agreements(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "協定.csv",
        [["協定番号", "締結日", "構成団体"], ["K1", "2021-04-01", "010006;011002"]],
    )


def test_csv_outputs(tmp_path: Path, inputs: list[Path], agreements: Path) -> None:
    """Results, summary and errors are written as CSV; all rows valid → exit 0."""
    out, summary, errors = tmp_path / "r.csv", tmp_path / "s.csv", tmp_path / "e.csv"
    result = run(
        "batch",
        *map(str, inputs),
        "--agreements",
        str(agreements),
        "--out",
        str(out),
        "--summary",
        str(summary),
        "--errors",
        str(errors),
    )
    assert result.exit_code == 0, result.output
    assert "3行を計算しました（警告 1行、エラー 0行" in result.stdout
    rows = read_csv(out)
    assert rows[0][-6:] == ["status", "reasons", "warnings", "net", "rate", "measure"]
    assert [r[-6:] for r in rows[1:]] == [
        ["eligible", "JOINT_RATE", "", "1000000", "0.5", "500000"],
        ["excluded", "EXCLUDED_STANDARDIZATION_TARGET", "", "500000", "0", "0"],
        ["eligible", "STANDARD_RATE", "INTRODUCTION_YEAR_MISSING", "1500000", "0.3", "450000"],
    ]
    lines = read_csv(summary)
    assert lines[1][:3] == ["011002", "札幌市", "2021"]
    assert lines[2][:3] == ["012025", "函館市", "2021"]
    assert read_csv(errors) == [["file", "row", "column", "code", "message"]]
    assert not result.stderr.strip()  # no progress bar when stderr is not a terminal


def test_error_rows_exit_1(tmp_path: Path) -> None:
    """A bad row is reported in the errors file (file, row, column, code) and the exit is 1."""
    path = write_csv(
        tmp_path / "d.csv",
        [HEADER, ["011002", "R3", "1", "AI", "AI", "会計", "導入", "abc", "", "", "", ""]],
    )
    out, summary, errors = tmp_path / "r.csv", tmp_path / "s.csv", tmp_path / "e.csv"
    result = run(
        "--lang",
        "en",
        "batch",
        str(path),
        "--out",
        str(out),
        "--summary",
        str(summary),
        "--errors",
        str(errors),
    )
    assert result.exit_code == 1
    assert "1 error rows" in result.stdout
    assert read_csv(errors)[1][1:4] == ["2", "amount", "INVALID_AMOUNT"]


def test_xlsx_workbook(tmp_path: Path, inputs: list[Path]) -> None:
    """--format xlsx writes one workbook with the results, summary and errors sheets (and the
    info sheet); --summary/--errors are not needed."""
    out = tmp_path / "審査.xlsx"
    result = run("batch", *map(str, inputs), "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == [
        t(f"xlsx.sheet.{name}", "ja") for name in ("results", "summary", "errors", "info")
    ]
    book.close()


def test_xlsx_keeps_a_control_character_as_text(tmp_path: Path) -> None:
    """A cell holding a control character (a pasted vertical tab) is written, shown as \\x0b."""
    source = write_csv(
        tmp_path / "in.csv",
        [
            HEADER,
            [
                "011002",
                "R3",
                "1",
                "AI-OCR\x0b導入",
                "AI",
                "会計",
                "導入",
                "1000000",
                "",
                "",
                "",
                "",
            ],
        ],
    )
    out = tmp_path / "r.xlsx"
    result = run("batch", str(source), "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out, read_only=True)
    results = book[t("xlsx.sheet.results", "ja")]
    cells = [c for row in results.iter_rows(values_only=True) for c in row]
    book.close()
    assert "AI-OCR\\x0b導入" in cells
    assert "300000" in [str(c) for c in cells]


def test_csv_summary_and_errors_default_beside_the_results(
    tmp_path: Path, inputs: list[Path]
) -> None:
    """Without --summary and --errors, both are written beside --out (r-summary, r-errors)."""
    result = run("batch", str(inputs[0]), "--out", str(tmp_path / "r.csv"))
    assert result.exit_code in (0, 1), result.output
    summary = (tmp_path / "r-summary.csv").read_text(encoding="utf-8-sig")
    errors = (tmp_path / "r-errors.csv").read_text(encoding="utf-8-sig")
    assert summary.startswith("entity_code,entity_name,fiscal_year,rules_version,items,")
    assert errors.startswith("file,row,column,code,message")


def test_unreadable_input_exit_3(tmp_path: Path) -> None:
    """A missing input stops the batch with exit 3 and writes nothing."""
    out = tmp_path / "r.csv"
    result = run(
        "batch",
        str(tmp_path / "ない.csv"),
        "--out",
        str(out),
        "--summary",
        str(tmp_path / "s.csv"),
        "--errors",
        str(tmp_path / "e.csv"),
    )
    assert result.exit_code == 3
    assert "ない.csv" in result.stderr
    assert not out.exists()
    assert "Traceback" not in result.output


def test_rules_option_of_batch(tmp_path: Path, inputs: list[Path]) -> None:
    """batch --rules DIR with a folder holding no rule files: exit 3 listing the problem."""
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(
        "batch",
        str(inputs[0]),
        "--rules",
        str(empty),
        "--out",
        str(tmp_path / "r"),
        "--summary",
        str(tmp_path / "s"),
        "--errors",
        str(tmp_path / "e"),
    )
    assert result.exit_code == 3
    assert "規則ファイル（*.toml）がありません" in result.stderr


def test_progress_is_passed_only_on_a_terminal(
    tmp_path: Path, inputs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """run_batch gets every option; progress is None when stderr is not a terminal."""
    seen: dict[str, Any] = {}

    def fake_run_batch(files: list[Path], **options: Any) -> Any:
        seen.update(options, inputs=files)
        from tokko.batch import BatchReport

        return BatchReport(rows=3, entities=2)

    from tokko.cli import batch as command

    monkeypatch.setattr(command, "run_batch", fake_run_batch)
    result = run(
        "batch",
        *map(str, inputs),
        "--out",
        str(tmp_path / "r.csv"),
        "--summary",
        str(tmp_path / "s.csv"),
        "--errors",
        str(tmp_path / "e.csv"),
        "--unit",
        "thousand",
        "--encoding",
        "cp932",
        "--sheet",
        "申告",
    )
    assert result.exit_code == 0, result.output
    assert seen["progress"] is None
    assert seen["unit"] == 1000
    assert seen["encoding"] == "cp932"
    assert seen["sheet"] == "申告"
    assert seen["output_format"] == "csv"
    assert seen["inputs"] == inputs


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal the progress callback draws rows and phases on stderr."""
    stream = _Terminal()
    monkeypatch.setattr("sys.stderr", stream)
    with render.progress({"scan": "読込", "compute": "計算"}, "行/秒") as report:
        assert report is not None
        report("scan", 5000, None)
        report("scan", 9000, 9000)
        report("compute", 9000, 9000)
    assert "読込" in stream.getvalue()
    assert "計算" in stream.getvalue()
    assert "9000/9000" in stream.getvalue()


def test_progress_is_quiet_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Off a terminal (a file, a pipe) there is no progress callback at all."""
    monkeypatch.setattr("sys.stderr", io.StringIO())
    with render.progress({}, "rows/s") as report:
        assert report is None


def test_closing_line_counts_warnings_and_lists_their_codes(tmp_path: Path) -> None:
    """The closing line counts rows with warnings as well as errors, then names each warning
    code in words with how many rows carry it, most frequent first."""
    path = write_csv(
        tmp_path / "d.csv",
        [
            HEADER,
            ["011002", "R3", "1", "a", "AI", "会計", "利用料", "1000000", "", "", "", ""],
            ["011002", "R3", "2", "b", "AI", "会計", "利用料", "1000000", "", "共同", "", ""],
            ["011002", "R3", "3", "c", "AI", "会計", "導入", "1000000", "", "共同", "", ""],
            ["011002", "R3", "4", "d", "AI", "会計", "利用料", "1000000", "", "共同", "", ""],
            ["011002", "R3", "5", "e", "AI", "会計", "導入", "abc", "", "", "", ""],
        ],
    )
    out = tmp_path / "r.csv"
    result = run("batch", str(path), "--out", str(out))
    assert result.exit_code == 1  # row 5
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "5行を計算しました（警告 4行、エラー 1行、ファイルの問題 0件、団体・年度 1件）。"
    )
    assert lines[1].strip() == (
        f"{t('code.INTRODUCTION_YEAR_MISSING', 'ja')}（INTRODUCTION_YEAR_MISSING）: 3"
    )
    assert lines[2].strip() == (
        f"{t('code.JOINT_WITHOUT_AGREEMENT', 'ja')}（JOINT_WITHOUT_AGREEMENT）: 3"
    )
    english = run("--lang", "en", "batch", str(path), "--out", str(out)).stdout.splitlines()
    assert english[0] == (
        "5 rows computed (4 with warnings, 1 error rows, 0 file problems, 1 government-years)."
    )
    assert "(INTRODUCTION_YEAR_MISSING): 3" in english[1]
    assert t("code.INTRODUCTION_YEAR_MISSING", "en") in english[1]
    assert "(JOINT_WITHOUT_AGREEMENT): 3" in english[2]
    quiet = write_csv(
        tmp_path / "q.csv",
        [HEADER, ["011002", "R3", "1", "a", "AI", "会計", "導入", "1000000", "", "", "", ""]],
    )
    lines = run("batch", str(quiet), "--out", str(out)).stdout.splitlines()
    assert lines[0].startswith("1行を計算しました（警告 0行、エラー 0行")
    assert not lines[1].startswith(" ")  # no warning line: the files written come next


def test_progress_phases_on_a_terminal(
    tmp_path: Path, inputs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal the batch gives run_batch a progress callback; the run goes through the
    phases "scan" (reading the keys) then "compute", each up to the number of rows, and the bar
    names them in the catalog's words."""
    from tokko.cli import batch as command

    terminal = _Terminal()

    class _Sys:
        stderr = terminal

        def __getattr__(self, name: str) -> Any:
            return getattr(sys, name)

    monkeypatch.setattr(render, "sys", _Sys())
    calls: list[tuple[str, int, int | None]] = []
    real_run_batch = command.run_batch

    def spy(files: list[Path], **options: Any) -> Any:
        bar = options["progress"]
        assert bar is not None

        def record(phase: str, done: int, total: int | None) -> None:
            calls.append((phase, done, total))
            bar(phase, done, total)

        return real_run_batch(files, **{**options, "progress": record})

    monkeypatch.setattr(command, "run_batch", spy)
    result = run("batch", *map(str, inputs), "--out", str(tmp_path / "r.csv"))
    assert result.exit_code == 0, result.output
    phases = [phase for phase, _, _ in calls]
    assert phases == sorted(phases, key=["scan", "compute"].index)  # scan first, then compute
    assert ("scan", 3, 3) in calls
    assert calls[-1] == ("compute", 3, 3)
    assert t("phase.scan", "ja") in result.stderr
    assert t("phase.compute", "ja") in result.stderr
    assert "3/3" in result.stderr


def test_characters_cp932_cannot_hold_are_counted_aloud(tmp_path: Path) -> None:
    """--encoding cp932: 𠮷 and an emoji in a description are written as \\U escapes, and the
    command says how many (they are not changed silently)."""
    source = tmp_path / "d.csv"
    source.write_text(
        "entity_code,fiscal_year,item_id,description,technology,expense_kind,amount\n"
        "011002,2021,1,𠮷野😀の導入,AI,導入,1000\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.csv"
    result = run("batch", str(source), "--out", str(out), "--encoding", "cp932")
    assert result.exit_code == 0, result.output
    assert "2 字" in result.stderr
    assert "\\U00020bb7野\\U0001f600の導入" in out.read_bytes().decode("cp932")
