"""The test world: one bureau with departments and schools, the example plan imported,
and personas for every role, so each test says whose eyes it looks through.

Personas (username → role, unit):
  admin      admin    the bureau (局办公室)
  leader     viewer   the bureau (分管局领导)
  jijiao     manager  基础教育科
  jijiao_tb  reporter 基础教育科
  tiwei      reporter 体卫艺科
  school_a   reporter 青禾区实验小学   (owns ``task_a``)
  school_b   reporter 青禾区滨江小学   (owns ``task_b``)
``task_dept`` is led by 基础教育科 with 体卫艺科 as partner; the other tasks are unassigned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from eduplan.demo_data import EXAMPLE_PLAN, build_org_tree, unit
from eduplan.orgs.models import Membership, OrgUnit
from eduplan.orgs.services import create_user
from eduplan.tracking.assigning import assign_task
from eduplan.tracking.importing import import_parsed, read_upload
from eduplan.tracking.models import Assignment, Plan, Task

PASSWORD = "Qinghe-test-2025"
TODAY = date(2025, 6, 30)  # the fixed clock of the platform tests (EDUPLAN_TODAY)

PERSONAS = {
    "admin": (Membership.Role.ADMIN, "澜江市青禾区教育局"),
    "leader": (Membership.Role.VIEWER, "澜江市青禾区教育局"),
    "jijiao": (Membership.Role.MANAGER, "基础教育科"),
    "jijiao_tb": (Membership.Role.REPORTER, "基础教育科"),
    "tiwei": (Membership.Role.REPORTER, "体卫艺科"),
    "school_a": (Membership.Role.REPORTER, "青禾区实验小学"),
    "school_b": (Membership.Role.REPORTER, "青禾区滨江小学"),
}


@dataclass
class World:
    bureau: OrgUnit
    plan: Plan
    users: dict
    task_a: Task
    task_b: Task
    task_dept: Task

    def unit(self, name: str) -> OrgUnit:
        return unit(self.bureau, name)

    def assignment(self, task: Task) -> Assignment:
        return task.assignments.get(measure=None)


def make_world() -> World:
    bureau = build_org_tree()
    users = {name: create_user(name, PASSWORD, role=role, unit=unit(bureau, unit_name))
             for name, (role, unit_name) in PERSONAS.items()}
    parsed = read_upload(EXAMPLE_PLAN)
    upload = SimpleUploadedFile(EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())
    plan = import_parsed(parsed, bureau=bureau, user=users["admin"], source_file=upload).plans[0]
    tasks = list(plan.tasks.order_by("order"))
    task_a, task_b, task_dept = tasks[6], tasks[8], tasks[10]
    admin = users["admin"]
    assign_task(task_a, user=admin, lead_unit=unit(bureau, "青禾区实验小学"), today=TODAY)
    assign_task(task_b, user=admin, lead_unit=unit(bureau, "青禾区滨江小学"), today=TODAY)
    assign_task(task_dept, user=admin, lead_unit=unit(bureau, "基础教育科"),
                partner_units=[unit(bureau, "体卫艺科")], today=TODAY)
    return World(bureau, plan, users, task_a, task_b, task_dept)
