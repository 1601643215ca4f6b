"""Back up and restore everything the service holds: the database and the media files (uploads,
ledger imports, meeting packs and reports).

A backup is a folder holding `database.dump` (pg_dump's custom format, or a copy of the SQLite
file), `media.tar.gz`, and `manifest.json` with each file's SHA-256, so a restore can refuse a
damaged backup before it touches anything.

Media files are read and written through the configured file storage, so the same commands work
whether uploads are in a local folder (MEDIA_ROOT) or an S3-compatible bucket, and a backup made
from one restores into the other (that is how a service moves its files to a bucket).
"""

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections


class BackupError(RuntimeError):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _stored_names(storage, folder: str = ""):
    """Every file name in the storage, folder by folder."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local MEDIA_ROOT not made yet
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _stored_names(storage, f"{folder}/{sub}" if folder else sub)


def _archive_media(storage, archive_path: Path) -> int:
    count = 0
    with tarfile.open(archive_path, "w:gz") as archive:
        for name in _stored_names(storage):
            try:
                handle = storage.open(name, "rb")
            except FileNotFoundError:  # deleted since it was listed
                continue
            with handle:
                info = tarfile.TarInfo(name)
                info.size = handle.size
                info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
                archive.addfile(info, handle)
            count += 1
    return count


def _media_members(archive_path: Path) -> list[tuple[tarfile.TarInfo, str]]:
    """The files in a media archive with the names they are stored under, or BackupError when an
    entry could not be restored safely (read before anything is touched)."""
    members = []
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive.getmembers():
            if member.isdir():
                continue
            name = member.name.removeprefix("./")
            parts = name.split("/")
            if not member.isfile() or name.startswith("/") or ".." in parts or "" in parts:
                raise BackupError(
                    f"media.tar.gz holds {member.name!r}, which is not a file that can be "
                    "restored; nothing restored"
                )
            members.append((member, name))
    return members


def _restore_media(storage, archive_path: Path, members) -> None:
    for name in list(_stored_names(storage)):
        storage.delete(name)
    with tarfile.open(archive_path, "r:gz") as archive:
        for member, name in members:
            with archive.extractfile(member) as source:
                saved = storage.save(name, File(source, name=name))
            if saved != name:
                raise BackupError(f"{name} could not be restored under its own name ({saved})")


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
    media_count = _archive_media(default_storage, media)
    manifest = {
        "created": dt.datetime.now(dt.UTC).isoformat(),
        "engine": db["ENGINE"],
        "media_files": media_count,
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
    members = _media_members(source / "media.tar.gz")
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
        # Through SQLite, not a file copy: the database runs in WAL mode, and a write-ahead log
        # left beside a copied-over file would be replayed onto it.
        backup = sqlite3.connect(dump)
        target = sqlite3.connect(db["NAME"])
        with target:
            backup.backup(target)
        backup.close()
        target.close()
    _restore_media(default_storage, source / "media.tar.gz", members)
    return manifest
