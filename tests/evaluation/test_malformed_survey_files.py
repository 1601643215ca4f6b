"""A survey-score file that is wrong in any of the ways a file can be wrong is refused with
each problem by row and column, as the ledger import does: never a 500, nothing saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation.actions import feedback as feedback_actions
from evaluation.models import ActivityKind, SurveyScore
from tests.evaluation.factories import ActivityFactory, strand

pytestmark = pytest.mark.django_db

GOOD_ROWS = "".join(f"Question {n} about supervision,3.5,5,40\n" for n in range(200))  # > 4 KB


def _file(body: bytes) -> bytes:
    return b"question,score,out_of,responses\n" + body


MALFORMED = {
    "a byte that is no text, after the first 4 KB": (
        _file(GOOD_ROWS.encode() + b"Bad byte \x81 here,3,5,10\n"),
        "Line 202 of the file has a character that is neither UTF-8 nor Windows-1252 "
        "text. Save the survey file again from Excel as “CSV UTF-8”.",
    ),
    "a NUL byte after the first 4 KB": (
        _file(GOOD_ROWS.encode() + b"NUL \x00 here,3,5,10\n"),
        "Line 202 of the file has a NUL character",
    ),
    "a superscript two as a score": (
        _file("Morale,²,5,10\n".encode()),
        "Row 2, column score: “²” is not a number.",
    ),
    "a superscript two as a count": (
        _file("Morale,3,5,²\n".encode()),
        "Row 2, column responses: “²” is not a whole number.",
    ),
    "1e30 as a maximum": (
        _file(b"Morale,3,1e30,10\n"),
        "Row 2, column out_of: “1e30” is not a number from 0 to 9,999.99.",
    ),
    "1E+999999 as a score": (
        _file(b"Morale,1E+999999,5,10\n"),
        "Row 2, column score: “1E+999999” is not a number from 0 to 9,999.99.",
    ),
    "a value over 128 KB": (
        _file(b"Morale,3,5,10\n" + b'"' + b"x" * (129 * 1024) + b'",3,5,10\n'),
        "Line 3 of the file has a value longer than 131,072 characters. Check the "
        "file was saved as CSV, with its quotation marks in pairs.",
    ),
    "a 5,000-digit count": (
        _file(b"Morale,3,5," + b"9" * 5000 + b"\n"),
        "Row 2, column responses: “9999999999999999999999999999999999999999…” is more "
        "responses than a survey has (at most 1,000,000).",
    ),
    "a 30-digit count": (
        _file(b"Morale,3,5," + b"1" * 30 + b"\n"),
        "Row 2, column responses: “111111111111111111111111111111” is more responses than a "
        "survey has (at most 1,000,000).",
    ),
    "a count past what the database holds": (
        _file(b"Morale,3,5,4294967296\n"),
        "Row 2, column responses: “4294967296” is more responses",
    ),
}


@pytest.fixture
def feedback(programme, programme_manager):
    survey = ActivityFactory(
        programme=programme,
        strand=strand(programme, "staff-feedback"),
        kind=ActivityKind.STAFF_FEEDBACK,
    )
    feedback = feedback_actions.feedback_save(
        activity=survey, actor=programme_manager, responses=100, key_messages="Fine"
    )
    feedback_actions.survey_scores_import(
        feedback=feedback,
        upload=SimpleUploadedFile("kept.csv", b"question,score\nKept,4\n"),
        actor=programme_manager,
    )
    return feedback


@pytest.mark.parametrize("kind", MALFORMED)
def test_a_malformed_survey_file_is_refused_by_row_and_column(
    kind, feedback, client, programme_manager
):
    content, said = MALFORMED[kind]
    client.force_login(programme_manager)
    response = client.post(
        f"/evaluation/activities/{feedback.activity.pk}/feedback/import/",
        {"file": SimpleUploadedFile("scores.csv", content, "text/csv"), "replace": "on"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file was not imported. Nothing has changed." in page
    assert said in page, page[-3000:]
    assert list(SurveyScore.objects.values_list("question", flat=True)) == ["Kept"]


def test_a_file_of_more_rows_than_a_survey_has_is_refused_without_reading_on(
    feedback, programme_manager
):
    rows = "".join(f"Question {n},3,5,10\n" for n in range(5000))
    with pytest.raises(feedback_actions.SurveyImportError, match="more than 1,000 rows of scores"):
        feedback_actions.survey_scores_import(
            feedback=feedback,
            upload=SimpleUploadedFile("many.csv", _file(rows.encode())),
            actor=programme_manager,
        )
    assert SurveyScore.objects.count() == 1
