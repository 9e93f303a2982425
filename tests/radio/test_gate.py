import json

import pytest

from radio.node.gate import Accepted, Duplicate, Rejected, SeenIds, judge
from radio.protocol import PlayCommand
from radio.protocol.messages import to_dict
from radio.protocol.signing import generate_private_key, load_public_keys, public_key_pem, sign


@pytest.fixture
def key(tmp_path):
    return generate_private_key(tmp_path / "k.pem")


def _payload(key, **changes):
    cmd = to_dict(PlayCommand("c1", 1, 1000, 2000, 9000, "http://x/m.mp3", "a" * 64, 500))
    signed = sign(cmd, key)
    signed.update(changes)
    return json.dumps(signed).encode()


def test_valid_command_is_accepted_once(key):
    keys, seen = load_public_keys(public_key_pem(key)), SeenIds()
    assert isinstance(judge(_payload(key), keys, seen, now_ms=1500), Accepted)
    assert judge(_payload(key), keys, seen, now_ms=1500) == Duplicate("c1")


@pytest.mark.parametrize(("changes", "reason"), [
    ({"start_at_ms": 2001}, "bad or missing signature"),   # tampered after signing
    ({"sig": None}, "bad or missing signature"),            # unsigned
    ({"v": 2}, "malformed"),
])
def test_forged_or_malformed_commands_are_rejected(key, changes, reason):
    verdict = judge(_payload(key, **changes), load_public_keys(public_key_pem(key)), SeenIds(), now_ms=1500)
    assert isinstance(verdict, Rejected) and verdict.reason.startswith(reason)


def test_command_signed_by_another_key_is_rejected(key, tmp_path):
    other = generate_private_key(tmp_path / "other.pem")
    verdict = judge(_payload(other), load_public_keys(public_key_pem(key)), SeenIds(), now_ms=1500)
    assert verdict == Rejected("bad or missing signature", "c1")


def test_expired_command_is_rejected(key):
    verdict = judge(_payload(key), load_public_keys(public_key_pem(key)), SeenIds(), now_ms=9001)
    assert verdict == Rejected("expired", "c1")


def test_replayed_command_is_not_accepted_twice_even_after_a_restart(key):
    keys, seen = load_public_keys(public_key_pem(key)), SeenIds()
    assert isinstance(judge(_payload(key), keys, seen, now_ms=1500), Accepted)
    restored = SeenIds(initial=seen.snapshot())  # what a node persists across restarts
    assert judge(_payload(key), keys, restored, now_ms=1600) == Duplicate("c1")


def test_seen_ids_forget_the_oldest_beyond_capacity():
    seen = SeenIds(capacity=3)
    for i in range(5):
        assert seen.add(str(i))
    assert "0" not in seen and "1" not in seen and "4" in seen
