"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import enum
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sbomcheck.errors import UsageError
from sbomcheck.findings import SkippedInput, Verdict
from sbomcheck.policy import PROFILES
from sbomcheck.safe_text import visible

if TYPE_CHECKING:
    from sbomcheck.scan import ScanOptions


class ExitCode(enum.IntEnum):
    """The exit codes every command uses (docs/exit-codes.md)."""

    OK = 0
    """pass, warn or indeterminate (unless --fail-on says otherwise)"""
    FAIL = 1
    """a rule in force is broken and not waived"""
    ERROR = 2
    """bad input or usage"""
    INTERNAL = 70
    """an internal error: a bug (sysexits.h EX_SOFTWARE); never a verdict"""
    INTERRUPTED = 130
    """interrupted with Ctrl-C (128 + SIGINT, as shells report it)"""
    BROKEN_PIPE = 141
    """standard output was closed before the output was written (128 + SIGPIPE)"""


FAIL_ON = ("warn", "indeterminate")
"""Values of `--fail-on` stricter than the default (`fail`); see `exit_code`."""
_GATE = {Verdict.PASS: 0, Verdict.INDETERMINATE: 1, Verdict.WARN: 2, Verdict.FAIL: 3}

_PROFILE_HELP = (
    "who is asking (default: vendor: you ship, sell, resell, license or integrate software "
    "for US persons; procurement, end-user, federal, fcc-equipment, state-agency: a US state "
    "agency or its contractor, with --jurisdiction); see `sbomcheck rules`"
)
_JURISDICTION_HELP = (
    "a sub-national jurisdiction whose rules bind, e.g. US-OR (repeatable); state rules bind "
    "only when selected; --profile state-agency needs one (US for none); an unknown code is "
    "a usage error (exit 2)"
)
_MODEL_YEAR_HELP = (
    "model year of the product (vehicles), for milestones keyed to one (US connected-"
    "vehicles rule: software from model year 2027); without it such milestones are shown "
    "as depending on the model year"
)


def parse_date(value: str) -> dt.date:
    """argparse type for ISO dates (`2024-09-29`)."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None


def positive_int(value: str) -> int:
    """argparse type for counts of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value!r}")
    return number


def add_output_option(parser: argparse.ArgumentParser) -> None:
    """`-o/--output FILE` (default: standard output)."""
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout"
    )


def parse_model_year(value: str) -> int:
    """argparse type for `--model-year` (a four-digit year)."""
    if not (len(value) == 4 and value.isdigit()):
        raise argparse.ArgumentTypeError(f"not a model year (YYYY): {value!r}")
    return int(value)


def add_rule_selection_options(parser: argparse.ArgumentParser) -> None:
    """--as-of, --profile, --jurisdiction, --model-year: which rules bind, and when."""
    parser.add_argument(
        "--as-of",
        type=parse_date,
        metavar="DATE",
        help="evaluate the rules as on DATE (YYYY-MM-DD; default: today)",
    )
    parser.add_argument("--profile", choices=PROFILES, default="vendor", help=_PROFILE_HELP)
    parser.add_argument(
        "--jurisdiction",
        action="append",
        default=[],
        metavar="CODE",
        dest="jurisdictions",
        help=_JURISDICTION_HELP,
    )
    parser.add_argument(
        "--model-year", type=parse_model_year, metavar="YEAR", help=_MODEL_YEAR_HELP
    )


def jurisdictions_of(args: argparse.Namespace) -> tuple[str, ...]:
    """The selected jurisdictions, upper-cased (`us-or` is `US-OR`), without repeats."""
    return tuple(dict.fromkeys(j.strip().upper() for j in getattr(args, "jurisdictions", [])))


def add_policy_options(parser: argparse.ArgumentParser) -> None:
    """--as-of, --profile, --jurisdiction, --model-year, --waivers, --rules, --aliases,
    --replace-aliases."""
    add_rule_selection_options(parser)
    parser.add_argument(
        "--waivers",
        metavar="FILE",
        type=Path,
        help="TOML file of reviewed waivers (default: a .sbomcheck-waivers.toml found here or "
        "above, up to the repository root)",
    )
    parser.add_argument(
        "--rules", metavar="FILE", type=Path, help="TOML file of rules to add or override"
    )
    add_alias_options(parser)


def add_fail_on_option(parser: argparse.ArgumentParser) -> None:
    """`--fail-on LEVEL`: the verdict from which the exit code is 1 (default: fail)."""
    parser.add_argument(
        "--fail-on",
        choices=("fail", *FAIL_ON),
        metavar="LEVEL",
        help="exit 1 from this verdict on: fail (default), warn, or indeterminate "
        "(order: pass < indeterminate < warn < fail)",
    )


def exit_code(verdict: Verdict, fail_on: str | None = None) -> int:
    """0 or 1 for a verdict (2, bad input, is raised as an error, not returned).

    Default: only `fail` exits 1. `fail_on="warn"` also fails `warn`; `fail_on="indeterminate"`
    is the strictest gate and also fails `indeterminate` (and `warn`): the order is
    pass < indeterminate < warn < fail. `fail_on="fail"` is the default spelled out.
    """
    if fail_on is None or fail_on == "fail":
        threshold = Verdict.FAIL
    elif fail_on in FAIL_ON:
        threshold = Verdict(fail_on)
    else:
        raise UsageError(f"--fail-on: {fail_on!r} is not one of warn, indeterminate, fail")
    return 1 if _GATE[verdict] >= _GATE[threshold] else 0


def add_alias_options(parser: argparse.ArgumentParser) -> None:
    """--aliases FILE and --replace-aliases."""
    parser.add_argument(
        "--aliases",
        metavar="FILE",
        type=Path,
        help="CSV of extra alias rows, in the columns of the built-in catalogue "
        "(see `sbomcheck help aliases`)",
    )
    parser.add_argument(
        "--replace-aliases",
        action="store_true",
        help="use only the --aliases file, not the built-in catalogue",
    )


def print_note(text: str) -> None:
    """A `sbomcheck: note: ...` on stderr, made safe for a terminal (a note names files and
    archive members, which the SBOM's author may have named), wrapped to its width."""
    from sbomcheck.report.text import fit_line

    print(fit_line(f"sbomcheck: note: {visible(text)}", stderr_width()), file=sys.stderr)


def print_skipped(skipped: Iterable[SkippedInput]) -> None:
    """A note on stderr per input skipped; those that may hold an SBOM say so."""
    for item in skipped:
        suffix = " (it may hold an SBOM, which was not read)" if item.may_hold_sbom else ""
        print_note(item.render() + suffix)


def as_of_or_today(value: dt.date | None) -> dt.date:
    """The CLI is the only place that reads the clock."""
    return value if value is not None else dt.date.today()


def now_utc() -> str:
    """The wall-clock time for the ledger (UTC, whole seconds, ISO 8601); the CLI is the
    only place that reads the clock."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@contextlib.contextmanager
def output_stream(path: str | None) -> Iterator[IO[str]]:
    """Open the output lazily, only once there is something to write (pip-audit's habit:
    a failing run must not leave an empty or truncated report behind)."""
    if path is None or path == "-":
        yield sys.stdout
        return
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as fh:
            yield fh
        tmp.replace(target)
    except OSError as e:
        raise UsageError(f"{path}: cannot write: {e.strerror or e}") from None
    finally:
        if tmp.exists():
            tmp.unlink()


_INPUT_OPTIONS = ("sboms", "files", "paths", "product", "rules", "aliases", "waivers", "key", "db")
"""The argparse destinations that name files a command reads (or, `--db`, keeps)."""


def check_output_is_not_an_input(args: argparse.Namespace) -> None:
    """Refuse `-o FILE` (or `--output FORMAT=FILE`) when FILE is one of the command's
    inputs (the same file, through any name or link): the report would overwrite what it
    reports on. Checked before anything is read or written, so the input is left
    untouched."""
    outputs = _outputs_of(getattr(args, "output", None))
    if not outputs:
        return
    inputs: list[str] = []
    for dest in _INPUT_OPTIONS:
        value = getattr(args, dest, None)
        values = value if isinstance(value, list) else [value]
        inputs.extend(str(v) for v in values if v is not None and str(v) != "-")
    for option, output in outputs:
        for name in inputs:
            try:
                same = os.path.samefile(output, name)
            except OSError:
                continue
            if same:
                raise UsageError(
                    f"{visible(option)}: is an input of this command ({visible(name)}); "
                    "not overwriting it"
                )


def _outputs_of(value: object) -> list[tuple[str, str]]:
    """(how the option was written, the file) for each output that names a file: `-o FILE`
    of any command, or the `[FORMAT=]PATH` values of `scan` and `audit`."""
    from sbomcheck.cli._outputs import OutputSpec

    found: list[tuple[str, str]] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, OutputSpec) and not item.to_stdout:
            found.append((item.option, item.path))
        elif isinstance(item, str) and item != "-":
            found.append((f"-o {item}", item))
    return found


def write_output(path: str | None, text: str) -> None:
    """Write a whole rendered report to `path` or stdout."""
    with output_stream(path) as fh:
        fh.write(text)


def build_scan_options(args: argparse.Namespace, as_of: dt.date) -> ScanOptions:
    """`sbomcheck.scan.ScanOptions` from the policy and alias options of a command."""
    from sbomcheck.identify import load_catalogue
    from sbomcheck.policy import check_policy_options, load_rules, load_waivers
    from sbomcheck.scan import ScanOptions

    if getattr(args, "replace_aliases", False) and not args.aliases:
        raise UsageError("--replace-aliases needs --aliases FILE")
    rules = load_rules(args.rules)
    jurisdictions = jurisdictions_of(args)
    model_year = getattr(args, "model_year", None)
    # NOTE: checked before any input is read, so a typo exits 2 at once (and a batch does
    # not record it once per file).
    check_policy_options(
        rules, profile=args.profile, jurisdictions=jurisdictions, model_year=model_year
    )
    return ScanOptions(
        as_of=as_of,
        profile=args.profile,
        jurisdictions=jurisdictions,
        model_year=model_year,
        catalogue=load_catalogue(args.aliases, replace=args.replace_aliases),
        rules=rules,
        waivers=load_waivers(args.waivers, rule_ids=(r.id for r in rules)) if args.waivers else (),
        max_paths=getattr(args, "max_paths", 20),
    )


# --- SARIF names ----------------------------------------------------------------------------


def add_sarif_options(parser: argparse.ArgumentParser, *, command: str) -> None:
    """`--stdin-name` and `--sarif-category` of a command that writes SARIF (`scan`,
    `audit`); `command` names the analysis in `automationDetails.id`."""
    from sbomcheck.report.interface import STDIN_NAME

    head = "sbomcheck/" if command == "scan" else f"sbomcheck/{command}/"
    parser.add_argument(
        "--stdin-name",
        default=STDIN_NAME,
        metavar="PATH",
        help="sarif outputs: the file name given to an SBOM read from standard input (-), "
        "relative to the repository root, e.g. the path it was generated from (default: "
        f"{STDIN_NAME})",
    )
    parser.add_argument(
        "--sarif-category",
        default="",
        metavar="NAME",
        help=f"sarif outputs: the analysis category; automationDetails.id becomes "
        f"{head}PROFILE/NAME/, so several {command}s of one commit uploaded to GitHub code "
        f"scanning do not replace each other's results (default: {head}PROFILE/)",
    )


def checked_name(value: str, option: str, *, empty: bool = False) -> str:
    """A name given on the command line, refused (exit 2) when empty (unless allowed) or
    holding control or invisible characters."""
    if not value.strip() and not empty:
        raise UsageError(f"{option} must not be empty")
    if visible(value) != value:
        raise UsageError(f"{option} holds control or invisible characters: {visible(value)}")
    return value.strip()


def sarif_names(args: argparse.Namespace) -> tuple[str, str]:
    """(standard input's name, the SARIF category) as given, checked (`UsageError`)."""
    stdin_name = checked_name(args.stdin_name, "--stdin-name")
    return stdin_name, checked_name(args.sarif_category, "--sarif-category", empty=True)


# --- width ----------------------------------------------------------------------------------

_DEFAULT_WIDTH = 80


def to_stdout(output: str | None) -> bool:
    """Whether an output named `output` (`-o`) goes to standard output."""
    return output in (None, "-")


def _columns_set(env: Mapping[str, str]) -> int | None:
    columns = env.get("COLUMNS", "").strip()
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


def text_width(
    output: str | None,
    environ: Mapping[str, str] | None = None,
    isatty: Callable[[], bool] | None = None,
) -> int:
    """Columns the text report fits: `COLUMNS` when set to a positive whole number, else
    the terminal's width when writing to one, else 80."""
    columns = _columns_set(os.environ if environ is None else environ)
    if columns is not None:
        return columns
    if to_stdout(output) and (isatty or sys.stdout.isatty)():
        return shutil.get_terminal_size((_DEFAULT_WIDTH, 24)).columns or _DEFAULT_WIDTH
    return _DEFAULT_WIDTH


def stderr_width(
    environ: Mapping[str, str] | None = None, isatty: Callable[[], bool] | None = None
) -> int:
    """Columns a message on standard error fits (the summary line, notes): `COLUMNS` when
    set, else the width of the terminal standard error is, else 80."""
    columns = _columns_set(os.environ if environ is None else environ)
    if columns is not None:
        return columns
    try:
        if (isatty or sys.stderr.isatty)():
            return os.get_terminal_size(sys.stderr.fileno()).columns or _DEFAULT_WIDTH
    except (OSError, ValueError, AttributeError):
        pass
    return _DEFAULT_WIDTH
