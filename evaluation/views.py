from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from havering_improve import editing, roles
from havering_improve.uploads import file_download
from themes.access import get_theme_for_user
from themes.selectors import current_programme

from . import selectors
from .access import (
    get_activity_for_user,
    get_finding_for_user,
    get_inspection_for_user,
    get_recommendation_for_user,
    require_editor,
)
from .actions import activities, audits, findings, inspections, recommendations
from .actions import feedback as feedback_actions
from .forms import (
    ActivityForm,
    AreaThemesForm,
    AuditResultForm,
    EvidenceForm,
    FeedbackForm,
    FindingActionForm,
    FindingForm,
    InspectionForm,
    RecommendationForm,
    SurveyImportForm,
    model_data,
)
from .models import AuditResult, Finding, FindingEvidence, JudgementArea


def _save_themed(form, action, **about):
    """`action(**about, themes=…, **the form's other fields)`, for a form with themes (and
    `version=…` when it edits a record)."""
    data, themes = model_data(form)
    if "version" in form.fields:
        data["version"] = form.cleaned_data["version"]
    return action(**about, themes=themes, **data)


def _add_to_programme(request, form_class, save, *, title, **page):
    """The page an editor adds an activity or an inspection to the current programme with: on
    POST `save(form, programme=…, actor=…)`, then on to the new record's page. `page`: the
    `template` and the `success` message (a function of the record)."""
    require_editor(request.user)
    programme = current_programme()
    return editing.edit_page(
        request,
        form_class(editing.posted(request), programme=programme),
        lambda form: save(form, programme=programme, actor=request.user),
        done=lambda record: record.get_absolute_url(),
        context={"title": title},
        **page,
    )


def _audit_grades(form) -> dict:
    return {name: form.cleaned_data[name] for name in AuditResultForm.Meta.fields}


# --- The plan ------------------------------------------------------------------------------------


@require_safe
@roles.programme_reader_required
def evaluation_index(request):
    programme = current_programme()
    return render(
        request,
        "evaluation/index.html",
        {
            "programme": programme,
            "strands": selectors.strands(programme),
            "quarters": selectors.plan_by_quarter(programme),
            "baseline": selectors.baseline_inspection(programme),
            "can_edit": roles.can_edit_evaluation(request.user),
        },
    )


@roles.programme_reader_required
def activity_create(request):
    return _add_to_programme(
        request,
        ActivityForm,
        lambda form, **about: _save_themed(form, activities.activity_create, **about),
        title="Plan an activity",
        template="evaluation/activity_form.html",
        success=lambda activity: f"“{activity.title}” is in the evaluation plan.",
    )


@require_safe
@roles.programme_reader_required
def activity_detail(request, pk):
    activity = get_activity_for_user(request.user, pk)
    audits = list(activity.audit_results.all())
    previous = selectors.previous_audits(audits)
    for result in audits:
        result.previous = previous.get(result.pk)
        if result.previous is not None:
            result.change = result.percent_good_or_better - result.previous.percent_good_or_better
    findings = list(activity.findings.all())
    for finding in findings:
        finding.can_edit = roles.can_edit_finding(request.user, finding.themes.all())
    feedback = getattr(activity, "feedback", None)
    return render(
        request,
        "evaluation/activity_detail.html",
        {
            "activity": activity,
            "audits": audits,
            "findings": findings,
            "feedback": feedback,
            "can_edit": roles.can_edit_evaluation(request.user),
            "can_add_finding": roles.can_add_finding(request.user),
            "inspection": getattr(activity, "inspection", None),
        },
    )


@roles.programme_reader_required
def activity_edit(request, pk):
    activity = get_activity_for_user(request.user, pk, edit=True)
    return editing.edit_page(
        request,
        ActivityForm(editing.posted(request), instance=activity, programme=activity.programme),
        lambda form: _save_themed(
            form, activities.activity_update, activity=activity, actor=request.user
        ),
        done=activity.get_absolute_url(),
        success="The activity has been updated.",
        template="evaluation/activity_form.html",
        context={"title": f"Change “{activity.title}”", "activity": activity},
    )


# --- Results -------------------------------------------------------------------------------------


@roles.programme_reader_required
def audit_result_create(request, pk):
    activity = get_activity_for_user(request.user, pk, edit=True)
    if not activity.is_audit:
        raise Http404("Audit grades are recorded only for a QA audit or practice week.")

    def record(form):
        return audits.audit_result_record(
            activity=activity,
            actor=request.user,
            measure=form.cleaned_data.get("measure"),
            **_audit_grades(form),
        )

    def recorded(result):
        note = f"{result.percent_good_or_better}% of cases were good or better"
        if result.measure_reading_id:
            note += f", recorded as a reading of “{result.measure_reading.measure}”"
        return f"Audit grades for {result.theme} saved: {note}."

    return editing.edit_page(
        request,
        AuditResultForm(editing.posted(request), activity=activity),
        record,
        done=activity.get_absolute_url(),
        success=recorded,
        template="evaluation/audit_form.html",
        context={"activity": activity, "title": "Record audit grades"},
    )


@roles.programme_reader_required
def audit_result_edit(request, pk):
    result = get_object_or_404(AuditResult.objects.select_related("activity"), pk=pk)
    activity = get_activity_for_user(request.user, result.activity_id, edit=True)
    return editing.edit_page(
        request,
        AuditResultForm(
            editing.posted(request), instance=result, activity=activity, with_measure=False
        ),
        lambda form: audits.audit_result_update(
            result=result,
            actor=request.user,
            version=form.cleaned_data["version"],
            **_audit_grades(form),
        ),
        done=activity.get_absolute_url(),
        success=f"Audit grades for {result.theme} updated.",
        template="evaluation/audit_form.html",
        context={"activity": activity, "title": f"Change audit grades for {result.theme}"},
    )


@roles.programme_reader_required
def feedback_edit(request, pk):
    activity = get_activity_for_user(request.user, pk, edit=True)
    if not activity.is_feedback:
        raise Http404("Feedback is recorded only for staff or service-user feedback.")
    instance = getattr(activity, "feedback", None)
    return editing.edit_page(
        request,
        FeedbackForm(editing.posted(request), instance=instance, activity=activity),
        lambda form: _save_themed(
            form, feedback_actions.feedback_save, activity=activity, actor=request.user
        ),
        done=activity.get_absolute_url(),
        success="The feedback has been saved.",
        template="evaluation/feedback_form.html",
        context={"activity": activity, "title": "Record feedback"},
    )


@roles.programme_reader_required
def survey_import(request, pk):
    activity = get_activity_for_user(request.user, pk, edit=True)
    feedback = getattr(activity, "feedback", None)
    if feedback is None:
        raise Http404("Record the feedback first, then import its survey scores.")
    form = SurveyImportForm(
        editing.posted(request), request.FILES or None, existing_scores=feedback.scores.count()
    )
    import_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            count = feedback_actions.survey_scores_import(
                feedback=feedback, upload=form.cleaned_data["file"], actor=request.user
            )
        except feedback_actions.SurveyImportError as exc:
            import_errors = exc.messages
            form.add_error("file", "The file was not imported. Nothing has changed.")
        else:
            messages.success(request, f"{count} survey scores imported.")
            return redirect(activity)
    return render(
        request,
        "evaluation/survey_import.html",
        {
            "form": form,
            "activity": activity,
            "import_errors": import_errors,
            "title": "Import survey scores",
        },
    )


# --- Findings ------------------------------------------------------------------------------------


@roles.programme_reader_required
def finding_create(request, pk):
    activity = get_activity_for_user(request.user, pk)
    roles.require("can_add_finding", request.user)
    form = FindingForm(
        editing.posted(request),
        activity=activity,
        user=request.user,
        initial={"recorded_on": activity.completed_on or timezone.localdate()},
    )
    return editing.edit_page(
        request,
        form,
        lambda form: _save_themed(
            form, findings.finding_create, activity=activity, actor=request.user
        ),
        done=activity.get_absolute_url(),
        success=lambda finding: f"Finding “{finding.title}” recorded.",
        template="evaluation/finding_form.html",
        context={"activity": activity, "title": "Record a finding"},
    )


@roles.programme_reader_required
def finding_edit(request, pk):
    finding = get_finding_for_user(request.user, pk, edit=True)
    activity = finding.activity

    def save(form):
        data, themes = model_data(form)
        return findings.finding_update(
            finding=finding,
            actor=request.user,
            version=form.cleaned_data["version"],
            themes=themes,
            **data,
        )

    return editing.edit_page(
        request,
        FindingForm(
            editing.posted(request), instance=finding, activity=activity, user=request.user
        ),
        save,
        done=activity.get_absolute_url(),
        success="The finding and its response have been updated.",
        template="evaluation/finding_form.html",
        context={"activity": activity, "finding": finding, "title": "Change a finding"},
    )


@roles.programme_reader_required
def finding_evidence_add(request, pk):
    finding = get_finding_for_user(request.user, pk, edit=True)

    def add(form):
        try:
            findings.finding_evidence_add(
                finding=finding,
                upload=form.cleaned_data["file"],
                name=form.cleaned_data["name"],
                actor=request.user,
            )
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc

    return editing.edit_page(
        request,
        EvidenceForm(editing.posted(request), request.FILES or None),
        add,
        done=finding.activity.get_absolute_url() + f"#finding-{finding.pk}",
        success="The evidence has been added.",
        template="evaluation/evidence_form.html",
        context={"finding": finding, "activity": finding.activity, "title": "Add evidence"},
    )


@require_safe
@roles.programme_reader_required
def evidence_download(request, pk):
    evidence = get_object_or_404(FindingEvidence, pk=pk)
    get_finding_for_user(request.user, evidence.finding_id)
    # Under the name shown for it, with the extension and type of what its content is.
    return file_download(evidence.file, name=evidence.name)


def _finding_action(request, pk, *, with_risk: bool):
    finding = get_finding_for_user(request.user, pk, edit=True)
    back = finding.activity.get_absolute_url() + f"#finding-{finding.pk}"
    if finding.response != Finding.Response.ACCEPTED or not finding.needs_response:
        messages.info(
            request,
            "Only an accepted area for improvement or recommendation, with an owner and due "
            "date, can become a milestone or a risk.",
        )
        return redirect(back)

    def make(form):
        if with_risk:
            risk = findings.finding_to_risk(
                finding=finding,
                theme=form.cleaned_data["theme"],
                likelihood=form.cleaned_data["likelihood"],
                impact=form.cleaned_data["impact"],
                actor=request.user,
            )
            return f"Added to the risk log of {risk.theme}."
        milestone = findings.finding_to_milestone(
            finding=finding, theme=form.cleaned_data["theme"], actor=request.user
        )
        return f"Added as a milestone of {milestone.theme}."

    return editing.edit_page(
        request,
        FindingActionForm(
            editing.posted(request), finding=finding, user=request.user, with_risk=with_risk
        ),
        make,
        done=back,
        success=lambda message: message,
        template="evaluation/finding_action.html",
        context={
            "finding": finding,
            "activity": finding.activity,
            "with_risk": with_risk,
            "title": "Add to a theme's risk log" if with_risk else "Make a milestone on a theme",
        },
    )


@roles.programme_reader_required
def finding_to_milestone(request, pk):
    return _finding_action(request, pk, with_risk=False)


@roles.programme_reader_required
def finding_to_risk(request, pk):
    return _finding_action(request, pk, with_risk=True)


# --- Inspections ---------------------------------------------------------------------------------


@require_safe
@roles.programme_reader_required
def inspection_list(request):
    programme = current_programme()
    return render(
        request,
        "evaluation/inspection_list.html",
        {
            "inspections": selectors.inspections(programme),
            "can_edit": roles.can_edit_evaluation(request.user),
        },
    )


@roles.programme_reader_required
def inspection_create(request):
    return _add_to_programme(
        request,
        InspectionForm,
        lambda form, **about: inspections.inspection_record(
            grades=form.grades(), **form.model_fields(), **about
        ),
        title="Record an inspection or visit",
        template="evaluation/inspection_form.html",
        success=lambda inspection: f"“{inspection.title}” recorded.",
    )


@require_safe
@roles.programme_reader_required
def inspection_detail(request, pk):
    inspection = get_inspection_for_user(request.user, pk)
    return render(
        request,
        "evaluation/inspection_detail.html",
        {"inspection": inspection, "can_edit": roles.can_edit_evaluation(request.user)},
    )


@roles.programme_reader_required
def inspection_edit(request, pk):
    inspection = get_inspection_for_user(request.user, pk, edit=True)
    if inspection.is_baseline:
        raise PermissionDenied("The baseline comes from the programme's data file.")
    return editing.edit_page(
        request,
        InspectionForm(
            editing.posted(request), instance=inspection, programme=inspection.programme
        ),
        lambda form: inspections.inspection_update(
            inspection=inspection,
            actor=request.user,
            grades=form.grades(),
            version=form.cleaned_data["version"],
            **form.model_fields(),
        ),
        done=inspection.get_absolute_url(),
        success="The inspection has been updated.",
        template="evaluation/inspection_form.html",
        context={"inspection": inspection, "title": f"Change “{inspection.title}”"},
    )


@roles.programme_reader_required
def recommendation_create(request, pk):
    inspection = get_inspection_for_user(request.user, pk, edit=True)
    return _recommendation_form(request, inspection=inspection, recommendation=None)


@roles.programme_reader_required
def recommendation_edit(request, pk):
    recommendation = get_recommendation_for_user(request.user, pk, edit=True)
    return _recommendation_form(
        request, inspection=recommendation.inspection, recommendation=recommendation
    )


def _recommendation_form(request, *, inspection, recommendation):
    return editing.edit_page(
        request,
        RecommendationForm(editing.posted(request), instance=recommendation, inspection=inspection),
        lambda form: (
            _save_themed(
                form,
                recommendations.recommendation_update,
                recommendation=recommendation,
                actor=request.user,
            )
            if recommendation
            else _save_themed(
                form, recommendations.recommendation_add, inspection=inspection, actor=request.user
            )
        ),
        done=inspection.get_absolute_url(),
        success="The recommendation has been saved.",
        template="evaluation/recommendation_form.html",
        context={
            "inspection": inspection,
            "recommendation": recommendation,
            "title": "Change a recommendation" if recommendation else "Add a recommendation",
        },
    )


# --- Readiness and evidence ----------------------------------------------------------------------


@require_safe
@roles.programme_reader_required
def readiness(request):
    programme = current_programme()
    return render(
        request,
        "evaluation/readiness.html",
        {
            "programme": programme,
            "areas": selectors.readiness(programme),
            "can_edit": roles.can_edit_evaluation(request.user),
        },
    )


@roles.programme_reader_required
def area_themes(request, slug):
    """The programme manager says which themes answer a judgement area: they choose, check what
    their choice adds and takes off, and confirm; the page lists who changed it before, and
    when."""
    require_editor(request.user)
    programme = current_programme()
    area = get_object_or_404(JudgementArea, framework="ILACS", slug=slug)
    current = selectors.area_themes(programme, area)
    form = AreaThemesForm(editing.posted(request), programme=programme, current=current)
    back = reverse("evaluation:readiness") + f"#area-{area.slug}"
    context = {
        "area": area,
        "title": f"Themes that answer “{area.title}”",
        "history": selectors.area_themes_history(programme, area),
        "back": back,
    }
    if request.method == "POST" and form.is_valid() and not form.cleaned_data["confirm"]:
        added, removed = form.changes()
        if not added and not removed:
            messages.info(request, "Nothing changed: those are the themes that answer it.")
            return redirect(back)
        return render(
            request,
            "evaluation/area_themes_confirm.html",
            {**context, "form": form, "added": added, "removed": removed},
        )
    return editing.edit_page(
        request,
        form,
        lambda form: inspections.judgement_area_themes_set(
            area=area,
            programme=programme,
            themes=form.cleaned_data["themes"],
            opened_with=form.cleaned_data["opened_with"],
            actor=request.user,
        ),
        done=back,
        success=f"The themes that answer “{area.title}” have been saved.",
        template="evaluation/area_themes.html",
        context=context,
    )


@require_safe
@roles.programme_reader_required
def theme_evidence(request, slug):
    theme = get_theme_for_user(request.user, slug)
    return render(request, "evaluation/theme_evidence.html", theme_evidence_context(request, theme))


def theme_evidence_context(request, theme):
    """The Evidence tab's data (also used by the theme page's tab registry)."""
    return {
        "theme": theme,
        "evidence": selectors.evidence_for_theme(theme),
        "measures": selectors.measures_with_audit_readings(theme),
    }
