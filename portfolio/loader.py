"""Load a programme from its data file, and create the demo users.

Idempotent: every record is found by its natural key and saved only when a field differs, so a
second run writes nothing (and adds nothing to the history).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from board.models import Board
from budget.models import BudgetAllocation, BudgetLine
from evaluation.models import EvaluationStrand, Inspection, Judgement, JudgementArea
from havering_improve import demo, roles
from havering_improve.validators import is_single_line
from programme.models import Programme
from themes.models import PID, Theme

DEFAULT_DATA_FILE = Path(settings.BASE_DIR) / "data" / "programmes" / "havering.yaml"


class ProgrammeDataError(ValueError):
    """The data file is not a programme we can load; the message says where."""


@dataclass
class LoadResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, model) -> None:
        name = model._meta.verbose_name_plural
        bucket = self.created if kind == "created" else self.updated
        bucket[name] = bucket.get(name, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _sync(result: LoadResult, model, lookup: dict, values: dict):
    """Create or update one record, saving only when something differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        result.count("created", model)
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        result.count("updated", model)
    return obj


def _sync_by_slug(result: LoadResult, model, programme, item: dict, where: str, values: dict):
    """A record of the programme's that the data file names by its slug."""
    lookup = {"programme": programme, "slug": _require(item, "slug", where)}
    return _sync(result, model, lookup, values)


def _require(mapping: dict, key: str, where: str):
    if not isinstance(mapping, dict) or key not in mapping or mapping[key] in (None, ""):
        raise ProgrammeDataError(f'{where}: "{key}" is missing')
    return mapping[key]


def _items(data: dict, section: str, *, required: bool = False):
    """Each item of a list section, numbered from 1, with where it is for messages."""
    items = _require(data, section, "file") if required else data.get(section) or []
    if not isinstance(items, list):
        raise ProgrammeDataError(f'file: "{section}" must be a list')
    for i, item in enumerate(items, start=1):
        yield i, item, f"{section}, item {i}"


def _money(value, where: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ProgrammeDataError(f"{where}: {value!r} is not an amount of money") from None
    if amount != amount.quantize(Decimal("0.01")):
        raise ProgrammeDataError(f"{where}: {value!r} has more than two decimal places")
    return amount.quantize(Decimal("0.01"))


def _date(value, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ProgrammeDataError(f"{where}: {value!r} is not a date (use YYYY-MM-DD)") from None


def _text(mapping: dict, key: str, where: str) -> str:
    """Optional text: missing or blank is "", anything but text is refused."""
    value = mapping.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ProgrammeDataError(f'{where}: "{key}" must be text')
    return value.strip()


def _one_line(mapping: dict, key: str, where: str, *, required: bool = True) -> str:
    """Text that must stay on one line (it goes into e-mail subjects and calendar entries)."""
    value = _require(mapping, key, where) if required else mapping.get(key) or ""
    if not isinstance(value, str):
        raise ProgrammeDataError(f'{where}: "{key}" must be text')
    if not is_single_line(value):
        raise ProgrammeDataError(
            f'{where}: "{key}" must be on one line: take out the line break, tab or other '
            "control character"
        )
    return value


def _lines(mapping: dict, key: str, where: str) -> str:
    """An optional list of short texts, kept one a line."""
    value = mapping.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ProgrammeDataError(f'{where}: "{key}" must be a list of text')
    lines = []
    for n, entry in enumerate(value, start=1):
        if not isinstance(entry, str) or not entry.strip():
            raise ProgrammeDataError(f'{where}: "{key}", entry {n} must be text')
        lines.append(" ".join(entry.split()))
    return "\n".join(lines)


def _plan_into_pid(result: LoadResult, theme: Theme, plan: dict) -> None:
    """Write the plan's text into the theme's PID where the PID has none: a PID the lead has
    already written is theirs, so a later load never overwrites it."""
    plan = {name: value for name, value in plan.items() if value}
    if not plan:
        return
    pid = PID.objects.filter(theme=theme).first()
    if pid is None:
        PID.objects.create(theme=theme, **plan)
        result.count("created", PID)
        return
    blank = [name for name in plan if not getattr(pid, name).strip()]
    if blank:
        for name in blank:
            setattr(pid, name, plan[name])
        pid.version += 1
        pid.save(update_fields=[*blank, "version"])
        result.count("updated", PID)


def read_data_file(path: Path | str) -> dict:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProgrammeDataError(f"{path}: no such file") from None
    except yaml.YAMLError as exc:
        raise ProgrammeDataError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ProgrammeDataError(f"{path}: expected a mapping with a 'programme' section")
    return data


@transaction.atomic
def programme_load(*, data: dict) -> tuple[Programme, LoadResult]:
    """Load (or bring up to date) one programme from parsed data. All or nothing."""
    result = LoadResult()
    prog = _require(data, "programme", "file")
    review = prog.get("review") or {}
    if not isinstance(review, dict):
        raise ProgrammeDataError(
            'programme, review: expected "due", "plan" and "roles_after_review"'
        )
    review_due = review.get("due")
    programme = _sync(
        result,
        Programme,
        {"slug": _require(prog, "slug", "programme")},
        {
            "name": _require(prog, "name", "programme"),
            "local_authority": _require(prog, "local_authority", "programme"),
            "service": prog.get("service", ""),
            "summary": _text(prog, "summary", "programme"),
            "source_document": prog.get("source_document", ""),
            "review_due": _date(review_due, "programme, review") if review_due else None,
            "review_plan": _text(review, "plan", "programme, review"),
            "roles_after_review": _lines(review, "roles_after_review", "programme, review"),
        },
    )

    themes = {}
    for _i, item, where in _items(data, "themes", required=True):
        slug = _require(item, "slug", where)
        themes[slug] = _sync(
            result,
            Theme,
            {"slug": slug},
            {
                "programme": programme,
                "number": int(_require(item, "number", where)),
                "title": _one_line(item, "title", f"{where} ({slug})"),
                "description": _text(item, "description", where),
                "report_reference": item.get("report_reference", ""),
            },
        )
        plan = {
            "aims": _text(item, "aims", where),
            "scope": _text(item, "scope", where),
            "deliverables": _lines(item, "deliverables", where),
            "partners": _lines(item, "partners", where),
        }
        _plan_into_pid(result, themes[slug], plan)

    areas = {}
    for i, item, where in _items(data, "judgement_areas"):
        framework = item.get("framework", "ILACS")
        slug = _require(item, "slug", where)
        areas[slug] = _sync(
            result,
            JudgementArea,
            {"framework": framework, "slug": slug},
            {
                "title": _require(item, "title", where),
                "order": i,
                "is_overall": bool(item.get("is_overall", False)),
            },
        )

    for _i, item, where in _items(data, "inspections"):
        start = _date(_require(item, "start_date", where), where)
        inspection = _sync(
            result,
            Inspection,
            {"programme": programme, "kind": _require(item, "kind", where), "start_date": start},
            {
                "title": _require(item, "title", where),
                "end_date": _date(item["end_date"], where) if item.get("end_date") else None,
                "is_baseline": bool(item.get("is_baseline", False)),
                "summary": _text(item, "summary", where),
            },
        )
        for area_slug, grade in (item.get("judgements") or {}).items():
            if area_slug not in areas:
                raise ProgrammeDataError(f"{where}: unknown judgement area {area_slug!r}")
            _sync(
                result,
                Judgement,
                {"inspection": inspection, "area": areas[area_slug]},
                {"grade": grade},
            )

    for i, item, where in _items(data, "evaluation_strands"):
        _sync_by_slug(
            result,
            EvaluationStrand,
            programme,
            item,
            where,
            {
                "code": _require(item, "code", where),
                "title": _require(item, "title", where),
                "description": _text(item, "description", where),
                "order": i,
            },
        )

    for i, item, where in _items(data, "boards"):
        _sync_by_slug(
            result,
            Board,
            programme,
            item,
            where,
            {
                "name": _one_line(item, "name", where),
                "short_name": _one_line(item, "short_name", where, required=False),
                "kind": _require(item, "kind", where),
                "description": _text(item, "description", where),
                "themes_per_meeting": int(item.get("themes_per_meeting", 0)),
                "is_public": bool(item.get("is_public", False)),
                "order": i,
            },
        )

    for _i, item, where in _items(data, "allocations"):
        amount = _money(_require(item, "amount", where), where)
        allocation = _sync(
            result,
            BudgetAllocation,
            {"programme": programme, "start_year": int(_require(item, "start_year", where))},
            {
                "amount": amount,
                "funding_source": _require(item, "funding_source", where),
                "kind": item.get("kind", "One-off revenue"),
                "notes": _text(item, "notes", where),
            },
        )
        total = Decimal("0.00")
        for j, line_item in enumerate(item.get("lines", []), start=1):
            line_where = f"{where}, line {j}"
            line_amount = _money(_require(line_item, "amount", line_where), line_where)
            total += line_amount
            line = _sync(
                result,
                BudgetLine,
                {"allocation": allocation, "code": _require(line_item, "code", line_where)},
                {
                    "title": _require(line_item, "title", line_where),
                    "amount": line_amount,
                    "description": _text(line_item, "description", line_where),
                    "order": j,
                },
            )
            wanted = line_item.get("themes", [])
            if wanted == "all":
                wanted = list(themes)
            unknown = [slug for slug in wanted if slug not in themes]
            if unknown:
                raise ProgrammeDataError(f"{line_where}: unknown theme(s) {', '.join(unknown)}")
            wanted_ids = {themes[slug].pk for slug in wanted}
            current_ids = set(line.themes.values_list("pk", flat=True))
            if current_ids != wanted_ids:
                line.themes.set(wanted_ids)
                if current_ids:
                    result.count("updated", BudgetLine)
        if item.get("lines") and total != amount:
            raise ProgrammeDataError(
                f"{where}: the lines add up to £{total:,.2f} but the allocation is £{amount:,.2f}"
            )

    roles.sync_role_groups()
    return programme, result


DEMO_PEOPLE = {
    "programme.manager": ("Priya", "Shah", [roles.PROGRAMME_MANAGER]),
    "finance.officer": ("Tom", "Okafor", [roles.FINANCE_OFFICER]),
    "board.member": ("Margaret", "Ellis", [roles.BOARD_MEMBER]),
    "auditor": ("David", "Brennan", [roles.AUDITOR]),
}
DEMO_LEAD_NAMES = [
    ("Sarah", "Collins"),
    ("James", "Whitfield"),
    ("Aisha", "Rahman"),
    ("Mark", "Doherty"),
    ("Helen", "Carter"),
    ("Daniel", "Mensah"),
    ("Claire", "Novak"),
]


@transaction.atomic
def demo_users_create(*, programme: Programme, password: str) -> list[str]:
    """Create the demo users (one per role, one lead per theme). Refused when the DEMO setting
    is off (production)."""
    demo.require_demo()
    groups = roles.sync_role_groups()
    User = get_user_model()
    people = dict(DEMO_PEOPLE)
    themes = list(programme.themes.order_by("number"))
    for theme, (first, last) in zip(themes, DEMO_LEAD_NAMES * 3, strict=False):
        people[f"lead.{theme.slug}"] = (first, last, [roles.PROJECT_LEAD])
    created = []
    for username, (first, last, role_list) in people.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, password=demo.password_hash(password))
            created.append(username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@havering.example"
        user.is_staff = roles.PROGRAMME_MANAGER in role_list or roles.AUDITOR in role_list
        user.save()
        user.groups.add(*(groups[name] for name in role_list))
    for theme in themes:
        lead = User.objects.get(username=f"lead.{theme.slug}")
        if theme.lead_id != lead.pk:
            theme.lead = lead
            theme.save(update_fields=["lead"])
    return created
