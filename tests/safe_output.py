"""What "no raw control or bidi character" means in a test, and the formats each command has.

`command_formats` reads the `--format` choices from the CLI's own parser, so a test that
iterates over them cannot forget a format added later.
"""

from __future__ import annotations

import argparse
import re

from sbomcheck.cli import build_parser

RAW_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
"""Characters no output may carry raw: C0 controls but the newline (ESC, BEL, CR, tab...),
DEL, C1 controls, bidi marks, embeddings, overrides and isolates, line and paragraph
separators, zero-width characters."""


def csv_records(text: str) -> str:
    """CSV text (RFC 4180: each record ends with CRLF) with its line ends as `\n`, after
    checking that every CR is one: the format's own CRs are not SBOM text, any other is."""
    assert text.count("\r") == text.count("\r\n"), "a CR that does not end a CSV record"
    return text.replace("\r\n", "\n")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """Every subcommand's parser, by name."""
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def command_formats(command: str) -> list[str]:
    """The `--format` choices of `command` ([""] for a command without `--format`)."""
    sub = subcommands()[command]
    for action in sub._actions:
        if "--format" in action.option_strings:
            assert action.choices is not None
            return [str(c) for c in action.choices]
    return [""]
