"""The single pass of a batch cut into parts (tokko.onepass, tokko.batchparts), piece by piece.

``tests/test_parallel.py`` checks whole batches against one process; here each piece is checked
alone: the logs (what goes in comes out, across spills), the merging of the parts' logs into
dirty rows, the block index, the reading of dirty rows, and that a batch with no repeat is read
once.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tokko
import tokko.batchparts
from tokko import onepass
from tokko.audit import ContractLedger, ContractRow
from tokko.batch import run_batch
from tokko.io.parts import Part
from tokko.io.table import open_table
from tokko.onepass import BlockIndex, Guessed, PairLog, collect, settle

RULES = tokko.load_rules()
HEADER = ["entity_code", "fiscal_year", "item_id", "description", "technology",
          "business_area", "expense_kind", "amount", "specific_revenue", "procurement",
          "agreement_id", "contract_id", "contract_total"]


def logged(folder: Path, name: str, pairs: list[tuple[int, int]], spill_every: int) -> PairLog:
    """A log of (hash, row) pairs written as the single pass writes them, spilled now and then."""
    log = PairLog(folder, name)
    for n, (h, row) in enumerate(pairs, 1):
        bucket = log.buckets[h & 127]
        bucket.append(h)
        bucket.append(row)
        if n % spill_every == 0:
            log.spill(1)
    log.close()
    return log


HASH = st.integers(min_value=-(2**63), max_value=2**63 - 1)


@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(st.tuples(HASH, st.integers(0, 10**6)), max_size=300),
       spill_every=st.integers(1, 100))
def test_a_pair_log_gives_back_every_pair_in_its_bucket_in_order(
    tmp_path_factory: pytest.TempPathFactory, pairs: list[tuple[int, int]], spill_every: int
) -> None:
    log = logged(tmp_path_factory.mktemp("log"), "items", pairs, spill_every)
    for b in range(128):
        mine = [p for p in pairs if p[0] & 127 == b]
        got = log.pairs(b)
        assert list(zip(got[0::2], got[1::2], strict=True)) == mine
        assert list(log.bucket(b)) == [h for h, _ in mine]
    log.release()
    assert log._reading is None


def test_a_log_being_read_is_not_sent_to_another_process(tmp_path: Path) -> None:
    log = logged(tmp_path, "items", [(5, 0), (5, 1)], 1)
    assert list(log.bucket(5)) == [5, 5]
    with pytest.raises(AssertionError, match="sent before it is read"):
        log.__getstate__()
    log.release()
    assert log.__getstate__()["path"] == log.path


def part(folder: Path, name: str, items: list[tuple[int, int]],
         contracts: list[tuple[int, int]], ledger: ContractLedger | None = None) -> Guessed:
    return Guessed(logged(folder, f"items-{name}", items, 2),
                   logged(folder, f"contracts-{name}", contracts, 2),
                   ledger if ledger is not None else ContractLedger())


def test_settle_marks_dirty_exactly_the_rows_a_repeat_concerns(tmp_path: Path) -> None:
    """An item key met in two parts, another met twice in one part, a contract met in two
    parts and a joint contract: their rows are dirty, in their own part; no other row is."""
    joint = ContractLedger()
    joint.add(ContractRow("J-1", "011002", 2021, "joint", Decimal(100), Decimal(300)))
    first = part(tmp_path, "0", items=[(11, 0), (12, 1), (13, 2), (14, 3)],
                 contracts=[(101, 0), (hash("J-1"), 3)], ledger=joint)
    second = part(tmp_path, "1", items=[(21, 0), (11, 1), (22, 2), (22, 3), (23, 4)],
                  contracts=[(101, 2), (102, 4)])
    settled = settle([first, second])
    assert settled.candidates == {11, 22}
    assert settled.wanted == {101, hash("J-1")}
    assert settled.dirty == [{0, 3}, {1, 2, 3}]
    assert settled.ledger.ids() == {"J-1"}


def test_settle_of_a_batch_with_no_repeat_marks_no_row(tmp_path: Path) -> None:
    parts = [part(tmp_path, str(n), items=[(10 * n + r, r) for r in range(5)],
                  contracts=[(1000 + 10 * n + r, r) for r in range(5)]) for n in range(3)]
    settled = settle(parts)
    assert settled.candidates == settled.wanted == set()
    assert settled.dirty == [set(), set(), set()]


def test_the_block_index_reads_back_every_mark(tmp_path: Path) -> None:
    index = BlockIndex(tmp_path / "blocks.bin")
    marks = [(0, 0, 0), (640, 12, 1), (1300, 12, 3), (2000, 40, 3)]
    for mark in marks:
        index.mark(*mark)
    index.close()
    results, errors, deferred = BlockIndex.read(tmp_path / "blocks.bin")
    assert list(zip(results, errors, deferred, strict=True)) == marks


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def row(item: str, contract: str = "", procurement: str = "", amount: str = "1000") -> list[str]:
    return ["011002", "2021", item, "AI-OCR", "AI", "", "導入", amount, "", procurement,
            "K-1" if procurement else "", contract, ""]


def test_collect_reads_the_dirty_rows_and_the_keys_and_facts_they_hold(tmp_path: Path) -> None:
    source = write(tmp_path / "d.csv", [
        row("1", "C-1"), row("2"), row("1", "C-2"), row("3", "C-1"), row("4", "J-1", "共同"),
    ])
    table = open_table(source)
    repeated_key = hash(("011002", 2021, "1"))
    settled = onepass.Settled({repeated_key}, {hash("C-1"), hash("J-1")}, ContractLedger(),
                              [{0, 2, 3, 4}])
    kept: list[tuple[Any, ...]] = []
    found = collect([table], [Part(0)], {0, 2, 3, 4}, settled, RULES, 1,
                    lambda *r: kept.append(r))
    assert [(k[0], k[1], k[3], k[4][2]) for k in kept] == [
        (0, 0, 2, "1"), (0, 2, 4, "1"), (0, 3, 5, "3"), (0, 4, 6, "4")]
    assert found.claimed == [("011002", 2021, "1"), ("011002", 2021, "1")]
    # C-1's rows, not the joint row (its facts are in the ledger from the single pass)
    assert [(f.contract_id, f.amount) for f in found.facts] == [
        ("C-1", Decimal(1000)), ("C-1", Decimal(1000))]


def many(count: int, *, repeat: bool) -> list[list[str]]:
    rows = [row(str(n), f"C-{n}", amount=str(1000 + n)) for n in range(count)]
    if repeat:
        rows[-1] = row("7", "C-9")  # item 7 and contract C-9 again, in the last part
    return rows


@pytest.mark.parametrize("repeat", [False, True])
def test_only_a_batch_with_a_repeat_reads_rows_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repeat: bool
) -> None:
    """With no repeat the single pass is the only reading; with one, only the groups that
    hold a dirty row read theirs again (counted on the run with three groups), and the output
    is the same with one group or three."""
    source = write(tmp_path / "d.csv", many(3000, repeat=repeat))
    groups: list[int] = []
    real = tokko.batchparts.collect

    def counted(tables: Any, parts: Any, dirty: set[int], *args: Any) -> Any:
        groups.append(len(dirty))
        return real(tables, parts, dirty, *args)

    monkeypatch.setattr(tokko.batchparts, "collect", counted)
    # The groups' tasks run here, one after the other, so that the calls can be counted.
    monkeypatch.setattr(tokko.batchparts, "map_parts",
                        lambda task, parts, tick: [task(i, tick) for i in range(parts)])
    out = {}
    for jobs in (1, 3):
        groups.clear()
        folder = tmp_path / f"jobs{jobs}"
        folder.mkdir()
        run_batch([source], out=folder / "r.csv", summary=folder / "s.csv",
                  errors=folder / "e.csv", rules=RULES, jobs=jobs)
        out[jobs] = [(folder / n).read_bytes() for n in ("r.csv", "s.csv", "e.csv")]
    assert out[3] == out[1]
    if not repeat:
        assert groups == []
        assert b"DUPLICATE" not in out[3][0]
    else:  # the first group holds the first item 7 and C-9, the last group their repeat
        assert groups == [2, 1]
        assert b"DUPLICATE_ITEM_ID" in out[3][2]
        assert b"DUPLICATE_CONTRACT" in out[3][0]
