"""No container drops a document silently: gzip split into members, archives cut short.

The same oracle as `test_no_silent_drop`, for what wraps a document rather than what is in
it. A gzip stream split into any number of members (RFC 1952; `cat a.gz b.gz`) reads as
the whole document; bytes after the last member, or an archive cut anywhere before its
end, are refused. Never fewer components or findings with no error.
"""

from __future__ import annotations

import gzip
import tempfile
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sbomcheck.bundle import load_inputs
from sbomcheck.errors import SbomcheckError
from sbomcheck.ingest import load_bytes
from sbomcheck.scan import scan_documents
from tests.ingest.test_no_silent_drop import FORMATS, Comp, Mutation, _options, cases

NAMES = {
    "cyclonedx-json": "product.cdx.json",
    "cyclonedx-xml": "product.cdx.xml",
    "spdx-json": "product.spdx.json",
    "spdx-yaml": "product.spdx.yaml",
    "spdx-xml": "product.spdx.xml",
    "spdx-tv": "product.spdx",
    "spdx-rdf": "product.spdx.rdf",
    "spdx3-jsonld": "product.spdx3.json",
}


def _document(case: tuple[str, list[Comp], Mutation]) -> tuple[str, bytes]:
    fmt, comps, _ = case
    return fmt, FORMATS[fmt][0](comps, Mutation("none"))


def _members(data: bytes, cuts: list[int]) -> bytes:
    """`data` gzipped as one member per piece between the cut points."""
    points = sorted({c % len(data) for c in cuts} - {0})
    pieces = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    return b"".join(gzip.compress(p, mtime=0) for p in pieces)


def test_every_format_has_a_name_the_input_walk_takes() -> None:
    assert set(NAMES) == set(FORMATS)


@settings(max_examples=60, deadline=None)
@given(case=cases(), cuts=st.lists(st.integers(1, 50_000), max_size=4))
def test_a_gzip_split_into_members_reads_as_the_whole_document(
    case: tuple[str, list[Comp], Mutation], cuts: list[int]
) -> None:
    fmt, data = _document(case)
    whole = load_bytes(data, key=f"gen.{fmt}")
    split = load_bytes(_members(data, cuts), key=f"gen.{fmt}.gz")
    assert split.component_count == whole.component_count
    before = scan_documents([whole], _options())
    after = scan_documents([split], _options())
    assert [f.component.ref for f in after.findings] == [f.component.ref for f in before.findings]


@settings(max_examples=40, deadline=None)
@given(
    case=cases(),
    cuts=st.lists(st.integers(1, 50_000), max_size=3),
    tail=st.binary(min_size=1, max_size=16).filter(lambda b: not b.startswith(b"\x1f\x8b")),
)
def test_bytes_after_the_last_gzip_member_are_refused(
    case: tuple[str, list[Comp], Mutation], cuts: list[int], tail: bytes
) -> None:
    fmt, data = _document(case)
    try:
        load_bytes(_members(data, cuts) + tail, key=f"gen.{fmt}.gz")
    except SbomcheckError as e:
        assert "\n" not in str(e)
    else:
        raise AssertionError(f"trailing bytes {tail!r} after the gzip stream were accepted")


@settings(max_examples=40, deadline=None)
@given(case=cases(), cut=st.floats(0.0, 1.0, exclude_max=True), stored=st.booleans())
def test_an_archive_cut_short_is_refused(
    case: tuple[str, list[Comp], Mutation], cut: float, stored: bool
) -> None:
    fmt, data = _document(case)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "bundle.zip"
        method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        with zipfile.ZipFile(archive, "w", compression=method) as zf:
            zf.writestr(NAMES[fmt], data)
            zf.writestr("README.txt", b"not an SBOM")
        whole = archive.read_bytes()
        assert load_inputs([archive]).documents[0].component_count > 0
        archive.write_bytes(whole[: int(len(whole) * cut)])
        try:
            bundle = load_inputs([archive])
        except SbomcheckError as e:
            assert "\n" not in str(e)
        else:
            raise AssertionError(f"an archive cut at {int(len(whole) * cut)} was read: {bundle}")
