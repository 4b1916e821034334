"""Citing is not containing: when a Kaspersky name or URL only says Kaspersky wrote about a
component (an advisory, a research blog, "as reported by Kaspersky").

The matcher still records such evidence, capped at possible and not counted with other
fields, with the note these functions return (docs/aliases.md, "Confidence": "Citing is
not containing").
"""

from __future__ import annotations

from sbomcheck.identify.catalogue import AliasRow
from sbomcheck.identify.normalize import plain_tokens

__all__ = ["text_citation", "url_citation"]

# External reference types (CycloneDX, SPDX 2 category/type, SPDX 3, folded to lower-case
# letters) that point at what someone *wrote about* a component: an advisory, an assessment, a
# report. A Kaspersky URL there says Kaspersky wrote about it, not that it ships Kaspersky code.
_CITING_TYPES = frozenset(
    {"advisories", "advisory", "vulnerabilityassertion", "exploitabilitystatement",
     "threatmodel", "adversarymodel", "pentestreport", "staticanalysisreport",
     "dynamicanalysisreport", "runtimeanalysisreport", "componentanalysisreport",
     "riskassessment", "maturityreport", "certificationreport", "qualitymetrics", "poam",
     "securityadvisory", "securityfix", "securityother", "securitythreatmodel",
     "securityadversarymodel", "securitypentestreport", "vulnerabilitydisclosurereport",
     "vulnerabilityexploitabilityassessment", "qualityassessmentreport"}
)  # fmt: skip
# Reference types that say where the component comes from: a research host there is a
# download or source location, not a citation.
_PROVENANCE_TYPES = frozenset(
    {"distribution", "distributionintake", "download", "vcs", "sourcedistribution",
     "buildsystem", "buildmeta", "packagemanager"}
)  # fmt: skip
# Kaspersky hosts (a label of the host) and first path segments that hold research: reports,
# blog posts, threat descriptions. Only consulted for hosts that matched a Kaspersky row.
_RESEARCH_LABELS = frozenset(
    {"securelist", "viruslist", "kasperskycontenthub", "ics-cert", "threats", "encyclopedia",
     "opentip", "apt", "statistics", "eugene", "media"}
)  # fmt: skip
_RESEARCH_PATHS = frozenset({"blog", "about", "resource-center", "research", "threats"})
# Words around a brand in free text that make it a citation: "(reported|reports) by
# Kaspersky", "according to Kaspersky", "Kaspersky('s) report|research|researchers".
_CITING_BEFORE = frozenset(
    {("reported", "by"), ("reports", "by"), ("report", "by"), ("reports", "from"),
     ("report", "from"), ("research", "by"), ("research", "from"), ("researchers", "at"),
     ("researchers", "from"), ("according", "to"), ("published", "by"), ("discovered", "by"),
     ("disclosed", "by"), ("described", "by"), ("documented", "by"), ("analysis", "by"),
     ("analyzed", "by"), ("analysed", "by"), ("found", "by"), ("identified", "by"),
     ("observed", "by"), ("attributed", "by"), ("credit", "to"), ("credits", "to"),
     ("thanks", "to"), ("reported", "from"), ("blog", "by"), ("paper", "by"),
     ("whitepaper", "by"), ("write", "up"), ("writeup", "by")}
)  # fmt: skip
_CITING_AFTER = frozenset(
    {"report", "reports", "reported", "research", "researcher", "researchers", "analysis",
     "blog", "blogpost", "advisory", "advisories", "whitepaper", "paper", "publication",
     "great", "securelist", "writeup"}
)  # fmt: skip


def _type_key(ref_type: str) -> str:
    """`SECURITY/advisory`, `vulnerability-assertion`, `securityAdvisory` -> lower letters."""
    return "".join(ch for ch in ref_type.rsplit("/", 1)[-1].casefold() if ch.isalpha())


def url_citation(ref_type: str, host: str, rest: str) -> str:
    """Why a Kaspersky URL in an external reference is only a citation, or ``."""
    key = _type_key(ref_type)
    if key in _CITING_TYPES:
        return (
            f"cited, not contained: an external reference of type '{ref_type}' points at "
            f"Kaspersky ({host.casefold()}): Kaspersky wrote about the component"
        )
    if key in _PROVENANCE_TYPES:
        return ""
    labels = host.casefold().split(".")
    path = rest.lstrip("/").split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].casefold()
    if _RESEARCH_LABELS.intersection(labels[:-1]) or path in _RESEARCH_PATHS:
        return (
            f"cited, not contained: {host.casefold()}/{path} is Kaspersky research (reports, "
            "blog posts), not where the component comes from"
        ).replace("/ is", " is")
    return ""


def text_citation(value: str, start: int, end: int, row: AliasRow) -> str:
    """Why a name in free text is only a citation ("as reported by Kaspersky"), or ``.

    `start` and `end` are the plain-token positions of the name in `value`.
    """
    tokens = plain_tokens(value)
    before = tuple(tokens[max(0, start - 2) : start])
    # NOTE: "reports by Kaspersky", also with one filler word ("reports by the Kaspersky").
    filler = tuple(tokens[max(0, start - 3) : start - 1])
    if before in _CITING_BEFORE or (
        start >= 3 and tokens[start - 1] in ("the", "public") and filler in _CITING_BEFORE
    ):
        cue = " ".join(before)
        return f"cited, not contained: the text cites Kaspersky ('{cue} ...')"
    if row.kind == "entity" or row.canonical.startswith("AO Kaspersky"):
        after = tokens[end : end + 2]
        if after and after[0] == "s":  # "Kaspersky's report"
            after = after[1:]
        if after and after[0] in _CITING_AFTER:
            return f"cited, not contained: the text cites Kaspersky ('... {after[0]}')"
    return ""
