"""Corrections of what the parser read: fixed by the bureau admin, kept, applied again.

No parser reads every plan right. A person fixes the reading on the import review page or,
while its tasks have no progress reports, on the plan's page: raises, lowers, merges or
splits headings, marks a line as not a task, edits a title, deletes, adds or edits a target,
fixes the plan's title, region, years and kind. Each fix is a ``Correction`` row with the
source text it applies to and its author, and an audit entry.

``apply_fixes`` is pure: a parsed plan and a list of fixes in, the corrected plan and what
became of each fix out. A fix finds its object by the source text of its span (nearest to
its old offset when the text occurs more than once), so a revised plan whose text still
holds that line gets the fix again; a fix whose text is gone is kept but flagged as dropped.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from eduplan.audit.log import record
from eduplan.errors import EduplanError, Errors
from eduplan.orgs.models import OrgUnit
from eduplan.plan import ParsedSource, parse_text
from eduplan.plan import model as parsed_model
from eduplan.plan.render_markdown import heading_paths

from .models import Correction, PendingImport, Plan, ProgressReport

Kind = Correction.Kind
STRUCTURAL = {Kind.LEVEL_UP, Kind.LEVEL_DOWN, Kind.MERGE, Kind.SPLIT, Kind.NOT_TASK, Kind.TARGET_ADD}
DEEPEST = 6  # heading levels: 一、 (一) 1. (1) ① and one more for odd documents
PLAN_FIELDS = ("title", "region", "period", "kind")
_NOT_TEXT = re.compile(r"[\s\W_]+")
_FIRST_CLAUSE = re.compile(r"^[^。；;，,：:！!？?]+")


@dataclass(frozen=True)
class Fix:
    """One correction as the pure functions see it (``Correction`` without the database)."""

    kind: str
    quote: str  # the source text of the span it applies to
    start: int
    end: int
    said: dict[str, Any] = field(default_factory=dict)  # what the person said
    parser_said: dict[str, Any] = field(default_factory=dict)  # what the parser said there


@dataclass
class Outcome:
    """What became of one fix on one text: applied (and where), or why not."""

    fix: Fix
    problem: EduplanError | None = None
    start: int = 0
    end: int = 0

    @property
    def applied(self) -> bool:
        return self.problem is None


# ---------------------------------------------------------------- finding things by their text

def _key(text: str) -> str:
    return _NOT_TEXT.sub("", text)


def _nearest(items: list, start: int, where: Callable[[Any], int]) -> Any | None:
    return min(items, key=lambda item: abs(where(item) - start), default=None)


def _heading(plan: parsed_model.Plan, text: str, fix: Fix) -> parsed_model.Heading | None:
    """The heading whose line reads ``fix.quote``; else one with the same title (renumbered)."""
    same = [h for h in plan.headings if text[h.start:h.end] == fix.quote]
    if not same and fix.parser_said.get("title"):
        title = _key(fix.parser_said["title"])
        same = [h for h in plan.headings if _key(h.title) == title]
    return _nearest(same, fix.start, lambda h: h.start)


def _target(plan: parsed_model.Plan, fix: Fix) -> parsed_model.Target | None:
    same = [t for t in plan.targets if t.quote == fix.quote] or [
        t for t in plan.targets if _key(t.quote) == _key(fix.quote)]
    return _nearest(same, fix.start, lambda t: t.start)


def _occurrence(plan: parsed_model.Plan, text: str, quote: str, near: int) -> int | None:
    """The offset of ``quote`` in the plan's text nearest to ``near``."""
    end = plan.end or len(text)
    found, at = [], text.find(quote, plan.start, end)
    while quote and at >= 0:
        found.append(at)
        at = text.find(quote, at + 1, end)
    return _nearest(found, near, lambda offset: offset)


def _missing(fix: Fix) -> EduplanError:
    return EduplanError(Errors.E470, at=fix.start)


# ---------------------------------------------------------------- what the parser said

def heading_said(heading: parsed_model.Heading) -> dict[str, Any]:
    return {"level": heading.level, "label": heading.label, "title": heading.title}


def target_said(target: parsed_model.Target) -> dict[str, Any]:
    return {"metric": target.metric, "comparator": target.comparator, "value": target.value,
            "unit": target.unit, "direction": target.direction}


def plan_said(plan: parsed_model.Plan) -> dict[str, Any]:
    return {"title": plan.title, "region": plan.region, "period": list(plan.period) if plan.period else None,
            "kind": plan.kind}


# ---------------------------------------------------------------- applying one fix

def _level(plan: parsed_model.Plan, text: str, fix: Fix) -> Outcome:
    heading = _heading(plan, text, fix)
    if heading is None:
        return Outcome(fix, _missing(fix))
    step = -1 if fix.kind == Kind.LEVEL_UP else 1
    said = fix.parser_said.get("level", heading.level)
    if heading.level == said + step:  # a revised text (or a better parser) reads it so already
        return Outcome(fix, None, heading.start, heading.end)
    if heading.level != said:  # read at yet another level now: the fix no longer says where
        return Outcome(fix, _missing(fix))
    if not 1 <= heading.level + step <= DEEPEST:
        return Outcome(fix, EduplanError(Errors.E474 if step < 0 else Errors.E475, title=heading.title))
    heading.level += step
    return Outcome(fix, None, heading.start, heading.end)


def _merge(plan: parsed_model.Plan, text: str, fix: Fix) -> Outcome:
    """The heading's line becomes body text of the heading above it."""
    heading = _heading(plan, text, fix)
    if heading is None:
        return Outcome(fix, _missing(fix))
    if plan.headings.index(heading) == 0:
        return Outcome(fix, EduplanError(Errors.E473, title=heading.title))
    plan.headings.remove(heading)
    line = text[heading.start:heading.end]
    plan.measures.append(parsed_model.Measure([], line, heading.start, heading.end))
    return Outcome(fix, None, heading.start, heading.end)


def _not_task(plan: parsed_model.Plan, text: str, fix: Fix) -> Outcome:
    """The line is no heading and no work: anything under it goes to the heading above."""
    heading = _heading(plan, text, fix)
    if heading is None:
        return Outcome(fix, _missing(fix))
    plan.headings.remove(heading)
    return Outcome(fix, None, heading.start, heading.end)


def _split(plan: parsed_model.Plan, text: str, fix: Fix) -> Outcome:
    """A new heading, at the level of the one above, begins at the measure ``quote``."""
    measures = [m for m in plan.measures if m.text == fix.quote] or [
        m for m in plan.measures if _key(m.text) == _key(fix.quote)]
    measure = _nearest(measures, fix.start, lambda m: m.start)
    if measure is None:
        return Outcome(fix, _missing(fix))
    above = [h for h in plan.headings if h.start <= measure.start]
    if not above:
        return Outcome(fix, EduplanError(Errors.E476, title=fix.quote[:20]))
    owner = above[-1]
    title = (fix.said.get("title") or "").strip() or _first_clause(measure.text)
    labels = {h.label for h in plan.headings}
    number = 2
    while f"{owner.label}-{number}" in labels:
        number += 1
    new = parsed_model.Heading(owner.level, f"{owner.label}-{number}", title, measure.start, measure.end)
    plan.headings.insert(plan.headings.index(owner) + 1, new)
    return Outcome(fix, None, measure.start, measure.end)


def _first_clause(text: str) -> str:
    match = _FIRST_CLAUSE.match(text.strip())
    return (match.group(0) if match else text.strip())[:120]


def _title(plan: parsed_model.Plan, text: str, fix: Fix) -> Outcome:
    heading = _heading(plan, text, fix)
    if heading is None:
        return Outcome(fix, _missing(fix))
    heading.title = fix.said["title"]
    return Outcome(fix, None, heading.start, heading.end)


def _target_delete(plan: parsed_model.Plan, text: str, fix: Fix) -> Outcome:
    target = _target(plan, fix)
    if target is None:
        return Outcome(fix, _missing(fix))
    plan.targets.remove(target)
    return Outcome(fix, None, target.start, target.end)


def _target_edit(plan: parsed_model.Plan, text: str, fix: Fix) -> Outcome:
    target = _target(plan, fix)
    if target is None:
        return Outcome(fix, _missing(fix))
    _set_target(target, fix.said)
    return Outcome(fix, None, target.start, target.end)


def _set_target(target: parsed_model.Target, said: dict[str, Any]) -> None:
    target.metric = said.get("metric", target.metric)
    target.comparator = said.get("comparator", target.comparator)
    target.value = said.get("value", target.value)
    target.unit = said.get("unit", target.unit)
    target.direction = said.get("direction", target.direction)
    target.confidence = 1.0  # a person said so


def _target_add(plan: parsed_model.Plan, text: str, fix: Fix) -> Outcome:
    at = _occurrence(plan, text, fix.quote, fix.start)
    if at is None:
        return Outcome(fix, EduplanError(Errors.E472, quote=fix.quote[:40]))
    target = parsed_model.Target([], "", "level", "=", 0, "", fix.quote, at, at + len(fix.quote))
    _set_target(target, fix.said)
    plan.targets.append(target)
    return Outcome(fix, None, target.start, target.end)


def _plan_fields(plan: parsed_model.Plan, text: str, fix: Fix) -> Outcome:
    """Each field the person set, if the parser still reads what it read when they set it."""
    now = plan_said(plan)
    fields = [name for name in PLAN_FIELDS if name in fix.said]
    if fix.parser_said and all(now[name] != fix.parser_said.get(name) for name in fields):
        return Outcome(fix, _missing(fix))
    for name in fields:
        if fix.parser_said and now[name] != fix.parser_said.get(name):
            continue
        value = fix.said[name]
        setattr(plan, name, tuple(value) if name == "period" and value else value)
    return Outcome(fix, None, plan.start, plan.start)


APPLY: dict[str, Callable[[parsed_model.Plan, str, Fix], Outcome]] = {
    Kind.LEVEL_UP: _level, Kind.LEVEL_DOWN: _level, Kind.MERGE: _merge, Kind.SPLIT: _split,
    Kind.NOT_TASK: _not_task, Kind.TITLE: _title, Kind.TARGET_DELETE: _target_delete,
    Kind.TARGET_ADD: _target_add, Kind.TARGET_EDIT: _target_edit, Kind.PLAN: _plan_fields,
}


def apply_fixes(plan: parsed_model.Plan, text: str,
                fixes: Sequence[Fix]) -> tuple[parsed_model.Plan, list[Outcome]]:
    """The plan as corrected by ``fixes``, in order, and what became of each. ``plan`` is unchanged."""
    plan = copy.deepcopy(plan)
    outcomes = [APPLY[fix.kind](plan, text, fix) for fix in fixes]
    if any(o.applied and o.fix.kind in STRUCTURAL for o in outcomes):
        _place_content(plan)
    return plan, outcomes


def _place_content(plan: parsed_model.Plan) -> None:
    """Headings moved: what is under what follows from where it stands in the text."""
    plan.headings.sort(key=lambda h: h.start)
    plan.measures.sort(key=lambda m: m.start)
    plan.targets.sort(key=lambda t: t.start)
    paths = heading_paths(plan.headings)
    starts = [h.start for h in plan.headings]
    for item in (*plan.measures, *plan.targets, *plan.blanks):
        index = sum(1 for s in starts if s <= item.start) - 1
        item.under = list(paths[index]) if index >= 0 else []


# ---------------------------------------------------------------- a new fix, from what a page shows

def make_fix(plan: parsed_model.Plan, text: str, kind: str, at: int, said: dict[str, Any]) -> Fix:
    """The fix of ``kind`` for the heading, target or measure that begins at ``at`` in ``plan``
    (as shown, corrections so far applied), with the source text and what the parser said."""
    if kind == Kind.PLAN:
        now = plan_said(plan)
        # The form sends every field: keep those the person changed (all of them if none).
        said = {k: v for k, v in said.items() if now.get(k) != v} or said
        return Fix(kind, plan.title or "", plan.start, plan.start, said, {k: now[k] for k in said if k in now})
    if kind in (Kind.TARGET_DELETE, Kind.TARGET_EDIT):
        target = next((t for t in plan.targets if t.start == at), None)
        if target is None:
            raise _missing(Fix(kind, "", at, at))
        return Fix(kind, target.quote, target.start, target.end, said, target_said(target))
    if kind == Kind.SPLIT:
        measure = next((m for m in plan.measures if m.start == at), None)
        if measure is None:
            raise EduplanError(Errors.E476, title=said.get("task", ""))
        return Fix(kind, measure.text, measure.start, measure.end, said, {"measure": measure.text})
    heading = next((h for h in plan.headings if h.start == at), None)
    if heading is None:
        raise _missing(Fix(kind, "", at, at))
    if kind == Kind.TARGET_ADD:
        return _target_add_fix(plan, text, heading, said)
    return Fix(kind, text[heading.start:heading.end], heading.start, heading.end, said, heading_said(heading))


def _target_add_fix(plan: parsed_model.Plan, text: str, heading: parsed_model.Heading,
                    said: dict[str, Any]) -> Fix:
    """A target the person found in the task's own text (from its heading to the next one)."""
    later = [h.start for h in plan.headings if h.start > heading.start]
    end = min(later, default=plan.end or len(text))
    quote = said.pop("quote", "").strip()
    at = text.find(quote, heading.start, end) if quote else -1
    if at < 0:
        raise EduplanError(Errors.E472, quote=quote[:40])
    return Fix(Kind.TARGET_ADD, quote, at, at + len(quote), said, {})


def check_fix(plan: parsed_model.Plan, text: str, fixes: Sequence[Fix], fix: Fix) -> parsed_model.Plan:
    """The plan with ``fix`` after ``fixes``; raises the fix's problem if it cannot apply."""
    corrected, outcomes = apply_fixes(plan, text, [*fixes, fix])
    if outcomes[-1].problem is not None:
        raise outcomes[-1].problem
    return corrected


# ---------------------------------------------------------------- corrections in the database

def as_fix(row: Correction) -> Fix:
    return Fix(row.kind, row.quote, row.start, row.end, dict(row.person_said), dict(row.parser_said))


def for_pending(pending: PendingImport) -> QuerySet[Correction]:
    """What applies to an upload: its own fixes and, for a revision, the plan's live ones."""
    wanted = Q(pending=pending)
    if pending.replaces_id is not None:
        wanted |= Q(plan_id=pending.replaces_id, dropped_in_version__isnull=True)
    return Correction.objects.filter(wanted).select_related("author").order_by("id")


def for_plan(plan: Plan) -> QuerySet[Correction]:
    return Correction.objects.filter(plan=plan, dropped_in_version__isnull=True).order_by("id")


def holder(parsed: ParsedSource, fix: Fix) -> int:
    """Which plan of a file a fix belongs to: the one whose span holds it."""
    for index, plan in enumerate(parsed.plans):
        if plan.start <= fix.start < (plan.end or len(parsed.text)) or (fix.kind == Kind.PLAN and plan.start == fix.start):
            return index
    return 0


def corrected_source(parsed: ParsedSource,
                     rows: Iterable[Correction]) -> tuple[ParsedSource, list[tuple[Correction, Outcome]]]:
    """``parsed`` with every correction applied to the plan it belongs to, and their outcomes."""
    rows = list(rows)
    groups: dict[int, list[Correction]] = {}
    for row in rows:
        groups.setdefault(holder(parsed, as_fix(row)), []).append(row)
    plans, outcomes = list(parsed.plans), []
    for index, group in groups.items():
        if index < len(plans):
            plans[index], found = apply_fixes(plans[index], parsed.text, [as_fix(r) for r in group])
            outcomes += list(zip(group, found, strict=True))
    outcomes.sort(key=lambda pair: pair[0].pk)
    return ParsedSource(parsed.source, parsed.text, plans), outcomes


def settle(outcomes: Sequence[tuple[Correction, Outcome]], *, plan: Plan, version: int) -> None:
    """After a save: applied fixes belong to ``plan`` at their new offsets; the others are
    kept, flagged as dropped in ``version`` (their text is no longer there)."""
    for row, outcome in outcomes:
        row.plan, row.pending = plan, None
        if outcome.applied:
            row.start, row.end = outcome.start, outcome.end
        else:
            row.dropped_in_version = version
        row.save(update_fields=["plan", "pending", "start", "end", "dropped_in_version"])


def _save(fix: Fix, *, user, bureau: OrgUnit, plan: Plan | None = None,
          pending: PendingImport | None = None) -> Correction:
    row = Correction.objects.create(bureau=bureau, plan=plan, pending=pending, kind=fix.kind, quote=fix.quote,
                                    start=fix.start, end=fix.end, parser_said=fix.parser_said,
                                    person_said=fix.said, author=user)
    record(user, "plan.correct", row, {"said": describe(fix.kind, fix.parser_said)},
           {"kind": row.get_kind_display(), "quote": fix.quote, "said": describe(fix.kind, fix.said)})
    return row


SIGNS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "", "~": "约", "range": ""}
KIND_LABELS = {"annual": "年度工作要点", "five_year": "五年发展规划", "other": "其他"}


def describe(kind: str, said: dict[str, Any]) -> str:
    """What one side of a fix says, in a few Chinese words (for the audit log and the pages)."""
    if not said:
        return {Kind.TARGET_ADD: "（无）", Kind.TARGET_DELETE: "（删除）"}.get(kind, Correction.Kind(kind).label)
    if kind in (Kind.TARGET_DELETE, Kind.TARGET_ADD, Kind.TARGET_EDIT):
        value = said.get("value")
        shown = "–".join(f"{v:g}" for v in value) if isinstance(value, list) else f"{value:g}" if value is not None else ""
        return f"{said.get('metric', '')} {SIGNS.get(said.get('comparator', '='), '')}{shown}{said.get('unit', '')}".strip()
    if kind == Kind.PLAN:
        names = {"title": "标题", "region": "地区", "period": "年度", "kind": "类型"}
        facts = {**said, "kind": KIND_LABELS.get(said.get("kind"), said.get("kind")),
                 "period": "—".join(str(y) for y in said["period"]) if said.get("period") else "—"}
        return "；".join(f"{names[k]} {facts[k] or '—'}" for k in PLAN_FIELDS if k in said)
    if kind == Kind.SPLIT:
        return f"新任务“{said['title']}”" if said.get("title") else f"原措施“{said.get('measure', '')[:30]}”"
    if kind in (Kind.NOT_TASK, Kind.MERGE) and "level" not in said:
        return Correction.Kind(kind).label
    parts = []
    if "level" in said:
        parts.append(f"第 {said['level']} 级")
    if said.get("label"):
        parts.append(said["label"])
    if "title" in said:
        parts.append(said["title"])
    return " ".join(parts)


def correct_pending(pending: PendingImport, parsed: ParsedSource, *, user, kind: str, at: int,
                    said: dict[str, Any]) -> Correction:
    """Record a fix made on the review page of ``pending`` (whose parse is ``parsed``)."""
    shown, outcomes = corrected_source(parsed, for_pending(pending))
    index = next((i for i, p in enumerate(shown.plans) if p.start <= at < (p.end or len(parsed.text))), 0)
    fix = make_fix(shown.plans[index], parsed.text, kind, at, dict(said))
    fixes = [o.fix for _row, o in outcomes if holder(parsed, o.fix) == index]
    check_fix(parsed.plans[index], parsed.text, fixes, fix)
    with transaction.atomic():
        return _save(fix, user=user, bureau=pending.bureau, pending=pending)


def reading_of(plan: Plan) -> parsed_model.Plan:
    """The parser's reading of a saved plan's own text (the block it was imported from)."""
    parsed = parse_text(plan.source_text, source=plan.source_name)
    if not parsed.plans:
        raise EduplanError(Errors.E404, name=plan.source_name)
    return min(parsed.plans, key=lambda p: abs(p.start - plan.start))


def correct_plan(plan: Plan, *, user, kind: str, at: int, said: dict[str, Any]) -> Correction:
    """Record a fix made on a saved plan's page and store the corrected reading in place.
    Refused (E471) when a task with progress reports would change."""
    from .importing import rederive

    reading = reading_of(plan)
    fixes = [as_fix(row) for row in for_plan(plan)]
    shown, _ = apply_fixes(reading, plan.source_text, fixes)
    fix = make_fix(shown, plan.source_text, kind, at, dict(said))
    corrected = check_fix(reading, plan.source_text, fixes, fix)
    with transaction.atomic():
        rederive(plan, corrected, reported=reported_task_ids(plan))
        return _save(fix, user=user, bureau=plan.bureau, plan=plan)


def reported_task_ids(plan: Plan) -> set[int]:
    """Tasks of ``plan`` that have progress reports: their reading can no longer be corrected."""
    return set(ProgressReport.objects.filter(assignment__task__plan=plan).values_list("assignment__task", flat=True))


# ---------------------------------------------------------------- corrections as parser cases

def _line(text: str, start: int, end: int) -> str:
    """The whole source line(s) around a span: the input a parser case needs."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    return text[first:len(text) if last < 0 else last].strip()


def _target_case(said: dict[str, Any]) -> list[tuple]:
    if not said:
        return []
    return [(said.get("value"), said.get("unit", ""), said.get("comparator", "="), said.get("direction", "level"))]


def _heading_case(said: dict[str, Any], kind: str) -> list[tuple]:
    level, label, title = said.get("level"), said.get("label"), said.get("title")
    if kind == Kind.LEVEL_UP:
        level -= 1
    elif kind == Kind.LEVEL_DOWN:
        level += 1
    elif kind in (Kind.NOT_TASK, Kind.MERGE):
        return []
    return [(level, label, title)]


def as_case(row: Correction, text: str) -> tuple[str, str, Any, Any]:
    """(id, source line, what the parser said, what the person said), as in tests/plan/cases."""
    said, person = row.parser_said, row.person_said
    case_id = f"{row.kind}_{row.pk}"
    line = _line(text, row.start, row.end) if text else row.quote
    if row.kind in (Kind.TARGET_DELETE, Kind.TARGET_ADD, Kind.TARGET_EDIT):
        after = [] if row.kind == Kind.TARGET_DELETE else _target_case({**said, **person})
        return case_id, line, _target_case(said), after
    if row.kind == Kind.PLAN:
        fields = {**said, **person}
        before = (said.get("title"), said.get("region"), said.get("period"), said.get("kind"))
        return case_id, line, before, (fields.get("title"), fields.get("region"), fields.get("period"), fields.get("kind"))
    if row.kind == Kind.SPLIT:
        return case_id, line, [], [(None, None, person.get("title") or _first_clause(row.quote))]
    before = [(said.get("level"), said.get("label"), said.get("title"))]
    after = _heading_case(said, row.kind)
    if row.kind == Kind.TITLE:
        after = [(said.get("level"), said.get("label"), person.get("title"))]
    return case_id, line, before, after


def _literal(value: Any) -> str:
    """Python source for a case, written as the case tables are (double quotes, Chinese as is)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        inner = ", ".join(_literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return repr(value)


def export_cases(bureau: OrgUnit | None = None) -> str:
    """Every correction (of one bureau, or all) as a Python case table for the parser's tests."""
    rows = Correction.objects.filter(plan__isnull=False).select_related("plan", "plan__bureau", "author")
    if bureau is not None:
        rows = rows.filter(bureau=bureau)
    lines = ['"""Corrections people made to what the parser read, one row per case:',
             '(id, source line, what the parser said, what the person said).',
             "",
             "Targets are (value, unit, comparator, direction) as in targets.py; headings (level, label,",
             "title) as in headings.py; plan facts (title, region, period, kind) as in metadata.py.",
             '"""', "", "# fmt: off", "CORRECTION_CASES = ["]
    plan_id = None
    for row in rows.order_by("plan_id", "id"):
        if row.plan_id != plan_id:
            plan_id = row.plan_id
            lines.append(f"    # {row.plan.bureau.name} 《{row.plan.title}》 第 {row.plan.version} 版")
        flag = "  # 新版本中已找不到原文" if row.dropped_in_version else ""
        lines.append(f"    {_literal(as_case(row, row.plan.source_text))},{flag}")
    lines += ["]", "# fmt: on", ""]
    return "\n".join(lines)
