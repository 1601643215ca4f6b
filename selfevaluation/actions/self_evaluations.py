"""Starting a year's self-evaluation (from last year's, when there is one), its settings, and
gathering the evidence and plans the programme proposes."""

import datetime as dt

from django.core.exceptions import ValidationError

from evaluation.models import JudgementArea
from havering_improve.actions import action, save_current
from programme.models import Programme

from .. import evidence as gathering
from ..models import Claim, EvidenceItem, PlanItem, Section, SelfEvaluation
from ._common import require_open, saved

WHOLE_TITLE = "The whole: overall effectiveness"


def _check_reviewer(programme, reviewer) -> None:
    if reviewer is not None and not programme.sign_offs.filter(user=reviewer).exists():
        raise ValidationError(
            {"reviewer": "Choose someone who holds the Sign-off permission for this programme."}
        )


def _sections(self_evaluation, framework: str = "ILACS") -> list[Section]:
    areas = list(JudgementArea.objects.filter(framework=framework).order_by("order", "pk"))
    parts = [a for a in areas if not a.is_overall]
    whole = next((a for a in areas if a.is_overall), None)
    made = [
        saved(Section(self_evaluation=self_evaluation, area=a, title=a.title, order=n))
        for n, a in enumerate(parts, 1)
    ]
    made.append(
        saved(
            Section(
                self_evaluation=self_evaluation,
                area=whole,
                is_whole=True,
                title=WHOLE_TITLE,
                order=len(parts) + 1,
            )
        )
    )
    return made


def _carry_over(previous: SelfEvaluation, sections: list[Section]) -> None:
    """Next year's starts from this year's: each section's words, its claims and its own plans.
    Evidence is gathered afresh; a claim keeps the evidence whose source is gathered again."""
    before = {(s.area_id, s.is_whole): s for s in previous.sections.all()}
    for section in sections:
        old = before.get((section.area_id, section.is_whole))
        if old is None:
            continue
        section.what_we_know, section.how_we_know = old.what_we_know, old.how_we_know
        section.plans = old.plans
        section.save()
        for claim in old.claims.prefetch_related("evidence"):
            new = saved(
                Claim(section=section, kind=claim.kind, sentence=claim.sentence, order=claim.order)
            )
            keys = [e.source_key for e in claim.evidence.all()]
            new.evidence.set(section.evidence.filter(source_key__in=keys))
        for item in old.plan_items.filter(source=PlanItem.Source.WRITTEN, kept=True):
            saved(
                PlanItem(
                    section=section,
                    text=item.text,
                    owner=item.owner,
                    due=item.due,
                    order=item.order,
                )
            )


def gather_into(self_evaluation) -> int:
    """Propose evidence and plans for every section; refresh the statements already there
    (a correction to the data corrects them) and keep what the programme manager decided.
    Returns how many items are new."""
    new = 0
    for section in self_evaluation.sections.select_related("area"):
        known = {item.source_key: item for item in section.evidence.all()}
        last = max((item.order for item in known.values()), default=0)
        for proposal in gathering.proposals(section):
            item = known.get(proposal.source_key)
            if item is None:
                last += 1
                new += 1
                item = EvidenceItem(section=section, source_key=proposal.source_key, order=last)
            elif (item.statement, item.link, item.dated) == (
                proposal.statement,
                proposal.link,
                proposal.dated,
            ):
                continue
            else:
                item.version += 1
            item.kind, item.statement, item.link = proposal.kind, proposal.statement, proposal.link
            item.dated, item.measure_id = proposal.dated, proposal.measure_id
            saved(item)
        planned = set(
            section.plan_items.exclude(source_key="").values_list("source_key", flat=True)
        )
        last = max(section.plan_items.values_list("order", flat=True), default=0)
        for proposal in gathering.plan_proposals(section):
            if proposal.source_key in planned:
                continue
            last += 1
            saved(
                PlanItem(
                    section=section,
                    source=proposal.source,
                    source_key=proposal.source_key,
                    text=proposal.text,
                    owner=proposal.owner,
                    due=proposal.due,
                    order=last,
                )
            )
    return new


@action("can_edit_self_evaluation")
def self_evaluation_start(
    *,
    actor,
    programme: Programme,
    year: str,
    as_of: dt.date,
    reviewer=None,
    previous: SelfEvaluation | None = None,
) -> SelfEvaluation:
    if SelfEvaluation.objects.filter(programme=programme, year=year).exists():
        raise ValidationError({"year": f"There is already a self-evaluation for {year}."})
    _check_reviewer(programme, reviewer)
    if previous is not None and previous.programme_id != programme.pk:
        raise ValidationError("Start from one of this programme's self-evaluations.")
    self_evaluation = saved(
        SelfEvaluation(
            programme=programme, year=year, as_of=as_of, reviewer=reviewer, previous=previous
        )
    )
    sections = _sections(self_evaluation)
    gather_into(self_evaluation)
    if previous is not None:
        _carry_over(previous, sections)
    return self_evaluation


@action("can_edit_self_evaluation", on="self_evaluation")
def self_evaluation_update(
    *, actor, self_evaluation: SelfEvaluation, version: int | None, as_of: dt.date, reviewer
) -> SelfEvaluation:
    require_open(self_evaluation)
    _check_reviewer(self_evaluation.programme, reviewer)
    return save_current(self_evaluation, version, {"as_of": as_of, "reviewer": reviewer})


@action("can_edit_self_evaluation", on="self_evaluation")
def evidence_gather(*, actor, self_evaluation: SelfEvaluation) -> int:
    """Gather again: new evidence since the last time is added at the end of each section."""
    require_open(self_evaluation)
    return gather_into(self_evaluation)
