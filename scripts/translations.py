"""Keep the web admin's translations in step with the code: extract, update, compile, check.

    python scripts/translations.py update   # extract Vietnamese msgids, merge them into every catalog
    python scripts/translations.py compile  # .po -> .mo (commit both)
    python scripts/translations.py check    # exit 1 if a .mo differs from its .po or a msgid is untranslated

tests/web/test_web_i18n_catalog.py runs the same checks, so a .po edited without recompiling (or a new
string without an English translation) fails the test suite rather than showing Vietnamese to English users.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import CommandLineInterface, parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "web" / "translations"
POT = TRANSLATIONS / "messages.pot"
KEYWORDS = ("_", "gettext", "ngettext", "lazy_gettext", "_l", "N_", "BulletinError", "TimeInputError", "ApprovalError",
            "NotAllowed", "WrongStatus", "WarningError", "CapError", "AudioError")
LOCALES = ("en",)
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


def _babel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract() -> Catalog:
    """The msgids the sources use now (same rules as `pybabel extract -F babel.cfg`)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(project="commune-radio", locale=None, charset="utf-8")
    keywords = {k: None for k in KEYWORDS}
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords, strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def update() -> None:
    catalog = extract()
    with open(POT, "wb") as out:
        write_po(out, catalog, omit_header=False, no_location=True, sort_output=True, width=120)
    for locale in LOCALES:
        if not po_path(locale).exists():
            _babel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", locale, "--no-wrap")
        else:
            # No fuzzy matching: a guessed translation of a changed sentence is worse than a visible gap.
            _babel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", locale, "--no-fuzzy-matching",
                   "--ignore-obsolete", "--omit-header", "--no-wrap")


def compile_all() -> None:
    for locale in LOCALES:
        with open(po_path(locale), "rb") as po:
            catalog = read_po(po, locale=locale)
        with open(po_path(locale).with_suffix(".mo"), "wb") as mo:
            write_mo(mo, catalog, use_fuzzy=False)


def problems() -> list[str]:
    """Human-readable reasons the catalogs are not ready to commit; empty when all is well."""
    found: list[str] = []
    wanted = {m.id for m in extract() if m.id}
    for locale in LOCALES:
        with open(po_path(locale), "rb") as po:
            catalog = read_po(po, locale=locale)
        expected = io.BytesIO()
        write_mo(expected, catalog, use_fuzzy=False)
        mo_file = po_path(locale).with_suffix(".mo")
        if not mo_file.exists() or _messages(mo_file.read_bytes()) != _messages(expected.getvalue()):
            found.append(f"{mo_file.relative_to(ROOT)} is out of date: run `python scripts/translations.py compile`")
        translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
        for m in catalog:
            # A translation that drops or renames a %(name)s placeholder raises KeyError when rendered.
            if m.id and m.string and _placeholders(m.id) != _placeholders(m.string):
                found.append(f"[{locale}] placeholders differ: {m.id!r} -> {m.string!r}")
        for msgid in sorted(wanted - translated, key=str):
            found.append(f"[{locale}] untranslated: {msgid!r} (run `update`, translate, then `compile`)")
    return found


def _placeholders(text: object) -> list[str]:
    return sorted(PLACEHOLDER.findall(str(text)))


def _messages(mo: bytes) -> dict[object, object]:
    catalog = read_mo(io.BytesIO(mo))
    return {m.id: m.string for m in catalog if m.id}


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        found = problems()
        print("\n".join(found) or "translations OK")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
