"""Progress reports: append-only, with evidence files and target actuals (data values of each
target's own element, see ``indicators.actuals``), in one transaction."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from eduplan.audit.log import record
from eduplan.errors import EduplanError, Errors
from eduplan.indicators.actuals import store_typed_actuals
from eduplan.periods import Period, PeriodKind

from .access import check_can_close
from .models import Assignment, Evidence, ProgressReport, Target
from .state_store import keeping_states

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,64}$")  # visible ASCII, as the API's header declares
MAX_FILES = 10
# Evidence people send: office documents, PDFs, pictures, archives of those. Each entry
# lists the file's first bytes, so a renamed executable is refused.
EVIDENCE_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",), ".pptx": (b"PK\x03\x04",), ".zip": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",), ".xls": (b"\xd0\xcf\x11\xe0",), ".ppt": (b"\xd0\xcf\x11\xe0",),
    ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG",),
    ".txt": (), ".csv": (),
}
# Pictures only, for what is shown inline (a finding's photos).
IMAGE_TYPES = {suffix: EVIDENCE_TYPES[suffix] for suffix in (".jpg", ".jpeg", ".png")}


@dataclass
class ActualInput:
    target: Target
    value: str


def _mb(size: int) -> float | int:
    value = round(size / 2**20, 1)
    return int(value) if value.is_integer() else value


def check_size(upload: UploadedFile) -> None:
    """Every upload's size limit (EDUPLAN_MAX_UPLOAD_MB), named after the file as sent."""
    limit = settings.EDUPLAN_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise EduplanError(Errors.E401, size_mb=_mb(upload.size), limit_mb=_mb(limit),
                           name=Path(upload.name or "file").name)


def check_upload(upload: UploadedFile, *, allowed: dict[str, tuple[bytes, ...]] = EVIDENCE_TYPES) -> None:
    """Size, extension and first bytes; raises EduplanError with the file's name."""
    name = upload.name or "file"
    check_size(upload)
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        raise EduplanError(Errors.E402, suffix=suffix or "（无）", name=name, allowed=" ".join(sorted(allowed)))
    magics = allowed[suffix]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if magics and not any(head.startswith(m) for m in magics):
        raise EduplanError(Errors.E403, name=name)
    if not magics and b"\x00" in head:
        raise EduplanError(Errors.E403, name=name)


def parse_percent(value: object) -> int:
    try:
        percent = int(str(value).strip().rstrip("%"))
    except ValueError:
        raise EduplanError(Errors.E408, value=value) from None
    if not 0 <= percent <= 100:
        raise EduplanError(Errors.E408, value=value)
    return percent


def period_label(period: str) -> str:
    """"2025-06" as people write it: "2025年6月" (anything that is no period key unchanged)."""
    return Period.parse(period).label if Period.is_key(period) else period


def check_period(value: str) -> str:
    """A progress report's period: a month key (E409 otherwise)."""
    value = (value or "").strip()
    try:
        period = Period.parse(value)
    except ValueError:
        raise EduplanError(Errors.E409, value=value) from None
    if period.kind != PeriodKind.MONTH:
        raise EduplanError(Errors.E409, value=value)
    return period.key


def check_idempotency_key(value: str | None) -> str | None:
    """The key as stored, None for none; E454 if malformed."""
    if value is None or value == "":
        return None
    if not IDEMPOTENCY_KEY.match(value):
        raise EduplanError(Errors.E454, key=value[:80])
    return value


def _earlier_report(user, key: str | None, assignment: Assignment) -> ProgressReport | None:
    """The report this user already sent with ``key``: a retry gets it back, not a second one."""
    if key is None:
        return None
    earlier = ProgressReport.objects.select_related("unit", "created_by").filter(
        created_by=user, idempotency_key=key).first()
    if earlier is not None and earlier.assignment_id != assignment.pk:
        raise EduplanError(Errors.E455, key=key)
    return earlier


# What a report changes on its assignment.
REPORTED_FIELDS = ["latest_percent", "latest_state", "latest_report_at", "closed_at"]


def submit_report(assignment: Assignment, *, user, period: str, percent: object, state: str,
                  narrative: str, files: Sequence[UploadedFile] = (),
                  actuals: Sequence[ActualInput] = (), idempotency_key: str | None = None) -> ProgressReport:
    """Check everything first, then write report, files, actuals and the audit entry together.

    The caller has already checked that ``user`` may report on ``assignment``; reporting it
    done (which closes it) is checked here. With ``idempotency_key`` a repeated post (a retry,
    a double click) returns the report the first one made, even if that one closed the task.
    """
    key = check_idempotency_key(idempotency_key)
    earlier = _earlier_report(user, key, assignment)
    if earlier is not None:
        return earlier
    task = assignment.task
    if task.is_removed:
        raise EduplanError(Errors.E407, task=str(task))
    if assignment.closed_at is not None:
        raise EduplanError(Errors.E406, task=str(task))
    period = check_period(period)
    percent = parse_percent(percent)
    if state not in ProgressReport.State.values:
        raise EduplanError(Errors.E420, value=state, allowed="、".join(ProgressReport.State.values))
    if state == ProgressReport.State.DONE:
        check_can_close(user, assignment)
        percent = 100
    narrative = (narrative or "").strip()
    if not narrative:
        raise EduplanError(Errors.E415)
    if len(files) > MAX_FILES:
        raise EduplanError(Errors.E417, limit=MAX_FILES)
    for upload in files:
        check_upload(upload)
    values = []
    for actual in actuals:
        if actual.target.task_id != task.pk:
            raise EduplanError(Errors.E508, target=actual.target.pk)
        if str(actual.value).strip() == "":
            continue
        if actual.target.indicator_id is not None:
            raise EduplanError(Errors.E716, target=actual.target.metric)
        try:
            number = float(str(actual.value).strip().rstrip("%"))
        except ValueError:
            number = math.nan
        if not math.isfinite(number):  # "inf" and "nan" parse, but are no actual value
            raise EduplanError(Errors.E412, value=actual.value, target=actual.target.metric)
        values.append((actual.target, number))
    membership = getattr(user, "membership", None)
    unit = membership.unit if membership is not None else assignment.lead_unit
    bureau = task.plan.bureau  # read before the transaction: SQLite writers wait for it to end
    with keeping_states():  # atomic; the task's stored state is judged again before it commits
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        locked.task = task  # loaded already: the audit entry finds the bureau through it
        earlier = _earlier_report(user, key, assignment)  # a concurrent retry got the lock first
        if earlier is not None:
            return earlier
        if locked.closed_at is not None:  # closed by a concurrent report
            raise EduplanError(Errors.E406, task=str(task))
        try:
            # A savepoint with a key: the outer transaction survives its duplicate; without one
            # nothing here can be a duplicate, and a savepoint would be two more statements.
            with transaction.atomic(savepoint=key is not None):
                report = ProgressReport.objects.create(assignment=locked, period=period, state=state,
                                                       percent=percent, narrative=narrative, unit=unit,
                                                       created_by=user, idempotency_key=key,
                                                       typed_actuals={str(t.pk): v for t, v in values})
        except IntegrityError:
            earlier = _earlier_report(user, key, assignment)
            if earlier is None:
                raise
            return earlier
        for upload in files:
            _save_evidence(report, upload)
        if values:
            store_typed_actuals(values, bureau=bureau, period=period, user=user, report=report)
        locked.latest_percent, locked.latest_state, locked.latest_report_at = percent, state, report.created_at
        if state == ProgressReport.State.DONE:
            locked.closed_at = timezone.now()
        locked.save(update_fields=REPORTED_FIELDS)
        record(user, "progress.report", report, {}, {
            "period": period, "state": state, "percent": percent, "files": [f.name for f in files],
            "actuals": {t.metric: v for t, v in values}, "task": str(task),
        })
    # The caller's assignment as this report left it, without reading it again.
    for field in REPORTED_FIELDS:
        setattr(assignment, field, getattr(locked, field))
    return report


def store_evidence(evidence, upload: UploadedFile):
    """Save ``upload`` into an unsaved evidence row (its owner already set: a progress report's
    ``Evidence`` or supervision's photos and rectification evidence), with name, size and checksum."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = Path(upload.name or "file").name
    evidence.original_name, evidence.size, evidence.sha256 = name[:255], upload.size or 0, digest.hexdigest()
    evidence.file.save(name, upload, save=False)
    evidence.save()
    return evidence


def _save_evidence(report: ProgressReport, upload: UploadedFile) -> Evidence:
    return store_evidence(Evidence(report=report), upload)


def reopen(assignment: Assignment, *, user) -> None:
    """Let reporting continue on a closed assignment (the admin's or manager's call)."""
    with keeping_states():  # atomic; an open assignment can turn overdue or lagging again
        before = {"closed_at": assignment.closed_at.isoformat() if assignment.closed_at else None}
        assignment.closed_at = None
        assignment.save(update_fields=["closed_at"])
        record(user, "task.reopen", assignment, before, {"closed_at": None})
