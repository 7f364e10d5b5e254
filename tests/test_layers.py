"""The layer rule (pipeline/layers.py) holds for every import in the project's packages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.layers import LAYERS, ONLY_IN, layer_of, rank

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("feeds", "pipeline", "spiders")


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            yield name, path


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) of every import in a file, except those only made for type
    checkers (`if TYPE_CHECKING:`); `from a import b` counts as a.b when a.b is a module."""
    found = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            if isinstance(child, ast.Import):
                found.extend((child.lineno, alias.name) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                for alias in child.names:
                    candidate = f"{child.module}.{alias.name}"
                    as_module = (ROOT / candidate.replace(".", "/")).with_suffix(".py").exists() or (
                        ROOT / candidate.replace(".", "/") / "__init__.py").exists()
                    found.append((child.lineno, candidate if as_module else child.module))
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


MODULES = list(_modules())


def test_every_module_has_a_layer():
    assert all(layer_of(name) for name, _ in MODULES)
    # Each sub-package of pipeline/ is a layer of its own (a new one is added to LAYERS).
    layers = {name for name, _ in LAYERS}
    subpackages = {f"pipeline.{p.name}" for p in (ROOT / "pipeline").iterdir()
                   if (p / "__init__.py").exists()}
    assert subpackages <= layers, subpackages - layers


@pytest.mark.parametrize("module,path", MODULES, ids=[name for name, _ in MODULES])
def test_imports_follow_the_layers(module, path):
    own = layer_of(module)
    problems = []
    for line, imported in imports_of(path):
        target = layer_of(imported)
        if target is not None and rank(target) > rank(own):
            problems.append(f"{path.relative_to(ROOT)}:{line}: {own} imports {imported} "
                            f"from the layer above it, {target}")
        library = imported.split(".")[0]
        if library in ONLY_IN and own not in ONLY_IN[library]:
            problems.append(f"{path.relative_to(ROOT)}:{line}: {own} imports {library}, "
                            f"kept to {', '.join(ONLY_IN[library])}")
    assert not problems, "\n".join(problems)


def test_the_checker_sees_a_violation(tmp_path):
    # The rule can fail: an understand-layer file importing SQLite and the CLI is caught.
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlite3\nfrom pipeline.cli import main\n")
    imported = [name for _, name in imports_of(bad)]
    assert imported == ["sqlite3", "pipeline.cli.main"]
    assert rank(layer_of("pipeline.cli.main")) > rank(layer_of("pipeline.understand.tagging"))
    assert "pipeline.understand" not in ONLY_IN["sqlite3"]
