"""Spend by theme: each line's figures shared over the themes it supports."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from budget.actions import allocations as allocation_actions
from budget.actions import lines as line_actions
from budget.selectors import budget_report, theme_spend
from themes.tabs import registered_tabs

pytestmark = pytest.mark.django_db


def test_theme_shares_add_up_to_the_line_totals_to_the_penny(imported_sample, programme):
    spend = theme_spend(programme, 2019)
    report = budget_report(imported_sample.allocation)
    assert sum(s.budget for s in spend) == report.total.latest
    assert sum(s.actual_to_date for s in spend) == report.total.actual_to_date
    assert sum(s.forecast_outturn for s in spend) == report.total.latest_outturn


def test_a_line_is_split_equally_between_its_themes_by_default(imported_sample, programme):
    by_slug = {s.theme.slug: s for s in theme_spend(programme, 2019)}
    # Adolescent Safeguarding is supported only by the two lines that support every theme:
    # a seventh of the Project Manager (£51,000) and of Research in Practice (£15,000).
    assert by_slug["adolescent-safeguarding"].budget == D("9428.57")
    # Actual to date: £25,500 / 7 and £15,000 / 7, each rounded so the seven shares add up.
    assert by_slug["adolescent-safeguarding"].actual_to_date in {D("5785.71"), D("5785.72")}


def test_weights_set_by_the_programme_manager_change_the_split(
    imported_sample, programme, programme_manager, lines
):
    line = lines["practice-development-practitioner"]
    smart, supervision = line.themes.get(slug="smart-planning"), line.themes.get(slug="supervision")
    line_actions.theme_weights_set(
        line=line, actor=programme_manager, weights={smart: D("3"), supervision: D("1")}
    )
    by_slug = {s.theme.slug: s for s in theme_spend(programme, 2019)}
    shares = {
        slug: next(item for item in by_slug[slug].lines if item["line"] == line)
        for slug in ["smart-planning", "supervision"]
    }
    assert shares["smart-planning"]["budget"] == D("55500.00")
    assert shares["supervision"]["budget"] == D("18500.00")


def test_only_the_programme_manager_sets_weights(set_up, finance_officer, lines):
    line = lines["project-manager"]
    with pytest.raises(PermissionDenied):
        line_actions.theme_weights_set(line=line, actor=finance_officer, weights={})


def test_the_theme_page_has_a_cost_tab_with_the_theme_figures(imported_sample, theme, rf, lead):
    tab = next(t for t in registered_tabs() if t.key == "cost")
    assert tab.label == "Cost"
    request = rf.get("/")
    request.user = lead
    context = tab.context(request, theme)
    assert context["spend"].theme == theme
    assert context["spend"].budget > 0
    assert context["year"].slug == "2019-20"


def test_the_cost_tab_runs_the_same_queries_at_two_data_sizes(
    imported_sample, theme, rf, lead, finance_officer, programme_manager, lines
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tab = next(t for t in registered_tabs() if t.key == "cost")
    request = rf.get("/")
    request.user = lead
    with CaptureQueriesContext(connection) as small:
        before = tab.context(request, theme)["spend"]
    _more_budget_for(theme, imported_sample.allocation, finance_officer, programme_manager, lines)
    with CaptureQueriesContext(connection) as large:
        after = tab.context(request, theme)["spend"]
    # The data did grow: more of the year's lines carry the theme, with more rows behind them.
    assert len(after.lines) >= len(before.lines) + 4
    assert after.forecast_outturn > before.forecast_outturn
    assert len(large.captured_queries) == len(small.captured_queries)


def _more_budget_for(theme, allocation, finance_officer, programme_manager, lines):
    """Four more lines supporting the theme and others, each with its monthly profile, a post,
    a commitment and ledger rows; a virement into one, and weights on another."""
    import datetime as dt

    from budget.models import BudgetLine, Commitment, LedgerRow, LineMonth

    others = list(theme.programme.themes.exclude(pk=theme.pk)[:3])
    added = []
    for n in range(4):
        line = BudgetLine.objects.create(
            allocation=allocation, order=100 + n, code=f"extra-{n}", title=f"Extra {n}",
            amount=D("12000.00"),
        )  # fmt: skip
        line.themes.set([theme, *others[: n + 1]])
        LineMonth.objects.bulk_create(
            LineMonth(line=line, period=p, profile=D("1000.00")) for p in range(1, 13)
        )
        line_actions.post_add(
            actor=finance_officer,
            line=line,
            post_number=f"PX{n}",
            title=f"Worker {n}",
            annual_cost=D("9000"),
        )
        line_actions.commitment_add(
            actor=finance_officer,
            line=line, kind=Commitment.Kind.ORDER, description=f"Order {n}",
            amount=D("500.00"), raised_on=dt.date(2019, 6, 1),
        )  # fmt: skip
        template = LedgerRow.objects.filter(allocation=allocation).first()
        for m in range(3):
            template.pk, template.line = None, line
            template.reference, template.amount = f"X{n}{m}", D("250.00")
            template.save()
        added.append(line)
    allocation_actions.virement_record(
        allocation=allocation, from_line=lines["project-manager"], to_line=added[0],
        amount=D("100.00"), reason="More reach", approved_by="Director",
        approved_on=dt.date(2019, 7, 1), actor=finance_officer,
    )  # fmt: skip
    line_actions.theme_weights_set(
        line=added[1], actor=programme_manager, weights={t: D("2") for t in added[1].themes.all()}
    )


def test_the_spend_by_theme_page_lists_every_theme(imported_sample, client, board_member):
    client.force_login(board_member)
    page = client.get("/budget/2019-20/themes/").content.decode()
    assert "Adolescent Safeguarding" in page
    assert "£750,000.00" in page


@pytest.fixture
def stale_weights(imported_sample, programme_manager, lines):
    """All of a line on one theme, then that theme taken off the line."""
    line = lines["practice-development-practitioner"]
    smart, supervision = line.themes.get(slug="smart-planning"), line.themes.get(slug="supervision")
    line_actions.theme_weights_set(
        line=line, actor=programme_manager, weights={smart: D("1"), supervision: D("0")}
    )
    line.themes.remove(smart)
    return line, supervision


def test_weights_that_no_longer_fit_the_line_are_ignored_and_the_line_shared_equally(
    stale_weights, programme
):
    line, supervision = stale_weights
    by_slug = {s.theme.slug: s for s in theme_spend(programme, 2019)}
    share = next(i for i in by_slug["supervision"].lines if i["line"] == line)
    assert share["share"] == 1 / D(line.themes.count())
    assert share["budget"] > 0
    assert not any(i["line"] == line for i in by_slug["smart-planning"].lines)


def test_stale_weights_never_break_the_pages_and_the_programme_manager_is_warned(
    stale_weights, client, programme_manager, board_member, lead, theme
):
    line, _ = stale_weights
    client.force_login(board_member)
    assert client.get("/budget/2019-20/themes/").status_code == 200
    assert client.get(f"/themes/{theme.slug}/cost/").status_code == 200
    page = client.get("/budget/2019-20/themes/").content.decode()
    assert "no longer fit" not in page
    client.force_login(programme_manager)
    page = client.get("/budget/2019-20/themes/").content.decode()
    assert "no longer fit" in page
    assert line.title in page
    detail = client.get(f"/budget/2019-20/lines/{line.code}/").content.decode()
    assert "no longer fit its themes" in detail


def test_a_theme_added_after_the_weights_were_set_gets_an_equal_share_not_nothing(
    imported_sample, programme, programme_manager, lines
):
    line = lines["practice-development-practitioner"]
    themes = list(line.themes.all())
    line_actions.theme_weights_set(
        line=line, actor=programme_manager, weights={t: D(n + 1) for n, t in enumerate(themes)}
    )
    from themes.models import Theme

    extra = Theme.objects.filter(programme=programme).exclude(budget_lines=line).first()
    line.themes.add(extra)
    by_slug = {s.theme.slug: s for s in theme_spend(programme, 2019)}
    share = next(i for i in by_slug[extra.slug].lines if i["line"] == line)
    assert share["share"] == 1 / D(len(themes) + 1)
