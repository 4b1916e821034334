"""Waivers: loading, matching, the expiry boundary, unused waivers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from sbomcheck.errors import WaiverError
from sbomcheck.findings import Finding, RuleStatus, Severity, Verdict, Waiver
from sbomcheck.json_form import json_form
from sbomcheck.policy import PolicyResult, evaluate, load_rules, load_waivers
from tests.policy.helpers import BRANDED_AV, COMPLETE, EMBEDDED_AV, UI_KIT, D, finding

RULES = load_rules()

WAIVERS = """\
[[waiver]]
name = "kes"
reason = "replacement scheduled"
approver = "ciso@example.org"
ticket = "SEC-1234"
expires = 2025-01-01

[[waiver]]
purl = "pkg:npm/left-pad"
reason = "not used"
approver = "ciso@example.org"
expires = "2026-06-30"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "waivers.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_waivers(tmp_path: Path) -> None:
    path = write(tmp_path, WAIVERS)
    assert load_waivers(path) == (
        Waiver(
            index=0,
            name="kes",
            reason="replacement scheduled",
            approver="ciso@example.org",
            ticket="SEC-1234",
            expires="2025-01-01",
            source=str(path),
        ),
        Waiver(
            index=1,
            purl="pkg:npm/left-pad",
            reason="not used",
            approver="ciso@example.org",
            expires="2026-06-30",
            source=str(path),
        ),
    )


def test_empty_waivers_file(tmp_path: Path) -> None:
    assert load_waivers(write(tmp_path, "")) == ()


BASE = 'name = "kes"\nreason = "r"\napprover = "a"\nexpires = 2025-01-01\n'


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            '[[waiver]]\nname = "kes"\napprover = "a"\nexpires = 2025-01-01\n',
            "waiver[0].reason: missing required value (every waiver needs reason, approver "
            "and expires)",
        ),
        (
            f'[[waiver]]\n{BASE}\n[[waiver]]\nname = "x"\nreason = "r"\nexpires = 2025-01-01\n',
            "waiver[1].approver: missing required value (every waiver needs reason, approver "
            "and expires)",
        ),
        (
            '[[waiver]]\n[[waiver]]\n[[waiver]]\nname = "kes"\nreason = "r"\napprover = "a"\n',
            "waiver[0].reason: missing required value (every waiver needs reason, approver "
            "and expires)",
        ),
        (
            f'[[waiver]]\n{BASE}\n[[waiver]]\n{BASE}\n[[waiver]]\nname = "kes"\nreason = "r"\n'
            'approver = "a"\n',
            "waiver[2].expires: missing required value (every waiver needs reason, approver "
            "and expires)",
        ),
        (
            '[[waiver]]\nname = "kes"\nreason = "r"\napprover = "a"\nexpires = "soon"\n',
            "waiver[0].expires: not a date (YYYY-MM-DD): 'soon'",
        ),
        (
            '[[waiver]]\nname = "kes"\nreason = "r"\napprover = "a"\n'
            "expires = 2025-01-01T00:00:00Z\n",
            "waiver[0].expires: must be a date (YYYY-MM-DD), not date-time",
        ),
        (
            '[[waiver]]\nname = "kes"\nreason = "r"\napprover = "a"\nexpires = 20250101\n',
            "waiver[0].expires: must be a date (YYYY-MM-DD), not integer",
        ),
        (
            '[[waiver]]\nname = "kes"\nreason = 7\napprover = "a"\nexpires = 2025-01-01\n',
            "waiver[0].reason: must be a string, not integer",
        ),
        (
            '[[waiver]]\nname = "kes"\nreason = " "\napprover = "a"\nexpires = 2025-01-01\n',
            "waiver[0].reason: must not be empty",
        ),
        (
            f'[[waiver]]\n{BASE}owner = "me"\n',
            "waiver[0].owner: unknown key 'owner' (known: alias, approver, expires, name, purl, "
            "reason, ref, rule, ticket, version)",
        ),
        (
            '[[waiver]]\nreason = "r"\napprover = "a"\nexpires = 2025-01-01\n',
            "waiver[0]: names no finding: give at least one of name, purl, ref or alias",
        ),
        ('[waiver]\nname = "x"\n', "waiver: must be an array of tables ([[waiver]])"),
        ("[[waivers]]\n", "waivers: unknown key 'waivers' (expected [[waiver]] tables)"),
        ("[[waiver]\n", "line 1: invalid TOML: Expected ']]' at the end of an array declaration"),
    ],
)
def test_waiver_errors(tmp_path: Path, text: str, error: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(WaiverError) as info:
        load_waivers(path)
    assert info.value.diagnostics() == f"{path}: {error}"


def test_missing_waivers_file(tmp_path: Path) -> None:
    with pytest.raises(WaiverError, match="cannot read: No such file or directory"):
        load_waivers(tmp_path / "nope.toml")


def run(findings: Sequence[Finding], waivers: Sequence[Waiver], as_of: str) -> PolicyResult:
    return evaluate(
        findings,
        rules=RULES,
        profile="vendor",
        as_of=D(as_of),
        waivers=waivers,
        completeness=COMPLETE,
    )


def test_waiver_on_its_expiry_boundary(tmp_path: Path) -> None:
    waivers = load_waivers(write(tmp_path, WAIVERS))

    before = run([BRANDED_AV], waivers, "2024-12-31")
    f = before.findings[0]
    icts = next(o for o in f.rules if o.milestone == "integration-updates-resale")
    assert icts.waived and icts.waiver == waivers[0] and not icts.waiver_expired
    assert icts.severity is Severity.WARNING
    assert (
        icts.reason == "in force since 2024-09-29; waived by waiver[0] (SEC-1234) until 2025-01-01"
    )
    assert f.waived
    assert f.severity is Severity.WARNING
    assert before.verdict is Verdict.WARN
    assert (
        "kes@12.1 is waived by waiver[0] (SEC-1234) until 2025-01-01, approved by "
        "ciso@example.org, under US-ICTS-2021-002 (integration-updates-resale)"
    ) in " ".join(before.reasons)
    assert before.waivers[0].matched == ("fp-kes",) and not before.waivers[0].expired

    on = run([BRANDED_AV], waivers, "2025-01-01")
    f = on.findings[0]
    icts = next(o for o in f.rules if o.milestone == "integration-updates-resale")
    assert not icts.waived and icts.waiver_expired and icts.waiver == waivers[0]
    assert icts.severity is Severity.ERROR
    assert icts.reason == "in force since 2024-09-29; waiver[0] (SEC-1234) expired on 2025-01-01"
    assert not f.waived
    assert on.verdict is Verdict.FAIL
    assert (
        "waiver[0] (SEC-1234) expired on 2025-01-01: kes@12.1 fails again under "
        "US-ICTS-2021-002 (integration-updates-resale)."
    ) in on.reasons
    assert on.waivers[0].expired and on.waivers[0].matched == ("fp-kes",)


def test_unused_waiver_is_reported(tmp_path: Path) -> None:
    result = run([BRANDED_AV], load_waivers(write(tmp_path, WAIVERS)), "2024-12-31")
    use = result.waivers[1]
    assert use.matched == ()
    assert json_form(use)["unused"] is True
    assert result.reasons[-1] == "waiver[1] matched no finding."


def test_waived_finding_stays_visible_and_advisories_too(tmp_path: Path) -> None:
    result = run([BRANDED_AV], load_waivers(write(tmp_path, WAIVERS)), "2024-12-31")
    f = result.findings[0]
    assert f.id == BRANDED_AV.id
    bsi = next(o for o in f.rules if o.id == "DE-BSI-2022")
    assert bsi.waived and bsi.severity is Severity.WARNING


def w(**fields: str) -> Waiver:
    return Waiver(index=0, reason="r", approver="a", expires="2030-01-01", **fields)


@pytest.mark.parametrize(
    ("waiver", "item", "matches"),
    [
        (w(name="KES"), BRANDED_AV, True),
        (w(name="kes", version="12.1"), BRANDED_AV, True),
        (w(name="kes", version="11.0"), BRANDED_AV, False),
        (w(ref="ref-kes"), BRANDED_AV, True),
        (w(ref="REF-KES"), BRANDED_AV, False),
        (w(alias="Kaspersky Anti-Virus SDK"), EMBEDDED_AV, True),
        (w(alias="Kaspersky Anti-Virus Engine (OEM)"), EMBEDDED_AV, True),
        (w(alias="kaspersky anti-virus sdk"), BRANDED_AV, False),
        (w(purl="pkg:npm/%40kaspersky/hexa-ui"), UI_KIT, True),
        (w(purl="pkg:npm/%40kaspersky/hexa-ui@3.0.0"), UI_KIT, True),
        (w(purl="pkg:npm/%40kaspersky/hexa-ui@2.0.0"), UI_KIT, False),
        (w(purl="pkg:npm/%40kaspersky/hexa"), UI_KIT, False),
        (w(purl="pkg:npm/x"), BRANDED_AV, False),
        (w(name="kes", ref="other"), BRANDED_AV, False),
        (w(name="kes", rule="US-ICTS-2021-002"), BRANDED_AV, True),
        (w(name="kes", rule="US-NDAA-1634"), BRANDED_AV, False),  # not applicable to vendor
    ],
)
def test_waiver_matching(waiver: Waiver, item: Finding, matches: bool) -> None:
    result = run([item], [waiver], "2025-01-15")
    assert bool(result.waivers[0].matched) is matches
    assert any(o.waived for o in result.findings[0].rules) is matches


def test_waiver_for_one_rule_leaves_others_failing() -> None:
    other = finding("kes", canonical="AO Kaspersky Lab")
    only_el = w(name="kes", rule="US-EL-2024")
    result = run([other], [only_el], "2025-01-15")
    waived = {o.id for o in result.findings[0].rules if o.waived}
    assert waived == {"US-EL-2024"}
    assert result.verdict is Verdict.FAIL


def test_first_unexpired_waiver_wins() -> None:
    old = Waiver(index=0, name="kes", reason="r", approver="a", expires="2024-01-01")
    new = Waiver(index=1, name="kes", reason="r", approver="a", expires="2026-01-01", ticket="T-2")
    result = run([BRANDED_AV], [old, new], "2025-01-15")
    icts = next(o for o in result.findings[0].rules if o.milestone == "integration-updates-resale")
    assert icts.waived and icts.waiver == new
    assert result.verdict is Verdict.WARN
    assert [u.matched for u in result.waivers] == [("fp-kes",), ("fp-kes",)]
    assert [u.expired for u in result.waivers] == [True, False]


def test_not_applicable_outcomes_are_never_waived() -> None:
    result = run([BRANDED_AV], [w(name="kes")], "2025-01-15")
    for o in result.findings[0].rules:
        if o.status is RuleStatus.NOT_APPLICABLE:
            assert not o.waived and o.waiver is None


# --- a waiver's rule must be a rule of the loaded rule set ----------------------------------

UNKNOWN_RULE = '[[waiver]]\nname = "kes"\nrule = "US-ICTS-2021-02"\nreason = "r"\napprover = "a"\nexpires = 2030-01-01\n'


def test_waiver_naming_no_known_rule_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, UNKNOWN_RULE)
    assert load_waivers(path)[0].rule == "US-ICTS-2021-02"  # without a rule set: not checked
    with pytest.raises(WaiverError) as info:
        load_waivers(path, rule_ids=(r.id for r in RULES))
    message = info.value.diagnostics()
    assert message.startswith(
        f"{path}: waiver[0].rule: rule 'US-ICTS-2021-02' is not a known rule id; "
        "did you mean 'US-ICTS-2021-002'? (known: "
    )
    assert "rules added with --rules count too" in message


def test_evaluate_refuses_a_waiver_for_an_unknown_rule() -> None:
    waiver = Waiver(
        index=3, reason="r", approver="a", expires="2030-01-01", name="kes", rule="NOPE"
    )
    with pytest.raises(WaiverError, match=r"waiver\[3\]\.rule: rule 'NOPE' is not a known rule"):
        run([BRANDED_AV], [waiver], "2024-12-31")


def test_cli_unknown_rule_is_exit_2_and_a_rule_from_rules_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sbomcheck.cli import main

    sbom = Path(__file__).resolve().parents[2] / "samples" / "direct-dependency.cdx.json"
    path = write(tmp_path, UNKNOWN_RULE.replace("US-ICTS-2021-02", "X-MINE"))
    assert main(["scan", str(sbom), "--waivers", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"sbomcheck: error: {path}: waiver[0].rule: rule 'X-MINE' is not")
    # The same id added by a --rules file is known.
    builtin = (Path(__file__).resolve().parents[2] / "data" / "rules.toml").read_text("utf-8")
    starts = [m.start() for m in re.finditer(r"(?m)^\[\[rule\]\]$", builtin)]
    first_rule = builtin[starts[0] : starts[1]]
    rules = tmp_path / "rules.toml"
    rules.write_text(first_rule.replace('id = "US-ICTS-2021-002"', 'id = "X-MINE"', 1), "utf-8")
    assert main(["scan", str(sbom), "--waivers", str(path), "--rules", str(rules)]) == 0
    assert "error" not in capsys.readouterr().err
