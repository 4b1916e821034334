"""The command line: thin, testable in-process as `main(argv) -> int`.

Every subcommand lives in its own module of this package with `register(subparsers)`, which
adds its parser and sets `func(args) -> int`. Only this package prints or exits. The library
raises `SbomcheckError`, which `main` turns into one line on stderr and exit code 2; any other
exception is a bug, shown as one line and exit code 70, with its traceback only under `-vv`
(`sbomcheck help exit-codes`). Exit code 1 is only ever a verdict.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from argparse import SUPPRESS
from collections.abc import Sequence
from typing import Any

from sbomcheck._gc import gc_paused
from sbomcheck._version import __version__
from sbomcheck.cli._common import ExitCode, check_output_is_not_an_input, print_note
from sbomcheck.cli._config import add_config_options, apply_settings, prepare
from sbomcheck.errors import SbomcheckError
from sbomcheck.safe_text import visible

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
    "config",
    "completion",
    "help",
)

_EPILOG = """\
exit codes: 0 pass, warn or indeterminate; 1 fail (a rule in force is broken, or a stricter
--fail-on level is reached); 2 bad input or usage; 70 internal error (a bug: re-run with -vv
and report it); 130 interrupted; 141 stdout closed early. See `sbomcheck help exit-codes`.

settings: .sbomcheck.toml or [tool.sbomcheck] in pyproject.toml (found from the current
directory up to the repository root), then SBOMCHECK_* variables, then flags, each winning
over the one before; a .sbomcheck-waivers.toml is found by itself. See `sbomcheck config`
and `sbomcheck help config`; `sbomcheck help` lists every topic.
"""

_VERBOSE_HELP = "scan: print the details (as --details): evidence, paths, rule sources"
_DEBUG_HELP = "also print the Python traceback of an error (for bug reports)"
_BUG_HINT = "this is a bug in sbomcheck: re-run with -vv for the traceback and report it"


class _Parser(argparse.ArgumentParser):
    commands: dict[str, argparse.ArgumentParser]
    """The subcommands' parsers by name (the top-level parser only)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        # NOTE: argparse prints the whole usage; one line is kinder in CI logs.
        # Arguments may be file names from a glob over vendor files: shown, never obeyed.
        self.exit(
            ExitCode.ERROR,
            f"{self.prog}: error: {visible(message)}\n(see '{self.prog} --help')\n",
        )


def _add_debug_option(parser: argparse.ArgumentParser, *, default: object) -> None:
    # NOTE: `-vv` is one option; `-v` is counted so that `-v -v` and `-vvv` mean the same.
    # A lone `-v` asks for details, which only `scan` has; `_run` refuses it elsewhere.
    parser.add_argument("-v", dest="verbose", action="count", default=default, help=_VERBOSE_HELP)
    parser.add_argument(
        "-vv", dest="verbose", action="store_const", const=2, default=default, help=_DEBUG_HELP
    )


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
    _add_debug_option(parser, default=0)
    add_config_options(parser, default=None)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in _COMMANDS:
        module = importlib.import_module(f"sbomcheck.cli.{name}")
        module.register(subparsers)
    # `-vv` is also accepted after the command (`sbomcheck scan x.json -vv`); SUPPRESS keeps
    # a subcommand from resetting what was given before it.
    for sub in subparsers.choices.values():
        _add_debug_option(sub, default=SUPPRESS)
    parser.commands = dict(subparsers.choices)
    # NOTE: last, so that it sees every option a setting stands for.
    prepare(subparsers)
    return parser


def _debug_requested(argv: Sequence[str]) -> bool:
    """`-vv` on a command line that could not be parsed (an error while building it)."""
    return any(a in ("-vv", "-vvv") for a in argv) or sum(a == "-v" for a in argv) > 1


def _command_parser(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Any:
    """The parser of the command given, so that a usage error points at its help; the
    top-level parser when there is none."""
    commands = getattr(parser, "commands", {})
    return commands.get(getattr(args, "command", None) or "", parser)


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace:
    """`parser.parse_args`, but arguments left over after a command are that command's
    usage error (`see 'sbomcheck scan --help'`), not the top level's."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        _command_parser(parser, args).error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    command = _command_parser(parser, args)
    details = args.verbose >= 1 or getattr(args, "details", False)
    if args.verbose == 1 and not hasattr(args, "details"):
        command.error("-v shows details only for scan; -vv prints the traceback of an error")
    if getattr(args, "quiet", False) and details:
        command.error("-q prints only the summary line; it cannot go with --details, -v or -vv")
    if args.verbose > 1:
        # NOTE: the libraries' own logs (Dask, ...), for debugging; sbomcheck logs nothing.
        # Imported here: loading logging costs every command a few milliseconds.
        import logging

        logging.basicConfig(level=logging.DEBUG)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return ExitCode.ERROR
    # NOTE: -q prints the summary line only: not even which waivers file was found.
    apply_settings(args, note=None if getattr(args, "quiet", False) else print_note)
    # NOTE: after the settings, which may name the output or an input file.
    check_output_is_not_an_input(args)
    return int(args.func(args))


def _say(line: str) -> None:
    """One line on stderr; a closed stderr is no reason for a second failure."""
    try:
        print(line, file=sys.stderr)
    except (OSError, ValueError):
        pass


def _traceback_if(debug: bool) -> None:
    if debug:
        import traceback

        # NOTE: a message in it may quote an SBOM, so each line is made visible too.
        for line in traceback.format_exc().splitlines():
            _say(visible(line))


def _stdout_to_devnull() -> None:
    # NOTE: Python flushes stdout at exit; with the reader gone that flush would raise again
    # and print "Exception ignored ... BrokenPipeError". Point the descriptor at /dev/null.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _internal_error(error: BaseException) -> str:
    message = visible(" ".join(str(error).split()))
    name = type(error).__name__
    what = f"{name}: {message}" if message else name
    return f"sbomcheck: internal error: {what} ({_BUG_HINT})"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with `argv` (default: sys.argv[1:]) and return the exit code.

    Exit codes (`sbomcheck help exit-codes`): 0 and 1 from the command (1 only for a verdict or a
    failed verification), 2 for a `SbomcheckError` (bad input or usage; one line), 70 for
    any other exception (a bug; one line, the traceback only with `-vv`), 130 on Ctrl-C,
    141 when standard output is closed before everything was written.

    The cyclic garbage collector is off while the command runs, and restored after it: its
    passes would walk every object of the SBOMs read, for the few cycles a command leaves
    (docs/performance.md, "The garbage collector").
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    debug = _debug_requested(arguments)
    out_of_memory = False
    try:
        with gc_paused():
            parser = build_parser()
            args = _parse(parser, arguments)
            debug = args.verbose > 1
            return _run(parser, args)
    except SbomcheckError as e:
        _traceback_if(debug)
        _say(f"sbomcheck: error: {e.diagnostics()}")
        return ExitCode.ERROR
    except KeyboardInterrupt:
        _traceback_if(debug)
        _say("sbomcheck: interrupted")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`sbomcheck scan ... | head`): the output is incomplete, so
        # the run cannot count as a pass, whatever the verdict would have been.
        _stdout_to_devnull()
        return ExitCode.BROKEN_PIPE
    except MemoryError:
        # NOTE: reported below, once this frame no longer holds the exception (and with it
        # the frames, and the memory, of whatever ran out).
        _traceback_if(debug)
        out_of_memory = True
    except Exception as e:
        _traceback_if(debug)
        _say(_internal_error(e))
        return ExitCode.INTERNAL
    if out_of_memory:
        _say(
            "sbomcheck: internal error: out of memory (every read is meant to be bounded: "
            f"{_BUG_HINT})"
        )
    return ExitCode.INTERNAL


def console_main() -> None:
    """Entry point of the `sbomcheck` console script (and `python -m sbomcheck`).

    One command, then the process ends: the collector is left off to the end, so that it
    does not wake up only to walk what the command leaves behind before the exit."""
    gc.disable()
    sys.exit(main())
