"""Exit codes mean what they say: 1 is a verdict, never a crash (docs/exit-codes.md).

A bug is one line and exit 70 (the traceback only with `-vv`, before or after the command),
Ctrl-C is 130 without a traceback, a closed stdout is 141, an error is one line and exit 2.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from sbomcheck.cli import main
from sbomcheck.cli._common import ExitCode
from tests.conftest import ROOT, SAMPLES
from tests.safe_output import RAW_UNSAFE

SAMPLE = str(SAMPLES / "direct-dependency.cdx.json")


def _raise(error: BaseException) -> Any:
    def stage(*args: object, **kwargs: object) -> object:
        raise error

    return stage


def test_codes_are_distinct_and_documented() -> None:
    codes = [int(c) for c in ExitCode]
    assert len(set(codes)) == len(codes)
    assert (ExitCode.INTERNAL, ExitCode.INTERRUPTED, ExitCode.BROKEN_PIPE) == (70, 130, 141)
    doc = (ROOT / "docs" / "exit-codes.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in codes:
        assert f"| `{code}` |" in doc, code
        assert f"| {code} |" in readme, code


@pytest.mark.parametrize("where", ["before", "after"])
def test_unexpected_exception_is_one_line_and_exit_70(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    monkeypatch.setattr("sbomcheck.scan.scan_documents", _raise(RuntimeError("boom\x1b[2J")))
    assert main(["scan", SAMPLE]) == 70
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("sbomcheck: internal error: RuntimeError: boom\\x1b[2J (")
    assert "-vv" in err and "report it" in err
    # -vv, before or after the command, adds the traceback (made safe as well).
    argv = ["-vv", "scan", SAMPLE] if where == "before" else ["scan", SAMPLE, "-vv"]
    assert main(argv) == 70
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and ", in stage" in err
    assert err.rstrip("\n").splitlines()[-1].startswith("sbomcheck: internal error: RuntimeError")
    assert RAW_UNSAFE.findall(err) == []


def test_input_error_with_vv_is_still_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "no-such-file.json", "-vv"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert err.rstrip("\n").splitlines()[-1] == (
        "sbomcheck: error: no-such-file.json: no such file or directory"
    )


def test_a_lone_v_is_refused_where_there_are_no_details(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # `scan -v` prints the details (tests/cli/test_cli_text_output.py); other commands have none.
    for argv in (["-v", "inspect", SAMPLE], ["inspect", SAMPLE, "-v"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert "-v shows details only for scan; -vv prints the traceback" in err
        assert err.endswith("(see 'sbomcheck inspect --help')\n")


def test_vv_after_the_command_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", SAMPLE, "-vv"]) == main(["scan", SAMPLE]) == 0


def test_ctrl_c_is_130_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sbomcheck.scan.scan_documents", _raise(KeyboardInterrupt()))
    assert main(["scan", SAMPLE]) == 130
    assert capsys.readouterr().err == "sbomcheck: interrupted\n"


def test_memory_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sbomcheck.scan.scan_documents", _raise(MemoryError()))
    assert main(["scan", SAMPLE]) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("sbomcheck: internal error: out of memory")


def test_closed_stdout_is_141_not_a_pass(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sbomcheck.cli.scan.write_output", _raise(BrokenPipeError()))
    assert main(["scan", SAMPLE]) == 141


def _python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
        cwd=ROOT,
    )


def test_real_sigint_in_a_process_exits_130(tmp_path: Path) -> None:
    done = _python(
        """
        import os, signal, sys
        import sbomcheck.scan
        from sbomcheck.cli import console_main
        # Ctrl-C as in a terminal: a test run started in the background (`pytest &` in a
        # script) ignores SIGINT, the child inherits that, and pause() would wait for ever.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        def stage(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGINT)
            signal.pause()  # never reached: the interrupt is raised first
        sbomcheck.scan.scan_documents = stage
        sys.argv = ["sbomcheck", "scan", sys.argv[1]]
        console_main()
        """,
        SAMPLE,
    )
    assert done.returncode == 130
    assert done.stderr == "sbomcheck: interrupted\n"


def test_real_crash_in_a_process_exits_70_with_one_line() -> None:
    done = _python(
        """
        import sys
        import sbomcheck.scan
        from sbomcheck.cli import console_main
        def stage(*args, **kwargs):
            return {}["missing"]
        sbomcheck.scan.scan_documents = stage
        sys.argv = ["sbomcheck", "scan", sys.argv[1]]
        console_main()
        """,
        SAMPLE,
    )
    assert done.returncode == 70
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("sbomcheck: internal error: KeyError: 'missing'")
