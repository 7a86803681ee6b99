"""Rows of long tables, and long drop-downs, rendered once per content and reused.

The task list and the dashboard render the same rows again after every change in their bureau,
and Django's template engine spends about 0.3 ms on each. A row here is a frozen dataclass that
holds everything its template shows, and the template sees nothing else: the row itself is the
key, so a row whose content changed is simply a new key and nothing needs invalidating.
``EDUPLAN_CACHE=off`` renders every row afresh, so that benchmarks can measure the full cost.
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# At most this many rendered rows per process: a city's pages hold a few thousand, and a row with
# its key keeps about 2.5 KB (Chinese text takes two bytes a character), so at most ~25 MB.
ROWS_KEPT = 10_000
# Drop-down option lists per process, one per drop-down and scope: a district's school list is
# ~100 options (~8 KB), a whole city's a few hundred KB, and a city has a few hundred scopes.
OPTION_LISTS_KEPT = 500


def render_row(template_name: str, row: Hashable) -> SafeString:
    """``template_name`` rendered with ``{"row": row}`` and nothing else."""
    if not settings.EDUPLAN_ROW_MEMO:
        return _render(template_name, row, get_language())
    return _remembered(template_name, row, get_language())


def _render(template_name: str, row: Hashable, language: str | None) -> SafeString:
    # ``language`` is only part of the key: the active language is what the template uses.
    return render_to_string(template_name, {"row": row})


_remembered = lru_cache(maxsize=ROWS_KEPT)(_render)


def render_options(choices: tuple[tuple[str, str], ...], chosen: str) -> SafeString:
    """The ``<option>`` elements of ``(value, label)`` pairs, the one whose value is ``chosen``
    selected: a filter's school list is the same on every page of a district until a school is
    added, and escaping its hundred names costs more than the query that reads them. The list is
    remembered without its selection, so what a visitor puts in the query string adds nothing."""
    options = _remembered_options(choices) if settings.EDUPLAN_ROW_MEMO else _options(choices)
    if chosen not in {value for value, _ in choices}:
        return options
    opening = format_html('<option value="{}">', chosen)
    return mark_safe(options.replace(opening, opening[:-1] + " selected>", 1))


def _options(choices: tuple[tuple[str, str], ...]) -> SafeString:
    return format_html_join("", '<option value="{}">{}</option>', choices)


_remembered_options = lru_cache(maxsize=OPTION_LISTS_KEPT)(_options)
