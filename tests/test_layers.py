"""The layout draws the design: imports point only downward (issue 15).

Layers, from the bottom: the leaves (``tokko._version``, ``tokko.messages``, ``tokko.errors``),
then ``tokko.model``, ``tokko.rules``, ``tokko.engine``, ``tokko.io``, ``tokko.batch``, and the
front ends (``tokko.cli``, ``tokko.serve``); ``tokko`` itself (its ``__init__`` and
``__main__``) sits on top. A module may import from its own layer or any layer below it, never
above — in a function body too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "tokko"
LAYERS = [
    ("tokko._version", "tokko.messages", "tokko.errors", "tokko.data"),
    ("tokko.model",),
    ("tokko.rules",),
    ("tokko.engine",),
    ("tokko.io",),
    ("tokko.batch",),
    ("tokko.cli", "tokko.serve"),
]
TOP = len(LAYERS)


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    for level, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return level
    if module in ("tokko", "tokko.__main__"):
        return TOP
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS in {__file__}")


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of a tokko module in a file, nested ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("tokko")]
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.level == 0
            and (node.module == "tokko" or node.module.startswith("tokko."))
        ):
            if node.module == "tokko":  # `from tokko import x`: x is a module or a name of tokko
                found += [
                    (node.lineno, f"tokko.{a.name}")
                    if (SRC / a.name).exists() or (SRC / f"{a.name}.py").exists()
                    else (node.lineno, "tokko")
                    for a in node.names
                ]
            else:
                found.append((node.lineno, node.module))
    return found


FILES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_downward(path: Path) -> None:
    """No module imports from a layer above its own."""
    own = _layer(_module(path))
    upward = [f"line {line}: {module}" for line, module in _imports(path) if _layer(module) > own]
    assert not upward, f"{_module(path)} imports upward: {upward}"


def test_the_top_holds_a_handful_of_modules() -> None:
    """At most a handful of modules at the top of the package; the rest in subpackages."""
    top = sorted(p.name for p in SRC.glob("*.py"))
    assert len(top) <= 6, top


def test_the_public_api_is_small() -> None:
    """About a dozen names in tokko.__all__, each one importable from tokko."""
    import tokko

    assert 10 <= len(tokko.__all__) <= 20
    for name in tokko.__all__:
        assert getattr(tokko, name) is not None
