"""`sbomcheck scan` and `sbomcheck graph`: exit codes, outputs, the stderr summary, colour."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import orjson
import pytest

from sbomcheck.cli import main
from sbomcheck.schema import validate_report
from tests.conftest import SAMPLES
from tests.scan.test_scan import cyclonedx, lib, write_direct, write_linked

AS_OF = ["--as-of", "2026-01-15"]


def test_fail_exits_1_with_summary_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_direct(tmp_path)
    assert main(["scan", str(path), "--format", "json", *AS_OF]) == 1
    out, err = capsys.readouterr()
    report = orjson.loads(out)
    validate_report(report)
    assert report["verdict"] == "fail"
    assert report["findings"][0]["paths"] == [["product", "app", "sdk"]]
    # 89 characters: at 80 columns it breaks after the clause.
    assert err.strip().splitlines()[-2:] == [
        "sbomcheck: FAIL: 1 finding (1 confirmed) in 1 document;",
        "  as of 2026-01-15, profile vendor",
    ]


def test_before_the_ban_warns_and_exits_0_unless_fail_on_warn(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(write_direct(tmp_path))
    assert main(["scan", path, "--format", "json", "--as-of", "2024-09-01"]) == 0
    assert orjson.loads(capsys.readouterr().out)["verdict"] == "warn"
    assert main(["scan", path, "--as-of", "2024-09-01", "--fail-on", "warn"]) == 1


def test_clean_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "clean.json"
    path.write_bytes(cyclonedx("product", [lib("a", purl="pkg:npm/a@1.0")], {"product": ["a"]}))
    assert (
        main(["scan", str(path), *AS_OF, "-o", str(tmp_path / "out.json"), "--format", "json"]) == 0
    )
    report = orjson.loads((tmp_path / "out.json").read_bytes())
    validate_report(report)
    assert report["findings"] == []
    assert capsys.readouterr().out == ""


def test_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    good = write_direct(tmp_path)
    assert main(["scan", str(good), str(bad), *AS_OF]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"sbomcheck: error: {bad}: line 1 column 2: invalid JSON")
    assert main(["scan", str(tmp_path / "missing.json"), *AS_OF]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    assert not (tmp_path / "report.json").exists()


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(write_direct(tmp_path))
    with pytest.raises(SystemExit) as exc:
        main(["scan", path, "--max-paths", "0"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["scan", path, "--format", "yaml"])
    assert exc.value.code == 2
    assert main(["scan", path, "--replace-aliases"]) == 2
    assert "--replace-aliases needs --aliases FILE" in capsys.readouterr().err


def test_max_bytes_is_for_markdown_and_at_least_1024(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(write_direct(tmp_path))
    assert main(["scan", path, *AS_OF, "--format", "json", "--max-bytes", "900000"]) == 2
    err = capsys.readouterr().err
    assert "--max-bytes applies to markdown output only (--format markdown or --output " in err
    assert "markdown=PATH), not json" in err
    assert main(["scan", path, *AS_OF, "--format", "markdown", "--max-bytes", "1000"]) == 2
    assert "--max-bytes must be at least 1024: 1000" in capsys.readouterr().err
    assert main(["scan", path, *AS_OF, "--format", "markdown", "--max-bytes", "1024"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("## sbomcheck: FAIL\n") and len(out.encode()) <= 1024


def test_directory_notes_and_linked_scan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_linked(tmp_path)
    (tmp_path / "README.md").write_text("notes\n")
    assert main(["scan", str(tmp_path), "--format", "json", *AS_OF]) == 1
    out, err = capsys.readouterr()
    notes = " ".join(err.split())
    assert f"sbomcheck: note: {tmp_path}/README.md: skipped: not an SBOM file name" in notes
    (finding,) = orjson.loads(out)["findings"]
    assert finding["paths"] == [["product", "gateway", "appliance", "engine", "sdk"]]
    assert "in 2 documents" in err


def test_unresolved_references_are_counted_in_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    product, _ = write_linked(tmp_path)
    main(["scan", str(product), "--format", "json", *AS_OF])
    out, err = capsys.readouterr()
    assert len(orjson.loads(out)["unresolved_references"]) == 1
    assert err.strip() == (
        "sbomcheck: INDETERMINATE: no findings in 1 document, 1 unresolved reference;\n"
        "  as of 2026-01-15, profile vendor"
    )


def test_graph_dot_marks_findings_and_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_linked(tmp_path)
    assert main(["graph", str(tmp_path)]) == 0
    dot = capsys.readouterr().out
    vendor = f"{tmp_path}/vendor/appliance.cdx.json"
    assert dot.startswith("digraph sbomcheck {")
    assert f'"{vendor}#sdk" [label="Kaspersky Anti-Virus SDK@8.9\\nsdk", style=filled' in dot
    product = f"{tmp_path}/product.cdx.json"
    assert (
        f'"{product}#gateway" -> "{vendor}#appliance" [label="depends-on", '
        'color="#b00000", penwidth=2];'
    ) in dot
    assert (
        f'"{product}#product" [label="product\\nproduct", color="#b00000", peripheries=2];' in dot
    )


def test_graph_graphml(tmp_path: Path) -> None:
    path = write_direct(tmp_path)
    out = tmp_path / "g.graphml"
    assert main(["graph", str(path), "--format", "graphml", "-o", str(out)]) == 0
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(out).getroot()
    keys = {k.get("id"): k.get("attr.name") for k in root.findall("g:key", ns)}
    nodes = {}
    for node in root.iterfind("g:graph/g:node", ns):
        # NOTE: networkx writes booleans as True/False; GraphML readers compare them
        # case-insensitively.
        nodes[node.get("id")] = {
            keys[d.get("key")]: (d.text or "").lower() for d in node.findall("g:data", ns)
        }
    sdk = nodes[f"{path}#sdk"]
    assert sdk["finding"] == "true" and sdk["confidence"] == "confirmed"
    assert nodes[f"{path}#app"]["on_path"] == "true"
    assert nodes[f"{path}#app"]["affected"] == "true"
    assert nodes[f"{path}#left-pad"]["on_path"] == "false"


@pytest.mark.parametrize(("fail_on", "expected"), [("fail", 0), ("warn", 1), ("indeterminate", 1)])
def test_fail_on_levels_are_the_same_for_every_command(fail_on: str, expected: int) -> None:
    # samples/direct-dependency.cdx.json warns (Kaspersky UI kits: no rule in force for vendors).
    sample = str(SAMPLES / "direct-dependency.cdx.json")
    assert main(["scan", sample, "--as-of", "2026-01-15", "--fail-on", fail_on]) == expected
