"""The whole schema: imports every table module so `metadata` lists all tables (Alembic's target, tests).

Table modules import only radio.db.base and radio.db.types (planning also reads AsRun from models); none
imports this one, so adding a table module means adding it here and nowhere else.
"""

from __future__ import annotations

from radio.db import alerts, governance, models, planning, province, workflow
from radio.db.base import Base

metadata = Base.metadata

__all__ = ["Base", "alerts", "governance", "metadata", "models", "planning", "province", "workflow"]
