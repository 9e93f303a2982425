"""Sessions (issue 10, item 9): the login limit holds under parallel guesses, and logout or a password reset
makes every earlier cookie worthless. On SQLite and PostgreSQL: both live in the database."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from flask.testing import FlaskClient
from governance_support import audit_actions, login
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from web_support import PASSWORD, Seed, seed_database

from radio.db.governance import LoginAttempt
from web.login_limit import USER_LIMIT

pytestmark = pytest.mark.security
GUESSES = 12


@pytest.fixture
def seed(db_app: Flask) -> Seed:
    with db_app.extensions["radio"].sessionmaker() as session:
        return seed_database(session)


@pytest.fixture
def seed_sqlite(db: Session) -> Seed:
    return seed_database(db)


def _copy_of_cookie(client: FlaskClient, app: Flask) -> FlaskClient:
    """Another browser holding the same session cookie (a second tab, or a stolen copy)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def test_parallel_guesses_check_at_most_the_limit(db_app: Flask, seed: Seed) -> None:
    start = threading.Barrier(GUESSES)

    def guess(i: int) -> int:
        client = db_app.test_client()
        start.wait()  # all at once: a read-then-write limit let every one of them through
        return client.post("/login", data={"username": "bientap", "password": f"doan-sai-{i}"}).status_code

    with ThreadPoolExecutor(GUESSES) as pool:
        statuses = list(pool.map(guess, range(GUESSES)))
    checked = statuses.count(401)
    # Usually none is checked: all twelve are pending at once and each sees at least five others. Either way
    # the refused ones leave nothing behind, so they neither spend the quota nor extend a lockout.
    assert checked <= USER_LIMIT, statuses
    assert statuses.count(429) == GUESSES - checked, statuses
    with db_app.extensions["radio"].sessionmaker() as db:
        # Only checked passwords are recorded as failures: the refused ones left no attempt behind.
        assert db.scalar(select(func.count()).select_from(LoginAttempt)) == checked
        actions = audit_actions(db, "user")
    assert actions.count("login.failure") == checked and actions.count("login.blocked") == GUESSES - checked
    # Parallel attempts may refuse each other a little early (never late): the quota left is still exactly
    # USER_LIMIT - checked, after which even the right password is refused.
    client = db_app.test_client()
    for i in range(USER_LIMIT - checked):
        assert client.post("/login", data={"username": "bientap", "password": f"sau-{i}"}).status_code == 401
    assert client.post("/login", data={"username": "bientap", "password": PASSWORD}).status_code == 429


def test_sequential_guesses_still_block_after_five(db_app: Flask, seed: Seed) -> None:
    client = db_app.test_client()
    for i in range(USER_LIMIT):
        assert client.post("/login", data={"username": "bientap", "password": f"sai-{i}"}).status_code == 401
    assert client.post("/login", data={"username": "bientap", "password": PASSWORD}).status_code == 429


def test_logout_revokes_the_old_cookie(db_app: Flask, seed: Seed) -> None:
    browser = db_app.test_client()
    login(browser, "bientap")
    thief = _copy_of_cookie(browser, db_app)
    assert thief.get("/nodes/").status_code == 200
    browser.post("/logout")
    response = thief.get("/nodes/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    login(browser, "bientap")  # logging in again does not bring the old cookie back
    assert thief.get("/nodes/").status_code == 302
    assert browser.get("/nodes/").status_code == 200


def _user_form(username: str, role: str, area_id: int | None, password: str = "") -> dict[str, str]:
    return {"username": username, "full_name": "", "role": role, "area_id": str(area_id or 0), "active": "y",
            "password": password}


def test_password_reset_revokes_the_users_sessions(db_app: Flask, seed: Seed) -> None:
    user = db_app.test_client()
    login(user, "bientap")
    admin = db_app.test_client()
    login(admin, "quantri")
    form = _user_form("bientap", "broadcaster", seed.commune_id)
    # Editing the account without a new password leaves its sessions alone.
    assert admin.post(f"/users/{seed.broadcaster_id}", data=form).status_code == 302
    assert user.get("/nodes/").status_code == 200
    reset = admin.post(f"/users/{seed.broadcaster_id}", data={**form, "password": "mat-khau-moi-2025"})
    assert reset.status_code == 302
    assert user.get("/nodes/").status_code == 302  # whoever held the old session is out
    fresh = db_app.test_client()
    assert fresh.post("/login", data={"username": "bientap", "password": "mat-khau-moi-2025"}).status_code == 302
    assert admin.get("/users/").status_code == 200  # the admin's own session was not touched


def test_admin_changing_own_password_stays_in_here_but_not_elsewhere(db_app: Flask, seed: Seed) -> None:
    admin = db_app.test_client()
    login(admin, "quantri")
    other_device = _copy_of_cookie(admin, db_app)
    form = _user_form("quantri", "admin", None, "mat-khau-quan-tri-moi")
    assert admin.post(f"/users/{seed.admin_id}", data=form).status_code == 302
    assert admin.get("/users/").status_code == 200
    assert other_device.get("/users/").status_code == 302


def test_cookie_from_before_session_versions_is_not_accepted(db_app: Flask, seed: Seed) -> None:
    """A session naming only the user id (the format before this change) must not log anyone in."""
    client = db_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(seed.admin_id)
        session["_fresh"] = True
    assert client.get("/users/").status_code == 302


def test_session_cookie_is_secure_by_default(client: FlaskClient, seed_sqlite: Seed) -> None:
    response = client.post("/login", data={"username": "bientap", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=") and "; Secure" in cookie and "; HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
