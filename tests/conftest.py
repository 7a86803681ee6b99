"""Shared fixtures: where the real sample plans and their answer keys live."""

from __future__ import annotations

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
