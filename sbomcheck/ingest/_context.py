"""What every reader gets besides the parsed document, and the warning collector."""

from __future__ import annotations

from dataclasses import dataclass, field

from sbomcheck.model import IngestWarning


@dataclass(slots=True)
class ReadContext:
    """Per-document reading state: identity of the input and the warnings raised so far."""

    key: str
    path: str
    sha256: str
    gzip: bool
    sha1: str = ""
    warnings: list[IngestWarning] = field(default_factory=list)

    def warn(self, code: str, message: str, location: str = "") -> None:
        """Record a warning (kept in `Document.warnings`, shown by `inspect`)."""
        self.warnings.append(IngestWarning(code=code, message=message, location=location))
