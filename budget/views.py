from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from havering_improve import editing, roles, security, summaries, uploads
from havering_improve.errors import AlreadyDone
from havering_improve.forms import GovukForm, add_service_errors
from havering_improve.fy import FinancialYear, period_month_name
from havering_improve.pagination import page_or_404
from themes.selectors import current_programme

from . import exports, selectors, services
from . import imports as ledger_imports
from . import periods as budget_periods
from .access import EDIT, MANAGE, READ, RECORDS, check, get_allocation_for_user
from .charts import cumulative_chart
from .forms import (
    AllocateForm,
    CarryForwardForm,
    CommitmentForm,
    LedgerUploadForm,
    LineMonthsForm,
    PostForm,
    ReasonForm,
    RuleForm,
    SettingsForm,
    ThemeWeightsForm,
    VirementForm,
)
from .models import PeriodState
from .selectors import (
    BUDGET_AREAS,
    Matcher,
    budget_report,
    cached_budget_report,
    cached_theme_spend,
    equal_profile,
    fitting_weights,
    latest_budget,
    ledger_rows,
    rule_queue_matches,
    stale_weight_lines,
)

PAGE_SIZE = 100


def _year_url(allocation, name="budget:year", **kwargs):
    return reverse(name, kwargs={"year": allocation.financial_year.slug, **kwargs})


def _base(request, allocation, **extra):
    return {
        "allocation": allocation,
        "year": allocation.financial_year,
        "can_edit": roles.can_edit_budget(request.user),
        "can_read_records": roles.can_read_budget_records(request.user),
        "is_manager": roles.is_programme_manager(request.user),
        **extra,
    }


def _form_page(
    request, allocation, form, call, *, success, back, done=None, intro="", warning="", **page
):
    """`editing.edit_page` on the budget's plain form page (`page`: its title and submit
    button), which goes `back` once saved unless `done` says otherwise."""
    context = _base(request, allocation, back=back, intro=intro, warning=warning, **page)
    return editing.edit_page(
        request,
        form,
        call,
        template="budget/form_page.html",
        context=context,
        done=done or back,
        success=success,
    )


def _as_at(request) -> int | None:
    try:
        value = int(request.GET.get("period", ""))
    except ValueError:
        return None
    return value if 0 <= value <= 12 else None


@require_safe
@roles.programme_reader_required
def budget_year(request, year: str | None = None):
    """`/budget/` is the current financial year (or the latest allocated before it);
    `/budget/2019-20/` is that year."""
    check(request.user, READ)

    def years():
        programme = current_programme()
        return programme, list(programme.allocations.order_by("start_year"))

    programme, allocations = summaries.cached(("budget-years",), years, areas=BUDGET_AREAS)
    if year is None:
        today_fy = FinancialYear.for_date(timezone.localdate())
        past = [a for a in allocations if a.start_year <= today_fy.start_year]
        allocation = past[-1] if past else (allocations[0] if allocations else None)
        if allocation is None:
            body = render_to_string("budget/_report_body.html", {"allocation": None})
            return render(request, "budget/report.html", {"allocation": None, "body": body})
    else:
        allocation = next((a for a in allocations if a.financial_year.slug == year), None)
        if allocation is None:
            raise Http404("No budget for that year")
    allocation.programme = programme  # for the page, without a query
    as_at = _as_at(request)
    context = _base(request, allocation)

    def body():
        report = budget_report(allocation, as_at=as_at, kept=True)
        return render_to_string(
            "budget/_report_body.html",
            {
                **context,
                "programme": programme,
                "allocations": allocations,
                "report": report,
                "chart": cumulative_chart(report),
                "as_at_name": period_month_name(report.as_at) if report.as_at else "",
                "periods": range(1, 13),
            },
        )

    # The same for everyone with the same permissions: kept until the data changes.
    permissions = (context["can_edit"], context["can_read_records"], context["is_manager"])
    key = ("budget-report-page", allocation.pk, as_at, *permissions)
    body = summaries.cached(key, body, areas=BUDGET_AREAS)
    return render(request, "budget/report.html", {**context, "body": body})


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _download(request, response, filename):
    """`response` as a file to save as `filename`; the download goes in the security log."""
    security.log_event("export", request=request, file=filename)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@roles.programme_reader_required
def report_download(request, year, fmt):
    """The monitoring report as XLSX or CSV (`fmt`, from the address)."""
    allocation = get_allocation_for_user(request.user, year, READ)
    report = cached_budget_report(allocation, as_at=_as_at(request))
    notes = exports.report_notes(report)
    rows = exports.report_rows(report)
    if fmt == "xlsx":
        body = exports.to_xlsx(
            "Budget monitoring",
            exports.REPORT_HEADER,
            rows,
            notes=notes,
            kinds=exports.REPORT_KINDS,
        )
    else:
        body = exports.to_csv(exports.REPORT_HEADER, rows, notes=notes)
    name = f"budget-monitoring-{allocation.financial_year.slug}-p{report.as_at:02d}.{fmt}"
    return _download(request, HttpResponse(body, content_type=CONTENT_TYPES[fmt]), name)


def _ledger_filters(request, allocation):
    line = None
    code = request.GET.get("line")
    if code:
        line = get_object_or_404(allocation.lines, code=code)

    def number(name):
        try:
            value = int(request.GET.get(name, ""))
        except ValueError:
            return None
        return value if 1 <= value <= 12 else None

    return {
        "line": line,
        "up_to": number("to"),
        "period": number("period"),
        "queue": request.GET.get("queue") == "1",
    }


# An XLSX download of this many rows or more takes long enough to prepare that the page says so.
LARGE_DOWNLOAD_ROWS = 50_000


@require_safe
@roles.programme_reader_required
def ledger(request, year):
    """The ledger rows behind any figure of the report (drill-down): transaction-level, so for
    those who keep the budget (each payroll row is one person's pay)."""
    allocation = get_allocation_for_user(request.user, year, RECORDS)
    filters = _ledger_filters(request, allocation)
    rows = ledger_rows(allocation, **filters).prefetch_related("allocations__line")
    page = page_or_404(rows, PAGE_SIZE, request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "budget/ledger.html",
        _base(
            request,
            allocation,
            page=page,
            filters=filters,
            query=query.urlencode(),
            large_download=page.paginator.count >= LARGE_DOWNLOAD_ROWS,
        ),
    )


@require_safe
@roles.programme_reader_required
def ledger_download(request, year, fmt):
    """Every ledger row the filters select, as XLSX or CSV (`fmt`, from the address), streamed
    (see budget.exports); for those who keep the budget, as the ledger page is."""
    allocation = get_allocation_for_user(request.user, year, RECORDS)
    filters = _ledger_filters(request, allocation)
    values = exports.ledger_values(ledger_rows(allocation, **filters), allocation)
    # A filtered download says so above its header and in its name; an unfiltered one starts
    # with its header, so that it can be imported or read by a script as it is.
    said, named = exports.ledger_filter_words(allocation, **filters)
    notes = [said] if said else []
    if fmt == "xlsx":
        content = exports.xlsx_file("Ledger", exports.LEDGER_HEADER, values, notes=notes)
        response = FileResponse(content, content_type=CONTENT_TYPES[fmt])
    else:
        content = exports.csv_lines(exports.LEDGER_HEADER, values, notes=notes)
        response = StreamingHttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = "-".join(filter(None, ["ledger", allocation.financial_year.slug, named]))
    return _download(request, response, f"{name}.{fmt}")


# --- imports -----------------------------------------------------------------------------


@roles.programme_reader_required
def imports(request, year):
    level = EDIT if request.method == "POST" else RECORDS
    allocation = get_allocation_for_user(request.user, year, level)
    settings = selectors.allocation_settings(allocation)
    form = LedgerUploadForm(initial={"cost_centres": settings.cost_centres})
    if request.method == "POST":
        form = LedgerUploadForm(request.POST, request.FILES)
        if form.is_valid():
            batch = ledger_imports.ledger_import_upload(
                allocation=allocation,
                uploaded_file=form.cleaned_data["file"],
                actor=request.user,
                cost_centres=form.cleaned_data["cost_centres"],
            )
            return redirect(_year_url(allocation, "budget:import", pk=batch.pk))
    batches = allocation.imports.select_related("uploaded_by").order_by("-uploaded_at", "-pk")
    return render(
        request,
        "budget/imports.html",
        _base(request, allocation, form=form, batches=batches),
    )


def _batch(request, year, pk, level):
    allocation = get_allocation_for_user(request.user, year, level)
    batch = get_object_or_404(
        allocation.imports.select_related("uploaded_by", "confirmed_by", "reversed_by"), pk=pk
    )
    return allocation, batch


@require_safe
@roles.programme_reader_required
def import_detail(request, year, pk):
    allocation, batch = _batch(request, year, pk, RECORDS)
    summary = ledger_imports.ImportSummary.of(batch)
    # The whole file is another year's, and the programme has a budget for it: offer it there.
    other_year = None
    if (
        summary.other_year
        and allocation.programme.allocations.filter(
            start_year=FinancialYear.from_slug(summary.other_year).start_year
        ).exists()
    ):
        other_year = FinancialYear.from_slug(summary.other_year)
    return render(
        request,
        "budget/import_detail.html",
        _base(request, allocation, batch=batch, summary=summary, other_year=other_year),
    )


@require_POST
@roles.programme_reader_required
def import_confirm(request, year, pk):
    allocation, batch = _batch(request, year, pk, EDIT)
    try:
        batch = ledger_imports.ledger_import_confirm(batch=batch, actor=request.user)
    except ledger_imports.ImportRefused as exc:
        for problem in exc.problems[:10]:
            messages.error(request, problem.message)
        return redirect(_year_url(allocation, "budget:import", pk=batch.pk))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_year_url(allocation, "budget:import", pk=batch.pk))
    messages.success(
        request, f"Imported {batch.rows_imported} rows totalling £{batch.total_imported:,.2f}."
    )
    return redirect(_year_url(allocation, "budget:import", pk=batch.pk))


@require_POST
@roles.programme_reader_required
def import_cancel(request, year, pk):
    allocation, batch = _batch(request, year, pk, EDIT)
    editing.button_action(
        request,
        lambda: ledger_imports.ledger_import_cancel(batch=batch, actor=request.user),
        success=f"The import of {batch.original_name} was cancelled: nothing was saved.",
    )
    return redirect(_year_url(allocation, "budget:imports"))


@roles.programme_reader_required
def import_reverse(request, year, pk):
    allocation, batch = _batch(request, year, pk, EDIT)
    back = _year_url(allocation, "budget:import", pk=batch.pk)

    def reverse_import(form):
        reason = form.cleaned_data["reason"]
        return ledger_imports.ledger_import_reverse(batch=batch, actor=request.user, reason=reason)

    return _form_page(
        request,
        allocation,
        ReasonForm(editing.posted(request)),
        reverse_import,
        success=f"The import of {batch.original_name} has been reversed.",
        title=f"Reverse the import of {batch.original_name}",
        submit="Reverse the import",
        back=back,
        warning=f"All {batch.rows_imported} rows of this import (£{batch.total_imported:,.2f}) "
        "will be taken out of the actuals. The file and its rows stay on record.",
    )


@require_safe
@roles.programme_reader_required
def import_file(request, year, pk):
    _, batch = _batch(request, year, pk, RECORDS)
    if not batch.original_file:
        raise Http404("No file")
    return uploads.file_download(batch.original_file, name=batch.original_name)


# --- allocation queue and rules ----------------------------------------------------------


@require_safe
@roles.programme_reader_required
def queue(request, year):
    allocation = get_allocation_for_user(request.user, year, RECORDS)
    rows = ledger_rows(allocation, queue=True)
    page = page_or_404(rows, PAGE_SIZE, request)
    return render(
        request,
        "budget/queue.html",
        _base(
            request,
            allocation,
            page=page,
            closed=selectors.closed_periods(allocation),
            offer=_rule_offer(allocation, request.GET.get("rule", "")),
        ),
    )


@roles.programme_reader_required
def allocate(request, year, row_id):
    allocation = get_allocation_for_user(request.user, year, EDIT)
    row = get_object_or_404(allocation.ledger_rows, pk=row_id, active=True)
    lines = list(allocation.lines.order_by("order"))

    def allocate_row(form):
        save_rule = form.cleaned_data.get("save_rule", "")
        services.row_allocate(
            row=row, splits=form.cleaned_data["splits"], actor=request.user, save_rule=save_rule
        )
        # The rule just saved is the one that now places this row.
        return Matcher.for_allocation(allocation).match(row) if save_rule else None

    def done(rule):
        url = _year_url(allocation, "budget:queue")
        return f"{url}?rule={rule.pk}" if rule is not None else url

    return editing.edit_page(
        request,
        AllocateForm(editing.posted(request), lines=lines, row=row),
        allocate_row,
        template="budget/allocate.html",
        context=_base(request, allocation, row=row),
        done=done,
        success=f"{row.reference} allocated.",
    )


def _rule_offer(allocation, rule_id: str) -> dict | None:
    """After a rule is saved while allocating: the other rows waiting that it would place,
    their count and total, offered with a link to apply it to them."""
    rule = allocation.rules.filter(pk=rule_id).first() if rule_id.isdigit() else None
    rows = rule_queue_matches(rule) if rule is not None else []
    if not rows:
        return None
    return {
        "rule": rule,
        "count": len(rows),
        "total": sum((r.amount for r in rows), Decimal("0.00")),
    }


@roles.programme_reader_required
def rules(request, year):
    level = EDIT if request.method == "POST" else RECORDS
    allocation = get_allocation_for_user(request.user, year, level)
    lines = allocation.lines.order_by("order")

    def save(form):
        rule = services.rule_save(allocation=allocation, actor=request.user, **form.cleaned_data)
        return rule, bool(rule_queue_matches(rule))

    def done(saved):
        rule, queued = saved
        if queued:  # offer to place the rows already waiting, before the next import does
            return _year_url(allocation, "budget:rule_apply", pk=rule.pk)
        return _year_url(allocation, "budget:rules")

    return editing.edit_page(
        request,
        RuleForm(editing.posted(request), lines=lines),
        save,
        template="budget/rules.html",
        context=_base(request, allocation, rules=allocation.rules.select_related("line")),
        done=done,
        success=lambda saved: (
            None
            if saved[1]
            else "Rule saved. No row in the queue matches it; it applies to the next import."
        ),
    )


@roles.programme_reader_required
def rule_apply(request, year, pk):
    """Offer to apply a rule to the rows already in the queue: shows them, asks to confirm."""
    allocation = get_allocation_for_user(request.user, year, EDIT)
    rule = get_object_or_404(allocation.rules.select_related("line", "allocation"), pk=pk)
    rows = rule_queue_matches(rule)
    if request.method == "POST":
        editing.button_action(
            request,
            lambda: services.rule_apply_to_queue(rule=rule, actor=request.user),
            success=lambda applied: (
                f"Rule applied: {len(applied)} row{'s' if len(applied) != 1 else ''} placed on "
                f"{rule.line.title}."
            ),
        )
        return redirect(_year_url(allocation, "budget:queue"))
    total = sum((row.amount for row in rows), Decimal("0.00"))
    return render(
        request,
        "budget/rule_apply.html",
        _base(request, allocation, rule=rule, rows=rows, total=total),
    )


@require_POST
@roles.programme_reader_required
def rule_delete(request, year, pk):
    allocation = get_allocation_for_user(request.user, year, EDIT)
    rule = get_object_or_404(allocation.rules, pk=pk)
    services.rule_delete(rule=rule, actor=request.user)
    messages.success(request, "Rule deleted.")
    return redirect(_year_url(allocation, "budget:rules"))


# --- periods -----------------------------------------------------------------------------


def _month(year, period) -> str:
    return f"{period_month_name(period)} {year.period_start(period).year}"


@require_safe
@roles.programme_reader_required
def periods(request, year):
    allocation = get_allocation_for_user(request.user, year, READ)
    states = budget_periods.period_states(allocation)
    fy = allocation.financial_year
    next_period = next((p for p in range(1, 13) if not (p in states and states[p].closed)), None)
    next_problem = next_period and budget_periods.period_close_problem(
        allocation, next_period, states
    )
    rows = [
        {
            "period": p,
            "month": _month(fy, p),
            "state": states.get(p),
            "closable": p == next_period and not next_problem,
        }
        for p in range(1, 13)
    ]
    history = (
        PeriodState.history.filter(allocation_id=allocation.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    return render(
        request,
        "budget/periods.html",
        _base(
            request,
            allocation,
            rows=rows,
            next_period=next_period,
            next_problem=next_problem,
            history=history[:50],
        ),
    )


def _period_page(request, year, period, level):
    """The allocation (if this person may act on it at `level`) and the periods page's address."""
    allocation = get_allocation_for_user(request.user, year, level)
    if not 1 <= period <= 12:
        raise Http404("There are twelve periods.")
    return allocation, _year_url(allocation, "budget:periods")


@roles.programme_reader_required
def period_close(request, year, period):
    """What closing the period freezes, and a button to close it."""
    allocation, back = _period_page(request, year, period, EDIT)
    form = GovukForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            budget_periods.period_close(allocation=allocation, period=period, actor=request.user)
        except AlreadyDone as exc:
            messages.info(request, " ".join(exc.messages) + " Nothing was changed.")
            return redirect(back)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Period {period} is closed; its actuals are frozen.")
            return redirect(back)
    elif problem := budget_periods.period_close_problem(allocation, period):
        form = GovukForm({})
        form.add_error(None, problem)
    fy = allocation.financial_year
    queue = (
        ledger_rows(allocation, up_to=period, queue=True)
        .order_by()
        .aggregate(n=Count("pk"), total=Sum("amount"))
    )
    return render(
        request,
        "budget/period_close.html",
        _base(
            request,
            allocation,
            form=form,
            period=period,
            month=f"{fy.period_start(period):%B %Y}",
            next_month=f"{fy.period_start(period % 12 + 1):%B %Y}" if period < 12 else "",
            report=budget_report(allocation, as_at=period),
            queue_count=queue["n"] or 0,
            queue_total=queue["total"] or Decimal("0.00"),
            back=back,
        ),
    )


@roles.programme_reader_required
def period_reopen(request, year, period):
    allocation, back = _period_page(request, year, period, MANAGE)
    if not allocation.period_states.filter(period=period, closed=True).exists():
        messages.info(request, f"Period {period} is open already. Nothing was changed.")
        return redirect(back)

    def reopen(form):
        try:
            return budget_periods.period_reopen(
                allocation=allocation,
                period=period,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except AlreadyDone as exc:  # reopened by someone else meanwhile
            messages.info(request, " ".join(exc.messages) + " Nothing was changed.")
            return None

    return _form_page(
        request,
        allocation,
        ReasonForm(editing.posted(request)),
        reopen,
        success=lambda state: f"Period {period} is open again." if state else None,
        title=f"Reopen period {period}",
        submit="Reopen the period",
        back=back,
        warning="Its actuals can change again until it is closed. The reason is kept.",
    )


# --- lines: profile, forecast, posts, commitments, themes --------------------------------


def _line(allocation, code):
    return get_object_or_404(allocation.lines.prefetch_related("themes"), code=code)


@require_safe
@roles.programme_reader_required
def line_detail(request, year, code):
    allocation = get_allocation_for_user(request.user, year, READ)
    line = _line(allocation, code)
    report = cached_budget_report(allocation, as_at=_as_at(request))
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
        _base(
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
    back = _year_url(allocation, "budget:line", code=line.code)

    def save(form):
        data = form.cleaned_data
        return services.line_months_update(
            line=line,
            actor=request.user,
            version=data["version"],
            profile={p: data[f"profile_{p}"] for p in range(1, 13)},
            forecast={p: data[f"forecast_{p}"] for p in range(1, 13)},
        )

    return _form_page(
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


def _line_record_edit(request, year, code, pk, form_class, noun, save):
    """Add one of a line's posts or commitments (a `noun`), or change the one `pk` names, from
    the version its form was opened at; `save(actor, obj, version)` is the action."""
    allocation = get_allocation_for_user(request.user, year, EDIT)
    line = _line(allocation, code)
    records = form_class._meta.model.objects.filter(line=line)
    instance = get_object_or_404(records, pk=pk) if pk else None
    back = _year_url(allocation, "budget:line", code=line.code)

    def call(form):
        obj = form.save(commit=False)
        obj.line = line
        return save(actor=request.user, obj=obj, version=form.cleaned_data.get("version"))

    return _form_page(
        request,
        allocation,
        form_class(editing.posted(request), instance=instance),
        call,
        success="Saved.",
        title=f"{'Change' if pk else 'Add'} a {noun}: {line.title}",
        submit="Save",
        back=back,
    )


@roles.programme_reader_required
def commitment_edit(request, year, code, pk=None):
    def save(actor, obj, version):
        return services.commitment_record(actor=actor, commitment=obj, version=version)

    return _line_record_edit(request, year, code, pk, CommitmentForm, "commitment", save)


@roles.programme_reader_required
def post_edit(request, year, code, pk=None):
    def save(actor, obj, version):
        return services.post_record(actor=actor, post=obj, version=version)

    return _line_record_edit(request, year, code, pk, PostForm, "post", save)


@roles.programme_reader_required
def line_themes(request, year, code):
    allocation = get_allocation_for_user(request.user, year, MANAGE)
    line = _line(allocation, code)
    weights = {w.theme_id: w.weight for w in line.theme_weights.all()}
    themes = list(line.themes.all())
    back = _year_url(allocation, "budget:line", code=line.code)

    def save(form):
        chosen = {t: form.cleaned_data[f"theme_{t.pk}"] for t in themes}
        return services.theme_weights_set(
            line=line, actor=request.user, weights=chosen, version=form.cleaned_data["version"]
        )

    return _form_page(
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


# --- virements, settings, carry forward, themes ------------------------------------------


@roles.programme_reader_required
def virements(request, year):
    level = EDIT if request.method == "POST" else READ
    allocation = get_allocation_for_user(request.user, year, level)
    lines = allocation.lines.order_by("order")
    items = allocation.virements.select_related("from_line", "to_line", "recorded_by")
    return editing.edit_page(
        request,
        VirementForm(editing.posted(request), lines=lines),
        lambda form: services.virement_record(
            allocation=allocation, actor=request.user, **form.cleaned_data
        ),
        template="budget/virements.html",
        context=_base(request, allocation, virements=items),
        done=_year_url(allocation, "budget:virements"),
        success="Virement recorded.",
    )


@roles.programme_reader_required
def budget_settings(request, year):
    allocation = get_allocation_for_user(request.user, year, EDIT)
    current = selectors.allocation_settings(allocation)
    return _form_page(
        request,
        allocation,
        SettingsForm(editing.posted(request), instance=current),
        lambda form: editing.save_versioned(
            form, services.allocation_settings_update, allocation=allocation, actor=request.user
        ),
        done=_year_url(allocation),
        success="Settings saved.",
        title="Ledger and RAG settings",
        submit="Save settings",
        back=_year_url(allocation),
    )


@roles.programme_reader_required
def carry_forward(request, year):
    allocation = get_allocation_for_user(request.user, year, EDIT)
    nxt = FinancialYear(allocation.start_year + 1)
    return _form_page(
        request,
        allocation,
        CarryForwardForm(editing.posted(request)),
        lambda form: services.allocation_carry_forward(allocation=allocation, actor=request.user),
        done=_year_url,
        success=lambda new: f"The {new.financial_year.label} budget has been started.",
        title=f"Carry the lines forward into {nxt.label}",
        submit="Carry forward",
        back=_year_url(allocation),
        intro=f"Starts a {nxt.label} budget with the same lines, amounts, themes, posts and "
        "matching rules. Change the amounts afterwards if the service funds them differently.",
    )


@require_safe
@roles.programme_reader_required
def themes_spend(request, year):
    allocation = get_allocation_for_user(request.user, year, READ)
    spend = cached_theme_spend(allocation.programme, allocation.financial_year)
    totals = {
        "budget": sum((s.budget for s in spend), Decimal("0.00")),
        "actual_to_date": sum((s.actual_to_date for s in spend), Decimal("0.00")),
        "forecast_outturn": sum((s.forecast_outturn for s in spend), Decimal("0.00")),
    }
    context = _base(request, allocation, spend=spend, totals=totals)
    if context.get("is_manager"):
        context["stale_weights"] = stale_weight_lines(allocation)
    return render(request, "budget/themes.html", context)
