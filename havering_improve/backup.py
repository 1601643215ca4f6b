"""Back up and restore everything the service holds: the database and the media files (uploads,
ledger imports, meeting packs and reports).

A backup is a folder holding `database.dump` (pg_dump's custom format, or a copy of the SQLite
file), `media.tar.gz`, and `manifest.json` with each file's SHA-256, so a restore can refuse a
damaged backup before it touches anything.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections


class BackupError(RuntimeError):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(db: dict) -> tuple[dict, list[str]]:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, args


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup_create(*, destination: Path, using: str = "default") -> dict:
    destination.mkdir(parents=True, exist_ok=True)
    db = connections[using].settings_dict
    dump = destination / "database.dump"
    if db["ENGINE"].endswith("postgresql"):
        env, args = _pg_env(db)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *args], env)
    elif db["ENGINE"].endswith("sqlite3"):
        source = sqlite3.connect(db["NAME"])
        target = sqlite3.connect(dump)
        with target:
            source.backup(target)
        source.close()
        target.close()
    else:
        raise BackupError(f"Backups are not supported for {db['ENGINE']}")
    media = destination / "media.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(media, "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname=".")
    manifest = {
        "created": dt.datetime.now(dt.UTC).isoformat(),
        "engine": db["ENGINE"],
        "files": {path.name: _sha256(path) for path in (dump, media)},
    }
    (destination / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def backup_restore(*, source: Path, using: str = "default") -> dict:
    manifest_path = source / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{source} has no manifest.json: it is not a backup made by this app")
    manifest = json.loads(manifest_path.read_text())
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.exists() or _sha256(path) != expected:
            raise BackupError(f"{name} is missing or damaged (checksum differs); nothing restored")
    db = connections[using].settings_dict
    if manifest["engine"] != db["ENGINE"]:
        raise BackupError(f"The backup is of {manifest['engine']}, this database is {db['ENGINE']}")
    connections[using].close()
    dump = source / "database.dump"
    if db["ENGINE"].endswith("postgresql"):
        env, args = _pg_env(db)
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             *args, str(dump)],
            env,
        )  # fmt: skip
    else:
        shutil.copyfile(dump, db["NAME"])
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists():
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True)
    with tarfile.open(source / "media.tar.gz", "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    return manifest
