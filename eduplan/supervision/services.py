"""Supervision services: rounds, findings and their rectification, review and sign-off.

Views and commands call these; each checks its input, writes in one transaction and records
an audit entry. The caller has checked what the user may see; what the user may do is
checked here (``access``), since a refused write must never happen whatever the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from eduplan.audit.log import record
from eduplan.errors import EduplanError, Errors
from eduplan.orgs.access import Refused
from eduplan.orgs.models import OrgUnit
from eduplan.tracking.models import Section
from eduplan.tracking.progress import IMAGE_TYPES, parse_percent, store_evidence

from . import inbox
from .access import check_can_rectify, check_staff
from .checklists import STANDARDS, split_item, standard_items
from .escalation import Escalation, escalate
from .models import (
    AppraisalRules,
    ChecklistItem,
    Finding,
    FindingPhoto,
    Message,
    Rectification,
    RectificationEvidence,
    RectificationReport,
    Review,
    Round,
    SupervisionRules,
)
from .work import check_files, days_overdue


def rules_for(bureau: OrgUnit) -> SupervisionRules:
    """The bureau's rules, or the defaults (unsaved) when it has set none."""
    return SupervisionRules.objects.filter(bureau=bureau).first() or SupervisionRules(bureau=bureau)


def appraisal_rules_for(bureau: OrgUnit) -> AppraisalRules:
    return AppraisalRules.objects.filter(bureau=bureau).first() or AppraisalRules(bureau=bureau)


def escalation_of(rectification: Rectification, today: date, rules: SupervisionRules) -> Escalation | None:
    """The escalation step of work still with its unit; None once it is closed, and None while
    it awaits the bureau's review (the unit has done its part: nothing to urge, lists show
    "待审核"), the one rule of the pages, the exports and ``reminders.escalate_all``."""
    if rectification.closed_at is not None or rectification.state != Rectification.State.OPEN:
        return None
    days = days_overdue(rectification, today)
    step = escalate(days, urge_after=rules.urge_after_days, supervise_after=rules.supervise_after_days)
    return Escalation(step, days)


# ---------------------------------------------------------------- rounds

@dataclass
class RoundInput:
    title: str
    kind: str
    start_date: date
    end_date: date
    schools: Sequence[OrgUnit]
    standard: str = ""
    section: Section | None = None
    items_text: str = ""


def checklist_for(data: RoundInput) -> list[tuple[str, str, object]]:
    """(category, text, task) rows: a standard's items, a plan section's tasks, typed lines."""
    rows: list[tuple[str, str, object]] = []
    if data.standard:
        if data.standard not in STANDARDS:
            raise EduplanError(Errors.E870, value=data.standard)
        rows += [(category, text, None) for category, text in standard_items(data.standard)]
    if data.section is not None:
        for task in data.section.tasks.filter(removed_in_version__isnull=True).order_by("order"):
            rows.append((data.section.title[:60], task.title[:300], task))
    for line in data.items_text.splitlines():
        if line.strip():
            category, text = split_item(line)
            rows.append((category, text[:300], None))
    if not rows:
        raise EduplanError(Errors.E862)
    return rows


def create_round(data: RoundInput, *, user, bureau: OrgUnit) -> Round:
    check_staff(user, bureau, "创建督导轮次")
    if not data.schools:
        raise EduplanError(Errors.E861)
    for school in data.schools:
        if school.owning_bureau_id != bureau.pk or school.is_authority:
            raise EduplanError(Errors.E405, unit=school.name)
    if data.end_date < data.start_date:
        raise EduplanError(Errors.E410, deadline=data.end_date, start=data.start_date)
    rows = checklist_for(data)
    with transaction.atomic():
        round_ = Round.objects.create(bureau=bureau, title=data.title.strip()[:200], kind=data.kind,
                                      standard=data.standard, section=data.section, start_date=data.start_date,
                                      end_date=data.end_date, created_by=user)
        round_.schools.set(data.schools)
        ChecklistItem.objects.bulk_create(ChecklistItem(round=round_, order=i, category=c, text=t, task=task)
                                          for i, (c, t, task) in enumerate(rows, start=1))
        record(user, "supervision.round", round_, {}, {"title": round_.title, "schools": [s.name for s in data.schools],
                                                        "items": len(rows)})
    return round_


# ---------------------------------------------------------------- findings

def add_finding(round_: Round, *, user, school: OrgUnit, description: str, severity: str, found_on: date,
                item: ChecklistItem | None = None, photos: Sequence[UploadedFile] = (),
                deadline: date | None = None, assignee: OrgUnit | None = None, owner=None) -> Finding:
    """Record a finding with its photos and open its rectification (owned by the school
    unless another unit is named), by ``deadline`` or the bureau's default period."""
    check_staff(user, round_.bureau, "记录督导发现的问题")
    if not round_.schools.filter(pk=school.pk).exists():
        raise EduplanError(Errors.E871, unit=school.name)
    description = (description or "").strip()
    if not description:
        raise EduplanError(Errors.E875)
    if severity not in Finding.Severity.values:
        raise EduplanError(Errors.E876, value=severity, allowed="、".join(Finding.Severity.values))
    assignee = assignee or school
    if assignee.owning_bureau_id != round_.bureau_id or assignee.is_authority:
        raise EduplanError(Errors.E405, unit=assignee.name)
    deadline = deadline or found_on + timedelta(days=rules_for(round_.bureau).rectify_days)
    if deadline < found_on:
        raise EduplanError(Errors.E863, deadline=deadline, found=found_on)
    check_files(photos, allowed=IMAGE_TYPES)  # photos are shown inline: pictures only
    with transaction.atomic():
        finding = Finding.objects.create(round=round_, school=school, item=item, description=description,
                                         severity=severity, found_on=found_on, created_by=user)
        for upload in photos:
            store_evidence(FindingPhoto(finding=finding), upload)
        rectification = Rectification.objects.create(finding=finding, assignee_unit=assignee, owner=owner,
                                                     start_date=found_on, deadline=deadline)
        record(user, "supervision.finding", finding, {}, {
            "school": school.name, "severity": severity, "description": description, "deadline": deadline.isoformat(),
            "assignee": assignee.name, "photos": [p.name for p in photos]})
        link = reverse("supervision-finding", args=[finding.pk])
        inbox.notify(inbox.unit_people(assignee), kind=Message.Kind.FINDING,
                     title=f"交办：{round_.title}发现问题，请于{deadline:%Y-%m-%d}前整改",
                     body=f"{school.name}：{description}（{finding.get_severity_display()}）", link=link,
                     key=f"finding:{finding.pk}")
    rectification.finding = finding
    return finding


# ---------------------------------------------------------------- rectification

def report_rectification(rectification: Rectification, *, user, narrative: str, percent: object = None,
                         done: bool = False, files: Sequence[UploadedFile] = ()) -> RectificationReport:
    """The assignee reports progress; ``done`` asks for sign-off and needs evidence. Only
    while the rectification is open: once sign-off is asked for, nothing more until the
    reviewer sends it back."""
    check_can_rectify(user, rectification)
    finding = rectification.finding
    check_open(rectification, finding)
    narrative = (narrative or "").strip()
    if not narrative:
        raise EduplanError(Errors.E877)
    percent = 100 if done else parse_percent(percent if percent not in (None, "") else 0)
    check_files(files, required=done)
    membership = getattr(user, "membership", None)
    unit = membership.unit if membership is not None else rectification.assignee_unit
    with transaction.atomic():
        locked = Rectification.objects.select_for_update().get(pk=rectification.pk)
        check_open(locked, finding)  # a concurrent report may have asked for sign-off first
        report = RectificationReport.objects.create(rectification=locked, percent=percent, narrative=narrative,
                                                    unit=unit, created_by=user, done=done)
        for upload in files:
            store_evidence(RectificationEvidence(report=report), upload)
        locked.latest_percent, locked.latest_report_at = percent, report.created_at
        if done:
            locked.state = Rectification.State.SUBMITTED
        locked.save(update_fields=["latest_percent", "latest_report_at", "state"])
        locked.finding = finding
        record(user, "supervision.rectify", locked, {}, {"percent": percent, "done": done,
                                                        "files": [f.name for f in files]})
        if done:
            inbox.notify(inbox.bureau_staff(finding.round.bureau), kind=Message.Kind.REVIEW,
                         title=f"待审核：{finding.school.name}申请整改销号",
                         body=finding.description[:200], link=reverse("supervision-finding", args=[finding.pk]),
                         key=f"submitted:{report.pk}")
    rectification.refresh_from_db()
    return report


def check_open(rectification: Rectification, finding: Finding) -> None:
    """Reports only on an open rectification: none once closed (E865), none while it awaits
    review (E881)."""
    if rectification.state == Rectification.State.CLOSED:
        raise EduplanError(Errors.E865, finding=str(finding))
    if rectification.state == Rectification.State.SUBMITTED:
        raise EduplanError(Errors.E881)


def reported_done_by(rectification: Rectification, user) -> bool:
    """Whether ``user`` filed the done report now awaiting review (and so may not review it)."""
    last = rectification.reports.filter(done=True).first()
    return last is not None and last.created_by_id == user.pk


def review_rectification(rectification: Rectification, *, user, approve: bool, note: str = "") -> Review:
    """Sign-off (销号) or return: only on a rectification reported done with evidence, and
    never by whoever reported it done (separation of duties: an admin may report for a unit,
    but then another of the staff reviews)."""
    finding = rectification.finding
    check_staff(user, finding.round.bureau, "审核整改销号")
    note = (note or "").strip()
    if not approve and not note:
        raise EduplanError(Errors.E867)
    with transaction.atomic():
        locked = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if locked.state != Rectification.State.SUBMITTED:
            raise EduplanError(Errors.E866, state=locked.get_state_display())
        last = locked.reports.filter(done=True).first()
        if last is None or not last.evidence.exists():  # closure needs evidence, whatever the path
            raise EduplanError(Errors.E864)
        if last.created_by_id == user.pk:
            raise Refused(Errors.E880, user=user.get_full_name() or user.get_username())
        before = {"state": locked.state, "closed_at": None}
        if approve:
            locked.state, locked.closed_at, locked.closed_by = Rectification.State.CLOSED, timezone.now(), user
        else:
            locked.state = Rectification.State.OPEN
        locked.save(update_fields=["state", "closed_at", "closed_by"])
        decision = Review.Decision.APPROVED if approve else Review.Decision.RETURNED
        review = Review.objects.create(rectification=locked, decision=decision, note=note, reviewer=user)
        locked.finding = finding
        closed = locked.closed_at.isoformat() if locked.closed_at else None
        record(user, "supervision.review", locked, before, {"state": locked.state, "closed_at": closed, "note": note})
        title = "整改已审核销号" if approve else "整改被退回，请重新整改"
        inbox.notify(inbox.unit_people(locked.assignee_unit), kind=Message.Kind.REVIEW,
                     title=f"{title}：{finding.description[:40]}", body=note,
                     link=reverse("supervision-finding", args=[finding.pk]), key=f"review:{review.pk}")
    rectification.refresh_from_db()
    return review
