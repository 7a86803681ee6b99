"""``{% render_row "tracking/_task_row.html" row %}``: one table row through ``fragments.render_row``."""

from __future__ import annotations

from collections.abc import Hashable

from django import template
from django.utils.safestring import SafeString

from eduplan.fragments import render_row as _render_row

register = template.Library()


@register.simple_tag
def render_row(template_name: str, row: Hashable) -> SafeString:
    return _render_row(template_name, row)
