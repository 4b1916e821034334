"""`sbomcheck rules`: text in 80 columns, deterministic JSON, errors as exit 2."""

from __future__ import annotations

import argparse
from pathlib import Path

import orjson
import pytest

from sbomcheck.cli import rules as rules_cmd
from sbomcheck.errors import RulesError


def parse(argv: list[str]) -> argparse.Namespace:
    # NOTE: a parser with only this command, so these tests do not depend on the other
    # commands' modules, which are written in parallel.
    parser = argparse.ArgumentParser(prog="sbomcheck")
    rules_cmd.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    args = parse(argv)
    code = args.func(args)
    return code, capsys.readouterr().out


def test_json_status_per_profile_and_day(capsys: pytest.CaptureFixture[str]) -> None:
    def status(profile: str, day: str, rule: str, ms: str) -> tuple[str, str]:
        code, out = run(["rules", "--as-of", day, "--profile", profile, "--format", "json"], capsys)
        assert code == 0
        data = orjson.loads(out)
        assert (data["as_of"], data["profile"]) == (day, profile)
        entry = next(r for r in data["rules"] if r["id"] == rule)
        m = next(m for m in entry["milestones"] if m["id"] == ms)
        return m["status"], m["status_severity"]

    icts = "US-ICTS-2021-002"
    assert status("vendor", "2024-09-28", icts, "integration-updates-resale") == (
        "upcoming",
        "warning",
    )
    assert status("vendor", "2024-09-29", icts, "integration-updates-resale") == (
        "in-force",
        "error",
    )
    assert status("vendor", "2024-09-29", icts, "new-agreements") == ("not-applicable", "none")
    assert status("procurement", "2024-07-20", icts, "new-agreements") == ("in-force", "error")
    assert status("end-user", "2024-09-29", icts, "updates-end") == ("in-force", "warning")
    assert status("federal", "2018-09-30", "US-NDAA-1634", "ban") == ("upcoming", "warning")
    assert status("federal", "2018-10-01", "US-NDAA-1634", "ban") == ("in-force", "error")


def test_json_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["rules", "--as-of", "2025-01-15", "--format", "json"]
    first = run(argv, capsys)[1]
    assert first == run(argv, capsys)[1]
    data = orjson.loads(first)
    assert data["profile"] == "vendor"  # the default
    assert data["rules_data"]["name"] == "rules.toml"
    assert [r["id"] for r in data["rules"]][:2] == ["US-ICTS-2021-002", "US-EL-2024"]


def test_text_fits_80_columns(capsys: pytest.CaptureFixture[str]) -> None:
    for profile in ("vendor", "procurement", "end-user", "federal", "fcc-equipment"):
        code, out = run(["rules", "--as-of", "2024-09-29", "--profile", profile], capsys)
        assert code == 0
        assert out.startswith(f"Rules as of 2024-09-29 for profile {profile}\n")
        for line in out.splitlines():
            # URLs cannot be broken; everything else wraps.
            assert len(line) <= 80 or line.strip().startswith("http"), line


def test_text_rows(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(["rules", "--as-of", "2024-09-29", "--profile", "vendor"], capsys)[1]
    assert "  2024-09-29  in-force        error    integration-updates-resale\n" in out
    assert "  2024-07-20  not-applicable  -        new-agreements\n" in out
    assert "              not this profile (binds: procurement, state-agency)\n" in out
    assert "  2025-11-14  upcoming        warning  acn-circular-2025\n" in out


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "rules.json"
    code, out = run(
        ["rules", "--as-of", "2025-01-15", "--format", "json", "-o", str(target)], capsys
    )
    assert (code, out) == (0, "")
    assert orjson.loads(target.read_bytes())["as_of"] == "2025-01-15"


def test_user_rules_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.policy.test_rules_data import USER

    extra = tmp_path / "mine.toml"
    extra.write_text(USER.format(id="ACME-1"), encoding="utf-8")
    out = run(["rules", "--as-of", "2025-01-15", "--rules", str(extra)], capsys)[1]
    assert "ACME-1  [rule, internal, confirmed, scope in-whole-or-part]\n" in out
    assert "data: rules.toml+mine.toml " in out


def test_bad_rules_file_raises_rules_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rule]]\nid = 3\n", encoding="utf-8")
    args = parse(["rules", "--rules", str(bad)])
    with pytest.raises(RulesError, match=r"bad.toml: rule\[0\].id: must be a string, not integer"):
        args.func(args)


def test_bad_date_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        parse(["rules", "--as-of", "29/09/2024"])
    assert info.value.code == 2
    assert "not an ISO date (YYYY-MM-DD): '29/09/2024'" in capsys.readouterr().err


def test_default_as_of_is_today(capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    data = orjson.loads(run(["rules", "--format", "json"], capsys)[1])
    # NOTE: compare with the clock on both sides of the call only through the date string.
    assert data["as_of"] in {
        dt.date.today().isoformat(),
        (dt.date.today() - dt.timedelta(days=1)).isoformat(),
    }
