"""A budget line's page, and its monthly profile, posts, commitments and theme weights."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from havering_improve import editing, roles
from havering_improve.fy import period_month_name

from .. import selectors
from ..access import EDIT, MANAGE, READ, get_allocation_for_user
from ..actions import lines as line_actions
from ..forms import CommitmentForm, LineMonthsForm, PostForm, ThemeWeightsForm
from ..selectors import cached_budget_report, equal_profile, fitting_weights, latest_budget
from .common import as_at_param, base, form_page, year_url


def _line(allocation, code):
    return get_object_or_404(allocation.lines.prefetch_related("themes"), code=code)


@require_safe
@roles.programme_reader_required
def line_detail(request, year, code):
    allocation = get_allocation_for_user(request.user, year, READ)
    line = _line(allocation, code)
    report = cached_budget_report(allocation, as_at=as_at_param(request))
    figures = next(f for f in report.lines if f.line.pk == line.pk)
    months = [
        {
            "period": p,
            "month": period_month_name(p),
            "profile": figures.profile[p],
            "actual": figures.actuals[p] if p <= report.as_at else None,
            "forecast": figures.forecast[p],
        }
        for p in range(1, 13)
    ]
    weights = {w.theme_id: w.weight for w in line.theme_weights.all()}
    themes = list(line.themes.all())
    stale = bool(weights) and not fitting_weights([t.pk for t in themes], weights)
    if stale:
        weights = {}  # not used: the line is shared equally until they are set again
    return render(
        request,
        "budget/line_detail.html",
        base(
            request,
            allocation,
            line=line,
            figures=figures,
            report=report,
            months=months,
            posts=line.posts.all(),
            commitments=selectors.commitments_with_payment(line.commitments.all()),
            themes=[(t, weights.get(t.pk)) for t in themes],
            stale_weights=stale,
        ),
    )


@roles.programme_reader_required
def line_months(request, year, code):
    allocation = get_allocation_for_user(request.user, year, EDIT)
    line = _line(allocation, code)
    existing = {m.period: (m.profile, m.forecast) for m in line.months.all()}
    if not existing:
        existing = {p: (amount, None) for p, amount in equal_profile(latest_budget(line)).items()}
    form = LineMonthsForm(
        editing.posted(request), months=existing, year=allocation.financial_year, record=line
    )
    back = year_url(allocation, "budget:line", code=line.code)

    def save(form):
        data = form.cleaned_data
        return line_actions.line_months_update(
            line=line,
            actor=request.user,
            version=data["version"],
            profile={p: data[f"profile_{p}"] for p in range(1, 13)},
            forecast={p: data[f"forecast_{p}"] for p in range(1, 13)},
        )

    return form_page(
        request,
        allocation,
        form,
        save,
        success="Profile and forecast saved.",
        title=f"Profile and forecast: {line.title}",
        submit="Save",
        back=back,
        intro="The profile is when the budget is planned to be spent; it must add up to the "
        "line's budget. A forecast by hand overrides the forecast from posts or the profile "
        "for periods not yet in the ledger.",
    )


def _line_record_edit(request, year, code, pk, form_class, noun, add, update):
    """Add one of a line's posts or commitments (a `noun`), or change the one `pk` names, from
    the version its form was opened at: `add(line, actor, data)` and `update(record, actor,
    version, data)` are the actions, given the form's cleaned data. A record stays on its line."""
    allocation = get_allocation_for_user(request.user, year, EDIT)
    line = _line(allocation, code)
    records = form_class._meta.model.objects.filter(line=line)
    instance = get_object_or_404(records, pk=pk) if pk else None
    back = year_url(allocation, "budget:line", code=line.code)

    def call(form):
        data = form.cleaned_data
        if instance is None:
            return add(line=line, actor=request.user, data=data)
        return update(record=instance, actor=request.user, version=data.get("version"), data=data)

    return form_page(
        request,
        allocation,
        form_class(editing.posted(request), instance=instance),
        call,
        success="Saved.",
        title=f"{'Change' if pk else 'Add'} a {noun}: {line.title}",
        submit="Save",
        back=back,
    )


def _commitment_fields(data) -> dict:
    return {
        "kind": data["kind"],
        "description": data["description"],
        "reference": data["reference"],
        "amount": data["amount"],
        "raised_on": data["raised_on"],
    }


def _post_fields(data) -> dict:
    return {
        "post_number": data["post_number"],
        "title": data["title"],
        "annual_cost": data["annual_cost"],
        "status": data["status"],
        "start_date": data["start_date"],
    }


@roles.programme_reader_required
def commitment_edit(request, year, code, pk=None):
    def add(line, actor, data):
        return line_actions.commitment_add(line=line, actor=actor, **_commitment_fields(data))

    def update(record, actor, version, data):
        return line_actions.commitment_update(
            commitment=record, actor=actor, version=version, **_commitment_fields(data)
        )

    return _line_record_edit(request, year, code, pk, CommitmentForm, "commitment", add, update)


@roles.programme_reader_required
def post_edit(request, year, code, pk=None):
    def add(line, actor, data):
        return line_actions.post_add(line=line, actor=actor, **_post_fields(data))

    def update(record, actor, version, data):
        return line_actions.post_update(
            post=record, actor=actor, version=version, **_post_fields(data)
        )

    return _line_record_edit(request, year, code, pk, PostForm, "post", add, update)


@roles.programme_reader_required
def line_themes(request, year, code):
    allocation = get_allocation_for_user(request.user, year, MANAGE)
    line = _line(allocation, code)
    weights = {w.theme_id: w.weight for w in line.theme_weights.all()}
    themes = list(line.themes.all())
    back = year_url(allocation, "budget:line", code=line.code)

    def save(form):
        chosen = {t: form.cleaned_data[f"theme_{t.pk}"] for t in themes}
        return line_actions.theme_weights_set(
            line=line, actor=request.user, weights=chosen, version=form.cleaned_data["version"]
        )

    return form_page(
        request,
        allocation,
        ThemeWeightsForm(editing.posted(request), themes=themes, weights=weights, record=line),
        save,
        success="Theme weights saved.",
        title=f"How themes share: {line.title}",
        submit="Save weights",
        back=back,
        intro="Each theme carries its weight's share of the line's spend. Equal weights split "
        "it equally.",
    )
