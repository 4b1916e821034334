"""Real SBOMs with cycles and Red Hat's relationship mix (skipped where the corpus is absent)."""

from __future__ import annotations

import pytest

from sbomcheck.graph import build_graph
from sbomcheck.ingest import load
from tests.conftest import require_corpus

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
