import difflib

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from havering_improve import editing, roles
from havering_improve.forms import StateChangeForm
from themes.selectors import current_programme

from . import access, documents, evidence, selectors, snapshot
from .actions import claims as claims_actions
from .actions import evidence as evidence_actions
from .actions import grants as grants_actions
from .actions import plans as plans_actions
from .actions import review as review_actions
from .actions import sections as sections_actions
from .actions import self_evaluations as self_evaluations_actions
from .forms import (
    ClaimForm,
    EvidenceItemForm,
    GrantForm,
    NewPlanItemForm,
    PlanItemForm,
    ReturnForm,
    SectionForm,
    SettingsForm,
    StartForm,
)
from .models import Claim


@require_safe
@roles.programme_reader_required
def index(request):
    programme = current_programme()
    access.require_reader_of_any(request.user, programme)
    is_pm = roles.is_programme_manager(request.user)
    return render(
        request,
        "selfevaluation/index.html",
        {
            "programme": programme,
            "self_evaluations": selectors.visible_self_evaluations(request.user, programme),
            "lead_sections": selectors.lead_sections(request.user, programme),
            "meetings": list(selectors.engagement_meetings(programme))
            if roles.can_read_engagement(request.user)
            else [],
            "can_edit": is_pm,
            "grants": list(selectors.grants(programme)) if is_pm else [],
        },
    )


@roles.programme_reader_required
def start(request):
    access.require_editor(request.user)
    programme = current_programme()
    latest = selectors.self_evaluations(programme).first()
    initial = {"previous": latest} if latest else {}
    form = StartForm(editing.posted(request), programme=programme, initial=initial)

    def call(form):
        return self_evaluations_actions.self_evaluation_start(
            actor=request.user, programme=programme, **form.cleaned_data
        )

    return editing.edit_page(
        request,
        form,
        call,
        template="selfevaluation/form.html",
        context={"title": "Start a self-evaluation"},
        done=lambda made: made.get_absolute_url(),
        success=lambda made: (
            f"The {made.year} self-evaluation is started, with the evidence "
            "the programme holds proposed in each section."
        ),
    )


def _sections_with_flags(self_evaluation):
    sections = snapshot.sections_for(self_evaluation)
    found = evidence.flags(self_evaluation, sections)
    unsupported = {claim.pk for claim in found.unsupported_claims}
    bare = {section.pk for section in found.areas_without_recent_evidence}
    for section in sections:
        section.no_recent_evidence = section.pk in bare
        for claim in section.claims.all():
            claim.unsupported = claim.pk in unsupported
    return sections, found


@require_safe
@roles.programme_reader_required
def detail(request, pk):
    self_evaluation = access.get_self_evaluation_for_user(request.user, pk)
    sections, found = _sections_with_flags(self_evaluation)
    user = request.user
    return render(
        request,
        "selfevaluation/detail.html",
        {
            "se": self_evaluation,
            "sections": sections,
            "flags": found,
            "versions": list(self_evaluation.versions.select_related("made_by")),
            "can_edit": roles.is_programme_manager(user) and self_evaluation.status == "draft",
            "can_sign": self_evaluation.status == "in_review"
            and roles.can_sign_off_self_evaluation(user, self_evaluation),
        },
    )


@require_safe
@roles.programme_reader_required
def section(request, pk):
    found = access.get_section_for_user(request.user, pk)
    self_evaluation = found.self_evaluation
    sections, flags = _sections_with_flags(self_evaluation)
    shown = next(s for s in sections if s.pk == found.pk)
    return render(
        request,
        "selfevaluation/section_page.html",
        {
            "se": self_evaluation,
            "section": shown,
            "can_edit": roles.is_programme_manager(request.user)
            and self_evaluation.status == "draft",
        },
    )


@roles.programme_reader_required
def settings_edit(request, pk):
    self_evaluation = access.get_self_evaluation_for_user(request.user, pk, edit=True)
    form = SettingsForm(editing.posted(request), instance=self_evaluation)
    return editing.edit_page(
        request,
        form,
        lambda form: editing.save_versioned(
            form,
            self_evaluations_actions.self_evaluation_update,
            actor=request.user,
            self_evaluation=self_evaluation,
        ),
        template="selfevaluation/form.html",
        context={"title": f"Settings of the {self_evaluation.year} self-evaluation"},
        done=self_evaluation.get_absolute_url(),
    )


@require_POST
@roles.programme_reader_required
def gather(request, pk):
    self_evaluation = access.get_self_evaluation_for_user(request.user, pk, edit=True)
    editing.button_action(
        request,
        lambda: self_evaluations_actions.evidence_gather(
            actor=request.user, self_evaluation=self_evaluation
        ),
        success=lambda new: f"Evidence gathered again: {new} new item{'' if new == 1 else 's'}.",
    )
    return redirect(self_evaluation)


def _confirm(request, self_evaluation, *, call, template, form_class=StateChangeForm, success):
    """A confirmation page that says what the button will do; the action on POST."""
    form = form_class(editing.posted(request), record=self_evaluation)
    sections, found = _sections_with_flags(self_evaluation)
    context = {"se": self_evaluation, "flags": found, "sections": sections}
    if request.method != "POST":
        return render(request, template, {**context, "form": form})
    return editing.form_action(
        request,
        form,
        call,
        template=template,
        context=context,
        done=lambda result: result.get_absolute_url(),
        success=success,
    )


@roles.programme_reader_required
def submit(request, pk):
    self_evaluation = access.get_self_evaluation_for_user(request.user, pk, edit=True)
    return _confirm(
        request,
        self_evaluation,
        call=lambda form: review_actions.self_evaluation_submit(
            actor=request.user,
            self_evaluation=self_evaluation,
            version=form.cleaned_data["version"],
        ),
        template="selfevaluation/confirm_submit.html",
        success=lambda v: (
            f"Version {v.number} is with {self_evaluation.reviewer.get_full_name()} for review."
        ),
    )


@roles.programme_reader_required
def sign_off(request, pk):
    self_evaluation = access.get_self_evaluation_for_user(request.user, pk, sign=True)
    return _confirm(
        request,
        self_evaluation,
        call=lambda form: review_actions.self_evaluation_sign_off(
            actor=request.user,
            self_evaluation=self_evaluation,
            version=form.cleaned_data["version"],
        ),
        template="selfevaluation/confirm_sign_off.html",
        success=lambda v: (
            f"You signed off the {self_evaluation.year} self-evaluation: "
            f"version {v.number} is frozen."
        ),
    )


@roles.programme_reader_required
def return_to_draft(request, pk):
    self_evaluation = access.get_self_evaluation_for_user(request.user, pk, sign=True)
    return _confirm(
        request,
        self_evaluation,
        call=lambda form: review_actions.self_evaluation_return(
            actor=request.user,
            self_evaluation=self_evaluation,
            version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        ),
        template="selfevaluation/confirm_return.html",
        form_class=ReturnForm,
        success="It is back with the programme manager, with what needs to change.",
    )


def _edit(request, form, action, *, title, done, **about):
    return editing.edit_page(
        request,
        form,
        lambda form: editing.save_versioned(form, action, actor=request.user, **about),
        template="selfevaluation/form.html",
        context={"title": title},
        done=done,
    )


def _back(record_section) -> str:
    return f"{record_section.self_evaluation.get_absolute_url()}#section-{record_section.pk}"


@roles.programme_reader_required
def section_edit(request, pk):
    found = access.get_section_for_user(request.user, pk, edit=True)
    form = SectionForm(editing.posted(request), instance=found)
    return _edit(
        request,
        form,
        sections_actions.section_update,
        title=f"{found.title}: the words around the evidence",
        done=_back(found),
        section=found,
    )


@roles.programme_reader_required
def evidence_edit(request, pk):
    item = access.get_evidence_for_user(request.user, pk)
    form = EvidenceItemForm(editing.posted(request), instance=item)
    return editing.edit_page(
        request,
        form,
        lambda form: editing.save_versioned(
            form, evidence_actions.evidence_item_update, actor=request.user, item=item
        ),
        template="selfevaluation/form.html",
        context={"title": "Keep, drop or place this evidence", "statement": item.statement},
        done=_back(item.section),
    )


@roles.programme_reader_required
def claim_add(request, pk):
    found = access.get_section_for_user(request.user, pk, edit=True)
    form = ClaimForm(editing.posted(request), instance=Claim(section=found), section=found)
    return editing.edit_page(
        request,
        form,
        lambda form: claims_actions.claim_add(
            actor=request.user,
            section=found,
            kind=form.cleaned_data["kind"],
            sentence=form.cleaned_data["sentence"],
            evidence=form.cleaned_data["evidence"],
        ),
        template="selfevaluation/form.html",
        context={"title": f"{found.title}: add a strength or area for improvement"},
        done=_back(found),
    )


@roles.programme_reader_required
def claim_edit(request, pk):
    claim = access.get_claim_for_user(request.user, pk)
    form = ClaimForm(editing.posted(request), instance=claim, section=claim.section)
    return _edit(
        request,
        form,
        claims_actions.claim_update,
        title="Change a strength or area for improvement",
        done=_back(claim.section),
        claim=claim,
    )


@roles.programme_reader_required
def plan_add(request, pk):
    found = access.get_section_for_user(request.user, pk, edit=True)
    form = NewPlanItemForm(editing.posted(request))
    return editing.edit_page(
        request,
        form,
        lambda form: plans_actions.plan_item_add(
            actor=request.user, section=found, **form.content()
        ),
        template="selfevaluation/form.html",
        context={"title": f"{found.title}: add a plan"},
        done=_back(found),
    )


@roles.programme_reader_required
def plan_edit(request, pk):
    item = access.get_plan_item_for_user(request.user, pk)
    form = PlanItemForm(editing.posted(request), instance=item)
    return _edit(
        request,
        form,
        plans_actions.plan_item_update,
        title="Change a plan",
        done=_back(item.section),
        item=item,
    )


@require_safe
@roles.programme_reader_required
def version(request, pk):
    found = access.get_version_for_user(request.user, pk)
    return render(request, "selfevaluation/version.html", documents.context(found))


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
@roles.programme_reader_required
def version_pdf(request, pk):
    found = access.get_version_for_user(request.user, pk)
    return _download(documents.pdf(found), documents.file_name(found, "pdf"), "application/pdf")


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_safe
@roles.programme_reader_required
def version_docx(request, pk):
    found = access.get_version_for_user(request.user, pk)
    return _download(documents.docx_bytes(found), documents.file_name(found, "docx"), DOCX_TYPE)


@require_safe
@roles.programme_reader_required
def compare(request):
    """Two frozen versions side by side: what was added and taken out, heading by heading."""
    programme = current_programme()
    access.require_reader_of_any(request.user, programme)
    readable = [
        v
        for v in selectors.all_versions(programme)
        if roles.can_read_self_evaluation_version(request.user, v)
    ]
    by_pk = {str(v.pk): v for v in readable}
    first, second = by_pk.get(request.GET.get("a", "")), by_pk.get(request.GET.get("b", ""))
    rows = []
    if first and second:
        matcher = difflib.SequenceMatcher(
            a=snapshot.as_text_lines(first.snapshot),
            b=snapshot.as_text_lines(second.snapshot),
            autojunk=False,
        )
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            for line in matcher.a[a1:a2]:
                rows.append(("same" if op == "equal" else "removed", line))
            if op != "equal":
                rows += [("added", line) for line in matcher.b[b1:b2]]
    elif request.GET:
        messages.error(request, "Choose two versions you can read to compare.")
    return render(
        request,
        "selfevaluation/compare.html",
        {"versions": readable, "first": first, "second": second, "rows": rows},
    )


@roles.programme_reader_required
def grants(request):
    access.require_editor(request.user)
    programme = current_programme()
    if request.method == "POST" and "withdraw" in request.POST:
        chosen = request.POST.get("withdraw", "")
        grant = (
            programme.sign_offs.filter(pk=int(chosen)).first()
            if chosen.isascii() and chosen.isdigit() and len(chosen) < 12
            else None
        )
        if grant is None:
            messages.error(request, "That permission has already been withdrawn.")
        else:
            editing.button_action(
                request,
                lambda: grants_actions.sign_off_withdraw(actor=request.user, grant=grant),
                success="The Sign-off permission is withdrawn.",
            )
        return redirect("selfevaluation:grants")
    form = GrantForm(editing.posted(request), initial={"granted_on": timezone.localdate()})
    return editing.edit_page(
        request,
        form,
        lambda form: grants_actions.sign_off_grant(
            actor=request.user, programme=programme, **form.cleaned_data
        ),
        template="selfevaluation/grants.html",
        context={
            "title": "Who signs off the self-evaluation",
            "grants": selectors.grants(programme),
        },
        done="selfevaluation:grants",
        success=lambda grant: f"{grant.user.get_full_name()} can now sign off the self-evaluation.",
    )
