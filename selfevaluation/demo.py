"""The demo's self-evaluations, written from the demo's own evidence: last year's, signed off by
the Director of Children's Services (who holds the Sign-off permission) and discussed at the
annual engagement meeting, whose actions are tracked; and this year's draft, started from it.
Everything is done through the actions people use, then dated on the demo's timeline with
`backdate`. Idempotent: a programme with a self-evaluation keeps what it has.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from havering_improve import demo as demo_settings
from havering_improve import roles
from havering_improve.actions import backdate
from havering_improve.fy import FinancialYear

from .actions import claims as claims_actions
from .actions import engagement as engagement_actions
from .actions import grants as grants_actions
from .actions import review as review_actions
from .actions import sections as sections_actions
from .actions import self_evaluations as self_evaluations_actions
from .models import EvidenceItem, SelfEvaluation

DCS = ("dcs", "Angela", "Morrison", "Director of Children's Services")

# A minimal PDF, standing in for Ofsted's letter after the engagement meeting.
LETTER = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _dcs(password_hash: str):
    """The Director of Children's Services: chairs the Board, so holds the Board member role."""
    username, first, last, _ = DCS
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first, last_name=last, password=password_hash)
        user.email = f"{username}@havering.example"
        user.save()
    user.groups.add(Group.objects.get(name=roles.BOARD_MEMBER))
    return user


def _evidence(self_evaluation, section_title_start: str, *prefixes: str) -> list[EvidenceItem]:
    """The section's gathered evidence of the kinds named (`"audit"`, or the kind of record it
    came from, `"activity"`), or, named with a word after a colon (`"measure:supervision"`), of
    those kinds whose statement holds that word."""
    wanted = [prefix.partition(":") for prefix in prefixes]
    return [
        item
        for item in EvidenceItem.objects.filter(
            section__self_evaluation=self_evaluation,
            section__title__startswith=section_title_start,
        )
        if any(
            kind in (item.kind, item.source_key.split(":")[0])
            and word.lower() in item.statement.lower()
            for kind, _, word in wanted
        )
    ]


def _section(self_evaluation, title_start: str):
    return self_evaluation.sections.get(title__startswith=title_start)


LAST_YEAR = {
    "The impact of leaders": (
        "Leaders know where supervision is weakest because they audit it every quarter.",
        "Audits of supervision records and the measures built on them tell us this.",
        "Supervision and workforce development stay the focus for leaders this year.",
        [
            (
                "strength",
                "Managers now record reflective supervision more often than at the baseline.",
                ("audit:supervision", "measure:supervision"),
            ),
            (
                "afi",
                "Too few supervision records show management oversight of drift and delay.",
                ("measure:oversight",),
            ),
        ],
    ),
    "The experiences and progress of children who need help": (
        "Help and protection was the area Ofsted judged requires improvement in 2018.",
        "Plans audited against the SMART standard are our main source here.",
        "SMART planning is the theme that carries this area's improvement.",
        [
            (
                "afi",
                "Child in need plans are too often vague about who does what by when.",
                ("audit:smart", "measure:plans audited"),
            ),
        ],
    ),
    "The experiences and progress of children in care": (
        "Pathway plans for care leavers are improving but remain uneven between teams.",
        "Case recording audits show how well the plans are written down.",
        "Pathway planning and case recording will be audited together this year.",
        [
            (
                "strength",
                "Case records for children in care are more often up to date than a year ago.",
                ("audit:case recording", "measure:case notes"),
            ),
        ],
    ),
    "The whole": (
        "We remain a good service that knows its weaknesses and is acting on them.",
        "Our evidence comes from quarterly audits, measures and the themes' monthly reports.",
        "The improvement programme's seven themes carry our plans for the year ahead.",
        [],
    ),
}

THIS_YEAR = {
    "The impact of leaders": (
        "Supervision has improved most where team managers took part in the practice weeks.",
        "Three rounds of audit and the independent auditor's challenge show the change.",
        "We will extend reflective supervision training to every team manager by the spring.",
        [
            (
                "strength",
                "Supervision audits graded good or better have risen each round this year.",
            ),
            ("afi", "The independent auditor found that oversight of drift is still inconsistent."),
        ],
        {0: ("audit:supervision", "measure:supervision audits"), 1: ("challenge:independent",)},
    ),
    "The experiences and progress of children who need help": (
        "Ofsted's focused visit confirmed both our progress and what remains to be done.",
        "The focused visit and our own plan audits agree on where plans fall short.",
        "Every child protection plan will be reviewed against the SMART standard.",
        [
            ("afi", "Inspectors found plans for children in need still lack clear timescales."),
        ],
        {0: ("challenge:plans are too variable", "recommendation:child in need")},
    ),
    "The experiences and progress of children in care": (
        "Care leavers' pathway plans are now reviewed on time in most teams.",
        "The pathway planning theme's reports and our case recording audits show this.",
        "A second peer review will test pathway planning with two partner authorities.",
        [
            ("strength", "Case recording for children in care kept the gains audited last winter."),
            ("strength", "Care leavers tell us they feel listened to by their personal advisers."),
        ],
        {0: ("audit:case recording", "measure:case records", "rag:case recording")},
    ),
    "The whole": (
        "We judge ourselves good, with help and protection still short of good.",
        "A peer review, independent challenge and Ofsted's focused visit tested our view.",
        "Our plans follow the recommendations of the focused visit and the peer review.",
        [
            ("strength", "External challenge this year agreed with what our own audits told us."),
        ],
        {0: ("activity:", "inspection:")},
    ),
}


def _write(self_evaluation, plan: dict, pm, *, carried: bool) -> None:
    for start, (know, how, plans, claims, *_links) in plan.items():
        section = _section(self_evaluation, start)
        sections_actions.section_update(
            actor=pm,
            section=section,
            version=section.version,
            what_we_know=know,
            how_we_know=how,
            plans=plans,
        )
        if carried:
            continue
        for kind, sentence, prefixes in claims:
            claims_actions.claim_add(
                actor=pm,
                section=section,
                kind=kind,
                sentence=sentence,
                evidence=_evidence(self_evaluation, start, *prefixes),
            )


def _rewrite_claims(self_evaluation, pm) -> None:
    """This year's claims: last year's, carried over, rewritten with this year's evidence, and
    new ones where last year had none."""
    for start, (_, _, _, sentences, links) in THIS_YEAR.items():
        section = _section(self_evaluation, start)
        carried = list(section.claims.order_by("order", "pk"))
        for n, (kind, sentence) in enumerate(sentences):
            evidence = _evidence(self_evaluation, start, *links.get(n, ()))
            if n < len(carried):
                claim = carried[n]
                claims_actions.claim_update(
                    actor=pm,
                    claim=claim,
                    version=claim.version,
                    kind=kind,
                    sentence=sentence,
                    evidence=evidence,
                )
            else:
                claims_actions.claim_add(
                    actor=pm,
                    section=section,
                    kind=kind,
                    sentence=sentence,
                    evidence=evidence,
                )


def demo_data_load(*, programme, stdout=None) -> None:
    if SelfEvaluation.objects.filter(programme=programme).exists():
        return
    User = get_user_model()
    pm = User.objects.filter(username="programme.manager").first()
    lead = User.objects.filter(username="lead.supervision").first()
    if pm is None:
        return
    today = timezone.localdate()
    this_year = FinancialYear.for_date(today).start_year
    last_as_of = min(dt.date(this_year, 4, 30), today - dt.timedelta(days=120))
    signed_on = last_as_of + dt.timedelta(days=21)
    met_on = last_as_of + dt.timedelta(days=45)

    dcs = _dcs(demo_settings.password_hash(settings.DEMO_PASSWORD))
    grant = grants_actions.sign_off_grant(
        actor=pm,
        programme=programme,
        user=dcs,
        role_title=DCS[3],
        granted_on=last_as_of - dt.timedelta(days=14),
    )
    backdate(grant, history_at=_moment(grant.granted_on))

    last = self_evaluations_actions.self_evaluation_start(
        actor=pm, programme=programme, year=_label(this_year - 1), as_of=last_as_of, reviewer=dcs
    )
    backdate(last, history_at=_moment(last_as_of + dt.timedelta(days=1)))
    _write(last, {k: (*v, None) for k, v in LAST_YEAR.items()}, pm, carried=False)
    last.refresh_from_db()
    submitted = review_actions.self_evaluation_submit(
        actor=pm, self_evaluation=last, version=last.version
    )
    when = last_as_of + dt.timedelta(days=10)
    backdate(submitted, made_on=when, made_at=_moment(when), history_at=_moment(when))
    last.refresh_from_db()
    signed = review_actions.self_evaluation_sign_off(
        actor=dcs, self_evaluation=last, version=last.version
    )
    backdate(signed, made_on=signed_on, made_at=_moment(signed_on), history_at=_moment(signed_on))
    backdate(last, history_at=_moment(signed_on))

    meeting = engagement_actions.engagement_meeting_record(
        actor=pm,
        programme=programme,
        date=met_on,
        attendees="Angela Morrison, Director of Children's Services\n"
        "Priya Shah, Programme Manager\nOfsted's regional senior HMI\nOfsted's link inspector",
        notes="Inspectors asked how the audit findings reach frontline teams.",
        self_evaluation=last,
    )
    backdate(meeting, history_at=_moment(met_on, 15))
    engagement_actions.engagement_letter_upload(
        actor=pm,
        meeting=meeting,
        upload=SimpleUploadedFile("ofsted-follow-up-letter.pdf", LETTER, "application/pdf"),
    )
    backdate(meeting, history_at=_moment(met_on + dt.timedelta(days=12)))
    owners = [
        (pm, "Send Ofsted the summary of the autumn audit round.", 120, True),
        (lead or pm, "Show inspectors how supervision audits feed team plans.", 200, False),
        (dcs, "Brief the Lead Member on the inspectors' questions about drift.", 30, True),
    ]
    for owner, description, due_in, done in owners:
        arising = engagement_actions.engagement_action_add(
            actor=pm,
            meeting=meeting,
            description=description,
            owner=owner,
            due_date=met_on + dt.timedelta(days=due_in),
        )
        backdate(arising, history_at=_moment(met_on, 16))
        if done:
            closed = min(met_on + dt.timedelta(days=due_in - 5), today)
            engagement_actions.engagement_action_update(
                actor=owner,
                engagement_action=arising,
                version=arising.version,
                status="done",
                progress_note="Done and reported to the Improvement Board.",
                closed_on=closed,
            )
            backdate(arising, history_at=_moment(closed))

    draft = self_evaluations_actions.self_evaluation_start(
        actor=pm,
        programme=programme,
        year=_label(this_year),
        as_of=today,
        reviewer=dcs,
        previous=last,
    )
    _write(draft, {k: v[:4] for k, v in THIS_YEAR.items()}, pm, carried=True)
    _rewrite_claims(draft, pm)
    if stdout is not None:
        stdout.write(
            f"Self-evaluation: {last.year} signed off by {dcs.get_full_name()}, the engagement "
            f"meeting on {met_on:%-d %B %Y} with its actions, and the {draft.year} draft."
        )
