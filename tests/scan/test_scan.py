"""The scan orchestrator: findings placed in the graph, across linked documents, deterministic."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path
from typing import Any

import orjson
import pytest

from sbomcheck.findings import Report, UnresolvedReference, Verdict
from sbomcheck.identify import load_catalogue
from sbomcheck.policy import load_rules
from sbomcheck.scan import ScanOptions, analyse, finding_id, scan, scan_documents
from tests.conftest import AS_OF, SAMPLES

VENDOR_SERIAL = "3e671687-395b-41f5-a30f-a58921a69b79"
KASPERSKY_SDK = {
    "bom-ref": "sdk",
    "type": "library",
    "name": "Kaspersky Anti-Virus SDK",
    "version": "8.9",
    "supplier": {"name": "AO Kaspersky Lab"},
}


def cyclonedx(
    root: str,
    components: list[dict[str, Any]],
    dependencies: dict[str, list[str]],
    *,
    serial: str | None = None,
    created: str = "2025-03-01T00:00:00Z",
) -> bytes:
    """A CycloneDX 1.6 JSON document: metadata.component `root`, components, dependencies."""
    bom: dict[str, Any] = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "timestamp": created,
            "component": {
                "bom-ref": root,
                "type": "application",
                "name": root,
                "supplier": {"name": "Acme Corp"},
            },
        },
        "components": components,
        "dependencies": [{"ref": k, "dependsOn": v} for k, v in dependencies.items()],
    }
    if serial:
        bom["serialNumber"] = f"urn:uuid:{serial}"
    return orjson.dumps(bom)


def lib(ref: str, **extra: Any) -> dict[str, Any]:
    return {"bom-ref": ref, "type": "library", "name": ref, "version": "1.0", **extra}


def write_direct(tmp: Path) -> Path:
    """product -> app -> sdk (Kaspersky), product -> left-pad."""
    path = tmp / "product.cdx.json"
    path.write_bytes(
        cyclonedx(
            "product",
            [lib("app"), KASPERSKY_SDK, lib("left-pad")],
            {"product": ["app", "left-pad"], "app": ["sdk"]},
        )
    )
    return path


def write_linked(tmp: Path) -> tuple[Path, Path]:
    """A product whose gateway depends (BOM-Link) on a vendor appliance that embeds the SDK."""
    product = tmp / "product.cdx.json"
    vendor = tmp / "vendor" / "appliance.cdx.json"
    vendor.parent.mkdir(parents=True, exist_ok=True)
    link = f"urn:cdx:{VENDOR_SERIAL}/1#appliance"
    product.write_bytes(
        cyclonedx("product", [lib("gateway")], {"product": ["gateway"], "gateway": [link]})
    )
    vendor.write_bytes(
        cyclonedx(
            "appliance",
            [lib("engine"), KASPERSKY_SDK],
            {"appliance": ["engine"], "engine": ["sdk"]},
            serial=VENDOR_SERIAL,
        )
    )
    return product, vendor


@pytest.fixture(scope="module")
def options() -> ScanOptions:
    return ScanOptions(as_of=AS_OF, catalogue=load_catalogue(), rules=load_rules())


def validate(report: Report) -> None:
    """Check the JSON report against the schema the package ships."""
    from sbomcheck.schema import validate_report

    validate_report(orjson.loads(orjson.dumps(report.to_dict())))


def test_direct_dependency_finding(tmp_path: Path, options: ScanOptions) -> None:
    path = write_direct(tmp_path)
    report = scan([path], options)
    validate(report)
    (finding,) = report.findings
    assert finding.component.ref == "sdk"
    assert finding.component.supplier == "AO Kaspersky Lab"
    assert finding.component.location == "components[1]"
    assert finding.component.document_created == "2025-03-01T00:00:00Z"
    assert finding.paths == (("product", "app", "sdk"),)
    assert finding.paths_total == 1
    assert finding.introduced_via == ("app",)
    assert finding.affected == ("product", "app")
    assert finding.id == finding_id(_component(report), finding.canonical)
    assert report.verdict is Verdict.FAIL
    assert report.as_of == AS_OF.isoformat()
    assert report.tool_version
    assert report.catalogue is not None and report.rules is not None


def _component(report: Report) -> Any:
    from sbomcheck.ingest import load

    doc = load(report.documents[0].path)
    return next(c for c in doc.components if c.ref == "sdk")


def test_linked_product_path_crosses_into_the_vendor_sbom(
    tmp_path: Path, options: ScanOptions
) -> None:
    product, vendor = write_linked(tmp_path)
    report = scan([tmp_path], options)
    validate(report)
    assert [d.path for d in report.documents] == [str(product), str(vendor)]
    assert report.unresolved_references == ()
    (finding,) = report.findings
    assert finding.component.document == str(vendor)
    assert finding.paths == (("product", "gateway", "appliance", "engine", "sdk"),)
    assert finding.introduced_via == ("gateway",)
    assert finding.affected == ("product", "gateway", "appliance", "engine")


def test_missing_vendor_sbom_is_an_unresolved_reference(
    tmp_path: Path, options: ScanOptions
) -> None:
    product, _ = write_linked(tmp_path)
    report = scan([product], options)
    (u,) = report.unresolved_references
    assert u.reference == f"urn:cdx:{VENDOR_SERIAL}/1#appliance"
    assert u.reason.startswith("no input document has serial number")
    assert report.completeness is not None
    assert report.completeness.unresolved_references == 1
    assert report.findings == ()
    assert report.verdict in (Verdict.INDETERMINATE, Verdict.PASS)


def test_clean_product(tmp_path: Path, options: ScanOptions) -> None:
    path = tmp_path / "clean.cdx.json"
    path.write_bytes(cyclonedx("product", [lib("a", purl="pkg:npm/a@1.0")], {"product": ["a"]}))
    report = scan([path], options)
    validate(report)
    assert report.findings == ()
    assert report.verdict in (Verdict.PASS, Verdict.INDETERMINATE)


def test_report_is_deterministic_and_findings_follow_document_order(
    tmp_path: Path, options: ScanOptions
) -> None:
    linked = tmp_path / "linked"
    (tmp_path / "direct").mkdir()
    linked.mkdir()
    write_linked(linked)
    direct = write_direct(tmp_path / "direct")  # a third document, given first
    first = scan([direct, linked], options).to_dict()
    second = scan([direct, linked], options).to_dict()
    assert orjson.dumps(first) == orjson.dumps(second)
    assert [f["component"]["document"] for f in first["findings"]] == [
        str(direct),
        str(linked / "vendor" / "appliance.cdx.json"),
    ]
    assert len({f["id"] for f in first["findings"]}) == 2


def test_scan_documents_takes_pickled_inputs_and_extra_unresolved(
    tmp_path: Path, options: ScanOptions
) -> None:
    from sbomcheck.ingest.sources import load_inputs

    docs = load_inputs([write_direct(tmp_path)]).documents
    docs2, options2 = pickle.loads(pickle.dumps((docs, options)))
    extra = UnresolvedReference(document="x", reference="y", reason="could not read")
    report = scan_documents(docs2, options2, unresolved=[extra])
    assert report.unresolved_references == (extra,)
    assert report.findings[0].paths == (("product", "app", "sdk"),)


def test_profile_and_date_reach_the_policy(tmp_path: Path, options: ScanOptions) -> None:
    path = write_direct(tmp_path)
    early = ScanOptions(
        as_of=dt.date(2010, 1, 1),
        catalogue=options.catalogue,
        rules=options.rules,
        profile="end-user",
    )
    report = scan([path], early)
    assert report.profile == "end-user" and report.as_of == "2010-01-01"
    assert report.verdict is not Verdict.FAIL


def test_max_paths_bounds_paths_but_counts_all(tmp_path: Path, options: ScanOptions) -> None:
    # product -> m0..m4 -> sdk: five paths.
    mids = [lib(f"m{i}") for i in range(5)]
    path = tmp_path / "wide.cdx.json"
    path.write_bytes(
        cyclonedx(
            "product",
            [*mids, KASPERSKY_SDK],
            {"product": [f"m{i}" for i in range(5)], **{f"m{i}": ["sdk"] for i in range(5)}},
        )
    )
    bounded = ScanOptions(
        as_of=AS_OF, catalogue=options.catalogue, rules=options.rules, max_paths=2
    )
    (finding,) = scan([path], bounded).findings
    assert finding.paths == (("product", "m0", "sdk"), ("product", "m1", "sdk"))
    assert finding.paths_total == 5
    assert finding.introduced_via == tuple(f"m{i}" for i in range(5))


def test_analyse_with_a_stand_in_matcher(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sbomcheck.findings import Confidence
    from sbomcheck.identify import Match
    from sbomcheck.ingest.sources import load_inputs

    docs = load_inputs([write_direct(tmp_path)]).documents

    def fake(documents: Any, catalogue: Any) -> list[Match]:
        left = next(c for c in documents[0].components if c.ref == "left-pad")
        return [
            Match(
                component=left,
                canonical="X",
                confidence=Confidence.POSSIBLE,
                evidence=(),
                integration="embedded",
                product_class="security",
            )
        ]

    monkeypatch.setattr("sbomcheck.scan._identify", fake)
    analysis = analyse(docs, None)  # type: ignore[arg-type]
    (finding,) = analysis.findings
    assert finding.paths == (("product", "left-pad"),)
    assert finding.introduced_via == ("left-pad",)
    assert finding.affected == ("product",)


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        (
            ["sdk-three-levels.spdx.json"],
            {
                "SPDXRef-kavsdk": (
                    "SPDXRef-securemail",
                    "SPDXRef-content-filter",
                    "SPDXRef-mailscan",
                    "SPDXRef-kavsdk",
                )
            },
        ),
        (["oem-appliance.cdx.xml"], {"utm-av-full": ("srx240h2", "utmd", "utm-av-full")}),
        (
            ["linked"],
            {
                "SPDXRef-kassdk": ("SPDXRef-groupware", "SPDXRef-mailguard", "SPDXRef-kassdk"),
                "kaspersky-scan-engine": (
                    "acme-edge-firewall",
                    "threat-module",
                    "contoso-threat-module",
                    "kaspersky-scan-engine",
                ),
            },
        ),
        (["clean-product.cdx.json"], {}),
    ],
)
def test_samples_end_to_end(
    inputs: list[str], expected: dict[str, tuple[str, ...]], options: ScanOptions
) -> None:
    paths = [SAMPLES / name for name in inputs]
    if not all(p.exists() for p in paths):
        pytest.skip("sample not present")
    report = scan(paths, options)
    validate(report)
    assert {f.component.ref: f.paths[0] for f in report.findings} == expected
    if inputs == ["linked"]:
        # Product and vendor documents resolve each other: nothing is left dangling.
        assert report.unresolved_references == ()
        assert len(report.documents) == 4


def test_linked_product_alone_lists_its_missing_vendor_documents(options: ScanOptions) -> None:
    product = SAMPLES / "linked" / "product.spdx.json"
    if not product.exists():
        pytest.skip("sample not present")
    report = scan([product], options)
    assert [u.reference for u in report.unresolved_references] == ["DocumentRef-northwind"]
    assert report.unresolved_references[0].reason.startswith("no input document has namespace")
    assert report.verdict is Verdict.INDETERMINATE


def test_altered_vendor_document_fails_its_checksum(tmp_path: Path, options: ScanOptions) -> None:
    linked = SAMPLES / "linked"
    if not (linked / "product.spdx.json").exists():
        pytest.skip("sample not present")
    product = tmp_path / "product.spdx.json"
    vendor = tmp_path / "vendor-mailguard.spdx.json"
    product.write_bytes((linked / "product.spdx.json").read_bytes())
    vendor.write_bytes((linked / "vendor-mailguard.spdx.json").read_bytes() + b"\n")
    report = scan([product, vendor], options)
    (u,) = report.unresolved_references
    assert u.reference == "DocumentRef-northwind"
    assert u.reason.startswith("checksum mismatch: expected SHA-1 3d45fd5d84771c58")
    # The vendor's finding is still reported, but its path no longer crosses documents.
    (finding,) = report.findings
    assert finding.paths == (("SPDXRef-mailguard", "SPDXRef-kassdk"),)


def test_report_timeline_lists_every_milestone_binding_the_profile() -> None:
    from sbomcheck.identify import load_catalogue
    from sbomcheck.policy import load_rules
    from sbomcheck.scan import ScanOptions
    from sbomcheck.scan import scan as run_scan

    sample = SAMPLES / "clean-product.cdx.json"
    catalogue, rules = load_catalogue(), load_rules()
    before = run_scan(
        [sample], ScanOptions(as_of=dt.date(2024, 9, 28), catalogue=catalogue, rules=rules)
    )
    on = run_scan(
        [sample], ScanOptions(as_of=dt.date(2024, 9, 29), catalogue=catalogue, rules=rules)
    )
    key = ("US-ICTS-2021-002", "integration-updates-resale")
    assert {(t.id, t.milestone): t.status.value for t in before.timeline}[key] == "upcoming"
    assert {(t.id, t.milestone): t.status.value for t in on.timeline}[key] == "in-force"
    # Milestones that bind another profile are not on the vendor's timeline.
    assert ("US-ICTS-2021-002", "new-agreements") not in {(t.id, t.milestone) for t in on.timeline}
    dates = [t.effective[:10] for t in on.timeline]
    assert dates == sorted(dates) and on.to_dict()["timeline"][0]["source"].startswith("http")
