"""The policy selection options (--profile, --jurisdiction, --model-year) through every
command that takes them, `scan` and `rules` end to end."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from sbomcheck.cli import main
from tests.conftest import ROOT

SAMPLE = ROOT / "samples" / "sdk-three-levels.spdx.json"


@pytest.mark.parametrize(
    "argv",
    [
        ["scan", str(SAMPLE)],
        ["rules"],
        ["audit", str(SAMPLE), "--jobs", "1"],
        ["recheck", "--db", "ledger.db"],
        ["attest", str(SAMPLE), "--key", "k.pem", "-o", "att.json"],
    ],
    ids=["scan", "rules", "audit", "recheck", "attest"],
)
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--jurisdiction", "US-ZZ"], "--jurisdiction: unknown jurisdiction 'US-ZZ'"),
        (["--profile", "state-agency"], "--profile state-agency needs --jurisdiction"),
        (["--model-year", "27"], "argument --model-year: not a model year (YYYY): '27'"),
    ],
    ids=["unknown-jurisdiction", "state-without-jurisdiction", "bad-model-year"],
)
def test_every_policy_command_exits_2_on_a_bad_selection(
    argv: list[str],
    extra: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    # What each command needs before it looks at the policy options: an existing ledger
    # file for recheck, a key for attest.
    Path("ledger.db").touch()
    assert main(["keygen", "--private", "k.pem", "--public", "k.pub"]) == 0
    capsys.readouterr()
    code: object
    try:
        code = main([*argv, *extra])
    except SystemExit as e:  # argparse rejects a malformed value itself, with exit 2
        code = e.code
    assert code == 2
    assert message in capsys.readouterr().err


def test_scan_cli_selects_a_state_and_a_model_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    argv = ["scan", str(SAMPLE), "--as-of", "2026-01-15", "--format", "json", "-o", str(out)]
    assert main([*argv, "--profile", "state-agency", "--jurisdiction", "us-nh"]) == 1
    rules = orjson.loads(out.read_bytes())["findings"][0]["rules"]
    nh = next(r for r in rules if r["id"] == "US-NH-21-R-15")
    assert (nh["status"], nh["severity"]) == ("in-force", "error")
    oregon = next(r for r in rules if r["id"] == "US-OR-276A")
    assert oregon["reason"].startswith("not this jurisdiction")


def test_rules_cli_lists_the_state_agency_profile_and_selection(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["rules", "--help"])
    assert "state-agency" in capsys.readouterr().out
    argv = ["rules", "--as-of", "2026-01-15", "--profile", "state-agency", "--jurisdiction"]
    assert main([*argv, "US-OR", "--model-year", "2027", "--format", "json"]) == 0
    data = orjson.loads(capsys.readouterr().out)
    assert (data["jurisdictions"], data["model_year"]) == (["US-OR"], 2027)
    oregon = next(r for r in data["rules"] if r["id"] == "US-OR-276A")
    assert [m["status"] for m in oregon["milestones"]] == ["in-force", "in-force"]
    assert oregon["sources"] and all(u.startswith("https://") for u in oregon["sources"])
    assert main([*argv, "US-OR"]) == 0
    text = capsys.readouterr().out
    assert "jurisdictions: US-OR; model year: not given\n" in text
    assert "              not this jurisdiction (select it with --jurisdiction US-TX)\n" in text
