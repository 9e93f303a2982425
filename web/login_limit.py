"""Slow down password guessing: after too many failures, refuse logins for a while.

5 failures for one user name, or 20 from one address, within 15 minutes block further attempts for 15
minutes after the last failure. The same message is shown whether the account exists or not (no user
enumeration), and a blocked attempt does not check the password at all. A successful login resets the
user name's count (not the address's: one valid account must not unlock guessing at the others).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
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


def is_blocked(session: Session, username: str, address: str, now: datetime) -> bool:
    since = now - WINDOW - LOCKOUT
    last_ok = session.scalar(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.username == username, LoginAttempt.success.is_(True)))
    user_since = max(since, last_ok) if last_ok is not None else since
    by_user = session.scalars(
        select(LoginAttempt.at).where(LoginAttempt.username == username, LoginAttempt.success.is_(False),
                                      LoginAttempt.at > user_since)
        .order_by(LoginAttempt.at.desc()).limit(USER_LIMIT)).all()
    if _run_blocks(list(by_user), USER_LIMIT, now):
        return True
    by_address = session.scalars(
        select(LoginAttempt.at).where(LoginAttempt.remote_addr == address, LoginAttempt.success.is_(False),
                                      LoginAttempt.at > since)
        .order_by(LoginAttempt.at.desc()).limit(ADDRESS_LIMIT)).all()
    return _run_blocks(list(by_address), ADDRESS_LIMIT, now)


def note_attempt(session: Session, username: str, address: str, success: bool, now: datetime) -> None:
    """Record one checked attempt (not committed); attempt_no counts consecutive failures of the name."""
    previous = session.scalar(select(LoginAttempt).where(LoginAttempt.username == username)
                              .order_by(LoginAttempt.at.desc(), LoginAttempt.id.desc()).limit(1))
    streak = 1 if previous is None or previous.success else previous.attempt_no + 1
    session.add(LoginAttempt(at=now, username=username[:64], remote_addr=address[:64], success=success,
                             attempt_no=1 if success else streak))
