"""The whole system with the simulator's loudspeakers instead of one in-process agent per node.

In-process agents share one interpreter, so at air time they take turns (a ramp of a few ms across 24 nodes)
in a way real boxes, each with its own CPU, never do. The simulator's processes start their nodes from one
precise timer, which is what a benchmark or a sync test of many nodes on one machine needs.
"""

from __future__ import annotations

from launcher.system import LocalSystem
from radio.broker import NodeAccount
from radio.protocol.signing import load_or_create_private_key, public_key_pem


class SimulatedNodesSystem(LocalSystem):
    """LocalSystem whose nodes are left to a launcher.sim.Simulator (accounts kept in `self.accounts`)."""

    accounts: list[NodeAccount]
    public_key_pem: str

    def start_nodes(self, accounts: list[NodeAccount]) -> None:
        assert self.settings is not None
        self.accounts = list(accounts)
        self.public_key_pem = public_key_pem(load_or_create_private_key(self.settings.signing_key_path))
