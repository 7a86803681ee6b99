"""Mounted at /api/ by eduplan.config.urls; the OpenAPI description is /api/openapi.json."""

from django.urls import path

from .api import api

urlpatterns = [path("", api.urls)]
