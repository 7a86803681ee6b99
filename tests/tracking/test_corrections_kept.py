"""Corrections are kept with the plan, applied again to a revised version where their text is
still there (flagged where it is not), and exported as parser cases."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from eduplan.audit.models import AuditEntry
from eduplan.cli import main
from eduplan.plan import parse_text
from eduplan.plan.model import ParsedSource
from eduplan.tracking.corrections import correct_plan
from eduplan.tracking.importing import import_parsed
from eduplan.tracking.models import Correction, Target, Task

from .test_corrections import FAULTY

pytestmark = pytest.mark.django_db

# The revision: a new item 二 moves everything below it (offsets and numbers change), and the
# cut-off line 四 is now written out in full, so the fix of its title no longer has its text.
REVISED = FAULTY.replace("二、推进学前教育", "二、加强党的建设。开展主题教育。\n三、推进学前教育").replace(
    "三、提升义务", "四、提升义务").replace("四、深化教育综合改革工作要点 (", "五、深化教育评价改革。推进评价改革试点。").replace(
    "五、加强教师", "六、加强教师")


def parsed(text: str) -> ParsedSource:
    return parse_text(text, source="云岭区2026年教育工作要点.txt")


def imported_with_fixes(world):
    admin = world.users["admin"]
    plan = import_parsed(parsed(FAULTY), bureau=world.bureau, user=admin).plans[0]
    correct_plan(plan, user=admin, kind="not_task", at=FAULTY.index("一、以新时代"), said={})
    correct_plan(plan, user=admin, kind="target_delete", at=FAULTY.index("三个突破"), said={})
    correct_plan(plan, user=admin, kind="title", at=FAULTY.index("四、深化"), said={"title": "深化教育评价改革"})
    return plan


def titles(plan) -> list[str]:
    return list(plan.tasks.filter(removed_in_version__isnull=True).order_by("order").values_list("title", flat=True))


def test_fixes_on_a_saved_plan_change_it_in_place_and_are_audited(world):
    plan = imported_with_fixes(world)
    assert titles(plan) == ["推进学前教育普惠发展", "提升义务教育办学质量", "深化教育评价改革", "加强教师队伍建设"]
    assert not Target.objects.filter(task__plan=plan, metric="突破", removed_in_version__isnull=True).exists()
    entries = AuditEntry.objects.filter(action="plan.correct", user=world.users["admin"])
    assert entries.count() == 3
    assert {e.changes["kind"][1] for e in entries} == {"不是任务", "删除量化目标", "修改标题"}


def test_a_revision_keeps_the_fixes_whose_text_is_still_there(world):
    plan = imported_with_fixes(world)
    kept_task = Task.objects.get(plan=plan, title="推进学前教育普惠发展")
    import_parsed(parsed(REVISED), bureau=world.bureau, user=world.users["admin"], replaces=plan)
    plan.refresh_from_db()
    assert plan.version == 2
    assert titles(plan) == ["加强党的建设", "推进学前教育普惠发展", "提升义务教育办学质量", "深化教育评价改革",
                            "加强教师队伍建设"]
    assert "以新时代" not in " ".join(titles(plan))  # "not a task" still holds
    assert not Target.objects.filter(task__plan=plan, metric="突破", removed_in_version__isnull=True).exists()
    assert Task.objects.get(pk=kept_task.pk).number == "三"
    live = Correction.objects.filter(plan=plan, dropped_in_version__isnull=True)
    assert {c.kind for c in live} == {"not_task", "target_delete"}
    for fix in live:  # moved to where their text now stands
        assert REVISED[fix.start:fix.end] == fix.quote


def test_a_fix_whose_text_is_gone_is_flagged_not_applied(world):
    plan = imported_with_fixes(world)
    import_parsed(parsed(REVISED), bureau=world.bureau, user=world.users["admin"], replaces=plan)
    dropped = Correction.objects.get(plan=plan, kind="title")
    assert dropped.dropped_in_version == 2
    assert dropped.quote == "四、深化教育综合改革工作要点"  # kept as it was, for people to see


def test_corrections_export_as_parser_cases(world, tmp_path):
    imported_with_fixes(world)
    out = tmp_path / "corrections.py"
    result = CliRunner().invoke(main, ["corrections", "export", "--bureau", world.bureau.name, "--out", str(out)])
    assert result.exit_code == 0, result.output
    namespace: dict = {}
    exec(out.read_text(encoding="utf-8"), namespace)  # the file is a case table, as in tests/plan/cases
    cases = {case[0].rsplit("_", 1)[0]: case[1:] for case in namespace["CORRECTION_CASES"]}
    assert cases["target_delete"] == ("三、提升义务教育办学质量。创建区级优质学校5所，实现三个突破。", [(3, "个", "=", "level")], [])
    line, before, after = cases["not_task"]
    assert line.startswith("一、以新时代教育思想为指导") and before[0][:2] == (1, "一") and after == []
    assert cases["title"][1:] == ([(1, "四", "深化教育综合改革工作要点")], [(1, "四", "深化教育评价改革")])


def test_corrections_export_of_an_unknown_bureau_fails_in_one_line(world):
    result = CliRunner().invoke(main, ["corrections", "export", "--bureau", "不存在的教育局"])
    assert result.exit_code != 0
    assert "[E405]" in str(result.exception)
