"""How one server runs: where its rules are, its limits, its token."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MiB = 1024 * 1024
#: The default limit of one request's body (an upload or a JSON document), in MiB.
DEFAULT_MAX_UPLOAD_MB = 32
#: How many files one request may upload (declaration tables of a batch, agreements, indices).
MAX_FILES = 64
#: How often, at most, the rule files are looked at for a change (seconds).
RULES_CHECK_SECONDS = 2.0


@dataclass(frozen=True)
class ServeConfig:
    """The settings of one server.

    ``rules_dir`` None means ``TOKKO_RULES``, else the shipped rules; ``token`` None means the
    API is open to whoever reaches the port (a fronting proxy or the loopback interface decides);
    ``max_upload_mb`` bounds every request's body.
    """

    rules_dir: Path | None = None
    measure: str | None = None
    token: str | None = None
    max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB
    rules_check_seconds: float = RULES_CHECK_SECONDS
    max_files: int = MAX_FILES

    @property
    def max_body_bytes(self) -> int:
        return self.max_upload_mb * MiB
