"""Browser tests: Debian's chromium driven by Playwright against the live test server.

Screenshots of the main pages go to build/screenshots/ for people to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT

SCREENSHOTS = ROOT / "build" / "screenshots"

# The fixtures (browser, people, open_page) are in tests/conftest.py: browser tests elsewhere
# (tests/supervision, tests/balance) share the one browser of the session.


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
