"""A year of evaluation for the demo: audits with grades, a staff survey, a peer review, an
independent auditor's challenge and an Ofsted focused visit with findings, so the readiness view
has something to say on first run. Dates are relative to today, so statuses stay meaningful.

Idempotent: each activity is matched by its title, and skipped when it is already there.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from havering_improve.actions import backdate, batch
from themes.actions.records import measure_create
from themes.models import Measure, Theme

from .actions import activities, findings, inspections, recommendations
from .actions import audits as audit_actions
from .actions import feedback as feedback_actions
from .models import (
    ActivityKind,
    EvaluationActivity,
    EvaluationStrand,
    Finding,
    Inspection,
    JudgementArea,
)

# Which themes answer which ILACS judgement area (a reading of the plan; the programme manager
# changes it on the readiness page).
AREA_THEMES = {
    "overall": ["quality-assurance", "workforce-development"],
    "leaders": ["supervision", "quality-assurance", "workforce-development"],
    "help-and-protection": ["smart-planning", "adolescent-safeguarding", "case-recording"],
    "children-in-care": ["pathway-planning", "smart-planning", "case-recording"],
}

# Percentage measures that audits feed: (theme slug, name, what is counted, baseline, target).
AUDIT_MEASURES = [
    (
        "supervision",
        "Supervision audits graded good or better",
        "Supervision records audited in QA audits and practice weeks that are graded good or "
        "outstanding, as a percentage of the supervision records audited.",
        "45",
        "80",
    ),
    (
        "case-recording",
        "Case records audited graded good or better",
        "Children's case records graded good or outstanding for the quality of their recording, "
        "as a percentage of the records audited that quarter.",
        "38",
        "75",
    ),
    (
        "smart-planning",
        "Plans audited graded good or better",
        "Child in need and child protection plans audited as good or outstanding against the "
        "SMART planning standard, as a percentage of the plans audited.",
        "42",
        "75",
    ),
]


def season(day: dt.date) -> str:
    """The season a practice week or audit is named for (meteorological: winter is December to
    February)."""
    return ["Winter", "Spring", "Summer", "Autumn"][day.month % 12 // 3]


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _measures(themes, today, pm):
    found = {}
    for slug, name, definition, baseline, target in AUDIT_MEASURES:
        if slug not in themes:
            continue
        measure = Measure.objects.filter(theme=themes[slug], name=name).first()
        measure = measure or measure_create(
            theme=themes[slug],
            actor=pm,
            name=name,
            definition=definition,
            unit=Measure.Unit.PERCENT,
            direction=Measure.Direction.HIGHER,
            baseline_value=Decimal(baseline),
            baseline_date=today - dt.timedelta(days=365),
            target_value=Decimal(target),
            target_date=today + dt.timedelta(days=365),
        )
        found[slug] = measure
    return found


@batch()
def demo_data_load(*, programme, stdout=None) -> None:
    today = timezone.localdate()
    pm = _user("programme.manager")
    themes = {t.slug: t for t in Theme.objects.filter(programme=programme)}
    strands = {s.slug: s for s in EvaluationStrand.objects.filter(programme=programme)}
    if not strands or EvaluationActivity.objects.filter(programme=programme).exists():
        # Titles name the season they fall in, so a later run would not match them: a
        # programme with any evaluation activity keeps what it has.
        return

    for area in JudgementArea.objects.filter(framework="ILACS", slug__in=AREA_THEMES):
        if not area.themes.filter(programme=programme).exists():
            inspections.judgement_area_themes_set(
                area=area,
                programme=programme,
                themes=[themes[s] for s in AREA_THEMES[area.slug] if s in themes],
                actor=pm,
            )

    measures = _measures(themes, today, pm)
    created = 0

    def day(offset):
        return today + dt.timedelta(days=offset)

    def activity(title, strand, kind, start, *, end=None, done=True, theme_slugs=(), **extra):
        nonlocal created
        existing = EvaluationActivity.objects.filter(programme=programme, title=title).first()
        if existing is not None or strand not in strands:
            return None
        created += 1
        return activities.activity_create(
            programme=programme,
            actor=pm,
            strand=strands[strand],
            kind=kind,
            title=title,
            start_date=day(start),
            end_date=day(end) if end is not None else None,
            completed_on=day(end if end is not None else start) if done else None,
            themes=[themes[s] for s in theme_slugs if s in themes],
            **extra,
        )

    def grades(audit, slug, date, counts, notes):
        if audit is None or slug not in themes:
            return
        outstanding, good, ri, inadequate = counts
        audit_actions.audit_result_record(
            activity=audit,
            actor=pm,
            theme=themes[slug],
            date=day(date),
            cases_audited=sum(counts),
            outstanding=outstanding,
            good=good,
            requires_improvement=ri,
            inadequate=inadequate,
            notes=notes,
            measure=measures.get(slug),
        )

    def finding(source, kind, title, slugs, *, response=Finding.Response.AWAITING, **extra):
        if source is None:
            return None
        return findings.finding_create(
            activity=source,
            actor=pm,
            kind=kind,
            title=title,
            themes=[themes[s] for s in slugs if s in themes],
            recorded_on=source.completed_on or source.start_date,
            response=response,
            **extra,
        )

    # The QA audits and practice weeks done: title, first and last day, who led it, and each
    # theme's grades (outstanding, good, requires improvement, inadequate) with any notes.
    qa = "practice-week-qa-audits"
    qa_lead = {"lead": _user("lead.quality-assurance")}
    audits = [
        (
            "Supervision and case recording audit",
            (-335, -330),
            {"lead_name": "Head of Service, Quality Assurance"},
            {
                "supervision": ((1, 8, 9, 2), "Reflective supervision rarely recorded."),
                "case-recording": ((0, 8, 10, 2), ""),
            },
        ),
        (
            f"{season(day(-244))} practice week",
            (-244, -240),
            qa_lead,
            {"supervision": ((2, 15, 11, 2), ""), "smart-planning": ((1, 12, 10, 2), "")},
        ),
        (
            f"{season(day(-64))} QA audit",
            (-64, -60),
            qa_lead,
            {"supervision": ((2, 14, 7, 1), ""), "case-recording": ((1, 11, 10, 2), "")},
        ),
    ]
    for title, (start, end), lead, results in audits:
        audit = activity(
            title, qa, ActivityKind.QA_AUDIT, start, end=end, theme_slugs=list(results), **lead
        )
        for slug, (counts, notes) in results.items():
            grades(audit, slug, end, counts, notes)

    survey = activity(
        "Annual staff survey",
        "staff-feedback",
        ActivityKind.STAFF_FEEDBACK,
        -214,
        end=-200,
        theme_slugs=["supervision", "workforce-development"],
        lead_name="Workforce Development Manager",
    )
    if survey is not None:
        feedback = feedback_actions.feedback_save(
            activity=survey,
            actor=pm,
            responses=164,
            key_messages="Supervision is more regular but not always reflective.\n"
            "Staff value the Social Care Academy's training offer.\n"
            "Caseloads in the assessment teams still feel too high.",
            themes=[themes[s] for s in ("supervision", "workforce-development") if s in themes],
        )
        csv_text = (
            "question,score,out_of,responses\n"
            "I receive regular supervision,4.1,5,164\n"
            "Supervision helps me reflect on my practice,3.4,5,162\n"
            "I would recommend Havering as a place to work,3.8,5,160\n"
        )
        feedback_actions.survey_scores_import(
            feedback=feedback,
            upload=SimpleUploadedFile("staff-survey.csv", csv_text.encode(), "text/csv"),
            actor=pm,
        )

    peer = activity(
        "Peer review of adolescent safeguarding",
        "peer-reviews",
        ActivityKind.PEER_REVIEW,
        -152,
        end=-150,
        theme_slugs=["adolescent-safeguarding", "smart-planning"],
        partner_authorities="London Borough of Redbridge\nLondon Borough of Barking and Dagenham",
        lead_name="Assistant Director, Children's Social Care",
    )
    finding(
        peer,
        Finding.Kind.STRENGTH,
        "Strong multi-agency response to exploitation through the MACE panel",
        ["adolescent-safeguarding"],
    )
    afi = finding(
        peer,
        Finding.Kind.AREA_FOR_IMPROVEMENT,
        "Safety plans for adolescents are not consistently SMART",
        ["adolescent-safeguarding", "smart-planning"],
        area=JudgementArea.objects.filter(slug="help-and-protection").first(),
        response=Finding.Response.ACCEPTED,
        response_note="Practice workshops on SMART safety planning for all adolescent teams.",
        action_owner="Service Manager, Adolescents",
        action_due=day(30),
    )
    if afi is not None and "smart-planning" in themes:
        milestone = findings.finding_to_milestone(
            finding=afi, theme=themes["smart-planning"], actor=pm
        )
        backdate(milestone, history_at=_responded(afi))

    auditor = activity(
        "Independent auditor's challenge session",
        "independent-auditor",
        ActivityKind.INDEPENDENT_CHALLENGE,
        -100,
        theme_slugs=["quality-assurance", "case-recording"],
        lead_name="Independent auditor",
    )
    challenge = finding(
        auditor,
        Finding.Kind.AREA_FOR_IMPROVEMENT,
        "Audit findings are not yet routinely closed off with the practitioner",
        ["quality-assurance"],
        response=Finding.Response.ACCEPTED,
        response_note="Add a practitioner feedback step to the audit tool.",
        action_owner="QA Support Officer",
        action_due=day(45),
    )
    if challenge is not None and "quality-assurance" in themes:
        risk = findings.finding_to_risk(
            finding=challenge, theme=themes["quality-assurance"], likelihood=3, impact=3, actor=pm
        )
        backdate(risk, history_at=_responded(challenge))
    finding(
        auditor,
        Finding.Kind.RECOMMENDATION,
        "Report data-quality exceptions to the Improvement Board each quarter",
        ["case-recording"],
    )

    visit = activity(
        "Ofsted focused visit: children in need and child protection",
        "ofsted-focused-visit",
        ActivityKind.OFSTED_VISIT,
        -32,
        end=-31,
        theme_slugs=["smart-planning", "case-recording", "supervision"],
        lead_name="Director of Children's Services",
    )
    if visit is not None:
        inspection = inspections.inspection_record(
            programme=programme,
            actor=pm,
            grades={},
            kind=Inspection.Kind.FOCUSED_VISIT,
            title="Ofsted focused visit: children in need and child protection",
            inspector="Ofsted",
            start_date=day(-32),
            end_date=day(-31),
            summary="Focused visits are not graded. Inspectors found improved management "
            "oversight, with plans still too variable in quality.",
            activity=visit,
        )
        area = JudgementArea.objects.filter(slug="help-and-protection").first()
        for text, slugs in [
            (
                "Improve the quality and specificity of child in need and child protection plans.",
                ["smart-planning"],
            ),
            (
                "Make sure management oversight and supervision are recorded on children's files.",
                ["supervision", "case-recording"],
            ),
        ]:
            recommendations.recommendation_add(
                inspection=inspection,
                actor=pm,
                themes=[themes[s] for s in slugs if s in themes],
                text=text,
                area=area,
            )
        finding(
            visit,
            Finding.Kind.STRENGTH,
            "Management oversight of casework has improved since the last inspection",
            ["supervision"],
        )
        finding(
            visit,
            Finding.Kind.AREA_FOR_IMPROVEMENT,
            "Plans are too variable in quality",
            ["smart-planning"],
            area=area,
        )

    activity(
        "Care leavers' feedback survey",
        "service-user-feedback",
        ActivityKind.SERVICE_USER_FEEDBACK,
        -20,
        end=-10,
        done=False,
        theme_slugs=["pathway-planning"],
        lead=_user("lead.pathway-planning"),
    )
    activity(
        f"{season(day(20))} practice week",
        qa,
        ActivityKind.QA_AUDIT,
        20,
        end=24,
        done=False,
        theme_slugs=["supervision", "smart-planning", "case-recording"],
        **qa_lead,
    )
    activity(
        "Second peer review: pathway planning",
        "peer-reviews",
        ActivityKind.PEER_REVIEW,
        75,
        end=76,
        done=False,
        theme_slugs=["pathway-planning"],
        partner_authorities="Essex County Council\nLondon Borough of Bexley",
    )
    if stdout is not None:
        stdout.write(f"Evaluation demo: {created} activities added.")


def _responded(finding) -> dt.datetime:
    """When the programme manager took a finding onto a theme: the week after it was recorded
    (never later than now), so the theme's history and the pack's "Since the last meeting" date
    the new milestone or risk then, not the day the demo was loaded."""
    day = finding.recorded_on + dt.timedelta(days=7)
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(11))), timezone.now())
