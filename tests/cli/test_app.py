"""The ``tokko`` app as a whole: the options every command takes (before or after the command),
usage errors in the catalog's words, exit codes, and a light start-up."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner, Result

from tokko.cli import app, main, render
from tokko.messages import t
from tokko.rules.ruleset import shipped_rules_dir

ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "FORCE_COLOR": None, "COLUMNS": "200"}
RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
CHECK = ["check", "-t", "AI", "-k", "introduction", "-a", "1000000", "-y", "R3"]
JAPANESE = re.compile(r"[ぁ-んァ-ン一-龥]")
#: What click and Typer say in English; none of it may show in Japanese mode.
CLICK_WORDS = (
    "Usage:",
    "Try '",
    "Error:",
    "No such option",
    "no such option",
    "Missing argument",
    "Missing option",
    "Missing parameter",
    "Invalid value",
    "is not one of",
    "No such command",
    "Got unexpected extra argument",
    "Value error",
    "Did you mean",
    "requires an argument",
    "does not take a value",
    "Input should be",
    "Traceback",
)


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


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en", "Rate"), ("en_US.UTF-8", "Rate"), ("ja", "措置率"), ("", "措置率"), ("fr", "措置率")],
)
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
    path.write_text(
        json.dumps({"entity_code": "011002", "fiscal_year": 2021, "items": []}), encoding="utf-8"
    )
    target = tmp_path / "no" / "such" / "out.json"
    result = run("calc", str(path), "--format", "json", "--output", str(target))
    assert result.exit_code == 3
    assert "out.json" in result.stderr
    assert "Traceback" not in result.output


# ── options before and after the command ─────────────────────────────────────────────────────


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A small CSV declaration (amounts readable in yen or in 千円) and a folder without rules."""
    source = tmp_path / "d.csv"
    source.write_text(
        "団体コード,年度,項目番号,事業名,区分,経費区分,事業費\n011002,2021,1,AI-OCR,AI,導入,1234\n",
        encoding="utf-8",
    )
    empty = tmp_path / "空の規則"
    empty.mkdir()
    return {"source": source, "empty": empty, "out": tmp_path / "r.csv"}


def command(name: str, files: dict[str, Path]) -> list[str]:
    """The arguments of one command run on the fixture's files."""
    return {
        "check": CHECK,
        "calc": ["calc", str(files["source"])],
        "explain": ["explain", str(files["source"])],
        "batch": ["batch", str(files["source"]), "--out", str(files["out"])],
        "rules list": ["rules", "list"],
        "codes": ["codes", "札幌"],
    }[name]


def placed(position: str, options: list[str], args: list[str]) -> list[str]:
    """``options`` before the command (the app's) or after it (the command's own)."""
    return [*options, *args] if position == "before" else [*args, *options]


LANG_WORDS = {  # command → (a Japanese word it shows, the same in English)
    "check": (t("rate", "ja"), t("rate", "en")),
    "calc": (t("total_amount", "ja"), t("total_amount", "en")),
    "explain": (t("declaration_total", "ja"), t("declaration_total", "en")),
    "batch": ("1行を計算しました", "1 rows computed"),
    "rules list": (t("coverage", "ja"), t("coverage", "en")),
    "codes": (t("prefecture", "ja"), t("prefecture", "en")),
}


@pytest.mark.parametrize("position", ["before", "after"])
@pytest.mark.parametrize("name", list(LANG_WORDS))
def test_lang_before_and_after_the_command(
    name: str, position: str, files: dict[str, Path]
) -> None:
    """``--lang en`` works before the command (``tokko --lang en calc …``) and after it
    (``tokko calc … --lang en``); without it the same run is in Japanese."""
    japanese, english = LANG_WORDS[name]
    args = command(name, files)
    result = run(*placed(position, ["--lang", "en"], args))
    assert result.exit_code == 0, result.output
    assert english in result.stdout
    assert japanese not in result.stdout
    assert japanese in run(*args).stdout


@pytest.mark.parametrize("position", ["before", "after"])
@pytest.mark.parametrize("name", ["check", "calc", "explain", "batch", "rules list"])
def test_rules_before_and_after_the_command(
    name: str, position: str, files: dict[str, Path]
) -> None:
    """``--rules DIR`` works before and after the command: a folder without rule files stops
    the run with exit 3, naming the folder; the shipped folder given either way computes."""
    args = command(name, files)
    refused = run(*placed(position, ["--rules", str(files["empty"])], args))
    assert refused.exit_code == 3, refused.output
    assert "空の規則" in refused.stderr
    assert "規則ファイル（*.toml）がありません" in refused.stderr
    accepted = run(*placed(position, ["--rules", str(shipped_rules_dir())], args))
    assert accepted.exit_code == 0, accepted.output


UNIT_WORDS = {  # command → what it shows of 1,234 read in 千円 (1,234,000 yen)
    "check": "1,000,000,000 円",  # CHECK's -a 1000000 in 千円
    "calc": "1,234,000",
    "explain": "1234000",
}


@pytest.mark.parametrize("position", ["before", "after"])
@pytest.mark.parametrize("name", list(UNIT_WORDS))
def test_unit_before_and_after_the_command(
    name: str, position: str, files: dict[str, Path]
) -> None:
    """``--unit thousand`` works before and after the command: amounts are read in 千円."""
    args = command(name, files)
    result = run(*placed(position, ["--unit", "thousand"], args))
    assert result.exit_code == 0, result.output
    assert UNIT_WORDS[name] in result.stdout
    assert UNIT_WORDS[name] not in run(*args).stdout


def test_unit_before_and_after_the_batch(files: dict[str, Path]) -> None:
    """``tokko batch`` reads 千円 with ``--unit thousand`` given before or after it."""
    for args in (
        ["--unit", "thousand", *command("batch", files)],
        [*command("batch", files), "--unit", "thousand"],
    ):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert ",1234000," in files["out"].read_text(encoding="utf-8-sig")
    run(*command("batch", files))
    assert ",1234000," not in files["out"].read_text(encoding="utf-8-sig")


@pytest.fixture
def two_measures(tmp_path: Path) -> Path:
    """A rules folder with two measures: the shipped ai-rpa and "other", rate 0.4."""
    folder = tmp_path / "two"
    (folder / "ai-rpa").mkdir(parents=True)
    (folder / "other").mkdir()
    text = (shipped_rules_dir() / "ai-rpa" / "2021.toml").read_text(encoding="utf-8")
    shutil.copy(shipped_rules_dir() / "ai-rpa" / "2021.toml", folder / "ai-rpa" / "2021.toml")
    other = text.replace('id = "ai-rpa"', 'id = "other"', 1)
    other = other.replace("[rates.standard]\nvalue = 0.3", "[rates.standard]\nvalue = 0.4", 1)
    assert other != text
    (folder / "other" / "2021.toml").write_text(other, encoding="utf-8")
    return folder


@pytest.mark.parametrize("position", ["before", "after"])
def test_measure_before_and_after_the_command(
    position: str, two_measures: Path, files: dict[str, Path]
) -> None:
    """With two measures in the rules folder, ``--measure ID`` (before or after the command)
    chooses one; without it the run is a usage error naming both."""
    rules = ["--rules", str(two_measures)]
    unchosen = run(*rules, *CHECK)
    assert unchosen.exit_code == 2
    assert "ai-rpa" in unchosen.stderr
    assert "other" in unchosen.stderr
    other = run(*rules, *placed(position, ["--measure", "other"], CHECK))
    assert other.exit_code == 0, other.output
    assert "400,000 円" in other.stdout
    shipped = run(*rules, *placed(position, ["--measure", "ai-rpa"], CHECK))
    assert "300,000 円" in shipped.stdout
    calc = run(*rules, *placed(position, ["--measure", "other"], command("calc", files)))
    assert calc.exit_code == 0, calc.output
    assert "493.6" in calc.stdout  # 1,234 yen × 0.4


def test_unknown_measure_is_a_usage_error() -> None:
    """A measure the rules folder does not hold: exit 2, before or after the command."""
    for args in (["--measure", "nope", *CHECK], [*CHECK, "--measure", "nope"]):
        result = run(*args)
        assert result.exit_code == 2
        assert "nope" in result.stderr
        assert "ai-rpa" in result.stderr


def _leaves(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every command that runs (not a group), with its path."""
    subs = getattr(command, "commands", None)
    if subs is None:
        return [(path, command)]
    return [leaf for name, sub in sorted(subs.items()) for leaf in _leaves(sub, (*path, name))]


LEAVES = _leaves(get_command(app))


@pytest.mark.parametrize(("path", "leaf"), LEAVES, ids=[" ".join(p) for p, _ in LEAVES])
def test_every_command_takes_the_common_options_after_it(path: tuple[str, ...], leaf: Any) -> None:
    """SPEC §5: ``--rules``, ``--lang`` and ``--unit`` (and ``--measure`` with them) are
    accepted before or after the command — every command, also where they change nothing, so
    that a script may put them anywhere."""
    options = {o for p in leaf.params for o in getattr(p, "opts", ())}
    assert {"--lang", "--rules", "--unit", "--measure"} <= options


@pytest.mark.parametrize(
    "args",
    [
        ["schema", "declaration"],
        ["codes", "ニセコ"],
        ["rules", "list"],
        ["fiscal-strength-index", "-r", "45;46;47", "-d", "100;100;100"],
    ],
)
def test_a_command_that_does_not_use_them_accepts_them_after_it(args: list[str]) -> None:
    """``tokko schema --rules DIR --unit thousand`` runs as ``tokko --rules DIR --unit
    thousand schema`` does (exit 0, the same output)."""
    common = ["--rules", str(RULES_DIR), "--unit", "thousand", "--measure", "ai-rpa"]
    after, before = run(*args, *common), run(*common, *args)
    assert after.exit_code == 0, after.output
    assert after.stdout == before.stdout


def test_a_value_after_the_command_wins() -> None:
    """Given before and after the command, the command's own value wins."""
    english = run("--lang", "ja", *CHECK, "--lang", "en")
    assert t("code.STANDARD_RATE", "en") in english.stdout
    thousand = run(
        "--unit",
        "yen",
        "check",
        "-t",
        "AI",
        "-k",
        "introduction",
        "-a",
        "1,000",
        "-y",
        "R3",
        "--unit",
        "thousand",
    )
    assert "1,000,000 円" in thousand.stdout


def test_console_script_accepts_lang_at_the_end(tmp_path: Path) -> None:
    """The installed `tokko` answers in English when --lang en is given after the command."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tokko",
            "check",
            "-t",
            "AI",
            "-k",
            "introduction",
            "-a",
            "1000",
            "-y",
            "R3",
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "120", "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert "standard rate" in done.stdout.lower()


# ── usage errors in the catalog's words ──────────────────────────────────────────────────────

USAGE_ERRORS = {  # case → (arguments, what the Japanese message must say)
    "unknown option": (["check", "--bogus"], ["--bogus", "はありません"]),
    "unknown option before the command": (["--bogus", "check"], ["--bogus", "はありません"]),
    "missing argument": (["calc"], ["FILE を指定してください"]),
    "missing option": (["fiscal-strength-index"], ["必須のオプション --revenue", "ありません"]),
    "bad --lang": (["--lang", "fr", *CHECK], ["--lang", "「fr」", "使えません"]),
    "bad --lang after the command": ([*CHECK, "--lang", "fr"], ["--lang", "「fr」", "使えません"]),
    "bad --format": (["calc", "x.json", "--format", "foo"], ["--format", "「foo」", "使えません"]),
    "bad --unit": ([*CHECK, "--unit", "man"], ["--unit", "「man」", "使えません"]),
    "unknown command": (["nope"], ["「nope」", "コマンド"]),
    "extra argument": (["schema", "declaration", "extra"], ["extra", "余分な引数"]),
    "extra argument after a full check": ([*CHECK, "extra"], ["余分な引数があります: extra"]),
    "option without its value": (["check", "-t", "AI", "-a"], ["-a", "値が必要です"]),
    "--sheet without its value": (["calc", "x.csv", "--sheet"], ["--sheet", "値が必要です"]),
    "a flag given a value": ([*CHECK, "--joint=yes"], ["--joint", "値をとりません"]),
    "not a whole number": (["serve", "--port", "abc", "--check"], ["--port", "整数が必要です"]),
}


@pytest.mark.parametrize("case", list(USAGE_ERRORS))
def test_usage_errors_are_in_japanese(case: str) -> None:
    """A usage error in Japanese mode: exit 2, 「エラー:」 and Japanese words on stderr, how to
    get help, and none of click's or Typer's English messages (nor a traceback)."""
    args, expected = USAGE_ERRORS[case]
    result = run(*args)
    assert result.exit_code == 2, (result.output, result.exc_info)
    err = result.stderr
    assert err.startswith("エラー:"), err
    assert JAPANESE.search(err.removeprefix("エラー:")), err
    for words in expected:
        assert words in err, (words, err)
    assert "-h" in err  # 使い方は「tokko … -h」で表示します。
    for words in CLICK_WORDS:
        assert words not in err, (words, err)
    assert "Traceback" not in result.output


ENGLISH_USAGE_ERRORS = {  # case → (arguments, what the English message must say)
    "unknown option": (["check", "--bogus"], ["--bogus", "no such option"]),
    "missing argument": (["calc"], ["FILE", "missing"]),
    "bad --format": (["calc", "x.json", "--format", "foo"], ["--format", "'foo'", "expected"]),
    "unknown command": (["nope"], ["'nope'", "no such command"]),
    "extra argument": (["codes", "札幌", "extra"], ["extra", "unexpected extra"]),
}


@pytest.mark.parametrize("position", ["before", "after"])
@pytest.mark.parametrize("case", list(ENGLISH_USAGE_ERRORS))
def test_usage_errors_in_english(case: str, position: str) -> None:
    """With ``--lang en`` (anywhere on the line) a usage error is told in English words:
    ``Error:``, what was wrong, how to get help; no Japanese."""
    args, expected = ENGLISH_USAGE_ERRORS[case]
    result = run(*placed(position, ["--lang", "en"], args))
    assert result.exit_code == 2, (result.output, result.exc_info)
    err = result.stderr
    assert err.startswith("Error:"), err
    for words in expected:
        assert words in err, (words, err)
    assert "-h" in err
    assert not JAPANESE.search(err.replace("札幌", "")), err
    assert "Traceback" not in result.output


def test_usage_error_language_from_tokko_lang() -> None:
    """TOKKO_LANG=en makes usage errors English too; --lang ja overrides it."""
    english = run("nope", env={"TOKKO_LANG": "en"})
    assert english.exit_code == 2
    assert english.stderr.startswith("Error:")
    japanese = run("--lang", "ja", "nope", env={"TOKKO_LANG": "en"})
    assert japanese.exit_code == 2
    assert japanese.stderr.startswith("エラー:")


# ── the console script and its exit codes ───────────────────────────────────────────────────


def test_main_is_the_console_script(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """main() runs the app as ``tokko`` and exits with the command's code."""
    monkeypatch.setattr(sys, "argv", ["tokko", *CHECK])
    monkeypatch.delenv("TOKKO_LANG", raising=False)
    monkeypatch.delenv("TOKKO_RULES", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 0
    assert "300,000" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (CHECK, 0),
        (["check", "-t", "AI", "-k", "introduction", "-a", "abc", "-y", "R3"], 1),
        (["nope"], 2),
        (["check", "--bogus"], 2),
        ([], 2),
        (["calc", "ない.csv"], 3),
    ],
    ids=["computed", "row error", "unknown command", "unknown option", "nothing", "no file"],
)
def test_main_exits_with_the_codes_of_the_spec(
    args: list[str],
    code: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """main() ends with SystemExit and the exit code of SPEC §5 (0, 1, 2, 3), never with an
    exception of click or Typer and never with a traceback."""
    monkeypatch.setattr(sys, "argv", ["tokko", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == code
    assert "Traceback" not in capsys.readouterr().err


def test_start_up_imports_nothing_heavy() -> None:
    """Importing the app loads neither rich nor openpyxl."""
    code = (
        "import sys, tokko.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('rich', 'openpyxl')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_check_does_not_load_spreadsheets() -> None:
    """``tokko check`` runs without importing openpyxl or rich's progress bar."""
    code = (
        "import sys\nfrom tokko.cli import main\nsys.argv = ['tokko', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'openpyxl' or m == "
        "'rich.progress'), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *CHECK], capture_output=True, text=True, check=True
    )
    assert "300,000" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_the_script_exits_with_the_commands_code_and_all_its_output(tmp_path: Path) -> None:
    """`python -m tokko` (as the `tokko` script) exits with codes 0, 1, 2 and 3, and what was
    printed and written is all there."""
    source = tmp_path / "d.csv"
    source.write_text(
        "団体コード,年度,項目番号,事業名,区分,経費区分,事業費\n"
        "011002,2021,1,AI-OCR,AI,導入,1000000\n"
        "011002,2021,2,RPA,RPA,導入,百万\n",
        encoding="utf-8",
    )

    def tokko(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tokko", *args],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
            env={**os.environ, "COLUMNS": "120", "NO_COLOR": "1"},
        )

    outputs = ["--out", "r.csv", "--summary", "s.csv", "--errors", "e.csv"]
    done = tokko("batch", "d.csv", *outputs)
    assert done.returncode == 1, done.stderr  # a row error
    assert "2行を計算しました（警告 0行、エラー 1行" in done.stdout
    assert "r.csv" in done.stdout
    assert len((tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()) == 3
    assert "011002" in (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    assert (tmp_path / "e.csv").read_text(encoding="utf-8-sig").count("\n") == 2
    done = tokko("batch", "missing.csv", *outputs)
    assert done.returncode == 3
    assert "missing.csv" in done.stderr
    done = tokko("no-such-command")
    assert done.returncode == 2
    assert done.stderr.startswith("エラー:")
    assert "Traceback" not in done.stderr
    done = tokko(*CHECK)
    assert done.returncode == 0
    assert "300,000" in done.stdout


# ── plain lines ──────────────────────────────────────────────────────────────────────────────

LINES = [
    "200,000行を計算しました（警告 0行、エラー 0行、ファイルの問題 0件、団体・年度 720件）。",
    ("書き出しました: /tmp/結果.csv", "dim"),
    [("警告: ", "warn"), ("[bold]は書式ではありません", "")],
    "x" * 80,
    "x" * 81,  # long enough that rich might wrap it: rich writes it
    "タブ\tあり",  # a tab: rich writes it
    "全角" * 40,
    "全角" * 41,  # 164 columns: wider than the plain width, still one line
]


@pytest.mark.parametrize("cell", LINES)
def test_a_plain_line_off_a_terminal_is_what_rich_writes(
    cell: render.Cell, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line written without rich (off a terminal) is byte for byte what rich writes when it
    leaves the wrapping to the reader (soft wrap): one line, however long."""
    for name in ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    ours, theirs = io.StringIO(), io.StringIO()
    render.line(cell, file=ours)
    render.console(file=theirs).print(render.text(cell), soft_wrap=True)
    assert ours.getvalue() == theirs.getvalue()


def test_batch_into_a_pipe_imports_no_rich(tmp_path: Path) -> None:
    """The few lines `tokko batch` prints into a log cost no import of rich."""
    source = tmp_path / "d.csv"
    source.write_text(
        "団体コード,年度,項目番号,事業名,区分,経費区分,事業費\n"
        "011002,2021,1,AI-OCR,AI,導入,1000000\n",
        encoding="utf-8",
    )
    code = (
        "import sys\nfrom tokko.cli import main\nsys.argv = ['tokko', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'), file=sys.stderr)"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
    }
    done = subprocess.run(
        [sys.executable, "-c", code, "batch", "d.csv", "--out", "r.csv"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
    )
    assert "1行を計算しました" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "[]"
