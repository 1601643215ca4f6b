"""The auditor's recent changes spell each record's kind as the service does elsewhere."""

import pytest

from themes.models import PID

pytestmark = pytest.mark.django_db


def test_a_pid_change_is_called_a_pid_change(client, auditor, theme):
    pid = PID.objects.get(theme=theme)
    pid.dependencies = "The case management system's February release."
    pid.save()
    client.force_login(auditor)
    html = client.get("/").content.decode()
    assert "Supervision: PID changed" in html
    assert "Pid changed" not in html


def test_a_themes_history_spells_pid_as_pid(client, auditor, theme):
    pid = PID.objects.get(theme=theme)
    pid.dependencies = "The case management system's February release."
    pid.save()
    client.force_login(auditor)
    html = client.get(f"/themes/{theme.slug}/history/").content.decode()
    assert "Changed PID:" in html
    assert "pid:" not in html
