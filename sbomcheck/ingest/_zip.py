"""Zip archives as sbomcheck reads them: whole, bounded, in memory, never extracted.

An archive must be exactly one whole archive (`open_zip(..., check_layout=True)`: its end
record ends the file, its central directory ends where the end record starts, and its members
tile the bytes before it); member names are checked for traversal (`check_member_name`); a
member is read in chunks against the size and ratio limits (`read_member`). Which members
are SBOMs, and what is skipped, is `sources`' business.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sbomcheck._io import SBOM_MAX_BYTES
from sbomcheck.errors import IngestError, LimitError

if TYPE_CHECKING:
    import zipfile

__all__ = [
    "DEFAULT_ZIP_LIMITS",
    "ZIP_MAGIC",
    "ZipLimits",
    "check_member_name",
    "member_head",
    "open_zip",
    "read_member",
]

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass(frozen=True, slots=True, kw_only=True)
class ZipLimits:
    """Safety limits for reading a zip archive."""

    max_members: int = 10_000
    max_member_bytes: int = SBOM_MAX_BYTES
    max_total_bytes: int = 4 * 1024**3
    max_ratio: int = 200
    """Largest uncompressed/compressed ratio of a member; SBOM JSON deflates about 10-30x."""


DEFAULT_ZIP_LIMITS = ZipLimits()


def member_head(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    import zipfile  # NOTE: loaded only for an archive

    try:
        with archive.open(info) as fh:
            return fh.read(4)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        # NOTE: unreadable (encrypted, damaged): not known to be metadata.
        return b""


def open_zip(where: Path | bytes, key: str, *, check_layout: bool = False) -> zipfile.ZipFile:
    """Open an archive; with `check_layout`, refuse one that is not whole (see
    `_check_zip_layout`)."""
    import zipfile  # NOTE: loaded only for an archive

    try:
        archive = zipfile.ZipFile(io.BytesIO(where) if isinstance(where, bytes) else where)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise IngestError(f"not a readable zip archive: {e}", source=key) from None
    if check_layout:
        try:
            assert archive.fp is not None
            _check_zip_layout(archive.fp, archive.infolist(), key)
        except (zipfile.BadZipFile, OSError, EOFError, struct.error) as e:
            archive.close()
            raise IngestError(f"not a readable zip archive: {e}", source=key) from None
        except BaseException:
            archive.close()
            raise
    return archive


_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
_ZIP64_EOCD = b"PK\x06\x06"
_ZIP64_EOCD_SIZE = 56
_LOCAL_HEADER = b"PK\x03\x04"
_LOCAL_HEADER_SIZE = 30
_DESCRIPTOR = b"PK\x07\x08"


def _damaged(message: str, key: str) -> IngestError:
    return IngestError(f"damaged or truncated zip archive: {message}", source=key)


def _check_zip_layout(fh: IO[bytes], infos: Sequence[zipfile.ZipInfo], key: str) -> None:
    """Refuse an archive that is not exactly one whole archive: its end record must end the
    file, its central directory must end where the end record starts, and the members it
    lists must follow one another from byte 0 up to the central directory.

    A truncated archive otherwise reads as whatever archive its last complete end record
    belongs to (a stored inner archive: the outer members vanish), and bytes no member
    accounts for hold entries that other unzip tools, reading local headers in order, see
    while sbomcheck does not.
    """
    size = fh.seek(0, io.SEEK_END)
    tail_start = max(0, size - _EOCD_SIZE - 0xFFFF)
    fh.seek(tail_start)
    tail = fh.read()
    # NOTE: zipfile takes the last end-record signature in the file's last 64 KiB; the
    # archive is whole only if that record's comment ends exactly at the end of the file.
    at = tail.rfind(_EOCD)
    if at < 0 or at + _EOCD_SIZE > len(tail):
        raise _damaged("no end-of-central-directory record", key)
    (disk, cd_disk, on_disk, count, cd_size, cd_offset, comment) = struct.unpack(
        "<HHHHIIH", tail[at + 4 : at + _EOCD_SIZE]
    )
    eocd = tail_start + at
    if eocd + _EOCD_SIZE + comment != size:
        extra = size - eocd - _EOCD_SIZE - comment
        raise _damaged(
            f"the end-of-central-directory record at byte {eocd:,} does not end the file "
            f"({extra:+,} bytes after it: cut short, or data appended)",
            key,
        )
    cd_end = eocd
    locator = eocd - _ZIP64_LOCATOR_SIZE
    if locator >= 0:
        fh.seek(locator)
        raw = fh.read(_ZIP64_LOCATOR_SIZE)
        if raw[:4] == _ZIP64_LOCATOR:
            _, z64_disk, z64_at, disks = struct.unpack("<4sLQL", raw)
            record = locator - _ZIP64_EOCD_SIZE
            fh.seek(max(record, 0))
            raw64 = fh.read(_ZIP64_EOCD_SIZE)
            if record < 0 or z64_at != record or raw64[:4] != _ZIP64_EOCD or z64_disk or disks > 1:
                raise _damaged("the zip64 end record is not where its locator says", key)
            fields = struct.unpack("<4sQHHLLQQQQ", raw64)
            if fields[1] != _ZIP64_EOCD_SIZE - 12:
                raise _damaged("the zip64 end record has extensible data", key)
            disk, cd_disk, on_disk, count, cd_size, cd_offset = fields[4:10]
            cd_end = record
    if disk or cd_disk or on_disk != count:
        raise _damaged("split across several disks", key)
    if cd_offset + cd_size != cd_end:
        raise _damaged(
            f"the central directory ({cd_size:,} bytes from byte {cd_offset:,}) does not end "
            f"where the end record starts (byte {cd_end:,}): data before the archive, or a "
            "damaged archive",
            key,
        )
    if count != len(infos):
        raise _damaged(
            f"the end record counts {count:,} members, the directory {len(infos):,}", key
        )
    _check_members_tile(fh, infos, cd_offset, key)


def _check_members_tile(
    fh: IO[bytes], infos: Sequence[zipfile.ZipInfo], cd_offset: int, key: str
) -> None:
    ordered = sorted(infos, key=lambda i: i.header_offset)
    expected = 0
    for i, info in enumerate(ordered):
        if info.header_offset != expected:
            what = (
                "overlaps the member before it"
                if info.header_offset < expected
                else (f"follows {info.header_offset - expected:,} bytes no member accounts for")
            )
            raise _damaged(f"member {info.filename!r} at byte {info.header_offset:,} {what}", key)
        fh.seek(info.header_offset)
        header = fh.read(_LOCAL_HEADER_SIZE)
        if len(header) < _LOCAL_HEADER_SIZE or header[:4] != _LOCAL_HEADER:
            raise _damaged(f"no local header for member {info.filename!r}", key)
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        end = info.header_offset + _LOCAL_HEADER_SIZE + name_len + extra_len + info.compress_size
        following = ordered[i + 1].header_offset if i + 1 < len(ordered) else cd_offset
        if info.flag_bits & 0x8:
            # A data descriptor follows the data: 12 or 20 bytes (zip64), with or without
            # its 4-byte signature.
            fh.seek(end)
            signed = fh.read(4) == _DESCRIPTOR
            sizes = (16, 24) if signed else (12, 20)
            end += next((n for n in sizes if end + n == following), sizes[0])
        expected = end
    if expected != cd_offset:
        raise _damaged(
            f"{cd_offset - expected:+,} bytes between the last member and the central directory",
            key,
        )


def check_member_name(name: str, key: str) -> None:
    normalized = name.replace("\\", "/")
    if (
        normalized.startswith("/")
        or (len(normalized) > 1 and normalized[1] == ":")
        or ".." in normalized.split("/")
        or "\x00" in name
    ):
        raise LimitError(f"unsafe member name {name!r} (absolute or with '..')", source=key)


def read_member(archive: zipfile.ZipFile, member: str, key: str, limits: ZipLimits) -> bytes:
    """Read one member in chunks, stopping at the first limit (never trusting the header)."""
    import zipfile  # NOTE: loaded only for an archive

    try:
        info = archive.getinfo(member)
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
    except RuntimeError as e:
        # zipfile: "File ... is encrypted, password required"
        raise IngestError(f"cannot read archive member: {e}", source=key) from None
    return bytes(out)
