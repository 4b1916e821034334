"""Rules by date, profiles, waivers and verdicts: turn findings into decisions.

```python
rules = load_rules()                                   # data/rules.toml (+ a user file)
waivers = load_waivers(Path("waivers.toml"))
completeness = assess_completeness(documents, unresolved_references=0)
result = evaluate(findings, rules=rules, profile="vendor", as_of=date(2025, 1, 15),
                  waivers=waivers, completeness=completeness)
```
The library never reads the clock: `as_of` is always a parameter. See docs/policy.md.
"""

from __future__ import annotations

from sbomcheck.policy.completeness import (
    DEFAULT_THRESHOLDS,
    CompletenessThresholds,
    assess_completeness,
)
from sbomcheck.policy.evaluate import (
    PolicyResult,
    check_policy_options,
    evaluate,
    milestone_status,
    timeline,
)
from sbomcheck.policy.profiles import PROFILES
from sbomcheck.policy.rules import (
    PRODUCT_CLASSES,
    SCOPES,
    Milestone,
    Rule,
    RuleSet,
    builtin_rules_path,
    is_subnational,
    load_rules,
)
from sbomcheck.policy.waivers import load_waivers, waiver_label

__all__ = [
    "DEFAULT_THRESHOLDS",
    "PRODUCT_CLASSES",
    "PROFILES",
    "SCOPES",
    "CompletenessThresholds",
    "Milestone",
    "PolicyResult",
    "Rule",
    "RuleSet",
    "assess_completeness",
    "builtin_rules_path",
    "check_policy_options",
    "evaluate",
    "is_subnational",
    "load_rules",
    "load_waivers",
    "milestone_status",
    "timeline",
    "waiver_label",
]
