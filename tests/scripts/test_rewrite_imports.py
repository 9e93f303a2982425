"""scripts/rewrite_imports.py carries code written against the old layout over to the new one."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "rewrite_imports.py"
_spec = importlib.util.spec_from_file_location("rewrite_imports", SCRIPT)
assert _spec is not None and _spec.loader is not None
rewrite_imports = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rewrite_imports)


@pytest.mark.parametrize(("old", "new"), [
    ("from scheduler.bulletins import create_bulletin\n", "from station.bulletins import create_bulletin\n"),
    ("from scheduler import approval\n", "from station import approval\n"),
    ("from radio.sim.worker import raise_nofile_limit\n", "from launcher.sim.worker import raise_nofile_limit\n"),
    ("from scheduler.targets import policy_for_area, resolve_nodes\n",
     "from station.policy.areas import policy_for_area\nfrom station.targets import resolve_nodes\n"),
    ("from radio.db.plans import Plan, RollupSQL  # noqa: F401\n",
     "from radio.db.planning import Plan  # noqa: F401\nfrom station.accounting.sql import RollupSQL  # noqa: F401\n"),
    ("from radio.db.models import Base, Node\n", "from radio.db.base import Base\nfrom radio.db.models import Node\n"),
    ("def f():\n    from scheduler.policy import Airing as A\n",
     "def f():\n    from station.policy.rules import Airing as A\n"),
    ('monkeypatch.setattr("scheduler.rules.violations", f)\n',
     'monkeypatch.setattr("station.policy.placement.violations", f)\n'),
    ('cmd = [sys.executable, "-m", "radio.cli", "keys"]\n', 'cmd = [sys.executable, "-m", "launcher.cli", "keys"]\n'),
    ("ok = role in Role.ALL\n", "ok = role in tuple(Role)\n"),
    ("from scheduler.dispatch import Dispatcher\nimport radio.simulate\n",
     "from scheduler.dispatch import Dispatcher\nimport radio.simulate\n"),  # not moved: left alone
])
def test_old_imports_are_rewritten(old: str, new: str) -> None:
    assert rewrite_imports.rewrite(old, python=True) == new


def test_paths_in_documentation() -> None:
    text = "see `radio/sim/` and `scheduler/policy.py`, `radio/db/plans.py::RollupSQL`"
    assert rewrite_imports.rewrite(text, python=False, paths=True) == (
        "see `launcher/sim/` and `station/policy/rules.py`, `station/accounting/sql.py::RollupSQL`")


def test_no_old_module_path_is_left_in_the_repository() -> None:
    tests = [str(p.relative_to(ROOT)) for p in (ROOT / "tests").iterdir() if p.name != "scripts"]  # not this file
    dirs = ["radio", "audio_library", "station", "scheduler", "web", "launcher", "bench", "docs", "README.md",
            "pyproject.toml", "Makefile", *tests]
    run = subprocess.run([sys.executable, str(SCRIPT), "--check", *dirs], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
