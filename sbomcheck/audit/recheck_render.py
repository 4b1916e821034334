"""Output of `sbomcheck recheck`: text, JSON, Markdown and HTML, like `audit`'s.

One renderer per format, registered in `RENDERERS`, each `(result, *, as_of, profile,
options) -> str` where `profile` is the profile every audit was re-checked with, or None
when each kept its own ("as recorded"), and `options.width` the width the text fits. Pure
functions (no I/O, no clock), byte-stable, products in the order the ledger lists them.
Text from SBOMs and file names goes through `sbomcheck.safe_text` (`visible`, Markdown's
`md_text`/`md_code`, `html_text`); JSON writes C1 and bidi characters as `\\uXXXX`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sbomcheck.audit.recheck import Change, RecheckResult
from sbomcheck.json_form import json_form
from sbomcheck.report._common import md_code, md_text, plural, short_title
from sbomcheck.report.interface import DEFAULT_RENDER_OPTIONS, RenderOptions
from sbomcheck.report.json import dumps
from sbomcheck.report.text import Column, fill, table_lines
from sbomcheck.safe_text import visible

__all__ = ["RENDERERS", "render_recheck"]


def render_json(
    result: RecheckResult,
    *,
    as_of: str,
    profile: str | None,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
) -> str:
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


def _rule_titles(changes: Sequence[Change]) -> dict[str, str]:
    """The plain title of each rule the re-checks judged, by id (from their reports)."""
    titles: dict[str, str] = {}
    for c in changes:
        for finding in c.report.findings if c.report is not None else ():
            for outcome in finding.rules:
                titles.setdefault(outcome.id, short_title(outcome))
    return titles


def _titled(status: str, titles: dict[str, str], named: set[str]) -> str:
    """A status change (`name: RULE milestone before -> after`) with the rule's plain title
    after its id the first time the output names that rule."""
    name, colon, rest = status.rpartition(": ")
    rule_id, space, tail = rest.partition(" ")
    title = titles.get(rule_id)
    if not colon or not title or rule_id in named:
        return status
    named.add(rule_id)
    return f"{name}{colon}{rule_id} ({title}){space}{tail}"


def render_text(
    result: RecheckResult,
    *,
    as_of: str,
    profile: str | None,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
) -> str:
    """`--format text`: a table of the products (changed or not, verdict before and now,
    product, the date it was last audited as of, profile), what changed under each, and
    every line within `options.width`; a rule is named with its plain title the first time."""
    width = options.width
    changes = result.changes
    lines = fill(
        f"sbomcheck recheck as of {visible(as_of)}, profile {visible(profile or 'as recorded')}: "
        f"{sum(c.changed for c in changes)} of {plural(len(changes), 'product')} changed",
        width,
    )
    if not changes:
        return "\n".join(lines) + "\n"
    columns = [
        Column("", tuple("CHANGED" if c.changed else "same" for c in changes), 7),
        Column(
            "VERDICT",
            tuple(f"{c.previous_verdict.upper()} -> {c.verdict.upper()}" for c in changes),
            12,
        ),
        Column("PRODUCT", tuple(visible(c.product) for c in changes), 16, tier=1),
        Column("AUDITED AS OF", tuple(visible(c.previous_as_of) for c in changes), 10),
        Column("PROFILE", tuple(visible(c.profile) for c in changes), 6, optional=True),
    ]
    table = table_lines(columns, width, indent=0)
    titles, named = _rule_titles(changes), set[str]()
    lines.append("")
    if table:
        lines.append(table[0])
    for n, c in enumerate(changes, 1):
        if table:
            lines.append(table[n])
        else:
            lines += fill(
                f"{columns[0].cells[n - 1]}: {columns[1].cells[n - 1]}, {visible(c.product)} "
                f"(last audited as of {visible(c.previous_as_of)}; profile {visible(c.profile)})",
                width,
                hang=4,
            )
        said = [f"+ new finding: {f}" for f in c.new_findings]
        said += [f"- gone: {f}" for f in c.gone_findings]
        said += [f"~ {_titled(s, titles, named)}" for s in c.status_changes]
        if c.changed and c.data_changes:
            said.append(f"because: {'; '.join(c.data_changes)}")
        for line in said:
            lines += fill(visible(line), width, indent=2, hang=4)
    return "\n".join(lines) + "\n"


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


def render_markdown(
    result: RecheckResult,
    *,
    as_of: str,
    profile: str | None,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
) -> str:
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


def render_html(
    result: RecheckResult,
    *,
    as_of: str,
    profile: str | None,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
) -> str:
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


def render_recheck(
    result: RecheckResult,
    fmt: str,
    *,
    as_of: str,
    profile: str | None,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
) -> str:
    """Render in `fmt`, one of `RENDERERS` (`options.width`: the text's width)."""
    return RENDERERS[fmt](result, as_of=as_of, profile=profile, options=options)
