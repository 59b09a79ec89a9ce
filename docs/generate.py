"""Build the generated references and run the examples of the guides.

    python docs/generate.py            # rewrite docs/reference/codes.md and docs/reference/cli.md
    python docs/generate.py --outputs  # also refresh the shown output of the guides' commands

The references are built from the code, so that they cannot drift from it:

- ``docs/reference/codes.md`` from the codes of :mod:`tokko.model.codes` (code, kind, the rule
  key it cites) and their words and advice in :mod:`tokko.messages` (``code.<CODE>``,
  ``advice.<CODE>``; a test fails when a code has no advice);
- ``docs/reference/cli.md`` from the ``--help`` of every command and sub-command, rendered at a
  fixed width (:data:`HELP_ENV`);
- ``examples/fiscal-strength/`` (the rule-authoring guides' fictitious multiplier table) from the
  shipped ``rules/ai-rpa/2021.toml``, so that the example stays the shipped file plus the
  documented changes (:func:`fiscal_strength_examples`).

The guides' examples follow one convention, which ``tests/test_docs.py`` enforces (a block may
be indented inside a list item; its indentation is not part of it):

- a ``console`` block holds commands, each on a line starting with ``$ ``, followed by the output
  they print (stdout and stderr, as a terminal shows them). Commands run from the root of a
  temporary copy of the repository's ``examples/`` folder (documented paths start with
  ``examples/``), one document's blocks in order, in one folder, like one shell session.
  ``tokko …`` runs the command line at :data:`CONSOLE_ENV` (160 columns, no colour);
  ``NAME=value tokko …`` sets an environment variable; ``cat FILE``, ``grep TEXT FILE`` and
  ``echo $?`` (the exit code of the last ``tokko``) work as in a shell; ``pip install … && `` in
  front of a command is skipped (the package is already installed; show pip's output as a first
  line ``...``, and ``--outputs`` refreshes the lines after it), and ``pytest`` (the suite
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
    "docs/ja/architecture.md",
    "docs/ja/deploy.md",
    "docs/en/officer.md",
    "docs/en/reviewer.md",
    "docs/en/developer.md",
    "docs/en/rules.md",
    "docs/en/architecture.md",
    "docs/en/deploy.md",
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


_KIND_TITLES = {
    "reason": (
        "理由（reason）",
        "Reasons",
        "計算した項目には必ず1つ付きます。なぜその措置率になったか。",
        "Every computed item has exactly one: why it got its rate.",
    ),
    "warning": (
        "警告（warning）",
        "Warnings",
        "項目は計算しましたが、審査担当者が確かめるべき点があります。",
        "The item is computed, but a reviewer must look at it.",
    ),
    "error": (
        "エラー（error）",
        "Errors",
        "その行は計算できません。ほかの行は計算します。終了コードは1です。",
        "The row cannot be computed; every other row still is. The exit code is 1.",
    ),
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def codes_markdown() -> str:
    """docs/reference/codes.md, built from the codes of :mod:`tokko.model.codes` and their words
    (``code.<CODE>``) and advice (``advice.<CODE>``) in :mod:`tokko.messages`."""
    from tokko.messages import t
    from tokko.model.codes import ALL_CODES, RULE_KEYS, kind_of

    out = [
        "<!-- Generated by `python docs/generate.py` from tokko.messages: do not edit by hand. -->",
        "",
        "# 理由・警告・エラーのコード一覧 / Reason, warning and error codes",
        "",
        "tokko が結果に付けるコードのすべてです。メッセージは `tokko.messages` から生成しています。",
        "「規則のキー」は、そのコードの根拠となる規則ファイル（`rules/ai-rpa/2021.toml`）の"
        "キーです（入力の形の誤りには規則のキーはありません）。",
        "",
        "Every code tokko puts in a result. The messages are generated from `tokko.messages`. "
        '"Rule key" is the key of the rule file (`rules/ai-rpa/2021.toml`) the code rests on '
        "(errors about the form of the input cite none).",
        "",
        "| | 理由 reasons | 警告 warnings | エラー errors |",
        "| --- | --- | --- | --- |",
    ]
    counts = {kind: sum(1 for c in ALL_CODES if kind_of(c) == kind) for kind in _KIND_TITLES}
    out.append(f"| 件数 count | {counts['reason']} | {counts['warning']} | {counts['error']} |")
    for kind, (title_ja, title_en, lead_ja, lead_en) in _KIND_TITLES.items():
        out += ["", f"## {title_ja} / {title_en}", "", f"{lead_ja}  ", lead_en, ""]
        out += [
            "| コード code | 日本語 | English | 規則のキー rule key |",
            "| --- | --- | --- | --- |",
        ]
        codes = [c for c in ALL_CODES if kind_of(c) == kind]
        for code in codes:
            key = f"`{RULE_KEYS[code]}`" if RULE_KEYS[code] else "—"
            out.append(
                f"| `{code}` | {_cell(t(f'code.{code}', 'ja'))} | "
                f"{_cell(t(f'code.{code}', 'en'))} | {key} |"
            )
        for code in codes:
            out += [
                "",
                f"### `{code}`",
                "",
                f"- {t(f'code.{code}', 'ja')}",
                f"- {t(f'code.{code}', 'en')}",
                "",
            ]
            out += [
                f"**対応**: {t(f'advice.{code}', 'ja')}",
                "",
                f"**What to do**: {t(f'advice.{code}', 'en')}",
            ]
    out += [
        "",
        "## 終了コード / Exit codes",
        "",
        "| 終了コード exit code | 意味 | Meaning |",
        "| --- | --- | --- |",
        "| 0 | すべての行を計算しました（警告はあっても 0） | every row was computed "
        "(warnings do not change it) |",
        "| 1 | エラーの行、認識できない列があるか、計算する項目がありません（ほかの行は計算し、書き出しています）"
        " | some rows were errors, a column was unknown, or there was nothing to compute "
        "(everything else was still computed and written) |",
        "| 2 | コマンドの使い方の誤り | usage error |",
        "| 3 | 入力ファイル・規則ファイルをまったく読めない、または出力を書けません | the input or the "
        "rules could not be read at all, or an output could not be written |",
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


# ── the fiscal-strength example rules ───────────────────────────────────────────────────────

FS_EXAMPLES = EXAMPLES / "fiscal-strength"
SHIPPED_2021 = ROOT / "rules" / "ai-rpa" / "2021.toml"

_FS_HEADER = """\
# 【記入例・架空】財政力指数に応じた乗率の表を加えた規則ファイル — docs/ja/rules.md, docs/en/rules.md の例。
# [EXAMPLE, FICTITIOUS] The shipped rules with a multiplier table added, for the rule-authoring guides.
# Generated by `python docs/generate.py` from rules/ai-rpa/2021.toml: do not edit by hand.
#
# rules/ai-rpa/2021.toml をコピーし、次の点だけを変えています（`tokko rules diff` で確かめられます）:
#   - [measure] version: 同梱の 2021.2 と区別できる、この規則だけの版番号 "2021.2-example"
#   - [sources.example-table]: 乗率の表の出典（架空。実際には省令の条と表を書きます）
#   - [fiscal_strength.applies] の注記: 表を加えたことに合わせて書き直し
#   - [[fiscal_strength.multipliers]]: 市町村の表と都道府県の表
# 乗率の値は架空です。省令の表ではありません。実際の申告の計算には使わないでください。
# This copies rules/ai-rpa/2021.toml and changes only the points above. The multipliers are
# invented, NOT the ordinance's: do not use this file to compute real declarations.

"""

_FS_GAP_HEADER = """\
# 【記入例・誤りあり】fiscal-strength/rules/ai-rpa/2021.toml の乗率の表を、転記で2か所誤ったものです。
# [EXAMPLE WITH MISTAKES] fiscal-strength/rules/ai-rpa/2021.toml with two slips in the table:
#   1. 市町村の2段階目の above を 0.45 と誤記（0.40を超え0.45以下に当たる段階がない）
#      the municipalities' second bracket typed `above = 0.45` (nothing covers over 0.40 up to 0.45)
#   2. 都道府県の2段階目の above を 0.30 と誤記（0.30を超え0.50以下に2つの段階が当たる）
#      the prefectures' second bracket typed `above = 0.30` (two brackets cover over 0.30 up to 0.50)
# `tokko rules validate examples/fiscal-strength/mistakes/2021-gap.toml` が両方を示します。
# 乗率の値は架空です / the multipliers are invented.
# Generated by `python docs/generate.py` from rules/ai-rpa/2021.toml: do not edit by hand.

"""

_FS_SAME_HEADER = """\
# 【記入例・誤りあり】fiscal-strength/rules/ai-rpa/2021.toml の版番号を、同梱の規則と同じ "2021.2" の
# ままにしたものです。中身が同梱のファイルと違うので、RULE_VERSION_CONFLICT で読み込みません。
# [EXAMPLE WITH A MISTAKE] fiscal-strength/rules/ai-rpa/2021.toml with the version left at the
# shipped "2021.2": its bytes differ from the shipped file's, so it is refused (RULE_VERSION_CONFLICT).
# 乗率の値は架空です / the multipliers are invented.
# Generated by `python docs/generate.py` from rules/ai-rpa/2021.toml: do not edit by hand.

"""

_FS_SOURCE = """\
[sources.example-table]
title = "【記入例・架空】財政力指数に応じた乗率の表（省令の表ではありません）"
issuer = "架空"
note_ja = "記入例のための架空の表です。実際の規則ファイルには、特別交付税に関する省令の該当する条と表を出典に書き、値をそのまま転記します。"
note_en = "A fictitious table for the example. A real rule file cites the ordinance's article and table and copies its values as they stand."

"""

_FS_APPLIES_NOTE = (
    'note_ja = "措置額には財政力指数に応じた乗率を掛ける。【記入例・架空】この版の乗率の表（multipliers）は'
    '説明のための架空の値で、省令の表ではない。"\n'
    'note_en = "The measure is multiplied by a multiplier that depends on the fiscal strength index. '
    "[Example, fictitious] This version's table (multipliers) holds invented values, not the "
    "ordinance's.\""
)


def _fs_table(municipal_above: str, prefecture_above: str) -> str:
    brackets = [
        ("municipality", None, "0.40", "1.0"),
        ("municipality", municipal_above, "0.80", "0.8"),
        ("municipality", "0.80", None, "0.5"),
        ("prefecture", None, "0.50", "0.9"),
        ("prefecture", prefecture_above, None, "0.6"),
    ]
    out = [
        "# 【記入例・架空】乗率の表。段階ごとに [[fiscal_strength.multipliers]] を1つ書きます:",
        "#   above = この指数を「超え」（その値は含まない。省略すると0から）",
        "#   up_to = この指数「以下」（その値を含む。省略すると上限なし）",
        '#   entities = "municipality"（市町村の表）か "prefecture"（都道府県の表）。省略すると両方に同じ表',
        "# 表ごとに、0以上のすべての指数にちょうど1つの段階が当たらなければ、ファイル全体を読み込みません。",
        "# [Example, fictitious] One [[fiscal_strength.multipliers]] per bracket: over `above` (exclusive;",
        "# absent = from 0) up to `up_to` (inclusive; absent = no upper bound); `entities` picks the",
        "# municipality or the prefecture table (absent = one table for both). Each table must cover every",
        "# index >= 0 exactly once, or the file is refused.",
    ]
    for entities, above, up_to, value in brackets:
        out += ["[[fiscal_strength.multipliers]]", f'entities = "{entities}"']
        out += [f"above = {above}"] if above else []
        out += [f"up_to = {up_to}"] if up_to else []
        out += [f"value = {value}", 'source = "example-table"', ""]
    return "\n".join(out) + "\n"


def _fs_rule_file(
    header: str, version: str, municipal_above: str = "0.40", prefecture_above: str = "0.50"
) -> str:
    """The shipped 2021.toml with the documented changes (its own header comment replaced)."""
    shipped = SHIPPED_2021.read_text(encoding="utf-8")
    body = shipped[shipped.index("[measure]") :]

    def replace(old: str, new: str) -> None:
        nonlocal body
        if body.count(old) != 1:
            raise RuntimeError(f"{SHIPPED_2021}: expected {old!r} once; update docs/generate.py")
        body = body.replace(old, new)

    replace('version = "2021.2"', f'version = "{version}"')
    replace("# ── Rates (措置率)", _FS_SOURCE + "# ── Rates (措置率)")
    replace(
        "# ── Rounding (端数計算)",
        _fs_table(municipal_above, prefecture_above) + "# ── Rounding (端数計算)",
    )
    start = body.index("[fiscal_strength.applies]")
    note = body.index("note_ja = ", start)
    end = body.index("\n\n", note)
    body = body[:note] + _FS_APPLIES_NOTE + body[end:]
    return header + body


def fiscal_strength_examples() -> dict[Path, str]:
    """examples/fiscal-strength/: the shipped 2021 rules with a fictitious multiplier table and a
    version of their own, and two candidates with the mistakes the rule guides show."""
    return {
        FS_EXAMPLES / "rules" / "ai-rpa" / "2021.toml": _fs_rule_file(_FS_HEADER, "2021.2-example"),
        FS_EXAMPLES / "mistakes" / "2021-gap.toml": _fs_rule_file(
            _FS_GAP_HEADER, "2021.2-example", municipal_above="0.45", prefecture_above="0.30"
        ),
        FS_EXAMPLES / "mistakes" / "2021-same-version.toml": _fs_rule_file(
            _FS_SAME_HEADER, "2021.2"
        ),
    }


def generated() -> dict[Path, str]:
    """Each generated file and the text it should hold."""
    return {CODES_MD: codes_markdown(), CLI_MD: cli_markdown(), **fiscal_strength_examples()}


# ── the examples of the guides ───────────────────────────────────────────────────────────────


@dataclass
class Block:
    """A fenced code block: its language, its text, and the line of the document it starts on."""

    lang: str
    text: str
    line: int  # 1-based line of the opening fence
    end: int  # 1-based line of the closing fence
    indent: str = ""  # the blanks before the fence (a block inside a list item), cut from its text


_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,})(?P<info>[^`]*)$")


def _dedent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip(" ")


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
        indent, fence, info = match["indent"], match["fence"], match["info"].strip()
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not (
            lines[j].strip().startswith(fence) and not lines[j].strip().strip("`")
        ):
            body.append(_dedent(lines[j], indent))
            j += 1
        if j == len(lines):
            raise ValueError(f"line {i + 1}: code block is never closed")
        found.append(Block(info.split()[0] if info else "", "\n".join(body), i + 1, j + 1, indent))
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
            words = words[words.index("&&") + 1 :]
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
            text = "".join(
                line + "\n" for line in self._read(args[1]).splitlines() if re.search(args[0], line)
            )
        elif program == "echo" and args == ["$?"]:
            text = f"{self.last_exit}\n"
        else:
            raise ValueError(
                f"the docs tests cannot run {command!r} (only tokko, cat FILE, "
                "grep TEXT FILE, echo $? and pytest)"
            )
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

        diff = "\n".join(
            difflib.unified_diff(self.expected, self.actual, "documented", "actual", lineterm="")
        )
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
                        failures.append(
                            Failure(document, step.line, f"$ {step.command}", step.expected, actual)
                        )
                        # pip's own output is shown as a first line "..."; the rest is tokko's
                        pip = step.command.startswith("pip ") and step.expected[:1] == ["..."]
                        shown = step.expected[1:] if pip else step.expected
                        if any("..." in line for line in shown):
                            continue  # elided on purpose: fix by hand
                        new_body[-len(step.expected) or len(new_body) :] = []
                        new_body += ["..."] * pip + actual
                        changed = True
                if changed:
                    replacements.append(
                        (
                            block.line,
                            block.end - 1,
                            [block.indent + b if b else b for b in new_body],
                        )
                    )
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
    parser.add_argument(
        "--outputs",
        action="store_true",
        help="also rewrite the shown output of the guides' commands",
    )
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
            pip = failure.what.startswith("$ pip ") and failure.expected[:1] == ["..."]
            elided = any("..." in line for line in failure.expected[pip:])
            if elided or not failure.what.startswith("$ "):
                status = 1
                print(f"fix by hand: {failure}\n", file=sys.stderr)
            else:
                print(f"updated {failure.document}:{failure.line}: {failure.what}")
    return status


if __name__ == "__main__":
    sys.exit(main())
