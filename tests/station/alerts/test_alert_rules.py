"""Pure alert rules: tables of facts and the decision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from station.alerts import rules
from station.alerts.kinds import AlertThresholds

T = AlertThresholds()
NOW = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


@pytest.mark.parametrize(("changes", "online", "expected"), [
    ([(ago(60), True), (ago(1), False)], False, None),
    ([(ago(60), True), (ago(6), False)], False, "outage"),
    ([(ago(20), False), (ago(19), True), (ago(15), False), (ago(14), True), (ago(10), False), (ago(9), True),
      (ago(3), False)], False, "flapping"),
    ([(ago(20), False), (ago(19), True), (ago(15), False), (ago(14), True)], True, None),
    ([], True, None),
])
def test_offline_problem(changes: list[tuple[datetime, bool]], online: bool, expected: str | None) -> None:
    assert rules.offline_problem(changes, online, changes[-1][0] if changes else None, NOW, T) == expected


def test_drops_before_the_last_alert_closed_are_not_counted_again() -> None:
    drops = [(ago(20 - i), i % 2 == 1) for i in range(8)]  # four drops within 20 minutes
    assert rules.offline_problem(drops, True, ago(13), NOW, T) == "flapping"
    assert rules.offline_problem(drops, True, ago(13), NOW, T, counted_after=ago(14)) is None


@pytest.mark.parametrize(("outcomes", "expected"), [
    ([("completed", 60_000, 60_000)] * 3, None),
    ([("completed", 60_000, 60_000), ("missed", 0, 60_000)], "not_aired"),
    ([("completed", 60_000, 60_000), ("interrupted", 20_000, 60_000)], "partly_aired"),
    ([("completed", 60_000, 60_000), ("interrupted", 0, 60_000)], "not_aired"),
    ([("rejected", 0, 60_000)], "not_aired"),
])
def test_airing_problem(outcomes: list[tuple[str, int, int]], expected: str | None) -> None:
    assert rules.airing_problem(outcomes) == expected


@pytest.mark.parametrize(("offset", "uncertainty", "expected"), [
    (3_000, 20, False),  # seconds off but measured well: the node corrects itself
    (3_000, 900, True),  # cannot measure precisely enough to keep in step
    (120_000, None, True),  # two minutes off: no time source at all
    (None, None, False),
])
def test_clock_problem(offset: int | None, uncertainty: int | None, expected: bool) -> None:
    assert rules.clock_problem(offset, uncertainty, T) is expected


def test_cache_problem() -> None:
    assert rules.cache_problem(96, 100, None, T) and not rules.cache_problem(50, 100, None, T)
    assert rules.cache_problem(0, 100, "disk full", T) and not rules.cache_problem(None, None, None, T)
