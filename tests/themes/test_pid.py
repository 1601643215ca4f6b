"""The project initiation document: draft, submit, approve or return, numbered versions."""

import pytest

from themes import selectors
from themes.actions.pid import pid_approve, pid_fingerprint, pid_submit, pid_update
from themes.models import PID, PIDVersion

from .factories import MeasureFactory

pytestmark = pytest.mark.django_db


def _pid_post(pid, **extra):
    data = {f: getattr(pid, f) for f in PID.TEXT_FIELDS}
    return {**data, "version": pid.version, **extra}


def test_a_lead_drafts_and_submits_the_pid_and_the_programme_manager_approves_it(
    client, lead, programme_manager, theme
):
    MeasureFactory(theme=theme, name="Supervision within timescale")
    client.force_login(lead)
    pid = selectors.pid_for_reading(theme)
    client.post("/themes/supervision/pid/edit/", _pid_post(pid, aims="Better supervision"))
    pid.refresh_from_db()
    client.post("/themes/supervision/pid/submit/", {"version": pid.version})
    pid.refresh_from_db()
    assert pid.status == PID.Status.SUBMITTED
    # While it waits, the lead cannot change it.
    assert client.get("/themes/supervision/pid/edit/").status_code == 302

    client.force_login(programme_manager)
    client.post(
        "/themes/supervision/pid/review/",
        {
            "decision": "approve",
            "comments": "",
            "version": pid.version,
            "fingerprint": pid_fingerprint(pid),
        },
    )
    version = PIDVersion.objects.get()
    assert version.number == 1 and version.aims == "Better supervision"
    assert version.approved_by == programme_manager and version.submitted_by == lead
    assert version.snapshot["measures"][0]["name"] == "Supervision within timescale"
    pid.refresh_from_db()
    assert pid.status == PID.Status.APPROVED


def test_editing_an_approved_pid_makes_a_new_draft_and_the_next_approval_is_version_2(
    lead, programme_manager, theme
):
    pid = selectors.pid_for_reading(theme)
    pid = pid_update(pid=pid, actor=lead, version=pid.version, aims="First")
    pid = pid_submit(pid=pid, actor=lead, version=pid.version)
    pid_approve(
        pid=pid,
        actor=programme_manager,
        version=pid.version,
        fingerprint=pid_fingerprint(pid),
    )
    pid.refresh_from_db()
    pid = pid_update(pid=pid, actor=lead, version=pid.version, aims="Second")
    assert pid.status == PID.Status.DRAFT
    assert PIDVersion.objects.get(number=1).aims == "First"  # the approved one is untouched
    pid = pid_submit(pid=pid, actor=lead, version=pid.version)
    pid_approve(
        pid=pid,
        actor=programme_manager,
        version=pid.version,
        fingerprint=pid_fingerprint(pid),
    )
    assert list(PIDVersion.objects.order_by("number").values_list("aims", flat=True)) == [
        "First",
        "Second",
    ]


def test_returning_a_pid_needs_comments_and_the_lead_sees_them(
    client, lead, programme_manager, theme
):
    pid = selectors.pid_for_reading(theme)
    pid = pid_update(pid=pid, actor=lead, version=pid.version, aims="Aims")
    pid = pid_submit(pid=pid, actor=lead, version=pid.version)
    client.force_login(programme_manager)
    html = client.post(
        "/themes/supervision/pid/review/",
        {"decision": "return", "comments": "", "version": pid.version},
    ).content.decode()
    assert "Say what needs to change before it can be approved" in html
    pid.refresh_from_db()
    assert pid.status == PID.Status.SUBMITTED  # nothing changed
    client.post(
        "/themes/supervision/pid/review/",
        {
            "decision": "return",
            "comments": "Add the police as a partner",
            "version": pid.version,
            "fingerprint": pid_fingerprint(pid),
        },
    )
    pid.refresh_from_db()
    assert pid.status == PID.Status.RETURNED
    assert pid.review_comments == "Add the police as a partner"
    assert not PIDVersion.objects.exists()
    client.force_login(lead)
    assert "Add the police as a partner" in client.get("/themes/supervision/").content.decode()


def test_a_pid_without_aims_cannot_be_submitted(client, lead, theme):
    PID.objects.filter(theme=theme).update(aims="")  # the plan's aims, cleared
    client.force_login(lead)
    pid = selectors.pid_for_reading(theme)
    html = client.post("/themes/supervision/pid/submit/", {"version": pid.version}).content.decode()
    assert "Write the theme&#x27;s aims before submitting the PID" in html
    assert selectors.pid_for_reading(theme).status == PID.Status.DRAFT


def test_anyone_can_read_and_compare_earlier_versions(
    client, lead, programme_manager, board_member, theme
):
    pid = selectors.pid_for_reading(theme)
    for aims in ("Old aims", "New aims"):
        pid.refresh_from_db()
        pid = pid_update(pid=pid, actor=lead, version=pid.version, aims=aims)
        pid = pid_submit(pid=pid, actor=lead, version=pid.version)
        pid_approve(
            pid=pid,
            actor=programme_manager,
            version=pid.version,
            fingerprint=pid_fingerprint(pid),
        )
    client.force_login(board_member)
    assert "Old aims" in client.get("/themes/supervision/pid/versions/1/").content.decode()
    html = client.get("/themes/supervision/pid/compare/?from=1&to=2").content.decode()
    assert "Removed: </span>− Old aims" in html
    assert "Added: </span>+ New aims" in html
    assert client.get("/themes/supervision/pid/versions/9/").status_code == 404
    assert client.get("/themes/supervision/pid/compare/?from=9&to=2").status_code == 404
