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
