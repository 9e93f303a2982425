import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.lateness import Start, percentile, starts_timeliness, timeliness


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


@pytest.mark.security
def test_a_node_that_corrected_its_clock_is_taken_at_its_word():
    # Started at the true time after measuring its clock 3 s fast: at_ms is already server time.
    t = starts_timeliness([Start(1_000_004, 1_000_000, clock_offset_ms=-3000, clock_uncertainty_ms=2)])
    assert t.error_p50_ms == 4 and t.unverified == 0 and t.clock_uncertainty_max_ms == 2


@pytest.mark.security
def test_an_old_node_3_s_fast_that_reports_its_raw_clock_shows_its_real_error():
    # Its clock said "start" 3 s early; it reports the scheduled time by its clock. Before, timeliness showed
    # +2 ms; with the heartbeat's offset (server minus node = -3000) the start is put back in server time.
    starts = [Start(1_000_002, 1_000_000, heartbeat_offset_ms=-3000), Start(1_000_001, 1_000_000, 0, 1)]
    t = starts_timeliness(starts)
    assert t.error_max_ms == 2998 and t.skew_ms == 2999 and t.unverified == 0


@pytest.mark.security
def test_a_start_on_a_never_measured_clock_is_counted_unverified():
    t = starts_timeliness([Start(1_000_002, 1_000_000), Start(1_000_001, 1_000_000, 0, 3)])
    assert t.unverified == 1 and t.error_max_ms == 2 and t.clock_uncertainty_max_ms == 3
