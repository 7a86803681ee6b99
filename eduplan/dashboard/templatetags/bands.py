"""``{% band_rows departments scope %}``: the dashboard's lead-unit table body in one pass.

The same rows as a template loop would make (band headings, group headings, each unit's
``fragments.render_row``), without the template engine's work on each of some sixty rows,
which was a sixth of a computed dashboard."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from eduplan.fragments import render_row

from .unit_links import unit_link

register = template.Library()


@register.simple_tag
def band_rows(bands: list[tuple[str, list[dict]]], reader) -> SafeString:
    """``bands`` as ``dashboard.layout.unit_bands`` makes them."""
    parts: list[str] = []
    for title, rows in bands:
        if title:
            parts.append(format_html('<tr class="band"><th colspan="5">{}</th></tr>', title))
        for row in rows:
            if row.get("heading"):
                parts.append(format_html('<tr class="subgroup"><td colspan="5" class="group-name">{}</td></tr>',
                                         unit_link(reader, row["unit"])))
            else:
                parts.append(render_row("dashboard/_group_row.html", row["cells"]))
    return mark_safe("".join(parts))  # every part escaped above or by its row template
