"""Demo data for the Improvement Board: a monthly calendar for the year with its rota, a past
meeting with minutes, decisions, actions and its published pack, the next meeting's pack ready,
and progress-report schedules for the four bodies (whose reports the scheduled job makes, from
the first meeting's month on). Idempotent: a board that already has
meetings is left alone."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone

from havering_improve.actions import backdate

from . import selectors, services
from .models import Board, MeetingPack, ReportSchedule, RotaRun

MONTHS = 12
CHAIR = "Director of Children's Services"
VENUE = "Town Hall, Main Road, Romford RM1 3BD — Committee Room 2"
LINK = "https://teams.microsoft.com/l/meetup-join/havering-improvement-board"

SCHEDULES = {
    "lscb": ("quarterly", ["overview", "milestones", "risks", "decisions", "actions"]),
    "slt": ("monthly", ["overview", "milestones", "risks", "decisions", "actions"]),
    "scrutiny": ("quarterly", ["overview", "milestones", "decisions"]),
    "executive": ("quarterly", ["overview", "decisions"]),
}


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def demo_data_load(*, programme, stdout=None) -> None:
    board = selectors.improvement_board(programme)
    if board is None or board.meetings.exists():
        _say(stdout, "Board demo data already loaded; nothing changed.")
        return
    User = get_user_model()
    manager = User.objects.filter(username="programme.manager").first()
    today = timezone.localdate()
    # The board meets on the second Tuesday of each month; the year starts four months back,
    # so there are past meetings with minutes and packs as well as meetings to come.
    first_month = (today - relativedelta(months=4)).replace(day=1)
    dates = []
    for i in range(MONTHS):
        month = first_month + relativedelta(months=i)
        first_tuesday = month + dt.timedelta(days=(1 - month.weekday()) % 7)
        dates.append(first_tuesday + dt.timedelta(weeks=1))
    meetings = services.meetings_schedule(
        board=board,
        actor=manager,
        dates=dates,
        start_time=dt.time(10, 0),
        venue=VENUE,
        online_link=LINK,
        chair=CHAIR,
    )

    _rota_seed(board, manager, today=today, planned_on=dates[0] - dt.timedelta(days=30))

    past = [m for m in meetings if m.date < today]
    upcoming = [m for m in meetings if m.date >= today]
    leads = {t.slug: t.lead for t in programme.themes.select_related("lead")}
    if past:
        last = past[-1]
        earlier = past[-2] if len(past) > 1 else None
        if earlier is not None:
            services.minutes_save(
                meeting=earlier,
                actor=manager,
                version=earlier.version,
                minutes="The board reviewed the first focus themes and agreed the format of "
                "highlight reports.",
            )
            services.action_add(
                meeting=earlier,
                actor=manager,
                owner=leads["case-recording"] or manager,
                description="Bring the case-recording audit tool to the board for sign-off",
                due_date=earlier.date + dt.timedelta(days=21),
                theme=programme.themes.get(slug="case-recording"),
            )
        last = services.minutes_save(
            meeting=last,
            actor=manager,
            version=last.version,
            minutes="Present: Director of Children's Services (chair), Lead Member for "
            "Children's Services, Head of Children's Social Care, Designated Nurse, "
            "Detective Inspector (Public Protection), Head of Education Inclusion.\n\n"
            "The board heard from the leads of the focus themes, reviewed escalated risks and "
            "the budget position, and agreed the decisions and actions below.",
        )
        services.decision_add(
            meeting=last,
            actor=manager,
            text="Approve the revised supervision policy for immediate use.",
            theme=programme.themes.get(slug="supervision"),
        )
        services.decision_add(
            meeting=last,
            actor=manager,
            restricted=True,
            text="Agree the agency staffing contingency for two named teams (restricted).",
        )
        for slug, text, days in [
            ("supervision", "Report supervision compliance by team to the next meeting", 21),
            ("quality-assurance", "Share the themes from the October practice week", 14),
            ("workforce-development", "Confirm the ASYE academy start date", 10),
        ]:
            services.action_add(
                meeting=last,
                actor=manager,
                owner=leads[slug] or manager,
                description=text,
                due_date=last.date + dt.timedelta(days=days),
                theme=programme.themes.get(slug=slug),
            )
        _build(last, publish_by=manager)
    if upcoming:
        _build(upcoming[0], publish_by=None)

    for slug, (frequency, sections) in SCHEDULES.items():
        body = Board.objects.filter(programme=programme, slug=slug).first()
        if body is not None and not ReportSchedule.objects.filter(board=body).exists():
            services.schedule_save(
                board=body,
                actor=manager,
                frequency=frequency,
                send_day=5,
                sections=sections,
                recipients=f"{slug}.clerk@havering.example",
                # The scheduled job (run by `make run`'s beat) makes and sends every report
                # due since the board's year began, so the demo has past reports to read.
                first_period=first_month,
                active=True,
            )
    _say(
        stdout,
        f"Board: {len(meetings)} meetings with their rota, "
        f"{'a published pack for ' + str(past[-1]) if past else 'no past meeting'}, "
        "the next meeting's pack ready, report schedules for the other bodies.",
    )


def _rota_seed(board, manager, *, today, planned_on) -> None:
    """The rota as the planner gives it today. The meetings already held, or whose pack deadline
    has passed, keep the focus planned a month before the first meeting (a run dated then); the
    rest are planned today around them, exactly as "Generate the rota" would plan them now, so
    its preview on the untouched demo proposes no change. Each lead is told once when their
    theme is next in focus."""
    first = services.rota_propose(board=board, today=planned_on)
    kept = {m.pk for m in services.rota_propose(board=board, today=today).locked}
    kept |= {c.meeting.pk for c in first.changes if c.meeting.date < today}
    plan = {key: entry for key, entry in first.plan().items() if int(key) in kept}
    if plan:
        run = RotaRun.objects.create(board=board, requested_by=manager, plan=plan)
        services.rota_plan(run_id=run.pk, today=planned_on)
        when = timezone.make_aware(dt.datetime.combine(planned_on, dt.time(9)))
        backdate(run, requested_at=when, finished_at=when)
    run = RotaRun.objects.create(board=board, requested_by=manager)
    services.rota_plan(run_id=run.pk, today=today)


def _build(meeting, *, publish_by):
    """Build a pack here and now: the demo must work with no worker running. A past meeting's
    pack is dated as the clerk would have done it: built and published the week before."""
    pack = MeetingPack.objects.create(meeting=meeting, version=1)
    pack = services.pack_build(pack_id=pack.pk, attempt=pack.build_attempt)
    if publish_by is not None and pack.status == MeetingPack.Status.READY:
        services.pack_publish(pack=pack, actor=publish_by)
        week_before = meeting.date - dt.timedelta(days=7)
        backdate(
            pack,
            built_at=timezone.make_aware(dt.datetime.combine(week_before, dt.time(11))),
            published_at=timezone.make_aware(dt.datetime.combine(week_before, dt.time(15))),
        )
