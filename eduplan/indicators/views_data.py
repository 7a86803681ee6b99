"""Data-entry pages: a unit's forms, one form to fill in or review, and who has reported.

Thin on purpose, as the tracking pages: each view first finds the unit through
``access.readable_unit`` (404 outside the user's scope), checks the right to enter or review
with ``access``, and hands the work to ``collecting`` (drafts, submitting, reviewing) and
``completeness``. A service's ``EduplanError`` is shown as its one line with its code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from eduplan.errors import EduplanError, Errors
from eduplan.orgs.access import scope_for
from eduplan.orgs.models import OrgUnit
from eduplan.periods import Period
from eduplan.tracking import clock

from .access import check_may_enter, check_may_review, may_review, readable_unit
from .collecting import (
    FormRefused,
    Problem,
    accept,
    check_form,
    check_period_for,
    jumps,
    reports,
    save_draft,
    send_back,
    submission_for,
    submit,
)
from .completeness import NOT_STARTED, Completeness, UnitState, by_authority, completeness
from .models import DataElement, DataSet, DataValue, Submission

AWAITING_LIMIT = 100
# A form's state as a badge (the CSS classes of the task statuses).
STATE_CSS = {"": "not_started", Submission.State.DRAFT: "lagging", Submission.State.SUBMITTED: "on_track",
             Submission.State.RETURNED: "overdue", Submission.State.ACCEPTED: "done"}
LOCKED = (Submission.State.SUBMITTED, Submission.State.ACCEPTED)


@dataclass(frozen=True)
class FormLink:
    """One of a unit's forms on the home page: a data set for one period, and its state."""

    data_set: DataSet
    unit: OrgUnit
    period: Period
    state: str

    @property
    def label(self) -> str:
        return Submission.State(self.state).label if self.state else NOT_STARTED

    @property
    def css(self) -> str:
        return STATE_CSS[self.state]

    @property
    def locked(self) -> bool:
        return self.state in LOCKED


# ---------------------------------------------------------------- shared helpers

def visible_data_sets(unit: OrgUnit) -> QuerySet[DataSet]:
    """The shared catalogue's data sets and those of an authority above or below ``unit``."""
    above = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
    return DataSet.objects.filter(Q(bureau=None) | Q(bureau_id__in=above) | Q(bureau__path__startswith=unit.path))


def current_period(data_set: DataSet) -> Period:
    return Period.of(data_set.period_kind, clock.today())


def _refused(request: HttpRequest, error: EduplanError, status: int = 400) -> HttpResponse:
    return render(request, "indicators/data_refused.html", {"error": str(error), "nav": "data"}, status=status)


def _may_enter(user, unit: OrgUnit) -> bool:
    try:
        check_may_enter(user, unit)
    except PermissionDenied:
        return False
    return True


def _as_text(value: float) -> str:
    """A stored figure as it would be typed: 1530, 96.5."""
    return str(int(value)) if value.is_integer() else repr(value)


# ---------------------------------------------------------------- the home page

def _own_forms(unit: OrgUnit, data_sets: list[DataSet]) -> list[FormLink]:
    """Each data set the unit reports, for the current and the previous period."""
    wanted = [(d, p) for d in data_sets if reports(d, unit)
              for p in (current_period(d), current_period(d).previous())]
    states = {(ds, period): state for ds, period, state in Submission.objects.filter(
        unit=unit, data_set__in=[d for d, _ in wanted], period__in={p.key for _, p in wanted},
    ).values_list("data_set_id", "period", "state")}
    return [FormLink(d, unit, p, states.get((d.pk, p.key), "")) for d, p in wanted]


def _awaiting_review(user) -> list[Submission]:
    """Submitted forms the user may review, oldest first."""
    scope = scope_for(user)
    if not scope.can_assign:
        return []
    submitted = Submission.objects.filter(state=Submission.State.SUBMITTED).select_related("data_set", "unit")
    if not scope.everything:
        submitted = submitted.filter(unit__path__startswith=scope.unit_path).exclude(unit=scope.unit)
    return [s for s in submitted.order_by("submitted_at", "id")[:AWAITING_LIMIT] if may_review(user, s.unit)]


def _overview(unit: OrgUnit, data_sets: list[DataSet]) -> list[Completeness]:
    """Each data set's completeness within ``unit`` for its current period (for units above schools)."""
    if unit.kind == OrgUnit.Kind.SCHOOL:
        return []
    every = (completeness(d, unit, current_period(d).key) for d in data_sets)
    return [c for c in every if c.expected]


@login_required
def data_home(request: HttpRequest) -> HttpResponse:
    unit = readable_unit(request.user, None)
    data_sets = list(visible_data_sets(unit))
    return render(request, "indicators/data_home.html", {
        "unit": unit, "forms": _own_forms(unit, data_sets), "awaiting": _awaiting_review(request.user),
        "overview": _overview(unit, data_sets), "reviewer": scope_for(request.user).can_assign,
        "may_enter": _may_enter(request.user, unit), "nav": "data",
    })


# ---------------------------------------------------------------- one form

def _data_set_for(unit: OrgUnit, code: str) -> DataSet:
    data_set = visible_data_sets(unit).filter(code=code).first()
    if data_set is None:
        raise EduplanError(Errors.E714, data_set=code[:60])
    return data_set


def _checked_period(data_set: DataSet, unit: OrgUnit, period: str) -> str:
    if not reports(data_set, unit):
        raise EduplanError(Errors.E707, unit=unit.name, data_set=data_set.name)
    return check_period_for(data_set, period, clock.today())


def _shown_values(data_set: DataSet, unit: OrgUnit, period: str, submission: Submission) -> dict[str, str]:
    """What the fields show: the stored figures, overlaid with an open draft's text."""
    stored = DataValue.objects.filter(unit=unit, period=period, element__in=data_set.elements.all())
    shown = {code: _as_text(value) for code, value in stored.values_list("element__code", "value")}
    if submission.pk is not None and submission.state not in LOCKED:
        shown.update(submission.draft)
    return shown


def _field_rows(elements: list[DataElement], values: dict, problems: list[Problem]) -> list[dict]:
    return [{"element": e, "value": values.get(e.code, ""),
             "problems": [p.message for p in problems if p.element == e.code]} for e in elements]


def _render_form(request: HttpRequest, data_set: DataSet, unit: OrgUnit, period: str,
                 typed: dict | None = None, problems: list[Problem] | None = None) -> HttpResponse:
    submission = submission_for(data_set, unit, period)
    problems = problems or []
    values = typed if typed is not None else _shown_values(data_set, unit, period, submission)
    state = FormLink(data_set, unit, Period.parse(period), submission.state if submission.pk is not None else "")
    return render(request, "indicators/data_form.html", {
        "data_set": data_set, "unit": unit, "period": state.period, "submission": submission, "state": state,
        "rows": _field_rows(list(data_set.elements.all()), values, problems),
        "form_problems": [p.message for p in problems if not p.element],
        "editable": not state.locked and _may_enter(request.user, unit),
        "can_review": state.state == Submission.State.SUBMITTED and may_review(request.user, unit),
        "nav": "data",
    })


def _typed(request: HttpRequest, data_set: DataSet) -> dict[str, str]:
    return {code: request.POST.get(code, "") for code in data_set.elements.values_list("code", flat=True)}


def _save(request: HttpRequest, data_set: DataSet, unit: OrgUnit, period: str) -> HttpResponse:
    check_may_enter(request.user, unit)
    try:
        save_draft(data_set, unit, period, _typed(request, data_set), user=request.user)
    except EduplanError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, f"已保存草稿：{data_set.name}（{Period.parse(period).label}）")
    return redirect("data-form", data_set.code, unit.pk, period)


def _warn_of_jumps(request: HttpRequest, data_set: DataSet, unit: OrgUnit, period: str, typed: dict) -> None:
    numbers, _problems = check_form(data_set, typed)
    names = dict(data_set.elements.values_list("code", "name"))
    for code, warning in jumps(data_set, unit, period, numbers).items():
        messages.warning(request, f"{names[code]}：{warning}")


def _submit(request: HttpRequest, data_set: DataSet, unit: OrgUnit, period: str) -> HttpResponse:
    check_may_enter(request.user, unit)
    typed = _typed(request, data_set)
    try:
        submit(data_set, unit, period, typed, user=request.user)
    except FormRefused as refused:
        messages.error(request, str(refused))
        return _render_form(request, data_set, unit, period, typed=typed, problems=refused.problems)
    except EduplanError as err:
        messages.error(request, str(err))
        return redirect("data-form", data_set.code, unit.pk, period)
    messages.success(request, f"已提交：{data_set.name}（{Period.parse(period).label}），等待审核")
    _warn_of_jumps(request, data_set, unit, period, typed)
    return redirect("data-form", data_set.code, unit.pk, period)


def _accept(request: HttpRequest, data_set: DataSet, unit: OrgUnit, period: str) -> HttpResponse:
    check_may_review(request.user, unit)
    try:
        accept(submission_for(data_set, unit, period), user=request.user)
    except EduplanError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, f"已审核通过：{unit.name} {data_set.name}（{Period.parse(period).label}）")
    return redirect("data-form", data_set.code, unit.pk, period)


def _send_back(request: HttpRequest, data_set: DataSet, unit: OrgUnit, period: str) -> HttpResponse:
    check_may_review(request.user, unit)
    try:
        send_back(submission_for(data_set, unit, period), user=request.user, reason=request.POST.get("reason", ""))
    except EduplanError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, f"已退回：{unit.name} {data_set.name}（{Period.parse(period).label}）")
    return redirect("data-form", data_set.code, unit.pk, period)


ACTIONS: dict[str, Callable[[HttpRequest, DataSet, OrgUnit, str], HttpResponse]] = {
    "save": _save, "submit": _submit, "accept": _accept, "send_back": _send_back,
}


@login_required
def data_form(request: HttpRequest, data_set_code: str, unit_id: str, period: str) -> HttpResponse:
    unit = readable_unit(request.user, unit_id)
    try:
        data_set = _data_set_for(unit, data_set_code)
    except EduplanError as err:
        return _refused(request, err, status=404)
    try:
        period = _checked_period(data_set, unit, period)
    except EduplanError as err:
        return _refused(request, err)
    if request.method != "POST":
        return _render_form(request, data_set, unit, period)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return _refused(request, EduplanError(Errors.E720, action=action[:20]))
    return ACTIONS[action](request, data_set, unit, period)


# ---------------------------------------------------------------- completeness

def _chosen_data_set(unit: OrgUnit, code: str) -> DataSet:
    if code:
        return _data_set_for(unit, code)
    first = visible_data_sets(unit).first()
    if first is None:
        raise EduplanError(Errors.E714, data_set="—")
    return first


def _links(data_set: DataSet, period: str, rows: list[UnitState]) -> list[FormLink]:
    return [FormLink(data_set, row.unit, Period.parse(period), row.state) for row in rows]


@login_required
def data_completeness(request: HttpRequest) -> HttpResponse:
    unit = readable_unit(request.user, request.GET.get("unit"))
    context = {"unit": unit, "data_sets": visible_data_sets(unit), "nav": "data", "error": ""}
    try:
        data_set = _chosen_data_set(unit, request.GET.get("data_set", "").strip())
        period = request.GET.get("period", "").strip() or current_period(data_set).key
        context.update(data_set=data_set, period_key=period)
        period = check_period_for(data_set, period, clock.today())
    except EduplanError as err:
        context["error"] = str(err)
        return render(request, "indicators/data_completeness.html", context, status=400)
    whole = completeness(data_set, unit, period)
    context.update(period=Period.parse(period), period_key=period, whole=whole, parts=by_authority(whole),
                   rows=_links(data_set, period, whole.rows), missing=_links(data_set, period, whole.missing),
                   counts=[(label, whole.count(state)) for state, label in [("", NOT_STARTED),
                                                                            *Submission.State.choices]])
    return render(request, "indicators/data_completeness.html", context)
