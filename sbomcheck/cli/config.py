"""`sbomcheck config`: the effective settings and where each came from."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sbomcheck.cli._common import ExitCode
from sbomcheck.cli._config import SETTINGS, Configuration, Resolved, Source
from sbomcheck.cli._outputs import OutputSpec
from sbomcheck.safe_text import visible


def register(subparsers: Any) -> None:
    """Add the `config` command (after `scan`, whose setting options it shares)."""
    p = subparsers.add_parser(
        "config",
        help="show the effective settings and where each came from",
        description="Show each setting (profile, fail-on, waivers, aliases, rules, "
        "jurisdiction, model-year, and the format and output of scan and audit), its value "
        "and where it came from: a flag, an SBOMCHECK_* variable, the settings file "
        "(.sbomcheck.toml or [tool.sbomcheck] in pyproject.toml, found from the current "
        "directory up to the repository root), a waivers file found by itself, or the "
        "built-in default. Flags given here are shown as a command would take them. "
        "See `sbomcheck help config`.",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    shared = {s.dest for s in SETTINGS if s.command is None}
    for action in subparsers.choices["scan"]._actions:
        if action.dest in shared:
            # NOTE: the very options of `scan` (the same objects, as argparse's `parents=`
            # shares them), so that their help and checks cannot drift.
            p._add_action(action)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the settings; a bad settings file or variable is an input error (exit 2)."""
    configuration: Configuration = args.configuration
    text = render_json(configuration) if args.format == "json" else render_text(configuration)
    sys.stdout.write(text)
    return ExitCode.OK


def _json_value(value: Any) -> Any:
    if isinstance(value, Path | OutputSpec):
        return str(value)
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


def render_json(configuration: Configuration) -> str:
    """`{"file": ..., "ignored": ..., "settings": [{"name", "value", "source", "origin",
    "location", "env"}, ...]}`, settings in a fixed order."""
    from sbomcheck.report.json import dumps

    return dumps(
        {
            "file": configuration.file,
            "ignored": configuration.ignored,
            "settings": [
                {
                    "name": r.setting.name,
                    "value": _json_value(r.value),
                    "source": r.source.value,
                    "origin": r.origin,
                    "location": r.location,
                    "env": r.setting.env,
                }
                for r in configuration.settings
            ],
        }
    )


def _text_value(value: Any) -> str:
    if value is None or value == []:
        return "-"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _from(r: Resolved) -> str:
    if r.source is Source.DEFAULT:
        return "default"
    if r.source is Source.FOUND:
        return "found by itself"
    if r.source is Source.FILE and r.location != r.setting.name:
        return f"file {r.origin} ({r.location})"  # [tool.sbomcheck] in a pyproject.toml
    return f"{r.source.value} {r.origin}"


def render_text(configuration: Configuration) -> str:
    """A table of setting, value and origin, under the settings file's name."""
    if configuration.ignored:
        head = "settings file: none (--no-config)"
    elif configuration.file is None:
        head = "settings file: none found here or above (up to the repository root)"
    else:
        head = f"settings file: {configuration.file}"
    rows = [("SETTING", "VALUE", "FROM")]
    rows += [(r.setting.name, _text_value(r.value), _from(r)) for r in configuration.settings]
    name_width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    lines = [head, ""]
    lines += [f"{n:<{name_width}}  {v:<{value_width}}  {f}".rstrip() for n, v, f in rows]
    lines += [
        "",
        "precedence: flag > SBOMCHECK_* variable > settings file > default",
    ]
    # NOTE: values and file names may come from anywhere; shown, never sent to the terminal.
    return "\n".join(visible(line) for line in lines) + "\n"
