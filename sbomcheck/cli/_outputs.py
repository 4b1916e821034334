"""`-o/--output [FORMAT=]PATH`, repeatable: one run writes several outputs (`scan`, `audit`).

How the values combine (docs/scan.md, "Several outputs in one run"):

- `-o PATH` (or `--output PATH`: the same option) is the `--format` report, written to PATH,
  exactly as before; `-` is standard output.
- `--output FORMAT=PATH` (or `-o FORMAT=PATH`) writes FORMAT to PATH as well; it may be
  given once per output (`--output sarif=out.sarif --output markdown=summary.md`). A value
  is read as FORMAT=PATH only when the text before the first `=` is one of the command's
  formats; a value like `name=...` whose `name` is not one is refused rather than taken for
  a file name (a misspelt format must not write text to `sarf=out.sarif`): write
  `./name=...` for such a file.
- The `--format` report is written when a PATH without FORMAT= names its file, when
  `--format` is given on the command line (then, without such a PATH, to standard output),
  or when no output is named at all (to standard output, the default). So `--output
  sarif=out.sarif` alone writes only `out.sarif`, and `--format text --output
  sarif=out.sarif` writes both.
- The same file twice (through any name or link), more than one output to standard output,
  or more than one PATH without FORMAT= is a usage error (exit 2), found before anything is
  read; so is an output that names one of the command's inputs (`_common`).

The outputs are rendered from one scan, all before any is written: a run that fails to
render writes nothing, and each file is written atomically (`_common.output_stream`).
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sbomcheck.errors import UsageError
from sbomcheck.safe_text import visible

__all__ = [
    "OUTPUT_METAVAR",
    "Output",
    "OutputSpec",
    "add_outputs_option",
    "format_on_command_line",
    "output_spec_type",
    "resolve_outputs",
]

STDOUT = "-"
OUTPUT_METAVAR = "[FORMAT=]PATH"
_FORMAT_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
"""What a format name looks like: the text before `=` of a value meant as FORMAT=PATH."""


@dataclass(frozen=True, slots=True)
class OutputSpec:
    """One output: where it goes, and in which format (None: the `--format` one)."""

    path: str
    """A file, or `-` for standard output."""
    format: str | None = None

    def __str__(self) -> str:
        return f"{self.format}={self.path}" if self.format else self.path

    @property
    def to_stdout(self) -> bool:
        """Whether it goes to standard output."""
        return self.path == STDOUT

    @property
    def option(self) -> str:
        """How the command line names it in messages: `-o PATH`, `--output FORMAT=PATH`."""
        return f"--output {self}" if self.format else f"-o {self.path}"

    def relative_to(self, directory: Path) -> OutputSpec:
        """The same output with its path taken relative to `directory` (a settings file's);
        standard output stays itself."""
        if self.to_stdout:
            return self
        return OutputSpec(str(directory / self.path), self.format)


@dataclass(frozen=True, slots=True)
class Output:
    """One output of a run: its format, and where it goes."""

    format: str
    path: str
    """A file, or `-` for standard output."""

    @property
    def to_stdout(self) -> bool:
        """Whether it goes to standard output."""
        return self.path == STDOUT


def output_spec_type(formats: Sequence[str]) -> Callable[[str], OutputSpec]:
    """The argparse `type` of `-o/--output` for a command with these `--format` choices
    (also what settings files and `SBOMCHECK_*_OUTPUT` values go through)."""
    known = tuple(formats)

    def output(value: str) -> OutputSpec:
        name, equals, path = value.partition("=")
        if equals and name in known:
            if not path:
                raise argparse.ArgumentTypeError(
                    f"no PATH after {name}= (write {name}=- for standard output)"
                )
            return OutputSpec(path, name)
        if equals and _FORMAT_LIKE.fullmatch(name):
            raise argparse.ArgumentTypeError(
                f"{visible(name)!r} in {visible(value)!r} is not a format of this command "
                f"(one of {', '.join(known)}); for a file of that name, write ./{visible(value)}"
            )
        if not value:
            raise argparse.ArgumentTypeError("the output path is empty")
        return OutputSpec(value)

    return output


def add_outputs_option(parser: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    """`-o/--output [FORMAT=]PATH`, repeatable (see the module's docstring)."""
    parser.add_argument(
        "-o",
        "--output",
        action="append",
        type=output_spec_type(formats),
        metavar=OUTPUT_METAVAR,
        help="write the --format report to PATH instead of stdout (- for stdout); "
        "FORMAT=PATH writes FORMAT to PATH from the same run, repeatable "
        "(--output sarif=out.sarif --output markdown=summary.md); with only FORMAT=PATH "
        "outputs, the --format report is written only when --format is given",
    )


def format_on_command_line(args: argparse.Namespace) -> bool:
    """Whether `--format` was given on the command line (not by a setting or the default)."""
    configuration: Any = getattr(args, "configuration", None)
    if configuration is None:
        return False
    source = configuration.source_of("format")
    return source is not None and source.value == "flag"


def resolve_outputs(
    specs: Sequence[OutputSpec] | None, fmt: str, *, format_given: bool
) -> tuple[Output, ...]:
    """Every output of the run, each with its format, in the order given (the `--format`
    report first when it goes to standard output by default). Raises `UsageError` for a
    file named twice, several outputs to standard output, or several PATHs without
    FORMAT=."""
    given = list(specs or ())
    plain = [s for s in given if s.format is None]
    if len(plain) > 1:
        raise UsageError(
            f"-o/--output: {len(plain)} paths without FORMAT= "
            f"({', '.join(visible(s.path) for s in plain)}); the --format report goes to one "
            "file: name the format of the others (--output FORMAT=PATH)"
        )
    outputs = [Output(s.format or fmt, s.path) for s in given]
    if not plain and (format_given or not given):
        outputs.insert(0, Output(fmt, STDOUT))
    _check_one_stdout(outputs, implicit=not plain)
    _check_distinct_files(outputs)
    return tuple(outputs)


def _check_one_stdout(outputs: Sequence[Output], *, implicit: bool) -> None:
    to_stdout = [o for o in outputs if o.to_stdout]
    if len(to_stdout) > 1:
        why = " (the --format report goes there unless -o PATH names a file)" if implicit else ""
        raise UsageError(
            f"-o/--output: {len(to_stdout)} outputs to standard output "
            f"({', '.join(o.format for o in to_stdout)}); at most one may go there{why}"
        )


def _check_distinct_files(outputs: Sequence[Output]) -> None:
    seen: dict[str, Output] = {}
    for output in outputs:
        if output.to_stdout:
            continue
        # NOTE: realpath resolves links in the part that exists, so `a.sarif` and a link to
        # it, or `./x/../a.sarif`, are the same file; an existing hard link is caught below.
        key = os.path.normcase(os.path.realpath(output.path))
        first = seen.get(key) or next(
            (o for o in seen.values() if _same_existing_file(o.path, output.path)), None
        )
        if first is not None:
            raise UsageError(
                f"-o/--output: {visible(output.path)} is named twice ({first.format} and "
                f"{output.format}); each output needs its own file"
            )
        seen[key] = output


def _same_existing_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
