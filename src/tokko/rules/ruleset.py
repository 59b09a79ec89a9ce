"""Rule sets: loading the rule files of a folder, checking coverage, choosing a version by year.

A folder holds one sub-folder per measure and one TOML file per version (``ai-rpa/2021.toml``).
:func:`load_rules` reads them all — the bytes, every time: a result always comes from the bytes
whose SHA-256 it reports — refuses the whole set with every problem listed when one file is
wrong (:class:`~tokko.errors.RuleFileError`), and returns a :class:`RuleSet` whose
:meth:`RuleSet.for_year` gives the version in force for a fiscal year (SPEC §2).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import tomllib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from tokko.errors import RuleFileError, UsageError, os_reason
from tokko.model.codes import ErrorCode
from tokko.model.fiscal_year import fiscal_year_label
from tokko.model.problem import InvalidValue, Problem, invalid, shown
from tokko.model.result import RulesRef, SourceRef
from tokko.model.text import fold
from tokko.rules.checks import cross_problems, problem, schema_problems
from tokko.rules.schema import ExcludedBusiness, ExpenseKind, RuleFile, Source

ENV_VAR = "TOKKO_RULES"
_SEPARATORS = re.compile(r"[+&/、,]|\s*・\s*")
_BLANKS_AND_DOTS = re.compile(r"[\s・･]+")


def match_key(text: str) -> str:
    """A name as matched: folded, case-folded, without blanks or middle dots."""
    return _BLANKS_AND_DOTS.sub("", fold(text)).casefold()


class Technology(NamedTuple):
    """A technology as read from a row: its canonical spelling and whether it is eligible."""

    canonical: str
    eligible: bool


class BusinessMatch(NamedTuple):
    """A standardization-target business found in a row's business area, and the term matched."""

    business: ExcludedBusiness
    matched: str


class RuleVersion:
    """One loaded rule file (:attr:`file`, the validated model), where it came from, and the
    lookups the engine needs, each cached per distinct spelling."""

    def __init__(self, file: RuleFile, path: str, sha256: str) -> None:
        self.file = file
        self.path = path
        self.sha256 = sha256
        #: Last fiscal year in force, once the rule set knows the next version (None: open).
        self.until: int | None = file.measure.effective_until
        self._kinds = {
            match_key(name): kind
            for kind in file.expense_kinds
            for name in (kind.id, kind.name_ja, *kind.aliases)
        }
        aliases = file.technologies.aliases
        self._technology_aliases = {
            match_key(k).upper(): v.upper() for k, v in (aliases.value if aliases else {}).items()
        }
        self._eligible = {t.upper() for t in file.technologies.eligible.value}
        businesses = file.excluded_businesses
        terms = [
            (match_key(term), business)
            for business in (businesses.businesses if businesses else ())
            for term in (business.name, *business.aliases)
        ]
        self._business_terms = sorted(terms, key=lambda t: -len(t[0]))
        self._technology_cache: dict[str, Technology] = {}
        self._kind_cache: dict[str, ExpenseKind] = {}
        self._kind_index = {id(kind): i for i, kind in enumerate(file.expense_kinds)}
        self._ref: RulesRef | None = None
        self._business_cache: dict[str, BusinessMatch | None] = {}

    def __repr__(self) -> str:
        return f"<RuleVersion {self.measure} {self.version} ({self.path})>"

    @property
    def measure(self) -> str:
        return self.file.measure.id

    def ref(self) -> RulesRef:
        """Which rule file this is, as a result states it: measure, version, path, SHA-256 and
        sources (built once)."""
        if self._ref is None:
            self._ref = RulesRef(
                measure=self.measure,
                version=self.version,
                sha256=self.sha256,
                path=self.path,
                sources={
                    key: SourceRef(
                        title=s.title,
                        issuer=s.issuer,
                        date=s.date.isoformat() if s.date else None,
                        url=s.url,
                    )
                    for key, s in self.file.sources.items()
                },
            )
        return self._ref

    def kind_index(self, kind: ExpenseKind) -> int:
        """The position of an expense kind of this file (``expense_kinds[i]``)."""
        return self._kind_index[id(kind)]

    @property
    def version(self) -> str:
        return self.file.measure.version

    @property
    def rate_standard(self) -> Decimal:
        return self.file.rates.standard.value

    @property
    def rate_joint(self) -> Decimal | None:
        """The joint rate, or None for a version that has none (fiscal 2020)."""
        joint = self.file.rates.joint
        return None if joint is None else joint.value

    def covers(self, year: int) -> bool:
        return self.file.measure.effective_from <= year and (
            self.until is None or year <= self.until
        )

    def is_confirmed(self, year: int) -> bool:
        """False when the year lies beyond ``confirmed_through`` (an extrapolation)."""
        through = self.file.measure.confirmed_through
        return through is None or year <= through

    def source(self, source_id: str) -> Source:
        return self.file.sources[source_id]

    def technology(self, raw: str) -> Technology:
        """A technology as typed: width and case folded, aliases applied, ``AI+RPA`` split."""
        found = self._technology_cache.get(raw)
        if found is None:
            parts = [p for p in _SEPARATORS.split(fold(raw).upper()) if p.strip()]
            canonical = [
                self._technology_aliases.get(match_key(p).upper(), p.strip()) for p in parts
            ]
            found = Technology(
                "+".join(canonical), bool(canonical) and all(p in self._eligible for p in canonical)
            )
            if len(self._technology_cache) < 10_000:
                self._technology_cache[raw] = found
        return found

    def expense_kind(self, raw: str) -> ExpenseKind:
        """The kind a row names, by id, Japanese name or alias; unknown → ``UNKNOWN_VALUE``."""
        kind = self._kind_cache.get(raw)
        if kind is None:
            kind = self._kinds.get(match_key(raw))
            if kind is None:
                raise self._unknown_kind(raw)
            if len(self._kind_cache) < 10_000:
                self._kind_cache[raw] = kind
        return kind

    def _unknown_kind(self, raw: str) -> InvalidValue:
        kinds = self.file.expense_kinds
        return invalid(
            ErrorCode.UNKNOWN_VALUE,
            "expense_kind.unknown",
            raw,
            shown=shown(raw),
            names_ja="、".join(f"{k.name_ja}（{k.id}）" for k in kinds),
            names_en=", ".join(f"{k.id} ({k.name_ja})" for k in kinds),
        )

    def standardization_target(self, business_area: str) -> BusinessMatch | None:
        """The standardization-target business named in ``business_area``; the longest term
        wins. None when the area names none, or the version excludes none (fiscal 2020)."""
        if business_area in self._business_cache:
            return self._business_cache[business_area]
        text = match_key(business_area)
        found = None
        if text:
            for term, business in self._business_terms:
                if term in text:
                    found = BusinessMatch(business, term)
                    break
        if len(self._business_cache) < 100_000:
            self._business_cache[business_area] = found
        return found


class RuleSet:
    """Every version of every measure found in one folder, with their coverage checked."""

    def __init__(self, versions: Iterable[RuleVersion], root: Path | None = None) -> None:
        ordered = sorted(versions, key=lambda v: (v.measure, v.file.measure.effective_from))
        for current, following in itertools.pairwise(ordered):
            if current.measure == following.measure and current.until is None:
                current.until = following.file.measure.effective_from - 1
        self.versions: tuple[RuleVersion, ...] = tuple(ordered)
        self.root = root
        self._measures = sorted({v.measure for v in self.versions})

    def __iter__(self) -> Iterator[RuleVersion]:
        return iter(self.versions)

    def __len__(self) -> int:
        return len(self.versions)

    @property
    def measures(self) -> list[str]:
        return list(self._measures)

    def only(self, measure: str | None) -> RuleSet:
        """The versions of one measure; with None, the set itself when it has one measure."""
        measures = self._measures
        if measure is None:
            if len(measures) > 1:
                raise UsageError("rules.several_measures", measures=", ".join(measures))
            return self
        if measure not in measures:
            raise UsageError(
                "rules.unknown_measure", measure=measure, measures=", ".join(measures) or "—"
            )
        return RuleSet([v for v in self.versions if v.measure == measure], self.root)

    def get(self, version: str) -> RuleVersion:
        """The version with this version string (``"2021.1"``) or file (``"ai-rpa/2021.toml"``)."""
        for v in self.versions:
            if version in (v.version, v.path, Path(v.path).stem):
                return v
        raise KeyError(version)

    def for_year(self, year: int) -> RuleVersion:
        """The version in force in fiscal ``year``; none → ``NO_RULES_FOR_YEAR``, never a
        default. The set must hold one measure (:meth:`only`)."""
        self.only(None)
        for v in self.versions:
            if v.covers(year):
                return v
        spans = "、".join(f"{v.file.measure.effective_from}–{v.until or ''}" for v in self.versions)
        raise invalid(
            ErrorCode.NO_RULES_FOR_YEAR,
            "rules.no_year",
            year,
            label=fiscal_year_label(year),
            year=year,
            spans=spans or "—",
        )


# ── loading ──────────────────────────────────────────────────────────────────────────────────


def shipped_rules_dir() -> Path:
    """The rules shipped with tokko: the wheel's copy, else the repository's ``rules/``."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "_rules"
    if shipped.is_dir():
        return shipped
    return package.parent.parent / "rules"


def default_rules_dir() -> Path:
    """``TOKKO_RULES`` if set, else :func:`shipped_rules_dir`."""
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else shipped_rules_dir()


def parse_rule_file(data: bytes, name: str) -> tuple[RuleVersion | None, list[Problem]]:
    """Every problem of one rule file's bytes in one round (the schema's and those across
    keys), or its version; ``name`` is how problems refer to it."""
    try:
        raw = tomllib.loads(data.decode("utf-8"), parse_float=Decimal)
    except UnicodeDecodeError as exc:
        return None, [problem(name, "", "rule.not_utf8", at=exc.start)]
    except tomllib.TOMLDecodeError as exc:
        return None, [problem(name, "", "rule.not_toml", reason=str(exc))]
    problems = cross_problems(raw, name)
    try:
        file = RuleFile.model_validate(raw)
    except ValidationError as exc:
        return None, schema_problems(exc, name) + problems
    if problems:
        return None, problems
    return RuleVersion(file, name, hashlib.sha256(data).hexdigest()), []


def coverage_problems(versions: Iterable[RuleVersion]) -> list[Problem]:
    """Two versions of one measure starting the same year, or one running past the next's start."""
    problems = []
    by_measure: dict[str, list[RuleVersion]] = {}
    for v in versions:
        by_measure.setdefault(v.measure, []).append(v)
    for measure_versions in by_measure.values():
        ordered = sorted(measure_versions, key=lambda v: v.file.measure.effective_from)
        for current, following in itertools.pairwise(ordered):
            start = following.file.measure.effective_from
            until = current.file.measure.effective_until
            if current.file.measure.effective_from == start:
                problems.append(
                    problem(
                        following.path,
                        "measure.effective_from",
                        "rules.same_start",
                        version=following.version,
                        start=start,
                        other=current.version,
                        other_path=current.path,
                    )
                )
            elif until is not None and until >= start:
                problems.append(
                    problem(
                        current.path,
                        "measure.effective_until",
                        "rules.overlap",
                        until=until,
                        start=start,
                        other=following.version,
                        other_path=following.path,
                    )
                )
    return problems


def _identity(data: bytes) -> tuple[str, str] | None:
    """(measure, version) of a rule file's bytes read as plain TOML, valid or not; None when
    they are not TOML or name neither."""
    try:
        measure = tomllib.loads(data.decode("utf-8"))["measure"]
        return str(measure["id"]), str(measure["version"])
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError):
        return None


def _shipped_versions() -> dict[tuple[str, str], str]:
    """(measure, version) → SHA-256 of each shipped rule file."""
    found: dict[tuple[str, str], str] = {}
    for path in sorted(shipped_rules_dir().rglob("*.toml")):
        data = path.read_bytes()
        identity = _identity(data)
        if identity is not None:
            found[identity] = hashlib.sha256(data).hexdigest()
    return found


class _Read(NamedTuple):
    """A rule file as read: its name, its (measure, version) and the SHA-256 of its bytes."""

    name: str
    identity: tuple[str, str] | None
    sha256: str


def version_conflicts(files: Iterable[_Read], root: Path) -> list[Problem]:
    """``RULE_VERSION_CONFLICT`` for each file outside the shipped rules that reuses a shipped
    (measure, version) with other bytes — whether or not the file is otherwise valid: a copy
    edited for next year must say it is another version, so no result shows an official version
    number for unofficial rules."""
    if root.resolve() == shipped_rules_dir().resolve():
        return []
    shipped = _shipped_versions()
    return [
        Problem(
            ErrorCode.RULE_VERSION_CONFLICT,
            "rules.version_conflict",
            {"measure": f.identity[0], "version": f.identity[1]},
            f.identity[1],
            file=f.name,
            key="measure.version",
        )
        for f in files
        if f.identity is not None and shipped.get(f.identity, f.sha256) != f.sha256
    ]


def rule_files(root: Path) -> list[Path]:
    """The rule files of a folder (every ``*.toml`` below it), or the file itself."""
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*.toml") if p.is_file())


def read_rules(root: Path) -> tuple[list[RuleVersion], list[Problem]]:
    """Every version of a file or folder, and every problem found in them."""
    if not root.exists():
        return [], [problem(str(root), "", "rules.no_folder")]
    versions: list[RuleVersion] = []
    problems: list[Problem] = []
    read: list[_Read] = []
    files = rule_files(root)
    if not files:
        problems.append(problem(str(root), "", "rules.no_files"))
    for path in files:
        name = path.name if root.is_file() else path.relative_to(root).as_posix()
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(problem(name, "", "rules.unreadable", reason=os_reason(exc)))
            continue
        version, file_problems = parse_rule_file(data, name)
        problems.extend(file_problems)
        if version is not None:
            versions.append(version)
            read.append(_Read(name, (version.measure, version.version), version.sha256))
        else:
            read.append(_Read(name, _identity(data), hashlib.sha256(data).hexdigest()))
    problems += coverage_problems(versions)
    problems += version_conflicts(read, root)
    return versions, problems


def load_rules(
    path: str | os.PathLike[str] | None = None, *, measure: str | None = None
) -> RuleSet:
    """Load every rule file under ``path`` (default: ``TOKKO_RULES``, then the shipped rules);
    with ``measure``, only that measure's versions.

    Raises :class:`~tokko.errors.RuleFileError` listing every problem when any file is refused.
    """
    root = (Path(path) if path is not None else default_rules_dir()).resolve()
    versions, problems = read_rules(root)
    if problems:
        raise RuleFileError(problems)
    rules = RuleSet(versions, root)
    return rules.only(measure) if measure is not None else rules


def check_rules(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem of the rule file or folder at ``path``; an empty list means it loads."""
    return read_rules(Path(path))[1]


def rule_values(version: RuleVersion) -> dict[str, Any]:
    """The file as plain data (for display and diff): the validated model, JSON-compatible."""
    return version.file.model_dump(mode="json", by_alias=True, exclude_none=True)
