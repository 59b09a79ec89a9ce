"""Checks across rows that the Board of Audit keeps finding missed (SPEC §4, batch-level checks).

- :class:`ItemIds` — a repeated item id within one government and year: the later row is a
  ``DUPLICATE_ITEM_ID`` error and the first stands.
- :class:`ContractLedger` — the same contract declared twice (``DUPLICATE_CONTRACT``) and joint
  shares adding up to more than the contract (``JOINT_SHARES_EXCEED_CONTRACT``). Both are
  warnings: the amounts are still computed and the reviewer decides.

Both work on any number of rows in memory; :mod:`tokko.batch` feeds them only the rows that a
first pass found could be involved, so that memory stays flat on large batches.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, KeysView
from decimal import Decimal
from typing import NamedTuple

from tokko.codes import WarningCode

ItemKey = tuple[str, int, str]


class ItemIds:
    """Item ids claimed so far per (government, year); ``candidates`` limits what is remembered.

    With ``candidates`` (keys that a first pass saw more than once, possibly with false
    positives), keys outside it are known to be unique and are not stored. ``claimed`` are keys
    that rows before these claimed (a batch's earlier parts).
    """

    def __init__(self, candidates: Container[ItemKey] | None = None,
                 claimed: Iterable[ItemKey] = ()) -> None:
        self._seen: set[ItemKey] = set(claimed)
        self._candidates = candidates

    def claim(self, key: ItemKey) -> bool:
        """True the first time ``key`` is claimed; False for every later row with the same key."""
        if self._candidates is not None and key not in self._candidates:
            return True
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    @property
    def seen(self) -> set[ItemKey]:
        """The keys claimed so far (with ``candidates``: only those among them)."""
        return self._seen


class _Group:
    """What one contract id's rows add up to."""

    __slots__ = ("entities_by_year", "joint_shares", "joint_total", "rows_by_entity_year",
                 "single_years")

    def __init__(self) -> None:
        self.rows_by_entity_year: dict[tuple[str, int], int] = {}
        self.entities_by_year: dict[int, set[str]] = {}
        self.single_years: set[int] = set()
        self.joint_shares = Decimal(0)
        self.joint_total: Decimal | None = None


class ContractRow(NamedTuple):
    """The facts of one row that the contract checks look at."""

    contract_id: str
    entity_code: str
    fiscal_year: int
    procurement: str
    amount: Decimal
    contract_total: Decimal | None


class ContractLedger:
    """Every computed row that names a contract, grouped by contract id."""

    def __init__(self) -> None:
        self._groups: dict[str, _Group] = {}

    def __len__(self) -> int:
        return len(self._groups)

    def ids(self) -> KeysView[str]:
        """The contract ids in the ledger, as a live view (fast ``in``)."""
        return self._groups.keys()

    def discard(self, which: Callable[[str], bool]) -> None:
        """Forget the contracts ``which`` picks (to gather them again, completely)."""
        for contract_id in [c for c in self._groups if which(c)]:
            del self._groups[contract_id]

    def add(self, row: ContractRow) -> None:
        group = self._groups.get(row.contract_id)
        if group is None:
            group = self._groups[row.contract_id] = _Group()
        key = (row.entity_code, row.fiscal_year)
        group.rows_by_entity_year[key] = group.rows_by_entity_year.get(key, 0) + 1
        group.entities_by_year.setdefault(row.fiscal_year, set()).add(row.entity_code)
        if row.procurement == "joint":
            group.joint_shares += row.amount
            if row.contract_total is not None and (
                group.joint_total is None or row.contract_total < group.joint_total
            ):
                group.joint_total = row.contract_total
        else:
            group.single_years.add(row.fiscal_year)

    def update(self, other: ContractLedger) -> None:
        """Add every row of ``other`` (a ledger of other rows of the same batch)."""
        for contract_id, theirs in other._groups.items():
            group = self._groups.get(contract_id)
            if group is None:
                self._groups[contract_id] = theirs
                continue
            for key, count in theirs.rows_by_entity_year.items():
                group.rows_by_entity_year[key] = group.rows_by_entity_year.get(key, 0) + count
            for year, entities in theirs.entities_by_year.items():
                group.entities_by_year.setdefault(year, set()).update(entities)
            group.single_years |= theirs.single_years
            group.joint_shares += theirs.joint_shares
            if theirs.joint_total is not None and (
                group.joint_total is None or theirs.joint_total < group.joint_total
            ):
                group.joint_total = theirs.joint_total

    def warnings(
        self, row: ContractRow, *, duplicates: bool = True, joint_shares: bool = True
    ) -> tuple[WarningCode, ...]:
        """The warnings of one row, given every row added; a row never added is its own group.

        ``duplicates`` and ``joint_shares`` are the rule file's ``audit_checks`` switches.
        """
        group = self._groups.get(row.contract_id)
        found: list[WarningCode] = []
        if group is None:
            total, shares = row.contract_total, row.amount
            if joint_shares and row.procurement == "joint" and total is not None and shares > total:
                found.append(WarningCode.JOINT_SHARES_EXCEED_CONTRACT)
            return tuple(found)
        if duplicates:
            twice = group.rows_by_entity_year.get((row.entity_code, row.fiscal_year), 0) > 1
            several = len(group.entities_by_year.get(row.fiscal_year, ())) > 1
            if twice or (several and row.fiscal_year in group.single_years):
                found.append(WarningCode.DUPLICATE_CONTRACT)
        if (
            joint_shares
            and row.procurement == "joint"
            and group.joint_total is not None
            and group.joint_shares > group.joint_total
        ):
            found.append(WarningCode.JOINT_SHARES_EXCEED_CONTRACT)
        return tuple(found)
