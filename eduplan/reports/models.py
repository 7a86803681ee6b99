"""Data the reports keep of their own: each bureau's theme list for comparing plans."""

from __future__ import annotations

import re

from django.db import models

from eduplan.orgs.models import OrgUnit

_SEPARATORS = re.compile(r"[\s,，、;；]+")


class Theme(models.Model):
    """A theme of the plan comparison and the words that put a task in it. A bureau with
    no rows compares with the built-in list (``eduplan.compare.themes.THEMES``)."""

    bureau = models.ForeignKey(OrgUnit, verbose_name="教育局", on_delete=models.CASCADE, related_name="themes")
    name = models.CharField("主题", max_length=50)
    words = models.TextField("关键词", help_text="用顿号、逗号或空格分隔；任务标题中的词计3分，措施中的词计1分")
    order = models.PositiveIntegerField("顺序", default=0, help_text="得分相同时排在前面的主题胜出")

    class Meta:
        verbose_name = verbose_name_plural = "对比主题"
        ordering = ["bureau", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["bureau", "name"], name="unique_theme_name_per_bureau")]

    @property
    def owning_bureau_id(self) -> int:
        """The bureau this belongs to: for the change counter."""
        return self.bureau_id

    def __str__(self) -> str:
        return self.name

    def word_list(self) -> list[str]:
        return [word for word in _SEPARATORS.split(self.words) if word]
