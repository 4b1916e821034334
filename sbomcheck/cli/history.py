"""`sbomcheck history [--db FILE] [SBOM or sha256]`: past verdicts for a product."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sbomcheck._io import SBOM_MAX_BYTES, sha256_bounded
from sbomcheck.cli._common import ExitCode, add_output_option, text_width, write_output
from sbomcheck.safe_text import visible

if TYPE_CHECKING:
    from sbomcheck.audit.ledger import AuditRecord

DEFAULT_DB = "sbomcheck-ledger.db"


def register(subparsers: Any) -> None:
    """Add the `history` command."""
    p = subparsers.add_parser(
        "history",
        help="past audit verdicts from the ledger",
        description="List recorded audits, all of them or those of one product (given as an "
        "SBOM file, its sha256, its path as audited, or its product name).",
    )
    p.add_argument("product", nargs="?", metavar="SBOM|SHA256", help="which product")
    p.add_argument(
        "--db", default=DEFAULT_DB, metavar="FILE", help=f"ledger (default {DEFAULT_DB})"
    )
    p.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="output format (default: text); csv: one row per audit, the columns of json",
    )
    add_output_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the history."""
    from sbomcheck.audit.ledger import Ledger
    from sbomcheck.errors import UsageError
    from sbomcheck.report.json import dumps

    if not Path(args.db).exists():
        raise UsageError(f"{args.db}: no such ledger (run `sbomcheck audit --db {args.db}` first)")
    selector = args.product
    if selector and Path(selector).is_file():
        selector = sha256_bounded(selector, SBOM_MAX_BYTES)
    # NOTE: read-only (SQLite mode=ro): history never changes the ledger, and reads one it
    # may not write (a read-only file or directory, an archived copy).
    with Ledger(args.db, readonly=True) as ledger:
        records = ledger.history(selector)
    audits = [
        {
            "id": r.id,
            "run": r.run_id,
            "kind": r.kind,
            "recorded_at": r.recorded_at,
            "path": r.path,
            "sha256": r.sha256,
            "product": r.product,
            "supplier": r.supplier,
            "verdict": r.verdict,
            "findings": r.findings,
            "as_of": r.as_of,
            "profile": r.profile,
            "jurisdictions": (list(r.jurisdictions) if r.jurisdictions is not None else None),
            "model_year": r.model_year,
            "tool_version": r.tool_version,
            "catalogue_sha256": r.catalogue_sha256,
            "rules_sha256": r.rules_sha256,
        }
        for r in records
    ]
    if args.format == "json":
        text = dumps({"audits": audits})
    elif args.format == "csv":
        text = _csv(audits)
    else:
        text = _text(records, args.product, text_width(args.output))
    write_output(args.output, text)
    return ExitCode.OK


def _text(records: Sequence[AuditRecord], product: str | None, width: int) -> str:
    """One row per recorded audit, fitted to `width`: the product shortened at its end, the
    profile left out first where the width is too small for it."""
    from sbomcheck.report._common import plural
    from sbomcheck.report.text import Column, fill, table_lines

    if not records:
        return (
            "\n".join(fill(f"(no audits recorded{f' for {product}' if product else ''})", width))
            + "\n"
        )
    recorded = tuple(r.recorded_at[:16].replace("T", " ") for r in records)
    products = tuple(visible(r.product or r.path) for r in records)
    verdicts = tuple(r.verdict.upper() for r in records)
    kinds = tuple(r.kind for r in records)
    columns = [
        Column("ID", tuple(str(r.id) for r in records), 2, right=True),
        # NOTE: to the minute; the JSON and CSV keep the seconds and the zone.
        Column("RECORDED", recorded, 16),
        Column("KIND", kinds, max(map(len, kinds))),
        Column("AS OF", tuple(r.as_of for r in records), 10),
        Column("PROFILE", tuple(visible(r.profile) for r in records), 6, optional=True),
        Column("VERDICT", verdicts, max(map(len, verdicts))),
        Column("FIND", tuple(str(r.findings) for r in records), 4, right=True),
        Column("PRODUCT", products, 16, tier=1),
    ]
    lines = table_lines(columns, width, indent=0, gap=1)
    if lines is None:
        lines = []
        for r, when, name in zip(records, recorded, products, strict=True):
            lines += fill(
                f"{r.id}: {r.verdict.upper()}, {plural(r.findings, 'finding')}, {name} "
                f"({r.kind} as of {r.as_of}, profile {visible(r.profile)}, recorded {when})",
                width,
                hang=4,
            )
    return "\n".join(lines) + "\n"


HISTORY_CSV_COLUMNS = (
    "id",
    "run",
    "kind",
    "recorded_at",
    "path",
    "sha256",
    "product",
    "supplier",
    "verdict",
    "findings",
    "as_of",
    "profile",
    "jurisdictions",
    "model_year",
    "tool_version",
    "catalogue_sha256",
    "rules_sha256",
)
"""`history --format csv`: the keys of `--format json`, in its order."""


def _csv(audits: list[dict[str, Any]]) -> str:
    """One row per recorded audit (oldest first, as json); jurisdictions space-separated, a
    missing value empty; cells made safe as every CSV output's (`sbomcheck.report.csv`)."""
    from sbomcheck.report.csv import csv_text

    def value(audit: dict[str, Any], key: str) -> object:
        item = audit[key]
        return " ".join(item) if isinstance(item, list) else item

    return csv_text(
        HISTORY_CSV_COLUMNS, ([value(a, key) for key in HISTORY_CSV_COLUMNS] for a in audits)
    )
