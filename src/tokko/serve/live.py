"""The rules in force while the server runs, re-read when their files change.

A prefecture adds next year's rule file, or corrects one, without restarting the server: at most
every few seconds a request looks at the rule files' names, sizes and modification times, and
when they changed the whole folder is loaded again (the same :func:`~tokko.rules.ruleset.load_rules`
as the command line: every result still reports the SHA-256 of the bytes it used). A folder that
is refused after a change leaves the rules in force as they were: the refusal is logged with
every problem and shown by ``/healthz``, until the files are corrected.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from tokko.errors import RuleFileError, UsageError
from tokko.rules.ruleset import RuleSet, default_rules_dir, load_rules, rule_files

log = logging.getLogger("tokko.serve")

Stamp = tuple[tuple[str, int, int], ...] | None


class LiveRules:
    """The rule set of one folder, kept current. :meth:`current` is cheap: it looks at the
    files only when ``interval`` seconds have passed since it last did."""

    def __init__(
        self, path: Path | None, measure: str | None = None, interval: float = 2.0
    ) -> None:
        self.root = (path if path is not None else default_rules_dir()).resolve()
        self.measure = measure
        self.interval = interval
        self._lock = threading.Lock()
        self._stamp = self._fingerprint()
        self._rules = self._load()  # refused at start: the caller says why and stops
        self._checked = time.monotonic()
        #: Why the last change was refused (each problem with its file and key), while the
        #: rules before it stay in force; None when the files in force are the files there.
        self.refused: str | None = None

    def _load(self) -> RuleSet:
        rules = load_rules(self.root, measure=self.measure)
        rules.only(self.measure)  # one measure, or --measure: refused now, not per request
        return rules

    def _fingerprint(self) -> Stamp:
        try:
            found = []
            for path in rule_files(self.root):
                status = path.stat()
                found.append((str(path), status.st_size, status.st_mtime_ns))
        except OSError:
            return None
        return tuple(found)

    def current(self) -> RuleSet:
        """The rules in force (re-read first when the files changed)."""
        now = time.monotonic()
        if now - self._checked < self.interval:
            return self._rules
        with self._lock:
            if now - self._checked >= self.interval:
                self._refresh()
                self._checked = time.monotonic()
        return self._rules

    def _refresh(self) -> None:
        stamp = self._fingerprint()
        if stamp == self._stamp:
            return
        self._stamp = stamp
        try:
            rules = self._load()
        except (RuleFileError, UsageError) as error:
            self.refused = describe(error)
            log.error(
                "rule files changed but are refused; the rules before stay in force:\n%s",
                self.refused,
            )
            return
        self._rules = rules
        self.refused = None
        log.info(
            "rules reloaded: %s",
            ", ".join(f"{v.measure} {v.version} ({v.path} sha256 {v.sha256[:12]})" for v in rules),
        )


def describe(error: RuleFileError | UsageError) -> str:
    """A refusal of the rules for the log and ``/healthz``: each problem with its file."""
    if isinstance(error, UsageError):
        return error.message("en")
    return "\n".join(
        f"{p.file}: {p.message('en')}" if getattr(p, "file", None) else p.message("en")
        for p in error.problems
    )
