"""Progress reports on an assignment: JSON, or multipart with evidence files."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from eduplan.errors import EduplanError, Errors
from eduplan.tracking.access import get_assignment_for_report
from eduplan.tracking.models import Assignment
from eduplan.tracking.progress import ActualInput, submit_report

from ..auth import current_user
from ..schemas import WRITE_ERRORS, IdempotencyKey, PathId, ReportForm, ReportIn, ReportOut
from .tasks import report_out

router = Router(tags=["reports 进展"])


def _actuals(assignment: Assignment, values: Mapping[int, object]) -> list[ActualInput]:
    if not values:
        return []
    targets = {t.pk: t for t in assignment.task.targets.filter(removed_in_version__isnull=True)}
    missing = [target_id for target_id in values if target_id not in targets]
    if missing:
        raise EduplanError(Errors.E508, target=missing[0])
    return [ActualInput(targets[target_id], str(value)) for target_id, value in values.items()]


def _submit(request: HttpRequest, assignment_id: int, report: ReportIn, idempotency_key: str | None,
            files: Sequence[UploadedFile] = ()) -> Status:
    user = current_user(request)
    assignment = get_assignment_for_report(user, assignment_id)
    saved = submit_report(assignment, user=user, period=report.period, percent=report.percent,
                          state=report.state, narrative=report.narrative, files=files,
                          actuals=_actuals(assignment, report.actuals), idempotency_key=idempotency_key)
    prefetch_related_objects([saved], "evidence")  # its unit and author come with it
    return Status(201, report_out(saved))


@router.post("/assignments/{int:assignment_id}/reports", response={201: ReportOut, **WRITE_ERRORS},
             summary="填报进展 / report progress")
def post_report(request: HttpRequest, assignment_id: PathId, report: ReportIn,
                idempotency_key: IdempotencyKey = None) -> Status:
    """State ``done`` closes the assignment (100%): only the lead unit or an assigner may (E456, 403);
    a closed one takes no more reports (E406). A retry with the same ``Idempotency-Key`` answers
    the first report again (201) instead of adding another."""
    return _submit(request, assignment_id, report, idempotency_key)


@router.post("/assignments/{int:assignment_id}/reports/with-files", response={201: ReportOut, **WRITE_ERRORS},
             summary="填报进展并上传佐证材料（multipart） / report progress with evidence files")
def post_report_with_files(request: HttpRequest, assignment_id: PathId, form: Form[ReportForm],
                           files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
                           idempotency_key: IdempotencyKey = None) -> Status:
    """The same as the JSON form, with up to 10 evidence files under ``files``."""
    try:
        report = ReportIn(period=form.period, percent=form.percent, narrative=form.narrative, state=form.state,
                          actuals=json.loads(form.actuals or "{}"))
    except ValueError as err:  # bad JSON, or pydantic's ValidationError (a ValueError)
        raise EduplanError(Errors.E506, detail=f"actuals: {err}".splitlines()[0]) from None
    return _submit(request, assignment_id, report, idempotency_key, files or ())
