"""The command line: thin, testable in-process as `main(argv) -> int`.

Every subcommand lives in its own module of this package with `register(subparsers)`, which
adds its parser and sets `func(args) -> int`. Only this package prints or exits; the library
raises `SbomcheckError`, which `main` turns into one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from sbomcheck import __version__
from sbomcheck.cli._common import ExitCode
from sbomcheck.errors import SbomcheckError

_COMMANDS = (
    "inspect",
    "scan",
    "rules",
    "graph",
    "keygen",
    "attest",
    "verify",
    "audit",
    "history",
    "recheck",
    "explain",
)

_EPILOG = """\
exit codes: 0 pass, warn or indeterminate; 1 fail (a rule in force is broken, or a stricter
--fail-on level is reached); 2 bad input or usage. See docs/exit-codes.md.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # NOTE: argparse prints the whole usage; one line is kinder in CI logs.
        self.exit(ExitCode.ERROR, f"{self.prog}: error: {message}\n(see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (also used to check the README against --help)."""
    parser = _Parser(
        prog="sbomcheck",
        description="Find Kaspersky technology in SBOMs, under any name, and say with dates "
        "which rules that breaks.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sbomcheck {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more logging (-vv: also libraries)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in _COMMANDS:
        module = importlib.import_module(f"sbomcheck.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with `argv` (default: sys.argv[1:]) and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG if args.verbose > 1 else logging.INFO)
        logging.getLogger("sbomcheck").setLevel(logging.DEBUG)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return ExitCode.ERROR
    try:
        return int(args.func(args))
    except SbomcheckError as e:
        if args.verbose > 1:
            raise
        print(f"sbomcheck: error: {e.diagnostics()}", file=sys.stderr)
        return ExitCode.ERROR
    except BrokenPipeError:
        # The reader went away (`sbomcheck scan ... | head`); nothing more to say.
        return ExitCode.OK


def console_main() -> None:
    """Entry point of the `sbomcheck` console script."""
    sys.exit(main())
