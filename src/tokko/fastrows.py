"""The common batch row, computed with caches — a shortcut, never a second engine.

A prefecture's batch repeats the same few governments, years, technologies, expense kinds,
business areas and agreements; only ids and amounts change. :class:`FastRows` asks the engine's
own functions once per distinct combination of those cells (a row's *shape*) and remembers the
answer: the government, the rule version, the exclusion, the rate and its warnings. A row is then
its shape plus its id and amounts.

It handles a row only when every cell is one it can vouch for. For any other row — a bad cell,
a repeated id — :meth:`FastRows.compute` returns None and the caller computes the row the
general way (:func:`tokko.calculation.compute_row`). ``tests/test_fastrows.py`` checks that both
ways give the same output, row for row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from tokko.audit import ContractLedger, ContractRow, ItemIds
from tokko.codes import WarningCode
from tokko.engine import EXCLUSION_REASONS, apply_rate, classify, joint_failures, select_rate
from tokko.errors import FieldError
from tokko.money import GROUPED_YEN, parse_yen, plain
from tokko.reading import (
    ROW_FIELDS,
    AgreementFields,
    ItemFields,
    clean_entity,
    clean_year,
    id_text,
    is_blank,
    read_procurement,
)
from tokko.ruleset import RuleSet, RuleVersion

_MISSING: Any = object()
_REVENUE = str(WarningCode.REVENUE_EXCEEDS_AMOUNT)
_UNCONFIRMED = str(WarningCode.RULES_UNCONFIRMED_FOR_YEAR)
_SHARES = str(WarningCode.JOINT_SHARES_EXCEED_CONTRACT)

#: Per summary key (entity code, fiscal year): items, eligible, excluded, amount, deducted,
#: net, excluded net, measure — what :class:`tokko.tally.Tally` adds up.
FastTally = list[Any]


class Place(NamedTuple):
    """What a row's government and fiscal-year cells mean: who, when, under which rules."""

    code: str
    fiscal_year: int
    version: RuleVersion
    tail_warnings: tuple[str, ...]  # RULES_UNCONFIRMED_FOR_YEAR, or nothing
    deduct: bool
    duplicates: bool
    joint_shares: bool
    tally: FastTally


class Rate(NamedTuple):
    """The rate of an eligible row, from its procurement and agreement cells."""

    procurement: str
    rate: Decimal
    rate_text: str
    reason: str
    head_warnings: tuple[str, ...]  # the joint-rate conditions that failed
    per_item_rounding: bool  # rounding.scope = "item": each measure rounded (apply_rate)


def _blank(value: str) -> bool:
    if not value:
        return True
    return not value.strip() if value.isascii() else is_blank(value)


class FastRows:
    """Compute the common rows of one table; :meth:`compute` returns None for any other row."""

    def __init__(
        self,
        index: Mapping[str, int],
        width: int,
        rules: RuleSet,
        agreements: Mapping[str, AgreementFields],
        unit: int,
        item_ids: ItemIds,
        ledger: ContractLedger,
        candidates: set[int] | None = None,
    ) -> None:
        self._columns = tuple(index.get(f, -1) for f in ROW_FIELDS)
        self._width = width
        self._rules = rules
        self._agreements = agreements
        self._unit = unit
        self._ids = item_ids
        #: hashes of the item keys that may repeat (None: ask ``item_ids`` about every row)
        self._candidates = candidates
        self._ledger = ledger
        self._in_ledger = ledger.ids()
        self._descriptions: dict[str, bool] = {}
        self._places: dict[tuple[Any, Any], Any] = {}
        self._exclusions: dict[tuple[Any, Any, Any, RuleVersion], Any] = {}
        self._rates: dict[tuple[Any, Any, Any, Any], Any] = {}
        #: Summary per (entity code, fiscal year): see :data:`FastTally`.
        self.tallies: dict[tuple[str, str], FastTally] = {}
        self.names: dict[tuple[str, str], str] = {}

    def _place(self, key: tuple[Any, Any]) -> Place | None:
        try:
            government = clean_entity(key[0])
            fiscal_year = clean_year(key[1])
            version = self._rules.for_year(fiscal_year)
        except (FieldError, TypeError):
            return None
        tally_key = (government.code, str(fiscal_year))
        tally = self.tallies.get(tally_key)
        if tally is None:
            tally = self.tallies[tally_key] = [0, 0, 0, 0, 0, 0, 0, Decimal(0)]
            self.names[tally_key] = government.name
        checks = version.data
        return Place(
            government.code, fiscal_year, version,
            () if version.is_confirmed(fiscal_year) else (_UNCONFIRMED,),
            checks.deduct_specific_revenue.value, checks.duplicate_contract.value,
            checks.joint_shares_within_contract_total.value, tally,
        )

    def _exclusion(self, key: tuple[Any, Any, Any, RuleVersion]) -> str | bool | None:
        """The exclusion reason, None when eligible, False when the general path must decide."""
        technology, area, kind, version = key
        try:
            if _blank(technology) or _blank(kind):
                return False
            probe = ItemFields("", "", technology.strip(), area.strip(), kind.strip(),
                               Decimal(0), Decimal(0), "single", None, None, None)
            exclusions = classify(probe, version)[0]
        except (FieldError, AttributeError, TypeError):
            return False
        return str(EXCLUSION_REASONS[exclusions[0]]) if exclusions else None

    def _rate(self, key: tuple[Any, Any, Any, Any], place: Place) -> Rate | None:
        procurement, agreement = key[0], key[1]
        try:
            how = "single" if _blank(procurement) else read_procurement(procurement)
            agreement_id = None if _blank(agreement) else id_text(agreement)
        except (FieldError, AttributeError, TypeError):
            return None
        failures: tuple[WarningCode, ...] = ()
        if how == "joint":
            probe = ItemFields("", "", "", "", "", Decimal(0), Decimal(0), how, agreement_id,
                               None, None)
            failures, _ = joint_failures(probe, place.code, place.fiscal_year,
                                         self._agreements, place.version)
        rate, reason = select_rate(how, failures, place.version)
        return Rate(how, rate, plain(rate), str(reason), tuple(str(f) for f in failures),
                    place.version.data.rounding_scope.value == "item")

    def _amount(self, raw: Any) -> int | None:
        """Whole yen, or None when blank; a bad amount raises FieldError."""
        if not raw:
            return None
        if raw.isascii():
            if raw.isdigit():
                return int(raw) * self._unit
            if GROUPED_YEN.fullmatch(raw):
                return int(raw.replace(",", "")) * self._unit
        if is_blank(raw):
            return None
        return int(parse_yen(raw, self._unit))

    def compute(self, cells: Sequence[Any]) -> str | None:
        """The six result cells of a common row joined by commas; None: use the general path.

        Adds the row to :attr:`tallies` when it returns a result.
        """
        if len(cells) != self._width:
            return None  # a short or long row: the general path pads it or reports it
        (c_entity, c_year, c_item, c_desc, c_tech, c_area, c_kind, c_amount, c_revenue,
         c_proc, c_agreement, c_contract, c_total) = self._columns
        try:
            place_key = (cells[c_entity], cells[c_year])
            place = self._places.get(place_key, _MISSING)
            if place is _MISSING:
                place = self._places[place_key] = self._place(place_key)
            if place is None:
                return None
            version = place.version
            class_key = (cells[c_tech], cells[c_area] if c_area >= 0 else "", cells[c_kind],
                         version)
            exclusion = self._exclusions.get(class_key, _MISSING)
            if exclusion is _MISSING:
                exclusion = self._exclusions[class_key] = self._exclusion(class_key)
            if exclusion is False:
                return None
            rate_key = (cells[c_proc] if c_proc >= 0 else "",
                        cells[c_agreement] if c_agreement >= 0 else "", place_key[0],
                        place_key[1])
            rate = self._rates.get(rate_key, _MISSING)
            if rate is _MISSING:
                rate = self._rates[rate_key] = self._rate(rate_key, place)
            if rate is None:
                return None
            raw_id = cells[c_item]
            item_id = raw_id.strip() if raw_id.isascii() else id_text(raw_id)
            description = cells[c_desc]
            if not item_id or not description or not self._described(description):
                return None
            unit = self._unit
            raw = cells[c_amount]
            amount = int(raw) * unit if raw.isdigit() and raw.isascii() else self._amount(raw)
            raw = cells[c_revenue] if c_revenue >= 0 else ""
            revenue = (0 if raw == "0" or not raw else
                       int(raw) * unit if raw.isdigit() and raw.isascii() else self._amount(raw))
            raw = cells[c_total] if c_total >= 0 else ""
            total = (None if not raw else
                     int(raw) * unit if raw.isdigit() and raw.isascii() else self._amount(raw))
            raw = cells[c_contract] if c_contract >= 0 else ""
            contract = (raw.strip() if raw.isascii() else
                        "" if _blank(raw) else id_text(raw))
        except (FieldError, AttributeError, TypeError):
            return None  # a bad or non-text cell: the general path reports it
        if amount is None:
            return None  # missing: the general path reports it
        key = (place.code, place.fiscal_year, item_id)
        candidates = self._candidates
        if (candidates is None or hash(key) in candidates) and not self._ids.claim(key):
            return None  # a repeated id: the general path reports DUPLICATE_ITEM_ID
        if not revenue or not place.deduct:
            net, deducted, exceeds = amount, 0, False
        elif revenue > amount:
            net, deducted, exceeds = 0, amount, True
        else:
            net, deducted, exceeds = amount - revenue, revenue, False
        tally = place.tally
        tally[0] += 1
        tally[3] += amount
        tally[4] += deducted
        if exclusion is None:
            measure = (apply_rate(Decimal(net), rate.rate, version) if rate.per_item_rounding
                       else Decimal(net) * rate.rate)
            tally[1] += 1
            tally[5] += net
            tally[7] += measure
            status, reason, rate_text = "eligible", rate.reason, rate.rate_text
            measure_text = str(measure)
            if "E" in measure_text:
                measure_text = plain(measure)
            elif "." in measure_text:
                measure_text = measure_text.rstrip("0").rstrip(".")
            warnings = rate.head_warnings
        else:
            tally[2] += 1
            tally[6] += net
            status, reason, rate_text, measure_text = "excluded", exclusion, "0", "0"
            warnings = ()
        if exceeds:
            warnings = (*warnings, _REVENUE)
        warnings += place.tail_warnings
        if contract and (contract in self._in_ledger or rate.procurement == "joint"):
            warnings += self._contract_warnings(place, rate.procurement, contract, amount, total)
        return f"{status},{reason},{';'.join(warnings)},{net},{rate_text},{measure_text}"

    def _described(self, description: str) -> bool:
        """Whether a description cell holds text (cached: descriptions repeat)."""
        found = self._descriptions.get(description)
        if found is None:
            found = not _blank(description)
            if len(self._descriptions) < 50_000:
                self._descriptions[description] = found
        return found

    def _contract_warnings(
        self, place: Place, procurement: str, contract: str, amount: int, total: int | None
    ) -> tuple[str, ...]:
        if contract in self._in_ledger:  # shared or repeated: the ledger knows the others
            row = ContractRow(contract, place.code, place.fiscal_year, procurement,
                              Decimal(amount), None if total is None else Decimal(total))
            return tuple(str(w) for w in self._ledger.warnings(
                row, duplicates=place.duplicates, joint_shares=place.joint_shares))
        if (place.joint_shares and procurement == "joint" and total is not None
                and amount > total):
            return (_SHARES,)
        return ()
