"""Safe XML parsing shared by the CycloneDX XML, SPDX XML and SPDX RDF readers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, TypedDict

from sbomcheck.errors import IngestError, LimitError
from sbomcheck.ingest._context import ReadContext

if TYPE_CHECKING:
    from lxml import etree


class _ParserOptions(TypedDict):
    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    dtd_validation: bool
    huge_tree: bool
    remove_blank_text: bool


PARSER_OPTIONS: Final[_ParserOptions] = {
    # NOTE: entities, DTD loading and network access are off: an XXE or billion-laughs
    # document is read without expansion and then refused because it declares a DTD.
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    # NOTE: without huge_tree libxml2 refuses nesting deeper than 256 levels and
    # text nodes over 10 MB, which bounds memory on hostile input for free.
    "huge_tree": False,
    "remove_blank_text": False,
}
"""The hardened settings of every XML parse, whole (`parse_xml`) or streamed (`pull_parser`)."""


def _parser() -> etree.XMLParser:
    from lxml import etree  # NOTE: lxml loads only for XML

    return etree.XMLParser(**PARSER_OPTIONS)


def pull_parser(tag: str) -> etree.XMLPullParser:
    """A parser fed the document in pieces, with the settings of `parse_xml`, reporting the
    start of each element named `tag` (`{namespace}local`) only: the caller reads the tree as
    it grows and removes what it has read. Unlike `parse_xml` it does not refuse a DTD: the
    caller checks `has_dtd` itself."""
    from lxml import etree  # NOTE: lxml loads only for XML

    return etree.XMLPullParser(events=("start",), tag=tag, **PARSER_OPTIONS)


def has_dtd(root: Any) -> bool:
    """True when the document of `root` declares a DTD (<!DOCTYPE>), which `parse_xml` refuses."""
    docinfo = root.getroottree().docinfo
    return docinfo.internalDTD is not None or bool(docinfo.doctype)


def parse_xml(data: bytes, ctx: ReadContext) -> Any:
    """Parse XML bytes into an lxml root element; refuse DTDs and over-deep nesting."""
    from lxml import etree  # NOTE: lxml loads only for XML

    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as e:
        line, col = e.position
        msg = str(e.msg or e).split(", line ")[0]
        error_cls = LimitError if "depth" in msg.lower() or "huge" in msg.lower() else IngestError
        raise error_cls(
            f"invalid XML: {msg}", source=ctx.key, location=f"line {line} column {col}"
        ) from None
    if root is None:
        raise IngestError("invalid XML: no root element", source=ctx.key)
    if has_dtd(root):
        raise IngestError(
            "XML declares a DTD (<!DOCTYPE>); SBOMs never need one and entity declarations "
            "are a known attack (XXE, billion laughs), so it is refused",
            source=ctx.key,
            location="line 1",
        )
    return root


def root_tag(root: Any) -> str:
    """The tag of a parsed root element (`{namespace}local`), "" for one without a name."""
    tag = root.tag
    return tag if isinstance(tag, str) else ""
