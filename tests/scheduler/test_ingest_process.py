"""The writer's supervisor: a delivery that keeps killing writers is dropped, not fed to them for ever."""

import pytest

from scheduler.ingest_process import MAX_DEATHS_IN_FLIGHT, ProcessIngest
from scheduler.transport import Delivery

pytestmark = pytest.mark.security


def test_a_delivery_in_flight_at_repeated_writer_deaths_is_dropped_and_acknowledged():
    acked = []
    ingest = ProcessIngest("sqlite://", acker=acked.append)
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
