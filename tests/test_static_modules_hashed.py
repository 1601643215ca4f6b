"""A release's scripts all load under hashed names: the collected app.mjs imports the hashed
GOV.UK Frontend, open-target and timeout-warning modules, so after a release a browser never
runs a new app.mjs with an old module still cached under its plain name (or the reverse)."""

import json
import os
import re
import subprocess
import sys

from django.conf import settings


def test_the_collected_app_module_imports_hashed_modules(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="havering_improve.settings.base",
        DEBUG="false",
        DEMO="false",
        SECRET_KEY="collect-static-in-a-test",
        ALLOWED_HOSTS="localhost",
        STATIC_ROOT=str(tmp_path),
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
    )
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    app = (tmp_path / manifest["js/app.mjs"]).read_text()
    imported = re.findall(r"""from\s*["']([^"']+)["']""", app)
    assert imported == [
        "../" + manifest["govuk/govuk-frontend.min.js"],
        "./" + manifest["js/open-target.mjs"].removeprefix("js/"),
        "./" + manifest["js/timeout-warning.mjs"].removeprefix("js/"),
    ]
    for name in imported:
        assert re.search(r"\.[0-9a-f]{12}\.m?js$", name), name
        assert (tmp_path / "js" / name).resolve().is_file(), name
