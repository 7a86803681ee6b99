"""The supervision pages through each persona's eyes: a school sees only its own findings."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.supervision.models import Message, Rectification, Round, ScoreAdjustment

from .conftest import photo


def test_the_admin_creates_a_round_from_a_standard(as_user, world):
    client = as_user("admin")
    assert client.get("/supervision/rounds/new/").status_code == 200
    school = world.unit("青禾区滨江小学")
    response = client.post("/supervision/rounds/new/", {
        "title": "秋季开学隐患排查", "kind": "check", "standard": "hazard", "items_text": "",
        "schools": [school.pk], "start_date": "2025-06-10", "end_date": "2025-06-12"})
    round_ = Round.objects.get(title="秋季开学隐患排查")
    assert response.status_code == 302 and round_.items.count() == 8


def test_a_round_without_schools_says_so_next_to_the_field(as_user, world):
    response = as_user("admin").post("/supervision/rounds/new/", {
        "title": "x", "kind": "check", "standard": "hazard", "start_date": "2025-06-10", "end_date": "2025-06-12"})
    assert "[E861]" in response.content.decode()


def test_the_admin_records_a_finding_with_a_photo(as_user, world, round_):
    response = as_user("admin").post(f"/supervision/rounds/{round_.pk}/", {
        "school": world.unit("青禾区滨江小学").pk, "description": "楼梯扶手松动", "severity": "serious",
        "found_on": "2025-06-05", "deadline": "2025-06-25", "photos": [photo()]})
    assert response.status_code == 302
    assert round_.findings.get().rectification.deadline == date(2025, 6, 25)


def test_a_finding_can_be_given_to_a_department_to_rectify(as_user, world, round_):
    as_user("admin").post(f"/supervision/rounds/{round_.pk}/", {
        "school": world.unit("青禾区滨江小学").pk, "description": "校门口缺少减速带", "severity": "minor",
        "found_on": "2025-06-05", "assignee": world.unit("基础教育科").pk})
    finding = round_.findings.get()
    assert finding.rectification.assignee_unit.name == "基础教育科"
    assert as_user("jijiao").get(f"/supervision/findings/{finding.pk}/").status_code == 200
    assert as_user("tiwei").get(f"/supervision/findings/{finding.pk}/").status_code == 404


@pytest.mark.parametrize(("name", "sees"), [
    ("admin", {"消防通道堆放体育器材，疏散不畅", "食堂留样记录缺 3 天"}),
    ("leader", {"消防通道堆放体育器材，疏散不畅", "食堂留样记录缺 3 天"}),
    ("school_a", {"消防通道堆放体育器材，疏散不畅"}),
    ("school_b", {"食堂留样记录缺 3 天"}),
    ("tiwei", set()),
])
def test_each_persona_sees_its_own_findings(as_user, finding, finding_b, name, sees):
    page = as_user(name).get("/supervision/findings/").content.decode()
    shown = {text for text in ("消防通道堆放体育器材，疏散不畅", "食堂留样记录缺 3 天") if text in page}
    assert shown == sees


def test_another_school_cannot_open_the_finding_or_its_photo(as_user, finding):
    client = as_user("school_b")
    assert client.get(f"/supervision/findings/{finding.pk}/").status_code == 404
    photo_row = finding.photos.get()
    assert client.get(f"/supervision/files/photo/{photo_row.pk}/").status_code == 404
    assert client.get(f"/supervision/rounds/{finding.round_id}/").status_code == 404


def test_the_school_rectifies_and_the_admin_signs_off(as_user, world, finding):
    school = as_user("school_a")
    page = school.get(f"/supervision/findings/{finding.pk}/").content.decode()
    assert "填报整改情况" in page and "审核销号" not in page
    response = school.post(f"/supervision/findings/{finding.pk}/rectify/", {"narrative": "已清理", "done": "on"})
    assert "[E864]" in response.content.decode()
    response = school.post(f"/supervision/findings/{finding.pk}/rectify/", {
        "narrative": "器材已移入器材室", "done": "on", "files": [photo("整改后.jpg")]})
    assert response.status_code == 302
    admin = as_user("admin")
    assert "审核销号" in admin.get(f"/supervision/findings/{finding.pk}/").content.decode()
    admin.post(f"/supervision/findings/{finding.pk}/review/", {"decision": "approve", "note": ""})
    assert Rectification.objects.get(finding=finding).state == "closed"


def test_a_viewer_reads_but_cannot_post(as_user, finding):
    client = as_user("leader")
    assert client.get(f"/supervision/findings/{finding.pk}/").status_code == 200
    assert client.post(f"/supervision/findings/{finding.pk}/review/", {"decision": "approve"}).status_code == 403
    assert client.post(f"/supervision/findings/{finding.pk}/rectify/", {"narrative": "x"}).status_code == 403
    assert client.get("/supervision/rounds/new/").status_code == 403


def test_the_inbox_counts_unread_in_the_top_bar(as_user, world, finding):
    client = as_user("school_a")
    page = client.get("/supervision/").content.decode()
    assert 'title="未读消息">1<' in page
    assert "交办" in client.get("/supervision/inbox/").content.decode()
    client.post("/supervision/inbox/read/", {})
    assert not Message.objects.filter(recipient=world.users["school_a"], read_at__isnull=True).exists()


def test_the_appraisal_sheet_explains_each_line(as_user, world, finding):
    school = world.unit("青禾区实验小学")
    data = as_user("leader").get(f"/supervision/appraisal/{school.pk}/?year=2025&format=json").json()
    assert data["total"] == "93"
    assert [line["text"] for line in data["lines"]] == ["逾期未填报 5 次，各扣 1 分", "整改逾期未完成 1 项，各扣 2 分"]


@pytest.mark.parametrize(("name", "status"), [("school_a", 200), ("school_b", 404), ("leader", 200),
                                              ("tiwei", 404)])
def test_a_unit_reads_only_its_own_sheet(as_user, world, name, status):
    school = world.unit("青禾区实验小学")
    assert as_user(name).get(f"/supervision/appraisal/{school.pk}/?year=2025").status_code == status


def test_the_appraiser_adjusts_with_a_reason(as_user, world):
    school = world.unit("青禾区实验小学")
    client = as_user("admin")
    response = client.post(f"/supervision/appraisal/{school.pk}/adjust/?year=2025", {"points": "2", "reason": ""})
    assert "[E868]" in response.content.decode()
    response = client.post(f"/supervision/appraisal/{school.pk}/adjust/?year=2025",
                           {"points": "2", "reason": "创建市级文明校园"})
    assert response.status_code == 302
    assert ScoreAdjustment.objects.get().points == 2
    assert as_user("school_a").post(f"/supervision/appraisal/{school.pk}/adjust/?year=2025",
                                    {"points": "9", "reason": "x"}).status_code == 403
    assert ScoreAdjustment.objects.count() == 1


def test_the_admin_who_reported_it_done_gets_no_review_form_and_a_403(as_user, world, finding):
    admin = as_user("admin")
    admin.post(f"/supervision/findings/{finding.pk}/rectify/", {
        "narrative": "督导组现场督促清理完毕", "done": "on", "files": [photo("整改后.jpg")]})
    page = admin.get(f"/supervision/findings/{finding.pk}/").content.decode()
    assert "审核销号</h2>" not in page and "须由其他督导人员审核" in page
    response = admin.post(f"/supervision/findings/{finding.pk}/review/", {"decision": "approve", "note": ""})
    assert response.status_code == 403 and "E880" in response.content.decode()
    assert Rectification.objects.get(finding=finding).state == "submitted"


def test_no_report_form_while_awaiting_review(as_user, world, finding):
    school = as_user("school_a")
    school.post(f"/supervision/findings/{finding.pk}/rectify/", {
        "narrative": "器材已移入器材室", "done": "on", "files": [photo("整改后.jpg")]})
    page = school.get(f"/supervision/findings/{finding.pk}/").content.decode()
    assert "填报整改情况</h2>" not in page and "等待教育局督导人员审核" in page
    response = school.post(f"/supervision/findings/{finding.pk}/rectify/", {"narrative": "补充说明", "percent": "100"},
                           follow=True)
    assert "[E881]" in response.content.decode()
    assert Rectification.objects.get(finding=finding).reports.count() == 1


@pytest.mark.parametrize(("name", "schools"), [
    ("admin", ["青禾区实验小学", "青禾区滨江小学"]),
    ("leader", ["青禾区实验小学", "青禾区滨江小学"]),
    ("school_a", ["青禾区实验小学"]),
    ("school_b", ["青禾区滨江小学"]),
])
def test_a_school_sees_only_itself_among_the_rounds_schools(as_user, world, finding, finding_b, name, schools):
    response = as_user(name).get(f"/supervision/rounds/{finding.round_id}/")
    assert [s.name for s in response.context["schools"]] == schools
    page = response.content.decode()
    others = {"青禾区实验小学", "青禾区滨江小学"} - set(schools)
    assert f"被督导学校（{len(schools)} 所）" in page and not any(other in page for other in others)


def test_a_department_sees_the_school_whose_finding_it_rectifies(as_user, world, round_):
    as_user("admin").post(f"/supervision/rounds/{round_.pk}/", {
        "school": world.unit("青禾区滨江小学").pk, "description": "校门口缺少减速带", "severity": "minor",
        "found_on": "2025-06-05", "assignee": world.unit("基础教育科").pk})
    response = as_user("jijiao").get(f"/supervision/rounds/{round_.pk}/")
    assert [s.name for s in response.context["schools"]] == ["青禾区滨江小学"]


@pytest.mark.parametrize(("name", "inline"), [("现场.jpg", True), ("现场.PNG", True), ("现场.pdf", False)])
def test_only_pictures_are_shown_inline(as_user, world, finding, name, inline):
    from eduplan.supervision.models import FindingPhoto

    row = finding.photos.get()
    FindingPhoto.objects.filter(pk=row.pk).update(original_name=name)  # a photo stored before the rule
    response = as_user("school_a").get(f"/supervision/files/photo/{row.pk}/")
    assert response["Content-Disposition"].startswith("inline" if inline else "attachment")


def test_awaiting_review_shows_no_escalation_step(as_user, world, finding):
    from eduplan.supervision.services import report_rectification

    report_rectification(finding.rectification, user=world.users["school_a"], narrative="已清理", done=True,
                         files=[photo()])
    for path in ("/supervision/findings/", f"/supervision/rounds/{finding.round_id}/"):
        response = as_user("admin").get(path)
        row = next(r for r in response.context["rows"] if r["finding"].pk == finding.pk)
        assert row["escalation"] is None
        page = response.content.decode()
        assert '<span class="badge rect-submitted">待审核</span>' in page and "催办" not in page
