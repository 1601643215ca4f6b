"""Re-issuing a published pack twice (a double click, or two managers at once) starts one new
version and tells the second request so, never a 500."""

import pytest
from django.contrib.messages import get_messages

from havering_improve.errors import AlreadyDone
from reporting.actions import packs as pack_actions
from reporting.models import MeetingPack

pytestmark = pytest.mark.django_db


def _stale_once(monkeypatch, published):
    """The next re-issue reads the newest version as it was before the last re-issue's row."""
    real, calls = pack_actions._newest_pack, []

    def newest(meeting_id):
        calls.append(meeting_id)
        return published if len(calls) == 1 else real(meeting_id)

    monkeypatch.setattr(pack_actions, "_newest_pack", newest)


@pytest.fixture
def published(meeting, programme_manager):
    return MeetingPack.objects.create(
        meeting=meeting, version=1, status=MeetingPack.Status.PUBLISHED
    )


def test_re_issuing_twice_starts_one_new_version(published, programme_manager):
    new = pack_actions.pack_reissue(
        pack=published, reason="Corrected figures", actor=programme_manager
    )
    with pytest.raises(AlreadyDone, match="Version 2 of the pack is already being prepared") as exc:
        pack_actions.pack_reissue(
            pack=published, reason="Corrected figures", actor=programme_manager
        )
    assert exc.value.obj == new
    assert list(MeetingPack.objects.values_list("version", flat=True)) == [2, 1]


def test_a_re_issue_that_loses_the_race_to_insert_is_told_which_version_stands(
    published, programme_manager, monkeypatch
):
    new = pack_actions.pack_reissue(
        pack=published, reason="Corrected figures", actor=programme_manager
    )
    _stale_once(monkeypatch, published)
    with pytest.raises(AlreadyDone, match="Version 2") as exc:
        pack_actions.pack_reissue(
            pack=published, reason="Corrected figures", actor=programme_manager
        )
    assert exc.value.obj == new
    assert MeetingPack.objects.count() == 2


def test_a_double_click_on_re_issue_lands_on_the_meeting_with_a_message(
    published, client, programme_manager, monkeypatch
):
    client.force_login(programme_manager)
    url = f"/board/packs/{published.pk}/reissue/"
    first = client.post(url, {"reason": "Corrected figures"})
    second = client.post(url, {"reason": "Corrected figures"})
    assert first.status_code == second.status_code == 302
    assert second["Location"] == published.meeting.get_absolute_url()
    said = [str(m) for m in get_messages(second.wsgi_request)]
    assert said[-1:] == [
        "Version 2 of the pack is already being prepared: check it and publish it, or rebuild "
        "it with today's data. Nothing new was started."
    ]
    _stale_once(monkeypatch, published)
    assert client.post(url, {"reason": "Corrected figures"}).status_code == 302
    assert MeetingPack.objects.count() == 2
