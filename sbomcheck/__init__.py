"""sbomcheck: find Kaspersky technology in SBOMs, under any name, and say which rules it breaks.

The stages, each a module with one job:

- `sbomcheck.ingest`: any supported SBOM (format detected from content) -> `sbomcheck.model`
- `sbomcheck.identify`: the alias catalogue and the matchers -> evidence per component
- `sbomcheck.graph`: one graph over linked documents -> roots, paths, "introduced via"
- `sbomcheck.policy`: rules by date and profile, waivers -> severities and a verdict
- `sbomcheck.report`: one formatter per output format
- `sbomcheck.cli`: the thin command line (`main(argv) -> int`)
"""

__version__ = "0.1.0"
