"""Rule sets: loading the rule files of a folder, checking coverage, choosing a version by year.

A folder holds one sub-folder per measure and one TOML file per version (``ai-rpa/2021.toml``).
:func:`load_rules` reads them all, refuses the whole set with every problem listed when one file
is wrong (:class:`~tokko.errors.RuleFileError`), and returns a :class:`RuleSet` whose
:meth:`RuleSet.for_year` gives the version in force for a fiscal year (SPEC §2).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from tokko import rulecache
from tokko.errors import FieldError, RuleFileError, RuleProblem
from tokko.fiscal_year import fiscal_year_label
from tokko.ruledata import ExcludedBusiness, ExpenseKind, RuleData, Source
from tokko.text import fold

if TYPE_CHECKING:

    from tokko.rulefile import RuleFile

ENV_VAR = "TOKKO_RULES"
_SEPARATORS = re.compile(r"[+&/、,]|\s*・\s*")
_BLANKS_AND_DOTS = re.compile(r"[\s・･]+")


def _key(text: str) -> str:
    """Fold a name for matching: NFKC, case-folded, without blanks or middle dots."""
    return _BLANKS_AND_DOTS.sub("", fold(text)).casefold()


class Technology(NamedTuple):
    """A technology as read from a row: its canonical spelling and whether it is eligible."""

    canonical: str
    eligible: bool


class BusinessMatch(NamedTuple):
    """A standardization-target business found in a row's business area, and the words matched."""

    business: ExcludedBusiness
    matched: str


class RuleVersion:
    """One loaded rule file with the lookups the engine needs, and where it came from.

    ``data`` is the validated content as plain data (:class:`~tokko.ruledata.RuleData`);
    ``values`` the same as JSON, as the file states it; ``file`` the pydantic model, built on
    first use (``tokko rules show``), so that computing needs no pydantic.
    """

    __slots__ = (
        "_business_terms",
        "_cache_business",
        "_cache_technology",
        "_file",
        "_kinds",
        "_technology_aliases",
        "data",
        "path",
        "sha256",
        "until",
        "values",
    )

    def __init__(self, values: Mapping[str, Any], path: str, sha256: str) -> None:
        data = RuleData.from_json(values)
        self.values = values
        self.data = data
        self.path = path
        self.sha256 = sha256
        self._file: RuleFile | None = None
        #: Last fiscal year in force, once the rule set knows the next version (None: open).
        self.until: int | None = data.effective_until
        self._kinds = {
            _key(name): kind
            for kind in data.expense_kinds
            for name in (kind.id, kind.name_ja, *kind.aliases)
        }
        self._technology_aliases = {
            _key(k).upper(): v.upper() for k, v in data.technology_aliases.items()
        }
        terms = [
            (_key(term), business)
            for business in data.excluded_businesses.value
            for term in (business.name, *business.aliases)
        ]
        self._business_terms = sorted(terms, key=lambda t: -len(t[0]))
        self._cache_technology: dict[str, Technology] = {}
        self._cache_business: dict[str, BusinessMatch | None] = {}

    @classmethod
    def of(cls, file: RuleFile, path: str, sha256: str) -> RuleVersion:
        """A version from a validated :class:`~tokko.rulefile.RuleFile` model."""
        version = cls(file.model_dump(mode="json", by_alias=True), path, sha256)
        version._file = file
        return version

    @property
    def file(self) -> RuleFile:
        """The pydantic model of the file (validated again from ``values`` on first use)."""
        if self._file is None:
            from tokko.rulefile import RuleFile

            self._file = RuleFile.model_validate(self.values)
        return self._file

    @property
    def measure(self) -> str:
        return self.data.measure_id

    @property
    def version(self) -> str:
        return self.data.version

    @property
    def rate_standard(self) -> Decimal:
        return self.data.rate_standard.value

    @property
    def rate_joint(self) -> Decimal:
        return self.data.rate_joint.value

    def covers(self, year: int) -> bool:
        return self.data.effective_from <= year and (self.until is None or year <= self.until)

    def is_confirmed(self, year: int) -> bool:
        """False when the year lies beyond ``confirmed_through`` (an extrapolation)."""
        through = self.data.confirmed_through
        return through is None or year <= through

    def source(self, source_id: str) -> Source:
        return self.data.sources[source_id]

    def technology(self, raw: str) -> Technology:
        """Read a technology: width and case folded, aliases applied, ``AI+RPA`` split in parts."""
        cached = self._cache_technology.get(raw)
        if cached is None:
            eligible = {t.upper() for t in self.data.technologies.value}
            parts = [p for p in _SEPARATORS.split(fold(raw).upper()) if p.strip()]
            canonical = [self._technology_aliases.get(_key(p).upper(), p.strip()) for p in parts]
            cached = Technology(
                "+".join(canonical), bool(canonical) and all(p in eligible for p in canonical)
            )
            self._cache_technology[raw] = cached
        return cached

    def expense_kind(self, raw: str) -> ExpenseKind:
        """The kind a row names, by id, Japanese name or alias; unknown → ``UNKNOWN_VALUE``."""
        kind = self._kinds.get(_key(raw))
        if kind is None:
            names = "、".join(f"{k.name_ja}（{k.id}）" for k in self.data.expense_kinds)
            raise FieldError(
                "UNKNOWN_VALUE",
                f"「{raw}」は経費区分として認識できません。次のいずれかが必要です: {names}",
                f"'{raw}' is not an expense kind; expected one of: "
                + ", ".join(f"{k.id} ({k.name_ja})" for k in self.data.expense_kinds),
            )
        return kind

    def standardization_target(self, business_area: str) -> BusinessMatch | None:
        """The standardization-target business named in ``business_area``; the longest term wins."""
        if business_area in self._cache_business:
            return self._cache_business[business_area]
        text = _key(business_area)
        found = None
        if text:
            for term, business in self._business_terms:
                if term in text:
                    found = BusinessMatch(business, term)
                    break
        if len(self._cache_business) < 100_000:
            self._cache_business[business_area] = found
        return found


class RuleSet:
    """Every version of every measure found in one folder, with their coverage checked."""

    def __init__(self, versions: Iterable[RuleVersion], root: Path | None = None) -> None:
        ordered = sorted(versions, key=lambda v: (v.measure, v.data.effective_from))
        for current, following in itertools.pairwise(ordered):
            if current.measure == following.measure and current.until is None:
                current.until = following.data.effective_from - 1
        self.versions: tuple[RuleVersion, ...] = tuple(ordered)
        self.root = root

    def __iter__(self) -> Iterator[RuleVersion]:
        return iter(self.versions)

    def __len__(self) -> int:
        return len(self.versions)

    @property
    def measures(self) -> list[str]:
        return sorted({v.measure for v in self.versions})

    def _measure(self, measure: str | None) -> str:
        if measure is not None:
            return measure
        measures = self.measures
        if len(measures) != 1:
            raise ValueError(f"several measures loaded ({', '.join(measures)}); name one")
        return measures[0]

    def get(self, version: str, measure: str | None = None) -> RuleVersion:
        """The version with this version string (``"2021.1"``) or file path (``"ai-rpa/2021.toml"``)."""
        wanted = self._measure(measure)
        for v in self.versions:
            if v.measure == wanted and version in (v.version, v.path, Path(v.path).stem):
                return v
        raise KeyError(version)

    def for_year(self, year: int, measure: str | None = None) -> RuleVersion:
        """The version in force in fiscal ``year``; none → ``NO_RULES_FOR_YEAR``, never a default."""
        wanted = self._measure(measure)
        for v in self.versions:
            if v.measure == wanted and v.covers(year):
                return v
        spans = "、".join(
            f"{v.data.effective_from}–{v.until if v.until is not None else ''}"
            for v in self.versions
            if v.measure == wanted
        )
        raise FieldError(
            "NO_RULES_FOR_YEAR",
            f"{fiscal_year_label(year)}（{year}年度）は、規則ファイルの適用年度"
            f"（{spans or 'なし'}）の外です",
            f"fiscal year {year} is outside the years the rule files cover ({spans or 'none'})",
        )


# ── Loading ──────────────────────────────────────────────────────────────────────────────────


def shipped_rules_dir() -> Path:
    """The rules shipped with tokko: the wheel's copy, else the repository's ``rules/``."""
    package = Path(__file__).resolve().parent
    shipped = package / "_rules"
    if shipped.is_dir():
        return shipped
    return package.parent.parent / "rules"


def default_rules_dir() -> Path:
    """``TOKKO_RULES`` if set, else :func:`shipped_rules_dir`."""
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else shipped_rules_dir()


def parse_rule_file(
    data: bytes, name: str, *, cached: bool = True
) -> tuple[RuleVersion | None, list[RuleProblem]]:
    """Parse and validate one rule file's bytes; ``name`` is how problems refer to it.

    Bytes validated before are read from :mod:`tokko.rulecache` unless ``cached`` is False;
    what is validated here is stored there.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    key = rulecache.cache_key(data)
    if cached and (values := rulecache.get(key)) is not None:
        try:
            return RuleVersion(values, name, sha256), []
        except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError):
            pass  # not an entry this tokko wrote: validate again
    version, problems = _validate(data, name, sha256)
    if version is not None:
        rulecache.put(key, dict(version.values))
    return version, problems


def _validate(data: bytes, name: str, sha256: str) -> tuple[RuleVersion | None, list[RuleProblem]]:
    """Every problem of one file in one round: the schema's and those across keys."""
    from pydantic import ValidationError

    from tokko.rulecheck import cross_problems, schema_problems
    from tokko.rulefile import RuleFile

    try:
        raw = tomllib.loads(data.decode("utf-8"), parse_float=Decimal)
    except UnicodeDecodeError as exc:
        return None, [RuleProblem(
            name, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})",
            f"UTF-8 の文字として読めません（{exc.start} バイト目）")]
    except tomllib.TOMLDecodeError as exc:
        return None, [RuleProblem(name, "", f"not valid TOML: {exc}",
                                  f"TOML として読めません: {exc}")]
    problems = cross_problems(raw, name)
    try:
        file = RuleFile.model_validate(raw)
    except ValidationError as exc:
        return None, schema_problems(exc, name) + problems
    if problems:
        return None, problems
    return RuleVersion.of(file, name, sha256), []


def coverage_problems(versions: Iterable[RuleVersion]) -> list[RuleProblem]:
    """Two versions of one measure starting the same year, or one running past the next's start."""
    problems = []
    by_measure: dict[str, list[RuleVersion]] = {}
    for v in versions:
        by_measure.setdefault(v.measure, []).append(v)
    for measure_versions in by_measure.values():
        ordered = sorted(measure_versions, key=lambda v: v.data.effective_from)
        for current, following in itertools.pairwise(ordered):
            start = following.data.effective_from
            if current.data.effective_from == start:
                problems.append(RuleProblem(
                    following.path, "measure.effective_from",
                    f"{following.version} starts in {start}, the same year as {current.version} "
                    f"({current.path})",
                    f"{following.version} の適用開始（{start}年度）が {current.version}"
                    f"（{current.path}）と同じ年度です",
                ))
            elif current.data.effective_until is not None and (
                current.data.effective_until >= start
            ):
                problems.append(RuleProblem(
                    current.path, "measure.effective_until",
                    f"runs to {current.data.effective_until}, past the start of "
                    f"{following.version} ({following.path}) in {start}",
                    f"{current.data.effective_until}年度まで適用となっており、{start}年度に始まる "
                    f"{following.version}（{following.path}）と重なります",
                ))
    return problems


def _rule_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*.toml") if p.is_file())


def _read_all(root: Path, *, cached: bool = True) -> tuple[list[RuleVersion], list[RuleProblem]]:
    versions: list[RuleVersion] = []
    problems: list[RuleProblem] = []
    if not root.exists():
        return [], [RuleProblem(str(root), "", "no such file or folder",
                                "ファイルまたはフォルダがありません")]
    files = _rule_files(root)
    if not files:
        problems.append(RuleProblem(str(root), "", "no rule files (*.toml) found",
                                    "規則ファイル（*.toml）がありません"))
    for path in files:
        name = path.name if root.is_file() else path.relative_to(root).as_posix()
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(RuleProblem(name, "", f"cannot be read: {exc.strerror}",
                                        f"読み込めません: {exc.strerror}"))
            continue
        version, file_problems = parse_rule_file(data, name, cached=cached)
        problems.extend(file_problems)
        if version is not None:
            versions.append(version)
    problems.extend(coverage_problems(versions))
    return versions, problems


_CACHE: dict[Path, tuple[tuple[tuple[str, int, int], ...], RuleSet]] = {}


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in _rule_files(root)
    ) if root.exists() else ()


def load_rules(path: str | os.PathLike[str] | None = None) -> RuleSet:
    """Load every rule file under ``path`` (default: ``TOKKO_RULES``, then the shipped rules).

    Raises :class:`~tokko.errors.RuleFileError` listing every problem when any file is refused.
    Loading the same unchanged folder again returns the same :class:`RuleSet`.
    """
    root = Path(path) if path is not None else default_rules_dir()
    root = root.resolve()
    signature = _signature(root)
    cached = _CACHE.get(root)
    if cached is not None and cached[0] == signature:
        return cached[1]
    versions, problems = _read_all(root)
    if problems:
        raise RuleFileError(problems)
    rules = RuleSet(versions, root)
    _CACHE[root] = (signature, rules)
    return rules


def check_rules(path: str | os.PathLike[str]) -> list[RuleProblem]:
    """Every problem of the rule file or folder at ``path``; an empty list means it loads.

    Always validates afresh, whatever the cache holds.
    """
    return _read_all(Path(path), cached=False)[1]


def rule_values(version: RuleVersion) -> Mapping[str, Any]:
    """The file as plain data (for display and diff): the validated model, JSON-compatible."""
    return version.values
