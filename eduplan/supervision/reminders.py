"""The daily reminder digest: what is due soon, overdue, not updated, or whose data is late.

``collect`` reads the tracked work (plan assignments and rectifications alike, through the
functions of ``work``) and returns one digest per person; ``deliver`` puts each in the inbox
(once a day per person), announces each new escalation step once, and mails the digests when
the bureau has turned e-mail on. ``eduplan reminders [--send]`` runs both.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from eduplan.errors import EduplanError, Errors
from eduplan.orgs.models import AUTHORITY_KINDS, OrgUnit
from eduplan.periods import Period
from eduplan.tracking.models import Assignment

from . import inbox
from .escalation import STEP_ORDER, Step
from .models import Message, Rectification
from .services import escalation_of, rules_for
from .work import days_left, days_overdue, is_stale, last_activity

SECTIONS = {"overdue": "已逾期", "due_soon": "即将到期", "stale": "长期未更新", "data_late": "数据迟报",
            "review": "待审核"}


@dataclass(frozen=True)
class DigestLine:
    section: str
    text: str
    link: str = ""


@dataclass
class Digest:
    user: object
    bureau: OrgUnit
    lines: list[DigestLine] = field(default_factory=list)

    def body(self) -> str:
        out = []
        for section, label in SECTIONS.items():
            lines = [line.text for line in self.lines if line.section == section]
            if lines:
                out.append(f"【{label}】{len(lines)} 项")
                out += [f"  · {text}" for text in lines]
        return "\n".join(out)

    def title(self, today: date) -> str:
        counts = "，".join(f"{label}{n}项" for section, label in SECTIONS.items()
                          if (n := sum(line.section == section for line in self.lines)))
        return f"{today:%m月%d日}提醒：{counts}"


@dataclass
class Delivery:
    digests: int = 0
    messages: int = 0
    escalations: int = 0
    emails: int = 0
    email_errors: list[str] = field(default_factory=list)


def _bureaus(bureau: OrgUnit | None) -> QuerySet[OrgUnit]:
    if bureau is not None:
        return OrgUnit.objects.filter(pk=bureau.pk)
    return OrgUnit.objects.filter(kind__in=AUTHORITY_KINDS, active=True).order_by("path")


def _work_lines(work, title: str, link: str, today: date, rules) -> list[DigestLine]:
    """The reminder lines of one piece of open work (a task's assignment or a rectification)."""
    lines = []
    overdue = days_overdue(work, today)
    if overdue:
        lines.append(DigestLine("overdue", f"{title}：已逾期 {overdue} 天（完成时限 {work.deadline:%Y-%m-%d}）", link))
    elif 0 <= days_left(work, today) <= rules.remind_days_before:
        lines.append(DigestLine("due_soon", f"{title}：{days_left(work, today)} 天后到期（{work.deadline:%Y-%m-%d}）",
                                link))
    if is_stale(work, today, rules.stale_days):
        since = max(last_activity(work), work.start_date)
        lines.append(DigestLine("stale", f"{title}：已 {(today - since).days} 天未更新进展", link))
    return lines


def _data_lines(bureau: OrgUnit, today: date, grace_days: int) -> dict[int, list[DigestLine]]:
    """Per school: the data sets whose last ended period is past the grace days and unsubmitted."""
    from eduplan.indicators.collecting import expected_units
    from eduplan.indicators.completeness import REPORTED_STATES
    from eduplan.indicators.models import DataSet, Submission

    lines: dict[int, list[DigestLine]] = defaultdict(list)
    for data_set in DataSet.objects.filter(bureau__isnull=True) | DataSet.objects.filter(bureau=bureau):
        period = Period.of(data_set.period_kind, today).previous()
        if today <= period.end + timedelta(days=grace_days):
            continue
        done = set(Submission.objects.filter(data_set=data_set, period=period.key, state__in=REPORTED_STATES)
                   .values_list("unit_id", flat=True))
        for unit in expected_units(data_set, bureau, period.key):
            # A city's run reminds its own units; each district's run reminds the district's.
            if unit.pk not in done and unit.owning_bureau_id == bureau.pk:
                lines[unit.pk].append(DigestLine("data_late", f"数据表“{data_set.name}”{period.label}尚未提交",
                                                 reverse("data-home")))
    return lines


def collect(today: date, bureau: OrgUnit | None = None) -> list[Digest]:
    """One digest per person with anything to be reminded of, bureau by bureau."""
    digests: list[Digest] = []
    for authority in _bureaus(bureau):
        rules = rules_for(authority)
        by_unit: dict[int, list[DigestLine]] = defaultdict(list)
        by_owner: dict[int, list[DigestLine]] = defaultdict(list)
        units: dict[int, OrgUnit] = {}
        assignments = (Assignment.objects.filter(task__plan__bureau=authority, closed_at__isnull=True,
                                                 task__removed_in_version__isnull=True)
                       .select_related("task", "lead_unit", "owner"))
        for assignment in assignments:
            lines = _work_lines(assignment, f"任务“{assignment.task.title}”",
                                reverse("task-detail", args=[assignment.task_id]), today, rules)
            by_unit[assignment.lead_unit_id] += lines
            units[assignment.lead_unit_id] = assignment.lead_unit
            if assignment.owner_id:
                by_owner[assignment.owner_id] += lines
        rectifications = (Rectification.objects.filter(finding__round__bureau=authority)
                          .exclude(state=Rectification.State.CLOSED)
                          .select_related("finding", "finding__school", "assignee_unit"))
        staff_lines = []
        for rect in rectifications:
            link = reverse("supervision-finding", args=[rect.finding_id])
            if rect.state == Rectification.State.SUBMITTED:
                staff_lines.append(DigestLine("review", f"{rect.finding.school.name}申请整改销号：{rect.finding.description[:30]}",
                                              link))
                continue
            step = escalation_of(rect, today, rules)
            label = f"整改（{step.step.label}）“{rect.finding.description[:30]}”" if step else "整改"
            lines = _work_lines(rect, label, link, today, rules)
            by_unit[rect.assignee_unit_id] += lines
            units[rect.assignee_unit_id] = rect.assignee_unit
            if rect.owner_id:
                by_owner[rect.owner_id] += lines
        for unit_id, lines in _data_lines(authority, today, rules.data_grace_days).items():
            by_unit[unit_id] += lines
            if unit_id not in units:
                units[unit_id] = OrgUnit.objects.get(pk=unit_id)
        per_user: dict[int, Digest] = {}
        for unit_id, lines in by_unit.items():
            if not lines:
                continue
            for user in inbox.unit_people(units[unit_id]):
                per_user.setdefault(user.pk, Digest(user, authority)).lines.extend(lines)
        for owner_id, lines in by_owner.items():
            digest = per_user.get(owner_id)
            if digest is None and lines:
                digest = per_user[owner_id] = Digest(get_user_model().objects.get(pk=owner_id), authority)
            if digest is not None:
                digest.lines.extend(line for line in lines if line not in digest.lines)
        if staff_lines:
            for user in inbox.bureau_staff(authority):
                per_user.setdefault(user.pk, Digest(user, authority)).lines.extend(staff_lines)
        digests += [d for d in per_user.values() if d.lines]
    return digests


def escalate_all(today: date, bureau: OrgUnit | None = None) -> int:
    """Announce each rectification's new escalation step once: 催办 to the unit, 督办 to the unit
    and the bureau's staff. Returns how many steps were announced."""
    announced = 0
    for authority in _bureaus(bureau):
        rules = rules_for(authority)
        for rect in (Rectification.objects.filter(finding__round__bureau=authority, state=Rectification.State.OPEN)
                     .select_related("finding", "assignee_unit")):
            step = escalation_of(rect, today, rules)
            if step is None or step.step == Step.ASSIGNED or STEP_ORDER[step.step] <= STEP_ORDER[rect.escalation_sent]:
                continue
            people = list(inbox.unit_people(rect.assignee_unit))
            if step.step == Step.SUPERVISED:
                people += list(inbox.bureau_staff(authority))
            inbox.notify(people, kind=Message.Kind.ESCALATION,
                         title=f"{step.step.label}（{step.step.colour_label}）：整改已逾期 {step.days_overdue} 天",
                         body=f"{rect.assignee_unit.name}：{rect.finding.description}",
                         link=reverse("supervision-finding", args=[rect.finding_id]),
                         key=f"escalation:{rect.pk}:{step.step.value}")
            Rectification.objects.filter(pk=rect.pk).update(escalation_sent=step.step.value)
            announced += 1
    return announced


def deliver(digests: list[Digest], today: date) -> Delivery:
    """Into each person's inbox (once a day), and by e-mail where the bureau turned it on."""
    result = Delivery(digests=len(digests))
    for digest in digests:
        created = inbox.notify([digest.user], kind=Message.Kind.DIGEST, title=digest.title(today),
                               body=digest.body(), link=reverse("supervision-inbox"), key=f"digest:{today}")
        result.messages += len(created)
        email = getattr(digest.user, "email", "")
        if not created or not email or not rules_for(digest.bureau).send_email:
            continue
        try:
            send_mail(created[0].title, created[0].body, None, [email])
        except Exception as exc:  # noqa: BLE001 - any mail failure: the inbox copy stands
            result.email_errors.append(f"{email}: {exc}")
            continue
        Message.objects.filter(pk=created[0].pk).update(emailed_at=timezone.now())
        result.emails += 1
    return result


def run(today: date, *, send: bool, bureau: OrgUnit | None = None) -> tuple[list[Digest], Delivery | None]:
    """Collect the digests; with ``send``, escalate and deliver them."""
    if not send:
        return collect(today, bureau), None
    escalations = escalate_all(today, bureau)
    digests = collect(today, bureau)
    result = deliver(digests, today)
    result.escalations = escalations
    return digests, result


def find_bureau(value: str) -> OrgUnit:
    """A bureau by id or name (E878 when there is none)."""
    bureaus = OrgUnit.objects.filter(kind__in=AUTHORITY_KINDS)
    by_id = value.isascii() and value.isdigit() and int(value) < 2**63
    found = bureaus.filter(**({"pk": int(value)} if by_id else {"name": value})).first()
    if found is None:
        raise EduplanError(Errors.E878, bureau=value)
    return found
