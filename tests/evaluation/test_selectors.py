import datetime as dt

import pytest
from django.test import RequestFactory

from evaluation import selectors
from evaluation.models import ActivityKind
from tests.evaluation.factories import (
    ActivityFactory,
    AuditResultFactory,
    FindingFactory,
    InspectionFactory,
    RecommendationFactory,
    days_ago,
    strand,
)
from themes.tabs import registered_tabs

pytestmark = pytest.mark.django_db


def test_the_plan_groups_activities_by_financial_year_quarter(programme):
    ActivityFactory(programme=programme, title="March", start_date=dt.date(2026, 3, 31))
    ActivityFactory(programme=programme, title="April", start_date=dt.date(2026, 4, 1))
    ActivityFactory(programme=programme, title="June", start_date=dt.date(2026, 6, 30))
    quarters = selectors.plan_by_quarter(programme, today=dt.date(2026, 5, 1))
    assert [(q.year.label, q.number, [a.title for a in q.activities]) for q in quarters] == [
        ("2025/26", 4, ["March"]),
        ("2026/27", 1, ["April", "June"]),
    ]
    assert quarters[1].label == "Quarter 1 2026/27 (April to June 2026)"
    statuses = {a.title: a.status_today for q in quarters for a in q.activities}
    assert statuses == {"March": "overdue", "April": "overdue", "June": "due"}


def test_activity_since_lists_what_was_completed_since_a_date_for_the_board(programme, theme):
    ActivityFactory(programme=programme, title="Old", completed_on=days_ago(100))
    ActivityFactory(programme=programme, title="Not done", start_date=days_ago(5))
    recent = ActivityFactory(
        programme=programme, title="Recent", completed_on=days_ago(3), themes=[theme]
    )
    assert list(selectors.activity_since(programme, days_ago(30))) == [recent]


def test_activity_upcoming_lists_what_is_due_soon_and_overdue_apart(programme):
    ActivityFactory(programme=programme, title="Far", start_date=days_ago(-200))
    soon = ActivityFactory(programme=programme, title="Soon", start_date=days_ago(-10))
    late = ActivityFactory(programme=programme, title="Late", start_date=days_ago(10))
    upcoming = selectors.activity_upcoming(programme, today=days_ago(0), days=30)
    assert list(upcoming) == [soon]
    assert list(selectors.activity_overdue(programme, today=days_ago(0))) == [late]


def test_the_evidence_for_a_theme_lists_activities_findings_and_audits_newest_first(
    programme, theme, other_theme
):
    audit = ActivityFactory(
        programme=programme, title="Audit", start_date=days_ago(40), themes=[theme]
    )
    AuditResultFactory(activity=audit, theme=theme, date=days_ago(30))
    FindingFactory(activity=audit, themes=[theme], title="Finding", recorded_on=days_ago(20))
    FindingFactory(activity=audit, themes=[other_theme], title="Not ours")
    visit = InspectionFactory(programme=programme, start_date=days_ago(15))
    RecommendationFactory(inspection=visit, themes=[theme], text="Record oversight")
    review = ActivityFactory(
        programme=programme,
        title="Peer review",
        strand=strand(programme, "peer-reviews"),
        kind=ActivityKind.PEER_REVIEW,
        partner_authorities="Redbridge",
        start_date=days_ago(5),
        themes=[theme],
    )
    items = selectors.evidence_for_theme(theme)
    assert [(i.kind, i.title) for i in items] == [
        ("Activity", review.title),
        ("Inspection recommendation", "Record oversight"),
        ("Area for improvement", "Finding"),
        ("Audit result", "Audit"),
        ("Activity", "Audit"),
    ]


def test_the_evidence_tab_is_registered_on_the_theme_page_with_constant_queries(
    programme, theme, board_member, django_assert_num_queries
):
    tab = next(t for t in registered_tabs() if t.key == "evaluation-evidence")
    assert tab.label == "Evaluation evidence"
    request = RequestFactory().get("/")
    request.user = board_member

    def render():
        context = tab.context(request, theme)
        return len(context["evidence"]), [list(m.readings.all()) for m in context["measures"]]

    with django_assert_num_queries(6):
        render()
    for _ in range(5):
        activity = ActivityFactory(programme=programme, themes=[theme])
        AuditResultFactory(activity=activity, theme=theme)
        FindingFactory(activity=activity, themes=[theme])
    with django_assert_num_queries(6):
        assert render()[0] == 15
