"""A stored JSON report comes back as the same `Report`, and an older one still renders."""

from __future__ import annotations

import pytest

from sbomcheck.findings import Report
from sbomcheck.report._stored import report_from_dict
from sbomcheck.report.html import HtmlFormatter
from tests.report.fixtures import ALL_REPORTS, FAIL_REPORT, WARN_REPORT


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_round_trip(name: str) -> None:
    report = ALL_REPORTS[name]
    assert report_from_dict(report.to_dict()) == report


def test_a_report_from_before_path_nodes_and_the_timeline_renders() -> None:
    data = WARN_REPORT.to_dict()
    for finding in data["findings"]:
        del finding["path_nodes"]
    for key in ("timeline", "skipped_inputs"):
        del data[key]
    old = report_from_dict(data)
    assert isinstance(old, Report)
    assert old.findings[0].path_nodes == () and old.timeline == ()
    page = HtmlFormatter().render(old)
    assert "ref acme-gateway" in page  # boxes fall back to refs


def test_keys_a_newer_report_adds_are_ignored() -> None:
    data = FAIL_REPORT.to_dict()
    data["findings"][0]["rules"][0]["a_future_key"] = "a newer key"
    data["new_top_level_key"] = 1
    assert report_from_dict(data) == FAIL_REPORT
