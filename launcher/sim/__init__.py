"""Load simulator: thousands of virtual loudspeaker nodes speaking the real protocol (docs/benchmarks.md).

Not part of a node install: it is for tests, benchmarks and demos. Each virtual node has its own MQTT
credentials and validates commands with the same gate as the real agent (radio.node.gate.judge).
"""

from launcher.sim.model import NodeResult, SimConfig, SimStatus
from launcher.sim.simulator import Simulator, SimulatorError

__all__ = ["NodeResult", "SimConfig", "SimStatus", "Simulator", "SimulatorError"]
