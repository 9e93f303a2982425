"""The committed translations match the code: .mo compiled from the current .po, every msgid translated,
no placeholder lost (scripts/translations.py check)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _translations_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("translations_script", ROOT / "scripts" / "translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalogs_are_compiled_complete_and_consistent() -> None:
    problems = _translations_script().problems()
    assert problems == [], "\n".join(problems)
