import os
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connections

from tests.servers import get, gunicorn
from tests.services import IN_CI, need, using_postgres

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]


def _restart_postgres():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_the_app_recovers_from_a_database_restart_without_being_restarted(programme):
    need(using_postgres(), "restarting PostgreSQL needs PostgreSQL (DATABASE_URL=postgres://…)")
    if not (IN_CI or os.environ.get("TEST_RESTART_POSTGRES") == "1"):
        pytest.skip("restarts the PostgreSQL server: runs in CI, or set TEST_RESTART_POSTGRES=1")
    if not Path("/etc/postgresql").exists():
        pytest.fail("CI must restart PostgreSQL, but pg_ctlcluster's cluster is not here")
    with gunicorn(workers=2) as (url, server):
        before = [get(f"{url}/healthz") for _ in range(5)]
        assert before == [200] * 5
        connections.close_all()  # this test's own connection goes down with the server
        _restart_postgres()
        statuses = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            statuses.append(get(f"{url}/healthz"))
            if statuses[-3:] == [200, 200, 200]:
                break
            time.sleep(0.2)
        assert statuses[-3:] == [200, 200, 200], statuses
        assert server.poll() is None, "the app process must not have needed a restart"
        assert get(f"{url}/accounts/login/") == 200
