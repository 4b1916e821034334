"""Graph exports stay well-formed whatever characters an SBOM's names contain."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from sbomcheck.cli import main

HOSTILE = "z\u0000nul\u0001\u001b[31m\u202e<b>&\"'"


def _sbom(tmp_path: Path) -> Path:
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {"component": {"bom-ref": "app", "type": "application", "name": "app"}},
        "components": [
            {"bom-ref": HOSTILE, "type": "library", "name": HOSTILE, "version": "1"},
            {"bom-ref": "kav", "type": "library", "name": "KAV SDK",
             "supplier": {"name": "AO Kaspersky Lab"}},
        ],
        "dependencies": [{"ref": "app", "dependsOn": [HOSTILE]}, {"ref": HOSTILE, "dependsOn": ["kav"]}],
    }
    path = tmp_path / "hostile.cdx.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_graphml_with_control_characters_parses_and_keeps_every_node(tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    assert main(["graph", str(_sbom(tmp_path)), "--format", "graphml", "-o", str(out)]) == 0
    ET.parse(out)  # expat refuses NUL and other characters XML cannot carry
    graph = nx.read_graphml(out)
    assert len(graph) == 3 and graph.number_of_edges() == 2
    assert any("\\x00nul\\x01" in node for node in graph.nodes)
    assert sum(1 for _, data in graph.nodes(data=True) if data["finding"]) == 1


def test_dot_shows_control_characters_as_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["graph", str(_sbom(tmp_path)), "--format", "dot"]) == 0
    dot = capsys.readouterr().out
    assert "\u0000" not in dot and "\u001b" not in dot and "\u202e" not in dot
    assert "\\\\x00nul\\\\x01" in dot and '\\"' in dot
