"""Calculating declarations: reading rows, the engine per item, the checks across rows, totals.

- :func:`calculate` — one declaration (a :class:`~tokko.declaration.Declaration` or its JSON
  as a mapping) → :class:`~tokko.result.Result`.
- :func:`calculate_rows` — rows of one or several declarations (a CSV or spreadsheet) → Result.
- :func:`calculate_many` — rows streamed one by one, for batches that do not fit in memory.
- :func:`check_item` — one expense, from the facts a finance officer has at hand.

Reading rows is :mod:`tokko.rows`, the steps of the computation :mod:`tokko.engine`, the totals
:mod:`tokko.tally`; this module composes them and applies the checks across rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from tokko._version import __version__
from tokko.audit import ContractLedger, ContractRow, ItemIds
from tokko.engine import Agreement, Outcome, evaluate
from tokko.errors import FieldError
from tokko.explanation import explain_item, explain_total, problem_message
from tokko.localgov import LocalGovernment
from tokko.reading import Problem, clean_agreement, clean_entity, clean_item, clean_year
from tokko.rows import Prepared, Row, prepare, raw_key, read_declaration
from tokko.ruleset import RuleSet, RuleVersion, load_rules
from tokko.tally import Tally

if TYPE_CHECKING:
    from tokko.declaration import Declaration, ExpenseItem
    from tokko.result import ItemResult, Result, RowError, RulesRef

# The pydantic models of the result are imported where a result is built, not above: computing
# (``tokko check``, a batch) needs none of them.

__all__ = [
    "Prepared",
    "Row",
    "RowOutcome",
    "Tally",
    "calculate",
    "calculate_many",
    "calculate_rows",
    "check",
    "check_item",
    "check_row",
    "compute_row",
    "contract_row",
    "prepare",
    "read_declaration",
]


class RowOutcome(NamedTuple):
    """One row and what became of it; what :func:`calculate_many` yields."""

    row: Row
    prepared: Prepared
    outcome: Outcome

    def item_result(self, *, explain: bool = True) -> ItemResult:
        return item_result(self, explain=explain)

    def errors(self) -> list[RowError]:
        from tokko.result import RowError

        return [
            RowError(file=self.row.file, row=self.row.number, column=p.column, code=p.code,
                     message=problem_message(p))
            for p in self.outcome.problems
        ]


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
    checks = prepared.rules.data
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


# ── Results ──────────────────────────────────────────────────────────────────────────────────


def item_result(done: RowOutcome, *, explain: bool = True) -> ItemResult:
    """The §6 item of one computed row."""
    from tokko.result import ItemResult

    outcome, prepared = done.outcome, done.prepared
    item_id = prepared.item.item_id if prepared.item else raw_key(done.row.data.get("item_id"))
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
    from tokko.result import RulesRef, SourceRef

    return RulesRef(
        measure=version.measure,
        version=version.version,
        sha256=version.sha256,
        path=version.path,
        sources={
            key: SourceRef(title=s.title, issuer=s.issuer,
                           date=s.date.isoformat() if s.date else None, url=s.url)
            for key, s in version.data.sources.items()
        },
    )


def build_result(
    outcomes: Iterable[RowOutcome], errors: Sequence[RowError] = (), *, explain: bool = True
) -> Result:
    """Group row outcomes into declarations (first-seen order) with their totals."""
    from tokko.result import DeclarationResult, Result

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
            totals=(totals := tally.totals()),
            reconciled=totals.reconciled,
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
    from tokko.declaration import Declaration
    from tokko.result import DeclarationResult, RowError

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
        rules_version=version.version, items=[], totals=tally.totals(), reconciled=True,
        counts=tally.counts(),
        explanation=explain_total(tally.measure_exact, tally.measure, version) if explain else [],
    )
    return result.model_copy(update={"rules": rules_ref(version), "declarations": [empty]})


def check_item(
    item: ExpenseItem | Mapping[str, Any] | None = None,
    /,
    *,
    rules: RuleSet | None = None,
    unit: int = 1,
    **fields: Any,
) -> ItemResult:
    """Check one expense: is it eligible, at which rate, for how much, and why.

    The expense is given as keywords (``technology``, ``expense_kind``, ``amount``,
    ``fiscal_year``, ``business_area``, ``specific_revenue``, ``procurement`` or ``joint=True``,
    ``agreement_parties``, ``agreement_concluded_on``, ``entity_code``), or as an
    :class:`~tokko.declaration.ExpenseItem` or a mapping of those fields, which keywords
    override::

        tokko.check_item(technology="AI", expense_kind="導入・構築", amount="1,000,000",
                         fiscal_year="R3")

    A bad value gives an item of status ``error`` whose ``errors`` name the codes;
    :func:`check` gives the messages as well.
    """
    return item_result(check_row(item, rules=rules, unit=unit, **fields))


_CHECK_FIELDS = ("technology", "expense_kind", "amount", "fiscal_year", "business_area",
                 "specific_revenue", "procurement", "agreement_parties", "agreement_concluded_on",
                 "entity_code")


def check(
    item: ExpenseItem | Mapping[str, Any] | None = None,
    /,
    *,
    rules: RuleSet | None = None,
    unit: int = 1,
    **fields: Any,
) -> tuple[ItemResult, list[RowError]]:
    """:func:`check_item`, with the problems of every bad value as messages."""
    done = check_row(item, rules=rules, unit=unit, **fields)
    return item_result(done), done.errors()


def check_row(
    item: ExpenseItem | Mapping[str, Any] | None = None,
    /,
    *,
    rules: RuleSet | None = None,
    unit: int = 1,
    **fields: Any,
) -> RowOutcome:
    """The computation behind :func:`check_item`, as a :class:`RowOutcome` (no pydantic model).

    With ``procurement="joint"`` and ``agreement_parties``, an agreement with those parties is
    assumed, concluded on the first day of the fiscal year unless ``agreement_concluded_on``
    says otherwise. Without ``entity_code`` the declaring government is unknown, so the
    condition that it be a party is not checked.
    """
    given: dict[str, Any] = {}
    if isinstance(item, Mapping):
        given.update(item)
    elif item is not None:  # an ExpenseItem
        given.update(item.model_dump())
    if "parties" in given and "agreement_parties" not in given:
        given["agreement_parties"] = given.pop("parties")
    if "concluded_on" in given and "agreement_concluded_on" not in given:
        given["agreement_concluded_on"] = given.pop("concluded_on")
    joint = fields.pop("joint", None)
    unknown = sorted(set(fields) - set(_CHECK_FIELDS))
    if unknown:
        raise TypeError(f"check_item() got unexpected keyword arguments: {', '.join(unknown)}")
    given.update({k: v for k, v in fields.items() if v is not None})
    if joint is not None:
        given["procurement"] = "joint" if joint else "single"
    return _check(rules=rules, unit=unit,
                  technology=given.get("technology"),
                  expense_kind=given.get("expense_kind"),
                  amount=given.get("amount"),
                  fiscal_year=given.get("fiscal_year"),
                  business_area=given.get("business_area") or "",
                  specific_revenue=given.get("specific_revenue") or 0,
                  procurement=given.get("procurement") or "single",
                  agreement_parties=_parties(given.get("agreement_parties")),
                  agreement_concluded_on=given.get("agreement_concluded_on"),
                  entity_code=given.get("entity_code"))


def _parties(value: object) -> Sequence[str]:
    if value is None:
        return ()
    if isinstance(value, str):
        return [p for p in value.replace("、", ";").replace(",", ";").split(";") if p.strip()]
    return [str(p) for p in value]  # type: ignore[attr-defined]


def _check(
    *,
    technology: Any,
    expense_kind: Any,
    amount: object,
    fiscal_year: object,
    business_area: str,
    specific_revenue: object,
    procurement: str,
    agreement_parties: Sequence[str],
    agreement_concluded_on: object,
    entity_code: str | None,
    rules: RuleSet | None,
    unit: int,
) -> RowOutcome:
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
    if version is not None and isinstance(expense_kind, str) and expense_kind.strip():
        try:
            version.expense_kind(expense_kind)
        except FieldError as error:
            problems.append(Problem.of("expense_kind", expense_kind, error))
    if problems or item is None or year is None or version is None:
        outcome = Outcome.error(tuple(problems))
    else:
        outcome = evaluate(item, entity.code if entity else None, year, version, book)
    group = (entity.code if entity else "", str(year) if year else "")
    return RowOutcome(Row(data), Prepared(entity, year, version, item, tuple(problems), group),
                      outcome)
