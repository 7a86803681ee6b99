"""Shared fixtures: where the real sample plans and their answer keys live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "eval" / "gold"
EXAMPLE_PLAN = ROOT / "eduplan" / "examples" / "qinghe_2025_annual.txt"


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@pytest.fixture
def seeds() -> list[Path]:
    files = seed_files()
    if not files:
        pytest.skip(f"sample plans not found in {SEEDS}")
    return files


# ---------------------------------------------------------------- the platform

@pytest.fixture(autouse=True)
def _platform_settings(request, tmp_path):
    """Fast password hashing, uploads in a temporary folder and a fixed clock, for tests
    that use the database (the parser's tests never load Django settings)."""
    if "settings" not in request.fixturenames and not any(
            name in request.fixturenames for name in ("db", "transactional_db", "world", "live_server")):
        yield
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EDUPLAN_TODAY = "2025-06-30"
    from django.core.cache import cache

    cache.clear()  # cached figures are keyed on a change counter, which a rolled-back test resets
    yield


@pytest.fixture
def world(db):
    from tests.world import make_world

    return make_world()


@pytest.fixture
def as_user(client, world):
    """``as_user("school_a")``: the test client, signed in as that persona."""

    def sign_in(name: str):
        client.force_login(world.users[name])
        return client

    return sign_in


# ---------------------------------------------------------------- browser tests (one browser per session)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test.sh installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def people(transactional_db):
    """The org tree and the personas of tests/world.py, without any plan yet."""
    from eduplan.demo_data import build_org_tree, unit
    from eduplan.orgs.services import create_user
    from tests.world import PASSWORD, PERSONAS

    bureau = build_org_tree()
    users = {name: create_user(name, PASSWORD, role=role, unit=unit(bureau, unit_name))
             for name, (role, unit_name) in PERSONAS.items()}
    return bureau, users


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(width, height)`` → a fresh page (own cookies) whose relative URLs hit the live server."""
    contexts = []

    def make(width: int = 1366, height: int = 768):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                      base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
