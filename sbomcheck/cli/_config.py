"""Settings from files and the environment, as pip-audit, ruff, trivy and osv-scanner have them.

A settings file is `.sbomcheck.toml`, or the `[tool.sbomcheck]` table of `pyproject.toml`,
found from the current directory upward; the search stops at the repository root (the first
directory holding `.git`) or the filesystem root, and in one directory `.sbomcheck.toml` wins.
`SBOMCHECK_*` environment variables override the file, and flags override both. A waivers
file named `.sbomcheck-waivers.toml` is found the same way when no waivers file is set.
`--config FILE` names the file instead; `--no-config` reads no file (`sbomcheck help config`).

How it meets argparse: `prepare` records the built-in default of every option a setting stands
for and replaces it with None, so that after parsing None means "not on the command line";
`apply_settings` then fills each such option from the environment, the file or the default,
and remembers where each value came from (what `sbomcheck config` prints).

Over 500 lines: the settings table, the file search, the TOML and environment readers and
the resolution are one precedence order (flag, environment, file, default), read top to
bottom here; each function is short.
"""

from __future__ import annotations

import argparse
import copy
import enum
import os
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sbomcheck._io import read_prefix
from sbomcheck._typename import toml_type
from sbomcheck.errors import ConfigError

__all__ = [
    "CONFIG_NAME",
    "MAX_CONFIG_BYTES",
    "SETTINGS",
    "WAIVERS_NAME",
    "Configuration",
    "Resolved",
    "Setting",
    "Source",
    "add_config_options",
    "apply_settings",
    "find_config",
    "prepare",
]

CONFIG_NAME = ".sbomcheck.toml"
PYPROJECT_NAME = "pyproject.toml"
WAIVERS_NAME = ".sbomcheck-waivers.toml"
MAX_CONFIG_BYTES = 1 << 20
"""A settings file is a few hundred bytes; anything over 1 MiB is not one (every read is
bounded). It applies to a pyproject.toml too, which is read to find `[tool.sbomcheck]`."""
ENV_PREFIX = "SBOMCHECK_"


class Kind(enum.Enum):
    """What a setting's value is, in a file."""

    CHOICE = "choice"
    PATH = "path"
    OUTPUT = "output"
    LIST = "list"
    YEAR = "year"


class Source(enum.StrEnum):
    """Where a setting's value came from (`sbomcheck config`)."""

    DEFAULT = "default"
    FILE = "file"
    ENV = "env"
    FLAG = "flag"
    FOUND = "found"
    """the waivers file found by itself"""


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its key in a file, the argparse `dest` it fills, and its kind.

    A setting with a `command` lives in that command's table (`[scan] format = "sarif"`)
    and applies to that command only; the others apply to every command with the option.
    """

    key: str
    dest: str
    kind: Kind
    command: str | None = None

    @property
    def name(self) -> str:
        """`fail-on`, or `scan.format` for a setting in a command's table."""
        return f"{self.command}.{self.key}" if self.command else self.key

    @property
    def env(self) -> str:
        """`SBOMCHECK_FAIL_ON`, `SBOMCHECK_SCAN_FORMAT`."""
        return ENV_PREFIX + re.sub(r"[.-]", "_", self.name).upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("profile", "profile", Kind.CHOICE),
    Setting("fail-on", "fail_on", Kind.CHOICE),
    Setting("waivers", "waivers", Kind.PATH),
    Setting("aliases", "aliases", Kind.PATH),
    Setting("rules", "rules", Kind.PATH),
    Setting("jurisdiction", "jurisdictions", Kind.LIST),
    Setting("model-year", "model_year", Kind.YEAR),
    Setting("format", "format", Kind.CHOICE, command="scan"),
    Setting("output", "output", Kind.OUTPUT, command="scan"),
    Setting("format", "format", Kind.CHOICE, command="audit"),
    Setting("output", "output", Kind.OUTPUT, command="audit"),
)
"""Every setting a file or the environment may give. `--as-of` is not one: it is per run."""

_TABLES = tuple(dict.fromkeys(s.command for s in SETTINGS if s.command))


@dataclass(slots=True)
class _Option:
    """What the parser says about the option behind one setting."""

    flag: str
    default: Any
    choices: tuple[str, ...] | None
    convert: Callable[[str], Any] | None
    commands: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Schema:
    """The options behind the settings, read off the parser (`prepare`)."""

    options: dict[Setting, _Option]

    def option(self, setting: Setting) -> _Option:
        """The option `setting` stands for."""
        return self.options[setting]

    def applies(self, setting: Setting, command: str) -> bool:
        """Whether `command` has the option `setting` stands for."""
        option = self.options.get(setting)
        return option is not None and command in option.commands


@dataclass(frozen=True, slots=True)
class _Context:
    """Set on the namespace of every command that reads settings."""

    schema: Schema
    command: str
    shows_all: bool = False
    """`sbomcheck config`: every setting is resolved, and none is applied"""


@dataclass(frozen=True, slots=True)
class Resolved:
    """A setting's effective value and where it came from."""

    setting: Setting
    value: Any
    source: Source
    origin: str | None = None
    """the file, the variable or the flag it came from; None for a default"""
    location: str | None = None
    """its key in the file (`tool.sbomcheck.waivers` in a pyproject.toml)"""


@dataclass(frozen=True, slots=True)
class Configuration:
    """The effective settings of one run (`sbomcheck config` shows them)."""

    file: str | None
    """the settings file read, or None"""
    settings: tuple[Resolved, ...]
    ignored: bool = False
    """--no-config was given"""

    def source_of(self, dest: str) -> Source | None:
        """Where the option `dest` (`format`) got its value, or None when no setting
        stands for it."""
        return next((r.source for r in self.settings if r.setting.dest == dest), None)


# --- the parser ------------------------------------------------------------------------------


def add_config_options(parser: argparse.ArgumentParser, *, default: object) -> None:
    """`--config FILE` and `--no-config` (before or after the command, as `-vv`)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--config",
        dest="config_path",
        metavar="FILE",
        default=default,
        help="read settings from FILE instead of looking for .sbomcheck.toml or "
        "[tool.sbomcheck] in pyproject.toml (see `sbomcheck help config`)",
    )
    group.add_argument(
        "--no-config",
        dest="no_config",
        action="store_true",
        default=False if default is None else default,
        help="read no settings file and no .sbomcheck-waivers.toml (SBOMCHECK_* variables "
        "and flags still apply): for reproducible runs",
    )


def prepare(subparsers: Any, *, show_command: str = "config") -> Schema:
    """Make the options behind settings default to None, and mark the commands with them.

    Records each option's built-in default first (the schema); `show_command` (`config`)
    shares the options of the others and shows every setting.
    """
    options: dict[Setting, _Option] = {}
    for command, sub in subparsers.choices.items():
        if command == show_command:
            continue
        for action in sub._actions:
            if not action.option_strings:
                continue
            for setting in SETTINGS:
                if action.dest != setting.dest or setting.command not in (None, command):
                    continue
                option = options.get(setting)
                if option is None:
                    option = options[setting] = _Option(
                        flag=max(action.option_strings, key=len),
                        default=action.default,
                        choices=tuple(action.choices) if action.choices else None,
                        convert=action.type if callable(action.type) else None,
                    )
                option.commands.append(command)
                action.default = None
    schema = Schema(options)
    for command, sub in subparsers.choices.items():
        shows_all = command == show_command
        if shows_all or any(command in o.commands for o in options.values()):
            sub.set_defaults(_sbomcheck_config=_Context(schema, command, shows_all))
            add_config_options(sub, default=argparse.SUPPRESS)
    return schema


# --- finding and reading the file ------------------------------------------------------------


def _search(cwd: Path) -> Iterator[tuple[Path, Path]]:
    """(absolute, relative to `cwd`) for `cwd` and each parent up to the repository root (the
    first directory holding `.git`) or the filesystem root. The relative form (`..`) is
    what messages and reports show: the same on every machine."""
    relative = Path()
    for directory in (cwd, *cwd.parents):
        yield directory, relative
        if (directory / ".git").exists():
            return
        relative = relative / ".."


@dataclass(frozen=True, slots=True)
class _File:
    path: Path
    """as shown: relative to the current directory where it was found by itself"""
    table: dict[str, Any]
    prefix: str
    """where the settings sit in it: "" or "tool.sbomcheck." """


def find_config(cwd: Path) -> Path | None:
    """The settings file that applies in `cwd`, as a path relative to it, or None."""
    found = _find_config(cwd)
    return found.path if found else None


def _find_config(cwd: Path) -> _File | None:
    for directory, relative in _search(cwd):
        if (directory / CONFIG_NAME).is_file():
            return _read_config(relative / CONFIG_NAME, directory / CONFIG_NAME, explicit=False)
        if (directory / PYPROJECT_NAME).is_file():
            # NOTE: a pyproject.toml without [tool.sbomcheck] is some other tool's: the search
            # goes on above it, as ruff's does.
            pyproject = directory / PYPROJECT_NAME
            found = _read_config(relative / PYPROJECT_NAME, pyproject, explicit=False)
            if found is not None:
                return found
    return None


def find_waivers(cwd: Path) -> Path | None:
    """`.sbomcheck-waivers.toml` in `cwd` or the nearest parent (same search), or None."""
    for directory, relative in _search(cwd):
        if (directory / WAIVERS_NAME).is_file():
            return relative / WAIVERS_NAME
    return None


def _read_config(path: Path, actual: Path, *, explicit: bool) -> _File | None:
    """Read the settings of `actual`, shown as `path` (relative to the current directory)."""
    source = str(path)
    doc = _parse_toml(_read_bounded(actual, source), source)
    if path.name != PYPROJECT_NAME:
        return _File(path, doc, "")
    tool = doc.get("tool")
    table = tool.get("sbomcheck") if isinstance(tool, dict) else None
    if table is None:
        if explicit:
            raise ConfigError("has no [tool.sbomcheck] table", source=source)
        return None
    if not isinstance(table, dict):
        raise ConfigError(
            f"must be a table, not {toml_type(table, article=True)}",
            source=source,
            location="tool.sbomcheck",
        )
    return _File(path, table, "tool.sbomcheck.")


def _read_bounded(path: Path, source: str) -> str:
    data = read_prefix(
        path, MAX_CONFIG_BYTES + 1, source=source, error=ConfigError, cannot_read="cannot read"
    )
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"larger than {MAX_CONFIG_BYTES // (1 << 20)} MiB: not a settings file", source=source
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(f"not UTF-8 (byte {e.start})", source=source) from None


def _parse_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = re.search(r"\(at line (\d+), column \d+\)$", msg)
        raise ConfigError(
            f"invalid TOML: {msg[: m.start()].strip() if m else msg}",
            source=source,
            location=f"line {m.group(1)}" if m else None,
        ) from None


def _file_values(found: _File, schema: Schema) -> dict[str, Any]:
    """Every setting of the file, checked and converted; paths made relative to the current
    directory (they are written relative to the file's own directory)."""
    by_name = {s.name: s for s in SETTINGS}
    values: dict[str, Any] = {}
    for key, value in found.table.items():
        if key in _TABLES:
            if not isinstance(value, dict):
                raise _file_error(
                    found, key, f"must be a table, not {toml_type(value, article=True)}"
                )
            for inner, inner_value in value.items():
                setting = by_name.get(f"{key}.{inner}")
                if setting is None:
                    known = [s.key for s in SETTINGS if s.command == key]
                    raise _file_error(found, f"{key}.{inner}", _unknown(inner, known))
                values[setting.name] = _file_value(found, setting, inner_value, schema)
            continue
        setting = by_name.get(key)
        if setting is None or setting.command is not None:
            known = [s.key for s in SETTINGS if s.command is None] + list(_TABLES)
            raise _file_error(found, key, _unknown(key, known))
        values[setting.name] = _file_value(found, setting, value, schema)
    return values


def _file_value(found: _File, setting: Setting, value: Any, schema: Schema) -> Any:
    option = schema.option(setting)
    if setting.kind is Kind.YEAR:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _file_error(
                found, setting.name, f"must be an integer, not {toml_type(value, article=True)}"
            )
        return _convert(option, str(value), lambda m: _file_error(found, setting.name, m))
    if setting.kind in (Kind.LIST, Kind.OUTPUT):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            message = (
                f"must be a string or an array of strings, not {toml_type(value, article=True)}"
            )
            raise _file_error(found, setting.name, message)
        if not items or not all(i.strip() for i in items):
            raise _file_error(found, setting.name, "must not be empty")
        if setting.kind is Kind.OUTPUT:
            return _file_outputs(found, setting, option, items)
        return [i.strip() for i in items]
    if not isinstance(value, str):
        raise _file_error(
            found, setting.name, f"must be a string, not {toml_type(value, article=True)}"
        )
    if not value.strip():
        raise _file_error(found, setting.name, "must not be empty")
    if setting.kind is Kind.CHOICE:
        _check_choice(option, value, lambda m: _file_error(found, setting.name, m))
        return value
    # NOTE: relative to the file's directory, so the same file means the same files wherever
    # sbomcheck is run from below it.
    return found.path.parent / value


def _file_outputs(found: _File, setting: Setting, option: _Option, items: list[str]) -> Any:
    """An `output` setting: `[FORMAT=]PATH` values (`sbomcheck.cli._outputs`), each path
    relative to the file's directory (`-` stays standard output)."""
    specs = [_convert(option, i, lambda m: _file_error(found, setting.name, m)) for i in items]
    return [spec.relative_to(found.path.parent) for spec in specs]


def _file_error(found: _File, name: str, message: str) -> ConfigError:
    return ConfigError(message, source=str(found.path), location=found.prefix + name)


def _unknown(key: str, known: list[str]) -> str:
    import difflib  # NOTE: only for a misspelt key; not loaded at every start

    close = difflib.get_close_matches(key.replace("_", "-"), known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown key {key!r}{hint} (known: {', '.join(sorted(known))})"


def _check_choice(option: _Option, value: str, error: Callable[[str], ConfigError]) -> None:
    if option.choices is not None and value not in option.choices:
        raise error(f"{value!r} is not one of {', '.join(option.choices)}")


def _convert(option: _Option, value: str, error: Callable[[str], ConfigError]) -> Any:
    if option.convert is None:
        return value
    try:
        return option.convert(value)
    except (argparse.ArgumentTypeError, TypeError, ValueError) as e:
        raise error(str(e)) from None


# --- the environment -------------------------------------------------------------------------


def _env_value(setting: Setting, raw: str, option: _Option) -> Any:
    def error(message: str) -> ConfigError:
        return ConfigError(message, source=setting.env)

    if setting.kind is Kind.LIST:
        return [part for part in re.split(r"[,\s]+", raw) if part]
    if setting.kind is Kind.OUTPUT:
        # NOTE: one output: a path may hold commas and spaces; the file takes several.
        return [_convert(option, raw, error)]
    if setting.kind is Kind.CHOICE:
        _check_choice(option, raw, error)
    return _convert(option, raw, error)


# --- resolving -------------------------------------------------------------------------------


def resolve(
    context: _Context,
    args: argparse.Namespace,
    *,
    environ: Mapping[str, str],
    cwd: Path,
) -> Configuration:
    """The effective settings for a command: flag, else environment, else file, else default.

    For `sbomcheck config` (`shows_all`) every setting is resolved, with flags for those it
    has; for any other command, only the settings it has an option for.
    """
    schema, command = context.schema, context.command
    no_config = bool(getattr(args, "no_config", False))
    named = getattr(args, "config_path", None)
    if no_config:
        found = None
    elif named:
        found = _read_config(Path(named), Path(named), explicit=True)
    else:
        found = _find_config(cwd)
    in_file = _file_values(found, schema) if found else {}
    resolved: list[Resolved] = []
    for setting in SETTINGS:
        if setting not in schema.options:
            continue
        if not context.shows_all and not schema.applies(setting, command):
            continue
        option = schema.option(setting)
        flagged = setting.command in (None, command)
        given = getattr(args, setting.dest, None) if flagged else None
        raw = environ.get(setting.env, "")
        if given is not None:
            resolved.append(Resolved(setting, given, Source.FLAG, option.flag))
        elif raw.strip():
            value = _env_value(setting, raw.strip(), option)
            resolved.append(Resolved(setting, value, Source.ENV, setting.env))
        elif found is not None and setting.name in in_file:
            value = in_file[setting.name]
            where = found.prefix + setting.name
            resolved.append(Resolved(setting, value, Source.FILE, str(found.path), where))
        else:
            resolved.append(Resolved(setting, copy.copy(option.default), Source.DEFAULT))
    if not no_config:
        resolved = [_found_waivers(r, cwd) for r in resolved]
    return Configuration(str(found.path) if found else None, tuple(resolved), ignored=no_config)


def _found_waivers(r: Resolved, cwd: Path) -> Resolved:
    if r.setting.key != "waivers" or r.value is not None:
        return r
    path = find_waivers(cwd)
    return r if path is None else Resolved(r.setting, path, Source.FOUND, str(path))


def _check_exists(r: Resolved) -> None:
    """A path from a file or a variable that names no file is the setting's error, not the
    loader's: the message says where the path came from."""
    if r.setting.kind is not Kind.PATH or r.source not in (Source.FILE, Source.ENV):
        return
    if not Path(r.value).exists():
        raise ConfigError(f"{r.value}: no such file", source=r.origin, location=r.location)


def apply_settings(
    args: argparse.Namespace,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    note: Callable[[str], None] | None = None,
) -> Configuration | None:
    """Fill the options a command left unset from the environment, the file or the default.

    Returns None for commands without settings. Sets `args.configuration` to the result.
    A waivers file found by itself is announced through `note`.
    """
    context = getattr(args, "_sbomcheck_config", None)
    if not isinstance(context, _Context):
        return None
    configuration = resolve(
        context,
        args,
        environ=os.environ if environ is None else environ,
        cwd=Path.cwd() if cwd is None else cwd,
    )
    args.configuration = configuration
    if context.shows_all:
        return configuration
    for r in configuration.settings:
        _check_exists(r)
        setattr(args, r.setting.dest, r.value)
        if r.source is Source.FOUND and note is not None:
            note(
                f"using waivers file {r.value} (found by itself; --waivers FILE or "
                "--no-config to choose otherwise)"
            )
    return configuration
