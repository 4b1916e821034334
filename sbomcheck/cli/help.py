"""`sbomcheck help [TOPIC]`: the documentation that ships with sbomcheck.

The topics are the pages of docs/ themselves (or sections of them), shipped in the wheel as
`sbomcheck/_docs/` (pyproject's force-include), so what `help` prints is what the repository
documents: there is no second copy to drift.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sbomcheck import _io
from sbomcheck.cli._common import ExitCode
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
        "who is asking: which rules bind (--profile, --jurisdiction, --model-year)",
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


def run(args: argparse.Namespace) -> int:
    """Print the topic, or the list of topics."""
    sys.stdout.write(topic_text(args.topic) if args.topic else topic_list())
    return ExitCode.OK
