"""The SPDX 2 builder for what the tag-value reader gathers: packages whose values are all
strings, their checksums already `Hash` objects, their external references
`[category, type, locator, comment]` lists.

The general builder (`_spdx_common.Spdx2Builder`) checks the type of every value, because
JSON and YAML may hold anything; a line of text holds a string, so the package loop here
reads values with no check and no call per field, and gives the same Component and the same
warnings as the general loop would for the same package in JSON shape. Files, relationships
(made by the reader as it goes) and everything else are the general builder's own code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._spdx_common import (
    PACKAGE_WITHOUT_SPDXID,
    PURL_WITHOUT_PKG,
    Spdx2Builder,
    Where,
    new_ext_ref,
    new_package,
    supplier_without_prefix,
)
from sbomcheck.ingest._spdx_values import (
    NOASSERTION,
    check_timestamp,
    external_ref_types,
    parse_party,
)
from sbomcheck.model import ExternalReference, Format

__all__ = ["TagValueBuilder"]

_DATES = ("releaseDate", "builtDate", "validUntilDate")


class TagValueBuilder(Spdx2Builder):
    """The general builder, with each package built by `add_package` as soon as the reader
    has read its section, so no package waits as a dict for the others.

    What building a package says (a `missing-field` warning, `lenient-value` notes) is held
    back until `read_packages`, where the general builder would have said it: after the
    document's own members. Locations are lines (`line 40`, `line 40 supplier`).
    """

    __slots__ = ("held_lenient", "held_warnings", "licence_sets", "texts")

    def __init__(self, ctx: ReadContext, fmt: Format, where: Where) -> None:
        super().__init__(ctx, fmt, where)
        self.held_warnings: list[str] = []
        """Locations of packages without SPDXID, for their `missing-field` warnings."""
        self.held_lenient: dict[str, list[str]] = {}
        self.licence_sets: dict[tuple[str | None, str | None], tuple[str, ...]] = {}
        """One licences tuple per distinct (concluded, declared) pair."""
        self.texts: dict[str, str] = {}
        """One string per distinct copyright text: they repeat, like suppliers."""

    def read_packages(self, items: list[Any], pk_loc: str) -> None:
        """Say what building the packages found (`add_package` built them)."""
        for here in self.held_warnings:
            self.ctx.warn("missing-field", PACKAGE_WITHOUT_SPDXID, here)
        # NOTE: the document's own notes (creators, created) come first, as they would.
        for message, places in self.held_lenient.items():
            self.lenient.setdefault(message, []).extend(places)

    # One function on purpose, as `_spdx_json_typed.TypedBuilder.read_packages`: the body
    # runs once per package on local names, with no call for most fields.
    def add_package(self, p: dict[str, Any], line: int) -> None:
        """The Component of one package: the general builder's values for the same package
        in JSON shape."""
        lenient = self.held_lenient
        party_cache = self.party_cache
        xref_types = self.xref_types
        here = f"line {line}"
        get = p.get
        ref = get("SPDXID")
        synthetic = False
        if not ref:
            ref = here
            synthetic = True
            self.held_warnings.append(here)

        supplier = originator = None
        raw = get("supplier")
        if raw is not None:
            if raw in party_cache:
                supplier = party_cache[raw]
            else:
                supplier = party_cache[raw] = parse_party(raw)
                if supplier is not None and supplier.kind is None:
                    lenient.setdefault(supplier_without_prefix(raw), []).append(f"{here} supplier")
        raw = get("originator")
        if raw is not None:
            if raw in party_cache:
                originator = party_cache[raw]
            else:
                originator = party_cache[raw] = parse_party(raw)

        copyright_text = get("copyrightText")
        if copyright_text in NOASSERTION:
            copyright_text = None
        elif copyright_text is not None:
            copyright_text = self.texts.setdefault(copyright_text, copyright_text)

        concluded = get("licenseConcluded")
        declared = get("licenseDeclared")
        if (lff := get("licenseInfoFromFiles")) is None:
            # NOTE: most packages of a document share a few licences: one tuple each.
            licenses = self.licence_sets.get((concluded, declared))
            if licenses is None:
                licenses = self.licence_sets[(concluded, declared)] = _licences(
                    concluded, declared, ()
                )
        else:
            licenses = _licences(concluded, declared, lff)

        description = get("description")
        if description is None:
            description = get("summary")

        cks = get("checksums")
        hashes = tuple(cks) if cks else ()

        purl = swid = None
        cpes: list[str] = []
        xrefs: list[ExternalReference] = []
        if refs := get("externalRefs"):
            for j, (cat, rtype, locator, comment) in enumerate(refs):
                pair = xref_types.get((cat, rtype))
                if pair is None:
                    pair = xref_types[(cat, rtype)] = external_ref_types(cat, rtype)
                short, full_type = pair
                if short == "purl":
                    if purl is None:
                        if locator.startswith("pkg:"):
                            purl = locator
                        else:
                            lenient.setdefault(PURL_WITHOUT_PKG, []).append(
                                f"{here} externalRefs[{j}]"
                            )
                elif short == "cpe23Type" or short == "cpe22Type":
                    cpes.append(locator)
                elif short == "swid" and swid is None:
                    swid = locator
                xrefs.append(new_ext_ref(full_type, locator, comment))
        url = get("downloadLocation")
        if url is not None and url not in NOASSERTION:
            xrefs.append(new_ext_ref("download", url, None))
        url = get("homepage")
        if url is not None and url not in NOASSERTION:
            xrefs.append(new_ext_ref("homepage", url, None))

        purpose = get("primaryPackagePurpose")
        if purpose is not None:
            purpose = purpose.lower().replace("_", "-") if purpose else None
        dates = (get("releaseDate"), get("builtDate"), get("validUntilDate"))
        if dates != (None, None, None):
            for value, field in zip(dates, _DATES, strict=True):
                if value is not None:
                    check_timestamp(value, f"{here} {field}", lenient, field)
        self.components.append(
            new_package(
                ref,
                self.key,
                here,
                get("name"),
                get("versionInfo"),
                purpose,
                purl,
                tuple(cpes),
                swid,
                hashes,
                supplier,
                originator,
                copyright_text,
                licenses,
                description,
                tuple(xrefs),
                *dates,
                line,
                synthetic,
            )
        )


def _licences(concluded: str | None, declared: str | None, more: Iterable[str]) -> tuple[str, ...]:
    """The concluded, declared and from-files licences, each once, NOASSERTION left out."""
    licenses: list[str] = []
    for lic in (concluded, declared, *more):
        if lic is not None and lic not in NOASSERTION and lic not in licenses:
            licenses.append(lic)
    return tuple(licenses)
