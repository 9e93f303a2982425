"""The server's command-signing keys and their rotation without a gap in trust.

Files in keys_dir: `server_ed25519.pem` (signs now), `next_ed25519.pem` (staged: trusted by nodes, not yet
signing), `previous/*.pem` (retired signers still trusted until `retire`). Rotation:
  1. `radio keys stage`   - create the next key; push `radio keys public` (now both keys) to every node;
  2. `radio keys rotate`  - the next key signs from now on; the old one stays trusted;
  3. `radio keys retire`  - once every node has the new bundle, stop trusting the old keys.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from radio.protocol.signing import generate_private_key, load_private_key, public_key_pem


class KeyStoreError(RuntimeError):
    """A key operation that cannot proceed (message says why)."""


class KeyStore:
    def __init__(self, keys_dir: Path) -> None:
        self.dir = keys_dir
        self.current = keys_dir / "server_ed25519.pem"
        self.next = keys_dir / "next_ed25519.pem"
        self.previous_dir = keys_dir / "previous"

    def generate(self, *, force: bool = False) -> None:
        if self.current.exists() and not force:
            raise KeyStoreError(f"{self.current} exists (use --force to replace it; nodes will reject commands)")
        generate_private_key(self.current)

    def stage(self) -> None:
        if self.next.exists():
            raise KeyStoreError(f"a next key is already staged: {self.next}")
        generate_private_key(self.next)

    def rotate(self) -> None:
        if not self.next.exists():
            raise KeyStoreError("no staged key: run `radio keys stage` and give nodes the new bundle first")
        if self.current.exists():
            self.previous_dir.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            self.current.replace(self.previous_dir / f"{stamp}.pem")
        self.next.replace(self.current)

    def retire(self) -> int:
        retired = sorted(self.previous_dir.glob("*.pem")) if self.previous_dir.exists() else []
        for path in retired:
            path.unlink()
        return len(retired)

    def trusted_bundle(self) -> str:
        """PEM public keys nodes should trust: current, staged next, and not yet retired previous ones."""
        paths = [p for p in (self.current, self.next) if p.exists()]
        if self.previous_dir.exists():
            paths += sorted(self.previous_dir.glob("*.pem"))
        if not paths:
            raise KeyStoreError("no signing key yet: run `radio keys generate`")
        return "".join(public_key_pem(load_private_key(p)) for p in paths)
