"""No import circles in ``seal_app``: the graph of the modules' top-level imports (those under
``if TYPE_CHECKING:`` too) has no cycle, and nothing imports the CLI that gathers the commands."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "seal_app"


def _modules(package: Path) -> dict[str, Path]:
    modules = {}
    for path in package.rglob("*.py"):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _top_level_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports run when the module is loaded: at module level, in its ``if`` and ``try``
    blocks; not those inside functions or classes."""
    for statement in tree.body:
        inner = ast.walk(statement) if isinstance(statement, ast.If | ast.Try) else [statement]
        for node in inner:
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield node


def _imported(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The ``seal_app`` modules ``module`` imports, with the packages they lie in."""

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    targets: set[str | None] = set()
    for node in _top_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(known(alias.name) for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join([*package, *([base] if base else [])])
        for alias in node.names:
            full = f"{base}.{alias.name}"
            targets.add(full if full in modules else known(base))
    found = {target for target in targets if target and target.startswith("seal_app")}
    # importing seal_app.a.b runs seal_app.a's __init__ first (the module's own packages aside)
    for target in list(found):
        parts = target.split(".")
        for end in range(1, len(parts)):
            package = ".".join(parts[:end])
            if package in modules and not module.startswith(package + "."):
                found.add(package)
    found.discard(module)
    return found


def _graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    modules = _modules(package)
    return {module: _imported(module, path, modules) for module, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_the_modules_import_each_other_without_a_circle():
    graph = _graph()
    cycles = _cycles(graph)
    described = [
        "; ".join(f"{m} -> {', '.join(sorted(graph[m] & set(cycle)))}" for m in cycle)
        for cycle in cycles
    ]
    assert cycles == [], "import circles:\n" + "\n".join(described)


def test_the_check_finds_circles_through_packages_and_type_checking(tmp_path):
    package = tmp_path / "seal_app"
    (package / "shop").mkdir(parents=True)
    files = {
        "__init__.py": "def create_app():\n    from seal_app import cli\n",
        "cli.py": "from seal_app.shop.commands import COMMANDS\n",
        "shop/__init__.py": "",
        "shop/commands.py": "from seal_app.shop import models\nCOMMANDS = ()\n",
        "shop/models.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from ..users import User\n",
        "users.py": "import seal_app.shop.models\n\ndef later():\n    from seal_app import cli\n",
    }
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    graph = _graph(package)

    assert graph["seal_app.cli"] == {"seal_app.shop", "seal_app.shop.commands"}
    assert graph["seal_app"] == set()  # an import inside a function is not followed
    assert _cycles(graph) == [["seal_app.shop.models", "seal_app.users"]]


def test_only_the_app_factory_imports_the_cli():
    importers = [module for module, targets in _graph().items() if "seal_app.cli" in targets]
    assert importers == []  # create_app imports it inside the function, after the blueprints
