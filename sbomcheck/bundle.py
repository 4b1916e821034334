"""Collect the SBOMs a scan is given: files, directories, zip archives and standard input.

- A file named on the command line is always read as an SBOM (the format is detected from
  content), or as a zip archive when it starts with the zip signature.
- A directory is walked recursively in sorted order, skipping hidden entries (`.git`,
  `.DS_Store`). Files whose names do not look like SBOMs (`README.md`, `notes.txt`,
  `build.log`) are skipped with a note; every other file must read as an SBOM.
- A zip archive is read in memory, never extracted: member names with `..`, absolute paths
  or drive letters reject the archive; the member count, each member's and the total
  uncompressed size, and the compression ratio are limited; nested archives are not
  followed (a note says so). Members are keyed `archive.zip!inner/path`.

Two steps, so a batch can spread the second over processes: `list_sources` finds what to
read (a picklable `Source` each), `load_source` reads one. `load_inputs` does both and fails
closed on the first unreadable SBOM (the `scan` command: exit 2); `load_inputs_lenient`
returns every failure beside the documents it could read.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sbomcheck.errors import IngestError, InputError, LimitError, SbomcheckError
from sbomcheck.ingest import load, load_bytes
from sbomcheck.model import Document

__all__ = [
    "DEFAULT_ZIP_LIMITS",
    "SBOM_SUFFIXES",
    "Bundle",
    "InputFailure",
    "InputNote",
    "Listing",
    "Source",
    "ZipLimits",
    "collect_sources",
    "list_sources",
    "load_inputs",
    "load_inputs_lenient",
    "load_source",
    "looks_like_sbom_name",
    "source_bytes",
]

SBOM_SUFFIXES = (
    ".json",
    ".jsonld",
    ".xml",
    ".rdf",
    ".spdx",
    ".tv",
    ".yaml",
    ".yml",
    ".cdx",
    ".bom",
)
"""Names a directory walk or an archive reads as SBOMs (each also with `.gz` after it)."""

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass(frozen=True, slots=True, kw_only=True)
class ZipLimits:
    """Safety limits for reading a zip archive."""

    max_members: int = 10_000
    max_member_bytes: int = 2 * 1024**3
    max_total_bytes: int = 4 * 1024**3
    max_ratio: int = 200
    """Largest uncompressed/compressed ratio of a member; SBOM JSON deflates about 10-30x."""


DEFAULT_ZIP_LIMITS = ZipLimits()


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """One SBOM to read (picklable): a file, a zip member, or standard input."""

    key: str
    """`Document.key`: the path as given, `-`, or `archive.zip!inner/path`."""
    path: str
    """The file on disk (the archive for a member; `-` for standard input)."""
    member: str | None = None
    """The member name inside the archive at `path`."""
    data: bytes | None = field(default=None, repr=False)
    """The bytes already read (standard input), else None."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InputNote:
    """Something skipped on purpose (not an SBOM name, nested archive, repeated file)."""

    source: str
    message: str

    def render(self) -> str:
        """One line: `source: message`."""
        return f"{self.source}: {self.message}"


@dataclass(frozen=True, slots=True, kw_only=True)
class InputFailure:
    """An input that could not be read, with the one-line diagnostic."""

    path: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Listing:
    """What `collect_sources` found."""

    sources: tuple[Source, ...]
    notes: tuple[InputNote, ...] = ()
    failures: tuple[InputFailure, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Bundle:
    """What was read: documents in input order, notes, and (lenient mode) failures."""

    documents: tuple[Document, ...]
    notes: tuple[InputNote, ...] = ()
    failures: tuple[InputFailure, ...] = ()
    sources: tuple[Source, ...] = ()
    """Every source listed (standard input's bytes included), for a second look at a
    document's bytes (`source_bytes`), e.g. to find where a finding is written."""


def looks_like_sbom_name(name: str) -> bool:
    """True when a file name (in a directory or archive) may be an SBOM or a zip archive."""
    lower = name.lower().removesuffix(".gz")
    return lower.endswith((*SBOM_SUFFIXES, ".zip"))


# ----- listing ----------------------------------------------------------------------------


def collect_sources(
    inputs: Sequence[str | Path],
    *,
    zip_limits: ZipLimits = DEFAULT_ZIP_LIMITS,
    lenient: bool = False,
) -> Listing:
    """Every SBOM the inputs name, in order, without parsing any.

    Strict (default): a missing input or an unsafe archive raises `InputError`. Lenient:
    each becomes an `InputFailure` and the listing goes on.
    """
    lister = _Lister(zip_limits, lenient)
    for item in inputs:
        lister.input(str(item))
    return Listing(
        sources=tuple(lister.sources),
        notes=tuple(lister.notes),
        failures=tuple(lister.failures),
    )


def list_sources(
    inputs: Sequence[str | Path], *, zip_limits: ZipLimits = DEFAULT_ZIP_LIMITS
) -> tuple[list[Source], list[InputFailure]]:
    """(sources, failures) for a batch: never raises for bad input."""
    listing = collect_sources(inputs, zip_limits=zip_limits, lenient=True)
    return list(listing.sources), list(listing.failures)


class _Lister:
    def __init__(self, zip_limits: ZipLimits, lenient: bool) -> None:
        self.zip_limits = zip_limits
        self.lenient = lenient
        self.sources: list[Source] = []
        self.notes: list[InputNote] = []
        self.failures: list[InputFailure] = []
        self.seen_files: set[str] = set()
        self.stdin_read = False

    def fail(self, error: SbomcheckError, source: str) -> None:
        if not self.lenient:
            raise error
        self.failures.append(InputFailure(path=source, message=error.diagnostics()))

    def note(self, source: str, message: str) -> None:
        self.notes.append(InputNote(source=source, message=message))

    def input(self, name: str) -> None:
        if name == "-":
            if self.stdin_read:
                self.fail(InputError("standard input ('-') can be given only once"), "-")
                return
            self.stdin_read = True
            data = sys.stdin.buffer.read()
            if data[:4] in _ZIP_MAGIC:
                self.guarded(lambda: self.archive(data, "-", "-"), "-")
            else:
                self.sources.append(Source(key="-", path="-", data=data))
            return
        path = Path(name)
        try:
            st = path.stat()
        except FileNotFoundError:
            self.fail(IngestError("no such file or directory", source=name), name)
            return
        except OSError as e:
            self.fail(IngestError(f"cannot read: {e.strerror or e}", source=name), name)
            return
        if stat.S_ISDIR(st.st_mode):
            self.directory(path, name)
        else:
            self.file(path, name)

    def directory(self, root: Path, given: str) -> None:
        before = len(self.sources) + len(self.failures)
        prefix = given.rstrip("/\\")
        for dirpath, dirnames, filenames in os.walk(root):
            # NOTE: sorting in place also fixes the order os.walk descends in.
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel_dir = Path(os.path.relpath(dirpath, root)).as_posix()
            for fname in sorted(filenames):
                if fname.startswith("."):
                    continue
                rel = fname if rel_dir == "." else f"{rel_dir}/{fname}"
                key = f"{prefix}/{rel}" if prefix not in ("", ".") else rel
                if not looks_like_sbom_name(fname):
                    self.note(key, "skipped: not an SBOM file name")
                    continue
                self.file(Path(dirpath) / fname, key)
        if len(self.sources) + len(self.failures) == before:
            self.note(given, "skipped: directory holds no SBOM files")

    def file(self, path: Path, key: str) -> None:
        real = os.path.realpath(path)
        if real in self.seen_files:
            self.note(key, "skipped: already read under another name")
            return
        self.seen_files.add(real)
        try:
            with path.open("rb") as fh:
                head = fh.read(4)
        except OSError as e:
            self.fail(IngestError(f"cannot read file: {e.strerror or e}", source=key), key)
            return
        if head in _ZIP_MAGIC:
            self.guarded(lambda: self.archive(path, str(path), key), key)
        else:
            self.sources.append(Source(key=key, path=str(path)))

    def guarded(self, action: Callable[[], None], key: str) -> None:
        try:
            action()
        except SbomcheckError as e:
            self.fail(e, key)

    def archive(self, where: Path | bytes, path: str, key: str) -> None:
        """List the SBOM members of one archive; unsafe names or sizes reject it whole."""
        limits = self.zip_limits
        with _open_zip(where, key) as archive:
            infos = archive.infolist()
            if len(infos) > limits.max_members:
                raise LimitError(
                    f"archive has {len(infos):,} members, over the limit of {limits.max_members:,}",
                    source=key,
                )
            total = 0
            for info in infos:
                _check_member_name(info.filename, key)
                total += info.file_size
            if total > limits.max_total_bytes:
                raise LimitError(
                    f"archive expands to {total:,} bytes, over the limit of "
                    f"{limits.max_total_bytes:,}",
                    source=key,
                )
            data = where if isinstance(where, bytes) else None
            for info in sorted(infos, key=lambda i: i.filename):
                member = info.filename
                member_key = f"{key}!{member}"
                parts = PurePosixPath(member.replace("\\", "/")).parts
                if info.is_dir() or not parts:
                    continue
                if any(p.startswith(".") for p in parts) or parts[0] == "__MACOSX":
                    continue
                if stat.S_ISLNK(info.external_attr >> 16):
                    self.note(member_key, "skipped: symbolic link in archive")
                elif not looks_like_sbom_name(member):
                    self.note(member_key, "skipped: not an SBOM file name")
                elif member.lower().removesuffix(".gz").endswith(".zip"):
                    self.note(member_key, "skipped: nested archive not followed")
                elif info.flag_bits & 0x1:
                    self.fail(
                        IngestError("encrypted archive member", source=member_key), member_key
                    )
                else:
                    self.sources.append(Source(key=member_key, path=path, member=member, data=data))


def _open_zip(where: Path | bytes, key: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(where) if isinstance(where, bytes) else where)
    except (zipfile.BadZipFile, OSError) as e:
        raise IngestError(f"not a readable zip archive: {e}", source=key) from None


def _check_member_name(name: str, key: str) -> None:
    normalized = name.replace("\\", "/")
    if (
        normalized.startswith("/")
        or (len(normalized) > 1 and normalized[1] == ":")
        or ".." in normalized.split("/")
        or "\x00" in name
    ):
        raise LimitError(f"unsafe member name {name!r} (absolute or with '..')", source=key)


# ----- loading ----------------------------------------------------------------------------


def load_source(
    source: Source,
    *,
    zip_limits: ZipLimits = DEFAULT_ZIP_LIMITS,
    archive: zipfile.ZipFile | None = None,
) -> Document:
    """Read one source into a Document; raises `InputError` (with the key) when it cannot."""
    if source.member is None:
        if source.data is not None:
            return load_bytes(source.data, key=source.key, path=source.key)
        return load(source.path, key=source.key)
    if archive is not None:
        data = _read_member(archive, source, zip_limits)
    else:
        where: Path | bytes = source.data if source.data is not None else Path(source.path)
        with _open_zip(where, source.key.rpartition("!")[0]) as opened:
            data = _read_member(opened, source, zip_limits)
    if data[:4] in _ZIP_MAGIC:
        raise IngestError("nested archive not followed", source=source.key)
    return load_bytes(data, key=source.key, path=source.key)


def source_bytes(source: Source, *, zip_limits: ZipLimits = DEFAULT_ZIP_LIMITS) -> bytes:
    """The bytes of one source as given (gzip not undone), read again: standard input from
    memory, a file from disk, an archive member from its archive (same limits)."""
    if source.data is not None and source.member is None:
        return source.data
    if source.member is None:
        return Path(source.path).read_bytes()
    where: Path | bytes = source.data if source.data is not None else Path(source.path)
    with _open_zip(where, source.key.rpartition("!")[0]) as opened:
        return _read_member(opened, source, zip_limits)


def _read_member(archive: zipfile.ZipFile, source: Source, limits: ZipLimits) -> bytes:
    """Read one member in chunks, stopping at the first limit (never trusting the header)."""
    key = source.key
    assert source.member is not None
    try:
        info = archive.getinfo(source.member)
    except KeyError:
        raise IngestError("member not found in archive", source=key) from None
    cap = limits.max_member_bytes
    base = max(info.compress_size, 1)
    out = bytearray()
    try:
        with archive.open(info) as fh:
            while chunk := fh.read(1 << 20):
                out += chunk
                if len(out) > cap:
                    raise LimitError(f"member expands beyond {cap:,} bytes", source=key)
                if len(out) > 64 * 1024 and len(out) // base > limits.max_ratio:
                    raise LimitError(
                        f"compression ratio over {limits.max_ratio}:1 (zip bomb?)", source=key
                    )
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise IngestError(f"corrupt archive member: {e}", source=key) from None
    except NotImplementedError as e:
        raise IngestError(f"unsupported compression: {e}", source=key) from None
    return bytes(out)


def _load_all(
    sources: Sequence[Source], zip_limits: ZipLimits, lenient: bool
) -> tuple[list[Document], list[InputFailure]]:
    documents: list[Document] = []
    failures: list[InputFailure] = []
    opened: tuple[str, zipfile.ZipFile] | None = None
    total = 0
    try:
        for source in sources:
            archive = None
            if source.member is not None and source.data is None:
                # NOTE: keep one archive open across its members instead of re-reading its
                # central directory for each.
                if opened is None or opened[0] != source.path:
                    if opened is not None:
                        opened[1].close()
                    opened = (source.path, _open_zip(Path(source.path), source.path))
                    total = 0
                archive = opened[1]
            try:
                doc = load_source(source, zip_limits=zip_limits, archive=archive)
                if archive is not None:
                    total += archive.getinfo(source.member or "").file_size
                    if total > zip_limits.max_total_bytes:
                        raise LimitError(
                            f"archive expands beyond {zip_limits.max_total_bytes:,} bytes",
                            source=source.path,
                        )
            except SbomcheckError as e:
                if not lenient:
                    raise
                failures.append(InputFailure(path=source.key, message=e.diagnostics()))
                continue
            documents.append(doc)
    finally:
        if opened is not None:
            opened[1].close()
    return documents, failures


def load_inputs(
    inputs: Sequence[str | Path], *, zip_limits: ZipLimits = DEFAULT_ZIP_LIMITS
) -> Bundle:
    """Read every SBOM the inputs name; the first unreadable one raises (fail closed).

    Raises `InputError` (`IngestError`, `LimitError`) naming the file and the place in it,
    and `InputError` when the inputs hold no SBOM at all.
    """
    listing = collect_sources(inputs, zip_limits=zip_limits)
    documents, _ = _load_all(listing.sources, zip_limits, lenient=False)
    if not documents:
        skipped = "; ".join(n.render() for n in listing.notes[:3])
        more = f" and {len(listing.notes) - 3} more" if len(listing.notes) > 3 else ""
        why = f" ({skipped}{more})" if skipped else ""
        raise InputError(
            f"no SBOM documents found in the inputs{why}", source=", ".join(map(str, inputs))
        )
    return Bundle(documents=tuple(documents), notes=listing.notes, sources=listing.sources)


def load_inputs_lenient(
    inputs: Sequence[str | Path], *, zip_limits: ZipLimits = DEFAULT_ZIP_LIMITS
) -> Bundle:
    """Like `load_inputs`, but every unreadable input becomes an `InputFailure`."""
    listing = collect_sources(inputs, zip_limits=zip_limits, lenient=True)
    documents, failures = _load_all(listing.sources, zip_limits, lenient=True)
    return Bundle(
        documents=tuple(documents),
        notes=listing.notes,
        failures=(*listing.failures, *failures),
        sources=listing.sources,
    )
