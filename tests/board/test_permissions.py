"""Every board address, for every role, GET and POST: who may see it and who may change it."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from reporting.models import MeetingPack, ProgressReport, ReportSchedule
from tests.board.factories import ActionFactory, MeetingFactory

pytestmark = pytest.mark.django_db

ROLES = ["programme_manager", "finance_officer", "board_member", "auditor", "lead", "team_member"]
EVERYONE = set(ROLES)
MANAGER = {"programme_manager"}
PACK_READERS = {"programme_manager", "board_member", "auditor"}
REPORT_READERS = {"programme_manager", "auditor"}
ACTION_UPDATERS = {"programme_manager", "lead"}  # the lead owns the action


@pytest.fixture
def world(board, slt, meeting, lead):
    published = meeting.packs.create(
        version=1, status=MeetingPack.Status.PUBLISHED, snapshot={}, published_at=timezone.now()
    )
    published.html.save("pack.html", ContentFile(b"<p>Frozen pack</p>"))
    published.pdf.save("pack.pdf", ContentFile(b"%PDF-1.7 frozen"))
    later = MeetingFactory(board=board, date=meeting.date + dt.timedelta(days=28))
    draft = later.packs.create(version=1, status=MeetingPack.Status.READY)
    draft.html.save("pack.html", ContentFile(b"<p>Draft pack</p>"))
    draft.pdf.save("pack.pdf", ContentFile(b"%PDF-1.7 draft"))
    action = ActionFactory(meeting=meeting, owner=lead)
    schedule = ReportSchedule.objects.create(
        board=slt,
        frequency="monthly",
        send_day=1,
        sections=["overview"],
        recipients="slt@h.example",
    )
    report = ProgressReport.objects.create(
        schedule=schedule,
        period_start=dt.date(2026, 9, 1),
        period_end=dt.date(2026, 9, 30),
        status="sent",
    )
    report.pdf.save("report.pdf", ContentFile(b"%PDF-1.7 report"))
    return {
        "meeting": meeting,
        "published": published,
        "draft": draft,
        "action": action,
        "slt": slt,
        "report": report,
    }


# (address, who may GET it, who may POST to it, what to POST). None: the address has no GET.
CASES = {
    "index": ("/board/", EVERYONE, set(), {}),
    "meeting": ("/board/meetings/{meeting}/", EVERYONE, set(), {}),
    "meeting_add": (
        "/board/meetings/add/",
        MANAGER,
        MANAGER,
        {"date_0": "1", "date_1": "6", "date_2": "2027"},
    ),
    "meeting_schedule": (
        "/board/meetings/schedule/",
        MANAGER,
        MANAGER,
        {
            "first_date_0": "1",
            "first_date_1": "6",
            "first_date_2": "2027",
            "count": "2",
            "repeat": "monthly",
        },
    ),
    "meeting_edit": (
        "/board/meetings/{meeting}/edit/",
        MANAGER,
        MANAGER,
        {"date_0": "2", "date_1": "6", "date_2": "2027", "chair": "New chair"},
    ),
    "meeting_pins": ("/board/meetings/{meeting}/pins/", MANAGER, MANAGER, {}),
    "minutes": ("/board/meetings/{meeting}/minutes/", MANAGER, MANAGER, {"minutes": "Noted."}),
    "decision_add": (
        "/board/meetings/{meeting}/decisions/add/",
        MANAGER,
        MANAGER,
        {"text": "Agreed."},
    ),
    "action_add": ("/board/meetings/{meeting}/actions/add/", MANAGER, MANAGER, {}),
    "pack_build": ("/board/meetings/{meeting}/pack/build/", None, MANAGER, {}),
    "rota_generate": ("/board/rota/generate/", MANAGER, MANAGER, {}),
    "rota_ics": ("/board/rota.ics", EVERYONE, set(), {}),
    "rota_history": ("/board/rota/history/", REPORT_READERS, set(), {}),
    "settings": (
        "/board/settings/",
        MANAGER,
        MANAGER,
        {"pack_days_before": "7", "reminder_working_days": "3"},
    ),
    "actions": ("/board/actions/", EVERYONE, set(), {}),
    "action_update": (
        "/board/actions/{action}/",
        ACTION_UPDATERS,
        ACTION_UPDATERS,
        {"status": "in_progress", "progress_note": "Started"},
    ),
    # The lead leads Supervision, in focus at the meeting: they present the published pack.
    "published_pack": ("/board/packs/{published}/", PACK_READERS | {"lead"}, set(), {}),
    "published_pdf": ("/board/packs/{published}/pdf/", PACK_READERS | {"lead"}, set(), {}),
    "draft_pack": ("/board/packs/{draft}/", MANAGER, set(), {}),
    "draft_pdf": ("/board/packs/{draft}/pdf/", MANAGER, set(), {}),
    "pack_publish": ("/board/packs/{draft}/publish/", MANAGER, MANAGER, {}),
    "pack_reissue": (
        "/board/packs/{published}/reissue/",
        MANAGER,
        MANAGER,
        {"reason": "Corrected figures"},
    ),
    "reports": ("/board/reports/", REPORT_READERS, set(), {}),
    "schedule_edit": (
        "/board/reports/bodies/{slt}/",
        MANAGER,
        MANAGER,
        {
            "frequency": "monthly",
            "send_day": "2",
            "sections": ["overview"],
            "recipients": "slt@h.example",
        },
    ),
    "schedule_preview": ("/board/reports/bodies/{slt}/preview/", MANAGER, set(), {}),
    "report": ("/board/reports/{report}/", REPORT_READERS, set(), {}),
    "report_pdf": ("/board/reports/{report}/pdf/", REPORT_READERS, set(), {}),
    "report_retry": ("/board/reports/{report}/retry/", None, MANAGER, {}),
}


def address(template, world):
    return template.format(**{k: v.pk for k, v in world.items()})


@pytest.mark.parametrize("name", CASES)
def test_who_may_open_each_board_address(name, client, world, request, no_role_user):
    template, readers, _, _ = CASES[name]
    url = address(template, world)
    for role in ROLES:
        client.force_login(request.getfixturevalue(role))
        status = client.get(url).status_code
        if readers is None:
            assert status == 405, (role, status)
        elif role in readers:
            assert status == 200, (role, status)
        else:
            assert status == 403, (role, status)
    client.force_login(no_role_user)
    assert client.get(url).status_code in {403, 405}
    status = Client().get(url).status_code  # signed out
    assert status == 405 if readers is None else status == 302


@pytest.mark.parametrize("name", CASES)
def test_who_may_post_to_each_board_address(
    name, client, world, request, no_role_user, django_capture_on_commit_callbacks
):
    template, readers, writers, data = CASES[name]
    url = address(template, world)
    assert Client().post(url, data).status_code == (302 if writers else 405)  # signed out
    client.force_login(no_role_user)
    assert client.post(url, data).status_code == (403 if writers else 405)
    # Everyone who may not change it first, then those who may (their change happens last).
    for role in sorted(ROLES, key=lambda r: r in writers):
        client.force_login(request.getfixturevalue(role))
        with django_capture_on_commit_callbacks(execute=True):
            status = client.post(url, data).status_code
        if role in writers:
            assert status in {200, 302}, (role, status)
        elif not writers:
            assert status == 405, (role, status)  # read-only pages refuse POST, whoever asks
        else:
            assert status in {403, 405}, (role, status)
