"""The one table of relationship meanings: edges for the graph, derivation for identification."""

from __future__ import annotations

import pytest

from sbomcheck.relationships import RELATIONSHIP_RULES, derivation, edge_rule


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("VARIANT_OF", True),
        ("variantOf", True),
        ("copy-of", True),
        ("EXPANDED_FROM_ARCHIVE", True),
        ("ANCESTOR_OF", False),
        ("hasVariant", False),
        ("copiedTo", False),
        ("GENERATES", False),
        ("DEPENDS_ON", None),
        ("contains", None),
        ("FRIEND_OF", None),
    ],
)
def test_derivation_direction_in_every_spelling(written: str, expected: bool | None) -> None:
    assert derivation(written) is expected


def test_every_derivation_type_is_a_known_relationship() -> None:
    # One table, one spelling: a derivation name the graph does not know would be a typo.
    derived = [t for t in RELATIONSHIP_RULES if derivation(t) is not None]
    assert len(derived) == 12
    assert all(edge_rule(t) is RELATIONSHIP_RULES[t] for t in derived)
