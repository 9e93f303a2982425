"""Fixtures of the HTTT nguồn connector tests: the reference province server on loopback, on a fake clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from httt_support import FakeClock

from launcher.province_ref import ProvinceServer


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def ref_server(clock: FakeClock) -> Iterator[ProvinceServer]:
    server = ProvinceServer(clock=clock, token_ttl_s=3600, slow_s=1.0)
    with server:
        yield server
