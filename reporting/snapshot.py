"""What a pack or a progress report shows, frozen as plain JSON when it is made: the queries
across the apps, as at one moment. The HTML and PDF are rendered from the snapshot alone
(`reporting.documents`, `reporting.render`), which is what makes a published pack frozen: its
files and snapshot are stored with checksums, and nothing later in the programme is read again.
"""

import datetime as dt

from django.utils import timezone
from django.utils.dateformat import format as date_format

from board import selectors as board_selectors
from board.models import Action, Decision, Meeting
from havering_improve.mail import site_url
from themes.models import Measure, Risk, Theme
from themes.selectors import (
    overdue_milestones,
)

from .models import MeetingPack
from .sections import (
    BOARD_RISK_SCORE,
    NO_NEXT_MEETING_DAYS,
    action_row,
    board_milestones,
    board_risks,
    budget_section,
    decision_row,
    evaluation_section,
    latest_reports,
    measure_data,
    person_name,
    readings_by_measure,
    report_check,
    report_data,
    shown_day,
    since_last_meeting,
    theme_evidence,
)


def pack_snapshot(*, meeting: Meeting, version: int = 1, now=None) -> dict:
    now = now or timezone.now()
    board = meeting.board
    themes = list(
        Theme.objects.filter(programme=board.programme_id).select_related("lead").order_by("number")
    )
    focus_ids = set(meeting.slots.values_list("theme_id", flat=True))
    previous = board_selectors.previous_meeting(meeting)
    next_one = (
        Meeting.objects.filter(board=board, date__gt=meeting.date, cancelled_at__isnull=True)
        .order_by("date")
        .first()
    )
    # A pack is as at its build: nothing submitted, read or dated after it appears, and a pack
    # rebuilt after the meeting shows no more than was known on the meeting's day.
    meeting_end = timezone.make_aware(dt.datetime.combine(meeting.date, dt.time.max))
    reports = latest_reports(board.programme_id, themes, as_of=min(now, meeting_end))
    # Evidence runs up to the day the pack is built (never past the meeting), from the
    # previous meeting or, for a board's first meeting, from the month before.
    pack_day = min(timezone.localdate(now), meeting.date)
    evidence_after = previous.date if previous else pack_day - dt.timedelta(days=31)

    # "Last time" is what the board was shown at the previous meeting, from its frozen pack.
    shown_before: dict[str, str] = {}
    earlier_snapshot = None
    if previous is not None:
        earlier = (
            MeetingPack.objects.filter(meeting=previous, status=MeetingPack.Status.PUBLISHED)
            .order_by("-version")
            .first()
        )
        if earlier and earlier.snapshot:
            earlier_snapshot = earlier.snapshot
            shown_before = {row["title"]: row["rag"] for row in earlier.snapshot["overview"]}

    overview = []
    for theme in themes:
        latest = reports[theme.pk]
        now_rag = latest[0].overall_rag if latest else ""
        if theme.title in shown_before:
            last_rag = shown_before[theme.title]
        else:
            last_rag = latest[1].overall_rag if len(latest) > 1 else ""
        overview.append(
            {
                "number": theme.number,
                "title": theme.title,
                "lead": person_name(theme.lead),
                "rag": now_rag,
                "rag_last": last_rag,
                "period": date_format(latest[0].period, "F Y") if latest else "",
                "in_focus": theme.pk in focus_ids,
                "milestones_url": site_url(theme.part_url("milestones")),
            }
        )

    overdue = overdue_milestones(programme=board.programme_id, on=pack_day).order_by(
        "theme__number", "due_date", "pk"
    )
    escalated = (
        Risk.objects.filter(theme__in=themes, escalated=True, status=Risk.Status.OPEN)
        .select_related("theme")
        .order_by("theme__number", "pk")
    )

    focus = []
    focus_themes = [t for t in themes if t.pk in focus_ids]
    focus_pks = [t.pk for t in focus_themes]
    measures = list(Measure.objects.filter(theme__in=focus_pks).order_by("theme", "order", "pk"))
    readings = readings_by_measure(measures, until=pack_day)
    # The Board reads what needs it: due before the next meeting (so overdue too) and not done,
    # or done since the last one; risks scored BOARD_RISK_SCORE or more, or escalated. The rest
    # are counted, with a link to the theme's own pages.
    due_by = next_one.date if next_one else meeting.date + dt.timedelta(days=NO_NEXT_MEETING_DAYS)
    milestones_by_theme, milestones_total = board_milestones(
        focus_pks, due_by=due_by, done_after=evidence_after, until=pack_day
    )
    risks_by_theme, risks_total = board_risks(focus_pks)
    for theme in focus_themes:
        focus.append(
            {
                "number": theme.number,
                "title": theme.title,
                "lead": person_name(theme.lead),
                "report": report_data(reports[theme.pk][0] if reports[theme.pk] else None),
                "report_check": report_check(
                    reports[theme.pk][0] if reports[theme.pk] else None, built_on=pack_day
                ),
                "measures": [
                    measure_data(measure, readings[measure.pk])
                    for measure in measures
                    if measure.theme_id == theme.pk
                ],
                "milestones": [
                    {
                        "title": m.title,
                        "owner": m.owner,
                        "due_date": shown_day(m.due_date),
                        "status": m.get_status_display(),
                        "overdue": m.is_overdue(pack_day),
                    }
                    for m in milestones_by_theme[theme.pk]
                ],
                "milestones_due_by": shown_day(due_by),
                "milestones_done_since": shown_day(evidence_after),
                "milestones_rest": milestones_total[theme.pk] - len(milestones_by_theme[theme.pk]),
                "milestones_url": site_url(theme.part_url("milestones")),
                "risks": [
                    {**r.snapshot(), "escalated": r.escalated} for r in risks_by_theme[theme.pk]
                ],
                "risk_score": BOARD_RISK_SCORE,
                "risks_rest": risks_total[theme.pk] - len(risks_by_theme[theme.pk]),
                "risks_url": site_url(theme.part_url("risks")),
                "evidence_since": shown_day(evidence_after),
                "evidence": theme_evidence(theme, after=evidence_after, until=pack_day),
            }
        )

    actions = [
        action_row(a, on=pack_day)
        for a in board_selectors.open_actions(board).filter(meeting__date__lt=meeting.date)
    ]
    focus_titles = [f["title"] for f in focus]
    decisions_asked = [
        {
            "number": f["number"],
            "theme": f["title"],
            "lead": f["lead"],
            "report_id": f["report"]["id"],
            "period": f["report"]["period"],
            "text": f["report"]["decisions_needed"],
        }
        for f in focus
        if f["report"] and f["report"]["asks_board"]
    ]
    budget = budget_section(programme=board.programme, focus_ids=focus_ids)
    agenda = [
        "Welcome, introductions and apologies",
        f"Minutes and actions of the last meeting ({shown_day(previous.date)})"
        if previous
        else "Terms of reference",
        "Decisions for the Board",
        "Since the last meeting",
        "Programme overview: RAG status, overdue milestones and escalated risks",
        *[f"Focus theme: {title}" for title in focus_titles],
        "Budget summary",
        "Evaluation activity since the last meeting",
        "Actions log",
        "Any other business",
        f"Date of next meeting: {shown_day(next_one.date)}" if next_one else "Date of next meeting",
    ]
    return {
        "pack": {
            "version": version,
            "built_at": now.isoformat(),
            "built": date_format(timezone.localtime(now), "j F Y, H:i"),
            "built_on": shown_day(pack_day),
            "reason": "",
        },
        "meeting": {
            "board": board.name,
            "board_short": board.short_name or board.name,
            "date": shown_day(meeting.date),
            "iso_date": meeting.date.isoformat(),
            "time": meeting.start_time.strftime("%H:%M") if meeting.start_time else "",
            "venue": meeting.venue,
            "online_link": meeting.online_link,
            "chair": meeting.chair,
            "previous": shown_day(previous.date) if previous else "",
        },
        "agenda": agenda,
        "decisions_asked": decisions_asked,
        "since_last": since_last_meeting(
            meeting=meeting,
            previous=previous,
            since_day=evidence_after,
            pack_day=pack_day,
            now=now,
            overview=overview,
            budget=budget,
            earlier_snapshot=earlier_snapshot,
        ),
        "overview": overview,
        "overdue_milestones": [
            {
                "theme": m.theme.title,
                "title": m.title,
                "owner": m.owner,
                "due_date": shown_day(m.due_date),
                "status": m.get_status_display(),
            }
            for m in overdue
        ],
        "escalated_risks": [{"theme": r.theme.title, **r.snapshot()} for r in escalated],
        "focus": focus,
        "budget": budget,
        "evaluation": evaluation_section(
            programme=board.programme,
            since=previous.date if previous else meeting.date - dt.timedelta(days=90),
            until=pack_day,
        ),
        "actions": actions,
    }


def report_snapshot(
    *, schedule, period_start: dt.date, period_end: dt.date, now=None, as_of=None
) -> dict:
    """A progress report's content, as known at `as_of` (default now): highlight reports
    submitted later are left out. Items marked restricted never reach a public body."""
    now = now or timezone.now()
    as_of = min(as_of or now, now)
    board = schedule.board
    programme_id = board.programme_id
    themes = list(
        Theme.objects.filter(programme=programme_id).select_related("lead").order_by("number")
    )
    reports = latest_reports(programme_id, themes, as_of=as_of)
    public = board.is_public
    sections = [key for key in schedule.Section.values if key in schedule.sections]
    decisions = Decision.objects.filter(
        meeting__board__programme=programme_id,
        meeting__board__kind="improvement_board",
        meeting__date__gte=period_start,
        meeting__date__lte=period_end,
    ).select_related("meeting", "theme")
    actions = (
        Action.objects.filter(meeting__board__programme=programme_id, meeting__date__lte=period_end)
        .exclude(status=Action.Status.DONE)
        .select_related("owner", "theme", "meeting")
    )
    if public:
        decisions = decisions.exclude(restricted=True)
        actions = actions.exclude(restricted=True)
    same_month = period_start.month == period_end.month
    period = (
        date_format(period_start, "F Y")
        if same_month
        else f"{date_format(period_start, 'F')} to {date_format(period_end, 'F Y')}"
    )
    return {
        "body": board.name,
        "public": public,
        "period": period,
        "generated": shown_day(timezone.localdate(now)),
        "as_at": shown_day(timezone.localdate(as_of)),
        "sections": sections,
        "section_titles": dict(schedule.Section.choices),
        "overview": [
            {
                "number": t.number,
                "title": t.title,
                "lead": person_name(t.lead),
                "rag": reports[t.pk][0].overall_rag if reports[t.pk] else "",
                "rag_last": reports[t.pk][1].overall_rag if len(reports[t.pk]) > 1 else "",
            }
            for t in themes
        ],
        "milestones": [
            {
                "theme": m.theme.title,
                "title": m.title,
                "due_date": shown_day(m.due_date),
                "status": m.get_status_display(),
            }
            # Overdue at the period's end, as it stood then: done only after it is not done.
            for m in overdue_milestones(programme=programme_id, as_of=period_end)
        ],
        "risks": [
            {
                "theme": r.theme.title,
                "description": r.description,
                "score": r.score,
                "mitigation": r.mitigation,
            }
            for r in Risk.objects.filter(
                theme__in=themes, escalated=True, status=Risk.Status.OPEN
            ).select_related("theme")
        ],
        "decisions": [decision_row(d) for d in decisions],
        "actions": [action_row(a, on=period_end) for a in actions],
    }
