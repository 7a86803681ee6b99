"""Collecting data sets: a unit's form for a period, drafted, submitted, sent back, accepted.

``check_form`` applies the rules a form must pass (required figures, each element's type and
range, a part never larger than its whole); ``jumps`` lists figures that moved sharply since
the last period (shown as warnings, not refused). ``save_draft`` keeps what was typed, even
unfinished; ``submit`` checks everything and writes the figures as data values; a reviewer
``accept``s or ``send_back``s with a reason. Web form, xlsx upload and API all call these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from eduplan.audit.log import record
from eduplan.errors import EduplanError, Errors
from eduplan.orgs.models import OrgUnit
from eduplan.periods import Period

from .formula import parse_sum
from .models import DataElement, DataSet, DataValue, Indicator, Submission
from .values import NewValue, read_number, store_values

# A figure that moved by more than this share since the last period is flagged for a second look.
JUMP_SHARE = 0.5


@dataclass(frozen=True)
class Problem:
    element: str  # element code ("" for the whole form)
    message: str  # one line, with its code


def reports(data_set: DataSet, unit: OrgUnit) -> bool:
    """Whether ``unit`` fills in ``data_set``: schools of its levels, or authorities for a
    data set without levels."""
    if not data_set.school_levels:
        return unit.is_authority
    return unit.kind == OrgUnit.Kind.SCHOOL and unit.school_level in data_set.school_levels


def expected_units(data_set: DataSet, unit: OrgUnit, period: str) -> list[OrgUnit]:
    """Who should have reported ``data_set`` for ``period`` within ``unit``: active units of
    the right kind that had opened by the period's end."""
    end = Period.parse(period).end
    below = OrgUnit.objects.filter(path__startswith=unit.path, active=True)
    if data_set.school_levels:
        below = below.filter(kind=OrgUnit.Kind.SCHOOL, school_level__in=data_set.school_levels)
    else:
        below = below.filter(kind__in=[OrgUnit.Kind.PROVINCE, OrgUnit.Kind.CITY, OrgUnit.Kind.BUREAU])
    return [u for u in below.order_by("path") if u.opened is None or u.opened <= end]


def check_period_for(data_set: DataSet, period: str, today: date) -> str:
    try:
        parsed = Period.parse(period)
    except ValueError:
        raise EduplanError(Errors.E704, value=str(period)[:20]) from None
    if parsed.kind != data_set.period_kind:
        raise EduplanError(Errors.E711, period=period, kind=parsed.kind.label)
    if parsed.start > today:
        raise EduplanError(Errors.E715, period=period, today=today.isoformat())
    return parsed.key


def _bounded_pairs(elements: Mapping[str, DataElement]) -> list[tuple[str, str]]:
    """(part, whole) element codes from the indicators marked bounded, where both sides are a
    single element of this form."""
    pairs = []
    for indicator in Indicator.objects.filter(bounded=True):
        numerator, denominator = parse_sum(indicator.numerator), parse_sum(indicator.denominator)
        whole = [code for sign, code in denominator if sign > 0]
        if len(whole) != 1 or whole[0] not in elements:
            continue
        parts = [code for sign, code in numerator if sign > 0 and code in elements]
        if len(parts) == len(numerator):
            pairs.extend((part, whole[0]) for part in parts)
    return pairs


def check_form(data_set: DataSet, typed: Mapping[str, object]) -> tuple[dict[str, float], list[Problem]]:
    """The form's figures as numbers, and every problem found (empty when it may be submitted)."""
    elements = {e.code: e for e in data_set.elements.all()}
    numbers: dict[str, float] = {}
    problems: list[Problem] = []
    for code, element in elements.items():
        text = _typed_text(typed.get(code)).strip()
        if text == "":
            problems.append(Problem(code, Errors.E705.render(element=element.name)))
            continue
        try:
            numbers[code] = read_number(text, element)
        except EduplanError as error:
            problems.append(Problem(code, str(error)))
    for part, whole in _bounded_pairs(elements):
        if part in numbers and whole in numbers and numbers[part] > numbers[whole]:
            problems.append(Problem(part, Errors.E706.render(
                numerator=elements[part].name, num=f"{numbers[part]:g}", denominator=elements[whole].name,
                den=f"{numbers[whole]:g}")))
    return numbers, problems


def _typed_text(value: object) -> str:
    """A figure as typed; only a missing one is blank (0 is a figure)."""
    return "" if value is None else str(value)


def jumps(data_set: DataSet, unit: OrgUnit, period: str, numbers: Mapping[str, float]) -> dict[str, str]:
    """Figures that moved by more than half since the previous period: code → a warning."""
    try:
        previous = Period.parse(period).previous().key
    except ValueError:
        return {}  # the first period there can be
    before = dict(DataValue.objects.filter(unit=unit, period=previous, element__code__in=list(numbers))
                  .values_list("element__code", "value"))
    warnings = {}
    for code, value in numbers.items():
        old = before.get(code)
        if old and abs(value - old) > JUMP_SHARE * abs(old):
            warnings[code] = f"与上期（{previous}）的 {old:g} 相比变化超过 {int(JUMP_SHARE * 100)}%，请核实"
    return warnings


def submission_for(data_set: DataSet, unit: OrgUnit, period: str) -> Submission:
    """The unit's form for the period (a new, unsaved draft if there is none)."""
    found = Submission.objects.filter(data_set=data_set, unit=unit, period=period).first()
    return found or Submission(data_set=data_set, unit=unit, period=period)


def _editable(submission: Submission) -> None:
    if submission.state in (Submission.State.SUBMITTED, Submission.State.ACCEPTED):
        raise EduplanError(Errors.E708, data_set=submission.data_set.name, period=submission.period)


@transaction.atomic
def save_draft(data_set: DataSet, unit: OrgUnit, period: str, typed: Mapping[str, object], *, user) -> Submission:
    """Keep what was typed, checked or not: nothing a user entered is lost."""
    submission = submission_for(data_set, unit, period)
    _editable(submission)
    submission.draft = {code: _typed_text(typed.get(code))[:40] for code in
                        data_set.elements.values_list("code", flat=True)}
    if submission.state != Submission.State.RETURNED:
        submission.state = Submission.State.DRAFT
    submission.updated_by = user
    submission.save()
    return submission


def submit(data_set: DataSet, unit: OrgUnit, period: str, typed: Mapping[str, object], *, user,
           source: str = "form") -> Submission:
    """Check the whole form, then write its figures and mark it submitted. A form with
    problems raises ``FormRefused`` (every problem, each for its field) and stays a draft —
    unless the caller's own transaction (an all-or-nothing upload) rolls it back."""
    if not reports(data_set, unit):
        raise EduplanError(Errors.E707, unit=unit.name, data_set=data_set.name)
    submission = save_draft(data_set, unit, period, typed, user=user)
    numbers, problems = check_form(data_set, typed)
    if problems:
        raise FormRefused(problems, submission)
    elements = {e.code: e for e in data_set.elements.all()}
    with transaction.atomic():
        store_values([NewValue(elements[code], unit, period, number) for code, number in numbers.items()],
                     user=user, source=source)
        submission.state = Submission.State.SUBMITTED
        submission.submitted_at = timezone.now()
        submission.review_note = ""
        submission.save()
        record(user, "data.submit", submission, {}, {"data_set": data_set.code, "unit": unit.name,
                                                     "period": period, "source": source})
    return submission


class FormRefused(EduplanError):
    """A form with problems: every problem, each for its field; the draft was kept."""

    def __init__(self, problems: list[Problem], submission: Submission) -> None:
        self.problems = problems
        self.submission = submission
        first = problems[0].message
        super().__init__(Errors.E717, count=len(problems), first=first)


def _review(submission: Submission, *, user, state: str, note: str) -> Submission:
    if submission.state != Submission.State.SUBMITTED:
        raise EduplanError(Errors.E709, state=submission.get_state_display())
    submission.state = state
    submission.reviewed_by = user
    submission.review_note = note[:500]
    submission.save()
    record(user, f"data.{state}", submission, {}, {"state": state, "note": note[:500]})
    return submission


@transaction.atomic
def accept(submission: Submission, *, user) -> Submission:
    return _review(submission, user=user, state=Submission.State.ACCEPTED, note="")


@transaction.atomic
def send_back(submission: Submission, *, user, reason: str) -> Submission:
    """Back to the unit for correction, with the reason; its figures stay until corrected."""
    reason = (reason or "").strip()
    if not reason:
        raise EduplanError(Errors.E710)
    return _review(submission, user=user, state=Submission.State.RETURNED, note=reason)
