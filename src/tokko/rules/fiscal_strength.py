"""The ``[fiscal_strength]`` table of a rule file: whether the adjustment applies, and its brackets.

SPEC §1: the measure is the expense × the rate × a multiplier that depends on the government's
fiscal strength index (財政力指数に応じた乗率). The brackets are written as the ordinance writes
them — over ``above`` (exclusive) up to ``up_to`` (inclusive), open at either end — and together
they must cover every index ≥ 0 exactly once, or the file is refused naming the gap or the
overlap. Brackets that name ``entities`` make two tables (one for prefectures, one for
municipalities), each of which must cover every index. :func:`multiplier_for` picks the one
bracket that applies. The shipped rule files say the adjustment applies and carry no table
(nobody here could confirm its values): tokko then says it was not applied.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from tokko.messages import Lang, Ref, Sentences, t
from tokko.model.fiscal_strength import decimals

EntityKind = Literal["prefecture", "municipality"]
_ZERO = Decimal(0)


def refuse(detail: str, **params: object) -> PydanticCustomError:
    """A rule of the schema broken: the id of its message in :mod:`tokko.messages` and its
    parameters (:mod:`tokko.rules.checks` turns it into a problem)."""
    return PydanticCustomError(
        "tokko_rule", "{en}", {"en": t(detail, "en", **params), "detail": detail, "params": params}
    )


def _two(bound: Decimal) -> str:
    """A bound as the ordinance prints an index: two decimals (``0.4`` → ``0.40``)."""
    return f"{bound:.2f}"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class AppliesFlag(_Model):
    """Whether the adjustment applies to this measure version, with the source that says so."""

    value: Annotated[bool, Field(strict=True)]
    source: Annotated[str, Field(min_length=1)]
    also_cites: tuple[str, ...] = ()
    note_ja: str | None = None
    note_en: str | None = None

    def note(self, lang: Lang) -> str | None:
        return (self.note_ja or self.note_en) if lang == "ja" else (self.note_en or self.note_ja)


def _decimal_only(value: object, what: str) -> object:
    """An exact decimal number ≥ 0: a TOML float read without ``parse_float=Decimal`` would
    carry binary rounding; a quoted number is a typing mistake; nan and inf are no number."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise refuse("fs.not_decimal", what=Ref(what), kind=type(value).__name__)
    if isinstance(value, Decimal) and not value.is_finite():
        raise refuse("fs.not_finite", what=Ref(what))
    if value < 0:
        raise refuse("fs.negative", what=Ref(what))
    return value


class MultiplierBracket(_Model):
    """One bracket: the indices over ``above`` (absent: from 0, 0 included) up to ``up_to``
    (absent: open above), for ``entities`` (absent: prefectures and municipalities alike)."""

    value: Decimal
    above: Decimal | None = None
    up_to: Decimal | None = None
    entities: EntityKind | None = None
    source: Annotated[str, Field(min_length=1)]
    note_ja: str | None = None
    note_en: str | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _value_is_decimal(cls, value: object) -> object:
        return _decimal_only(value, "fs.what.multiplier")

    @field_validator("above", "up_to", mode="before")
    @classmethod
    def _bound_is_decimal(cls, value: object) -> object:
        return value if value is None else _decimal_only(value, "fs.what.bound")

    @field_validator("above", "up_to")
    @classmethod
    def _two_decimals(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and decimals(value) > 2:
            raise refuse("fs.bound_decimals", bound=value)
        return value

    @model_validator(mode="after")
    def _above_below_up_to(self) -> MultiplierBracket:
        if self.above is not None and self.up_to is not None and self.above >= self.up_to:
            raise refuse("fs.above_up_to", above=_two(self.above), up_to=_two(self.up_to))
        return self

    def covers(self, index: Decimal) -> bool:
        """Whether ``index`` falls in this bracket (over ``above``, up to ``up_to`` inclusive)."""
        low_ok = index >= 0 if self.above is None else index > self.above
        return low_ok and (self.up_to is None or index <= self.up_to)

    def interval(self) -> Ref:
        """The bracket's indices in words."""
        return interval(self.above, self.up_to)

    def note(self, lang: Lang) -> str | None:
        return (self.note_ja or self.note_en) if lang == "ja" else (self.note_en or self.note_ja)


class FiscalStrength(_Model):
    """``[fiscal_strength]``: whether the adjustment applies and, once transcribed, its table.

    ``multipliers`` is empty until someone transcribes the ordinance's table; tokko then computes
    the amount before the adjustment and says so (``FISCAL_STRENGTH_NOT_APPLIED``, SPEC §4).
    """

    applies: AppliesFlag
    multipliers: tuple[MultiplierBracket, ...] = ()

    @model_validator(mode="after")
    def _tables_cover_every_index(self) -> FiscalStrength:
        if not self.multipliers:
            return self
        if not self.applies.value:
            raise refuse("fs.table_but_not_applied")
        named = [i for i, b in enumerate(self.multipliers) if b.entities is not None]
        if named and len(named) != len(self.multipliers):
            unnamed = [i for i, b in enumerate(self.multipliers) if b.entities is None]
            raise refuse("fs.mixed_entities", named=_brackets(named), unnamed=_brackets(unnamed))
        kinds: tuple[EntityKind | None, ...] = ("prefecture", "municipality") if named else (None,)
        problems: list[Ref] = []
        for kind in kinds:
            rows = [(i, b) for i, b in enumerate(self.multipliers) if b.entities == kind]
            problems += [
                Ref(f"fs.table.{kind or 'both'}", {"problem": p})
                for p in _coverage_problems(rows, kind)
            ]
        if problems:
            raise refuse("fs.coverage", problems=Sentences(problems))
        return self

    @property
    def has_table(self) -> bool:
        """Whether the rule file carries a multiplier table (it may not, SPEC §1)."""
        return bool(self.multipliers)

    @property
    def per_entity_kind(self) -> bool:
        """Whether the file has one table for prefectures and another for municipalities."""
        return any(b.entities is not None for b in self.multipliers)

    def table_for(self, entity_kind: EntityKind) -> tuple[MultiplierBracket, ...]:
        """The brackets that apply to a government of ``entity_kind``, in file order."""
        if not self.per_entity_kind:
            return self.multipliers
        return tuple(b for b in self.multipliers if b.entities == entity_kind)


def multiplier_for(
    table: FiscalStrength, index: Decimal, entity_kind: EntityKind
) -> MultiplierBracket:
    """The one bracket of ``table`` that applies to ``index`` for a government of
    ``entity_kind`` (the table must have brackets, the index must be ≥ 0)."""
    matches = [b for b in table.table_for(entity_kind) if b.covers(index)]
    assert len(matches) == 1, "validated brackets cover every index >= 0 exactly once"
    return matches[0]


# ── coverage ────────────────────────────────────────────────────────────────────────────────


class _Edge(NamedTuple):
    """Where a bracket starts: ``at`` and whether ``at`` itself is in it."""

    at: Decimal
    closed: bool


def _start(bracket: MultiplierBracket) -> _Edge:
    return _Edge(_ZERO, True) if bracket.above is None else _Edge(bracket.above, False)


def interval(above: Decimal | None, up_to: Decimal | None) -> Ref:
    """The indices over ``above`` (None: from 0) up to ``up_to`` (None: open), in words."""
    if above is None and up_to is not None and up_to == 0:
        return Ref("fs.interval.zero")
    if up_to is None:
        return (
            Ref("fs.interval.from_zero")
            if above is None
            else Ref("fs.interval.over", {"above": _two(above)})
        )
    if above is None:
        return Ref("fs.interval.zero_to", {"up_to": _two(up_to)})
    return Ref("fs.interval.over_to", {"above": _two(above), "up_to": _two(up_to)})


def _brackets(indexes: list[int]) -> str:
    return ", ".join(f"multipliers[{i}]" for i in indexes)


def _coverage_problems(
    rows: list[tuple[int, MultiplierBracket]], kind: EntityKind | None
) -> list[Ref]:
    """Every gap and overlap of one table; none when it is sound.

    The brackets are walked in the order of where they start (the file may list them in any
    order). ``reach`` is how far the brackets walked so far cover: ``None`` before the first,
    then the largest ``up_to`` (inclusive), or "open" once a bracket has no ``up_to``.
    """
    if not rows:
        return [Ref(f"fs.no_brackets.{kind}")]
    problems: list[Ref] = []
    ordered = sorted(rows, key=lambda r: (_start(r[1]).at, not _start(r[1]).closed))
    reach: Decimal | None = None
    reach_open = False
    reacher = -1  # the bracket whose up_to is ``reach``
    started = False
    for i, bracket in ordered:
        start = _start(bracket)
        if not started:
            if not start.closed:  # the first bracket starts over ``above``: 0..above is bare
                problems.append(Ref("fs.gap", {"range": interval(None, start.at)}))
        elif reach_open or (reach is not None and (start.closed or start.at < reach)):
            up_to = (
                bracket.up_to
                if reach_open
                else (
                    reach if bracket.up_to is None or reach is None else min(reach, bracket.up_to)
                )
            )
            problems.append(
                Ref(
                    "fs.overlap",
                    {
                        "first": f"multipliers[{reacher}]",
                        "second": f"multipliers[{i}]",
                        "range": interval(bracket.above, up_to),
                    },
                )
            )
        elif reach is not None and start.at > reach:
            problems.append(Ref("fs.gap", {"range": interval(reach, start.at)}))
        started = True
        if reach_open:
            continue
        if bracket.up_to is None:
            reach_open, reacher = True, i
        elif reach is None or bracket.up_to > reach:
            reach, reacher = bracket.up_to, i
    if not reach_open:
        problems.append(Ref("fs.gap", {"range": interval(reach, None)}))
    return problems
