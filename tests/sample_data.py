"""Where the repository keeps the sample documents the tests read (never a path outside the repository)."""

from pathlib import Path

PLANS = Path(__file__).resolve().parent / "data" / "plans"
