"""Collecting inputs: files, directories, zip archives (safely), lenient and strict modes."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import zipfile
from pathlib import Path

import orjson
import pytest

from sbomcheck.errors import IngestError, InputError, LimitError
from sbomcheck.ingest.sources import (
    Source,
    ZipLimits,
    collect_sources,
    list_sources,
    load_inputs,
    load_inputs_lenient,
    load_source,
    looks_like_sbom_name,
)


def cdx(name: str) -> bytes:
    """A minimal CycloneDX JSON document whose product is `name`."""
    return orjson.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.5",
            "version": 1,
            "metadata": {"component": {"bom-ref": name, "name": name, "type": "application"}},
            "components": [],
        }
    )


def make_zip(path: Path, members: dict[str, bytes], *, level: int = 6) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bom.json", True),
        ("bom.cdx.xml", True),
        ("x.spdx", True),
        ("x.spdx.json.gz", True),
        ("bundle.zip", True),
        ("README.md", False),
        ("notes.txt", False),
        ("build.log", False),
        ("sbom.sig", False),
    ],
)
def test_sbom_names(name: str, expected: bool) -> None:
    assert looks_like_sbom_name(name) is expected


def test_directory_is_walked_sorted_skipping_hidden_and_non_sboms(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "b").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "b" / "z.cdx.json").write_bytes(cdx("z"))
    (root / "a.cdx.json").write_bytes(cdx("a"))
    (root / ".hidden.json").write_bytes(b"not json")
    (root / ".git" / "x.json").write_bytes(b"not json")
    (root / "README.md").write_text("# hello\n")
    bundle = load_inputs([str(root)])
    assert [d.key for d in bundle.documents] == [f"{root}/a.cdx.json", f"{root}/b/z.cdx.json"]
    assert [(n.render(), n.may_hold_sbom) for n in bundle.notes] == [
        (f"{root}/.git: skipped: hidden directory, not walked", True),
        (f"{root}/.hidden.json: skipped: hidden file", True),
        (f"{root}/README.md: skipped: not an SBOM file name", False),
    ]


def test_unreadable_sbom_in_directory_fails_closed(tmp_path: Path) -> None:
    (tmp_path / "a.cdx.json").write_bytes(cdx("a"))
    (tmp_path / "broken.json").write_bytes(b"{not json")
    with pytest.raises(IngestError, match=r"broken\.json: line 1 column 2: invalid JSON"):
        load_inputs([tmp_path])
    lenient = load_inputs_lenient([tmp_path])
    assert [d.key.rsplit("/", 1)[1] for d in lenient.documents] == ["a.cdx.json"]
    (failure,) = lenient.failures
    assert failure.path.endswith("broken.json")
    assert "invalid JSON" in failure.message


def test_explicit_file_is_read_whatever_its_name(tmp_path: Path) -> None:
    f = tmp_path / "product.txt"
    f.write_bytes(cdx("p"))
    (doc,) = load_inputs([f]).documents
    assert doc.key == str(f) and doc.root_refs == ("p",)


def test_missing_input_and_empty_input(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file or directory"):
        load_inputs([tmp_path / "nope.json"])
    (tmp_path / "README.md").write_text("x")
    with pytest.raises(InputError, match="no SBOM documents found"):
        load_inputs([tmp_path])
    sources, failures = list_sources([tmp_path / "nope.json"])
    assert sources == [] and failures[0].message.endswith("no such file or directory")


def test_same_file_twice_is_read_once(tmp_path: Path) -> None:
    f = tmp_path / "a.cdx.json"
    f.write_bytes(cdx("a"))
    bundle = load_inputs([f, tmp_path])
    assert len(bundle.documents) == 1
    assert bundle.notes[0].reason == "already read under another name"


def test_zip_members_are_keyed_and_sorted(tmp_path: Path) -> None:
    z = make_zip(
        tmp_path / "bundle.zip",
        {
            "vendor/b.cdx.json": cdx("b"),
            "a.cdx.json": cdx("a"),
            "docs/readme.md": b"hi",
            "__MACOSX/._a.cdx.json": b"junk",
            "inner.zip": b"PK\x03\x04whatever",
        },
    )
    bundle = load_inputs([z])
    assert [d.key for d in bundle.documents] == [f"{z}!a.cdx.json", f"{z}!vendor/b.cdx.json"]
    assert [(n.path, n.reason, n.may_hold_sbom) for n in bundle.notes] == [
        (f"{z}!__MACOSX/._a.cdx.json", "in __MACOSX/", True),
        (f"{z}!docs/readme.md", "not an SBOM file name", False),
        (f"{z}!inner.zip", "nested archive not followed", True),
    ]


def test_nested_archive_under_an_sbom_name_is_not_followed(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zi:
        zi.writestr("x.cdx.json", cdx("x"))
    z = make_zip(tmp_path / "outer.zip", {"a.cdx.json": cdx("a"), "b.json": inner.getvalue()})
    with pytest.raises(IngestError, match=r"outer\.zip!b\.json: nested archive not followed"):
        load_inputs([z])


@pytest.mark.parametrize(
    "name", ["../evil.json", "a/../../evil.json", "/etc/x.json", "C:/x.json", "a\\..\\..\\x.json"]
)
def test_zip_path_traversal_rejects_the_archive(tmp_path: Path, name: str) -> None:
    z = make_zip(tmp_path / "bad.zip", {"ok.json": cdx("ok"), name: cdx("evil")})
    with pytest.raises(LimitError, match="unsafe member name"):
        load_inputs([z])
    sources, failures = list_sources([z])
    assert sources == [] and "unsafe member name" in failures[0].message


def test_zip_bomb_ratio_is_refused(tmp_path: Path) -> None:
    bomb = b'{"bomFormat": "CycloneDX", "x": "' + b"a" * (8 * 1024 * 1024) + b'"}'
    z = make_zip(tmp_path / "bomb.zip", {"bom.json": bomb}, level=9)
    with pytest.raises(LimitError, match=r"compression ratio over 200:1"):
        load_inputs([z])


def test_zip_member_count_and_total_size_limits(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "many.zip", {f"m{i}.json": cdx(f"m{i}") for i in range(5)})
    with pytest.raises(LimitError, match="archive has 5 members, over the limit of 4"):
        load_inputs([z], zip_limits=ZipLimits(max_members=4))
    with pytest.raises(LimitError, match="archive expands to"):
        load_inputs([z], zip_limits=ZipLimits(max_total_bytes=100))
    with pytest.raises(LimitError, match="member expands beyond 50 bytes"):
        load_inputs([z], zip_limits=ZipLimits(max_member_bytes=50))


def test_corrupt_zip_is_an_input_error(tmp_path: Path) -> None:
    z = tmp_path / "broken.zip"
    z.write_bytes(b"PK\x03\x04" + os.urandom(64))
    with pytest.raises(IngestError, match="not a readable zip archive"):
        load_inputs([z])


def test_sources_are_picklable_and_load_alone(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "b.zip", {"x.cdx.json": cdx("x")})
    (tmp_path / "y.cdx.json").write_bytes(cdx("y"))
    listing = collect_sources([tmp_path])
    assert [s.key for s in listing.sources] == [f"{z}!x.cdx.json", f"{tmp_path}/y.cdx.json"]
    copies = pickle.loads(pickle.dumps(listing.sources))
    assert [load_source(s).root_refs for s in copies] == [("x",), ("y",)]


def test_stdin_document_and_archive(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    class FakeStdin:
        def __init__(self, data: bytes) -> None:
            self.buffer = io.BytesIO(data)

    monkeypatch.setattr("sys.stdin", FakeStdin(cdx("s")))
    (doc,) = load_inputs(["-"]).documents
    assert doc.key == "-" and doc.root_refs == ("s",)
    z = make_zip(tmp_path / "s.zip", {"in/x.json": cdx("x")})
    monkeypatch.setattr("sys.stdin", FakeStdin(z.read_bytes()))
    (doc,) = load_inputs(["-"]).documents
    assert doc.key == "-!in/x.json"
    assert isinstance(Source(key="-", path="-", data=b"x"), Source)


def test_no_sbom_found_says_what_was_skipped(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("a.cdx.json", "{}")
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w") as z:
        z.writestr("inner.zip", inner.getvalue())
    with pytest.raises(InputError) as info:
        load_inputs([outer])
    assert info.value.diagnostics() == (
        f"{outer}: no SBOM documents found in the inputs "
        f"({outer}!inner.zip: skipped: nested archive not followed)"
    )


def test_standard_input_only_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"{}")))
    with pytest.raises(InputError, match=r"standard input \('-'\) can be given only once"):
        collect_sources(["-", "-"])


def test_contents_in_hand_load_as_the_files_do_without_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gzip

    from sbomcheck.ingest import sources as sources_module
    from sbomcheck.ingest.sources import InputFailure, with_contents
    from sbomcheck.model import Document

    root = tmp_path / "in"
    root.mkdir()
    (root / "a.cdx.json").write_bytes(cdx("a"))
    (root / "b.cdx.json.gz").write_bytes(gzip.compress(cdx("b"), mtime=0))
    (root / "c-broken.cdx.json").write_bytes(b'{"bomFormat": ')
    (root / "d-gone.cdx.json").write_bytes(cdx("d"))
    nested = make_zip(tmp_path / "n.zip", {"x.json": cdx("x")}).read_bytes()
    make_zip(
        root / "e.zip",
        {"m/1.cdx.json": cdx("m1"), "m/2.cdx.json": cdx("m2"), "m/3.cdx.json": nested},
    )
    # NOTE: given as `./in`, files are keyed `./in/...` and read from `in/...` (their path).
    monkeypatch.chdir(tmp_path)
    sources = collect_sources(["./in"]).sources
    (root / "d-gone.cdx.json").unlink()

    def loaded(source: Source) -> Document | InputFailure:
        try:
            return load_source(source)
        except InputError as e:
            return InputFailure(path=source.key, message=e.diagnostics())

    opened: list[tuple[Path | bytes, str]] = []
    from sbomcheck.ingest._zip import open_zip as real_open

    def open_zip(where: Path | bytes, key: str, *, check_layout: bool = False) -> zipfile.ZipFile:
        opened.append((where, key))
        return real_open(where, key, check_layout=check_layout)

    monkeypatch.setattr(sources_module, "open_zip", open_zip)
    contents = list(with_contents(sources))
    assert len(opened) == 1  # the archive stays open across its members
    expected = [loaded(s) for s in sources]
    in_hand = [c for c in contents if isinstance(c, Source)]
    assert all(c.data is not None and c.member is None for c in in_hand)
    assert [c.key for c in in_hand] == [
        f"./in/{n}" for n in ("a.cdx.json", "b.cdx.json.gz", "c-broken.cdx.json")
    ] + [f"./in/e.zip!m/{i}.cdx.json" for i in (1, 2)]
    # Sent elsewhere, they read as the files did here, with nothing on disk.
    for path in sorted(root.iterdir()):
        path.unlink()
    copies = pickle.loads(pickle.dumps(contents))
    assert [c if isinstance(c, InputFailure) else loaded(c) for c in copies] == expected
    failures = [e for e in expected if isinstance(e, InputFailure)]
    assert [f.path for f in failures] == [
        "./in/c-broken.cdx.json",
        "./in/d-gone.cdx.json",
        "./in/e.zip!m/3.cdx.json",
    ]
    assert [d.path for d in expected if not isinstance(d, InputFailure)][:2] == [
        "in/a.cdx.json",
        "in/b.cdx.json.gz",
    ]
    assert "nested archive not followed" in failures[2].message
    b = next(e for e in expected if not isinstance(e, InputFailure) and e.key.endswith(".gz"))
    assert b.sha256 == hashlib.sha256(gzip.compress(cdx("b"), mtime=0)).hexdigest()
