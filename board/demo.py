"""Demo data for the Improvement Board: a monthly calendar for the year with its rota, and past
meetings with minutes, decisions and actions (their packs and the progress-report schedules are
`reporting.demo`'s). Idempotent: a board that already has meetings is left alone."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone

from havering_improve.actions import backdate

from . import selectors
from .actions import calendar, decisions, minutes, rota, tracker
from .models import RotaRun

MONTHS = 12
CHAIR = "Director of Children's Services"
VENUE = "Town Hall, Main Road, Romford RM1 3BD — Committee Room 2"
LINK = "https://teams.microsoft.com/l/meetup-join/havering-improvement-board"


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
    meetings = calendar.meetings_schedule(
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
    leads = {t.slug: t.lead for t in programme.themes.select_related("lead")}
    if past:
        last = past[-1]
        earlier = past[-2] if len(past) > 1 else None
        if earlier is not None:
            minutes.minutes_save(
                meeting=earlier,
                actor=manager,
                version=earlier.version,
                minutes="The board reviewed the first focus themes and agreed the format of "
                "highlight reports.",
            )
            tracker.action_add(
                meeting=earlier,
                actor=manager,
                owner=leads["case-recording"] or manager,
                description="Bring the case-recording audit tool to the board for sign-off",
                due_date=earlier.date + dt.timedelta(days=21),
                theme=programme.themes.get(slug="case-recording"),
            )
        last = minutes.minutes_save(
            meeting=last,
            actor=manager,
            version=last.version,
            minutes="Present: Director of Children's Services (chair), Lead Member for "
            "Children's Services, Head of Children's Social Care, Designated Nurse, "
            "Detective Inspector (Public Protection), Head of Education Inclusion.\n\n"
            "The board heard from the leads of the focus themes, reviewed escalated risks and "
            "the budget position, and agreed the decisions and actions below.",
        )
        decisions.decision_add(
            meeting=last,
            actor=manager,
            text="Approve the revised supervision policy for immediate use.",
            theme=programme.themes.get(slug="supervision"),
        )
        decisions.decision_add(
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
            tracker.action_add(
                meeting=last,
                actor=manager,
                owner=leads[slug] or manager,
                description=text,
                due_date=last.date + dt.timedelta(days=days),
                theme=programme.themes.get(slug=slug),
            )

    _say(
        stdout,
        f"Board: {len(meetings)} meetings with their rota, "
        f"{'minutes, decisions and actions for ' + str(past[-1]) if past else 'no past meeting'}.",
    )


def _rota_seed(board, manager, *, today, planned_on) -> None:
    """The rota as the planner gives it today. The meetings already held, or whose pack deadline
    has passed, keep the focus planned a month before the first meeting (a run dated then); the
    rest are planned today around them, exactly as "Generate the rota" would plan them now, so
    its preview on the untouched demo proposes no change. Each lead is told once when their
    theme is next in focus."""
    first = rota.rota_propose(board=board, today=planned_on)
    kept = {m.pk for m in rota.rota_propose(board=board, today=today).locked}
    kept |= {c.meeting.pk for c in first.changes if c.meeting.date < today}
    plan = {key: entry for key, entry in first.plan().items() if int(key) in kept}
    if plan:
        run = RotaRun.objects.create(board=board, requested_by=manager, plan=plan)
        rota.rota_plan(run_id=run.pk, today=planned_on)
        when = timezone.make_aware(dt.datetime.combine(planned_on, dt.time(9)))
        backdate(run, requested_at=when, finished_at=when)
    run = RotaRun.objects.create(board=board, requested_by=manager)
    rota.rota_plan(run_id=run.pk, today=today)
