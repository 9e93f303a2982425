"""Imports point one way (docs/architecture.md, "Packages"): every import in the project's code, read with ast
(lazy imports inside functions included), is checked against the table below, and the table against the doc."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("radio", "audio_library", "station", "scheduler", "web", "launcher")
# What a loudspeaker node has installed besides the standard library ([node] extra: core dependencies only).
NODE_THIRD_PARTY = frozenset({"paho", "cryptography"})


@dataclass(frozen=True)
class Rule:
    """What the modules under `prefix` may import from the project; `third_party` None means any."""

    prefix: str
    may_import: tuple[str, ...]  # module prefixes (a package's own modules are listed explicitly)
    except_: tuple[str, ...] = ()  # prefixes refused even though may_import covers them
    exact: tuple[str, ...] = ()  # packages whose __init__ alone may be imported (not their submodules)
    third_party: frozenset[str] | None = None


# The most specific prefix wins. The first column of docs/architecture.md's table is the `prefix`; its "may import"
# column lists the other packages in `may_import`.
RULES = (
    Rule("launcher", PACKAGES),
    Rule("web", ("web", "station", "audio_library", "radio")),
    Rule("scheduler", ("scheduler", "station", "radio")),
    Rule("station", ("station", "audio_library", "radio")),
    Rule("audio_library", ("audio_library",)),
    # Alembic loads the revisions by file path at upgrade time; 0002 installs the accounting triggers whose SQL
    # lives with accounting. Nothing imports a revision, so radio's own import graph stays clean.
    Rule("radio.db.migrations", ("radio.db", "station.accounting.sql")),
    Rule("radio", ("radio",), except_=("radio.node",)),
    # The loudspeaker agent and what it runs on: no database, no Flask, no server module of radio.
    Rule("radio.node", ("radio.node", "radio.protocol", "radio.mqtt"), exact=("radio",), third_party=NODE_THIRD_PARTY),
    Rule("radio.protocol", ("radio.protocol",), third_party=NODE_THIRD_PARTY),
    Rule("radio.mqtt", ("radio.protocol",), third_party=NODE_THIRD_PARTY),
)


def _covers(prefix: str, module: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def rule_for(module: str) -> Rule:
    return max((r for r in RULES if _covers(r.prefix, module)), key=lambda r: len(r.prefix))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in the file; `from a import b` also yields a.b."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            found.append((node.lineno, source))
            found += [(node.lineno, f"{source}.{alias.name}") for alias in node.names if alias.name != "*"]
    return found


def project_files() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _first_party(module: str) -> bool:
    return module.split(".")[0] in PACKAGES


def _is_submodule(module: str) -> bool:
    """`from a import b` yields a.b, which may be a name rather than a module: only real modules count."""
    path = ROOT / module.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def violations() -> list[str]:
    found: list[str] = []
    stdlib = sys.stdlib_module_names
    for path in project_files():
        module = module_name(path)
        rule = rule_for(module)
        for line, target in imports_of(path):
            where = f"{path.relative_to(ROOT)}:{line}: {module} imports {target}"
            top = target.split(".")[0]
            if _first_party(target):
                if not _is_submodule(target) and _is_submodule(target.rpartition(".")[0]):
                    continue  # a name imported from a module, checked as that module
                allowed = any(_covers(p, target) for p in rule.may_import) or target in rule.exact
                refused = any(_covers(p, target) for p in rule.except_)
                if not allowed or refused:
                    found.append(f"{where} (rule {rule.prefix!r})")
            elif rule.third_party is not None and top not in stdlib and top != "__future__" \
                    and top not in rule.third_party:
                found.append(f"{where} (not installed on a loudspeaker node)")
    return found


def test_every_import_runs_down_the_layers() -> None:
    assert violations() == []


def test_every_package_has_a_rule_and_is_installed() -> None:
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    assert sorted(p.rstrip("*") for p in listed["include"]) == sorted(PACKAGES)
    on_disk = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert on_disk == set(PACKAGES)


def _doc_table() -> dict[str, set[str]]:
    """The package table of docs/architecture.md: first column → the packages named in "may import"."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Packages", 1)[1].split("\n## ", 1)[0]
    table: dict[str, set[str]] = {}
    for row in section.splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) == 3 and (name := re.fullmatch(r"`([\w.]+)/?`", cells[0])):
            table[name.group(1).replace("/", ".")] = set(re.findall(r"`([\w.]+)`", cells[2]))
    return table


def test_the_architecture_doc_shows_the_same_table() -> None:
    documented = _doc_table()
    expected = {r.prefix: {p for p in r.may_import if not _covers(r.prefix, p)} | set(r.exact) for r in RULES}
    expected["launcher"] = {"everything"}
    assert documented == expected


@pytest.mark.parametrize(("module", "target", "ok"), [
    ("radio.settings", "web", False),
    ("radio.node.agent", "radio.db.models", False),
    ("radio.node.agent", "radio.protocol.signing", True),
    ("radio.node.cli", "station.provision", False),
    ("station.bulletins", "scheduler.dispatch", False),
    ("scheduler.engine", "station.targets", True),
    ("web.bulletins", "scheduler.engine", False),
    ("launcher.cli", "web", True),
])
def test_the_rules_refuse_upward_imports(module: str, target: str, ok: bool) -> None:
    rule = rule_for(module)
    allowed = any(_covers(p, target) for p in rule.may_import) or target in rule.exact
    assert (allowed and not any(_covers(p, target) for p in rule.except_)) is ok


def _cycles(modules: set[str], graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while (w := stack.pop()) != v:
                group.append(w)
            if group:
                found.append(sorted([v, *group]))

    for v in sorted(modules):
        if v not in index:
            visit(v)
    return found


@pytest.mark.parametrize("package", ["radio", "station", "scheduler", "launcher"])
def test_no_import_cycle_inside(package: str) -> None:
    files = [p for p in project_files() if module_name(p).split(".")[0] == package]
    modules = {module_name(p) for p in files}
    graph = {module_name(p): {t for _, t in imports_of(p) if t in modules and t != module_name(p)} for p in files}
    assert _cycles(modules, graph) == []
