"""The org-unit tree and each user's role in it.

A unit's ``path`` ("/1/4/17/") lists its ancestors' ids, so "this unit and everything below
it" is one indexed prefix query; every scoping rule in eduplan is built on that.

Education authorities nest: a province (省教育厅) may own cities, a city (市教育局) districts and
counties (区/县教育局), each with its own departments and schools. Every unit knows the
authority it belongs to (``owning_bureau``: itself for an authority), so "whose plan, whose
change counter, whose units" needs no walk up the tree.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.dispatch import Signal

# Sent after a unit moved in the tree, with ``unit``, ``old_path``, ``new_path`` and
# ``old_owning_bureau_id``: data kept by path elsewhere (figures, ``indicators``) can follow.
unit_moved = Signal()


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", "省教育厅"
        CITY = "city", "市教育局"
        BUREAU = "bureau", "区县教育局"
        DEPARTMENT = "department", "科室/直属单位"
        GROUP = "group", "集团/学区"
        SCHOOL = "school", "学校"

    class Level(models.TextChoices):
        KINDERGARTEN = "kindergarten", "幼儿园"
        PRIMARY = "primary", "小学"
        JUNIOR = "junior", "初中"
        SENIOR = "senior", "高中"
        NINE_YEAR = "nine_year", "九年一贯"
        VOCATIONAL = "vocational", "职校"
        SPECIAL = "special", "特教"

    class Ownership(models.TextChoices):
        PUBLIC = "public", "公办"
        PRIVATE = "private", "民办"

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", verbose_name="上级单位", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    school_level = models.CharField("学段", max_length=20, choices=Level.choices, blank=True)
    ownership = models.CharField("办学性质", max_length=20, choices=Ownership.choices, blank=True)
    code = models.CharField("代码", max_length=40, blank=True, help_text="例如学校标识码，可留空")
    path = models.CharField(max_length=255, editable=False, db_index=True)
    active = models.BooleanField("启用", default=True)
    opened = models.DateField("设立日期", null=True, blank=True,
                              help_text="学校新设时填写：此前各期不计入应报数据的学校")
    owning_bureau = models.ForeignKey("self", null=True, editable=False, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "组织单位"
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="unique_unit_name_in_parent")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_authority(self) -> bool:
        """An education bureau at any level: owns plans, departments and schools."""
        return self.kind in AUTHORITY_KINDS

    def clean(self) -> None:
        parent_kinds = ALLOWED_PARENT_KINDS.get(self.kind, ())
        if self.parent_id is None and self.kind not in AUTHORITY_KINDS:
            raise ValidationError({"parent": "请选择上级单位"})
        if self.parent_id is not None and parent_kinds and self.parent.kind not in parent_kinds:
            allowed = "、".join(str(OrgUnit.Kind(k).label) for k in parent_kinds)
            raise ValidationError({"parent": f"{self.get_kind_display()}的上级只能是{allowed}"})
        if self.parent_id is not None and self.kind == self.Kind.PROVINCE:
            raise ValidationError({"parent": "省教育厅是组织树的根，不能有上级单位"})
        if self.kind != self.Kind.SCHOOL and (self.school_level or self.ownership):
            raise ValidationError({"school_level": "只有学校需要填写学段和办学性质"})
        if self.pk and self.parent_id and f"/{self.pk}/" in (self.parent.path or ""):
            raise ValidationError({"parent": "上级单位不能是本单位或其下级"})

    def save(self, *args, **kwargs) -> None:
        before = (OrgUnit.objects.filter(pk=self.pk).values("parent_id", "path", "kind", "owning_bureau_id").first()
                  if self.pk is not None else None)
        if self.pk is None:
            super().save(*args, **kwargs)  # the id is part of the path
            kwargs = {k: v for k, v in kwargs.items() if k != "force_insert"}
        self.path = (self.parent.path if self.parent else "/") + f"{self.pk}/"
        self.owning_bureau_id = self.pk if self.is_authority else (self.parent.owning_bureau_id if self.parent else None)
        super().save(*args, **kwargs)
        if before is None:
            return
        moved = before["parent_id"] != self.parent_id
        if moved or (before["kind"] in AUTHORITY_KINDS) != self.is_authority:
            self._renumber_below(before["path"])
        if before["owning_bureau_id"] != self.owning_bureau_id:
            from eduplan.audit.log import count_change  # here: audit's models load after these

            # The bureau it left had it on its pages; the change's audit entry counts the new one.
            count_change(before["owning_bureau_id"])
        if moved:
            unit_moved.send(sender=OrgUnit, unit=self, old_path=before["path"], new_path=self.path,
                            old_owning_bureau_id=before["owning_bureau_id"])

    def _renumber_below(self, old_path: str) -> None:
        """After a move or a change of kind: every unit below gets its new path and the
        authority it now belongs to."""
        owners = {self.pk: self.owning_bureau_id}
        below = OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk)
        for child in sorted(below, key=lambda unit: unit.path.count("/")):
            child.path = self.path + child.path[len(old_path):]
            child.owning_bureau_id = child.pk if child.is_authority else owners[child.parent_id]
            owners[child.pk] = child.owning_bureau_id
            OrgUnit.objects.filter(pk=child.pk).update(path=child.path, owning_bureau_id=child.owning_bureau_id)

    def subtree(self) -> models.QuerySet[OrgUnit]:
        """This unit and every unit below it."""
        return OrgUnit.objects.filter(path__startswith=self.path)

    def bureau(self) -> OrgUnit:
        """The authority this unit belongs to (itself for an authority)."""
        if self.owning_bureau_id in (None, self.pk):
            return self
        return self.owning_bureau

    def authorities_within(self) -> list[int]:
        """Ids of this unit's authority and every authority below it (a city and its districts)."""
        if not self.is_authority:
            return [self.owning_bureau_id] if self.owning_bureau_id else []
        if self.kind == OrgUnit.Kind.BUREAU:
            return [self.pk]  # nothing stands below a district's bureau but its own units
        return list(OrgUnit.objects.filter(path__startswith=self.path, kind__in=AUTHORITY_KINDS)
                    .values_list("pk", flat=True))


AUTHORITY_KINDS = (OrgUnit.Kind.PROVINCE, OrgUnit.Kind.CITY, OrgUnit.Kind.BUREAU)
# Authorities nest province > city > district; any authority may also run departments and
# schools of its own (市直学校), so other kinds may stand under any unit.
ALLOWED_PARENT_KINDS = {
    OrgUnit.Kind.CITY: (OrgUnit.Kind.PROVINCE,),
    OrgUnit.Kind.BUREAU: (OrgUnit.Kind.PROVINCE, OrgUnit.Kind.CITY),
}


class Membership(models.Model):
    """A user's role, scoped to one org unit and everything below it."""

    class Role(models.TextChoices):
        ADMIN = "admin", "管理员（局办公室）"
        MANAGER = "manager", "单位负责人"
        REPORTER = "reporter", "填报员"
        VIEWER = "viewer", "查看（领导）"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                                related_name="membership")
    unit = models.ForeignKey(OrgUnit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="members")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = verbose_name_plural = "角色与单位"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
