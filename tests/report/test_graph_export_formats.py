"""`sbomcheck graph --format mermaid|json`: a Mermaid flowchart GitHub can draw whatever the
names, cut to the findings' paths when too large; a JSON graph valid against its schema."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sbomcheck.cli import main
from sbomcheck.report.graph_export import (
    MERMAID_LABEL_MAX,
    MERMAID_MAX_EDGES,
    MERMAID_MAX_TEXT,
    _mermaid_text,
)
from sbomcheck.schema import ReportSchemaError, validate_graph
from tests.conftest import SAMPLES
from tests.safe_output import RAW_UNSAFE

SAMPLE_INPUTS = sorted(
    p for p in SAMPLES.iterdir() if p.name != "README.md" and not p.name.startswith(".")
)
HOSTILE = (
    'a"b #quot; #35; & <b>bold</b> | `code` ; %% end --> x:::cls click style:x#35; '
    "\u202eevil\u202c \x1b[31mred \u0000 ünï"
)
"""Everything that is syntax or markup to Mermaid, an entity code, a comment, a keyword, an
arrow, a class shorthand, bidi and terminal controls, and letters beyond ASCII."""
LABEL = re.compile(r'^  n\d+\["([^"]*)"\]$')
EDGE = re.compile(r'^  n\d+ (-->|-\.->)\|"([^"]*)"\| n\d+$')


def graph(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["graph", *argv]) == 0
    return capsys.readouterr().out


def cyclonedx(tmp_path: Path, names: list[str], edges: list[tuple[int, int]]) -> Path:
    """An SBOM: component 0 is the product, the last is Kaspersky's SDK."""
    components: list[dict[str, object]] = [
        {"bom-ref": f"c{i}", "type": "library", "name": name, "version": "1"}
        for i, name in enumerate(names)
    ]
    components[-1]["supplier"] = {"name": "AO Kaspersky Lab"}
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {"component": components[0]},
        "components": components[1:],
        "dependencies": [
            {"ref": f"c{i}", "dependsOn": [f"c{j}" for s, j in edges if s == i]}
            for i in range(len(names))
        ],
    }
    path = tmp_path / "sbom.cdx.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def hostile_sbom(tmp_path: Path) -> Path:
    return cyclonedx(tmp_path, ["app", HOSTILE, "x" * 500, "kav-sdk"], [(0, 1), (1, 2), (2, 3)])


def big_sbom(tmp_path: Path, n: int = 700) -> Path:
    """A product with `n` libraries, one of which leads to Kaspersky's SDK."""
    names = ["app", *(f"lib-{i:04d}" for i in range(n)), "kav-sdk"]
    edges = [(0, i) for i in range(1, n + 1)] + [(i, i + 1) for i in range(1, n)]
    edges.append((n // 2, n + 1))
    return cyclonedx(tmp_path, names, edges)


# --- Mermaid ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("kav-sdk@8.0", "kav-sdk@8.0"),
        ('a"b', "a#34;b"),
        ("#quot;", "#35;quot#59;"),
        ("<b>&", "#60;b#62;#38;"),
        ("a|b`c\\d%", "a#124;b#96;c#92;d#37;"),
        ("Лаборатория", "Лаборатория"),
        ("\u202e\x1b", "#92;u202e#92;x1b"),
    ],
)
def test_mermaid_text_escapes_syntax(text: str, shown: str) -> None:
    assert _mermaid_text(text) == shown


def test_mermaid_labels_are_cut() -> None:
    assert _mermaid_text("y" * 500) == "y" * (MERMAID_LABEL_MAX - 1) + "…"


def test_mermaid_draws_the_graph_with_findings_marked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = graph([str(hostile_sbom(tmp_path)), "--format", "mermaid"], capsys)
    lines = out.splitlines()
    assert lines[0].startswith("%% sbomcheck graph:")
    assert "flowchart LR" in lines
    labels = [m.group(1) for m in map(LABEL.match, lines) if m]
    edges = [m.group(2) for m in map(EDGE.match, lines) if m]
    assert len(labels) == 4 and edges == ["depends-on"] * 3
    assert labels[0] == "app@1" and labels[3] == "kav-sdk@1"
    assert labels[2] == "x" * (MERMAID_LABEL_MAX - 1) + "…"
    for label in labels:
        assert not re.search(r"[\"<>&|`\\%]", label), label
    assert "  class n3 finding" in lines
    assert "  class n0 root" in lines
    assert "  linkStyle 0,1,2 stroke:#b00000,stroke-width:3px" in lines
    assert RAW_UNSAFE.findall(out) == []


def test_mermaid_of_a_graph_too_large_shows_the_paths_to_the_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = graph([str(big_sbom(tmp_path)), "--format", "mermaid"], capsys)
    assert len(out) <= MERMAID_MAX_TEXT
    edges = [line for line in out.splitlines() if EDGE.match(line)]
    assert 0 < len(edges) <= MERMAID_MAX_EDGES
    assert "%% The graph (702 elements and 1,400 edges) is larger than Mermaid draws: shown" in out
    assert '"kav-sdk@1"' in out and '"app@1"' in out


@pytest.mark.parametrize("sample", SAMPLE_INPUTS, ids=lambda p: p.name)
def test_mermaid_of_every_sample_is_whole(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = graph([str(sample), "--format", "mermaid"], capsys)
    assert "larger than Mermaid draws" not in out
    assert out.count("\n  n") > 0


def _mmdc() -> tuple[str, dict[str, str]]:
    """The Mermaid CLI and its environment (a Chromium from the system), or skip. The CLI is
    `SBOMCHECK_MMDC`, else the one .ci/run installs under `SBOMCHECK_NODE_TOOLS` (from
    tests/assets/clients/package.json), else `mmdc` on PATH."""
    tools = os.environ.get("SBOMCHECK_NODE_TOOLS")
    candidates = [
        os.environ.get("SBOMCHECK_MMDC"),
        str(Path(tools) / "node_modules" / ".bin" / "mmdc") if tools else None,
        shutil.which("mmdc"),
    ]
    mmdc = next((c for c in candidates if c and Path(c).exists()), None)
    if mmdc is None:
        pytest.skip(
            "Mermaid CLI not found: PUPPETEER_SKIP_DOWNLOAD=1 npm install "
            "@mermaid-js/mermaid-cli, then SBOMCHECK_MMDC=node_modules/.bin/mmdc"
        )
    env = dict(os.environ)
    if "PUPPETEER_EXECUTABLE_PATH" not in env:
        browser = next(
            (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
        )
        if browser is None:
            pytest.skip("no Chromium for the Mermaid CLI (apt-get install chromium)")
        env["PUPPETEER_EXECUTABLE_PATH"] = str(shutil.which(browser))
    return mmdc, env


def _render(mermaid: str, tmp_path: Path) -> str:
    mmdc, env = _mmdc()
    source, svg = tmp_path / "g.mmd", tmp_path / "g.svg"
    config = tmp_path / "puppeteer.json"
    config.write_text('{"args": ["--no-sandbox", "--disable-gpu"]}', encoding="utf-8")
    source.write_text(mermaid, encoding="utf-8")
    done = subprocess.run(
        [mmdc, "-p", str(config), "-i", str(source), "-o", str(svg)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    text = svg.read_text(encoding="utf-8")
    assert "Syntax error" not in text and "Maximum text size" not in text
    return text


@pytest.mark.slow
def test_mermaid_renders_in_the_mermaid_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    svg = _render(graph([str(hostile_sbom(tmp_path)), "--format", "mermaid"], capsys), tmp_path)
    # Shown as the characters written, not read as markup: the `<b>` is text, not bold.
    assert "&lt;b&gt;bold&lt;/b&gt;" in svg
    assert "<b>bold</b>" not in svg
    assert "kav-sdk@1" in svg


@pytest.mark.slow
def test_mermaid_of_a_large_graph_renders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    svg = _render(graph([str(big_sbom(tmp_path)), "--format", "mermaid"], capsys), tmp_path)
    assert "kav-sdk@1" in svg


@pytest.mark.slow
def test_mermaid_of_the_linked_samples_renders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for sample in ("linked", "linked-cross-format", "oem-appliance.cdx.xml"):
        svg = _render(graph([str(SAMPLES / sample), "--format", "mermaid"], capsys), tmp_path)
        assert "<svg" in svg


# --- JSON ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLE_INPUTS, ids=lambda p: p.name)
def test_json_graph_is_valid_and_whole(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = graph([str(sample), "--format", "json"], capsys)
    data = json.loads(out)
    validate_graph(data)
    ids = [n["id"] for n in data["nodes"]]
    assert len(set(ids)) == len(ids)
    known = set(ids)
    for edge in data["edges"]:
        assert edge["source"] in known and edge["target"] in known
    for finding in data["findings"]:
        assert finding["node"] in known
        for path in finding["paths"]:
            assert set(path) <= known and path[-1] == finding["node"]
            assert all(n["on_path"] for n in data["nodes"] if n["id"] in path)
        assert set(finding["introduced_via"]) <= known and set(finding["affected"]) <= known
    flagged = {n["id"] for n in data["nodes"] if n["finding"]}
    assert flagged == {f["node"] for f in data["findings"]}
    # byte-stable
    assert graph([str(sample), "--format", "json"], capsys) == out


def test_json_graph_of_linked_documents_crosses_them(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(graph([str(SAMPLES / "linked"), "--format", "json"], capsys))
    documents = {p.split("#")[0] for f in data["findings"] for p in f["paths"][0]}
    assert len(documents) > 1
    assert {e["type"] for e in data["edges"] if e["on_path"]} >= {"depends-on"}


def test_json_graph_keeps_hostile_names_whole_and_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = graph([str(hostile_sbom(tmp_path)), "--format", "json"], capsys)
    assert RAW_UNSAFE.findall(out) == []
    data = json.loads(out)
    validate_graph(data)
    assert HOSTILE in [n["name"] for n in data["nodes"]]
    assert "x" * 500 in [n["name"] for n in data["nodes"]]


def test_graph_schema_rejects_what_it_does_not_describe(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = json.loads(graph([str(SAMPLES / "oem-appliance.cdx.xml"), "--format", "json"], capsys))
    data["nodes"][0]["colour"] = "red"
    with pytest.raises(ReportSchemaError, match=r"graph.schema.json.*colour"):
        validate_graph(data)
