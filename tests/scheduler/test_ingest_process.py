"""The writer's supervisor: a delivery that keeps killing writers is dropped, not fed to them for ever."""

import pytest

from scheduler.ingest_process import MAX_DEATHS_IN_FLIGHT, ProcessIngest
from scheduler.transport import Delivery

pytestmark = pytest.mark.security


def test_a_delivery_in_flight_at_repeated_writer_deaths_is_dropped_and_acknowledged():
    acked = []
    ingest = ProcessIngest("sqlite://", acker=acked.extend)
    poison = Delivery("radio/v1/node/n1/event", b"kills the writer", mid=7)
    ingest.on_delivery(poison)
    for _ in range(MAX_DEATHS_IN_FLIGHT - 1):
        ingest._count_deaths()
    assert acked == [] and ingest.health()["pending"] == 1  # still handed to the next writer
    ingest._count_deaths()
    assert acked == [poison] and ingest.quarantined == 1 and ingest.health()["pending"] == 0


def test_start_returns_once_the_writer_has_loaded_and_then_stores_at_once(tmp_path):
    """start() waits for the child's "ready" (keys, commune map and connections read), so a burst right after
    start is stored without also paying for the writer's start-up."""
    import time

    from radio.db.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'radio.db'}"
    upgrade(url)
    ingest = ProcessIngest(url)
    began = time.monotonic()
    ingest.start(wait_s=60)
    try:
        assert ingest._ready.is_set() and ingest.alive
        assert time.monotonic() - began < 60
        # The ready message comes from the child after warm_up: a child that only started would not have sent it.
        assert ingest.health()["restarts"] == 0
    finally:
        ingest.stop()


def test_the_stored_count_is_current_when_a_delivery_is_acknowledged(tmp_path):
    """`stored` comes with each acknowledgement, not only with the twice-a-second stats: a caller that waits for
    its acknowledgements (the benchmark, a health check after a burst) never reads a count behind them."""
    import time
    from datetime import UTC, datetime, timedelta

    from radio.db.migrate import upgrade
    from radio.db.models import Area, AreaLevel, AsRun, AudioAssetRow, Bulletin, CommandRow, Node
    from radio.db.session import make_engine, make_sessionmaker
    from radio.protocol import EventKind, NodeEvent, encode, topics
    from radio.protocol.messages import event_id_for

    url = f"sqlite:///{tmp_path / 'radio.db'}"
    upgrade(url)
    engine = make_engine(url)
    at = datetime.now(UTC) - timedelta(minutes=5)
    with make_sessionmaker(engine)() as s:
        province = Area(code="38", name="Tỉnh", level=AreaLevel.PROVINCE)
        s.add(province)
        s.flush()
        commune = Area(code="38001", name="Xã", level=AreaLevel.COMMUNE, parent_id=province.id)
        s.add(commune)
        s.flush()
        village = Area(code="38001-01", name="Thôn", level=AreaLevel.VILLAGE, parent_id=commune.id)
        s.add(village)
        s.flush()
        s.add_all([Node(id=f"n{i}", name=f"n{i}", village_id=village.id) for i in range(5)])
        audio = AudioAssetRow(sha256="0" * 64, duration_ms=1000, size_bytes=1, engine="espeak-ng")
        s.add(audio)
        s.flush()
        bulletin = Bulletin(title="B", audio_id=audio.id, start_at=at, status="dispatched")
        s.add(bulletin)
        s.flush()
        s.add(CommandRow(id="c1", bulletin_id=bulletin.id, kind="play", topics=[], payload="{}", issued_at=at,
                         start_at=at, expires_at=at + timedelta(hours=1), published_at=at))
        s.flush()
        s.add_all([AsRun(command_id="c1", bulletin_id=bulletin.id, node_id=f"n{i}", scheduled_start=at,
                         requested_ms=1000, outcome="pending") for i in range(5)])
        s.commit()
    engine.dispose()
    seen: list[int] = []
    ingest = ProcessIngest(url, acker=lambda ds: seen.extend(ingest.stored for _ in ds))
    ingest.start(wait_s=60)
    try:
        at_ms = int(at.timestamp() * 1000) + 10
        for i in range(5):
            ev = NodeEvent(event_id_for(f"n{i}", "c1", EventKind.STARTED), f"n{i}", EventKind.STARTED, at_ms, "c1")
            ingest.on_delivery(Delivery(topics.node_event(f"n{i}"), encode(ev), mid=i + 1))
        deadline = time.monotonic() + 30
        while len(seen) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(seen) == 5 and seen[-1] == 5
    finally:
        ingest.stop()
