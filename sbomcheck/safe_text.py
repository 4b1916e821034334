"""Safe text: how every output shows a string an SBOM's author wrote.

Everything taken from an SBOM (names, versions, suppliers, refs, archive member and file
names, and the error messages that quote them) is untrusted. Two rules, one home:

- **Human-facing output** (terminal text, error lines, Markdown, HTML, DOT labels) shows
  control characters (C0, DEL, C1 U+0080-U+009F), bidi controls (U+202A-U+202E,
  U+2066-U+2069, ...), zero-width and other invisible formatting characters as printable
  backslash escapes (`visible`), so a name can neither drive a terminal (ESC, CSI, OSC) nor
  reorder or hide text. HTML and Markdown layer their own escaping (`html.escape`, the
  Markdown formatter's `text`) on top of `visible`, never instead of it.
- **Machine formats** (JSON, SARIF, cdxa, GraphML) keep the exact value, but write C1,
  bidi, line/paragraph separators and zero-width characters as `\\uXXXX` escapes (or XML
  character references), so a file shown with `cat` or in a code review cannot drive a
  terminal or reorder lines either (`json_safe`, `xml_safe`).

This module sits on the ground floor (it imports only the standard library) so that
`errors` (one-line diagnostics), `report/` (every formatter), `audit/` (its renderers) and
`cli/` (every line it prints) share one implementation: two copies of this knowledge once
drifted, and `audit` printed raw U+202E and ESC while `scan` escaped them.
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = ["MACHINE_UNSAFE", "html_text", "json_safe", "visible", "xml_safe"]

_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_INVISIBLE = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
"""Unicode categories shown as escapes: controls, formatting (bidi, zero-width),
surrogates, private use, unassigned, line and paragraph separators."""


def visible(value: str | None) -> str:
    """`value` with control (Cc), format (Cf: bidi overrides, zero-width), separator
    (Zl, Zp), surrogate, private-use and unassigned characters replaced by backslash
    escapes (`\\n`, `\\x1b`, `\\x9b`, `\\u202e`); None or empty becomes ``."""
    if not value:
        return ""
    # NOTE: fast path; almost every SBOM string is plain printable text.
    if value.isprintable():
        return value
    out: list[str] = []
    for ch in value:
        if ch in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[ch])
        elif unicodedata.category(ch) in _INVISIBLE:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def html_text(value: object) -> str:
    """`value` as HTML text or attribute content: `visible`, then `html.escape` (quotes too)."""
    return html.escape(visible(str(value)), quote=True)


MACHINE_UNSAFE = re.compile(
    "[\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)
"""Characters machine formats write escaped although JSON and XML allow them raw: DEL and
C1 controls, bidi marks, embeddings, overrides and isolates, line and paragraph separators,
zero-width and other invisible format characters. C0 controls are not listed: JSON
encoders always escape them and XML cannot carry them (GraphML shows them with `visible`)."""


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(text: str) -> str:
    """JSON text (as an encoder wrote it) with every `MACHINE_UNSAFE` character written as
    `\\uXXXX`: the same JSON value, but no raw C1 or bidi character in the file.

    Valid on any JSON text: outside strings JSON only has ASCII punctuation, digits,
    literals and whitespace, so every such character stands inside a string, where
    `\\uXXXX` is its exact equivalent.
    """
    # NOTE: `isascii` is O(1) on CPython strings, so an ASCII report costs nothing; any
    # other is scanned once (about 40 MB/s with `re`, measured) and rarely has a match.
    if text.isascii() or MACHINE_UNSAFE.search(text) is None:
        return text
    return MACHINE_UNSAFE.sub(_json_escape, text)


def _xml_reference(match: re.Match[str]) -> str:
    return f"&#x{ord(match.group()):x};"


def xml_safe(text: str) -> str:
    """XML text with every `MACHINE_UNSAFE` character written as a character reference
    (`&#x202e;`): the same XML data, no raw C1 or bidi character in the file.

    Valid where the characters can stand: in text content and attribute values, which is
    the only place an SBOM's strings reach in the XML sbomcheck writes.
    """
    if text.isascii() or MACHINE_UNSAFE.search(text) is None:
        return text
    return MACHINE_UNSAFE.sub(_xml_reference, text)
