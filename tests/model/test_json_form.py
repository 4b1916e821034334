"""One walker writes every value as JSON: its rules, and the report's shape against the schema."""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest

from sbomcheck.findings import Report, RuleStatus, Severity, SkippedInput, TimelineEntry
from sbomcheck.json_form import NOT_IN_JSON, json_form, json_key
from sbomcheck.schema import load_report_schema, validate_report
from tests.report.fixtures import ALL_REPORTS, FAIL_REPORT


class Colour(enum.Enum):
    RED = "red"


@dataclass(frozen=True, slots=True, kw_only=True)
class Leaf:
    name: str
    colour: Colour | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Tree:
    title: str = field(metadata=json_key("heading"))
    top: str = field(metadata=json_key(("pair", "top")))
    bottom: int = field(default=0, metadata=json_key(("pair", "bottom")))
    share: float = field(default=0.0, metadata=json_key(convert=lambda v: round(v, 1)))
    hidden: str = field(default="", metadata=NOT_IN_JSON)
    leaves: tuple[Leaf, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    best: Leaf | None = None
    loose: Any = None

    json_properties: ClassVar[tuple[str, ...]] = ("size",)

    @property
    def size(self) -> int:
        return len(self.leaves)


def test_fields_in_order_with_the_declared_keys() -> None:
    tree = Tree(
        title="t",
        top="a",
        bottom=2,
        share=0.26,
        hidden="x",
        leaves=(Leaf(name="l", colour=Colour.RED), Leaf(name="m")),
        rows=(("a", "b"), ()),
        best=Leaf(name="b"),
        loose=(Colour.RED, {"k": Leaf(name="z")}, [1]),
    )
    data = json_form(tree)
    assert list(data) == ["heading", "pair", "share", "leaves", "rows", "best", "loose", "size"]
    assert data == {
        "heading": "t",
        "pair": {"top": "a", "bottom": 2},
        "share": 0.3,
        "leaves": [{"name": "l", "colour": "red"}, {"name": "m", "colour": None}],
        "rows": [["a", "b"], []],
        "best": {"name": "b", "colour": None},
        "loose": ["red", {"k": {"name": "z", "colour": None}}, [1]],
        "size": 2,
    }
    assert type(data["rows"][0]) is list and type(data["leaves"][0]["colour"]) is str


def test_omit_defaults_leaves_out_what_the_class_would_fill_in() -> None:
    data = json_form(Tree(title="t", top="a", leaves=(Leaf(name="l"),)), omit_defaults=True)
    assert data == {"heading": "t", "pair": {"top": "a"}, "leaves": [{"name": "l"}], "size": 1}


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    name: str
    children: tuple[Node, ...] = ()
    parent: Node | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ShinyLeaf(Leaf):
    shine: int = 1


def test_a_class_that_holds_itself_is_written_to_any_depth() -> None:
    tree = Node(name="a", children=(Node(name="b", children=(Node(name="c"),)),))
    leaf: dict[str, Any] = {"name": "c", "children": [], "parent": None}
    assert json_form(tree) == {
        "name": "a",
        "children": [{"name": "b", "children": [leaf], "parent": None}],
        "parent": None,
    }
    assert json_form(Node(name="x", parent=tree), omit_defaults=True) == {
        "name": "x",
        "parent": {"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]},
    }


def test_a_subclass_is_written_with_its_own_fields() -> None:
    data = json_form(
        Tree(title="t", top="a", leaves=(ShinyLeaf(name="s"),), best=ShinyLeaf(name="b"))
    )
    assert data["leaves"] == [{"name": "s", "colour": None, "shine": 1}]
    assert data["best"] == {"name": "b", "colour": None, "shine": 1}


def test_values_it_cannot_write_are_refused() -> None:
    with pytest.raises(TypeError, match="no JSON form for object"):
        json_form(object())
    with pytest.raises(TypeError, match="no JSON form for set"):
        json_form(Tree(title="t", top="a", loose={"x"}))


def _dataclasses_reachable_from(root: type) -> set[type]:
    seen: set[type] = set()
    todo = [root]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            todo.extend(_dataclass_types(hints[f.name]))
    return seen


def _dataclass_types(hint: Any) -> list[type]:
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return [hint]
    if typing.get_origin(hint) in (tuple, types.UnionType, typing.Union):
        return [c for arg in typing.get_args(hint) for c in _dataclass_types(arg)]
    return []


def test_every_value_in_the_report_is_written_by_the_walker() -> None:
    reachable = _dataclasses_reachable_from(Report)
    assert {"Finding", "Evidence", "RuleOutcome", "Waiver", "WaiverUse", "Completeness"} <= {
        c.__name__ for c in reachable
    }
    # NOTE: no hand-written JSON form is left beside the walker; Report.to_dict (documented
    # in docs/library.md) is the walker itself.
    assert [c.__name__ for c in reachable if hasattr(c, "to_dict")] == ["Report"]
    for report in ALL_REPORTS.values():
        assert report.to_dict() == json_form(report)


def _schema_object(node: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The schema `node` stands for, references and `oneOf` (object or null) followed."""
    while True:
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        elif "oneOf" in node:
            node = next(n for n in node["oneOf"] if n.get("type") != "null")
        else:
            return node


def _check_key_order(
    value: Any, node: dict[str, Any], schema: dict[str, Any], at: str, seen: set[int]
) -> None:
    """Every object in `value` lists its keys in the order its schema documents them."""
    node = _schema_object(node, schema)
    if isinstance(value, dict):
        assert list(value) == node["required"] == list(node["properties"]), at
        seen.add(id(node))
        for key, item in value.items():
            _check_key_order(item, node["properties"][key], schema, f"{at}.{key}", seen)
    elif isinstance(value, list) and "items" in node:
        for n, item in enumerate(value):
            _check_key_order(item, node["items"], schema, f"{at}[{n}]", seen)


def _closed_objects(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [o for item in node for o in _closed_objects(item)]
    if not isinstance(node, dict):
        return []
    own = [node] if node.get("additionalProperties") is False else []
    return own + [o for item in node.values() for o in _closed_objects(item)]


# NOTE: the golden fixtures have no timeline and no skipped input; this one has both.
_FULL = dataclasses.replace(
    FAIL_REPORT,
    timeline=(
        TimelineEntry(
            id="US-ICTS-2021-002",
            title="Final determination",
            milestone="integration-ban",
            effective="2024-07-20",
            status=RuleStatus.IN_FORCE,
            severity=Severity.ERROR,
            reason="in force since 2024-07-20",
            source="https://example.org/rule",
        ),
    ),
    skipped_inputs=(SkippedInput(path="dir/README.md", reason="not an SBOM file name"),),
)


def test_key_order_is_the_schemas() -> None:
    # The written JSON sorts its keys; the data `to_dict` returns keeps the classes' field
    # order, and that order is the one the schema documents (required == properties).
    schema = load_report_schema()
    seen: set[int] = set()
    for name, report in [*ALL_REPORTS.items(), ("full", _FULL)]:
        data = report.to_dict()
        validate_report(data, source=name)
        _check_key_order(data, schema, schema, name, seen)
    # Every object the schema describes was met in the fixtures and checked.
    assert seen == {id(node) for node in _closed_objects(schema)}
