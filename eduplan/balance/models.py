"""What the balance assessment keeps beyond the schools' figures (which are data values of the
indicators catalogue): the standards a province applies, the 教学点 marks, and the county's
checklist of the other three parts with its evidence."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from eduplan.orgs.models import OrgUnit

from .assess import MEASURES, Stage

USER = settings.AUTH_USER_MODEL
CV_CODE = "cv"  # the 差异系数 bar, kept beside the seven standards
STANDARD_CHOICES = [(m.code, m.name) for m in MEASURES] + [(CV_CODE, "校际差异系数上限")]


class ProvinceStandard(models.Model):
    """A province's own bar for one indicator and 学段; without a row the national one applies
    (``assess.MEASURES``, ``assess.CV_BARS``)."""

    province = models.ForeignKey(OrgUnit, verbose_name="省教育厅", on_delete=models.CASCADE, related_name="+",
                                 limit_choices_to={"kind": OrgUnit.Kind.PROVINCE})
    stage = models.CharField("学段", max_length=10, choices=[(s.value, s.label) for s in Stage])
    indicator = models.CharField("指标", max_length=30, choices=STANDARD_CHOICES)
    value = models.FloatField("标准值", help_text="七项指标为下限（达到即达标）；差异系数为上限")

    class Meta:
        verbose_name = verbose_name_plural = "优质均衡评估标准（省定）"
        constraints = [models.UniqueConstraint(fields=["province", "stage", "indicator"],
                                               name="one_standard_per_province_stage")]

    def __str__(self) -> str:
        return f"{self.province} {self.get_stage_display()} {self.get_indicator_display()} {self.value:g}"

    @property
    def owning_bureau_id(self) -> int | None:
        return self.province_id

    def clean(self) -> None:
        if self.value is not None and self.value <= 0:
            raise ValidationError({"value": "标准值应大于 0"})


class TeachingPoint(models.Model):
    """A school unit that is a 教学点 (under ``assess.SMALL_TEACHING_POINT`` students it is left out).
    A unit whose name ends in 教学点 counts as one without a row here."""

    school = models.OneToOneField(OrgUnit, verbose_name="学校", on_delete=models.CASCADE, related_name="+",
                                  limit_choices_to={"kind": OrgUnit.Kind.SCHOOL})

    class Meta:
        verbose_name = verbose_name_plural = "教学点"

    def __str__(self) -> str:
        return str(self.school)

    @property
    def owning_bureau_id(self) -> int | None:
        return self.school.owning_bureau_id


class ChecklistEntry(models.Model):
    """One item of 政府保障程度, 教育质量 or 社会认可度 for a county and year: its status and
    evidence (for 社会认可度 the survey counts, from which the rate is computed)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待核实"
        MET = "met", "达到要求"
        NOT_MET = "not_met", "未达到"

    county = models.ForeignKey(OrgUnit, verbose_name="县（区）", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    item = models.CharField("项目", max_length=20)  # a ``checklist.ITEMS`` code
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    evidence = models.TextField("佐证说明", blank=True)
    surveyed = models.PositiveIntegerField("调查人数", null=True, blank=True)
    satisfied = models.PositiveIntegerField("满意人数", null=True, blank=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "优质均衡自评清单"
        constraints = [models.UniqueConstraint(fields=["county", "year", "item"], name="one_entry_per_county_item")]

    def __str__(self) -> str:
        return f"{self.county} {self.year} {self.item}"

    @property
    def owning_bureau_id(self) -> int | None:
        return self.county_id
