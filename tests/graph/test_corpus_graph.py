"""Real SBOMs with cycles and Red Hat's relationship mix (skipped where the corpus is absent)."""

from __future__ import annotations

from collections import Counter

import pytest

from sbomcheck.graph import build_graph
from sbomcheck.ingest import load
from tests.conftest import corpus_rows, require_corpus

pytestmark = pytest.mark.corpus

CYCLIC = [
    "cyclonedx/trustify/cyclonedx-circular.json",
    "cyclonedx/trivy/infinite-loop-bom.cdx.json",
    "spdx/trustify/loop.spdx.json",
]


@pytest.mark.parametrize("name", CYCLIC)
def test_every_element_gets_simple_paths_from_a_root(name: str) -> None:
    doc = load(require_corpus() / name)
    g = build_graph([doc])
    roots = set(g.roots)
    assert roots
    infos = g.paths_to(range(len(g.nodes)), max_paths=5)
    for target, info in infos.items():
        assert info.paths, g.nodes[target].id
        assert info.total >= len(info.paths)
        for path in info.paths:
            assert path[0] in roots and path[-1] == target
            assert len(set(path)) == len(path)
            assert all(b in g.succ[a] for a, b in zip(path, path[1:], strict=False))
        assert target not in info.affected


def test_loop_spdx_paths() -> None:
    doc = load(require_corpus() / "spdx/trustify/loop.spdx.json")
    g = build_graph([doc])
    assert g.refs(g.roots) == doc.root_refs
    infos = g.paths_to(range(len(g.nodes)))
    # Three packages in a ring under the described one: each has exactly one simple path.
    assert all(info.total == len(info.paths) == 1 for info in infos.values())


def test_red_hat_product_reaches_every_package() -> None:
    doc = load(require_corpus() / "spdx/trustify/SATELLITE-6.15-RHEL-8.spdx.json")
    g = build_graph([doc])
    # CONTAINED_BY and PACKAGE_OF reversed: the product is the only root, so every one of
    # the 2,084 packages is reachable from it.
    assert len(g.nodes) > 2000
    assert g.refs(g.roots) == doc.root_refs
    assert g.unknown_types == {}


@pytest.mark.slow
def test_links_across_the_whole_corpus() -> None:
    # Every readable corpus file in one graph: the links of the kinds that existed before
    # cross-format linking are unchanged (126 SPDX DocumentRef edges, one CycloneDX bom
    # reference, 92 unresolved references); the SPDX 3 twin of example14 now has its import
    # checked like the SPDX 2 twin's externalDocumentRef (both fail the same checksum).
    corpus = require_corpus()
    paths = [r["path"] for r in corpus_rows() if not r["path"].startswith("invalid/")]
    g = build_graph([load(corpus / p, key=p) for p in paths])
    crossing = Counter(
        e.type for e in g.edges if g.nodes[e.source].document != g.nodes[e.target].document
    )
    assert crossing == {"generated-from": 126, "bom-reference": 1}
    assert len(g.unresolved) == 93
    assert Counter(u.reason.partition(":")[0] for u in g.unresolved)["checksum mismatch"] == 4
    enriched = "spdx/spdx-examples/example14-examplemaven-0.0.1-enriched"
    twins = [u for u in g.unresolved if u.document.startswith(enriched)]
    assert [(u.document, u.reference) for u in twins] == [
        (f"{enriched}.spdx.json", "DocumentRef-original"),
        (f"{enriched}.spdx3.json", "http://spdx.org/documents/examplemaven-0.0.1"),
    ]
    assert twins[0].reason == twins[1].reason
    assert twins[0].reason.startswith("checksum mismatch: expected SHA-1 3f9deeef")
    assert g.link_warnings == {}
