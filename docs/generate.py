"""Build the generated references and run the examples of the guides.

    python docs/generate.py            # rewrite docs/reference/codes.md and docs/reference/cli.md
    python docs/generate.py --outputs  # also refresh the shown output of the guides' commands

The references are built from the code, so that they cannot drift from it:

- ``docs/reference/codes.md`` from :data:`tokko.CODES` (code, kind, Japanese, English, the rule
  key it cites) and :data:`ADVICE` below (what to do about each code; a test fails when a code
  has no advice);
- ``docs/reference/cli.md`` from the ``--help`` of every command and sub-command, rendered at a
  fixed width (:data:`HELP_ENV`).

The guides' examples follow one convention, which ``tests/test_docs.py`` enforces:

- a ``console`` block holds commands, each on a line starting with ``$ ``, followed by the output
  they print (stdout and stderr, as a terminal shows them). Commands run from the root of a
  temporary copy of the repository's ``examples/`` folder (documented paths start with
  ``examples/``), one document's blocks in order, in one folder, like one shell session.
  ``tokko …`` runs the command line at :data:`CONSOLE_ENV` (160 columns, no colour);
  ``NAME=value tokko …`` sets an environment variable; ``cat FILE``, ``grep TEXT FILE`` and
  ``echo $?`` (the exit code of the last ``tokko``) work as in a shell; ``pip install … && `` in
  front of a command is skipped (the package is already installed), and ``pytest`` (the suite
  these tests belong to) prints nothing here, so its output is documented as ``...``. Output is compared line by
  line after removing trailing blanks; ``...`` inside a line stands for any text, and a line that
  is only ``...`` for any number of lines (use them for what depends on the machine, such as an
  absolute path).
- a ``python`` block with ``>>>`` prompts is a doctest (``ELLIPSIS`` on); without prompts it is
  executed, and its ``assert`` statements are the check. A document's python blocks share one
  namespace and run from the same temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import doctest
import functools
import io
import re
import shlex
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
EXAMPLES = ROOT / "examples"
CODES_MD = DOCS / "reference" / "codes.md"
CLI_MD = DOCS / "reference" / "cli.md"
REGENERATE = "python docs/generate.py"

#: Every document whose examples run: the guides, the READMEs.
GUIDES = (
    "README.md",
    "docs/README.md",
    "docs/rules.md",
    "docs/ja/officer.md",
    "docs/ja/reviewer.md",
    "docs/ja/developer.md",
    "docs/ja/rules.md",
    "docs/en/officer.md",
    "docs/en/reviewer.md",
    "docs/en/developer.md",
    "docs/en/rules.md",
    "examples/README.md",
)

#: The environment of the documented commands: a fixed width, no colour, no user settings.
CONSOLE_ENV: dict[str, str | None] = {
    "COLUMNS": "160",
    "LINES": "50",
    "NO_COLOR": "1",
    "TERM": "dumb",
    "FORCE_COLOR": None,
    "TOKKO_LANG": None,
    "TOKKO_RULES": None,
}
#: The environment of ``--help`` in the CLI reference. Narrower would read better in a browser,
#: but below 140 columns rich cuts some Japanese help lines short with "…", losing words.
HELP_ENV: dict[str, str | None] = {**CONSOLE_ENV, "COLUMNS": "140"}
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


# ── the codes reference ──────────────────────────────────────────────────────────────────────

#: What a finance officer or a reviewer does about each code: (日本語, English).
ADVICE: dict[str, tuple[str, str]] = {
    "STANDARD_RATE": (
        "対応は不要です。措置率0.3（規則ファイルの `rates.standard`）で計算しました。",
        "Nothing to do: the standard rate (0.3, `rates.standard` in the rule file) applies.",
    ),
    "JOINT_RATE": (
        "対応は不要です。協定の条件（締結済み、構成団体数、申告団体が構成団体）をすべて満たしたため、"
        "共同調達の措置率0.5で計算しました。",
        "Nothing to do: every condition of the agreement was met (concluded, enough parties, "
        "the declaring government is a party), so the joint rate 0.5 applies.",
    ),
    "EXCLUDED_STANDARDIZATION_TARGET": (
        "対象業務がシステム標準化の対象事務（住民記録、税、福祉など20業務）に当たるため措置額は0です。"
        "`tokko explain` で、どの業務名・別名に当たったかを確かめてください。誤って当たっている場合は"
        "対象業務の書き方を見直します。",
        "The measure is 0 because the business area is one of the 20 standardization-target "
        "businesses. `tokko explain` shows which name or alias matched; if the match is wrong, "
        "reword the business area.",
    ),
    "EXCLUDED_TECHNOLOGY": (
        "AI・RPA以外の技術（IoTなど）のため措置額は0です。AI・RPAの経費であれば区分を直します"
        "（AI-OCR は AI として扱います）。",
        "The measure is 0 because the technology is neither AI nor RPA (IoT, say). If the "
        "expense is AI or RPA, correct the technology (AI-OCR counts as AI).",
    ),
    "EXCLUDED_EXPENSE_KIND": (
        "機器購入・人件費・その他は措置の対象外の経費区分のため措置額は0です。区分が誤っていないか"
        "確かめてください。",
        "The measure is 0 because hardware, personnel and other costs are not eligible kinds of "
        "expense. Check the expense kind is right.",
    ),
    "JOINT_WITHOUT_AGREEMENT": (
        "調達方法が「共同」なのに協定番号が空のため、標準の措置率0.3で計算しました。協定を締結して"
        "いれば協定番号を記入し、協定ファイル（`--agreements`）にその協定を載せてください。",
        "The row says joint procurement but gives no agreement number, so the standard rate "
        "was applied. If an agreement was concluded, fill in its number and list it in the "
        "agreements file (`--agreements`).",
    ),
    "AGREEMENT_UNKNOWN": (
        "協定番号に当たる協定が見つからないため、標準の措置率で計算しました。協定番号の誤記か、"
        "協定ファイル（`--agreements`）または申告 JSON の `agreements` への記載漏れです。",
        "No agreement has this number, so the standard rate was applied. Either the number is "
        "mistyped or the agreement is missing from the agreements file (`--agreements`) or the "
        "declaration's `agreements`.",
    ),
    "AGREEMENT_NOT_PARTY": (
        "申告団体が協定の構成団体に含まれていないため、標準の措置率で計算しました。協定の構成団体の"
        "団体コードを確かめてください。",
        "The declaring government is not among the agreement's parties, so the standard rate "
        "was applied. Check the parties' codes in the agreement.",
    ),
    "AGREEMENT_TOO_FEW_PARTIES": (
        "協定の構成団体が最少団体数（2団体）に満たないため、標準の措置率で計算しました。"
        "構成団体の記載漏れがないか確かめてください。",
        "The agreement has fewer parties than required (two), so the standard rate was "
        "applied. Check that no party is missing.",
    ),
    "AGREEMENT_NOT_CONCLUDED": (
        "協定の締結日が当該年度末（3月31日）より後のため、標準の措置率で計算しました。締結日を"
        "確かめてください。",
        "The agreement was concluded after the end of the fiscal year (31 March), so the "
        "standard rate was applied. Check the date.",
    ),
    "REVENUE_EXCEEDS_AMOUNT": (
        "特定財源が事業費を超えています。控除後の額を0として計算しました（措置額も0）。"
        "特定財源か事業費の記入誤りの可能性が高いので、補助金の交付決定額などと照らしてください。",
        "Specific revenue exceeds the amount; the net cost was set to 0 (so is the measure). "
        "One of the two is probably mistyped: check against the subsidy decision.",
    ),
    "DUPLICATE_CONTRACT": (
        "同じ契約番号が、同じ団体・年度で2回以上、または単独調達なのに複数の団体で申告されています。"
        "二重計上（会計検査院が指摘する誤りの一つ）の疑いがあります。金額は計算しているので、"
        "重複していれば一方の行を削除してください。",
        "The same contract number is declared twice by one government in one year, or by "
        "several governments for a single procurement: possible double counting, a mistake the "
        "Board of Audit reports. Amounts are computed; delete the repeated row if it is one.",
    ),
    "JOINT_SHARES_EXCEED_CONTRACT": (
        "共同調達の各団体の負担額の合計が契約総額を超えています。各団体の負担額と契約総額を"
        "確かめてください。",
        "The parties' shares of a joint contract add up to more than the contract total. Check "
        "each share and the total.",
    ),
    "RULES_UNCONFIRMED_FOR_YEAR": (
        "この年度は、規則ファイルが出典で確認済みとする年度（`confirmed_through`、同梱の規則では"
        "2025年度）より後です。前の年度の規則を延長して計算した見込みの額です。その年度の通知を"
        "確かめ、必要なら新しい規則ファイルを作ってください（規則ファイルの作り方を参照）。",
        "The fiscal year is after the last year the rule file's sources confirm "
        "(`confirmed_through`, 2025 for the shipped rules): the amount extends an earlier year's "
        "rules. Check that year's notice and, if needed, write a new rule file (see the rule "
        "guide).",
    ),
    "INVALID_CODE": (
        "団体コードの形（6桁、または検査数字を除く5桁）か検査数字が正しくありません。"
        "`tokko codes 団体名` で正しいコードを確かめてください。",
        "The local government code is malformed (6 digits, or 5 without the check digit) or "
        "its check digit is wrong. Look the code up with `tokko codes NAME`.",
    ),
    "UNKNOWN_ENTITY": (
        "形は正しいものの、その団体コードの地方公共団体がありません。`tokko codes 団体名` で"
        "確かめてください。",
        "The code is well formed but names no local government. Look it up with "
        "`tokko codes NAME`.",
    ),
    "INVALID_FISCAL_YEAR": (
        "年度が読めません。2023、2023年度、R5、令和5年度、H31 などの形で書いてください。",
        "The fiscal year cannot be read. Write it as 2023, 2023年度, R5, 令和5年度, H31 and so on.",
    ),
    "NO_RULES_FOR_YEAR": (
        "その年度に適用される規則ファイルがありません（同梱の規則は2021年度から）。年度の誤りで"
        "なければ、その年度の規則ファイルが必要です。",
        "No rule file is in force for that fiscal year (the shipped rules start in 2021). If the "
        "year is right, that year needs a rule file.",
    ),
    "INVALID_AMOUNT": (
        "金額が読めません。0以上の整数の円で書いてください（1,234,567 や 1234567円 も可。小数や"
        "負の数は不可）。千円単位の表は `--unit thousand` で読みます。",
        "The amount cannot be read. Give whole yen of 0 or more (1,234,567 and 1234567円 are "
        "fine; fractions and negative numbers are not). Read a table in thousands of yen with "
        "`--unit thousand`.",
    ),
    "MISSING_FIELD": (
        "必須の欄（団体コード、年度、項目番号、事業名、区分、経費区分、事業費）が空です。記入して"
        "ください。",
        "A required field (code, fiscal year, item number, description, technology, expense "
        "kind, amount) is empty. Fill it in.",
    ),
    "DUPLICATE_ITEM_ID": (
        "同じ団体・年度で項目番号が重複しています。先の行を採用し、この行は計算していません。"
        "別の経費であれば項目番号を振り直してください。",
        "The item number is repeated within one government and year. The first row stands; "
        "this row is not computed. If it is a different expense, give it its own number.",
    ),
    "UNKNOWN_VALUE": (
        "値を認識できません（規則ファイルにない経費区分、申告 JSON の知らない欄など）。"
        "メッセージに示された候補から選んでください。",
        "The value is not recognised (an expense kind the rule file does not name, an unknown "
        "key in a declaration JSON…). Pick one of the values the message lists.",
    ),
}

_KIND_TITLES = {
    "reason": ("理由（reason）", "Reasons",
               "計算した項目には必ず1つ付きます。なぜその措置率になったか。",
               "Every computed item has exactly one: why it got its rate."),
    "warning": ("警告（warning）", "Warnings",
                "項目は計算しましたが、審査担当者が確かめるべき点があります。",
                "The item is computed, but a reviewer must look at it."),
    "error": ("エラー（error）", "Errors",
              "その行は計算できません。ほかの行は計算します。終了コードは1です。",
              "The row cannot be computed; every other row still is. The exit code is 1."),
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def codes_markdown() -> str:
    """docs/reference/codes.md, built from :data:`tokko.CODES` and :data:`ADVICE`."""
    from tokko import CODES

    out = [
        "<!-- Generated by `python docs/generate.py` from tokko.CODES: do not edit by hand. -->",
        "",
        "# 理由・警告・エラーのコード一覧 / Reason, warning and error codes",
        "",
        "tokko が結果に付けるコードのすべてです。メッセージは `tokko.CODES` から生成しています。",
        "「規則のキー」は、そのコードの根拠となる規則ファイル（`rules/ai-rpa/2021.toml`）の"
        "キーです（入力の形の誤りには規則のキーはありません）。",
        "",
        "Every code tokko puts in a result. The messages are generated from `tokko.CODES`. "
        "\"Rule key\" is the key of the rule file (`rules/ai-rpa/2021.toml`) the code rests on "
        "(errors about the form of the input cite none).",
        "",
        "| | 理由 reasons | 警告 warnings | エラー errors |",
        "| --- | --- | --- | --- |",
    ]
    counts = {kind: sum(1 for c in CODES.values() if c.kind == kind) for kind in _KIND_TITLES}
    out.append(f"| 件数 count | {counts['reason']} | {counts['warning']} | {counts['error']} |")
    for kind, (title_ja, title_en, lead_ja, lead_en) in _KIND_TITLES.items():
        out += ["", f"## {title_ja} / {title_en}", "", f"{lead_ja}  ", lead_en, ""]
        out += ["| コード code | 日本語 | English | 規則のキー rule key |", "| --- | --- | --- | --- |"]
        for info in CODES.values():
            if info.kind == kind:
                key = f"`{info.rule_key}`" if info.rule_key else "—"
                out.append(f"| `{info.code}` | {_cell(info.ja)} | {_cell(info.en)} | {key} |")
        for info in CODES.values():
            if info.kind == kind:
                ja, en = ADVICE[info.code]
                out += ["", f"### `{info.code}`", "", f"- {info.ja}", f"- {info.en}", ""]
                out += [f"**対応**: {ja}", "", f"**What to do**: {en}"]
    out += [
        "",
        "## 終了コード / Exit codes",
        "",
        "| 終了コード exit code | 意味 | Meaning |",
        "| --- | --- | --- |",
        "| 0 | すべての行を計算しました（警告はあっても 0） | every row was computed "
        "(warnings do not change it) |",
        "| 1 | エラーの行があります（ほかの行は計算し、書き出しています） | some rows were errors "
        "(everything else was still computed and written) |",
        "| 2 | コマンドの使い方の誤り | usage error |",
        "| 3 | 入力ファイルまたは規則ファイルをまったく読めません | the input or the rules "
        "could not be read at all |",
        "",
    ]
    return "\n".join(out)


# ── the CLI reference ────────────────────────────────────────────────────────────────────────


def command_paths() -> list[tuple[str, ...]]:
    """Every command path of ``tokko`` (the root first), in the order of the help."""
    from typer.main import get_command

    from tokko.cli import app

    def walk(command: Any, path: tuple[str, ...]) -> list[tuple[str, ...]]:
        found = [path]
        for name, sub in getattr(command, "commands", {}).items():
            found += walk(sub, (*path, name))
        return found

    return walk(get_command(app), ())


def help_text(path: Sequence[str]) -> str:
    """The ``--help`` of one command at :data:`HELP_ENV`, without colour or trailing blanks."""
    from typer.testing import CliRunner

    from tokko.cli import app

    result = CliRunner().invoke(app, [*path, "--help"], prog_name="tokko", env=HELP_ENV)
    if result.exit_code != 0:
        raise RuntimeError(f"tokko {' '.join(path)} --help failed:\n{result.output}")
    lines = [line.rstrip() for line in _ANSI.sub("", result.output).splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def cli_markdown() -> str:
    """docs/reference/cli.md: the ``--help`` of every command and sub-command."""
    paths = command_paths()
    out = [
        "<!-- Generated by `python docs/generate.py` from `tokko … --help`: do not edit by hand. -->",
        "",
        "# コマンドの一覧 / Command-line reference",
        "",
        f"各コマンドの `--help` の表示です（端末の幅{HELP_ENV['COLUMNS']}桁で生成）。"
        "`tokko コマンド --help` で同じものを表示できます。",
        "",
        f"The `--help` of every command, rendered {HELP_ENV['COLUMNS']} columns wide; "
        "`tokko COMMAND --help` prints the same.",
        "",
    ]
    out += [f"- [`{' '.join(('tokko', *p))}`](#{_anchor(p)})" for p in paths]
    for path in paths:
        title = " ".join(("tokko", *path))
        out += ["", f"## {title}", "", "```text", help_text(path), "```"]
    out.append("")
    return "\n".join(out)


def _anchor(path: Sequence[str]) -> str:
    return "-".join(("tokko", *path))


def generated() -> dict[Path, str]:
    """Each generated file and the text it should hold."""
    return {CODES_MD: codes_markdown(), CLI_MD: cli_markdown()}


# ── the examples of the guides ───────────────────────────────────────────────────────────────


@dataclass
class Block:
    """A fenced code block: its language, its text, and the line of the document it starts on."""

    lang: str
    text: str
    line: int  # 1-based line of the opening fence
    end: int  # 1-based line of the closing fence


_FENCE = re.compile(r"^(?P<fence>`{3,})(?P<info>[^`]*)$")


def blocks(text: str) -> list[Block]:
    """Every fenced code block of a Markdown text."""
    found: list[Block] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, info = match["fence"], match["info"].strip()
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not (lines[j].startswith(fence) and not lines[j].strip("`")):
            body.append(lines[j])
            j += 1
        if j == len(lines):
            raise ValueError(f"line {i + 1}: code block is never closed")
        found.append(Block(info.split()[0] if info else "", "\n".join(body), i + 1, j + 1))
        i = j + 1
    return found


@dataclass
class Step:
    """One ``$ command`` of a console block and the output the document shows for it."""

    command: str
    expected: list[str]
    line: int


def steps(block: Block) -> list[Step]:
    """The commands of a console block, each with its expected output."""
    found: list[Step] = []
    for offset, line in enumerate(block.text.split("\n")):
        if line.startswith("$ "):
            found.append(Step(line[2:].strip(), [], block.line + 1 + offset))
        elif not found:
            raise ValueError(f"line {block.line + 1 + offset}: console output before any `$ `")
        else:
            found[-1].expected.append(line)
    for step in found:
        while step.expected and not step.expected[-1].strip():
            step.expected.pop()
    return found


def _line_matches(expected: str, actual: str) -> bool:
    if "..." not in expected:
        return expected == actual
    pattern = ".*".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, actual) is not None


def matches(expected: Sequence[str], actual: Sequence[str]) -> bool:
    """True when ``actual`` lines match ``expected`` (with ``...`` wildcards, see the module)."""
    exp = [line.rstrip() for line in expected]
    act = [line.rstrip() for line in actual]

    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(exp):
            return j == len(act)
        if exp[i] == "...":
            return any(match(i + 1, k) for k in range(j, len(act) + 1))
        return j < len(act) and _line_matches(exp[i], act[j]) and match(i + 1, j + 1)

    return match(0, 0)


class Session:
    """A shell-like session in a temporary copy of ``examples/``: runs documented commands."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.last_exit = 0

    def run(self, command: str) -> list[str]:
        """Run one documented command; return what a terminal would show, line by line."""
        words = shlex.split(command)
        while len(words) > 1 and words[0] == "pip" and "&&" in words:
            words = words[words.index("&&") + 1:]
        env: dict[str, str | None] = dict(CONSOLE_ENV)
        while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
            name, _, value = words.pop(0).partition("=")
            env[name] = value
        if not words:
            raise ValueError(f"nothing to run in {command!r}")
        program, args = words[0], words[1:]
        if program == "pytest" and not args:
            text = ""  # the test suite cannot run inside itself: document its output as `...`
        elif program == "tokko":
            text = self._tokko(args, env)
        elif program == "cat" and len(args) == 1:
            text = self._read(args[0])
        elif program == "grep" and len(args) == 2:
            text = "".join(line + "\n" for line in self._read(args[1]).splitlines()
                           if re.search(args[0], line))
        elif program == "echo" and args == ["$?"]:
            text = f"{self.last_exit}\n"
        else:
            raise ValueError(f"the docs tests cannot run {command!r} (only tokko, cat FILE, "
                             "grep TEXT FILE, echo $? and pytest)")
        lines = [line.rstrip() for line in text.split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def _read(self, name: str) -> str:
        return (self.folder / name).read_text(encoding="utf-8-sig")

    def _tokko(self, args: list[str], env: dict[str, str | None]) -> str:
        from typer.testing import CliRunner

        from tokko.cli import app

        with contextlib.chdir(self.folder):
            result = CliRunner().invoke(app, args, prog_name="tokko", env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise RuntimeError(f"tokko {shlex.join(args)} crashed") from result.exception
        self.last_exit = result.exit_code
        return _ANSI.sub("", result.output)


@contextlib.contextmanager
def sandbox() -> Iterator[Path]:
    """A temporary folder holding a copy of ``examples/``: where the documented commands run."""
    with tempfile.TemporaryDirectory(prefix="tokko-docs-") as tmp:
        folder = Path(tmp)
        shutil.copytree(EXAMPLES, folder / "examples")
        yield folder


@dataclass
class Failure:
    """A documented example whose output differs from what it printed."""

    document: str
    line: int
    what: str
    expected: list[str] = field(default_factory=list)
    actual: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        import difflib

        diff = "\n".join(difflib.unified_diff(self.expected, self.actual, "documented", "actual",
                                              lineterm=""))
        return f"{self.document}:{self.line}: {self.what}\n{diff}"


def run_console(block: Block, session: Session) -> list[tuple[Step, list[str]]]:
    """Run each command of a console block; return each step with the lines it printed."""
    return [(step, session.run(step.command)) for step in steps(block)]


@contextlib.contextmanager
def clean_environment(env: dict[str, str | None]) -> Iterator[None]:
    """``os.environ`` with ``env`` applied (``None`` removes a variable), restored afterwards."""
    import os

    saved = {name: os.environ.get(name) for name in env}
    try:
        for name, value in env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_python(document: str, block: Block, globs: dict[str, Any], folder: Path) -> str | None:
    """Run a python block (doctest when it has ``>>>``); return the failure report, or None."""
    with contextlib.chdir(folder), clean_environment(CONSOLE_ENV):
        if ">>>" not in block.text:
            try:
                exec(compile(block.text, f"{document}:{block.line + 1}", "exec"), globs)
            except Exception as exc:  # the report names the block and the exception
                return f"{type(exc).__name__}: {exc}"
            return None
        parser = doctest.DocTestParser()
        test = parser.get_doctest(block.text, globs, document, document, block.line)
        report = io.StringIO()
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test, out=report.write, clear_globs=False)
        globs.update(test.globs)  # a DocTest runs in a copy: keep its names for the next block
        return report.getvalue() if runner.failures else None


def check_document(document: str, *, update: bool = False) -> list[Failure]:
    """Run every example of one document; with ``update``, rewrite outputs that changed."""
    path = ROOT / document
    text = path.read_text(encoding="utf-8")
    failures: list[Failure] = []
    lines = text.split("\n")
    replacements: list[tuple[int, int, list[str]]] = []
    globs: dict[str, Any] = {"__name__": "__docs__"}
    with sandbox() as folder:
        session = Session(folder)
        for block in blocks(text):
            if block.lang == "console":
                new_body: list[str] = []
                changed = False
                for step, actual in run_console(block, session):
                    new_body += [f"$ {step.command}", *step.expected]
                    if not matches(step.expected, actual):
                        failures.append(Failure(document, step.line, f"$ {step.command}",
                                                step.expected, actual))
                        if any("..." in line for line in step.expected):
                            continue  # elided on purpose: fix by hand
                        new_body[-len(step.expected) or len(new_body):] = []
                        new_body += actual
                        changed = True
                if changed:
                    replacements.append((block.line, block.end - 1, new_body))
            elif block.lang == "python":
                problem = run_python(document, block, globs, folder)
                if problem is not None:
                    failures.append(Failure(document, block.line, "python block:\n" + problem))
    if update and replacements:
        for start, end, body in sorted(replacements, reverse=True):
            lines[start:end] = body
        path.write_text("\n".join(lines), encoding="utf-8")
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    """Write the generated references; with ``--outputs``, refresh the guides' outputs too."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outputs", action="store_true",
                        help="also rewrite the shown output of the guides' commands")
    options = parser.parse_args(argv)
    for path, text in generated().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if not options.outputs:
        return 0
    status = 0
    for document in GUIDES:
        if not (ROOT / document).exists():
            continue
        for failure in check_document(document, update=True):
            elided = any("..." in line for line in failure.expected)
            if elided or not failure.what.startswith("$ "):
                status = 1
                print(f"fix by hand: {failure}\n", file=sys.stderr)
            else:
                print(f"updated {failure.document}:{failure.line}: {failure.what}")
    return status


if __name__ == "__main__":
    sys.exit(main())
