import datetime as dt

import pytest
from django.urls import reverse

from evaluation import selectors
from evaluation.actions import inspections
from evaluation.models import Finding, JudgementArea, Recommendation
from tests.evaluation.factories import (
    ActivityFactory,
    AuditResultFactory,
    FindingFactory,
    InspectionFactory,
    RecommendationFactory,
    days_ago,
)
from tests.themes.factories import MeasureFactory
from themes.models import HighlightReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaders(theme, other_theme):
    area = JudgementArea.objects.get(slug="leaders")
    area.themes.set([theme, other_theme])
    return area


def _evidence(programme, themes, n, *, offset=0):
    """n of everything the readiness view shows, spread over the given themes."""
    visit = InspectionFactory(programme=programme)
    for i in range(n):
        theme = themes[i % len(themes)]
        activity = ActivityFactory(programme=programme, themes=[theme], completed_on=days_ago(50))
        AuditResultFactory(activity=activity, theme=theme, date=days_ago(60 - i))
        FindingFactory(activity=activity, themes=[theme])
        RecommendationFactory(inspection=visit, themes=[theme])
        measure = MeasureFactory(theme=theme)
        measure.readings.create(value=50 + i, date=days_ago(i))
        HighlightReport.objects.create(
            theme=theme,
            period=dt.date(2020 + (offset + i) // 12, 1 + (offset + i) % 12, 1),
            status=HighlightReport.Status.SUBMITTED,
            overall_rag="amber",
        )


def test_the_readiness_page_runs_the_same_queries_whatever_the_evidence(
    client, programme, theme, other_theme, leaders, board_member, django_assert_num_queries
):
    client.force_login(board_member)
    url = reverse("evaluation:readiness")
    _evidence(programme, [theme, other_theme], 2)
    client.get(url)  # warm the session and role caches
    with django_assert_num_queries(13) as small:
        assert client.get(url).status_code == 200
    _evidence(programme, [theme, other_theme], 12, offset=2)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_readiness_shows_the_latest_submitted_rag_not_a_draft(programme, theme, leaders):
    HighlightReport.objects.create(
        theme=theme,
        period=dt.date(2026, 9, 1),
        status=HighlightReport.Status.SUBMITTED,
        overall_rag="red",
    )
    HighlightReport.objects.create(
        theme=theme,
        period=dt.date(2026, 10, 1),
        status=HighlightReport.Status.SUBMITTED,
        overall_rag="amber",
    )
    HighlightReport.objects.create(
        theme=theme, period=dt.date(2026, 11, 1), status="draft", overall_rag="green"
    )
    area = next(a for a in selectors.readiness(programme) if a.area == leaders)
    rags = {t.slug: t.latest_rag for t in area.themes}
    assert rags == {"supervision": "amber", "quality-assurance": None}


def test_readiness_gathers_each_areas_baseline_trend_findings_and_open_recommendations(
    programme, theme, other_theme, leaders, programme_manager
):
    first = ActivityFactory(programme=programme, themes=[theme])
    second = ActivityFactory(programme=programme, themes=[theme])
    AuditResultFactory(
        activity=first,
        theme=theme,
        date=days_ago(90),
        good=2,
        inadequate=8,
        outstanding=0,
        requires_improvement=0,
    )
    AuditResultFactory(
        activity=second,
        theme=theme,
        date=days_ago(10),
        good=8,
        inadequate=2,
        outstanding=0,
        requires_improvement=0,
    )
    mine = FindingFactory(activity=first, themes=[theme], title="Ours")
    FindingFactory(
        activity=first,
        themes=[programme.themes.get(slug="pathway-planning")],
        title="Somebody else's",
    )
    visit = InspectionFactory(programme=programme)
    open_one = RecommendationFactory(inspection=visit, themes=[other_theme], text="Open")
    RecommendationFactory(
        inspection=visit, themes=[theme], status=Recommendation.Status.MET, met_on=days_ago(1)
    )
    area = next(a for a in selectors.readiness(programme) if a.area == leaders)
    assert area.baseline.get_grade_display() == "Good"
    assert area.latest is None
    trend = {t.slug: [r.percent_good_or_better for r in results] for t, results in area.audit_trend}
    assert trend == {"supervision": [20, 80]}
    assert area.findings == [mine]
    assert area.recommendations == [open_one]


def test_a_finding_tied_to_an_area_shows_under_that_area_only(programme, theme, leaders):
    help_area = JudgementArea.objects.get(slug="help-and-protection")
    finding = FindingFactory(
        activity=ActivityFactory(programme=programme), themes=[theme], area=help_area
    )
    areas = {a.area.slug: a for a in selectors.readiness(programme)}
    assert areas["help-and-protection"].findings == [finding]
    assert areas["leaders"].findings == []


def test_a_later_judgement_shows_as_the_latest(programme, programme_manager, leaders):
    inspections.inspection_record(
        programme=programme,
        actor=programme_manager,
        grades={leaders: "outstanding"},
        kind="ilacs",
        title="ILACS 2026",
        start_date=days_ago(7),
    )
    area = next(a for a in selectors.readiness(programme) if a.area == leaders)
    assert area.latest.get_grade_display() == "Outstanding"
    assert area.baseline.inspection.is_baseline


def test_the_readiness_page_shows_what_a_director_needs(
    client, programme, theme, leaders, board_member
):
    activity = ActivityFactory(programme=programme, themes=[theme], completed_on=days_ago(5))
    AuditResultFactory(activity=activity, theme=theme, date=days_ago(5))
    FindingFactory(activity=activity, themes=[theme], kind=Finding.Kind.STRENGTH, title="Strong")
    client.force_login(board_member)
    html = client.get(reverse("evaluation:readiness")).content.decode()
    assert "The impact of leaders on social work practice" in html
    assert "60.0%" in html  # 1 outstanding + 5 good of 10
    assert "Strong" in html
    assert "No report" in html


def test_readiness_opens_on_a_grid_of_judgement_areas_by_evidence(
    client, programme, theme, leaders, board_member
):
    earlier = ActivityFactory(programme=programme, themes=[theme], completed_on=days_ago(40))
    activity = ActivityFactory(programme=programme, themes=[theme], completed_on=days_ago(5))
    AuditResultFactory(activity=earlier, theme=theme, date=days_ago(40))
    AuditResultFactory(activity=activity, theme=theme, date=days_ago(5))
    FindingFactory(activity=activity, themes=[theme], kind=Finding.Kind.STRENGTH, title="Strong")
    FindingFactory(
        activity=activity, themes=[theme], kind=Finding.Kind.AREA_FOR_IMPROVEMENT, title="Weak"
    )
    client.force_login(board_member)
    html = client.get(reverse("evaluation:readiness")).content.decode()
    grid = html[
        html.index('id="readiness-grid"') : html.index("</table>", html.index("readiness-grid"))
    ]
    row = grid[grid.index(f'href="#area-{leaders.slug}"') :].split("</tr>")[0]
    assert "not judged since" in row
    assert f"{theme.title}: 60.0% (level from 60.0%)" in row
    assert "1 strength, 1 to improve" in row
    assert "1 awaiting response" in row
    # The detail of each area folds away under its name.
    assert f'<details class="govuk-details" id="area-{leaders.slug}">' in html
