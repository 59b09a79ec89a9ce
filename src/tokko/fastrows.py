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
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Any, Protocol

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
#: Entries each cache keeps at most: shapes are few in a real batch.
_CACHE_LIMIT = 50_000
_REVENUE = str(WarningCode.REVENUE_EXCEEDS_AMOUNT)
_UNCONFIRMED = str(WarningCode.RULES_UNCONFIRMED_FOR_YEAR)
_SHARES = str(WarningCode.JOINT_SHARES_EXCEED_CONTRACT)

#: Amounts from this up go to the general path: below it, Decimal's 28 digits hold every amount
#: and net exactly, and, with a rate of few digits (:func:`_scaled`), net × rate.
_BIG = 10**18

#: Per summary key (entity code, fiscal year): eligible items, excluded items, deducted, net,
#: excluded net, measure, and net per rate (a dict: the measure of the rows whose measure was
#: computed in ints, :func:`_scaled`) — from which :mod:`tokko.batch` makes what
#: :class:`tokko.tally.Tally` adds up (items = eligible + excluded; amount = deducted + net +
#: excluded net; measure = measure + Σ rate × net).
FastTally = list[Any]


def _scaled(rate: Decimal) -> tuple[int, int, int] | None:
    """A rate as (numerator, denominator, digits) with denominator 10 ** digits, for a measure
    computed in ints; None when it has more than 6 decimals or is not a plain positive number
    (its measure is then computed in Decimal)."""
    if not rate.is_finite() or rate < 0:
        return None
    exponent = rate.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent > 0:
        return int(rate), 1, 0
    numerator = int(rate.scaleb(-exponent))
    if exponent < -6 or numerator >= 10**9:
        return None
    return numerator, 10**-exponent, -exponent


@dataclass(frozen=True, slots=True)  # slots: the fields are read once or more per row
class Place:
    """What a row's government and fiscal-year cells mean: who, when, under which rules."""

    code: str
    fiscal_year: int
    version: RuleVersion
    tail_warnings: tuple[str, ...]  # RULES_UNCONFIRMED_FOR_YEAR, or nothing
    tail_text: str  # the tail warnings joined: the warnings cell of an excluded row
    deduct: bool
    duplicates: bool
    joint_shares: bool
    tally: FastTally


@dataclass(frozen=True, slots=True)
class Rate:
    """The rate of an eligible row, from its procurement and agreement cells and its place."""

    place: Place
    procurement: str
    rate: Decimal
    rate_text: str
    head: str  # the status and reason cells of an eligible row: "eligible,STANDARD_RATE"
    head_warnings: tuple[str, ...]  # the joint-rate conditions that failed
    warnings_text: str  # the warnings cell of an eligible row: head and the place's tail joined
    per_item_rounding: bool  # rounding.scope = "item": each measure rounded (apply_rate)
    scaled: tuple[int, int, int] | None  # see _scaled; None: the measure computed in Decimal


def _keep(cache: dict[Any, Any], key: Any, value: Any) -> Any:
    """Remember ``value`` under ``key`` while the cache holds fewer than :data:`_CACHE_LIMIT`
    entries (a file spelling its cells differently on every row must not fill memory), and
    return it."""
    if len(cache) < _CACHE_LIMIT:
        cache[key] = value
    return value


def _blank(value: str) -> bool:
    if not value:
        return True
    return not value.strip() if value.isascii() else is_blank(value)


class Guess(Protocol):
    """Told the contract of every row computed on a batch's single pass (:mod:`tokko.onepass`),
    which guesses that no key repeats."""

    def contract(self, contract_id: str, joint: bool, cells: Sequence[Any]) -> None:
        """Note a row's contract id; raise :class:`~tokko.parallel.Deferred` for a joint row."""

    def logs(self) -> GuessLogs | None:
        """Where to log each row's item key and contract inline, if anywhere."""


class Marker(Protocol):
    row: int  # the ordinal of the row being computed


#: The buckets of the item keys' and the contracts' logs (``buckets[h & 127]`` gets the hash
#: and then the row's ordinal) and what holds the ordinal: on the single pass, :class:`FastRows`
#: writes what :meth:`~tokko.onepass.LoggingIds.claim` and :meth:`Guess.contract` would, without
#: a call per row.
GuessLogs = tuple[list[Any], list[Any], Marker]


class FastRows:
    """Compute the common rows of one table; :meth:`compute` returns None for any other row.

    With ``guess``, every row it computes that names a contract is told to it first; on the
    single pass, where :meth:`Guess.logs` gives logs, its item key and contract are written
    to them here, and only a joint row is told.
    """

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
        guess: Guess | None = None,
    ) -> None:
        columns = [index.get(f, -1) for f in ROW_FIELDS]
        #: A row's cells in ROW_FIELDS order, in one call; a column the table lacks is read from
        #: an empty cell put after the row's own (``_pad``). A row in that order already (the
        #: usual template) is taken as it is (``_in_order``).
        self._pick = itemgetter(*(width if i < 0 else i for i in columns))
        self._pad = min(columns) < 0
        self._in_order = columns == list(range(width))
        self._width = width
        self._rules = rules
        self._agreements = agreements
        self._unit = unit
        self._ids = item_ids
        #: hashes of the item keys that may repeat (None: ask ``item_ids`` about every row)
        self._candidates = candidates
        self._ledger = ledger
        self._in_ledger = ledger.ids()
        self._guess = guess
        self._logs = guess.logs() if guess is not None else None
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
            tally = self.tallies[tally_key] = [0, 0, 0, 0, 0, Decimal(0), {}]
            self.names[tally_key] = government.name
        checks = version.data
        tail = () if version.is_confirmed(fiscal_year) else (_UNCONFIRMED,)
        return Place(
            government.code, fiscal_year, version, tail, ";".join(tail),
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
        head_warnings = tuple(str(f) for f in failures)
        per_item = place.version.data.rounding_scope.value == "item"
        return Rate(place, how, rate, plain(rate), "eligible," + str(reason), head_warnings,
                    ";".join(head_warnings + place.tail_warnings), per_item,
                    None if per_item else _scaled(rate))

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
        (entity, year, raw_id, description, technology, area, kind, raw_amount, raw_revenue,
         procurement, agreement, raw_contract, raw_total) = (
            cells if self._in_order else self._pick([*cells, ""] if self._pad else cells))
        exclusion: str | bool | None  # the reason; None: eligible; False: the general path
        try:
            rate = self._rates.get((procurement, agreement, entity, year))
            if rate is None:  # a shape not met yet (or one the general path computes)
                shape = self._shape(entity, year, technology, area, kind, procurement, agreement)
                if shape is None:
                    return None
                place, exclusion, rate = shape
            else:  # the rate knows its place (the government and year cells are in its key)
                place = rate.place
                class_key = (technology, area, kind, place.version)
                exclusion = self._exclusions.get(class_key, _MISSING)
                if exclusion is _MISSING:
                    exclusion = _keep(self._exclusions, class_key, self._exclusion(class_key))
                if exclusion is False:
                    return None
            item_id = raw_id.strip() if raw_id.isascii() else id_text(raw_id)
            if not item_id or not description:
                return None
            described = self._descriptions.get(description)
            if not (self._described(description) if described is None else described):
                return None
            unit = self._unit
            amount = (int(raw_amount) * unit if raw_amount.isdigit() and raw_amount.isascii()
                      else self._amount(raw_amount))
            revenue = (0 if raw_revenue == "0" or not raw_revenue else
                       int(raw_revenue) * unit if raw_revenue.isdigit() and raw_revenue.isascii()
                       else self._amount(raw_revenue))
            total = (None if not raw_total else
                     int(raw_total) * unit if raw_total.isdigit() and raw_total.isascii()
                     else self._amount(raw_total))
            contract = (raw_contract.strip() if raw_contract.isascii() else
                        "" if _blank(raw_contract) else id_text(raw_contract))
        except (FieldError, AttributeError, TypeError):
            return None  # a bad or non-text cell: the general path reports it
        if amount is None or amount >= _BIG:
            return None  # missing (the general path reports it), or too large to vouch for
        key = (place.code, place.fiscal_year, item_id)
        logs = self._logs
        if logs is not None:  # the single pass: LoggingIds.claim and Guess.contract, inline
            items, contracts, marker = logs
            h, row = hash(key), marker.row
            bucket = items[h & 127]
            bucket.append(h)
            bucket.append(row)
            if contract:
                if rate.procurement == "joint":
                    self._guess.contract(contract, True, cells)  # type: ignore[union-attr]
                h = hash(contract)
                bucket = contracts[h & 127]
                bucket.append(h)
                bucket.append(row)
        else:
            candidates = self._candidates
            if (candidates is None or hash(key) in candidates) and not self._ids.claim(key):
                return None  # a repeated id: the general path reports DUPLICATE_ITEM_ID
            if contract and self._guess is not None:
                self._guess.contract(contract, rate.procurement == "joint", cells)
        if not revenue or not place.deduct:
            net, exceeds = amount, False
        elif revenue > amount:
            net, exceeds = 0, True
        else:
            net, exceeds = amount - revenue, False
        tally = place.tally
        if net != amount:
            tally[2] += amount - net  # deducted
        if exceeds or (contract and (contract in self._in_ledger or rate.procurement == "joint")):
            warnings = self._warnings(place, rate, exclusion is None, exceeds, contract, amount,
                                      total)
        else:
            warnings = rate.warnings_text if exclusion is None else place.tail_text
        if exclusion is not None:
            tally[1] += 1
            tally[4] += net
            return f"excluded,{exclusion},{warnings},{net},0,0"
        tally[0] += 1
        tally[3] += net
        scaled = rate.scaled
        if scaled is not None:  # the Decimal product below, in ints
            numerator, denominator, digits = scaled
            by_rate = tally[6]
            by_rate[rate.rate] = by_rate.get(rate.rate, 0) + net
            whole, part = divmod(net * numerator, denominator)
            if not part:
                return f"{rate.head},{warnings},{net},{rate.rate_text},{whole}"
            fraction = f"{part:0{digits}d}".rstrip("0") if digits > 1 else str(part)
            return f"{rate.head},{warnings},{net},{rate.rate_text},{whole}.{fraction}"
        measure = (apply_rate(Decimal(net), rate.rate, place.version) if rate.per_item_rounding
                   else Decimal(net) * rate.rate)
        tally[5] += measure
        measure_text = str(measure)
        if "E" in measure_text:
            measure_text = plain(measure)
        elif "." in measure_text:
            measure_text = measure_text.rstrip("0").rstrip(".")
        return f"{rate.head},{warnings},{net},{rate.rate_text},{measure_text}"

    def _shape(self, entity: Any, year: Any, technology: Any, area: Any, kind: Any,
               procurement: Any, agreement: Any) -> tuple[Place, str | None, Rate] | None:
        """The place, exclusion and rate of a row, read (and remembered) in that order; None
        when one of them sends the row to the general path."""
        place_key = (entity, year)
        place = self._places.get(place_key, _MISSING)
        if place is _MISSING:
            place = _keep(self._places, place_key, self._place(place_key))
        if place is None:
            return None
        class_key = (technology, area, kind, place.version)
        exclusion = self._exclusions.get(class_key, _MISSING)
        if exclusion is _MISSING:
            exclusion = _keep(self._exclusions, class_key, self._exclusion(class_key))
        if exclusion is False:
            return None
        rate_key = (procurement, agreement, entity, year)
        rate = self._rates.get(rate_key, _MISSING)
        if rate is _MISSING:
            rate = _keep(self._rates, rate_key, self._rate(rate_key, place))
        if rate is None:
            return None
        return place, exclusion, rate

    def _warnings(self, place: Place, rate: Rate, eligible: bool, exceeds: bool, contract: str,
                  amount: int, total: int | None) -> str:
        """The warnings cell of a row whose revenue exceeds its amount or that names a contract
        the ledger or the joint check must look at."""
        warnings = rate.head_warnings if eligible else ()
        if exceeds:
            warnings = (*warnings, _REVENUE)
        warnings += place.tail_warnings
        if contract and (contract in self._in_ledger or rate.procurement == "joint"):
            warnings += self._contract_warnings(place, rate.procurement, contract, amount, total)
        return ";".join(warnings)

    def _described(self, description: str) -> bool:
        """Whether a description cell holds text (cached: descriptions repeat)."""
        found = self._descriptions.get(description)
        if found is None:
            found = not _blank(description)
            _keep(self._descriptions, description, found)
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
