"""Reporting periods (local dates) and the assisted plan import on the sample plans."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from radio.db.planning import Metric
from sample_data import PLANS
from station.accounting import periods
from station.accounting.periods import LOCAL_TZ, Period
from station.accounting.plan_import import fold, suggest
from station.accounting.queries import uptime_share
from station.accounting.sql import LOCAL_OFFSET_HOURS

SAMPLES = PLANS


@pytest.mark.parametrize(("kind", "day", "start", "end"), [
    ("month", date(2024, 2, 10), date(2024, 2, 1), date(2024, 2, 29)),
    ("quarter", date(2023, 11, 5), date(2023, 10, 1), date(2023, 12, 31)),
    ("half", date(2024, 7, 1), date(2024, 7, 1), date(2024, 12, 31)),
    ("year", date(2025, 1, 1), date(2025, 1, 1), date(2025, 12, 31)),
])
def test_periods_contain_the_day(kind, day, start, end):
    p = periods.containing(kind, day)
    assert (p.start, p.end) == (start, end)


def test_period_bounds_are_local_midnight_in_utc():
    lo, hi = periods.quarter(2025, 4).utc_bounds()
    assert lo == datetime(2025, 9, 30, 17, tzinfo=UTC) and hi == datetime(2025, 12, 31, 17, tzinfo=UTC)


def test_the_sql_offset_matches_the_zone_over_the_years():
    for year in range(1980, 2040, 7):
        assert datetime(year, 6, 1, tzinfo=LOCAL_TZ).utcoffset().total_seconds() == LOCAL_OFFSET_HOURS * 3600


def test_pace_is_the_share_of_days_passed():
    q = periods.quarter(2025, 4)
    assert q.elapsed_fraction(date(2025, 9, 30)) == 0
    assert q.elapsed_fraction(date(2025, 10, 1)) == pytest.approx(1 / 92)
    assert q.elapsed_fraction(date(2026, 1, 5)) == 1


def test_weeks_run_monday_to_sunday_clipped():
    weeks = periods.weeks(date(2025, 11, 5), date(2025, 11, 20))
    assert [(w.start, w.end) for w in weeks] == [
        (date(2025, 11, 5), date(2025, 11, 9)), (date(2025, 11, 10), date(2025, 11, 16)),
        (date(2025, 11, 17), date(2025, 11, 20))]


def test_uptime_from_status_changes():
    start, end = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 1, 2, tzinfo=UTC)
    changes = [(datetime(2024, 12, 31, tzinfo=UTC), True), (datetime(2025, 1, 1, 6, tzinfo=UTC), False),
               (datetime(2025, 1, 1, 12, tzinfo=UTC), True)]
    assert uptime_share(changes, start, end) == pytest.approx(0.75)
    assert uptime_share([], start, end) is None
    assert Period(date(2025, 1, 1), date(2025, 1, 1), "x").days == 1


def test_fold_keeps_offsets_and_drops_diacritics():
    assert fold("Quý IV năm 2023 – Đài") == "quy iv nam 2023 – dai"
    assert len(fold("Kiên Giang")) == len("Kiên Giang")


def test_import_reads_targets_with_their_periods():
    text = ("Số: 288/KH-UBND\nKẾ HOẠCH\nTruyền thông giảm nghèo năm 2023\n\nUBND xã Cẩm Tân xây dựng kế hoạch.\n"
            "Đài truyền thanh xã phát 20 bài viết truyền thanh trong Quý IV năm 2023; mỗi tháng phát 600 phút; "
            "6 tháng đầu năm 2023 phát 1.200 lượt phát; 95% cụm loa hoạt động; in 10.000 tờ rơi; "
            "theo Kế hoạch số 4069 ngày 28 tháng 10.")
    s = suggest(text)
    assert s.number == "288/KH-UBND" and s.issuer == "UBND xã Cẩm Tân" and s.area_hint == "xã Cẩm Tân"
    got = [(t.metric, t.value, t.period_kind, t.period_start, t.recurring) for t in s.targets]
    assert got == [
        (Metric.ARTICLES, 20, "quarter", date(2023, 10, 1), False),
        (Metric.AIRTIME_MINUTES, 600, "month", None, True),
        (Metric.BULLETINS, 1200, "half", date(2023, 1, 1), False),
        (Metric.COVERAGE, 95, "plan", None, False),
    ]


@pytest.mark.skipif(not SAMPLES.exists(), reason="sample plans not available")
def test_import_reads_the_sample_plans_headers_including_ocr_text():
    cam_tan = suggest((SAMPLES / "cam-tan-2023-giam-ngheo-thong-tin.txt").read_text())
    assert (cam_tan.issuer, cam_tan.project, cam_tan.sub_project) == ("UBND xã Cẩm Tân", "Dự án 6", "Tiểu dự án 1")
    assert (cam_tan.period_start, cam_tan.period_end) == (date(2023, 1, 1), date(2023, 12, 31))
    kien_giang = suggest((SAMPLES / "kien-giang-2024-106-KH-UBND.ocr.txt").read_text())
    assert kien_giang.number == "106/KH-UBND" and kien_giang.issued_on == date(2024, 4, 4)
    assert kien_giang.programme == "Chương trình MTQG giảm nghèo bền vững"
    lai_chau = suggest((SAMPLES / "lai-chau-2022-SVHTTDL.txt").read_text())
    assert (lai_chau.period_start, lai_chau.period_end) == (date(2021, 1, 1), date(2025, 12, 31))
    assert lai_chau.issuer == "Sở Văn hóa, Thể thao và Du lịch"
