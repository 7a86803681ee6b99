"""The test world with a few months of progress, the way the bulletin and the ledger see it.

On the fixed clock (2025-06-30) every task runs 2025-01-01 → 2025-12-31, so 序时进度 is 49%:
  task_a   (青禾区实验小学)  2025-05 40%, 2025-06 60% with two target actuals:
           合格率 94% against ≥96% (missed by 2 points) and 12 sports events against 12 (met)
  task_b   (青禾区滨江小学)  2025-06 10%: 39 points behind → 滞后, red
  task_dept (基础教育科)      2025-06 done → 已完成
and the 25 unassigned tasks have no report (未启动).
"""

from __future__ import annotations

import pytest

from eduplan.tracking.models import Target
from eduplan.tracking.progress import ActualInput, submit_report


def target(task, metric_start: str) -> Target:
    return next(t for t in task.targets.all() if t.metric.startswith(metric_start))


@pytest.fixture
def reported(world):
    a = world.assignment(world.task_a)
    submit_report(a, user=world.users["school_a"], period="2025-05", percent=40, state="in_progress",
                  narrative="制定学校体育工作方案，开齐开足体育课。")
    submit_report(a, user=world.users["school_a"], period="2025-06", percent=60, state="in_progress",
                  narrative="完成体质健康测试，组织春季运动会。",
                  actuals=[ActualInput(target(world.task_a, "全区中小学生国家学生体质健康"), "94"),
                           ActualInput(target(world.task_a, "举办区级学生体育赛事"), "12")])
    submit_report(world.assignment(world.task_b), user=world.users["school_b"], period="2025-06", percent=10,
                  state="in_progress", narrative="美育课程方案起草中。")
    submit_report(world.assignment(world.task_dept), user=world.users["jijiao_tb"], period="2025-06", percent=100,
                  state="done", narrative="普惠性学前学位建设任务全部完成。")
    return world
