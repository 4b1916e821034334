"""PyYAML's safe loader (C where available), refusing a mapping that repeats a key.

PyYAML keeps the last value of a repeated key, silently, as JSON decoders do; a finding could
hide in the value that loses, so a repeated key is an error (docs/readers.md). Merge keys
(`<<`) are YAML's own way to override and are left to the loader.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["RepeatedKey", "load_unique"]

_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"


class RepeatedKey(Exception):
    """A mapping names the same key twice; lines are 1-based."""

    def __init__(self, key: object, line: int, first_line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line
        self.first_line = first_line


class _UniqueKeyLoader(_BASE):  # type: ignore[misc] # PyYAML's loaders are untyped
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        lines: dict[object, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                first = lines.get(key)
            except TypeError:
                continue  # an unhashable key: the loader itself refuses it
            if first is not None:
                raise RepeatedKey(key, line, first)
            lines[key] = line
        return super().construct_mapping(node, deep)


def load_unique(text: str) -> Any:
    """`yaml.load` with the safe loader; raises `RepeatedKey` on a repeated mapping key."""
    return yaml.load(text, Loader=_UniqueKeyLoader)
