"""Every module a docstring or comment names exists: a dotted name (`pipeline.store.labels`,
`pipeline.understand.learning.least_sure_first`) resolves to a module or one of its
attributes, a path (`pipeline/publish/acts.py`, `pipeline/publish/templates/`) to a file
or folder. A module that moves takes its mentions with it."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from conftest import ROOT

PACKAGES = ("pipeline", "spiders", "feeds")
DOTTED = re.compile(r"(?<![\w./-])((?:pipeline|spiders|feeds)(?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
# Paths into the code and the docs (data/ holds files a run makes, data/labels.yaml...).
PATH = re.compile(r"(?<![\w./-])((?:pipeline|spiders|feeds|tests|benchmarks|docs)/[\w./-]*[\w/])")


def resolves(dotted: str) -> bool:
    """A module, or an attribute (at any depth) of the longest module prefix."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def mentions(path: Path) -> list[tuple[int, str]]:
    """(line, text) of the docstrings and comments of a module."""
    source = path.read_text(encoding="utf-8")
    found = [(node.body[0].lineno, node.body[0].value.value) for node in ast.walk(ast.parse(source))
             if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body
             and isinstance(node.body[0], ast.Expr) and isinstance(getattr(node.body[0], "value", None), ast.Constant)
             and isinstance(node.body[0].value.value, str)]
    found += [(number, line.split("#", 1)[1]) for number, line in enumerate(source.splitlines(), start=1)
              if "#" in line]
    return found


def test_every_module_a_docstring_or_comment_names_exists():
    stale = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, text in mentions(path):
                for dotted in DOTTED.findall(text):
                    if not resolves(dotted.rstrip(".")):
                        stale.append(f"{path.relative_to(ROOT)}:{line}: {dotted}")
                for named in PATH.findall(text):
                    if not (ROOT / named.rstrip(".")).exists():
                        stale.append(f"{path.relative_to(ROOT)}:{line}: {named}")
    assert not stale, "\n".join(stale)
