"""The monitoring report's arithmetic, worked by hand from the sample extract."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from budget.actions import allocations as allocation_actions
from budget.actions import imports as import_actions
from budget.actions import lines as line_actions
from budget.actions import rules as rule_actions
from budget.exports import safe
from budget.models import LedgerRow
from budget.selectors import budget_report, equal_profile, split_pennies
from tests.budget.conftest import csv_of, row, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def month_end(imported_sample, finance_officer, lines):
    """The sample imported, the three training rows allocated to Family Therapists, and the
    Research in Practice membership profiled in May (when it is paid) with nothing after."""
    for queued in LedgerRow.objects.filter(line__isnull=True):
        rule_actions.row_allocate(
            row=queued, splits=[(lines["family-therapists"], queued.amount)], actor=finance_officer
        )
    line_actions.line_months_update(
        line=lines["research-in-practice"],
        actor=finance_officer,
        version=lines["research-in-practice"].version,
        profile={p: D("15000.00") if p == 2 else D("0.00") for p in range(1, 13)},
        forecast=dict.fromkeys(range(1, 13), D("0.00")),
    )
    return imported_sample.allocation


# Worked by hand from ledger-extract.csv, as at period 6 (September 2019). Budget to date is
# half of each line (equal twelfths) except the membership, profiled all in May. Forecast for
# periods 7-12 comes from the posts: e.g. the Group Manager is £80,000 / 12 = £6,666.67 a month.
#   line: (budget to date, actual to date, latest forecast outturn)
EXPECTED = {
    # 6 months x £1,250; 6 more forecast.
    "head-of-service-qa": ("7500.00", "7500.00", "15000.00"),
    # Started in May: 5 x £6,666.67 = £33,333.35; + 6 x £6,666.67 = £40,000.02.
    "group-manager-backfill": ("40000.00", "33333.35", "73333.37"),
    # Started in June: 4 x £3,250; + 6 x £3,250.
    "qa-support-officer": ("19500.00", "13000.00", "32500.00"),
    # Therapist 1 from July (3 x £7,000), 2 from August (2 x £7,000), training 12,500 - 2,500
    # + 9,800 = £19,800: £54,800. Forecast: therapists 1-2 6 x £7,000 each = £84,000;
    # therapist 3 from 6 January 2020 (26/31 of £7,000 = £5,870.97, then 2 x £7,000);
    # therapist 4 from 3 February 2020 (27/29 of £7,000 = £6,517.24, then £7,000); 5 vacant.
    # £54,800 + £84,000 + £19,870.97 + £13,517.24 = £172,188.21.
    "family-therapists": ("210000.00", "54800.00", "172188.21"),
    # From May: 5 x £4,250; + 6 x £4,250.
    "hsca-coordinator": ("25500.00", "21250.00", "46750.00"),
    # From June: 4 x £6,166.67 = £24,666.68; + 6 x £6,166.67 = £37,000.02.
    "practice-development-practitioner": ("37000.00", "24666.68", "61666.70"),
    # From April: 6 x £4,250; + 6 more.
    "project-manager": ("25500.00", "25500.00", "51000.00"),
    # Paid in May; nothing more forecast.
    "research-in-practice": ("15000.00", "15000.00", "15000.00"),
    # Licences £1,197 + website £2,850; the rest of the profile (£2,500) still forecast.
    "resources": ("2500.00", "4047.00", "6547.00"),
}


def test_each_line_matches_the_hand_worked_figures(month_end):
    report = budget_report(month_end)
    assert report.as_at == 6
    got = {
        f.line.code: (str(f.budget_to_date), str(f.actual_to_date), str(f.latest_outturn))
        for f in report.lines
    }
    assert got == EXPECTED


def test_the_totals_agree_to_the_penny(month_end):
    report = budget_report(month_end)
    total = report.total
    assert total.original == D("750000.00")
    assert total.budget_to_date == D("382500.00")
    # Every programme row of the extract: the ledger's own total for cost centre C21450.
    assert total.actual_to_date == D("199097.03")
    assert total.variance_to_date == D("-183402.97")
    assert total.latest_outturn == D("473985.28")
    assert total.forecast_variance == D("-276014.72")
    assert report.underspend_to_return == D("276014.72")
    for attr in ["budget_to_date", "actual_to_date", "latest_outturn", "commitments"]:
        assert getattr(total, attr) == sum(getattr(f, attr) for f in report.lines)


def test_variance_percent_and_rag_use_the_thresholds(month_end, finance_officer):
    report = budget_report(month_end)
    by_code = {f.line.code: f for f in report.lines}
    assert by_code["group-manager-backfill"].forecast_variance_percent == D("-8.3")
    assert by_code["group-manager-backfill"].rag == "red"
    assert by_code["project-manager"].rag == "green"
    allocation_actions.allocation_settings_update(
        allocation=month_end, actor=finance_officer, amber_percent=D("8"), red_percent=D("10")
    )
    by_code = {f.line.code: f for f in budget_report(month_end).lines}
    assert by_code["group-manager-backfill"].rag == "amber"
    assert by_code["qa-support-officer"].rag == "red"


def test_a_late_start_shows_as_forecast_underspend(month_end, finance_officer, lines):
    before = budget_report(month_end)
    post = lines["family-therapists"].posts.get(post_number="P10239")
    post.start_date = dt.date(2020, 3, 1)
    line_actions.post_update(
        actor=finance_officer,
        post=post,
        version=post.version,
        post_number=post.post_number,
        title=post.title,
        annual_cost=post.annual_cost,
        status=post.status,
        start_date=post.start_date,
    )
    after = budget_report(month_end)
    # Two months later: January's £5,870.97 and February's £7,000 are no longer forecast.
    assert before.total.latest_outturn - after.total.latest_outturn == D("12870.97")


def test_a_virement_moves_budget_between_lines_and_keeps_the_total(
    month_end, finance_officer, lines
):
    allocation_actions.virement_record(
        allocation=month_end,
        from_line=lines["family-therapists"],
        to_line=lines["resources"],
        amount=D("5000.00"),
        reason="Website phase 2",
        approved_by="Director of Children's Services",
        approved_on=dt.date(2019, 10, 1),
        actor=finance_officer,
    )
    report = budget_report(month_end)
    by_code = {f.line.code: f for f in report.lines}
    assert by_code["resources"].original == D("5000.00")
    assert by_code["resources"].latest == D("10000.00")
    assert by_code["family-therapists"].latest == D("415000.00")
    assert report.total.latest == D("750000.00")


def test_commitments_are_reported_per_line(month_end, finance_officer, lines):

    line_actions.commitment_add(
        actor=finance_officer,
        line=lines["resources"],
        kind="order",
        description="Website phase 2",
        amount=D("1500.00"),
        raised_on=dt.date(2019, 9, 20),
    )
    report = budget_report(month_end)
    assert {f.line.code: f.commitments for f in report.lines}["resources"] == D("1500.00")
    assert report.total.commitments == D("1500.00")


def test_an_earlier_as_at_period_counts_only_those_periods(month_end):
    report = budget_report(month_end, as_at=1)
    # Period 1: Head of Service £1,250 and Project Manager £4,250.
    assert report.total.actual_to_date == D("5500.00")


def test_an_equal_profile_adds_up_exactly():
    profile = equal_profile(D("80000.00"))
    assert sum(profile.values()) == D("80000.00")
    assert sum(profile[p] for p in range(1, 7)) == D("40000.00")


def test_shares_split_to_the_penny():
    parts = split_pennies(D("100.00"), [D(1), D(1), D(1)])
    assert parts == [D("33.34"), D("33.33"), D("33.33")]
    assert sum(split_pennies(D("-2500.01"), [D(2), D(1)])) == D("-2500.01")


@pytest.mark.parametrize("text", ["=1+2", "+44", "-SUM(A1)", "@cmd", "\tx"])
def test_cells_that_a_spreadsheet_would_run_are_made_safe(text):
    assert safe(text) == "'" + text


def test_money_and_plain_text_cells_are_left_alone():
    assert safe(D("-2500.00")) == D("-2500.00")
    assert safe("Payroll") == "Payroll"


def test_the_xlsx_report_total_agrees_with_its_rows(month_end, client, finance_officer):
    client.force_login(finance_officer)
    response = client.get("/budget/2019-20/report.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "Budget line")
    body = rows[header_at + 1 :]
    lines_, total = body[:-1], body[-1]
    assert total[0] == "Total"
    actual = sum(D(str(r[4])) for r in lines_)
    assert actual == D(str(total[4])) == D("199097.03")


def test_ledger_exports_never_run_a_description_as_a_formula(set_up, finance_officer, client):
    batch = upload(set_up, finance_officer, csv_of(row(description="=HYPERLINK(evil)")))
    import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    client.force_login(finance_officer)
    text = b"".join(client.get("/budget/2019-20/ledger.csv").streaming_content).decode()
    assert "'=HYPERLINK(evil)" in text
    xlsx = b"".join(client.get("/budget/2019-20/ledger.xlsx").streaming_content)
    sheet = load_workbook(io.BytesIO(xlsx)).active
    values = [c for r in sheet.iter_rows(values_only=True) for c in r]
    assert "=HYPERLINK(evil)" in values  # a string cell, as written: never a formula
    assert sheet["G2"].data_type == "s"
    assert D("100") in [D(str(v)) for v in values if isinstance(v, int | float)]


def test_an_imported_ledger_shows_in_the_budget_report_at_once(
    client, finance_officer, set_up, committed, summaries_cache
):
    client.force_login(finance_officer)
    before = client.get("/budget/2019-20/").content.decode()
    assert "£1,234.56" not in before
    batch = upload(set_up, finance_officer, csv_of(row(ref="AP900001", amount="1234.56")))
    assert not batch.errors, batch.errors
    committed(lambda: import_actions.ledger_import_confirm(batch=batch, actor=finance_officer))
    assert "£1,234.56" in client.get("/budget/2019-20/").content.decode()
