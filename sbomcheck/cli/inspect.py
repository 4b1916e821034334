"""`sbomcheck inspect FILE...`: what each document is and what reading it raised."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from sbomcheck.cli._common import (
    ExitCode,
    add_output_option,
    print_skipped,
    text_width,
    write_output,
)
from sbomcheck.errors import InputError
from sbomcheck.report.text import fill
from sbomcheck.safe_text import json_safe, visible

if TYPE_CHECKING:
    from sbomcheck.model import Document


def register(subparsers: Any) -> None:
    """Add the `inspect` command."""
    p = subparsers.add_parser(
        "inspect",
        help="show format, identity, counts and warnings of SBOM files",
        description="Read each SBOM (files, directories walked recursively, zip archives, or "
        "'-' for standard input, as `scan` reads them; format detected from content; gzip "
        "accepted) and show its format and spec version, identity, creation time and "
        "tools, root components, counts, external document references and every warning "
        "raised while reading. Every file that can be read is shown; then each one that "
        "cannot is named on stderr, and the exit code is 2.",
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="SBOM file, directory, zip archive, or - for stdin",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    add_output_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Inspect every file; any unreadable one is an input error (exit 2), reported after
    what could be read is shown."""
    from sbomcheck.ingest.sources import load_inputs_lenient

    bundle = load_inputs_lenient(args.files)
    print_skipped(bundle.notes)
    docs = bundle.documents
    if not docs and not bundle.failures:
        raise InputError("no SBOM documents found in the inputs", source=", ".join(args.files))
    if args.format == "json":
        import orjson

        text = (
            json_safe(
                orjson.dumps(
                    {"documents": [document_info(d) for d in docs]},
                    option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS,
                ).decode()
            )
            + "\n"
        )
    else:
        width = text_width(args.output)
        text = "".join(render_text(d, width) for d in docs)
    write_output(args.output, text)
    for failure in bundle.failures:
        print(f"sbomcheck: error: {failure.message}", file=sys.stderr)
    return ExitCode.ERROR if bundle.failures else ExitCode.OK


def _component_label(doc: Document, ref: str) -> str:
    from sbomcheck.model import component_columns

    refs = component_columns(doc.components).refs
    if ref in refs:
        return f"{ref} ({doc.components[refs.index(ref)].display_name})"
    return ref


def document_info(doc: Document) -> dict[str, Any]:
    """The JSON object `inspect` prints for one document."""
    return {
        "path": doc.path,
        "format": doc.format.value,
        "spec_version": doc.spec_version,
        "sha256": doc.sha256,
        "gzip": doc.gzip,
        "serial_number": doc.serial_number,
        "version": doc.version,
        "name": doc.name,
        "namespace": doc.namespace,
        "created": doc.created,
        "creators": list(doc.creators),
        "tools": list(doc.tools),
        "roots": list(doc.root_refs),
        "components": doc.component_count,
        "files": len(doc.files),
        "relationships": doc.relationship_count,
        "external_document_refs": [
            {
                "id": r.id,
                "uri": r.uri,
                "kind": r.kind,
                "checksum": f"{r.checksum.algorithm}:{r.checksum.value}" if r.checksum else None,
                "location": r.location,
            }
            for r in doc.external_refs
        ],
        "warnings": [
            {"code": w.code, "message": w.message, "location": w.location} for w in doc.warnings
        ],
    }


_LABEL = 17
"""Where values start: two columns of indent and the widest label (`external ref:`)."""


def _field(label: str, value: str, width: int) -> list[str]:
    """`  label:  value`, the value wrapped to `width` under its own column."""
    lines = fill(visible(value), width, indent=_LABEL, hang=0)
    lines[0] = f"  {label + ':':<{_LABEL - 2}}" + lines[0][_LABEL:]
    return lines


def render_text(doc: Document, width: int = 80) -> str:
    """A short human-readable block for one document, every line within `width` columns
    (a long value wraps under its column; a URL or ref breaks after a `/` or another
    separator)."""
    fields = [("format", f"{doc.format.value} {doc.spec_version}")]
    if doc.serial_number or doc.version is not None:
        fields.append(("serial", f"{doc.serial_number or '-'} (version {doc.version})"))
    if doc.name or doc.namespace:
        fields += [("name", doc.name or "-"), ("namespace", doc.namespace or "-")]
    fields.append(("created", doc.created or "-"))
    if doc.creators:
        fields.append(("creators", ", ".join(doc.creators)))
    if doc.tools:
        fields.append(("tools", ", ".join(doc.tools)))
    roots = ", ".join(_component_label(doc, r) for r in doc.root_refs) or "- (not stated)"
    fields.append(("roots", roots))
    fields.append(
        (
            "counts",
            f"{doc.component_count} components, {len(doc.files)} files, "
            f"{doc.relationship_count} relationships",
        )
    )
    for ref in doc.external_refs:
        check = f" [{ref.checksum.algorithm}:{ref.checksum.value[:12]}...]" if ref.checksum else ""
        fields.append(("external ref", f"{ref.id} -> {ref.uri}{check}"))
    fields += [("warning", w.render()) for w in doc.warnings]
    # NOTE: every value may come from the SBOM: controls and bidi shown as escapes.
    lines = fill(visible(doc.path), width, hang=4)
    for label, value in fields:
        lines += _field(label, value, width)
    return "\n".join(lines) + "\n\n"
