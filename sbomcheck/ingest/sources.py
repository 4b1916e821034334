"""Collect the SBOMs a scan is given: files, directories, zip archives and standard input.

- A file named on the command line is always read as an SBOM (the format is detected from
  content), or as a zip archive when it starts with the zip signature. A FIFO, a device or
  a process substitution (`<(cat x.json)`) is read exactly once, bounded like any file.
- A directory is walked recursively in sorted order. Only regular files are opened (a FIFO,
  socket or device inside is skipped, never opened), hidden entries (`.git`, `.DS_Store`)
  and symbolic links to directories are not followed, and files whose names do not look
  like SBOMs (`README.md`, `notes.txt`) are skipped; every other file must read as an SBOM.
- A zip archive is read in memory, never extracted. It must be whole: its members, central
  directory and end record must cover the file from its first byte to its last (a
  truncated archive, data before or after it, or bytes no member accounts for refuse it).
  Member names with `..`, absolute paths or drive letters, and names given twice, reject
  the archive; the member count, each member's and the total uncompressed size, and the
  compression ratio are limited; nested archives are not followed. Members are keyed
  `archive.zip!inner/path`.

Everything skipped is recorded as a `SkippedInput` (`Bundle.notes`), marked `may_hold_sbom`
when it could be an SBOM that was not read (a nested archive, a hidden file with an SBOM
name): a clean scan cannot then show absence.

Two steps, so a batch can spread the second over processes: `list_sources` finds what to
read (a picklable `Source` each), `load_source` reads one. `load_inputs` does both and fails
closed on the first unreadable SBOM (the `scan` command: exit 2); `load_inputs_lenient`
returns every failure beside the documents it could read.

Over 500 lines on purpose: listing the inputs (with what is skipped and why) and reading what
was listed are one job, each kind of input a few functions; the zip format itself is in
`_zip`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from sbomcheck._io import NotRegularFile, file_kind, read_prefix
from sbomcheck.errors import IngestError, InputError, LimitError, SbomcheckError
from sbomcheck.findings import SkippedInput
from sbomcheck.ingest._bytes import read_sbom_bytes
from sbomcheck.ingest._load import load, load_bytes
from sbomcheck.ingest._zip import (
    DEFAULT_ZIP_LIMITS,
    ZIP_MAGIC,
    ZipLimits,
    check_member_name,
    member_head,
    open_zip,
    read_member,
)
from sbomcheck.model import Document
from sbomcheck.safe_text import visible

if TYPE_CHECKING:
    import zipfile

__all__ = [
    "DEFAULT_ZIP_LIMITS",
    "SBOM_SUFFIXES",
    "Bundle",
    "InputFailure",
    "InputNote",
    "Listing",
    "SkippedInput",
    "Source",
    "ZipLimits",
    "collect_sources",
    "list_sources",
    "load_inputs",
    "load_inputs_lenient",
    "load_source",
    "looks_like_sbom_name",
    "with_contents",
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


InputNote = SkippedInput
"""Something skipped on purpose (the name `Bundle.notes` has always used)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InputFailure:
    """An input that could not be read, with the one-line diagnostic."""

    path: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Listing:
    """What `collect_sources` found."""

    sources: tuple[Source, ...]
    notes: tuple[SkippedInput, ...] = ()
    failures: tuple[InputFailure, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Bundle:
    """What was read: documents in input order, what was skipped, and (lenient mode)
    failures."""

    documents: tuple[Document, ...]
    notes: tuple[SkippedInput, ...] = ()
    """Every input skipped, in the order met (the report's `skipped_inputs`)."""
    failures: tuple[InputFailure, ...] = ()
    sources: tuple[Source, ...] = ()
    """Every source listed (standard input's bytes included), for a second look at a
    document's bytes (`with_contents`), e.g. to find where a finding is written."""


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
    """(sources, failures) for a batch: never raises for bad input.

    A skipped input that may hold an SBOM (a nested archive, a hidden file with an SBOM
    name) is among the failures (`not read: ...`), so a batch reports it rather than
    auditing the rest of its product as if it were whole.
    """
    listing = collect_sources(inputs, zip_limits=zip_limits, lenient=True)
    unread = [
        InputFailure(path=n.path, message=visible(f"{n.path}: not read: {n.reason}"))
        for n in listing.notes
        if n.may_hold_sbom
    ]
    return list(listing.sources), [*listing.failures, *unread]


_MAX_PROBED_ENTRIES = 100_000
"""Entries a hidden directory is searched for SBOM names before it is assumed to hold one."""
_APPLEDOUBLE_MAGIC = b"\x00\x05\x16\x07"
"""The first bytes of a macOS AppleDouble file (`._name`, `__MACOSX/`): metadata, no SBOM."""


class _Lister:
    def __init__(self, zip_limits: ZipLimits, lenient: bool) -> None:
        self.zip_limits = zip_limits
        self.lenient = lenient
        self.sources: list[Source] = []
        self.notes: list[SkippedInput] = []
        self.failures: list[InputFailure] = []
        self.seen_files: set[str] = set()
        self.stdin_read = False

    def fail(self, error: SbomcheckError, source: str) -> None:
        if not self.lenient:
            raise error
        self.failures.append(InputFailure(path=source, message=error.diagnostics()))

    def note(self, source: str, reason: str, *, may_hold_sbom: bool = False) -> None:
        self.notes.append(SkippedInput(path=source, reason=reason, may_hold_sbom=may_hold_sbom))

    def input(self, name: str) -> None:
        if name == "-":
            if self.stdin_read:
                self.fail(InputError("standard input ('-') can be given only once"), "-")
                return
            self.stdin_read = True
            self.guarded(lambda: self.read_once("-", "-"), "-")
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
        elif stat.S_ISREG(st.st_mode):
            self.file(path, name)
        else:
            # NOTE: a FIFO, device or process substitution can be read only once: it is
            # read here, whole (bounded), instead of being probed and then opened again.
            self.guarded(lambda: self.read_once(name, name), name)

    def read_once(self, name: str, key: str) -> None:
        data = read_sbom_bytes(name, source=key)
        if data[:4] in ZIP_MAGIC:
            self.archive(data, key, key)
        else:
            self.sources.append(Source(key=key, path=key, data=data))

    def directory(self, root: Path, given: str) -> None:
        before = len(self.sources) + len(self.failures)
        prefix = given.rstrip("/\\")

        def key_of(rel_dir: str, name: str) -> str:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            return f"{prefix}/{rel}" if prefix not in ("", ".") else rel

        def unreadable(error: OSError) -> None:
            # NOTE: os.walk skips a directory it cannot list unless told; it may hold SBOMs.
            where = Path(os.path.relpath(error.filename or root, root)).as_posix()
            key = given if where == "." else key_of(".", where)
            self.fail(
                IngestError(f"cannot read directory: {error.strerror or error}", source=key), key
            )

        for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
            rel_dir = Path(os.path.relpath(dirpath, root)).as_posix()
            kept = []
            for name in sorted(dirnames):
                full = os.path.join(dirpath, name)
                if os.path.islink(full):
                    self.note(
                        key_of(rel_dir, name),
                        "symbolic link to a directory, not followed",
                        may_hold_sbom=True,
                    )
                elif name.startswith("."):
                    self.note(
                        key_of(rel_dir, name),
                        "hidden directory, not walked",
                        may_hold_sbom=_holds_sbom_names(full),
                    )
                else:
                    kept.append(name)
            # NOTE: assigning in place also fixes the order os.walk descends in.
            dirnames[:] = kept
            for name in sorted(filenames):
                self.entry(Path(dirpath) / name, key_of(rel_dir, name))
        if len(self.sources) + len(self.failures) == before:
            self.note(given, "directory holds no SBOM files")

    def entry(self, path: Path, key: str) -> None:
        """One file met in a directory walk: only regular files are ever opened."""
        name = path.name
        try:
            mode = path.stat().st_mode
        except OSError as e:
            self.fail(IngestError(f"cannot read: {e.strerror or e}", source=key), key)
            return
        if not stat.S_ISREG(mode):
            self.note(key, f"not a regular file ({file_kind(mode)})")
        elif name.startswith("."):
            maybe = looks_like_sbom_name(name) and not _is_appledouble_file(path)
            self.note(key, "hidden file", may_hold_sbom=maybe)
        elif not looks_like_sbom_name(name):
            self.note(key, "not an SBOM file name")
        else:
            self.file(path, key, walked=True)

    def file(self, path: Path, key: str, *, walked: bool = False) -> None:
        real = os.path.realpath(path)
        if real in self.seen_files:
            self.note(key, "already read under another name")
            return
        self.seen_files.add(real)
        try:
            head = _head(path, 4, key)
        except NotRegularFile as e:
            # NOTE: it was a regular file a moment ago; it is not opened for reading.
            if walked:
                self.note(key, f"not a regular file ({e.kind})")
            else:
                self.guarded(lambda: self.read_once(str(path), key), key)
            return
        except SbomcheckError as e:
            self.fail(e, key)
            return
        if head in ZIP_MAGIC:
            self.guarded(lambda: self.archive(path, str(path), key), key)
        else:
            self.sources.append(Source(key=key, path=str(path)))

    def guarded(self, action: Callable[[], None], key: str) -> None:
        try:
            action()
        except SbomcheckError as e:
            self.fail(e, key)

    def archive(self, where: Path | bytes, path: str, key: str) -> None:
        """List the SBOM members of one archive; a damaged archive, unsafe or repeated names
        and sizes over the limits reject it whole."""
        limits = self.zip_limits
        with open_zip(where, key, check_layout=True) as archive:
            infos = archive.infolist()
            if len(infos) > limits.max_members:
                raise LimitError(
                    f"archive has {len(infos):,} members, over the limit of {limits.max_members:,}",
                    source=key,
                )
            total = 0
            names: set[str] = set()
            for info in infos:
                check_member_name(info.filename, key)
                if info.filename in names:
                    raise IngestError(
                        f"member name {info.filename!r} appears twice (which one is meant?)",
                        source=key,
                    )
                names.add(info.filename)
                total += info.file_size
            if total > limits.max_total_bytes:
                raise LimitError(
                    f"archive expands to {total:,} bytes, over the limit of "
                    f"{limits.max_total_bytes:,}",
                    source=key,
                )
            data = where if isinstance(where, bytes) else None
            for info in sorted(infos, key=lambda i: i.filename):
                self.member(archive, info, key, path, data)

    def member(
        self,
        archive: zipfile.ZipFile,
        info: zipfile.ZipInfo,
        key: str,
        path: str,
        data: bytes | None,
    ) -> None:
        member = info.filename
        member_key = f"{key}!{member}"
        parts = PurePosixPath(member.replace("\\", "/")).parts
        if info.is_dir() or not parts:
            return
        sbom_name = looks_like_sbom_name(parts[-1])
        if stat.S_ISLNK(info.external_attr >> 16):
            self.note(member_key, "symbolic link in archive")
        elif parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts):
            where = "in __MACOSX/" if parts[0] == "__MACOSX" else "hidden archive member"
            if sbom_name and _is_appledouble(member_head(archive, info)):
                self.note(member_key, "macOS metadata (AppleDouble)")
            else:
                self.note(member_key, where, may_hold_sbom=sbom_name)
        elif not sbom_name:
            self.note(member_key, "not an SBOM file name")
        elif member.lower().removesuffix(".gz").endswith(".zip"):
            self.note(member_key, "nested archive not followed", may_hold_sbom=True)
        elif info.flag_bits & 0x1:
            self.fail(
                IngestError("encrypted archive member: cannot be read", source=member_key),
                member_key,
            )
        else:
            self.sources.append(Source(key=member_key, path=path, member=member, data=data))


def _head(path: Path, size: int, key: str) -> bytes:
    """The first `size` bytes of a regular file, opened without blocking; anything else
    raises `NotRegularFile` before a byte is read."""
    return read_prefix(path, size, source=key, regular_only=True)


def _is_appledouble(head: bytes) -> bool:
    return head == _APPLEDOUBLE_MAGIC


def _is_appledouble_file(path: Path) -> bool:
    try:
        return _is_appledouble(_head(path, 4, str(path)))
    except (SbomcheckError, NotRegularFile):
        # NOTE: unreadable: not known to be metadata.
        return False


def _holds_sbom_names(root: str) -> bool:
    """True when a directory that is not walked has, anywhere below it, a file with an
    SBOM name, or cannot be searched whole (unreadable, or too many entries)."""
    unreadable: list[OSError] = []
    seen = 0
    for _, dirnames, filenames in os.walk(root, onerror=unreadable.append):
        seen += len(dirnames) + len(filenames)
        if seen > _MAX_PROBED_ENTRIES or any(looks_like_sbom_name(f) for f in filenames):
            return True
    return bool(unreadable)


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
            return load_bytes(source.data, key=source.key, path=source.path)
        # NOTE: listed as a regular file; were it swapped for a FIFO since, opening it for
        # a blocking read could hang the scan.
        return load(source.path, key=source.key, regular_only=True)
    if archive is not None:
        data = read_member(archive, source.member, source.key, zip_limits)
    else:
        where: Path | bytes = source.data if source.data is not None else Path(source.path)
        with open_zip(where, source.key.rpartition("!")[0]) as opened:
            data = read_member(opened, source.member, source.key, zip_limits)
    if data[:4] in ZIP_MAGIC:
        raise IngestError("nested archive not followed", source=source.key)
    return load_bytes(data, key=source.key, path=source.key)


def with_contents(
    sources: Iterable[Source], *, zip_limits: ZipLimits = DEFAULT_ZIP_LIMITS
) -> Iterator[Source | InputFailure]:
    """Each source with its document's bytes in hand, read here (bounded, as `load_source`
    reads them), in order; one that cannot be read is an `InputFailure` with the message
    `load_source` would give.

    What a worker that cannot open this machine's files is sent (a Dask worker on another
    machine, or in another directory): `load_source` of the result reads the same document
    (same key, path and sha256) from `data`, without touching a file system. An archive
    member's own bytes replace its archive's. An archive stays open across its consecutive
    members (its directory is read once) until the next source or the end.
    """
    import zipfile  # NOTE: loaded only for an archive

    opened: tuple[str, zipfile.ZipFile | SbomcheckError] | None = None
    try:
        for source in sources:
            if source.member is None or opened is None or opened[0] != source.path:
                if opened is not None and isinstance(opened[1], zipfile.ZipFile):
                    opened[1].close()
                opened = None
            try:
                if source.member is None:
                    yield _file_contents(source)
                    continue
                if opened is None:
                    opened = (source.path, _open_member_archive(source))
                if isinstance(opened[1], SbomcheckError):
                    raise opened[1]
                data = read_member(opened[1], source.member, source.key, zip_limits)
                if data[:4] in ZIP_MAGIC:
                    raise IngestError("nested archive not followed", source=source.key)
                yield Source(key=source.key, path=source.key, data=data)
            except SbomcheckError as e:
                yield InputFailure(path=source.key, message=e.diagnostics())
    finally:
        if opened is not None and isinstance(opened[1], zipfile.ZipFile):
            opened[1].close()


def _file_contents(source: Source) -> Source:
    """A file source with its bytes read (as `ingest.load` reads them), or as it is when it
    came with them (standard input, a FIFO)."""
    if source.data is not None:
        return source
    try:
        # NOTE: listed as a regular file; were it swapped for a FIFO since, opening it for a
        # blocking read could hang the batch.
        data = read_sbom_bytes(source.path, source=source.key, regular_only=True)
    except NotRegularFile as e:
        raise IngestError(f"not a regular file ({e.kind})", source=source.key) from None
    return Source(key=source.key, path=source.path, data=data)


def _open_member_archive(source: Source) -> zipfile.ZipFile | SbomcheckError:
    """The archive a member is read from, or why it cannot be opened (then every member
    of it fails with that message, as each would on its own)."""
    where: Path | bytes = source.data if source.data is not None else Path(source.path)
    try:
        return open_zip(where, source.key.rpartition("!")[0])
    except SbomcheckError as e:
        return e


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
                    opened = (source.path, open_zip(Path(source.path), source.path))
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
