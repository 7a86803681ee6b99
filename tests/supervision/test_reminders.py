"""The daily digest and the escalation notices (clock fixed at 2025-06-30)."""

from __future__ import annotations

from datetime import date, datetime

from django.core import mail
from django.utils import timezone

from eduplan.supervision.models import Message, Rectification, SupervisionRules
from eduplan.supervision.reminders import collect, escalate_all, run
from eduplan.tracking.models import Assignment

TODAY = date(2025, 6, 30)


def lines_of(digests, username: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for digest in digests:
        if digest.user.username == username:
            for line in digest.lines:
                out.setdefault(line.section, []).append(line.text)
    return out


def test_overdue_and_due_soon_rectifications_reach_their_schools(world, finding, finding_b):
    digests = collect(TODAY)
    assert lines_of(digests, "school_a")["overdue"] == ["整改（催办）“消防通道堆放体育器材，疏散不畅”：已逾期 10 天（完成时限 2025-06-20）"]
    assert lines_of(digests, "school_b")["due_soon"] == ["整改（交办）“食堂留样记录缺 3 天”：4 天后到期（2025-07-04）"]


def test_work_not_updated_for_n_days_is_stale(world):
    Assignment.objects.filter(task=world.task_a).update(
        created_at=timezone.make_aware(datetime(2025, 4, 1, 9)))
    assert lines_of(collect(TODAY), "school_a")["stale"] == [f"任务“{world.task_a.title}”：已 90 天未更新进展"]
    SupervisionRules.objects.create(bureau=world.bureau, stale_days=120)
    assert "stale" not in lines_of(collect(TODAY), "school_a")


def test_late_data_sets_are_named(world):
    late = lines_of(collect(TODAY), "school_a").get("data_late", [])
    assert late and all("尚未提交" in text for text in late)


def test_send_writes_one_digest_a_day_and_announces_each_step_once(world, finding):
    _, delivery = run(TODAY, send=True)
    assert delivery.escalations == 1 and delivery.messages >= 1
    school_a = world.users["school_a"]
    assert Message.objects.filter(recipient=school_a, kind="digest").count() == 1
    assert Message.objects.get(recipient=school_a, kind="escalation").title == "催办（黄）：整改已逾期 10 天"
    run(TODAY, send=True)
    assert Message.objects.filter(recipient=school_a, kind="digest").count() == 1
    assert Message.objects.filter(recipient=school_a, kind="escalation").count() == 1
    # 15 days overdue: 督办, to the school and the bureau's staff.
    assert escalate_all(date(2025, 7, 5)) == 1
    assert Message.objects.filter(recipient=world.users["admin"], kind="escalation", title__startswith="督办（红）").exists()
    assert Rectification.objects.get().escalation_sent == "supervised"


def test_email_only_when_the_bureau_turns_it_on(world, finding, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.users["school_a"].email = "shiyan@example.org"
    world.users["school_a"].save()
    run(TODAY, send=True)
    assert mail.outbox == []
    Message.objects.all().delete()
    SupervisionRules.objects.create(bureau=world.bureau, send_email=True)
    _, delivery = run(TODAY, send=True)
    assert delivery.emails == 1 and mail.outbox[0].to == ["shiyan@example.org"]
    assert "已逾期" in mail.outbox[0].body


def test_without_send_nothing_is_written(world, finding):
    digests, delivery = run(TODAY, send=False)
    assert digests and delivery is None
    assert not Message.objects.filter(kind__in=["digest", "escalation"]).exists()


def test_a_citys_own_rounds_escalate_and_remind_too(world):
    """A city runs rounds at its own schools (市直学校): its work is escalated and reminded like
    a district's, its 督办 reaches the city's staff, not the districts' admins."""
    from eduplan.orgs.models import Membership, OrgUnit
    from eduplan.orgs.services import create_user
    from eduplan.supervision.services import RoundInput, add_finding, create_round
    from tests.world import PASSWORD

    city = OrgUnit.objects.create(name="澜江市教育局", kind=OrgUnit.Kind.CITY)
    world.bureau.parent = city
    world.bureau.save()
    school = OrgUnit.objects.create(name="澜江市第一中学", kind=OrgUnit.Kind.SCHOOL, parent=city,
                                    school_level="senior")
    city_admin = create_user("city_admin", PASSWORD, role=Membership.Role.ADMIN, unit=city)
    teacher = create_user("yizhong", PASSWORD, role=Membership.Role.REPORTER, unit=school)
    round_ = create_round(RoundInput(title="市直学校安全督查", kind="check", start_date=date(2025, 6, 2),
                                     end_date=date(2025, 6, 3), schools=[school], items_text="消防：通道畅通"),
                          user=city_admin, bureau=city)
    add_finding(round_, user=city_admin, school=school, description="灭火器过期", severity="minor",
                found_on=date(2025, 6, 2), deadline=date(2025, 6, 10))  # 20 days overdue on 06-30
    assert lines_of(collect(TODAY), "yizhong")["overdue"] == ["整改（督办）“灭火器过期”：已逾期 20 天（完成时限 2025-06-10）"]
    assert escalate_all(TODAY) == 1
    told = set(Message.objects.filter(kind="escalation").values_list("recipient__username", flat=True))
    assert told == {teacher.username, city_admin.username}  # not the district's admin
