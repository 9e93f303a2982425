import json

import pytest

from radio.node.gate import Accepted, Duplicate, Recipient, Rejected, SeenIds, judge
from radio.protocol import PlayCommand, StopCommand, Targets, VolumeCommand
from radio.protocol.messages import to_dict
from radio.protocol.signing import generate_private_key, load_public_keys, public_key_pem, sign


@pytest.fixture
def key(tmp_path):
    return generate_private_key(tmp_path / "k.pem")


ME = Recipient("n38001-0101", ("38001-01", "38001", "38"))


def _judge(payload, keys, seen, now_ms):
    return judge(payload, keys, seen, now_ms, me=ME)


VILLAGE_01 = Targets(areas=("38001-01",))


def _payload(key, targets=VILLAGE_01, **changes):
    cmd = to_dict(PlayCommand("c1", 1, 1000, 2000, 9000, "http://x/m.mp3", "a" * 64, 500, targets=targets))
    signed = sign(cmd, key)
    signed.update(changes)
    return json.dumps(signed).encode()


def test_valid_command_is_accepted_once(key):
    keys, seen = load_public_keys(public_key_pem(key)), SeenIds()
    assert isinstance(_judge(_payload(key), keys, seen, now_ms=1500), Accepted)
    assert _judge(_payload(key), keys, seen, now_ms=1500) == Duplicate("c1")


@pytest.mark.parametrize(("changes", "reason"), [
    ({"start_at_ms": 2001}, "bad or missing signature"),   # tampered after signing
    ({"sig": None}, "bad or missing signature"),            # unsigned
    ({"v": 2}, "malformed"),
])
def test_forged_or_malformed_commands_are_rejected(key, changes, reason):
    verdict = _judge(_payload(key, **changes), load_public_keys(public_key_pem(key)), SeenIds(), now_ms=1500)
    assert isinstance(verdict, Rejected) and verdict.reason.startswith(reason)


def test_command_signed_by_another_key_is_rejected(key, tmp_path):
    other = generate_private_key(tmp_path / "other.pem")
    verdict = _judge(_payload(other), load_public_keys(public_key_pem(key)), SeenIds(), now_ms=1500)
    assert verdict == Rejected("bad or missing signature", "c1")


def test_expired_command_is_rejected(key):
    verdict = _judge(_payload(key), load_public_keys(public_key_pem(key)), SeenIds(), now_ms=9001)
    assert verdict == Rejected("expired", "c1")


def test_replayed_command_is_not_accepted_twice_even_after_a_restart(key):
    keys, seen = load_public_keys(public_key_pem(key)), SeenIds()
    assert isinstance(_judge(_payload(key), keys, seen, now_ms=1500), Accepted)
    restored = SeenIds(initial=seen.snapshot())  # what a node persists across restarts
    assert _judge(_payload(key), keys, restored, now_ms=1600) == Duplicate("c1")


def test_seen_ids_forget_the_oldest_beyond_capacity():
    seen = SeenIds(capacity=3)
    for i in range(5):
        assert seen.add(str(i))
    assert "0" not in seen and "1" not in seen and "4" in seen


@pytest.mark.security
@pytest.mark.parametrize("targets", [
    Targets(areas=("38001-01",)), Targets(areas=("38001",)), Targets(areas=("38",)),
    Targets(nodes=("n38001-0101",)), Targets(areas=("38002-05", "38001-01")),
])
def test_command_naming_one_of_the_nodes_areas_or_its_id_is_accepted(key, targets):
    verdict = _judge(_payload(key, targets), load_public_keys(public_key_pem(key)), SeenIds(), now_ms=1500)
    assert isinstance(verdict, Accepted)


@pytest.mark.security
@pytest.mark.parametrize("targets", [
    Targets(areas=("38001-02",)),           # a neighbouring village's command replayed on the commune topic
    Targets(nodes=("n38001-0102",)),        # another node's own command
    Targets(areas=("3800",)),               # no prefix matching: codes are compared whole
    Targets(),                               # names nobody (an old server, or stripped before signing)
])
def test_command_not_naming_this_node_is_rejected_with_a_reason(key, targets):
    verdict = _judge(_payload(key, targets), load_public_keys(public_key_pem(key)), SeenIds(), now_ms=1500)
    assert isinstance(verdict, Rejected) and verdict.reason.startswith("not addressed to this node")
    assert verdict.command_id == "c1"


@pytest.mark.security
def test_targets_cannot_be_widened_after_signing(key):
    payload = json.loads(_payload(key, Targets(areas=("38001-02",))))
    payload["targets"]["areas"].append("38001-01")
    verdict = _judge(json.dumps(payload).encode(), load_public_keys(public_key_pem(key)), SeenIds(), now_ms=1500)
    assert verdict == Rejected("bad or missing signature", "c1")


@pytest.mark.security
@pytest.mark.parametrize("cmd", [
    StopCommand("s1", 1000, 9000, None, targets=Targets(areas=("38001-02",))),
    VolumeCommand("v1", 1000, 9000, 10, targets=Targets(areas=("38001-02",))),
])
def test_stop_and_volume_are_bound_to_their_targets_too(key, cmd):
    payload = json.dumps(sign(to_dict(cmd), key)).encode()
    verdict = _judge(payload, load_public_keys(public_key_pem(key)), SeenIds(), now_ms=1500)
    assert isinstance(verdict, Rejected) and verdict.reason.startswith("not addressed")


@pytest.mark.security
@pytest.mark.parametrize("bad", [["38001"], {"areas": "38001"}, {"areas": [1]}])
def test_malformed_targets_are_invalid(key, bad):
    payload = json.loads(_payload(key))
    payload["targets"] = bad
    payload = sign({k: v for k, v in payload.items() if k != "sig"}, key)
    verdict = _judge(json.dumps(payload).encode(), load_public_keys(public_key_pem(key)), SeenIds(), now_ms=1500)
    assert isinstance(verdict, Rejected) and verdict.reason.startswith("invalid")
