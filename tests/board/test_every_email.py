"""Every e-mail the service sends, as a mail program reads it: a plain-text part and an HTML
part (GOV.UK e-mail style), absolute links to the exact page it is about, a Date in UK time and
a Message-ID at the site's domain, and no date that has passed presented as one to come."""

import datetime as dt
import email
import re
from email import policy
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from board.actions import decisions as decision_actions
from board.actions import rota as rota_actions
from board.actions import tracker as tracker_actions
from havering_improve import roles
from havering_improve.mail import email_message
from reporting.actions import packs as pack_actions
from reporting.actions import reminders as reminder_actions
from reporting.actions import reports as report_actions
from reporting.models import MeetingPack, ReportSchedule
from tests.board.factories import ActionFactory, MeetingFactory
from tests.factories import UserFactory
from tests.themes.factories import HighlightReportFactory
from themes import selectors as theme_selectors
from themes.actions.pid import pid_fingerprint, pid_return, pid_submit, pid_update

pytestmark = pytest.mark.django_db

SITE = "https://improve.havering.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"  # a trailing slash makes no double slash in any link


def read(message) -> email.message.EmailMessage:
    """The message as a mail program receives it."""
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def parts(message) -> tuple[str, str]:
    parsed = read(message)
    text, html = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert text is not None and html is not None, f"{message.subject!r} lacks a part"
    assert parsed.get_content_type() in ("multipart/alternative", "multipart/mixed")
    return text.get_content(), html.get_content()


def assert_well_formed(message, link: str) -> tuple[str, str]:
    """Both parts, the link to the page in each, UK time and the site's Message-ID."""
    parsed = read(message)
    text, html = parts(message)
    assert SITE + link in text, f"{message.subject!r} does not link to {link}"
    assert f'href="{SITE}{link}"'.replace("&", "&amp;") in html
    assert "//" not in (SITE + link).removeprefix("https://")
    assert re.search(r"[+]0[01]00$", parsed["Date"]), parsed["Date"]
    assert parsed["Message-ID"].endswith("@improve.havering.example>")
    # The HTML is the service's e-mail: one column, readable on a phone, styles inline.
    assert "max-width:580px" in html and "<style" not in html
    assert "background-color:#1d70b8" in html and "Havering Improve" in html
    assert "font-size:19px" in html and "color:#1d70b8;text-decoration:underline" in html
    assert not re.search(r'width="[0-9]{3,}"|(?<!max-)width:\s*[0-9]{3,}px', html), "a fixed width"
    return text, html


# --- One place builds every message -------------------------------------------------------------


def test_a_message_is_dated_in_uk_time_summer_and_winter(lead):
    context = {"lead": lead, "board": None, "theme": lead, "old": None, "new": None, "link": "/"}
    with freeze_time("2026-07-15 09:30:00"):
        summer = read(email_message("board/email/focus_moved", context, to=["a@b.c"]))
    with freeze_time("2026-12-15 09:30:00"):
        winter = read(email_message("board/email/focus_moved", context, to=["a@b.c"]))
    assert summer["Date"].endswith("10:30:00 +0100")
    assert winter["Date"].endswith("09:30:00 +0000")


def test_someones_words_are_escaped_and_only_the_sites_addresses_get_link_text():
    from havering_improve.mail import markup_to_html, markup_to_text

    source = (
        "Hello <b>you</b> & co\n\n^ [Pay here](https://evil.example/x)\n\n"
        f"[Open it]({SITE}/themes/supervision/)\n\n* one\n* two"
    )
    html = markup_to_html(source)
    assert "&lt;b&gt;you&lt;/b&gt; &amp; co" in html
    assert ">Pay here</a>" not in html  # shown as written, the address visible
    assert 'href="https://evil.example/x"' in html and "[Pay here]" in html
    assert f'href="{SITE}/themes/supervision/"' in html and ">Open it</a>" in html
    assert html.count("<li ") == 2 and "border-left:10px solid #b1b4b6" in html
    text = markup_to_text(source)
    assert f"Open it: {SITE}/themes/supervision/" in text
    assert "    [Pay here](https://evil.example/x)" in text


# --- Each notification --------------------------------------------------------------------------


def test_a_reminder_links_to_the_report_to_write(board, theme, lead):
    meeting = MeetingFactory(board=board, date=dt.date(2026, 12, 10))
    meeting.slots.create(theme=theme)
    assert reminder_actions.reminders_send(today=dt.date(2026, 11, 30)) == 1
    text, html = assert_well_formed(
        mail.outbox[0], f"/themes/{theme.slug}/reports/new/?period=2026-11-01"
    )
    assert "Write the November 2026 highlight report" in html
    assert "was due on 26 November 2026" in text  # the report's day has passed


def test_a_reminder_with_a_draft_links_to_the_draft_and_calls_a_due_day_to_come_coming(
    board, theme, lead
):
    from board.selectors import board_settings

    settings = board_settings(board)
    settings.reminder_working_days = 5
    settings.save()
    # Meeting 3 December 2026, pack built 26 November: the ahead reminder goes on the 19th,
    # before the November report's due day (the 26th).
    meeting = MeetingFactory(board=board, date=dt.date(2026, 12, 3))
    meeting.slots.create(theme=theme)
    draft = HighlightReportFactory(theme=theme, period=dt.date(2026, 11, 1))
    assert reminder_actions.reminders_send(today=dt.date(2026, 11, 19)) == 1
    text, _ = assert_well_formed(mail.outbox[0], f"/themes/{theme.slug}/reports/{draft.pk}/edit/")
    assert "is due on 26 November 2026" in text
    assert "was due" not in text


def test_the_reminders_link_opens_the_start_page_with_its_month_chosen(client, lead, theme):
    client.force_login(lead)
    with freeze_time("2026-12-07"):
        page = client.get(f"/themes/{theme.slug}/reports/new/?period=2026-11-01")
    assert re.search(r'<option value="2026-11-01"\s+selected>', page.content.decode())


def test_pid_notices_link_to_the_pid(
    lead, theme, programme_manager, django_capture_on_commit_callbacks
):
    pid = theme_selectors.pid_for_reading(theme)
    pid = pid_update(pid=pid, actor=lead, version=pid.version, aims="Better")
    with django_capture_on_commit_callbacks(execute=True):
        pid = pid_submit(pid=pid, actor=lead, version=pid.version)
    assert_well_formed(mail.outbox[0], f"/themes/{theme.slug}/pid/review/")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pid_return(
            pid=pid,
            actor=programme_manager,
            version=pid.version,
            comments="Add the <partners>.\n\nAnd the dates.",
            fingerprint=pid_fingerprint(pid),
        )
    text, html = assert_well_formed(mail.outbox[0], f"/themes/{theme.slug}/")
    assert "Add the &lt;partners&gt;." in html and "border-left:10px" in html
    assert "Add the <partners>." in text


def test_a_decision_links_to_it_in_the_minutes(board, theme, lead, programme_manager,
                                                django_capture_on_commit_callbacks):  # fmt: skip
    report = HighlightReportFactory(
        submitted=True, theme=theme, decisions_needed="Extend agency cover?"
    )
    meeting = MeetingFactory(board=board, date=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_actions.decision_add(
            meeting=meeting, text="Extended.", actor=programme_manager, report=report,
            outcome="agreed",
        )  # fmt: skip
    assert_well_formed(mail.outbox[-1], f"/board/meetings/{meeting.pk}/#decision-{decision.pk}")


def _published_pack(meeting) -> MeetingPack:
    return MeetingPack.objects.create(
        meeting=meeting, version=1, status=MeetingPack.Status.PUBLISHED,
        published_at=timezone.now(),
    )  # fmt: skip


def test_a_published_pack_links_to_the_pack_and_a_held_meeting_is_not_called_coming(board, theme):
    UserFactory(username="member", roles=[roles.BOARD_MEMBER])
    coming = MeetingFactory(board=board, date=timezone.localdate() + dt.timedelta(days=7))
    pack = _published_pack(coming)
    pack_actions.pack_tell_board(pack_id=pack.pk)
    text, _ = assert_well_formed(mail.outbox[0], f"/board/packs/{pack.pk}/")
    assert f"meeting on {coming.date:%-d %B %Y}" in text
    mail.outbox.clear()
    held = MeetingFactory(board=board, date=timezone.localdate() - dt.timedelta(days=20))
    pack = _published_pack(held)
    pack_actions.pack_tell_board(pack_id=pack.pk)
    text, _ = assert_well_formed(mail.outbox[0], f"/board/packs/{pack.pk}/")
    assert f"meeting held on {held.date:%-d %B %Y}" in text
    assert f"held on {held.date:%-d %B %Y}" in mail.outbox[0].subject


def test_a_rota_change_links_to_the_themes_board_rota(
    board, theme, lead, django_capture_on_commit_callbacks
):
    new = MeetingFactory(board=board, date=timezone.localdate() + dt.timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        rota_actions._tell_leads(board, {}, {theme.pk: new})
    text, _ = assert_well_formed(mail.outbox[0], f"/themes/{theme.slug}/board/")
    assert f"now next in focus on {new.date:%-d %B %Y}" in text


def test_a_password_reset_links_to_the_reset_page_on_the_site(client, programme_manager, auditor):
    client.force_login(programme_manager)
    client.post(
        "/admin/auth/user/",
        {"action": "send_password_reset", "_selected_action": [auditor.pk]},
    )
    [message] = mail.outbox
    text, _ = parts(message)
    link = re.search(rf"{SITE}(/accounts/reset/\S+/)", text).group(1)
    assert_well_formed(message, link)


def test_progress_reports_greet_their_body_say_what_they_cover_and_who_sent_them(
    programme, scrutiny, slt, lead, programme_manager
):
    ActionFactory(meeting=MeetingFactory(board=programme.boards.get(slug="improvement-board"),
                                         date=dt.date(2026, 7, 8)), owner=lead)  # fmt: skip
    for body, address in ((scrutiny, "clerk@havering.example"), (slt, "slt@havering.example")):
        ReportSchedule.objects.create(
            board=body, frequency=ReportSchedule.Frequency.MONTHLY, send_day=5,
            sections=["overview", "actions"], recipients=address,
        )  # fmt: skip
    made = report_actions.reports_due(today=dt.date(2026, 8, 6))
    for pk in made:
        report_actions.report_generate(report_id=pk)
    assert len(mail.outbox) == 2
    names = set()
    for message, body in zip(
        sorted(mail.outbox, key=lambda m: m.to[0]), (scrutiny, slt), strict=True
    ):
        text, html = parts(message)
        parsed = read(message)
        assert text.startswith(f"Dear members of the {body.name},")
        assert "progress report for July 2026" in text
        assert "* Programme overview (RAG by theme)" in text and "<li " in html
        manager = programme_manager.get_full_name() or programme_manager.username
        assert f"by {manager}, programme manager" in text
        [attachment] = list(parsed.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        names.add(attachment.get_filename())
        assert attachment.get_filename() == f"{body.slug}-progress-report-2026-07.pdf"
        assert parsed["Message-ID"].endswith("@improve.havering.example>")
    assert len(names) == 2  # one name per report and audience


# --- The demo's start-up -------------------------------------------------------------------------

# Words that present a date as one to come.
COMING = re.compile(
    r"(?:next in focus(?: at the .+?)? on|is now next in focus on|(?<!its )meeting on|"
    r"is built on|before|is due on|due|pack published for) (\d{1,2} \w+ \d{4})"
)


def test_the_demos_start_up_mails_have_both_parts_and_call_no_past_date_coming(
    settings, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    with (
        freeze_time("2026-12-07 12:00:00", tick=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("load_programme", "--demo", stdout=StringIO())
        today = timezone.localdate()
    assert mail.outbox, "the demo tells people things as it starts"
    for message in mail.outbox:
        text, _ = parts(message)
        for found in COMING.findall(f"{message.subject}\n{text}"):
            day = dt.datetime.strptime(found, "%d %B %Y").date()
            assert day >= today, f"{message.subject!r} calls {found} coming on {today}"


def test_an_action_links_its_owner_to_the_action_once(
    board, lead, programme_manager, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(board=board, date=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        action = tracker_actions.action_add(
            meeting=meeting, actor=programme_manager, description="Brief the <cabinet> member",
            owner=lead, due_date=timezone.localdate() + dt.timedelta(days=14),
        )  # fmt: skip
    [message] = mail.outbox
    assert message.to == [lead.email]
    text, html = assert_well_formed(message, f"/board/actions/{action.pk}/")
    assert f"It is due on {action.due_date:%-d %B %Y}." in text
    assert "Brief the &lt;cabinet&gt; member" in html
    assert tracker_actions.action_tell_owner(action_id=action.pk) is False  # told once


def test_an_action_recorded_after_its_due_day_is_not_called_coming(
    board, lead, programme_manager, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(board=board, date=timezone.localdate() - dt.timedelta(days=30))
    due = timezone.localdate() - dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        tracker_actions.action_add(
            meeting=meeting, actor=programme_manager, description="Send the audit",
            owner=lead, due_date=due,
        )  # fmt: skip
    [message] = mail.outbox
    assert f"overdue since {due:%-d %B %Y}" in message.subject
    assert f"It was due on {due:%-d %B %Y}: it is overdue." in parts(message)[0]
