"""The documentation runs: every documented command and code sample, and the generated references.

The conventions (``console`` blocks of ``$ tokko …`` with their output, ``python`` blocks as
doctests) are described, and implemented, in ``docs/generate.py``; this module runs them.
After a change in tokko's output, ``python docs/generate.py --outputs`` refreshes the documented
outputs (review the diff: the prose around them may need to change too).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "tokko_docs_generate", ROOT / "docs" / "generate.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


gen = _load_generator()

INSTALL_AND_RUN = "pip install -e . && tokko calc examples/town-single.json"
INSTALL_AND_TEST = "pip install -e '.[test]' && pytest"
#: Languages of fenced blocks that are data or screen text, shown and never run.
SHOWN_ONLY = {"text", "toml", "json", "csv", "powershell", "sh"}


def _documents() -> list[str]:
    return [d for d in gen.GUIDES if (ROOT / d).exists()]


def _markdown_files() -> list[Path]:
    return sorted(
        [
            ROOT / "README.md",
            ROOT / "CHANGELOG.md",
            *(ROOT / "docs").rglob("*.md"),
            *(ROOT / "examples").rglob("*.md"),
        ]
    )


def _documented_commands() -> list[str]:
    commands = []
    for document in _documents():
        for block in gen.blocks((ROOT / document).read_text(encoding="utf-8")):
            if block.lang == "console":
                commands += [step.command for step in gen.steps(block)]
    return commands


# ── the generated references ────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("name", ["codes.md", "cli.md"])
def test_generated_reference_is_current(name: str) -> None:
    """docs/reference/{codes,cli}.md are exactly what docs/generate.py builds from the code."""
    path = gen.DOCS / "reference" / name
    expected = gen.generated()[path]
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    assert current == expected, (
        f"docs/reference/{name} is out of date: run `{gen.REGENERATE}` and commit the result"
    )


def test_fiscal_strength_examples_are_current() -> None:
    """examples/fiscal-strength/ is the shipped 2021 rule file plus the documented changes, exactly
    as docs/generate.py builds it (a change to rules/ai-rpa/2021.toml reaches the example)."""
    for path, expected in gen.fiscal_strength_examples().items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        assert current == expected, (
            f"{path.relative_to(ROOT)} is out of date: run `{gen.REGENERATE}`, then "
            f"`{gen.REGENERATE} --outputs`"
        )


def test_every_code_has_advice_in_both_languages() -> None:
    """Each code has a Japanese and an English 'what to do' (``advice.<CODE>``), in the
    reference."""
    from tokko.messages import has, t
    from tokko.model.codes import ALL_CODES

    reference = (gen.DOCS / "reference" / "codes.md").read_text(encoding="utf-8")
    for code in ALL_CODES:
        assert has(f"advice.{code}"), code
        ja, en = t(f"advice.{code}", "ja"), t(f"advice.{code}", "en")
        assert ja, code
        assert en, code
        assert ja != en, code
        assert ja in reference, code
        assert en in reference, code


def test_cli_reference_covers_every_command() -> None:
    """The CLI reference has a section for every command and sub-command of tokko."""
    text = (gen.DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    for path in gen.command_paths():
        assert f"\n## {' '.join(('tokko', *path))}\n" in text, path


def test_cli_reference_cuts_no_help_text_short() -> None:
    """No help line of the CLI reference was cut short by the terminal width ('…' at a box edge)."""
    text = (gen.DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    cut = [line for line in text.splitlines() if re.search(r"…\s*│$", line)]
    assert not cut, (
        "rich shortened these help lines at the reference's width; widen HELP_ENV in "
        "docs/generate.py (or shorten the help) and regenerate:\n" + "\n".join(cut)
    )


# ── the examples of the guides ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize("document", _documents())
def test_documented_examples_print_what_the_document_shows(document: str) -> None:
    """Each command of the document prints the output shown under it; each python block passes."""
    failures = gen.check_document(document)
    assert not failures, (
        "\n\n".join(str(f) for f in failures)
        + f"\n\nIf the new output is right, run `{gen.REGENERATE} --outputs` and review the diff."
    )


def test_every_guide_is_run() -> None:
    """Every Markdown guide under docs/ (but the generated references) is in the list that runs."""
    listed = {ROOT / d for d in gen.GUIDES}
    for path in (ROOT / "docs").rglob("*.md"):
        if path.parent.name != "reference":
            assert path in listed, f"{path.relative_to(ROOT)} is missing from GUIDES"


def test_guides_exist_in_japanese_and_english() -> None:
    """The officer, reviewer, developer and rule guides exist in docs/ja and docs/en."""
    for name in ("officer", "reviewer", "developer", "rules"):
        assert (ROOT / "docs" / "ja" / f"{name}.md").is_file(), name
        assert (ROOT / "docs" / "en" / f"{name}.md").is_file(), name


def test_code_blocks_are_run_or_shown_only() -> None:
    """Every fenced block is console or python (run), or data/screen text; no shell block runs tokko."""
    for path in _markdown_files():
        for block in gen.blocks(path.read_text(encoding="utf-8")):
            where = f"{path.relative_to(ROOT)}:{block.line}"
            assert block.lang in {"console", "python", *SHOWN_ONLY}, f"{where}: ```{block.lang}"
            if block.lang in {"sh", "powershell"}:
                commands = [line for line in block.text.splitlines() if "tokko " in line]
                assert commands in ([], [INSTALL_AND_RUN]), (
                    f"{where}: a tokko command belongs in a ```console block, with its output"
                )


def test_every_example_file_is_used_by_a_documented_command() -> None:
    """Each file under examples/ is named (itself or its folder) by a command the docs run."""
    words = {word for command in _documented_commands() for word in command.split()}
    words |= {w.split("=", 1)[1] for w in words if "=" in w}
    for path in sorted((ROOT / "examples").rglob("*")):
        if path.is_dir() or path.name == "README.md":
            continue
        relative = path.relative_to(ROOT)
        names = {relative.as_posix(), *(p.as_posix() for p in relative.parents)}
        names |= {n + "/" for n in names}
        assert names & words, f"no documented command uses {relative}"


def test_example_rules_folder_copies_the_shipped_rules() -> None:
    """examples/rules/next-year/ai-rpa/2021.toml is byte for byte rules/ai-rpa/2021.toml."""
    copy = ROOT / "examples" / "rules" / "next-year" / "ai-rpa" / "2021.toml"
    shipped = ROOT / "rules" / "ai-rpa" / "2021.toml"
    assert copy.read_bytes() == shipped.read_bytes(), (
        "the example rules folder is a copy of rules/: cp rules/ai-rpa/2021.toml "
        "examples/rules/next-year/ai-rpa/2021.toml, then refresh the docs' outputs"
    )


_LINK = re.compile(r"\]\((?!https?://|mailto:)([^)#\s]*)(?:#([^)\s]*))?\)")


def _anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file."""
    anchors = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


def test_relative_links_point_at_files_and_headings() -> None:
    """Every relative link names a file or folder that exists, and its #anchor a heading of it."""
    for path in _markdown_files():
        for target, anchor in _LINK.findall(path.read_text(encoding="utf-8")):
            where = f"{path.relative_to(ROOT)} links to {target}#{anchor}"
            linked = (path.parent / target) if target else path
            assert linked.exists(), where
            if anchor and linked.suffix == ".md":
                assert anchor in _anchors(linked), where


# ── the README ──────────────────────────────────────────────────────────────────────────────


def test_readme_gives_the_two_commands() -> None:
    """The README shows the install-and-run and the install-and-test commands, word for word."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert INSTALL_AND_RUN in readme
    assert INSTALL_AND_TEST in readme
    ci = ROOT / ".ci" / "run"
    if ci.exists():
        assert INSTALL_AND_TEST in ci.read_text(encoding="utf-8")


def test_changelog_names_the_fiscal_years_covered() -> None:
    """CHANGELOG.md has an entry for this version and says which fiscal years the rules cover."""
    from tokko import __version__

    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}]" in text
    for year in ("2021", "2025"):
        assert year in text


# ── the harness itself ──────────────────────────────────────────────────────────────────────


def test_wildcards_match_text_in_a_line_and_whole_lines() -> None:
    """'...' inside a line matches any text; a line of only '...' matches any number of lines."""
    assert gen.matches(["規則ファイル（...）"], ["規則ファイル（/tmp/x/rules）"])
    assert gen.matches(["a", "...", "z"], ["a", "z"])
    assert gen.matches(["a", "...", "z"], ["a", "b", "c", "z"])
    assert gen.matches(["a  "], ["a"])
    assert not gen.matches(["a", "z"], ["a", "b", "z"])
    assert not gen.matches(["a...c"], ["abd"])


def test_blocks_inside_list_items_are_found_without_their_indentation() -> None:
    """A fence indented in a list item is a block (run like any other), its indentation cut."""
    text = "1. Check it.\n\n   ```console\n   $ tokko codes 札幌\n   out\n   ```\n"
    (block,) = gen.blocks(text)
    assert (block.lang, block.text, block.line, block.end, block.indent) == (
        "console",
        "$ tokko codes 札幌\nout",
        3,
        6,
        "   ",
    )


def test_console_blocks_split_into_commands_and_outputs() -> None:
    """A console block is read as '$ ' commands, each with the lines under it (trailing blanks cut)."""
    text = "x\n```console\n$ tokko codes 札幌\nout 1\n\n$ echo $?\n0\n```\n"
    (block,) = gen.blocks(text)
    found = [(s.command, s.expected, s.line) for s in gen.steps(block)]
    assert found == [("tokko codes 札幌", ["out 1"], 3), ("echo $?", ["0"], 6)]
