"""What each relationship type means: the direction of its edge, whether it carries inclusion,
and whether it makes one element derived from another.

This is the one home of that knowledge: the graph turns relationships into edges with
`edge_rule`, and identification follows derivation (`derivation`) with the same table and the
same spelling (`normalize_type`). docs/graph.md explains each choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "RELATIONSHIP_RULES",
    "UNKNOWN_RULE",
    "EdgeRule",
    "derivation",
    "edge_rule",
    "normalize_type",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class EdgeRule:
    """How one relationship type becomes an edge."""

    kind: str
    """`dependency`, `containment`, `build`, `tool`, `describes`, `link`, `patch`,
    `pedigree` or `other`."""
    reverse: bool
    """True when the written target includes the written source (`A CONTAINED_BY B`: B -> A)."""
    inclusion: bool
    """True when the parent ships or needs the child: the edge carries paths and `affected`."""


def _r(kind: str, *, reverse: bool = False, inclusion: bool = True) -> EdgeRule:
    return EdgeRule(kind=kind, reverse=reverse, inclusion=inclusion)


RELATIONSHIP_RULES: dict[str, EdgeRule] = {
    # --- SPDX 2.3 (and CycloneDX, whose dependsOn and nesting use the same names) ---
    "describes": _r("describes"),
    "described-by": _r("describes", reverse=True),
    "contains": _r("containment"),
    "contained-by": _r("containment", reverse=True),
    "depends-on": _r("dependency"),
    "dependency-of": _r("dependency", reverse=True),
    "dependency-manifest-of": _r("dependency", reverse=True),
    "build-dependency-of": _r("dependency", reverse=True),
    "dev-dependency-of": _r("dependency", reverse=True),
    "optional-dependency-of": _r("dependency", reverse=True),
    "provided-dependency-of": _r("dependency", reverse=True),
    "test-dependency-of": _r("dependency", reverse=True),
    "runtime-dependency-of": _r("dependency", reverse=True),
    "has-prerequisite": _r("dependency"),
    "prerequisite-for": _r("dependency", reverse=True),
    "static-link": _r("dependency"),
    "dynamic-link": _r("dependency"),
    # NOTE: Red Hat writes `SRPM GENERATES binary`; the binary carries what its source carries.
    "generates": _r("build", reverse=True),
    "generated-from": _r("build"),
    "distribution-artifact": _r("build"),
    "expanded-from-archive": _r("containment", reverse=True),
    "file-added": _r("containment", reverse=True),
    "package-of": _r("containment", reverse=True),
    "metafile-of": _r("containment", reverse=True),
    "data-file-of": _r("containment", reverse=True),
    "documentation-of": _r("containment", reverse=True),
    "example-of": _r("containment", reverse=True),
    "test-of": _r("containment", reverse=True),
    "test-case-of": _r("containment", reverse=True),
    "optional-component-of": _r("containment", reverse=True),
    "build-tool-of": _r("tool", reverse=True),
    "dev-tool-of": _r("tool", reverse=True),
    "test-tool-of": _r("tool", reverse=True),
    # A patch that was applied is part of what it patched; one merely "for" it may not be.
    "patch-applied": _r("patch", reverse=True),
    "patch-for": _r("pedigree", reverse=True, inclusion=False),
    # Pedigree: edges point from the derived element to its origin, carrying no paths.
    "ancestor-of": _r("pedigree", reverse=True, inclusion=False),
    "descendant-of": _r("pedigree", inclusion=False),
    "variant-of": _r("pedigree", inclusion=False),
    "copy-of": _r("pedigree", inclusion=False),
    "file-deleted": _r("other", reverse=True, inclusion=False),
    "file-modified": _r("other", reverse=True, inclusion=False),
    "amends": _r("other", inclusion=False),
    "requirement-description-for": _r("other", reverse=True, inclusion=False),
    "specification-for": _r("other", reverse=True, inclusion=False),
    "other": _r("other", inclusion=False),
    # --- SPDX 3.0 (camelCase names, kebab-cased by normalize_type) ---
    "has-added-file": _r("containment"),
    "has-data-file": _r("containment"),
    "has-dependency-manifest": _r("dependency"),
    "has-distribution-artifact": _r("build"),
    "has-documentation": _r("containment"),
    "has-dynamic-link": _r("dependency"),
    "has-static-link": _r("dependency"),
    "has-example": _r("containment"),
    "has-optional-component": _r("containment"),
    "has-optional-dependency": _r("dependency"),
    "has-provided-dependency": _r("dependency"),
    "has-test": _r("containment"),
    "has-test-case": _r("containment"),
    "has-input": _r("build"),
    "has-output": _r("build", reverse=True),
    "expands-to": _r("containment"),
    "uses-tool": _r("tool"),
    "has-deleted-file": _r("other", inclusion=False),
    "has-variant": _r("pedigree", reverse=True, inclusion=False),
    "copied-to": _r("pedigree", reverse=True, inclusion=False),
    "patched-by": _r("pedigree", inclusion=False),
    "amended-by": _r("other", reverse=True, inclusion=False),
    "modified-by": _r("other", inclusion=False),
    "packaged-by": _r("other", inclusion=False),
    "has-host": _r("other", inclusion=False),
    "has-metadata": _r("other", inclusion=False),
    "has-evidence": _r("other", inclusion=False),
    "has-requirement": _r("other", inclusion=False),
    "has-specification": _r("other", inclusion=False),
    "configures": _r("other", inclusion=False),
    "tested-on": _r("other", inclusion=False),
    "trained-on": _r("other", inclusion=False),
    "serialized-in-artifact": _r("other", inclusion=False),
    "available-from": _r("other", inclusion=False),
    "has-concluded-license": _r("other", inclusion=False),
    "has-declared-license": _r("other", inclusion=False),
    "affects": _r("other", inclusion=False),
    "does-not-affect": _r("other", inclusion=False),
    "fixed-by": _r("other", inclusion=False),
    "fixed-in": _r("other", inclusion=False),
    "found-by": _r("other", inclusion=False),
    "has-associated-vulnerability": _r("other", inclusion=False),
    "has-assessment-for": _r("other", inclusion=False),
    "under-investigation-for": _r("other", inclusion=False),
    "exploit-created-by": _r("other", inclusion=False),
    "coordinated-by": _r("other", inclusion=False),
    "delegated-to": _r("other", inclusion=False),
    "invoked-by": _r("other", inclusion=False),
    "published-by": _r("other", inclusion=False),
    "reported-by": _r("other", inclusion=False),
    "republished-by": _r("other", inclusion=False),
    # --- CycloneDX extras ---
    "provides": _r("other", inclusion=False),
    # --- made by the graph itself ---
    "bom-reference": _r("link"),
    "pedigree-ancestor": _r("pedigree", inclusion=False),
    "pedigree-descendant": _r("pedigree", inclusion=False),
    "pedigree-variant": _r("pedigree", inclusion=False),
}

UNKNOWN_RULE = EdgeRule(kind="other", reverse=False, inclusion=False)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def normalize_type(relationship_type: str) -> str:
    """`DEPENDENCY_OF`, `dependencyOf` and `dependency-of` all become `dependency-of`."""
    return _CAMEL.sub("-", relationship_type.strip()).replace("_", "-").lower()


def edge_rule(relationship_type: str) -> EdgeRule:
    """The rule for a type; unknown types give a forward edge that carries no paths."""
    return RELATIONSHIP_RULES.get(normalize_type(relationship_type), UNKNOWN_RULE)


# SPDX relationship types (SPDX 2 and SPDX 3 spellings, normalised) that make the source a
# derivative of the target, and those that make the target one of the source. Identification
# carries a finding along them: a variant of Kaspersky technology is Kaspersky technology.
_SOURCE_DERIVED = frozenset(
    {"variant-of", "descendant-of", "copy-of", "patch-for", "generated-from",
     "expanded-from-archive", "file-modified"}
)  # fmt: skip
_TARGET_DERIVED = frozenset({"ancestor-of", "generates", "has-variant", "copied-to", "expands-to"})


def derivation(relationship_type: str) -> bool | None:
    """True when the relationship makes its source derived from its target, False when it makes
    the target derived from the source, None when it says nothing about derivation."""
    key = normalize_type(relationship_type)
    if key in _SOURCE_DERIVED:
        return True
    if key in _TARGET_DERIVED:
        return False
    return None
