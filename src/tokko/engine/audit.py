"""Checks across rows that the Board of Audit keeps finding missed (SPEC §4, batch-level checks).

- :class:`ItemIds` — a repeated item id within one government and year: the later row is a
  ``DUPLICATE_ITEM_ID`` error and the first stands.
- :class:`ContractLedger` — the same contract declared twice (``DUPLICATE_CONTRACT``) and joint
  shares adding up to more than the contract (``JOINT_SHARES_EXCEED_CONTRACT``). Both are
  warnings: the amounts are still computed and the reviewer decides.

Both hold what they are given in memory; :mod:`tokko.batch` gives them only the rows that its
first pass found could be involved, so that memory stays flat on large batches.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from tokko.model.codes import WarningCode
from tokko.model.money import EXACT

ItemKey = tuple[str, int, str]


class ItemIds:
    """Item ids claimed so far per (government, year).

    ``may_repeat``, when given, tells which keys could repeat at all (a first pass found them,
    possibly with false positives); the others are known to be unique and are not stored.
    """

    def __init__(self, may_repeat: Callable[[ItemKey], bool] | None = None) -> None:
        self._seen: set[ItemKey] = set()
        self._may_repeat = may_repeat

    def claim(self, key: ItemKey) -> bool:
        """True the first time ``key`` is claimed; False for every later row with the same key."""
        if self._may_repeat is not None and not self._may_repeat(key):
            return True
        if key in self._seen:
            return False
        self._seen.add(key)
        return True


class ContractRow(NamedTuple):
    """The facts of one valid row that names a contract, as the contract checks see them
    (``contract_id`` as compared: :func:`~tokko.model.text.loose`)."""

    contract_id: str
    entity_code: str
    fiscal_year: int
    procurement: str
    amount: Decimal
    contract_total: Decimal | None


class _Contract:
    """What one contract id's rows add up to."""

    __slots__ = (
        "entities_by_year",
        "joint_shares",
        "joint_total",
        "rows_by_entity_year",
        "single_years",
    )

    def __init__(self) -> None:
        self.rows_by_entity_year: dict[tuple[str, int], int] = {}
        self.entities_by_year: dict[int, set[str]] = {}
        self.single_years: set[int] = set()
        self.joint_shares = Decimal(0)
        self.joint_total: Decimal | None = None


class ContractLedger:
    """Rows that name a contract, grouped by contract id."""

    def __init__(self) -> None:
        self._contracts: dict[str, _Contract] = {}

    def __len__(self) -> int:
        return len(self._contracts)

    def __contains__(self, contract_id: object) -> bool:
        return contract_id in self._contracts

    def add(self, row: ContractRow) -> None:
        group = self._contracts.get(row.contract_id)
        if group is None:
            group = self._contracts[row.contract_id] = _Contract()
        key = (row.entity_code, row.fiscal_year)
        group.rows_by_entity_year[key] = group.rows_by_entity_year.get(key, 0) + 1
        group.entities_by_year.setdefault(row.fiscal_year, set()).add(row.entity_code)
        if row.procurement == "joint":
            group.joint_shares = EXACT.add(group.joint_shares, row.amount)
            if row.contract_total is not None and (
                group.joint_total is None or row.contract_total < group.joint_total
            ):
                group.joint_total = row.contract_total
        else:
            group.single_years.add(row.fiscal_year)

    def warnings(
        self, row: ContractRow, *, duplicates: bool = True, joint_shares: bool = True
    ) -> tuple[WarningCode, ...]:
        """The warnings of one row, given every row of its contract added (a row whose contract
        was never added is alone: only its own share is checked against its own total).

        ``duplicates`` and ``joint_shares`` are the rule file's ``audit_checks`` switches.
        """
        group = self._contracts.get(row.contract_id)
        found: list[WarningCode] = []
        if group is None:
            if (
                joint_shares
                and row.procurement == "joint"
                and row.contract_total is not None
                and row.amount > row.contract_total
            ):
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
