"""How long before air a play command must go out so that every targeted node has the media in time.

A node fetches the MP3 as soon as it receives the command. With N nodes each downloading S bytes through the
province server's uplink of U Mbit/s, the last copy leaves the server about S x N x 8 / U microseconds after
the command: 1,000 nodes x 2 MB through 100 Mbit/s is 160 s, longer than the default 120 s lead. The command
therefore goes out at the larger of the configured lead and that transfer time with a margin (4G links and
retries), so a province-wide bulletin is dispatched early enough; a small one keeps the usual lead.
"""

from __future__ import annotations

# The transfer is planned this much longer than the arithmetic says: TCP and TLS overhead, slow 4G links that
# use the uplink unevenly, and downloads retried after a drop.
TRANSFER_MARGIN = 1.5
# Time for the command to reach the nodes and the last download to be verified.
SETTLE_S = 10.0


def transfer_s(media_bytes: int, nodes: int, uplink_mbit: float) -> float:
    """Seconds for `nodes` copies of `media_bytes` through an uplink of `uplink_mbit` Mbit/s."""
    if uplink_mbit <= 0 or nodes <= 0 or media_bytes <= 0:
        return 0.0
    return media_bytes * 8 * nodes / (uplink_mbit * 1_000_000)


def dispatch_lead_s(base_lead_s: float, media_bytes: int, nodes: int, uplink_mbit: float) -> float:
    """The lead to use for one bulletin: the configured one, or longer when the uplink needs it."""
    needed = transfer_s(media_bytes, nodes, uplink_mbit)
    if needed <= 0:
        return base_lead_s
    return max(base_lead_s, needed * TRANSFER_MARGIN + SETTLE_S)
