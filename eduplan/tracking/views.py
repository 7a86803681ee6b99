"""Tracking pages: plans and their import, assignment, tasks, progress reports, evidence.

Thin on purpose: every view starts with an access helper (``tracking.access`` or the
scope), hands the work to the services (importing, assigning, progress, warnings) and only
shapes what the templates show. A service's ``EduplanError`` is shown as its one line and
changes nothing; ``PermissionDenied`` is a 403 and ``Http404`` a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from eduplan.audit.log import history
from eduplan.caching import cached, cached_structure
from eduplan.errors import EduplanError
from eduplan.orgs.access import Scope, scope_for
from eduplan.orgs.models import OrgUnit
from eduplan.plan import ParsedSource
from eduplan.plan import model as parsed_model
from eduplan.plan.render_xlsx import task_rows

from . import clock, corrections, display, state_store
from .access import (
    assigned_within,
    check_can_assign,
    check_can_change,
    check_can_correct,
    get_assignment_for_report,
    get_plan_for_user,
    get_task_for_user,
    may_close,
    may_correct,
    reportable_assignments,
    visible_assignments,
    visible_plans,
    visible_tasks,
)
from .assigning import (
    assign_task,
    assignable_units,
    bulk_assign,
    mark_milestone,
    possible_owners,
    suggestions_for,
)
from .filters import search_tasks
from .forms import (
    COMPARATORS,
    DIRECTION_CHOICES,
    AssignForm,
    BulkAssignForm,
    CorrectionForm,
    FilterOptions,
    PlanUploadForm,
    ReportForm,
    TaskFilterForm,
    filter_options,
)
from .highlight import Span, highlight
from .importing import (
    import_parsed,
    load_parsed,
    number_of,
    parsed_path,
    plan_changes,
    read_upload,
    remove_stale_uploads,
    save_parsed,
)
from .models import (
    Assignment,
    Correction,
    Evidence,
    Measure,
    Milestone,
    PendingImport,
    Plan,
    ProgressReport,
    Section,
    Target,
    Task,
)
from .progress import ActualInput, reopen, submit_report
from .rows import TaskRow
from .warnings import TaskState, latest_actuals, task_states

PAGE_SIZE = 50


# ---------------------------------------------------------------- shared helpers

def _posted(request: HttpRequest) -> tuple:
    """(data, files) of a POST, or (None, None): a form is bound only when something was sent."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _bureau_of(scope: Scope) -> OrgUnit | None:
    """The bureau the user works in (None for a superuser without a unit: every bureau)."""
    return scope.unit.bureau() if scope.unit is not None else None


def _lead_units(scope: Scope, bureau: OrgUnit) -> QuerySet[OrgUnit]:
    """Units this user may hand work to: the bureau's units within the user's scope."""
    return assignable_units(bureau).filter(path__startswith=scope.unit_path)


def _can_assign(user, task: Task) -> bool:
    try:
        check_can_assign(user, task)
    except PermissionDenied:
        return False
    return True


# ---------------------------------------------------------------- plans

@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    plans = list(visible_plans(scope).select_related("imported_by"))
    counts = dict(visible_tasks(scope).order_by().values_list("plan").annotate(n=Count("id")))
    for plan in plans:
        plan.visible_tasks = counts.get(plan.pk, 0)
    return render(request, "tracking/plan_list.html", {"plans": plans, "nav": "plans"})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    scope = scope_for(request.user)
    tasks = list(visible_tasks(scope).filter(plan=plan).select_related("plan", "plan__bureau", "section")
                 .order_by("order"))
    states = task_states(tasks, clock.today())
    sections: dict[int | None, list[TaskState]] = {}
    for state in states:
        sections.setdefault(state.task.section_id, []).append(state)
    outline = [(None, sections[None])] if None in sections else []
    outline += [(s, sections[s.pk]) for s in plan.sections.all() if s.pk in sections]
    targets = Target.objects.filter(task__plan=plan, task__removed_in_version__isnull=True,
                                    removed_in_version__isnull=True)
    spans = [Span(t.start, t.end, f"target-{t.pk}", f"指标：{t.metric} 目标：{display.goal(t)}") for t in targets]
    end = plan.end or len(plan.source_text)
    can_correct = may_correct(request.user, plan.bureau)
    fixes = _saved_corrections(plan, [s.task for s in states]) if can_correct else {}
    items, section_items = fixes.get("correct_items", {}), fixes.get("section_items", {})
    outline = [(section, section_items.get(section.pk) if section else None,
                [(state, items.get(state.task.pk)) for state in rows]) for section, rows in outline]
    return render(request, "tracking/plan_detail.html", {
        "plan": plan, "outline": outline, "task_count": len(states), "nav": "plans",
        "source": highlight(plan.source_text[plan.start:end], spans, plan.start),
        "target_count": len(spans), "can_assign": scope.can_assign and bool(states),
        "can_import": scope.can_import and scope.covers(plan.bureau),
        "can_correct": can_correct, "correct_url": reverse("plan-correct", args=[plan.pk]), **CORRECTION_CHOICES,
        "corrections": fixes.get("corrections", []), "reported_count": fixes.get("reported_count", 0),
        "plan_kinds": Plan.Kind.choices,
    })


def _saved_corrections(plan: Plan, tasks: list[Task]) -> dict:
    """What the plan page offers the bureau admin: controls on every task without progress
    reports (and on the sections), and the corrections made so far."""
    reported = corrections.reported_task_ids(plan)
    measures: dict[int, list] = {}
    for measure in Measure.objects.filter(task__in=tasks, removed_in_version__isnull=True):
        measures.setdefault(measure.task_id, []).append({"start": measure.start, "text": measure.text})
    targets: dict[int, list] = {}
    for target in Target.objects.filter(task__in=tasks, removed_in_version__isnull=True):
        targets.setdefault(target.task_id, []).append(_target_item(
            target.start, target.quote, target.metric, target.comparator, target.direction,
            [target.value, target.value_high] if target.comparator == "range" else target.value, target.unit))
    items = {task.pk: {"start": task.start, "title": task.title, "kind": "task",
                       "measures": measures.get(task.pk, []), "targets": targets.get(task.pk, [])}
             for task in tasks if task.pk not in reported}
    sections = {s.pk: {"start": s.start, "title": s.title, "kind": "section", "measures": [], "targets": []}
                for s in plan.sections.all()}
    return {"correct_items": items, "section_items": sections, "reported_count": len(reported),
            "corrections": _correction_rows(Correction.objects.filter(plan=plan).select_related("author"))}


def _target_item(start: int, quote: str, metric: str, comparator: str, direction: str, value, unit: str) -> dict:
    low, high = value if isinstance(value, list | tuple) else (value, None)
    shown = f"{display.number(low)}–{display.number(high)}" if high is not None else display.number(low)
    sign = "" if comparator == "range" else display.SIGNS.get(comparator, comparator)
    return {"start": start, "quote": quote, "metric": metric, "comparator": comparator, "direction": direction,
            "value": display.number(low), "value_high": display.number(high) if high is not None else "",
            "unit": unit, "goal": f"{display.DIRECTIONS.get(direction, '')}{sign}{shown}{unit}"}


CORRECTION_CHOICES = {"comparators": COMPARATORS, "directions": DIRECTION_CHOICES}


def _correction_rows(rows) -> list[dict]:
    return [{"row": row, "before": corrections.describe(row.kind, row.parser_said),
             "after": corrections.describe(row.kind, row.person_said)} for row in rows]


@login_required
@require_POST
def plan_correct(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    check_can_correct(request.user, plan.bureau)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            row = corrections.correct_plan(plan, user=request.user, kind=form.cleaned_data["kind"],
                                           at=form.cleaned_data["at"] or 0, said=form.said())
        except EduplanError as err:
            messages.error(request, str(err))
        else:
            messages.success(request, f"已更正：{row.get_kind_display()}（{row.quote[:30]}）")
    return redirect("plan-detail", pk=plan.pk)


def _form_errors(request: HttpRequest, form: CorrectionForm) -> None:
    for field_name, errors in form.errors.items():
        label = form.fields[field_name].label if field_name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


# ---------------------------------------------------------------- importing plans

def _import_scope(user) -> Scope:
    scope = scope_for(user)
    if not scope.can_import:
        raise PermissionDenied("只有管理员（局办公室）可以导入计划")
    return scope


def _import_bureau(scope: Scope, replaces: Plan | None = None) -> OrgUnit | None:
    if replaces is not None:
        return replaces.bureau
    if scope.unit is not None:
        return scope.unit  # an admin's scope is its whole bureau
    # A superuser belongs to no bureau: with one bureau it is that one; with several, a guess
    # would file the plan under the wrong district, so the upload is refused.
    bureaus = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.BUREAU)[:2])
    return bureaus[0] if len(bureaus) == 1 else None


def _parse_pending(pending: PendingImport) -> ParsedSource:
    """The parse kept with the stored upload. A pending import stored before parses were
    kept is parsed now, once (errors name the file as uploaded, not the server's copy)."""
    stored = Path(pending.file.path)
    parsed = load_parsed(parsed_path(stored))
    if parsed is None:
        parsed = read_upload(stored, pending.source_name)
        save_parsed(parsed, parsed_path(stored))
    return parsed


def _discard(pending: PendingImport) -> None:
    if pending.file:
        parsed_path(Path(pending.file.path)).unlink(missing_ok=True)
        pending.file.delete(save=False)
    if pending.pk is not None:
        pending.delete()


@login_required
def plan_import(request: HttpRequest) -> HttpResponse:
    scope = _import_scope(request.user)
    bureau = _import_bureau(scope)
    plans = visible_plans(scope).filter(bureau=bureau) if bureau else Plan.objects.none()
    form = PlanUploadForm(*_posted(request), plans=plans,
                          initial={"replaces": request.GET.get("replaces")})
    if request.method == "POST" and form.is_valid():
        replaces = form.cleaned_data["replaces"]
        bureau = _import_bureau(scope, replaces)
        if bureau is None:
            form.add_error(None, "无法确定导入到哪个教育局：请以该局管理员的账号导入（系统中没有教育局时，请先在“系统管理”中建立）")
        else:
            upload = form.cleaned_data["file"]
            remove_stale_uploads()  # what killed imports left behind; no cron job needed
            pending = PendingImport(bureau=bureau, uploaded_by=request.user, replaces=replaces,
                                    source_name=Path(upload.name).name[:255])
            try:
                pending.file.save(Path(upload.name).name, upload, save=False)
                stored = Path(pending.file.path)
                save_parsed(read_upload(stored, pending.source_name), parsed_path(stored))
                pending.save()  # last: a killed import leaves no row, only files the sweep removes
            except EduplanError as err:
                _discard(pending)
                form.add_error("file", str(err))
            except BaseException:
                _discard(pending)
                raise
            else:
                return redirect("plan-import-review", pk=pending.pk)
    unfinished = PendingImport.objects.filter(uploaded_by=request.user).order_by("-created_at")
    return render(request, "tracking/plan_import.html", {"form": form, "unfinished": unfinished, "nav": "plans"})


@dataclass
class ReviewSection:
    label: str
    title: str
    tasks: list[dict] = field(default_factory=list)
    start: int = -1  # where its heading stands in the text; -1: no heading (content before any)

    @property
    def item(self) -> dict:
        """The section heading as the correction controls need it."""
        return {"start": self.start, "title": self.title, "kind": "section", "measures": [], "targets": []}


@dataclass
class ReviewPlan:
    plan: parsed_model.Plan
    kind: str
    sections: list[ReviewSection]
    doubtful: list[dict] = field(default_factory=list)  # least sure first: a person checks these before saving

    @property
    def task_count(self) -> int:
        return sum(1 for s in self.sections for t in s.tasks if t["kind"] == "task")

    @property
    def target_count(self) -> int:
        return sum(len(t["targets"]) for s in self.sections for t in s.tasks)


def _review(plan: parsed_model.Plan) -> ReviewPlan | None:
    """What the importer will store of this plan: the sections and task rows of its breakdown
    (group headings too, shown between the tasks, so that they can be corrected)."""
    sections: list[ReviewSection] = []
    for row in task_rows(plan):
        if row.kind == "section":
            sections.append(ReviewSection(row.label, row.title, start=row.start))
        elif row.kind in ("task", "group"):
            if not sections:
                sections.append(ReviewSection("", ""))
            sections[-1].tasks.append({
                "number": number_of(row), "title": row.title, "kind": row.kind, "start": row.start,
                "measures": [{"start": m.start, "text": m.text} for m in row.measures],
                "targets": [_target_item(t.start, t.quote, t.metric, t.comparator, t.direction, t.value, t.unit)
                            for t in row.targets]})
    sections = [s for s in sections if any(t["kind"] == "task" for t in s.tasks)]
    if not sections:
        return None
    return ReviewPlan(plan, Plan.Kind(plan.kind).label, sections, doubtful_facts(plan))


def doubtful_facts(plan: parsed_model.Plan) -> list[dict]:
    """The headings and targets the parser is least sure of, least sure first."""
    facts = [{"what": "标题", "where": h.label, "text": h.title, "confidence": h.confidence}
             for h in plan.headings if h.confidence < parsed_model.CONFIDENT]
    facts += [{"what": "量化目标", "where": "/".join(t.under) or "—", "text": t.quote, "confidence": t.confidence}
              for t in plan.targets if t.confidence < parsed_model.CONFIDENT]
    return sorted(facts, key=lambda f: f["confidence"])


CHANGE_LABELS = {"added": "新增", "removed": "删除", "changed": "修改"}


@login_required
def plan_import_review(request: HttpRequest, pk: int) -> HttpResponse:
    _import_scope(request.user)
    pending = get_object_or_404(PendingImport.objects.select_related("bureau", "replaces"), pk=pk,
                                uploaded_by=request.user)
    if request.method == "POST":
        return _finish_import(request, pending)
    try:
        parsed = _parse_pending(pending)
    except EduplanError as err:
        _discard(pending)
        messages.error(request, str(err))
        return redirect("plan-import")
    parsed, outcomes = corrections.corrected_source(parsed, corrections.for_pending(pending))
    reviews = [r for r in (_review(p) for p in parsed.plans) if r is not None]
    changes, unchanged = None, 0
    if pending.replaces is not None and reviews:
        every = plan_changes(pending.replaces, reviews[0].plan)
        changes = [{"kind": CHANGE_LABELS[c.kind], "css": c.kind, "change": c} for c in every if c.kind != "unchanged"]
        unchanged = len(every) - len(changes)
    return render(request, "tracking/plan_import_review.html", {
        "pending": pending, "reviews": reviews, "changes": changes, "unchanged": unchanged, "nav": "plans",
        "correct_url": reverse("plan-import-correct", args=[pending.pk]), "can_correct": True,
        "corrections": _correction_rows(row for row, outcome in outcomes if outcome.applied),
        "dropped": _correction_rows(row for row, outcome in outcomes if not outcome.applied),
        "plan_kinds": Plan.Kind.choices, **CORRECTION_CHOICES,
    })


@login_required
@require_POST
def plan_import_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """A fix of the parser's reading on the review page, kept until the import is confirmed."""
    _import_scope(request.user)
    pending = get_object_or_404(PendingImport.objects.select_related("bureau", "replaces"), pk=pk,
                                uploaded_by=request.user)
    check_can_correct(request.user, pending.bureau)
    form = CorrectionForm(request.POST)
    anchor = ""
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            row = corrections.correct_pending(pending, _parse_pending(pending), user=request.user,
                                              kind=form.cleaned_data["kind"], at=form.cleaned_data["at"] or 0,
                                              said=form.said())
        except EduplanError as err:
            messages.error(request, str(err))
        else:
            messages.success(request, f"已更正：{row.get_kind_display()}（{row.quote[:30]}）")
            anchor = f"#h-{form.cleaned_data['at']}" if form.cleaned_data["at"] is not None else ""
    return redirect(reverse("plan-import-review", args=[pending.pk]) + anchor)


def _finish_import(request: HttpRequest, pending: PendingImport) -> HttpResponse:
    if request.POST.get("action") == "cancel":
        _discard(pending)
        messages.info(request, f"已取消导入“{pending.source_name}”，没有做任何改动")
        return redirect("plan-import")
    try:
        parsed = _parse_pending(pending)
        result = import_parsed(parsed, bureau=pending.bureau, user=request.user, source_file=pending.file,
                               replaces=pending.replaces, pending=pending)
    except EduplanError as err:
        messages.error(request, str(err))
        return redirect("plan-import-review", pk=pending.pk)
    finally:
        pending.file.close()
    _discard(pending)
    if pending.replaces is not None:
        plan = result.plans[0]
        messages.success(request, f"已导入《{plan.title}》第 {plan.version} 版：新增 {result.count('added')} 项、"
                                  f"删除 {result.count('removed')} 项、修改 {result.count('changed')} 项任务，"
                                  "其余任务及其分派和进展保持不变")
    else:
        for plan in result.plans:
            messages.success(request, f"已导入《{plan.title}》，共 {plan.tasks.count()} 项任务")
    if len(result.plans) == 1:
        return redirect("plan-detail", pk=result.plans[0].pk)
    return redirect("plan-list")


# ---------------------------------------------------------------- assigning

def _assignable(user, tasks: QuerySet[Task]) -> list[Task]:
    return [task for task in tasks if _can_assign(user, task)]


@login_required
def plan_assign(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    scope = scope_for(request.user)
    if not scope.can_assign:
        raise PermissionDenied("您没有分派任务的权限")
    tasks = _assignable(request.user, visible_tasks(scope).filter(plan=plan).order_by("order")
                        .select_related("plan__bureau", "section")
                        .prefetch_related("measures", "assignments__lead_unit", "assignments__partner_units"))
    if not tasks:
        raise PermissionDenied("该计划中没有您可以分派的任务")
    data, _files = _posted(request)
    form = BulkAssignForm(data, tasks=Task.objects.filter(pk__in=[t.pk for t in tasks]),
                          lead_units=_lead_units(scope, plan.bureau))
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["tasks"].select_related("plan__bureau").prefetch_related("measures")
                      .order_by("order"))  # the measures: what routing compares with past tasks
        unit = form.cleaned_data["lead_unit"] if form.cleaned_data["action"] == form.TO_UNIT else None
        try:
            done = bulk_assign(chosen, user=request.user, lead_unit=unit, deadline=form.cleaned_data["deadline"],
                               today=clock.today())
        except EduplanError as err:
            messages.error(request, str(err))
        else:
            if unit is not None:
                messages.success(request, f"已将 {len(done)} 项任务分派给{unit.name}")
            else:
                skipped = len(chosen) - len(done)
                note = f"；{skipped} 项既无匹配的分派规则也无相似的已分派任务，未分派，请手动选择单位" if skipped else ""
                messages.success(request, f"已按建议分派 {len(done)} 项任务{note}")
            return redirect("plan-assign", pk=plan.pk)
    suggestions = suggestions_for(tasks, plan.bureau)
    chosen_ids = {str(v) for v in form.data.getlist("tasks")} if form.is_bound else set()
    rows = [{"task": t, "assignments": list(t.assignments.all()), "suggestion": suggestions.get(t.pk),
             "checked": str(t.pk) in chosen_ids} for t in tasks]
    return render(request, "tracking/plan_assign.html", {"plan": plan, "rows": rows, "form": form, "nav": "plans"})


@login_required
@require_POST
def task_assign(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk)
    scope = check_can_assign(request.user, task)
    form = _assign_form(request, task, scope, data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assign_task(task, user=request.user, lead_unit=data["lead_unit"], partner_units=data["partner_units"],
                        owner=data["owner"], start_date=data["start_date"], deadline=data["deadline"],
                        measure=data["measure"], milestones=data["milestones"], today=clock.today())
        except EduplanError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, f"已将任务分派给{data['lead_unit'].name}")
            return redirect("task-detail", pk=task.pk)
    return _render_task(request, task, assign_form=form)


@login_required
@require_POST
def assignment_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(visible_assignments(scope_for(request.user)).select_related("task__plan__bureau"),
                                   pk=pk)
    check_can_change(request.user, assignment)
    if assignment.closed_at is None:
        messages.info(request, "该任务尚未办结，无需重新打开")
    else:
        reopen(assignment, user=request.user)
        messages.success(request, f"已重新打开“{assignment.lead_unit.name}”的任务，可以继续填报进展")
    return redirect("task-detail", pk=assignment.task_id)


@login_required
@require_POST
def milestone_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick a milestone off, or back on: for those who report on its assignment or assign it."""
    milestone = get_object_or_404(Milestone.objects.select_related("assignment__task"), pk=pk)
    task = get_task_for_user(request.user, milestone.assignment.task_id)
    try:
        check_can_change(request.user, milestone.assignment)
    except PermissionDenied:
        get_assignment_for_report(request.user, milestone.assignment_id)  # 403 if read-only
    mark_milestone(milestone, user=request.user, done=request.POST.get("done") == "1")
    messages.success(request, f"时间节点“{milestone.title}”已标记为{'完成' if milestone.done else '未完成'}")
    return redirect("task-detail", pk=task.pk)


def _assign_form(request: HttpRequest, task: Task, scope: Scope, data=None) -> AssignForm:
    bureau = task.plan.bureau
    current = task.assignments.filter(measure=None).prefetch_related("partner_units", "milestones").first()
    return AssignForm(data, initial=AssignForm.initial_for(current), lead_units=_lead_units(scope, bureau),
                      partner_units=assignable_units(bureau), owners=possible_owners(bureau),
                      measures=task.measures.filter(removed_in_version__isnull=True))


# ---------------------------------------------------------------- tasks

@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    # The list is the same for everyone with the same role and unit, until the data changes.
    query = tuple(sorted((k, tuple(request.GET.getlist(k))) for k in request.GET))
    content = cached("task-list", (scope.key, query), lambda: _task_list_content(request, scope, query),
                     scope.bureau_ids)
    return render(request, "tracking/task_list.html", {"content": mark_safe(content), "nav": "tasks"})


def _task_list_content(request: HttpRequest, scope: Scope, query: tuple) -> str:
    tasks = visible_tasks(scope)

    def make_form(data=None, options: FilterOptions | None = None) -> TaskFilterForm:
        plans = visible_plans(scope)
        return TaskFilterForm(data, units=assignable_units(_bureau_of(scope)), plans=plans,
                              sections=Section.objects.filter(plan__in=plans).select_related("plan"), options=options)

    # The drop-downs follow the bureau's units and plans, and so does the filter form as a whole
    # for one query string: both are kept while reports come in. The form itself is only built
    # to read what a query string asks for.
    options = cached_structure("task-filter-options", (scope.key,), lambda: filter_options(make_form()),
                               scope.bureau_ids)
    form = make_form(request.GET, options) if request.GET else None
    # The page number changes no filter: every page of a query shares its form.
    filters_key = tuple(item for item in query if item[0] != "page")
    filters = cached_structure("task-filters", (scope.key, filters_key), lambda: render_to_string(
        "tracking/_task_filters.html", {"form": form or make_form(options=options)}), scope.bureau_ids)
    wanted_status = wanted_light = ""
    if form is not None and form.is_valid():
        data = form.cleaned_data
        for unit in (data["unit"], data["school"]):
            if unit is not None:
                tasks = tasks.filter(assigned_within(unit.path))
        if data["plan"]:
            tasks = tasks.filter(plan=data["plan"])
        if data["section"]:
            tasks = tasks.filter(section=data["section"])
        tasks = search_tasks(tasks, data["q"] or "")
        wanted_status, wanted_light = data["status"], data["light"]
    # Status and light are stored per task (``state_store``): filtered, counted and paged in SQL.
    state_store.ensure_current(tasks, clock.today(), scope)
    tasks = state_store.with_state(tasks, wanted_status, wanted_light).order_by("-plan_id", "order", "pk")
    page = Paginator(state_store.listing(tasks), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [TaskRow.of(task, with_plan=options.several_plans) for task in state_store.listed_tasks(page.object_list)]
    # The cached part must hold nothing of one request: its template uses no CSRF token, user
    # or messages, only the query string for the page links.
    return render_to_string("tracking/_task_list_content.html", {"filters": mark_safe(filters), "page": page, "rows": rows},
                            request=request)


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk)
    return _render_task(request, task)


def _render_task(request: HttpRequest, task: Task, assign_form: AssignForm | None = None) -> HttpResponse:
    user = request.user
    state = task_states([task], clock.today())[0]
    can_assign = _can_assign(user, task)
    if can_assign and assign_form is None:
        assign_form = _assign_form(request, task, scope_for(user))
    assignments = list(task.assignments.select_related("lead_unit", "owner", "measure")
                       .prefetch_related("partner_units", "milestones"))
    targets = list(task.targets.filter(removed_in_version__isnull=True).select_related("indicator"))
    actuals = latest_actuals(targets)
    reports = list(ProgressReport.objects.filter(assignment__task=task)
                   .select_related("unit", "created_by", "assignment__lead_unit")
                   .prefetch_related("evidence"))
    every_target = {t.pk: t for t in task.targets.all()}  # a report may name a target since removed
    for report in reports:
        for evidence in report.evidence.all():
            evidence.size_label = display.file_size(evidence.size)
        report.actual_lines = [(every_target[int(pk)], value) for pk, value in report.typed_actuals.items()
                               if int(pk) in every_target]
    entries = sorted(chain(history(task), *(history(a) for a in assignments)), key=lambda e: (e.at, e.pk),
                     reverse=True)
    return render(request, "tracking/task_detail.html", {
        "task": task, "state": state, "nav": "tasks",
        "measures": task.measures.filter(removed_in_version__isnull=True),
        "targets": [{"target": t, "goal": display.goal(t), "baseline": display.baseline(t),
                     "actual": display.number(actuals[t.pk].value) + t.unit if t.pk in actuals else "—",
                     "computed": t.pk in actuals and actuals[t.pk].computed}
                    for t in targets],
        "assignments": assignments, "reports": reports,
        "audit": [{"entry": e, "action": display.action_label(e.action), "changes": display.audit_changes(e)}
                  for e in entries[:100]],
        "can_assign": can_assign, "assign_form": assign_form,
        "reportable": [a for a in reportable_assignments(user, task) if a.closed_at is None],
    })


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.can_report:
        raise PermissionDenied("您的角色不需要填报进展")
    # reportable_assignments' rule (own unit leads or partners), for all tasks at once, in SQL
    assignments = visible_assignments(scope)
    if not scope.everything:
        path = scope.unit_path
        partner = Assignment.objects.filter(pk=OuterRef("pk"), partner_units__path__startswith=path)
        assignments = assignments.filter(Q(lead_unit__path__startswith=path) | Q(Exists(partner)))
    assignments = assignments.select_related("task", "lead_unit").order_by("deadline", "task__plan_id", "task__order",
                                                                          "id")
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    tasks = Task.objects.filter(pk__in={a.task_id for a in rows}).select_related("plan", "section")
    states = {s.task.pk: s for s in task_states(list(tasks), clock.today())}
    return render(request, "tracking/my_tasks.html", {
        "page": page, "rows": [{"assignment": a, "state": states[a.task_id],
                                "role": "牵头" if scope.covers(a.lead_unit) else "配合"} for a in rows],
        "nav": "my",
    })


# ---------------------------------------------------------------- progress reports and evidence

@login_required
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_assignment_for_report(request.user, pk)
    task = assignment.task
    targets = list(task.targets.filter(removed_in_version__isnull=True))
    today = clock.today()
    initial = {"period": f"{today:%Y-%m}", "state": ProgressReport.State.IN_PROGRESS,
               "percent": assignment.latest_percent}
    form = ReportForm(*_posted(request), initial=initial, targets=targets,
                      can_close=may_close(request.user, assignment))
    files_lost = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submit_report(assignment, user=request.user, period=data["period"], percent=data["percent"],
                          state=data["state"], narrative=data["narrative"], files=data["files"],
                          actuals=[ActualInput(t, data[form.target_field(t)]) for t in targets],
                          idempotency_key=data["idempotency_key"])
        except EduplanError as err:
            files_lost = bool(data["files"])
            form.show_error(err)
        else:
            messages.success(request, f"已提交“{task.title}”的进展（{data['period']}）")
            return redirect("task-detail", pk=task.pk)
    return render(request, "tracking/report_form.html", {
        "form": form, "assignment": assignment, "task": task, "files_lost": files_lost, "nav": "my",
        "closed": assignment.closed_at is not None,
        "last": assignment.reports.order_by("-created_at", "-id").first(),
    })


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = Evidence.objects.select_related("report__assignment").filter(pk=pk).first()
    if evidence is None:
        raise Http404("文件不存在或无权查看")
    get_task_for_user(request.user, evidence.report.assignment.task_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不在服务器上，请联系管理员") from None
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)

