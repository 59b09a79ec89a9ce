"""Which text encoding a CSV file is in: UTF-8, UTF-8 with BOM, or CP932 (Shift_JIS).

The whole file is checked, in chunks, so a file that is ASCII for its first megabyte and CP932
after it is not mistaken for UTF-8. A file neither decodes as is refused before any output.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from tokko.errors import InputFileError

_CANDIDATES = ("utf-8", "cp932")
_CHUNK = 1 << 20


def _decodes(path: Path, encoding: str, whole: bool) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as stream:
        try:
            while chunk := stream.read(_CHUNK):
                decoder.decode(chunk)
                if not whole:
                    return True  # a character cut at the chunk's end is not an error
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def detect_encoding(path: Path, name: str | None = None, *, whole: bool = True) -> str:
    """``"utf-8-sig"`` (BOM), ``"utf-8"`` or ``"cp932"``; anything else → InputFileError.

    With ``whole=False`` only the first megabyte is checked: for a caller that reads the whole
    file anyway, and checks again with ``whole=True`` if reading raises UnicodeDecodeError.
    """
    with path.open("rb") as stream:
        head = stream.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputFileError(
            name or str(path),
            "UTF-16 のファイルは読めません。UTF-8 または Shift_JIS（CP932）の CSV で保存してください",
            "UTF-16 files are not supported; save the CSV as UTF-8 or Shift_JIS (CP932)",
        )
    for encoding in _CANDIDATES:
        if _decodes(path, encoding, whole):
            return encoding
    raise InputFileError(
        name or str(path),
        "文字コードを判定できません（UTF-8、UTF-8 BOM付き、Shift_JIS（CP932）のいずれでもありません）",
        "unknown text encoding: the file is neither UTF-8 (with or without BOM) nor CP932",
    )
