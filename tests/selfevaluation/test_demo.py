"""The demo's self-evaluations: last year's signed off by a named person holding the Sign-off
permission, this year's a draft started from it, both written from the demo's own evidence,
with the engagement meeting and its actions; and no sentence written twice."""

import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from portfolio import demo, loader
from selfevaluation.models import (
    Claim,
    EngagementMeeting,
    EvidenceItem,
    PlanItem,
    Section,
    SelfEvaluation,
)


@pytest.fixture
def demo_programme(db):
    with override_settings(DEBUG=True, DEMO=True):
        programme, _ = loader.programme_load(data=loader.read_data_file(loader.DEFAULT_DATA_FILE))
        loader.demo_users_create(programme=programme, password=settings.DEMO_PASSWORD)
        demo.demo_data_load(programme=programme)
    return programme


def test_the_demo_has_last_year_signed_off_and_this_year_in_draft(demo_programme):
    last, this = SelfEvaluation.objects.filter(programme=demo_programme).order_by("year")
    assert (last.status, this.status, this.previous) == ("signed_off", "draft", last)
    signed = last.versions.get(kind="signed_off")
    assert signed.made_by.get_full_name() == "Angela Morrison"
    assert demo_programme.sign_offs.filter(user=signed.made_by).exists()
    assert signed.made_on < this.as_of == timezone.localdate()
    assert signed.snapshot["reviewer_title"] == "Director of Children's Services"
    # Written from the demo's evidence, none of it dated after each one's day.
    for se in (last, this):
        items = EvidenceItem.objects.filter(section__self_evaluation=se)
        assert items.count() > 10
        assert not items.filter(dated__gt=se.as_of).exists()
    # This year's draft shows the flag a claim with no evidence raises.
    unsupported = [
        c for c in Claim.objects.filter(section__self_evaluation=this) if not c.evidence.exists()
    ]
    assert len(unsupported) == 1


def test_the_engagement_meeting_has_its_letter_and_actions_on_the_timeline(demo_programme):
    meeting = EngagementMeeting.objects.get(programme=demo_programme)
    assert meeting.letter and meeting.letter_kind == "pdf"
    signed = meeting.self_evaluation.versions.get(kind="signed_off")
    assert signed.made_on < meeting.date < timezone.localdate()
    statuses = sorted(a.status for a in meeting.actions.all())
    assert statuses == ["done", "done", "open"]
    assert all(a.closed_on <= timezone.localdate() for a in meeting.actions.filter(status="done"))


def test_every_sentence_the_demo_writes_is_written_once(demo_programme):
    texts = []
    for section in Section.objects.filter(self_evaluation__programme=demo_programme):
        texts += [section.what_we_know, section.how_we_know, section.plans]
    texts += list(Claim.objects.values_list("sentence", flat=True))
    texts += list(EvidenceItem.objects.exclude(narrative="").values_list("narrative", flat=True))
    texts += list(PlanItem.objects.filter(source="written").values_list("text", flat=True))
    texts += list(EngagementMeeting.objects.values_list("notes", flat=True))
    sentences = [s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if s.strip()]
    repeated = {s for s in sentences if sentences.count(s) > 1}
    assert not repeated
