"""Rewrite imports and dotted module references from the old package layout to the new one (issue 11).

Usage:
    python scripts/rewrite_imports.py FILE_OR_DIR ...        # rewrite in place, print the files changed
    python scripts/rewrite_imports.py --check FILE_OR_DIR ...  # only list files that still use old paths
    python scripts/rewrite_imports.py --paths docs/*.md        # also rewrite file paths (radio/sim/ → launcher/sim/)

Directories are walked for *.py, *.md, *.toml, *.cfg, *.ini, *.txt, *.sh and Makefile. Run
`ruff check --fix --select I .` afterwards: moved imports change the sort order.

What it does, in order:
1. `from OLD import a, b` statements (parsed with ast, Python files only) are regenerated; names that moved to
   different modules (radio.db.plans was split in two) get one statement per new module, and
   `from scheduler import approval` becomes `from station import approval`.
2. `Role.ALL` (and ArticleStatus, AreaLevel, Metric, PeriodKind .ALL) becomes `tuple(Role)`: statuses are
   enum.StrEnum now.
3. Every other dotted reference to an old module (`import radio.db.plans`, `-m radio.cli`, mock paths in
   strings, docstrings) is replaced textually, longest name first, on word boundaries.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

# Old module (or package: its submodules follow) → new module. Complete list of what issue 11 moved.
MODULES: dict[str, str] = {
    # The front door: launchers that may import every package.
    "radio.cli": "launcher.cli",
    "radio.system": "launcher.system",
    "radio.selftest": "launcher.selftest",
    "radio.sim": "launcher.sim",  # and radio.sim.<x> → launcher.sim.<x>
    # Domain services, called by web and scheduler alike.
    "scheduler.approval": "station.approval",
    "scheduler.assets": "station.assets",
    "scheduler.audit": "station.audit",
    "scheduler.bulletins": "station.bulletins",
    "scheduler.calendar": "station.calendar",
    "scheduler.errors": "station.errors",
    "scheduler.lateness": "station.lateness",
    "scheduler.programmes": "station.programmes",
    "scheduler.programme_service": "station.programme_service",
    "scheduler.targets": "station.targets",
    "scheduler.policy": "station.policy.rules",
    "scheduler.rules": "station.policy.placement",
    "scheduler.plan_import": "station.accounting.plan_import",
    "scheduler.accounting": "station.accounting",  # and its submodules
    # The plan and rollup tables; their SQL went to station.accounting.sql (see NAMES).
    "radio.db.plans": "radio.db.planning",
}

# Names that left their module for another one than MODULES says: (old module, name) → new module.
NAMES: dict[tuple[str, str], str] = {
    ("radio.db.models", "Base"): "radio.db.base",
    **{("radio.db.plans", n): "station.accounting.sql" for n in (
        "RollupSQL", "LOCAL_OFFSET_HOURS", "LATE_START_MS", "COUNT_COLUMNS", "L2_COLUMNS", "L3_SUMS", "L3_COLUMNS",
        "L4_COLUMNS")},
    ("scheduler.targets", "policy_for_area"): "station.policy.areas",
    ("scheduler.targets", "_to_policy"): "station.policy.areas",
    ("radio.node.cli", "cmd_provision"): "launcher.cli",
}

# Status classes became enum.StrEnum: their ALL tuple is gone, the enum itself lists the members.
ENUMS_WITHOUT_ALL = ("Role", "ArticleStatus", "AreaLevel", "Metric", "PeriodKind")

SUFFIXES = {".py", ".md", ".toml", ".cfg", ".ini", ".txt", ".sh"}
LINE_LIMIT = 120


def map_module(name: str) -> str:
    """The new name of a module, or the name itself when it did not move."""
    for old in sorted(MODULES, key=len, reverse=True):
        if name == old or name.startswith(old + "."):
            return MODULES[old] + name[len(old):]
    return name


def _target(module: str, name: str) -> tuple[str, str]:
    """Where `from module import name` must import `name` from now: (module, imported name)."""
    if (module, name) in NAMES:
        return NAMES[(module, name)], name
    child = f"{module}.{name}"
    moved_child = map_module(child)
    if moved_child != child:  # `from scheduler import approval`: the imported thing is a module that moved
        parent, _, last = moved_child.rpartition(".")
        return parent, last
    return map_module(module), name


def _render(indent: str, module: str, aliases: list[str], trailer: str) -> list[str]:
    one = f"{indent}from {module} import {', '.join(aliases)}{trailer}"
    if len(one) <= LINE_LIMIT:
        return [one]
    return [f"{indent}from {module} import ({trailer}", *(f"{indent}    {a}," for a in aliases), f"{indent})"]


def rewrite_from_imports(text: str) -> str:
    """Regenerate each `from OLD import ...` statement that refers to a moved module or name."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, list[str]]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.level or node.module is None:
            continue
        groups: dict[str, list[str]] = {}
        changed = False
        for alias in node.names:
            module, name = _target(node.module, alias.name)
            as_name = alias.asname or (alias.name if name != alias.name else None)
            changed |= module != node.module or name != alias.name
            groups.setdefault(module, []).append(f"{name} as {as_name}" if as_name and as_name != name else name)
        if not changed:
            continue
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        indent = lines[first][: node.col_offset]
        tail = lines[last].rstrip("\n")[node.end_col_offset or 0:]
        if lines[first][: node.col_offset].strip() or (tail.strip() and not tail.strip().startswith("#")):
            continue  # shares its line with other code (`x; from a import b`): left to the textual pass
        trailer = f"  {tail.strip()}" if tail.strip() else ""
        new: list[str] = []
        for module, aliases in groups.items():
            new += _render(indent, module, aliases, trailer)
        edits.append((first, last, [line + "\n" for line in new]))
    for first, last, new in sorted(edits, reverse=True):
        lines[first:last + 1] = new
    return "".join(lines)


def _pattern(dotted: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.]){re.escape(dotted)}(?![\w])")


def rewrite_dotted(text: str) -> str:
    """Replace remaining dotted references (longest first, so radio.db.plans.RollupSQL wins over radio.db.plans)."""
    pairs = [(f"{m}.{n}", f"{new}.{n}") for (m, n), new in NAMES.items()] + list(MODULES.items())
    for old, new in sorted(pairs, key=lambda p: len(p[0]), reverse=True):
        text = _pattern(old).sub(new, text)
    return text


def rewrite_paths(text: str) -> str:
    """radio/sim/ → launcher/sim/, scheduler/policy.py → station/policy/rules.py (for documentation)."""
    for (old, name), new in NAMES.items():  # radio/db/plans.py::RollupSQL → station/accounting/sql.py::RollupSQL
        text = text.replace(f"{old.replace('.', '/')}.py::{name}", f"{new.replace('.', '/')}.py::{name}")
    for old, new in sorted(MODULES.items(), key=lambda p: len(p[0]), reverse=True):
        o, n = old.replace(".", "/"), new.replace(".", "/")
        text = re.sub(rf"(?<![\w/]){re.escape(o)}(\.py|/)", lambda m, n=n: n + m.group(1), text)
    return text


def rewrite_enum_all(text: str) -> str:
    """Role.ALL → tuple(Role): a tuple of the members (they compare and hash equal to their stored strings)."""
    return re.sub(rf"(?<![\w.])({'|'.join(ENUMS_WITHOUT_ALL)})\.ALL(?![\w])", r"tuple(\1)", text)


def rewrite(text: str, *, python: bool, paths: bool = False) -> str:
    if python:
        text = rewrite_from_imports(text)
        text = rewrite_enum_all(text)
    text = rewrite_dotted(text)
    if paths:
        text = rewrite_paths(text)
    return text


def iter_files(args: list[str]) -> list[Path]:
    found: list[Path] = []
    me = Path(__file__).resolve()
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and (p.suffix in SUFFIXES or p.name == "Makefile")
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.is_file():
            found.append(path)
    return [p for p in found if p.resolve() != me]  # its own tables name the old modules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="files or directories")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file needs rewriting")
    parser.add_argument("--paths", action="store_true", help="also rewrite file paths such as radio/sim/")
    args = parser.parse_args(argv)
    stale = 0
    for path in iter_files(args.files):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = rewrite(text, python=path.suffix == ".py", paths=args.paths)
        if new != text:
            stale += 1
            print(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
