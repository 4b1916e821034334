"""Reading bytes fails closed and stays bounded: gzip members and trailing bytes, gzip
bombs, devices and endless streams, and the memory a huge tag-value line costs."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import subprocess
import sys
import textwrap
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sbomcheck._io import POLICY_MAX_BYTES, read_bounded, read_prefix, sha256_bounded
from sbomcheck.errors import IngestError, LimitError, WaiverError
from sbomcheck.ingest import ReadLimits, _tv_lines, load, load_bytes
from sbomcheck.ingest._tv_lines import Handler, TagValueLines
from tests.conftest import ROOT, SHARED

REPRODUCERS = SHARED / "reproducers"
K_SPDX = REPRODUCERS / "k.spdx"


def reproducer(name: str) -> Path:
    path = REPRODUCERS / name
    if not path.exists():
        pytest.skip(f"../shared/reproducers/{name} is not present")
    return path


def components(path: Path) -> list[tuple[str, str | None]]:
    return [(c.name, c.version) for c in load(path).components]


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


# ----- gzip -------------------------------------------------------------------------------


def test_every_gzip_member_is_read() -> None:
    multi = reproducer("multimember.spdx.gz")
    assert components(multi) == components(reproducer("k.spdx"))
    assert components(multi) == [("Kaspersky Endpoint Security", "11.6")]


def test_members_made_by_cat_are_one_document() -> None:
    text = b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library", "name": "a"}]}'
    cut = [text[:10], text[10:50], b"", text[50:]]
    doc = load_bytes(b"".join(gzip.compress(part) for part in cut), key="cat.json.gz")
    assert [c.name for c in doc.components] == ["a"] and doc.gzip


def test_bytes_after_the_last_member_are_refused_with_their_offset() -> None:
    path = reproducer("trailing.spdx.gz")
    data = path.read_bytes()
    with pytest.raises(IngestError) as info:
        load(path)
    # The offset is where the member that decompresses cleanly ends.
    d = zlib.decompressobj(31)
    d.decompress(data)
    end = len(data) - len(d.unused_data)
    assert info.value.diagnostics() == (
        f"{path}: byte {end:,}: {len(data) - end:,} bytes after the end of the gzip stream "
        "are not a gzip member"
    )


@pytest.mark.parametrize("trailer", [b"\x00" * 8, b"garbage", b"\x1f"])
def test_any_trailer_that_is_not_a_member_is_refused(trailer: bytes) -> None:
    data = gzip.compress(K_SPDX.read_bytes() if K_SPDX.exists() else b"SPDXVersion: SPDX-2.3\n")
    with pytest.raises(IngestError, match=rf"x\.gz: byte {len(data)}: {len(trailer)} bytes after"):
        load_bytes(data + trailer, key="x.gz")


def test_a_damaged_second_member_names_where_it_starts() -> None:
    first = gzip.compress(b"SPDXVersion: SPDX-2.3\n")
    second = gzip.compress(b"DataLicense: CC0-1.0\n")
    with pytest.raises(IngestError, match=rf"gzip member at byte {len(first)}: truncated"):
        load_bytes(first + second[:-6], key="x.gz")
    broken = second[:12] + b"\xff" * 8 + second[20:]
    with pytest.raises(IngestError, match=rf"gzip member at byte {len(first)}: corrupt gzip"):
        load_bytes(first + broken, key="x.gz")


def test_gzip_ratio_is_enforced_only_beyond_its_floor() -> None:
    small = gzip.compress(b" " * 100_000 + b"{}")
    limits = ReadLimits(gzip_ratio_from=1_000_000)
    with pytest.raises(IngestError, match="JSON is not a recognised SBOM"):
        load_bytes(small, key="ws.json.gz", limits=limits)
    with pytest.raises(LimitError, match=r"expands more than 200:1 beyond 10,000 bytes"):
        load_bytes(small, key="ws.json.gz", limits=ReadLimits(gzip_ratio_from=10_000))


def _write_whitespace_bomb(path: Path, size: int) -> None:
    """A valid gzip of `size` bytes of spaces, built by streaming, a few MB on disk.

    After a full flush deflate starts afresh, so every later MiB of spaces compresses to the
    same bytes: written once, repeated."""
    chunk = b" " * (1 << 20)
    count = size // len(chunk)
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    crc = 0
    with path.open("wb") as fh:
        fh.write(c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH))
        block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
        for _ in range(count - 1):
            fh.write(block)
        for _ in range(count):
            crc = zlib.crc32(chunk, crc)
        # An empty final deflate block, then the trailer: CRC-32 and size mod 2**32
        # (RFC 1952), of all the spaces and not only those the compressor saw.
        fh.write(b"\x03\x00" + crc.to_bytes(4, "little") + (size % 2**32).to_bytes(4, "little"))


def test_whitespace_bomb_builder_makes_a_valid_gzip(tmp_path: Path) -> None:
    path = tmp_path / "small-bomb.json.gz"
    _write_whitespace_bomb(path, 4 << 20)
    assert gzip.decompress(path.read_bytes()) == b" " * (4 << 20)


@pytest.mark.slow
def test_a_gzip_bomb_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.json.gz"
    _write_whitespace_bomb(bomb, 3 * 1024**3)
    assert bomb.stat().st_size < 4 * 1024**2
    # NOTE: a fresh parent for the scan, so RUSAGE_CHILDREN is the scan's peak alone and
    # not that of an earlier child of the test process.
    probe = textwrap.dedent(
        f"""
        import resource, subprocess, sys
        done = subprocess.run([sys.executable, "-m", "sbomcheck", "scan", {str(bomb)!r},
                               "--as-of", "2026-01-15"], capture_output=True, text=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(done.returncode, peak, done.stderr, sep="\\n", end="")
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, cwd=ROOT
    ).stdout
    code, peak_kb, stderr = out.split("\n", 2)
    assert code == "2"
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert "expands more than 200:1 beyond 67,108,864 bytes (a gzip bomb?)" in stderr
    assert int(peak_kb) < 300 * 1024, f"peak RSS {int(peak_kb) // 1024} MB"


# ----- bounded reads ----------------------------------------------------------------------


class _Endless(io.RawIOBase):
    """A stream that never ends (standard input fed by `yes`)."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        buffer[:] = b"y" * len(buffer)
        return len(buffer)


def test_endless_standard_input_stops_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BufferedReader(_Endless()))
    monkeypatch.setattr(sys, "stdin", stdin)
    with pytest.raises(LimitError, match=r"^-: file is larger than the limit of 4,096 bytes$"):
        load("-", limits=ReadLimits(max_bytes=4096))


def test_a_regular_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"{" + b" " * 5000 + b"}")
    with pytest.raises(LimitError, match=r"big\.json: file is larger than the limit of 100 bytes"):
        load(path, limits=ReadLimits(max_bytes=100))
    assert read_bounded(path, 5002) == path.read_bytes()
    assert read_prefix(path, 3) == b"{  "


def test_bounded_reads_raise_the_callers_error(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_bytes(b"x" * 11)
    with pytest.raises(WaiverError, match="waivers file is larger than the limit of 10 bytes"):
        read_bounded(path, 10, what="waivers file", error=WaiverError)
    with pytest.raises(WaiverError, match="cannot read: No such file"):
        read_bounded(tmp_path / "nope", 10, error=WaiverError, cannot_read="cannot read")
    with pytest.raises(WaiverError, match="is a directory"):
        read_bounded(tmp_path, 10, error=WaiverError)
    with pytest.raises(IngestError, match="file is larger than the limit of 10 bytes"):
        sha256_bounded(path, 10)
    assert sha256_bounded(path, 11) == hashlib.sha256(b"x" * 11).hexdigest()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            None,
            "/dev/zero: byte 0: starts with a NUL byte: not an SBOM (a device such as /dev/zero?)",
        ),
        (
            "--waivers",
            f"/dev/zero: waivers file is larger than the limit of {POLICY_MAX_BYTES:,} bytes",
        ),
        (
            "--aliases",
            f"/dev/zero: alias file is larger than the limit of {POLICY_MAX_BYTES:,} bytes",
        ),
        (
            "--rules",
            f"/dev/zero: rules file is larger than the limit of {POLICY_MAX_BYTES:,} bytes",
        ),
    ],
)
def test_dev_zero_is_refused_within_seconds(option: str | None, message: str) -> None:
    sbom = str(reproducer("k.spdx"))
    args = ["scan", "/dev/zero"] if option is None else ["scan", sbom, option, "/dev/zero"]
    done = run_cli(*args, "--as-of", "2026-01-15")
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"sbomcheck: error: {message}\n"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_in_inspect_and_as_standard_input() -> None:
    done = run_cli("inspect", "/dev/zero")
    assert done.returncode == 2 and "starts with a NUL byte" in done.stderr
    with open("/dev/zero", "rb") as zero:
        done = run_cli("scan", "-", stdin=zero)
    assert done.returncode == 2 and done.stderr.startswith("sbomcheck: error: -: byte 0:")


# ----- tag-value lines --------------------------------------------------------------------


def _reference_entries(text: str) -> list[tuple[str | None, str, int]]:
    """The tag-value line reader as it was (text.split, strip, partition), for comparison."""
    out: list[tuple[str | None, str, int]] = []
    pending: str | None = None
    pending_line = 0
    buf: list[str] = []
    for idx, line in enumerate(text.split("\n")):
        if pending is not None:
            end = line.find("</text>")
            if end < 0:
                buf.append(line.rstrip("\r"))
                continue
            buf.append(line[:end])
            out.append((pending, "\n".join(buf), pending_line))
            pending = None
            continue
        stripped = line.strip()
        if not stripped or stripped[0] == "#":
            continue
        tag, colon, value = stripped.partition(":")
        if not colon:
            out.append((None, "", idx + 1))
            continue
        value = value.strip()
        if value.startswith("<text>"):
            end = value.find("</text>", 6)
            if end < 0:
                pending, pending_line, buf = tag.rstrip(), idx + 1, [value[6:]]
                continue
            value = value[6:end]
        out.append((tag.rstrip(), value, idx + 1))
    if pending is not None:
        out.append(("UNCLOSED", "", pending_line))
    return out


class _Recording(Mapping[str, Handler]):
    """A handler, recording its entry, for every tag in `only` (None: every tag written as
    `TagValueLines.tags` keys must be, without surrounding whitespace or a leading `#`)."""

    def __init__(self, out: list[tuple[str | None, str, int]], only: frozenset[str] | None):
        self.out = out
        self.only = only

    def __getitem__(self, tag: str) -> Handler:
        if self.only is None:
            if tag != tag.strip() or tag[:1] == "#":
                raise KeyError(tag)
        elif tag not in self.only:
            raise KeyError(tag)
        return lambda reader, value, lineno: self.out.append((tag, value, lineno))

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def _entries_or_unclosed(
    text: str, only: frozenset[str] | None
) -> list[tuple[str | None, str, int]]:
    """What the line reader hands on, in line order, as `_reference_entries` lists it."""
    out: list[tuple[str | None, str, int]] = []
    lines = TagValueLines("t")
    lines.tags = _Recording(out, only)
    unclosed: list[tuple[str | None, str, int]] = []
    try:
        lines.read_text(text)
    except IngestError as e:
        assert e.message == "<text> is never closed by </text>"
        unclosed.append(("UNCLOSED", "", int(str(e.location).split()[1])))
    skipped: list[tuple[str | None, str, int]] = [(None, "", n) for n in lines.not_tag_value]
    return sorted(out + skipped, key=lambda entry: entry[2]) + unclosed


# Chunk sizes: every line by index (1), lines and blocks across chunk ends (4, 16), whole.
_CHUNKS = (1, 4, 16, _tv_lines._CHUNK)


def _assert_read_as_reference(text: str) -> None:
    expected = _reference_entries(text)
    # Two tags only: the others' lines (and blocks) are read past, not handed on.
    only = frozenset({"Tag", "PackageName"})
    some = [e for e in expected if e[0] in only or e[0] is None or e[0] == "UNCLOSED"]
    for chunk in _CHUNKS:
        with mock.patch.object(_tv_lines, "_CHUNK", chunk):
            assert _entries_or_unclosed(text, None) == expected, chunk
            assert _entries_or_unclosed(text, only) == some, chunk


_PIECES = st.sampled_from(
    [
        "Tag",
        "PackageName",
        ":",
        " ",
        "  ",
        "\t",
        "\r",
        "\n",
        "\r\n",
        "#",
        "<text>",
        "</text>",
        "value",
        "x:y",
        "\x0b",
        "\x85",
        "\u2028",
        "\u00a0",
        "",
    ]
)


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_the_chunked_line_reader_reads_as_the_splitting_one_did(text: str) -> None:
    _assert_read_as_reference(text)


@pytest.mark.parametrize(
    "text",
    [
        "A: <text>one\r\ntwo\r\nthree</text> rest\nB: b\n",
        "A: <text>  \r\nx\r\r\n</text>\n",
        "A:    v   \r\n\n# c\nno colon\n  B : <text>x</text>\n",
        "A: <text>\nnever closed\n",
        "A: " + " " * 200 + "v" + " " * 200 + "\n",
        "A: <text>" + "x" * 5000 + "\r\nsecond\n</text>\nB: " + "y" * 5000 + "\n",
        "A: <text>" + "x" * 5000 + "\nsecond\n</text>\n",
        "Tag: <text>a\nTag: b\n</text>\nTag: c\nTag:<text>d</text>\n",
        "PackageName: p\nTag: <text>" + "line\n" * 40 + "</text>\nTag: after\n",
    ],
)
def test_the_chunked_line_reader_on_edge_cases(text: str) -> None:
    _assert_read_as_reference(text)


@pytest.mark.slow
def test_a_300_mb_tag_value_line_costs_about_twice_its_size(tmp_path: Path) -> None:
    size = 300 * 1024**2
    path = tmp_path / "long-line.spdx"
    head = b"".join(
        line + b"\n"
        for line in (
            b"SPDXVersion: SPDX-2.3",
            b"SPDXID: SPDXRef-DOCUMENT",
            b"DocumentName: d",
            b"PackageName: Kaspersky Endpoint Security",
            b"SPDXID: SPDXRef-p",
        )
    )
    with path.open("wb") as fh:
        fh.write(head + b"PackageDescription: ")
        block = b"abcdefghij" * (1 << 20)
        for _ in range(size // len(block)):
            fh.write(block)
        fh.write(b"\r\n")
    probe = textwrap.dedent(
        f"""
        import resource
        from sbomcheck.ingest import load
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        doc = load({str(path)!r})
        assert len(doc.components[0].description) == {size}
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    grown_mb = int(done.stdout) / 1024
    # The bytes and the decoded text (both 300 MB) while decoding; then the text and the
    # one copy of the value. Before: 1.5 GB (5x).
    assert grown_mb < 2.2 * size / 1024**2, f"{grown_mb:.0f} MB for a {size >> 20} MB line"


def test_sbom_limit_has_one_home() -> None:
    from sbomcheck import _io, ingest
    from sbomcheck.ingest import sources

    assert ingest.DEFAULT_LIMITS.max_bytes == _io.SBOM_MAX_BYTES
    assert sources.DEFAULT_ZIP_LIMITS.max_member_bytes == _io.SBOM_MAX_BYTES
    assert os.path.basename(_io.__file__) == "_io.py"
