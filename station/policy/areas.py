"""An area's effective rules: its own row, then its parents' for whatever it leaves unset."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import AreaPolicyRow
from station.policy.rules import AreaPolicy, merge_policies
from station.targets import area_chain


def policy_for_area(session: Session, area_id: int) -> AreaPolicy:
    """The effective rules of an area: its own, then its parents' for whatever it leaves unset."""
    chain = area_chain(session, area_id)
    rows = {r.area_id: r for r in session.scalars(
        select(AreaPolicyRow).where(AreaPolicyRow.area_id.in_([a.id for a in chain])))}
    return merge_policies([_to_policy(rows.get(a.id)) for a in chain])


def _to_policy(row: AreaPolicyRow | None) -> AreaPolicy | None:
    if row is None:
        return None
    return AreaPolicy(
        quiet_start=row.quiet_start, quiet_end=row.quiet_end, max_session_minutes=row.max_session_minutes,
        max_sessions_per_day=row.max_sessions_per_day, interrupted=row.interrupted,
        late_start_window_s=row.late_start_window_s, session_gap_minutes=row.session_gap_minutes,
    )
