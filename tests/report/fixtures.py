"""Hand-built reports for formatter tests: plain constants, so every value's origin is visible."""

from __future__ import annotations

from sbomcheck.findings import (
    Completeness,
    ComponentSummary,
    Confidence,
    DataVersion,
    DocumentSummary,
    Evidence,
    Finding,
    PathNode,
    Report,
    RuleOutcome,
    RuleStatus,
    Severity,
    UnresolvedReference,
    Verdict,
    Waiver,
    WaiverUse,
)

TOOL_VERSION = "0.0.0-test"
CATALOGUE = DataVersion(name="vendor_aliases.csv", version="test", sha256="0" * 64, rows=10)
RULES = DataVersion(name="rules.toml", version="test", sha256="1" * 64, rows=3)

DOC_PRODUCT = DocumentSummary(
    path="samples/appliance.cdx.json",
    format="cyclonedx-json",
    spec_version="1.6",
    sha256="a" * 64,
    components=4,
    relationships=4,
    name="acme-gateway",
    product="acme-gateway@5.1",
    supplier="Acme Networks",
)

COMPLETE = Completeness(
    components=4,
    with_supplier=1.0,
    with_purl_or_cpe=0.75,
    with_hashes=0.5,
    has_relationships=True,
    compositions=("complete",),
)

ICTS_INTEGRATION = RuleOutcome(
    id="US-ICTS-2021-002",
    title="Commerce ICTS Final Determination: Kaspersky Lab, Inc.",
    short_title="US Commerce ban on Kaspersky software",
    milestone="integration-updates-resale",
    effective="2024-09-29T00:00:00-04:00",
    status=RuleStatus.IN_FORCE,
    severity=Severity.ERROR,
    source="https://regulations.justia.com/regulations/fedreg/2024/06/24/2024-13532.html",
    reason="in force since 2024-09-29",
    prohibits=("integration", "resale", "licensing", "updates"),
)

ENTITY_LIST = RuleOutcome(
    id="US-EL-2024",
    title="BIS Entity List: AO Kaspersky Lab and others",
    short_title="US Entity List: licence needed to export to Kaspersky",
    milestone="listing",
    effective="2024-06-24",
    status=RuleStatus.IN_FORCE,
    severity=Severity.ERROR,
    source="https://www.govinfo.gov/content/pkg/FR-2024-06-24/html/2024-13695.htm",
    reason="in force since 2024-06-24",
    prohibits=("export",),
)

BSI_ADVISORY = RuleOutcome(
    id="DE-BSI-2022",
    title="BSI warning under section 7 BSIG",
    short_title="German BSI warning against Kaspersky anti-virus",
    milestone="warning",
    effective="2022-03-15",
    status=RuleStatus.IN_FORCE,
    severity=Severity.WARNING,
    source="https://www.bsi.bund.de/DE/Service-Navi/Presse/Pressemitteilungen/Presse2022/220315_Kaspersky-Warnung.html",
    reason="advisory since 2022-03-15",
)

ENGINE_FINDING = Finding(
    id="f" * 64,
    component=ComponentSummary(
        ref="pkg:generic/kav-sdk@8.0",
        name="kav-sdk",
        version="8.0",
        purl="pkg:generic/kav-sdk@8.0",
        supplier="AO Kaspersky Lab",
        document="samples/appliance.cdx.json",
        location="components[2].components[0]",
        line=41,
        type="library",
    ),
    canonical="Kaspersky Anti-Virus SDK (KAV SDK)",
    confidence=Confidence.CONFIRMED,
    evidence=(
        Evidence(
            field="supplier.name",
            value="AO Kaspersky Lab",
            alias="AO Kaspersky Lab",
            kind="entity",
            confidence="confirmed",
            source="http://support.kaspersky.co.uk/9717",
            canonical="AO Kaspersky Lab",
        ),
        Evidence(
            field="name",
            value="kav-sdk",
            alias="KAV SDK",
            kind="engine",
            confidence="confirmed",
            source="https://support.kaspersky.com/ScanEngine/1.0/en-US/all-in-one.htm",
            canonical="Kaspersky Anti-Virus SDK (KAV SDK)",
            method="normalized",
        ),
    ),
    paths=(
        ("acme-gateway", "av-module", "kav-sdk"),
        ("acme-gateway", "mail-filter", "av-module", "kav-sdk"),
    ),
    paths_total=2,
    introduced_via=("av-module", "mail-filter"),
    affected=("acme-gateway", "av-module", "mail-filter"),
    path_nodes=(
        PathNode(ref="acme-gateway", name="Acme Gateway", version="5.1"),
        PathNode(ref="av-module", name="acme/av-module", version="2.3.0"),
        PathNode(ref="kav-sdk", name="kav-sdk", version="8.0"),
        PathNode(ref="mail-filter", name="mail-filter", version=None),
    ),
    integration="embedded",
    product_class="security",
    severity=Severity.ERROR,
    rules=(ICTS_INTEGRATION, ENTITY_LIST),
)

WAIVER = Waiver(
    index=0,
    name="kav-sdk",
    reason="replacement scheduled",
    approver="ciso@example.org",
    ticket="SEC-1234",
    expires="2026-03-01",
    source="waivers.toml",
)

FAIL_REPORT = Report(
    tool_version=TOOL_VERSION,
    as_of="2026-01-15",
    profile="vendor",
    verdict=Verdict.FAIL,
    verdict_reasons=("1 finding breaks a rule in force (US-ICTS-2021-002) and is not waived",),
    documents=(DOC_PRODUCT,),
    findings=(ENGINE_FINDING,),
    completeness=COMPLETE,
    catalogue=CATALOGUE,
    rules=RULES,
)

WAIVED_FINDING = Finding(
    id=ENGINE_FINDING.id,
    component=ENGINE_FINDING.component,
    canonical=ENGINE_FINDING.canonical,
    confidence=ENGINE_FINDING.confidence,
    evidence=ENGINE_FINDING.evidence,
    paths=ENGINE_FINDING.paths,
    paths_total=ENGINE_FINDING.paths_total,
    introduced_via=ENGINE_FINDING.introduced_via,
    affected=ENGINE_FINDING.affected,
    path_nodes=ENGINE_FINDING.path_nodes,
    integration="embedded",
    severity=Severity.WARNING,
    rules=(
        RuleOutcome(
            id=ICTS_INTEGRATION.id,
            title=ICTS_INTEGRATION.title,
            short_title=ICTS_INTEGRATION.short_title,
            milestone=ICTS_INTEGRATION.milestone,
            effective=ICTS_INTEGRATION.effective,
            status=RuleStatus.IN_FORCE,
            severity=Severity.WARNING,
            waived=True,
            waiver=WAIVER,
            source=ICTS_INTEGRATION.source,
            reason="in force since 2024-09-29; waived until 2026-03-01",
        ),
        BSI_ADVISORY,
    ),
)

WARN_REPORT = Report(
    tool_version=TOOL_VERSION,
    as_of="2026-01-15",
    profile="vendor",
    verdict=Verdict.WARN,
    verdict_reasons=("the only finding is waived (waiver 0, expires 2026-03-01)",),
    documents=(DOC_PRODUCT,),
    findings=(WAIVED_FINDING,),
    completeness=COMPLETE,
    waivers=(WaiverUse(waiver=WAIVER, matched=(ENGINE_FINDING.id,)),),
    catalogue=CATALOGUE,
    rules=RULES,
)

PASS_REPORT = Report(
    tool_version=TOOL_VERSION,
    as_of="2026-01-15",
    profile="vendor",
    verdict=Verdict.PASS,
    verdict_reasons=("no Kaspersky technology found; the SBOM is complete enough to show absence",),
    documents=(DOC_PRODUCT,),
    completeness=COMPLETE,
    catalogue=CATALOGUE,
    rules=RULES,
)

INDETERMINATE_REPORT = Report(
    tool_version=TOOL_VERSION,
    as_of="2026-01-15",
    profile="vendor",
    verdict=Verdict.INDETERMINATE,
    verdict_reasons=("nothing found, but 90% of components lack a supplier",),
    documents=(DOC_PRODUCT,),
    unresolved_references=(
        UnresolvedReference(
            document="samples/appliance.cdx.json",
            reference="urn:cdx:4f1c0a4e-0000-4000-8000-000000000001/1",
            reason="no document with this serial number was given",
            location="components[1].externalReferences[0]",
        ),
    ),
    completeness=Completeness(
        components=4,
        with_supplier=0.1,
        with_purl_or_cpe=0.2,
        with_hashes=0.0,
        has_relationships=False,
        unresolved_references=1,
        sufficient=False,
        reasons=("90% of components lack a supplier", "no relationships"),
    ),
    catalogue=CATALOGUE,
    rules=RULES,
)

HOSTILE_TEXT = (
    '<script>alert("x")</script> | `rm -rf` ]]> & "quoted" \n*bold* [link](javascript:1)'
    # Terminal and bidi controls: ESC/CSI colour, OSC title + BEL, C1 CSI (U+009B) and NEL
    # (U+0085), a right-to-left override (U+202E) closed by U+202C, and an isolate (U+2066).
    " \x1b[31mred\x1b[0m \x1b]0;title\x07 \x9b2J \x85 abc\u202etxt.exe\u202c \u2066x\u2069"
)
"""Every component, supplier, ref and path of `HOSTILE_REPORT`: markup of every output format,
then the control and bidi characters no output may pass on raw (sbomcheck.safe_text)."""

HOSTILE_FINDING = Finding(
    id="e" * 64,
    component=ComponentSummary(
        ref=HOSTILE_TEXT,
        name=HOSTILE_TEXT,
        version="1.0<b>",
        purl="pkg:npm/%3Cscript%3E@1.0",
        supplier=HOSTILE_TEXT,
        document="samples/<evil>.json",
        location="components[0]",
    ),
    canonical="AO Kaspersky Lab",
    confidence=Confidence.LIKELY,
    evidence=(
        Evidence(
            field="description",
            value=HOSTILE_TEXT,
            alias="Kaspersky",
            kind="entity",
            confidence="confirmed",
            source="https://www.kaspersky.com",
            canonical="AO Kaspersky Lab",
            method="token",
        ),
    ),
    paths=((HOSTILE_TEXT, HOSTILE_TEXT),),
    paths_total=1,
    introduced_via=(HOSTILE_TEXT,),
    path_nodes=(PathNode(ref=HOSTILE_TEXT, name=HOSTILE_TEXT, version="1.0<b>"),),
    severity=Severity.ERROR,
    rules=(ICTS_INTEGRATION,),
)

HOSTILE_REPORT = Report(
    tool_version=TOOL_VERSION,
    as_of="2026-01-15",
    profile="vendor",
    verdict=Verdict.FAIL,
    documents=(
        DocumentSummary(
            path="samples/<evil>.json",
            format="cyclonedx-json",
            spec_version="1.6",
            sha256="b" * 64,
            components=1,
            name=HOSTILE_TEXT,
            product=HOSTILE_TEXT,
            supplier=HOSTILE_TEXT,
        ),
    ),
    findings=(HOSTILE_FINDING,),
    completeness=COMPLETE,
    catalogue=CATALOGUE,
    rules=RULES,
)

ALL_REPORTS = {
    "fail": FAIL_REPORT,
    "warn": WARN_REPORT,
    "pass": PASS_REPORT,
    "indeterminate": INDETERMINATE_REPORT,
    "hostile": HOSTILE_REPORT,
}
