"""Issue 12, items 7 and 8: files are never destroyed (SPEC §5).

An output that is an input — by any path, symbolic link or hard link — or two outputs on one
path are usage errors (exit 2) before anything is read; temporary files have unique names and
go away on SIGTERM as on Ctrl-C; a missing or read-only folder is named as such; an existing
output keeps its permissions.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.hostile.support import declaration_csv, tokko_run


@pytest.mark.parametrize("how", ["same", "relative", "symlink", "hardlink"])
def test_an_output_that_is_the_input_is_a_usage_error(tmp_path: Path, how: str) -> None:
    """--out naming the input (any path or link): exit 2, the input left byte for byte."""
    source = declaration_csv(tmp_path / "in.csv")
    before = source.read_bytes()
    target: Path | str = source
    if how == "relative":
        (tmp_path / "sub").mkdir()
        target = "sub/../in.csv"
    elif how == "symlink":
        target = tmp_path / "link.csv"
        target.symlink_to(source)
    elif how == "hardlink":
        target = tmp_path / "hard.csv"
        os.link(source, target)
    ran = tokko_run("batch", source, "--out", target, cwd=tmp_path)
    ran.bounded()
    assert ran.code == 2
    assert "in.csv" in ran.stderr
    assert source.read_bytes() == before


@pytest.mark.parametrize("option", ["--summary", "--errors"])
def test_a_summary_or_errors_file_that_is_the_input_is_a_usage_error(
    tmp_path: Path, option: str
) -> None:
    source = declaration_csv(tmp_path / "in.csv")
    before = source.read_bytes()
    ran = tokko_run("batch", source, "--out", tmp_path / "r.csv", option, source, cwd=tmp_path)
    assert ran.code == 2
    assert source.read_bytes() == before
    assert not (tmp_path / "r.csv").exists()


def test_the_agreements_file_is_never_overwritten(tmp_path: Path) -> None:
    source = declaration_csv(tmp_path / "in.csv")
    agreements = tmp_path / "k.csv"
    agreements.write_text(
        "協定番号,締結日,構成団体\nK-1,2021-04-01,011002;012025\n", encoding="utf-8"
    )
    before = agreements.read_bytes()
    ran = tokko_run(
        "calc",
        source,
        "--agreements",
        agreements,
        "--format",
        "csv",
        "--out",
        agreements,
        cwd=tmp_path,
    )
    assert ran.code == 2
    assert agreements.read_bytes() == before


def test_two_outputs_on_one_path_is_a_usage_error(tmp_path: Path) -> None:
    source = declaration_csv(tmp_path / "in.csv")
    ran = tokko_run(
        "batch", source, "--out", tmp_path / "r.csv", "--summary", tmp_path / "r.csv", cwd=tmp_path
    )
    ran.bounded()
    assert ran.code == 2
    assert list(tmp_path.iterdir()) == [source]


def test_a_missing_output_folder_is_named_as_such(tmp_path: Path) -> None:
    source = declaration_csv(tmp_path / "in.csv")
    ran = tokko_run("batch", source, "--out", tmp_path / "no" / "r.csv", cwd=tmp_path)
    ran.bounded()
    assert ran.code == 3
    assert "フォルダ" in ran.stderr
    assert str(tmp_path / "no") in ran.stderr
    assert ".partial" not in ran.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_named_as_such(tmp_path: Path) -> None:
    source = declaration_csv(tmp_path / "in.csv")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        ran = tokko_run("batch", source, "--out", folder / "r.csv", cwd=tmp_path)
    finally:
        folder.chmod(0o700)
    assert ran.code == 3
    assert "ro" in ran.stderr


def test_an_existing_output_keeps_its_permissions(tmp_path: Path) -> None:
    source = declaration_csv(tmp_path / "in.csv")
    out = tmp_path / "r.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    ran = tokko_run("calc", source, "--format", "csv", "--out", out, cwd=tmp_path)
    assert ran.code == 0, ran.output
    assert out.stat().st_mode & 0o777 == 0o640
    assert "AI-OCR" in out.read_text(encoding="utf-8-sig")


def test_sigterm_leaves_the_previous_output_and_no_temporary_file(tmp_path: Path) -> None:
    """A batch killed by SIGTERM (``timeout``, ``kill``) cleans up as Ctrl-C does."""
    rows = "".join(
        f"011002,2021,{n},AI-OCR,AI,会計事務,導入・構築,1200000,0\n" for n in range(1, 300_001)
    )
    source = tmp_path / "big.csv"
    source.write_text(
        "団体コード,年度,項目番号,事業名,区分,対象業務,経費区分,事業費,特定財源\n" + rows,
        encoding="utf-8",
    )
    out = tmp_path / "r.csv"
    out.write_text("previous", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "tokko", "batch", str(source), "--out", str(out)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(
        p.name.endswith(".partial") for p in tmp_path.iterdir()
    ):
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=20)
    assert process.returncode != 0
    assert b"Traceback" not in err
    assert out.read_text(encoding="utf-8") == "previous"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_temporary_files_have_unique_names(tmp_path: Path) -> None:
    """Two runs writing beside each other at once never share a temporary file."""
    from tokko.io.writers import atomic

    target = tmp_path / "r.csv"
    with atomic(target) as first, atomic(target) as second:
        assert first != second
        assert first.parent == second.parent == tmp_path
        first.write_text("1", encoding="utf-8")
        second.write_text("2", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "1"
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]
