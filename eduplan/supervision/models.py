"""Supervision (督导督查): rounds with a checklist, findings per school, their rectification
(整改), the inbox, and the appraisal (目标管理考核) rules and adjustments, each per bureau."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from eduplan.orgs.models import OrgUnit
from eduplan.tracking.clock import local_date

from .work import AssignedWork, WorkEvidence, WorkReport

USER = settings.AUTH_USER_MODEL


class SupervisionRules(models.Model):
    """Escalation and reminder rules, one row per bureau (defaults when it has none)."""

    bureau = models.OneToOneField(OrgUnit, verbose_name="教育局", on_delete=models.CASCADE,
                                  related_name="supervision_rules")
    rectify_days = models.PositiveSmallIntegerField("默认整改期限（天）", default=30)
    urge_after_days = models.PositiveSmallIntegerField("逾期几天起催办（黄）", default=1)
    supervise_after_days = models.PositiveSmallIntegerField("逾期几天起督办（红）", default=15)
    remind_days_before = models.PositiveSmallIntegerField("到期前几天提醒", default=7)
    stale_days = models.PositiveSmallIntegerField("几天未更新提醒", default=30)
    data_grace_days = models.PositiveSmallIntegerField("数据报送宽限（天）", default=15,
                                                       help_text="报送期结束后超过此天数仍未提交，提醒数据迟报")
    send_email = models.BooleanField("同时发送邮件", default=False,
                                     help_text="需在服务器上配置 Django 邮件（EMAIL_HOST 等）")

    class Meta:
        verbose_name = verbose_name_plural = "督办与提醒规则"

    def clean(self) -> None:
        """催办 comes before 督办: otherwise work would jump straight to 督办 and never be urged."""
        super().clean()
        urge, supervise = self.urge_after_days, self.supervise_after_days
        if urge is not None and supervise is not None and urge >= supervise:
            raise ValidationError({"urge_after_days": f"催办天数（{urge}）应少于督办天数（{supervise}）"})

    @property
    def owning_bureau_id(self) -> int:
        return self.bureau_id

    def __str__(self) -> str:
        return f"{self.bureau} 督办与提醒规则"


class AppraisalRules(models.Model):
    """Points of the 目标管理考核, one row per bureau (the field defaults otherwise)."""

    bureau = models.OneToOneField(OrgUnit, verbose_name="教育局", on_delete=models.CASCADE,
                                  related_name="appraisal_rules")
    base_points = models.DecimalField("基础分", max_digits=6, decimal_places=2, default=Decimal("100"))
    on_time_points = models.DecimalField("按时填报进展，每次加分", max_digits=5, decimal_places=2,
                                         default=Decimal("0.2"))
    addition_cap = models.DecimalField("加分上限", max_digits=5, decimal_places=2, default=Decimal("5"))
    late_points = models.DecimalField("迟报进展，每次扣分", max_digits=5, decimal_places=2, default=Decimal("0.5"))
    missing_points = models.DecimalField("逾期未填报进展，每次扣分", max_digits=5, decimal_places=2,
                                         default=Decimal("1"))
    unfinished_points = models.DecimalField("整改逾期未完成，每项扣分", max_digits=5, decimal_places=2,
                                            default=Decimal("2"))
    report_grace_days = models.PositiveSmallIntegerField("月报宽限（天）", default=5,
                                                         help_text="每月进展应在次月此日前填报")
    veto_items = models.TextField("一票否决事项", blank=True,
                                  default="发生重大安全责任事故\n违规招生或有偿补课造成恶劣影响\n重大隐患逾期未整改",
                                  help_text="每行一项")
    critical_unfinished_veto = models.BooleanField("重大隐患逾期未整改自动一票否决", default=True)
    excellent_at = models.DecimalField("优秀分数线", max_digits=5, decimal_places=2, default=Decimal("90"))
    pass_at = models.DecimalField("合格分数线", max_digits=5, decimal_places=2, default=Decimal("60"))

    class Meta:
        verbose_name = verbose_name_plural = "考核评分规则"

    @property
    def owning_bureau_id(self) -> int:
        return self.bureau_id

    def veto_list(self) -> list[str]:
        return [line.strip() for line in self.veto_items.splitlines() if line.strip()]

    def __str__(self) -> str:
        return f"{self.bureau} 考核评分规则"


class Round(models.Model):
    """A 督导 or 督查 round: a checklist taken to a set of schools."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", "督导"
        CHECK = "check", "督查"

    bureau = models.ForeignKey(OrgUnit, verbose_name="教育局", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.INSPECTION)
    standard = models.CharField("检查标准", max_length=40, blank=True)
    section = models.ForeignKey("tracking.Section", verbose_name="计划部分", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    schools = models.ManyToManyField(OrgUnit, verbose_name="被督导单位", related_name="+")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    created_by = models.ForeignKey(USER, verbose_name="创建人", null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "督导轮次"
        ordering = ["-start_date", "-id"]

    @property
    def owning_bureau_id(self) -> int:
        return self.bureau_id

    def __str__(self) -> str:
        return self.title


class ChecklistItem(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(default=0)
    category = models.CharField("类别", max_length=60, blank=True)
    text = models.CharField("检查项目", max_length=300)
    task = models.ForeignKey("tracking.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "检查项目"
        ordering = ["round", "order"]

    def __str__(self) -> str:
        return self.text


class Finding(models.Model):
    """A problem found at one school in a round: what, how serious, with photos."""

    class Severity(models.TextChoices):
        MINOR = "minor", "一般"
        SERIOUS = "serious", "较重"
        CRITICAL = "critical", "重大"

    round = models.ForeignKey(Round, verbose_name="督导轮次", on_delete=models.CASCADE, related_name="findings")
    school = models.ForeignKey(OrgUnit, verbose_name="学校", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ChecklistItem, verbose_name="检查项目", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="findings")
    description = models.TextField("问题描述")
    severity = models.CharField("严重程度", max_length=20, choices=Severity.choices, default=Severity.MINOR)
    found_on = models.DateField("发现日期")
    created_by = models.ForeignKey(USER, verbose_name="记录人", null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "督导发现问题"
        ordering = ["round", "school__path", "id"]

    @property
    def owning_bureau_id(self) -> int:
        return self.round.bureau_id

    def __str__(self) -> str:
        return f"{self.school} · {self.description[:40]}"


class FindingPhoto(WorkEvidence):
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="photos")

    class Meta:
        verbose_name = verbose_name_plural = "问题照片"


class Rectification(AssignedWork):
    """The 整改 of one finding: owned by a unit until a reviewer signs it off (销号)."""

    class State(models.TextChoices):
        OPEN = "open", "整改中"
        SUBMITTED = "submitted", "待审核"
        CLOSED = "closed", "已销号"

    finding = models.OneToOneField(Finding, verbose_name="问题", on_delete=models.CASCADE,
                                   related_name="rectification")
    state = models.CharField("整改状态", max_length=20, choices=State.choices, default=State.OPEN)
    # The escalation step last announced in the inbox, so each step is announced once.
    escalation_sent = models.CharField("已发督办等级", max_length=20, blank=True, editable=False)
    closed_by = models.ForeignKey(USER, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "整改"
        ordering = ["deadline", "id"]

    @property
    def owning_bureau_id(self) -> int:
        return self.finding.round.bureau_id

    def __str__(self) -> str:
        return f"整改：{self.finding}"


class RectificationReport(WorkReport):
    rectification = models.ForeignKey(Rectification, on_delete=models.PROTECT, related_name="reports")
    done = models.BooleanField("申请销号", default=False)

    class Meta(WorkReport.Meta):
        verbose_name = verbose_name_plural = "整改进展"

    @property
    def owning_bureau_id(self) -> int:
        return self.rectification.owning_bureau_id

    def __str__(self) -> str:
        return f"{local_date(self.created_at):%Y-%m-%d} {self.percent}%"


class RectificationEvidence(WorkEvidence):
    report = models.ForeignKey(RectificationReport, on_delete=models.PROTECT, related_name="evidence")

    class Meta:
        verbose_name = verbose_name_plural = "整改佐证材料"


class Review(models.Model):
    """A reviewer's sign-off (销号) or return of a rectification reported done."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "审核通过，销号"
        RETURNED = "returned", "退回重新整改"

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField("审核结果", max_length=20, choices=Decision.choices)
    note = models.TextField("审核意见", blank=True)
    reviewer = models.ForeignKey(USER, verbose_name="审核人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("审核时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "整改审核"
        ordering = ["-at", "-id"]


class Message(models.Model):
    """An inbox message: reminders and notices that need no mail server."""

    class Kind(models.TextChoices):
        DIGEST = "digest", "每日提醒"
        ESCALATION = "escalation", "督办"
        FINDING = "finding", "督导问题"
        REVIEW = "review", "整改审核"

    recipient = models.ForeignKey(USER, verbose_name="收件人", on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    key = models.CharField(max_length=120, help_text="同一收件人同一事项只发一次")
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="one_message_per_key")]

    def __str__(self) -> str:
        return self.title


class ScoreAdjustment(models.Model):
    """An appraiser's change to a unit's computed score, with the reason (audited)."""

    bureau = models.ForeignKey(OrgUnit, verbose_name="教育局", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, verbose_name="被考核单位", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField("考核年度")
    points = models.DecimalField("调整分值", max_digits=6, decimal_places=2, default=Decimal("0"))
    veto_item = models.CharField("一票否决事项", max_length=200, blank=True)
    reason = models.TextField("理由")
    created_by = models.ForeignKey(USER, verbose_name="考核人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核得分调整"
        ordering = ["created_at", "id"]

    @property
    def owning_bureau_id(self) -> int:
        return self.bureau_id

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.points:+}"
