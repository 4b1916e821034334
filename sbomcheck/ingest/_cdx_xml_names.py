"""Which CycloneDX XML element is which: namespaces, the local names the reader reads, and
the root that makes a document CycloneDX XML.

Generators mix versions (a 1.4 component inside a 1.5 BOM), so the reader reads every
CycloneDX namespace alike: tags are mapped to local names once per distinct tag (`LocalNames`,
`TextSlots`), and an element of another namespace where components may stand is marked
`FOREIGN` (reported, not read). See docs/readers.md, "Namespaces and types a reader does not
know".
"""

from __future__ import annotations

import re
from typing import Any

from sbomcheck.errors import IngestError
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._xml import root_tag

__all__ = [
    "FOREIGN",
    "HOLDERS",
    "LOCAL_NAMES",
    "NAMESPACE_PREFIX",
    "SPEC_VERSION",
    "TEXT_FIELDS",
    "LocalNames",
    "TextSlots",
    "cyclonedx_local",
    "is_cyclonedx_bom",
]

NAMESPACE_PREFIX = "http://cyclonedx.org/schema/bom/"
SPEC_VERSION = re.compile(r"\d+\.\d+")
# A CycloneDX element whatever its version (`{http://cyclonedx.org/schema/bom/1.4}name`).
_CYCLONEDX_TAG = re.compile(r"\{http://cyclonedx\.org/schema/bom/\d+\.\d+\}(.*)", re.DOTALL)
# Elements of another namespace with these names, or any element of another namespace among
# components, may hide components: warned about, and the verdict cannot be a pass.
HOLDERS = frozenset({"component", "components", "service", "services"})
FOREIGN = "\0foreign"

# Local names the reader looks at; anything else in the namespace is skipped.
LOCAL_NAMES = (
    "aggregate",
    "ancestors",
    "assemblies",
    "assembly",
    "author",
    "authors",
    "comment",
    "component",
    "components",
    "composition",
    "compositions",
    "contact",
    "copyright",
    "cpe",
    "dependencies",
    "dependency",
    "descendants",
    "description",
    "email",
    "endpoint",
    "endpoints",
    "evidence",
    "expression",
    "externalReferences",
    "group",
    "hash",
    "hashes",
    "id",
    "license",
    "licenses",
    "location",
    "manufacture",
    "manufacturer",
    "metadata",
    "name",
    "notes",
    "occurrence",
    "occurrences",
    "pedigree",
    "properties",
    "property",
    "provider",
    "provides",
    "publisher",
    "purl",
    "reference",
    "scope",
    "service",
    "services",
    "supplier",
    "swid",
    "timestamp",
    "tool",
    "tools",
    "url",
    "variants",
    "vendor",
    "version",
)


# Component children that are plain text, in the order component_fields unpacks them.
TEXT_FIELDS = (
    "name",
    "version",
    "purl",
    "group",
    "description",
    "publisher",
    "scope",
    "copyright",
    "cpe",
    "author",
)


def cyclonedx_local(tag: object) -> str | None:
    """The local name of an element of any CycloneDX namespace, else None."""
    if tag.__class__ is not str:
        return None  # comments and processing instructions
    match = _CYCLONEDX_TAG.fullmatch(tag)
    return match.group(1) if match else None


class LocalNames(dict[Any, str | None]):
    """Tag -> local name of the elements the reader reads, in any CycloneDX namespace.

    Generators mix versions (a 1.4 component in a 1.5 BOM), so every CycloneDX namespace is
    read alike. Filled with the document's own namespace and then, on first sight, with any
    other tag: a known local name, `FOREIGN` for an element of another namespace that may
    hide components, or None."""

    def __init__(self, ns: str, local_names: tuple[str, ...]) -> None:
        super().__init__((ns + local, local) for local in local_names)
        self.local_names = frozenset(local_names)

    def __missing__(self, tag: Any) -> str | None:
        local = cyclonedx_local(tag)
        value: str | None
        if local is not None:
            value = local if local in self.local_names else None
        elif tag.__class__ is str and tag.rpartition("}")[2] in HOLDERS:
            value = FOREIGN
        else:
            value = None
        self[tag] = value
        return value


class TextSlots(dict[Any, int | None]):
    """Tag -> slot of the component text fields (`TEXT_FIELDS`), in any CycloneDX namespace."""

    def __init__(self, ns: str) -> None:
        super().__init__((ns + local, i) for i, local in enumerate(TEXT_FIELDS))

    def __missing__(self, tag: Any) -> int | None:
        local = cyclonedx_local(tag)
        value = TEXT_FIELDS.index(local) if local in TEXT_FIELDS else None
        self[tag] = value
        return value


# The root of a CycloneDX XML BOM: `bom` in a 1.x namespace.
_BOM_NAMESPACE = re.compile(r"http://cyclonedx\.org/schema/bom/1\.\d+")


def is_cyclonedx_bom(root: Any, ctx: ReadContext) -> bool:
    """A `bom` root in a CycloneDX 1.x namespace; a `bom` root in any other is refused."""
    tag = root_tag(root)
    namespace = tag[1:].partition("}")[0] if tag.startswith("{") else ""
    if _BOM_NAMESPACE.fullmatch(namespace) and tag.endswith("}bom"):
        return True
    if tag.endswith("}bom") or tag == "bom":
        raise IngestError(
            f"XML root {tag!r} is not in a CycloneDX namespace (http://cyclonedx.org/schema/bom/1.x)",
            source=ctx.key,
            location="/*[1]",
        )
    return False
