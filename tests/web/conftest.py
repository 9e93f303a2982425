"""Fixtures for the web tests: a migrated SQLite file per test (or either database: db_app), seeded data, a fake
audio library; and `any_app`, the same app on SQLite and on PostgreSQL, for tests whose queries differ by database
(isolation)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from web_support import AuthActions, FakeAudioLibrary, Seed, seed_database

from radio.db.migrate import upgrade
from radio.db.session import make_engine
from radio.settings import Settings, load_settings
from web import create_app


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # env={} so the developer's RADIO_* variables never leak into tests.
    return load_settings(env={}, data_dir=tmp_path / "data", secret_key="test-secret")


@pytest.fixture
def fake_audio(tmp_path: Path) -> FakeAudioLibrary:
    return FakeAudioLibrary(tmp_path / "fake-audio")


def _make_app(settings: Settings, audio: Any, csrf: bool) -> Flask:
    settings.ensure_dirs()
    upgrade(settings.db_url)
    # RENDER_QUICK_WAIT_S: "Tạo âm thanh" waits for the (instant) fake render, however busy the machine.
    return create_app(settings, audio_library=audio, test_config={"TESTING": True, "WTF_CSRF_ENABLED": csrf,
                                                                  "RENDER_QUICK_WAIT_S": 30.0})


@pytest.fixture
def app(settings: Settings, fake_audio: FakeAudioLibrary) -> Flask:
    return _make_app(settings, fake_audio, csrf=False)


@pytest.fixture
def csrf_app(settings: Settings, fake_audio: FakeAudioLibrary) -> Flask:
    return _make_app(settings, fake_audio, csrf=True)


def _reset_postgres(url: str) -> None:
    """An empty schema (as tests/conftest.py does for db_url): each test starts from the migrations."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_app(request: pytest.FixtureRequest, tmp_path: Path, fake_audio: FakeAudioLibrary) -> Iterator[Flask]:
    """The web app on a fresh SQLite file, then on the test PostgreSQL server (schema reset first)."""
    url = ""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_server")
        _reset_postgres(url)
    settings = load_settings(env={}, data_dir=tmp_path / "data", secret_key="test-secret", database_url=url)
    app = _make_app(settings, fake_audio, csrf=False)
    yield app
    # Idle pooled connections would make the next test's DROP SCHEMA wait on PostgreSQL.
    app.extensions["radio"].sessionmaker.kw["bind"].dispose()


@pytest.fixture
def db_app_settings() -> dict[str, Any]:
    """Extra settings for db_app; a test module overrides this fixture to change limits."""
    return {}


@pytest.fixture
def db_app(db_url: str, tmp_path: Path, fake_audio: FakeAudioLibrary,
           db_app_settings: dict[str, Any]) -> Iterator[Flask]:
    """The app on SQLite and on PostgreSQL (tests/conftest.py db_url), for behaviour that lives in the database:
    login counting, session revocation, API rate limits. Not seeded."""
    settings = load_settings(env={}, data_dir=tmp_path / "data", secret_key="test-secret", database_url=db_url,
                             **db_app_settings)
    app = _make_app(settings, fake_audio, csrf=False)
    yield app
    # Idle pooled connections would otherwise pile up on the PostgreSQL server across parametrized tests.
    app.extensions["radio"].sessionmaker.kw["bind"].dispose()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session of its own, separate from the request's, for arranging and checking rows."""
    session: Session = app.extensions["radio"].sessionmaker()
    yield session
    session.close()


@pytest.fixture
def seed(db: Session) -> Seed:
    return seed_database(db)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def auth(client: FlaskClient, seed: Seed) -> AuthActions:
    return AuthActions(client)
