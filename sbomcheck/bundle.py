"""Former home of input collection, now `sbomcheck.ingest.sources`; kept so that existing
`from sbomcheck.bundle import ...` lines keep working. New code imports `sbomcheck.ingest`."""

from __future__ import annotations

from sbomcheck.ingest.sources import (
    DEFAULT_ZIP_LIMITS,
    SBOM_SUFFIXES,
    Bundle,
    InputFailure,
    InputNote,
    Listing,
    SkippedInput,
    Source,
    ZipLimits,
    collect_sources,
    list_sources,
    load_inputs,
    load_inputs_lenient,
    load_source,
    looks_like_sbom_name,
    with_contents,
)

__all__ = [
    "DEFAULT_ZIP_LIMITS",
    "SBOM_SUFFIXES",
    "Bundle",
    "InputFailure",
    "InputNote",
    "Listing",
    "SkippedInput",
    "Source",
    "ZipLimits",
    "collect_sources",
    "list_sources",
    "load_inputs",
    "load_inputs_lenient",
    "load_source",
    "looks_like_sbom_name",
    "with_contents",
]
