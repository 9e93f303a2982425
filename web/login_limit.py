"""Slow down password guessing: after too many failures, refuse logins for a while.

5 failures for one user name, or 20 from one address, within 15 minutes block further attempts for 15
minutes after the last failure. The same message is shown whether the account exists or not (no user
enumeration), and a blocked attempt does not check the password at all. A successful login resets the
user name's count (not the address's: one valid account must not unlock guessing at the others).

The limit holds under parallel guesses because an attempt is written (and committed) before it is counted:
claim() inserts the attempt as a failure, is_blocked() then counts every *other* attempt it can see. Of N
parallel attempts, the k-th to commit sees at least k-1 others, so at most USER_LIMIT are ever checked; a
read-then-write check let all of them see the same old count. A burst of more than USER_LIMIT parallel
attempts is usually refused whole (each sees the others pending): cautious, and harmless because blocked
attempts are released (deleted): only checked passwords count as failures, and hammering a blocked name
does not extend its lockout.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from radio.db.governance import LoginAttempt

USER_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
BLOCKED_VI = "Đăng nhập sai quá nhiều lần. Vì an toàn, hãy chờ 15 phút rồi thử lại."


def _run_blocks(times: list[datetime], limit: int, now: datetime) -> bool:
    """times: the newest failures first. Blocked when the last `limit` fell within WINDOW, until LOCKOUT after."""
    if len(times) < limit:
        return False
    return times[0] - times[limit - 1] <= WINDOW and now - times[0] < LOCKOUT


def claim(session: Session, username: str, address: str, now: datetime) -> int:
    """Write this attempt as a failure and commit it, before anything is counted; returns its id."""
    username, address = username[:64], address[:64]
    # Columns, not an ORM object: a released (deleted) attempt's id can be reused by SQLite under parallel logins,
    # and loading a row under an id the session still maps would make it confuse the two.
    previous = session.execute(select(LoginAttempt.success, LoginAttempt.attempt_no)
                               .where(LoginAttempt.username == username)
                               .order_by(LoginAttempt.at.desc(), LoginAttempt.id.desc()).limit(1)).first()
    streak = 1 if previous is None or previous.success else previous.attempt_no + 1
    attempt = LoginAttempt(at=now, username=username, remote_addr=address, success=False, attempt_no=streak)
    session.add(attempt)
    session.commit()
    attempt_id = attempt.id
    session.expunge(attempt)  # release/settle work by id with bulk statements; keep the identity map clear
    return attempt_id


def is_blocked(session: Session, username: str, address: str, now: datetime, attempt_id: int) -> bool:
    """Whether the other attempts (failed, or still being checked) already use up the name's or address's quota."""
    username, address = username[:64], address[:64]
    since = now - WINDOW - LOCKOUT
    last_ok = session.scalar(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.username == username, LoginAttempt.success.is_(True)))
    user_since = max(since, last_ok) if last_ok is not None else since
    failed = (LoginAttempt.success.is_(False), LoginAttempt.id != attempt_id)
    by_user = session.scalars(
        select(LoginAttempt.at).where(LoginAttempt.username == username, LoginAttempt.at > user_since, *failed)
        .order_by(LoginAttempt.at.desc()).limit(USER_LIMIT)).all()
    if _run_blocks(list(by_user), USER_LIMIT, now):
        return True
    by_address = session.scalars(
        select(LoginAttempt.at).where(LoginAttempt.remote_addr == address, LoginAttempt.at > since, *failed)
        .order_by(LoginAttempt.at.desc()).limit(ADDRESS_LIMIT)).all()
    return _run_blocks(list(by_address), ADDRESS_LIMIT, now)


def release(session: Session, attempt_id: int) -> None:
    """A blocked attempt: forget it (not committed), its password was never checked."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))


def settle(session: Session, attempt_id: int, success: bool) -> None:
    """The password was checked (not committed): a success resets the name's failure streak."""
    if success:
        session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(success=True, attempt_no=1))
