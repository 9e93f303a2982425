"""The front door: the `radio` command, the local system runner, demo, selftest and the node simulator.

The only package that may import every other one (it starts them all); nothing imports it.
"""
