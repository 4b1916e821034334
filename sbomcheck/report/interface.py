"""The interface every output format implements."""

from __future__ import annotations

import abc
from dataclasses import dataclass

from sbomcheck.findings import Report

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


DEFAULT_RENDER_OPTIONS = RenderOptions()


class Formatter(abc.ABC):
    """Turns a `Report` into text; pure (no I/O, no clock)."""

    @abc.abstractmethod
    def render(self, report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS) -> str:
        """The whole output, ending with a newline."""
