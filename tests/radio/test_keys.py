import subprocess
import sys

import pytest

from radio.keys import KeyStore, KeyStoreError
from radio.protocol import PlayCommand
from radio.protocol.messages import to_dict
from radio.protocol.signing import load_private_key, load_public_keys, sign, verify


def _signed_by(path):
    return sign(to_dict(PlayCommand("c", 1, 1, 2, 3, "u", "a" * 64, 4)), load_private_key(path))


def test_rotation_never_leaves_a_node_without_a_trusted_signer(tmp_path):
    store = KeyStore(tmp_path)
    store.generate()
    old_cmd = _signed_by(store.current)
    bundle_before = load_public_keys(store.trusted_bundle())
    assert len(bundle_before) == 1
    store.stage()
    staged = load_public_keys(store.trusted_bundle())  # what nodes receive before the switch
    assert len(staged) == 2
    store.rotate()
    new_cmd = _signed_by(store.current)
    assert verify(new_cmd, staged) and verify(old_cmd, staged)
    assert not verify(new_cmd, bundle_before)
    assert store.retire() == 1
    after = load_public_keys(store.trusted_bundle())
    assert verify(new_cmd, after) and not verify(old_cmd, after)


def test_mistakes_are_refused(tmp_path):
    store = KeyStore(tmp_path)
    with pytest.raises(KeyStoreError, match="no signing key"):
        store.trusted_bundle()
    store.generate()
    with pytest.raises(KeyStoreError, match="exists"):
        store.generate()
    with pytest.raises(KeyStoreError, match="no staged key"):
        store.rotate()
    store.stage()
    with pytest.raises(KeyStoreError, match="already staged"):
        store.stage()


def test_cli_prints_the_bundle(tmp_path):
    env = {"RADIO_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "launcher.cli", "keys"]
    first = subprocess.run([*run, "generate"], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.count("BEGIN PUBLIC KEY") == 1
    again = subprocess.run([*run, "generate"], env=env, capture_output=True, text=True)
    assert again.returncode == 2 and "exists" in again.stderr
    subprocess.run([*run, "stage"], env=env, capture_output=True, check=True)
    bundle = subprocess.run([*run, "public"], env=env, capture_output=True, text=True, check=True).stdout
    assert bundle.count("BEGIN PUBLIC KEY") == 2
