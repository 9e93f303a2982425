"""Alert e-mail and the weekly summary arrive at a real local SMTP server (aiosmtpd), to the right people."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from smtp_support import Inbox, smtp_server
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from factories import make_audio, make_bulletin, make_commune
from radio.db.alerts import Alert, AlertPreference, WeeklySummarySent
from radio.db.models import Area, AsRun, BulletinStatus, CommandRow, Outcome, Role, User
from station.alerts.delivery import deliver_pending
from station.alerts.evaluate import evaluate
from station.alerts.kinds import AlertKind, AlertThresholds
from station.alerts.mailer import Mailer, SmtpConfig
from station.alerts.summary import send_weekly

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 9, 2, 3, 0, tzinfo=UTC)  # Wednesday 10:00 in Vietnam


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, Mailer]]:
    with smtp_server() as (inbox, port):
        yield inbox, Mailer(SmtpConfig("127.0.0.1", port, security="none", sender="radio@xa.test"))


def _user(session: Session, name: str, role: str, area_id: int | None, *, email: str, kinds: list[str] | None = None,
          enabled: bool = True, weekly: bool = False) -> User:
    user = User(username=name, password_hash="x", role=role, area_id=area_id)
    session.add(user)
    session.flush()
    session.add(AlertPreference(user_id=user.id, email=email, email_enabled=enabled, kinds=kinds,
                                weekly_summary=weekly))
    return user


def _missed_bulletin(session: Session, village: Area, nodes: list[str]) -> int:
    audio = make_audio(session)
    bulletin = make_bulletin(session, audio, NOW - timedelta(hours=1), [village], title="Lịch cắt điện")
    bulletin.status = BulletinStatus.DONE
    session.add(CommandRow(id="c1", bulletin_id=bulletin.id, kind="play", topics=[], payload="{}", issued_at=NOW,
                           expires_at=NOW))
    session.flush()
    for node_id, outcome in zip(nodes, (Outcome.COMPLETED, Outcome.MISSED), strict=True):
        session.add(AsRun(command_id="c1", bulletin_id=bulletin.id, node_id=node_id, scheduled_start=bulletin.start_at,
                          requested_ms=3000, played_ms=3000 if outcome == Outcome.COMPLETED else 0, outcome=outcome))
    session.commit()
    return bulletin.id


def test_a_missed_bulletin_is_mailed_once_to_those_who_asked(sessions: sessionmaker[Session],
                                                             smtp: tuple[Inbox, Mailer]) -> None:
    inbox, mailer = smtp
    with sessions() as session:
        commune, villages, nodes = make_commune(session, villages=1, nodes_per_village=2)
        other, _v, _n = make_commune(session, code="39001")
        _user(session, "lanhdao", Role.LEADER, commune.id, email="lanhdao@xa.test")
        _user(session, "khongmuon", Role.LEADER, commune.id, email="no@xa.test", kinds=[AlertKind.NODE_OFFLINE])
        _user(session, "tatmail", Role.LEADER, commune.id, email="off@xa.test", enabled=False)
        _user(session, "xakhac", Role.LEADER, other.id, email="other@xa.test")
        _user(session, "tinh", Role.MONITOR, commune.parent_id, email="tinh@xa.test")
        bulletin_id = _missed_bulletin(session, villages[0], [n.id for n in nodes])

        (alert,) = evaluate(session, NOW, AlertThresholds())
        assert alert.kind == AlertKind.NOT_AIRED and alert.area_id == villages[0].id  # the bulletin's target
        assert deliver_pending(session, mailer, NOW, TZ) == 2
        assert evaluate(session, NOW + timedelta(minutes=1), AlertThresholds()) == []  # one alert per bulletin
        assert deliver_pending(session, mailer, NOW + timedelta(minutes=1), TZ) == 0  # mailed once
        assert session.scalar(select(Alert.emailed_at)) == NOW
    assert sorted(m["To"] for m in inbox.messages) == ["lanhdao@xa.test", "tinh@xa.test"]
    message = inbox.messages[0]
    assert message["Subject"] == "[Đài truyền thanh] Bản tin không phát được"
    body = message.get_payload(decode=True).decode()
    assert "“Lịch cắt điện” không phát được trên 1/2 cụm loa." in body
    assert "did not air on 1 of 2 loudspeakers" in body
    assert str(bulletin_id) not in message["Subject"]


def test_unreachable_smtp_keeps_the_alert_pending(sessions: sessionmaker[Session]) -> None:
    with smtp_server() as (_inbox, port):
        pass  # started and stopped: nothing listens on the port any more
    mailer = Mailer(SmtpConfig("127.0.0.1", port, security="none", timeout_s=2))
    with sessions() as session:
        commune, villages, nodes = make_commune(session, villages=1, nodes_per_village=2)
        _user(session, "lanhdao", Role.LEADER, commune.id, email="lanhdao@xa.test")
        _missed_bulletin(session, villages[0], [n.id for n in nodes])
        evaluate(session, NOW, AlertThresholds())
        assert deliver_pending(session, mailer, NOW, TZ) == 0
        assert session.scalar(select(Alert.emailed_at)) is None


def test_weekly_summary_mails_the_period_report_as_xlsx_once(sessions: sessionmaker[Session],
                                                             smtp: tuple[Inbox, Mailer]) -> None:
    inbox, mailer = smtp
    with sessions() as session:
        commune, _villages, _nodes = make_commune(session, villages=1)
        _user(session, "giamsat", Role.MONITOR, commune.parent_id, email="giamsat@tinh.test", weekly=True)
        _user(session, "lanhdao", Role.LEADER, commune.id, email="lanhdao@xa.test", weekly=True)  # not a monitor
        session.commit()
        assert send_weekly(session, mailer, NOW, TZ) == 1
        assert send_weekly(session, mailer, NOW + timedelta(hours=1), TZ) == 0  # once a week
        assert session.scalar(select(WeeklySummarySent.week_start)).isoformat() == "2026-08-24"
    (message,) = inbox.messages
    assert message["To"] == "giamsat@tinh.test"
    (attachment,) = [p for p in message.walk() if p.get_filename()]
    assert attachment.get_filename() == "bao-cao-tuan-2026-08-24-2026-08-30.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(attachment.get_payload(decode=True))).active
    assert "Tỉnh Thử" in str(sheet["A1"].value) and "24/08" in str(sheet["A1"].value)
    assert any(row[0] == "Xã Thử" for row in sheet.iter_rows(values_only=True))
