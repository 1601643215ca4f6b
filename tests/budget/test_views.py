"""The finance officer's pages, as a user would drive them."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from budget import selectors
from budget.actions import imports as import_actions
from budget.actions import lines as line_actions
from budget.actions import rules as rule_actions
from budget.models import (
    BudgetAllocation,
    Commitment,
    LedgerImport,
    LedgerRow,
    LineMonth,
    MatchingRule,
    Post,
    RowAllocation,
)
from tests.budget.conftest import close_periods, csv_of, row, upload

pytestmark = pytest.mark.django_db
Y = "/budget/2019-20"


@pytest.fixture
def fo(client, finance_officer):
    client.force_login(finance_officer)
    return client


def test_uploading_shows_a_preview_then_confirming_imports(set_up, fo, sample_bytes):
    response = fo.post(
        f"{Y}/imports/",
        {
            "file": SimpleUploadedFile("ledger-extract.csv", sample_bytes),
            "cost_centres": "C21450",
        },
    )
    batch = LedgerImport.objects.get()
    assert response["Location"] == f"{Y}/imports/{batch.pk}/"
    page = fo.get(response["Location"]).content.decode()
    assert "Waiting for confirmation" in page
    assert "Import 111 rows" in page
    assert "AP700212" in page  # the other cost centre's row, listed
    assert not LedgerRow.objects.exists()
    fo.post(f"{Y}/imports/{batch.pk}/confirm/")
    assert LedgerRow.objects.filter(active=True).count() == 111
    page = fo.get(f"{Y}/imports/{batch.pk}/").content.decode()
    assert "Imported 111 rows totalling £199,097.03." in page


def test_a_file_with_nothing_new_says_so_and_offers_no_import(fo, imported_sample, sample_bytes):
    response = fo.post(
        f"{Y}/imports/",
        {"file": SimpleUploadedFile("again.csv", sample_bytes), "cost_centres": "C21450"},
    )
    page = fo.get(response["Location"]).content.decode()
    assert "Nothing new to import" in page
    assert "Import 0 rows" not in page and "/confirm/" not in page
    assert "Discard this upload" in page
    # The skipped rows fold away under a summary that counts them.
    skipped = page[page.index('<details class="govuk-details" id="skipped">') :]
    assert "Rows skipped: 111 already imported, 1 for other cost centres" in skipped
    assert "AP700212" in skipped


# An import's preview as the importer has stored it since imports began: totals as text, a
# matched row with its line and rule, the rows each rule matched by label, and (kept before the
# problems were counted there) no problem count.
STORED_PREVIEW = {
    "counts": {"matched": 2, "unmatched": 1, "other": 1, "duplicate": 0, "blank": 1},
    "totals": {"matched": "1500.00", "unmatched": "-20.50", "other": "99.00", "duplicate": "0"},
    "samples": {
        "matched": [
            {
                "row": 2,
                "date": "2019-05-15",
                "period": 2,
                "cost_centre": "C21450",
                "subjective": "0101",
                "reference": "PAY1",
                "post_number": "P10238",
                "description": "Salary",
                "amount": "1000.00",
                "line": "Project Manager",
                "rule": "Post P10238",
            }
        ],
        "unmatched": [
            {
                "row": 4,
                "date": "2019-05-20",
                "period": 2,
                "cost_centre": "C21450",
                "subjective": "4800",
                "reference": "AP44",
                "post_number": "",
                "description": "Refund",
                "amount": "-20.50",
            }
        ],
        "other": [
            {
                "row": 5,
                "date": "2019-05-21",
                "period": 2,
                "cost_centre": "C21999",
                "subjective": "4010",
                "reference": "AP55",
                "post_number": "",
                "description": "Another service's subscription",
                "amount": "99.00",
            }
        ],
        "duplicate": [],
    },
    "by_rule": {"Post P10238 → Project Manager": 2},
}


def test_an_import_stored_by_an_earlier_version_shows_its_preview(set_up, fo, finance_officer):
    batch = LedgerImport.objects.create(
        allocation=set_up,
        original_name="may.csv",
        uploaded_by=finance_officer,
        summary=STORED_PREVIEW,
    )
    page = fo.get(f"{Y}/imports/{batch.pk}/").content.decode()
    counts = page[page.index('id="counts"') : page.index("</table>", page.index('id="counts"'))]
    assert ">4</td>" in counts and "£1,578.50" in counts  # recognised: every kind together
    assert "−£20.50" in counts
    assert "Import 3 rows" in page
    assert "Post P10238 → Project Manager</td>" in page
    assert "Project Manager (Post P10238)" in page  # the matched row's line and rule
    assert "AP44" in page
    assert "Rows skipped: 1 for other cost centres" in page
    assert "The file was rejected" not in page


def test_a_rejected_file_lists_each_problem_by_row_and_column(set_up, fo):
    content = csv_of(row(amount="lots"), row(ref="AP2", date="32/01/2019"))
    response = fo.post(
        f"{Y}/imports/",
        {"file": SimpleUploadedFile("bad.csv", content.encode()), "cost_centres": "C21450"},
        follow=True,
    )
    page = response.content.decode()
    assert "The file was rejected: nothing was imported" in page
    assert "“lots” is not an amount of money" in page
    assert "“32/01/2019” is not a date" in page
    assert "Import " not in page


def test_a_file_of_the_wrong_type_is_refused_by_the_form(set_up, fo):
    response = fo.post(
        f"{Y}/imports/",
        {"file": SimpleUploadedFile("notes.pdf", b"%PDF"), "cost_centres": "C21450"},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not LedgerImport.objects.exists()


def test_allocating_from_the_queue_can_save_a_rule(imported_sample, fo, lines):
    queued = LedgerRow.objects.get(reference="AP700207")
    page = fo.get(f"{Y}/queue/").content.decode()
    assert "AP700207" in page and "JNL700209" in page
    response = fo.post(
        f"{Y}/queue/{queued.pk}/",
        {
            "line_1": lines["family-therapists"].pk,
            "amount_1": "12,500.00".replace(",", ""),
            "save_rule": "coding-text",
        },
    )
    assert response.status_code == 302
    assert RowAllocation.objects.get(row=queued).line == lines["family-therapists"]
    rule = MatchingRule.objects.get(subjective="4800")
    assert rule.description_contains.startswith("Systemic practice training cohort 1")


def test_a_split_that_does_not_add_up_is_explained(imported_sample, fo, lines):
    queued = LedgerRow.objects.get(reference="AP700207")
    response = fo.post(
        f"{Y}/queue/{queued.pk}/",
        {
            "line_1": lines["family-therapists"].pk,
            "amount_1": "10000",
            "line_2": lines["resources"].pk,
            "amount_2": "2000",
        },
    )
    assert "The shares add up to £12,000.00 but the row is £12,500.00." in response.content.decode()
    assert not RowAllocation.objects.exists()


def test_closing_and_reopening_a_period(
    imported_sample, client, finance_officer, programme_manager
):
    periods = imported_sample.allocation.period_states
    close_periods(imported_sample.allocation, finance_officer, 5)
    client.force_login(finance_officer)
    client.post(f"{Y}/periods/6/close/")
    assert periods.get(period=6).closed
    client.force_login(programme_manager)
    response = client.post(f"{Y}/periods/6/reopen/", {"reason": ""})
    assert "Enter the reason" in response.content.decode()
    client.post(f"{Y}/periods/6/reopen/", {"reason": "Payroll correction"})
    assert not periods.get(period=6).closed


def test_reversing_an_import_needs_a_reason(imported_sample, fo):
    fo.post(f"{Y}/imports/{imported_sample.pk}/reverse/", {"reason": "Duplicate extract"})
    imported_sample.refresh_from_db()
    assert imported_sample.status == LedgerImport.Status.REVERSED
    assert "Duplicate extract" in fo.get(f"{Y}/imports/{imported_sample.pk}/").content.decode()


def test_the_report_shows_the_totals_and_drills_down_to_the_rows(imported_sample, fo):
    page = fo.get(f"{Y}/").content.decode()
    assert "£179,297.03" in page  # actual to date before the training rows are allocated
    assert f"{Y}/ledger/?line=project-manager&amp;to=6" in page
    assert re.search(r'src="/budget/2019-20/chart/latest/[0-9a-f]{20}\.svg"', page)
    assert "Cumulative spend as a table" in page
    rows = fo.get(f"{Y}/ledger/?line=project-manager&to=6")
    assert rows.context["page"].paginator.count == 18
    assert sum(r.amount for r in rows.context["page"].object_list) == D("25500.00")


def test_recording_a_virement(set_up, fo, lines):
    fo.post(
        f"{Y}/virements/",
        {
            "from_line": lines["family-therapists"].pk,
            "to_line": lines["resources"].pk,
            "amount": "5000",
            "reason": "Website phase 2",
            "approved_by": "A. Director, Director of Children's Services",
            "approved_on_0": "1",
            "approved_on_1": "10",
            "approved_on_2": "2019",
        },
    )
    virement = set_up.virements.get()
    assert virement.amount == D("5000.00")
    assert virement.approved_on == dt.date(2019, 10, 1)


def test_a_profile_that_does_not_add_up_to_the_budget_is_refused(set_up, fo, lines):
    data = {f"profile_{p}": "1000" for p in range(1, 13)}
    data["version"] = lines["resources"].version
    response = fo.post(f"{Y}/lines/resources/profile/", data)
    assert "must equal the line&#x27;s budget £5,000.00" in response.content.decode()
    assert not LineMonth.objects.exists()
    data["profile_12"] = "-6000"
    fo.post(f"{Y}/lines/resources/profile/", data)
    assert LineMonth.objects.filter(line=lines["resources"]).count() == 12


def test_adding_a_post_and_a_commitment(set_up, fo, lines):
    fo.post(
        f"{Y}/lines/qa-support-officer/posts/new/",
        {
            "post_number": "P10299",
            "title": "QA Officer 2",
            "annual_cost": "39000",
            "status": "appointed",
            "start_date_0": "",
            "start_date_1": "",
            "start_date_2": "",
        },
    )
    assert not Post.objects.filter(post_number="P10299").exists()
    fo.post(
        f"{Y}/lines/qa-support-officer/posts/new/",
        {
            "post_number": "P10299",
            "title": "QA Officer 2",
            "annual_cost": "39000",
            "status": "advertised",
            "start_date_0": "1",
            "start_date_1": "1",
            "start_date_2": "2020",
        },
    )
    assert Post.objects.get(post_number="P10299").line == lines["qa-support-officer"]
    fo.post(
        f"{Y}/lines/resources/commitments/new/",
        {
            "kind": "order",
            "description": "Website phase 2",
            "reference": "PO1",
            "amount": "1500",
            "raised_on_0": "20",
            "raised_on_1": "9",
            "raised_on_2": "2019",
        },
    )
    assert Commitment.objects.get().line == lines["resources"]


def test_the_programme_manager_weighs_themes(set_up, client, programme_manager, lines):
    client.force_login(programme_manager)
    line = lines["practice-development-practitioner"]
    themes = list(line.themes.order_by("pk"))
    client.post(
        f"{Y}/lines/{line.code}/themes/",
        {f"theme_{themes[0].pk}": "3", f"theme_{themes[1].pk}": "1", "version": line.version},
    )
    assert line.theme_weights.get(theme=themes[0]).weight == D("3")


def test_carrying_the_lines_forward_into_the_next_year(set_up, fo):
    response = fo.post(f"{Y}/carry-forward/", {"confirm": "on"})
    assert response["Location"] == "/budget/2020-21/"
    new = BudgetAllocation.objects.get(start_year=2020)
    assert new.amount == D("750000.00")
    assert new.lines.count() == 9
    assert MatchingRule.objects.filter(allocation=new).count() == 14
    assert selectors.allocation_settings(new).cost_centres == "C21450"
    assert fo.post(f"{Y}/carry-forward/", {"confirm": "on"}).status_code == 200


def test_settings_change_the_rag_thresholds(set_up, fo):
    version = selectors.allocation_settings(set_up).version
    form = {"cost_centres": "C21450", "amber_percent": "3", "red_percent": "6", "version": version}
    fo.post(f"{Y}/settings/", form)
    fresh = BudgetAllocation.objects.get(pk=set_up.pk)
    assert selectors.allocation_settings(fresh).amber_percent == D("3")
    response = fo.post(f"{Y}/settings/", {**form, "amber_percent": "9", "version": version + 1})
    assert "Red must be at or above amber" in response.content.decode()


@pytest.mark.parametrize("page", ["virements/", "settings/", "carry-forward/"])
def test_a_bare_post_is_refused_with_the_error_summary_and_changes_nothing(set_up, fo, page):
    before = selectors.allocation_settings(set_up).amber_percent
    response = fo.post(f"{Y}/{page}")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not set_up.virements.exists()
    assert BudgetAllocation.objects.count() == 1
    fresh = BudgetAllocation.objects.get(pk=set_up.pk)
    assert selectors.allocation_settings(fresh).amber_percent == before


def _more_data(allocation, user, lines, n):
    rows = [
        row(ref=f"X{n}-{i}", date="15/08/2019", period="5", subjective="4800", amount="10.00")
        for i in range(n)
    ]
    batch = upload(allocation, user, csv_of(*rows))
    import_actions.ledger_import_confirm(batch=batch, actor=user)
    for queued in LedgerRow.objects.filter(reference__startswith=f"X{n}-")[: n // 2]:
        rule_actions.row_allocate(
            row=queued, splits=[(lines["resources"], queued.amount)], actor=user
        )
    for i in range(n // 10):
        line_actions.commitment_add(
            actor=user,
            line=lines["resources"],
            kind="order",
            description=f"Order {i}",
            amount=D("1.00"),
            raised_on=dt.date(2019, 9, 1),
        )


@pytest.mark.parametrize(
    "url", [f"{Y}/", f"{Y}/ledger/?line=resources", f"{Y}/queue/", f"{Y}/themes/", f"{Y}/imports/"]
)
def test_budget_pages_run_the_same_queries_at_two_data_sizes(
    url, imported_sample, fo, finance_officer, lines, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    allocation = imported_sample.allocation
    _more_data(allocation, finance_officer, lines, 20)
    fo.get(url)  # the first request of a session also touches the session and the role cache
    with CaptureQueriesContext(connection) as small:
        assert fo.get(url).status_code == 200
    _more_data(allocation, finance_officer, lines, 200)
    with django_assert_num_queries(len(small.captured_queries)):
        assert fo.get(url).status_code == 200


def test_forms_built_per_row_or_line_show_all_their_fields(
    imported_sample, client, programme_manager
):
    client.force_login(programme_manager)
    queued = LedgerRow.objects.get(reference="AP700207")
    page = client.get(f"{Y}/queue/{queued.pk}/").content.decode()
    assert 'name="line_1"' in page and 'name="amount_4"' in page
    assert "Yes: cost centre C21450 with subjective 4800 goes to this line" in page
    page = client.get(f"{Y}/lines/resources/profile/").content.decode()
    assert 'name="profile_1"' in page and 'name="forecast_12"' in page
    page = client.get(f"{Y}/lines/project-manager/themes/").content.decode()
    assert page.count('name="theme_') == 7


def _profile(**periods):
    data = {f"profile_{p}": "0" for p in range(1, 13)}
    data.update({f"profile_{p}": value for p, value in periods.items()})
    return data


def test_a_second_save_of_a_lines_profile_is_refused_and_shown_what_changed(
    set_up, fo, lines, programme_manager
):
    line = lines["resources"]
    opened_at = line.version
    line_actions.line_months_update(
        line=line,
        actor=programme_manager,
        version=opened_at,
        profile={p: D("5000.00") if p == 3 else D("0.00") for p in range(1, 13)},
        forecast={},
    )
    response = fo.post(
        f"{Y}/lines/resources/profile/", {**_profile(**{"1": "5000"}), "version": opened_at}
    )
    html = response.content.decode()
    assert "What they changed" in html and "Budget profile, period 3" in html
    assert LineMonth.objects.get(line=line, period=3).profile == D("5000.00")
    assert LineMonth.objects.get(line=line, period=1).profile == D("0.00")
    line.refresh_from_db()
    fo.post(f"{Y}/lines/resources/profile/", {**_profile(**{"1": "5000"}), "version": line.version})
    assert LineMonth.objects.get(line=line, period=1).profile == D("5000.00")


def test_a_profile_posted_without_its_version_is_refused(set_up, fo, lines):
    response = fo.post(f"{Y}/lines/resources/profile/", _profile(**{"1": "5000"}))
    assert "missing the version" in response.content.decode()
    assert not LineMonth.objects.filter(line=lines["resources"]).exists()


def test_a_second_save_of_a_post_is_refused_and_shown_what_changed(
    set_up, fo, lines, programme_manager
):
    post = Post.objects.filter(line=lines["qa-support-officer"]).first()
    opened_at = post.version
    post.status = "advertised"
    post.start_date = dt.date(2020, 2, 1)
    line_actions.post_update(
        actor=programme_manager,
        post=post,
        version=opened_at,
        post_number=post.post_number,
        title=post.title,
        annual_cost=post.annual_cost,
        status=post.status,
        start_date=post.start_date,
    )
    url = f"{Y}/lines/qa-support-officer/posts/{post.pk}/"
    mine = {
        "post_number": post.post_number,
        "title": "Renamed by the finance officer",
        "annual_cost": str(post.annual_cost),
        "status": "vacant",
        "start_date": "",
    }
    html = fo.post(url, {**mine, "version": opened_at}).content.decode()
    assert "What they changed" in html and "Advertised" in html
    post.refresh_from_db()
    assert post.status == "advertised" and post.title != "Renamed by the finance officer"
    assert "missing the version" in fo.post(url, mine).content.decode()


def test_saving_a_rule_offers_to_apply_it_to_the_rows_already_queued(fo, imported_sample):
    allocation = imported_sample.allocation
    queued = LedgerRow.objects.filter(allocation=allocation, line__isnull=True, active=True)
    assert queued.count() == 3  # the training rows no rule placed
    line = allocation.lines.get(code="family-therapists")
    response = fo.post(
        f"{Y}/rules/",
        {"kind": "coding", "cost_centre": "C21450", "subjective": "4800", "line": line.pk},
    )
    rule = MatchingRule.objects.get(subjective="4800")
    assert response["Location"] == f"{Y}/rules/{rule.pk}/apply/"
    page = fo.get(response["Location"]).content.decode()
    assert "It matches <strong>3 rows</strong>" in page
    assert "Apply to 3 rows" in page
    fo.post(f"{Y}/rules/{rule.pk}/apply/")
    assert not queued.filter(allocations__isnull=True).exists()
    assert RowAllocation.objects.filter(line=line).count() == 3
    # Applying again finds nothing left to place.
    page = fo.get(f"{Y}/rules/{rule.pk}/apply/").content.decode()
    assert "No row waiting in the allocation queue matches it." in page


def test_a_rule_no_queued_row_matches_is_just_saved(fo, imported_sample):
    line = imported_sample.allocation.lines.get(code="resources")
    response = fo.post(
        f"{Y}/rules/",
        {"kind": "coding", "cost_centre": "C21450", "subjective": "9999", "line": line.pk},
    )
    assert response["Location"] == f"{Y}/rules/"
    assert "No row in the queue matches it" in fo.get(response["Location"]).content.decode()


@pytest.mark.parametrize("path", ["ledger/?", "ledger/?line=resources&", "queue/?"])
def test_a_page_number_beyond_the_list_is_not_found(imported_sample, fo, path):
    assert fo.get(f"{Y}/{path}page=1").status_code == 200
    for beyond in ("999", "0", "x", "99999999999999999999999"):
        assert fo.get(f"{Y}/{path}page={beyond}").status_code == 404, beyond
