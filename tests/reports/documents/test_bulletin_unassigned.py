"""未分派 is not a unit: the bulletin gives unassigned tasks no row in 表1 and no place in a
list of units, but a sentence of their own addressed to the office."""

from __future__ import annotations

import pytest

from eduplan.plan import parse_text
from eduplan.reports.bulletin.document import bulletin_blocks, bulletin_text, department_table
from eduplan.reports.bulletin.facts import bulletin_facts
from eduplan.tracking.importing import import_parsed
from eduplan.tracking.models import Task
from tests.world import TODAY

OLD_PLAN = "澜江市青禾区2018年教育工作要点\n\n一、加强党的建设\n\n1. 深化理论学习。\n\n2. 加强基层组织建设。\n"


def facts_for(world, *, with_old_plan: bool):
    tasks = Task.objects.filter(plan=world.plan)
    if with_old_plan:  # two unassigned tasks, long overdue
        old = import_parsed(parse_text(OLD_PLAN, source="2018.txt"), bureau=world.bureau).plans[0]
        tasks = Task.objects.filter(plan__in=[world.plan, old])
    return bulletin_facts(tasks, today=TODAY, period="2025-06")


CASES = [
    # with the 2018 plan, words that must be in the text, words that must not
    (False, ["尚有25项任务未明确牵头单位，请局办公室", "合计栏含尚未分派牵头单位的25项任务"], ["其中2项"]),
    (True, ["尚有27项任务未明确牵头单位（其中2项已滞后、逾期），请局办公室", "另有2项尚未分派牵头单位",
            "合计栏含尚未分派牵头单位的27项任务"], []),
]


@pytest.mark.parametrize(("with_old_plan", "present", "absent"), CASES)
def test_unassigned_tasks_get_a_sentence_for_the_office_and_no_unit_row(reported, with_old_plan, present, absent):
    facts = facts_for(reported, with_old_plan=with_old_plan)
    assert "未分派" not in [d.name for d in facts.departments]
    assert all(name != "未分派" for name, _ in facts.flagged_units())
    table = department_table(facts)
    assert [row[1] for row in table.rows] == [d.name for d in facts.departments] + ["合计"]
    assert table.rows[-1][2] == str(facts.total)
    text = bulletin_text(bulletin_blocks(facts, title="通报", issuer="澜江市青禾区教育局办公室"))
    for words in present:
        assert words in text
    for words in absent:
        assert words not in text
    assert "未分派（" not in text and "、未分派" not in text and "未分派牵头的" not in text


def test_an_unassigned_flagged_task_names_no_unit_in_the_list(reported):
    facts = facts_for(reported, with_old_plan=True)
    unassigned = [t for t in facts.flagged if not t.lead_units]
    assert facts.flagged_unassigned == len(unassigned) == 2
    blocks = bulletin_blocks(facts, title="通报", issuer="澜江市青禾区教育局办公室")
    listing = next(b.table for b in blocks if b.kind == "attachment" and "任务清单" in b.lines[0])
    rows = [row for row in listing.rows if "深化理论学习" in row[1]]
    assert rows and rows[0][2] == "—" and rows[0][7].startswith("尚未分派牵头单位")
