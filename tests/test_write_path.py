"""The shape of the code that every change goes through: no import cycles between modules; no
write in the apps' write modules (each app's `services`, its `actions` package, and any module
that defines an action) that bypasses the action decorator; no action taking `**kwargs`; one
action doing another only through `.within`; no app writing another app's models; and no
programme model that the admin can add, change or delete."""

import ast
import importlib
import inspect
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from havering_improve import actions, roles
from havering_improve.apps_list import PROGRAMME_APPS
from tests.code_tree import (
    APPS,
    PACKAGES,
    decorated_as_actions,
    import_write_modules,
    module_name,
    source_files,
    write_modules,
)
from themes.models import Milestone

WRITE_MODULES = write_modules()
_module_name = module_name


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
    paths = source_files()
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


def test_the_import_walk_sees_function_level_imports(tmp_path):
    module = tmp_path / "lazy.py"
    module.write_text("def render():\n    from havering_improve import mail\n    return mail\n")
    assert _imports(module, "board.lazy") == {"havering_improve", "havering_improve.mail"}
    assert "havering_improve.actions" in _graph()["themes.actions.records"]


def test_no_module_imports_another_that_imports_it_back():
    assert _cycles(_graph()) == []


# The site's addresses and settings name every app's views and the apps themselves.
WIRING = {"havering_improve.urls"}
# What joins the apps, which no app imports: `portfolio`, or `programme` while it holds no model.
LAYERS = ["havering_improve", "programme", *PROGRAMME_APPS, "portfolio"]


def _layer(module: str) -> int:
    """A module's place in the order; `bench` (which only measures) comes after them all."""
    package = module.split(".")[0]
    return LAYERS.index(package) if package in LAYERS else len(LAYERS)


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
    assert set(PACKAGES) - {"bench"} == set(LAYERS)
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


def _acting_modules() -> list[str]:
    """The write modules that define actions (not a package's `__init__`, nor its private
    helpers, such as `_common`, which only actions call)."""
    return [
        name
        for name in WRITE_MODULES
        if not name.rpartition(".")[2].startswith("_") and name.rpartition(".")[2] != "actions"
    ]


@pytest.mark.parametrize("module_name", _acting_modules())
def test_every_write_in_an_apps_write_modules_is_an_action(module_name):
    module = importlib.import_module(module_name)
    bypassing = [
        name
        for name, function in _public_functions(module)
        if not getattr(function, "is_action", False) and _writes(function)
    ]
    assert bypassing == [], f"{module_name} writes outside @action: {bypassing}"


SELECTORS = [name for name in source_files(APPS) if name.split(".")[1:2] == ["selectors"]]


@pytest.mark.parametrize("module_name", SELECTORS)
def test_selectors_never_write(module_name):
    module = importlib.import_module(module_name)
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
    demos = [name for name in source_files(APPS) if name.split(".")[1:] == ["demo"]]
    found = set().union(*(_calls_that_write(name) for name in demos))
    assert found == DEMO_OWN_WRITES


def test_only_the_demo_backdates():
    """`actions.backdate` moves timestamps without an action: only demo data may do that."""
    users = set()
    for name, path in source_files().items():
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
    import_write_modules()
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


# The rule an action names ------------------------------------------------------------------


@pytest.fixture
def registry_kept():
    """Actions made by a test are forgotten after it, so the checks of every action skip them."""
    kept = dict(actions.REGISTRY)
    yield
    actions.REGISTRY.clear()
    actions.REGISTRY.update(kept)


@pytest.mark.parametrize("rule", ["can_edit_everything", "REFUSALS"])
def test_an_action_naming_no_rule_of_roles_is_refused_as_it_is_made(rule, registry_kept):
    """A misspelt rule, or a name in roles that is not a rule (the table of refusals), stops the
    app loading rather than letting an action through unchecked."""
    with pytest.raises(actions.ImproperlyConfiguredRule, match=rule):

        @actions.action(rule)
        def milestone_remove(*, actor, milestone): ...

    assert not any(name.endswith(".milestone_remove") for name in actions.REGISTRY)


def _rules_roles_cannot_ask(registry: dict) -> dict[str, str]:
    return {
        name: function.rule
        for name, function in registry.items()
        if function.rule != "system" and not callable(getattr(roles, function.rule, None))
    }


def test_every_action_names_a_rule_roles_can_ask():
    import_write_modules()
    assert len(actions.REGISTRY) > 50
    assert _rules_roles_cannot_ask(actions.REGISTRY) == {}


def test_the_rule_check_catches_an_action_whose_rule_is_not_a_rule():
    made_before_roles_changed = SimpleNamespace(rule="REFUSALS")
    assert _rules_roles_cannot_ask({"themes.actions.x": made_before_roles_changed}) == {
        "themes.actions.x": "REFUSALS"
    }


# What an action takes ----------------------------------------------------------------------


def _every_action() -> dict:
    """Every function marked as an action: those registered, and any in a write module."""
    found = dict(actions.REGISTRY)
    for module in import_write_modules():
        for name, value in vars(module).items():
            if getattr(value, "is_action", False) and value not in found.values():
                found[f"{module.__name__}.{name}"] = value  # made here, not by the decorator
    return found


def _take_any_keyword(functions: dict) -> list[str]:
    return sorted(
        name
        for name, function in functions.items()
        if any(p.kind is p.VAR_KEYWORD for p in inspect.signature(function).parameters.values())
    )


def test_no_action_takes_keywords_it_does_not_name():
    """Every action names the fields it changes, so it changes no other (a theme passed to a
    milestone's edit does not move the milestone to a theme its lead does not lead)."""
    assert _take_any_keyword(_every_action()) == []


def test_the_keyword_check_catches_an_action_that_takes_any_field(registry_kept):
    @actions.action("can_edit_theme", on="milestone.theme")
    def milestone_update(*, actor, milestone, version, **fields): ...

    assert _take_any_keyword({"milestone_update": milestone_update}) == ["milestone_update"]


# One action doing another ------------------------------------------------------------------


def _plain_calls_of_actions(tree: ast.AST, action_names: set[str]) -> set[tuple[str, str]]:
    """(action, action it calls) wherever an action calls another plainly, not `.within`."""
    found = set()
    for function in decorated_as_actions(tree):
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called in action_names and called != function.name:
                found.add((function.name, called))
    return found


def test_an_action_does_another_only_through_within():
    """`other.within(...)` says the other action is part of this one's transaction."""
    action_names = {name.rpartition(".")[2] for name in _every_action()}
    plain = {
        (module, *call)
        for module, path in source_files(APPS).items()
        if module in WRITE_MODULES
        for call in _plain_calls_of_actions(ast.parse(path.read_text()), action_names)
    }
    assert plain == set()


def test_the_nesting_check_catches_an_action_calling_another_plainly():
    source = (
        "@action('can_edit_theme', on='finding.theme')\n"
        "def finding_to_milestone(*, actor, finding, theme):\n"
        "    milestone = milestone_create(actor=actor, theme=theme, title=finding.title)\n"
        "    risk_create.within(actor=actor, theme=theme, title=finding.title)\n"
        "    return milestone\n"
    )
    found = _plain_calls_of_actions(ast.parse(source), {"milestone_create", "risk_create"})
    assert found == {("finding_to_milestone", "milestone_create")}


# Each app writes only its own tables -------------------------------------------------------

# Modules that write other apps' rows, and why.
OTHERS_ROWS_WRITTEN_BY = {
    # Each app's demo data tells part of one story that runs across the programme.
    "demo": "demo data",
}


def _models_of_other_apps(tree: ast.AST, app: str) -> tuple[dict[str, str], dict[str, str]]:
    """The names a module gives other apps' models ({"Milestone": "themes"}) and their models
    modules ({"theme_models": "themes"}), from its imports."""
    models, modules = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            owner, *rest = node.module.split(".")
            if owner not in APPS or owner == app:
                continue
            for alias in node.names:
                if rest == ["models"]:
                    models[alias.asname or alias.name] = owner
                elif not rest and alias.name == "models":
                    modules[alias.asname or alias.name] = owner
        elif isinstance(node, ast.Import):
            for alias in node.names:
                owner, *rest = alias.name.split(".")
                if owner in APPS and owner != app and rest == ["models"]:
                    modules[alias.asname or alias.name] = owner
    return models, modules


def _chain(node: ast.expr) -> list[str]:
    """The names an expression starts from: `Milestone.objects.filter(x).update` gives
    ["Milestone", "objects", "filter", "update"]."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            return [node.id, *reversed(names)]
        else:
            return []


def _others_rows_written(source: str, app: str) -> set[tuple[str, str]]:
    """(function, call) for each write of another app's row: a write method called on its
    model, a query of it, or a row of it held in a name, or a row of it made at all."""
    tree = ast.parse(source)
    models, modules = _models_of_other_apps(tree, app)
    if not models and not modules:
        return set()

    def model_at(chain: list[str]) -> int | None:
        """How many names of `chain` lead to another app's model."""
        if chain and chain[0] in models:
            return 1
        for i in range(1, len(chain)):
            if ".".join(chain[:i]) in modules:
                return i + 1
        return None

    found = set()
    scopes = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
    for scope in [tree, *scopes]:
        body = (
            [scope]
            if scope is not tree
            else [
                stmt for stmt in tree.body if not isinstance(stmt, ast.FunctionDef | ast.ClassDef)
            ]
        )
        nodes = [n for stmt in body for n in ast.walk(stmt)]
        held = set()  # names holding another app's rows or queries
        for node in nodes:
            value = getattr(node, "value", None) if isinstance(node, ast.Assign) else None
            value = node.iter if isinstance(node, ast.For | ast.comprehension) else value
            targets = node.targets if isinstance(node, ast.Assign) else []
            targets = [node.target] if isinstance(node, ast.For | ast.comprehension) else targets
            if value is not None and model_at(_chain(value)):
                held.update(t.id for t in targets if isinstance(t, ast.Name))
        name = getattr(scope, "name", "<module>")
        for node in nodes:
            if not isinstance(node, ast.Call):
                continue
            chain = _chain(node.func)
            at = model_at(chain)
            writes = isinstance(node.func, ast.Attribute) and node.func.attr in WRITES
            if at == len(chain) or (writes and (at or (chain and chain[0] in held))):
                found.add((name, ast.unparse(node.func)))
    return found


def test_no_app_writes_another_apps_models():
    """An app changes another app's records through that app's actions, so the owner's rules
    and checks apply (evaluation's findings become themes' milestones through themes)."""
    found = {
        (module, *write)
        for module, path in source_files(APPS).items()
        if module.rpartition(".")[2] not in OTHERS_ROWS_WRITTEN_BY
        for write in _others_rows_written(path.read_text(), module.split(".")[0])
    }
    assert found == set()


def test_the_cross_app_check_catches_each_way_of_writing_another_apps_rows():
    source = """
from themes.models import Milestone, Risk
from themes import models as theme_models
from .models import Finding

def made(finding):
    Milestone(theme=finding.theme, title=finding.title).save()

def updated(finding):
    Risk.objects.filter(theme=finding.theme).update(status="closed")

def held(finding):
    reading = theme_models.MeasureReading.objects.get(pk=1)
    reading.delete()

def looped(finding):
    for risk in Risk.objects.all():
        risk.save()

def own(finding):
    Finding.objects.create(title="x")
    finding.save()
    Risk.objects.filter(theme=finding.theme).count()
"""
    found = _others_rows_written(source, "evaluation")
    assert {function for function, _ in found} == {"made", "updated", "held", "looped"}
    assert _others_rows_written(source, "themes") == set()


# The admin reads programme data --------------------------------------------------------------


def _programme_models() -> set:
    return {
        model
        for label in [*APPS, "programme"]
        if label in {config.label for config in django_apps.get_app_configs()}
        for model in django_apps.get_app_config(label).get_models()
    }


def _what_the_admin_lets_change(site_registry: dict, programme_models: set, user) -> list[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    found = []
    for model, model_admin in site_registry.items():
        if model not in programme_models:
            continue
        inlines = [cls(model, model_admin.admin_site) for cls in model_admin.inlines]
        for each in [model_admin, *inlines]:
            label = f"{each.model._meta.label} ({type(each).__name__})"
            add = (
                each.has_add_permission(request, None)
                if each is not model_admin
                else each.has_add_permission(request)
            )
            if add:
                found.append(f"{label}: add")
            if each.has_change_permission(request):
                found.append(f"{label}: change")
            if each.has_delete_permission(request):
                found.append(f"{label}: delete")
    return sorted(found)


@pytest.mark.django_db
def test_no_programme_record_can_be_added_changed_or_deleted_in_the_admin(programme_manager):
    """Programme data changes only through the app's actions (rules, versions, locks); the
    admin reads it and its history. People and their roles are kept in the admin."""
    superuser = get_user_model()(username="root", is_superuser=True, is_staff=True)
    programme_models = _programme_models()
    registered = {m: a for m, a in admin.site._registry.items() if m in programme_models}
    assert len(registered) > 20
    for person in (programme_manager, superuser):
        assert _what_the_admin_lets_change(admin.site._registry, programme_models, person) == []
    request = RequestFactory().get("/admin/")
    request.user = superuser
    assert all(a.has_view_permission(request) for a in registered.values())
    people = [get_user_model(), *(m for m in admin.site._registry if m._meta.label == "auth.Group")]
    assert all(admin.site._registry[m].has_change_permission(request) for m in people)


def test_the_admin_check_catches_an_editable_registration():
    superuser = get_user_model()(username="root", is_superuser=True, is_staff=True)
    editable = {Milestone: admin.ModelAdmin(Milestone, admin.site)}
    assert _what_the_admin_lets_change(editable, {Milestone}, superuser) == [
        "themes.Milestone (ModelAdmin): add",
        "themes.Milestone (ModelAdmin): change",
        "themes.Milestone (ModelAdmin): delete",
    ]
