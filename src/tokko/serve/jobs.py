"""One request's files: uploads kept in a temporary folder that is removed when the request ends.

The library reads files by path, so an upload is copied into a folder made for the request
(:class:`Job`), under a name the server makes (``input-1.csv``, ``agreements.xlsx``): the name the
user's browser sent is only ever *shown* (cleaned of folders and control characters), never
joined to a folder. What the library then says about a file — a message, the ``file`` column of
the errors — names it by the stored path, which :meth:`Job.shown` and :func:`rename_outputs`
turn back into the name the user knows, so that no answer shows a path of the server.

The folder and everything in it is removed in ``finally`` when the request ends, downloads
included (they are read into memory first): nothing of a request stays on disk.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, NamedTuple

from tokko.io.writers import neutralize
from tokko.model.problem import Problem
from tokko.serve.problems import failure

#: The file kinds each upload accepts, by the suffix of its name (``.xls`` and ``.txt`` pass so
#: that the library says what is wrong with them in its own words).
DECLARATION_KINDS = (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".json")
TABLE_KINDS = (".csv", ".txt", ".xlsx", ".xlsm", ".xls")
_NAME_LIMIT = 120
_CHUNK = 1024 * 1024


class Saved(NamedTuple):
    """An upload: where it is stored, and the name it was uploaded with (shown only)."""

    path: Path
    name: str


def shown_name(raw: str | None, fallback: str) -> str:
    """The name an upload is shown by: its last part only (``../../x.csv`` → ``x.csv``), no
    control or format characters, at most 120 characters; ``fallback`` when nothing is left."""
    text = re.split(r"[\\/]", raw or "")[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()
    if len(text) > _NAME_LIMIT:
        stem, dot, suffix = text.rpartition(".")
        text = (
            (stem[: _NAME_LIMIT - len(suffix) - 2] + "…" + dot + suffix)
            if dot and len(suffix) <= 8
            else text[:_NAME_LIMIT]
        )
    return text if text.strip(". ") else fallback


def _suffix(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return f".{suffix.lower()}" if dot and stem else ""


class Job:
    """The temporary folder of one request and the names of what was uploaded into it."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.names: dict[str, str] = {}
        self._count = 0

    def save(
        self, stream: BinaryIO, raw_name: str | None, role: str, kinds: Sequence[str]
    ) -> Saved:
        """Copy an upload into the folder as ``<role>-<n><suffix>``; a kind not in ``kinds`` is
        refused (415) before anything is read."""
        self._count += 1
        name = shown_name(raw_name, f"{role}-{self._count}")
        suffix = _suffix(name)
        if suffix not in kinds:
            raise failure(
                "unsupported-media-type", "serve.detail.file_kind", name=name, kinds=" ".join(kinds)
            )
        path = self.folder / f"{role}-{self._count}{suffix}"
        copied = 0
        with path.open("wb") as out:
            while chunk := stream.read(_CHUNK):
                copied += len(chunk)
                if copied > self.max_bytes:
                    raise failure(
                        "too-large", "serve.detail.too_large", limit=self.max_bytes // (1024 * 1024)
                    )
                out.write(chunk)
        self.names[str(path)] = name
        return Saved(path, name)

    def shown(self, text: str) -> str:
        """``text`` with every stored path replaced by the uploaded name (and any other path of
        the folder by its last part)."""
        for stored, name in self.names.items():
            text = text.replace(stored, name)
        return text.replace(str(self.folder) + "/", "").replace(str(self.folder), "")

    def renamed(self, problems: Sequence[Problem]) -> list[Problem]:
        """Problems whose file is a stored path, naming the upload instead."""
        return [p._replace(file=self.names.get(p.file, p.file)) if p.file else p for p in problems]

    def output(self, name: str) -> Path:
        """A path in the folder for an output the request writes."""
        return self.folder / name


@contextmanager
def job(max_bytes: int) -> Iterator[Job]:
    """A Job whose folder is removed when the block ends, whatever happens in it."""
    folder = Path(tempfile.mkdtemp(prefix="tokko-serve-"))
    try:
        yield Job(folder, max_bytes)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ── naming uploads in the library's outputs ────────────────────────────────────────────────


def _csv_field(text: str) -> str:
    text = neutralize(text)
    if any(ch in text for ch in '",\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def read_csv(path: Path, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    """The rows of a CSV output as mappings from its header."""
    with path.open(encoding=encoding, newline="") as stream:
        return list(csv.DictReader(stream))


def zipped(files: Sequence[tuple[str, Path]]) -> bytes:
    """Files as one zip (``name in the zip``, path), in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in files:
            archive.write(path, name)
    return buffer.getvalue()
