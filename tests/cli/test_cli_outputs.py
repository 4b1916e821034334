"""`-o/--output [FORMAT=]PATH`, repeatable: one scan, several outputs, and how they combine.

Each output of one run is byte for byte what a run with only that format writes; the scan
runs once; `--format` and `-o PATH` keep their meaning; usage errors (a file twice, two
outputs to standard output, a misspelt format, an input as output) exit 2 before anything is
read or written; settings files and variables take outputs too.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from sbomcheck.cli import main
from tests.conftest import SAMPLES

SAMPLE = str(SAMPLES / "sdk-three-levels.spdx.json")
AS_OF = ["--as-of", "2026-01-15"]


@pytest.fixture(autouse=True)
def _no_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in an empty directory of its own, with no SBOMCHECK_* variable and no colour."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("SBOMCHECK_") or name in ("NO_COLOR", "FORCE_COLOR"):
            monkeypatch.delenv(name)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_info:  # argparse's own usage errors
        code = int(str(exit_info.code))
    out, err = capsys.readouterr()
    return code, out, err


def text_fails(text: str) -> bool:
    """The text report's first line: `sbomcheck VERSION: FAIL`."""
    return text.startswith("sbomcheck ") and text.split("\n", 1)[0].endswith(": FAIL")


def alone(capsys: pytest.CaptureFixture[str], fmt: str, *extra: str) -> str:
    """What `scan --format FMT` writes to standard output."""
    code, out, _ = run(capsys, "scan", SAMPLE, *AS_OF, "--no-config", "--format", fmt, *extra)
    assert code == 1
    return out


def test_one_scan_writes_each_output_as_a_run_of_its_own_would(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sbomcheck.scan

    scans: list[Any] = []
    real = sbomcheck.scan.scan_documents

    def counted(*args: Any, **kwargs: Any) -> Any:
        scans.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(sbomcheck.scan, "scan_documents", counted)
    formats = ("json", "sarif", "junit", "html", "cdxa", "csv", "text")
    argv = [f"--output={fmt}=out.{fmt}" for fmt in formats]
    code, out, err = run(capsys, "scan", SAMPLE, *AS_OF, *argv, "--output", "markdown=-")
    assert code == 1 and len(scans) == 1
    assert err.startswith("sbomcheck: FAIL: 1 finding")
    assert out == alone(capsys, "markdown")
    for fmt in formats:
        written = (tmp_path / f"out.{fmt}").read_bytes().decode("utf-8")
        # text to a file: as text written with -o FILE (no colour, 80 columns)
        expected = alone(capsys, fmt)
        assert written == expected, fmt


def test_o_path_alone_is_the_format_report_as_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for option in ("-o", "--output"):
        code, out, _ = run(capsys, "scan", SAMPLE, *AS_OF, "--format", "json", option, "r.json")
        assert (code, out) == (1, "")
        assert json.loads((tmp_path / "r.json").read_text())["verdict"] == "fail"
    code, out, _ = run(capsys, "scan", SAMPLE, *AS_OF, "--format", "sarif", "-o", "-")
    assert code == 1 and json.loads(out)["version"] == "2.1.0"


def test_format_and_output_pairs_combine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Only FORMAT=PATH outputs: the --format report is not written (nothing on stdout)...
    code, out, err = run(capsys, "scan", SAMPLE, *AS_OF, "--output", "sarif=a.sarif")
    assert (code, out) == (1, "") and err.startswith("sbomcheck: FAIL")
    assert (tmp_path / "a.sarif").exists()
    # ...unless --format is given: then it goes to stdout, or to the plain -o PATH.
    code, out, _ = run(
        capsys, "scan", SAMPLE, *AS_OF, "--format", "json", "--output", "sarif=b.sarif"
    )
    assert json.loads(out)["verdict"] == "fail" and (tmp_path / "b.sarif").exists()
    code, out, _ = run(capsys, "scan", SAMPLE, *AS_OF, "-o", "c.txt", "--output", "csv=c.csv")
    assert out == "" and text_fails((tmp_path / "c.txt").read_text())
    assert (tmp_path / "c.csv").read_bytes().startswith(b"sbom,component,")


def test_a_file_whose_name_looks_like_format_equals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "scan", SAMPLE, "--output", "sarf=x.sarif")
    assert code == 2
    assert "'sarf' in 'sarf=x.sarif' is not a format of this command" in err
    assert "write ./sarf=x.sarif" in err
    code, _, _ = run(capsys, "scan", SAMPLE, *AS_OF, "-o", "./sarf=x.sarif")
    assert code == 1 and text_fails((tmp_path / "sarf=x.sarif").read_text())
    # A directory with `=` in its name is a path, not a format.
    (tmp_path / "a=b").mkdir()
    code, _, _ = run(capsys, "scan", SAMPLE, *AS_OF, "--output", "json=a=b/r.json")
    assert code == 1 and json.loads((tmp_path / "a=b" / "r.json").read_text())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--output", "sarif=r", "--output", "json=./r"], "r is named twice (sarif and json)"),
        (["--output", "sarif=r", "--output", "json=link"], "link is named twice (sarif and json)"),
        (["--output", "csv=-", "--output", "json=-"], "2 outputs to standard output (csv, json)"),
        (["--format", "json", "--output", "csv=-"], "2 outputs to standard output (json, csv)"),
        (["-o", "a", "-o", "b"], "2 paths without FORMAT= (a, b)"),
        (["--output", "sarif="], "no PATH after sarif= (write sarif=- for standard output)"),
        (["--output", "markdown=m.md", "--max-bytes", "100"], "--max-bytes must be at least"),
        (["--output", "json=j", "--max-bytes", "2000"], "--max-bytes applies to markdown output"),
        (["--output", f"json={SAMPLE}"], "is an input of this command"),
    ],
)
def test_usage_errors_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    (tmp_path / "r").write_text("kept")
    (tmp_path / "link").symlink_to(tmp_path / "r")
    before = sorted(p.name for p in tmp_path.iterdir())
    sample = Path(SAMPLE).read_bytes()
    code, out, err = run(capsys, "scan", SAMPLE, *AS_OF, *argv)
    assert code == 2 and out == ""
    assert message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "r").read_text() == "kept" and Path(SAMPLE).read_bytes() == sample


def test_max_bytes_applies_to_markdown_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--output", "markdown=m.md", "--output", "html=h.html", "--max-bytes", "1024"]
    assert run(capsys, "scan", SAMPLE, *AS_OF, *argv)[0] == 1
    assert len((tmp_path / "m.md").read_bytes()) <= 1024
    assert (tmp_path / "h.html").read_text() == alone(capsys, "html")


def test_text_options_apply_to_text_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--format", "text", "--output", "text=t.txt", "--details", "--color", "auto"]
    code, out, _ = run(capsys, "scan", SAMPLE, *AS_OF, *argv)
    assert code == 1
    # Both text outputs have the details; the file is never coloured by `auto`.
    assert out == (tmp_path / "t.txt").read_text()
    assert "Evidence" in out and "\x1b[" not in out
    # -q: the summary replaces the text on stdout; the other outputs are still written.
    code, out, err = run(capsys, "scan", SAMPLE, *AS_OF, "-q", "--output", "csv=q.csv")
    # (At 80 columns, the summary breaks after its first clause.)
    assert (out, err) == (
        "",
        "sbomcheck: FAIL: 1 finding (1 confirmed) in 1 document;\n"
        "  as of 2026-01-15, profile vendor\n",
    )
    code, out, err = run(
        capsys, "scan", SAMPLE, *AS_OF, "-q", "--format", "text", "--output", "csv=q.csv"
    )
    assert (
        out
        == "sbomcheck: FAIL: 1 finding (1 confirmed) in 1 document;\n  as of 2026-01-15, profile vendor\n"
    )
    assert err == ""
    assert (tmp_path / "q.csv").exists()


def test_a_failing_render_writes_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sbomcheck.report.html import HtmlFormatter

    def broken(*_: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(HtmlFormatter, "render", broken)
    argv = ["--output", "sarif=a.sarif", "--output", "html=a.html", "--output", "csv=a.csv"]
    code, out, _ = run(capsys, "scan", SAMPLE, *AS_OF, *argv)
    assert (code, out) == (70, "")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".git"]


# --- settings --------------------------------------------------------------------------------


def test_a_settings_file_lists_outputs_relative_to_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "sub").mkdir()
    (tmp_path / ".sbomcheck.toml").write_text(
        '[scan]\nformat = "json"\noutput = ["sarif=reports/s.sarif", "markdown=-"]\n'
    )
    monkeypatch.chdir(tmp_path / "sub")
    code, out, _ = run(capsys, "scan", SAMPLE, *AS_OF)
    assert code == 1
    # format = "json" from the file with only FORMAT=PATH outputs: no JSON is written.
    assert out == alone(capsys, "markdown")
    assert json.loads((tmp_path / "reports" / "s.sarif").read_text())["version"] == "2.1.0"
    assert main(["config", "--format", "json"]) == 0
    settings = {s["name"]: s for s in json.loads(capsys.readouterr().out)["settings"]}
    assert settings["scan.output"]["value"] == ["sarif=../reports/s.sarif", "markdown=-"]
    assert main(["config"]) == 0
    assert "sarif=../reports/s.sarif, markdown=-" in capsys.readouterr().out
    # A PATH without FORMAT= in the list is the --format report's file.
    (tmp_path / ".sbomcheck.toml").write_text(
        '[scan]\nformat = "json"\noutput = ["r.json", "csv=r.csv"]\n'
    )
    code, out, _ = run(capsys, "scan", SAMPLE, *AS_OF)
    assert (code, out) == (1, "")
    assert json.loads((tmp_path / "r.json").read_text())["verdict"] == "fail"
    assert (tmp_path / "r.csv").exists()
    # Flags replace the file's outputs, as every setting.
    code, out, _ = run(capsys, "scan", SAMPLE, *AS_OF, "--output", "text=-")
    assert text_fails(out)


def test_a_variable_gives_one_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.environ["SBOMCHECK_AUDIT_OUTPUT"] = "csv=audit, one.csv"
    try:
        code, out, _ = run(capsys, "audit", SAMPLE, *AS_OF, "--jobs", "1")
    finally:
        del os.environ["SBOMCHECK_AUDIT_OUTPUT"]
    assert (code, out) == (1, "")
    assert (tmp_path / "audit, one.csv").read_bytes().startswith(b"sbom,component,")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('["sarf=x"]', "scan.output: 'sarf' in 'sarf=x' is not a format of this command"),
        ("[]", "scan.output: must not be empty"),
        ("[1]", "scan.output: must be a string or an array of strings, not an array"),
        ('"sarif="', "scan.output: no PATH after sarif="),
    ],
)
def test_a_bad_output_setting_names_the_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    (tmp_path / ".sbomcheck.toml").write_text(f"[scan]\noutput = {value}\n")
    code, _, err = run(capsys, "scan", SAMPLE)
    assert code == 2
    assert err.startswith(f"sbomcheck: error: .sbomcheck.toml: {message}"), err
