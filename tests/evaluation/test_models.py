import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from evaluation.models import ActivityKind, AuditResult, EvaluationActivity, Finding
from havering_improve.fy import FinancialYear, quarter_for_date
from tests.evaluation.factories import ActivityFactory, AuditResultFactory, days_ago, strand

pytestmark = pytest.mark.django_db


def _result(**counts):
    values = {"outstanding": 0, "good": 0, "requires_improvement": 0, "inadequate": 0}
    values.update(counts)
    return AuditResult(**values)


def test_percent_good_or_better_counts_outstanding_and_good_over_cases_audited():
    result = _result(cases_audited=8, outstanding=1, good=4, requires_improvement=2, inadequate=1)
    assert result.good_or_better == 5
    assert result.percent_good_or_better == Decimal("62.5")


def test_percent_good_or_better_rounds_half_up_to_one_place():
    assert _result(cases_audited=3, good=2, inadequate=1).percent_good_or_better == Decimal("66.7")
    assert _result(cases_audited=3, good=1, inadequate=2).percent_good_or_better == Decimal("33.3")


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))
def test_percent_good_or_better_is_always_between_0_and_100(o, g, ri, i):
    total = o + g + ri + i
    result = _result(
        cases_audited=total, outstanding=o, good=g, requires_improvement=ri, inadequate=i
    )
    if total == 0:
        assert result.percent_good_or_better is None
    else:
        assert Decimal(0) <= result.percent_good_or_better <= Decimal(100)


def test_more_grades_than_cases_audited_is_refused_with_the_counts(audit, theme):
    result = AuditResult(
        activity=audit, theme=theme, date=days_ago(1), cases_audited=5, good=4, inadequate=3
    )
    with pytest.raises(ValidationError) as exc:
        result.full_clean()
    assert exc.value.message_dict["cases_audited"] == [
        "The grades add up to 7, which is more than the 5 cases audited. Check the grades."
    ]


def test_fewer_grades_than_cases_audited_is_refused(audit, theme):
    result = AuditResult(activity=audit, theme=theme, date=days_ago(1), cases_audited=5, good=4)
    with pytest.raises(ValidationError, match="Every case audited needs a grade"):
        result.full_clean()


def test_the_database_refuses_grades_that_do_not_add_up(audit, theme):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditResult.objects.create(
            activity=audit, theme=theme, date=days_ago(1), cases_audited=3, good=4
        )


def test_an_audit_dated_in_the_future_is_refused(audit, theme):
    result = AuditResultFactory.build(activity=audit, theme=theme, date=days_ago(-1))
    with pytest.raises(ValidationError) as exc:
        result.full_clean()
    assert "date" in exc.value.message_dict


def test_a_completed_activity_dated_in_the_future_is_refused(programme):
    activity = ActivityFactory.build(
        programme=programme,
        strand=strand(programme),
        completed_on=days_ago(-3),
        start_date=days_ago(10),
    )
    with pytest.raises(ValidationError) as exc:
        activity.full_clean()
    assert exc.value.message_dict["completed_on"] == [
        "The date it was completed must be today or in the past — an activity cannot be "
        "completed in the future."
    ]


def test_a_peer_review_with_no_partner_authority_is_refused(programme):
    activity = ActivityFactory.build(
        programme=programme,
        strand=strand(programme, "peer-reviews"),
        kind=ActivityKind.PEER_REVIEW,
        partner_authorities="  \n ",
    )
    with pytest.raises(ValidationError) as exc:
        activity.full_clean()
    assert "partner local authority" in exc.value.message_dict["partner_authorities"][0]


def test_a_peer_review_lists_its_partners_one_a_line(programme):
    activity = ActivityFactory.build(
        programme=programme,
        kind=ActivityKind.PEER_REVIEW,
        strand=strand(programme, "peer-reviews"),
        partner_authorities="Redbridge\n\n  Barking and Dagenham \n",
    )
    activity.full_clean()
    assert activity.partners == ["Redbridge", "Barking and Dagenham"]


def test_an_end_date_before_the_start_is_refused(programme):
    activity = ActivityFactory.build(
        programme=programme,
        strand=strand(programme),
        start_date=days_ago(1),
        end_date=days_ago(5),
    )
    with pytest.raises(ValidationError, match="end date"):
        activity.full_clean()


@pytest.mark.parametrize(
    ("end", "completed", "status"),
    [
        (-5, None, EvaluationActivity.Status.DUE),
        (0, None, EvaluationActivity.Status.DUE),
        (1, None, EvaluationActivity.Status.OVERDUE),
        (1, 1, EvaluationActivity.Status.DONE),
    ],
)
def test_an_activity_is_done_due_or_overdue(programme, end, completed, status):
    activity = ActivityFactory.build(
        programme=programme,
        start_date=days_ago(10),
        end_date=days_ago(end),
        completed_on=days_ago(completed) if completed is not None else None,
    )
    assert activity.status == status


def test_an_accepted_finding_needs_an_owner_and_a_due_date(audit):
    finding = Finding(
        activity=audit,
        kind=Finding.Kind.AREA_FOR_IMPROVEMENT,
        title="x",
        response=Finding.Response.ACCEPTED,
    )
    with pytest.raises(ValidationError) as exc:
        finding.clean()
    assert set(exc.value.message_dict) == {"action_owner", "action_due"}


def test_a_strength_cannot_be_given_a_response(audit):
    finding = Finding(
        activity=audit,
        kind=Finding.Kind.STRENGTH,
        title="x",
        response=Finding.Response.ACCEPTED,
        action_owner="A",
        action_due=days_ago(-5),
    )
    with pytest.raises(ValidationError, match="A strength needs no response"):
        finding.clean()


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (dt.date(2019, 4, 1), 1),
        (dt.date(2019, 6, 30), 1),
        (dt.date(2019, 7, 1), 2),
        (dt.date(2019, 12, 31), 3),
        (dt.date(2020, 1, 1), 4),
        (dt.date(2020, 3, 31), 4),
    ],
)
def test_financial_year_quarters_run_april_to_march(day, quarter):
    assert quarter_for_date(day) == quarter


def test_a_financial_year_knows_where_its_quarters_start_and_end():
    year = FinancialYear(2019)
    assert year.quarter_start(4) == dt.date(2020, 1, 1)
    assert year.quarter_end(1) == dt.date(2019, 6, 30)
    with pytest.raises(ValueError):
        year.quarter_start(5)
