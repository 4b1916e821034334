"""`sbomcheck help [TOPIC]`: the documentation that ships with sbomcheck.

The topics are the pages of docs/ themselves (or sections of them), shipped in the wheel as
`sbomcheck/_docs/` (pyproject's force-include), so what `help` prints is what the repository
documents: there is no second copy to drift.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sbomcheck import _io
from sbomcheck.cli._common import ExitCode, text_width
from sbomcheck.errors import UsageError


@dataclass(frozen=True, slots=True)
class Topic:
    """A page of docs/, or some of its `## ` sections (by the start of their headings)."""

    page: str
    summary: str
    sections: tuple[str, ...] = ()


TOPICS: dict[str, Topic] = {
    "config": Topic("config.md", "settings files, SBOMCHECK_* variables, completion"),
    "exit-codes": Topic("exit-codes.md", "what every exit code of every command means"),
    "formats": Topic("formats.md", "the output formats of scan: text, json, sarif, ..."),
    "profiles": Topic(
        "policy.md",
        "which rules bind whom: --profile, --jurisdiction, --model-year",
        ("Profiles", "Jurisdictions", "Model years"),
    ),
    "waivers": Topic("policy.md", "accepting a finding until a date (--waivers)", ("Waivers",)),
    "policy": Topic("policy.md", "rules by date, profiles, waivers, verdicts, completeness"),
    "aliases": Topic("aliases.md", "the alias catalogue, normalisation and matching"),
    "attestation": Topic("attestation.md", "signed attestations: attest and verify"),
    "graph": Topic("graph.md", "roots, edges, paths and linked documents"),
}


def register(subparsers: Any) -> None:
    """Add the `help` command."""
    p = subparsers.add_parser(
        "help",
        help="print a documentation topic (sbomcheck help lists them)",
        description="Print a topic of the documentation shipped with sbomcheck, or list the "
        "topics. Each command also has --help.",
    )
    p.add_argument(
        "topic", nargs="?", choices=tuple(TOPICS), metavar="TOPIC", help="; ".join(TOPICS)
    )
    p.set_defaults(func=run)


def page_path(page: str) -> Path:
    """Where a page is: in the wheel (`sbomcheck/_docs`) or the checkout's `docs/`."""
    packaged = _io.PACKAGE_DIR / "_docs" / page
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "docs" / page


def topic_text(name: str) -> str:
    """The text of topic `name`: its page, or only its sections."""
    topic = TOPICS[name]
    path = page_path(topic.page)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise UsageError(f"help {name}: {path}: cannot read: {e.strerror or e}") from None
    if not topic.sections:
        return text
    return "\n".join(section(text, heading) for heading in topic.sections)


def section(text: str, heading: str) -> str:
    """The `## ` section whose heading starts with `heading`, up to the next `## ` or `# `.

    Raises `LookupError` when there is none (a test checks every topic, so a renamed heading
    fails there, not in a user's terminal)."""
    lines = text.splitlines(keepends=True)
    for start, line in enumerate(lines):
        if line.startswith(f"## {heading}"):
            end = next(
                (i for i in range(start + 1, len(lines)) if lines[i].startswith(("## ", "# "))),
                len(lines),
            )
            return "".join(lines[start:end])
    raise LookupError(f"no section {heading!r}")


def topic_list() -> str:
    """What `sbomcheck help` prints."""
    width = max(len(name) for name in TOPICS)
    lines = ["usage: sbomcheck help TOPIC", "", "topics:"]
    lines += [f"  {name:<{width}}  {t.summary}" for name, t in sorted(TOPICS.items())]
    lines += ["", "Every command also has --help (sbomcheck scan --help)."]
    return "\n".join(lines) + "\n"


_FENCE = re.compile(r"^\s*(```|~~~)")
_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+")


def fit_markdown(text: str, width: int) -> str:
    """A Markdown page made to fit `width` columns in a terminal.

    Paragraphs and list items are wrapped again at `width` (words are never split, so a URL
    or a path longer than the line stays whole on a line of its own); a table wider than
    `width` becomes one block per row, "column: cell" on each line; headings, blank lines and
    code blocks stay as written, so a command in them can still be copied."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            end = _block_end(lines, i + 1, lambda s: not _FENCE.match(s)) + 1
            out += lines[i:end]
        elif line.lstrip().startswith("|"):
            end = _block_end(lines, i, lambda s: s.lstrip().startswith("|"))
            out += _fit_table(lines[i:end], width)
        elif not line.strip() or line.startswith("#"):
            end = i + 1
            out.append(line)
        else:
            end = _block_end(lines, i + 1, _continues_paragraph)
            out += _fit_paragraph(lines[i:end], width)
        i = end
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def _block_end(lines: list[str], start: int, belongs: Callable[[str], bool]) -> int:
    end = start
    while end < len(lines) and belongs(lines[end]):
        end += 1
    return end


def _continues_paragraph(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not (
        line.startswith("#") or stripped.startswith("|") or _FENCE.match(line) or _ITEM.match(line)
    )


def _fit_paragraph(lines: list[str], width: int) -> list[str]:
    item = _ITEM.match(lines[0])
    first = item.group(0) if item else lines[0][: len(lines[0]) - len(lines[0].lstrip())]
    words = " ".join(line.strip() for line in lines)[len(first.strip()) if item else 0 :]
    return textwrap.wrap(
        words.strip(),
        width=width,
        initial_indent=first,
        subsequent_indent=" " * len(first),
        break_long_words=False,
        break_on_hyphens=False,
    ) or [lines[0]]


def _fit_table(rows: list[str], width: int) -> list[str]:
    if max(len(row) for row in rows) <= width:
        return rows
    cells = [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows]
    header, body = cells[0], [r for r in cells[1:] if not all(set(c) <= set("-: ") for c in r)]
    out: list[str] = []
    for row in body:
        for name, cell in zip(header, row, strict=False):
            label = f"{name}: " if name else ""
            out += textwrap.wrap(
                cell or "-",
                width=width,
                initial_indent=f"  {label}" if out and out[-1] != "" else f"- {label}",
                subsequent_indent="    ",
                break_long_words=False,
                break_on_hyphens=False,
            )
        out.append("")
    return out[:-1]


def run(args: argparse.Namespace) -> int:
    """Print the topic fitted to the terminal's width, or the list of topics."""
    if args.topic:
        sys.stdout.write(fit_markdown(topic_text(args.topic), text_width(None)))
    else:
        sys.stdout.write(topic_list())
    return ExitCode.OK
