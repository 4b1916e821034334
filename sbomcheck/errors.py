"""The one error root of sbomcheck, and its user-facing subclasses.

Only the CLI catches `SbomcheckError` (one line, exit code 2); any other exception is a bug,
which the CLI shows as one line with exit code 70 and its traceback under `-vv`. Every message
is one line that names the file and, where known, the place in it; `diagnostics()` shows the
control and bidi characters of quoted names and values as escapes (`sbomcheck.safe_text`).
"""

from __future__ import annotations

from sbomcheck.safe_text import visible


class SbomcheckError(Exception):
    """Base error; `diagnostics()` is the one line the CLI shows the user."""

    def diagnostics(self) -> str:
        """The message for the user, on one line and safe for a terminal: messages quote
        file names and SBOM values, whose control and bidi characters are shown as escapes."""
        return visible(" ".join(str(self).split()))


class InputError(SbomcheckError):
    """Bad input: a file that cannot be read as what it claims to be.

    `source` names the file (a path, `-` for standard input, or `archive.zip!inner/path`);
    `location` is a path into the document: a JSON-style path (`components[12].supplier`),
    a line number (`line 40`) or an XPath (`/bom/components/component[3]`).
    """

    def __init__(self, message: str, *, source: str | None = None, location: str | None = None):
        self.message = message
        self.source = source
        self.location = location
        super().__init__(self._render())

    def _render(self) -> str:
        where = ": ".join(p for p in (self.source, self.location) if p)
        return f"{where}: {self.message}" if where else self.message


class IngestError(InputError):
    """An SBOM that cannot be parsed (malformed, truncated, wrong types, not an SBOM)."""


class LimitError(IngestError):
    """An SBOM over a safety limit (size after decompression, nesting depth, archive members)."""


class AliasTableError(InputError):
    """A malformed alias catalogue (`data/vendor_aliases.csv` or a user's `--aliases` file)."""


class RulesError(InputError):
    """A malformed rules file (`data/rules.toml` or a user's `--rules` file)."""


class WaiverError(InputError):
    """A malformed waivers file, or a waiver missing its reason, approver or expiry."""


class ConfigError(InputError):
    """A malformed settings file (`.sbomcheck.toml`, `[tool.sbomcheck]` in `pyproject.toml`)
    or `SBOMCHECK_*` environment variable: `source` names the file or the variable,
    `location` the key."""


class UsageError(SbomcheckError):
    """A command-line usage problem found after argument parsing (exit code 2)."""


class AttestationError(SbomcheckError):
    """An attestation that cannot be made, read or verified."""


class LedgerError(SbomcheckError):
    """The audit ledger (SQLite) cannot be opened, read or written."""


class WorkerLostError(SbomcheckError):
    """A batch audit lost a worker (a process killed, out of memory, a Dask worker gone) and
    could not finish; what it recorded stays in the ledger for `--resume`."""
