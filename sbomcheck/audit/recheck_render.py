"""Output of `sbomcheck recheck`: text, JSON, Markdown and HTML, like `audit`'s.

One renderer per format, registered in `RENDERERS`, each `(result, *, as_of, profile) ->
str` where `profile` is the profile every audit was re-checked with, or None when each kept
its own ("as recorded"). Pure functions (no I/O, no clock), byte-stable, products in the
order the ledger lists them. Text from SBOMs and file names goes through `sbomcheck.safe_text`
(`visible`, Markdown's `md_text`/`md_code`, `html_text`); JSON writes C1 and bidi characters
as `\\uXXXX`.
"""

from __future__ import annotations

from collections.abc import Callable

from sbomcheck.audit.recheck import Change, RecheckResult
from sbomcheck.json_form import json_form
from sbomcheck.report._common import md_code, md_text
from sbomcheck.report.json import dumps
from sbomcheck.safe_text import visible

__all__ = ["RENDERERS", "render_recheck"]


def render_json(result: RecheckResult, *, as_of: str, profile: str | None) -> str:
    """`--format json`: `{"as_of", "profile", "products": [...], "changed"}`."""
    changes = result.changes
    return dumps(
        {
            "as_of": as_of,
            "profile": profile,
            "products": json_form(changes),
            "changed": sum(c.changed for c in changes),
        }
    )


def render_text(result: RecheckResult, *, as_of: str, profile: str | None) -> str:
    """`--format text`: one line per product, then what changed, indented."""
    changes = result.changes
    lines = [
        f"sbomcheck recheck as of {as_of}, profile {profile or 'as recorded'}: "
        f"{sum(c.changed for c in changes)} of {len(changes)} products changed"
    ]
    for c in changes:
        mark = "CHANGED" if c.changed else "same   "
        lines.append(
            f"{mark} {c.previous_verdict.upper()} -> {c.verdict.upper()}  {c.product}"
            f"  (last audited as of {c.previous_as_of}; profile {c.profile})"
        )
        lines += [f"    + new finding: {f}" for f in c.new_findings]
        lines += [f"    - gone: {f}" for f in c.gone_findings]
        lines += [f"    ~ {s}" for s in c.status_changes]
        if c.changed and c.data_changes:
            lines.append(f"    because: {'; '.join(c.data_changes)}")
    return "\n".join(visible(line) for line in lines) + "\n"


def _what_changed(c: Change) -> str:
    parts = []
    if c.new_findings:
        parts.append(f"{len(c.new_findings)} new")
    if c.gone_findings:
        parts.append(f"{len(c.gone_findings)} gone")
    if c.status_changes:
        n = len(c.status_changes)
        parts.append(f"{n} rule status{'es' if n != 1 else ''} moved")
    return ", ".join(parts) or ("verdict" if c.changed else "nothing")


def render_markdown(result: RecheckResult, *, as_of: str, profile: str | None) -> str:
    """`--format markdown`: a table of products, then each change, for a ticket or a CI job
    summary."""
    changes = result.changes
    changed = [c for c in changes if c.changed]
    out = [
        f"## sbomcheck recheck: {len(changed)} of {len(changes)} products changed",
        "",
        f"As of {md_text(as_of)}, profile {md_code(profile or 'as recorded')}.",
        "",
        "| Now | Before | Product | SBOM | What changed |",
        "|---|---|---|---|---|",
    ]
    out.extend(
        f"| **{c.verdict.upper()}** | {c.previous_verdict.upper()} (as of "
        f"{md_text(c.previous_as_of)}) | {md_text(c.product)} | "
        f"{md_code(c.path, table=True)} | {_what_changed(c)} |"
        for c in changes
    )
    for c in changed:
        out += ["", f"### {md_text(c.product)}", ""]
        out += [f"- New finding: {md_text(f)}" for f in c.new_findings]
        out += [f"- Gone: {md_text(f)}" for f in c.gone_findings]
        out += [f"- Status: {md_text(s)}" for s in c.status_changes]
        if c.data_changes:
            out.append(f"- Because: {md_text('; '.join(c.data_changes))}")
        if c.verdict != c.previous_verdict:
            out.append(f"- Verdict: {c.previous_verdict.upper()} to **{c.verdict.upper()}**")
    return "\n".join(out) + "\n"


def render_html(result: RecheckResult, *, as_of: str, profile: str | None) -> str:
    """`--format html`: the self-contained page every HTML report shares the design of."""
    from sbomcheck.audit.html import render_recheck_html

    return render_recheck_html(result, as_of=as_of, profile=profile)


RENDERERS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "html": render_html,
}
"""One renderer per `recheck --format`."""


def render_recheck(result: RecheckResult, fmt: str, *, as_of: str, profile: str | None) -> str:
    """Render in `fmt`, one of `RENDERERS`."""
    return RENDERERS[fmt](result, as_of=as_of, profile=profile)
