"""The node's TLS: one verifying context for MQTT (8883), media downloads and `GET /time`.

A node trusts exactly the CA bundle in its config (`ca_file`, the province CA), not the system store: a
certificate from any other CA, even a public one, is refused, and so is a certificate for another host name.
Without `ca_file` the system store is used (a province whose web has a public certificate). Plain `http://`
and `mqtt` without TLS still work for a box on the server's own network or loopback (tests, the demo).
"""

from __future__ import annotations

import ssl
import urllib.request
from functools import lru_cache
from pathlib import Path
from typing import IO, Any


class _ClosingSSLSocket(ssl.SSLSocket):
    """Closes itself when its handshake fails (wrong CA, wrong name). paho keeps no reference to a socket whose
    handshake failed and leaves the descriptor to the garbage collector; a node retrying every few seconds
    against a wrong certificate must not pile up open sockets meanwhile."""

    def do_handshake(self, block: bool = False) -> None:
        try:
            super().do_handshake(block)
        except BaseException:
            self.close()
            raise


@lru_cache(maxsize=8)
def _context(ca_file: str) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=ca_file or None)
    context.sslsocket_class = _ClosingSSLSocket
    # create_default_context already checks the host name and the chain; pinned here so no later edit weakens it.
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def client_context(ca_file: str | Path | None = None) -> ssl.SSLContext:
    """A client context that verifies the chain against `ca_file` (or the system store) and the host name.

    Cached per CA file: building one reads the bundle, and a node makes one per download and per clock sample.
    """
    return _context(str(ca_file or ""))


def urlopen(url: str | urllib.request.Request, *, timeout: float, ca_file: str | Path | None = None) -> IO[Any]:
    """urllib's urlopen with the node's CA for https:// URLs (plain http:// is left as it is)."""
    full_url = url.full_url if isinstance(url, urllib.request.Request) else url
    if full_url.lower().startswith("https://"):
        return urllib.request.urlopen(url, timeout=timeout, context=client_context(ca_file))  # type: ignore[no-any-return]
    return urllib.request.urlopen(url, timeout=timeout)  # type: ignore[no-any-return]
