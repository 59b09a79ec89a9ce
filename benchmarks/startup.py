"""Start-up benchmark: ``tokko check …`` end to end against importing typer, rich and pydantic.

    python benchmarks/startup.py            # 40 runs of each, alternating
    python benchmarks/startup.py --runs 100 --module

Each run is a fresh subprocess of the same Python environment; the two commands alternate so
that a slow moment of the machine hits both alike. The baseline is what any Typer + rich +
pydantic command line pays before doing anything:

    python -c "import typer, rich, pydantic"

The measured command is the installed ``tokko`` console script (the one beside this Python,
not a pyenv shim), or ``python -m tokko`` with ``--module``:

    tokko check --technology AI --expense-kind introduction --amount 1000000 --fiscal-year R3

Prints both medians and their ratio; the goal is a ratio of at most 1.7. It also times, in the
same alternation, the floor of any Typer command: a Typer app with the same four options that
only echoes them (Typer 0.29 coerces every option value through a pydantic ``TypeAdapter``, so
parsing options imports pydantic's model machinery, which the baseline does not).

Before timing, tokko's modules are compiled to bytecode (as a wheel install does), so that an
environment with ``PYTHONDONTWRITEBYTECODE`` does not time the compiler. There is no rule cache:
every run reads and validates the rule files whose SHA-256 it reports (issue 12).

With ``--breakdown`` it also times, inside fresh processes, where ``tokko check`` spends its
time after the baseline imports. A measurement, not a test: nothing here fails.
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

GOAL = 1.7
BASELINE = [sys.executable, "-c", "import typer, rich, pydantic"]
CHECK_ARGS = [
    "check",
    "--technology",
    "AI",
    "--expense-kind",
    "introduction",
    "--amount",
    "1000000",
    "--fiscal-year",
    "R3",
]
#: The floor of a Typer command: the same options, parsed and echoed, nothing else.
TYPER_FLOOR = [
    sys.executable,
    "-c",
    """
import typer
app = typer.Typer()
@app.command()
def check(technology: str = typer.Option(...), expense_kind: str = typer.Option(...),
          amount: str = typer.Option(...), fiscal_year: str = typer.Option(...)) -> None:
    print(technology, expense_kind, amount, fiscal_year)
@app.command()
def other() -> None:
    pass
app()
""",
    *CHECK_ARGS,
]


def tokko_command(use_module: bool) -> tuple[list[str], str]:
    """The command that runs tokko, and how it was found."""
    script = Path(sys.executable).parent / "tokko"
    if not use_module and script.is_file():
        return [str(script), *CHECK_ARGS], f"console script {script}"
    if not use_module and (found := shutil.which("tokko")) and "shims" not in found:
        return [found, *CHECK_ARGS], f"console script {found}"
    return [sys.executable, "-m", "tokko", *CHECK_ARGS], f"{sys.executable} -m tokko"


#: Run in a fresh process: milliseconds spent in each phase of ``tokko check``, as JSON.
_PHASES = """
import contextlib, io, json, sys, time
marks = [("start", time.perf_counter())]
def mark(name):
    marks.append((name, time.perf_counter()))
import typer, rich, pydantic
mark("baseline imports (typer, rich, pydantic)")
import tokko
mark("import tokko (the library package)")
import tokko.cli
mark("import tokko.cli (the app, settings)")
import tokko.cli.check
mark("import the check module (rich console and table, i18n)")
from typer.main import get_command
command = get_command(tokko.cli.app)
mark("Typer builds the click command tree")
rules = tokko.load_rules()
mark("load_rules (read, hashed and validated)")
from pydantic import TypeAdapter
mark("pydantic's model machinery (Typer coerces options with it)")
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    command.main(sys.argv[1:], prog_name="tokko")
mark("parse options (Typer adapters), check, render")
print(json.dumps([(b[0], (b[1] - a[1]) * 1000) for a, b in zip(marks, marks[1:])]))
"""


def breakdown(runs: int) -> None:
    """Median milliseconds of each phase of ``tokko check`` over ``runs`` fresh processes."""
    import json

    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _PHASES, *CHECK_ARGS], capture_output=True, text=True, check=True
        )
        for name, ms in json.loads(done.stdout.strip().splitlines()[-1]):
            samples.setdefault(name, []).append(ms)
    print(f"phases   median of {runs} fresh processes, after Python's own start-up")
    for name, values in samples.items():
        print(f"  {statistics.median(values):7.1f} ms  {name}")


def once(command: list[str]) -> float:
    """Seconds one run takes, from start to exit; a failing run stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(
            f"{' '.join(command)} exited {done.returncode}:\n{done.stderr.decode(errors='replace')}"
        )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="runs of each command (default 40)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs of each first")
    parser.add_argument("--module", action="store_true", help="run python -m tokko")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also time each phase of tokko check in fresh processes",
    )
    args = parser.parse_args()

    import tokko

    compileall.compile_dir(Path(tokko.__file__).parent, quiet=1)
    command, how = tokko_command(args.module)
    for _ in range(args.warmup):
        once(BASELINE)
        once(TYPER_FLOOR)
        once(command)
    baseline: list[float] = []
    floor: list[float] = []
    measured: list[float] = []
    for _ in range(args.runs):
        baseline.append(once(BASELINE))
        floor.append(once(TYPER_FLOOR))
        measured.append(once(command))

    base, typer_floor = statistics.median(baseline), statistics.median(floor)
    tokko_time = statistics.median(measured)
    ratio = tokko_time / base
    print(f"python   {sys.version.split()[0]} ({sys.executable})")
    print(f"tokko    {how}")
    print(f"runs     {args.runs} of each, alternating, after {args.warmup} warm-up runs")
    print(f"baseline median {base * 1000:7.1f} ms   import typer, rich, pydantic")
    print(
        f"floor    median {typer_floor * 1000:7.1f} ms   a Typer app with the same four options"
        f"  ({typer_floor / base:.2f}x the baseline)"
    )
    print(f"tokko    median {tokko_time * 1000:7.1f} ms   tokko {' '.join(CHECK_ARGS)}")
    print(
        f"ratio    {ratio:.2f}x   (goal <= {GOAL}x: {'met' if ratio <= GOAL else 'NOT met'});"
        f" tokko's own share {(tokko_time - typer_floor) / base:.2f}x"
    )
    if args.breakdown:
        breakdown(max(5, args.runs // 2))


if __name__ == "__main__":
    main()
