"""The ``tokko`` app as a whole: global options, exit codes, and a light start-up."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tokko.cli import app, lang_first, main, render

ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "FORCE_COLOR": None, "COLUMNS": "200"}
CHECK = ["check", "-t", "AI", "-k", "introduction", "-a", "1000000", "-y", "R3"]


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env={**ENV, **(env or {})})


def test_no_arguments_shows_help() -> None:
    """``tokko`` alone shows the help with the list of commands (a usage error, exit 2)."""
    result = run()
    assert result.exit_code == 2
    assert "check" in result.output
    assert "calc" in result.output


def test_unknown_language_is_a_usage_error() -> None:
    """--lang accepts ja and en only: anything else is exit 2."""
    assert run("--lang", "fr", *CHECK).exit_code == 2


@pytest.mark.parametrize(("value", "expected"), [("en", "Rate"), ("en_US.UTF-8", "Rate"),
                                                 ("ja", "措置率"), ("", "措置率"), ("fr", "措置率")])
def test_language_from_tokko_lang(value: str, expected: str) -> None:
    """TOKKO_LANG picks the language; anything that is not English means Japanese."""
    assert expected in run(*CHECK, env={"TOKKO_LANG": value}).stdout


def test_rules_from_the_environment(tmp_path: Path) -> None:
    """TOKKO_RULES points at the rules folder when --rules is not given."""
    result = run(*CHECK, env={"TOKKO_RULES": str(tmp_path)})
    assert result.exit_code == 3
    assert str(tmp_path.name) in result.stderr


def test_unwritable_output_exit_3(tmp_path: Path) -> None:
    """An output file in a folder that does not exist: exit 3 with the path, no traceback."""
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"entity_code": "011002", "fiscal_year": 2021, "items": []}),
                    encoding="utf-8")
    target = tmp_path / "no" / "such" / "out.json"
    result = run("calc", str(path), "--format", "json", "--output", str(target))
    assert result.exit_code == 3
    assert "out.json" in result.stderr
    assert "Traceback" not in result.output


def test_main_is_the_console_script(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """main() runs the app as ``tokko`` and exits with the command's code."""
    monkeypatch.setattr(sys, "argv", ["tokko", *CHECK])
    monkeypatch.delenv("TOKKO_LANG", raising=False)
    monkeypatch.delenv("TOKKO_RULES", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 0
    assert "300,000" in capsys.readouterr().out


def test_start_up_imports_nothing_heavy() -> None:
    """Importing the app loads neither rich, openpyxl, the batch nor the command modules."""
    code = ("import sys, tokko.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('rich', 'openpyxl') or m in ('tokko.batch', 'tokko.cli.render', "
            "'tokko.cli.check', 'tokko.cli.calc', 'tokko.io.output')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_check_does_not_load_spreadsheets_or_batch() -> None:
    """``tokko check`` runs without importing openpyxl, the batch or rich's progress bar."""
    code = ("import sys\nfrom tokko.cli import main\nsys.argv = ['tokko', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'openpyxl' or m in "
            "('tokko.batch', 'rich.progress', 'tokko.io.output')), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, *CHECK], capture_output=True, text=True,
                          check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_lang_may_come_after_the_command() -> None:
    """`tokko check … --lang en` works like `tokko --lang en check …` (the option is moved)."""
    assert lang_first(["check", "-t", "AI", "--lang", "en"]) == ["--lang", "en", "check", "-t",
                                                                  "AI"]
    assert lang_first(["calc", "f.json", "--lang=ja"]) == ["--lang=ja", "calc", "f.json"]
    assert lang_first(["calc", "--", "--lang"]) == ["calc", "--", "--lang"]


def test_console_script_accepts_lang_at_the_end(tmp_path: Path) -> None:
    """The installed `tokko` answers in English when --lang en is given after the command."""
    done = subprocess.run(
        [sys.executable, "-m", "tokko", "check", "-t", "AI", "-k", "introduction", "-a", "1000",
         "-y", "R3", "--lang", "en"],
        capture_output=True, text=True, check=False, cwd=tmp_path,
        env={**os.environ, "COLUMNS": "120", "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert "standard rate" in done.stdout.lower()


def test_the_script_exits_with_the_commands_code_and_all_its_output(tmp_path: Path) -> None:
    """`python -m tokko` (as the `tokko` script) ends without tearing the interpreter down:
    exit codes 0, 1, 2 and 3 come through, and what was printed and written is all there."""
    source = tmp_path / "d.csv"
    source.write_text("団体コード,年度,項目番号,事業名,区分,経費区分,事業費\n"
                      "011002,2021,1,AI-OCR,AI,導入,1000000\n"
                      "011002,2021,2,RPA,RPA,導入,百万\n", encoding="utf-8")

    def tokko(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tokko", *args], capture_output=True,
                              text=True, check=False, cwd=tmp_path,
                              env={**os.environ, "COLUMNS": "120", "NO_COLOR": "1"})

    outputs = ["--out", "r.csv", "--summary", "s.csv", "--errors", "e.csv"]
    done = tokko("batch", "d.csv", *outputs)
    assert done.returncode == 1, done.stderr  # a row error
    assert "2行を計算しました（エラー 1行" in done.stdout
    assert "r.csv" in done.stdout
    assert len((tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()) == 3
    assert "011002" in (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    assert (tmp_path / "e.csv").read_text(encoding="utf-8-sig").count("\n") == 2
    done = tokko("batch", "missing.csv", *outputs)
    assert done.returncode == 3
    assert "missing.csv" in done.stderr
    assert tokko("no-such-command").returncode == 2
    done = tokko(*CHECK)
    assert done.returncode == 0
    assert "300,000" in done.stdout


LINES = [
    "200,000行を計算しました（エラー 0行、協定ファイルのエラー 0件、団体・年度 720件）。",
    ("書き出しました: /tmp/結果.csv", "dim"),
    [("警告: ", "warn"), ("[bold]は書式ではありません", "")],
    "x" * 80,
    "x" * 81,  # long enough that rich might wrap it: rich writes it
    "タブ\tあり",  # a tab: rich writes it
    "全角" * 40,
    "全角" * 41,  # 164 columns: rich wraps it
]


@pytest.mark.parametrize("cell", LINES)
def test_a_plain_line_off_a_terminal_is_what_rich_writes(
    cell: render.Cell, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    ours, theirs = io.StringIO(), io.StringIO()
    render.line(cell, file=ours)
    render.console(file=theirs).print(render.text(cell))
    assert ours.getvalue() == theirs.getvalue()


def test_batch_into_a_pipe_imports_no_rich(tmp_path: Path) -> None:
    """The few lines `tokko batch` prints into a log cost no import of rich."""
    source = tmp_path / "d.csv"
    source.write_text("団体コード,年度,項目番号,事業名,区分,経費区分,事業費\n"
                      "011002,2021,1,AI-OCR,AI,導入,1000000\n", encoding="utf-8")
    code = ("import sys\nfrom tokko.cli import main\nsys.argv = ['tokko', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'), file=sys.stderr)")
    env = {k: v for k, v in os.environ.items()
           if k not in ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    done = subprocess.run([sys.executable, "-c", code, "batch", "d.csv", "--out", "r.csv"],
                          capture_output=True, text=True, check=True, cwd=tmp_path, env=env)
    assert "1行を計算しました" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "[]"
