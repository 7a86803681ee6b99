"""/favicon.ico answers with the app's icon, and every page points at it."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize(("method", "status"), [("get", 200), ("head", 200), ("post", 405)])
def test_favicon_is_served_at_the_root(client, db, method, status):
    response = getattr(client, method)("/favicon.ico")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/vnd.microsoft.icon"
        assert "max-age=604800" in response["Cache-Control"]
    if method == "get":
        assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_pages_link_the_icon(client, db):
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/eduplan/favicon.ico"' in page
