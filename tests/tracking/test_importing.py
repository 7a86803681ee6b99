"""Importing plans and re-importing revised versions."""

import pytest

from eduplan.errors import EduplanError
from eduplan.tracking.importing import import_parsed, match_by_text, plan_changes, read_upload
from eduplan.tracking.models import Assignment, Plan, ProgressReport, Task
from eduplan.tracking.progress import submit_report
from tests.conftest import EXAMPLE_PLAN

pytestmark = pytest.mark.django_db


def revised_text() -> str:
    """The example plan as a bureau might revise it: item 3 dropped, item 9 reworded,
    item 7's target raised, and a new item 27 added at the end of the last section."""
    lines = EXAMPLE_PLAN.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.startswith("3.锻造忠诚干净担当的干部队伍"):
            continue
        line = line.replace("9.加强美育和劳动教育。", "9.加强学校美育和劳动教育工作。")
        line = line.replace("合格率达到96%以上", "合格率达到97%以上")
        if line.startswith("澜江市青禾区教育局"):  # the signature, after the last item
            out.append("27.推进校园阅读工程。建设书香校园，全年新增图书10万册。")
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture
def revision(tmp_path):
    path = tmp_path / "qinghe_2025_revised.txt"
    path.write_text(revised_text(), encoding="utf-8")
    return read_upload(path)


def test_revision_preview_lists_what_changes(world, revision):
    changes = {(c.kind, c.title) for c in plan_changes(world.plan, revision.plans[0]) if c.kind != "unchanged"}
    assert ("removed", "锻造忠诚干净担当的干部队伍") in changes
    assert ("changed", "加强学校美育和劳动教育工作") in changes
    assert ("changed", "加强学校体育工作") in changes
    assert any(kind == "added" and "阅读" in title for kind, title in changes)
    assert Plan.objects.get(pk=world.plan.pk).version == 1  # the preview changed nothing


def test_revision_keeps_assignments_and_reports_of_matching_tasks(world, revision):
    assignment = world.assignment(world.task_b)  # item 9, reworded in the revision
    submit_report(assignment, user=world.users["school_b"], period="2025-05", percent=40, state="in_progress",
                  narrative="艺术节筹备中")
    result = import_parsed(revision, bureau=world.bureau, user=world.users["admin"], replaces=world.plan)
    plan = result.plans[0]
    assert plan.pk == world.plan.pk and plan.version == 2
    task_b = Task.objects.get(pk=world.task_b.pk)
    assert task_b.title == "加强学校美育和劳动教育工作"
    assert task_b.assignments.get().reports.count() == 1
    assert Assignment.objects.get(pk=assignment.pk).latest_percent == 40
    assert plan.source_text[task_b.start:task_b.end].startswith("9.加强学校美育")


def test_revision_marks_dropped_tasks_removed_without_deleting_them(world, revision):
    dropped = Task.objects.get(plan=world.plan, title="锻造忠诚干净担当的干部队伍")
    import_parsed(revision, bureau=world.bureau, user=world.users["admin"], replaces=world.plan)
    dropped.refresh_from_db()
    assert dropped.removed_in_version == 2
    assert Task.objects.filter(plan=world.plan, removed_in_version__isnull=True).count() == 28


def test_revision_updates_target_offsets_into_the_new_text(world, revision):
    plan = import_parsed(revision, bureau=world.bureau, user=world.users["admin"], replaces=world.plan).plans[0]
    for target in world.task_a.targets.filter(removed_in_version__isnull=True):
        assert plan.source_text[target.start:target.end] == target.quote
    assert world.task_a.targets.filter(quote__contains="97%").exists()


def test_a_failed_import_changes_nothing(world, monkeypatch):
    from eduplan.tracking import importing

    calls = []

    def fail_on_fifth_task(task, row, *, version):
        calls.append(task)
        if len(calls) == 5:
            raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_save_content", fail_on_fifth_task)
    before = (Plan.objects.count(), Task.objects.count())
    with pytest.raises(RuntimeError):
        import_parsed(read_upload(EXAMPLE_PLAN), bureau=world.bureau, user=world.users["admin"])
    assert (Plan.objects.count(), Task.objects.count()) == before


def test_several_plans_in_one_file_become_several_plans(world, tmp_path):
    text = EXAMPLE_PLAN.read_text(encoding="utf-8")
    second = text.replace("青禾区", "云岭区").replace("2025年", "2026年")
    path = tmp_path / "two.txt"
    path.write_text(text + "\n\n" + second, encoding="utf-8")
    result = import_parsed(read_upload(path), bureau=world.bureau, user=world.users["admin"])
    assert [p.title for p in result.plans] == ["澜江市青禾区2025年教育工作要点", "澜江市云岭区2026年教育工作要点"]
    assert all(p.tasks.count() == 28 for p in result.plans)


def test_a_revision_must_hold_one_plan(world, tmp_path):
    text = EXAMPLE_PLAN.read_text(encoding="utf-8")
    path = tmp_path / "two.txt"
    path.write_text(text + "\n\n" + text.replace("2025年", "2026年"), encoding="utf-8")
    with pytest.raises(EduplanError) as caught:
        import_parsed(read_upload(path), bureau=world.bureau, user=world.users["admin"], replaces=world.plan)
    assert caught.value.code == "E413"
    assert Plan.objects.get(pk=world.plan.pk).version == 1


@pytest.mark.parametrize(("content", "code"), [
    ("", "E102"),
    ("会议通知：请各单位按时参会。\n", "E404"),
])
def test_files_without_tasks_are_refused(db, tmp_path, content, code):
    path = tmp_path / "plan.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EduplanError) as caught:
        read_upload(path)
    assert caught.value.code == code


def test_the_import_is_in_the_audit_log(world):
    from eduplan.audit.log import history

    entry = history(world.plan).get(action="plan.import")
    assert entry.user == world.users["admin"]
    assert entry.changes["tasks"] == [None, 28]


# fmt: off
MATCHES = [
    # old, new, pairs (old index or None for each new, then unpaired old)
    (["甲", "乙"], ["甲", "乙"], [(0, 0), (1, 1)]),
    (["推进学前教育普及", "加强体育"], ["加强体育", "推进学前教育普及普惠"], [(1, 0), (0, 1)]),
    (["完全不同的任务"], ["另一项工作"], [(None, 0), (0, None)]),
    (["重复", "重复"], ["重复"], [(0, 0), (1, None)]),
]
# fmt: on


@pytest.mark.parametrize(("old", "new", "pairs"), MATCHES)
def test_match_by_text(old, new, pairs):
    result = match_by_text(old, new, str, str)
    as_indexes = [(None if o is None else old.index(o) if old.count(o) == 1 else None, None if n is None else new.index(n))
                  for o, n in result]
    expected = [(o, n) for o, n in pairs]
    if old == ["重复", "重复"]:  # identical texts: the first old pairs, the second is left over
        assert [o is None for o, _ in result] == [False, False] and result[1][1] is None
        return
    assert as_indexes == expected


def test_report_count_is_untouched_by_a_reimport(world, revision):
    before = ProgressReport.objects.count()
    import_parsed(revision, bureau=world.bureau, user=world.users["admin"], replaces=world.plan)
    assert ProgressReport.objects.count() == before
