"""The fields of the input, declared once, and how each one is read.

Each field of :mod:`tokko.model.declaration` carries a :class:`Spec` in its annotation: the
headers it also answers to, whether it is required, the function that reads what a user typed,
the flag of ``tokko check`` and the vocabulary of the rules its drop-down list comes from. Its
labels (日本語 / English) are ``column.<name>`` in :mod:`tokko.messages`, its help text
``help.<name>``. Headers, JSON keys, the template, the flags of ``tokko check`` and the JSON
Schema are all derived from these declarations (:func:`fields_of`, :func:`match_header`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel

from tokko.messages import Ref, has, t
from tokko.model.codes import ErrorCode
from tokko.model.fiscal_strength import parse_index
from tokko.model.fiscal_year import parse_date, parse_fiscal_year
from tokko.model.localgov import read_code
from tokko.model.money import parse_yen
from tokko.model.problem import InvalidValue, invalid, shown
from tokko.model.text import fold

Procurement = Literal["single", "joint"]
#: Reads one non-blank value; ``unit`` is 1 (yen) or 1000 (千円) for amounts.
Parser = Callable[[object, int], Any]
Vocabulary = Literal["technologies", "expense_kinds", "procurement", "businesses"]


class Spec(NamedTuple):
    """How one field is read and offered: put it in the field's ``Annotated``."""

    parse: Parser
    #: Headers this field also answers to, besides its name and its two labels.
    aliases: tuple[str, ...] = ()
    #: Words that, inside an unknown header, suggest this field (``国庫補助金`` → 特定財源).
    hints: tuple[str, ...] = ()
    #: The flag of ``tokko check`` (and its short form), or None when check has none.
    flag: str | None = None
    short: str | None = None
    #: The rule list a value must come from (the template's drop-down list).
    vocabulary: Vocabulary | None = None
    #: An example value, for the template and the help.
    example: str = ""


class Field(NamedTuple):
    """A declared field: its name, whether it must be given, its default and its spec."""

    name: str
    required: bool
    default: Any
    spec: Spec

    def label(self, lang: Literal["ja", "en"]) -> str:
        return t(f"column.{self.name}", lang)


def fields_of(model: type[BaseModel]) -> tuple[Field, ...]:
    """The fields of a model that carry a :class:`Spec`, in declaration order."""
    found = []
    for name, info in model.model_fields.items():
        spec = next((m for m in info.metadata if isinstance(m, Spec)), None)
        if spec is not None:
            required = info.is_required()
            found.append(Field(name, required, None if required else info.default, spec))
    return tuple(found)


# ── blanks and text ─────────────────────────────────────────────────────────────────────────


class Unsaved:
    """A spreadsheet cell holding a formula whose result was never saved in the file (a
    workbook written by a program, not by Excel): its value is unknown. It is never blank and
    never read as a value (:func:`refuse_unknown`): an unknown specific revenue must not become
    0, nor an unknown business area "not a standardization target"."""

    __slots__ = ("formula",)

    def __init__(self, formula: str) -> None:
        self.formula = formula

    def __str__(self) -> str:
        """Nothing: the results show no value for it (the errors say why, with the formula),
        and a formula is never written into a CSV."""
        return ""

    def __repr__(self) -> str:
        return f"Unsaved({self.formula!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unsaved) and other.formula == self.formula

    def __hash__(self) -> int:
        return hash((Unsaved, self.formula))

    def __reduce__(self) -> tuple[type[Unsaved], tuple[str]]:
        return (Unsaved, (self.formula,))


class Twice:
    """A field given twice in one mapping (``amount`` and ``事業費``) with two values typed
    differently: :func:`settle` reads both, and uses them when they read alike ("1,000" and
    1000); otherwise which one is meant is unknown, and neither is used."""

    __slots__ = ("keys", "values")

    def __init__(self, keys: tuple[str, str], values: tuple[object, object] = (None, None)) -> None:
        self.keys = keys
        self.values = values

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"Twice({self.keys!r})"


def settle(value: object, parse: Callable[[object], object]) -> object:
    """A value given :class:`Twice` read both ways: the first as typed when both read alike
    (``"1,000"`` and ``1000``; ``R3`` and ``2021``), else ``UNKNOWN_VALUE``
    (:func:`refuse_unknown`). Any other value is returned as it is."""
    if not isinstance(value, Twice):
        return value
    first, second = value.values
    try:
        same = parse(first) == parse(second)
    except InvalidValue:
        same = False
    if same:
        return first
    raise _twice(value)


def _twice(value: Twice) -> InvalidValue:
    first, second = value.keys
    return invalid(ErrorCode.UNKNOWN_VALUE, "field.twice", None, first=first, second=second)


def refuse_unknown(value: object) -> None:
    """A value that cannot be known — an :class:`Unsaved` formula, a field given :class:`Twice`
    — is ``UNKNOWN_VALUE``, saying why and what to do."""
    if isinstance(value, Unsaved):
        raise invalid(
            ErrorCode.UNKNOWN_VALUE, "cell.formula_unsaved", value.formula, formula=value.formula
        )
    if isinstance(value, Twice):
        raise _twice(value)


def is_blank(value: object) -> bool:
    """None, or text that is empty once folded (full-width spaces and invisible ones included)."""
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    if value.isprintable() and value.strip():  # a visible character: not blank (fast path)
        return False
    return not fold(value)


def missing(name: str) -> Exception:
    return invalid(ErrorCode.MISSING_FIELD, "field.missing", None, label=Ref(f"column.{name}"))


def _scalar(value: object, expected: str) -> str:
    """A cell as text: text as it is, a whole number as its digits; a list, an object, a
    truth value or a fraction is not a value of this field."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    whole = (isinstance(value, float) and math.isfinite(value) and value.is_integer()) or (
        isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value()
    )
    if not whole:
        raise invalid(
            ErrorCode.UNKNOWN_VALUE,
            "value.not_text",
            value,
            shown=shown(value),
            expected=Ref(expected),
        )
    return str(int(value))  # type: ignore[call-overload]


_MAX_TEXT = 32_767  # a spreadsheet cell's limit


def read_text(value: object, _unit: int = 1) -> str:
    """Free text (a description, a business area): as typed, ends stripped."""
    text = _scalar(value, "expected.text").strip()
    if len(text) > _MAX_TEXT:
        raise invalid(ErrorCode.UNKNOWN_VALUE, "value.too_long", shown(text), limit=_MAX_TEXT)
    return text


def read_id(value: object, _unit: int = 1) -> str:
    """An identifier (item, agreement, contract number) as compared: folded, so that a
    full-width ``Ｃ－００１`` or an invisible character never makes another id."""
    if isinstance(value, str) and value.isascii() and value.isprintable():
        text = value.strip()
    else:
        text = fold(_scalar(value, "expected.id"))
    if not text:
        raise invalid(ErrorCode.MISSING_FIELD, "field.blank_id", value)
    if len(text) > 256:
        raise invalid(ErrorCode.UNKNOWN_VALUE, "value.too_long", shown(text), limit=256)
    return text


_PROCUREMENT: dict[str, Procurement] = {
    "single": "single", "単独": "single", "単独調達": "single", "単独発注": "single",
    "joint": "joint", "共同": "joint", "共同調達": "joint", "共同発注": "joint",
}  # fmt: skip


def read_procurement(value: object, _unit: int = 1) -> Procurement:
    """``single``/``単独`` or ``joint``/``共同``; anything else → ``UNKNOWN_VALUE``."""
    text = _scalar(value, "expected.procurement")
    found = _PROCUREMENT.get(fold(text).replace(" ", "").casefold())
    if found is None:
        raise invalid(ErrorCode.UNKNOWN_VALUE, "procurement.unknown", value, shown=shown(value))
    return found


def read_yen(value: object, unit: int = 1) -> Decimal:
    return parse_yen(value, unit)


def read_year(value: object, _unit: int = 1) -> int:
    return parse_fiscal_year(value)


def read_entity(value: object, _unit: int = 1) -> str:
    """A local government code, as its 6 digits (for a model; rows keep the reading)."""
    return read_code(value).government.code


def read_index(value: object, _unit: int = 1) -> Decimal:
    return parse_index(value)


def read_date(value: object, _unit: int = 1) -> dt.date:
    return parse_date(value)


def read_parties(value: object, _unit: int = 1) -> tuple[str, ...]:
    """Agreement parties: a list, or codes separated by ``;``, ``、`` or ``,``."""
    if isinstance(value, str):
        parts: list[object] = list(re.split(r"[;、,，；\s]+", fold(value)))
    elif isinstance(value, list | tuple):
        parts = list(value)
    else:
        parts = [value]
    codes = [read_code(p).government.code for p in parts if not is_blank(p)]
    if not codes:
        raise missing("parties")
    return tuple(dict.fromkeys(codes))


# ── headers ─────────────────────────────────────────────────────────────────────────────────

_UNIT = re.compile(r"^(?P<name>.*?)\s*[(\[]\s*(?P<unit>千円|円|yen|thousand yen|千)\s*[)\]]$", re.I)
#: Columns a person adds for themselves: accepted without a word (SPEC §3).
PERSONAL_COLUMNS = (
    "備考",
    "メモ",
    "摘要",
    "note",
    "notes",
    "comment",
    "comments",
    "memo",
    "remarks",
)


def header_key(text: str) -> str:
    """A header as compared: folded, case-folded, without blanks, underscores or middle dots."""
    return re.sub(r"[\s_・･\-]+", "", fold(text)).casefold()


class Header(NamedTuple):
    """One header as read: the field it names (or None), and a unit it states."""

    text: str
    field: str | None
    unit: int | None  # 1 for 円, 1000 for 千円, None when the header states none


@lru_cache(maxsize=64)
def _names(fields: tuple[Field, ...]) -> dict[str, str]:
    names: dict[str, str] = {}
    for field in fields:
        for name in (field.name, field.label("ja"), field.label("en"), *field.spec.aliases):
            names.setdefault(header_key(name), field.name)
    return names


def match_header(text: str, fields: tuple[Field, ...]) -> Header:
    """Which field a header names (English, Japanese, an alias; a unit in brackets after it,
    ``事業費（千円）``, is read as the unit)."""
    raw = fold(text)
    unit: int | None = None
    if (found := _UNIT.match(raw)) is not None:
        raw = found.group("name")
        unit = 1000 if found.group("unit").lower() in ("千円", "千", "thousand yen") else 1
    return Header(text, _names(fields).get(header_key(raw)), unit)


def is_personal(text: str, ignored: Sequence[str] = ()) -> bool:
    """A column a person added for themselves (備考, note…) or one named by ``--ignore-column``."""
    key = header_key(text)
    return key in {header_key(n) for n in (*PERSONAL_COLUMNS, *ignored)}


def probable_field(text: str, fields: tuple[Field, ...]) -> str | None:
    """The field an unknown header probably meant: one whose hint words it contains
    (``国庫補助金`` → ``specific_revenue``), else the closest label or alias."""
    key = header_key(text)
    for field in fields:
        if any(header_key(hint) in key for hint in field.spec.hints):
            return field.name
    names = _names(fields)
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else None


def _parse_with(parse: Callable[[Any, int], Any], value: object, *, unit: int) -> object:
    return parse(value, unit)


def read_fields(
    data: Mapping[str, object], fields: tuple[Field, ...], unit: int = 1
) -> tuple[dict[str, Any], list[Any]]:
    """Read every field of ``data`` (canonical names); every bad value is a problem, none
    stops the others. Returns the values read and the problems (with their column)."""
    values: dict[str, Any] = {}
    problems = []
    for field in fields:
        value = data.get(field.name)
        try:
            if value is not None and not isinstance(value, str):  # text is never Twice or Unsaved
                value = settle(value, partial(_parse_with, field.spec.parse, unit=unit))
                refuse_unknown(value)
            if is_blank(value):
                if field.required:
                    raise missing(field.name)
                values[field.name] = field.default
            else:
                values[field.name] = field.spec.parse(value, unit)
        except Exception as error:
            problem = getattr(error, "problem", None)
            if problem is None:
                raise
            problems.append(problem.at(column=field.name))
    return values, problems


def label_of(name: str, lang: Literal["ja", "en"]) -> str:
    """A field's label, or the name itself when it is none."""
    return t(f"column.{name}", lang) if has(f"column.{name}") else name
