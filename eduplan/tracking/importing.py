"""Import parsed plans into the database, and re-import revised versions of a plan.

The parser (``eduplan.plan``) decides what the sections, tasks, measures and targets are;
this module only stores them, all in one transaction. A revision keeps every task that
still matches (by title, then by similar wording) with its assignments and reports, marks
tasks that disappeared as removed (never deletes what people reported on), and lists what
changed.

An upload is parsed once: the parse is kept as JSON next to the stored file
(``parsed_path``), and the review page and the confirmation read it back. A killed import
leaves at most files without a ``PendingImport`` row; ``remove_stale_uploads`` deletes them
(and Django's own temporary upload files) a day later, at the start of the next upload.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from django.conf import settings
from django.core.files import File

from eduplan.audit.log import record
from eduplan.errors import EduplanError, Errors
from eduplan.orgs.models import OrgUnit
from eduplan.plan import ParsedSource, read_plan
from eduplan.plan import model as parsed_model
from eduplan.plan.render_xlsx import TaskRow, task_rows

from . import corrections
from .models import Measure, PendingImport, Plan, Section, Target, Task
from .state_store import keeping_states

SIMILAR_ENOUGH = 0.6  # difflib ratio above which a reworded task counts as the same task

ChangeKind = Literal["added", "removed", "changed", "unchanged"]


@dataclass
class TaskChange:
    kind: ChangeKind
    number: str
    title: str
    old_title: str = ""
    details: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    plans: list[Plan]
    changes: list[TaskChange] = field(default_factory=list)

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for c in self.changes if c.kind == kind)


# ---------------------------------------------------------------- reading

def read_upload(path: Path, source_name: str | None = None) -> ParsedSource:
    """Parse a file; raise EduplanError (one line) if it holds no plan with tasks."""
    name = source_name or path.name
    try:
        parsed = read_plan(path)
    except EduplanError as err:
        if source_name is None:
            raise
        # An upload sits in a temporary file: name it as the person who sent it knows it.
        raise EduplanError(err.error, **{**err.values, "path": name}) from None
    parsed.source = name
    if not any(_task_rows(plan) for plan in parsed.plans):
        raise EduplanError(Errors.E404, name=name)
    return parsed


# ---------------------------------------------------------------- the parse kept with an upload

PARSED_SUFFIX = ".parsed.json"
_PARSED_FORMAT = 1  # bumped when the JSON changes: an older file is then parsed again
STALE_AFTER = 24 * 3600  # seconds: no request lasts a day, so a file this old was left behind
# Django's TemporaryFileUploadHandler names its files like this (tempfile, suffix ".upload.ext").
# tempfile.TemporaryDirectory(prefix=...) of the API's import: gone on any error, but not when
# the process is killed.
TEMP_IMPORT_PREFIX = "eduplan-import-"
_DJANGO_TEMP_UPLOAD = re.compile(r"tmp[a-z0-9_]{8}\.upload(\.[^./]{1,16})?")


def parsed_path(stored: Path) -> Path:
    """Where the parse of the stored upload ``stored`` is kept: beside it, so they go together."""
    return stored.with_name(stored.name + PARSED_SUFFIX)


def save_parsed(parsed: ParsedSource, path: Path) -> None:
    """Write ``parsed`` as JSON, whole or not at all (a reader never sees half a file)."""
    data = {"format": _PARSED_FORMAT, "text": parsed.text, "parsed": parsed.to_dict()}
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def load_parsed(path: Path) -> ParsedSource | None:
    """The parse kept at ``path``, or None when there is none (or it is unreadable or outdated)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != _PARSED_FORMAT:
            return None
        return ParsedSource.from_dict(data["parsed"], data["text"])
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def remove_stale_files(folder: Path, max_age: float = STALE_AFTER, *, keep: Container[str] = frozenset(),
                       match: Callable[[str], bool] | None = None) -> int:
    """Delete this process's regular files in ``folder`` older than ``max_age`` seconds, except the
    names in ``keep`` and those ``match`` rejects; return how many. Never fails: a file that
    vanishes or cannot be removed is left to the next sweep."""
    cutoff = time.time() - max_age
    removed = 0
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return 0
    for entry in entries:
        if entry.name in keep or (match is not None and not match(entry.name)):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or info.st_mtime >= cutoff or info.st_uid != os.getuid():
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed += 1
    return removed


def remove_stale_temp_uploads(max_age: float = STALE_AFTER) -> int:
    """Delete Django's temporary upload files, and the API import's temporary folders
    (``TEMP_IMPORT_PREFIX``), that a killed request left behind."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())
    removed = remove_stale_files(folder, max_age, match=lambda name: _DJANGO_TEMP_UPLOAD.fullmatch(name) is not None)
    cutoff = time.time() - max_age
    for stale in Path(tempfile.gettempdir()).glob(TEMP_IMPORT_PREFIX + "*"):
        try:
            info = stale.lstat()
            if stat.S_ISDIR(info.st_mode) and info.st_mtime < cutoff and info.st_uid == os.getuid():
                shutil.rmtree(stale)
                removed += 1
        except OSError:
            continue
    return removed


def remove_stale_uploads(max_age: float = STALE_AFTER) -> int:
    """Delete stored uploads (and their parses) that no pending import refers to, once they are
    ``max_age`` old, and stale temporary upload files; called at the start of each upload."""
    field_file = PendingImport._meta.get_field("file")
    folder = Path(field_file.storage.path(field_file.upload_to))
    keep: set[str] = set()
    for name in PendingImport.objects.values_list("file", flat=True):
        keep.update((Path(name).name, Path(name).name + PARSED_SUFFIX))
    return remove_stale_files(folder, max_age, keep=keep) + remove_stale_temp_uploads(max_age)


def _task_rows(plan: parsed_model.Plan) -> list[TaskRow]:
    return [row for row in task_rows(plan) if row.kind in ("section", "task")]


def number_of(row: TaskRow) -> str:
    return "/".join(row.path)


# ---------------------------------------------------------------- matching

T = TypeVar("T")
U = TypeVar("U")
_NOT_TEXT = re.compile(r"[\s\W_]+")


def _key(text: str) -> str:
    return _NOT_TEXT.sub("", text)


def match_by_text(old: Sequence[T], new: Sequence[U], old_text: Callable[[T], str],
                  new_text: Callable[[U], str]) -> list[tuple[T | None, U | None]]:
    """Pair old and new items: identical text first, then the most similar above the bar.

    Returns every new item (paired or with None) and every unpaired old item with None.
    """
    pairs: dict[int, int] = {}
    old_keys = [_key(old_text(o)) for o in old]
    new_keys = [_key(new_text(n)) for n in new]
    free_old = set(range(len(old)))
    for j, key in enumerate(new_keys):
        for i in sorted(free_old):
            if old_keys[i] == key:
                pairs[j] = i
                free_old.discard(i)
                break
    candidates = []
    for j, key in enumerate(new_keys):
        if j in pairs:
            continue
        for i in free_old:
            ratio = difflib.SequenceMatcher(None, old_keys[i], key, autojunk=False).ratio()
            if ratio >= SIMILAR_ENOUGH:
                candidates.append((ratio, -abs(i - j), i, j))
    for _ratio, _distance, i, j in sorted(candidates, reverse=True):
        if j not in pairs and i in free_old:
            pairs[j] = i
            free_old.discard(i)
    result: list[tuple[T | None, U | None]] = [(old[pairs[j]] if j in pairs else None, n) for j, n in enumerate(new)]
    result.extend((old[i], None) for i in sorted(free_old))
    return result


def _task_match_text(task: Task) -> str:
    return task.title


def _row_match_text(row: TaskRow) -> str:
    return row.title


TaskPair = tuple[Task | None, tuple[int, TaskRow] | None]


def _task_pairs(old_plan: Plan, new_plan: parsed_model.Plan) -> list[TaskPair]:
    """Each current task of ``old_plan`` with its row (and the row's order) in ``new_plan``."""
    rows = [(order, row) for order, row in enumerate(_task_rows(new_plan)) if row.kind == "task"]
    old_tasks = list(old_plan.tasks.filter(removed_in_version__isnull=True).prefetch_related("measures", "targets"))
    return match_by_text(old_tasks, rows, _task_match_text, lambda pair: _row_match_text(pair[1]))


def plan_changes(old_plan: Plan, new_plan: parsed_model.Plan) -> list[TaskChange]:
    """What re-importing ``new_plan`` over ``old_plan`` would change, without changing it."""
    return [_describe(old, pair[1] if pair else None) for old, pair in _task_pairs(old_plan, new_plan)]


def _describe(old: Task | None, row: TaskRow | None) -> TaskChange:
    if old is None:
        assert row is not None
        return TaskChange("added", number_of(row), row.title)
    if row is None:
        return TaskChange("removed", old.number, old.title)
    details = []
    if _key(old.title) != _key(row.title):
        details.append("任务标题有修改")
    old_measures = [_key(m.text) for m in old.measures.all() if m.removed_in_version is None]
    if old_measures != [_key(m.text) for m in row.measures]:
        details.append("具体措施有修改")
    old_targets = sorted(_key(t.quote) for t in old.targets.all() if t.removed_in_version is None)
    if old_targets != sorted(_key(t.quote) for t in row.targets):
        details.append("量化目标有修改")
    if old.number != number_of(row):
        details.append(f"编号 {old.number} → {number_of(row)}")
    kind: ChangeKind = "changed" if details else "unchanged"
    return TaskChange(kind, number_of(row), row.title, old.title, details)


# ---------------------------------------------------------------- saving

def import_parsed(parsed: ParsedSource, *, bureau: OrgUnit, user=None, source_file: File | None = None,
                  replaces: Plan | None = None, pending: PendingImport | None = None) -> ImportResult:
    """Store every plan of ``parsed`` (or the one revision of ``replaces``) in one transaction.

    The corrections people made apply first: those of the review page (``pending``) and, for a
    revision, the plan's own wherever their text is still there (the others are flagged)."""
    rows = list(corrections.for_pending(pending) if pending is not None
                else corrections.for_plan(replaces) if replaces is not None else [])
    parsed, outcomes = corrections.corrected_source(parsed, rows)
    kept = [i for i, p in enumerate(parsed.plans) if _task_rows(p)]
    if not kept:
        raise EduplanError(Errors.E404, name=parsed.source)
    if replaces is not None and len(kept) != 1:
        raise EduplanError(Errors.E413, count=len(kept), name=parsed.source)
    with keeping_states():  # atomic; the plan's tasks are judged (again) before it commits
        if replaces is not None:
            result = _revise(replaces, parsed.plans[kept[0]], parsed, user=user, source_file=source_file)
            corrections.settle(outcomes, plan=result.plans[0], version=result.plans[0].version)
            return result
        saved = {i: _create_plan(parsed.plans[i], parsed, bureau=bureau, user=user, source_file=source_file)
                 for i in kept}
        for row, outcome in outcomes:
            plan = saved.get(corrections.holder(parsed, outcome.fix), saved[kept[0]])
            corrections.settle([(row, outcome)], plan=plan, version=plan.version)
        return ImportResult(list(saved.values()))


def _plan_fields(plan: parsed_model.Plan, parsed: ParsedSource) -> dict:
    period = plan.period or (None, None)
    return {
        "title": (plan.title or Path(parsed.source).stem)[:300],
        "region": plan.region or "",
        "kind": plan.kind,
        "period_start": period[0],
        "period_end": period[1],
        "issuer": plan.issuer or "",
        "source_name": parsed.source[:255],
        "source_text": parsed.text,
        "start": plan.start,
        "end": plan.end,
    }


def _create_plan(plan: parsed_model.Plan, parsed: ParsedSource, *, bureau: OrgUnit, user,
                 source_file: File | None) -> Plan:
    saved = Plan(bureau=bureau, imported_by=user, **_plan_fields(plan, parsed))
    if source_file is not None:
        source_file.seek(0)
        saved.source_file.save(Path(parsed.source).name, source_file, save=False)
    saved.save()
    sections = {}
    for order, row in enumerate(_task_rows(plan)):
        if row.kind == "section":
            sections[tuple(row.path)] = _save_section(saved, row, order)
        else:
            task = Task(plan=saved, order=order)
            _fill_task(task, row, sections, parsed.text)
            task.save()
            _save_content(task, row, version=1)
    record(user, "plan.import", saved, {}, {"title": saved.title, "tasks": saved.tasks.count(),
                                            "source": saved.source_name})
    return saved


def _save_section(plan: Plan, row: TaskRow, order: int) -> Section:
    return Section.objects.create(plan=plan, label=row.label, title=row.title[:300], order=order,
                                  start=row.start, end=row.start + len(row.title))


def _fill_task(task: Task, row: TaskRow, sections: dict[tuple[str, ...], Section], text: str) -> None:
    task.section = sections.get(tuple(row.path[:1]))
    task.label = row.label
    task.number = number_of(row)[:60]
    task.title = row.title[:500] or "（无标题）"
    task.start = row.start
    line_end = text.find("\n", row.start)
    task.end = len(text) if line_end < 0 else line_end
    ends = [m.end for m in row.measures] + [t.end for t in row.targets]
    task.content_end = max(ends, default=task.end)


def _save_content(task: Task, row: TaskRow, *, version: int) -> None:
    old_measures = list(task.measures.filter(removed_in_version__isnull=True)) if task.pk else []
    for order, (old, new) in enumerate(match_by_text(old_measures, row.measures, lambda m: m.text, lambda m: m.text)):
        if new is None:
            assert old is not None
            _retire(old, version, referenced=old.assignments.exists())
            continue
        measure = old or Measure(task=task)
        measure.text, measure.order, measure.start, measure.end = new.text, order, new.start, new.end
        measure.save()
    old_targets = list(task.targets.filter(removed_in_version__isnull=True)) if task.pk else []
    for order, (old, new) in enumerate(match_by_text(old_targets, row.targets, lambda t: t.quote, lambda t: t.quote)):
        if new is None:
            assert old is not None
            _retire(old, version, referenced=old.actual_element_id is not None or old.indicator_id is not None)
            continue
        target = old or Target(task=task)
        _fill_target(target, new, order)
        target.save()


def _retire(obj: Measure | Target, version: int, *, referenced: bool) -> None:
    if referenced:  # people reported against it: keep it, out of the current plan
        obj.removed_in_version = version
        obj.save(update_fields=["removed_in_version"])
    else:
        obj.delete()


def _fill_target(target: Target, new: parsed_model.Target, order: int) -> None:
    low, high = (new.value if isinstance(new.value, list) else (new.value, None))
    target.metric = new.metric[:200]
    target.direction, target.comparator = new.direction, new.comparator
    target.value, target.value_high = float(low), (float(high) if high is not None else None)
    target.unit = new.unit[:20]
    target.quote = new.quote
    target.baseline_value = float(new.baseline.value) if new.baseline else None
    target.baseline_year = new.baseline.year if new.baseline else None
    target.year = new.year
    target.order, target.start, target.end = order, new.start, new.end


def _revise(plan: Plan, new_plan: parsed_model.Plan, parsed: ParsedSource, *, user,
            source_file: File | None) -> ImportResult:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    pairs = _task_pairs(plan, new_plan)  # matched once: described now, applied below
    changes = [_describe(old, pair[1] if pair else None) for old, pair in pairs]
    before = {"version": plan.version, "title": plan.title, "source": plan.source_name}
    for name, value in _plan_fields(new_plan, parsed).items():
        setattr(plan, name, value)
    plan.version += 1
    if source_file is not None:
        source_file.seek(0)
        plan.source_file.save(Path(parsed.source).name, source_file, save=False)
    plan.save()
    _store_rows(plan, new_plan, parsed.text, pairs)
    record(user, "plan.revise", plan, before, {
        "version": plan.version, "title": plan.title, "source": plan.source_name,
        "added": sum(c.kind == "added" for c in changes), "removed": sum(c.kind == "removed" for c in changes),
        "changed": sum(c.kind == "changed" for c in changes),
    })
    return ImportResult([plan], changes)


def _store_rows(plan: Plan, new_plan: parsed_model.Plan, text: str, pairs: list[TaskPair]) -> None:
    """Write the sections and the paired tasks of ``new_plan`` into ``plan`` (at its version)."""
    old_sections = list(plan.sections.all())
    sections: dict[tuple[str, ...], Section] = {}
    for order, row in enumerate(_task_rows(new_plan)):
        if row.kind == "section":
            sections[tuple(row.path)] = _save_section(plan, row, order)
    for old, pair in pairs:
        if pair is None:
            assert old is not None
            old.removed_in_version = plan.version
            old.save(update_fields=["removed_in_version"])
            continue
        order, row = pair
        task = old or Task(plan=plan)
        task.order = order
        _fill_task(task, row, sections, text)
        task.save()
        _save_content(task, row, version=plan.version)
    Section.objects.filter(pk__in=[s.pk for s in old_sections]).delete()


def _pairs_in_place(plan: Plan, new_plan: parsed_model.Plan) -> list[TaskPair]:
    """Tasks paired with the rows of a new reading of the same text: by place, then by wording."""
    rows = [(order, row) for order, row in enumerate(_task_rows(new_plan)) if row.kind == "task"]
    old_tasks = list(plan.tasks.filter(removed_in_version__isnull=True).prefetch_related("measures", "targets"))
    by_start = {task.start: task for task in old_tasks}
    placed = [(by_start.pop(row.start, None), (order, row)) for order, row in rows]
    rest = match_by_text(list(by_start.values()), [p for t, p in placed if t is None], _task_match_text,
                         lambda pair: _row_match_text(pair[1]))
    again = {id(pair): task for task, pair in rest if pair is not None}
    pairs: list[TaskPair] = [(task or again.get(id(pair)), pair) for task, pair in placed]
    pairs += [(task, None) for task, pair in rest if pair is None]
    return pairs


def rederive(plan: Plan, new_plan: parsed_model.Plan, *, reported: Container[int] = frozenset()) -> list[TaskChange]:
    """Store a corrected reading of the plan's own text in place, keeping its version; tasks in
    ``reported`` (they have progress reports) must come out as they were, or nothing changes (E471)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    pairs = _pairs_in_place(plan, new_plan)
    changes = []
    for old, pair in pairs:
        change = _describe(old, pair[1] if pair else None)
        if old is not None and old.pk in reported and (
                change.kind == "removed" or any(not d.startswith("编号") for d in change.details)):
            raise EduplanError(Errors.E471, task=old.title)
        changes.append(change)
    fields = _plan_fields(new_plan, ParsedSource(plan.source_name, plan.source_text))
    for name in ("title", "region", "kind", "period_start", "period_end", "issuer"):
        setattr(plan, name, fields[name])
    with keeping_states():  # the corrected tasks are judged again before the correction commits
        plan.save()
        _store_rows(plan, new_plan, plan.source_text, pairs)
    return changes
