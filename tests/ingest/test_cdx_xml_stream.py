"""CycloneDX XML read while it is parsed: the same Document or error as the tree reader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sbomcheck.errors import IngestError
from sbomcheck.ingest import _cdx_xml_stream as stream
from sbomcheck.ingest import detect, load_bytes
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._xml import parse_xml
from sbomcheck.model import Document
from tests.conftest import CORPUS, SAMPLES, SHARED

ROOT = Path(__file__).resolve().parents[2]
NS = "http://cyclonedx.org/schema/bom/1.6"
EVIL = 'xmlns:x="urn:evil"'

Outcome = Document | tuple[type[IngestError], str]


def _outcome(data: bytes) -> Outcome:
    try:
        return load_bytes(data, key="doc.xml")
    except IngestError as e:
        return type(e), str(e)


def _streamed_and_tree(data: bytes, chunk: int, monkeypatch: pytest.MonkeyPatch) -> list[Outcome]:
    with monkeypatch.context() as m:
        m.setattr(stream, "CHUNK", chunk)
        streamed = _outcome(data)
    with monkeypatch.context() as m:
        m.setattr(detect, "cyclonedx_xml_streams", lambda data, ctx: False)
        tree = _outcome(data)
    return [streamed, tree]


def _components(n: int, extra: str = "") -> str:
    return (
        "<components>"
        + "".join(
            f'<component type="library" bom-ref="c{i}"><name>lib-{i}</name>'
            f"<version>1.{i}</version><purl>pkg:generic/lib-{i}@1.{i}</purl>"
            f'<hashes><hash alg="sha-256">{i:064x}</hash></hashes></component>\n'
            for i in range(n)
        )
        + extra
        + "</components>"
    )


def _dependencies(n: int) -> str:
    edges = "".join(f'<dependency ref="c{i}"/>' for i in range(n))
    return f'<dependencies><dependency ref="app">{edges}</dependency>\n</dependencies>'


META = (
    "<metadata><timestamp>2024-01-01T00:00:00Z</timestamp>"
    '<component type="application" bom-ref="app"><name>app</name></component>'
    "<supplier><name>Acme</name></supplier></metadata>"
)
SERVICES = '<services><service bom-ref="s1"><name>svc</name></service></services>'
EXTERNAL = '<externalReferences><reference type="bom"><url>https://x/b.xml</url></reference></externalReferences>'
COMPOSITIONS = (
    "<compositions><composition><aggregate>complete</aggregate></composition></compositions>"
)


def _doc(*parts: str, attrs: str = ' version="1"', prolog: str = "") -> bytes:
    head = prolog or '<?xml version="1.0" encoding="UTF-8"?>\n'
    return (head + f'<bom xmlns="{NS}"{attrs}>\n' + "\n".join(parts) + "\n</bom>\n").encode()


REGULAR = _doc(META, _components(40), SERVICES, EXTERNAL, _dependencies(40), COMPOSITIONS)

VARIANTS: dict[str, bytes] = {
    "regular": REGULAR,
    "empty root": f'<bom xmlns="{NS}"/>'.encode(),
    "no metadata": _doc(_components(5), _dependencies(5)),
    "metadata last": _doc(_components(5), _dependencies(5), META),
    "dependencies before components": _doc(META, _dependencies(5), _components(5)),
    "components twice": _doc(META, _components(5), "<components/>"),
    "a known name twice at the root": _doc("<name>a</name>", _components(3), "<name>b</name>"),
    "foreign at the root and among components": _doc(
        META,
        _components(3, f"<x:component {EVIL}><name>k</name></x:component>"),
        f"<x:components {EVIL}/>",
        f"<x:services {EVIL}/>",
    ),
    "foreign among components only": _doc(
        _components(3, f"<x:component {EVIL}><name>k</name></x:component>")
    ),
    "comments and instructions": _doc(
        "<!-- a -->", META, "<?pi x?>", _components(3, "<!-- b --><?pi y?>"), "<!-- c -->"
    ),
    "unknown sections": _doc(
        "<vulnerabilities>"
        + "<vulnerability><id>V</id></vulnerability>" * 30
        + "</vulnerabilities>",
        _components(3),
        "<annotations><annotation/></annotations>",
    ),
    "header and reader warnings, then another order": _doc(
        "<metadata><timestamp>yesterday</timestamp></metadata>",
        _components(3, '<component type="library" bom-ref=""><name>e</name></component>'),
        _dependencies(3),
        SERVICES,
        attrs=' version="one" serialNumber="nope"',
    ),
    "reader warnings in order": _doc(
        "<metadata><timestamp>yesterday</timestamp></metadata>",
        _components(3, '<component type="library" bom-ref=""/>'),
        '<dependencies><dependency><dependency ref="c1"/></dependency></dependencies>',
        attrs=' version="one" serialNumber="nope"',
    ),
    "an unexpected element among components": _doc(_components(3, "<name>x</name>")),
    "an unexpected element, then broken XML": _doc(_components(3, "<name>x</name>"))[:-12],
    "truncated": REGULAR[:-30],
    "broken after the components": _doc(_components(5), "<dependencies><oops></dependencies>"),
    "a component written twice over": _doc(
        _components(2, '<component type="library"><name>a</name><name>b</name></component>')
    ),
    "nested bom elements": _doc(
        _components(2, f'<component type="library"><name>n</name><bom xmlns="{NS}"/></component>')
    ),
    "nested components and services": _doc(
        '<components><component type="library" bom-ref="p"><name>p</name><components>'
        '<component type="library" bom-ref="q"><name>q</name></component></components>'
        "</component></components>",
        '<services><service bom-ref="s"><name>s</name><services><service><name>t</name>'
        "</service></services></service></services>",
    ),
    "mixed CycloneDX namespaces": _doc(
        _components(
            2,
            '<component xmlns="http://cyclonedx.org/schema/bom/1.4" type="library">'
            "<name>old</name></component>",
        )
    ),
    "a DTD": (
        b'<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + _doc(_components(1, '<component type="library"><name>&x;</name></component>'))[39:]
    ),
    "nesting too deep": _doc(
        _components(
            2,
            '<component type="library"><name>d</name>'
            + "<a>" * 300
            + "</a>" * 300
            + "</component>",
        )
    ),
    "latin-1": _doc(
        _components(1, '<component type="library"><name>caf\u00e9</name></component>'),
        prolog='<?xml version="1.0" encoding="ISO-8859-1"?>\n',
    )
    .decode()
    .encode("latin-1"),
    "UTF-16 without a byte-order mark": _doc(
        _components(2), prolog='<?xml version="1.0" encoding="UTF-16"?>\n'
    )
    .decode()
    .encode("utf-16-le"),
    # NOTE: where libxml2 fed in pieces could differ from libxml2 given the whole document.
    "invalid UTF-8 in a name": _doc(_components(3)).replace(b"lib-2<", b"lib-\xff2<"),
    "an overlong UTF-8 sequence": _doc(_components(3)).replace(b"lib-2<", b"lib-\xc0\xaf<"),
    "a control character": _doc(_components(3)).replace(b"lib-2<", b"lib-\x012<"),
    "a control character in XML 1.1": _doc(
        _components(3), prolog='<?xml version="1.1" encoding="UTF-8"?>\n'
    ).replace(b"lib-2<", b"lib-\x012<"),
    "an undefined prefix": _doc(_components(3, "<x:component><name>k</name></x:component>")),
    "an undefined entity": _doc(_components(3)).replace(b"lib-2<", b"lib-&foo;<"),
    "character references": _doc(_components(3)).replace(b"lib-2<", b"lib-&#233;&amp;<"),
    "an element after the root": _doc(_components(3)) + b"<x/>",
    "text after the root": _doc(_components(3)) + b"junk",
    "the root after 70 KB": _doc(_components(3), prolog="<!--" + "x" * 70_000 + "-->\n"),
    "another namespace": b'<bom xmlns="urn:other"><components/></bom>',
    "a version without a number": b'<bom xmlns="http://cyclonedx.org/schema/bom/"/>',
    "not CycloneDX": b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>",
}


@pytest.mark.parametrize("chunk", [7, 100, stream.CHUNK])
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_the_stream_gives_the_tree_readers_document_or_error(
    name: str, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    streamed, tree = _streamed_and_tree(VARIANTS[name], chunk, monkeypatch)
    assert streamed == tree


def _xml_files() -> list[Path]:
    roots = [SAMPLES, ROOT / "tests" / "assets", CORPUS, SHARED / "reproducers"]
    return sorted(p for r in roots if r.is_dir() for p in r.rglob("*.xml") if p.is_file())


@pytest.mark.parametrize("path", _xml_files(), ids=lambda p: p.name)
def test_every_xml_file_at_hand_reads_alike_streamed_and_whole(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = path.read_bytes()
    for chunk in (997, stream.CHUNK):
        streamed, tree = _streamed_and_tree(data, chunk, monkeypatch)
        assert streamed == tree


def _never(*args: Any) -> Any:
    raise AssertionError("parsed whole")


def _spy(seen: list[int], method: Callable[..., int]) -> Callable[..., int]:
    def spy(reader: Any, el: Any, done: bool) -> int:
        seen.append(len(el))
        return method(reader, el, done)

    return spy


def test_a_regular_document_is_read_without_holding_its_tree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held: list[int] = []
    monkeypatch.setattr(stream, "CHUNK", 512)
    monkeypatch.setattr(stream, "parse_xml", _never)
    reader = stream._StreamReader
    monkeypatch.setattr(reader, "components_done", _spy(held, reader.components_done))
    monkeypatch.setattr(reader, "dependencies_done", _spy(held, reader.dependencies_done))
    doc = load_bytes(_doc(META, _components(300), _dependencies(300)), key="doc.xml")
    assert [c.name for c in doc.components[1:]] == [f"lib-{i}" for i in range(300)]
    assert doc.components[300].location == "/bom/components/component[300]"
    assert doc.components[300].line == 303  # line 3 is <metadata>, 4 the first component
    # NOTE: a 512-byte piece completes two or three components of ~200 bytes at most.
    assert len(held) > 100 and max(held) <= 4


def test_a_document_in_another_order_is_read_whole_without_repeating_warnings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed: list[bytes] = []

    def parse_whole(data: bytes, ctx: ReadContext) -> Any:
        parsed.append(data)
        return parse_xml(data, ctx)

    monkeypatch.setattr(stream, "parse_xml", parse_whole)
    doc = load_bytes(VARIANTS["header and reader warnings, then another order"], key="doc.xml")
    assert len(parsed) == 1
    # NOTE: each warning once, though the stream had issued the first four before it
    # met <services> after <dependencies> and gave way to the tree reader.
    assert len(set(doc.warnings)) == len(doc.warnings)
    assert [w.location for w in doc.warnings][:4] == [
        "/bom/@serialNumber",
        "/bom/@version",
        "/bom/metadata/timestamp",
        "/bom/components/component[4]",
    ]


def test_detect_format_still_parses_the_whole_document() -> None:
    with pytest.raises(IngestError, match="invalid XML"):
        detect.detect_format(REGULAR[:-30])
