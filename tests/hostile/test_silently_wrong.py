"""Issue 12, items 1–6: never a wrong amount with exit 0 and no warning.

Each test builds the file that gave a wrong amount on the old main and checks the amount is now
right, flagged or refused.
"""

from __future__ import annotations

from pathlib import Path

from tests.hostile.support import HEADER, declaration_csv, tokko_run


def test_mixed_encodings_are_refused_naming_the_line(tmp_path: Path) -> None:
    """Item 1: a UTF-8 file with one CP932 line is refused (exit 3), never decoded as CP932."""
    good = HEADER + "011002,2021,1,AI-OCR,AI,住民記録,導入・構築,1200000,0\n"
    bad = "011002,2021,2,RPA,RPA,住民記録,導入・構築,500000,0\n".encode("cp932")
    path = tmp_path / "mixed.csv"
    path.write_bytes(good.encode("utf-8") + bad)
    ran = tokko_run("calc", path, cwd=tmp_path)
    ran.bounded()
    assert ran.code == 3
    assert "mixed.csv" in ran.stderr
    assert "3行目" in ran.stderr


def test_a_utf8_line_in_a_cp932_file_is_refused_naming_it(tmp_path: Path) -> None:
    """Item 1, the other way round: a Shift_JIS file with one line pasted in UTF-8. CP932 would
    decode it as mojibake (住民記録 → 菴乗ｰ題ｨ倬鹸, no longer a standardization target, computed
    at 0.3): refused, exit 3, naming line 3 and both encodings; a plain Shift_JIS file is read."""
    good = (HEADER + "011002,2021,1,AI-OCR,AI,会計事務,導入・構築,1200000,0\n").encode("cp932")
    bad = "011002,2021,2,RPA,RPA,住民記録,導入・構築,500000,0\n".encode()
    path = tmp_path / "sjis.csv"
    path.write_bytes(good + bad)
    ran = tokko_run("calc", path, "--format", "csv", cwd=tmp_path)
    ran.bounded()
    assert ran.code == 3
    assert "3行目が UTF-8" in ran.stderr
    assert "EXCLUDED" not in ran.stdout
    assert "150000" not in ran.stdout
    path.write_bytes(good + bad.decode().encode("cp932"))
    ran = tokko_run("calc", path, "--format", "csv", cwd=tmp_path)
    assert ran.code == 0, ran.stderr
    assert "EXCLUDED_STANDARDIZATION_TARGET" in ran.stdout


def test_a_mixed_json_file_names_its_line_not_a_csv_quote(tmp_path: Path) -> None:
    """Item 1 in JSON: a UTF-8 declaration with one CP932 line is refused naming that line, in
    words about encodings (not a CSV's quotes)."""
    first = '{"entity_code": "011002", "fiscal_year": 2021, "items": [\n'
    item = (
        '{{"item_id": "{n}", "description": "AI", "technology": "AI", '
        '"business_area": "住民記録", "expense_kind": "導入", "amount": 1000}}'
    )
    data = (first + item.format(n=1) + ",\n").encode() + (item.format(n=2) + "]}\n").encode("cp932")
    path = tmp_path / "mixed.json"
    path.write_bytes(data)
    ran = tokko_run("calc", path, cwd=tmp_path)
    ran.bounded()
    assert ran.code == 3
    assert "3行目に UTF-8 でない文字" in ran.stderr
    assert "引用符" not in ran.stderr


def test_cp932_after_two_megabytes_of_utf8_is_refused(tmp_path: Path) -> None:
    """Item 1: CP932 bytes after the first 2 MB of a UTF-8 file: refused, not mojibake."""
    rows = "".join(
        f"011002,2021,{n},AI-OCR,AI,会計事務,導入・構築,1200000,0\n" for n in range(1, 33_000)
    )
    path = tmp_path / "late.csv"
    path.write_bytes(
        (HEADER + rows).encode("utf-8")
        + "011002,2021,99999,RPA,RPA,住民記録,導入,1,0\n".encode("cp932")
    )
    assert path.stat().st_size > 2 * 1024 * 1024
    ran = tokko_run("batch", path, "--out", tmp_path / "r.csv", cwd=tmp_path)
    ran.bounded()
    assert ran.code == 3
    assert not (tmp_path / "r.csv").exists()


def test_invisible_characters_do_not_escape_the_exclusion_or_the_contract_check(
    tmp_path: Path,
) -> None:
    """Item 2: 住\\u200b民記録 is a standardization target; C\\u200b-001 is the same contract."""
    path = tmp_path / "zw.csv"
    path.write_text(
        "団体コード,年度,項目番号,事業名,区分,対象業務,経費区分,事業費,契約番号\n"
        "011002,2021,1,RPA,RPA,住\u200b民記録,導入,1000000,\n"
        "011002,2021,2,AI,AI,会計,導入,1000000,C-001\n"
        "011002,2021,3,AI,AI,会計,導入,1000000,C\u200b-001\n",
        encoding="utf-8",
    )
    ran = tokko_run("calc", path, "--format", "csv", cwd=tmp_path)
    ran.bounded()
    lines = ran.stdout.splitlines()
    assert "EXCLUDED_STANDARDIZATION_TARGET" in lines[1]
    assert "DUPLICATE_CONTRACT" in lines[2]
    assert "DUPLICATE_CONTRACT" in lines[3]


def test_an_unknown_column_is_reported_and_exits_1(tmp_path: Path) -> None:
    """Item 3: a 国庫補助金 column is UNKNOWN_COLUMN (did you mean 特定財源?), exit 1, never 0."""
    path = tmp_path / "subsidy.csv"
    path.write_text(
        "団体コード,年度,項目番号,事業名,区分,経費区分,事業費,国庫補助金,備考\n"
        "011002,2021,1,AI-OCR,AI,導入,1200000,600000,メモ\n",
        encoding="utf-8",
    )
    ran = tokko_run("calc", path, cwd=tmp_path)
    ran.bounded()
    assert ran.code == 1
    assert "UNKNOWN_COLUMN" in ran.output
    assert "国庫補助金" in ran.output
    assert "特定財源" in ran.output
    assert "備考" not in ran.stderr  # a column a person adds for themselves is fine
    ignored = tokko_run("calc", path, "--ignore-column", "国庫補助金", cwd=tmp_path)
    assert ignored.code == 0, ignored.output


def test_a_code_that_lost_its_leading_zero_is_restored_with_a_warning(tmp_path: Path) -> None:
    """Item 4: 13951 (ニセコ町 013951 after Excel) is read as 013951, with a warning."""
    path = tmp_path / "niseko.csv"
    path.write_text(
        "団体コード,年度,項目番号,事業名,区分,経費区分,事業費\n"
        "13951,2023,1,AI-OCR,AI,導入,1000000\n",
        encoding="utf-8",
    )
    ran = tokko_run("calc", path, "--format", "csv", cwd=tmp_path)
    ran.bounded()
    assert ran.code == 0, ran.output
    assert "CODE_LEADING_ZERO_RESTORED" in ran.stdout
    json_run = tokko_run("calc", path, "--format", "json", cwd=tmp_path)
    assert '"entity_code": "013951"' in json_run.stdout
    assert "ニセコ町" in json_run.stdout


def test_no_rule_cache_is_read_or_written(tmp_path: Path) -> None:
    """Item 5: results come from the rule bytes whose SHA-256 they report; no cache exists."""
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    ran = tokko_run(
        "check",
        "-t",
        "AI",
        "-k",
        "導入",
        "-a",
        "1000000",
        "-y",
        "R3",
        "--format",
        "json",
        cwd=tmp_path,
        env=env,
    )
    ran.bounded()
    assert ran.code == 0
    assert not (home / ".cache").exists()


def test_an_edited_rules_folder_reports_its_own_hash(tmp_path: Path) -> None:
    """Item 5: the SHA-256 a result reports is that of the bytes that computed it."""
    import hashlib

    from tokko.rules.ruleset import shipped_rules_dir

    folder = tmp_path / "rules" / "ai-rpa"
    folder.mkdir(parents=True)
    text = (shipped_rules_dir() / "ai-rpa" / "2021.toml").read_text(encoding="utf-8")
    text = text.replace('version = "2021.2"', 'version = "2021.2-edited"').replace(
        "[rates.standard]\nvalue = 0.3", "[rates.standard]\nvalue = 0.25"
    )
    (folder / "2021.toml").write_text(text, encoding="utf-8")
    ran = tokko_run(
        "--rules",
        tmp_path / "rules",
        "check",
        "-t",
        "AI",
        "-k",
        "導入",
        "-a",
        "1000000",
        "-y",
        "R3",
        "--format",
        "json",
        cwd=tmp_path,
    )
    ran.bounded()
    assert '"measure": "250000"' in ran.stdout
    assert hashlib.sha256((folder / "2021.toml").read_bytes()).hexdigest() in ran.stdout


def test_huge_amounts_are_error_rows_and_the_batch_goes_on(tmp_path: Path) -> None:
    """Item 6: 32+ digits, 10^28 and 10^15 yen are INVALID_AMOUNT rows; the others compute."""
    path = declaration_csv(
        tmp_path / "huge.csv",
        1,
        "011002,2021,2,x,AI,,導入," + "9" * 40 + ",0\n"
        "011002,2021,3,x,AI,,導入," + "1" + "0" * 28 + ",0\n"
        "011002,2021,4,x,AI,,導入,1000000000000000,0\n"
        "011002,2021,5,x,AI,,導入,999999999999999,0\n",
    )
    ran = tokko_run("batch", path, "--out", tmp_path / "r.csv", cwd=tmp_path)
    ran.bounded()
    assert ran.code == 1
    results = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[-6] for line in results[1:]] == [
        "eligible",
        "error",
        "error",
        "error",
        "eligible",
    ]
    assert results[-1].endswith(",999999999999999,0.3,299999999999999.7")
    errors = (tmp_path / "r-errors.csv").read_text(encoding="utf-8-sig")
    assert errors.count("INVALID_AMOUNT") == 3
