"""List and detail pages run the same number of queries at two sizes of data."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.actions import findings
from evaluation.models import Finding
from tests.evaluation.factories import (
    ActivityFactory,
    AuditResultFactory,
    FindingFactory,
    InspectionFactory,
    RecommendationFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db


def _count(client, url, django_assert_num_queries, grow, queries):
    client.get(url)  # warm the session
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    grow()
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_the_plan_runs_the_same_queries_whatever_its_size(
    client, programme, theme, other_theme, programme_manager, django_assert_num_queries
):
    def grow():
        for i in range(8):
            ActivityFactory(
                programme=programme, start_date=days_ago(300 - 40 * i), themes=[theme, other_theme]
            )

    ActivityFactory(programme=programme, themes=[theme])
    client.force_login(programme_manager)
    _count(client, reverse("evaluation:index"), django_assert_num_queries, grow, 9)


def test_an_activity_page_runs_the_same_queries_whatever_its_results(
    client,
    programme,
    audit,
    theme,
    other_theme,
    lead,
    programme_manager,
    django_assert_num_queries,
):
    def add(t, n):
        AuditResultFactory(activity=audit, theme=t, date=days_ago(n))
        finding = FindingFactory(activity=audit, themes=[t, theme])
        findings.finding_update(
            finding=finding,
            version=finding.version,
            actor=programme_manager,
            response=Finding.Response.ACCEPTED,
            action_owner="PSW",
            action_due=days_ago(-9),
        )
        findings.finding_to_milestone(finding=finding, theme=theme, actor=programme_manager)
        findings.finding_evidence_add(
            finding=finding,
            upload=SimpleUploadedFile("e.pdf", b"%PDF-1.4 x", "application/pdf"),
            name="",
            actor=programme_manager,
        )

    def grow():
        for t in programme.themes.exclude(pk=theme.pk):
            add(t, 4)

    add(theme, 5)
    earlier = ActivityFactory(programme=programme)
    for t in programme.themes.all():
        AuditResultFactory(activity=earlier, theme=t, date=days_ago(50))
    client.force_login(lead)
    _count(
        client,
        reverse("evaluation:activity_detail", kwargs={"pk": audit.pk}),
        django_assert_num_queries,
        grow,
        11,
    )


def test_an_inspection_page_runs_the_same_queries_whatever_its_recommendations(
    client, programme, theme, other_theme, board_member, django_assert_num_queries
):
    visit = InspectionFactory(programme=programme)
    RecommendationFactory(inspection=visit, themes=[theme])

    def grow():
        for _ in range(6):
            RecommendationFactory(inspection=visit, themes=[theme, other_theme])

    client.force_login(board_member)
    _count(
        client,
        reverse("evaluation:inspection_detail", kwargs={"pk": visit.pk}),
        django_assert_num_queries,
        grow,
        7,
    )


def test_a_themes_evidence_page_runs_the_same_queries_whatever_it_holds(
    client, programme, theme, board_member, django_assert_num_queries
):
    def grow():
        for _ in range(5):
            activity = ActivityFactory(programme=programme, themes=[theme])
            AuditResultFactory(activity=activity, theme=theme)
            FindingFactory(activity=activity, themes=[theme])
            RecommendationFactory(inspection=InspectionFactory(programme=programme), themes=[theme])

    client.force_login(board_member)
    _count(
        client,
        reverse("evaluation:theme_evidence", kwargs={"slug": theme.slug}),
        django_assert_num_queries,
        grow,
        10,
    )
