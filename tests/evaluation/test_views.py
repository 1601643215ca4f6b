import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.actions import audits, findings
from evaluation.actions import feedback as feedback_actions
from evaluation.models import (
    ActivityKind,
    AuditResult,
    EvaluationActivity,
    Finding,
    Inspection,
    Recommendation,
)
from tests.evaluation.factories import ActivityFactory, days_ago, strand
from themes.models import MeasureReading, Milestone

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _activity_post(programme, **overrides):
    data = {
        "title": "Peer review of supervision",
        "strand": strand(programme, "peer-reviews").pk,
        "kind": ActivityKind.PEER_REVIEW,
        "lead_name": "Assistant Director",
        "partner_authorities": "London Borough of Redbridge",
        **_date("start_date", days_ago(-14)),
    }
    data.update(overrides)
    return data


def test_the_programme_manager_plans_a_peer_review_and_sees_it_in_its_quarter(
    client, programme, theme, programme_manager
):
    client.force_login(programme_manager)
    data = _activity_post(programme, themes=[theme.pk])
    response = client.post(reverse("evaluation:activity_create"), data)
    activity = EvaluationActivity.objects.get(title="Peer review of supervision")
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    assert activity.partners == ["London Borough of Redbridge"]
    page = client.get(reverse("evaluation:index")).content.decode()
    assert "Peer review of supervision" in page
    assert "Quarter " in page and "Due" in page


def test_a_peer_review_with_no_partner_is_refused_with_a_clear_message(
    client, programme, programme_manager
):
    client.force_login(programme_manager)
    response = client.post(
        reverse("evaluation:activity_create"),
        _activity_post(programme, partner_authorities=""),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter at least one partner local authority" in html
    assert not EvaluationActivity.objects.exists()


def test_a_bare_post_of_an_activity_is_refused_not_taken_for_a_first_visit(
    client, programme, programme_manager
):
    client.force_login(programme_manager)
    response = client.post(reverse("evaluation:activity_create"))
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not EvaluationActivity.objects.exists()


def test_a_completed_activity_dated_in_the_future_is_refused_with_a_clear_message(
    client, programme, programme_manager
):
    client.force_login(programme_manager)
    data = _activity_post(programme, **_date("completed_on", days_ago(-20)))
    data.update(_date("start_date", days_ago(3)))
    response = client.post(reverse("evaluation:activity_create"), data)
    assert response.status_code == 200
    assert "an activity cannot be completed in the future" in response.content.decode()


def test_a_date_that_does_not_exist_is_refused(client, programme, programme_manager):
    client.force_login(programme_manager)
    data = _activity_post(programme, start_date_0="31", start_date_1="2", start_date_2="2026")
    response = client.post(reverse("evaluation:activity_create"), data)
    assert response.status_code == 200
    assert "Start date must be a real date" in response.content.decode()


def _grades_post(theme, day, **overrides):
    data = {
        "theme": theme.pk,
        "cases_audited": 10,
        "outstanding": 1,
        "good": 6,
        "requires_improvement": 2,
        "inadequate": 1,
        **_date("date", day),
    }
    data.update(overrides)
    return data


def test_more_grades_than_cases_is_refused_on_the_form(client, audit, theme, programme_manager):
    client.force_login(programme_manager)
    response = client.post(
        reverse("evaluation:audit_create", kwargs={"pk": audit.pk}),
        _grades_post(theme, days_ago(2), cases_audited=5),
    )
    assert response.status_code == 200
    assert (
        "The grades add up to 10, which is more than the 5 cases audited"
        in response.content.decode()
    )
    assert not AuditResult.objects.exists()


def test_grades_left_blank_count_as_none_in_that_grade(client, audit, theme, programme_manager):
    client.force_login(programme_manager)
    data = _grades_post(theme, days_ago(2), cases_audited=4, good=4, outstanding="")
    data.update(requires_improvement="", inadequate="")
    response = client.post(reverse("evaluation:audit_create", kwargs={"pk": audit.pk}), data)
    assert response.status_code == 302
    assert AuditResult.objects.get().percent_good_or_better == 100


def test_recording_an_audit_with_a_measure_adds_a_reading_and_compares_with_the_last_audit(
    client, programme, audit, theme, measure, programme_manager
):
    earlier = ActivityFactory(programme=programme, title="Spring audit", themes=[theme])
    audits.audit_result_record(
        activity=earlier,
        theme=theme,
        actor=programme_manager,
        date=days_ago(100),
        cases_audited=10,
        good=6,
        inadequate=4,
    )
    client.force_login(programme_manager)
    response = client.post(
        reverse("evaluation:audit_create", kwargs={"pk": audit.pk}),
        _grades_post(theme, days_ago(2), measure=measure.pk),
        follow=True,
    )
    html = response.content.decode()
    assert "70.0% of cases were good or better" in html
    assert "Up 10.0 points from 60.0%" in html
    reading = MeasureReading.objects.get(measure=measure)
    assert reading.value == 70
    evidence = client.get(reverse("evaluation:theme_evidence", kwargs={"slug": theme.slug}))
    assert "QA audit: Supervision audit" in evidence.content.decode()


def test_an_audit_cannot_record_the_same_theme_twice(
    client, audit, theme, audit_result, programme_manager
):
    client.force_login(programme_manager)
    response = client.post(
        reverse("evaluation:audit_create", kwargs={"pk": audit.pk}),
        _grades_post(theme, days_ago(2)),
    )
    assert response.status_code == 200
    assert "This audit already has grades for Supervision" in response.content.decode()


def test_a_measure_of_another_theme_is_refused_on_the_form(
    client, audit, theme, other_theme, programme_manager
):
    from tests.themes.factories import MeasureFactory

    elsewhere = MeasureFactory(theme=other_theme)
    client.force_login(programme_manager)
    response = client.post(
        reverse("evaluation:audit_create", kwargs={"pk": audit.pk}),
        _grades_post(theme, days_ago(2), measure=elsewhere.pk),
    )
    assert response.status_code == 200
    assert "Select a measure of the Supervision theme" in response.content.decode()


def test_a_bad_survey_file_shows_which_rows_and_columns_are_wrong(
    client, programme, programme_manager
):
    survey = ActivityFactory(
        programme=programme,
        strand=strand(programme, "staff-feedback"),
        kind=ActivityKind.STAFF_FEEDBACK,
    )
    feedback_actions.feedback_save(
        activity=survey, actor=programme_manager, responses=5, key_messages="x"
    )
    client.force_login(programme_manager)
    upload = SimpleUploadedFile("s.csv", b"question,score\nMorale,lots\n", "text/csv")
    response = client.post(
        reverse("evaluation:survey_import", kwargs={"pk": survey.pk}), {"file": upload}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Row 2, column score: “lots” is not a number." in html
    assert "The file was not imported. Nothing has changed." in html


def test_a_lead_records_a_finding_on_their_theme_and_accepts_it(client, audit, theme, lead):
    client.force_login(lead)
    data = {
        "kind": Finding.Kind.AREA_FOR_IMPROVEMENT,
        "title": "Supervision records are thin",
        "themes": [theme.pk],
        "response": Finding.Response.ACCEPTED,
        "response_note": "Templates",
        "action_owner": "Team managers",
        **_date("recorded_on", days_ago(1)),
        **_date("action_due", days_ago(-30)),
    }
    response = client.post(reverse("evaluation:finding_create", kwargs={"pk": audit.pk}), data)
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.history.latest().history_user == lead
    response = client.post(
        reverse("evaluation:finding_milestone", kwargs={"pk": finding.pk}), {"theme": theme.pk}
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert (milestone.theme, milestone.owner) == (theme, "Team managers")


def test_a_lead_cannot_record_a_finding_only_on_someone_elses_theme(
    client, audit, other_theme, lead
):
    client.force_login(lead)
    data = {
        "kind": Finding.Kind.STRENGTH,
        "title": "Good QA",
        "themes": [other_theme.pk],
        "response": Finding.Response.AWAITING,
        **_date("recorded_on", days_ago(1)),
    }
    response = client.post(reverse("evaluation:finding_create", kwargs={"pk": audit.pk}), data)
    assert response.status_code == 200
    assert "Select at least one theme you lead." in response.content.decode()


def test_an_accepted_finding_without_an_owner_is_refused(client, finding, theme, lead):
    client.force_login(lead)
    data = {
        "kind": finding.kind,
        "title": finding.title,
        "themes": [theme.pk],
        "response": Finding.Response.ACCEPTED,
        "version": finding.version,
        **_date("recorded_on", days_ago(1)),
    }
    response = client.post(reverse("evaluation:finding_edit", kwargs={"pk": finding.pk}), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter who owns the action" in html and "Enter when the action is due" in html


def test_evidence_is_uploaded_and_downloaded_but_not_a_disguised_file(
    client, finding, lead, board_member
):
    client.force_login(lead)
    url = reverse("evaluation:evidence_add", kwargs={"pk": finding.pk})
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(url, {"file": fake})
    assert response.status_code == 200
    assert "must be a PDF" in response.content.decode()
    real = SimpleUploadedFile("report.pdf", b"%PDF-1.4 report", "application/pdf")
    assert client.post(url, {"file": real, "name": "Audit report"}).status_code == 302
    evidence = finding.evidence.get()
    client.force_login(board_member)
    download = client.get(reverse("evaluation:evidence_download", kwargs={"pk": evidence.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 report"


def test_the_programme_manager_records_a_monitoring_visit_and_maps_its_recommendation(
    client, programme, theme, programme_manager
):
    client.force_login(programme_manager)
    data = {
        "kind": Inspection.Kind.MONITORING_VISIT,
        "title": "Monitoring visit",
        "inspector": "Ofsted",
        "grade_help-and-protection": "good",
        **_date("start_date", days_ago(5)),
    }
    response = client.post(reverse("evaluation:inspection_create"), data)
    assert response.status_code == 302
    visit = Inspection.objects.get(title="Monitoring visit")
    response = client.post(
        reverse("evaluation:recommendation_create", kwargs={"pk": visit.pk}),
        {"text": "Strengthen supervision", "themes": [theme.pk], "status": "open"},
    )
    assert response.status_code == 302
    assert list(Recommendation.objects.get().themes.all()) == [theme]
    page = client.get(reverse("evaluation:readiness")).content.decode()
    assert "Monitoring visit" in page


def test_a_recommendation_must_be_mapped_to_a_theme(client, visit, programme_manager):
    client.force_login(programme_manager)
    response = client.post(
        reverse("evaluation:recommendation_create", kwargs={"pk": visit.pk}),
        {"text": "Unmapped", "status": "open"},
    )
    assert response.status_code == 200
    assert "Select the themes that answer it" in response.content.decode()


def test_importing_over_existing_scores_asks_for_confirmation_first(
    client, programme, programme_manager
):
    survey = ActivityFactory(
        programme=programme,
        strand=strand(programme, "staff-feedback"),
        kind=ActivityKind.STAFF_FEEDBACK,
    )
    feedback = feedback_actions.feedback_save(
        activity=survey, actor=programme_manager, responses=5, key_messages="x"
    )
    feedback_actions.survey_scores_import(
        feedback=feedback,
        upload=SimpleUploadedFile("a.csv", b"question,score\nOld,3\n", "text/csv"),
        actor=programme_manager,
    )
    client.force_login(programme_manager)
    url = reverse("evaluation:survey_import", kwargs={"pk": survey.pk})
    new = b"question,score\nNew,4\nNewer,5\n"
    response = client.post(url, {"file": SimpleUploadedFile("b.csv", new, "text/csv")})
    assert response.status_code == 200
    assert "Confirm that the file replaces the scores" in response.content.decode()
    assert list(feedback.scores.values_list("question", flat=True)) == ["Old"]
    response = client.post(
        url, {"file": SimpleUploadedFile("b.csv", new, "text/csv"), "replace": "on"}
    )
    assert response.status_code == 302
    assert list(feedback.scores.values_list("question", flat=True)) == ["New", "Newer"]


def test_a_lead_cannot_take_another_leads_theme_off_a_shared_finding(
    client, audit, theme, other_theme, lead, other_lead, programme_manager
):
    shared = findings.finding_create(
        activity=audit,
        actor=programme_manager,
        themes=[theme, other_theme],
        kind=Finding.Kind.STRENGTH,
        title="Shared",
        recorded_on=days_ago(3),
    )
    client.force_login(lead)
    data = {
        "kind": Finding.Kind.STRENGTH,
        "title": "Shared",
        "themes": [theme.pk],
        "response": Finding.Response.AWAITING,
        **_date("recorded_on", days_ago(3)),
    }
    data["version"] = shared.version
    response = client.post(reverse("evaluation:finding_edit", kwargs={"pk": shared.pk}), data)
    assert response.status_code == 200
    assert "Keep Quality Assurance" in response.content.decode()
    assert set(shared.themes.all()) == {theme, other_theme}


def test_the_theme_page_carries_the_evaluation_evidence_tab(
    client, programme, audit, audit_result, theme, board_member
):
    client.force_login(board_member)
    html = client.get(reverse("themes:detail", kwargs={"slug": theme.slug})).content.decode()
    assert f'href="/themes/{theme.slug}/evaluation-evidence/"' in html
    html = client.get(
        reverse("themes:section", kwargs={"slug": theme.slug, "section": "evaluation-evidence"})
    ).content.decode()
    assert 'id="evaluation-evidence"' in html
    assert "Evidence for Supervision" in html and "Supervision audit" in html


def _response_post(finding, theme, **extra):
    return {
        "kind": finding.kind,
        "title": finding.title,
        "themes": [theme.pk],
        "response": Finding.Response.ACCEPTED,
        "response_note": "Lead's plan",
        "action_owner": "Lead",
        **_date("recorded_on", days_ago(1)),
        **_date("action_due", days_ago(-20)),
        **extra,
    }


def test_a_second_save_of_a_findings_response_is_refused_and_shown_what_changed(
    client, finding, theme, lead, programme_manager
):
    opened_at = finding.version
    findings.finding_update(
        finding=finding,
        actor=programme_manager,
        version=opened_at,
        response=Finding.Response.ACCEPTED,
        response_note="Manager's plan",
        action_owner="Principal social worker",
        action_due=days_ago(-30),
    )
    client.force_login(lead)
    url = reverse("evaluation:finding_edit", kwargs={"pk": finding.pk})
    response = client.post(url, _response_post(finding, theme, version=opened_at))
    html = response.content.decode()
    assert response.status_code == 200
    assert "What they changed" in html and "Manager&#x27;s plan" in html
    finding.refresh_from_db()
    assert finding.response_note == "Manager's plan"  # nothing silently overwritten
    # The form now carries the latest version: a second, informed save goes through.
    assert (
        client.post(url, _response_post(finding, theme, version=finding.version)).status_code == 302
    )
    finding.refresh_from_db()
    assert finding.response_note == "Lead's plan"


def test_a_finding_edit_posted_without_its_version_is_refused(client, finding, theme, lead):
    client.force_login(lead)
    url = reverse("evaluation:finding_edit", kwargs={"pk": finding.pk})
    response = client.post(url, _response_post(finding, theme))
    assert response.status_code == 200
    assert "missing the version" in response.content.decode()
    finding.refresh_from_db()
    assert finding.response_note != "Lead's plan"
