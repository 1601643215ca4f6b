"""Every role against every evaluation address, GET and POST: who reads, who changes, who is
turned away. POSTs carry no data, so an allowed POST is a form sent back with its errors (200)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.actions import feedback as feedback_actions
from evaluation.actions import findings
from evaluation.models import ActivityKind, Finding
from tests.evaluation.factories import ActivityFactory, days_ago, strand

pytestmark = pytest.mark.django_db

READERS = {
    "programme_manager",
    "finance_officer",
    "board_member",
    "auditor",
    "lead",
    "other_lead",
    "team_member",
}
USERS = [*sorted(READERS), "no_role_user", "anonymous"]


@pytest.fixture
def objects(programme, audit, audit_result, finding, visit, recommendation, programme_manager):
    survey = ActivityFactory(
        programme=programme,
        strand=strand(programme, "staff-feedback"),
        kind=ActivityKind.STAFF_FEEDBACK,
    )
    feedback_actions.feedback_save(
        activity=survey, actor=programme_manager, responses=10, key_messages="Fine"
    )
    findings.finding_update(
        finding=finding,
        version=finding.version,
        actor=programme_manager,
        response=Finding.Response.ACCEPTED,
        action_owner="PSW",
        action_due=days_ago(-10),
    )
    evidence = findings.finding_evidence_add(
        finding=finding,
        upload=SimpleUploadedFile("audit-summary.pdf", b"%PDF-1.4 test", "application/pdf"),
        name="Audit summary",
        actor=programme_manager,
    )
    return {
        "audit": audit.pk,
        "survey": survey.pk,
        "result": audit_result.pk,
        "finding": finding.pk,
        "evidence": evidence.pk,
        "visit": visit.pk,
        "recommendation": recommendation.pk,
    }


# (URL name, kwargs from objects, who may GET, who may POST; "read" = every role)
PM = {"programme_manager"}
FINDING_EDITORS = {"programme_manager", "lead"}
FINDING_ADDERS = {"programme_manager", "lead", "other_lead"}
PAGES = [
    ("evaluation:index", {}, "read"),
    ("evaluation:readiness", {}, "read"),
    ("evaluation:inspection_list", {}, "read"),
    ("evaluation:activity_detail", {"pk": "audit"}, "read"),
    ("evaluation:inspection_detail", {"pk": "visit"}, "read"),
    ("evaluation:theme_evidence", {"slug": "supervision"}, "read"),
    ("evaluation:evidence_download", {"pk": "evidence"}, "read"),
    ("evaluation:activity_create", {}, PM),
    ("evaluation:activity_edit", {"pk": "audit"}, PM),
    ("evaluation:audit_create", {"pk": "audit"}, PM),
    ("evaluation:audit_edit", {"pk": "result"}, PM),
    ("evaluation:feedback_edit", {"pk": "survey"}, PM),
    ("evaluation:survey_import", {"pk": "survey"}, PM),
    ("evaluation:inspection_create", {}, PM),
    ("evaluation:inspection_edit", {"pk": "visit"}, PM),
    ("evaluation:recommendation_create", {"pk": "visit"}, PM),
    ("evaluation:recommendation_edit", {"pk": "recommendation"}, PM),
    ("evaluation:finding_create", {"pk": "audit"}, FINDING_ADDERS),
    ("evaluation:finding_edit", {"pk": "finding"}, FINDING_EDITORS),
    ("evaluation:evidence_add", {"pk": "finding"}, FINDING_EDITORS),
    ("evaluation:finding_milestone", {"pk": "finding"}, FINDING_EDITORS),
    ("evaluation:finding_risk", {"pk": "finding"}, FINDING_EDITORS),
]


def _client(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


def _url(name, kwargs, objects):
    return reverse(name, kwargs={k: objects.get(v, v) for k, v in kwargs.items()})


def _expected(method, who, allowed):
    if method == "post" and allowed == "read":
        return 405  # read-only pages take no POST from anyone
    if who == "anonymous":
        return 302  # to the sign-in page
    may = READERS if allowed == "read" else allowed
    if who not in may:
        return 403
    return 200  # an allowed POST: the empty form comes back with its errors


# One test per role and method, each walking every page (loading the programme once per test
# keeps the matrix fast); a failure lists every page that answered wrongly.
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", USERS)
def test_each_role_is_allowed_or_turned_away_on_every_page(client, request, objects, who, method):
    client = _client(client, request, who)
    wrong = []
    for name, kwargs, allowed in PAGES:
        url = _url(name, kwargs, objects)
        response = client.get(url) if method == "get" else client.post(url, {})
        expected = _expected(method, who, allowed)
        if response.status_code != expected:
            wrong.append(f"{method.upper()} {url}: {response.status_code}, expected {expected}")
        elif expected == 302:
            assert "/accounts/login/" in response.url
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    "name",
    ["evaluation:activity_detail", "evaluation:activity_edit", "evaluation:finding_edit"],
)
def test_a_missing_record_is_a_404_not_a_403(client, programme_manager, name):
    client.force_login(programme_manager)
    assert client.get(reverse(name, kwargs={"pk": 999999})).status_code == 404


def test_the_baseline_cannot_be_edited_in_the_app(client, programme, programme_manager):
    client.force_login(programme_manager)
    baseline = programme.inspections.get(is_baseline=True)
    response = client.get(reverse("evaluation:inspection_edit", kwargs={"pk": baseline.pk}))
    assert response.status_code == 403


def test_a_lead_sees_change_links_only_on_their_own_themes_findings(
    client, lead, finding, other_finding
):
    client.force_login(lead)
    page = client.get(reverse("evaluation:activity_detail", kwargs={"pk": finding.activity_id}))
    html = page.content.decode()
    assert reverse("evaluation:finding_edit", kwargs={"pk": finding.pk}) in html
    assert reverse("evaluation:finding_edit", kwargs={"pk": other_finding.pk}) not in html
    assert reverse("evaluation:activity_edit", kwargs={"pk": finding.activity_id}) not in html


def test_a_board_member_sees_no_buttons_to_change_anything(client, board_member, audit):
    client.force_login(board_member)
    html = client.get(reverse("evaluation:activity_detail", kwargs={"pk": audit.pk})).content
    assert b"Record audit grades" not in html and b"Record a finding" not in html


def test_finding_evidence_is_stored_under_the_extension_of_its_content(objects):
    from evaluation.models import FindingEvidence

    evidence = FindingEvidence.objects.get(pk=objects["evidence"])
    assert evidence.file.name.endswith("/audit-summary.pdf")
    disguised = findings.finding_evidence_add(
        finding=evidence.finding,
        upload=SimpleUploadedFile("survey.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        name="Survey chart",
        actor=evidence.uploaded_by,
    )
    assert disguised.file.name.endswith("/survey.png")
