"""Per-node event signatures: the pure check the ingest applies to every event."""

import json

import pytest

from radio.protocol import EventKind, NodeEvent
from radio.protocol.event_signing import event_signature_problem, node_event_keys, signed_event_bytes
from radio.protocol.messages import encode, to_dict
from radio.protocol.signing import generate_private_key, public_key_pem

pytestmark = pytest.mark.security

EVENT = NodeEvent("n1:c1:finished", "n1", EventKind.FINISHED, 1_795_302_094_000, "c1", 42, 1_795_302_060_000,
                  '{"played_ms": 34000}', clock_offset_ms=-3000, clock_uncertainty_ms=4)


@pytest.fixture
def node_key(tmp_path):
    return generate_private_key(tmp_path / "node.pem")


def test_a_signed_event_verifies_under_the_nodes_key(node_key):
    obj = json.loads(signed_event_bytes(to_dict(EVENT), node_key))
    assert event_signature_problem(obj, node_event_keys(public_key_pem(node_key))) is None


def test_without_a_key_the_bytes_are_the_plain_event():
    assert signed_event_bytes(to_dict(EVENT), None) == encode(EVENT)


@pytest.mark.parametrize(("change", "problem"), [
    ({"kind": "finished", "detail": '{"played_ms": 99000}'}, "event signature does not verify"),  # inflated
    ({"node_id": "n2"}, "event signature does not verify"),
    ({"sig": None}, "unsigned event"),
])
def test_a_tampered_or_unsigned_event_of_a_node_with_a_key_is_refused(node_key, change, problem):
    obj = json.loads(signed_event_bytes(to_dict(EVENT), node_key)) | change
    assert event_signature_problem(obj, node_event_keys(public_key_pem(node_key))).startswith(problem)


def test_an_event_signed_by_another_nodes_key_is_refused(node_key, tmp_path):
    other = generate_private_key(tmp_path / "other.pem")
    obj = json.loads(signed_event_bytes(to_dict(EVENT), other))
    assert event_signature_problem(obj, node_event_keys(public_key_pem(node_key))) is not None


def test_a_node_without_a_key_on_record_is_trusted_on_the_acl_alone():
    assert node_event_keys(None) is None and node_event_keys("") is None
    assert event_signature_problem(to_dict(EVENT), None) is None
