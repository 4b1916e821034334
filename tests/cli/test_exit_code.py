"""Verdicts to exit codes, with and without --fail-on (a CLI concern: the library decides the
verdict, the command line turns it into an exit code)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sbomcheck.cli._common import FAIL_ON, exit_code
from sbomcheck.errors import UsageError
from sbomcheck.findings import Completeness, Finding, Verdict, Waiver

POLICY = Path(__file__).resolve().parents[2] / "sbomcheck" / "policy"


@pytest.mark.parametrize(
    ("verdict", "fail_on", "code"),
    [
        (Verdict.PASS, None, 0),
        (Verdict.INDETERMINATE, None, 0),
        (Verdict.WARN, None, 0),
        (Verdict.FAIL, None, 1),
        (Verdict.PASS, "fail", 0),
        (Verdict.WARN, "fail", 0),
        (Verdict.FAIL, "fail", 1),
        (Verdict.PASS, "warn", 0),
        (Verdict.INDETERMINATE, "warn", 0),
        (Verdict.WARN, "warn", 1),
        (Verdict.FAIL, "warn", 1),
        (Verdict.PASS, "indeterminate", 0),
        (Verdict.INDETERMINATE, "indeterminate", 1),
        (Verdict.WARN, "indeterminate", 1),
        (Verdict.FAIL, "indeterminate", 1),
    ],
)
def test_exit_codes(verdict: Verdict, fail_on: str | None, code: int) -> None:
    assert exit_code(verdict, fail_on) == code


def test_fail_on_values() -> None:
    assert FAIL_ON == ("warn", "indeterminate")
    with pytest.raises(
        UsageError, match="--fail-on: 'pass' is not one of warn, indeterminate, fail"
    ):
        exit_code(Verdict.PASS, "pass")


def test_the_policy_package_never_imports_the_cli() -> None:
    # The cli imports policy; an import back (the exit code used to live in policy) would be
    # a cycle.
    for path in sorted(POLICY.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("sbomcheck.cli"), path.name
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("sbomcheck.cli") for a in node.names), path.name


def test_the_fail_on_option_offers_the_default_and_the_stricter_gates() -> None:
    import argparse

    from sbomcheck.cli._common import add_fail_on_option

    parser = argparse.ArgumentParser()
    add_fail_on_option(parser)
    (action,) = [a for a in parser._actions if a.dest == "fail_on"]
    assert action.choices == ("fail", "warn", "indeterminate")


# Each case of the policy end to end: (name, findings, profile, as_of, waivers, completeness)
# -> (verdict, exit code by default, with --fail-on warn, with --fail-on indeterminate).
_Case = tuple[str, list[Finding], str, str, tuple[Waiver, ...], Completeness, str, int, int, int]


def _cases() -> list[_Case]:
    from sbomcheck.findings import Confidence
    from tests.policy.helpers import BRANDED_AV, COMPLETE, INCOMPLETE, finding

    waiver = Waiver(index=0, name="kes", reason="r", approver="a", expires="2025-01-01")
    return [
        ("in force", [BRANDED_AV], "vendor", "2024-09-29", (), COMPLETE, "fail", 1, 1, 1),
        ("upcoming", [BRANDED_AV], "vendor", "2024-09-28", (), COMPLETE, "warn", 0, 1, 1),
        ("waived", [BRANDED_AV], "vendor", "2024-12-31", (waiver,), COMPLETE, "warn", 0, 1, 1),
        (
            "waiver expired",
            [BRANDED_AV],
            "vendor",
            "2025-01-01",
            (waiver,),
            COMPLETE,
            "fail",
            1,
            1,
            1,
        ),
        (
            "possible",
            [finding(confidence=Confidence.POSSIBLE)],
            "vendor",
            "2025-01-01",
            (),
            COMPLETE,
            "warn",
            0,
            1,
            1,
        ),
        ("end user", [BRANDED_AV], "end-user", "2025-01-01", (), COMPLETE, "warn", 0, 1, 1),
        ("clean", [], "vendor", "2025-01-01", (), COMPLETE, "pass", 0, 0, 0),
        (
            "clean, incomplete",
            [],
            "federal",
            "2025-01-01",
            (),
            INCOMPLETE,
            "indeterminate",
            0,
            0,
            1,
        ),
    ]


@pytest.mark.parametrize(
    (
        "name",
        "findings",
        "profile",
        "as_of",
        "waivers",
        "completeness",
        "verdict",
        "plain",
        "warn",
        "indet",
    ),
    _cases(),
    ids=[c[0] for c in _cases()],
)
def test_verdict_and_exit_code_per_case(
    name: str,
    findings: list[Finding],
    profile: str,
    as_of: str,
    waivers: tuple[Waiver, ...],
    completeness: Completeness,
    verdict: str,
    plain: int,
    warn: int,
    indet: int,
) -> None:
    import datetime as dt

    from sbomcheck.policy import evaluate, load_rules

    result = evaluate(
        findings,
        rules=load_rules(),
        profile=profile,
        as_of=dt.date.fromisoformat(as_of),
        waivers=waivers,
        completeness=completeness,
    )
    assert result.verdict.value == verdict
    assert result.reasons  # every verdict says why
    assert (
        exit_code(result.verdict),
        exit_code(result.verdict, "warn"),
        exit_code(result.verdict, "indeterminate"),
    ) == (plain, warn, indet)
