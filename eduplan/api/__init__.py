"""The JSON API for scripts and integrations, described by OpenAPI at /api/openapi.json."""
