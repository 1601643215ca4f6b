"""The size of the project's own modules and where they import: no module over 600 lines, and
imports at the top of a module, where a reader looks for them (at most 15 inside functions, each
one there for a reason such as a renderer too heavy to load with every page)."""

import ast
from pathlib import Path

from tests.code_tree import PACKAGES, ROOT, source_files

LONGEST = 600
FUNCTION_LEVEL_IMPORTS = 15
# Packages whose imports inside functions are not counted, and why.
IMPORTS_LATE_BY_DESIGN = {
    # `make bench` starts Django with its own settings before it may import the app's models.
    "bench": "sets Django up first",
}


def _long_modules(paths: dict[str, Path], limit: int = LONGEST) -> dict[str, int]:
    lengths = {name: len(path.read_text().splitlines()) for name, path in paths.items()}
    return {name: length for name, length in sorted(lengths.items()) if length > limit}


def _function_level_imports(paths: dict[str, Path]) -> list[str]:
    """`path:line` of every import inside a function."""
    found = []
    for path in paths.values():
        tree = ast.parse(path.read_text())
        functions = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        lines = {
            node.lineno
            for function in functions
            for node in ast.walk(function)
            if isinstance(node, ast.Import | ast.ImportFrom)
        }
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        found += [f"{shown}:{line}" for line in sorted(lines)]
    return found


def test_no_module_is_over_600_lines():
    assert _long_modules(source_files()) == {}


def test_the_length_check_catches_a_long_module(tmp_path):
    long = tmp_path / "long.py"
    long.write_text("x = 1\n" * (LONGEST + 1))
    short = tmp_path / "short.py"
    short.write_text("x = 1\n" * LONGEST)
    assert _long_modules({"long": long, "short": short}) == {"long": LONGEST + 1}


def test_at_most_15_imports_are_inside_functions():
    counted = [package for package in PACKAGES if package not in IMPORTS_LATE_BY_DESIGN]
    found = _function_level_imports(source_files(counted))
    assert len(found) <= FUNCTION_LEVEL_IMPORTS, "Imports inside functions:\n" + "\n".join(found)


def test_the_import_count_finds_imports_inside_functions_and_methods(tmp_path):
    (tmp_path / "pkg").mkdir()
    module = tmp_path / "pkg" / "lazy.py"
    module.write_text(
        "import json\n"
        "def render():\n"
        "    import weasyprint\n"
        "    def inner():\n"
        "        from pathlib import Path\n"
        "class Pack:\n"
        "    async def build(self):\n"
        "        from decimal import Decimal\n"
    )
    found = _function_level_imports({"lazy": module})
    assert [entry.rpartition(":")[2] for entry in found] == ["3", "5", "8"]
