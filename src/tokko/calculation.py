"""Calculating declarations: reading rows, the engine per item, the checks across rows, totals.

- :func:`calculate` — one declaration (a :class:`~tokko.declaration.Declaration` or its JSON
  as a mapping) → :class:`~tokko.result.Result`.
- :func:`calculate_rows` — rows of one or several declarations (a CSV or spreadsheet) → Result.
- :func:`calculate_many` — rows streamed one by one, for batches that do not fit in memory.
- :func:`check_item` — one expense, from the facts a finance officer has at hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from tokko._version import __version__
from tokko.audit import ContractLedger, ContractRow, ItemIds
from tokko.columns import ITEM_COLUMNS, read_header
from tokko.declaration import (
    AGREEMENT_FIELDS,
    DECLARATION_FIELDS,
    Agreement,
    Declaration,
    ItemFields,
    Problem,
    clean_agreement,
    clean_entity,
    clean_item,
    clean_year,
    is_blank,
    readers,
    unknown_keys,
)
from tokko.engine import Outcome, evaluate, round_total
from tokko.errors import FieldError
from tokko.explanation import explain_item, explain_total, problem_message
from tokko.localgov import LocalGovernment
from tokko.money import ZERO
from tokko.result import (
    Counts,
    DeclarationResult,
    ItemResult,
    Result,
    RowError,
    RulesRef,
    SourceRef,
    Totals,
)
from tokko.ruleset import RuleSet, RuleVersion, load_rules


@dataclass(frozen=True, slots=True)
class Row:
    """One input row: canonical field names to values, and where it came from."""

    data: Mapping[str, object]
    file: str | None = None
    number: int | None = None
    #: Problems found while reading the row (an unknown key in a JSON item, say).
    problems: tuple[Problem, ...] = ()


class Prepared(NamedTuple):
    """A row after reading: its government, year, rule version and item, or its problems."""

    entity: LocalGovernment | None
    fiscal_year: int | None
    rules: RuleVersion | None
    item: ItemFields | None
    problems: tuple[Problem, ...]
    #: How the row is grouped into a declaration even when its code or year is bad.
    group: tuple[str, str]


class RowOutcome(NamedTuple):
    """One row and what became of it; what :func:`calculate_many` yields."""

    row: Row
    prepared: Prepared
    outcome: Outcome

    def item_result(self, *, explain: bool = True) -> ItemResult:
        return item_result(self, explain=explain)

    def errors(self) -> list[RowError]:
        return [
            RowError(file=self.row.file, row=self.row.number, column=p.column, code=p.code,
                     message=problem_message(p))
            for p in self.outcome.problems
        ]


def _raw_key(value: object) -> str:
    return "" if value is None else str(value).strip()


def prepare(row: Row, rules: RuleSet, unit: int, item_ids: ItemIds) -> Prepared:
    """Step 1 of SPEC §4: read every cell; a bad cell is a problem, none stops the others."""
    data = row.data
    problems: list[Problem] = list(row.problems)
    entity: LocalGovernment | None = None
    year: int | None = None
    version: RuleVersion | None = None
    try:
        entity = clean_entity(data.get("entity_code"))
    except FieldError as error:
        problems.append(Problem.of("entity_code", data.get("entity_code"), error))
    try:
        year = clean_year(data.get("fiscal_year"))
        version = rules.for_year(year)
    except FieldError as error:
        problems.append(Problem.of("fiscal_year", data.get("fiscal_year"), error))
    item, item_problems = clean_item(data, unit)
    problems.extend(item_problems)
    kind = data.get("expense_kind")
    if version is not None and not is_blank(kind):
        try:
            version.expense_kind(str(kind))
        except FieldError as error:
            problems.append(Problem.of("expense_kind", kind, error))
    if entity is not None and year is not None:
        try:
            item_id = item.item_id if item is not None else readers(unit)["item_id"](
                data.get("item_id")
            )
        except FieldError:
            item_id = None
        if item_id is not None and not item_ids.claim((entity.code, year, item_id)):
            problems.append(Problem(
                "item_id", "DUPLICATE_ITEM_ID", item_id,
                f"項目番号「{item_id}」は同じ団体・年度の前の行で使われています",
                f"item number '{item_id}' is already used by an earlier row of this "
                "government and year",
            ))
    group = (
        entity.code if entity is not None else _raw_key(data.get("entity_code")),
        str(year) if year is not None else _raw_key(data.get("fiscal_year")),
    )
    return Prepared(entity, year, version, item, tuple(problems), group)


def contract_row(prepared: Prepared) -> ContractRow | None:
    """The contract facts of a row that names a contract and could be read; None otherwise.

    A row refused only as a repeated item id still counts: the same contract pasted twice is
    exactly what the contract checks look for, and the first row then carries the warning.
    """
    item = prepared.item
    if (
        item is None or item.contract_id is None or prepared.entity is None
        or prepared.fiscal_year is None or prepared.rules is None
        or any(p.code != "DUPLICATE_ITEM_ID" for p in prepared.problems)
    ):
        return None
    return ContractRow(item.contract_id, prepared.entity.code, prepared.fiscal_year,
                       item.procurement, item.amount, item.contract_total)


def contract_warnings(ledger: ContractLedger, prepared: Prepared, outcome: Outcome) -> Outcome:
    """``outcome`` with the contract checks of the row's rule version applied."""
    facts = contract_row(prepared)
    if facts is None or prepared.rules is None or outcome.status == "error":
        return outcome
    checks = prepared.rules.file.audit_checks
    return outcome.with_warnings(ledger.warnings(
        facts,
        duplicates=checks.duplicate_contract.value,
        joint_shares=checks.joint_shares_within_contract_total.value,
    ))


def compute_row(
    row: Row,
    rules: RuleSet,
    agreements: Mapping[str, Agreement],
    unit: int,
    item_ids: ItemIds,
    contracts: ContractLedger | None = None,
) -> RowOutcome:
    """Read and compute one row; with ``contracts``, apply the checks across rows too."""
    prepared = prepare(row, rules, unit, item_ids)
    if prepared.problems:
        outcome = Outcome.error(prepared.problems)
    else:
        assert prepared.item is not None
        assert prepared.entity is not None
        assert prepared.rules is not None
        assert prepared.fiscal_year is not None
        outcome = evaluate(prepared.item, prepared.entity.code, prepared.fiscal_year,
                           prepared.rules, agreements)
    if contracts is not None:
        outcome = contract_warnings(contracts, prepared, outcome)
    return RowOutcome(row, prepared, outcome)


def calculate_many(
    rows: Iterable[Row | Mapping[str, object]],
    rules: RuleSet | None = None,
    agreements: Iterable[Agreement] = (),
    *,
    unit: int = 1,
    item_ids: ItemIds | None = None,
    contracts: ContractLedger | None = None,
) -> Iterator[RowOutcome]:
    """Compute rows one at a time, in order, holding none of them.

    The contract checks need every row first: pass ``contracts``, a ledger built from a pass
    over the same rows (as :mod:`tokko.batch` does), or use :func:`calculate_rows`.
    """
    ruleset = rules if rules is not None else load_rules()
    book = {a.agreement_id: a for a in agreements}
    ids = item_ids if item_ids is not None else ItemIds()
    for raw in rows:
        row = raw if isinstance(raw, Row) else Row(raw)
        yield compute_row(row, ruleset, book, unit, ids, contracts)


# ── Totals ───────────────────────────────────────────────────────────────────────────────────


@dataclass(slots=True)
class Tally:
    """Running totals of one declaration (or one summary line of a batch)."""

    amount: Decimal = ZERO
    specific_revenue: Decimal = ZERO
    net: Decimal = ZERO
    excluded: Decimal = ZERO
    measure_exact: Decimal = ZERO
    items: int = 0
    eligible: int = 0
    excluded_items: int = 0
    error_items: int = 0
    rules: RuleVersion | None = field(default=None)

    def add(self, outcome: Outcome, rules: RuleVersion | None) -> None:
        self.items += 1
        if outcome.status == "error":
            self.error_items += 1
            return
        assert outcome.amount is not None
        assert outcome.deducted is not None
        assert outcome.net is not None
        assert outcome.measure is not None
        self.rules = self.rules or rules
        self.amount += outcome.amount
        self.specific_revenue += outcome.deducted
        if outcome.status == "eligible":
            self.eligible += 1
            self.net += outcome.net
            self.measure_exact += outcome.measure
        else:
            self.excluded_items += 1
            self.excluded += outcome.net

    @property
    def measure(self) -> Decimal:
        """The total after the rule file's rounding."""
        if self.rules is None:
            return self.measure_exact
        return round_total(self.measure_exact, self.rules)

    def totals(self) -> Totals:
        return Totals(
            amount=self.amount, specific_revenue=self.specific_revenue, net=self.net,
            excluded=self.excluded, measure_exact=self.measure_exact, measure=self.measure,
            reconciled=self.amount == self.net + self.excluded + self.specific_revenue,
        )

    def counts(self) -> Counts:
        return Counts(items=self.items, eligible=self.eligible, excluded=self.excluded_items,
                      error=self.error_items)


# ── Results ──────────────────────────────────────────────────────────────────────────────────


def item_result(done: RowOutcome, *, explain: bool = True) -> ItemResult:
    """The §6 item of one computed row."""
    outcome, prepared = done.outcome, done.prepared
    item_id = prepared.item.item_id if prepared.item else _raw_key(done.row.data.get("item_id"))
    return ItemResult(
        item_id=item_id or None,
        row=done.row.number,
        status=outcome.status,
        amount=outcome.amount,
        specific_revenue=outcome.deducted,
        net=outcome.net,
        rate=outcome.rate,
        measure=outcome.measure,
        reasons=[str(outcome.reason)] if outcome.reason else [],
        warnings=[str(w) for w in outcome.warnings],
        errors=list(dict.fromkeys(p.code for p in outcome.problems)),
        explanation=explain_item(prepared.item, outcome, prepared.rules, prepared.fiscal_year)
        if explain else [],
    )


def rules_ref(version: RuleVersion) -> RulesRef:
    """Which rule file produced a result: measure, version, path and SHA-256, with sources."""
    return RulesRef(
        measure=version.measure,
        version=version.version,
        sha256=version.sha256,
        path=version.path,
        sources={
            key: SourceRef(title=s.title, issuer=s.issuer,
                           date=s.date.isoformat() if s.date else None, url=s.url)
            for key, s in version.file.sources.items()
        },
    )


def build_result(
    outcomes: Iterable[RowOutcome], errors: Sequence[RowError] = (), *, explain: bool = True
) -> Result:
    """Group row outcomes into declarations (first-seen order) with their totals."""
    groups: dict[tuple[str, str], list[RowOutcome]] = {}
    for done in outcomes:
        groups.setdefault(done.prepared.group, []).append(done)
    declarations = []
    used: dict[tuple[str, str], RuleVersion] = {}
    all_errors = list(errors)
    for rows in groups.values():
        tally = Tally()
        first = rows[0].prepared
        for done in rows:
            tally.add(done.outcome, done.prepared.rules)
            all_errors.extend(done.errors())
        version = next((d.prepared.rules for d in rows if d.prepared.rules), None)
        if version is not None:
            used[(version.path, version.sha256)] = version
        declarations.append(DeclarationResult(
            entity_code=first.entity.code if first.entity else (first.group[0] or None),
            entity_name=first.entity.name if first.entity else None,
            fiscal_year=first.fiscal_year,
            rules_version=version.version if version else None,
            items=[item_result(d, explain=explain) for d in rows],
            totals=tally.totals(),
            counts=tally.counts(),
            explanation=explain_total(tally.measure_exact, tally.measure, tally.rules)
            if explain else [],
        ))
    refs = [rules_ref(v) for v in used.values()]
    return Result(
        tokko_version=__version__,
        rules=refs[0] if len(refs) == 1 else refs,
        declarations=declarations,
        errors=all_errors,
    )


def calculate_rows(
    rows: Iterable[Row | Mapping[str, object]],
    rules: RuleSet | None = None,
    agreements: Iterable[Agreement] = (),
    *,
    unit: int = 1,
    errors: Sequence[RowError] = (),
    explain: bool = True,
) -> Result:
    """Compute rows of one or several declarations, with the checks across rows.

    ``errors`` are problems found before (an agreement that could not be read, say); they are
    carried into the result so that nothing is lost.
    """
    computed = list(calculate_many(rows, rules, agreements, unit=unit))
    ledger = ContractLedger()
    for done in computed:
        facts = contract_row(done.prepared)
        if facts is not None:
            ledger.add(facts)
    checked = [
        done._replace(outcome=contract_warnings(ledger, done.prepared, done.outcome))
        for done in computed
    ]
    return build_result(checked, errors, explain=explain)


def _item_fields(item: Mapping[str, object]) -> tuple[dict[str, object], tuple[Problem, ...]]:
    """Map an item's keys (English or Japanese) to fields; an unknown key is a problem, not lost."""
    data: dict[str, object] = {}
    problems = []
    for key, value in item.items():
        header = read_header(str(key), ITEM_COLUMNS)
        if header.field is None or header.field in ("entity_code", "fiscal_year"):
            problems.append(Problem(str(key), "UNKNOWN_VALUE", key,
                                    f"「{key}」は項目の欄ではありません",
                                    f"'{key}' is not a field of an item"))
        else:
            data[header.field] = value
    return data, tuple(problems)


def read_declaration(
    declaration: Declaration | Mapping[str, Any], file: str | None = None
) -> tuple[list[Row], list[Agreement], list[RowError]]:
    """The rows and agreements of a declaration, and what could not be read of it.

    Nothing is dropped: an unknown key, an agreement that cannot be read or a repeated
    agreement number becomes an error of the result.
    """
    if isinstance(declaration, Declaration):
        data: Mapping[str, Any] = declaration.model_dump()
    else:
        data = declaration
    errors = [
        RowError(file=file, column=p.column, code=p.code, message=problem_message(p))
        for p in unknown_keys(data, DECLARATION_FIELDS)
    ]
    agreements: dict[str, Agreement] = {}
    for index, raw in enumerate(data.get("agreements") or (), start=1):
        if isinstance(raw, Agreement):
            agreement: Agreement | None = raw
            problems: list[Problem] = []
        else:
            fields = raw if isinstance(raw, Mapping) else {}
            agreement, problems = clean_agreement(fields)
            problems += unknown_keys(fields, AGREEMENT_FIELDS)
        if agreement is not None and agreement.agreement_id in agreements:
            problems.append(Problem(
                "agreement_id", "DUPLICATE_ITEM_ID", agreement.agreement_id,
                f"協定番号「{agreement.agreement_id}」が前の協定と重複しています（先の協定を採用）",
                f"agreement '{agreement.agreement_id}' repeats an earlier one (the first stands)",
            ))
        elif agreement is not None and not problems:
            agreements[agreement.agreement_id] = agreement
        errors.extend(
            RowError(file=file, row=index, column=f"agreements.{p.column}", code=p.code,
                     message=problem_message(p))
            for p in problems
        )
    items = data.get("items")
    if not isinstance(items, list | tuple):
        problem = Problem("items", "MISSING_FIELD", None, "項目（items）の一覧がありません",
                          "the declaration has no list of items")
        errors.append(RowError(file=file, column="items", code=problem.code,
                               message=problem_message(problem)))
        items = []
    rows = []
    for number, item in enumerate(items, start=1):
        fields, key_problems = _item_fields(item if isinstance(item, Mapping) else {})
        rows.append(Row({**fields, "entity_code": data.get("entity_code"),
                         "fiscal_year": data.get("fiscal_year")}, file, number, key_problems))
    return rows, list(agreements.values()), errors


def calculate(
    declaration: Declaration | Mapping[str, Any],
    rules: RuleSet | None = None,
    *,
    file: str | None = None,
    explain: bool = True,
) -> Result:
    """Compute one declaration (SPEC §4) into a :class:`~tokko.result.Result`.

    ``declaration`` is a validated :class:`~tokko.declaration.Declaration`, or the declaration
    JSON as a mapping, read leniently: a bad item becomes an error row and the rest is computed.
    """
    rows, agreements, errors = read_declaration(declaration, file)
    result = calculate_rows(rows, rules, agreements, errors=errors, explain=explain)
    if rows:
        return result
    # No items: still one declaration, with zero totals, when the government and year read.
    data = declaration.model_dump() if isinstance(declaration, Declaration) else declaration
    ruleset = rules if rules is not None else load_rules()
    try:
        entity = clean_entity(data.get("entity_code"))
        year = clean_year(data.get("fiscal_year"))
        version = ruleset.for_year(year)
    except FieldError as error:
        column = "fiscal_year" if error.code in ("INVALID_FISCAL_YEAR", "NO_RULES_FOR_YEAR") \
            else "entity_code"
        problem = Problem.of(column, data.get(column), error)
        return result.model_copy(update={"errors": [*result.errors, RowError(
            file=file, column=column, code=problem.code, message=problem_message(problem))]})
    tally = Tally(rules=version)
    empty = DeclarationResult(
        entity_code=entity.code, entity_name=entity.name, fiscal_year=year,
        rules_version=version.version, items=[], totals=tally.totals(), counts=tally.counts(),
        explanation=explain_total(tally.measure_exact, tally.measure, version) if explain else [],
    )
    return result.model_copy(update={"rules": rules_ref(version), "declarations": [empty]})


def check_item(
    *,
    technology: str,
    expense_kind: str,
    amount: object,
    fiscal_year: object,
    business_area: str = "",
    specific_revenue: object = 0,
    procurement: str = "single",
    agreement_parties: Sequence[str] = (),
    agreement_concluded_on: object = None,
    entity_code: str | None = None,
    rules: RuleSet | None = None,
    unit: int = 1,
) -> tuple[ItemResult, list[RowError]]:
    """Check one expense: is it eligible, at which rate, for how much, and why.

    With ``procurement="joint"`` and ``agreement_parties``, an agreement with those parties is
    assumed, concluded on the first day of the fiscal year unless ``agreement_concluded_on``
    says otherwise. Without ``entity_code`` the declaring government is unknown, so the
    condition that it be a party is not checked (the explanation says which rule was skipped).
    Returns the item and the problems of any bad value (the item's status is then ``error``).
    """
    ruleset = rules if rules is not None else load_rules()
    problems: list[Problem] = []
    entity: LocalGovernment | None = None
    year: int | None = None
    version: RuleVersion | None = None
    if entity_code:
        try:
            entity = clean_entity(entity_code)
        except FieldError as error:
            problems.append(Problem.of("entity_code", entity_code, error))
    try:
        year = clean_year(fiscal_year)
        version = ruleset.for_year(year)
    except FieldError as error:
        problems.append(Problem.of("fiscal_year", fiscal_year, error))
    book: dict[str, Agreement] = {}
    if agreement_parties:
        concluded = agreement_concluded_on
        if concluded is None and year is not None:
            concluded = f"{year}-04-01"
        agreement, agreement_problems = clean_agreement({
            "agreement_id": "check", "concluded_on": concluded, "parties": list(agreement_parties),
        })
        problems.extend(agreement_problems)
        if agreement is not None:
            book[agreement.agreement_id] = agreement
    data: dict[str, object] = {
        "entity_code": entity_code, "fiscal_year": fiscal_year, "item_id": "1",
        "description": "check", "technology": technology, "business_area": business_area,
        "expense_kind": expense_kind, "amount": amount, "specific_revenue": specific_revenue,
        "procurement": procurement, "agreement_id": "check" if book else None,
    }
    item, item_problems = clean_item(data, unit)
    problems.extend(item_problems)
    if problems or item is None or year is None or version is None:
        outcome = Outcome.error(tuple(problems))
    else:
        outcome = evaluate(item, entity.code if entity else None, year, version, book)
    group = (entity.code if entity else "", str(year) if year else "")
    done = RowOutcome(Row(data), Prepared(entity, year, version, item, tuple(problems), group),
                      outcome)
    return item_result(done), done.errors()
