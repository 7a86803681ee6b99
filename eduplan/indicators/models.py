"""Data the schools report and the indicators computed from it.

A data element is one figure a unit reports per period (在园幼儿数, 体测合格人数 …); a data set is
a form that groups elements and has a period kind; a data value is one figure of one unit for
one period. Indicators are formulas over elements (``formula``) and are never stored: they
are computed from data values by ``compute``, the one place that turns values into figures.

A typed actual of a plan target is a data value too (of the target's own element, at the
plan's bureau): there is one store of actual values.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from eduplan.orgs.models import OrgUnit

USER = settings.AUTH_USER_MODEL


class DataElement(models.Model):
    class ValueType(models.TextChoices):
        INTEGER = "integer", "整数"
        NUMBER = "number", "数值"

    class ReportedBy(models.TextChoices):
        SCHOOL = "school", "学校填报"
        AUTHORITY = "authority", "教育局填报"

    code = models.CharField("代码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=100)
    value_type = models.CharField("数值类型", max_length=10, choices=ValueType.choices, default=ValueType.INTEGER)
    unit_label = models.CharField("计量单位", max_length=20, blank=True)
    reported_by = models.CharField("填报层级", max_length=10, choices=ReportedBy.choices, default=ReportedBy.SCHOOL)
    minimum = models.FloatField("最小值", default=0)
    maximum = models.FloatField("最大值", null=True, blank=True)
    description = models.TextField("说明", blank=True)
    # None: the shared catalogue. A target's own element (typed actuals) belongs to the plan's bureau.
    bureau = models.ForeignKey(OrgUnit, verbose_name="教育局", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    for_target = models.BooleanField("目标实际值专用", default=False, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "数据项"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class DataSet(models.Model):
    """A form: the elements a kind of school reports each period."""

    code = models.CharField("代码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=100)
    period_kind = models.CharField("报送周期", max_length=10,
                                   choices=[("year", "年"), ("semester", "学期"), ("quarter", "季度"), ("month", "月")],
                                   default="year")
    elements = models.ManyToManyField(DataElement, verbose_name="数据项", related_name="data_sets")
    school_levels = models.JSONField("填报学段", default=list, blank=True,
                                     help_text="OrgUnit.Level 代码列表；为空时所有学校填报")
    bureau = models.ForeignKey(OrgUnit, verbose_name="教育局", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "数据表"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    class Better(models.TextChoices):
        HIGHER = "higher", "越高越好"
        LOWER = "lower", "越低越好"
        NEITHER = "", "不判断方向"

    code = models.CharField("代码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=100)
    numerator = models.CharField("分子", max_length=300, help_text="数据项代码，用 + 或 - 连接")
    denominator = models.CharField("分母", max_length=300, blank=True, help_text="留空表示不做除法（总量指标）")
    factor = models.FloatField("倍数", default=1, help_text="百分比填 100，每百名学生填 100")
    unit_label = models.CharField("单位", max_length=20, blank=True)
    decimals = models.PositiveSmallIntegerField("小数位", default=1)
    better = models.CharField("方向", max_length=10, choices=Better.choices, blank=True, default="")
    keywords = models.CharField("匹配词", max_length=300, blank=True,
                                help_text="计划目标中可能的说法，用顿号或逗号分隔，用于推荐绑定")
    definition = models.TextField("口径说明", blank=True)
    bounded = models.BooleanField("分子不超过分母", default=False,
                                  help_text="合格率、占比之类：填报时检查每所学校的分子不大于分母（毛入园率等不勾选）")
    bureau = models.ForeignKey(OrgUnit, verbose_name="教育局", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "指标"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A formula must be sums of element codes that exist (checked before it is saved)."""
        from .formula import codes

        try:
            named = codes(self.numerator, self.denominator)
        except ValueError as error:
            raise ValidationError({"numerator": str(error)}) from None
        known = set(DataElement.objects.filter(code__in=named).values_list("code", flat=True))
        missing = [code for code in named if code not in known]
        if missing:
            raise ValidationError({"numerator": f"不存在的数据项：{'、'.join(missing)}"})


class DataValue(models.Model):
    """One figure of one unit for one period; the newest entry of a figure replaces the last
    (the audit log keeps who changed what)."""

    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="data_values")
    period = models.CharField("期间", max_length=8)  # a Period key
    value = models.FloatField("数值")
    # Where the unit stood when the figure was entered: a school moved to another district
    # keeps its past figures with the district it was in, and roll-ups need no join.
    unit_path = models.CharField(max_length=255, editable=False)
    source = models.CharField("来源", max_length=10, default="form")  # form, xlsx, report, api
    report = models.ForeignKey("tracking.ProgressReport", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="actual_values")
    entered_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "数据值"
        constraints = [models.UniqueConstraint(fields=["element", "unit", "period"], name="one_value_per_unit_period")]
        # Covering: a roll-up reads only the index (see bench/README.md, "Indicator roll-up").
        indexes = [models.Index(fields=["element", "period", "unit_path", "unit", "value"], name="value_rollup")]

    @property
    def owning_bureau_id(self) -> int | None:
        return self.unit.owning_bureau_id

    def __str__(self) -> str:
        return f"{self.unit} {self.period} {self.element}={self.value:g}"


class Submission(models.Model):
    """A unit's form for one data set and period: drafted, submitted, sent back or accepted.
    A draft's figures wait in ``draft``; submitting writes them as data values."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        RETURNED = "returned", "已退回"
        ACCEPTED = "accepted", "已审核"

    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="submissions")
    period = models.CharField("期间", max_length=8)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    draft = models.JSONField(default=dict, blank=True)  # element code → the text as typed
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    review_note = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "数据报送"
        constraints = [models.UniqueConstraint(fields=["data_set", "unit", "period"], name="one_submission_per_period")]

    @property
    def owning_bureau_id(self) -> int | None:
        return self.unit.owning_bureau_id

    def __str__(self) -> str:
        return f"{self.unit} {self.data_set} {self.period}"
