"""The names `sbomcheck.graph` exports resolve, and its modules can be imported one by one."""

from __future__ import annotations

import subprocess
import sys

import pytest

import sbomcheck.graph
from sbomcheck.findings import PATH_COUNT_CAP
from sbomcheck.graph.build import build_graph
from sbomcheck.relationships import RELATIONSHIP_RULES


@pytest.mark.parametrize("name", sbomcheck.graph.__all__)
def test_every_exported_name_resolves(name: str) -> None:
    assert getattr(sbomcheck.graph, name) is not None


def test_exported_names_are_their_homes_own() -> None:
    assert sbomcheck.graph.build_graph is build_graph
    assert sbomcheck.graph.PATH_COUNT_CAP == PATH_COUNT_CAP
    assert sbomcheck.graph.RELATIONSHIP_RULES is RELATIONSHIP_RULES


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        sbomcheck.graph.nope  # noqa: B018


def test_reading_an_sbom_does_not_import_the_graph_stage() -> None:
    # The ingest cycle warnings use `graph.scc`; the rest of the stage waits for a scan.
    code = (
        "import sys, sbomcheck.ingest._checks; "
        "print(sorted(m for m in sys.modules if m.startswith('sbomcheck.graph')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip() == "['sbomcheck.graph', 'sbomcheck.graph.scc']"
