"""A warning imported from a national feed (CAP) that no leader acts on becomes an alert; acting closes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from factories import make_audio, make_commune
from radio.db.alerts import Alert
from station.alerts.evaluate import evaluate
from station.alerts.kinds import AlertKind, AlertThresholds
from station.audit import Actor
from station.warnings.service import activate, new_warning

T0 = datetime(2026, 9, 1, 1, 0, tzinfo=UTC)


def test_unacknowledged_cap_draft_alerts_once_and_closes_when_aired(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        commune, _villages, _nodes = make_commune(s, villages=1)
        warning = new_warning(s, commune=commune, hazard="flood", level=3, village_ids=[], title="Lũ trên sông Cả",
                              body="Lũ lên nhanh.", interval_s=7200, created_by=None, now=T0, source="cap")
        s.commit()
        rules = AlertThresholds()  # 15 minutes to act
        assert evaluate(s, T0 + timedelta(minutes=10), rules) == []
        (alert,) = evaluate(s, T0 + timedelta(minutes=16), rules)
        assert alert.kind == AlertKind.WARNING_UNACKNOWLEDGED and alert.area_id == commune.id
        assert evaluate(s, T0 + timedelta(minutes=20), rules) == []  # one alert, not one per run
        activate(s, warning, audio_id=make_audio(s).id, actor=Actor(None, "leader", commune.id, "chutich"),
                 now=T0 + timedelta(minutes=21))
        s.commit()
        evaluate(s, T0 + timedelta(minutes=22), rules)
        assert s.scalar(select(Alert.resolved_at)) == T0 + timedelta(minutes=22)
