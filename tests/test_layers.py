"""The layer rule (pipeline/layers.py) holds for every import in the project's packages, and
no module of theirs imports itself through others (an import cycle)."""

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


def layering_problems(module: str, path: Path) -> list[str]:
    """Every import of the file `path`, as module `module`, that breaks the layer rule: one
    from a layer above the module's, or of a library kept to other layers."""
    own = layer_of(module)
    problems = []
    for line, imported in imports_of(path):
        target = layer_of(imported)
        if target is not None and rank(target) > rank(own):
            problems.append(f"{module}:{line}: {own} imports {imported} "
                            f"from the layer above it, {target}")
        library = imported.split(".")[0]
        if library in ONLY_IN and own not in ONLY_IN[library]:
            problems.append(f"{module}:{line}: {own} imports {library}, "
                            f"kept to {', '.join(ONLY_IN[library])}")
    return problems


@pytest.mark.parametrize("module,path", MODULES, ids=[name for name, _ in MODULES])
def test_imports_follow_the_layers(module, path):
    problems = layering_problems(module, path)
    assert not problems, "\n".join(problems)


def test_the_checker_sees_a_violation(tmp_path):
    # The rule can fail: an understand-layer module importing SQLite and the CLI is reported
    # twice, a store-layer module importing the same SQLite and a lower layer not at all.
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlite3\nfrom pipeline.cli import main\nfrom pipeline.understand.links import host_of\n")
    assert layering_problems("pipeline.understand.bad", bad) == [
        f"pipeline.understand.bad:1: pipeline.understand imports sqlite3, kept to {', '.join(ONLY_IN['sqlite3'])}",
        "pipeline.understand.bad:2: pipeline.understand imports pipeline.cli.main from the layer above it, "
        "pipeline.cli",
    ]
    good = tmp_path / "good.py"
    good.write_text("import sqlite3\nfrom pipeline.understand.links import host_of\n")
    assert layering_problems("pipeline.store.good", good) == []


def import_graph(modules) -> dict[str, set[str]]:
    """module -> the project's modules it imports, from (module, path) pairs. Imports inside
    functions count: deferred, they still tie two modules to each other (pipeline/stages/
    pool.py and cluster.py once imported each other through one); those made only for type
    checkers do not (they never run). `from a import b` is an import of a.b when that is a
    module, else of a; a package's __init__ is a module of its own."""
    names = {name for name, _ in modules}
    return {name: {imported for _, imported in imports_of(path) if imported in names and imported != name}
            for name, path in modules}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The cycles a depth-first search finds in an import graph, each as the modules on it,
    the first repeated at the end; none when the graph has no cycle."""
    cycles: list[list[str]] = []
    done: set[str] = set()
    path: list[str] = []  # the modules being visited, each imported by the one before it

    def visit(module: str) -> None:
        path.append(module)
        for imported in sorted(graph[module]):
            if imported in path:
                cycles.append(path[path.index(imported):] + [imported])
            elif imported not in done:
                visit(imported)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            visit(module)
    return cycles


def test_no_module_imports_itself_through_others():
    cycles = import_cycles(import_graph(MODULES))
    assert not cycles, "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_the_cycle_finder_sees_a_cycle(tmp_path):
    # Two modules that import each other, one of them only inside a function: a cycle.
    first, second, third = tmp_path / "first.py", tmp_path / "second.py", tmp_path / "third.py"
    first.write_text("from pkg.second import helper\n")
    second.write_text("def helper():\n    from pkg.first import thing\n    return thing\n")
    third.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.first import thing\n"
                     "import pkg.second\n")
    modules = [("pkg.first", first), ("pkg.second", second), ("pkg.third", third)]
    assert import_cycles(import_graph(modules)) == [["pkg.first", "pkg.second", "pkg.first"]]
    second.write_text("def helper():\n    return 1\n")  # and once it is gone, none
    assert import_cycles(import_graph(modules)) == []
