"""Two or more ingest writers on one database without getting in each other's way.

A batch's database work is mostly the server's (the as-run update and the rollup triggers); with one writer the
writer's Python and the server take turns, each idle half the time. Several writers, each on its own connection,
overlap them. They must not write the same rows at once: the rollup triggers recompute whole rows per
(bulletin, commune) and (commune, day), so two transactions refreshing one key would collide (a unique violation,
then the slow one-by-one path). Events are therefore split by the commune of their node, so every rollup key
belongs to one writer. A node moved to another commune is routed by its old commune until the map is read again
(at most PARTITION_MAP_MAX_AGE_S later); meanwhile a collision is possible and only costs speed: the batch is
stored again message by message (scheduler/ingest_writer.py).

MQTT 5 asks a receiver to acknowledge QoS 1 messages in the order they arrived (section 4.6), so acknowledgements
are released in arrival order, whichever writer stored the message.
"""

from __future__ import annotations

import logging
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from radio.db.models import Area, Node
from radio.protocol import topics

log = logging.getLogger(__name__)
PARTITION_MAP_MAX_AGE_S = 60.0
MAX_REMEMBERED_TOPICS = 100_000  # a province's nodes × their 3 report topics, with room
UNKNOWN_NODE_REREAD_S = 5.0  # an unknown node re-reads the map at most this often (a flood of made-up ids)

T = TypeVar("T")


class CommunePartitioner:
    """Which writer (0..n-1) takes a message: by the commune of the topic's node."""

    def __init__(self, sessions: sessionmaker[Session], writers: int, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self.sessions = sessions
        self.writers = writers
        self.clock = clock
        self._commune_of: dict[str, int] = {}
        self._read_at: float | None = None
        self._writer_of_topic: dict[str, int] = {}  # what writer_for worked out, until the map is read again

    def warm(self) -> None:
        """Read the map now rather than at the first message."""
        self._read(self.clock())

    def writer_for(self, topic: str) -> int:
        now = self.clock()
        if self._read_at is not None and now - self._read_at <= PARTITION_MAP_MAX_AGE_S:
            known = self._writer_of_topic.get(topic)
            if known is not None:
                return known
        node_id = topics.node_id_from_topic(topic)
        if node_id is None:
            return 0
        age = None if self._read_at is None else now - self._read_at
        if age is None or age > PARTITION_MAP_MAX_AGE_S or (
                node_id not in self._commune_of and age > UNKNOWN_NODE_REREAD_S):
            self._read(now)
        commune = self._commune_of.get(node_id)
        # Hashed, not commune % writers: ids are not spread evenly (a commune's villages take the ids after it).
        # A node in no commune (or unknown) has no rollup row to collide on: spread by its own id.
        key = f"c{commune}" if commune is not None else node_id
        writer = zlib.crc32(key.encode()) % self.writers
        if commune is not None and len(self._writer_of_topic) < MAX_REMEMBERED_TOPICS:
            # Known nodes only: made-up node ids must neither fill this nor skip the unknown-node re-read.
            self._writer_of_topic[topic] = writer
        return writer

    def _read(self, now: float) -> None:
        self._read_at = now
        self._writer_of_topic = {}
        try:
            with self.sessions() as session:
                self._commune_of = {n: c for n, c in session.execute(
                    select(Node.id, Area.parent_id).join(Area, Area.id == Node.village_id)) if c is not None}
        except Exception as exc:  # the writers report the database's state; routing goes on with the old map
            log.warning("reading the node → commune map failed: %s", exc)


class InOrderRelease(Generic[T]):
    """Hands finished items to `release` in the order they were registered, whoever finished them."""

    def __init__(self, release: Callable[[list[T]], None]) -> None:
        self._release = release
        self._lock = threading.Lock()
        self._order: deque[T] = deque()
        self._finished: set[int] = set()  # id() of finished items still waiting for an earlier one

    def register(self, items: Sequence[T]) -> None:
        with self._lock:
            self._order.extend(items)

    def finish(self, items: Sequence[T], unreleased: Sequence[T] = ()) -> None:
        """`items` are done and may be released; `unreleased` are done with but must not be (they would
        otherwise hold back every later item for ever)."""
        with self._lock:
            self._finished.update(id(i) for i in items)
            skip = {id(i) for i in unreleased}
            self._finished |= skip
            out: list[T] = []
            while self._order and id(self._order[0]) in self._finished:
                item = self._order.popleft()
                self._finished.discard(id(item))
                if id(item) not in skip:
                    out.append(item)
            if out:  # under the lock: two writers' releases must not overtake each other
                self._release(out)

    @property
    def waiting(self) -> int:
        with self._lock:
            return len(self._order)
