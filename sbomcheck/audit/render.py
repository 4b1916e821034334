"""Output of `sbomcheck audit`: text, JSON, Markdown and one HTML report for the batch
(SARIF, JUnit and CSV: `sbomcheck.audit.exports`).

Pure functions of an `AuditResult` (no I/O, no clock), byte-stable: products are listed in
input order, vendors alphabetically. Every value from an SBOM or a file name goes through the
escaping every formatter shares (`sbomcheck.safe_text`): `visible` for text, Markdown's
`text` and `html_text` on top of it; JSON writes C1 and bidi characters as `\\uXXXX`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sbomcheck.audit.runner import AuditedProduct, AuditResult
from sbomcheck.report._common import md_code as _md_code
from sbomcheck.report._common import md_text as _md_text
from sbomcheck.report.json import dumps
from sbomcheck.safe_text import html_text, visible

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


def render_json(result: AuditResult, *, as_of: str, profile: str) -> str:
    """`--format json`."""
    return dumps(audit_to_dict(result, as_of=as_of, profile=profile))


def _cell(value: object, width: int) -> str:
    text = visible(" ".join(str(value if value is not None else "-").split()))
    return text if len(text) <= width else text[: width - 1] + "~"


def render_text(result: AuditResult, *, as_of: str, profile: str) -> str:
    """`--format text`: one line per product, then totals and unreadable inputs."""
    lines = [f"sbomcheck audit, as of {as_of}, profile {profile}", ""]
    header = f"{'VERDICT':<13} {'FIND':>4}  {'PRODUCT':<24} {'SUPPLIER':<18} PATH"
    lines.append(header)
    lines.append("-" * min(len(header) + 20, 100))
    for p in result.products:
        e = _product_entry(p)
        lines.append(
            f"{e['verdict'].upper():<13} {len(e['findings']):>4}  {_cell(e['product'], 24):<24} "
            f"{_cell(e['supplier'], 18):<18} {visible(e['path'])}"
        )
        lines.extend(f"{'':<43} {'':<18}   + {visible(linked)}" for linked in e["linked_documents"])
    s = result.summary()
    counts = ", ".join(f"{v} {k}" for k, v in s["verdicts"].items())
    lines += [
        "",
        f"{s['products']} products from {s['sboms']} SBOMs: {counts}; {s['findings']} findings",
    ]
    if result.resumed:
        lines.append(
            f"{result.resumed} products recorded earlier in this resumed run (counted as recorded)"
        )
    if result.failures:
        lines.append(f"{len(result.failures)} inputs could not be read:")
        lines += [f"  {visible(f.path)}: {visible(f.message)}" for f in result.failures]
    return "\n".join(lines) + "\n"


def _md(value: object) -> str:
    # NOTE: `text` shows newlines and controls as escapes, so a value stays in its cell.
    return _md_text(str(value if value is not None else "-"))


def render_markdown(result: AuditResult, *, as_of: str, profile: str) -> str:
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


_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#111;max-width:1100px}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}
th,td{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eee}.fail{color:#a00;font-weight:bold}.warn{color:#a60;font-weight:bold}
.pass{color:#070;font-weight:bold}.indeterminate{color:#555;font-weight:bold}
section.vendor{page-break-before:always}code{font-size:12px}
@media print{body{margin:0}a{color:#000}}
"""


def render_html(result: AuditResult, *, as_of: str, profile: str) -> str:
    """`--format html`: one self-contained report, with a section per vendor."""
    e = html_text
    s = result.summary()
    counts = ", ".join(f"{v} {k}" for k, v in s["verdicts"].items())
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">",
        f"<title>sbomcheck audit {e(as_of)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Kaspersky technology audit: {s['products']} products</h1>",
        f"<p>As of <b>{e(as_of)}</b>, profile <b>{e(profile)}</b>. {e(counts)}; "
        f"{s['findings']} findings; {s['unreadable']} unreadable inputs.</p>",
        "<table><tr><th>Verdict</th><th>Findings</th><th>Product</th><th>Supplier</th>"
        "<th>SBOM</th></tr>",
    ]
    by_vendor: dict[str, list[AuditedProduct]] = defaultdict(list)
    for p in result.products:
        entry = _product_entry(p)
        by_vendor[entry["supplier"] or "(supplier not stated)"].append(p)
        v = entry["verdict"]
        parts.append(
            f"<tr><td class='{e(v)}'>{e(v.upper())}</td><td>{len(entry['findings'])}</td>"
            f"<td>{e(entry['product'] or '-')}</td><td>{e(entry['supplier'] or '-')}</td>"
            f"<td><code>{e(entry['path'])}</code></td></tr>"
        )
    parts.append("</table>")
    if result.failures:
        parts.append("<h2>Unreadable inputs</h2><ul>")
        parts += [f"<li><code>{e(f.path)}</code>: {e(f.message)}</li>" for f in result.failures]
        parts.append("</ul>")
    for vendor in sorted(by_vendor):
        parts.append(f"<section class='vendor'><h2>Vendor: {e(vendor)}</h2>")
        for p in by_vendor[vendor]:
            parts.append(_product_html(_product_entry(p)))
        parts.append("</section>")
    parts.append("</body></html>\n")
    return "".join(parts)


def _product_html(entry: dict[str, Any]) -> str:
    e = html_text
    v = entry["verdict"]
    out = [
        f"<h3>{e(entry['product'] or entry['path'])}: <span class='{e(v)}'>"
        f"{e(v.upper())}</span></h3>",
        f"<p><code>{e(entry['path'])}</code> ({e(entry['format'])} {e(entry['spec_version'])}), "
        f"sha256 <code>{e(entry['sha256'][:16])}...</code></p>",
    ]
    if entry["verdict_reasons"]:
        out.append("<ul>" + "".join(f"<li>{e(r)}</li>" for r in entry["verdict_reasons"]) + "</ul>")
    for f in entry["findings"]:
        comp = f["component"]
        out.append(
            f"<h4>{e(comp['name'])} {e(comp.get('version') or '')}: "
            f"{e(f['match']['canonical'])} ({e(f['match']['confidence'])})</h4>"
        )
        out.append("<table><tr><th>Field</th><th>Value</th><th>Alias</th><th>Source</th></tr>")
        for ev in f["evidence"]:
            source = ev["source"]
            link = (
                f"<a href='{e(source)}'>{e(source)}</a>"
                if source.startswith(("https://", "http://"))
                else e(source)
            )
            out.append(
                f"<tr><td>{e(ev['field'])}</td><td>{e(ev['value'])}</td>"
                f"<td>{e(ev['alias'])} ({e(ev['kind'])})</td><td>{link}</td></tr>"
            )
        out.append("</table>")
        if f["paths"]:
            out.append("<p>Paths:</p><ul>")
            out += [f"<li><code>{e(' > '.join(path))}</code></li>" for path in f["paths"]]
            out.append("</ul>")
    if entry["linked_documents"]:
        out.append(
            "<p>Linked SBOMs: "
            + ", ".join(f"<code>{e(d)}</code>" for d in entry["linked_documents"])
            + "</p>"
        )
    c = entry["completeness"]
    if c:
        out.append(
            f"<p>Completeness: supplier {c['with_supplier']:.0%}, purl/CPE "
            f"{c['with_purl_or_cpe']:.0%}, hashes {c['with_hashes']:.0%}, relationships "
            f"{'yes' if c['has_relationships'] else 'no'}.</p>"
        )
    return "".join(out)


def render_sarif(result: AuditResult, *, as_of: str, profile: str) -> str:
    """`--format sarif`: one run over every product's findings (`sbomcheck.audit.exports`)."""
    from sbomcheck.audit.exports import audit_sarif

    return audit_sarif(result, as_of=as_of, profile=profile)


def render_junit(result: AuditResult, *, as_of: str, profile: str) -> str:
    """`--format junit`: one test suite per SBOM (`sbomcheck.audit.exports`)."""
    from sbomcheck.audit.exports import audit_junit

    return audit_junit(result, as_of=as_of, profile=profile)


def render_csv(result: AuditResult, *, as_of: str, profile: str) -> str:
    """`--format csv`: a row per finding and rule, per clean product, per unreadable input
    (`sbomcheck.audit.exports`)."""
    from sbomcheck.audit.exports import audit_csv

    return audit_csv(result, as_of=as_of, profile=profile)


def render(result: AuditResult, fmt: str, *, as_of: str, profile: str) -> str:
    """Render in `fmt` (text, json, markdown, html, sarif, junit, csv)."""
    if fmt == "sarif":
        return render_sarif(result, as_of=as_of, profile=profile)
    if fmt == "junit":
        return render_junit(result, as_of=as_of, profile=profile)
    if fmt == "csv":
        return render_csv(result, as_of=as_of, profile=profile)
    if fmt == "json":
        return render_json(result, as_of=as_of, profile=profile)
    if fmt == "markdown":
        return render_markdown(result, as_of=as_of, profile=profile)
    if fmt == "html":
        return render_html(result, as_of=as_of, profile=profile)
    return render_text(result, as_of=as_of, profile=profile)
