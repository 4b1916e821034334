"""The interface every output format implements."""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from sbomcheck.findings import Report

if TYPE_CHECKING:
    # NOTE: a type only: importing the ingest package would load every reader for
    # commands that render without reading an SBOM (explain, rules, recheck).
    from sbomcheck.ingest.positions import Position

STDIN_NAME = "stdin.sbom"
"""The file name outputs that must name a file give standard input (`-`) by default."""

MIN_MAX_BYTES = 1024
"""The smallest `RenderOptions.max_bytes`: room for the verdict, the counts and a pointer."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RenderOptions:
    """What a formatter may vary on besides the report itself."""

    color: bool = False
    """ANSI colour (text only) on the verdict word, severities and confidence words; the
    CLI decides it from `--color`, `NO_COLOR`, `FORCE_COLOR`, `TERM` and the terminal."""
    width: int = 80
    """Columns every line of the text report fits in (at least 40 are used)."""
    details: bool = False
    """Text only: the full view (evidence, paths, every rule with its sources, rules that
    do not apply) after the short one (verdict, why, one line per finding)."""
    max_bytes: int | None = None
    """The most UTF-8 bytes the output may take (Markdown only; None: no limit). The
    formatter lists fewer entries, saying how many it left out, to stay within it; at least
    `MIN_MAX_BYTES`."""
    positions: Mapping[str, Position] = field(default_factory=dict)
    """Where each finding's component is written in its SBOM file, by finding id
    (`sbomcheck.ingest.positions.locate_findings`); only formatters with `uses_positions` read
    it, and the CLI computes it only for them."""
    stdin_name: str = STDIN_NAME
    """The file name standard input is reported under where a file must be named (SARIF:
    GitHub cannot place a result in `-`)."""
    category: str = ""
    """The analysis category (SARIF `automationDetails.id`: `sbomcheck/<profile>/<category>/`),
    so several uploads of one commit do not replace each other's results."""


DEFAULT_RENDER_OPTIONS = RenderOptions()


class Formatter(abc.ABC):
    """Turns a `Report` into text; pure (no I/O, no clock)."""

    uses_positions: ClassVar[bool] = False
    """True when `RenderOptions.positions` changes the output (it costs a second look at
    each SBOM with findings, so it is computed only then)."""

    @abc.abstractmethod
    def render(self, report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS) -> str:
        """The whole output, ending with a newline."""
