"""Per-node event signatures: an as-run record the server can trust even if the broker is not trustworthy.

The broker ACL already stops node X from publishing on node Y's topics. It does not help when the broker
itself is bypassed: a leaked service password (the scheduler's account may write anywhere), a bridge from
another broker, or an operator with broker access can publish a `finished` for any node. With a per-node
Ed25519 key made at provisioning (`radio node provision`), the node signs each event over the same canonical
encoding as commands (radio/protocol/signing.py) and the server checks it against the public key stored on the
node's row. A node with a key on record must sign; a node without one (an agent older than this, or the
simulator) is accepted unsigned, so the change can roll out node by node.

Pure functions, no database: the ingest looks the node's key up and calls `event_signature_problem`.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from radio.protocol.signing import load_public_keys, sign, verify


def signed_event_bytes(event_obj: dict[str, Any], key: Ed25519PrivateKey | None) -> bytes:
    """The event as sent on the wire: compact UTF-8 JSON, with `sig` when the node has a key."""
    obj = sign(event_obj, key) if key is not None else event_obj
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def node_event_keys(public_key_pem: str | None) -> list[Ed25519PublicKey] | None:
    """The keys a node's events must verify under; None when the node has no key on record."""
    if not public_key_pem:
        return None
    return load_public_keys(public_key_pem)


def event_signature_problem(obj: dict[str, Any], keys: list[Ed25519PublicKey] | None) -> str | None:
    """None when the event may be stored; otherwise why it must be dropped.

    keys: the node's public key(s) from its row (several during a re-provisioning), None when it has none.
    """
    if keys is None:
        # No key on record: an older agent. Trust rests on the broker ACL alone, as before.
        return None
    if not isinstance(obj.get("sig"), str):
        return "unsigned event from a node that has an event key"
    if not verify(obj, keys):
        return "event signature does not verify under the node's key"
    return None
