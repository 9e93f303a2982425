"""The field model (issue 12): each box's own clock and its own 4G link, for the simulator, benchmarks and tests.

True time is the host's clock; a node's time is what its `FieldClock` says. Links are applied by a real TCP
proxy on loopback (`proxy.py`) for real agents, or in-process (`LinkModel.exchange`) for thousands of nodes.
"""

from launcher.field.clock import FieldClock, TrueTime, draw_clock
from launcher.field.link import LinkModel, draw_link

__all__ = ["FieldClock", "LinkModel", "TrueTime", "draw_clock", "draw_link"]
