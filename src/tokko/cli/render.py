"""Drawing on the terminal: the one module that imports rich.

Commands build plain content — rows of cells, label/value pairs, trees of nodes — in their own
words and hand it here. A cell is text, or ``(text, style)`` with a style of :data:`STYLES`, or
a list of those pieces. User data is never read as rich markup, so a ``[`` in a business area
stays a ``[``. Output that is not a terminal (a file, a pipe, a test) is plain text, wide enough
for Japanese tables.

Imported only by the command modules, and rich only when something is drawn with it: not by
``tokko --help``, and not for the few short plain lines that ``tokko batch`` writes into a log
(:func:`line`). The tree and the progress bar import their part of rich when used.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Literal, NamedTuple

from tokko.model.text import printable

if TYPE_CHECKING:
    from rich.console import Console  # noqa: TID251 — render.py is the one module using rich
    from rich.text import Text  # noqa: TID251

Styled = tuple[str, str]
Cell = str | Styled | list[Styled]
Justify = Literal["left", "right", "center"]

#: The few styles commands may name; what they look like is decided here only.
STYLES: dict[str, str] = {
    "": "",
    "ok": "green",
    "bad": "bold red",
    "warn": "yellow",
    "dim": "dim",
    "title": "bold",
    "code": "cyan",
    "key": "magenta",
    "amount": "bold",
}
_PLAIN_WIDTH = 160  # when the output is not a terminal and COLUMNS is not set
#: Variables with which rich draws styles, or at another width, off a terminal.
_RICH_ENVIRONMENT = (
    "COLUMNS",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "JUPYTER_COLUMNS",
)


class Col(NamedTuple):
    """A table column: its header, alignment, and whether its cells may wrap."""

    header: str
    justify: Justify = "left"
    no_wrap: bool = False


class Node:
    """A node of a tree: its label and its children."""

    __slots__ = ("children", "label")

    def __init__(self, label: Cell) -> None:
        self.label = label
        self.children: list[Node] = []

    def add(self, label: Cell) -> Node:
        child = Node(label)
        self.children.append(child)
        return child


def console(*, stderr: bool = False, file: IO[str] | None = None) -> Console:
    """A console on stdout (or stderr, or a file); plain and wide when not a terminal."""
    from rich.console import Console  # noqa: TID251

    out = Console(stderr=stderr, file=file, highlight=False, emoji=False, markup=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = _PLAIN_WIDTH
    return out


def width(file: IO[str] | None = None) -> int:
    """How many columns a table drawn on stdout (or ``file``) may use."""
    return console(file=file).width


def cell_width(cell: Cell) -> int:
    """How many columns a cell's longest line takes (a Japanese character takes two)."""
    from rich.cells import cell_len  # noqa: TID251

    raw = (
        printable(cell)
        if isinstance(cell, str)
        else printable(cell[0])
        if isinstance(cell, tuple)
        else "".join(piece if piece == BREAK else printable(piece) for piece, _ in cell)
    )
    return max((cell_len(line) for line in raw.split(BREAK)), default=0)


#: A piece of a cell that is only this is a line break of the layout (text from a file never
#: breaks a line: its line ends are shown as spaces).
BREAK = "\n"


def text(cell: Cell) -> Text:
    """A cell as rich Text, never parsed as markup."""
    from rich.text import Text  # noqa: TID251

    if isinstance(cell, str):
        return Text(printable(cell))
    if isinstance(cell, tuple):
        return Text(printable(cell[0]), style=STYLES.get(cell[1], cell[1]))
    return Text.assemble(
        *(
            (piece if piece == BREAK else printable(piece), STYLES.get(style, style))
            for piece, style in cell
        )
    )


def line(
    cell: Cell, *, stderr: bool = False, file: IO[str] | None = None, soft_wrap: bool = False
) -> None:
    """Print one line (or paragraph); ``soft_wrap`` leaves the wrapping to the terminal (a
    path or a message is never broken in the middle by tokko).

    A line of plain characters going to a file or a pipe is written as it stands, which is
    what rich would write (no style shows off a terminal) but never wrapped: a log line stays
    one line for grep, and the end of a ``tokko batch`` run into a log costs no import of rich.
    """
    out = file if file is not None else sys.stderr if stderr else sys.stdout
    plain = _plain(cell)
    if plain is not None and out is not None and not _styled(out):
        out.write(plain + "\n")
        return
    console(stderr=stderr, file=file).print(text(cell), soft_wrap=soft_wrap)


def _plain(cell: Cell) -> str | None:
    """The text of a cell made of printable characters (no tab, no line end); else None."""
    raw = (
        cell
        if isinstance(cell, str)
        else cell[0]
        if isinstance(cell, tuple)
        else "".join(piece for piece, _ in cell)
    )
    return raw if raw.isprintable() else None


def _styled(out: IO[str]) -> bool:
    """Whether rich would draw on ``out`` as on a terminal, or at another width."""
    if any(os.environ.get(name) for name in _RICH_ENVIRONMENT):
        return True
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return True


def table(
    columns: Sequence[Col],
    rows: Sequence[Sequence[Cell]],
    *,
    title: Cell | None = None,
    caption: Cell | None = None,
    file: IO[str] | None = None,
    stderr: bool = False,
    apart: bool = False,
) -> None:
    """Print a table with a header row; ``apart`` puts a blank line between rows (for rows of
    several lines each)."""
    from rich import box  # noqa: TID251
    from rich.table import Table  # noqa: TID251

    grid = Table(
        title=text(title) if title is not None else None,
        caption=text(caption) if caption is not None else None,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
        show_lines=apart,
    )
    for col in columns:
        # Japanese has no spaces to wrap at: fold long text onto the next line, never cut it.
        grid.add_column(
            col.header,
            justify=col.justify,
            no_wrap=col.no_wrap,
            overflow="ellipsis" if col.no_wrap else "fold",
        )
    for row in rows:
        grid.add_row(*(text(c) for c in row))
    console(stderr=stderr, file=file).print(grid)


def fields(
    pairs: Sequence[tuple[str, Cell]],
    *,
    title: Cell | None = None,
    file: IO[str] | None = None,
    stderr: bool = False,
) -> None:
    """Print label/value pairs, labels in a column of their own."""
    from rich.table import Table  # noqa: TID251
    from rich.text import Text  # noqa: TID251

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in pairs:
        grid.add_row(Text(label), text(value))
    out = console(stderr=stderr, file=file)
    if title is not None:
        out.print(text(title))
    out.print(grid)


def tree(root: Node, *, file: IO[str] | None = None) -> None:
    """Print a tree (the explanation of a declaration)."""
    from rich.tree import Tree  # noqa: TID251 — only explain draws trees

    def build(node: Node, into: Tree) -> None:
        for child in node.children:
            build(child, into.add(text(child.label)))

    drawn = Tree(text(root.label), guide_style="dim")
    build(root, drawn)
    console(file=file).print(drawn)


def errors(lines: Sequence[Cell], *, heading: str) -> None:
    """Print errors on stderr, one line each: a red heading, then the message, never wrapped
    by tokko (a path stays whole)."""
    for cell in lines:
        pieces = (
            [cell]
            if isinstance(cell, tuple)
            else [(cell, "")]
            if isinstance(cell, str)
            else list(cell)
        )
        line([(f"{heading}: ", "bad"), *pieces], stderr=True, soft_wrap=True)


Report = Callable[[str, int, int | None], None]


@contextmanager
def progress(phases: Mapping[str, str], unit: str) -> Iterator[Report | None]:
    """A progress bar on stderr — rows, rate, time left — only when stderr is a terminal.

    Yields the ``progress(phase, done, total)`` callback :func:`tokko.batch.run_batch` calls,
    or None (quiet) when stderr is a file or a pipe.
    """
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console  # noqa: TID251
    from rich.progress import (  # noqa: TID251 — only batch draws progress
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text  # noqa: TID251

    class RateColumn(ProgressColumn):
        """Rows per second."""

        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} {unit}" if speed else "", style="progress.data.speed")

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    )
    tasks: dict[str, TaskID] = {}

    def report(phase: str, done: int, total: int | None) -> None:
        task = tasks.get(phase)
        if task is None:
            task = tasks[phase] = bar.add_task(phases.get(phase, phase), total=total)
        bar.update(task, completed=done, total=total)

    with bar:
        yield report
