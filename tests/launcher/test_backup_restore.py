"""Restore drill: back up a server (database, audio, keys, settings), restore it into an empty directory and a
new database, and find every bulletin, as-run row and audio file again; on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audio_library import AudioLibrary
from factories import make_bulletin, make_commune
from launcher.backup import BackupError, backup, libpq_url, read_manifest, restore
from launcher.cli import main
from radio.db.migrate import upgrade
from radio.db.models import AsRun, AudioAssetRow, Bulletin, CommandRow, Outcome
from radio.db.session import make_engine, make_sessionmaker
from radio.protocol.signing import load_or_create_private_key
from radio.settings import Settings, load_settings

pytestmark = pytest.mark.integration


def populate(settings: Settings, bulletins: int = 3) -> dict[str, object]:
    """A commune with audio files, bulletins and as-run rows; returns what must come back."""
    settings.ensure_dirs()
    upgrade(settings.db_url)
    load_or_create_private_key(settings.signing_key_path)
    settings.flask_secret()
    library = AudioLibrary(settings.audio_dir)
    engine = make_engine(settings.db_url)
    shas, titles, as_run = [], [], []
    with make_sessionmaker(engine)() as session:
        _, villages, nodes = make_commune(session, villages=2, nodes_per_village=2)
        start = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
        for i in range(bulletins):
            data = b"ID3" + os.urandom(50_000 + i)
            sha, _ = library.store.put(data, {"duration_s": 3.0})
            audio = AudioAssetRow(sha256=sha, duration_ms=3000, size_bytes=len(data), engine="espeak-ng", voice="vi")
            session.add(audio)
            session.flush()
            bulletin = make_bulletin(session, audio, start + timedelta(hours=i), villages, title=f"Bản tin số {i}")
            command = CommandRow(id=str(uuid.uuid4()), bulletin_id=bulletin.id, kind="play", topics=[], payload="{}",
                                 issued_at=start, start_at=bulletin.start_at, expires_at=bulletin.start_at)
            session.add(command)
            session.flush()
            for node in nodes:
                session.add(AsRun(command_id=command.id, bulletin_id=bulletin.id, node_id=node.id,
                                  scheduled_start=bulletin.start_at, requested_ms=3000, played_ms=3000,
                                  outcome=Outcome.COMPLETED))
                as_run.append((bulletin.id, node.id))
            shas.append(sha)
            titles.append(bulletin.title)
        session.commit()
    engine.dispose()
    return {"shas": sorted(shas), "titles": sorted(titles), "as_run": sorted(as_run)}


def found(settings: Settings) -> dict[str, object]:
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            titles = sorted(session.scalars(select(Bulletin.title)))
            as_run = sorted((b, n) for b, n in session.execute(select(AsRun.bulletin_id, AsRun.node_id)))
            shas = sorted(session.scalars(select(AudioAssetRow.sha256)))
            assert session.scalar(select(func.count()).select_from(AsRun).where(
                AsRun.outcome != Outcome.COMPLETED)) == 0
    finally:
        engine.dispose()
    library = AudioLibrary(settings.audio_dir)
    for sha in shas:  # every file is there and still hashes to its name
        assert hashlib.sha256(library.path_for(sha).read_bytes()).hexdigest() == sha
    return {"shas": shas, "titles": titles, "as_run": as_run}


def test_restore_drill_on_sqlite(tmp_path):
    config = tmp_path / "radio.toml"
    config.write_text('secret_key = ""\n')
    source = load_settings(env={}, data_dir=tmp_path / "live")
    expected = populate(source)
    archive = tmp_path / "backup.tar.gz"
    result = backup(source, archive, settings_file=config)
    assert result.database == "sqlite" and archive.stat().st_mode & 0o777 == 0o600
    manifest = read_manifest(archive)
    assert manifest["schema_revision"]
    assert "data/keys/server_ed25519.pem" in manifest["files"]  # type: ignore[operator]

    target = load_settings(env={}, data_dir=tmp_path / "empty" / "data")
    restore(archive, target, settings_out=tmp_path / "empty" / "etc")
    assert found(target) == expected
    assert (target.keys_dir / "server_ed25519.pem").read_bytes() == source.signing_key_path.read_bytes()
    assert target.flask_secret() == source.flask_secret()
    assert (tmp_path / "empty" / "etc" / "radio.toml").read_text() == config.read_text()
    # A second restore onto the now-populated directory is refused: a drill never overwrites a live system.
    with pytest.raises(BackupError, match=r"not empty|already exists"):
        restore(archive, target)


def test_restore_refuses_a_damaged_archive_and_writes_nothing(tmp_path):
    source = load_settings(env={}, data_dir=tmp_path / "live")
    populate(source, bulletins=1)
    archive = tmp_path / "backup.tar.gz"
    backup(source, archive)
    # Rewrite the archive with one audio file's bytes changed, manifest untouched.
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else b""  # type: ignore[union-attr]
            if member.name.endswith(".mp3"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.addfile(member, io.BytesIO(data))
    target = load_settings(env={}, data_dir=tmp_path / "empty")
    with pytest.raises(BackupError, match="damaged"):
        restore(damaged, target)
    assert not any(target.audio_dir.rglob("*.mp3")) and not (target.data_dir / "radio.db").exists()


def test_backup_and_restore_commands(tmp_path, capsys):
    live, empty = tmp_path / "live.toml", tmp_path / "new.toml"
    live.write_text(f'data_dir = "{tmp_path / "live"}"\n')
    empty.write_text(f'data_dir = "{tmp_path / "new"}"\n')
    expected = populate(load_settings(live, env={}), bulletins=1)
    archive = tmp_path / "b.tar.gz"
    assert main(["backup", "--config", str(live), "--out", str(archive)]) == 0
    assert main(["restore", str(archive), "--config", str(empty)]) == 0
    assert found(load_settings(empty, env={})) == expected
    assert main(["restore", str(archive), "--config", str(empty)]) == 2
    assert "not empty" in capsys.readouterr().err


@pytest.fixture
def two_postgres_databases(postgres_server: str):  # type: ignore[no-untyped-def]
    """A live database and an empty one to restore into (both dropped afterwards)."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(postgres_server)
    names = [f"radio_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    admin = dict(host=url.host, port=url.port, user=url.username, dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as conn:  # type: ignore[arg-type]
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [url.set(database=name).render_as_string(hide_password=False) for name in names]
    finally:
        with psycopg.connect(**admin) as conn:  # type: ignore[arg-type]
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_restore_drill_on_postgresql(tmp_path, two_postgres_databases):
    live_url, empty_url = two_postgres_databases
    assert libpq_url(live_url).startswith("postgresql://")
    source = load_settings(env={}, data_dir=tmp_path / "live", database_url=live_url)
    expected = populate(source)
    archive = tmp_path / "backup.tar.gz"
    assert backup(source, archive).database == "postgresql"
    assert "database/radio.dump" in read_manifest(archive)["files"]  # type: ignore[operator]
    target = load_settings(env={}, data_dir=tmp_path / "empty", database_url=empty_url)
    restore(archive, target)
    assert found(target) == expected
    # The restored database is a working one: migrations see it at head, the rollup triggers came along.
    upgrade(target.db_url)
    with pytest.raises(BackupError, match="not empty"):
        restore(archive, load_settings(env={}, data_dir=tmp_path / "other", database_url=empty_url))
    with pytest.raises(BackupError, match="holds a postgresql database"):
        restore(archive, load_settings(env={}, data_dir=tmp_path / "sqlite"))
