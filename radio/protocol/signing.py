"""Ed25519 signatures over a canonical JSON encoding.

Canonical form: the message object without its "sig" member, serialized as UTF-8 JSON with sorted keys,
no insignificant white space and non-ASCII characters kept as they are (json.dumps(sort_keys=True,
separators=(",", ":"), ensure_ascii=False)). Floats must therefore be avoided in signed fields where another
language could print them differently: times are integer milliseconds.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def canonical_bytes(obj: dict[str, Any]) -> bytes:
    body = {k: v for k, v in obj.items() if k != "sig"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign(obj: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    signed = dict(obj)
    signed["sig"] = base64.b64encode(key.sign(canonical_bytes(obj))).decode("ascii")
    return signed


def verify(obj: dict[str, Any], keys: list[Ed25519PublicKey]) -> bool:
    """True when some trusted key signed this object (several keys allow a rotation period)."""
    sig = obj.get("sig")
    if not isinstance(sig, str):
        return False
    try:
        raw = base64.b64decode(sig, validate=True)
    except ValueError:
        return False
    data = canonical_bytes(obj)
    for key in keys:
        try:
            key.verify(raw, data)
            return True
        except InvalidSignature:
            continue
    return False


def generate_private_key(path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pem)
    tmp.chmod(0o600)
    tmp.replace(path)
    return key


def load_private_key(path: Path) -> Ed25519PrivateKey:
    return private_key_from_pem(path.read_text(), str(path))


def private_key_from_pem(pem: str, where: str = "the PEM") -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{where} is not an Ed25519 private key")
    return key


def load_or_create_private_key(path: Path) -> Ed25519PrivateKey:
    return load_private_key(path) if path.exists() else generate_private_key(path)


def public_key_pem(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_keys(pem_text: str) -> list[Ed25519PublicKey]:
    """All public keys in a PEM bundle (one or more concatenated PEM blocks)."""
    keys: list[Ed25519PublicKey] = []
    marker = "-----END PUBLIC KEY-----"
    for block in pem_text.split(marker):
        if "BEGIN PUBLIC KEY" not in block:
            continue
        key = serialization.load_pem_public_key((block.strip() + "\n" + marker + "\n").encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        keys.append(key)
    return keys
