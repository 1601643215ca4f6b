"""The data the permission matrix runs against: the demo programme with one of every object."""

import base64
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import override_settings

from portfolio import demo, loader
from tests.matrix_objects import THEME


@override_settings(DEBUG=True)
def build_world() -> dict:
    programme, _ = loader.programme_load(data=loader.read_data_file(loader.DEFAULT_DATA_FILE))
    loader.demo_users_create(programme=programme, password=settings.DEMO_PASSWORD)
    demo.demo_data_load(programme=programme)
    _fill_gaps(programme)
    User = get_user_model()
    people = {"anonymous": None, "no role": User.objects.create(username="no.role")}
    for user in User.objects.all():
        people[user.username] = user
    return people


def _fill_gaps(programme):
    """Objects the demo does not happen to hold in Supervision, made the way the app makes them."""
    from evaluation.models import Finding, FindingEvidence
    from themes.models import Evidence, HighlightReport

    theme = programme.themes.get(slug=THEME)
    lead = theme.lead
    if not HighlightReport.objects.filter(theme=theme, status="draft").exists():
        latest = HighlightReport.objects.filter(theme=theme).order_by("-period").first()
        next_period = (latest.period.replace(day=28) + timedelta(days=5)).replace(day=1)
        HighlightReport.objects.create(theme=theme, period=next_period, status="draft")
    if not Evidence.objects.filter(theme=theme).exists():
        Evidence.objects.create(
            theme=theme,
            title="Supervision audit summary",
            file=ContentFile(b"%PDF-1.7 summary", name="summary.pdf"),
            original_name="summary.pdf",
            kind="pdf",
            size=16,
            uploaded_by=lead,
        )
    _board_report()
    _presented_pack(theme, lead)
    finding = Finding.objects.filter(themes=theme).order_by("pk").first()
    if finding and not FindingEvidence.objects.filter(finding=finding).exists():
        FindingEvidence.objects.create(
            finding=finding,
            name="Audit tool",
            file=ContentFile(b"%PDF-1.7 tool", name="tool.pdf"),
            uploaded_by=lead,
        )


def _board_report():
    """A progress report already sent (the demo schedules them but sends none)."""
    import datetime as dt

    from reporting.models import ProgressReport, ReportSchedule

    schedule = ReportSchedule.objects.order_by("pk").first()
    if schedule is None or schedule.reports.exists():
        return
    report = ProgressReport.objects.create(
        schedule=schedule,
        period_start=dt.date(2026, 7, 1),
        period_end=dt.date(2026, 9, 30),
        status=ProgressReport.Status.SENT,
        snapshot={"period": "July to September 2026"},
    )
    report.html.save("report.html", ContentFile(b"<p>Report</p>"), save=False)
    report.pdf.save("report.pdf", ContentFile(b"%PDF-1.7 report"))


def _presented_pack(theme, lead):
    """A published pack for a meeting with Supervision in focus (the demo publishes only the
    last past meeting's, whose focus themes depend on the day it is loaded)."""
    from board.models import Meeting
    from reporting.models import MeetingPack
    from tests.matrix_objects import OTHER_THEME

    published = MeetingPack.objects.filter(status="published", meeting__slots__theme=theme)
    if published.exclude(meeting__slots__theme__slug=OTHER_THEME).exists():
        return
    meeting = (
        Meeting.objects.filter(slots__theme=theme, packs__isnull=True)
        .exclude(slots__theme__slug=OTHER_THEME)
        .order_by("date")
        .first()
    )
    pack = MeetingPack(meeting=meeting, version=1, status="published", snapshot={"focus": []})
    chart = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"/>').decode()
    html = f'<p>Pack</p><img class="app-chart" src="data:image/svg+xml;base64,{chart}" alt="A">'
    pack.html.save("pack.html", ContentFile(html.encode()), save=False)
    pack.pdf.save("pack.pdf", ContentFile(b"%PDF-1.7 pack"), save=False)
    pack.save()
