"""`sbomcheck explain TEXT`: how a value is normalised and which catalogue rows it matches."""

from __future__ import annotations

import argparse
import re
import textwrap
from typing import Any

from sbomcheck.cli._common import (
    ExitCode,
    add_alias_options,
    add_output_option,
    text_width,
    write_output,
)
from sbomcheck.errors import UsageError
from sbomcheck.identify import load_catalogue
from sbomcheck.identify.explain import FIELDS, Explanation, explain
from sbomcheck.json_form import json_form
from sbomcheck.report._common import visible

_FIELD_HELP = "; ".join(f"{k}: {v}" for k, v in FIELDS.items())


def register(subparsers: Any) -> None:
    """Add the `explain` command."""
    p = subparsers.add_parser(
        "explain",
        help="show how a value is normalised and which alias rows it matches, or why none",
        description="Show step by step how sbomcheck normalises TEXT (NFKC, case, marks, "
        "look-alike letters, transliteration, legal forms, tokens, split words) and which "
        "catalogue rows it matches in FIELD, with the confidence a finding would get, or why "
        "there is none (no gate word; a gate word but no row; a negative row). Exit code 0 "
        "whatever the result. See `sbomcheck help aliases`.",
    )
    p.add_argument("text", metavar="TEXT", help="the value, as it appears in an SBOM")
    p.add_argument(
        "--field",
        choices=tuple(FIELDS),
        default="name",
        metavar="FIELD",
        help=f"where the value sits (default: name). {_FIELD_HELP}",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    add_alias_options(p)
    add_output_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Explain the value; only a bad alias file or usage is an error (exit 2)."""
    if args.replace_aliases and not args.aliases:
        raise UsageError("--replace-aliases needs --aliases FILE")
    catalogue = load_catalogue(args.aliases, replace=args.replace_aliases)
    result = explain(args.text, args.field, catalogue)
    if args.format == "json":
        text = render_json(result)
    else:
        text = render_text(result, text_width(args.output))
    write_output(args.output, text)
    return ExitCode.OK


def _tokens(tokens: tuple[str, ...] | list[str]) -> str:
    return " | ".join(visible(t) for t in tokens) if tokens else "(none)"


def render_json(e: Explanation) -> str:
    """`--format json`: the steps, the gate, the matches (each evidence entry in its JSON
    form plus the strength it counts with), the negative rows and the result."""
    t = e.trace
    data = {
        "text": e.text,
        "field": e.field,
        "steps": {
            "nfkc": t.nfkc,
            "casefold": t.casefolded,
            "plain": list(t.plain),
            "words": [
                {"word": w, "steps": [{"step": s, "result": r} for s, r in steps]}
                for w, steps in t.words
            ],
            "legal_forms": list(t.legal_forms),
            "full": list(t.folded.full),
            "split": list(t.folded.split),
        },
        "gate": {"ascii": e.ascii, "words": list(e.gate_words), "passes": e.passes_gate},
        "matches": [
            {**json_form(evidence), "strength": strength}
            for evidence, strength in zip(e.evidence, e.strengths, strict=True)
        ],
        "negative": [
            {"alias": r.alias, "kind": r.kind, "source": r.source, "line": r.line}
            for r in e.negatives
        ],
        "result": {"confidence": e.confidence, "canonical": e.canonical} if e.confidence else None,
        "reason": e.reason,
    }
    from sbomcheck.report.json import dumps  # loaded only for --format json (start-up)

    return dumps(data)


def render_text(e: Explanation, width: int = 80) -> str:
    """The explanation for people, fitted to `width` columns; every value from the input
    goes through `visible`."""
    t = e.trace
    lines = [
        f"value       {visible(e.text)}",
        f"field       {e.field}: {FIELDS[e.field]}",
        "",
        "normalisation",
        f"  NFKC        {visible(t.nfkc)}",
        f"  case fold   {visible(t.casefolded)}",
        f"  plain       {_tokens(t.plain)}",
    ]
    for word, steps in t.words:
        chain = " -> ".join(f"{visible(r)} ({s})" for s, r in steps)
        lines.append(f"  word        {visible(word)} -> {chain}")
    lines.append(f"  legal forms {_tokens(t.legal_forms)}")
    lines.append(f"  full        {_tokens(t.folded.full)}")
    lines.append(f"  split       {_tokens(t.folded.split)}")
    lines.append("")
    if not e.ascii:
        gate = "not plain ASCII: the matchers always read it"
    elif e.passes_gate:
        gate = f"passes on {', '.join(visible(w) for w in e.gate_words)}"
    else:
        gate = "no gate word: the matchers never read it"
    lines.append(f"gate        {gate}")
    lines.append("matches")
    if not e.evidence:
        lines.append("  (none)")
    for ev, strength in zip(e.evidence, e.strengths, strict=True):
        weak = ", weak" if ev.weak else ""
        lines.append(
            f"  {visible(ev.field)} ~ {visible(ev.alias)} ({visible(ev.kind)}, "
            f"row {visible(ev.confidence)}{weak}) {visible(ev.method)} -> {strength}"
        )
        lines.append(f"      {visible(ev.canonical)}; source {visible(ev.source)}")
        if ev.note:
            lines.append(f"      note: {visible(ev.note)}")
    lines.extend(
        f"  negative row {visible(row.alias)} ({visible(row.kind)}, line {row.line}): not Kaspersky"
        for row in e.negatives
    )
    result = f"{e.confidence}: {visible(e.canonical)}" if e.confidence else "no finding"
    lines += ["", f"result      {result}", f"why         {visible(e.reason)}"]
    return "".join(_fit_line(line, width) + "\n" for line in lines)


_LABELLED = re.compile(r"^(\s*\S+(?: \S+)?\s{2,}|\s+)")


def _fit_line(line: str, width: int) -> str:
    """One line wrapped at `width`, continued under its value (after the label's column);
    a word longer than the line (a URL) stays whole."""
    if len(line) <= width:
        return line
    label = _LABELLED.match(line)
    hang = " " * (len(label.group(1)) if label else 4)
    return "\n".join(
        textwrap.wrap(
            line,
            width=width,
            subsequent_indent=hang,
            break_long_words=False,
            break_on_hyphens=False,
        )
    )
