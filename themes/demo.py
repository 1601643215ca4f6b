"""Demo data for the themes app: every theme gets an approved PID, a team with partner
representatives, milestones (some overdue), measures with a year of monthly readings, a risk log
and highlight reports for recent months, from its story in data/demo/themes.yaml. Idempotent: a
theme that already has an approved PID is left alone. Only when the DEMO setting is on (the
loader checks too)."""

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from havering_improve import demo, roles
from havering_improve.actions import backdate, batch
from havering_improve.fy import FinancialYear

from . import selectors
from .actions.discussion import comment_add
from .actions.pid import pid_approve, pid_fingerprint, pid_submit, pid_update
from .actions.records import (
    measure_create,
    measure_reading_add,
    milestone_create,
    milestone_update,
    risk_create,
    risk_update,
)
from .actions.reports import (
    highlight_report_start,
    highlight_report_submit,
    highlight_report_update,
)
from .actions.team import team_member_add
from .models import RAG, Measure, Milestone, Risk, TeamMembership

# Per theme, by slug: its measures, milestones, partner organisations and risks (the file says
# what each holds; the aims, scope, deliverables and partners are the plan's, from the programme's
# data file).
STORY_FILE = Path(settings.BASE_DIR) / "data" / "demo" / "themes.yaml"


def _story() -> dict:
    return yaml.safe_load(STORY_FILE.read_text(encoding="utf-8"))


def _user(username, first, last, role, password):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first, last_name=last)
        user.email = f"{username}@havering.example"
        user.password = demo.password_hash(password)
        user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


MEMBER_NAMES = [
    ("Rachel", "Adeyemi"),
    ("Tom", "Gallagher"),
    ("Nadia", "Hussain"),
    ("Peter", "Lowe"),
    ("Grace", "Osei"),
    ("Ben", "Fletcher"),
    ("Joanna", "Price"),
    ("Kwame", "Asante"),
    ("Lucy", "Marsh"),
    ("Imran", "Qureshi"),
    ("Fiona", "Walsh"),
    ("Sam", "Turner"),
    ("Eleanor", "Baines"),
    ("Chris", "Nolan"),
    ("Maya", "Patel"),
    ("Owen", "Hughes"),
    ("Ruth", "Ogunleye"),
    ("Alex", "Brooks"),
    ("Zara", "Ali"),
    ("Neil", "Murray"),
]


def _months_back(today: dt.date, n: int) -> dt.date:
    period = today.replace(day=1)
    for _ in range(n):
        period = (period - dt.timedelta(days=1)).replace(day=1)
    return period


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _days_back(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=days)


# When the theme's risks moved, in days before the demo's today, by the theme's place in the
# programme: so each month between two Board meetings sees a few risks raised, closed and
# escalated, in different themes, and the pack's "Since the last meeting" has something, never
# everything, to say.
def _risk_raised_back(index: int) -> int:
    return 6 + 19 * index


def _risk_closed_back(index: int, n: int) -> int:
    return 3 + 16 * index + 5 * n


def _risk_escalated_back(index: int) -> int:
    return 9 + 21 * index


# Past months' highlight reports are written and submitted on the day they are due (the
# reporting convention, themes.selectors), before the month-end figures come in; the month's
# milestones are done by then.
REPORT_DAY = selectors.REPORT_DUE_DAY


def _reading_value(measure, pace, rng, date):
    baseline, target = measure.baseline_value, measure.target_value
    expected = selectors.expected_value(measure, date)
    speed = Decimal("1.05") if pace == "good" else Decimal("0.7")
    value = baseline + (expected - baseline) * speed
    if measure.unit == Measure.Unit.PERCENT:
        value += Decimal(rng.uniform(-1.5, 1.5))
        return min(max(value, Decimal(0)), Decimal(100)).quantize(Decimal("0.1"))
    # Counts and days are whole numbers: nobody trains 100.9 people.
    value += Decimal(rng.uniform(-1.5, 1.5)) * abs(target - baseline) / 40
    return max(value, Decimal(0)).quantize(Decimal("1"))


@batch()
def _load_theme(theme, spec, index, pm, password, today):
    lead = theme.lead
    if lead is None:
        return False
    rng = random.Random(theme.slug)
    names = iter(MEMBER_NAMES[(index * 3) % len(MEMBER_NAMES) :] + MEMBER_NAMES)
    now = timezone.now()
    year = FinancialYear.for_date(today)

    # Team: a practitioner you can sign in as, a manager, and partner representatives.
    first, last = next(names)
    member = _user(f"member.{theme.slug}", first, last, roles.TEAM_MEMBER, password)
    joined = _at(_months_back(today, 12) + dt.timedelta(days=7), 9)  # as the plan starts
    membership = team_member_add(
        theme=theme, actor=lead, member=member, kind=TeamMembership.Kind.PRACTITIONER
    )
    backdate(membership, history_at=joined)
    partners = []  # as the PID names them
    for partner in spec["partners"]:
        org, role_text = partner["organisation"], partner["role"]
        first, last = next(names)
        username = f"{org.lower()}.{theme.slug}"
        user = _user(username, first, last, roles.TEAM_MEMBER, password)
        partners.append(f"{org}: {role_text} ({first} {last})")
        membership = team_member_add(
            theme=theme,
            actor=lead,
            member=user,
            kind=TeamMembership.Kind.PARTNER,
            organisation=f"{org}: {role_text}",
        )
        backdate(membership, history_at=joined)

    # The story: the baseline a year ago, month-end readings since, the PID approved six months
    # ago and a highlight report each month after it, each written from what was known then.
    baseline_date = _months_back(today, 12)
    # The theme's plan (its measures, milestones and first risks) is set up in the week after
    # the baseline: that is when its history begins.
    plan_start = baseline_date + dt.timedelta(days=7)
    target_date = FinancialYear(year.start_year + 1).end
    pending = []  # (date, reading) in the order they happen
    for spec_measure in spec["measures"]:
        name = spec_measure["name"]
        measure = measure_create(
            theme=theme,
            actor=lead,
            name=name,
            definition=f"{name}, from the monthly performance report.",
            unit=spec_measure["unit"],
            direction=spec_measure["direction"],
            baseline_value=Decimal(spec_measure["baseline"]),
            baseline_date=baseline_date,
            target_value=Decimal(spec_measure["target"]),
            target_date=target_date,
        )
        backdate(measure, history_at=_at(plan_start, 10))
        for n in range(12, 0, -1):
            date = _months_back(today, n - 1) - dt.timedelta(days=1)  # month ends, a year of them
            value = _reading_value(measure, spec_measure["pace"], rng, date)
            pending.append((date, measure, value))
    pending.sort(key=lambda item: item[0])

    def record_readings(until: dt.date):
        while pending and pending[0][0] <= until:
            date, measure, value = pending.pop(0)
            reading = measure_reading_add(
                measure=measure,
                actor=lead,
                value=value,
                date=date,
                source="Monthly performance report",
            )
            # Entered when the month's performance report comes out, a few days after.
            backdate(reading, history_at=min(_at(date + dt.timedelta(days=3), 9), now))

    # Each theme's milestones fall due a few days apart from the next theme's, so the months
    # between Board meetings see different themes' milestones done or overdue.
    shift = dt.timedelta(days=4 * index)
    due_dates = [
        today - dt.timedelta(days=300) - shift,
        today - dt.timedelta(days=200) - shift,
        today - dt.timedelta(days=60) - shift,
        today - dt.timedelta(days=20) - shift,
        today + dt.timedelta(days=40) + shift,
        today + dt.timedelta(days=130) + shift,
    ]
    for n, title in enumerate(spec["milestones"]):
        due = due_dates[n % len(due_dates)]
        overdue = n in (2, 3) and index % 3 != 2  # most themes have one or two overdue
        if due < today and not (overdue and (n == 2 or index % 2 == 0)):
            status, completed = Milestone.Status.DONE, due - dt.timedelta(days=rng.randint(0, 10))
            if completed.day > REPORT_DAY - 1:
                completed = completed.replace(day=REPORT_DAY - 1)
        elif due < today:
            status, completed = Milestone.Status.AT_RISK, None
        else:
            status, completed = (
                rng.choice([Milestone.Status.ON_TRACK, Milestone.Status.NOT_STARTED]),
                None,
            )
        # Planned at the start, then marked done on the day it was done, or at risk a fortnight
        # before it fell due.
        milestone = milestone_create(
            theme=theme,
            actor=lead,
            title=title.format(year=year.label),
            owner=f"{lead.first_name} {lead.last_name}" if n % 2 else "QA Support Officer",
            due_date=due,
            status=Milestone.Status.ON_TRACK if completed else status,
            completed_on=None,
        )
        backdate(milestone, history_at=_at(plan_start, 11, n))
        moved = {Milestone.Status.DONE: completed, Milestone.Status.AT_RISK: due - dt.timedelta(14)}
        if status in moved:
            milestone = milestone_update(
                milestone=milestone,
                actor=lead,
                version=milestone.version,
                status=status,
                completed_on=completed,
            )
            backdate(milestone, history_at=_at(moved[status], 16))

    # The risk log: the first risks raised as the plan was set up, one raised lately; the rest
    # raised then closed over the months, and those escalated to the programme escalated later.
    for n, risk in enumerate(spec["risks"]):
        if n == 2:
            raised = _days_back(today, _risk_raised_back(index))
        else:
            raised = plan_start + dt.timedelta(days=3 + 20 * min(n, 2))
        record = risk_create(
            theme=theme,
            actor=lead,
            kind=risk["kind"],
            description=risk["description"],
            likelihood=max(1, min(5, risk["likelihood"] + rng.randint(-1, 1))),
            impact=risk["impact"],
            owner=lead.get_full_name(),
            mitigation=risk["mitigation"],
            status=Risk.Status.OPEN,
            review_date=today + dt.timedelta(days=30),
            escalated=False,
        )
        backdate(record, history_at=_at(raised, 14, n))
        moves = []
        if risk["escalated"]:
            escalated_on = max(
                _days_back(today, _risk_escalated_back(index)), raised + dt.timedelta(days=7)
            )
            moves.append((min(escalated_on, today), {"escalated": True}))
        if n >= 3:
            moves.append((_days_back(today, _risk_closed_back(index, n)), {"status": "closed"}))
        for day, fields in sorted(moves, key=lambda move: move[0]):
            record = risk_update(risk=record, actor=lead, version=record.version, **fields)
            backdate(record, history_at=min(_at(day, 15, n), now))

    # The PID: written, submitted and approved (version 1), so every theme starts from a baseline.
    approved_on = _months_back(today, 6) + dt.timedelta(days=rng.randint(3, 12))
    record_readings(approved_on)
    pid = selectors.pid_for_reading(theme)
    # The plan's PID (loaded from the programme's data file) was there before the lead wrote
    # the theme's detail into it: its history starts with the plan, not the day of the demo.
    backdate(pid, history_at=_at(plan_start, 9))
    pid = pid_update(
        pid=pid,
        actor=lead,
        version=pid.version,
        # The aims, scope and deliverables are the plan's (the programme's data file); the
        # demo adds the theme's working detail on top, and names the partners on its team.
        outcomes=spec["outcomes"],
        governance=spec["governance"].format(lead=lead.get_full_name()),
        dependencies=spec["dependencies"],
        partners="\n".join(partners) or pid.partners,
    )
    backdate(pid, history_at=_at(approved_on - dt.timedelta(days=3), 11))
    pid = pid_submit(pid=pid, actor=lead, version=pid.version)
    backdate(pid, history_at=_at(approved_on, 9))
    version = pid_approve(
        pid=pid,
        actor=pm,
        version=pid.version,
        fingerprint=pid_fingerprint(pid),
        note="Approved at the programme's start.",
    )
    backdate(pid, submitted_at=_at(approved_on, 9), history_at=_at(approved_on, 15))
    backdate(version, approved_at=_at(approved_on, 15), history_at=_at(approved_on, 15))

    # Highlight reports: five months submitted, this month submitted, in draft or missing.
    ratings = [RAG.GREEN, RAG.AMBER, RAG.GREEN, RAG.AMBER, RAG.RED, RAG.GREEN]
    says = spec["report"]
    for n in range(5, -1, -1):
        period = _months_back(today, n)
        if n == 0 and index % 3 == 2:
            continue  # no report yet for the current month: shows as missing
        # Written on the report day of its month (this month's: today), from what was known.
        submitted_at = _at(period.replace(day=REPORT_DAY), 10) if n else now
        record_readings(timezone.localtime(submitted_at).date())
        overall = ratings[(index + n) % len(ratings)]
        # Started from the live data (themes.prefill): time, risk and benefits from the theme's
        # records, and cost as the budget report rates the theme's share of the forecast (the
        # budget's part of the demo is loaded first), its reason quoting the figures: the lead
        # leaves it as the budget says. The lead rates scope and quality.
        report = highlight_report_start(theme=theme, period=period, actor=lead)
        written = (submitted_at - dt.timedelta(hours=2)) if n else None
        if written:
            backdate(report, history_at=written)
        areas = ("scope", "quality", "benefits")
        data = {f"{area}_rag": RAG.GREEN for area in areas} | {f"{a}_reason": "" for a in areas}
        if overall != RAG.GREEN:
            data["benefits_rag"] = overall
            data["benefits_reason"] = says["benefits"]
            data["path_to_green"] = says["path_to_green"]
        data |= {
            "overall_rag": overall,
            "overall_reason": "" if overall == RAG.GREEN else says["behind"],
            "decisions_needed": says["decision"] if overall == RAG.RED else "",
            "lessons": says["lessons"][-1 - n],
        }
        report = highlight_report_update(report=report, actor=lead, version=report.version, **data)
        if written:
            backdate(report, history_at=written + dt.timedelta(minutes=30))
        if n == 0 and index % 3 == 1:
            continue  # left in draft
        # Make the time, cost and risk areas submittable whatever the live data says.
        for area in ("time", "cost", "risk"):
            if getattr(report, f"{area}_rag") != RAG.GREEN and not report.path_to_green:
                report = highlight_report_update(
                    report=report,
                    actor=lead,
                    version=report.version,
                    path_to_green=says["recovery"],
                )
                if written:
                    backdate(report, history_at=written + dt.timedelta(minutes=45))
                break
        report = highlight_report_submit(report=report, actor=lead, version=report.version)
        backdate(report, submitted_at=submitted_at, history_at=submitted_at)
    record_readings(today)

    on_theme, on_measure = spec["comments"]
    comment_add(theme=theme, actor=member, body=on_theme)
    first_measure = Measure.objects.filter(theme=theme).order_by("order").first()
    last_month = _months_back(today, 1)
    comment_add(
        theme=theme,
        actor=member,
        measure=first_measure,
        body=on_measure.format(month=f"{last_month:%B}"),
    )
    return True


def demo_data_load(*, programme, stdout=None) -> None:
    demo.require_demo()
    roles.sync_role_groups()
    pm = get_user_model().objects.filter(username="programme.manager").first()
    today = selectors.today()
    story = _story()
    loaded = 0
    for index, theme in enumerate(programme.themes.select_related("lead").order_by("number")):
        if theme.pid_versions.exists():
            continue
        spec = story.get(theme.slug)
        if spec is None or pm is None:
            continue
        if _load_theme(theme, spec, index, pm, settings.DEMO_PASSWORD, today):
            loaded += 1
    if stdout is not None:
        stdout.write(
            f"Theme demo data: {loaded} theme{'s' if loaded != 1 else ''} filled in"
            + ("." if loaded else " (already there).")
        )
