"""The server side of per-node event signatures: node keys from the database, checked per event.

Hook for the ingest (one call per event, after the topic/payload node id check):
`if (why := keyring.problem(node_id, payload)) is not None: drop the event and log why`.
Keys are loaded for all nodes in one query and refreshed every ttl_s, so the MQTT thread never waits on a
query per event; a node provisioned since the last refresh is checked from the next one (until then its
events are trusted on the broker ACL alone, as an unsigned older agent's are).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from radio.db.models import Node
from radio.protocol.event_signing import event_signature_problem, node_event_keys


class EventKeyring:
    def __init__(self, sessions: sessionmaker[Session], *, ttl_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.sessions = sessions
        self.ttl_s = ttl_s
        self.clock = clock
        self._keys: dict[str, list[Ed25519PublicKey]] = {}
        self._loaded_at: float | None = None
        self._lock = threading.Lock()

    def refresh(self) -> None:
        with self.sessions() as session:
            rows = session.execute(select(Node.id, Node.event_public_key)
                                   .where(Node.event_public_key.is_not(None))).all()
        keys = {node_id: k for node_id, pem in rows if (k := node_event_keys(pem))}
        with self._lock:
            self._keys, self._loaded_at = keys, self.clock()

    def keys_for(self, node_id: str) -> list[Ed25519PublicKey] | None:
        if self._loaded_at is None or self.clock() - self._loaded_at > self.ttl_s:
            self.refresh()
        with self._lock:
            return self._keys.get(node_id)

    def problem(self, node_id: str, payload: bytes) -> str | None:
        """None when the event may be stored; else why it must be dropped."""
        keys = self.keys_for(node_id)
        if keys is None:
            return None
        try:
            obj = json.loads(payload)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return "not JSON"
        if not isinstance(obj, dict):
            return "not a JSON object"
        return event_signature_problem(obj, keys)
