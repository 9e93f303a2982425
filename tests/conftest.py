"""Shared fixtures: real databases (SQLite file; PostgreSQL when reachable) and a real Mosquitto."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from radio.broker import Mosquitto, NodeAccount
from radio.db.migrate import upgrade
from radio.db.session import make_engine, make_sessionmaker

PG_HOST = os.environ.get("RADIO_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("RADIO_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("RADIO_TEST_PG_USER", "postgres")
PG_ADMIN_DB = os.environ.get("RADIO_TEST_PG_DB", "test")


def postgres_reachable() -> str | None:
    """None when a PostgreSQL server answers, else the reason (shown on the skipped test)."""
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=1):
            pass
    except OSError as exc:
        return f"no PostgreSQL at {PG_HOST}:{PG_PORT} ({exc})"
    try:
        import psycopg

        psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=PG_ADMIN_DB, connect_timeout=3).close()
    except Exception as exc:
        return f"PostgreSQL at {PG_HOST}:{PG_PORT} refused us: {exc}"
    return None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Creates a throw-away database on the local server; yields its SQLAlchemy URL."""
    reason = postgres_reachable()
    if reason:
        pytest.skip(reason)
    import psycopg

    name = f"radio_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=PG_ADMIN_DB, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=PG_ADMIN_DB,
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database: every test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'radio.db'}"
    else:
        url = request.getfixturevalue("postgres_server")
        _reset_postgres(url)
    upgrade(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'radio.db'}"
    upgrade(url)
    return url


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def broker_factory(tmp_path: Path) -> Iterator:
    """Start real Mosquitto instances with given node accounts; all are stopped after the test."""
    started: list[Mosquitto] = []

    def start(accounts: list[NodeAccount], **kwargs: object) -> Mosquitto:
        broker = Mosquitto(tmp_path / f"broker{len(started)}", **kwargs)  # type: ignore[arg-type]
        broker.write_config(accounts)
        broker.start()
        started.append(broker)
        return broker

    yield start
    for broker in started:
        broker.stop()


@pytest.fixture
def pki(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A throw-away province CA and a server certificate for localhost and 127.0.0.1 (radio.pki.TestPki).

    Use it for a TLS broker: `broker_factory(accounts, tls=TlsListener(pki.server.cert, pki.server.key,
    pki.ca.cert, port=free_port(), bind="127.0.0.1"))`, and give clients `pki.ca.cert` as their CA."""
    from radio.pki import make_test_pki

    return make_test_pki(tmp_path / "pki")
