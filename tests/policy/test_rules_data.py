"""The rules data file and the rules loader: facts, validation, user additions and overrides."""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from pathlib import Path

import pytest

from sbomcheck.errors import RulesError
from sbomcheck.findings import Severity
from sbomcheck.json_form import json_form
from sbomcheck.policy import PROFILES, builtin_rules_path, load_rules

RULES = load_rules()


def test_builtin_rules_load_with_identity() -> None:
    dv = RULES.data_version
    assert dv.name == "rules.toml"
    assert dv.sha256 == hashlib.sha256(builtin_rules_path().read_bytes()).hexdigest()
    assert dv.rows == len(RULES) == 22


def test_ruleset_is_picklable_and_reusable() -> None:
    again = pickle.loads(pickle.dumps(RULES))
    assert again == RULES
    assert again.get("US-ICTS-2021-002") == RULES.get("US-ICTS-2021-002")


def test_every_rule_and_milestone_has_source_and_confidence() -> None:
    for rule in RULES:
        assert rule.url.startswith(("https://", "http://")), rule.id
        assert rule.confidence in ("confirmed", "reported"), rule.id
        assert rule.citation and rule.authority and rule.binds, rule.id
        for ms in rule.milestones:
            assert ms.source.startswith(("https://", "http://")), (rule.id, ms.id)
            assert ms.confidence in ("confirmed", "reported"), (rule.id, ms.id)


def test_every_builtin_rule_has_a_short_plain_title() -> None:
    # Text reports name each rule by id and this title the first time (docs/scan.md).
    shorts = [rule.short_title for rule in RULES]
    assert len(set(shorts)) == len(shorts)
    for rule in RULES:
        assert rule.short_title and rule.short_title != rule.title, rule.id
        assert len(rule.short_title) <= 60, rule.id
        assert json_form(rule)["short_title"] == rule.short_title
    icts = RULES.get("US-ICTS-2021-002")
    assert icts is not None and icts.short_title == "US Commerce ban on Kaspersky software"


def test_short_title_is_optional_in_a_user_file(tmp_path: Path) -> None:
    rules = load_rules(write(tmp_path, USER.format(id="ACME-1")))
    assert rules.rules[-1].short_title == "Acme internal ban"
    text = USER.format(id="ACME-1").replace(
        'title = "Acme internal ban"', 'title = "Acme internal ban"\nshort_title = "Acme ban"'
    )
    assert load_rules(write(tmp_path, text)).rules[-1].short_title == "Acme ban"


# Facts from ../shared/reference/regulation/rules.md, written out here so that a slip in
# data/rules.toml fails a test: rule -> {milestone: (effective, severity once in force)}.
FACTS = {
    "US-ICTS-2021-002": {
        "new-agreements": ("2024-07-20", "error"),
        "integration-updates-resale": ("2024-09-29T00:00:00-04:00", "error"),
        "updates-end": ("2024-09-29T00:00:00-04:00", "warning"),
    },
    "US-EL-2024": {"listing": ("2024-06-24", "warning")},
    "US-BOD-17-01": {
        "issued": ("2017-09-13", "warning"),
        "identify-30-days": ("2017-10-13", "warning"),
        "plan-60-days": ("2017-11-12", "warning"),
        "remove-90-days": ("2017-12-12", "error"),
    },
    "US-NDAA-1634": {"enacted": ("2017-12-12", "warning"), "ban": ("2018-10-01", "error")},
    "US-FAR-52.204-23": {
        "interim-rule": ("2018-07-16", "error"),
        "final-rule": ("2019-09-10", "error"),
        "fac-2023-06": ("2023-12-04", "error"),
    },
    "US-FCC-CL-2022": {"covered-list": ("2022-03-25", "error")},
    "US-FCC-EA-2024": {"equipment-authorization": ("2024-09-03", "error")},
    "DE-BSI-2022": {"warning": ("2022-03-15", "warning")},
    "LT-2017": {"decision": ("2017-12-20", "warning")},
    "NL-2018": {"phase-out": ("2018-05-14", "warning")},
    "CA-2023": {"removal": ("2023-10-30", "warning")},
    "UK-NCSC": {"letter-2017": ("2017-12-01", "warning"), "blog-2022": ("2022-03-29", "warning")},
}


@pytest.mark.parametrize("rule_id", sorted(FACTS))
def test_dates_and_severities(rule_id: str) -> None:
    rule = RULES.get(rule_id)
    assert rule is not None
    got = {m.id: (m.effective, m.severity.value) for m in rule.milestones}
    for mid, fact in FACTS[rule_id].items():
        assert got[mid] == fact


def test_scopes_and_exclusions() -> None:
    icts = RULES.get("US-ICTS-2021-002")
    assert icts is not None and icts.scope == "integrated"
    assert icts.exclude_classes == ("threat-intelligence", "training")
    assert [r.scope for r in (RULES.get("US-BOD-17-01"), RULES.get("US-NDAA-1634"))] == [  # type: ignore[union-attr]
        "branded",
        "in-whole-or-part",
    ]
    el = RULES.get("US-EL-2024")
    assert el is not None
    assert el.entities == ("AO Kaspersky Lab", "OOO Kaspersky Group", "Kaspersky Labs Limited")
    # Advisories outside the US warn, for every profile.
    for rid in ("DE-BSI-2022", "LT-2017", "NL-2018", "IT-DL21-2022", "CA-2023", "UK-NCSC"):
        rule = RULES.get(rid)
        assert rule is not None and rule.kind == "advisory"
        assert set(rule.profiles) == set(PROFILES)
        assert all(m.severity is Severity.WARNING for m in rule.milestones)


def test_midnight_edt_cutoff_parses_to_its_local_day() -> None:
    icts = RULES.get("US-ICTS-2021-002")
    assert icts is not None
    ms = next(m for m in icts.milestones if m.id == "integration-updates-resale")
    assert ms.effective_date == dt.date(2024, 9, 29)


def test_the_update_ban_is_a_milestone_of_the_data_not_a_date_in_code() -> None:
    marked = RULES.update_ban
    assert marked is not None
    rule, ms = marked
    assert (rule.id, ms.id, ms.effective) == (
        "US-ICTS-2021-002",
        "updates-end",
        "2024-09-29T00:00:00-04:00",
    )
    assert [m.id for r in RULES for m in r.milestones if m.update_ban] == ["updates-end"]


USER = """
[meta]
version = "acme-3"

[[rule]]
id = "{id}"
title = "Acme internal ban"
authority = "Acme"
citation = "policy 7"
url = "https://acme.example/policy/7"
jurisdiction = "internal"
binds = "Acme engineering"
kind = "rule"
confidence = "confirmed"
scope = "in-whole-or-part"
profiles = ["vendor"]

[[rule.milestone]]
id = "ban"
title = "no Kaspersky code"
effective = 2024-01-01
prohibits = ["use"]
severity = "error"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "user-rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_user_file_adds_a_rule(tmp_path: Path) -> None:
    path = write(tmp_path, USER.format(id="ACME-1"))
    rules = load_rules(path)
    assert len(rules) == len(RULES) + 1
    assert rules.rules[-1].id == "ACME-1"
    assert rules.rules[-1].origin == str(path)
    assert rules.rules[-1].milestones[0].source == "https://acme.example/policy/7"
    assert rules.rules[-1].milestones[0].profiles == ("vendor",)
    dv = rules.data_version
    assert dv.name == "rules.toml+user-rules.toml"
    assert dv.version == f"{RULES.data_version.version}+acme-3"
    assert dv.sha256 != RULES.data_version.sha256
    assert dv.rows == len(RULES) + 1


def test_user_file_overrides_a_rule_in_place(tmp_path: Path) -> None:
    rules = load_rules(write(tmp_path, USER.format(id="US-EL-2024")))
    assert len(rules) == len(RULES)
    assert [r.id for r in rules] == [r.id for r in RULES]
    el = rules.get("US-EL-2024")
    assert el is not None and el.title == "Acme internal ban"
    assert el.milestones[0].severity is Severity.ERROR


VALID_RULE = USER.format(id="X-1").split("[[rule]]", 1)[1]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("[[rule]\n", "line 1: invalid TOML: Expected ']]' at the end of an array declaration"),
        ("[rules]\n", "rules: unknown key 'rules'"),
        ("[meta]\nversion = 1\n", "meta.version: must be a string, not integer"),
        (
            '[meta]\nversion = "x"\nschema = 4\n',
            "meta.schema: unsupported schema (this sbomcheck reads schemas 1 to 3)",
        ),
        (
            "[[rule]]"
            + VALID_RULE.replace('severity = "error"', 'severity = "error"\nupdate_ban = 1'),
            "rule[0].milestone[0].update_ban: must be true or false, not integer",
        ),
        ('rule = "x"\n', "rule: must be an array of tables ([[rule]])"),
        (
            "[[rule]]" + VALID_RULE.replace('title = "Acme internal ban"\n', ""),
            "rule[0].title: missing required value",
        ),
        (
            "[[rule]]" + VALID_RULE.replace('id = "X-1"', 'id = "X 1"'),
            "rule[0].id: 'X 1' is not a valid id (letters, digits, . _ -)",
        ),
        (
            "[[rule]]" + VALID_RULE.replace('scope = "in-whole-or-part"', 'scope = "all"'),
            "rule[0].scope: 'all' is not one of branded, in-whole-or-part, integrated, "
            "listed-entity, listed-product",
        ),
        (
            "[[rule]]"
            + VALID_RULE.replace('scope = "in-whole-or-part"', 'scope = "listed-entity"'),
            "rule[0].entities: a listed-entity rule needs entities",
        ),
        (
            "[[rule]]" + VALID_RULE.replace('profiles = ["vendor"]', 'profiles = ["seller"]'),
            "rule[0].profiles[0]: 'seller' is not one of vendor, procurement, end-user, federal, "
            "fcc-equipment, state-agency",
        ),
        (
            "[[rule]]" + VALID_RULE.replace('profiles = ["vendor"]', 'profiles = "vendor"'),
            "rule[0].profiles: must be an array of strings, not string",
        ),
        (
            "[[rule]]"
            + VALID_RULE.replace('url = "https://acme.example/policy/7"', 'url = "acme.example"'),
            "rule[0].url: must be an http(s) URL",
        ),
        (
            "[[rule]]" + VALID_RULE.replace('confidence = "confirmed"', 'confidence = "sure"'),
            "rule[0].confidence: 'sure' is not one of confirmed, reported",
        ),
        (
            "[[rule]]" + VALID_RULE.replace('kind = "rule"', 'kind = "rule"\ncolour = "red"'),
            "rule[0].colour: unknown key 'colour'",
        ),
        (
            "[[rule]]" + VALID_RULE.split("[[rule.milestone]]")[0],
            "rule[0].milestone: needs at least one [[rule.milestone]]",
        ),
        (
            "[[rule]]" + VALID_RULE.replace('severity = "error"', 'severity = "fatal"'),
            "rule[0].milestone[0].severity: 'fatal' is not one of error, warning, note",
        ),
        (
            "[[rule]]" + VALID_RULE.replace("effective = 2024-01-01", 'effective = "soon"'),
            "rule[0].milestone[0].effective: not an ISO date: 'soon'",
        ),
        (
            "[[rule]]"
            + VALID_RULE.replace("effective = 2024-01-01", "effective = 2024-01-01T00:00:00"),
            "rule[0].milestone[0].effective: a date-time needs a UTC offset (-04:00)",
        ),
        (
            "[[rule]]" + VALID_RULE.replace("effective = 2024-01-01", "effective = 20240101"),
            "rule[0].milestone[0].effective: must be a date, not integer",
        ),
        (
            "[[rule]]" + VALID_RULE.replace("effective = 2024-01-01\n", ""),
            "rule[0].milestone[0].effective: missing required value",
        ),
        (
            "[[rule]]" + VALID_RULE.replace('prohibits = ["use"]', 'prohibits = ["use", 3]'),
            "rule[0].milestone[0].prohibits[1]: must be a non-empty string",
        ),
        (
            "[[rule]]"
            + VALID_RULE.replace(
                'severity = "error"', 'severity = "error"\nprofiles = ["federal"]'
            ),
            "rule[0].milestone[0].profiles: profile 'federal' is not among the rule's profiles",
        ),
        (
            "[[rule]]" + VALID_RULE + '\n[[rule.milestone]]\nid = "ban"\n',
            "rule[0].milestone[1].id: duplicate milestone id 'ban'",
        ),
        (
            "[[rule]]" + VALID_RULE + "\n[[rule]]" + VALID_RULE,
            "rule[1].id: duplicate rule id 'X-1'",
        ),
        (
            "[[rule]]"
            + VALID_RULE.replace('scope = "in-whole-or-part"', 'scope = "listed-product"'),
            "rule[0].products: a listed-product rule needs products",
        ),
        (
            "[[rule]]"
            + VALID_RULE.replace('severity = "error"', 'severity = "error"\nmodel_year = "2027"'),
            "rule[0].milestone[0].model_year: must be an integer, not string",
        ),
        (
            "[[rule]]"
            + VALID_RULE.replace('severity = "error"', 'severity = "error"\nmodel_year = true'),
            "rule[0].milestone[0].model_year: must be an integer, not boolean",
        ),
        (
            "[[rule]]"
            + VALID_RULE.replace('severity = "error"', 'severity = "error"\nmodel_year = 27'),
            "rule[0].milestone[0].model_year: 27 is not a model year (1900-2200)",
        ),
        (
            "[[rule]]"
            + VALID_RULE.replace('kind = "rule"', 'kind = "rule"\nsources = ["acme.example"]'),
            "rule[0].sources[0]: must be an http(s) URL",
        ),
        (
            "[[rule]]"
            + VALID_RULE.replace(
                'severity = "error"', 'severity = "error"\nsources = "https://a.example"'
            ),
            "rule[0].milestone[0].sources: must be an array of strings, not string",
        ),
        (
            "[[rule]]" + VALID_RULE.replace('jurisdiction = "internal"', 'jurisdiction = "US OR"'),
            "rule[0].jurisdiction: 'US OR' is not a jurisdiction code (letters, digits, . _ -; "
            "US, US-OR)",
        ),
    ],
)
def test_rules_file_errors(tmp_path: Path, text: str, error: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RulesError) as info:
        load_rules(path)
    assert info.value.diagnostics() == f"{path}: {error}"


def test_missing_rules_file(tmp_path: Path) -> None:
    with pytest.raises(RulesError) as info:
        load_rules(tmp_path / "nope.toml")
    assert (
        info.value.diagnostics()
        == f"{tmp_path / 'nope.toml'}: cannot read: No such file or directory"
    )


def test_effective_string_forms_are_accepted(tmp_path: Path) -> None:
    text = "[[rule]]" + VALID_RULE.replace(
        "effective = 2024-01-01", 'effective = "2024-09-29T00:00:00-04:00"'
    )
    rule = load_rules(write(tmp_path, text)).get("X-1")
    assert rule is not None
    assert rule.milestones[0].effective == "2024-09-29T00:00:00-04:00"
    assert rule.milestones[0].effective_date == dt.date(2024, 9, 29)


@pytest.mark.parametrize("schema", ["", "schema = 1\n", "schema = 2\n", "schema = 3\n"])
def test_older_schemas_are_still_read(tmp_path: Path, schema: str) -> None:
    text = USER.format(id="X-1").replace('version = "acme-3"\n', f'version = "acme-3"\n{schema}')
    rule = load_rules(write(tmp_path, text)).get("X-1")
    assert rule is not None and not rule.milestones[0].update_ban


def test_the_earliest_marked_milestone_is_the_update_ban(tmp_path: Path) -> None:
    marked = USER.format(id="X-1").replace(
        'severity = "error"', 'severity = "error"\nupdate_ban = true'
    )
    rules = load_rules(write(tmp_path, marked))
    assert rules.update_ban is not None
    rule, ms = rules.update_ban
    assert (rule.id, ms.id, ms.effective_date) == ("X-1", "ban", dt.date(2024, 1, 1))


def test_a_user_file_that_replaces_the_ban_without_the_mark_drops_it(tmp_path: Path) -> None:
    icts = USER.format(id="US-ICTS-2021-002")
    assert load_rules(write(tmp_path, icts)).update_ban is None
