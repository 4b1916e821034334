"""Collecting inputs fails closed: whole archives only, skipped inputs recorded (and a clean
result that skipped a possible SBOM is not a pass), FIFOs never hang a walk and are read
once when named, `-o` never overwrites an input, `inspect` reads what `scan` reads."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import stat
import struct
import subprocess
import sys
import threading
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from sbomcheck.cli import main
from sbomcheck.errors import IngestError
from sbomcheck.ingest.sources import collect_sources, list_sources, load_inputs
from sbomcheck.schema import validate_report
from tests.conftest import ROOT, SAMPLES, SHARED

REPRODUCERS = SHARED / "reproducers"
CLEAN = SAMPLES / "clean-product.cdx.json"
AS_OF = ("--as-of", "2026-01-15")


def reproducer(name: str) -> Path:
    path = REPRODUCERS / name
    if not path.exists():
        pytest.skip(f"../shared/reproducers/{name} is not present")
    return path


def kaspersky_spdx() -> bytes:
    return reproducer("k.spdx").read_bytes()


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def run_cli(*args: str, timeout: float = 60, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """`python -m sbomcheck ARGS` in a child process, killed after `timeout` seconds."""
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "sbomcheck", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        **kwargs,
    )


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def json_report(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    code, out, err = run([*argv, "--format", "json", *AS_OF], capsys)
    assert code in (0, 1), err
    report: dict[str, object] = json.loads(out)
    validate_report(report)
    return report


# ----- whole archives only ----------------------------------------------------------------


def test_a_truncated_zip_is_not_read_as_the_archive_inside_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = reproducer("zip-truncated-read-as-nested.zip")
    with pytest.raises(IngestError, match="damaged or truncated zip archive"):
        load_inputs([path])
    code, out, err = run(["scan", str(path), *AS_OF], capsys)
    assert code == 2 and out == ""
    assert err == (
        f"sbomcheck: error: {path}: damaged or truncated zip archive: the "
        "end-of-central-directory record at byte 30,433 does not end the file (+10 bytes "
        "after it: cut short, or data appended)\n"
    )


def test_data_appended_or_prepended_to_a_zip_is_refused(tmp_path: Path) -> None:
    good = make_zip(tmp_path / "good.zip", {"a.cdx.json": CLEAN.read_bytes()})
    assert len(load_inputs([good]).documents) == 1
    appended = tmp_path / "appended.zip"
    appended.write_bytes(good.read_bytes() + b"PK\x03\x04 more")
    with pytest.raises(IngestError, match="does not end the file"):
        load_inputs([appended])
    prepended = tmp_path / "prepended.zip"
    prepended.write_bytes(b"PK\x03\x04" + b"#!/bin/sh stub\n" + good.read_bytes())
    with pytest.raises(IngestError, match="data before the archive, or a damaged archive"):
        load_inputs([prepended])


def _drop_from_central_directory(data: bytes, name: bytes) -> bytes:
    """The archive with `name` left out of its central directory (its data stays)."""
    eocd = data.rindex(b"PK\x05\x06")
    count, cd_size, cd_offset = struct.unpack("<HII", data[eocd + 10 : eocd + 20])
    entries, pos = [], cd_offset
    for _ in range(count):
        n, m, k = struct.unpack("<HHH", data[pos + 28 : pos + 34])
        size = 46 + n + m + k
        entries.append(data[pos : pos + size])
        pos += size
    kept = [e for e in entries if e[46 : 46 + len(name)] != name]
    cd = b"".join(kept)
    end = data[eocd : eocd + 22]
    end = end[:8] + struct.pack("<HHII", len(kept), len(kept), len(cd), cd_offset) + end[20:]
    return data[:cd_offset] + cd + end


def test_a_member_hidden_from_the_central_directory_refuses_the_archive(tmp_path: Path) -> None:
    spdx = kaspersky_spdx()
    full = make_zip(
        tmp_path / "full.zip",
        {"a.cdx.json": CLEAN.read_bytes(), "k.spdx": spdx, "z.cdx.json": CLEAN.read_bytes()},
    )
    # NOTE: unzip tools that read local headers in order (streaming readers) see k.spdx;
    # a reader of the central directory does not. Both must not be true of one archive.
    sneaky = tmp_path / "sneaky.zip"
    sneaky.write_bytes(_drop_from_central_directory(full.read_bytes(), b"k.spdx"))
    with zipfile.ZipFile(sneaky) as z:
        assert z.namelist() == ["a.cdx.json", "z.cdx.json"]
    with pytest.raises(
        IngestError,
        match=r"member 'z\.cdx\.json' at byte [\d,]+ follows [\d,]+ bytes no member accounts for",
    ):
        load_inputs([sneaky])


def test_a_member_name_given_twice_refuses_the_archive(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile: "Duplicate name"
        twice = make_zip(tmp_path / "twice.zip", {"a.json": b"x"})
        with zipfile.ZipFile(twice, "a") as z:
            z.writestr("a.json", CLEAN.read_bytes())
    with pytest.raises(IngestError, match=r"member name 'a\.json' appears twice"):
        load_inputs([twice])


def test_a_member_whose_crc_does_not_match_is_refused(tmp_path: Path) -> None:
    body = CLEAN.read_bytes()
    path = tmp_path / "crc.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("a.cdx.json", body)
    data = bytearray(path.read_bytes())
    at = data.index(b'"bomFormat"')
    data[at + 1] ^= 0x20  # "bomFormat" -> "BomFormat": same length, other CRC
    path.write_bytes(bytes(data))
    with pytest.raises(
        IngestError, match=r"crc\.zip!a\.cdx\.json: corrupt archive member: Bad CRC-32"
    ):
        load_inputs([path])


class _Unseekable(io.RawIOBase):
    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        self.data += b
        return len(b)


def test_whole_archives_of_every_layout_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = CLEAN.read_bytes()
    commented = make_zip(tmp_path / "commented.zip", {"a.cdx.json": body})
    with zipfile.ZipFile(commented, "a") as z:
        z.comment = b"built by the vendor's release job"
    tricky = make_zip(tmp_path / "tricky.zip", {"a.cdx.json": body})
    with zipfile.ZipFile(tricky, "a") as z:
        z.comment = b"PK\x05\x06 looks like an end record but is a comment"
    # Written to a stream that cannot seek: sizes and CRCs follow each member in a data
    # descriptor (flag bit 3).
    stream = _Unseekable()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.cdx.json", body)
        z.writestr("b.cdx.json", body)
    streamed = tmp_path / "streamed.zip"
    streamed.write_bytes(bytes(stream.data))
    with zipfile.ZipFile(streamed) as z:
        assert all(i.flag_bits & 0x8 for i in z.infolist())
    # Zip64 end records, as written for archives of more than 65,535 members.
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 1)
    zip64 = make_zip(tmp_path / "zip64.zip", {"a.cdx.json": body, "b.cdx.json": body})
    monkeypatch.undo()
    assert b"PK\x06\x06" in zip64.read_bytes()
    for path, count in ((commented, 1), (streamed, 2), (zip64, 2)):
        assert len(load_inputs([path]).documents) == count, path
    # The comment of the end record holds its signature: whichever record a reader takes,
    # the archive is refused rather than read two ways.
    with pytest.raises(IngestError, match="not a readable zip archive"):
        load_inputs([tricky])


# ----- skipped inputs ---------------------------------------------------------------------


def test_a_hidden_sbom_in_a_directory_keeps_a_clean_scan_from_passing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(CLEAN, tmp_path / "product.cdx.json")
    (tmp_path / "README.md").write_text("notes\n")
    report = json_report(["scan", str(tmp_path)], capsys)
    assert report["verdict"] == "pass"
    assert report["skipped_inputs"] == [
        {"path": f"{tmp_path}/README.md", "reason": "not an SBOM file name", "may_hold_sbom": False}
    ]
    (tmp_path / ".vendor.spdx").write_bytes(kaspersky_spdx())
    report = json_report(["scan", str(tmp_path)], capsys)
    assert report["verdict"] == "indeterminate"
    assert report["skipped_inputs"][0] == {  # type: ignore[index]
        "path": f"{tmp_path}/.vendor.spdx",
        "reason": "hidden file",
        "may_hold_sbom": True,
    }
    reasons = report["completeness"]["reasons"]  # type: ignore[index]
    assert reasons == [
        "an input that may hold an SBOM was not read, so nothing in it was checked: "
        f"{tmp_path}/.vendor.spdx (hidden file)"
    ]
    # The text report lists skipped inputs in its details (the short view counts them).
    code, out, err = run(["scan", str(tmp_path), "--details", *AS_OF], capsys)
    assert code == 0
    assert (
        f"sbomcheck: note: {tmp_path}/.vendor.spdx: skipped: hidden file (it may hold an SBOM, which was not read)"
        in " ".join(err.split())  # a note wraps at 80 columns, never inside a name
    )
    assert "Skipped inputs (2)\n" in out
    section = out.split("Skipped inputs (2)\n", 1)[1].split("\n\n", 1)[0]
    assert " ".join(section.split()) == (
        f"{tmp_path}/.vendor.spdx: hidden file; may hold an SBOM, not read "
        f"{tmp_path}/README.md: not an SBOM file name"
    )
    code, _, _ = run(["scan", str(tmp_path), "--fail-on", "indeterminate", *AS_OF], capsys)
    assert code == 1


def test_archive_members_that_are_skipped_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("k.spdx", kaspersky_spdx())
    bundle = make_zip(
        tmp_path / "bundle.zip",
        {
            "product.cdx.json": CLEAN.read_bytes(),
            "vendor/engine.zip": inner.getvalue(),
            "__MACOSX/._product.cdx.json": b"\x00\x05\x16\x07" + b"\x00" * 40,
            "notes.txt": b"hello",
            ".cache/x.json": b"{}",
        },
    )
    report = json_report(["scan", str(bundle)], capsys)
    assert report["verdict"] == "indeterminate"
    assert report["skipped_inputs"] == [
        {
            "path": f"{bundle}!.cache/x.json",
            "reason": "hidden archive member",
            "may_hold_sbom": True,
        },
        {
            "path": f"{bundle}!__MACOSX/._product.cdx.json",
            "reason": "macOS metadata (AppleDouble)",
            "may_hold_sbom": False,
        },
        {"path": f"{bundle}!notes.txt", "reason": "not an SBOM file name", "may_hold_sbom": False},
        {
            "path": f"{bundle}!vendor/engine.zip",
            "reason": "nested archive not followed",
            "may_hold_sbom": True,
        },
    ]
    assert report["verdict_reasons"] == [
        "Nothing was found, but the SBOMs cannot show absence: 2 inputs that may hold SBOMs "
        f"were not read, so nothing in them was checked: {bundle}!.cache/x.json (hidden "
        f"archive member); {bundle}!vendor/engine.zip (nested archive not followed)."
    ]
    # A batch has no verdict to hold them back: they are reported as not read.
    sources, failures = list_sources([bundle])
    assert [s.key for s in sources] == [f"{bundle}!product.cdx.json"]
    assert [f.message for f in failures] == [
        f"{bundle}!.cache/x.json: not read: hidden archive member",
        f"{bundle}!vendor/engine.zip: not read: nested archive not followed",
    ]


def test_markdown_and_html_list_skipped_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(CLEAN, tmp_path / "a.cdx.json")
    (tmp_path / ".b.cdx.json").write_bytes(b"{}")
    code, out, _ = run(["scan", str(tmp_path), "--format", "markdown", *AS_OF], capsys)
    assert code == 0 and "### Skipped inputs (1)" in out and "**yes**: not read" in out
    code, out, _ = run(["scan", str(tmp_path), "--format", "html", *AS_OF], capsys)
    assert code == 0 and '<section id="skipped">' in out and 'href="#skipped"' in out
    code, out, _ = run(["scan", str(CLEAN), "--format", "html", *AS_OF], capsys)
    assert code == 0 and "skipped" not in out


def test_an_encrypted_member_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_zip(
        tmp_path / "locked.zip", {"a.cdx.json": CLEAN.read_bytes(), "vendor.cdx.json": b"x" * 64}
    )
    # zipfile cannot encrypt: the flag (bit 0) is set in the local and the central header.
    data = bytearray(path.read_bytes())
    name = b"vendor.cdx.json"
    local = data.index(name) - 30
    central = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 1)
    assert data[local : local + 4] == b"PK\x03\x04" and data[central + 46 :].startswith(name)
    data[local + 6] |= 0x1
    data[central + 8] |= 0x1
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("vendor.cdx.json").flag_bits & 0x1
    code, out, err = run(["scan", str(path), *AS_OF], capsys)
    assert code == 2 and out == ""
    assert (
        err
        == f"sbomcheck: error: {path}!vendor.cdx.json: encrypted archive member: cannot be read\n"
    )


def test_links_to_directories_are_not_followed_but_recorded(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(CLEAN, tmp_path / "in" / "a.cdx.json")
    (tmp_path / "elsewhere" / "k.spdx").write_bytes(b"x")
    os.symlink(tmp_path / "elsewhere", tmp_path / "in" / "vendor")
    listing = collect_sources([tmp_path / "in"])
    assert [s.key for s in listing.sources] == [f"{tmp_path}/in/a.cdx.json"]
    assert [(n.path, n.reason, n.may_hold_sbom) for n in listing.notes] == [
        (f"{tmp_path}/in/vendor", "symbolic link to a directory, not followed", True)
    ]


def test_a_hidden_directory_may_hold_an_sbom_only_if_it_has_sbom_names(tmp_path: Path) -> None:
    shutil.copy(CLEAN, tmp_path / "a.cdx.json")
    (tmp_path / ".git" / "objects").mkdir(parents=True)
    (tmp_path / ".git" / "objects" / "ab12").write_bytes(b"blob")
    (tmp_path / ".sboms" / "deep").mkdir(parents=True)
    (tmp_path / ".sboms" / "deep" / "v.cdx.xml").write_bytes(b"<bom/>")
    notes = collect_sources([tmp_path]).notes
    assert [(n.path.rsplit("/", 1)[1], n.may_hold_sbom) for n in notes] == [
        (".git", False),
        (".sboms", True),
    ]


@pytest.fixture
def fifo_dir(tmp_path: Path) -> Iterator[Path]:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs FIFOs")
    shutil.copy(CLEAN, tmp_path / "a.cdx.json")
    os.mkfifo(tmp_path / "x.json")
    yield tmp_path


def test_a_fifo_inside_a_directory_is_skipped_never_opened(fifo_dir: Path) -> None:
    listing = collect_sources([fifo_dir])
    assert [(n.path, n.reason, n.may_hold_sbom) for n in listing.notes] == [
        (f"{fifo_dir}/x.json", "not a regular file (FIFO)", False)
    ]
    # Before: opening the FIFO waited for a writer, forever.
    done = run_cli("scan", str(fifo_dir), *AS_OF, timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"{fifo_dir}/x.json: skipped: not a regular file (FIFO)" in " ".join(done.stderr.split())
    done = run_cli("audit", str(fifo_dir), "--jobs", "1", *AS_OF, timeout=120)
    assert done.returncode == 0, done.stderr


def _feed(fifo: Path, data: bytes) -> threading.Thread:
    def write() -> None:
        with fifo.open("wb") as fh:  # blocks until the reader opens the FIFO
            fh.write(data)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_a_fifo_named_on_the_command_line_is_read_once(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs FIFOs")
    fifo = tmp_path / "named.spdx"
    os.mkfifo(fifo)
    writer = _feed(fifo, kaspersky_spdx())
    done = run_cli("scan", str(fifo), "--format", "json", *AS_OF)
    writer.join(timeout=10)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert [f["component"]["name"] for f in report["findings"]] == ["Kaspersky Endpoint Security"]
    assert report["documents"][0]["path"] == str(fifo)
    # and a zip through a FIFO
    writer = _feed(fifo, make_zip(tmp_path / "k.zip", {"k.spdx": kaspersky_spdx()}).read_bytes())
    done = run_cli("scan", str(fifo), *AS_OF)
    writer.join(timeout=10)
    assert done.returncode == 1, done.stderr


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_process_substitution_is_read_whole() -> None:
    k = reproducer("k.spdx")
    command = f'"{sys.executable}" -m sbomcheck scan <(cat "{k}") --format json --as-of 2026-01-15'
    done = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["documents"][0]["components"] == 1
    assert [f["component"]["name"] for f in report["findings"]] == ["Kaspersky Endpoint Security"]


# ----- -o never names an input ------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["scan", "{sbom}"],
        ["audit", "{sbom}"],
        ["inspect", "{sbom}"],
        ["graph", "{sbom}"],
        ["scan", "{other}", "--waivers", "{sbom}"],
        ["attest", "{other}", "--key", "{sbom}"],
    ],
)
def test_output_naming_an_input_is_refused_and_the_input_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    sbom = tmp_path / "product.cdx.json"
    shutil.copy(CLEAN, sbom)
    before = sbom.read_bytes()
    link = tmp_path / "link.json"
    link.symlink_to(sbom)
    for output in (str(sbom), str(link)):
        argv = [a.format(sbom=sbom, other=CLEAN) for a in command] + ["-o", output]
        code, out, err = run(argv, capsys)
        assert code == 2, err
        assert err == (
            f"sbomcheck: error: -o {output}: is an input of this command ({sbom}); "
            "not overwriting it\n"
        )
        assert sbom.read_bytes() == before


def test_output_beside_the_inputs_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    code, _, err = run(["scan", str(CLEAN), "-o", str(out), "--format", "json", *AS_OF], capsys)
    assert code == 0, err
    assert json.loads(out.read_text())["verdict"] == "pass"


# ----- inspect reads what scan reads ------------------------------------------------------


def test_inspect_reads_zips_and_directories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    z = make_zip(tmp_path / "bundle.zip", {"vendor/k.spdx": kaspersky_spdx(), "a.txt": b"x"})
    (tmp_path / "dir").mkdir()
    shutil.copy(CLEAN, tmp_path / "dir" / "a.cdx.json")
    code, out, err = run(["inspect", str(z), str(tmp_path / "dir"), "--format", "json"], capsys)
    assert code == 0, err
    assert [(d["path"], d["format"]) for d in json.loads(out)["documents"]] == [
        (f"{z}!vendor/k.spdx", "spdx-tv"),
        (f"{tmp_path}/dir/a.cdx.json", "cyclonedx-json"),
    ]
    assert f"sbomcheck: note: {z}!a.txt: skipped: not an SBOM file name" in " ".join(err.split())


def test_inspect_shows_what_it_read_before_failing_on_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "b.json"
    bad.write_bytes(b"{not json")
    code, out, err = run(["inspect", str(CLEAN), str(bad), str(tmp_path / "c.json")], capsys)
    assert code == 2
    assert out.startswith(f"{CLEAN}\n  format:        cyclonedx-json")
    assert err.splitlines() == [
        f"sbomcheck: error: {tmp_path}/c.json: no such file or directory",
        f"sbomcheck: error: {bad}: line 1 column 2: invalid JSON: unexpected character, "
        "expected a string key",
    ]


def test_a_walked_file_swapped_for_a_fifo_is_not_opened(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs FIFOs")
    path = tmp_path / "a.cdx.json"
    shutil.copy(CLEAN, path)
    (source,) = collect_sources([tmp_path]).sources
    path.unlink()
    os.mkfifo(path)
    assert stat.S_ISFIFO(path.stat().st_mode)
    from sbomcheck.ingest.sources import load_source

    with pytest.raises(IngestError, match=r"a\.cdx\.json: not a regular file \(FIFO\)"):
        load_source(source)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any directory"
)
def test_a_directory_that_cannot_be_listed_is_an_error(tmp_path: Path) -> None:
    shutil.copy(CLEAN, tmp_path / "a.cdx.json")
    locked = tmp_path / "vendor"
    locked.mkdir()
    locked.chmod(0)
    try:
        with pytest.raises(IngestError, match=r"vendor: cannot read directory: Permission denied"):
            load_inputs([tmp_path])
    finally:
        locked.chmod(0o700)


def test_a_directory_that_cannot_be_listed_is_an_error_whoever_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(CLEAN, tmp_path / "a.cdx.json")
    (tmp_path / "vendor").mkdir()
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if str(path).endswith("vendor"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(IngestError) as info:
        load_inputs([tmp_path])
    assert (
        info.value.diagnostics() == f"{tmp_path}/vendor: cannot read directory: Permission denied"
    )


def test_a_short_markdown_summary_keeps_the_skipped_inputs_that_may_hold_an_sbom() -> None:
    from sbomcheck.findings import SkippedInput
    from sbomcheck.report import RenderOptions
    from sbomcheck.report.markdown import MarkdownFormatter
    from tests.report.fixtures import PASS_REPORT

    skipped = (
        *(
            SkippedInput(path=f"dir/readme-{i:04}.md", reason="not an SBOM file name")
            for i in range(2000)
        ),
        SkippedInput(path="dir/.k.cdx.json", reason="hidden file", may_hold_sbom=True),
    )
    report = dataclasses.replace(PASS_REPORT, skipped_inputs=skipped)
    out = MarkdownFormatter().render(report, RenderOptions(max_bytes=20_000))
    assert len(out.encode()) <= 20_000
    section = out.split("### Skipped inputs (2001)", 1)[1]
    assert section.index("dir/.k.cdx.json") < section.index("readme-0000")
    assert "of 2,001 skipped inputs are listed here, to keep it short" in section
