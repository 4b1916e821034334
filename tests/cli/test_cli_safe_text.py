"""Text from an SBOM never drives a terminal: every command, every format, every error line.

One world of hostile inputs (names, versions, suppliers, file and archive member names full
of ESC/CSI/OSC sequences, BEL, C1 controls, bidi overrides and isolates, CR/LF), then every
command of the CLI in every `--format` it offers (read from the parser itself, so a new
command or format cannot be forgotten: `test_every_command_and_format_is_run`) is run over
it, and stdout and stderr together must hold no raw control or bidi character.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from sbomcheck.cli import _COMMANDS, main
from sbomcheck.cli.help import TOPICS
from tests.conftest import ROOT, SHARED
from tests.safe_output import RAW_UNSAFE, command_formats, csv_records

HOSTILE = (
    "\x1b[2J\x1b[31mRED\x1b[0m \x1b]0;pwned\x07 \x1b]8;;https://evil.example/\x1b\\click"
    "\x1b]8;;\x1b\\ \x9b31m \x85 abc\u202etxt.exe\u202c \u2066iso\u2069 \u200b\rHIDDEN\nOK: forged"
)
"""Terminal escapes (clear, colour, title, hyperlink), C1 CSI and NEL, bidi override and
isolate, a zero-width space, and CR/LF that would forge a line."""
ESCAPED = re.compile(r"\\x1b|\\u001b|#92;x1b")
"""How ESC shows once escaped: `\\x1b` (human outputs), `\\u001b` (JSON) or `#92;x1b`
(Mermaid, whose labels write the backslash as an entity code)."""
AS_OF = "2026-01-15"


def _sbom(name: str) -> dict[str, object]:
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {
            "component": {"type": "application", "bom-ref": "app", "name": f"app {name}"},
            "supplier": {"name": f"Acme {name}"},
        },
        "components": [
            {
                "type": "library",
                "bom-ref": f"kav {name}",
                "name": f"Kaspersky Anti-Virus SDK {name}",
                "version": f"8.0 {name}",
                "supplier": {"name": f"AO Kaspersky Lab {name}"},
            }
        ],
        "dependencies": [{"ref": "app", "dependsOn": [f"kav {name}"]}],
    }


class World:
    """Every hostile input the commands are run over, built once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sbom = root / f"product {HOSTILE.replace(chr(10), ' ').replace('/', '_')}.cdx.json"
        self.sbom.write_text(json.dumps(_sbom(HOSTILE)), encoding="utf-8")
        self.broken = root / "broken \x1b[31m\u202e.cdx.json"
        self.broken.write_text('{"bomFormat": "CycloneDX", "components": [', encoding="utf-8")
        self.batch = root / "batch"
        self.batch.mkdir()
        shutil.copy(self.sbom, self.batch / self.sbom.name)
        shutil.copy(self.broken, self.batch / self.broken.name)
        self.archive = root / "bundle.zip"
        with zipfile.ZipFile(self.archive, "w") as zf:
            zf.writestr("ok.cdx.json", json.dumps(_sbom(HOSTILE)))
            zf.writestr("\x1b]0;PWN\x07\x1b[2Jnote\u202e.txt", "x")
        self.rules = root / "rules.toml"
        self.rules.write_text(_hostile_rules(), encoding="utf-8")
        self.waivers = root / "waivers.toml"
        self.waivers.write_text(
            '[[waiver]]\nname = "x"\nrule = "US-ICTS\\u001b[2J\\u202e"\nreason = "r"\n'
            'approver = "a"\nexpires = 2030-01-01\n',
            encoding="utf-8",
        )
        self.settings = root / "settings \x1b[31m\u202e.toml"
        self.settings.write_text(
            'waivers = "w\\u001b[2J\\u202e.toml"\n[scan]\noutput = "out\\u001b]0;x\\u0007.json"\n',
            encoding="utf-8",
        )
        self.bad_settings = root / "bad settings.toml"
        self.bad_settings.write_text('"fail\\u001b[2J\\u202e-on" = "warn"\n', encoding="utf-8")
        self.private = root / "k\x1b[31m.pem"
        self.public = root / "k\u202e.pub"
        assert main(["keygen", "--private", str(self.private), "--public", str(self.public)]) == 0
        self.attestation = root / "att.json"
        argv = ["attest", str(self.sbom), "--key", str(self.private), "-o", str(self.attestation)]
        assert main([*argv, "--as-of", AS_OF]) == 0
        self.ledger = root / "ledger.db"
        argv = ["audit", str(self.batch), "--db", str(self.ledger), "--jobs", "1", "-o", "-"]
        assert main([*argv, "--as-of", AS_OF]) == 1


def _hostile_rules() -> str:
    """A user rule (a copy of the first built-in one) whose title and id carry escapes."""
    text = (ROOT / "data" / "rules.toml").read_text("utf-8")
    starts = [m.start() for m in re.finditer(r"(?m)^\[\[rule\]\]$", text)]
    block = text[starts[0] : starts[1]]
    block = re.sub(r'(?m)^id = "[^"]*"', 'id = "X-HOSTILE"', block, count=1)
    title = 'title = "rule \\u001b]0;pwned\\u0007 \\u009b2J \\u202eevil"'
    return re.sub(r'(?m)^title = "[^"]*"', lambda _: title, block, count=1)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.delenv("SBOMCHECK_KEY_PASSWORD", raising=False)
    try:
        return World(tmp_path_factory.mktemp("hostile"))
    finally:
        monkeypatch.undo()


Run = tuple[list[str], set[int]]
"""A command line (without `--format`) and the exit codes it may end with."""


def _runs(w: World) -> dict[str, list[Run]]:
    """Per command, the command lines that put hostile text into its output."""
    fresh = w.root / "fresh"
    return {
        "inspect": [([str(w.sbom)], {0}), ([str(w.broken)], {2})],
        "scan": [
            ([str(w.sbom), "--as-of", AS_OF], {1}),
            ([str(w.archive), "--as-of", AS_OF], {1}),
            ([str(w.broken)], {2}),
            ([str(w.sbom), "--waivers", str(w.waivers)], {2}),
        ],
        "rules": [(["--rules", str(w.rules), "--as-of", AS_OF], {0})],
        "graph": [([str(w.sbom)], {0}), ([str(w.archive)], {0})],
        "keygen": [
            (["--private", str(fresh / "k\x1b]0;x\x07.pem"), "--public", str(fresh / "p")], {0}),
            (["--private", str(w.private), "--public", str(w.public)], {2}),
        ],
        "attest": [
            ([str(w.sbom), "--key", str(w.private), "-o", "-", "--as-of", AS_OF], {0}),
            ([str(w.sbom), "--key", str(w.private), "-o", str(fresh / "a\x1b[2J\u202e")], {0}),
        ],
        "verify": [
            ([str(w.attestation), "--key", str(w.public), "--sbom", str(w.sbom)], {0}),
            ([str(w.attestation), "--key", str(w.public), "--sbom", str(w.broken)], {1}),
        ],
        "audit": [([str(w.batch), "--jobs", "1", "--as-of", AS_OF], {1})],
        "history": [(["--db", str(w.ledger)], {0})],
        "recheck": [(["--db", str(w.ledger), "--as-of", AS_OF], {1})],
        "explain": [
            (["Kaspersky \x1b]0;pwned\x07 \x9b2J \u202eevil"], {0}),
            (["AO \x1b[31mKaspersky\u2066 Lab", "--field", "supplier"], {0}),
        ],
        "config": [
            (["--config", str(w.settings)], {0}),
            (["--config", str(w.bad_settings)], {2}),
            (["--config", str(w.broken)], {2}),
        ],
        "completion": [(["bash"], {0}), (["zsh"], {0}), (["fish"], {0})],
        "help": [([], {0}), *(([topic], {0}) for topic in sorted(TOPICS))],
    }


_NO_INPUT_IN_OUTPUT = {"completion", "help"}
"""Commands whose output carries no input at all (made from the parser or the shipped docs):
only the check that nothing raw is printed applies to them."""


def _cases() -> list[tuple[str, str]]:
    return [(command, fmt) for command in _COMMANDS for fmt in command_formats(command)]


def test_every_command_and_format_is_run(world: World) -> None:
    # Cases come from the parser: every command, each with every --format it offers; a new
    # command needs its hostile runs in _runs (and then fails here until it has them).
    assert {command for command, _ in _cases()} == set(_COMMANDS) == set(_runs(world))
    assert ("scan", "cdxa") in _cases() and ("audit", "html") in _cases()
    assert {("graph", "mermaid"), ("graph", "json")} <= set(_cases())


@pytest.mark.parametrize(("command", "fmt"), _cases(), ids=lambda v: v or "-")
def test_no_raw_control_or_bidi_character_in_any_output(
    world: World, command: str, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(world.root / "fresh", ignore_errors=True)
    (world.root / "fresh").mkdir()
    for argv, codes in _runs(world)[command]:
        full = [command, *argv, *(["--format", fmt] if fmt else [])]
        code = main(full)
        out, err = capsys.readouterr()
        shown = (csv_records(out) if fmt == "csv" else out) + err
        assert code in codes, (full, code, err)
        assert RAW_UNSAFE.findall(shown) == [], (full, shown[:2000])
        if out.startswith('{\n  "payload"') or command in _NO_INPUT_IN_OUTPUT:
            continue  # attest -o -: a base64 envelope, nothing readable to escape
        # The hostile text did reach the output (escaped), so the check above means something.
        assert ESCAPED.search(shown), (full, shown[:2000])


@pytest.mark.parametrize(
    ("command", "argv"),
    [
        ("scan", lambda w: [str(w.sbom), str(w.archive), "--as-of", AS_OF]),
        ("audit", lambda w: [str(w.batch), "--jobs", "1", "--as-of", AS_OF]),
    ],
)
def test_one_run_writes_every_format_safely(
    world: World,
    command: str,
    argv: Callable[[World], list[str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Every format of the command from one run (`--output FORMAT=PATH` each), text on stdout:
    # no file holds a raw control or bidi character, and each shows the hostile text escaped.
    out_dir = world.root / f"outputs-{command}"
    out_dir.mkdir(exist_ok=True)
    formats = [f for f in command_formats(command) if f != "text"]
    outputs = [f"--output={fmt}={out_dir / f'report.{fmt}'}" for fmt in formats]
    assert main([command, *argv(world), "--format", "text", *outputs]) == 1
    out, err = capsys.readouterr()
    assert RAW_UNSAFE.findall(out + err) == [] and ESCAPED.search(out)
    for fmt in formats:
        text = (out_dir / f"report.{fmt}").read_bytes().decode("utf-8")
        shown = csv_records(text) if fmt == "csv" else text
        assert RAW_UNSAFE.findall(shown) == [], (fmt, shown[:2000])
        assert ESCAPED.search(shown), (fmt, shown[:2000])


@pytest.mark.parametrize(
    ("make_argv", "fragment"),
    [
        (lambda w: ["scan", str(w.broken)], "broken \\x1b[31m\\u202e.cdx.json"),
        (lambda w: ["inspect", str(w.broken)], "broken \\x1b[31m\\u202e.cdx.json"),
        (lambda w: ["scan", str(w.sbom), "--waivers", str(w.waivers)], "US-ICTS\\x1b[2J\\u202e"),
        (lambda w: ["scan", str(w.root / "missing\x1b[2J\u202e.json")], "missing\\x1b[2J\\u202e"),
    ],
)
def test_error_lines_show_names_escaped(
    world: World,
    make_argv: Callable[[World], list[str]],
    fragment: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(make_argv(world)) == 2
    err = capsys.readouterr().err
    assert RAW_UNSAFE.findall(err) == []
    assert fragment in err


def test_usage_errors_show_arguments_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "x.json", "--format", "\x1b[2J\u202ex"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "\\x1b[2J\\u202ex" in err and RAW_UNSAFE.findall(err) == []


def test_archive_member_names_in_notes_are_escaped(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(world.archive), "--as-of", AS_OF]) == 1
    err = capsys.readouterr().err
    # The note wraps at spaces, never inside the name.
    assert "\\x1b]0;PWN\\x07\\x1b[2Jnote\\u202e.txt" in " ".join(err.split())
    assert RAW_UNSAFE.findall(err) == []


# --- the reproducers ------------------------------------------------------------------------

REPRODUCERS = SHARED / "reproducers"
_REPRODUCER_CODES = {
    # A finding stays a finding (exit 1), or the input is refused (exit 2); never a pass.
    "inject.cdx.json": {1},
    "esc_tv.spdx": {1, 2},
    "escname.zip": {1, 2},
    "mdbreak.cdx.json": {1},
    "dotinj.cdx.json": {1},
}


def _reproducer(name: str) -> Path:
    path = REPRODUCERS / name
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path


def _reproducer_runs(path: Path) -> list[tuple[list[str], set[int]]]:
    codes = _REPRODUCER_CODES[path.name]
    runs = [
        (["scan", str(path), "--as-of", AS_OF, "--format", fmt], codes)
        for fmt in command_formats("scan")
    ]
    runs += [
        (["inspect", str(path), "--format", fmt], {0, 2}) for fmt in command_formats("inspect")
    ]
    runs += [(["graph", str(path), "--format", fmt], {0, 2}) for fmt in command_formats("graph")]
    # NOTE: audit reports unreadable members and goes on (escname.zip: a readable product
    # warns, exit 0); its exit codes on partly readable input are the audit's own rules.
    audit_codes = codes if codes == {1} else {0, 1, 2}
    runs += [
        (["audit", str(path), "--jobs", "1", "--as-of", AS_OF, "--format", fmt], audit_codes)
        for fmt in command_formats("audit")
    ]
    return runs


@pytest.mark.parametrize("name", sorted(_REPRODUCER_CODES))
def test_reproducer_output_is_safe_and_never_a_pass(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv, codes in _reproducer_runs(_reproducer(name)):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code in codes, (argv, code, err)
        shown = (csv_records(out) if argv[-1] == "csv" else out) + err
        assert RAW_UNSAFE.findall(shown) == [], (argv, shown[:2000])


@pytest.mark.parametrize("name", ["inject.cdx.json", "dotinj.cdx.json", "mdbreak.cdx.json"])
def test_reproducer_dot_renders_in_graphviz(name: str, tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("graphviz is not installed (apt-get install graphviz)")
    dot = tmp_path / "g.dot"
    assert main(["graph", str(_reproducer(name)), "-o", str(dot)]) == 0
    done = subprocess.run(
        ["dot", "-Tsvg", str(dot)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "<svg" in done.stdout
