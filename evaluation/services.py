"""Every write in the evaluation app: actions (`havering_improve.actions`), so each is atomic,
permission-checked, keyword-only and in the history with the person who did it."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from havering_improve import uploads
from havering_improve.actions import StaleEdit, action, lock_current, rows_changed, save_current
from havering_improve.uploads import (
    Problem,
    UnreadableFile,
    csv_rows,
    shown,
    stored_name,
    validate_upload,
)
from themes.models import Measure, MeasureReading, Milestone, Risk

from .models import (
    AuditResult,
    EvaluationActivity,
    FeedbackResult,
    Finding,
    FindingEvidence,
    Inspection,
    Judgement,
    JudgementArea,
    OfstedGrade,
    Recommendation,
    SurveyScore,
)


def _save(obj, *, update_fields=None, m2m: dict | None = None):
    """full_clean, save, then set many-to-many values."""
    obj.full_clean()
    obj.save(update_fields=update_fields)
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    return obj


def _assign(obj, fields: dict) -> list[str]:
    for name, value in fields.items():
        setattr(obj, name, value)
    return list(fields)


# --- Activities ----------------------------------------------------------------------------------


@action("can_edit_evaluation")
def activity_create(*, programme, actor, themes=(), **fields) -> EvaluationActivity:
    activity = EvaluationActivity(programme=programme, **fields)
    return _save(activity, m2m={"themes": themes})


@action("can_edit_evaluation")
def activity_update(
    *, activity: EvaluationActivity, actor, themes=None, version: int | None = None, **fields
):
    """Change an activity from the `version` its form was opened at (StaleEdit if someone saved
    it since; with no version, the application's own change)."""
    current = save_current(activity, version, fields)
    m2m = {"themes": themes} if themes is not None else None
    return _save(current, update_fields=[], m2m=m2m)


# --- QA audit results ----------------------------------------------------------------------------


def _check_measure(result: AuditResult, measure: Measure) -> None:
    if measure.theme_id != result.theme_id:
        raise ValidationError(
            {"measure": f"Select a measure of the {result.theme} theme — the audit is for it."}
        )
    if measure.unit != Measure.Unit.PERCENT:
        raise ValidationError(
            {
                "measure": f"“{measure}” is measured in {measure.get_unit_display().lower()}; "
                "an audit gives a percentage good or better. Select a percentage measure."
            }
        )


@action("can_edit_evaluation")
def audit_result_record(*, activity: EvaluationActivity, actor, measure=None, **fields):
    """Record one theme's grades from a QA audit; with `measure`, feed it a reading too."""
    if not activity.is_audit:
        raise ValidationError("Audit grades can only be recorded for a QA audit or practice week.")
    result = AuditResult(activity=activity, recorded_by=actor, **fields)
    if measure is not None:
        _check_measure(result, measure)
    _save(result)
    if measure is not None:
        audit_result_feed_measure.within(result=result, measure=measure, actor=actor)
    return result


@action("can_edit_evaluation")
def audit_result_update(
    *, result: AuditResult, actor, version: int | None = None, **fields
) -> AuditResult:
    """Correct an audit's grades, from the `version` its form was opened at; a reading it fed
    follows, so the two never disagree."""
    result = save_current(result, version, fields)
    reading = result.measure_reading
    if reading is not None:
        reading.value = result.percent_good_or_better
        reading.date = result.date
        _save(reading, update_fields=["value", "date"])
    return result


@action("can_edit_evaluation")
def audit_result_feed_measure(*, result: AuditResult, measure: Measure, actor) -> MeasureReading:
    """Record the audit's percentage good or better as a reading of the theme's measure, linked
    back to the audit so nobody retypes it."""
    _check_measure(result, measure)
    if result.measure_reading_id:
        raise ValidationError("This audit result already feeds a measure reading.")
    reading = MeasureReading(
        measure=measure,
        value=result.percent_good_or_better,
        date=result.date,
        source=f"QA audit: {result.activity.title}"[:300],
        note=(
            f"{result.good_or_better} of {result.cases_audited} cases audited were graded good "
            "or outstanding."
        ),
        recorded_by=actor,
    )
    _save(reading)
    result.measure_reading = reading
    _save(result, update_fields=["measure_reading"])
    return reading


# --- Feedback ------------------------------------------------------------------------------------


@action("can_edit_evaluation")
def feedback_save(
    *, activity: EvaluationActivity, actor, themes=(), version: int | None = None, **fields
) -> FeedbackResult:
    """Record an activity's feedback, or change it from the `version` its form was opened at."""
    if not activity.is_feedback:
        raise ValidationError("Feedback can only be recorded for a staff or service-user survey.")
    feedback = FeedbackResult.objects.filter(activity=activity).first()
    if feedback is None:
        feedback = FeedbackResult(activity=activity)
    feedback = save_current(feedback, version, fields)
    return _save(feedback, update_fields=[], m2m={"themes": themes})


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
            _save(SurveyScore(feedback=feedback, order=order, **row))
        except ValidationError as exc:  # what the checks above let through: still by row
            raise SurveyImportError(
                [
                    Problem(number, column if column != NON_FIELD_ERRORS else "", message)
                    for column, messages in exc.message_dict.items()
                    for message in messages
                ]
            ) from None
    return len(rows)


# --- Findings ------------------------------------------------------------------------------------


@action("can_add_finding")
def finding_create(*, activity: EvaluationActivity, actor, themes, **fields) -> Finding:
    finding = Finding(activity=activity, **fields)
    return _save(finding, m2m={"themes": themes})


@action("can_edit_finding_record", on="finding")
def finding_update(*, finding: Finding, actor, version: int, themes=None, **fields) -> Finding:
    """Change a finding or its response, from the version the editor opened (StaleEdit if
    someone else saved it since)."""
    current = lock_current(finding, version)
    changed = _assign(current, fields)
    current.version += 1
    m2m = {"themes": themes} if themes is not None else None
    return _save(current, update_fields=[*changed, "version"], m2m=m2m)


@action("can_edit_finding_record", on="finding")
def finding_evidence_add(*, finding: Finding, upload, name: str, actor) -> FindingEvidence:
    kind = validate_upload(upload)
    # The name shown: the one given, else the file's; without control or bidirectional
    # characters, and fitting its field.
    limit = FindingEvidence._meta.get_field("name").max_length
    shown = uploads.clean_name(name)[:limit].strip() or uploads.display_name(upload.name, limit)
    evidence = FindingEvidence(finding=finding, name=shown, uploaded_by=actor)
    evidence.full_clean(exclude=["file"])  # a refusal writes no file
    return uploads.save_with_file(
        evidence.file, stored_name(upload.name, kind), upload, lambda: _save(evidence)
    )


def _check_action_theme(finding: Finding, theme) -> None:
    if not finding.needs_response:
        raise ValidationError("A strength needs no action.")
    if finding.response != Finding.Response.ACCEPTED:
        raise ValidationError("Accept the finding, with an owner and due date, first.")
    if not finding.themes.filter(pk=theme.pk).exists():
        raise ValidationError({"theme": "Select one of the themes the finding concerns."})


def _onto_theme(finding: Finding, theme, field: str, build, *, already: str):
    """Save the record `build(finding)` makes on the theme and link the finding to it (`field`:
    "milestone" or "risk"), once: refused with `already` if the finding has one."""
    finding = lock_current(finding, None, required=False)  # as it stands, not as first loaded
    _check_action_theme(finding, theme)
    if getattr(finding, f"{field}_id"):
        raise ValidationError(already)
    record = _save(build(finding))
    setattr(finding, field, record)
    _save(finding, update_fields=[field])
    return record


@action("can_edit_finding_record", on="finding")
def finding_to_milestone(*, finding: Finding, theme, actor) -> Milestone:
    """Make the accepted response a milestone on the theme, so it is tracked with the plan."""
    return _onto_theme(
        finding,
        theme,
        "milestone",
        lambda f: Milestone(
            theme=theme, title=f.title[:300], owner=f.action_owner, due_date=f.action_due
        ),
        already="This finding is already a milestone.",
    )


@action("can_edit_finding_record", on="finding")
def finding_to_risk(*, finding: Finding, theme, likelihood: int, impact: int, actor) -> Risk:
    """Put the finding on the theme's risk log, with the response as its mitigation."""
    return _onto_theme(
        finding,
        theme,
        "risk",
        lambda f: Risk(
            theme=theme,
            description=f.title,
            likelihood=likelihood,
            impact=impact,
            owner=f.action_owner,
            mitigation=f.response_note,
            review_date=f.action_due,
        ),
        already="This finding is already on a risk log.",
    )


# --- Inspections and recommendations ------------------------------------------------------------


@action("can_edit_evaluation")
def inspection_record(*, programme, actor, grades: dict, **fields) -> Inspection:
    """Record an inspection or visit with its judgements: `grades` maps each JudgementArea to a
    grade, or to "" where the visit made no judgement on it."""
    inspection = _save(Inspection(programme=programme, is_baseline=False, **fields))
    _judgements_set(inspection=inspection, grades=grades)
    return inspection


@action("can_edit_evaluation")
def inspection_update(
    *, inspection: Inspection, actor, grades: dict, version: int | None = None, **fields
) -> Inspection:
    """Change an inspection and its judgements from the `version` its form was opened at
    (StaleEdit, with the judgements changed since, if someone saved it since)."""
    try:
        inspection = save_current(inspection, version, fields)
    except StaleEdit as exc:
        exc.changes = [*exc.changes, *_judgements_changed(exc.obj, version)]
        raise
    _judgements_set(inspection=inspection, grades=grades)
    return inspection


def _judgements_changed(inspection: Inspection, version: int) -> list[dict]:
    return rows_changed(
        inspection,
        version,
        Judgement,
        parent="inspection",
        key="area_id",
        value=lambda judgement: judgement.grade,
        label=lambda ids: {
            area.pk: f"Judgement: {area.title}"
            for area in JudgementArea.objects.filter(pk__in=ids).order_by("order", "pk")
        },
        show=lambda grade: dict(OfstedGrade.choices).get(grade, "(none)"),
    )


def _judgements_set(*, inspection, grades):
    existing = {j.area_id: j for j in inspection.judgements.all()}
    for area, grade in grades.items():
        judgement = existing.get(area.pk)
        if not grade:
            if judgement is not None:
                judgement.delete()
            continue
        if judgement is None:
            _save(Judgement(inspection=inspection, area=area, grade=grade))
        elif judgement.grade != grade:
            judgement.grade = grade
            _save(judgement, update_fields=["grade"])


@action("can_edit_evaluation")
def recommendation_save(
    *,
    inspection: Inspection,
    actor,
    themes,
    recommendation: Recommendation | None = None,
    version: int | None = None,
    **fields,
) -> Recommendation:
    """Add a recommendation, or change one from the `version` its form was opened at."""
    if not themes:
        raise ValidationError({"themes": "Select the themes that answer this recommendation."})
    if recommendation is None:
        recommendation = Recommendation(inspection=inspection, **fields)
        if not recommendation.order:
            recommendation.order = inspection.recommendations.count() + 1
        return _save(recommendation, m2m={"themes": themes})
    recommendation = save_current(recommendation, version, fields)
    return _save(recommendation, update_fields=[], m2m={"themes": themes})
