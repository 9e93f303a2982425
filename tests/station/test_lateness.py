import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.lateness import percentile, timeliness


def test_start_error_and_skew():
    t = timeliness([1003, 1001, 1010, 1002], [1000] * 4)
    assert t.nodes_started == 4
    assert t.error_p50_ms == 2
    assert t.error_p99_ms == 10
    assert t.skew_ms == 9
    assert t.skew_p99_ms == 8  # median start 1002 (nearest rank), farthest is 1010


def test_no_starts():
    assert timeliness([], []).error_p99_ms is None


@pytest.mark.parametrize(("values", "q", "expected"), [
    ([1, 2, 3, 4], 50, 2), ([5], 99, 5), (list(range(1, 101)), 99, 99),
])
def test_percentile_nearest_rank(values, q, expected):
    assert percentile(values, q) == expected


@given(st.lists(st.integers(-10_000, 10_000), min_size=1, max_size=50))
def test_percentiles_are_observed_values_and_ordered(values):
    assert percentile(values, 50) in values
    assert percentile(values, 50) <= percentile(values, 99) <= max(values)
