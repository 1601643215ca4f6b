"""Who reads and writes what, for every role: the programme manager edits; the sign-off person
signs off; board members and the auditor read signed-off versions; project leads read the
sections for their themes; everyone else is refused."""

import pytest
from django.urls import reverse

from selfevaluation.actions import review as review_actions


@pytest.fixture
def signed_off(programme_manager, signer, self_evaluation):
    self_evaluation.refresh_from_db()
    review_actions.self_evaluation_submit(
        actor=programme_manager, self_evaluation=self_evaluation, version=self_evaluation.version
    )
    self_evaluation.refresh_from_db()
    return review_actions.self_evaluation_sign_off(
        actor=signer, self_evaluation=self_evaluation, version=self_evaluation.version
    )


def _status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


DRAFT_PAGES = {
    # role: (whole draft, leaders' section, edit page)
    "programme_manager": (200, 200, 200),
    "signer": (200, 200, 403),
    "board_member": (403, 403, 403),
    "auditor": (403, 403, 403),
    "lead": (403, 200, 403),  # Supervision answers the impact of leaders
    "other_lead": (403, 403, 403),
    "finance_officer": (403, 403, 403),
    "team_member": (403, 403, 403),
    "no_role_user": (403, 403, 403),
}


@pytest.mark.parametrize("role", sorted(DRAFT_PAGES))
def test_a_draft_is_read_by_whom_it_concerns(client, request, role, self_evaluation, leaders):
    user = request.getfixturevalue(role)
    section = self_evaluation.sections.get(area=leaders)
    urls = (
        self_evaluation.get_absolute_url(),
        reverse("selfevaluation:section", args=[section.pk]),
        reverse("selfevaluation:section_edit", args=[section.pk]),
    )
    assert tuple(_status(client, user, url) for url in urls) == DRAFT_PAGES[role]


SIGNED_READERS = {
    "programme_manager": 200,
    "signer": 200,
    "board_member": 200,
    "auditor": 200,
    "lead": 403,
    "finance_officer": 403,
    "team_member": 403,
    "no_role_user": 403,
}


@pytest.mark.parametrize("role", sorted(SIGNED_READERS))
def test_signed_off_versions_are_read_by_the_board_and_the_auditor(
    client, request, role, signed_off
):
    user = request.getfixturevalue(role)
    for url in (
        signed_off.get_absolute_url(),
        reverse("selfevaluation:version_docx", args=[signed_off.pk]),
        signed_off.self_evaluation.get_absolute_url(),
    ):
        assert _status(client, user, url) == SIGNED_READERS[role], url


def test_a_version_submitted_for_review_is_not_for_the_board(
    client, programme_manager, board_member, auditor, self_evaluation
):
    self_evaluation.refresh_from_db()
    version = review_actions.self_evaluation_submit(
        actor=programme_manager, self_evaluation=self_evaluation, version=self_evaluation.version
    )
    for reader in (board_member, auditor):
        assert _status(client, reader, version.get_absolute_url()) == 403


@pytest.mark.parametrize(
    ("role", "expected"),
    [("programme_manager", 200), ("signer", 403), ("board_member", 403), ("lead", 403)],
)
def test_only_the_programme_manager_starts_or_grants(client, request, role, expected, signer):
    user = request.getfixturevalue(role)
    assert _status(client, user, reverse("selfevaluation:start")) == expected
    assert _status(client, user, reverse("selfevaluation:grants")) == expected


def test_the_index_lists_only_what_each_person_reads(
    client, programme_manager, board_member, lead, self_evaluation
):
    client.force_login(board_member)
    assert "2026/27" not in client.get(reverse("selfevaluation:index")).content.decode()
    client.force_login(lead)
    page = client.get(reverse("selfevaluation:index")).content.decode()
    assert "The sections for your themes" in page and "The impact of leaders" in page
    client.force_login(programme_manager)
    assert "2026/27" in client.get(reverse("selfevaluation:index")).content.decode()


def test_withdrawing_a_permission_that_is_not_there_says_so(client, programme_manager, signer):
    client.force_login(programme_manager)
    for value in ("abc", "99999", "²"):
        response = client.post(reverse("selfevaluation:grants"), {"withdraw": value}, follow=True)
        assert "already been withdrawn" in response.content.decode()
    grant = signer.sign_off_grants.get()
    client.post(reverse("selfevaluation:grants"), {"withdraw": str(grant.pk)})
    assert not signer.sign_off_grants.exists()
