"""sbomcheck: find Kaspersky technology in SBOMs, under any name, and say which rules it breaks.

The stages, each a module with one job:

- `sbomcheck.ingest`: any supported SBOM (format detected from content) -> `sbomcheck.model`
- `sbomcheck.identify`: the alias catalogue and the matchers -> evidence per component
- `sbomcheck.graph`: one graph over linked documents -> roots, paths, "introduced via"
- `sbomcheck.policy`: rules by date and profile, waivers -> severities and a verdict
- `sbomcheck.report`: one formatter per output format
- `sbomcheck.cli`: the thin command line (`main(argv) -> int`)

As a library (the CLI does exactly this; see docs/library.md):

    import datetime
    import sbomcheck

    options = sbomcheck.ScanOptions(
        as_of=datetime.date(2026, 1, 15),
        catalogue=sbomcheck.load_catalogue(),
        rules=sbomcheck.load_rules(),
    )
    report = sbomcheck.check(["samples/linked"], options)
    print(report.verdict, [f.component.name for f in report.findings])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sbomcheck._version import __version__

__all__ = [
    "Catalogue",
    "Document",
    "Finding",
    "Report",
    "ScanOptions",
    "SbomcheckError",
    "__version__",
    "load",
    "load_catalogue",
    "load_rules",
    "load_waivers",
    "check",
    "scan_documents",
]

# The public API, imported on first use so that `sbomcheck --help` stays fast.
_LAZY = {
    "Catalogue": "sbomcheck.identify",
    "Document": "sbomcheck.model",
    "Finding": "sbomcheck.findings",
    "Report": "sbomcheck.findings",
    "ScanOptions": "sbomcheck.scan",
    "SbomcheckError": "sbomcheck.errors",
    "load": "sbomcheck.ingest",
    "load_catalogue": "sbomcheck.identify",
    "load_rules": "sbomcheck.policy",
    "load_waivers": "sbomcheck.policy",
    "scan_documents": "sbomcheck.scan",
}
# NOTE: `sbomcheck.scan` is the module, so the function `scan.scan` is exported as `check`.
_RENAMED = {"check": ("sbomcheck.scan", "scan")}

if TYPE_CHECKING:
    from sbomcheck.errors import SbomcheckError
    from sbomcheck.findings import Finding, Report
    from sbomcheck.identify import Catalogue, load_catalogue
    from sbomcheck.ingest import load
    from sbomcheck.model import Document
    from sbomcheck.policy import load_rules, load_waivers
    from sbomcheck.scan import ScanOptions, scan_documents
    from sbomcheck.scan import scan as check


def __getattr__(name: str) -> Any:
    import importlib

    module, attribute = _RENAMED.get(name, (_LAZY.get(name), name))
    if module is None:
        raise AttributeError(f"module 'sbomcheck' has no attribute {name!r}")
    return getattr(importlib.import_module(module), attribute)
