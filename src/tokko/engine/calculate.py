"""Calculating: a declaration, rows of several declarations, or one expense (SPEC §4, §5).

- :func:`calculate` — one declaration (a :class:`~tokko.model.declaration.Declaration` or its
  JSON as a mapping) → :class:`~tokko.model.result.Result`;
- :func:`calculate_rows` — rows of one or several declarations (a CSV or a spreadsheet, or
  mappings with English or Japanese keys) → Result;
- :func:`check_item` — one expense, from the facts a finance officer has at hand.

Each row is read (:func:`~tokko.engine.prepare.prepare`, step 1), checked against the other rows
(:mod:`~tokko.engine.audit`), computed (:func:`~tokko.engine.steps.evaluate`, steps 2–5) and
added up per declaration (:mod:`~tokko.engine.totals`, steps 6–8).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from pydantic_core import InitErrorDetails, ValidationError

from tokko._version import __version__
from tokko.engine.audit import ContractLedger, ContractRow, ItemIds
from tokko.engine.explain import explain_item, explain_total
from tokko.engine.prepare import Prepared, Row, duplicate_item, index_conflict, prepare, raw_key
from tokko.engine.steps import Agreement, Context, Outcome, evaluate
from tokko.engine.totals import Adjustment, Tally, adjust, totals
from tokko.messages import Lang, Ref, t
from tokko.model.codes import ErrorCode, WarningCode
from tokko.model.construct import construct
from tokko.model.declaration import (
    AGREEMENT_FIELDS,
    DECLARATION_FIELDS,
    ITEM_FIELDS,
    ROW_FIELDS,
    Declaration,
    ExpenseItem,
)
from tokko.model.declaration import Agreement as AgreementModel
from tokko.model.fields import (
    Field,
    Twice,
    is_blank,
    is_personal,
    match_header,
    probable_field,
    read_fields,
    read_id,
)
from tokko.model.fiscal_strength import parse_index
from tokko.model.money import EXACT
from tokko.model.problem import InvalidValue, Problem
from tokko.model.result import (
    CheckResult,
    DeclarationResult,
    FiscalStrengthAdjustment,
    ItemResult,
    Result,
    RowError,
    RulesRef,
)
from tokko.model.text import loose
from tokko.rules.ruleset import RuleSet, RuleVersion, load_rules


class Done(NamedTuple):
    """One row and what became of it."""

    row: Row
    prepared: Prepared
    outcome: Outcome


# ── reading rows and declarations ───────────────────────────────────────────────────────────


class KeyReader:
    """Maps the keys of row mappings (English or Japanese, any alias) to field names, once per
    distinct set of keys; an unknown key is reported once (``UNKNOWN_COLUMN``), its values kept
    out of the computation but never silently: the problem says so."""

    def __init__(
        self,
        fields: tuple[Field, ...] = ROW_FIELDS,
        file: str | None = None,
        ignored: Sequence[str] = (),
    ) -> None:
        self._fields = fields
        self._file = file
        self._ignored = ignored
        self._layouts: dict[tuple[object, ...], dict[object, str]] = {}
        #: Per set of keys: a key naming a field another key named first (``事業費`` after
        #: ``amount``), with the first key.
        self._again: dict[tuple[object, ...], list[tuple[object, object]]] = {}
        self._reported: set[str] = set()
        self.problems: list[Problem] = []

    def read(self, data: Mapping[Any, object], number: int | None) -> dict[str, object]:
        keys = tuple(data)
        layout = self._layouts.get(keys)
        if layout is None:
            layout = self._layouts[keys] = self._layout(keys, number)
        if len(layout) == len(keys) and all(k == v for k, v in layout.items()):
            return dict(data)  # canonical keys: nothing to map
        read = {name: data[key] for key, name in layout.items()}
        for key, first in self._again.get(keys, ()):
            name, value = layout[first], data[key]
            if is_blank(value) or value == read[name]:
                continue  # the same value twice, or nothing the second time: no doubt
            read[name] = (
                value
                if is_blank(read[name])
                else Twice((str(first), str(key)), (read[name], value))
            )
        return read

    def _layout(self, keys: tuple[object, ...], number: int | None) -> dict[object, str]:
        layout: dict[object, str] = {}
        names = {f.name for f in self._fields}
        for key in keys:
            text = str(key)
            name = text if text in names else match_header(text, self._fields).field
            if name is not None and name not in layout.values():
                layout[key] = name
            elif name is not None:  # a second key for the same field: read() compares them
                first = next(k for k, n in layout.items() if n == name)
                self._again.setdefault(keys, []).append((key, first))
            elif not is_personal(text, self._ignored) and text not in self._reported:
                self._reported.add(text)
                self.problems.append(unknown_column(text, self._fields, self._file, number))
        return layout


def unknown_column(
    header: str, fields: tuple[Field, ...], file: str | None, row: int | None = 1
) -> Problem:
    """``UNKNOWN_COLUMN`` for a header that names no field, with the field it probably meant."""
    probable = probable_field(header, fields)
    detail = "column.unknown_probable" if probable else "column.unknown"
    return Problem(
        ErrorCode.UNKNOWN_COLUMN,
        detail,
        {"header": header, "probable": Ref(f"column.{probable}") if probable else ""},
        header,
        file,
        row,
        header,
    )


def _structure(title: str, loc: tuple[str | int, ...], value: object, expected: str) -> None:
    """Raise pydantic's ValidationError: the input is not a declaration at all."""
    raise ValidationError.from_exception_data(
        title,
        [
            InitErrorDetails(
                type="model_type" if expected == "object" else "list_type",
                loc=loc,
                input=value,
                ctx={"class_name": "Declaration"} if expected == "object" else {},
            )
        ],
    )


def read_declaration(
    declaration: Declaration | Mapping[str, Any],
    file: str | None = None,
    ignored: Sequence[str] = (),
) -> tuple[list[Row], list[Agreement], list[Problem]]:
    """The rows and agreements of one declaration, and what could not be read of it.

    Nothing is dropped: an unknown key, an agreement that cannot be read, a repeated agreement
    number become problems of the result. What is not a declaration at all (not an object,
    ``items`` not a list, an item not an object) raises pydantic's ``ValidationError``.
    """
    if isinstance(declaration, Declaration):
        data: Mapping[str, Any] = {
            "entity_code": declaration.entity_code,
            "fiscal_year": declaration.fiscal_year,
            "fiscal_strength_index": declaration.fiscal_strength_index,
        }
        rows = [
            Row({**data, **item.model_dump()}, file, n)
            for n, item in enumerate(declaration.items, start=1)
        ]
        return rows, list(declaration.agreements), []
    if not isinstance(declaration, Mapping):
        _structure("Declaration", (), declaration, "object")
    problems: list[Problem] = []
    own = KeyReader(DECLARATION_FIELDS, file, ignored)
    top = {k: v for k, v in declaration.items() if k not in ("items", "agreements")}
    data = own.read(top, None)
    problems += own.problems
    items = declaration.get("items", [])
    raw_agreements = declaration.get("agreements") or []
    if not isinstance(items, list | tuple):
        _structure("Declaration", ("items",), items, "list")
    if not isinstance(raw_agreements, list | tuple):
        _structure("Declaration", ("agreements",), raw_agreements, "list")
    agreements, agreement_problems = read_agreements(raw_agreements, file)
    problems += agreement_problems
    keys = KeyReader(ITEM_FIELDS, file, ignored)
    rows = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            _structure("Declaration", ("items", number - 1), item, "object")
        rows.append(Row({**keys.read(item, number), **data}, file, number))
    return rows, agreements, problems + keys.problems


def read_agreements(
    raw: Iterable[object], file: str | None = None, numbers: Iterable[int] | None = None
) -> tuple[list[Agreement], list[Problem]]:
    """Agreements from mappings (a declaration's, or an agreements file's rows), and the problems
    of those that could not be read (columns prefixed ``agreements.``). A repeated agreement
    number is a problem; the first stands."""
    agreements: dict[str, Agreement] = {}
    problems: list[Problem] = []
    keys = KeyReader(AGREEMENT_FIELDS, file)
    for index, (number, entry) in enumerate(zip(numbers or _count(), raw, strict=False)):
        if isinstance(entry, AgreementModel):
            found: list[Problem] = []
            agreement: Agreement | None = entry
        else:
            mapping = entry if isinstance(entry, Mapping) else {}
            values, found = read_fields(keys.read(mapping, number), AGREEMENT_FIELDS)
            agreement = construct(AgreementModel, **values) if not found else None
        if agreement is not None and agreement.agreement_id in agreements:
            found = [
                Problem(
                    ErrorCode.DUPLICATE_ITEM_ID,
                    "agreement.repeated",
                    {"agreement_id": agreement.agreement_id},
                    agreement.agreement_id,
                    column="agreement_id",
                )
            ]
        elif agreement is not None:
            agreements[agreement.agreement_id] = agreement
        problems += [
            p._replace(file=p.file or file, row=p.row or number, column=f"agreements.{p.column}")
            for p in found
        ]
        del index
    problems += [p._replace(column=f"agreements.{p.column}") for p in keys.problems]
    return list(agreements.values()), problems


def _count() -> Iterable[int]:
    n = 0
    while True:
        n += 1
        yield n


# ── computing rows ──────────────────────────────────────────────────────────────────────────


def contract_row(prepared: Prepared) -> ContractRow | None:
    """The contract facts of a row that names a contract and could be read; None otherwise.

    Asked of a row as step 1 read it, before the checks across rows: a row refused only as a
    repeated item id still counts — the same contract pasted twice is exactly what the contract
    checks look for, and the first row then carries the warning.
    """
    item = prepared.item
    if (
        item is None
        or item.contract_id is None
        or prepared.entity is None
        or prepared.fiscal_year is None
        or prepared.rules is None
        or prepared.problems
    ):
        return None
    return ContractRow(
        loose(item.contract_id),
        prepared.entity.code,
        prepared.fiscal_year,
        item.procurement,
        item.amount,
        item.contract_total,
    )


def contract_warnings(ledger: ContractLedger, prepared: Prepared, outcome: Outcome) -> Outcome:
    """``outcome`` with the contract checks of the row's rule version (``audit_checks.*``)."""
    if outcome.status == "error":
        return outcome
    facts = contract_row(prepared)
    if facts is None or prepared.rules is None:
        return outcome
    checks = prepared.rules.file.audit_checks
    return outcome.with_warnings(
        ledger.warnings(
            facts,
            duplicates=checks.duplicate_contract.value,
            joint_shares=checks.joint_shares_within_contract_total.value,
        )
    )


def item_key(row: Row, prepared: Prepared) -> tuple[str, int, str] | None:
    """(government, year, item id) of a row whose three could be read."""
    if prepared.entity is None or prepared.fiscal_year is None:
        return None
    item_id = prepared.item.item_id if prepared.item is not None else None
    if item_id is None:
        value = row.data.get("item_id")
        try:
            item_id = None if is_blank(value) else read_id(value)
        except InvalidValue:
            return None
    return None if item_id is None else (prepared.entity.code, prepared.fiscal_year, item_id)


class Indices:
    """The fiscal strength index of each government and year: given by a file or the caller
    first, else by the first row that gives one; a row that gives another is an error."""

    def __init__(self, given: Mapping[tuple[str, int], Decimal] | None = None) -> None:
        self.known: dict[tuple[str, int], Decimal] = dict(given or {})

    def check(self, row: Row, prepared: Prepared) -> Prepared:
        index = prepared.fiscal_strength_index
        if index is None or prepared.entity is None or prepared.fiscal_year is None:
            return prepared
        key = (prepared.entity.code, prepared.fiscal_year)
        first = self.known.setdefault(key, index)
        if first == index:
            return prepared
        return prepared._replace(problems=(*prepared.problems, index_conflict(row, index, first)))


def compute(prepared: Prepared, agreements: Mapping[str, Agreement]) -> Outcome:
    """Steps 2–5 for a prepared row (an error outcome when step 1 found problems)."""
    if prepared.problems:
        return Outcome.error(prepared.problems)
    assert prepared.item is not None
    assert prepared.rules is not None
    assert prepared.entity is not None
    assert prepared.fiscal_year is not None
    context = Context(prepared.entity.code, prepared.fiscal_year, prepared.rules, agreements)
    outcome = evaluate(prepared.item, context)
    if prepared.warnings:
        outcome = outcome._replace(warnings=(*prepared.warnings, *outcome.warnings))
    return outcome


# ── the library's arguments ─────────────────────────────────────────────────────────────────

#: ``unit`` as the library takes it: yen (1) or thousands of yen (1000, 千円).
UNITS: dict[object, int] = {1: 1, 1000: 1000, "yen": 1, "thousand": 1000}


def _ruleset(rules: RuleSet | str | os.PathLike[str] | None) -> RuleSet:
    """The rule set a caller gave: a :class:`RuleSet`, a rules folder, or None (the shipped
    rules, or ``TOKKO_RULES``)."""
    if rules is None or isinstance(rules, str | os.PathLike):
        return load_rules(rules)
    if not isinstance(rules, RuleSet):
        raise TypeError(
            f"rules must be a RuleSet (tokko.load_rules()), a rules folder or None, "
            f"not {type(rules).__name__}"
        )
    return rules


def _unit(unit: object) -> int:
    """``unit`` checked: 1 or "yen", 1000 or "thousand" (SPEC §3: ×1,000 exactly)."""
    if isinstance(unit, bool) or unit not in UNITS:
        raise ValueError(f"unit must be 1 or 'yen', 1000 or 'thousand' (千円), not {unit!r}")
    return UNITS[unit]


def _indices(
    indices: Mapping[tuple[str, int], object] | None,
) -> dict[tuple[str, int], Decimal] | None:
    """Fiscal strength indices as a caller gave them ("0.45", 0.45, Decimal), read as any
    index is (:func:`~tokko.model.fiscal_strength.parse_index`: a bad one raises
    :class:`~tokko.model.problem.InvalidValue`)."""
    if indices is None:
        return None
    return {key: parse_index(value) for key, value in indices.items()}


def _agreements(agreements: Iterable[object]) -> tuple[list[Agreement], list[Problem]]:
    """Agreements given as models or as mappings (as a declaration's JSON has them)."""
    given = list(agreements)
    if all(isinstance(a, AgreementModel) for a in given):
        return [a for a in given if isinstance(a, AgreementModel)], []
    return read_agreements(given)


def compute_rows(
    rows: Iterable[Row],
    rules: RuleSet,
    agreements: Iterable[Agreement] = (),
    *,
    unit: int = 1,
    indices: Mapping[tuple[str, int], Decimal] | None = None,
) -> list[Done]:
    """Steps 1–5 for rows held in memory, with the checks across rows."""
    book = {a.agreement_id: a for a in agreements}
    ids = ItemIds()
    known = Indices(indices)
    ledger = ContractLedger()
    prepared_rows = []
    for row in rows:
        prepared = prepare(row, rules, unit)
        facts = contract_row(prepared)
        if facts is not None:
            ledger.add(facts)
        key = item_key(row, prepared)
        if key is not None and not ids.claim(key):
            prepared = prepared._replace(problems=(*prepared.problems, duplicate_item(row, key[2])))
        prepared = known.check(row, prepared)
        prepared_rows.append((row, prepared))
    return [
        Done(row, p, contract_warnings(ledger, p, compute(p, book))) for row, p in prepared_rows
    ]


# ── results ─────────────────────────────────────────────────────────────────────────────────


def rules_ref(version: RuleVersion) -> RulesRef:
    """Which rule file produced a result: measure, version, path and SHA-256, with sources."""
    return version.ref()


def row_error(problem: Problem, lang: Lang) -> RowError:
    """A problem as the result JSON writes it."""
    return construct(
        RowError,
        file=problem.file,
        row=problem.row,
        column=problem.column,
        code=str(problem.code),
        message=problem.message(lang),
    )


def item_result(done: Done, *, explain: bool = True, lang: Lang = "ja") -> ItemResult:
    """The §6 item of one computed row."""
    outcome, prepared = done.outcome, done.prepared
    item_id = prepared.item.item_id if prepared.item else _item_id(done.row.data.get("item_id"))
    return construct(
        ItemResult,
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
        errors=list(dict.fromkeys(str(p.code) for p in outcome.problems)),
        explanation=explain_item(prepared.item, outcome, prepared.rules, prepared.fiscal_year, lang)
        if explain
        else [],
    )


def _item_id(value: object) -> str:
    """An error row's item id as read when it can be (folded), else as typed."""
    try:
        return "" if is_blank(value) else read_id(value)
    except InvalidValue:
        return raw_key(value)


class Declared(NamedTuple):
    """The totals of one declaration, as the result and the batch summary state them."""

    tally: Tally
    adjustment: Adjustment
    rules: RuleVersion | None


def build_result(
    done_rows: Sequence[Done],
    problems: Sequence[Problem] = (),
    *,
    explain: bool = True,
    lang: Lang = "ja",
    indices: Mapping[tuple[str, int], Decimal] | None = None,
) -> Result:
    """Group computed rows into declarations (first-seen order) with their totals. A row whose
    government or year could not be read belongs to no declaration: it is an error of the run."""
    groups: dict[tuple[str, int], list[Done]] = {}
    errors = [row_error(p, lang) for p in problems]
    for done in done_rows:
        prepared = done.prepared
        errors += [row_error(p, lang) for p in done.outcome.problems]
        if prepared.entity is not None and prepared.fiscal_year is not None:
            groups.setdefault((prepared.entity.code, prepared.fiscal_year), []).append(done)
    declarations = []
    used: dict[tuple[str, str], RuleVersion] = {}
    for (code, year), rows in groups.items():
        tally = Tally()
        for done in rows:
            tally.add(done.outcome)
        first = rows[0].prepared
        version = next((d.prepared.rules for d in rows if d.prepared.rules), None)
        if version is not None:
            used[(version.path, version.sha256)] = version
        index = (indices or {}).get((code, year))
        if index is None:
            index = next(
                (
                    d.prepared.fiscal_strength_index
                    for d in rows
                    if d.prepared.fiscal_strength_index is not None
                ),
                None,
            )
        declarations.append(
            declaration_result(
                first,
                tally,
                version,
                adjust(version, first.entity, index),
                [item_result(d, explain=explain, lang=lang) for d in rows],
                explain,
                lang,
            )
        )
    return construct(
        Result,
        tokko_version=__version__,
        rules=[rules_ref(v) for v in used.values()],
        declarations=declarations,
        errors=errors,
    )


def declaration_result(
    first: Prepared,
    tally: Tally,
    version: RuleVersion | None,
    adjustment: Adjustment,
    items: list[ItemResult],
    explain: bool,
    lang: Lang,
) -> DeclarationResult:
    """One declaration of the result: its items, totals, counts, warnings and explanation."""
    found, warnings = totals(tally, version, adjustment)
    return construct(
        DeclarationResult,
        entity_code=first.entity.code if first.entity else None,
        entity_name=first.entity.name if first.entity else None,
        fiscal_year=first.fiscal_year,
        rules_version=version.version if version else None,
        items=items,
        totals=found,
        reconciled=found.reconciled,
        counts=tally.counts(),
        warnings=[str(w) for w in warnings],
        explanation=explain_total(
            found.measure_by_rate, found.measure_exact, found.measure, version, adjustment, lang
        )
        if explain
        else [],
    )


# ── the library's entry points ──────────────────────────────────────────────────────────────


def _rows_of(rows: Iterable[Row | Mapping[str, object]], keys: KeyReader) -> list[Row]:
    if rows is None or isinstance(rows, str | bytes | Mapping) or not isinstance(rows, Iterable):
        _structure("rows", (), rows, "list")  # one row, a text or nothing: not rows
    out = []
    for number, raw in enumerate(rows, start=1):
        if isinstance(raw, Row):
            out.append(raw)
        elif isinstance(raw, Mapping):
            out.append(Row(keys.read(raw, number), None, number))
        else:
            _structure("rows", (number - 1,), raw, "object")
    return out


def calculate_rows(
    rows: Iterable[Row | Mapping[str, object]],
    rules: RuleSet | str | os.PathLike[str] | None = None,
    agreements: Iterable[Agreement | Mapping[str, object]] = (),
    *,
    unit: int | str = 1,
    problems: Sequence[Problem] = (),
    explain: bool = True,
    lang: Lang = "ja",
    indices: Mapping[tuple[str, int], object] | None = None,
    ignore_columns: Sequence[str] = (),
) -> Result:
    """Compute rows of one or several declarations, with the checks across rows.

    Rows are mappings from field names — English, Japanese or an alias, as a CSV header would
    be — to values as typed. ``problems`` are found before (an agreement that could not be
    read); they are carried into the result so that nothing is lost. ``indices`` gives the
    fiscal strength index of (government code, fiscal year)s. ``rules`` is a rule set or a
    rules folder; ``unit`` 1 or ``"yen"``, 1000 or ``"thousand"`` (千円); ``agreements`` models
    or mappings. A wrong argument raises ``TypeError`` or ``ValueError`` before anything is
    computed.
    """
    ruleset, factor, known = _ruleset(rules), _unit(unit), _indices(indices)
    book, book_problems = _agreements(agreements)
    keys = KeyReader(ROW_FIELDS, ignored=ignore_columns)
    read = _rows_of(rows, keys)
    done = compute_rows(read, ruleset, book, unit=factor, indices=known)
    return build_result(
        done,
        [*problems, *book_problems, *keys.problems],
        explain=explain,
        lang=lang,
        indices=known,
    )


def calculate(
    declaration: Declaration | Mapping[str, Any],
    rules: RuleSet | str | os.PathLike[str] | None = None,
    *,
    file: str | None = None,
    explain: bool = True,
    lang: Lang = "ja",
    unit: int | str = 1,
) -> Result:
    """Compute one declaration (SPEC §4) into a :class:`~tokko.model.result.Result`.

    ``declaration`` is a validated :class:`~tokko.model.declaration.Declaration`, or the
    declaration JSON as a mapping (English or Japanese keys), read leniently: a bad item becomes
    an error row and the rest is computed. Something that is not a declaration at all raises
    pydantic's ``ValidationError``. Messages are in ``lang``. ``rules`` is a rule set or a rules
    folder; ``unit`` 1 or ``"yen"``, 1000 or ``"thousand"`` when the amounts are in 千円.
    """
    ruleset, factor = _ruleset(rules), _unit(unit)
    rows, agreements, problems = read_declaration(declaration, file)
    done = compute_rows(rows, ruleset, agreements, unit=factor)
    result = build_result(done, problems, explain=explain, lang=lang)
    if rows:
        return result
    return _empty(declaration, ruleset, result, file, explain, lang)


def _empty(
    declaration: Declaration | Mapping[str, Any],
    rules: RuleSet,
    result: Result,
    file: str | None,
    explain: bool,
    lang: Lang,
) -> Result:
    """A declaration without items: still one declaration with zero totals, when its
    government and year can be read (else the problem says why)."""
    data = (
        {"entity_code": declaration.entity_code, "fiscal_year": declaration.fiscal_year}
        if isinstance(declaration, Declaration)
        else KeyReader(DECLARATION_FIELDS).read(
            {k: v for k, v in declaration.items() if k not in ("items", "agreements")}, None
        )
    )
    prepared = prepare(Row(data, file), rules)
    own = [
        p
        for p in prepared.problems
        if p.column in ("entity_code", "fiscal_year", "fiscal_strength_index")
    ]
    if own or prepared.entity is None or prepared.fiscal_year is None:
        return result.model_copy(
            update={
                "errors": [*result.errors, *(row_error(p._replace(row=None), lang) for p in own)]
            }
        )
    version = prepared.rules
    assert version is not None
    empty = declaration_result(
        prepared,
        Tally(),
        version,
        adjust(version, prepared.entity, prepared.fiscal_strength_index),
        [],
        explain,
        lang,
    )
    return result.model_copy(update={"rules": [rules_ref(version)], "declarations": [empty]})


class Checked(NamedTuple):
    """One expense checked: what became of it, with its context and the adjustment."""

    done: Done
    adjustment: Adjustment

    def item_result(self, *, explain: bool = True, lang: Lang = "ja") -> ItemResult:
        return item_result(self.done, explain=explain, lang=lang)

    def errors(self, lang: Lang = "ja") -> list[RowError]:
        return [row_error(p, lang) for p in self.done.outcome.problems]

    def answer(self, lang: Lang = "ja") -> CheckResult:
        """The whole answer: the item with its explanation, the rule version, the
        fiscal-strength adjustment and the errors (``tokko check --format json``, the API)."""
        found = self.adjustment
        measure = self.done.outcome.measure
        multiplier = found.multiplier
        version = self.done.prepared.rules
        return CheckResult(
            tokko_version=__version__,
            rules=version.ref() if version is not None else None,
            item=self.item_result(lang=lang),
            fiscal_strength=FiscalStrengthAdjustment(
                applies=found.applies,
                index=found.fiscal_strength_index,
                multiplier=multiplier,
                missing=found.missing,
                message=t(f"fiscal_strength.missing.{found.missing}", lang)
                if found.missing
                else None,
                measure_adjusted=EXACT.multiply(measure, multiplier)
                if multiplier is not None and measure is not None
                else None,
            ),
            errors=self.errors(lang),
        )


def check(
    item: ExpenseItem | Mapping[str, Any] | None = None,
    /,
    *,
    technology: str | None = None,
    expense_kind: str | None = None,
    amount: int | str | Decimal | None = None,
    fiscal_year: int | str | None = None,
    business_area: str | None = None,
    specific_revenue: int | str | Decimal | None = None,
    procurement: str | None = None,
    agreement_parties: Sequence[str] | str | None = None,
    agreement_concluded_on: str | dt.date | None = None,
    entity_code: str | int | None = None,
    introduced_in: int | str | None = None,
    fiscal_strength_index: str | Decimal | None = None,
    rules: RuleSet | str | os.PathLike[str] | None = None,
    unit: int | str = 1,
) -> Checked:
    """The computation behind :func:`check_item`, with what the command line also shows."""
    given: dict[str, Any] = {}
    if isinstance(item, ExpenseItem):
        given.update(item.model_dump())
    elif isinstance(item, Mapping):
        given.update(
            KeyReader(ROW_FIELDS).read(
                {
                    k: v
                    for k, v in item.items()
                    if k
                    not in (
                        "parties",
                        "concluded_on",
                        "agreement_parties",
                        "agreement_concluded_on",
                    )
                },
                None,
            )
        )
        agreement_parties = (
            agreement_parties or item.get("agreement_parties") or item.get("parties")
        )
        agreement_concluded_on = (
            agreement_concluded_on or item.get("agreement_concluded_on") or item.get("concluded_on")
        )
    keywords = {
        "technology": technology,
        "expense_kind": expense_kind,
        "amount": amount,
        "fiscal_year": fiscal_year,
        "business_area": business_area,
        "specific_revenue": specific_revenue,
        "procurement": procurement,
        "entity_code": entity_code,
        "introduced_in": introduced_in,
        "fiscal_strength_index": fiscal_strength_index,
    }
    given.update({k: v for k, v in keywords.items() if v is not None})
    ruleset, unit = _ruleset(rules), _unit(unit)
    problems: list[Problem] = []
    book: dict[str, Agreement] = {}
    if agreement_parties:
        year = given.get("fiscal_year")
        concluded = agreement_concluded_on
        if concluded is None:
            try:
                from tokko.model.fiscal_year import parse_fiscal_year

                concluded = f"{parse_fiscal_year(year)}-04-01"
            except InvalidValue:
                concluded = None
        values, found = read_fields(
            {"agreement_id": "check", "concluded_on": concluded, "parties": agreement_parties},
            AGREEMENT_FIELDS,
        )
        problems += [p._replace(column=f"agreements.{p.column}") for p in found]
        if not found:
            book["check"] = construct(AgreementModel, **values)
    data = {
        "item_id": "1",
        "description": "check",
        **given,
        "agreement_id": "check" if book else given.get("agreement_id"),
    }
    prepared = prepare(
        Row(data), ruleset, unit, entity_required=not is_blank(data.get("entity_code"))
    )
    prepared = prepared._replace(problems=(*prepared.problems, *problems))
    if prepared.problems:
        outcome = Outcome.error(prepared.problems)
    else:
        assert prepared.item is not None
        assert prepared.rules is not None
        assert prepared.fiscal_year is not None
        context = Context(
            prepared.entity.code if prepared.entity else None,
            prepared.fiscal_year,
            prepared.rules,
            book,
        )
        outcome = evaluate(prepared.item, context)
        if prepared.warnings:
            outcome = outcome._replace(warnings=(*prepared.warnings, *outcome.warnings))
        if (
            outcome.status != "error"
            and prepared.item.contract_total is not None
            and prepared.item.procurement == "joint"
            and prepared.item.amount > prepared.item.contract_total
        ):
            outcome = outcome.with_warnings((WarningCode.JOINT_SHARES_EXCEED_CONTRACT,))
    adjustment = (
        adjust(prepared.rules, prepared.entity, prepared.fiscal_strength_index)
        if prepared.entity is not None
        else adjust(prepared.rules, None, prepared.fiscal_strength_index)
    )
    return Checked(Done(Row(data), prepared, outcome), adjustment)


def check_item(
    item: ExpenseItem | Mapping[str, Any] | None = None,
    /,
    *,
    technology: str | None = None,
    expense_kind: str | None = None,
    amount: int | str | Decimal | None = None,
    fiscal_year: int | str | None = None,
    business_area: str | None = None,
    specific_revenue: int | str | Decimal | None = None,
    procurement: str | None = None,
    agreement_parties: Sequence[str] | str | None = None,
    agreement_concluded_on: str | dt.date | None = None,
    entity_code: str | int | None = None,
    introduced_in: int | str | None = None,
    rules: RuleSet | str | os.PathLike[str] | None = None,
    unit: int | str = 1,
    lang: Lang = "ja",
) -> ItemResult:
    """Check one expense: is it eligible, at which rate, for how much, and why::

        tokko.check_item(technology="AI", expense_kind="導入・構築", amount="1,000,000",
                         fiscal_year="R3")

    The expense may also be given as an :class:`~tokko.model.declaration.ExpenseItem` or a
    mapping of its fields, which the keywords override. With ``procurement="joint"`` and
    ``agreement_parties``, an agreement with those parties is assumed, concluded on the first
    day of the fiscal year unless ``agreement_concluded_on`` says otherwise; without
    ``entity_code`` the condition that the declaring government be a party is not checked. A bad
    value gives an item of status ``error`` whose ``errors`` name the codes.
    """
    return check(
        item,
        technology=technology,
        expense_kind=expense_kind,
        amount=amount,
        fiscal_year=fiscal_year,
        business_area=business_area,
        specific_revenue=specific_revenue,
        procurement=procurement,
        agreement_parties=agreement_parties,
        agreement_concluded_on=agreement_concluded_on,
        entity_code=entity_code,
        introduced_in=introduced_in,
        rules=rules,
        unit=unit,
    ).item_result(lang=lang)
