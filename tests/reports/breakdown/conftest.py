"""Helpers for the 任务分解表 tests: export the world's plan, then edit it as a person would."""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from eduplan.reports.breakdown import export as bx
from eduplan.tracking.models import Assignment, Plan


def key_rows(ws: Worksheet) -> dict[str, int]:
    """Row number of every keyed row."""
    return {str(ws.cell(row, bx.KEY).value): row for row in range(1, ws.max_row + 1)
            if ws.cell(row, bx.KEY).value and str(ws.cell(row, bx.KEY).value).startswith("T")}


def insert_row(ws: Worksheet, at: int) -> None:
    """Insert an empty row above ``at`` the way Excel does, merged band rows moving down too
    (openpyxl's own insert_rows leaves merged ranges where they were)."""
    merged = list(ws.merged_cells.ranges)
    for cell_range in merged:
        ws.unmerge_cells(str(cell_range))
    ws.insert_rows(at)
    for cell_range in merged:
        if cell_range.min_row >= at:
            cell_range.shift(row_shift=1)
        ws.merge_cells(str(cell_range))


class Edit:
    """An exported breakdown file opened for editing: ``edit[key, column] = value``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the file opens without a warning (its print area is a cell range)
            self.workbook = load_workbook(path)
        self.ws = self.workbook.worksheets[0]

    @property
    def rows(self) -> dict[str, int]:
        return key_rows(self.ws)

    def __setitem__(self, where: tuple[str, int], value) -> None:
        key, column = where
        self.ws.cell(self.rows[key], column).value = value

    def __getitem__(self, where: tuple[str, int]):
        key, column = where
        return self.ws.cell(self.rows[key], column).value

    def save(self, name: str = "edited.xlsx") -> Path:
        out = self.path.with_name(name)
        self.workbook.save(out)
        return out


def assignment_state(plan: Plan) -> dict[tuple[int, int | None], tuple]:
    """Every assignment of the plan as comparable values."""
    state = {}
    for a in Assignment.objects.filter(task__plan=plan).select_related("lead_unit", "owner") \
            .prefetch_related("partner_units"):
        state[(a.task_id, a.measure_id)] = (a.lead_unit.name, tuple(sorted(u.name for u in a.partner_units.all())),
                                            a.owner.username if a.owner else None, a.deadline)
    return state


@pytest.fixture
def exported(world, tmp_path) -> Path:
    path = tmp_path / "breakdown.xlsx"
    bx.write_breakdown(world.plan, path)
    return path


@pytest.fixture
def edit(exported) -> Edit:
    return Edit(exported)


END_OF_PLAN = date(2025, 12, 31)
