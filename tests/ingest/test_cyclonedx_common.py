"""Helpers shared by the CycloneDX readers: positional builders, value checks, authors."""

from __future__ import annotations

import dataclasses

import pytest

from sbomcheck.ingest._build import fast_constructor
from sbomcheck.ingest._cdx_common import (
    COMPONENT_FIELDS,
    check_serial,
    check_timestamp,
    legacy_author,
    new_component,
    new_relationship,
)
from sbomcheck.ingest._context import ReadContext
from sbomcheck.model import Component, Party, Relationship


def _ctx() -> ReadContext:
    return ReadContext(key="k", path="k", sha256="", gzip=False)


def test_builders_make_ordinary_frozen_model_objects() -> None:
    values = {f: f"v-{f}" for f in COMPONENT_FIELDS}
    built = new_component(*values.values())
    assert type(built) is Component
    assert built == Component(**values)  # type: ignore[arg-type]
    assert built.originator is None and built.release_date is None  # defaults filled
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.name = "changed"  # type: ignore[misc]
    rel = new_relationship("a", "depends-on", "b", "doc", "loc", True)
    assert rel == Relationship(
        source="a", type="depends-on", target="b", document="doc", location="loc"
    )
    assert hash(rel) == hash(
        Relationship(source="a", type="depends-on", target="b", document="doc", location="loc")
    )


def test_builder_covers_every_model_field() -> None:
    # A field added to the model later gets its default; a removed one breaks loudly.
    names = {f.name for f in dataclasses.fields(Component)}
    assert set(COMPONENT_FIELDS) <= names
    with pytest.raises(TypeError, match="no field"):
        fast_constructor(Component, ("ref", "nonexistent"))
    partial = fast_constructor(Component, ("ref",))
    with pytest.raises(TypeError, match="keyword-only argument"):
        partial("r")  # document and location have no default
    built = partial("r", document="d", location="l", name="n")
    assert built == Component(ref="r", document="d", location="l", name="n")


def test_builder_falls_back_where_the_class_validates() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    build = fast_constructor(Checked, ("value",))
    assert build(3) == Checked(3)
    with pytest.raises(ValueError, match="negative"):
        build(-1)


@pytest.mark.parametrize(
    "value",
    [
        "2020-04-13T20:20:39+00:00",
        "2022-10-15T14:02:25.248129Z",
        "2022-10-15T14:02:25.2481291234Z",
        "2023-01-01T00:00:00.000+0100",
        "2024-05-01T10:20:30",
        "2024-05-01t10:20:30z",
    ],
)
def test_valid_timestamps_raise_nothing(value: str) -> None:
    ctx = _ctx()
    check_timestamp(ctx, value, "metadata.timestamp")
    assert ctx.warnings == []


@pytest.mark.parametrize(
    "value", ["2024-05-01", "redacted", "2024-02-30T00:00:00Z", "2024-05-01T25:00:00Z", ""]
)
def test_invalid_timestamps_warn(value: str) -> None:
    ctx = _ctx()
    check_timestamp(ctx, value, "metadata.timestamp")
    assert [(w.code, w.location) for w in ctx.warnings] == [("lenient-value", "metadata.timestamp")]


def test_serial_number_pattern() -> None:
    ctx = _ctx()
    check_serial(ctx, "urn:uuid:3E671687-395b-41f5-a30f-a58921a69b79", "serialNumber")
    assert ctx.warnings == []
    check_serial(ctx, "3e671687-395b-41f5-a30f-a58921a69b79", "serialNumber")
    assert [w.code for w in ctx.warnings] == ["lenient-value"]


@pytest.mark.parametrize(
    ("text", "party"),
    [
        (
            "Jane Doe <jane@example.com>",
            Party(name="Jane Doe", emails=("jane@example.com",), raw="Jane Doe <jane@example.com>"),
        ),
        ("<ops@example.com>", Party(emails=("ops@example.com",), raw="<ops@example.com>")),
        ("Kaspersky Lab", Party(name="Kaspersky Lab", raw="Kaspersky Lab")),
        ("A <not an email>", Party(name="A <not an email>", raw="A <not an email>")),
    ],
)
def test_legacy_author(text: str, party: Party) -> None:
    assert legacy_author(text) == party
