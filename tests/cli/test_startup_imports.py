"""What a command loads: optional and heavy modules only where they are used.

Start-up cost is measured by `benchmarks/startup.py` (docs/performance.md), never here; these
tests only pin which modules a command imports, each in a fresh interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# Needed only by some inputs or commands: XML (lxml), YAML, the general JSON path (orjson),
# zip archives, attestations, schemas, graphs, Dask, the ledger, -vv and error hints.
OPTIONAL = (
    "lxml",
    "yaml",
    "orjson",
    "zipfile",
    "cryptography",
    "jsonschema",
    "networkx",
    "dask",
    "distributed",
    "sqlite3",
    "logging",
    "traceback",
    "difflib",
    "importlib.resources",
)


def _loaded_by(argv: list[str]) -> set[str]:
    """The modules `sbomcheck.cli.main(argv)` leaves loaded in a fresh interpreter."""
    code = (
        "import json, sys\n"
        "from sbomcheck.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stdout.write('\\n' + json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def _scan(sample: str) -> list[str]:
    return ["scan", str(ROOT / "samples" / sample), "-o", "-", "--as-of", "2026-01-15"]


def test_version_loads_no_optional_module_nor_a_reader() -> None:
    loaded = _loaded_by(["--version"])
    assert "sbomcheck.cli" in loaded
    assert not loaded & {*OPTIONAL, "msgspec", "re2", "sbomcheck.ingest", "sbomcheck.scan"}


@pytest.mark.parametrize("sample", ["direct-dependency.cdx.json", "sdk-three-levels.spdx.json"])
def test_a_json_scan_loads_no_optional_module(sample: str) -> None:
    loaded = _loaded_by(_scan(sample))
    assert {"sbomcheck.scan", "sbomcheck.ingest", "msgspec", "re2"} <= loaded
    assert not loaded & set(OPTIONAL)


def test_an_xml_scan_loads_lxml_and_nothing_else_optional() -> None:
    loaded = _loaded_by(_scan("oem-appliance.cdx.xml"))
    assert "lxml.etree" in loaded
    assert not loaded & (set(OPTIONAL) - {"lxml"})
