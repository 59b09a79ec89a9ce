"""Mutation testing of the engine, money, fiscal-year and parsing modules: do the tests notice?

    python scripts/mutation.py                 # 150 mutants sampled with a fixed seed
    python scripts/mutation.py --sample 0      # every mutant
    python scripts/mutation.py --module src/tokko/model/money.py --sample 40

A mutant is the module with one small change a slip of the keyboard could make: a comparison
flipped (``<`` ↔ ``<=``, ``==`` ↔ ``!=``), an arithmetic operator swapped (``+`` ↔ ``-``, ``*`` ↔
``/``), ``and`` ↔ ``or``, a ``not`` dropped, a constant changed (``True`` ↔ ``False``, ``n`` →
``n + 1``; strings are left alone), a ``return x`` turned into ``return None``. Each mutant is
written over the module in a temporary copy of the repository (with ``../shared`` linked beside
it: the tests read the SPEC from there) and the module's tests are run (``pytest -x``); a failing
run *kills* it. The unmutated tests are run in the copy first: if they fail there, no score is
given (otherwise every mutant would count as killed). A mutant that changes nothing a caller can
see (``x <= 0`` where x is never 0…) is *equivalent*: the survivors are printed as
``module:line:column mutation`` so that each can be judged, and the score is killed / (mutants −
equivalent survivors named in :data:`EQUIVALENT`), overall and per module.
Nothing here is a test: it prints figures for a closing note (it takes minutes).
"""

from __future__ import annotations

import argparse
import ast
import json
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The modules under test and the tests that speak for each (run with -x, fast first).
MODULES: dict[str, list[str]] = {
    "src/tokko/engine/steps.py": ["tests/engine"],
    "src/tokko/engine/totals.py": ["tests/engine"],
    "src/tokko/engine/prepare.py": ["tests/engine"],
    "src/tokko/engine/audit.py": ["tests/engine"],
    "src/tokko/model/money.py": ["tests/model/test_money.py", "tests/engine"],
    "src/tokko/model/fiscal_year.py": ["tests/model/test_fiscal_year.py", "tests/engine"],
    "src/tokko/model/fields.py": ["tests/model", "tests/engine"],
    "src/tokko/model/fiscal_strength.py": ["tests/model/test_fiscal_strength.py"],
    "src/tokko/model/localgov.py": ["tests/model/test_localgov.py"],
    "src/tokko/model/text.py": ["tests/model", "tests/engine"],
}
#: Survivors judged equivalent (module, line, column, mutation): they change nothing observable.
#: An entry that names no mutant of the current source (the module was edited) is reported.
_AUDIT = "src/tokko/engine/audit.py"
_MONEY = "src/tokko/model/money.py"
_YEAR = "src/tokko/model/fiscal_year.py"
_FIELDS = "src/tokko/model/fields.py"
_INDEX = "src/tokko/model/fiscal_strength.py"
_LOCALGOV = "src/tokko/model/localgov.py"
_TEXT = "src/tokko/model/text.py"
EQUIVALENT: set[tuple[str, int, int, str]] = {
    # The smallest stated total is kept: replacing it by an equal total changes nothing.
    (_AUDIT, 99, 45, "Lt → LtE"),
    # A (government, year) the contract never saw counts 0 or 1 rows: neither is "twice" (> 1).
    (_AUDIT, 125, 86, "0 → 1"),
    # More precision or exponent range for EXACT / the rounding division: every sum and product
    # of amounts < 10**15 and rule rates is exact within 60 digits; none nears 10**±999999.
    (_MONEY, 38, 9, "60 → 61"),
    (_MONEY, 40, 10, "999999 → 1000000"),
    (_MONEY, 41, 9, "999999 → 1000000"),
    (_MONEY, 46, 31, "60 → 61"),
    # The size of a cache.
    (_MONEY, 80, 19, "8192 → 8193"),
    # _checked serves 千円 with decimals only: a non-zero decimal never makes exactly 10**15
    # yen (a whole number of 千円 is read by the integral path), so > and >= agree.
    (_MONEY, 169, 7, "GtE → Gt"),
    # A float of 0 is whole, refused before (is_integer): > 0 and >= 0 agree.
    (_MONEY, 155, 80, "Gt → GtE"),
    # The fast path for plain ASCII digits: a longer or shorter one goes through _parse_text,
    # which reads plain digits to the same amount (and the same too_large refusal).
    (_MONEY, 135, 51, "LtE → Lt"),
    (_MONEY, 135, 65, "16 → 17"),
    # The early refusal of huge Decimals: those of 10**18 reach the yen >= MAX_YEN check, which
    # refuses them with the same message and limit.
    (_MONEY, 146, 11, "GtE → Gt"),
    (_MONEY, 146, 31, "18 → 19"),
    # quantize takes only the exponent of its argument: Decimal(2)'s is Decimal(1)'s.
    (_MONEY, 176, 58, "1 → 2"),
    # The size of a cache.
    (_YEAR, 46, 19, "1024 → 1025"),
    (_YEAR, 93, 19, "1024 → 1025"),
    # ``_unit``: readers share the Parser signature; these do not use the unit at all.
    (_FIELDS, 200, 42, "1 → 2"),
    (_FIELDS, 208, 40, "1 → 2"),
    (_FIELDS, 228, 49, "1 → 2"),
    (_FIELDS, 241, 42, "1 → 2"),
    (_FIELDS, 245, 44, "1 → 2"),
    (_FIELDS, 250, 43, "1 → 2"),
    (_FIELDS, 254, 42, "1 → 2"),
    (_FIELDS, 258, 45, "1 → 2"),
    # The size of a cache.
    (_FIELDS, 302, 19, "64 → 65"),
    # get_close_matches sorts the best first and only close[0] is used.
    (_FIELDS, 336, 58, "1 → 2"),
    # read_fields skips settle/refuse_unknown for None and text (a shortcut): with ``or``, None
    # and text go through them, which give them back unchanged.
    (_FIELDS, 354, 15, "And → other"),
    # _width only sizes decimal contexts: a wider value or more digits of precision never
    # change an exact quotient or a quantize to the hundredth.
    (_INDEX, 53, 39, "1 → 2"),
    (_INDEX, 53, 59, "0 → 1"),
    (_INDEX, 120, 68, "8 → 9"),
    (_INDEX, 139, 35, "2 → 3"),
    (_INDEX, 139, 47, "16 → 17"),
    (_INDEX, 145, 81, "3 → 4"),
    (_INDEX, 184, 76, "3 → 4"),
    # zip strict: _figures has already required three figures on each side.
    (_INDEX, 140, 84, "True → False"),
    # zip strict: check_digit has already required exactly five digits.
    (_LOCALGOV, 97, 73, "True → False"),
    # _distance reads positions 0–4 only, so a 6-character slice reads as its first 5.
    (_LOCALGOV, 157, 61, "5 → 6"),
    (_LOCALGOV, 158, 57, "5 → 6"),
    (_LOCALGOV, 243, 40, "5 → 6"),
    # With the shipped code list: 東京都 has no designated city, so no Tokyo code is a ward
    # either way; x100 in a prefecture with designated cities is always the listed city itself.
    (_LOCALGOV, 177, 13, "2 → 3"),
    (_LOCALGOV, 177, 33, "LtE → Lt"),
    (_LOCALGOV, 177, 33, "100 → 101"),
    # With the shipped code list: a ward's number equals a designated city's only for the
    # (listed) city itself, so < / <= and a 4-character slice order the cities alike.
    (_LOCALGOV, 182, 73, "LtE → Lt"),
    (_LOCALGOV, 182, 82, "5 → 6"),
    (_LOCALGOV, 182, 95, "5 → 6"),
    # The size and typing of a cache (an int and a str key are never equal; bools are refused
    # before, whole floats made ints).
    (_LOCALGOV, 247, 19, "65536 → 65537"),
    (_LOCALGOV, 247, 32, "True → False"),
    # With the shipped code list: no code numbers x200 or 東京都 124 (test_kind_counts).
    (_LOCALGOV, 300, 55, "199 → 200"),
    (_LOCALGOV, 302, 55, "123 → 124"),
    # The shipped list's own sanity check: it holds (test_file_has_1788_rows_in_code_order…),
    # so the guard never fires; no caller can supply another list.
    (_LOCALGOV, 330, 11, "Or → other"),
    # zip strict: both sequences are built from the same table.
    (_LOCALGOV, 389, 70, "True → False"),
    # The size of a cache.
    (_TEXT, 54, 19, "65536 → 65537"),
}

_COMPARE = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_BINARY = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.FloorDiv,
}


@dataclass(frozen=True)
class Mutant:
    module: str
    line: int
    column: int  # several mutants may share a line and a mutation: the column tells them apart
    what: str
    index: int  # which candidate node of the module (in ast.walk order)

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (self.module, self.line, self.column, self.what)

    def __str__(self) -> str:
        return f"{self.module}:{self.line}:{self.column} {self.what}"


def _candidates(tree: ast.AST) -> Iterator[tuple[int, ast.AST, str]]:
    for index, node in enumerate(ast.walk(tree)):
        if isinstance(node, ast.Compare) and type(node.ops[0]) in _COMPARE:
            yield (
                index,
                node,
                f"{type(node.ops[0]).__name__} → {_COMPARE[type(node.ops[0])].__name__}",
            )
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            yield index, node, f"{type(node.op).__name__} → {_BINARY[type(node.op)].__name__}"
        elif isinstance(node, ast.BoolOp):
            yield index, node, f"{type(node.op).__name__} → other"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield index, node, "not dropped"
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            yield index, node, f"{node.value} → {not node.value}"
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            yield index, node, f"{node.value} → {node.value + 1}"
        elif (
            isinstance(node, ast.Return)
            and node.value is not None
            and not (isinstance(node.value, ast.Constant) and node.value.value is None)
        ):
            yield index, node, "return None"


def mutate(source: str, index: int) -> str:
    """The module's source with candidate ``index`` changed."""
    tree = ast.parse(source)
    node: ast.AST = tree
    for position, node in enumerate(ast.walk(tree)):
        if position != index:
            continue
        if isinstance(node, ast.Compare):
            node.ops[0] = _COMPARE[type(node.ops[0])]()
        elif isinstance(node, ast.BinOp):
            node.op = _BINARY[type(node.op)]()
        elif isinstance(node, ast.BoolOp):
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        elif isinstance(node, ast.UnaryOp):
            pass  # "not x" → "x": done below, through the parents
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            node.value = not node.value
        elif isinstance(node, ast.Constant):
            node.value = node.value + 1
        elif isinstance(node, ast.Return):
            node.value = ast.Constant(None)
        break
    if isinstance(node, ast.UnaryOp):  # "not x" → "x": rewrite through the parents
        for parent in ast.walk(tree):
            for field, value in ast.iter_fields(parent):
                if value is node:
                    setattr(parent, field, node.operand)
                elif isinstance(value, list):
                    setattr(parent, field, [node.operand if v is node else v for v in value])
    return ast.unparse(ast.fix_missing_locations(tree))


def mutants(modules: list[str]) -> list[Mutant]:
    found = []
    for module in modules:
        tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
        for index, node, what in _candidates(tree):
            if _in_docstring_or_annotation(tree, node):
                continue
            found.append(
                Mutant(
                    module, getattr(node, "lineno", 0), getattr(node, "col_offset", 0), what, index
                )
            )
    return found


def _in_docstring_or_annotation(tree: ast.AST, node: ast.AST) -> bool:
    for parent in ast.walk(tree):
        for annotation in (getattr(parent, "annotation", None), getattr(parent, "returns", None)):
            if annotation is not None and any(n is node for n in ast.walk(annotation)):
                return True
    return False


def _pytest(work: Path, tests: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={
            "PYTHONPATH": str(work / "src"),
            "PATH": "/usr/bin:/bin",
            "HYPOTHESIS_PROFILE": "mutation",
        },
    )


def _forget_bytecode(path: Path) -> None:
    """Remove the module's cached bytecode: a pyc records its source's mtime in whole seconds
    and its size, so a mutant of the same size written within the second would run stale."""
    for pyc in (path.parent / "__pycache__").glob(f"{path.stem}.*.pyc"):
        pyc.unlink(missing_ok=True)


def run(mutant: Mutant, work: Path, timeout: float) -> str:
    """ "killed", "survived" or "timeout" (counted as killed: the tests did not pass)."""
    path = work / mutant.module
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(mutate(original, mutant.index), encoding="utf-8")
        _forget_bytecode(path)
        done = _pytest(work, MODULES[mutant.module], timeout)
        return "survived" if done.returncode == 0 else "killed"
    except subprocess.TimeoutExpired:
        return "timeout"
    finally:
        path.write_text(original, encoding="utf-8")
        _forget_bytecode(path)


def copy_repository(folder: Path) -> Path:
    """The repository copied into ``folder`` under its own name, with ``../shared`` (the SPEC
    the tests read their oracles from) linked beside it as it is beside the real one."""
    work = folder / ROOT.name
    shutil.copytree(
        ROOT,
        work,
        ignore=shutil.ignore_patterns(
            ".git", "__pycache__", ".hypothesis", ".pytest_cache", ".mypy_cache", ".ruff_cache"
        ),
    )
    shared = ROOT.parent / "shared"
    if shared.is_dir():
        (folder / "shared").symlink_to(shared, target_is_directory=True)
    return work


def check_baseline(work: Path, chosen: list[Mutant], timeout: float) -> None:
    """The unmutated tests must pass in the copy, or every mutant would count as killed."""
    for tests in dict.fromkeys(tuple(MODULES[m.module]) for m in chosen):
        done = _pytest(work, list(tests), timeout)
        if done.returncode != 0:
            sys.exit(
                f"the unmutated tests fail in the copy ({' '.join(tests)}); no score:\n"
                + "\n".join((done.stdout + done.stderr).splitlines()[-30:])
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", help="only these modules")
    parser.add_argument("--sample", type=int, default=150, help="0: every mutant")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    chosen = mutants(args.module or list(MODULES))
    current = {m.key for m in chosen}
    for stale in sorted(
        k for k in EQUIVALENT if k[0] in {m.module for m in chosen} and k not in current
    ):
        print(f"stale EQUIVALENT entry (the module changed?): {stale}", file=sys.stderr)
    if args.sample:
        chosen = random.Random(args.seed).sample(chosen, min(args.sample, len(chosen)))
    with tempfile.TemporaryDirectory() as folder:
        work = copy_repository(Path(folder))
        check_baseline(work, chosen, args.timeout)
        outcomes = []
        for number, mutant in enumerate(chosen, start=1):
            outcome = run(mutant, work, args.timeout)
            outcomes.append((mutant, outcome))
            print(f"{number}/{len(chosen)} {outcome:8} {mutant}", flush=True)
    survivors = [m for m, o in outcomes if o == "survived"]
    equivalent = [m for m in survivors if m.key in EQUIVALENT]
    killed = len(outcomes) - len(survivors)
    score = killed / max(1, len(outcomes) - len(equivalent))
    for module in dict.fromkeys(m.module for m, _ in outcomes):
        mine = [o for m, o in outcomes if m.module == module]
        alive = [m for m in survivors if m.module == module]
        same = [m for m in equivalent if m.module == module]
        print(
            f"{module}: {len(mine) - len(alive)}/{len(mine)} killed, "
            f"{len(same)} equivalent, {len(alive) - len(same)} other survivors"
        )
    print(
        json.dumps(
            {
                "mutants": len(outcomes),
                "killed": killed,
                "survived": len(survivors),
                "equivalent": len(equivalent),
                "score": round(score, 3),
            }
        )
    )
    for m in survivors:
        mark = " (equivalent)" if m in equivalent else ""
        print(f"survivor: {m}{mark}")


if __name__ == "__main__":
    main()
