"""`radio backup` and `radio restore`: the database (by its own tools), audio library, keys and settings.

One archive (tar.gz) per backup:
    manifest.json        what is inside, the database kind, the schema revision, sha256 of every file
    database/radio.db    SQLite: a consistent copy made with SQLite's online backup API (the web and the
                         scheduler may keep writing meanwhile)
    database/radio.dump  PostgreSQL: `pg_dump --format=custom` (restored with pg_restore)
    data/audio/...       the audio library (content-addressed MP3s and their sidecars)
    data/keys/...        the command-signing keys (private: keep archives where the keys may be)
    data/secret_key      the web's session secret (when generated, not configured)
    settings/<file>      the settings file, when one is given
Restore refuses a data dir or database that already holds data, so a drill or a mistaken command never
overwrites a live system; every file is checked against the manifest before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from radio.settings import Settings

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    """A backup or restore could not be done; the message says why in terms an operator can act on."""


@dataclass(frozen=True)
class BackupResult:
    archive: Path
    database: str  # "sqlite" | "postgresql"
    files: int
    bytes: int


def _kind(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"unsupported database {backend!r}")
    return backend


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as pg_dump/pg_restore read it (no '+driver')."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def _pg_tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise BackupError(f"{name} not found: install postgresql-client (scripts/install-system-deps.sh)")
    return exe


def _run(args: list[str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True, timeout=3600, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            # The audio store's temporary files are half-written by definition.
            if path.is_file() and not path.name.endswith((".part", ".tmp")):
                yield path


def _schema_revision(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return ""
            return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar() or "")
    finally:
        engine.dispose()


def backup(settings: Settings, out: Path, *, settings_file: Path | None = None) -> BackupResult:
    """Write one archive with everything needed to rebuild this server's data on another machine."""
    kind = _kind(settings.db_url)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="radio-backup-") as tmp_name:
        tmp = Path(tmp_name)
        members: dict[str, Path] = {}
        if kind == "sqlite":
            copy = tmp / "radio.db"
            source = sqlite3.connect(_sqlite_path(settings.db_url))
            target = sqlite3.connect(copy)
            try:
                source.backup(target)  # page by page, consistent even while others write
            finally:
                target.close()
                source.close()
            members["database/radio.db"] = copy
        else:
            dump = tmp / "radio.dump"
            _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump),
                  "--dbname", libpq_url(settings.db_url)])
            members["database/radio.dump"] = dump
        for directory, prefix in ((settings.audio_dir, "data/audio"), (settings.keys_dir, "data/keys")):
            for path in _walk(directory):
                members[f"{prefix}/{path.relative_to(directory).as_posix()}"] = path
        secret = settings.data_dir / "secret_key"
        if secret.is_file():
            members["data/secret_key"] = secret
        if settings_file is not None:
            members[f"settings/{Path(settings_file).name}"] = Path(settings_file)
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": kind,
            "schema_revision": _schema_revision(settings.db_url),
            "files": {name: {"sha256": _sha256(path), "size": path.stat().st_size} for name, path in members.items()},
        }
        partial = out.with_name(out.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                tar.add(path, arcname=name, recursive=False)
        partial.chmod(0o600)  # it holds the signing keys and the session secret
        partial.replace(out)
        total = sum(entry["size"] for entry in manifest["files"].values())  # type: ignore[attr-defined]
    return BackupResult(out, kind, len(members), total)


def read_manifest(archive: Path) -> dict[str, object]:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile(MANIFEST)
        if member is None:
            raise BackupError(f"{archive}: no {MANIFEST}")
        manifest: dict[str, object] = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: unknown backup format {manifest.get('format')!r}")
    return manifest


def _database_is_empty(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return not inspect(conn).get_table_names()
    finally:
        engine.dispose()


def restore(archive: Path, settings: Settings, *, settings_out: Path | None = None) -> dict[str, object]:
    """Restore an archive into this server's (empty) data dir and database; returns the manifest."""
    manifest = read_manifest(archive)
    kind = _kind(settings.db_url)
    if manifest["database"] != kind:
        raise BackupError(f"the backup holds a {manifest['database']} database, the settings name a {kind} one")
    for directory in (settings.audio_dir, settings.keys_dir):
        if any(_walk(directory)):
            raise BackupError(f"{directory} is not empty: restore only into a new data dir")
    if kind == "sqlite" and _sqlite_path(settings.db_url).exists() and not _database_is_empty(settings.db_url):
        raise BackupError(f"{_sqlite_path(settings.db_url)} already exists: restore only into a new data dir")
    if kind == "postgresql" and not _database_is_empty(settings.db_url):
        raise BackupError("the PostgreSQL database is not empty: create a new one (createdb) to restore into")
    files: dict[str, dict[str, object]] = manifest["files"]  # type: ignore[assignment]
    with tempfile.TemporaryDirectory(prefix="radio-restore-") as tmp_name:
        tmp = Path(tmp_name)
        with tarfile.open(archive, "r:gz") as tar:
            # The 'data' filter refuses absolute paths, '..', links out of the tree and device files.
            tar.extractall(tmp, filter="data")
        for name, entry in files.items():
            path = tmp / name
            if not path.is_file() or _sha256(path) != entry["sha256"]:
                raise BackupError(f"{archive}: {name} is missing or damaged; nothing was restored")
        settings.ensure_dirs()
        if kind == "sqlite":
            target = _sqlite_path(settings.db_url)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(tmp / "database/radio.db", target)
        else:
            _run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                  "--dbname", libpq_url(settings.db_url), str(tmp / "database/radio.dump")])
        for name in files:
            for prefix, directory in (("data/audio/", settings.audio_dir), ("data/keys/", settings.keys_dir)):
                if name.startswith(prefix):
                    dest = directory / name[len(prefix):]
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(tmp / name, dest)
                    if prefix == "data/keys/":
                        dest.chmod(0o600)
        if "data/secret_key" in files:
            dest = settings.data_dir / "secret_key"
            shutil.copyfile(tmp / "data/secret_key", dest)
            dest.chmod(0o600)
        if settings_out is not None:
            for name in files:
                if name.startswith("settings/"):
                    settings_out.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(tmp / name, settings_out / Path(name).name)
                    os.chmod(settings_out / Path(name).name, 0o600)
    return manifest
