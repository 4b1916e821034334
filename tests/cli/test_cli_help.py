"""Every command has --help, the tool has --version, and the README's promises hold."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from sbomcheck import __version__
from sbomcheck.cli import _COMMANDS, main
from tests.conftest import ROOT


@pytest.mark.parametrize("command", _COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: sbomcheck {command}")
    assert "(not yet available)" not in out


def test_top_level_help_lists_every_command_and_the_exit_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in _COMMANDS:
        assert re.search(rf"^\s+{command}\s", out, re.M), command
    assert "exit codes: 0 pass, warn or indeterminate; 1 fail" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"sbomcheck {__version__}"


def test_python_dash_m_runs_the_same_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sbomcheck", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.strip() == f"sbomcheck {__version__}"


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: sbomcheck" in capsys.readouterr().err


def test_unknown_option_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "--no-such-flag", "x.json"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments: --no-such-flag" in err and "Traceback" not in err


def test_readme_starts_with_the_install_and_test_commands_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert block is not None
    first, second = block.group(1).strip().splitlines()
    assert first.startswith("python3 -m pip install . && sbomcheck scan samples/")
    sample = first.split("sbomcheck scan ", 1)[1].strip()
    assert (ROOT / sample).is_file()
    assert second in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_states_the_default_profile(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "**The default is `vendor`**" in readme
    with pytest.raises(SystemExit):
        main(["scan", "--help"])
    assert "(default: vendor" in " ".join(capsys.readouterr().out.split())
