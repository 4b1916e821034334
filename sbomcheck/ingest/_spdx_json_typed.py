"""The typed Structs and builder of the SPDX 2 JSON fast path (`_spdx_json_lazy`).

msgspec decodes the packages (one at a time, from `_spdx_json_lazy`'s split), files and
relationships straight into the Structs below,
checking every JSON type in C as it goes; the builder then reads attributes, without the
dict look-ups and type checks of the general package, file and relationship loops
(`_spdx_common.Spdx2Builder`), and everything else (document members, snippets, implicit
relationships, roots, structural checks) is the general builder's own code. Structs are also
cheaper to make and to free than the dicts they replace.

The general reader stays the authority. The Structs accept only the regular shape (every
value of its JSON type, the members an element must have); whatever they refuse is decoded
again and read by the general reader, so error messages and locations are always its own.
The irregular values the Structs do accept (an empty SPDXID, a package without a name, a
supplier without a prefix, a purl without `pkg:`, a relationship without a type) raise the
general reader's warnings or errors, in the same order.

Nothing in the document is skipped unread: every member the SPDX 2 specification gives an
element is declared (those sbomcheck does not use only so that they are checked), and any
other member makes the decode refuse the document (`forbid_unknown_fields`). That matters
because msgspec checks a skipped value for JSON syntax only, not for valid UTF-8 or for
numbers beyond the range of a double, which the general reader rejects. Document-level
members are decoded to plain values and checked here for integers beyond 64 bits, on which
msgspec and orjson (which the general reader uses when the text may hold long integers)
differ, and for nesting deeper than sbomcheck's limit (`_json.MAX_JSON_DEPTH`). That
is also why the general reader's long-integer scan is not needed here. The tests compare the
two readers' Documents on every SPDX JSON file at hand and on generated irregular documents.

Over 500 lines on purpose: the Structs mirror the SPDX 2 JSON elements member by member, and
each typed loop sits beside the general one it must match, value for value and warning for
warning.
"""

from __future__ import annotations

from typing import Any

import msgspec

from sbomcheck.ingest._build import fast_constructor
from sbomcheck.ingest._json import MAX_JSON_DEPTH
from sbomcheck.ingest._spdx_common import (
    FILE_WITHOUT_NAME,
    FILE_WITHOUT_SPDXID,
    PACKAGE_WITHOUT_NAME,
    PACKAGE_WITHOUT_SPDXID,
    PURL_WITHOUT_PKG,
    SPDX2_RELATIONSHIP_TYPES,
    Spdx2Builder,
    new_ext_ref,
    new_hash,
    new_package,
    new_relationship,
    relationship_without,
    supplier_without_prefix,
)
from sbomcheck.ingest._spdx_values import (
    NOASSERTION,
    check_timestamp,
    external_ref_types,
    hash_algorithm,
    parse_party,
    relationship_type,
)
from sbomcheck.model import Component, ExternalReference, Hash

__all__ = [
    "MEMBER_NAMES",
    "TYPED_MEMBERS",
    "SpdxDocument",
    "TypedBuilder",
    "TypedExternalRef",
    "TypedPackage",
    "TypedRelationship",
    "read_alike",
]


def _json_name(name: str) -> str:
    """`license_info_from_files` -> `licenseInfoFromFiles`; `spdx_id` -> `SPDXID`."""
    if name == "spdx_id":
        return "SPDXID"
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)


# NOTE: gc=False: these objects hold no cycles, and untracked they cost the collector nothing
# (the reader runs with the collector paused anyway; freeing is faster too). omit_defaults:
# written out again only to count their keys (ingest/_json.py), absent members omitted.
class _Struct(
    msgspec.Struct,
    forbid_unknown_fields=True,
    gc=False,
    rename=_json_name,
    kw_only=True,
    omit_defaults=True,
):
    pass


class _Checksum(_Struct):
    algorithm: str
    checksum_value: str


class TypedExternalRef(_Struct):
    reference_locator: str
    reference_category: str | None = None
    reference_type: str | None = None
    comment: str | None = None


class _Annotation(_Struct):
    annotation_date: str | None = None
    annotation_type: str | None = None
    annotator: str | None = None
    comment: str | None = None


class _VerificationCode(_Struct):
    package_verification_code_value: str | None = None
    package_verification_code_excluded_files: list[str] | None = None


class TypedPackage(_Struct):
    spdx_id: str | None = None
    name: str | None = None
    version_info: str | None = None
    supplier: str | None = None
    originator: str | None = None
    copyright_text: str | None = None
    license_concluded: str | None = None
    license_declared: str | None = None
    license_info_from_files: list[str] | None = None
    description: str | None = None
    summary: str | None = None
    checksums: list[_Checksum] | None = None
    external_refs: list[TypedExternalRef] | None = None
    download_location: str | None = None
    homepage: str | None = None
    primary_package_purpose: str | None = None
    release_date: str | None = None
    built_date: str | None = None
    valid_until_date: str | None = None
    has_files: list[str] | None = None
    # Not read: declared so that they are checked, not skipped (see the module docstring).
    files_analyzed: bool | str | None = None
    comment: str | None = None
    license_comments: str | None = None
    source_info: str | None = None
    package_file_name: str | None = None
    attribution_texts: list[str] | None = None
    annotations: list[_Annotation] | None = None
    package_verification_code: _VerificationCode | None = None


class _File(_Struct):
    spdx_id: str | None = None
    file_name: str | None = None
    copyright_text: str | None = None
    license_concluded: str | None = None
    license_info_in_files: list[str | None] | None = None
    checksums: list[_Checksum] | None = None
    comment: str | None = None
    # Not read: declared so that they are checked, not skipped.
    file_types: list[str] | None = None
    file_contributors: list[str] | None = None
    file_dependencies: list[str] | None = None
    attribution_texts: list[str] | None = None
    notice_text: str | None = None
    license_comments: str | None = None
    annotations: list[_Annotation] | None = None
    artifact_ofs: list[dict[str, str]] | None = None


class TypedRelationship(_Struct):
    spdx_element_id: str | None = None
    relationship_type: str | None = None
    related_spdx_element: str | None = None
    comment: str | None = None


class SpdxDocument(_Struct):
    packages: list[TypedPackage] | None = None
    files: list[_File] | None = None
    relationships: list[TypedRelationship] | None = None
    # Plain values, read by the general builder's own code. UNSET tells a document without
    # spdxVersion (not SPDX 2 JSON to the format detection) from one where it is null.
    spdx_version: Any = msgspec.UNSET
    spdx_id: Any = None
    name: Any = None
    document_namespace: Any = None
    creation_info: Any = None
    external_document_refs: Any = None
    document_describes: Any = None
    snippets: Any = None
    # Not read.
    data_license: Any = None
    comment: Any = None
    annotations: Any = None
    has_extracted_licensing_infos: Any = None
    revieweds: Any = None


TYPED_MEMBERS = frozenset({"packages", "files", "relationships"})
MEMBER_NAMES = tuple(
    zip(SpdxDocument.__struct_fields__, SpdxDocument.__struct_encode_fields__, strict=True)
)

# orjson reads integers outside these bounds as floats (and rejects those beyond a double),
# msgspec as ints.
_ORJSON_INT_MIN, _ORJSON_INT_MAX = -(2**63), 2**64 - 1
# NOTE: the Structs nest five levels at most; a plain member is level 2 of the document (its
# depth 1 here), so this is sbomcheck's one JSON limit (_json.MAX_JSON_DEPTH). Deeper
# is declined, and the general path refuses it with the place (ingest.load checks the bytes
# there): the same error on every Python, whatever msgspec's own limit.
_MAX_PLAIN_DEPTH = MAX_JSON_DEPTH - 1


def read_alike(value: object) -> bool:
    """True if orjson would read `value` as msgspec did, or as the reader cannot tell apart
    (an integer beyond 64 bits is a float to orjson, and may be beyond what it reads)."""
    stack: list[tuple[Any, int]] = [([value], 0)]
    while stack:
        container, depth = stack.pop()
        if depth > _MAX_PLAIN_DEPTH:
            return False
        for item in container.values() if container.__class__ is dict else container:
            cls = item.__class__
            if cls is int:
                if not _ORJSON_INT_MIN <= item <= _ORJSON_INT_MAX:
                    return False
            elif cls is list or cls is dict:
                stack.append((item, depth + 1))
    return True


# Positional builders for the model objects made per element.
_new_file = fast_constructor(
    Component,
    (
        "ref",
        "document",
        "location",
        "name",
        "type",
        "hashes",
        "copyright",
        "licenses",
        "description",
        "ref_synthetic",
    ),
)


class TypedBuilder(Spdx2Builder):
    """The general builder, with packages, files and relationships read from Structs.

    Locations are JSON paths (`packages[3].supplier`): the typed path is for JSON only.
    Each loop drops every Struct once read, so the peak stays at the decode, as the general
    reader's does with the parsed tree.
    """

    __slots__ = ()

    # One function on purpose: the loop body runs once per package (100,000 times for a
    # 100,000-package SBOM) on local names, with no call for most fields. Split into five
    # calls per package (identity, parties, licences, references, dates), this step took
    # 4-8% more CPU time and `ingest.load` of 100,000 packages 3-5% more, in every run
    # (docs/readers.md, "Long functions").
    def read_packages(self, items: list[Any], pk_loc: str, first: int = 0) -> None:
        """`Spdx2Builder.read_packages` for Structs: same values, same warnings. `first`:
        the position of `items[0]` in the packages array (for a package built alone)."""
        ctx = self.ctx
        key = self.key
        lenient = self.lenient
        append = self.components.append
        party_cache = self.party_cache
        alg_cache = self.alg_cache
        has_files = self.has_files
        xref_types = self.xref_types
        for i, p in enumerate(items):
            items[i] = None
            here = f"{pk_loc}[{i + first}]"
            ref = p.spdx_id
            synthetic = False
            if not ref:
                ref = here
                synthetic = True
                ctx.warn("missing-field", PACKAGE_WITHOUT_SPDXID, here)
            name = p.name
            if name is None:
                lenient.setdefault(PACKAGE_WITHOUT_NAME, []).append(here)
                name = ""

            supplier = originator = None
            raw = p.supplier
            if raw is not None:
                if raw in party_cache:
                    supplier = party_cache[raw]
                else:
                    supplier = party_cache[raw] = parse_party(raw)
                    if supplier is not None and supplier.kind is None:
                        lenient.setdefault(supplier_without_prefix(raw), []).append(
                            f"{here}.supplier"
                        )
            raw = p.originator
            if raw is not None:
                if raw in party_cache:
                    originator = party_cache[raw]
                else:
                    originator = party_cache[raw] = parse_party(raw)

            copyright_text = p.copyright_text
            if copyright_text in NOASSERTION:
                copyright_text = None

            licenses: list[str] = []
            lic = p.license_concluded
            if lic is not None and lic not in NOASSERTION:
                licenses.append(lic)
            lic = p.license_declared
            if lic is not None and lic not in NOASSERTION and lic not in licenses:
                licenses.append(lic)
            if (lff := p.license_info_from_files) is not None:
                for lic in lff:
                    if lic not in NOASSERTION and lic not in licenses:
                        licenses.append(lic)

            description = p.description
            if description is None:
                description = p.summary

            hashes: tuple[Hash, ...] = ()
            if cks := p.checksums:
                hashes = _hashes(cks, alg_cache)

            purl = swid = None
            cpes: list[str] = []
            xrefs: list[ExternalReference] = []
            if refs := p.external_refs:
                for j, r in enumerate(refs):
                    cat = r.reference_category
                    if cat is None:
                        cat = ""
                    rtype = r.reference_type
                    if rtype is None:
                        rtype = ""
                    locator = r.reference_locator
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
                                    f"{here}.externalRefs[{j}]"
                                )
                    elif short == "cpe23Type" or short == "cpe22Type":
                        cpes.append(locator)
                    elif short == "swid" and swid is None:
                        swid = locator
                    xrefs.append(new_ext_ref(full_type, locator, r.comment))
            dl = p.download_location
            if dl is not None and dl not in NOASSERTION:
                xrefs.append(new_ext_ref("download", dl, None))
            hp = p.homepage
            if hp is not None and hp not in NOASSERTION:
                xrefs.append(new_ext_ref("homepage", hp, None))

            purpose = p.primary_package_purpose
            if purpose is not None:
                purpose = purpose.lower().replace("_", "-") if purpose else None
            release = p.release_date
            built = p.built_date
            valid_until = p.valid_until_date
            if release is not None or built is not None or valid_until is not None:
                for value, field in (
                    (release, "releaseDate"),
                    (built, "builtDate"),
                    (valid_until, "validUntilDate"),
                ):
                    if value is not None:
                        check_timestamp(value, f"{here}.{field}", lenient, field)
            if hf := p.has_files:
                has_files[ref] = hf
            append(
                new_package(
                    ref,
                    key,
                    here,
                    name,
                    p.version_info,
                    purpose,
                    purl,
                    tuple(cpes),
                    swid,
                    hashes,
                    supplier,
                    originator,
                    copyright_text,
                    tuple(licenses),
                    description,
                    tuple(xrefs),
                    release,
                    built,
                    valid_until,
                    None,  # line: JSON has none
                    synthetic,
                )
            )

    def read_files(self, items: list[Any], fl_loc: str) -> None:
        """`Spdx2Builder.read_files` for Structs: same values, same warnings."""
        ctx = self.ctx
        key = self.key
        lenient = self.lenient
        append = self.files.append
        alg_cache = self.alg_cache
        for i, f in enumerate(items):
            items[i] = None
            here = f"{fl_loc}[{i}]"
            ref = f.spdx_id
            synthetic = False
            if not ref:
                ref = here
                synthetic = True
                ctx.warn("missing-field", FILE_WITHOUT_SPDXID, here)
            name = f.file_name
            if name is None:
                lenient.setdefault(FILE_WITHOUT_NAME, []).append(here)
                name = ""
            copyright_text = f.copyright_text
            if copyright_text in NOASSERTION:
                copyright_text = None
            licenses: list[str] = []
            lic = f.license_concluded
            if lic is not None and lic not in NOASSERTION:
                licenses.append(lic)
            if infos := f.license_info_in_files:
                for info in infos:
                    if info is not None and info not in NOASSERTION and info not in licenses:
                        licenses.append(info)
            cks = f.checksums
            append(
                _new_file(
                    ref,
                    key,
                    here,
                    name,
                    "file",
                    _hashes(cks, alg_cache) if cks else (),
                    copyright_text,
                    tuple(licenses),
                    f.comment,
                    synthetic,
                )
            )

    def read_relationships(self, items: list[Any], rl_loc: str) -> None:
        """`Spdx2Builder.read_relationships` for Structs: same values, warnings, errors."""
        key = self.key
        append = self.relationships.append
        type_cache = self.type_cache
        unknown_types = self.unknown_types
        for i, r in enumerate(items):
            items[i] = None
            here = f"{rl_loc}[{i}]"
            src = r.spdx_element_id
            rtype = r.relationship_type
            dst = r.related_spdx_element
            if not src or not rtype or not dst:
                raise self.fx.fail(relationship_without(src, rtype, dst), here)
            norm = type_cache.get(rtype)
            if norm is None:
                norm = type_cache[rtype] = relationship_type(rtype)
                if rtype.strip().upper() not in SPDX2_RELATIONSHIP_TYPES:
                    unknown_types[rtype] = []
            if unknown_types and rtype in unknown_types:
                unknown_types[rtype].append(here)
            append(new_relationship(src.strip(), norm, dst.strip(), key, here, True, r.comment))


def _hashes(checksums: list[_Checksum], alg_cache: dict[str, str]) -> tuple[Hash, ...]:
    out = []
    for c in checksums:
        alg = c.algorithm
        norm = alg_cache.get(alg)
        if norm is None:
            norm = alg_cache[alg] = hash_algorithm(alg)
        out.append(new_hash(norm, c.checksum_value.strip().lower()))
    return tuple(out)
