"""`sbomcheck scan` in a terminal: the short view, --details/-v, -q, --color with NO_COLOR,
FORCE_COLOR and TERM, the width (COLUMNS, 80 when unknown), usage errors pointing at the
command's help; exit codes unchanged by any of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sbomcheck.cli import main
from sbomcheck.cli._common import text_width
from sbomcheck.cli.scan import use_color
from tests.conftest import ROOT, SAMPLES

AS_OF = ["--as-of", "2026-01-15"]
FAILING = str(SAMPLES / "oem-appliance.cdx.xml")
WARNING = str(SAMPLES / "direct-dependency.cdx.json")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
SAMPLE_INPUTS = sorted(
    str(p) for p in SAMPLES.iterdir() if p.name != "README.md" and not p.name.startswith(".")
)


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No colour or width settings leak in from the environment running the tests."""
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# --- views --------------------------------------------------------------------------------


def test_default_is_the_short_view(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["scan", FAILING, *AS_OF], capsys)
    assert code == 1
    assert out.startswith("sbomcheck ") and ": FAIL\n" in out.splitlines(keepends=True)[0]
    assert "US-ICTS-2021-002: US Commerce ban on Kaspersky software" in out
    assert "Evidence" not in out and "Rules that do not apply" not in out
    assert out.endswith("Run with --details (or -v) for evidence, paths and rule sources.\n")
    assert len(out.splitlines()) <= 20
    assert err.startswith("sbomcheck: FAIL: 1 finding (1 likely)")


@pytest.mark.parametrize(
    "argv",
    [
        ["scan", FAILING, "--details"],
        ["scan", FAILING, "-v"],
        ["scan", "-v", FAILING],
        ["-v", "scan", FAILING],
        ["scan", FAILING, "-vv"],
        ["-vv", "scan", FAILING],
    ],
    ids=["--details", "scan -v", "scan -v first", "-v scan", "scan -vv", "-vv scan"],
)
def test_details_by_flag_or_v_before_or_after_the_command(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run([*argv, *AS_OF], capsys)
    assert code == 1
    _, reference, _ = run(["scan", FAILING, "--details", *AS_OF], capsys)
    assert out == reference
    for heading in ("Evidence", "Paths (1)", "Rules and sources", "Rules that do not apply"):
        assert heading in out
    assert "Run with --details" not in out


SUMMARY = "sbomcheck: FAIL: 1 finding (1 likely) in 1 document; as of 2026-01-15, profile vendor"
SUMMARY_AT_80 = [
    "sbomcheck: FAIL: 1 finding (1 likely) in 1 document;",
    "  as of 2026-01-15, profile vendor",
]


def test_quiet_prints_the_summary_line_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["scan", FAILING, "-q", *AS_OF], capsys)
    assert code == 1
    # 85 characters: at 80 columns (the default) it breaks after its first clause.
    assert out.splitlines() == SUMMARY_AT_80
    assert err == ""
    monkeypatch.setenv("COLUMNS", "120")
    assert run(["scan", FAILING, "-q", *AS_OF], capsys)[1] == SUMMARY + "\n"
    assert run(["scan", WARNING, "--quiet", *AS_OF], capsys)[0] == 0


def test_quiet_keeps_other_formats_and_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["scan", FAILING, "-q", "--format", "json", *AS_OF], capsys)
    assert code == 1 and out.startswith("{")
    assert err.splitlines() == SUMMARY_AT_80
    report = tmp_path / "report.txt"
    code, out, err = run(["scan", FAILING, "-q", "-o", str(report), *AS_OF], capsys)
    assert code == 1 and out == "" and err.splitlines() == SUMMARY_AT_80
    assert report.read_text(encoding="utf-8").startswith("sbomcheck ")


def test_quiet_drops_the_notes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "product.cdx.xml").write_bytes(Path(FAILING).read_bytes())
    (tmp_path / "README.md").write_text("notes\n", encoding="utf-8")
    _, _, err = run(["scan", str(tmp_path), *AS_OF], capsys)
    assert "sbomcheck: note:" in err
    _, out, err = run(["scan", str(tmp_path), "-q", *AS_OF], capsys)
    assert err == "" and out.splitlines() == SUMMARY_AT_80


@pytest.mark.parametrize(
    "argv",
    [
        ["scan", FAILING, "-q", "--details"],
        ["scan", FAILING, "-q", "-v"],
        ["-v", "scan", FAILING, "-q"],
        ["scan", FAILING, "-q", "-vv"],
    ],
)
def test_quiet_and_details_exclude_each_other(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "-q prints only the summary line" in err
    assert err.endswith("(see 'sbomcheck scan --help')\n")


@pytest.mark.parametrize(
    "argv",
    [
        ["scan", FAILING, "--no-such-flag"],
        ["scan", FAILING, "--color", "sometimes"],
        ["scan", "--max-paths", "0", FAILING],
    ],
)
def test_usage_errors_point_at_the_command_help(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("sbomcheck scan: error: ")
    assert err.endswith("(see 'sbomcheck scan --help')\n")


# --- colour -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "output", "env", "tty", "expected"),
    [
        # --color always/never beats everything else
        ("always", None, {"NO_COLOR": "1"}, False, True),
        ("always", "report.txt", {}, False, True),
        ("never", None, {"FORCE_COLOR": "1"}, True, False),
        # auto: a file is plain
        ("auto", "report.txt", {"FORCE_COLOR": "1"}, True, False),
        # then NO_COLOR (set and not empty), before FORCE_COLOR
        ("auto", None, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
        ("auto", None, {"NO_COLOR": ""}, True, True),
        # then FORCE_COLOR (set and not empty, whatever its value), before TERM and the TTY
        ("auto", None, {"FORCE_COLOR": "1", "TERM": "dumb"}, False, True),
        ("auto", "-", {"FORCE_COLOR": "0"}, False, True),
        ("auto", None, {"FORCE_COLOR": ""}, False, False),
        # then TERM=dumb, before the TTY
        ("auto", None, {"TERM": "dumb"}, True, False),
        ("auto", None, {"TERM": "xterm-256color"}, True, True),
        # finally, whether stdout is a terminal
        ("auto", None, {}, True, True),
        ("auto", None, {}, False, False),
    ],
)
def test_colour_precedence(
    choice: str, output: str | None, env: dict[str, str], tty: bool, expected: bool
) -> None:
    assert use_color(choice, output, env, lambda: tty) is expected


def test_colour_switches_through_the_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not a terminal under pytest: plain unless asked.
    assert "\x1b[" not in run(["scan", FAILING, *AS_OF], capsys)[1]
    coloured = run(["scan", FAILING, "--color", "always", *AS_OF], capsys)[1]
    assert "\x1b[1;31mFAIL\x1b[0m" in coloured
    monkeypatch.setenv("FORCE_COLOR", "1")
    forced = run(["scan", FAILING, *AS_OF], capsys)[1]
    assert forced == coloured
    assert "\x1b[" not in run(["scan", FAILING, "--color", "never", *AS_OF], capsys)[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(["scan", FAILING, *AS_OF], capsys)[1]
    assert run(["scan", FAILING, "--color", "always", *AS_OF], capsys)[1] == coloured
    # Colour changes nothing but the escape codes, and never the exit code.
    assert ANSI.sub("", coloured) == run(["scan", FAILING, "--color", "never", *AS_OF], capsys)[1]
    assert main(["scan", FAILING, "--color", "always", *AS_OF]) == 1


# --- width --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("output", "env", "tty", "expected"),
    [
        (None, {"COLUMNS": "132"}, False, 132),
        ("report.txt", {"COLUMNS": "100"}, False, 100),
        (None, {"COLUMNS": "wide"}, False, 80),
        (None, {"COLUMNS": "0"}, False, 80),
        (None, {}, False, 80),
        ("report.txt", {}, True, 80),
    ],
)
def test_text_width(output: str | None, env: dict[str, str], tty: bool, expected: int) -> None:
    assert text_width(output, env, lambda: tty) == expected


def test_width_of_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback: os.terminal_size((97, 30)))
    assert text_width(None, {}, lambda: True) == 97


@pytest.mark.parametrize("details", [False, True], ids=["short", "details"])
@pytest.mark.parametrize("columns", [60, 80, 120])
@pytest.mark.parametrize("sample", SAMPLE_INPUTS, ids=lambda p: Path(p).name)
def test_every_sample_fits_the_terminal(
    sample: str,
    columns: int,
    details: bool,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    argv = ["scan", sample, *AS_OF, *(["--details"] if details else [])]
    code, out, _ = run(argv, capsys)
    assert code in (0, 1)
    for line in out.splitlines():
        assert len(line) <= columns, line
    assert code == main(["scan", sample, *AS_OF, "-q"])


@pytest.mark.parametrize(("doc", "with_summary"), [("README.md", True), ("docs/scan.md", False)])
def test_docs_show_the_default_output(
    doc: str, with_summary: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    # The command shown, run as a reader would on the date shown: its output is what the
    # docs show (at 80 columns; the README adds the summary line from stderr).
    text = (ROOT / doc).read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ sbomcheck scan (\S+) --as-of (\S+)\n(.*?)```", text, re.S)
    assert block is not None
    sample, as_of, shown = block.groups()
    code, out, err = run(["scan", str(ROOT / sample), "--as-of", as_of], capsys)
    assert code == 1
    assert shown == (out + err if with_summary else out)
