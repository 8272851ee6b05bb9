"""Imports point down: views/tasks → services, selectors → sync, webhooks → models, client."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UPPER = ("sendcloud.services", "sendcloud.selectors", "sendcloud.views", "sendcloud.admin")
LOWER = {
    "sendcloud/sync": UPPER,
    "sendcloud/webhooks": UPPER,
    "sendcloud/models": (*UPPER, "sendcloud.sync", "sendcloud.webhooks", "sendcloud.clients"),
    "sendcloud/clients.py": (*UPPER, "sendcloud.sync", "sendcloud.webhooks"),
    "sendcloud/client": ("sendcloud.", "django"),
    "sendcloud/printers": ("sendcloud.", "django"),
}


def modules(*folders):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imported(tree, path: Path):
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            name = ".".join(part for part in (base, node.module or "") if part)
            yield name
            yield from (f"{name}.{alias.name}" for alias in node.names)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@pytest.mark.parametrize(
    "path", list(modules("sendcloud", "backoffice")), ids=lambda p: module_name(p)
)
def test_nothing_below_tasks_imports_it_and_no_import_hides_in_a_function(path):
    tree = ast.parse(path.read_text())
    assert "sendcloud.tasks" not in set(imported(tree, path))
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if path.name == "apps.py" and function.name == "ready":
            continue  # signal registration, once the app registry is ready
        hidden = [n for n in ast.walk(function) if isinstance(n, ast.Import | ast.ImportFrom)]
        assert not hidden, f"{path}:{function.name} imports inside a function"


@pytest.mark.parametrize("place", sorted(LOWER))
def test_lower_layers_never_import_upper_ones(place):
    paths = [ROOT / place] if place.endswith(".py") else list(modules(place))
    for path in paths:
        for name in imported(ast.parse(path.read_text()), path):
            upward = [u for u in LOWER[place] if name == u or name.startswith(u.rstrip(".") + ".")]
            if place in ("sendcloud/client", "sendcloud/printers"):
                own = place.replace("/", ".")
                upward = [u for u in upward if not name.startswith(own)]
            assert not upward, f"{path.relative_to(ROOT)} imports {name}"


def test_no_two_modules_import_each_other_in_a_loop():
    """Module-level imports of the app form no cycle (sales models and delivery had one)."""
    known = {module_name(path): path for path in modules("sendcloud", "backoffice", "config")}
    graph = {}
    for name, path in known.items():
        targets = set()
        for imported_name in imported(ast.parse(path.read_text()), path):
            while imported_name and imported_name not in known:
                imported_name = imported_name.rpartition(".")[0]
            if imported_name and imported_name != name and not name.startswith(imported_name):
                targets.add(imported_name)
        graph[name] = targets
    done, path = set(), []

    def visit(node):
        assert node not in path, " → ".join([*path[path.index(node) :], node])
        if node in done:
            return
        path.append(node)
        for target in sorted(graph[node]):
            visit(target)
        path.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)
