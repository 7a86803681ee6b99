"""Tracking data. Text spans (``start``/``end``) index ``Plan.source_text``, as in the parser."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from eduplan.orgs.models import OrgUnit

USER = settings.AUTH_USER_MODEL


class Plan(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", "年度工作要点"
        FIVE_YEAR = "five_year", "五年发展规划"
        OTHER = "other", "其他"

    bureau = models.ForeignKey(OrgUnit, verbose_name="教育局", on_delete=models.PROTECT, related_name="plans")
    title = models.CharField("标题", max_length=300)
    region = models.CharField("地区", max_length=100, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    period_start = models.PositiveIntegerField("起始年份", null=True, blank=True)
    period_end = models.PositiveIntegerField("终止年份", null=True, blank=True)
    issuer = models.CharField("发文单位", max_length=200, blank=True)
    source_name = models.CharField("源文件名", max_length=255)
    source_file = models.FileField("源文件", upload_to="plans/%Y/", blank=True)
    source_text = models.TextField("源文本")
    start = models.PositiveIntegerField(default=0)  # this plan's span in a file holding several
    end = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField("版本", default=1)
    imported_by = models.ForeignKey(USER, verbose_name="导入人", null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "计划"
        ordering = ["-imported_at", "-id"]

    @property
    def owning_bureau_id(self) -> int:
        """The bureau this belongs to: whose change counter a change bumps (``audit.log``)."""
        return self.bureau_id

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """A level-1 heading (一、二、…): the band the tasks are grouped under."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    label = models.CharField("序号", max_length=20)
    title = models.CharField("标题", max_length=300)
    order = models.PositiveIntegerField(default=0)
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "部分"
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.label}、{self.title}"


class Task(models.Model):
    """A numbered item of the plan: one row of its 任务分解表."""

    plan = models.ForeignKey(Plan, verbose_name="计划", on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, verbose_name="部分", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="tasks")
    label = models.CharField("序号", max_length=20, blank=True)
    number = models.CharField("编号", max_length=60, blank=True)  # the label path, e.g. "三/(二)/5"
    title = models.CharField("任务", max_length=500)
    order = models.PositiveIntegerField(default=0)
    start = models.PositiveIntegerField(default=0)  # the heading line
    end = models.PositiveIntegerField(default=0)
    content_end = models.PositiveIntegerField(default=0)  # end of the last measure or target under it
    removed_in_version = models.PositiveIntegerField("删除于版本", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "任务"
        ordering = ["plan", "order"]
        indexes = [models.Index(fields=["plan", "removed_in_version"])]

    @property
    def owning_bureau_id(self) -> int:
        """The bureau this belongs to: for the change counter."""
        return self.plan.bureau_id

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def is_removed(self) -> bool:
        return self.removed_in_version is not None


class Measure(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="measures")
    text = models.TextField("措施")
    order = models.PositiveIntegerField(default=0)
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)
    removed_in_version = models.PositiveIntegerField("删除于版本", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "措施"
        ordering = ["task", "order"]

    def __str__(self) -> str:
        return self.text[:60]


class Target(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField("指标", max_length=200)
    direction = models.CharField("方向", max_length=20, default="level")
    comparator = models.CharField("比较", max_length=10, default="=")
    value = models.FloatField("目标值")
    value_high = models.FloatField("目标上限", null=True, blank=True)  # comparator "range"
    unit = models.CharField("单位", max_length=20, blank=True)
    quote = models.TextField("原文")
    baseline_value = models.FloatField("基线值", null=True, blank=True)
    baseline_year = models.PositiveIntegerField("基线年份", null=True, blank=True)
    year = models.PositiveIntegerField("目标年份", null=True, blank=True)
    # Where its actual comes from: a bound indicator computed from the schools' data, or else
    # the figures owners type with their reports, kept as data values of the target's own element.
    indicator = models.ForeignKey("indicators.Indicator", verbose_name="绑定指标", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="targets")
    actual_element = models.OneToOneField("indicators.DataElement", null=True, blank=True, editable=False,
                                          on_delete=models.SET_NULL, related_name="target")
    order = models.PositiveIntegerField(default=0)
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)
    removed_in_version = models.PositiveIntegerField("删除于版本", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "量化目标"
        ordering = ["task", "order"]

    @property
    def owning_bureau_id(self) -> int:
        """The bureau this belongs to: for the change counter."""
        return self.task.plan.bureau_id

    def __str__(self) -> str:
        return self.quote[:60]


class Assignment(models.Model):
    """Who does a task (or one measure of a split task), by when.

    ``latest_*`` repeat the newest progress report so lists and dashboards need no
    per-row subquery; ``tracking.progress.submit_report`` keeps them in step.
    """

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="assignments")
    measure = models.ForeignKey(Measure, verbose_name="措施", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="assignments")
    lead_unit = models.ForeignKey(OrgUnit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="led")
    partner_units = models.ManyToManyField(OrgUnit, verbose_name="配合单位", blank=True, related_name="partnered")
    owner = models.ForeignKey(USER, verbose_name="责任人", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="owned_assignments")
    start_date = models.DateField("开始日期")
    deadline = models.DateField("完成时限")
    suggestion = models.CharField("分派依据", max_length=300, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    latest_percent = models.PositiveSmallIntegerField("最新进度", default=0)
    latest_state = models.CharField("最新状态", max_length=20, blank=True)
    latest_report_at = models.DateTimeField("最近填报", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "任务分派"
        ordering = ["task__plan", "task__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "measure"], name="one_assignment_per_task_or_measure"),
            models.UniqueConstraint(fields=["task"], condition=models.Q(measure=None), name="one_whole_task_assignment"),
        ]

    @property
    def owning_bureau_id(self) -> int:
        """The bureau this belongs to: for the change counter."""
        return self.task.plan.bureau_id

    def __str__(self) -> str:
        return f"{self.task} → {self.lead_unit}"


class Milestone(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=200)
    due = models.DateField("节点时间")
    done = models.BooleanField("已完成", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "时间节点"
        ordering = ["due", "id"]

    @property
    def owning_bureau_id(self) -> int:
        """The bureau this belongs to: for the change counter."""
        return self.assignment.task.plan.bureau_id

    def __str__(self) -> str:
        return f"{self.due} {self.title}"


class AppendOnly(models.Model):
    """Reports and their evidence files: once written they are never edited or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{type(self).__name__} is append-only")


class ProgressReport(AppendOnly):
    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", "推进中"
        DONE = "done", "已完成"
        BLOCKED = "blocked", "遇到困难"

    assignment = models.ForeignKey(Assignment, verbose_name="任务分派", on_delete=models.PROTECT, related_name="reports")
    period = models.CharField("报告期", max_length=7, help_text="YYYY-MM")
    state = models.CharField("状态", max_length=20, choices=State.choices)
    percent = models.PositiveSmallIntegerField("完成进度（%）")
    narrative = models.TextField("进展情况")
    unit = models.ForeignKey(OrgUnit, verbose_name="填报单位", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(USER, verbose_name="填报人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("填报时间", auto_now_add=True, db_index=True)
    # What the owner typed for the task's targets with this report, {target id: value}: the
    # report's own evidence. The figures themselves are data values (``indicators.actuals``),
    # where a later report of the same month replaces the number but not this record.
    typed_actuals = models.JSONField("填报的目标实际值", default=dict, blank=True, editable=False)
    # Sent with the report (the form's hidden token, the API's Idempotency-Key header): a retried
    # post with the same key returns this report instead of adding another.
    idempotency_key = models.CharField("幂等键", max_length=64, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "进展报告"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["created_by", "idempotency_key"],
                                               name="unique_report_idempotency_key_per_user")]

    @property
    def owning_bureau_id(self) -> int:
        """The bureau this belongs to: for the change counter."""
        return self.assignment.task.plan.bureau_id

    def __str__(self) -> str:
        return f"{self.period} {self.percent}% {self.assignment.task}"


class Evidence(AppendOnly):
    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField("佐证材料", upload_to="evidence/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.original_name


class RoutingRule(models.Model):
    """Keywords in a task's text that suggest its lead department; editable by the admin."""

    bureau = models.ForeignKey(OrgUnit, verbose_name="教育局", on_delete=models.CASCADE, related_name="routing_rules")
    keywords = models.CharField("关键词", max_length=500, help_text="用顿号、逗号或空格分隔")
    lead_unit = models.ForeignKey(OrgUnit, verbose_name="建议牵头单位", on_delete=models.CASCADE, related_name="+")
    partner_units = models.ManyToManyField(OrgUnit, verbose_name="建议配合单位", blank=True, related_name="+")
    priority = models.IntegerField("优先级", default=0, help_text="得分相同时优先级高者胜出")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "分派规则"
        ordering = ["-priority", "id"]

    @property
    def owning_bureau_id(self) -> int:
        """The bureau this belongs to: for the change counter."""
        return self.bureau_id

    def __str__(self) -> str:
        return f"{self.keywords[:30]} → {self.lead_unit}"

    def keyword_list(self) -> list[str]:
        import re

        return [k for k in re.split(r"[\s,，、;；]+", self.keywords) if k]


class WarningSettings(models.Model):
    """The thresholds behind red/yellow/green, one row per bureau."""

    bureau = models.OneToOneField(OrgUnit, verbose_name="教育局", on_delete=models.CASCADE, related_name="warning_settings")
    yellow_gap = models.PositiveSmallIntegerField("黄色预警：落后序时进度（百分点）", default=10)
    red_gap = models.PositiveSmallIntegerField("红色预警：落后序时进度（百分点）", default=30)
    due_soon_days = models.PositiveSmallIntegerField("临期提醒（天）", default=14)

    class Meta:
        verbose_name = verbose_name_plural = "预警阈值"

    @property
    def owning_bureau_id(self) -> int:
        """The bureau this belongs to: for the change counter."""
        return self.bureau_id

    def __str__(self) -> str:
        return f"{self.bureau} 预警阈值"


class PendingImport(models.Model):
    """An uploaded plan waiting for the admin to review the parsed structure and confirm."""

    bureau = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="pending/")
    source_name = models.CharField(max_length=255)
    replaces = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "待确认导入"


class Correction(models.Model):
    """A person's fix of what the parser read, kept with the source text it applies to.

    Made on the import review page (``pending``) or on a saved plan's page (``plan``); a
    re-import of a revised plan applies it again wherever ``quote`` still reads the same
    (``tracking.corrections``). ``parser_said``/``person_said`` are the before and after,
    which ``eduplan corrections export`` turns into parser cases.
    """

    class Kind(models.TextChoices):
        LEVEL_UP = "level_up", "升一级"
        LEVEL_DOWN = "level_down", "降一级"
        MERGE = "merge", "并入上一项"
        SPLIT = "split", "拆分为新任务"
        NOT_TASK = "not_task", "不是任务"
        TITLE = "title", "修改标题"
        TARGET_DELETE = "target_delete", "删除量化目标"
        TARGET_ADD = "target_add", "新增量化目标"
        TARGET_EDIT = "target_edit", "修改量化目标"
        PLAN = "plan", "修改计划信息"

    bureau = models.ForeignKey(OrgUnit, verbose_name="教育局", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, verbose_name="计划", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="corrections")
    pending = models.ForeignKey(PendingImport, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="corrections")
    kind = models.CharField("更正", max_length=20, choices=Kind.choices)
    quote = models.TextField("原文", blank=True)
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)
    parser_said = models.JSONField("识别结果", default=dict, blank=True)
    person_said = models.JSONField("更正为", default=dict, blank=True)
    author = models.ForeignKey(USER, verbose_name="更正人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("更正时间", auto_now_add=True)
    # The version of the plan whose text no longer held ``quote``: the fix is kept, not applied.
    dropped_in_version = models.PositiveIntegerField("失效于版本", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "识别更正"
        ordering = ["id"]

    @property
    def owning_bureau_id(self) -> int:
        """The bureau this belongs to: for the change counter."""
        return self.bureau_id

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.quote[:60]}"


class TaskStatus(models.Model):
    """A task's state as ``warnings.task_states`` judged it on ``as_of``: what lists, filters
    and the dashboard read and count in SQL instead of judging every task on every request.

    Kept by ``tracking.state_store``: the services that change a task's inputs judge it again
    in their own transaction, other writes mark it stale (``as_of`` NULL), and a row whose
    ``as_of`` is not today is judged again before anyone reads it (states follow the date)."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="stored_state")
    as_of = models.DateField("判定日期", null=True)
    status = models.CharField("状态", max_length=20)
    light = models.CharField("预警", max_length=10)
    light_rank = models.PositiveSmallIntegerField(default=0)  # status.LIGHT_ORDER: red first in SQL
    expected = models.SmallIntegerField("序时进度", default=0)
    percent = models.SmallIntegerField("进度", default=0)  # TaskState.percent: the least of its assignments
    reasons = models.JSONField("原因", default=list)

    class Meta:
        verbose_name = verbose_name_plural = "任务状态"

    def __str__(self) -> str:
        return f"{self.task_id} {self.status}/{self.light} @ {self.as_of}"
