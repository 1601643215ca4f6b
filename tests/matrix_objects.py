"""The objects the permission matrix opens: one of each kind, from the demo programme, always in
the Supervision theme (led by `lead.supervision`) so "another theme's lead" is a stranger."""

THEME = "supervision"


def _first(model, **filters):
    obj = model.objects.filter(**filters).order_by("pk").first()
    if obj is None:
        raise LookupError(f"The demo data has no {model.__name__} matching {filters}")
    return obj


OTHER_THEME = "quality-assurance"  # led by "the lead of another theme"


def presented_pack():
    """A published pack whose meeting has Supervision in focus and the other lead's theme not."""
    from reporting.models import MeetingPack

    return _first_in(
        MeetingPack.objects.exclude(meeting__slots__theme__slug=OTHER_THEME),
        status="published",
        meeting__slots__theme__slug=THEME,
    )


def _pack_chart_key() -> str:
    """The key in the address of the presented pack's first chart."""
    from reporting.documents import pack_charts

    with presented_pack().html.open("rb") as stored:
        return next(iter(pack_charts(stored.read().decode())))


def _measure_chart_version(measure) -> str:
    from themes.charts import measure_chart_drawn

    return measure_chart_drawn(measure)[0]


def _budget_chart_version(allocation) -> str:
    from budget.charts import cumulative_chart_version
    from budget.selectors import cached_budget_report

    return cumulative_chart_version(cached_budget_report(allocation))


def _first_in(queryset, **filters):
    obj = queryset.filter(**filters).order_by("pk").first()
    if obj is None:
        raise LookupError(f"The demo data has no {queryset.model.__name__} matching {filters}")
    return obj


def kwargs_for(name: str) -> dict:
    from board import models as board
    from budget import models as budget
    from evaluation import models as evaluation
    from reporting import models as reporting
    from themes import models as themes

    app, _, url = name.partition(":")
    # The year the demo's ledger is in: the latest allocated.
    latest = budget.BudgetAllocation.objects.order_by("-start_year").first()
    year = {"year": latest.financial_year.slug}
    theme = {"slug": THEME}
    table = {
        # A reset link that is not valid (the page says so, to anyone).
        "password_reset_confirm": lambda: {"uidb64": "MA", "token": "not-a-token"},
        "themes:detail": lambda: theme,
        "themes:section": lambda: {**theme, "section": "measures"},
        "themes:pid_edit": lambda: theme,
        "themes:pid_submit": lambda: theme,
        "themes:pid_review": lambda: theme,
        "themes:pid_compare": lambda: theme,
        "themes:pid_version": lambda: {
            **theme,
            "number": _first(themes.PIDVersion, theme__slug=THEME).number,
        },
        "themes:milestone_add": lambda: theme,
        "themes:milestone": lambda: {**theme, "pk": _first(themes.Milestone, theme__slug=THEME).pk},
        "themes:milestone_edit": lambda: {
            **theme,
            "pk": _first(themes.Milestone, theme__slug=THEME).pk,
        },
        "themes:measure_add": lambda: theme,
        "themes:measure": lambda: {**theme, "pk": _first(themes.Measure, theme__slug=THEME).pk},
        "themes:measure_edit": lambda: {
            **theme,
            "pk": _first(themes.Measure, theme__slug=THEME).pk,
        },
        "themes:measure_chart": lambda: {
            **theme,
            "pk": _first(themes.Measure, theme__slug=THEME).pk,
            "version": _measure_chart_version(_first(themes.Measure, theme__slug=THEME)),
        },
        "themes:reading_add": lambda: {**theme, "pk": _first(themes.Measure, theme__slug=THEME).pk},
        "themes:risk_add": lambda: theme,
        "themes:risk_edit": lambda: {**theme, "pk": _first(themes.Risk, theme__slug=THEME).pk},
        "themes:report_start": lambda: theme,
        "themes:report": lambda: {
            **theme,
            "pk": _first(themes.HighlightReport, theme__slug=THEME).pk,
        },
        "themes:report_edit": lambda: {
            **theme,
            "pk": _first(themes.HighlightReport, theme__slug=THEME, status="draft").pk,
        },
        "themes:report_submit": lambda: {
            **theme,
            "pk": _first(themes.HighlightReport, theme__slug=THEME, status="draft").pk,
        },
        "themes:report_correct": lambda: {
            **theme,
            "pk": _first(themes.HighlightReport, theme__slug=THEME, status="submitted").pk,
        },
        "themes:comment_add": lambda: theme,
        "themes:evidence_add": lambda: theme,
        "themes:evidence": lambda: {**theme, "pk": _first(themes.Evidence, theme__slug=THEME).pk},
        "themes:team_add": lambda: theme,
        "themes:team_remove": lambda: {
            **theme,
            "pk": _first(themes.TeamMembership, theme__slug=THEME).pk,
        },
        "budget:year": lambda: year,
        "budget:report_xlsx": lambda: year,
        "budget:report_csv": lambda: year,
        "budget:chart": lambda: {
            **year,
            "as_at": "latest",
            "version": _budget_chart_version(latest),
        },
        "budget:ledger": lambda: year,
        "budget:ledger_xlsx": lambda: year,
        "budget:ledger_csv": lambda: year,
        "budget:imports": lambda: year,
        "budget:import": lambda: {**year, "pk": _first(budget.LedgerImport).pk},
        "budget:import_confirm": lambda: {**year, "pk": _first(budget.LedgerImport).pk},
        "budget:import_cancel": lambda: {**year, "pk": _first(budget.LedgerImport).pk},
        "budget:import_reverse": lambda: {**year, "pk": _first(budget.LedgerImport).pk},
        "budget:import_file": lambda: {**year, "pk": _first(budget.LedgerImport).pk},
        "budget:queue": lambda: year,
        "budget:allocate": lambda: {
            **year,
            "row_id": _first(budget.LedgerRow, line__isnull=True, active=True).pk,
        },
        "budget:rules": lambda: year,
        "budget:rule_delete": lambda: {**year, "pk": _first(budget.MatchingRule).pk},
        "budget:rule_apply": lambda: {**year, "pk": _first(budget.MatchingRule).pk},
        "budget:periods": lambda: year,
        "budget:period_reopen": lambda: {**year, "period": 1},
        "budget:period_close": lambda: {**year, "period": 1},
        "budget:virements": lambda: year,
        "budget:settings": lambda: year,
        "budget:carry_forward": lambda: year,
        "budget:themes": lambda: year,
        "budget:line": lambda: {**year, "code": "project-manager"},
        "budget:line_months": lambda: {**year, "code": "project-manager"},
        "budget:line_themes": lambda: {**year, "code": "project-manager"},
        "budget:commitment_add": lambda: {**year, "code": "project-manager"},
        "budget:commitment": lambda: {
            **year,
            "code": (c := _first(budget.Commitment)).line.code,
            "pk": c.pk,
        },
        "budget:post_add": lambda: {**year, "code": "project-manager"},
        "budget:post": lambda: {**year, "code": (p := _first(budget.Post)).line.code, "pk": p.pk},
        "evaluation:activity_detail": lambda: {"pk": _first(evaluation.EvaluationActivity).pk},
        "evaluation:area_themes": lambda: {"slug": "leaders"},
        "evaluation:activity_edit": lambda: {"pk": _first(evaluation.EvaluationActivity).pk},
        "evaluation:audit_create": lambda: {
            "pk": _first(evaluation.EvaluationActivity, strand__slug="practice-week-qa-audits").pk
        },
        "evaluation:audit_edit": lambda: {
            "pk": _first(evaluation.AuditResult, theme__slug=THEME).pk
        },
        "evaluation:feedback_edit": lambda: {
            "pk": _first(evaluation.EvaluationActivity, strand__slug="staff-feedback").pk
        },
        "evaluation:survey_import": lambda: {
            "pk": _first(evaluation.EvaluationActivity, strand__slug="staff-feedback").pk
        },
        "evaluation:finding_create": lambda: {"pk": _first(evaluation.EvaluationActivity).pk},
        "evaluation:finding_edit": lambda: {
            "pk": _first(evaluation.Finding, themes__slug=THEME).pk
        },
        "evaluation:evidence_add": lambda: {
            "pk": _first(evaluation.Finding, themes__slug=THEME).pk
        },
        "evaluation:finding_milestone": lambda: {
            "pk": _first(evaluation.Finding, themes__slug=THEME).pk
        },
        "evaluation:finding_risk": lambda: {
            "pk": _first(evaluation.Finding, themes__slug=THEME).pk
        },
        "evaluation:evidence_download": lambda: {
            "pk": _first(evaluation.FindingEvidence, finding__themes__slug=THEME).pk
        },
        "evaluation:inspection_detail": lambda: {"pk": _first(evaluation.Inspection).pk},
        "evaluation:inspection_edit": lambda: {"pk": _first(evaluation.Inspection).pk},
        "evaluation:recommendation_create": lambda: {"pk": _first(evaluation.Inspection).pk},
        "evaluation:recommendation_edit": lambda: {"pk": _first(evaluation.Recommendation).pk},
        "evaluation:theme_evidence": lambda: theme,
        "board:meeting": lambda: {"pk": _first(board.Meeting).pk},
        "board:meeting_edit": lambda: {"pk": _first(board.Meeting).pk},
        "board:meeting_pins": lambda: {"pk": _first(board.Meeting).pk},
        "board:meeting_cancel": lambda: {"pk": _first(board.Meeting).pk},
        "board:minutes": lambda: {"pk": _first(board.Meeting).pk},
        "board:decision_add": lambda: {"pk": _first(board.Meeting).pk},
        "board:action_add": lambda: {"pk": _first(board.Meeting).pk},
        "board:pack_build": lambda: {"pk": _first(board.Meeting).pk},
        "board:action_update": lambda: {"pk": _first(board.Action).pk},
        # A published pack whose meeting has Supervision in focus (and not the other lead's
        # theme): its lead presents it, so reads it.
        "board:pack": lambda: {"pk": presented_pack().pk},
        "board:pack_pdf": lambda: {"pk": presented_pack().pk},
        "board:pack_chart": lambda: {"pk": presented_pack().pk, "key": _pack_chart_key()},
        "board:pack_publish": lambda: {"pk": _first(reporting.MeetingPack).pk},
        "board:pack_reissue": lambda: {"pk": _first(reporting.MeetingPack).pk},
        # Schedules are addressed by their reporting body.
        "board:schedule_edit": lambda: {"pk": _first(reporting.ReportSchedule).board_id},
        "board:schedule_preview": lambda: {"pk": _first(reporting.ReportSchedule).board_id},
        "board:schedule_make_now": lambda: {"pk": _first(reporting.ReportSchedule).board_id},
        "board:report": lambda: {"pk": _first(reporting.ProgressReport).pk},
        "board:report_pdf": lambda: {"pk": _first(reporting.ProgressReport).pk},
        "board:report_retry": lambda: {"pk": _first(reporting.ProgressReport).pk},
    }
    if app == "selfevaluation":
        return self_evaluation_kwargs(url)
    return table[name]() if name in table else {}


def self_evaluation_kwargs(url: str) -> dict:
    """The demo's signed-off self-evaluation (last year's) and its signed-off version; this
    year's draft, its section on the impact of leaders and what is in it; the engagement meeting
    and the action arising that lead.supervision owns."""
    from selfevaluation import models as se

    signed = lambda: {"pk": _first(se.SelfEvaluation, status="signed_off").pk}  # noqa: E731
    draft = lambda: {"pk": _first(se.SelfEvaluation, status="draft").pk}  # noqa: E731
    section = {"self_evaluation__status": "draft", "area__slug": "leaders"}

    def inside(model):
        return lambda: {"pk": _first(model, **{f"section__{k}": v for k, v in section.items()}).pk}

    table = {
        "detail": signed,
        **dict.fromkeys(("settings", "gather", "submit", "sign_off", "return"), draft),
        **dict.fromkeys(
            ("section", "section_edit", "claim_add", "plan_add"),
            lambda: {"pk": _first(se.Section, **section).pk},
        ),
        "evidence_edit": inside(se.EvidenceItem),
        "claim_edit": inside(se.Claim),
        "plan_edit": inside(se.PlanItem),
        **dict.fromkeys(
            ("version", "version_pdf", "version_docx"),
            lambda: {"pk": _first(se.FrozenVersion, kind="signed_off").pk},
        ),
        **dict.fromkeys(
            ("meeting", "meeting_edit", "letter", "action_add"),
            lambda: {"pk": _first(se.EngagementMeeting).pk},
        ),
        "action": lambda: {
            "pk": _first(se.EngagementAction, owner__username="lead.supervision").pk
        },
    }
    return table[url]() if url in table else {}
