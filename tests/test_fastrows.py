"""The batch fast path (tokko.fastrows) gives exactly what the general path gives.

Each test runs :func:`tokko.batch.run_batch` on CSV files and compares every results row, the
summary and the errors with a reference built by :func:`tokko.calculate_rows` over the same rows
(read with :func:`tokko.io.read_declaration_file`), and with the same batch run forced through
the general path (``FastRows.compute`` always declining).
"""

from __future__ import annotations

import csv
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokko
import tokko.batch
import tokko.batchrows
import tokko.fastrows
from tokko.batch import run_batch
from tokko.fastrows import FastRows
from tokko.io import agreement_errors, read_agreements, read_declaration_file

RULES = tokko.load_rules()
EN = ("entity_code", "fiscal_year", "item_id", "description", "technology", "business_area",
      "expense_kind", "amount", "specific_revenue", "procurement", "agreement_id", "contract_id",
      "contract_total")
HEADER = (*EN, "memo")
JA = {"entity_code": "団体コード", "fiscal_year": "年度", "item_id": "項目番号",
      "description": "事業名", "technology": "区分", "business_area": "対象業務",
      "expense_kind": "経費区分", "amount": "事業費", "specific_revenue": "特定財源",
      "procurement": "調達方法", "agreement_id": "協定番号", "contract_id": "契約番号",
      "contract_total": "契約総額", "memo": "備考"}
#: A decimal string as tokko writes amounts: no exponent, no trailing fractional zeros.
PLAIN = re.compile(r"0|[1-9][0-9]*(\.[0-9]*[1-9])?|0\.[0-9]*[1-9]")
AGREEMENTS = [
    ["K-1", "北海道AI共同調達協定", "2021-06-01", "010006;011002;012025"],
    ["K-2", "一団体だけ", "2021-06-01", "011002"],
    ["K-3", "年度後に締結", "2022-04-01", "011002;012025"],
    ["K-4", "東京の協定", "令和3年6月1日", "131016、131024"],
    ["K-5", "日付が読めない", "そのうち", "011002;012025"],
]


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str] | None],
              encoding: str = "utf-8", blank_first: int = 0) -> Path:
    """A CSV file; None rows (and ``blank_first`` leading rows) are blank lines."""
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(header)
        for _ in range(blank_first):
            writer.writerow([])
        for row in rows:
            writer.writerow([] if row is None else row)
    return path


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


@dataclass
class Run:
    results: list[list[str]]
    summary: list[list[str]]
    errors: list[list[str]]
    general_rows: int  # rows the general path (compute_row) computed


@contextmanager
def counting_general_path() -> Iterator[list[int]]:
    calls = [0]
    real = tokko.batchrows.compute_row

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return real(*args, **kwargs)

    with mock.patch.object(tokko.batchrows, "compute_row", counted):
        yield calls


def batch(folder: Path, inputs: Sequence[Path], agreements: Path | None, unit: int,
          *, general_only: bool = False, jobs: int = 1) -> Run:
    name = f"{'general' if general_only else 'fast'}-{jobs}"
    out, summary, errors = (folder / f"{name}-{kind}.csv" for kind in ("r", "s", "e"))
    with counting_general_path() as calls:
        if general_only:
            with mock.patch.object(FastRows, "compute", return_value=None):
                run_batch(inputs, out=out, summary=summary, errors=errors, agreements=agreements,
                          rules=RULES, unit=unit, jobs=jobs)
        else:
            run_batch(inputs, out=out, summary=summary, errors=errors, agreements=agreements,
                      rules=RULES, unit=unit, jobs=jobs)
    return Run(read_csv(out)[1:], read_csv(summary)[1:], read_csv(errors)[1:], calls[0])


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _same_amount(cell: str, value: Decimal | None) -> bool:
    if value is None:
        return cell == ""
    return bool(PLAIN.fullmatch(cell)) and Decimal(cell) == value


def assert_matches_reference(run: Run, inputs: Sequence[Path], agreements: Path | None,
                             unit: int) -> None:
    """Every row, every summary line and every error as tokko.calculate_rows has them."""
    rows = []
    for path in inputs:
        rows += read_declaration_file(path, unit=unit)[0]
    book, problems = read_agreements(agreements) if agreements else ([], [])
    reference = tokko.calculate_rows(rows, RULES, book, unit=unit,
                                     errors=agreement_errors(problems), explain=False)
    by_row = {}
    for declaration in reference.declarations:
        for item in declaration.items:
            assert item.row not in by_row  # the files' row numbers never overlap
            by_row[item.row] = item
    assert len(run.results) == len(rows) == len(by_row)
    for got, row in zip(run.results, rows, strict=True):
        item = by_row[row.number]
        status, reasons, warnings, net, rate, measure = got[-6:]
        where = f"row {row.number}: {dict(row.data)} → {got[-6:]}"
        assert status == item.status, where
        assert reasons == ";".join(item.reasons), where
        assert warnings == ";".join(item.warnings), where
        assert _same_amount(net, item.net), where
        assert _same_amount(rate, item.rate), where
        assert _same_amount(measure, item.measure), where

    lines = Counter()
    for line in run.summary:
        code, name, year, *numbers = line
        lines[(code, name, year if year.isdigit() else None,
               *(int(n) for n in numbers[:4]), *(Decimal(n) for n in numbers[4:]))] += 1
    expected = Counter()
    for d in reference.declarations:
        t, c = d.totals, d.counts
        expected[(d.entity_code or "", d.entity_name or "",
                  None if d.fiscal_year is None else str(d.fiscal_year),
                  c.items, c.eligible, c.excluded, c.error, t.amount, t.specific_revenue, t.net,
                  t.excluded, t.measure_exact, t.measure)] += 1
    assert lines == expected

    got_errors = sorted(tuple(e) for e in run.errors)
    want_errors = sorted((e.file or "", str(e.row), e.column or "", e.code, e.message)
                         for e in reference.errors)
    assert got_errors == want_errors


def assert_fast_equals_general(folder: Path, inputs: Sequence[Path], agreements: Path | None,
                               unit: int = 1) -> Run:
    fast = batch(folder, inputs, agreements, unit)
    general = batch(folder, inputs, agreements, unit, general_only=True)
    assert fast.results == general.results
    assert fast.summary == general.summary
    assert fast.errors == general.errors
    # Cut in three parts, read by three processes (tokko.parallel): the same output.
    parts = batch(folder, inputs, agreements, unit, jobs=3)
    assert (parts.results, parts.summary, parts.errors) == (fast.results, fast.summary,
                                                            fast.errors)
    # every row went the general way (a row whose guess was wrong, twice or more)
    assert general.general_rows >= len(general.results)
    assert_matches_reference(fast, inputs, agreements, unit)
    return fast


# ── Written-out files: common rows and every kind of unusual row ─────────────────────────────


def common_rows(count: int) -> list[list[str]]:
    """Rows as most offices send them: valid, plain, a few governments and kinds."""
    rows = []
    for n in range(1, count + 1):
        entity = ("011002", "012025", "013030")[n % 3]
        kind = ("導入", "利用料", "研修", "導入・構築")[n % 4]
        technology = ("AI", "RPA")[n % 2]
        rows.append([entity, "2021", f"c{n}", f"定型業務{n}", technology, "", kind,
                     str(1000 * n + 7), "100" if n % 5 == 0 else "", "", "", "", "", ""])
    return rows


def unusual(item: str, **fields: str) -> list[str]:
    """A row that differs from a valid one in the fields given."""
    base = {"entity_code": "011002", "fiscal_year": "2021", "item_id": item,
            "description": "AI-OCR", "technology": "AI", "business_area": "",
            "expense_kind": "導入", "amount": "1000", "specific_revenue": "", "procurement": "",
            "agreement_id": "", "contract_id": "", "contract_total": "", "memo": ""}
    base.update(fields)
    return [base[c] for c in HEADER]


UNUSUAL_ROWS: list[list[str] | None] = [
    # amounts
    unusual("a1", amount="１２３４５６７"),
    unusual("a2", amount="1,234,567"),
    unusual("a3", amount="1234567円"),
    unusual("a4", amount="¥1,000"),
    unusual("a5", amount=" 1000 "),
    unusual("a6", amount="12.5"),
    unusual("a7", amount="-100"),
    unusual("a8", amount="abc"),
    unusual("a9", amount=""),
    unusual("a10", amount="1,23,4"),
    unusual("a11", amount="0"),
    unusual("a12", amount="1665"),
    unusual("a13", specific_revenue="２００"),
    unusual("a14", specific_revenue="x"),
    unusual("a15", specific_revenue="5000"),
    unusual("a16", specific_revenue="0"),
    # technologies, kinds, business areas
    unusual("t1", technology="IoT"),
    unusual("t2", technology=""),
    unusual("t3", technology="ＡＩ"),
    unusual("t4", technology="ai"),
    unusual("t5", technology="AI+RPA"),
    unusual("t6", technology="AI-OCR"),
    unusual("t7", technology=" RPA "),
    unusual("t8", technology="IoT", specific_revenue="3000"),
    unusual("k1", expense_kind="謎経費"),
    unusual("k2", expense_kind=""),
    unusual("k3", expense_kind="機器購入"),
    unusual("k4", expense_kind="personnel"),
    unusual("k5", expense_kind="ｺﾝｻﾙ"),
    unusual("b1", business_area="住民記録システム"),
    unusual("b2", business_area="国保資格管理"),
    unusual("b3", business_area="子育て支援"),
    unusual("b4", business_area="戸籍の附票"),
    unusual("b5", business_area="住民記録", expense_kind="機器購入"),
    # procurement and agreements
    unusual("p1", procurement="共同", agreement_id="K-1"),
    unusual("p2", procurement="joint"),
    unusual("p3", procurement="共同調達", agreement_id="K-9"),
    unusual("p4", procurement="JOINT", agreement_id="K-2"),
    unusual("p5", procurement="共同", agreement_id="K-3"),
    unusual("p6", procurement="共同", agreement_id="K-4"),
    unusual("p7", procurement="single", agreement_id="K-1"),
    unusual("p8", procurement="その他"),
    unusual("p9", procurement="共同", agreement_id="K-5"),
    unusual("p10", procurement="共同", agreement_id="K-1", technology="IoT"),
    unusual("p11", procurement="単独"),
    # governments and years
    unusual("g1", entity_code="０１１００２"),
    unusual("g2", entity_code="01100"),
    unusual("g3", entity_code="011003"),
    unusual("g4", entity_code=""),
    unusual("g5", entity_code="999997"),
    unusual("g6", entity_code=" 012025 "),
    unusual("y1", fiscal_year="R3"),
    unusual("y2", fiscal_year="令和3年度"),
    unusual("y3", fiscal_year="２０２１"),
    unusual("y4", fiscal_year="2026"),
    unusual("y5", fiscal_year="2020"),
    unusual("y6", fiscal_year="H31"),
    unusual("y7", fiscal_year="R"),
    unusual("y8", fiscal_year=""),
    # ids: missing, repeated (also across spellings of the same government and id)
    unusual(""),
    unusual("r1"),
    unusual("r1", amount="2000"),
    unusual("7"),
    unusual("７", entity_code="01100"),
    unusual(" 7 ", amount="bad"),
    unusual("c3"),  # repeats a common row's id (011002 is n % 3 == 0 … c3)
    # contracts
    unusual("s1", contract_id="S-1"),
    unusual("s2", contract_id="S-1", procurement="単独"),
    unusual("s3", contract_id="S-2", entity_code="012025"),
    unusual("s4", contract_id="S-2", entity_code="013030"),
    unusual("s5", contract_id="S-3"),
    unusual("j1", contract_id="J-1", procurement="共同", agreement_id="K-1", amount="3000",
            contract_total="4000"),
    unusual("j2", contract_id="J-1", procurement="共同", agreement_id="K-1", amount="2000",
            contract_total="4000", entity_code="012025"),
    unusual("j3", contract_id="J-2", procurement="共同", agreement_id="K-1", amount="1000",
            contract_total="5000"),
    unusual("j4", contract_id="J-2", procurement="共同", agreement_id="K-1", amount="1000",
            contract_total="5000", entity_code="012025"),
    unusual("j5", contract_id="J-3", procurement="共同", agreement_id="K-1", amount="9000",
            contract_total="5,000"),
    unusual("j6", contract_id="J-4", procurement="共同", amount="1000", contract_total="bad"),
    unusual("j7", contract_id="J-5", procurement="共同", agreement_id="K-1", amount="1000",
            contract_total="500", technology="IoT"),
    unusual("j8", contract_id="S-3", procurement="共同", agreement_id="K-1",
            entity_code="012025"),
    unusual("d1", contract_id="D-1"),
    unusual("d1", contract_id="D-1"),  # pasted twice: DUPLICATE_ITEM_ID, and D-1 counted twice
    # descriptions and formula cells
    unusual("f1", description=""),
    unusual("f2", description="=HYPERLINK(\"http://x\")"),
    unusual("f3", description="一行目\n二行目"),
    unusual("f4", description="A,B,C", memo="=1+1"),
    unusual("f5", memo="-x"),
    unusual("f6", memo="@y"),
    unusual("f7", memo="\tz"),
    unusual("f8", memo='引用"符"'),
    None,
    # short and long rows
    unusual("w1")[:8],
    unusual("w2")[:3],
    [*unusual("w3"), "", ""],
    [*unusual("w4"), "値"],
    unusual("w5")[:13],
]


def write_agreements(folder: Path) -> Path:
    return write_csv(folder / "agreements.csv", ["協定番号", "協定名", "締結日", "構成団体"],
                     AGREEMENTS)


def test_fast_path_handles_the_common_rows(tmp_path: Path) -> None:
    """The common rows never reach the general path; only unusual rows do."""
    source = write_csv(tmp_path / "d.csv", HEADER, common_rows(60))
    run = assert_fast_equals_general(tmp_path, [source], write_agreements(tmp_path))
    assert run.general_rows == 0
    assert [r[-6] for r in run.results] == ["eligible"] * 60


def test_full_caches_change_nothing_and_grow_no_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With room for one entry per cache, every other shape is worked out row by row: the same
    output, and the caches stay at one entry (a file spelling its cells differently on every
    row must not fill memory)."""
    rows: list[list[str] | None] = [*common_rows(30), *UNUSUAL_ROWS]
    source = write_csv(tmp_path / "d.csv", HEADER, rows)
    agreements = write_agreements(tmp_path)
    roomy = batch(tmp_path, [source], agreements, 1)
    made: list[FastRows] = []
    real_init = FastRows.__init__

    def recording(self: FastRows, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(tokko.fastrows, "_CACHE_LIMIT", 1)
    monkeypatch.setattr(FastRows, "__init__", recording)
    folder = tmp_path / "tight"
    folder.mkdir()
    tight = batch(folder, [source], agreements, 1)
    assert (tight.results, tight.summary, tight.errors) == (roomy.results, roomy.summary,
                                                            roomy.errors)
    assert made
    for fast in made:
        for cache in (fast._places, fast._exclusions, fast._rates, fast._descriptions):
            assert len(cache) <= 1


@pytest.mark.parametrize("unit", [1, 1000])
def test_unusual_rows_match_the_general_path(tmp_path: Path, unit: int) -> None:
    """Common rows mixed with every kind of unusual row: identical to calculate_rows."""
    rows: list[list[str] | None] = []
    common = common_rows(40)
    for index, row in enumerate(UNUSUAL_ROWS):
        rows.append(row)
        if index < len(common):
            rows.append(common[index])
    source = write_csv(tmp_path / "mixed.csv", HEADER, rows)
    run = assert_fast_equals_general(tmp_path, [source], write_agreements(tmp_path), unit)
    assert run.general_rows <= len(UNUSUAL_ROWS)
    statuses = Counter(r[-6] for r in run.results)
    assert set(statuses) == {"eligible", "excluded", "error"}
    warnings = {w for r in run.results for w in r[-4].split(";") if w}
    assert warnings == {
        "REVENUE_EXCEEDS_AMOUNT", "JOINT_WITHOUT_AGREEMENT", "AGREEMENT_UNKNOWN",
        "AGREEMENT_TOO_FEW_PARTIES", "AGREEMENT_NOT_CONCLUDED", "AGREEMENT_NOT_PARTY",
        "RULES_UNCONFIRMED_FOR_YEAR", "DUPLICATE_CONTRACT", "JOINT_SHARES_EXCEED_CONTRACT",
    }


def test_two_files_in_two_dialects_match_the_general_path(tmp_path: Path) -> None:
    """A UTF-8 English file and a CP932 Japanese file in another column order: same results."""
    first = write_csv(tmp_path / "a.csv", HEADER, [*common_rows(20), *UNUSUAL_ROWS[:45]],
                      "utf-8-sig")
    order = [6, 0, 1, 2, 3, 4, 13, 5, 7, 8, 9, 10, 11, 12]
    second_rows = [None if r is None else [r[i] for i in order if i < len(r)]
                   for r in UNUSUAL_ROWS[45:] if r is None or len(r) == len(HEADER)]
    second_rows = [[c.replace("¥", "￥") for c in r] if r else r for r in second_rows]
    # Leading blank lines keep the two files' row numbers apart (for matching the reference).
    second = write_csv(tmp_path / "b.csv", [JA[HEADER[i]] for i in order],
                       [*second_rows, *common_rows(10)], "cp932", blank_first=200)
    assert_fast_equals_general(tmp_path, [first, second], write_agreements(tmp_path))


@pytest.mark.parametrize("layout", ["template", "columns-missing"])
def test_other_layouts_match_the_general_path(
    tmp_path: Path, layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 13 columns in the template's order (rows taken as they are) or some columns missing
    (read as empty cells): identical to calculate_rows. Kept lines are written out every few
    rows, in between the general path's."""
    keep = (list(EN) if layout == "template"
            else [c for c in HEADER if c not in ("business_area", "contract_total", "memo")])
    positions = [HEADER.index(c) for c in keep]
    rows: list[list[str] | None] = []
    for row, common in zip(UNUSUAL_ROWS, common_rows(len(UNUSUAL_ROWS)), strict=True):
        rows.append(None if row is None else [row[i] for i in positions if i < len(row)])
        rows.append([common[i] for i in positions])
    source = write_csv(tmp_path / f"{layout}.csv", keep, rows)
    monkeypatch.setattr(tokko.batchrows, "PROGRESS_EVERY", 7)
    run = assert_fast_equals_general(tmp_path, [source], write_agreements(tmp_path))
    assert run.general_rows < len(UNUSUAL_ROWS)


# ── Random rows from small alphabets, so that the caches meet the same cells again ───────────

CELLS: dict[str, list[str]] = {
    "entity_code": ["011002", "011002", "012025", "01202", "０１１００２", "013030", "011003", "",
                    "999997", " 011002 "],
    "fiscal_year": ["2021", "2021", "R3", "令和3年度", "２０２１", "2026", "2020", "R", ""],
    "item_id": ["1", "2", "3", "4", "5", "２", " 1", "", "A-1"],
    "description": ["AI-OCR", "RPA導入", "", "=SUM(A1)", "改行\nあり", "A,B"],
    "technology": ["AI", "RPA", "AI", "AI+RPA", "ai", "ＡＩ", "AI-OCR", "IoT", ""],
    "business_area": ["", "", "財務会計", "住民記録", "国保資格", "子育て支援"],
    "expense_kind": ["導入", "導入", "introduction", "利用料", "研修", "機器購入", "人件費", "謎", ""],
    "amount": ["1000", "1000", "1,234,567", "１２３４５６７", "1234567円", "0", "12.5", "-5", "abc",
               "", "1665", "３００，０００", "￥2,000"],
    "specific_revenue": ["", "", "0", "500", "2000000", "x"],
    "procurement": ["", "", "単独", "共同", "joint", "JOINT", "共同調達", "other"],
    "agreement_id": ["", "K-1", "K-1", "K-2", "K-3", "K-4", "K-5", "K-9"],
    "contract_id": ["", "", "", "C-1", "C-2", "J-1"],
    "contract_total": ["", "", "5000", "1,000,000", "bad"],
    "memo": ["", "", "=1+1", "-x", "備考"],
}


@st.composite
def random_row(draw: st.DrawFn) -> list[str] | None:
    if draw(st.integers(0, 30)) == 0:
        return None  # a blank line
    row = [draw(st.sampled_from(CELLS[c])) for c in HEADER]
    shape = draw(st.sampled_from(["same"] * 8 + ["short", "long-empty", "long-value"]))
    if shape == "short":
        return row[:draw(st.integers(1, len(row) - 1))]
    if shape == "long-empty":
        return [*row, ""]
    if shape == "long-value":
        return [*row, "余分"]
    return row


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(random_row(), min_size=1, max_size=30),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932"]),
       unit=st.sampled_from([1, 1, 1000]))
def test_random_rows_match_the_general_path(
    rows: list[list[str] | None], encoding: str, unit: int
) -> None:
    """Any mix of valid and invalid cells: fast path = general path = calculate_rows."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = write_csv(folder / "random.csv", HEADER, rows, encoding)
        assert_fast_equals_general(folder, [source], write_agreements(folder), unit)


@pytest.mark.parametrize(("standard", "joint"), [
    ("0.05", "0.125"),  # several decimals: the measure computed in ints, fractions padded
    ("0.7", "1"),  # a whole rate
    ("0.3333333", "0.5"),  # seven decimals: the measure computed in Decimal
])
def test_other_rates_match_the_general_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, standard: str, joint: str
) -> None:
    """Rule files with other rates: fast path = general path = calculate_rows, measure and
    summary alike (the fast path computes most measures in ints, not in Decimal)."""
    shipped = Path(tokko.__file__).resolve().parents[2] / "rules" / "ai-rpa" / "2021.toml"
    text = shipped.read_text(encoding="utf-8")
    for name, value in (("standard", standard), ("joint", joint)):
        old = f"[rates.{name}]\nvalue = {'0.3' if name == 'standard' else '0.5'}\n"
        assert old in text
        text = text.replace(old, f"[rates.{name}]\nvalue = {value}\n")
    folder = tmp_path / "rules" / "ai-rpa"
    folder.mkdir(parents=True)
    (folder / "2021.toml").write_text(text, encoding="utf-8")
    rules = tokko.load_rules(tmp_path / "rules")
    assert rules.for_year(2021).rate_standard == Decimal(standard)
    monkeypatch.setattr(tokko.batch, "load_rules", lambda: rules)
    monkeypatch.setattr(sys.modules[__name__], "RULES", rules)
    rows: list[list[str] | None] = list(common_rows(40))
    for n, amount in enumerate(["1", "3", "7", "10", "999999", "123456789012345678901"]):
        rows.append(unusual(f"a{n}", amount=amount))
        rows.append(unusual(f"j{n}", amount=amount, procurement="共同", agreement_id="K-1"))
    source = write_csv(tmp_path / "d.csv", HEADER, rows)
    run = assert_fast_equals_general(tmp_path, [source], write_agreements(tmp_path))
    assert run.general_rows < len(rows) // 2
    assert {r[-2] for r in run.results} == {standard, joint}
