import json

from radio.protocol import PlayCommand
from radio.protocol.messages import to_dict
from radio.protocol.signing import (
    canonical_bytes,
    generate_private_key,
    load_private_key,
    load_public_keys,
    public_key_pem,
    sign,
    verify,
)


def _cmd() -> dict:
    return to_dict(PlayCommand("c1", 1, 1000, 2000, 3000, "http://x/media/a.mp3", "a" * 64, 500, title="Bản tin"))


def test_signed_command_verifies_and_tampering_is_detected(tmp_path):
    key = generate_private_key(tmp_path / "k.pem")
    keys = load_public_keys(public_key_pem(key))
    signed = sign(_cmd(), key)
    assert verify(signed, keys)
    # Survives a JSON round trip with different key order and escaping (canonical form).
    assert verify(json.loads(json.dumps(signed, ensure_ascii=True)), keys)
    tampered = dict(signed, start_at_ms=2001)
    assert not verify(tampered, keys)
    assert not verify(_cmd(), keys)  # unsigned
    assert not verify(dict(signed, sig="!!notbase64"), keys)


def test_other_key_is_not_trusted_but_a_bundle_with_both_is(tmp_path):
    old = generate_private_key(tmp_path / "old.pem")
    new = generate_private_key(tmp_path / "new.pem")
    signed = sign(_cmd(), new)
    assert not verify(signed, load_public_keys(public_key_pem(old)))
    assert verify(signed, load_public_keys(public_key_pem(old) + public_key_pem(new)))


def test_private_key_file_is_private_and_reloads(tmp_path):
    path = tmp_path / "keys" / "k.pem"
    key = generate_private_key(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert public_key_pem(load_private_key(path)) == public_key_pem(key)


def test_canonical_bytes_ignore_sig_and_keep_vietnamese():
    data = canonical_bytes({"b": 1, "a": "Bản tin", "sig": "x"})
    assert data == '{"a":"Bản tin","b":1}'.encode()
