"""The test world itself: the example plan imports with its tasks and targets."""

from eduplan.tracking.models import Target, Task


def test_example_plan_imports_every_task_and_target(world):
    assert Task.objects.filter(plan=world.plan).count() == 28
    assert Target.objects.filter(task__plan=world.plan).count() == 36
    assert world.plan.title == "澜江市青禾区2025年教育工作要点"
    assert world.plan.source_file.read().decode("utf-8").startswith(world.plan.source_text[:20])
