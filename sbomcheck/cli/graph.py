"""`sbomcheck graph SBOM... --format dot|graphml|mermaid|json`: the component graph, findings
marked."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from sbomcheck.cli._common import (
    ExitCode,
    add_alias_options,
    add_output_option,
    positive_int,
    print_skipped,
    write_output,
)
from sbomcheck.errors import UsageError
from sbomcheck.safe_text import visible


def register(subparsers: Any) -> None:
    """Add the `graph` command."""
    p = subparsers.add_parser(
        "graph",
        help="export the component graph (dot, graphml, mermaid or json) with findings and "
        "paths marked",
        description="Read the SBOMs as `sbomcheck scan` does (linked documents form one "
        "graph) and write every element and typed edge, with the Kaspersky findings, their "
        "paths from the roots and the elements they affect marked. No rules are applied; "
        "see `sbomcheck help graph`.",
    )
    p.add_argument(
        "sboms",
        nargs="+",
        metavar="SBOM",
        help="SBOM file, directory, zip archive, or - for standard input",
    )
    p.add_argument(
        "--format",
        choices=tuple(_EXPORTERS),
        default="dot",
        help="output format (default: dot): dot (Graphviz), graphml, mermaid (for a ```mermaid "
        "block in GitHub Markdown; a large graph is cut to the paths to the findings), json "
        "(nodes, edges, findings; schema in sbomcheck/schema/graph.schema.json)",
    )
    add_output_option(p)
    add_alias_options(p)
    p.add_argument(
        "--max-paths",
        type=positive_int,
        default=20,
        metavar="N",
        help="paths marked per finding, shortest first (default: 20)",
    )
    p.set_defaults(func=run)


_EXPORTERS = {
    "dot": "to_dot",
    "graphml": "to_graphml",
    "mermaid": "to_mermaid",
    "json": "to_graph_json",
}
"""`--format` value -> function of `sbomcheck.report.graph_export` (imported when used)."""


def _exporter(fmt: str) -> Callable[[Any], str]:
    from sbomcheck.report import graph_export

    exporter: Callable[[Any], str] = getattr(graph_export, _EXPORTERS[fmt])
    return exporter


def run(args: argparse.Namespace) -> int:
    """Read, analyse, export; exit 0 (2 on bad input)."""
    from sbomcheck.bundle import load_inputs
    from sbomcheck.identify import load_catalogue
    from sbomcheck.scan import analyse

    if args.replace_aliases and not args.aliases:
        raise UsageError("--replace-aliases needs --aliases FILE")
    catalogue = load_catalogue(args.aliases, replace=args.replace_aliases)
    bundle = load_inputs(args.sboms)
    print_skipped(bundle.notes)
    analysis = analyse(bundle.documents, catalogue, max_paths=args.max_paths)
    text = _exporter(args.format)(analysis)
    write_output(args.output, text)
    for ref in analysis.unresolved:
        print(
            f"sbomcheck: unresolved: {visible(ref.document)}: {visible(ref.reference)}: "
            f"{visible(ref.reason)}",
            file=sys.stderr,
        )
    for key, warnings in analysis.graph.link_warnings.items():
        for warning in warnings:
            print(f"sbomcheck: warning: {key}: {warning.render()}", file=sys.stderr)
    return ExitCode.OK
