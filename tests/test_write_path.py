"""The shape of the code that every change goes through: no import cycles between modules, and no
write in the four apps' write modules (their services, and the budget's ledger imports and
periods) that bypasses the action decorator."""

import ast
import importlib
import inspect
from pathlib import Path
from types import SimpleNamespace

import pytest

from havering_improve import actions
from havering_improve.apps_list import PROGRAMME_APPS

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["havering_improve", "programme", *PROGRAMME_APPS, "portfolio"]


def _write_modules_of(app: str) -> list[str]:
    """An app's actions package, one module per concept, or else its services module."""
    package = ROOT / app / "actions"
    if package.is_dir():
        return [f"{app}.actions.{p.stem}" for p in sorted(package.glob("[!_]*.py"))]
    return [f"{app}.services"]


# Where the apps' writes live: each app's actions (or services), and the modules split out of them.
WRITE_MODULES = [m for app in PROGRAMME_APPS for m in _write_modules_of(app)]
WRITE_MODULES += ["budget.imports", "budget.periods"]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str) -> set[str]:
    """Every project module `path` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from . import services` imports the module `package.services`
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t.split(".")[0] in PACKAGES)
    return found


def _graph() -> dict[str, set[str]]:
    paths = {
        _module_name(p): p
        for package in PACKAGES
        for p in (ROOT / package).rglob("*.py")
        if "migrations" not in p.parts
    }
    return {
        name: {target for target in _imports(path, name) if target in paths and target != name}
        for name, path in paths.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_walk_sees_function_level_imports():
    graph = _graph()
    # reporting.documents imports the PDF renderer inside a function, so the walk must see it.
    assert "reporting.render" in graph["reporting.documents"]
    assert "budget.selectors" in graph["budget.actions.rules"]


def test_no_module_imports_another_that_imports_it_back():
    assert _cycles(_graph()) == []


# The site's addresses and settings name every app's views and the apps themselves.
WIRING = {"havering_improve.urls"}

# The layers, each importing only those before it: the shared core, the programme (the model
# every app's records belong to), the apps in their order, then the portfolio, which joins them
# and which nothing imports but the site's addresses.
LAYERS = ["havering_improve", "programme", *PROGRAMME_APPS, "portfolio"]


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def _arrows_back(graph: dict[str, set[str]]) -> dict[str, list[str]]:
    """Each module's imports of a module in its own layer's successors (an arrow pointing back
    up the order), but for the site's wiring."""
    found = {
        module: sorted(t for t in targets if _layer(t) > _layer(module))
        for module, targets in graph.items()
        if module not in WIRING
    }
    return {module: targets for module, targets in found.items() if targets}


def test_the_arrows_point_one_way_core_programme_apps_then_the_portfolio():
    """havering_improve is the shared core: it imports no app. The programme imports only the
    core; each app imports the core, the programme and the apps before it; nothing imports the
    portfolio, the code that joins them all, but the site's addresses."""
    assert list(PACKAGES) == LAYERS
    assert _arrows_back(_graph()) == {}


def test_an_arrow_pointing_back_is_reported():
    graph = {
        "themes.models": {"programme.models", "havering_improve.clock"},
        "programme.models": {"themes.models"},
        "board.views": {"portfolio.worklists"},
        "havering_improve.urls": {"portfolio.views"},
    }
    assert _arrows_back(graph) == {
        "programme.models": ["themes.models"],
        "board.views": ["portfolio.worklists"],
    }


def test_a_cycle_is_reported():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# Calls that change the database: through the ORM, or rows written through a cursor.
WRITES = {"save", "delete", "create", "update", "bulk_create", "get_or_create", "set"}
WRITES |= {"update_or_create", "bulk_update", "executemany", "write_row"}


def _writes(function) -> bool:
    source = inspect.getsource(function)
    tree = ast.parse(source.lstrip() if source.startswith(" ") else source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in WRITES:
                return True
    return False


def _public_functions(module):
    for name, value in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(value):
            continue
        if getattr(value, "__module__", None) == module.__name__ or getattr(
            value, "is_action", False
        ):
            yield name, value


@pytest.mark.parametrize("module_name", WRITE_MODULES)
def test_every_write_in_an_apps_write_modules_is_an_action(module_name):
    module = importlib.import_module(module_name)
    bypassing = [
        name
        for name, function in _public_functions(module)
        if not getattr(function, "is_action", False) and _writes(function)
    ]
    assert bypassing == [], f"{module_name} writes outside @action: {bypassing}"


@pytest.mark.parametrize("app", PROGRAMME_APPS)
def test_selectors_never_write(app):
    module = importlib.import_module(f"{app}.selectors")
    writing = [name for name, function in _public_functions(module) if _writes(function)]
    assert writing == []


def test_the_write_check_catches_a_bare_write():
    def sneaky(*, actor, obj):
        obj.save()

    assert _writes(sneaky)
    assert not getattr(sneaky, "is_action", False)


def test_the_write_check_catches_rows_copied_in_through_a_cursor():
    def copied(*, cursor, rows):
        with cursor.copy("COPY t FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    assert _writes(copied)


# What the demo writes outside an action, and why no action serves.
DEMO_OWN_WRITES = {
    # The rota is planned here and now, with no worker: the meetings already held as of a day
    # before the first meeting, the rest as the planner gives them today.
    ("board.demo", "_rota_seed", "RotaRun.objects.create"),
    # Each pack is built here and now, with no worker.
    ("reporting.demo", "_build", "MeetingPack.objects.create"),
    # A demo person to sign in as: an account, not programme data.
    ("themes.demo", "_user", "user.save"),
    # The Director of Children's Services, who signs off the self-evaluation: an account.
    ("selfevaluation.demo", "_dcs", "user.save"),
}


def _calls_that_write(module_name: str) -> set[tuple[str, str, str]]:
    tree = ast.parse(Path(importlib.import_module(module_name).__file__).read_text())
    return {
        (module_name, function.name, ast.unparse(node.func))
        for function in tree.body
        if isinstance(function, ast.FunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITES
    }


def test_the_demo_writes_through_the_apps_actions_but_for_what_it_names():
    """The demo builds its story with the actions people use, then `backdate`s what happened
    earlier; anything else it writes directly is named above with its reason."""
    found = set().union(*(_calls_that_write(f"{app}.demo") for app in PROGRAMME_APPS))
    assert found == DEMO_OWN_WRITES


def test_only_the_demo_backdates():
    """`actions.backdate` moves timestamps without an action: only demo data may do that."""
    users = set()
    for name, path in (
        (_module_name(p), p) for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")
    ):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.ImportFrom) else []
            if "backdate" in names and node.module == "havering_improve.actions":
                users.add(name)
    assert users and all(name.endswith(".demo") for name in users), sorted(users)


class _Related(list):
    """A many-to-many manager as a rule reads it (`finding.themes.all()`)."""

    def all(self):
        return self


class _Granted:
    """A programme's Sign-off permissions as a rule reads them: held by whoever is asked about."""

    def filter(self, **lookups):
        return self

    def exists(self):
        return True


def _about(path, theme, reviewer=None):
    """Keyword arguments that lead the action's `on` path ("report.theme") to `theme` (or, for
    a self-evaluation's record, to a self-evaluation `reviewer` is named to sign off)."""
    if path is None:
        return {}
    head, *rest = path.split(".")
    if rest == ["theme"]:  # a record of the theme
        return {head: SimpleNamespace(theme=theme)}
    if rest == ["measure", "theme"]:  # a reading of one of the theme's measures
        return {head: SimpleNamespace(measure=SimpleNamespace(theme=theme))}
    if path.split(".")[-1] == "self_evaluation":
        value = SimpleNamespace(
            reviewer_id=getattr(reviewer, "pk", None),
            programme=SimpleNamespace(sign_offs=_Granted()),
        )
        for name in reversed(rest):
            value = SimpleNamespace(**{name: value})
        return {head: value}
    objects = {
        "theme": theme,
        "finding": SimpleNamespace(themes=_Related([theme])),  # a finding about the theme
        "action": SimpleNamespace(owner_id=None),  # a board action someone else owns
        "engagement_action": SimpleNamespace(owner_id=None),  # an engagement meeting's action
    }
    assert not rest and head in objects, f"say here what an action `on={path!r}` is about"
    return {head: objects[head]}


@pytest.mark.django_db
def test_every_action_refuses_a_person_its_rule_does_not_allow_with_the_rules_own_words(
    programme, theme, board_member, programme_manager
):
    """Each action asks a rule of roles.py that has words for a refusal, about the object it
    names: a board member (who reads everything and changes nothing but their own board
    actions) is refused every action people take, with that rule's sentence, before anything
    is done; the programme manager is allowed by every rule."""
    from django.core.exceptions import PermissionDenied

    from havering_improve import roles

    for name in WRITE_MODULES:
        importlib.import_module(name)
    people_actions = {n: f for n, f in actions.REGISTRY.items() if f.rule != "system"}
    assert len(people_actions) > 50
    for name, function in people_actions.items():
        assert function.rule in roles.REFUSALS, f"{name}: {function.rule} has no refusal"
        about = _about(function.on, theme, reviewer=programme_manager)
        with pytest.raises(PermissionDenied) as refused:
            function(actor=board_member, **about)
        assert str(refused.value) == roles.REFUSALS[function.rule], name
        objects = [actions._find(function.on, about)] if function.on else []
        roles.require(function.rule, programme_manager, *[o for found in objects for o in found])
