"""Speech lint warnings (audio_library.text.lint) said in the user's language, a repeated kind said once.

The audio library has no translations (it imports no other package): its warnings carry a `code` and `params`, and
the sentences are here, at the web's edge, from web.labels.LINT_MESSAGES.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _

from web.labels import LINT_MANY, LINT_MESSAGES, format_number

LINT_EXAMPLES = 3  # excerpts shown for a repeated warning
LINT_LINES = 8  # at most this many lines, whatever was pasted


def _lint_message(w: Any) -> str:
    """One warning in the user's language from its code and params; the library's own sentence otherwise."""
    msgid = LINT_MESSAGES.get(w.code)
    if msgid is None or ("%(" in msgid and not w.params):
        return str(w.message)
    try:
        return _(msgid, **dict(w.params))
    except (KeyError, ValueError):  # a newer library with other params: its own words beat a broken sentence
        return str(w.message)


def lint_lines(warnings: Iterable[Any]) -> list[tuple[str, str]]:
    """(message, excerpt) for the editor: each warning in the user's language, a repeated kind said once with its
    count and a few examples, never hundreds of lines."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for w in warnings:
        groups[w.code].append(w)
    lines: list[tuple[str, str]] = []
    for code, items in groups.items():
        first = items[0]
        params = dict(first.params)
        if len(items) > 1 and code in LINT_MANY:
            excerpt = " · ".join(w.excerpt for w in items[:LINT_EXAMPLES] if w.excerpt)
            lines.append((_(LINT_MANY[code], n=format_number(len(items)), **params), excerpt))
            continue
        for w in items[:LINT_EXAMPLES]:
            lines.append((_lint_message(w), w.excerpt))
        if len(items) > LINT_EXAMPLES:
            lines.append((_("… và %(n)s chỗ tương tự.", n=format_number(len(items) - LINT_EXAMPLES)), ""))
    if len(lines) > LINT_LINES:
        rest = len(lines) - LINT_LINES + 1
        lines = [*lines[:LINT_LINES - 1], (_("… và %(n)s cảnh báo khác.", n=format_number(rest)), "")]
    return lines
