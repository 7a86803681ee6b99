"""What the API reads and answers, described for /api/openapi.json (Chinese / English)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Schema
from ninja.params import functions as params
from pydantic import AfterValidator

from eduplan.errors import Errors
from eduplan.tracking.assigning import MAX_ID
from eduplan.tracking.progress import IDEMPOTENCY_KEY
from eduplan.tracking.status import Light, Status

ReportState = Literal["in_progress", "done", "blocked"]

# Bounds on everything a caller sends, so that the schema says what is checked and nothing
# out of range reaches the database (a 2**63 id overflows SQLite's integers: a 500).
MAX_OFFSET = 10**6
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL: refuse it here, not as a 500 there
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, params.Path(ge=1, le=MAX_ID, description="编号 / id")]


def text(max_length: int | None = None) -> object:
    """A string without NUL, at most ``max_length`` characters: ``Annotated[str, text(100)]``."""
    return Field(pattern=NO_NUL, max_length=max_length)


Name = Annotated[str, text(100)]


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


# A time is answered in the bureau's own zone with its offset ("…T08:00:00+08:00"), so that the
# date a caller reads off it is the date people there live in, not UTC's.
LocalTime = Annotated[datetime, AfterValidator(_local)]
IdempotencyKey = Annotated[str | None, params.Header(
    None, alias="Idempotency-Key", pattern=IDEMPOTENCY_KEY.pattern,
    description="幂等键：重试时带上同一个键，不会重复填报，返回第一次的报告 / idempotency key: a retry with the "
                "same key returns the first report instead of adding another (1–64 visible ASCII characters)")]


def about(description: str, default: object = ..., **kwargs: object) -> object:
    """A field with its description: ``about("名称 / name")``."""
    return Field(default, description=description, **kwargs)


# ---------------------------------------------------------------- common

class ErrorOut(Schema):
    code: str = about("错误代码，可据此查找说明 / stable error code, e.g. E405")
    message: str = about("一行说明，中文在前、英文在后 / one line, Chinese then English")
    detail: list[dict] | None = about("逐项的校验错误（仅 E506） / field-by-field validation errors (E506 only)", None)


def error_body(error: Errors, **values: object) -> dict:
    """The body of an error answer: ``{"code": "E501", "message": "..."}``."""
    return {"code": error.name, "message": error.render(**values)}


# What an endpoint may answer besides success, for the OpenAPI description: 422 parameters
# or a body that do not fit the schema; 500 a bug, still as ``ErrorOut``.
READ_ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 500: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 500: ErrorOut}


class UnitRef(Schema):
    id: int
    name: str = about("单位名称 / unit name")


class SectionRef(Schema):
    id: int
    label: str = about("序号，如“三” / label, e.g. 三")
    title: str = about("部分标题 / section title")


# ---------------------------------------------------------------- account

class LoginIn(Schema):
    username: str = about("用户名 / username", pattern=NO_NUL, max_length=150)
    password: str = about("密码 / password", pattern=NO_NUL, max_length=4096)


class TokenOut(Schema):
    token: str = about("接口令牌，请求时放在 Authorization: Bearer 之后 / send as Authorization: Bearer <token>")
    expires_at: LocalTime = about("过期时间，之后须重新登录 / when it stops working: log in again after that")


class ApiTokenOut(Schema):
    id: int = about("令牌编号，用于作废 / token id, for DELETE /api/tokens/{id}")
    created_at: LocalTime = about("创建时间 / issued at")
    last_used_at: LocalTime | None = about("最近使用时间（精确到约 5 分钟） / last used (to about 5 minutes)")
    expires_at: LocalTime = about("过期时间 / expires at")
    current: bool = about("是否为本次请求所用的令牌 / whether this request used it")


class MeOut(Schema):
    username: str
    name: str = about("姓名 / full name")
    role: str | None = about("角色：admin、manager、reporter、viewer；无权限时为空 / role, null without access")
    role_label: str = about("角色名称 / role label")
    unit: UnitRef | None = about("所属单位 / the user's org unit")
    superuser: bool
    can_report: bool = about("可填报进展 / may report progress")
    can_assign: bool = about("可分派任务 / may assign tasks")
    can_import: bool = about("可导入计划 / may import plans")


class UnitOut(Schema):
    id: int
    name: str = about("单位名称 / unit name")
    kind: str = about("类型：bureau、department、group、school / kind")
    parent_id: int | None = about("上级单位 / parent unit id")
    school_level: str = about("学段（仅学校） / school level, schools only")
    active: bool = about("启用 / active")


# ---------------------------------------------------------------- plans

class PlanOut(Schema):
    id: int
    title: str = about("标题 / title")
    kind: str = about("类型：annual、five_year、other / kind")
    region: str = about("地区 / region")
    period_start: int | None = about("起始年份 / first year")
    period_end: int | None = about("终止年份 / last year")
    issuer: str = about("发文单位 / issuer")
    source_name: str = about("源文件名 / source file name")
    version: int = about("版本，每次修订导入加一 / version, +1 per revision")
    bureau_id: int = about("所属教育局 / owning bureau")
    imported_at: LocalTime = about("导入时间 / imported at")
    task_count: int = about("任务数（不含已删除） / tasks, removed ones excluded")


class SectionOut(Schema):
    id: int
    label: str = about("序号 / label")
    title: str = about("标题 / title")
    order: int
    start: int = about("在源文本中的起点 / start offset in the plan's source text")
    end: int = about("在源文本中的终点 / end offset in the plan's source text")


class TargetOut(Schema):
    id: int
    metric: str = about("指标 / metric")
    direction: str = about("方向 / direction")
    comparator: str = about("比较：>= > <= < = ~ range / comparator")
    value: float = about("目标值 / target value")
    value_high: float | None = about("目标上限（range） / upper bound for range")
    unit: str = about("单位 / unit of measure")
    quote: str = about("原文 / quoted source text")
    baseline_value: float | None = about("基线值 / baseline")
    baseline_year: int | None = about("基线年份 / baseline year")
    year: int | None = about("目标年份 / target year")
    start: int = about("原文起点 / start offset in the source text")
    end: int = about("原文终点 / end offset in the source text")


class PlanTaskOut(Schema):
    id: int
    number: str = about("编号，如“三/(二)/5” / number, the label path")
    label: str = about("序号 / label")
    title: str = about("任务 / title")
    section_id: int | None
    start: int = about("标题行起点 / start offset of the heading line")
    end: int = about("标题行终点 / end offset of the heading line")
    content_end: int = about("最后一条措施或目标的终点 / end of the task's content")
    targets: list[TargetOut] = about("量化目标 / quantified targets")


class PlanDetailOut(PlanOut):
    sections: list[SectionOut] = about("部分 / sections")
    tasks: list[PlanTaskOut] = about("您可见的任务 / the tasks visible to you")


class ImportForm(Schema):
    bureau: Id | None = about("教育局编号（仅超级用户需要） / bureau id, superusers only", None)
    replaces: Id | None = about("作为该计划的新版本导入 / import as a new version of this plan", None)


class ImportedPlanOut(Schema):
    id: int
    title: str
    version: int
    tasks: int = about("任务数 / number of tasks")


class ChangeOut(Schema):
    kind: Literal["added", "removed", "changed", "unchanged"] = about("新增、删除、修改、未变 / change kind")
    number: str
    title: str
    old_title: str = about("原标题（修改时） / previous title")
    details: list[str] = about("修改了什么 / what changed")


class ImportOut(Schema):
    plans: list[ImportedPlanOut]
    changes: list[ChangeOut] = about("修订导入时与上一版的差异 / differences from the previous version (revisions)")


# ---------------------------------------------------------------- tasks

class TaskFilters(Schema):
    plan: Id | None = about("计划编号 / plan id", None)
    unit: Id | None = about("牵头或配合单位（含下级）编号 / lead or partner unit id, its subtree included", None)
    status: Status | None = about("状态 / status", None)
    light: Light | None = about("预警灯 / warning light", None)
    q: Annotated[str, text(100)] | None = about("关键词（任务标题或编号） / keyword in title or number", None)
    section: Id | None = about("部分编号 / section id", None)
    limit: int = about("每页条数 / page size", 50, ge=1, le=500)
    offset: int = about("跳过条数 / items to skip", 0, ge=0, le=MAX_OFFSET)


class TaskItemOut(Schema):
    id: int
    number: str = about("编号 / number")
    title: str = about("任务 / title")
    plan_id: int
    section: SectionRef | None
    lead_units: list[UnitRef] = about("牵头单位 / lead units")
    deadline: date | None = about("完成时限（最晚） / deadline, the latest of its assignments")
    percent: int = about("完成进度（%，各分派中最低） / progress in %, lowest of its assignments")
    status: Status = about("状态 / status")
    status_label: str = about("状态名称 / status label")
    light: Light = about("预警灯 / warning light")
    reasons: list[str] = about("预警原因 / why the light is what it is")


class TaskPageOut(Schema):
    count: int = about("符合条件的任务总数 / total matching tasks")
    limit: int
    offset: int
    items: list[TaskItemOut]


class MeasureOut(Schema):
    id: int
    text: str = about("措施 / measure")
    order: int
    start: int
    end: int


class TaskTargetOut(TargetOut):
    latest_actual: float | None = about("最新实际值 / latest reported actual")


class MilestoneOut(Schema):
    id: int
    due: date = about("节点日期 / due date")
    title: str = about("节点内容 / what is due")
    done: bool = about("已完成 / done")


class AssignmentOut(Schema):
    id: int
    task_id: int
    measure_id: int | None = about("分派到措施时的措施编号 / measure id for a split task")
    lead_unit: UnitRef = about("牵头单位 / lead unit")
    partner_units: list[UnitRef] = about("配合单位 / partner units")
    owner: str | None = about("责任人用户名 / owner's username")
    start_date: date = about("开始日期 / start date")
    deadline: date = about("完成时限 / deadline")
    suggestion: str = about("分派依据 / why it was assigned so")
    closed_at: LocalTime | None = about("办结时间 / closed at")
    latest_percent: int = about("最新进度 / latest percent")
    latest_state: str = about("最新状态 / latest state")
    latest_report_at: LocalTime | None = about("最近填报 / last report at")
    can_report: bool = about("当前用户可在此填报 / you may report on it")
    milestones: list[MilestoneOut] = about("时间节点 / milestones")


class EvidenceOut(Schema):
    id: int
    name: str = about("文件名 / file name")
    size: int
    sha256: str


class ActualOut(Schema):
    target_id: int
    value: float = about("实际值 / actual value")


class ReportOut(Schema):
    id: int
    assignment_id: int
    period: str = about("报告期 YYYY-MM / report period")
    state: str = about("状态 / state")
    state_label: str
    percent: int = about("完成进度（%） / percent done")
    narrative: str = about("进展情况 / narrative")
    unit: UnitRef = about("填报单位 / reporting unit")
    created_by: str = about("填报人 / reported by")
    created_at: LocalTime
    evidence: list[EvidenceOut] = about("佐证材料 / evidence files")
    actuals: list[ActualOut] = about("目标实际值 / target actuals")


class TaskDetailOut(TaskItemOut):
    plan_title: str
    expected: int = about("序时进度（%） / expected progress by today, %")
    measures: list[MeasureOut]
    targets: list[TaskTargetOut]
    assignments: list[AssignmentOut]
    reports: list[ReportOut] = about("进展报告，最新在前 / progress reports, newest first")


class MilestoneIn(Schema):
    due: date = about("节点日期 / due date")
    title: str = about("节点内容 / what is due", pattern=NO_NUL, max_length=200)


class AssignIn(Schema):
    lead_unit: Id | Name = about("牵头单位：编号或名称 / lead unit: id or exact name")
    partner_units: list[Id | Name] = about("配合单位：编号或名称 / partner units: ids or names", [], max_length=100)
    owner: Annotated[str, text(150)] | None = about("责任人用户名 / owner's username", None)
    start_date: date | None = about("开始日期，默认计划首年 1 月 1 日 / start, default 1 Jan of the plan's year", None)
    deadline: date | None = about("完成时限，默认计划末年 12 月 31 日 / deadline, default 31 Dec", None)
    measure: Id | None = about("只分派该任务的一条措施（拆分任务） / assign one measure of the task only", None)
    milestones: list[MilestoneIn] | None = about("时间节点，给出则整体替换 / milestones; given, they replace the old ones",
                                                 None, max_length=100)


class ReportIn(Schema):
    period: Annotated[str, text(20)] = about("报告期 YYYY-MM / report period, YYYY-MM")
    state: ReportState = about("推进中、已完成、遇到困难 / state", "in_progress")
    percent: int | Annotated[float, Field(allow_inf_nan=False)] | Annotated[str, text(20)] = about(
        "完成进度，0–100 的整数 / percent done, a whole number 0–100")
    narrative: Annotated[str, text()] = about("进展情况 / what was done")
    actuals: dict[Id, Annotated[float, Field(allow_inf_nan=False)] | Annotated[str, text(30)]] = about(
        "目标实际值：{目标编号: 数值} / target actuals: {target_id: value}", {}, max_length=100)


class ReportForm(Schema):
    """The multipart form of a report; ``actuals`` is JSON text there."""

    period: str = about("报告期 YYYY-MM / report period, YYYY-MM", pattern=NO_NUL, max_length=20)
    state: ReportState = about("推进中、已完成、遇到困难 / state", "in_progress")
    percent: str = about("完成进度 0–100 / percent done, 0–100", pattern=NO_NUL, max_length=20)
    narrative: str = about("进展情况 / what was done", pattern=NO_NUL)
    actuals: str = about('目标实际值，JSON：{"目标编号": 数值} / target actuals as JSON: {"target_id": value}', "{}",
                         pattern=NO_NUL)


# ---------------------------------------------------------------- dashboard

class GroupOut(Schema):
    name: str
    total: int
    done: int
    done_share: int = about("完成率（%） / share done, %")
    average_percent: int = about("平均进度（%） / average progress, %")
    lights: dict[str, int]


class BriefOut(Schema):
    id: int
    number: str
    title: str
    plan: str
    status: str
    status_label: str
    light: str
    lead_units: list[str]
    reasons: list[str]


class DashboardOut(Schema):
    today: date
    total: int = about("任务总数 / tasks")
    by_status: dict[str, int] = about("按状态计数 / tasks per status")
    by_light: dict[str, int] = about("按预警灯计数 / tasks per light")
    by_section: list[GroupOut] = about("按部分 / per section")
    by_department: list[GroupOut] = about("按牵头单位 / per lead unit")
    warnings: list[BriefOut] = about("红黄预警，最落后在前 / red and yellow, most behind first")
    overdue: list[BriefOut] = about("逾期任务 / overdue tasks")


class TrendFilters(Schema):
    plan: Id | None = about("计划编号（缺省为全部计划） / plan id, all plans when left out", None)


class TrendMonthOut(Schema):
    period: str = about("月份 YYYY-MM / month")
    total: int
    by_status: dict[str, int] = about("月末各状态任务数 / tasks per status at the month's end")
    by_light: dict[str, int] = about("月末各预警灯任务数 / tasks per light at the month's end")


class TrendOverallOut(TrendMonthOut):
    as_of: date = about("判定日期：月末，本月为今天 / the day judged on: the month's end, today for this month")


class TrendUnitOut(Schema):
    unit_id: int | None = about("牵头单位编号，未分派为空 / lead unit id, null for unassigned tasks")
    name: str
    kind: str | None
    months: list[TrendMonthOut]


class TrendsOut(Schema):
    today: date
    months: list[TrendOverallOut] = about("各月，本月在最后 / each month, the current one last")
    units: list[TrendUnitOut] = about("按牵头单位：科室在前，集团与学校按组织树 / per lead unit, departments first")
