"""The package keeps its layers (commands -> build -> pages -> linking -> content) and has no
import cycles: import-linter checks the contract in pyproject.toml, and it is shown to fail on an
upward import in a copy of the package."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "src" / "glossary_site"
LINT = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path, src: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(src)}  # before the editable install's path entry
    return subprocess.run([str(LINT), "--no-cache"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_the_package_keeps_its_layers():
    done = lint_imports(REPO, REPO / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_the_layer_check_fails_on_an_upward_import(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "src" / "glossary_site", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    lower = tmp_path / "src" / "glossary_site" / "content" / "diagnostics.py"
    lower.write_text(lower.read_text() + "\n\ndef _late():\n    from ..commands import cli  # noqa: F401\n")
    done = lint_imports(tmp_path, tmp_path / "src")
    assert done.returncode != 0
    assert "BROKEN" in done.stdout
    assert "glossary_site.content.diagnostics -> glossary_site.commands.cli" in done.stdout


def module_imports() -> dict[str, set[str]]:
    """Module -> the package modules it imports, at the top or inside a function."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                origin = ".".join(base + ([node.module] if node.module else []))
                found = [origin] + [f"{origin}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            else:
                continue
            graph[name] |= {m for m in found if m in modules and m != name and not name.startswith(m + ".")}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_back_through_others():
    assert cycles(module_imports()) == []


def test_the_cycle_check_sees_an_import_inside_a_function():
    graph = module_imports()
    assert "glossary_site.commands.daemon" in graph["glossary_site.commands.cli"]  # cli imports it lazily
    graph["glossary_site.commands.daemon"].add("glossary_site.commands.cli")
    assert cycles(graph) == [["glossary_site.commands.cli", "glossary_site.commands.daemon"]]


def test_the_architecture_page_names_every_module_and_no_other():
    """docs/architecture.md's table of modules matches the tree."""
    page = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:content|linking|pages|build|commands)/\w+\.py)`", page))
    tree = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.glob("*/*.py") if p.name != "__init__.py"}
    assert named == tree
