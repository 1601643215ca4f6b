"""The plans for the next twelve months: proposed from the themes' aims, the milestones due and
the open recommendations, and written freely."""

import datetime as dt

from havering_improve.actions import action, save_current

from ..models import PlanItem, Section
from ._common import require_open


@action("can_edit_self_evaluation", on="section.self_evaluation")
def plan_item_add(
    *, actor, section: Section, text: str, owner: str, due: dt.date | None
) -> PlanItem:
    require_open(section.self_evaluation)
    last = max(section.plan_items.values_list("order", flat=True), default=0)
    item = PlanItem(section=section, text=text.strip(), owner=owner, due=due, order=last + 1)
    item.full_clean()
    item.save()
    return item


@action("can_edit_self_evaluation", on="item.section.self_evaluation")
def plan_item_update(
    *,
    actor,
    item: PlanItem,
    version: int | None,
    text: str,
    owner: str,
    due: dt.date | None,
    kept: bool,
    order: int,
) -> PlanItem:
    require_open(item.section.self_evaluation)
    fields = {"text": text.strip(), "owner": owner, "due": due, "kept": kept, "order": order}
    return save_current(item, version, fields)
