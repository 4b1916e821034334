"""The layout guards itself: every import points down the flow (docs/architecture.md).

Each module of the package belongs to one stage, and a stage may import only from its own
stage and those below it. Every import counts: at the top of a module, inside a function
(the lazy ones), under `if TYPE_CHECKING:`, and the module names a lazy package face keeps
as strings for `importlib`.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

LAYERS: tuple[tuple[str, ...], ...] = (
    # The ground floor: values and helpers every stage may use. `findings` is here because
    # graph and identify make its values (UnresolvedReference, Evidence).
    (
        "_version",
        "safe_text",
        "errors",
        "_typename",
        "_io",
        "_gc",
        "json_form",
        "model",
        "relationships",
        "findings",
    ),
    # Input collection (ingest/sources.py) and SBOM positions (ingest/positions.py) included.
    ("ingest",),
    ("graph",),
    ("identify",),
    ("policy",),
    ("scan",),
    # The outputs of a scan's Report: the formats (report/graph_export reads scan's
    # Analysis), the signed attestation, and the report's JSON schema.
    ("report", "attest", "schema"),
    ("audit",),
    ("cli",),
    # `sbomcheck/__init__.py` (the library's face) and `python -m sbomcheck`.
    ("__init__", "__main__"),
)
"""Stages from the ground up, as the top-level names of `sbomcheck` (a module or a package)."""

ALLOWED_UP: dict[tuple[str, str], str] = {
    ("sbomcheck.ingest._checks", "sbomcheck.graph.scc"): (
        "Tarjan's algorithm, which imports nothing of sbomcheck: ingest's cycle warnings "
        "and the graph's path counts share it rather than keep two copies"
    ),
}
"""Upward imports that are allowed, each with its reason; the target must be a leaf."""


def _rank() -> dict[str, int]:
    return {stage: rank for rank, stages in enumerate(LAYERS) for stage in stages}


def _module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_module(root: Path, name: str) -> bool:
    base = root.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _stage(name: str) -> str:
    """`sbomcheck.identify.matcher` -> `identify`; `sbomcheck` -> `__init__`."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(root: Path, path: Path) -> set[str]:
    """The sbomcheck modules `path` imports, wherever in it the import is written."""
    here = _module_name(root, path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "sbomcheck")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            if module.split(".")[0] != "sbomcheck":
                continue
            # `from sbomcheck.x import y`: y may be a module of its own, else it is a name
            # that sbomcheck.x holds.
            subs = {f"{module}.{a.name}" for a in node.names}
            modules = {s for s in subs if _is_module(root, s)}
            found.update(modules)
            if len(modules) < len(subs):
                found.add(module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # A lazy face names its modules as strings (`"sbomcheck.graph.build"`).
            value = node.value
            if value.startswith("sbomcheck.") and _is_module(root, value):
                found.add(value)
    found.discard(here)
    return found


def violations(root: Path) -> list[str]:
    """Every import of the package under `root` that points up a stage, and every module
    that belongs to no stage; empty when the layout holds."""
    rank = _rank()
    problems: list[str] = []
    for path in sorted((root / "sbomcheck").rglob("*.py")):
        name = _module_name(root, path)
        stage = _stage(name)
        if stage not in rank:
            problems.append(f"{name}: in no stage; add '{stage}' to LAYERS")
            continue
        for target in sorted(imports(root, path)):
            target_stage = _stage(target)
            if target_stage not in rank or rank[target_stage] <= rank[stage]:
                continue
            if (name, target) in ALLOWED_UP:
                continue
            problems.append(f"{name} ({stage}) imports {target} ({target_stage}), a later stage")
    return problems


def test_every_import_points_down_the_flow() -> None:
    assert violations(ROOT) == []


def test_an_allowed_upward_import_is_of_a_leaf_that_imports_nothing_of_sbomcheck() -> None:
    for (importer, target), reason in ALLOWED_UP.items():
        assert reason
        path = ROOT.joinpath(*target.split(".")).with_suffix(".py")
        assert imports(ROOT, path) == set(), target
        assert _is_module(ROOT, importer), importer


def test_the_check_finds_a_planted_upward_import(tmp_path: Path) -> None:
    package = tmp_path / "sbomcheck"
    (package / "cli").mkdir(parents=True)
    (package / "graph").mkdir()
    (package / "__init__.py").write_text("")
    (package / "cli" / "__init__.py").write_text("def main() -> int:\n    return 0\n")
    (package / "graph" / "__init__.py").write_text("from . import paths\n")
    (package / "graph" / "paths.py").write_text("")
    # Lazy, inside a function, and relative: still an import of the CLI by the model.
    (package / "model.py").write_text(
        "def f() -> None:\n    from sbomcheck.cli import main\n    main()\n"
    )
    (package / "identify.py").write_text("from .graph import paths\n")
    (package / "gadget.py").write_text("")
    found = violations(tmp_path)
    assert found == [
        "sbomcheck.gadget: in no stage; add 'gadget' to LAYERS",
        "sbomcheck.model (model) imports sbomcheck.cli (cli), a later stage",
    ]
    (package / "graph" / "paths.py").write_text("import sbomcheck.identify\n")
    assert "sbomcheck.graph.paths (graph) imports sbomcheck.identify (identify), a later stage" in (
        violations(tmp_path)
    )
    (package / "graph" / "paths.py").write_text('HOMES = {"x": "sbomcheck.identify"}\n')
    assert "sbomcheck.graph.paths (graph) imports sbomcheck.identify (identify), a later stage" in (
        violations(tmp_path)
    )
