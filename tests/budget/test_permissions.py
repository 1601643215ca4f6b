"""Every budget address against every role: finance officers and the programme manager change
budget data; leads, team members and board members read the report (line totals); auditors read
everything, the ledger rows behind the figures included."""

import pytest

from budget.actions import lines as line_actions
from budget.actions import periods as period_actions
from budget.models import LedgerRow, Post

pytestmark = pytest.mark.django_db

EDITORS = {"programme_manager", "finance_officer"}
RECORD_READERS = EDITORS | {"auditor"}
READERS = RECORD_READERS | {"board_member", "lead", "team_member"}
ROLES = sorted(READERS | {"no_role_user"})


@pytest.fixture
def urls(imported_sample, finance_officer, lines):
    allocation = imported_sample.allocation
    period_actions.period_close(allocation=allocation, period=1, actor=finance_officer)
    queued = LedgerRow.objects.filter(line__isnull=True).first()
    post = Post.objects.filter(line=lines["project-manager"]).first()
    commitment = line_actions.commitment_add(
        actor=finance_officer,
        line=lines["resources"],
        kind="order",
        description="x",
        amount=1,
        raised_on="2019-09-01",
    )
    y = "/budget/2019-20"
    b = imported_sample.pk
    return {
        "read": [
            "/budget/",
            f"{y}/",
            f"{y}/report.xlsx",
            f"{y}/report.csv",
            f"{y}/periods/",
            f"{y}/virements/",
            f"{y}/themes/",
            f"{y}/lines/project-manager/",
        ],
        "records": [
            f"{y}/ledger/",
            f"{y}/ledger/?line=project-manager&to=6",
            f"{y}/ledger/?queue=1",
            f"{y}/ledger.xlsx",
            f"{y}/ledger.xlsx?queue=1",
            f"{y}/ledger.csv",
            f"{y}/ledger.csv?queue=1",
            f"{y}/ledger.csv?line=project-manager&period=2",
            f"{y}/imports/",
            f"{y}/imports/{b}/",
            f"{y}/imports/{b}/file/",
            f"{y}/queue/",
            f"{y}/rules/",
        ],
        "edit": [
            f"{y}/queue/{queued.pk}/",
            f"{y}/imports/{b}/reverse/",
            f"{y}/periods/2/close/",
            f"{y}/settings/",
            f"{y}/carry-forward/",
            f"{y}/lines/project-manager/profile/",
            f"{y}/lines/project-manager/posts/new/",
            f"{y}/lines/project-manager/posts/{post.pk}/",
            f"{y}/lines/resources/commitments/new/",
            f"{y}/lines/resources/commitments/{commitment.pk}/",
        ],
        "manage": [f"{y}/periods/1/reopen/", f"{y}/lines/project-manager/themes/"],
        "post": [
            f"{y}/imports/",
            f"{y}/imports/{b}/confirm/",
            f"{y}/imports/{b}/cancel/",
            f"{y}/imports/{b}/reverse/",
            f"{y}/queue/{queued.pk}/",
            f"{y}/rules/",
            f"{y}/rules/{post.pk}/delete/",
            f"{y}/periods/2/close/",
            f"{y}/periods/1/reopen/",
            f"{y}/virements/",
            f"{y}/settings/",
            f"{y}/carry-forward/",
            f"{y}/lines/project-manager/profile/",
            f"{y}/lines/project-manager/themes/",
            f"{y}/lines/project-manager/posts/new/",
            f"{y}/lines/resources/commitments/new/",
        ],
    }


def _expected(kind, role):
    allowed = {
        "read": READERS,
        "records": RECORD_READERS,
        "edit": EDITORS,
        "manage": {"programme_manager"},
    }[kind]
    return 200 if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_only_the_budget_pages_it_may(role, urls, client, request):
    client.force_login(request.getfixturevalue(role))
    got = {}
    want = {}
    for kind in ["read", "records", "edit", "manage"]:
        for url in urls[kind]:
            got[url] = client.get(url).status_code
            want[url] = _expected(kind, role)
    assert got == want


@pytest.mark.parametrize("role", sorted(set(ROLES) - EDITORS))
def test_roles_that_only_read_cannot_change_anything(role, urls, client, request):
    client.force_login(request.getfixturevalue(role))
    rows_before = LedgerRow.objects.filter(active=True).count()
    got = {url: client.post(url, {"reason": "x", "period": 2}).status_code for url in urls["post"]}
    assert got == dict.fromkeys(urls["post"], 403)
    assert LedgerRow.objects.filter(active=True).count() == rows_before


def test_a_finance_officer_cannot_reopen_a_period_or_weigh_themes(urls, client, finance_officer):
    client.force_login(finance_officer)
    assert client.post("/budget/2019-20/periods/1/reopen/", {"reason": "x"}).status_code == 403
    assert client.post("/budget/2019-20/lines/project-manager/themes/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(urls, client):
    for url in urls["read"] + urls["records"] + urls["edit"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")


def test_a_year_without_a_budget_is_not_found(programme, client, finance_officer):
    client.force_login(finance_officer)
    assert client.get("/budget/2030-31/").status_code == 404
    assert client.get("/budget/2019-21/").status_code == 404
    assert client.get("/budget/2019-20/lines/nope/").status_code == 404


def test_read_only_pages_refuse_a_post_whoever_asks(urls, client, programme_manager):
    client.force_login(programme_manager)
    forms = ("/virements/", "/imports/", "/rules/")
    read_only = [u for u in urls["read"] + urls["records"] if not u.endswith(forms)]
    assert len(read_only) == 18
    assert {u: client.post(u).status_code for u in read_only} == dict.fromkeys(read_only, 405)
