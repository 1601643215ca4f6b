import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from havering_improve.fy import FinancialYear, period_for_date


def test_31_march_is_period_12_of_the_year_before_and_1_april_is_period_1():
    assert FinancialYear.for_date(dt.date(2020, 3, 31)) == FinancialYear(2019)
    assert period_for_date(dt.date(2020, 3, 31)) == 12
    assert FinancialYear.for_date(dt.date(2020, 4, 1)) == FinancialYear(2020)
    assert period_for_date(dt.date(2020, 4, 1)) == 1


def test_labels_and_slugs_read_as_finance_writes_them():
    fy = FinancialYear(2019)
    assert (fy.label, fy.slug, fy.short_label) == ("2019/20", "2019-20", "19/20")
    assert FinancialYear(1999).slug == "1999-00"
    assert FinancialYear.from_slug("2019-20") == fy


@pytest.mark.parametrize("slug", ["2019-21", "2019", "19-20", "2019/20", "abcd-ef"])
def test_a_slug_that_is_not_a_financial_year_is_refused(slug):
    with pytest.raises(ValueError):
        FinancialYear.from_slug(slug)


def test_period_dates_cover_the_year_without_gaps():
    fy = FinancialYear(2019)
    assert fy.period_start(1) == dt.date(2019, 4, 1)
    assert fy.period_end(9) == dt.date(2019, 12, 31)
    assert fy.period_start(10) == dt.date(2020, 1, 1)
    assert fy.period_end(11) == dt.date(2020, 2, 29)  # a leap year
    assert fy.period_end(12) == dt.date(2020, 3, 31)
    for period in range(1, 12):
        assert fy.period_end(period) + dt.timedelta(days=1) == fy.period_start(period + 1)


def test_a_date_outside_the_year_has_no_period_in_it():
    with pytest.raises(ValueError, match="not in financial year 2019/20"):
        FinancialYear(2019).period_for(dt.date(2020, 4, 1))


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_date_falls_in_its_period_of_its_year(day):
    fy = FinancialYear.for_date(day)
    period = fy.period_for(day)
    assert fy.period_start(period) <= day <= fy.period_end(period)
