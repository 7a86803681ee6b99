"""Work with an assignee unit, a deadline, progress reports and evidence.

A plan task's assignment (``tracking.Assignment``) and a finding's rectification (整改) are the
same kind of thing: one unit owns it, it runs from a start date to a deadline, the unit reports
on it with files, and it is closed. This module holds what they share, so the rectification
needs no copy of the task code:

- ``AssignedWork``, ``WorkReport``, ``WorkEvidence``: abstract models with the fields of that
  shape (an ``Assignment`` already has them under the same names);
- functions that read either kind: ``verdict`` (the status rule of ``tracking.status``),
  ``days_overdue``, ``last_activity``, ``is_stale``;
- ``check_files``: the evidence upload checks of ``tracking.progress`` (files are saved by
  ``tracking.progress.store_evidence``, the one function that stores any evidence file).

Kept here rather than in ``tracking`` only while that app's models are frozen; the abstract
models belong in ``tracking`` next to ``Assignment`` and ``Evidence``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models

from eduplan.errors import EduplanError, Errors
from eduplan.orgs.models import OrgUnit
from eduplan.tracking.clock import local_date
from eduplan.tracking.models import AppendOnly
from eduplan.tracking.progress import EVIDENCE_TYPES, MAX_FILES, check_upload
from eduplan.tracking.status import Progress, Thresholds, Verdict, judge

USER = settings.AUTH_USER_MODEL


class Work(Protocol):
    """What the shared functions read: ``Assignment`` and ``AssignedWork`` both have it."""

    start_date: date
    deadline: date
    closed_at: datetime | None
    latest_percent: int
    latest_report_at: datetime | None
    created_at: datetime


class AssignedWork(models.Model):
    """A piece of work one unit owns until it is closed; field names as on ``Assignment``."""

    assignee_unit = models.ForeignKey(OrgUnit, verbose_name="责任单位", on_delete=models.PROTECT,
                                      related_name="+")
    owner = models.ForeignKey(USER, verbose_name="责任人", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    start_date = models.DateField("开始日期")
    deadline = models.DateField("完成时限")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    latest_percent = models.PositiveSmallIntegerField("最新进度", default=0)
    latest_report_at = models.DateTimeField("最近填报", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def lead_unit(self) -> OrgUnit:
        """The name ``Assignment`` uses, so code written for tasks reads rectifications too."""
        return self.assignee_unit


class WorkReport(AppendOnly):
    """A progress report on assigned work: append-only, like ``tracking.ProgressReport``."""

    percent = models.PositiveSmallIntegerField("完成进度（%）")
    narrative = models.TextField("进展情况")
    unit = models.ForeignKey(OrgUnit, verbose_name="填报单位", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(USER, verbose_name="填报人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("填报时间", auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class WorkEvidence(AppendOnly):
    """An uploaded file kept with its name, size and checksum, never changed."""

    file = models.FileField("文件", upload_to="supervision/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


# ---------------------------------------------------------------- reading work

def is_done(work: Work) -> bool:
    return work.closed_at is not None


def days_overdue(work: Work, today: date) -> int:
    """Days past the deadline of open work (0 when not due yet or closed)."""
    if is_done(work):
        return 0
    return max(0, (today - work.deadline).days)


def days_left(work: Work, today: date) -> int:
    return (work.deadline - today).days


def last_activity(work: Work) -> date:
    """The day the work last moved: its newest report, or when it was handed out."""
    moment = work.latest_report_at or work.created_at
    return local_date(moment)


def is_stale(work: Work, today: date, days: int) -> bool:
    """Open work, already started, with no report for ``days`` days."""
    if is_done(work) or today < work.start_date or days <= 0:
        return False
    return (today - max(last_activity(work), work.start_date)).days >= days


DEFAULT_THRESHOLDS = Thresholds()


def verdict(work: Work, today: date, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Verdict:
    """Status and light by the platform's one rule (``tracking.status.judge``)."""
    progress = Progress(start=work.start_date, deadline=work.deadline, percent=work.latest_percent,
                        reported=work.latest_report_at is not None, done=is_done(work))
    return judge(progress, today, thresholds)


# ---------------------------------------------------------------- evidence

def check_files(files: Sequence[UploadedFile], *, required: bool = False,
                allowed: dict[str, tuple[bytes, ...]] = EVIDENCE_TYPES) -> None:
    """The evidence checks every upload in eduplan passes (count, size, type, first bytes);
    ``allowed`` narrows the types (``IMAGE_TYPES`` for photos shown inline)."""
    if required and not files:
        raise EduplanError(Errors.E864)
    if len(files) > MAX_FILES:
        raise EduplanError(Errors.E417, limit=MAX_FILES)
    for upload in files:
        check_upload(upload, allowed=allowed)


def thresholds_for(bureau: OrgUnit) -> Thresholds:
    """The bureau's warning thresholds, as the tasks use them."""
    from eduplan.tracking.warnings import thresholds_for as tracking_thresholds

    return tracking_thresholds(bureau)
