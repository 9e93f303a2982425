"""The ingest's view of node event keys: loaded from the node rows, refreshed, checked per event."""

import pytest

from factories import make_commune
from radio.db.models import Node
from radio.protocol import EventKind, NodeEvent, encode
from radio.protocol.event_signing import signed_event_bytes
from radio.protocol.messages import to_dict
from radio.protocol.signing import generate_private_key, public_key_pem
from scheduler.event_keys import EventKeyring

pytestmark = pytest.mark.security


def test_keyring_checks_nodes_with_a_key_and_trusts_those_without(sessions, tmp_path):
    key = generate_private_key(tmp_path / "n.pem")
    with sessions() as s:
        make_commune(s, villages=2)
        s.get(Node, "n38001-010").event_public_key = public_key_pem(key)
        s.commit()
    now = [0.0]
    keyring = EventKeyring(sessions, ttl_s=60, clock=lambda: now[0])
    event = NodeEvent("n38001-010:c:started", "n38001-010", EventKind.STARTED, 5, "c")
    assert keyring.problem("n38001-010", signed_event_bytes(to_dict(event), key)) is None
    assert keyring.problem("n38001-010", encode(event)) is not None  # forged through the broker
    other = NodeEvent("n38001-020:c:started", "n38001-020", EventKind.STARTED, 5, "c")
    assert keyring.problem("n38001-020", encode(other)) is None  # no key on record yet: an older agent
    with sessions() as s:
        s.get(Node, "n38001-020").event_public_key = public_key_pem(key)
        s.commit()
    assert keyring.problem("n38001-020", encode(other)) is None  # cached until the refresh
    now[0] = 61.0
    assert keyring.problem("n38001-020", encode(other)) is not None
    assert keyring.problem("n38001-010", b"not json") == "not JSON"
