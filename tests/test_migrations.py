"""Data migrations keep what people entered: typed target actuals become data values, and
units learn the authority they belong to."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("indicators", None), ("orgs", "0001_initial"), ("tracking", "0002_report_idempotency_key"),
          ("audit", "0003_change_counter_per_bureau")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_typed_actuals_move_into_data_values():
    old = migrate(BEFORE)
    User = old.get_model("auth", "User")
    OrgUnit = old.get_model("orgs", "OrgUnit")
    Plan, Task, Target = (old.get_model("tracking", name) for name in ("Plan", "Task", "Target"))
    Assignment, ProgressReport = old.get_model("tracking", "Assignment"), old.get_model("tracking", "ProgressReport")
    TargetActual = old.get_model("tracking", "TargetActual")
    user = User.objects.create(username="填报员")
    bureau = OrgUnit.objects.create(name="某区教育局", kind="bureau", path="")
    bureau.path = f"/{bureau.pk}/"
    bureau.save()
    school = OrgUnit.objects.create(name="某小学", kind="school", parent=bureau, path="")
    school.path = f"{bureau.path}{school.pk}/"
    school.save()
    plan = Plan.objects.create(bureau=bureau, title="某区2025年教育工作要点", source_name="p.txt", source_text="…")
    task = Task.objects.create(plan=plan, title="加强学校体育")
    target = Target.objects.create(task=task, metric="体质健康合格率", value=95, unit="%", quote="…")
    assignment = Assignment.objects.create(task=task, lead_unit=school, start_date="2025-01-01",
                                           deadline="2025-12-31")
    report = ProgressReport.objects.create(assignment=assignment, period="2025-06", state="in_progress",
                                           percent=50, narrative="…", unit=school, created_by=user)
    for period, value in (("2025-05", 93.0), ("2025-06", 94.0), ("2025-06", 94.5)):
        TargetActual.objects.create(target=target, report=report, period=period, value=value, created_by=user)

    new = migrate(migrate_to_latest())
    DataValue = new.get_model("indicators", "DataValue")
    NewTarget, NewUnit = new.get_model("tracking", "Target"), new.get_model("orgs", "OrgUnit")
    element = NewTarget.objects.get(pk=target.pk).actual_element
    assert element.for_target and element.unit_label == "%"
    rows = sorted(DataValue.objects.filter(element=element).values_list("period", "value", "unit_id", "report_id"))
    assert rows == [("2025-05", 93.0, bureau.pk, report.pk), ("2025-06", 94.5, bureau.pk, report.pk)]
    assert NewUnit.objects.get(pk=school.pk).owning_bureau_id == bureau.pk
    said = new.get_model("tracking", "ProgressReport").objects.get(pk=report.pk).typed_actuals
    assert said == {str(target.pk): 94.5}  # the report's last word on the target


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
