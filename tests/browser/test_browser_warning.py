"""A commune leader sends a level-4 storm warning from a phone (390×844) in well under a minute: log in, open the
form, pick the level, type one line, confirm. It then airs on the three loudspeakers."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from conftest import Site, horizontal_overflow, login, shot
from playwright.sync_api import Dialog, Page
from sqlalchemy import select

from launcher.selftest import wait_for_outcomes
from radio.db.alerts import DisasterWarning, WarningAiring, WarningStatus
from radio.db.session import make_engine, make_sessionmaker
from station.warnings.service import end_warning


def test_leader_sends_a_storm_warning_from_a_phone_in_under_a_minute(site: Site, phone: Page) -> None:
    started = time.monotonic()
    login(phone, site, "lanhdao")
    phone.goto(site.url("/warnings/new"))
    phone.select_option("#hazard", "storm")
    phone.check("input[name=level][value='4']")
    phone.fill("#details", "Bão số 3 cách đất liền 100 km, chiều nay đổ bộ")
    assert horizontal_overflow(phone) == 0
    shot(phone, "warning-form-phone")
    phone.on("dialog", lambda dialog: Dialog.accept(dialog))
    phone.click("#send-warning")
    phone.wait_for_selector(".warning-banner.level-4")
    elapsed = time.monotonic() - started
    assert elapsed < 60, elapsed  # the person's part, speech synthesis included
    shot(phone, "warning-sent-phone")

    settings = site.system.settings
    assert settings is not None
    engine = make_engine(settings.db_url)
    try:
        with make_sessionmaker(engine)() as session:
            warning_id = session.scalars(select(DisasterWarning.id).order_by(DisasterWarning.id.desc())).first()

        def first_airing() -> int | None:
            with make_sessionmaker(engine)() as session:
                return session.scalar(select(WarningAiring.bulletin_id).where(WarningAiring.warning_id == warning_id))

        deadline = time.monotonic() + 20
        while (bulletin_id := first_airing()) is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert bulletin_id is not None
        counts = wait_for_outcomes(site.system, bulletin_id, 3, timeout_s=90)
        assert counts == {"completed": 3}
    finally:
        with make_sessionmaker(engine)() as session:  # leave no warning re-airing for the other browser tests
            active = select(DisasterWarning).where(DisasterWarning.status == WarningStatus.ACTIVE)
            for warning in session.scalars(active):
                end_warning(session, warning, status=WarningStatus.CANCELLED, actor=None,
                            now=datetime.now(UTC))
            session.commit()
        engine.dispose()
