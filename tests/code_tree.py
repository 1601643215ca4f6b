"""The project's own code as the guard tests read it, found on disk rather than listed, so a
module that moves (an app's `services` into an `actions/` package, a new app) is still read."""

import ast
import importlib
from pathlib import Path

from havering_improve.apps_list import PROGRAMME_APPS

ROOT = Path(__file__).resolve().parent.parent

# Every top-level package of the project (the core, the apps, what joins them, the bench), but
# the tests themselves.
PACKAGES = sorted(
    path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name != "tests"
)

# The apps that own programme data: those named in apps_list, and `programme` once it holds a
# model of its own (the Programme).
APPS = list(
    dict.fromkeys(
        [*PROGRAMME_APPS, *(["programme"] if (ROOT / "programme/models.py").exists() else [])]
    )
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_files(packages=PACKAGES) -> dict[str, Path]:
    """Every module of `packages` by dotted name, migrations left out (Django writes them)."""
    return {
        module_name(path): path
        for package in packages
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


def _is_action_decorator(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    return ast.unparse(target) in {"action", "actions.action"}


def decorated_as_actions(tree: ast.AST) -> list[ast.FunctionDef]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any(_is_action_decorator(d) for d in node.decorator_list)
    ]


def write_modules() -> list[str]:
    """Where the apps' writes live: each app's `services` and every module of its `actions`
    package, and any other module of an app that defines an action."""
    found = []
    for name, path in source_files(APPS).items():
        parts = name.split(".")
        if parts[1:2] in (["services"], ["actions"]) or decorated_as_actions(
            ast.parse(path.read_text())
        ):
            found.append(name)
    return found


def import_write_modules() -> list:
    """Import every write module, so every action is in `actions.REGISTRY`."""
    return [importlib.import_module(name) for name in write_modules()]
