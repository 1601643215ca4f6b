"""Demo data for the themes app: every theme gets an approved PID, a team with partner
representatives, milestones (some overdue), measures with a year of monthly readings, a risk log
and highlight reports for recent months. Idempotent: a theme that already has an approved PID is
left alone. Only when DEBUG is on (the loader checks too)."""

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from havering_improve import roles
from havering_improve.fy import FinancialYear

from . import selectors, services
from .models import RAG, HighlightReport, Measure, MeasureReading, Milestone, Risk, TeamMembership

# Per theme (its aims, scope, deliverables and partners are the plan's, from the data file): the
# measures of success (name, unit, direction, baseline, target, how the readings move: "good"
# ends near the target, "slow" lags behind the line), milestones and the partner organisations
# on its team.
THEMES = {
    "pathway-planning": {
        "measures": [
            ("Pathway plans reviewed within timescale", "percent", "higher", 61, 90, "good"),
            (
                "Care leavers in education, employment or training",
                "percent",
                "higher",
                48,
                60,
                "slow",
            ),
            ("Care leavers in suitable accommodation", "percent", "higher", 82, 95, "good"),
        ],
        "milestones": [
            "Pathway plan template co-designed with the Children in Care Council",
            "Personal advisers trained in the new template",
            "Transitions protocol agreed with adult social care",
            "Local offer for care leavers refreshed and published",
            "Audit of pathway plans by the QA team",
            "Staying Put and Staying Close review",
        ],
        "partners": [
            ("Health", "NELFT Looked After Children nurse"),
            ("Education", "Virtual School"),
        ],
        "risks": [
            (
                "risk",
                "Personal advisers' caseloads above 25 leave no time to review plans",
                4,
                4,
                True,
            ),
            (
                "risk",
                "Young people living out of the borough miss their pathway plan reviews",
                3,
                3,
                False,
            ),
            (
                "issue",
                "Housing offers for care leavers fall short of what the local offer promises",
                3,
                4,
                False,
            ),
            (
                "risk",
                "Children in Care Council members are away when the template is co-designed",
                2,
                2,
                False,
            ),
        ],
    },
    "smart-planning": {
        "measures": [
            ("Plans audited as SMART", "percent", "higher", 38, 75, "good"),
            (
                "Reunification assessments completed before a child returns home",
                "percent",
                "higher",
                55,
                90,
                "slow",
            ),
        ],
        "milestones": [
            "SMART planning practice standard published",
            "Workshops for all child in need and child protection teams",
            "Reunification practice framework adopted",
            "Risk assessment tool built into the case recording system",
            "Thematic audit of plans",
        ],
        "partners": [
            ("Police", "Metropolitan Police, East Area Public Protection"),
            ("Health", "BHRUT safeguarding team"),
        ],
        "risks": [
            (
                "risk",
                "Conference chairs do not yet challenge child protection plans that are not SMART",
                4,
                3,
                True,
            ),
            (
                "risk",
                "Reunification assessments start after the decision to return a child home",
                3,
                5,
                False,
            ),
            (
                "issue",
                "The plan template in the case recording system cannot hold measurable outcomes",
                4,
                2,
                False,
            ),
            (
                "risk",
                "Workshop places go unfilled when social workers are called to court",
                2,
                3,
                False,
            ),
        ],
    },
    "supervision": {
        "measures": [
            ("Supervision within timescale", "percent", "higher", 64, 90, "good"),
            ("Case files with recorded management oversight", "percent", "higher", 52, 85, "slow"),
            ("Average days between supervisions", "days", "lower", 41, 28, "good"),
        ],
        "milestones": [
            "Supervision policy refreshed with the reflective model",
            "Supervision training for all team and practice managers",
            "Supervision recording template live in the system",
            "First supervision audit",
            "Staff survey on the quality of supervision",
            "Second supervision audit and report to the Board",
        ],
        "partners": [
            ("Education", "Havering Social Care Academy"),
            ("Health", "Family therapy service"),
        ],
        "risks": [
            (
                "risk",
                "Team managers' spans of control leave too little time for reflective supervision",
                4,
                4,
                False,
            ),
            (
                "risk",
                "Supervision recorded outside the child's file loses the evidence of oversight",
                3,
                4,
                False,
            ),
            (
                "issue",
                "Agency team managers cannot yet use the supervision recording template",
                3,
                2,
                False,
            ),
            (
                "risk",
                "The venue for the reflective supervision course is withdrawn",
                2,
                2,
                False,
            ),
        ],
    },
    "case-recording": {
        "measures": [
            ("Case notes recorded within 5 working days", "percent", "higher", 58, 90, "good"),
            ("Data quality exceptions open", "count", "lower", 420, 100, "slow"),
        ],
        "milestones": [
            "Recording standards written for the child published",
            "Weekly data quality exception report to team managers",
            "Performance dashboard launched",
            "Case recording audit",
            "Training for business support on data quality",
        ],
        "partners": [("Council", "Business Intelligence team")],
        "risks": [
            (
                "risk",
                "The move to the new case management system delays the recording standards",
                4,
                4,
                True,
            ),
            (
                "risk",
                "Data quality exceptions open faster than teams can clear them",
                3,
                3,
                False,
            ),
            (
                "issue",
                "Business support vacancies delay the weekly exception report",
                3,
                2,
                False,
            ),
            (
                "risk",
                "The performance dashboard's licence lapses at renewal",
                2,
                3,
                False,
            ),
        ],
    },
    "adolescent-safeguarding": {
        "measures": [
            ("Return home interviews within 72 hours", "percent", "higher", 45, 85, "good"),
            (
                "Young people with an exploitation risk assessment",
                "percent",
                "higher",
                60,
                95,
                "slow",
            ),
            ("Missing episodes per month", "count", "lower", 96, 60, "good"),
        ],
        "milestones": [
            "Contextual safeguarding approach agreed with partners",
            "Multi-agency exploitation panel running monthly",
            "Return home interview service recommissioned",
            "Exploitation screening tool adopted across the partnership",
            "Peer review of the adolescent safeguarding response",
        ],
        "partners": [
            ("Police", "Metropolitan Police, Missing Persons Unit"),
            ("Education", "Inclusion and Attendance service"),
            ("Health", "CAMHS"),
        ],
        "risks": [
            (
                "risk",
                "Return home interviews are missed when young people go missing out of hours",
                4,
                5,
                True,
            ),
            (
                "risk",
                "Partners' exploitation screening tools grade the same young person differently",
                3,
                4,
                False,
            ),
            (
                "issue",
                "County lines referrals from neighbouring boroughs arrive without a named contact",
                3,
                3,
                False,
            ),
            (
                "risk",
                "The recommissioned return home interview service is not ready by its start date",
                2,
                4,
                False,
            ),
        ],
    },
    "quality-assurance": {
        "measures": [
            ("Audits graded good or better", "percent", "higher", 35, 60, "slow"),
            ("Audit actions completed on time", "percent", "higher", 50, 85, "good"),
        ],
        "milestones": [
            "QA framework refreshed and signed off",
            "Practice week",
            "Independent auditor's first challenge session",
            "Learning from audit newsletter launched",
            "Moderation of audits with a peer authority",
        ],
        "partners": [("Independent", "Independent auditor")],
        "risks": [
            (
                "risk",
                "Managers auditing their own teams' cases weakens the independence of audit",
                3,
                4,
                False,
            ),
            (
                "risk",
                "Practice week auditors are pulled back to cover front-line vacancies",
                4,
                3,
                False,
            ),
            (
                "issue",
                "Audit actions are tracked in spreadsheets outside the child's record",
                3,
                2,
                False,
            ),
            (
                "risk",
                "The peer authority cannot moderate audits this quarter",
                2,
                2,
                False,
            ),
        ],
    },
    "workforce-development": {
        "measures": [
            ("Social workers who are permanent", "percent", "higher", 68, 80, "good"),
            ("Staff trained in systemic practice", "count", "higher", 12, 120, "good"),
            ("Social worker turnover", "percent", "lower", 21, 14, "slow"),
        ],
        "milestones": [
            "Academy prospectus for {year} published",
            "Systemic practice training cohort 1 complete",
            "Recruitment and retention offer agreed",
            "Family therapists in post",
            "Systemic practice training cohort 2 complete",
            "Workforce survey",
        ],
        "partners": [("Education", "University partner for ASYE")],
        "risks": [
            (
                "risk",
                "Recruitment lag for the family therapists delays the systemic practice cohorts",
                4,
                4,
                True,
            ),
            (
                "risk",
                "Agency social workers leave before finishing the Academy's induction",
                3,
                4,
                False,
            ),
            (
                "issue",
                "ASYE places outnumber the experienced practice educators to support them",
                3,
                3,
                False,
            ),
            (
                "risk",
                "The university partner moves the accreditation panel date",
                2,
                3,
                False,
            ),
        ],
    },
}


def _user(username, first, last, role, password):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first, last_name=last)
        user.email = f"{username}@havering.example"
        user.set_password(password)
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


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


# Past months' highlight reports are written and submitted on the day they are due (the
# reporting convention, themes.selectors), before the month-end figures come in; the month's
# milestones are done by then.
REPORT_DAY = selectors.REPORT_DUE_DAY


def _reading_value(measure, shape, rng, date):
    baseline, target = measure.baseline_value, measure.target_value
    expected = selectors.expected_value(measure, date)
    pace = Decimal("1.05") if shape == "good" else Decimal("0.7")
    value = baseline + (expected - baseline) * pace
    if measure.unit == Measure.Unit.PERCENT:
        value += Decimal(rng.uniform(-1.5, 1.5))
        return min(max(value, Decimal(0)), Decimal(100)).quantize(Decimal("0.1"))
    # Counts and days are whole numbers: nobody trains 100.9 people.
    value += Decimal(rng.uniform(-1.5, 1.5)) * abs(target - baseline) / 40
    return max(value, Decimal(0)).quantize(Decimal("1"))


@transaction.atomic
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
    TeamMembership.objects.get_or_create(
        theme=theme,
        user=member,
        defaults={"kind": TeamMembership.Kind.PRACTITIONER, "organisation": ""},
    )
    for org, role_text in spec["partners"]:
        first, last = next(names)
        username = f"{org.lower()}.{theme.slug}"
        user = _user(username, first, last, roles.TEAM_MEMBER, password)
        TeamMembership.objects.get_or_create(
            theme=theme,
            user=user,
            defaults={"kind": TeamMembership.Kind.PARTNER, "organisation": f"{org}: {role_text}"},
        )

    # The story: the baseline a year ago, month-end readings since, the PID approved six months
    # ago and a highlight report each month after it, each written from what was known then.
    baseline_date = _months_back(today, 12)
    target_date = FinancialYear(year.start_year + 1).end
    pending = []  # (date, reading) in the order they happen
    for name, unit, direction, baseline, target, shape in spec["measures"]:
        measure = services.measure_create(
            theme=theme,
            actor=lead,
            data={
                "name": name,
                "definition": f"{name}, from the monthly performance report.",
                "unit": unit,
                "direction": direction,
                "baseline_value": Decimal(baseline),
                "baseline_date": baseline_date,
                "target_value": Decimal(target),
                "target_date": target_date,
            },
        )
        for n in range(12, 0, -1):
            date = _months_back(today, n - 1) - dt.timedelta(days=1)  # month ends, a year of them
            reading = MeasureReading(
                measure=measure,
                value=_reading_value(measure, shape, rng, date),
                date=date,
                source="Monthly performance report",
                recorded_by=lead,
            )
            pending.append((date, reading))
    pending.sort(key=lambda item: item[0])

    def record_readings(until: dt.date):
        while pending and pending[0][0] <= until:
            reading = pending.pop(0)[1]
            reading._history_user = lead
            reading.save()

    due_dates = [
        today - dt.timedelta(days=300),
        today - dt.timedelta(days=200),
        today - dt.timedelta(days=60),
        today - dt.timedelta(days=20),
        today + dt.timedelta(days=40),
        today + dt.timedelta(days=130),
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
        services.milestone_create(
            theme=theme,
            actor=lead,
            data={
                "title": title.format(year=year.label),
                "owner": f"{lead.first_name} {lead.last_name}" if n % 2 else "QA Support Officer",
                "due_date": due,
                "status": status,
                "completed_on": completed,
            },
        )

    for n, (kind, description, likelihood, impact, escalated) in enumerate(spec["risks"]):
        services.risk_create(
            theme=theme,
            actor=lead,
            data={
                "kind": kind,
                "description": description,
                "likelihood": max(1, min(5, likelihood + rng.randint(-1, 1))),
                "impact": impact,
                "owner": lead.get_full_name(),
                "mitigation": "Reviewed monthly at the theme meeting; "
                "escalated to the Improvement Board if the score rises.",
                "status": Risk.Status.OPEN if n < 3 else Risk.Status.CLOSED,
                "review_date": today + dt.timedelta(days=30),
                "escalated": escalated,
            },
        )

    # The PID: written, submitted and approved (version 1), so every theme starts from a baseline.
    approved_on = _months_back(today, 6) + dt.timedelta(days=rng.randint(3, 12))
    record_readings(approved_on)
    pid = services.pid_for_theme(theme)
    pid = services.pid_update(
        pid=pid,
        actor=lead,
        version=pid.version,
        data={
            # The aims, scope, deliverables and partners are the plan's (the programme's data
            # file); the demo adds the theme's working detail on top.
            "outcomes": "Children and young people experience better planned, better recorded "
            "and better supervised help, and say so in their feedback.",
            "governance": f"Led by {lead.get_full_name()}. The theme group meets monthly; the "
            "project lead reports to the Improvement Board through the monthly highlight report "
            "and when the theme is on the Board's rota.",
            "dependencies": "The case recording system changes (theme 4); the Havering Social "
            "Care Academy's training calendar (theme 7); the budget lines that fund new posts.",
        },
    )
    pid = services.pid_submit(pid=pid, actor=lead, version=pid.version)
    version = services.pid_approve(
        pid=pid, actor=pm, version=pid.version, note="Approved at the programme's start."
    )
    type(pid).objects.filter(pk=pid.pk).update(submitted_at=_at(approved_on, 9))
    type(version).objects.filter(pk=version.pk).update(approved_at=_at(approved_on, 15))

    # Highlight reports: five months submitted, this month submitted, in draft or missing.
    ratings = [RAG.GREEN, RAG.AMBER, RAG.GREEN, RAG.AMBER, RAG.RED, RAG.GREEN]
    for n in range(5, -1, -1):
        period = _months_back(today, n)
        if n == 0 and index % 3 == 2:
            continue  # no report yet for the current month: shows as missing
        # Written on the report day of its month (this month's: today), from what was known.
        submitted_at = _at(period.replace(day=REPORT_DAY), 10) if n else now
        record_readings(timezone.localtime(submitted_at).date())
        overall = ratings[(index + n) % len(ratings)]
        report = services.highlight_report_start(theme=theme, period=period, actor=lead)
        data = {f"{area}_rag": RAG.GREEN for area in ("cost", "scope", "quality", "benefits")}
        data.update({f"{area}_reason": "" for area in ("cost", "scope", "quality", "benefits")})
        data["cost_reason"] = "Spend is in line with the profile."
        if overall != RAG.GREEN:
            data["benefits_rag"] = overall
            data["benefits_reason"] = "Measures are moving, but more slowly than planned."
            data["path_to_green"] = (
                "Targeted support to teams furthest from the standard, and a re-audit next month."
            )
        data.update(
            {
                "overall_rag": overall,
                "overall_reason": ""
                if overall == RAG.GREEN
                else "Delivery is behind plan on some milestones; the measures are improving.",
                "decisions_needed": "None this month."
                if overall != RAG.RED
                else "Agree to extend the agency cover until the new posts are filled.",
                "lessons": "Involving young people early in design saves rework later.",
            }
        )
        report = services.highlight_report_update(
            report=report, actor=lead, version=report.version, data=data
        )
        if n == 0 and index % 3 == 1:
            continue  # left in draft
        # Make the time and risk areas submittable whatever the live data says.
        for area in ("time", "risk"):
            if getattr(report, f"{area}_rag") != RAG.GREEN and not report.path_to_green:
                report = services.highlight_report_update(
                    report=report,
                    actor=lead,
                    version=report.version,
                    data={"path_to_green": "Recover the overdue milestones by next month."},
                )
                break
        report = services.highlight_report_submit(report=report, actor=lead, version=report.version)
        HighlightReport.objects.filter(pk=report.pk).update(submitted_at=submitted_at)
    record_readings(today)

    services.comment_add(
        theme=theme,
        actor=member,
        body="The team meeting agreed to trial the new template in two teams first.",
    )
    first_measure = Measure.objects.filter(theme=theme).order_by("order").first()
    last_month = _months_back(today, 1)
    services.comment_add(
        theme=theme,
        actor=member,
        measure=first_measure,
        body=f"{last_month:%B}'s figure includes the late returns from the east locality.",
    )
    return True


def demo_data_load(*, programme, stdout=None) -> None:
    if not settings.DEBUG:
        raise RuntimeError("Demo data is only loaded when DEBUG is on.")
    roles.sync_role_groups()
    pm = get_user_model().objects.filter(username="programme.manager").first()
    today = selectors.today()
    loaded = 0
    for index, theme in enumerate(programme.themes.select_related("lead").order_by("number")):
        if theme.pid_versions.exists():
            continue
        spec = THEMES.get(theme.slug)
        if spec is None or pm is None:
            continue
        if _load_theme(theme, spec, index, pm, settings.DEMO_PASSWORD, today):
            loaded += 1
    if stdout is not None:
        stdout.write(
            f"Theme demo data: {loaded} theme{'s' if loaded != 1 else ''} filled in"
            + ("." if loaded else " (already there).")
        )
