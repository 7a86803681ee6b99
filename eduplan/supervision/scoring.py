"""Appraisal (目标管理考核): a unit's score for a year, computed from what it did, line by line.

``score`` is pure: the months a unit owed a progress report on each task it leads (with the
day it reported, if it did), its rectifications, the appraiser's adjustments and the bureau's
rules give the sheet. Rules, in the order of the sheet:

- 基础分 (base points);
- 按时填报: a monthly report made by its due day (the month's end + the grace days) adds
  ``on_time_points`` each, up to ``addition_cap`` in all;
- 迟报: a report made after its due day deducts ``late_points`` each;
- 逾期未填报: no report by its due day (and still none) deducts ``missing_points`` each;
- 整改逾期未完成: a rectification past its deadline and not yet signed off deducts
  ``unfinished_points`` each; a 重大 one also vetoes when ``critical_veto``;
- 考核人调整: the appraiser's additions and deductions, each with its reason;
- 一票否决: any veto makes the grade 不合格 whatever the points.

``sheet_for`` gathers those inputs from the tracked data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Min, Q

from eduplan.audit.log import record
from eduplan.errors import EduplanError, Errors
from eduplan.orgs.models import AUTHORITY_KINDS, OrgUnit
from eduplan.periods import Period, PeriodKind
from eduplan.tracking.clock import local_date
from eduplan.tracking.models import Assignment, ProgressReport

from .access import check_staff
from .models import AppraisalRules, Finding, Rectification, ScoreAdjustment
from .services import appraisal_rules_for

ON_TIME, LATE, MISSING, UNFINISHED, ADJUSTMENT, VETO = "on_time", "late", "missing", "unfinished", "adjustment", "veto"


@dataclass(frozen=True)
class Rules:
    base: Decimal = Decimal("100")
    on_time: Decimal = Decimal("0.2")
    addition_cap: Decimal = Decimal("5")
    late: Decimal = Decimal("0.5")
    missing: Decimal = Decimal("1")
    unfinished: Decimal = Decimal("2")
    critical_veto: bool = True
    excellent_at: Decimal = Decimal("90")
    pass_at: Decimal = Decimal("60")
    grace_days: int = 5

    @classmethod
    def of(cls, row: AppraisalRules) -> Rules:
        return cls(row.base_points, row.on_time_points, row.addition_cap, row.late_points, row.missing_points,
                   row.unfinished_points, row.critical_unfinished_veto, row.excellent_at, row.pass_at,
                   row.report_grace_days)


@dataclass(frozen=True)
class ReportSlot:
    """One month a unit owed a progress report on a task."""

    task: str
    period: str  # "2025-06"
    due: date
    reported_on: date | None = None


@dataclass(frozen=True)
class RectItem:
    text: str
    deadline: date
    closed_on: date | None = None
    critical: bool = False


@dataclass(frozen=True)
class Adjust:
    points: Decimal
    reason: str
    veto_item: str = ""
    by: str = ""


@dataclass(frozen=True)
class Line:
    code: str
    text: str  # "逾期未填报 2 次，各扣 1 分"
    points: Decimal
    count: int = 0
    details: tuple[str, ...] = ()

    @property
    def points_text(self) -> str:
        return ("+" if self.points > 0 else "") + points_text(self.points)


@dataclass
class Sheet:
    unit: str
    year: int
    base: Decimal
    lines: list[Line] = field(default_factory=list)
    vetoes: list[str] = field(default_factory=list)
    excellent_at: Decimal = Decimal("90")
    pass_at: Decimal = Decimal("60")

    @property
    def total(self) -> Decimal:
        return self.base + sum((line.points for line in self.lines), Decimal(0))

    @property
    def computed_total(self) -> Decimal:
        """The score before the appraiser's adjustments."""
        return self.base + sum((line.points for line in self.lines if line.code != ADJUSTMENT), Decimal(0))

    @property
    def grade(self) -> str:
        if self.vetoes:
            return "不合格（一票否决）"
        if self.total >= self.excellent_at:
            return "优秀"
        if self.total >= self.pass_at:
            return "合格"
        return "不合格"

    @property
    def total_text(self) -> str:
        return points_text(self.total)

    @property
    def base_text(self) -> str:
        return points_text(self.base)

    def line(self, code: str) -> Line | None:
        return next((line for line in self.lines if line.code == code), None)


def points_text(value: Decimal) -> str:
    """1 → "1", 0.50 → "0.5", -2 → "-2"."""
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in ("-0", "0") else text


def classify(slot: ReportSlot, as_of: date) -> str | None:
    """on_time, late, missing, or None: not due yet and not reported."""
    if slot.reported_on is None:
        return MISSING if slot.due < as_of else None
    return ON_TIME if slot.reported_on <= slot.due else LATE


def score(unit: str, year: int, *, slots: Sequence[ReportSlot], rectifications: Sequence[RectItem],
          adjustments: Sequence[Adjust], rules: Rules, as_of: date) -> Sheet:
    sheet = Sheet(unit, year, rules.base, excellent_at=rules.excellent_at, pass_at=rules.pass_at)
    kinds: dict[str, list[ReportSlot]] = {ON_TIME: [], LATE: [], MISSING: []}
    for slot in slots:
        kind = classify(slot, as_of)
        if kind is not None:
            kinds[kind].append(slot)

    def detail(slot: ReportSlot) -> str:
        label = Period.parse(slot.period).label
        when = f"{slot.reported_on:%Y-%m-%d}填报" if slot.reported_on else "未填报"
        return f"“{slot.task}” {label}（应于 {slot.due:%Y-%m-%d} 前，{when}）"

    on_time = kinds[ON_TIME]
    if on_time:
        raw = rules.on_time * len(on_time)
        points = min(raw, rules.addition_cap)
        text = f"按时填报进展 {len(on_time)} 次，各加 {points_text(rules.on_time)} 分"
        if points < raw:
            text += f"，加分以 {points_text(rules.addition_cap)} 分为限"
        sheet.lines.append(Line(ON_TIME, text, points, len(on_time), tuple(detail(s) for s in on_time)))
    for code, label, each in ((LATE, "迟报进展", rules.late), (MISSING, "逾期未填报", rules.missing)):
        items = kinds[code]
        if items:
            sheet.lines.append(Line(code, f"{label} {len(items)} 次，各扣 {points_text(each)} 分",
                                    -each * len(items), len(items), tuple(detail(s) for s in items)))
    unfinished = [r for r in rectifications if r.deadline < as_of and r.closed_on is None]
    if unfinished:
        sheet.lines.append(Line(
            UNFINISHED, f"整改逾期未完成 {len(unfinished)} 项，各扣 {points_text(rules.unfinished)} 分",
            -rules.unfinished * len(unfinished), len(unfinished),
            tuple(f"{r.text}（整改时限 {r.deadline:%Y-%m-%d}）" for r in unfinished)))
        if rules.critical_veto and any(r.critical for r in unfinished):
            sheet.vetoes.append("重大隐患逾期未整改")
    for adjust in adjustments:
        if adjust.veto_item:
            sheet.vetoes.append(f"{adjust.veto_item}（{adjust.reason}）")
        if adjust.points:
            sign = "+" if adjust.points > 0 else ""
            sheet.lines.append(Line(ADJUSTMENT, f"考核人调整 {sign}{points_text(adjust.points)} 分：{adjust.reason}",
                                    adjust.points, 1, (f"考核人：{adjust.by}",) if adjust.by else ()))
    for veto in sheet.vetoes:
        sheet.lines.append(Line(VETO, f"一票否决：{veto}", Decimal(0), 1))
    return sheet


# ---------------------------------------------------------------- from the tracked data

def _assignments(year: int):
    """The assignments of live tasks that run into ``year``."""
    return (Assignment.objects.filter(task__removed_in_version__isnull=True, start_date__lte=date(year, 12, 31),
                                      deadline__gte=date(year, 1, 1))
            .select_related("task").order_by("task__order", "id"))


def _first_reports(assignment_ids: Sequence[int]) -> dict[tuple[int, str], object]:
    """The first report of each assignment and month, read once for all of them."""
    return {(a, period): moment for a, period, moment in
            ProgressReport.objects.filter(assignment_id__in=list(assignment_ids)).values("assignment_id", "period")
            .annotate(first=Min("created_at")).values_list("assignment_id", "period", "first")}


def _slots(assignments: Sequence[Assignment], first_reports: dict, year: int, as_of: date,
           grace_days: int) -> list[ReportSlot]:
    slots = []
    for assignment in assignments:
        first = max(assignment.start_date, date(year, 1, 1))
        last = min(assignment.deadline, date(year, 12, 31), as_of)
        if assignment.closed_at is not None:
            last = min(last, local_date(assignment.closed_at))
        if last < first:
            continue
        for month in Period.span(Period.of(PeriodKind.MONTH, first), Period.of(PeriodKind.MONTH, last)):
            due = month.end + timedelta(days=grace_days)
            moment = first_reports.get((assignment.id, month.key))
            reported_on = _day(moment, as_of) if moment is not None else None
            if reported_on is None and due >= as_of:
                continue  # not due yet
            slots.append(ReportSlot(str(assignment.task.title), month.key, due, reported_on))
    return slots


def report_slots(unit: OrgUnit, year: int, as_of: date, grace_days: int) -> list[ReportSlot]:
    """Each month of ``year`` up to ``as_of`` in which the unit owed a report on a task it leads."""
    assignments = list(_assignments(year).filter(lead_unit=unit))
    return _slots(assignments, _first_reports([a.pk for a in assignments]), year, as_of, grace_days)


def _day(moment, as_of: date) -> date:
    """The local day of a timestamp, never after ``as_of``: with the clock fixed
    (EDUPLAN_TODAY) what is written now happens, for the platform, on the fixed day."""
    return min(local_date(moment), as_of)


def _rect_item(r: Rectification) -> RectItem:
    return RectItem(f"{r.finding.round.title}：{r.finding.description[:40]}", r.deadline,
                    _day(r.closed_at, date.max) if r.closed_at else None,
                    r.finding.severity == Finding.Severity.CRITICAL)


def _rectifications(year: int):
    return Rectification.objects.filter(deadline__year=year).select_related("finding", "finding__round")


def rect_items(unit: OrgUnit, year: int) -> list[RectItem]:
    return [_rect_item(r) for r in _rectifications(year).filter(assignee_unit=unit)]


def _adjust(a: ScoreAdjustment) -> Adjust:
    return Adjust(a.points, a.reason, a.veto_item, a.created_by.first_name or a.created_by.username)


def adjustments_of(unit: OrgUnit, year: int) -> list[Adjust]:
    return [_adjust(a) for a in ScoreAdjustment.objects.filter(unit=unit, year=year).select_related("created_by")]


def _bureau_id(unit: OrgUnit) -> int:
    """``unit.bureau().pk`` without reading the bureau."""
    return unit.pk if unit.owning_bureau_id in (None, unit.pk) else unit.owning_bureau_id


def sheet_for(unit: OrgUnit, year: int, as_of: date) -> Sheet:
    return sheets_for([unit], year, as_of)[0]


def sheets_for(units: Sequence[OrgUnit], year: int, as_of: date) -> list[Sheet]:
    """``sheet_for`` of each unit, in order, each kind of input read once for all of them
    (the appraisal list and its export: a handful of queries, not a handful per unit)."""
    units = list(units)
    if not units:
        return []
    ids = [unit.pk for unit in units]
    stored = {row.bureau_id: row for row in AppraisalRules.objects.filter(bureau_id__in={_bureau_id(u) for u in units})}
    defaults = Rules.of(AppraisalRules())
    assignments = list(_assignments(year).filter(lead_unit_id__in=ids))
    first_reports = _first_reports([a.pk for a in assignments])
    led: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        led[assignment.lead_unit_id].append(assignment)
    rects: dict[int, list[RectItem]] = defaultdict(list)
    for r in _rectifications(year).filter(assignee_unit_id__in=ids):
        rects[r.assignee_unit_id].append(_rect_item(r))
    adjusts: dict[int, list[Adjust]] = defaultdict(list)
    for a in ScoreAdjustment.objects.filter(unit_id__in=ids, year=year).select_related("created_by"):
        adjusts[a.unit_id].append(_adjust(a))
    sheets = []
    for unit in units:
        row = stored.get(_bureau_id(unit))
        rules = Rules.of(row) if row is not None else defaults
        sheets.append(score(unit.name, year, slots=_slots(led[unit.pk], first_reports, year, as_of, rules.grace_days),
                            rectifications=rects[unit.pk], adjustments=adjusts[unit.pk], rules=rules, as_of=as_of))
    return sheets


def appraised_units(bureau: OrgUnit, year: int, within: str = "") -> list[OrgUnit]:
    """The bureau's units with work in ``year``: tasks they lead or rectifications they own."""
    led = Assignment.objects.filter(start_date__lte=date(year, 12, 31), deadline__gte=date(year, 1, 1),
                                    task__removed_in_version__isnull=True).values("lead_unit_id")
    rectifying = Rectification.objects.filter(deadline__year=year).values("assignee_unit_id")
    units = (OrgUnit.objects.filter(owning_bureau=bureau, path__startswith=within or bureau.path)
             .exclude(kind__in=AUTHORITY_KINDS).filter(Q(pk__in=led) | Q(pk__in=rectifying)))
    return list(units.order_by("path"))


def parse_year(value: object) -> int:
    """A four-digit year in the range every period keeps (E873 otherwise). ``isdigit`` alone
    takes superscripts and other scripts' digits, which ``int`` or ``date`` then refuse."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise EduplanError(Errors.E873, value=text[:20])
    try:
        return Period(PeriodKind.YEAR, int(text)).year
    except ValueError:  # 0000, 1899, 3000: no period of eduplan
        raise EduplanError(Errors.E879, value=text) from None


def adjust_score(unit: OrgUnit, year: int, *, user, points: object, reason: str, veto_item: str = "",
                 as_of: date) -> ScoreAdjustment:
    """The appraiser adds or deducts points (or applies a veto) with a reason; audited with the
    total before and after."""
    bureau = unit.bureau()
    check_staff(user, bureau, "调整考核得分")
    reason = (reason or "").strip()
    if not reason:
        raise EduplanError(Errors.E868)
    try:
        value = Decimal(str(points if points not in (None, "") else "0").strip())
    except InvalidOperation:
        raise EduplanError(Errors.E869, value=points) from None
    if not value.is_finite() or not Decimal(-100) <= value <= Decimal(100):
        raise EduplanError(Errors.E869, value=points)
    allowed = appraisal_rules_for(bureau).veto_list()
    if veto_item and veto_item not in allowed:
        raise EduplanError(Errors.E872, value=veto_item, allowed="、".join(allowed))
    before = sheet_for(unit, year, as_of)
    with transaction.atomic():
        adjustment = ScoreAdjustment.objects.create(bureau=bureau, unit=unit, year=year, points=value.quantize(
            Decimal("0.01")), veto_item=veto_item, reason=reason, created_by=user)
        after = sheet_for(unit, year, as_of)
        record(user, "appraisal.adjust", adjustment, {"total": points_text(before.total), "grade": before.grade},
               {"total": points_text(after.total), "grade": after.grade, "points": points_text(value),
                "veto_item": veto_item, "reason": reason, "unit": unit.name, "year": year})
    return adjustment

