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
