"""Settings: discovery, precedence, errors, the waivers file found by itself, `sbomcheck config`,
and the help topics that ship in the wheel."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from sbomcheck.cli import main
from sbomcheck.cli._config import MAX_CONFIG_BYTES, SETTINGS, find_config
from sbomcheck.cli.help import TOPICS, fit_markdown, page_path, section, topic_text
from tests.conftest import ROOT, SAMPLES

WAIVER = (
    '[[waiver]]\nname = "no-such-component"\nreason = "r"\napprover = "a"\nexpires = 2030-01-01\n'
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp/outside/repo (holding .git) with repo/sub/deeper as the current directory."""
    root = tmp_path / "outside" / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "sub" / "deeper").mkdir(parents=True)
    monkeypatch.chdir(root / "sub" / "deeper")
    return root


def effective(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    """`sbomcheck config --format json` with `argv`, as {name: setting}."""
    assert main(["config", "--format", "json", *argv]) == 0
    data = json.loads(capsys.readouterr().out)
    settings = {s["name"]: s for s in data["settings"]}
    settings["_file"] = data["file"]
    return settings


def error_line(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


# --- discovery -------------------------------------------------------------------------------


def test_found_in_the_current_directory(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "sub" / "deeper" / ".sbomcheck.toml").write_text('profile = "federal"\n')
    got = effective(capsys)
    assert got["_file"] == ".sbomcheck.toml"
    assert got["profile"]["value"] == "federal"
    assert (got["profile"]["source"], got["profile"]["origin"]) == ("file", ".sbomcheck.toml")


def test_found_in_a_parent_directory(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".sbomcheck.toml").write_text('profile = "procurement"\n')
    got = effective(capsys)
    assert got["_file"] == "../../.sbomcheck.toml"
    assert got["profile"]["value"] == "procurement"


def test_the_nearest_file_wins(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".sbomcheck.toml").write_text('profile = "procurement"\n')
    (repo / "sub" / ".sbomcheck.toml").write_text('fail-on = "warn"\n')
    got = effective(capsys)
    # Files are not merged: the nearer one is the whole configuration, as with ruff.
    assert got["_file"] == "../.sbomcheck.toml"
    assert (got["profile"]["value"], got["profile"]["source"]) == ("vendor", "default")
    assert got["fail-on"]["value"] == "warn"


def test_the_search_stops_at_the_repository_root(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo.parent / ".sbomcheck.toml").write_text('profile = "federal"\n')
    (repo.parent / ".sbomcheck-waivers.toml").write_text(WAIVER)
    got = effective(capsys)
    assert got["_file"] is None
    assert got["profile"]["source"] == "default"
    assert got["waivers"]["value"] is None


def test_a_git_file_marks_the_root_too(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A worktree or submodule has a .git file, not a directory.
    (repo / "sub" / ".git").write_text("gitdir: elsewhere\n")
    (repo / ".sbomcheck.toml").write_text('profile = "federal"\n')
    assert effective(capsys)["_file"] is None


def test_without_a_repository_the_search_goes_up_to_the_filesystem_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".sbomcheck.toml").write_text('profile = "federal"\n')
    assert find_config(tmp_path / "a" / "b") == Path("../../.sbomcheck.toml")


def test_pyproject_tool_table(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.sbomcheck]\nprofile = "federal"\n'
        '[tool.sbomcheck.scan]\nformat = "sarif"\n'
    )
    got = effective(capsys)
    assert got["_file"] == "../../pyproject.toml"
    assert got["profile"]["value"] == "federal"
    assert got["scan.format"]["location"] == "tool.sbomcheck.scan.format"


def test_a_pyproject_without_the_table_is_passed_over(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (repo / ".sbomcheck.toml").write_text('profile = "federal"\n')
    assert effective(capsys)["_file"] == "../../.sbomcheck.toml"


def test_in_one_directory_sbomcheck_toml_wins_over_pyproject(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "pyproject.toml").write_text('[tool.sbomcheck]\nprofile = "federal"\n')
    (repo / ".sbomcheck.toml").write_text('profile = "procurement"\n')
    got = effective(capsys)
    assert (got["_file"], got["profile"]["value"]) == ("../../.sbomcheck.toml", "procurement")


def test_paths_are_relative_to_the_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "policy").mkdir()
    (repo / "policy" / "w.toml").write_text(WAIVER)
    (repo / ".sbomcheck.toml").write_text(
        'waivers = "policy/w.toml"\n[scan]\noutput = "reports/scan.json"\n'
    )
    got = effective(capsys)
    assert got["waivers"]["value"] == "../../policy/w.toml"
    assert got["scan.output"]["value"] == ["../../reports/scan.json"]
    assert Path(got["waivers"]["value"]).resolve() == (repo / "policy" / "w.toml").resolve()


def test_config_names_a_file_and_no_config_reads_none(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".sbomcheck.toml").write_text('profile = "procurement"\n')
    (repo / ".sbomcheck-waivers.toml").write_text(WAIVER)
    named = tmp_path / "ci.toml"
    named.write_text('profile = "federal"\n')
    got = effective(capsys, "--config", str(named))
    assert (got["_file"], got["profile"]["value"]) == (str(named), "federal")
    got = effective(capsys, "--no-config")
    assert (got["_file"], got["profile"]["source"]) == (None, "default")
    assert got["waivers"]["value"] is None
    # Before the command too, like -vv.
    assert main(["--no-config", "config", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["ignored"] is True


def test_config_and_no_config_together_are_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["config", "--config", "x.toml", "--no-config"])
    assert exit_info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


# --- precedence ------------------------------------------------------------------------------


def test_flag_over_environment_over_file_over_default(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".sbomcheck.toml").write_text(
        'profile = "federal"\nfail-on = "warn"\nmodel-year = 2027\njurisdiction = ["US-OR"]\n'
    )
    monkeypatch.setenv("SBOMCHECK_PROFILE", "procurement")
    monkeypatch.setenv("SBOMCHECK_JURISDICTION", "us-tx, US-NH")
    got = effective(capsys, "--profile", "end-user")
    assert (got["profile"]["value"], got["profile"]["source"]) == ("end-user", "flag")
    assert got["profile"]["origin"] == "--profile"
    got = effective(capsys)
    assert (got["profile"]["value"], got["profile"]["source"]) == ("procurement", "env")
    assert got["profile"]["origin"] == "SBOMCHECK_PROFILE"
    assert got["jurisdiction"]["value"] == ["us-tx", "US-NH"]
    assert (got["fail-on"]["value"], got["fail-on"]["source"]) == ("warn", "file")
    assert (got["model-year"]["value"], got["model-year"]["source"]) == (2027, "file")
    assert (got["rules"]["value"], got["rules"]["source"]) == (None, "default")
    assert (got["scan.format"]["value"], got["scan.format"]["source"]) == ("text", "default")


def test_an_empty_variable_is_unset(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".sbomcheck.toml").write_text('profile = "federal"\n')
    monkeypatch.setenv("SBOMCHECK_PROFILE", "")
    assert effective(capsys)["profile"]["source"] == "file"


def rules_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["rules", "--format", "json", "--as-of", "2026-01-15", *argv]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_a_command_takes_the_settings_in_the_same_order(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".sbomcheck.toml").write_text(
        'profile = "state-agency"\njurisdiction = "US-OR"\nmodel-year = 2027\n'
    )
    data = rules_json(capsys)
    assert (data["profile"], data["jurisdictions"], data["model_year"]) == (
        "state-agency",
        ["US-OR"],
        2027,
    )
    monkeypatch.setenv("SBOMCHECK_JURISDICTION", "US-TX")
    monkeypatch.setenv("SBOMCHECK_MODEL_YEAR", "2026")
    data = rules_json(capsys)
    assert (data["jurisdictions"], data["model_year"]) == (["US-TX"], 2026)
    # A flag replaces the other sources' list, it does not add to it.
    data = rules_json(capsys, "--jurisdiction", "US-NH", "--model-year", "2030")
    assert (data["jurisdictions"], data["model_year"]) == (["US-NH"], 2030)
    data = rules_json(capsys, "--no-config")
    assert (data["profile"], data["jurisdictions"]) == ("vendor", ["US-TX"])


def test_scan_takes_format_output_and_fail_on_from_the_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".sbomcheck.toml").write_text(
        'profile = "end-user"\nfail-on = "warn"\n[scan]\nformat = "json"\noutput = "scan.json"\n'
    )
    sample = str(SAMPLES / "oem-appliance.cdx.xml")
    # end-user never fails; fail-on warn turns its warning into exit 1.
    assert main(["scan", sample, "--as-of", "2026-01-15"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    report = json.loads((repo / "scan.json").read_text())
    assert (report["profile"], report["verdict"]) == ("end-user", "warn")
    assert "profile end-user" in err
    # `-o -` on the command line still means standard output, and a flag still wins.
    assert main(["scan", sample, "--as-of", "2026-01-15", "-o", "-", "--fail-on", "fail"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "warn"


def test_audit_has_its_own_table(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".sbomcheck.toml").write_text(
        '[scan]\nformat = "sarif"\n[audit]\nformat = "json"\noutput = "audit.json"\n'
    )
    argv = ["audit", str(SAMPLES / "clean-product.cdx.json"), "--jobs", "1"]
    assert main([*argv, "--as-of", "2026-01-15"]) == 0
    capsys.readouterr()
    assert json.loads((repo / "audit.json").read_text())["summary"]["products"] == 1


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'fail_on = "warn"\n',
            "sbomcheck: error: ../../.sbomcheck.toml: fail_on: unknown key 'fail_on'; "
            "did you mean 'fail-on'?",
        ),
        (
            'as-of = "2025-01-01"\n',
            "sbomcheck: error: ../../.sbomcheck.toml: as-of: unknown key 'as-of'",
        ),
        (
            "profile = 3\n",
            "sbomcheck: error: ../../.sbomcheck.toml: profile: must be a string, not an integer",
        ),
        (
            'profile = "fed"\n',
            "sbomcheck: error: ../../.sbomcheck.toml: profile: 'fed' is not one of vendor, ",
        ),
        (
            'model-year = "2027"\n',
            "sbomcheck: error: ../../.sbomcheck.toml: model-year: must be an integer, not a string",
        ),
        (
            "model-year = 27\n",
            "sbomcheck: error: ../../.sbomcheck.toml: model-year: not a model year (YYYY): '27'",
        ),
        (
            "jurisdiction = [1]\n",
            "sbomcheck: error: ../../.sbomcheck.toml: jurisdiction: must be a string or an "
            "array of strings, not an array",
        ),
        (
            'waivers = ""\n',
            "sbomcheck: error: ../../.sbomcheck.toml: waivers: must not be empty",
        ),
        (
            '[scan]\nformat = "dot"\n',
            "sbomcheck: error: ../../.sbomcheck.toml: scan.format: 'dot' is not one of text, json",
        ),
        (
            '[scan]\ncolor = "always"\n',
            "sbomcheck: error: ../../.sbomcheck.toml: scan.color: unknown key 'color' (known: "
            "format, output)",
        ),
        (
            'scan = "sarif"\n',
            "sbomcheck: error: ../../.sbomcheck.toml: scan: must be a table, not a string",
        ),
        (
            "profile = \n",
            "sbomcheck: error: ../../.sbomcheck.toml: line 1: invalid TOML: Invalid value",
        ),
    ],
)
def test_a_bad_file_is_one_line_naming_the_file_and_the_key(
    repo: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    (repo / ".sbomcheck.toml").write_text(text)
    assert error_line(capsys, "config").startswith(expected)
    # Every command that reads settings says the same, before reading any input.
    assert error_line(capsys, "scan", "missing.json").startswith(expected)


def test_a_bad_pyproject_table_names_its_key(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "pyproject.toml").write_text('[tool.sbomcheck]\nprofiles = "federal"\n')
    assert error_line(capsys, "rules").startswith(
        "sbomcheck: error: ../../pyproject.toml: tool.sbomcheck.profiles: unknown key "
        "'profiles'; did you mean 'profile'?"
    )
    (repo / "pyproject.toml").write_text('[tool]\nsbomcheck = "federal"\n')
    assert error_line(capsys, "rules") == (
        "sbomcheck: error: ../../pyproject.toml: tool.sbomcheck: must be a table, not a string"
    )


def test_a_named_pyproject_needs_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    named = tmp_path / "pyproject.toml"
    named.write_text('[project]\nname = "x"\n')
    assert error_line(capsys, "config", "--config", str(named)) == (
        f"sbomcheck: error: {named}: has no [tool.sbomcheck] table"
    )


def test_the_read_is_bounded(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".sbomcheck.toml").write_text("# " + "x" * MAX_CONFIG_BYTES + "\n")
    assert error_line(capsys, "config") == (
        "sbomcheck: error: ../../.sbomcheck.toml: larger than 1 MiB: not a settings file"
    )


def test_unreadable_and_non_utf8_files(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert error_line(capsys, "config", "--config", str(tmp_path / "nope.toml")).startswith(
        f"sbomcheck: error: {tmp_path / 'nope.toml'}: cannot read: No such file"
    )
    (repo / ".sbomcheck.toml").write_bytes(b'profile = "\xff"\n')
    assert error_line(capsys, "config") == (
        "sbomcheck: error: ../../.sbomcheck.toml: not UTF-8 (byte 11)"
    )


def test_a_path_that_names_no_file_is_the_settings_error(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".sbomcheck.toml").write_text('waivers = "policy/waivers.toml"\n')
    assert error_line(capsys, "scan", "x.json") == (
        "sbomcheck: error: ../../.sbomcheck.toml: waivers: ../../policy/waivers.toml: no such file"
    )
    monkeypatch.setenv("SBOMCHECK_RULES", "my-rules.toml")
    assert error_line(capsys, "rules", "--no-config") == (
        "sbomcheck: error: SBOMCHECK_RULES: my-rules.toml: no such file"
    )


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SBOMCHECK_FAIL_ON", "warning", "'warning' is not one of fail, warn, indeterminate"),
        ("SBOMCHECK_MODEL_YEAR", "MY27", "not a model year (YYYY): 'MY27'"),
        ("SBOMCHECK_SCAN_FORMAT", "pdf", "'pdf' is not one of text, json, sarif"),
    ],
)
def test_a_bad_variable_is_one_line_naming_it(
    repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    expected: str,
) -> None:
    monkeypatch.setenv(name, value)
    assert error_line(capsys, "scan", "x.json").startswith(f"sbomcheck: error: {name}: {expected}")


def test_commands_without_settings_never_read_the_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".sbomcheck.toml").write_text("not toml at all\n")
    assert main(["inspect", str(SAMPLES / "clean-product.cdx.json")]) == 0
    assert main(["help"]) == 0
    capsys.readouterr()


# --- the waivers file found by itself ---------------------------------------------------------


def test_the_waivers_file_is_found_and_the_run_says_so(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "sub" / ".sbomcheck-waivers.toml").write_text(WAIVER)
    argv = ["scan", str(SAMPLES / "oem-appliance.cdx.xml"), "--as-of", "2026-01-15"]
    assert main([*argv, "--format", "json"]) == 1
    out, err = capsys.readouterr()
    assert "sbomcheck: note: using waivers file ../.sbomcheck-waivers.toml (found by itself" in err
    report = json.loads(out)
    assert [w["waiver"]["source"] for w in report["waivers"]] == ["../.sbomcheck-waivers.toml"]
    assert "waiver[0] matched no finding." in report["verdict_reasons"]
    got = effective(capsys)
    assert (got["waivers"]["source"], got["waivers"]["value"]) == (
        "found",
        "../.sbomcheck-waivers.toml",
    )


def test_a_waivers_setting_or_no_config_turns_the_search_off(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".sbomcheck-waivers.toml").write_text(WAIVER)
    (repo / "other.toml").write_text(WAIVER.replace("no-such", "other"))
    (repo / ".sbomcheck.toml").write_text('waivers = "other.toml"\n')
    got = effective(capsys)
    assert (got["waivers"]["value"], got["waivers"]["source"]) == ("../../other.toml", "file")
    assert effective(capsys, "--no-config")["waivers"]["value"] is None
    monkeypatch.setenv("SBOMCHECK_WAIVERS", str(repo / "other.toml"))
    assert effective(capsys, "--no-config")["waivers"]["source"] == "env"


def test_a_bad_waivers_file_found_by_itself_is_an_input_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".sbomcheck-waivers.toml").write_text('[[waiver]]\nname = "x"\n')
    assert main(["scan", str(SAMPLES / "oem-appliance.cdx.xml")]) == 2
    # The note may wrap (80 columns); the error is one line, the last.
    *note, error = capsys.readouterr().err.splitlines()
    assert " ".join(note).startswith(
        "sbomcheck: note: using waivers file ../../.sbomcheck-waivers.toml"
    )
    assert error.startswith(
        "sbomcheck: error: ../../.sbomcheck-waivers.toml: waiver[0].reason: missing required value"
    )


# --- sbomcheck config ------------------------------------------------------------------------


def test_config_text_names_each_source(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".sbomcheck.toml").write_text('fail-on = "warn"\n')
    (repo / ".sbomcheck-waivers.toml").write_text(WAIVER)
    monkeypatch.setenv("SBOMCHECK_SCAN_FORMAT", "sarif")
    assert main(["config", "--profile", "federal"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "settings file: ../../.sbomcheck.toml"
    rows = {line.split()[0]: line.split(None, 2)[1:] for line in lines[2 : 3 + len(SETTINGS)]}
    assert rows["profile"] == ["federal", "flag --profile"]
    assert rows["fail-on"] == ["warn", "file ../../.sbomcheck.toml"]
    assert rows["waivers"] == ["../../.sbomcheck-waivers.toml", "found by itself"]
    assert rows["scan.format"] == ["sarif", "env SBOMCHECK_SCAN_FORMAT"]
    assert rows["audit.format"] == ["text", "default"]
    assert set(rows) == {"SETTING"} | {s.name for s in SETTINGS}
    assert max(len(line) for line in lines) <= 80


def test_config_lists_every_setting_with_its_variable(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    got = effective(capsys)
    assert {name for name in got if name != "_file"} == {s.name for s in SETTINGS}
    assert got["fail-on"]["env"] == "SBOMCHECK_FAIL_ON"
    assert got["scan.output"]["env"] == "SBOMCHECK_SCAN_OUTPUT"
    assert all(v["source"] == "default" for k, v in got.items() if k != "_file")


# --- help topics -----------------------------------------------------------------------------


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_topic_prints_from_a_shipped_page(
    topic: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["help", topic]) == 0
    out = capsys.readouterr().out
    assert out == fit_markdown(topic_text(topic), 80) and len(out) > 200
    assert out.lstrip().startswith("#")


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_topic_fits_80_columns_outside_code_blocks(
    topic: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["help", topic]) == 0
    in_code = False
    for line in capsys.readouterr().out.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        elif not in_code and len(line) > 80:
            # Only a word too long for any line (a URL, a path) may stick out, behind at
            # most its list marker or column label.
            assert len(line.split()) <= 3 and len(line.split()[-1]) > 60, line
    page = topic_text(topic)
    prose = [
        w for line in page.splitlines() if not line.lstrip().startswith("|") for w in line.split()
    ]
    shown = fit_markdown(page, 80).split()
    assert prose and _in_order(prose, shown)


def _in_order(words: list[str], shown: list[str]) -> bool:
    """Every word of `words` appears in `shown` in the same order (tables add words)."""
    it = iter(shown)
    return all(any(w == s for s in it) for w in words)


def test_fit_markdown_wraps_prose_keeps_code_and_turns_wide_tables_into_rows() -> None:
    page = (
        "# Title\n\n" + "word " * 30 + "\n\n- an item " + "long " * 20 + "\n  continued\n\n"
        "```sh\n" + "x" * 100 + "\n```\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "| name | meaning |\n|---|---|\n| `alias` | " + "text " * 30 + "|\n"
    )
    got = fit_markdown(page, 40).splitlines()
    assert got[0] == "# Title"
    assert all(len(line) <= 40 for line in got if "x" * 100 not in line)
    assert "x" * 100 in got  # code is never re-wrapped: it must stay copyable
    assert "| 1 | 2 |" in got  # a table that fits stays a table
    assert got[got.index("- name: `alias`") + 1].startswith("  meaning: text")
    item = next(i for i, line in enumerate(got) if line.startswith("- an item"))
    assert got[item + 1].startswith("  long") and "continued" in got[item + 3]


def test_topics_are_the_docs_pages_and_ship_in_the_wheel() -> None:
    # The drift check: the topics are the pages of docs/ themselves, and pyproject puts each
    # one in the wheel where `page_path` looks for it.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    included = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    for name, topic in TOPICS.items():
        assert included.get(f"docs/{topic.page}") == f"sbomcheck/_docs/{topic.page}", name
        assert page_path(topic.page).resolve() == (ROOT / "docs" / topic.page).resolve()
        docs = (ROOT / "docs" / topic.page).read_text(encoding="utf-8")
        for heading in topic.sections:
            assert section(docs, heading) in topic_text(name)


def test_sections_end_at_the_next_heading() -> None:
    text = "# T\n\n## Waivers (x)\nbody\n### sub\nmore\n## Verdicts\nno\n"
    assert section(text, "Waivers") == "## Waivers (x)\nbody\n### sub\nmore\n"
    with pytest.raises(LookupError):
        section(text, "Profiles")


def test_help_lists_the_topics_and_refuses_unknown_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["help"]) == 0
    out = capsys.readouterr().out
    for name in ("exit-codes", "profiles", "waivers", "formats", "config"):
        assert f"\n  {name} " in out
    with pytest.raises(SystemExit) as exit_info:
        main(["help", "nope"])
    assert exit_info.value.code == 2


def test_no_help_text_points_at_a_repository_path(capsys: pytest.CaptureFixture[str]) -> None:
    from sbomcheck.cli import _COMMANDS

    texts = []
    for argv in [[], *([c] for c in _COMMANDS)]:
        with pytest.raises(SystemExit):
            main([*argv, "--help"])
        texts.append(capsys.readouterr().out)
    helps = "\n".join(texts)
    assert "docs/" not in helps and "data/" not in helps
    assert "sbomcheck help exit-codes" in helps


def test_files_beside_the_sboms_are_not_settings(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A vendor's bundle cannot waive its own findings or lower the gate.
    bundle = tmp_path / "vendor-bundle"
    bundle.mkdir()
    (bundle / "product.cdx.xml").write_bytes((SAMPLES / "oem-appliance.cdx.xml").read_bytes())
    (bundle / ".sbomcheck.toml").write_text('profile = "end-user"\n')
    (bundle / ".sbomcheck-waivers.toml").write_text(
        WAIVER.replace("no-such-component", "Juniper SRX full file-based antivirus")
    )
    assert main(["scan", str(bundle), "--as-of", "2026-01-15", "--format", "json"]) == 1
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert (report["profile"], report["verdict"], report["waivers"]) == ("vendor", "fail", [])
    assert "note: using waivers" not in err
    # The same files, named, would have changed the result: the test above means something.
    argv = ["scan", str(bundle), "--as-of", "2026-01-15", "--format", "json"]
    assert main([*argv, "--config", str(bundle / ".sbomcheck.toml")]) == 0
    assert json.loads(capsys.readouterr().out)["profile"] == "end-user"
    assert main([*argv, "--waivers", str(bundle / ".sbomcheck-waivers.toml")]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "warn"
