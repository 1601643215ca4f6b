"""Adding a record opens and answers its form cleanly: the form to add a meeting, a risk, a post
or a commitment logs no warning (a layout naming a field the form has not got), whether it is
opened, sent back with errors or saved."""

import logging

import pytest
from django.urls import reverse

from budget.models import BudgetAllocation


def _create_pages(programme):
    allocation = BudgetAllocation.objects.get(programme=programme, start_year=2019)
    line = allocation.lines.order_by("code").first()
    about_line = {"year": allocation.financial_year.slug, "code": line.code}
    return {
        "meeting": reverse("board:meeting_add"),
        "risk": reverse("themes:risk_add", kwargs={"slug": "supervision"}),
        "post": reverse("budget:post_add", kwargs=about_line),
        "commitment": reverse("budget:commitment_add", kwargs=about_line),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["meeting", "risk", "post", "commitment"])
def test_a_create_form_logs_nothing_when_opened_or_sent_back(
    kind, client, programme, programme_manager, caplog
):
    url = _create_pages(programme)[kind]
    client.force_login(programme_manager)
    with caplog.at_level(logging.WARNING):
        opened = client.get(url)
        sent_back = client.post(url, {})
    assert opened.status_code == 200
    assert sent_back.status_code == 200
    assert "govuk-error-summary" in sent_back.content.decode()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
