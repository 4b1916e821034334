"""Read SPDX 2.x documents serialised as JSON, YAML and XML (`<Document>` root).

JSON and YAML arrive parsed (orjson / PyYAML safe loader) and go straight to the shared
builder. The XML flavour is the JSON document written as elements (`<packages>` repeated,
one child per property), so it is turned into the same dict shape first and then built the
same way; locations become XPath (`/Document/packages[3]/supplier`).
"""

from __future__ import annotations

from typing import Any

from sbomcheck.errors import IngestError
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._spdx_common import Where, build_spdx2, type_name
from sbomcheck.model import Document, Format

__all__ = ["read_spdx_dict", "read_spdx_xml"]

# NOTE: the XML flavour repeats an element for every array item, so a single <creators>
# cannot be told from a one-item array by its shape; these are the SPDX 2.3 array properties.
_XML_LISTS = frozenset(
    [
        "packages",
        "files",
        "snippets",
        "relationships",
        "externalDocumentRefs",
        "hasExtractedLicensingInfos",
        "annotations",
        "documentDescribes",
        "creators",
        "checksums",
        "externalRefs",
        "licenseInfoFromFiles",
        "licenseInfoInFiles",
        "licenseInfoInSnippets",
        "hasFiles",
        "attributionTexts",
        "fileTypes",
        "fileContributors",
        "seeAlsos",
        "ranges",
        "packageVerificationCodeExcludedFiles",
        "artifactOfs",
        "fileDependencies",
    ]
)


def read_spdx_dict(obj: dict[str, Any], ctx: ReadContext, fmt: Format) -> Document:
    """Read an SPDX 2 document parsed from JSON or YAML (`fmt` says which).

    Raises `IngestError` naming the JSON path (`packages[12].supplier`) on a value of the
    wrong type; reads leniently, with warnings, where the document is only irregular.
    """
    if not isinstance(obj, dict):
        raise IngestError(
            f"SPDX document is {type_name(obj)}, expected an object", source=ctx.key, location="$"
        )
    return build_spdx2(obj, ctx, fmt)


def read_spdx_xml(root: Any, ctx: ReadContext) -> Document:
    """Read an SPDX 2 document in the XML flavour (`<Document>` root, no namespace).

    Raises `IngestError` with an XPath location on malformed input.
    """
    repeated: list[tuple[str, str, int]] = []
    obj, lines = _element_to_dict(root, "/Document", repeated, top=True)
    if repeated:
        # NOTE: readers disagree on which of two values counts, and a finding could hide in
        # the one not read: refused, like a repeated JSON key (docs/readers.md).
        name, path, line = repeated[0]
        raise IngestError(
            f"element <{name}> appears twice in one parent (line {line}); it may appear once, "
            "so sbomcheck refuses the document rather than guess which counts",
            source=ctx.key,
            location=path,
        )
    where = Where(
        prefix="/Document/",
        base=1,
        sep="/",
        package_lines=lines.get("packages"),
        file_lines=lines.get("files"),
    )
    return build_spdx2(obj, ctx, Format.SPDX_XML, where)


def _local(tag: object) -> str | None:
    if not isinstance(tag, str):
        return None  # comments and processing instructions
    return tag.rpartition("}")[2]


def _element_to_dict(
    el: Any, path: str, repeated: list[tuple[str, str, int]], *, top: bool = False
) -> tuple[dict[str, Any], dict[str, list[int]]]:
    out: dict[str, Any] = {}
    lines: dict[str, list[int]] = {}
    counts: dict[str, int] = {}
    for child in el:
        name = _local(child.tag)
        if name is None:
            continue
        n = counts[name] = counts.get(name, 0) + 1
        value: Any
        if len(child):
            value = _element_to_dict(child, f"{path}/{name}[{n}]", repeated)[0]
        else:
            value = child.text or ""
            value = value.strip() if name not in ("comment",) else value
        if name in _XML_LISTS:
            out.setdefault(name, []).append(value)
            if top and name in ("packages", "files"):
                lines.setdefault(name, []).append(child.sourceline)
        elif name in out:
            # NOTE: a repeated element the spec says is single-valued.
            repeated.append((name, f"{path}/{name}[{n}]", child.sourceline))
        else:
            out[name] = value
    return out, lines
