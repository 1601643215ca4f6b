"""Matching rules place rows on lines; the rest are allocated by hand, whole or split."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budget.actions import imports as import_actions
from budget.actions import rules as rule_actions
from budget.models import LedgerRow, MatchingRule, RowAllocation
from budget.selectors import budget_report
from tests.budget.conftest import close_periods, csv_of, row, upload

pytestmark = pytest.mark.django_db


def _import(allocation, user, *rows):
    batch = upload(allocation, user, csv_of(*rows))
    assert not batch.errors, batch.errors
    return import_actions.ledger_import_confirm(batch=batch, actor=user)


def test_a_post_number_places_a_payroll_row_on_its_line(set_up, finance_officer, lines):
    _import(set_up, finance_officer, row(ref="PAY1", subjective="0101", post="p10238"))
    imported = LedgerRow.objects.get(reference="PAY1")
    assert imported.line == lines["project-manager"]
    assert imported.match == LedgerRow.Match.POST


def test_a_post_rule_wins_over_a_coding_rule(set_up, finance_officer, lines):
    # 4010 is the Research in Practice coding, but the post number says Project Manager.
    _import(set_up, finance_officer, row(ref="PAY1", subjective="4010", post="P10238"))
    assert LedgerRow.objects.get(reference="PAY1").line == lines["project-manager"]


def test_a_rule_with_description_text_wins_over_the_general_coding_rule(
    set_up, finance_officer, lines
):
    rule_actions.rule_save(
        allocation=set_up,
        actor=finance_officer,
        line=lines["family-therapists"],
        kind="coding",
        cost_centre="C21450",
        subjective="4800",
        description_contains="systemic",
    )
    rule_actions.rule_save(
        allocation=set_up,
        actor=finance_officer,
        line=lines["hsca-coordinator"],
        kind="coding",
        cost_centre="c21450",
        subjective="4800",
    )
    _import(
        set_up,
        finance_officer,
        row(ref="AP1", subjective="4800", description="Systemic practice cohort 4"),
        row(ref="AP2", subjective="4800", description="Report writing course"),
    )
    assert LedgerRow.objects.get(reference="AP1").line == lines["family-therapists"]
    assert LedgerRow.objects.get(reference="AP2").line == lines["hsca-coordinator"]


def test_a_row_no_rule_places_waits_in_the_queue(set_up, finance_officer):
    _import(set_up, finance_officer, row(ref="AP1", subjective="4800"))
    report = budget_report(set_up)
    assert report.unallocated_count == 1
    assert report.unallocated_total == Decimal("100.00")
    assert report.total.actual_to_date == Decimal("0.00")


def test_allocating_a_queued_row_puts_it_in_the_line_actuals(set_up, finance_officer, lines):
    _import(set_up, finance_officer, row(ref="AP1", subjective="4800", amount="12500.00"))
    queued = LedgerRow.objects.get(reference="AP1")
    rule_actions.row_allocate(
        row=queued,
        splits=[(lines["family-therapists"], Decimal("12500.00"))],
        actor=finance_officer,
    )
    report = budget_report(set_up)
    therapists = next(f for f in report.lines if f.line == lines["family-therapists"])
    assert therapists.actual_to_date == Decimal("12500.00")
    assert report.unallocated_count == 0


def test_a_row_can_be_split_across_lines_when_the_shares_add_up(set_up, finance_officer, lines):
    _import(set_up, finance_officer, row(ref="AP1", subjective="4800", amount="1000.00"))
    queued = LedgerRow.objects.get(reference="AP1")
    with pytest.raises(ValidationError, match="add up to £999.99"):
        rule_actions.row_allocate(
            row=queued,
            splits=[
                (lines["family-therapists"], Decimal("600.00")),
                (lines["hsca-coordinator"], Decimal("399.99")),
            ],
            actor=finance_officer,
        )
    assert not RowAllocation.objects.exists()
    rule_actions.row_allocate(
        row=queued,
        splits=[
            (lines["family-therapists"], Decimal("600.00")),
            (lines["hsca-coordinator"], Decimal("400.00")),
        ],
        actor=finance_officer,
    )
    report = budget_report(set_up)
    by_code = {f.line.code: f.actual_to_date for f in report.lines}
    assert by_code["family-therapists"] == Decimal("600.00")
    assert by_code["hsca-coordinator"] == Decimal("400.00")
    assert report.total.actual_to_date == Decimal("1000.00")


def test_saving_an_allocation_as_a_rule_matches_the_next_import(set_up, finance_officer, lines):
    _import(set_up, finance_officer, row(ref="AP1", subjective="4800", description="Cohort 1"))
    rule_actions.row_allocate(
        row=LedgerRow.objects.get(reference="AP1"),
        splits=[(lines["family-therapists"], Decimal("100.00"))],
        actor=finance_officer,
        save_rule="coding",
    )
    rule = MatchingRule.objects.get(subjective="4800")
    assert rule.line == lines["family-therapists"]
    _import(set_up, finance_officer, row(ref="AP2", subjective="4800", description="Cohort 2"))
    assert LedgerRow.objects.get(reference="AP2").rule == rule


def test_a_row_cannot_be_allocated_twice(set_up, finance_officer, lines):
    _import(set_up, finance_officer, row(ref="AP1", subjective="4800"))
    queued = LedgerRow.objects.get(reference="AP1")
    split = [(lines["resources"], Decimal("100.00"))]
    rule_actions.row_allocate(row=queued, splits=split, actor=finance_officer)
    with pytest.raises(ValidationError, match="not waiting"):
        rule_actions.row_allocate(row=queued, splits=split, actor=finance_officer)


def test_a_row_in_a_closed_period_cannot_be_allocated(set_up, finance_officer, lines):
    _import(set_up, finance_officer, row(ref="AP1", subjective="4800"))
    close_periods(set_up, finance_officer, 2)
    with pytest.raises(ValidationError, match="Period 2 is closed"):
        rule_actions.row_allocate(
            row=LedgerRow.objects.get(reference="AP1"),
            splits=[(lines["resources"], Decimal("100.00"))],
            actor=finance_officer,
        )


def test_the_same_post_cannot_have_two_rules(set_up, finance_officer, lines):
    with pytest.raises(ValidationError):
        rule_actions.rule_save(
            allocation=set_up,
            actor=finance_officer,
            line=lines["resources"],
            kind="post",
            post_number="P10238",
        )
