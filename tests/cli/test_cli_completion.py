"""`sbomcheck completion bash|zsh|fish`: scripts the shells accept and that complete for real.

Each shell's own syntax check runs where the shell is installed (bash always is); bash and fish
are also asked to complete a few command lines (bash with bash-completion loaded where it is
installed). Without zsh or fish, their checks skip.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sbomcheck.cli import main
from sbomcheck.cli.completion import SHELLS, script

BASH_COMPLETION = Path("/usr/share/bash-completion/bash_completion")


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("completion")
    paths = {}
    for shell in SHELLS:
        paths[shell] = root / f"sbomcheck.{shell}"
        paths[shell].write_text(script(shell), encoding="utf-8")
    return paths


def need(shell: str) -> str:
    found = shutil.which(shell)
    if found is None:
        pytest.skip(f"{shell} is not installed")
    return found


@pytest.mark.parametrize("shell", SHELLS)
def test_the_command_prints_the_script(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", shell]) == 0
    out = capsys.readouterr().out
    assert out == script(shell)
    for word in ("scan", "audit", "config", "completion", "--fail-on", "state-agency", "sarif"):
        assert word in out, (shell, word)


@pytest.mark.parametrize("shell", SHELLS)
def test_each_shell_accepts_its_script(shell: str, scripts: dict[str, Path]) -> None:
    done = subprocess.run(
        [need(shell), "-n", str(scripts[shell])], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_an_unknown_shell_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["completion", "tcsh"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'tcsh'" in capsys.readouterr().err


def bash_complete(script_path: Path, *words: str) -> list[str]:
    """What bash completes for the command line `words` (the last one being completed)."""
    # NOTE: shtab's bash script needs only bash's own `complete` and `compgen`; with
    # bash-completion installed it is loaded first, as in an interactive shell.
    library = f"source {BASH_COMPLETION}" if BASH_COMPLETION.is_file() else ""
    program = f"""
{library}
source {script_path}
fn=$(complete -p sbomcheck | sed -E 's/.* -F ([^ ]+) .*/\\1/')
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${{#COMP_LINE}}
"$fn" sbomcheck "${{COMP_WORDS[-1]}}" "${{COMP_WORDS[-2]}}"
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    done = subprocess.run(
        [need("bash"), "-c", program, "bash", *words], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return sorted(line for line in done.stdout.splitlines() if line)


def test_bash_completes_commands_options_choices_and_files(
    scripts: dict[str, Path], tmp_path: Path
) -> None:
    bash = scripts["bash"]
    assert bash_complete(bash, "sbomcheck", "sc") == ["scan"]
    assert bash_complete(bash, "sbomcheck", "co") == ["completion", "config"]
    assert bash_complete(bash, "sbomcheck", "scan", "--fail") == ["--fail-on"]
    assert "state-agency" in bash_complete(bash, "sbomcheck", "scan", "--profile", "")
    assert bash_complete(bash, "sbomcheck", "help", "exit") == ["exit-codes"]
    (tmp_path / "product.cdx.json").write_text("{}")
    assert bash_complete(bash, "sbomcheck", "scan", str(tmp_path / "prod")) == [
        str(tmp_path / "product.cdx.json")
    ]


def fish_complete(script_path: Path, line: str) -> list[str]:
    done = subprocess.run(
        [need("fish"), "-c", f"source {script_path}; complete -C {line!r}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return sorted(entry.split("\t")[0] for entry in done.stdout.splitlines())


def test_fish_completes_commands_options_and_files(
    scripts: dict[str, Path], tmp_path: Path
) -> None:
    fish = scripts["fish"]
    assert fish_complete(fish, "sbomcheck sc") == ["scan"]
    assert fish_complete(fish, "sbomcheck scan --fail-on ") == ["fail", "indeterminate", "warn"]
    # `-vv` is offered as itself (`-v` is scan's --details; fish adds short-flag bundles).
    assert "-vv" in fish_complete(fish, "sbomcheck scan -v")
    (tmp_path / "product.cdx.json").write_text("{}")
    assert fish_complete(fish, f"sbomcheck scan {tmp_path}/prod") == [
        f"{tmp_path}/product.cdx.json"
    ]


def test_only_the_completion_command_imports_shtab() -> None:
    program = (
        "import sys\n"
        "from sbomcheck.cli import main\n"
        "main(['config'])\n"
        "assert 'shtab' not in sys.modules\n"
        "main(['completion', 'bash'])\n"
        "assert 'shtab' in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
