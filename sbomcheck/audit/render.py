"""Output of `sbomcheck audit`: text, JSON, Markdown and one HTML report for the batch
(SARIF, JUnit and CSV: `sbomcheck.audit.exports`).

One renderer per format, registered in `RENDERERS` (a new format is one function and one
entry). Pure functions of an `AuditResult` (no I/O, no clock), byte-stable: products are
listed in input order, vendors alphabetically. Every value from an SBOM or a file name
goes through the escaping every formatter shares (`sbomcheck.safe_text`): `visible` for
text, Markdown's `text` and `html_text` on top of it; JSON writes C1 and bidi characters as
`\\uXXXX`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sbomcheck.audit.runner import AuditedProduct, AuditResult
from sbomcheck.report._common import md_code as _md_code
from sbomcheck.report._common import md_text as _md_text
from sbomcheck.report._common import plural
from sbomcheck.report.interface import DEFAULT_RENDER_OPTIONS, RenderOptions
from sbomcheck.report.json import dumps
from sbomcheck.report.text import Column, fill, table_lines
from sbomcheck.safe_text import visible

AUDIT_SCHEMA = "https://sbomcheck.dev/schema/audit/1.0"


def _product_entry(p: AuditedProduct) -> dict[str, Any]:
    # NOTE: from the JSON report, so that a product decided now and one an interrupted
    # attempt of the run recorded (its report as stored) are written alike.
    data = p.report_dict()
    head = data["documents"][0]
    return {
        "path": head["path"],
        "sha256": head["sha256"],
        "format": head["format"],
        "spec_version": head["spec_version"],
        "product": head["product"],
        "supplier": head["supplier"],
        "verdict": data["verdict"],
        "verdict_reasons": list(data["verdict_reasons"]),
        "findings": data["findings"],
        "completeness": data["completeness"],
        "linked_documents": [d["path"] for d in data["documents"][1:]],
        "unresolved_references": data["unresolved_references"],
        "product_key": p.key,
    }


def audit_to_dict(result: AuditResult, *, as_of: str, profile: str) -> dict[str, Any]:
    """The JSON audit report: `{"sboms": [...], "summary": {...}, ...}`."""
    return {
        "schema": AUDIT_SCHEMA,
        "as_of": as_of,
        "profile": profile,
        "sboms": [_product_entry(p) for p in result.products],
        "unreadable": [{"path": f.path, "message": f.message} for f in result.failures],
        "summary": result.summary(),
        "run_id": result.run_id,
    }


def render_json(
    result: AuditResult,
    *,
    as_of: str,
    profile: str,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
) -> str:
    """`--format json`."""
    return dumps(audit_to_dict(result, as_of=as_of, profile=profile))


def _cell(value: object) -> str:
    """A table cell: the value on one line, made visible (`-` for none)."""
    return visible(" ".join(str(value if value is not None else "-").split()))


def _products_table(result: AuditResult, width: int) -> list[str]:
    """One row per product (a linked SBOM on a row of its own, `+ path`), fitted to `width`:
    paths shortened in the middle, so the file name stays; one wrapped line per product
    where even the narrowest table does not fit."""
    rows: list[tuple[str, str, str, str, str]] = []
    for p in result.products:
        e = _product_entry(p)
        rows.append(
            (
                e["verdict"].upper(),
                str(len(e["findings"])),
                _cell(e["product"]),
                _cell(e["supplier"]),
                visible(e["path"]),
            )
        )
        rows += [("", "", "", "", "+ " + visible(linked)) for linked in e["linked_documents"]]
    verdicts, counts, products, suppliers, paths = (
        tuple(column) for column in zip(*rows, strict=True)
    )
    columns = [
        Column("VERDICT", verdicts, max(map(len, verdicts))),
        Column("FIND", counts, 4, right=True),
        # NOTE: product names whole first, then suppliers, then the paths: they have the
        # rest, at least 24 columns, ending in the file name.
        Column("PRODUCT", products, 12, tier=1),
        Column("SUPPLIER", suppliers, 8, optional=True, tier=2),
        Column("PATH", paths, 24, tier=3, middle=True, marker="+ "),
    ]
    table = table_lines(columns, width, indent=0)
    if table is not None:
        return table
    lines: list[str] = []
    for verdict, count, product, supplier, path in rows:
        if not verdict:
            lines += fill(path, width, indent=2, hang=2)
            continue
        found = plural(int(count), "finding")
        lines += fill(f"{verdict}, {found}: {product} ({supplier}), {path}", width, hang=4)
    return lines


def render_text(
    result: AuditResult,
    *,
    as_of: str,
    profile: str,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
) -> str:
    """`--format text`: a table of the products (verdict, findings, product, supplier,
    SBOM), then totals and unreadable inputs; every line fits `options.width`."""
    width = options.width
    lines = fill(f"sbomcheck audit, as of {as_of}, profile {visible(profile)}", width)
    if result.products:
        lines += ["", *_products_table(result, width)]
    s = result.summary()
    counts = ", ".join(f"{v} {k}" for k, v in s["verdicts"].items())
    lines.append("")
    lines += fill(
        f"{plural(s['products'], 'product')} from {plural(s['sboms'], 'SBOM')}: {counts}; "
        f"{plural(s['findings'], 'finding')}",
        width,
    )
    if result.resumed:
        lines += fill(
            f"{plural(result.resumed, 'product')} recorded earlier in this resumed run "
            "(counted as recorded)",
            width,
        )
    if result.failures:
        lines += fill(f"{plural(len(result.failures), 'input')} could not be read:", width)
        for f in result.failures:
            lines += fill(f"{visible(f.path)}: {visible(f.message)}", width, indent=2, hang=2)
    return "\n".join(lines) + "\n"


def _md(value: object) -> str:
    # NOTE: `text` shows newlines and controls as escapes, so a value stays in its cell.
    return _md_text(str(value if value is not None else "-"))


def render_markdown(
    result: AuditResult,
    *,
    as_of: str,
    profile: str,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
) -> str:
    """`--format markdown`: a summary table for a CI job summary or a ticket."""
    s = result.summary()
    counts = ", ".join(f"{v} {k}" for k, v in s["verdicts"].items())
    out = [
        f"## sbomcheck audit: {s['products']} products ({counts})",
        "",
        f"As of {as_of}, profile `{profile}`.",
        "",
        "| Verdict | Findings | Product | Supplier | SBOM |",
        "|---|---:|---|---|---|",
    ]
    for p in result.products:
        e = _product_entry(p)
        out.append(
            f"| **{e['verdict'].upper()}** | {len(e['findings'])} | {_md(e['product'])} | "
            f"{_md(e['supplier'])} | {_md_code(e['path'], table=True)} |"
        )
    if result.failures:
        out += ["", f"### {len(result.failures)} unreadable inputs", ""]
        out += [f"- {_md_code(f.path)}: {_md(f.message)}" for f in result.failures]
    return "\n".join(out) + "\n"


def render_html(
    result: AuditResult,
    *,
    as_of: str,
    profile: str,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
) -> str:
    """`--format html`: one self-contained report in the design every HTML report shares,
    with the table of SBOMs and a section per vendor (`sbomcheck.audit.html`)."""
    from sbomcheck.audit.html import render_audit_html

    return render_audit_html(result, as_of=as_of, profile=profile)


def render_sarif(
    result: AuditResult,
    *,
    as_of: str,
    profile: str,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
) -> str:
    """`--format sarif`: one run over every product's findings (`sbomcheck.audit.exports`)."""
    from sbomcheck.audit.exports import audit_sarif

    return audit_sarif(result, as_of=as_of, profile=profile, options=options)


def render_junit(
    result: AuditResult,
    *,
    as_of: str,
    profile: str,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
) -> str:
    """`--format junit`: one test suite per SBOM (`sbomcheck.audit.exports`)."""
    from sbomcheck.audit.exports import audit_junit

    return audit_junit(result, as_of=as_of, profile=profile)


def render_csv(
    result: AuditResult,
    *,
    as_of: str,
    profile: str,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
) -> str:
    """`--format csv`: a row per finding and rule, per clean product, per unreadable input
    (`sbomcheck.audit.exports`)."""
    from sbomcheck.audit.exports import audit_csv

    return audit_csv(result, as_of=as_of, profile=profile)


RENDERERS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "html": render_html,
    "sarif": render_sarif,
    "junit": render_junit,
    "csv": render_csv,
}
"""One renderer per `--format`, each `(result, *, as_of, profile, options) -> str`."""


def render(
    result: AuditResult,
    fmt: str,
    *,
    as_of: str,
    profile: str,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
) -> str:
    """Render in `fmt`, one of `RENDERERS` (text, json, markdown, html, sarif, junit, csv).
    `options`: the text's width; SARIF's positions, category and standard input's name."""
    return RENDERERS[fmt](result, as_of=as_of, profile=profile, options=options)
