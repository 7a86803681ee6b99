"""Mounted at /api/ by eduplan.config.urls; the OpenAPI description is /api/openapi.json."""

from django.urls import path, re_path

from .api import api
from .failures import json_errors, not_found

# Not ``app_name``: ``include()`` would take a module-level ``app_name`` as this module's namespace.
ninja_patterns, ninja_app, ninja_namespace = api.urls
for pattern in ninja_patterns:
    pattern.callback = json_errors(pattern.callback)  # ninja answers 405 in plain text

urlpatterns = [
    path("", (ninja_patterns, ninja_app, ninja_namespace)),
    re_path(r"", not_found),  # last: every other /api/ path is a JSON 404, not Django's page
]
