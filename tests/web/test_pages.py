"""Every page answers the persona it is meant for, in Chinese, and hides what it must."""

import pytest
from django.urls import reverse

# fmt: off
PAGES = [
    # persona, url name, args (world attribute names), text on the page
    ("admin",     "dashboard",   [],            "各部分完成情况"),
    ("leader",    "dashboard",   [],            "预警任务"),
    ("school_a",  "dashboard",   [],            "各牵头单位完成情况"),
    ("admin",     "plan-list",   [],            "导入计划"),
    ("leader",    "plan-list",   [],            "澜江市青禾区2025年教育工作要点"),
    ("admin",     "plan-detail", ["plan"],      "计划原文"),
    ("school_a",  "plan-detail", ["plan"],      "加强学校体育工作"),
    ("admin",     "plan-assign", ["plan"],      "按建议分派所选任务"),
    ("jijiao",    "plan-assign", ["plan"],      "扩大优质普惠学前教育资源供给"),
    ("admin",     "plan-import", [],            "上传并识别"),
    ("admin",     "task-list",   [],            "牵头单位"),
    ("leader",    "task-list",   [],            "加强美育和劳动教育"),
    ("school_a",  "task-detail", ["task_a"],    "进展记录"),
    ("leader",    "task-detail", ["task_dept"], "体卫艺科"),
    ("jijiao",    "task-detail", ["task_dept"], "修改分派"),
    ("school_a",  "my-tasks",    [],            "填报进展"),
    ("tiwei",     "my-tasks",    [],            "配合"),
    ("jijiao_tb", "my-tasks",    [],            "扩大优质普惠学前教育资源供给"),
]
# fmt: on


def url(world, name, args):
    return reverse(name, args=[getattr(world, a).pk for a in args])


@pytest.mark.parametrize(("persona", "name", "args", "text"), PAGES)
def test_each_page_answers_its_persona_in_chinese(world, as_user, persona, name, args, text):
    response = as_user(persona).get(url(world, name, args))
    assert response.status_code == 200
    assert text in response.content.decode()


def test_the_report_form_answers_the_owner_of_the_assignment(world, as_user):
    response = as_user("school_a").get(reverse("report-progress", args=[world.assignment(world.task_a).pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for label in ("报告期", "完成进度", "进展情况", "佐证材料", "合格率实际值"):
        assert label in page
    assert 'value="2025-06"' in page  # the current month, from the fixed clock


@pytest.mark.parametrize("name", ["dashboard", "plan-list", "task-list", "my-tasks"])
def test_pages_ask_an_anonymous_visitor_to_sign_in(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_school_a_does_not_see_task_b_anywhere(world, as_user):
    client = as_user("school_a")
    assert client.get(reverse("task-detail", args=[world.task_b.pk])).status_code == 404
    for name in ("task-list", "my-tasks", "dashboard"):
        page = client.get(reverse(name)).content.decode()
        assert world.task_b.title not in page
        assert world.task_a.title in page
    assignment_b = world.assignment(world.task_b)
    assert client.get(reverse("report-progress", args=[assignment_b.pk])).status_code == 404
    assert client.post(reverse("report-progress", args=[assignment_b.pk]),
                       {"period": "2025-06", "state": "in_progress", "percent": "50",
                        "narrative": "不该写入"}).status_code == 404
    assert not assignment_b.reports.exists()


@pytest.mark.parametrize(("persona", "name", "arg"), [
    ("leader", "plan-import", None), ("jijiao", "plan-import", None), ("school_a", "plan-import", None),
    ("leader", "plan-assign", "plan"), ("jijiao_tb", "plan-assign", "plan"), ("school_a", "plan-assign", "plan"),
    ("leader", "my-tasks", None),
])
def test_pages_for_writers_are_forbidden_to_others(world, as_user, persona, name, arg):
    args = [getattr(world, arg).pk] if arg else []
    response = as_user(persona).get(reverse(name, args=args))
    assert response.status_code == 403
    assert "无权操作" in response.content.decode()


def test_the_leader_sees_everything_but_no_write_buttons(world, as_user):
    client = as_user("leader")
    page = client.get(reverse("task-detail", args=[world.task_a.pk])).content.decode()
    assert world.task_a.title in page
    assert "保存分派" not in page and "重新打开" not in page
    assert reverse("report-progress", args=[world.assignment(world.task_a).pk]) not in page
    assert "分派任务" not in client.get(reverse("plan-detail", args=[world.plan.pk])).content.decode()
    assert "导入计划" not in client.get(reverse("plan-list")).content.decode()
    assert "我的任务" not in client.get(reverse("dashboard")).content.decode()


def test_a_reporter_never_sees_the_assign_form(world, as_user):
    page = as_user("jijiao_tb").get(reverse("task-detail", args=[world.task_dept.pk])).content.decode()
    assert "保存分派" not in page
    assert reverse("report-progress", args=[world.assignment(world.task_dept).pk]) in page


def test_the_admin_sees_the_import_and_assign_buttons(world, as_user):
    client = as_user("admin")
    assert "导入计划" in client.get(reverse("plan-list")).content.decode()
    page = client.get(reverse("plan-detail", args=[world.plan.pk])).content.decode()
    assert "分派任务" in page and "导入修订版" in page


def test_plan_detail_highlights_every_target_and_task_detail_links_to_it(world, as_user):
    client = as_user("admin")
    page = client.get(reverse("plan-detail", args=[world.plan.pk])).content.decode()
    targets = list(world.task_a.targets.all())
    assert targets
    for target in targets:
        assert f'<mark class="target" id="target-{target.pk}" title="指标：{target.metric} 目标：' in page
        assert f">{world.plan.source_text[target.start:target.end]}</mark>" in page
    detail = client.get(reverse("task-detail", args=[world.task_a.pk])).content.decode()
    assert f'{reverse("plan-detail", args=[world.plan.pk])}#target-{targets[0].pk}' in detail


def test_task_detail_shows_measures_targets_assignment_and_verdict(world, as_user):
    page = as_user("admin").get(reverse("task-detail", args=[world.task_dept.pk])).content.decode()
    assert "基础教育科" in page and "体卫艺科" in page  # lead and partner
    assert "2025-12-31" in page  # default deadline: the end of the plan's year
    assert "新增普惠性学前学位1200个" in page or "1200个" in page
    assert "尚未填报进展，序时进度" in page  # the verdict's reason
    assert "分派任务" in page  # the audit history of the assignment


def test_unknown_ids_are_404(world, as_user):
    client = as_user("admin")
    for name in ("task-detail", "plan-detail", "report-progress", "evidence-download", "plan-import-review"):
        assert client.get(reverse(name, args=[999999])).status_code == 404
    assert client.get(reverse("dashboard") + "?plan=abc").status_code == 404


def test_the_stylesheet_is_served_by_the_app_itself(client, db):
    response = client.get("/static/eduplan/app.css")
    assert response.status_code == 200
    assert b"mark.target" in b"".join(response.streaming_content)


def test_too_many_files_at_once_get_a_chinese_400_page(world, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile(f"{i}.txt", b"x") for i in range(11)]
    response = as_user("school_a").post(reverse("report-progress", args=[world.assignment(world.task_a).pk]),
                                        {"period": "2025-06", "state": "in_progress", "percent": "10",
                                         "narrative": "附件很多", "files": files})
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
