import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.html import escape

from themes import selectors
from themes.actions.pid import pid_approve, pid_submit, pid_update
from themes.actions.reports import (
    highlight_report_start,
    highlight_report_submit,
    highlight_report_update,
)
from themes.charts import measure_chart_drawn, measure_chart_html
from themes.models import HighlightReport, Measure, Milestone, PIDVersion, Theme

from .factories import MeasureFactory, MilestoneFactory
from .test_permissions import _milestone_post

pytestmark = pytest.mark.django_db


def test_the_history_tab_shows_who_changed_what_and_when(
    client, lead, programme_manager, auditor, milestone
):
    client.force_login(lead)
    client.post(
        f"/themes/supervision/milestones/{milestone.pk}/edit/",
        _milestone_post(title=milestone.title, status="at_risk", version=milestone.version),
    )
    client.force_login(auditor)
    html = client.get("/themes/supervision/history/").content.decode()
    history = html[html.index('id="history"') :]
    assert f"Changed milestone: {milestone.title}" in history
    assert "Status: On track → At risk" in history
    assert escape(lead.get_full_name()) in history  # as the page writes O'Brien


def test_a_measure_name_cannot_inject_markup_into_the_chart(theme):
    measure = MeasureFactory(theme=theme, name='<script>alert("x")</script>')
    html = measure_chart_html(measure, [])
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    svg = measure_chart_drawn(measure, [])[1]
    assert "<script>alert" not in svg


def test_the_demo_gives_every_theme_a_living_year(settings):
    settings.DEBUG = True
    call_command("load_programme", "--demo", stdout=StringIO())
    today = selectors.today()
    for theme in Theme.objects.all():
        assert PIDVersion.objects.filter(theme=theme, number=1).exists(), theme
        assert theme.memberships.filter(kind="partner").exists()
        assert theme.memberships.filter(user__username=f"member.{theme.slug}").exists()
        # (Other apps' demos may add measures of their own; the theme's own have a year each.)
        measures = Measure.objects.filter(theme=theme, definition__endswith="performance report.")
        assert measures.count() >= 2
        for measure in measures:
            dates = list(measure.readings.values_list("date", flat=True))
            assert len(dates) >= 12 and max(dates) - min(dates) >= dt.timedelta(days=300)
        assert (
            HighlightReport.objects.filter(
                theme=theme, status="submitted", period__gte=dt.date(2026, 6, 1)
            ).count()
            >= 5
        )
    assert selectors.overdue_milestones(on=today).exists()
    assert Milestone.objects.filter(status="done").exists()
    # Running it again adds nothing.
    counts = (HighlightReport.objects.count(), Measure.objects.count())
    call_command("load_programme", "--demo", stdout=StringIO())
    assert (HighlightReport.objects.count(), Measure.objects.count()) == counts


def test_the_demo_refuses_to_run_without_the_demo_setting(settings, programme):
    from themes import demo

    settings.DEMO = False
    with pytest.raises(RuntimeError, match="DEMO setting is off"):
        demo.demo_data_load(programme=programme)


def test_a_pid_submitted_by_the_lead_needs_the_programme_manager(lead, theme):
    from django.core.exceptions import PermissionDenied

    pid = selectors.pid_for_reading(theme)
    pid = pid_update(pid=pid, actor=lead, version=pid.version, aims="x")
    pid = pid_submit(pid=pid, actor=lead, version=pid.version)
    with pytest.raises(PermissionDenied):
        pid_approve(pid=pid, actor=lead, version=pid.version)


def test_the_history_part_pages_fifty_changes_at_a_time_newest_first(client, auditor, theme):
    for n in range(60):
        MilestoneFactory(theme=theme, title=f"Step {n:02d}")
    client.force_login(auditor)
    first = client.get("/themes/supervision/history/").content.decode()
    assert "Added milestone: Step 59" in first and "Added milestone: Step 10" in first
    assert "Added milestone: Step 09" not in first
    assert 'href="?page=2" rel="next"' in first and "Older changes" in first
    second = client.get("/themes/supervision/history/?page=2").content.decode()
    assert "Added milestone: Step 09" in second and "Added milestone: Step 00" in second
    assert "Added milestone: Step 59" not in second
    assert 'href="?page=1" rel="prev"' in second
    for beyond in ("3", "0", "nonsense", "99999999999999999999999"):
        response = client.get(f"/themes/supervision/history/?page={beyond}")
        assert response.status_code == 404, beyond


def test_history_reads_as_prose_names_dates_and_field_labels(client, lead, auditor, theme):
    from freezegun import freeze_time

    with freeze_time("2026-12-02 10:37:00"):
        report = highlight_report_start(theme=theme, period=dt.date(2026, 12, 1), actor=lead)
        report = highlight_report_update(
            report=report,
            actor=lead,
            version=report.version,
            **{"overall_rag": "green", "status_summary": "On track.", "time_rag": "green"}
            | {f"{a}_rag": "green" for a in HighlightReport.AREAS},
        )
        highlight_report_submit(report=report, actor=lead, version=report.version)
    client.force_login(auditor)
    html = client.get("/themes/supervision/history/").content.decode()
    history = html[html.index('id="history"') :]
    name = lead.get_full_name()
    assert f"Submitted by: (blank) → {name}" in history
    assert "Submitted at: (blank) → 2 December 2026, 10:37" in history
    assert "Overall status: (blank) → Green" in history
    assert "+00:00" not in history and "Overall rag" not in history
    assert f"→ {lead.pk}<" not in history


def test_saving_a_pid_from_a_browser_records_no_phantom_change(client, lead, auditor, theme):
    from tests.themes.test_pid import _pid_post

    client.force_login(lead)
    pid = selectors.pid_for_reading(theme)
    client.post(
        "/themes/supervision/pid/edit/",
        _pid_post(pid, aims="Better supervision", scope="Teams.\nPartners."),
    )
    pid.refresh_from_db()
    assert pid.scope == "Teams.\nPartners."
    # The browser sends the same text back with CRLF line endings; nothing has changed.
    client.post("/themes/supervision/pid/edit/", _pid_post(pid, scope="Teams.\r\nPartners."))
    pid.refresh_from_db()
    assert pid.scope == "Teams.\nPartners."
    client.force_login(auditor)
    html = client.get("/themes/supervision/history/").content.decode()
    assert html.count("Scope: ") == 1  # the first edit only
