"""What staff or service users said in a feedback activity, and a survey's scores imported
from a CSV file."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from havering_improve.actions import KEEP, action, given, save_current
from havering_improve.uploads import Problem, UnreadableFile, csv_rows, shown, validate_upload
from themes.models import Theme

from ..models import EvaluationActivity, FeedbackResult, SurveyScore
from ._common import check_themes, save


@action("can_edit_evaluation")
def feedback_save(
    *,
    activity: EvaluationActivity,
    actor,
    version: int | None = None,
    responses: int = KEEP,
    key_messages: str = KEEP,
    themes: Iterable[Theme] = (),
) -> FeedbackResult:
    """Record an activity's feedback, or change it from the `version` its form was opened at,
    with the themes of the programme it speaks to."""
    if not activity.is_feedback:
        raise ValidationError("Feedback can only be recorded for a staff or service-user survey.")
    themes = list(themes)
    check_themes(activity.programme_id, themes)
    feedback = FeedbackResult.objects.filter(activity=activity).first()
    if feedback is None:
        feedback = FeedbackResult(activity=activity)
    feedback = save_current(
        feedback, version, given(responses=responses, key_messages=key_messages)
    )
    return save(feedback, update_fields=[], m2m={"themes": themes})


SURVEY_COLUMNS = ["question", "score", "out_of", "responses"]


class SurveyImportError(Exception):
    """The CSV could not be imported: its `problems` (havering_improve.uploads.Problem, as the
    ledger import's) say which row and column, and why; `messages` are them as sentences."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems

    @property
    def messages(self) -> list[str]:
        return [str(problem) for problem in self.problems]

    def __str__(self):
        return "; ".join(self.messages)


def _file_problem(message: str) -> SurveyImportError:
    return SurveyImportError([Problem(None, "", message)])


# What a SurveyScore holds: a score of up to 9,999.99 and a count of responses no survey nears.
MAX_SCORE = Decimal("9999.99")
MAX_RESPONSES = 1_000_000
# A survey has a few dozen questions; a file of more is not a survey's scores.
MAX_SURVEY_ROWS = 1_000
# Problems listed for one file; the rest are counted.
MAX_SURVEY_PROBLEMS = 100
_WHOLE_NUMBER = re.compile(r"[0-9]+")


def _score(text_value: str) -> Decimal | None:
    """A score or maximum as a number from 0 to MAX_SCORE, or None when it is not one."""
    try:
        value = Decimal(text_value)
    except (InvalidOperation, TypeError):
        return None
    if not value.is_finite() or not 0 <= value <= MAX_SCORE:
        return None
    return value


def _survey_row(number: int, row: dict) -> tuple[dict | None, list[Problem]]:
    """One row of scores, or what is wrong with it."""
    problems = []

    def wrong(column, message):
        problems.append(Problem(number, column, message))

    if not row.get("question"):
        wrong("question", "enter the question")
    elif len(row["question"]) > 300:
        wrong("question", "must be 300 characters or fewer")
    values = {}
    for column, default in (("score", None), ("out_of", "5")):
        text_value = row.get(column) or default
        values[column] = _score(text_value)
        if values[column] is None:
            given = shown(row.get(column, ""))
            try:
                Decimal(text_value)
            except (InvalidOperation, TypeError):
                wrong(column, f"“{given}” is not a number")
            else:
                wrong(column, f"“{given}” is not a number from 0 to {MAX_SCORE:,}")
    if not problems and values["score"] > values["out_of"]:
        wrong("score", f"{values['score']} is more than the maximum of {values['out_of']}")
    responses = row.get("responses") or ""
    if responses and not _WHOLE_NUMBER.fullmatch(responses):
        wrong("responses", f"“{shown(responses)}” is not a whole number")
    elif responses and (len(responses) > 9 or int(responses) > MAX_RESPONSES):
        wrong(
            "responses",
            f"“{shown(responses)}” is more responses than a survey has (at most {MAX_RESPONSES:,})",
        )
    if problems:
        return None, problems
    return {
        "question": row["question"],
        "score": values["score"].quantize(Decimal("0.01")),
        "out_of": values["out_of"].quantize(Decimal("0.01")),
        "responses": int(responses) if responses else None,
    }, []


def _parse_survey_csv(upload) -> list[tuple[int, dict]]:
    """The rows of scores in the file, each with its row number; SurveyImportError listing
    every problem, by row and column, if there is any."""
    rows, problems = [], []
    try:
        lines = csv_rows(upload, noun="survey file")
        headers = []
        for raw_header in lines:
            headers = [h.replace("\ufeff", "").strip().lower() for h in raw_header]
            break
        missing = [c for c in ("question", "score") if c not in headers]
        if missing:
            raise _file_problem(
                "The first row must name the columns: question, score, and optionally out_of "
                f"and responses. Missing: {', '.join(missing)}."
            )
        unknown = [h for h in headers if h and h not in SURVEY_COLUMNS]
        if unknown:
            raise _file_problem(f"Unknown column: {shown(', '.join(unknown))}.")
        for number, cells in enumerate(lines, start=2):
            row = {h: cell.strip() for h, cell in zip(headers, cells, strict=False) if h}
            if not any(row.values()):
                continue
            if len(rows) + len(problems) >= MAX_SURVEY_ROWS:
                raise _file_problem(
                    f"The file has more than {MAX_SURVEY_ROWS:,} rows of scores, more than a "
                    "survey has. Check it is the survey's scores, one row a question."
                )
            scores, wrong = _survey_row(number, row)
            problems += wrong
            if scores is not None:
                rows.append((number, scores))
    except UnreadableFile as exc:
        unreadable = Problem(None, "", str(exc))  # its message names the line, as the ledger's
        raise SurveyImportError([*problems[:MAX_SURVEY_PROBLEMS], unreadable]) from None
    if problems:
        listed = problems[:MAX_SURVEY_PROBLEMS]
        if len(problems) > len(listed):
            more = len(problems) - len(listed)
            listed.append(Problem(None, "", f"And {more:,} more problems like these"))
        raise SurveyImportError(listed)
    if not rows:
        raise _file_problem("The file has no rows of scores under its header row.")
    return rows


@action("can_edit_evaluation")
def survey_scores_import(*, feedback: FeedbackResult, upload, actor) -> int:
    """Replace the survey's scores with those in a CSV file (question, score, out_of,
    responses). All or nothing: any bad row refuses the whole file."""
    try:
        validate_upload(upload, kinds=("csv",))
    except ValidationError as exc:
        raise SurveyImportError([Problem(None, "", m) for m in exc.messages]) from exc
    upload.seek(0)
    rows = _parse_survey_csv(upload)
    # One row at a time (not bulk), so each removal and addition is in the history.
    for old in feedback.scores.all():
        old.delete()
    for order, (number, row) in enumerate(rows, start=1):
        try:
            save(
                SurveyScore(
                    feedback=feedback,
                    order=order,
                    question=row["question"],
                    score=row["score"],
                    out_of=row["out_of"],
                    responses=row["responses"],
                )
            )
        except ValidationError as exc:  # what the checks above let through: still by row
            raise SurveyImportError(
                [
                    Problem(number, column if column != NON_FIELD_ERRORS else "", message)
                    for column, messages in exc.message_dict.items()
                    for message in messages
                ]
            ) from None
    return len(rows)
