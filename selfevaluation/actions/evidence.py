"""Keeping, dropping and ordering the evidence the service proposed, with narrative around it.
The statement itself is the data's and is not edited here."""

from havering_improve.actions import action, save_current

from ..models import EvidenceItem
from ._common import require_open


@action("can_edit_self_evaluation", on="item.section.self_evaluation")
def evidence_item_update(
    *, actor, item: EvidenceItem, version: int | None, kept: bool, order: int, narrative: str
) -> EvidenceItem:
    require_open(item.section.self_evaluation)
    return save_current(item, version, {"kept": kept, "order": order, "narrative": narrative})
