"""Graph exports stay well-formed whatever characters an SBOM's names contain."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
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
            {
                "bom-ref": "kav",
                "type": "library",
                "name": "KAV SDK",
                "supplier": {"name": "AO Kaspersky Lab"},
            },
        ],
        "dependencies": [
            {"ref": "app", "dependsOn": [HOSTILE]},
            {"ref": HOSTILE, "dependsOn": ["kav"]},
        ],
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


def _long_sbom(tmp_path: Path, length: int) -> Path:
    """Two components whose names and refs are `length` characters and share a prefix."""
    long_a, long_b = "A" * length + "-a", "A" * length + "-b"
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {"component": {"bom-ref": "app", "type": "application", "name": "app"}},
        "components": [
            {"bom-ref": long_a, "type": "library", "name": long_a,
             "supplier": {"name": "AO Kaspersky Lab"}},
            {"bom-ref": long_b, "type": "library", "name": "b\u202e" + long_b},
        ],
        "dependencies": [{"ref": "app", "dependsOn": [long_a, long_b]}],
    }  # fmt: skip
    path = tmp_path / "long.cdx.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_dot_labels_are_cut_and_every_quoted_string_fits_graphviz(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sbomcheck.report.graph_export import DOT_LABEL_MAX, DOT_STRING_MAX

    assert main(["graph", str(_long_sbom(tmp_path, 100_000))]) == 0
    dot = capsys.readouterr().out
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', dot)
    assert max(len(s.encode()) for s in strings) <= DOT_STRING_MAX
    labels = re.findall(r'label="((?:[^"\\]|\\.)*)"', dot)
    long_labels = [lb for lb in labels if "AAAA" in lb]
    assert len(long_labels) == 2
    for label in long_labels:
        name, ref = label.replace("\\\\", "\\").split("\\n")
        assert len(name) <= DOT_LABEL_MAX and name.endswith("\u2026")
        assert len(ref) <= DOT_LABEL_MAX and ref.endswith("\u2026")
    # The whole value goes into the tooltip as far as Graphviz reads one.
    assert sum("tooltip=" in line and "AAAA" in line for line in dot.splitlines()) == 2
    # Ids stay distinct though both are cut to the same prefix.
    nodes = [line for line in dot.splitlines() if "label=" in line and " -> " not in line]
    long_ids = {line.split(" [")[0] for line in nodes if "#sha256:" in line}
    assert len(long_ids) == 2
    assert "\u202e" not in dot and "\\\\u202e" in dot


def test_dot_with_a_100000_character_name_renders(tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("graphviz is not installed (apt-get install graphviz)")
    out = tmp_path / "g.dot"
    assert main(["graph", str(_long_sbom(tmp_path, 100_000)), "-o", str(out)]) == 0
    done = subprocess.run(
        ["dot", "-Tsvg", str(out)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr


def test_short_labels_are_unchanged_and_carry_no_tooltip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["graph", str(_sbom(tmp_path))]) == 0
    dot = capsys.readouterr().out
    # Only the finding has a tooltip (its match), as before labels were cut.
    assert [line for line in dot.splitlines() if "tooltip=" in line] == [
        line for line in dot.splitlines() if "fillcolor" in line
    ]


def test_graphml_writes_c1_and_bidi_as_character_references(tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    assert main(["graph", str(_sbom(tmp_path)), "--format", "graphml", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    # (networkx's writer already refers to non-ASCII characters by number; xml_safe makes
    # sure of it for C1 and bidi characters whatever the writer does.)
    assert "\u202e" not in text and ("&#8238;" in text or "&#x202e;" in text)
    graph = nx.read_graphml(out)
    assert any("\u202e" in node for node in graph.nodes)  # the value itself is kept
