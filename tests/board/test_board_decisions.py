"""What a lead writes reaches the Board whole, and what the Board decides goes back to them.

A focus theme's full highlight report is in the pack (HTML and PDF), the pack opens with the
decisions asked of the Board, the programme manager records the Board's answer at the meeting,
the lead who asked sees it on their home and gets an e-mail, and the next pack lists it under
"Since the last meeting"."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from board.actions import decisions as decision_actions
from board.models import Decision
from havering_improve import roles
from reporting.actions import packs as pack_actions
from reporting.models import MeetingPack
from tests.board.factories import MeetingFactory
from tests.factories import UserFactory
from tests.themes.factories import HighlightReportFactory, MilestoneFactory, RiskFactory

pytestmark = pytest.mark.django_db

ASK = "Agree to extend the agency cover for the two duty teams until March."


@pytest.fixture
def asking(meeting, theme, lead):
    """Supervision's lead asks the Board for a decision in a full highlight report."""
    lead.email = "lead@havering.example"
    lead.save(update_fields=["email"])
    return HighlightReportFactory(
        submitted=True,
        theme=theme,
        period=timezone.localdate().replace(day=1),
        overall_rag="amber",
        overall_reason="Two teams are behind on supervision.",
        time_rag="amber",
        time_reason="The policy relaunch slipped by a month.",
        achievements="Supervision policy signed off by the DCS.",
        next_period="Audit supervision records in the two teams.",
        path_to_green="Agency cover while the new managers start.",
        key_risks_issues="Turnover of team managers.",
        decisions_needed=ASK,
    )


@pytest.fixture
def manager(programme):
    return UserFactory(username="pm", email="pm@havering.example", roles=[roles.PROGRAMME_MANAGER])


def _build(meeting, actor, capture) -> MeetingPack:
    with capture(execute=True):
        pack = pack_actions.pack_request(meeting=meeting, actor=actor)
    pack.refresh_from_db()
    return pack


def _publish(pack, actor, capture) -> MeetingPack:
    with capture(execute=True):
        pack_actions.pack_publish(pack=pack, actor=actor)
    pack.refresh_from_db()
    return pack


def _html(pack) -> str:
    with pack.html.open("rb") as f:
        return f.read().decode()


def _pdf_text(pack) -> str:
    with pack.pdf.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_lead_s_decisions_needed_and_whole_report_are_in_the_pack_html_and_pdf(
    asking, meeting, manager, django_capture_on_commit_callbacks
):
    pack = _build(meeting, manager, django_capture_on_commit_callbacks)
    assert pack.status == MeetingPack.Status.READY
    html = _html(pack)
    # The pack opens with the decisions asked, each linked to its theme's report.
    assert html.index("Decisions for the Board") < html.index("Agenda")
    assert 'href="#pack-decision-3"' in html and 'id="pack-decision-3"' in html
    assert html.count(ASK) == 2  # in the opening list and in the report itself
    for text in (
        "The policy relaunch slipped by a month.",
        "Supervision policy signed off by the DCS.",
        "Audit supervision records in the two teams.",
        "Agency cover while the new managers start.",
        "Turnover of team managers.",
        "Decisions needed from the Board",
        "Path to green",
    ):
        assert text in html, text
    text = " ".join(_pdf_text(pack).split())
    assert "Decisions for the Board" in text
    assert ASK in text
    assert "The policy relaunch slipped by a month." in text


def test_the_pack_says_which_month_s_report_it_shows_and_when_that_one_was_due(
    asking, meeting, manager, client, django_capture_on_commit_callbacks
):
    pack = _build(meeting, manager, django_capture_on_commit_callbacks)
    month = f"{asking.period:%B %Y}"
    due = f"26 {asking.period:%B %Y}"
    assert f"Shows the {month} highlight report (due {due})." in _html(pack)
    client.force_login(manager)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"Supervision: the {month} report (due {due})" in page
    tab = client.get(f"/themes/{asking.theme.slug}/board/").content.decode()
    assert f"shows the theme's <strong>{month}</strong> highlight report, due on {due}." in tab


def _answer(client, meeting, report, **fields):
    return client.post(
        f"/board/meetings/{meeting.pk}/decisions/add/",
        {"report": report.pk, "theme": report.theme_id, **fields},
    )


def test_the_board_s_answer_reaches_the_lead_s_home_and_inbox_and_the_next_pack(
    asking, meeting, manager, lead, client, board, django_capture_on_commit_callbacks
):
    pack = _publish(
        _build(meeting, manager, django_capture_on_commit_callbacks),
        manager,
        django_capture_on_commit_callbacks,
    )
    client.force_login(manager)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Decisions asked of the Board" in page and ASK in page
    form = client.get(f"/board/meetings/{meeting.pk}/decisions/add/?report={asking.pk}")
    assert ASK in form.content.decode()
    mail.outbox.clear()
    # Without an answer it is refused, saying what is missing.
    refused = _answer(client, meeting, asking, text="Agency cover")
    assert "Choose whether the Board agreed, declined or deferred it" in refused.content.decode()
    assert not Decision.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = _answer(
            client,
            meeting,
            asking,
            text="Agency cover extended for both duty teams.",
            outcome="agreed",
            conditions="Report the cost to the next meeting.",
        )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.outcome, decision.theme, decision.asked) == ("agreed", asking.theme, ASK)
    assert decision.history.get(history_type="+").history_user == manager  # who, and when
    # The lead's inbox: one e-mail, with the answer, its conditions and a link.
    sent = [m for m in mail.outbox if m.to == ["lead@havering.example"]]
    assert len(sent) == 1
    assert "agreed" in sent[0].subject.lower()
    assert "Report the cost to the next meeting." in sent[0].body
    assert f"/board/meetings/{meeting.pk}/#decision-{decision.pk}" in sent[0].body
    # Told once: a redelivered task sends nothing more.
    assert decision_actions.decision_tell_lead(decision_id=decision.pk) is False
    assert len([m for m in mail.outbox if m.to == ["lead@havering.example"]]) == 1

    # The lead's home, on the day of the meeting.
    client.force_login(lead)
    with _today(meeting.date, clock=False):
        home = client.get("/").content.decode()
    assert "The Board&#x27;s answer to your request" in home
    assert "Agreed" in home and "Report the cost to the next meeting." in home
    # …and the meeting page it links to shows it to them.
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'id="decision-{decision.pk}"' in page
    assert "Agency cover extended for both duty teams." in page

    # The next pack lists it under "Since the last meeting".
    following = MeetingFactory(board=board, date=meeting.date + dt.timedelta(days=28))
    following.slots.create(theme=asking.theme)
    with _today(following.date - dt.timedelta(days=7)):
        later = _build(following, manager, django_capture_on_commit_callbacks)
    assert pack.is_published
    since = later.snapshot["since_last"]
    assert [d["text"] for d in since["decisions"]] == ["Agency cover extended for both duty teams."]
    html = _html(later)
    assert "Since the last meeting" in html
    assert "<strong>Agreed</strong>: Agency cover extended for both duty teams." in html


class _today:
    """Run as if today were `day` (the app asks themes.selectors.today, and timezone.now)."""

    def __init__(self, day, clock=True):
        self.day, self.clock = day, clock

    def __enter__(self):
        from unittest import mock

        moment = timezone.make_aware(dt.datetime.combine(self.day, dt.time(9)))
        self.patches = [
            mock.patch("themes.selectors.today", return_value=self.day),
        ]
        if self.clock:  # not for a page: the session would look expired
            self.patches.append(mock.patch("django.utils.timezone.now", return_value=moment))
        for p in self.patches:
            p.start()

    def __exit__(self, *exc):
        for p in self.patches:
            p.stop()


def test_since_the_last_meeting_lists_what_moved(
    theme, other_theme, board, manager, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    last = MeetingFactory(board=board, date=today - dt.timedelta(days=20))
    meeting = MeetingFactory(board=board, date=today + dt.timedelta(days=7))
    meeting.slots.create(theme=theme)
    MilestoneFactory(
        theme=theme, title="Audit tool live", status="done", completed_on=today - dt.timedelta(3)
    )
    MilestoneFactory(theme=other_theme, title="Training booked", due_date=today - dt.timedelta(5))
    MilestoneFactory(theme=other_theme, title="Long overdue", due_date=today - dt.timedelta(60))
    risk = RiskFactory(theme=theme, description="Managers leaving")
    risk.escalated = True
    risk.save()
    pack = _build(meeting, manager, django_capture_on_commit_callbacks)
    since = pack.snapshot["since_last"]
    assert since["previous"] == f"{last.date.day} {last.date:%B %Y}"
    assert [m["title"] for m in since["milestones_completed"]] == ["Audit tool live"]
    assert [m["title"] for m in since["milestones_overdue"]] == ["Training booked"]
    assert [r["description"] for r in since["risks"]["opened"]] == ["Managers leaving"]
    assert [r["description"] for r in since["risks"]["escalated"]] == ["Managers leaving"]
    html = _html(pack)
    assert "Escalated" in html and "Audit tool live, done" in html


def test_changed_since_the_build_covers_risks_and_milestones(
    meeting, theme, manager, django_capture_on_commit_callbacks, client
):
    risk = RiskFactory(theme=theme, description="Managers leaving")
    milestone = MilestoneFactory(theme=theme, title="Audit tool live")
    pack = _build(meeting, manager, django_capture_on_commit_callbacks)
    assert pack.status == MeetingPack.Status.READY
    client.force_login(manager)
    assert (
        "Changed since the pack was built"
        not in client.get(meeting.get_absolute_url()).content.decode()
    )
    risk.escalated = True
    risk.save()
    milestone.due_date = dt.date(2027, 6, 30)
    milestone.save()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Changed since the pack was built" in page
    assert "Supervision: 1 milestone added, changed or removed." in page
    assert "Supervision: 1 risk or issue added, changed or removed." in page


def test_board_members_are_e_mailed_a_link_when_the_pack_is_published(
    meeting, manager, lead, django_capture_on_commit_callbacks
):
    member = UserFactory(
        username="member1", email="member@havering.example", roles=[roles.BOARD_MEMBER]
    )
    lead.email = "lead@havering.example"
    lead.save(update_fields=["email"])
    pack = _build(meeting, manager, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    pack = _publish(pack, manager, django_capture_on_commit_callbacks)
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == ["lead@havering.example", "member@havering.example"]
    message = next(m for m in mail.outbox if m.to == [member.email])
    assert f"/board/packs/{pack.pk}/" in message.body
    assert pack.board_told_at is not None
    assert pack_actions.pack_tell_board(pack_id=pack.pk) == 0  # once only


def test_the_lead_of_a_focus_theme_reads_the_published_pack_and_is_not_told_it_is_being_built(
    meeting, manager, lead, other_theme, client, django_capture_on_commit_callbacks
):
    stranger = UserFactory(username="stranger", roles=[roles.PROJECT_LEAD])
    third = meeting.board.programme.themes.get(slug="case-recording")
    third.lead = stranger
    third.save(update_fields=["lead"])
    pack = _build(meeting, manager, django_capture_on_commit_callbacks)
    client.force_login(lead)
    assert client.get(pack.get_absolute_url()).status_code == 403  # a draft: not yet
    pack = _publish(pack, manager, django_capture_on_commit_callbacks)
    assert client.get(pack.get_absolute_url()).status_code == 200
    assert client.get(f"/board/packs/{pack.pk}/pdf/").status_code == 200
    home = client.get("/").content.decode()
    assert "Pack being built" not in home
    assert "Pack published" in home and pack.get_absolute_url() in home
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Open the pack" in page
    client.force_login(stranger)  # leads a theme not in focus
    assert client.get(pack.get_absolute_url()).status_code == 403
    assert client.get(f"/board/packs/{pack.pk}/pdf/").status_code == 403


def test_a_decision_that_answers_no_request_tells_no_lead(
    meeting, manager, lead, theme, django_capture_on_commit_callbacks
):
    lead.email = "lead@havering.example"
    lead.save(update_fields=["email"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision_actions.decision_add(
            meeting=meeting, actor=manager, text="Adopt the new terms of reference.", theme=theme
        )
    assert mail.outbox == []
