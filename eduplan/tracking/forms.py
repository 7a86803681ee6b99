"""Forms of the tracking pages. They carry input; the services in this package decide."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString

from eduplan.errors import EduplanError, Errors
from eduplan.fragments import render_options
from eduplan.orgs.models import OrgUnit
from eduplan.plan.readers import SUPPORTED_SUFFIXES

from .models import Assignment, Correction, Measure, Plan, ProgressReport, Section, Target
from .progress import check_size
from .status import Light, Status

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MILESTONE_LINE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*[：:、，,]?\s*(\S.*)$")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        unit = getattr(getattr(obj, "membership", None), "unit", None)
        name = obj.get_full_name() or obj.get_username()
        return f"{name}（{unit}）" if unit else name


# ---------------------------------------------------------------- importing plans

class PlanUploadForm(forms.Form):
    file = forms.FileField(label="计划文件", allow_empty_file=True,
                           help_text="支持 " + " ".join(SUPPORTED_SUFFIXES) + " 格式")
    replaces = forms.ModelChoiceField(label="替换已有计划（修订版）", queryset=Plan.objects.none(), required=False,
                                      empty_label="（不替换，导入为新计划）",
                                      help_text="上传某个计划的修订版时选择它：已分派的任务和已填报的进展会保留")

    def __init__(self, *args, plans: QuerySet[Plan], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["replaces"].queryset = plans
        self.fields["file"].widget.attrs["accept"] = ",".join(SUPPORTED_SUFFIXES)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = sized_upload_name(upload)
        suffix = Path(name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise forms.ValidationError(str(EduplanError(Errors.E103, suffix=suffix or "（无）", path=name)))
        if not upload.size:
            raise forms.ValidationError(str(EduplanError(Errors.E102, path=name)))
        return upload


# ---------------------------------------------------------------- assigning

class AssignForm(forms.Form):
    lead_unit = UnitChoiceField(label="牵头单位", queryset=OrgUnit.objects.none(), empty_label="（请选择）")
    partner_units = UnitsField(label="配合单位", queryset=OrgUnit.objects.none(), required=False,
                               widget=forms.SelectMultiple(attrs={"size": 6}),
                               help_text="可多选（按住 Ctrl 或 ⌘ 键点选）")
    owner = UserChoiceField(label="责任人", queryset=get_user_model().objects.none(), required=False,
                            empty_label="（不指定）")
    start_date = forms.DateField(label="开始日期", required=False, widget=DATE, help_text="留空则为计划年度的1月1日")
    deadline = forms.DateField(label="完成时限", required=False, widget=DATE, help_text="留空则为计划年度的12月31日")
    measure = forms.ModelChoiceField(label="分派范围", queryset=Measure.objects.none(), required=False,
                                     empty_label="整项任务",
                                     help_text="选一条措施即把任务拆分，这条措施单独分派给一个单位")
    milestones = forms.CharField(label="时间节点", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="每行一个，如“2025-05-31 印发实施方案”；留空则没有节点")

    def __init__(self, *args, lead_units: QuerySet[OrgUnit], partner_units: QuerySet[OrgUnit],
                 owners: QuerySet, measures: QuerySet[Measure] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = lead_units
        self.fields["partner_units"].queryset = partner_units
        self.fields["owner"].queryset = owners
        self.fields["measure"].queryset = measures if measures is not None else Measure.objects.none()
        self.fields["measure"].label_from_instance = lambda m: f"{m.order + 1}. {m.text[:40]}"

    def clean_milestones(self) -> list[tuple[date, str]]:
        """Lines of "YYYY-MM-DD title" (the date may also be written 2025/5/31)."""
        milestones = []
        for number, line in enumerate(self.cleaned_data["milestones"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            match = MILESTONE_LINE.match(line)
            if match is None:
                raise forms.ValidationError(str(EduplanError(Errors.E423, line=number, text=line)))
            year, month, day, title = match.groups()
            try:
                milestones.append((date(int(year), int(month), int(day)), title.strip()))
            except ValueError:
                raise forms.ValidationError(str(EduplanError(Errors.E423, line=number, text=line))) from None
        return milestones

    @staticmethod
    def initial_for(assignment: Assignment | None) -> dict:
        if assignment is None:
            return {}
        return {"lead_unit": assignment.lead_unit_id, "partner_units": [u.pk for u in assignment.partner_units.all()],
                "owner": assignment.owner_id, "start_date": assignment.start_date, "deadline": assignment.deadline,
                "milestones": "\n".join(f"{m.due:%Y-%m-%d} {m.title}" for m in assignment.milestones.all())}


class BulkAssignForm(forms.Form):
    SUGGESTED, TO_UNIT = "suggested", "unit"

    tasks = forms.ModelMultipleChoiceField(label="任务", queryset=None, error_messages={
        "required": "请先勾选要分派的任务"})
    action = forms.ChoiceField(choices=[(SUGGESTED, "按建议分派所选任务"), (TO_UNIT, "分派给")])
    lead_unit = UnitChoiceField(label="分派给", queryset=OrgUnit.objects.none(), required=False,
                                empty_label="（选择科室或学校）")
    deadline = forms.DateField(label="完成时限", required=False, widget=DATE)

    def __init__(self, *args, tasks: QuerySet, lead_units: QuerySet[OrgUnit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = tasks
        self.fields["lead_unit"].queryset = lead_units

    def clean(self):
        data = super().clean()
        if data.get("action") == self.TO_UNIT and not data.get("lead_unit"):
            self.add_error("lead_unit", "请选择要分派给的科室或学校")
        return data


# ---------------------------------------------------------------- task list filters

class FastSelect(forms.Select):
    """A <select> built in Python. Django renders every option through a template, which
    costs milliseconds per request on a district's hundred schools."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        chosen = "" if value is None else str(value)
        options = render_options(tuple((str(key), str(label)) for key, label in self.choices), chosen)
        return format_html("<select{}>{}</select>", flatatt({**self.build_attrs(self.attrs, attrs), "name": name}),
                           options)


class ValuesChoiceIterator(forms.models.ModelChoiceIterator):
    """A drop-down's options from (pk, label) values (``FilterOptions``): no model object per
    option, which on a district's hundred schools was most of what the filter form cost."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.options


class ValuesChoiceField(forms.ModelChoiceField):
    """A filter's choice of one row: the options are given as values, read from ``label_fields``
    (``filter_options``); the queryset checks a submitted choice."""

    iterator = ValuesChoiceIterator

    def __init__(self, *args, label_fields: tuple[str, ...], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.label_fields = label_fields
        self.options: tuple[tuple[int, str], ...] = ()


class TaskFilterForm(forms.Form):
    unit = ValuesChoiceField(label="部门/单位", queryset=OrgUnit.objects.none(), required=False, empty_label="全部",
                             widget=FastSelect, label_fields=("name",))
    school = ValuesChoiceField(label="学校", queryset=OrgUnit.objects.none(), required=False, empty_label="全部",
                               widget=FastSelect, label_fields=("name",))
    plan = ValuesChoiceField(label="计划", queryset=Plan.objects.none(), required=False, empty_label="全部",
                             widget=FastSelect, label_fields=("title",))
    section = ValuesChoiceField(label="部分", queryset=Section.objects.none(), required=False, empty_label="全部",
                                widget=FastSelect, label_fields=("label", "title", "plan__title"))
    status = forms.ChoiceField(label="状态", required=False, widget=FastSelect,
                               choices=[("", "全部"), *((s.value, s.label) for s in Status)])
    light = forms.ChoiceField(label="预警", required=False, widget=FastSelect,
                              choices=[("", "全部"), *((light.value, f"{light.label}灯") for light in Light)])
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "任务名称或措施"}))

    def __init__(self, *args, units: QuerySet[OrgUnit], plans: QuerySet[Plan], sections: QuerySet[Section],
                 options: FilterOptions | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The options are read as values; these querysets also fetch a chosen row when the form
        # is checked, so they load only what a label needs (a plan's text is tens of KB).
        self.fields["unit"].queryset = units.exclude(kind=OrgUnit.Kind.SCHOOL).only("id", "name")
        self.fields["school"].queryset = units.filter(kind=OrgUnit.Kind.SCHOOL).only("id", "name")
        self.fields["plan"].queryset = plans.only("id", "title")
        self.fields["section"].queryset = sections.only("id", "label", "title", "plan__title")
        options = options or filter_options(self)
        for name in ("unit", "school", "plan", "section"):
            self.fields[name].options = getattr(options, name)


@dataclass(frozen=True)
class FilterOptions:
    """The (pk, label) options of the task filters' drop-downs: they follow the bureau's units
    and plans, not the tasks' progress, so a page can keep them (``caching.cached_structure``)."""

    unit: tuple[tuple[int, str], ...]
    school: tuple[tuple[int, str], ...]
    plan: tuple[tuple[int, str], ...]
    section: tuple[tuple[int, str], ...]

    @property
    def several_plans(self) -> bool:
        return len(self.plan) > 1


def filter_options(form: TaskFilterForm) -> FilterOptions:
    """The options of ``form``'s querysets; a section is labelled with its plan when there are several."""
    def read(name: str, label_of) -> tuple[tuple[int, str], ...]:
        field = form.fields[name]
        return tuple((pk, label_of(*values)) for pk, *values in field.queryset.values_list("pk", *field.label_fields))

    plans = read("plan", str)
    several = len(plans) > 1
    return FilterOptions(
        unit=read("unit", str), school=read("school", str), plan=plans,
        section=read("section", lambda label, title, plan_title: (
            f"{plan_title[:14]}·{label}、{title}" if several else f"{label}、{title}")))


# ---------------------------------------------------------------- progress reports

class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, as in Django's documentation; cleans to a list."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_file_clean(d, initial) for d in data if d]
        return [single_file_clean(data, initial)] if data else []


class ReportForm(forms.Form):
    """Loose on purpose: ``submit_report`` checks period, percent, narrative, files and actuals
    and the view puts its one-line message next to the field it concerns."""

    period = forms.CharField(label="报告期", max_length=7, help_text="格式 YYYY-MM，例如 2025-06",
                             widget=forms.TextInput(attrs={"placeholder": "YYYY-MM", "inputmode": "numeric"}))
    state = forms.ChoiceField(label="状态", choices=ProgressReport.State.choices)
    percent = forms.CharField(label="完成进度（%）", max_length=10, help_text="0 到 100 的整数；选“已完成”时按 100% 计",
                              widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}))
    narrative = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 6, "required": True}),
                                required=False,
                                help_text="本期做了什么、取得什么成效、下一步计划、遇到的困难")
    files = MultipleFileField(label="佐证材料", required=False,
                              help_text="可多选，最多 10 个；支持 PDF、Word、Excel、PPT、图片（jpg/png）、zip、txt、csv")

    # A fresh token each time the form is shown: posting it twice (a double click, a retry,
    # the back button) gives back the first report instead of adding a second one.
    idempotency_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    # EduplanError code → the field its message belongs to (the rest go on top of the form)
    FIELD_OF_ERROR = {"E408": "percent", "E409": "period", "E415": "narrative", "E401": "files",
                      "E402": "files", "E403": "files", "E417": "files", "E456": "state"}

    def __init__(self, *args, targets: list[Target], can_close: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        if not self.is_bound:
            self.initial["idempotency_key"] = secrets.token_urlsafe(24)
        if not can_close:  # only the lead unit or an assigner reports it done (``access.check_can_close``)
            self.fields["state"].choices = [c for c in ProgressReport.State.choices
                                            if c[0] != ProgressReport.State.DONE]
        for target in targets:
            self.fields[self.target_field(target)] = forms.CharField(
                label=f"{target.metric}实际值" + (f"（{target.unit}）" if target.unit else ""), required=False,
                max_length=30, help_text=f"目标：{target.quote}",
                widget=forms.NumberInput(attrs={"step": "any"}))

    @staticmethod
    def target_field(target: Target) -> str:
        return f"target_{target.pk}"

    def target_fields(self):
        return [self[self.target_field(t)] for t in self.targets]

    def show_error(self, err: EduplanError) -> None:
        field = self.FIELD_OF_ERROR.get(err.code)
        if err.code == "E412":
            metric = err.values.get("target")
            field = next((self.target_field(t) for t in self.targets if t.metric == metric), None)
        self.add_error(field, str(err))


class XlsxUploadForm(forms.Form):
    """One .xlsx file, checked for size, name, emptiness and zip signature before a reader
    opens it; a subclass names its label, help text and its own error for "not an xlsx"."""

    label = "Excel 文件（.xlsx）"
    help_text = ""
    not_xlsx = Errors.E602

    file = forms.FileField(allow_empty_file=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.label, field.help_text = self.label, self.help_text
        field.widget.attrs["accept"] = ".xlsx"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = sized_upload_name(upload)
        if Path(name).suffix.lower() != ".xlsx":
            raise forms.ValidationError(str(EduplanError(self.not_xlsx, name=name)))
        if not upload.size:
            raise forms.ValidationError(str(EduplanError(Errors.E102, path=name)))
        upload.seek(0)
        if upload.read(4) != b"PK\x03\x04":  # an xlsx is a zip archive
            raise forms.ValidationError(str(EduplanError(Errors.E403, name=name)))
        upload.seek(0)
        return upload


def sized_upload_name(upload) -> str:
    """The upload's file name without any folder, once its size is within the limit (a form
    error naming the limit otherwise)."""
    try:
        check_size(upload)
    except EduplanError as err:
        raise forms.ValidationError(str(err)) from None
    return Path(upload.name or "").name


# ---------------------------------------------------------------- correcting what the parser read

COMPARATORS = [("=", "等于"), (">=", "不低于（≥）"), ("<=", "不超过（≤）"), (">", "高于（＞）"), ("<", "低于（＜）"),
               ("~", "约"), ("range", "区间")]
DIRECTION_CHOICES = [("level", "达到"), ("increase_by", "增加"), ("decrease_by", "降低")]


class CorrectionForm(forms.Form):
    """One fix of the parser's reading: which kind, where (the offset of the heading, target or
    measure as the page shows it) and what the person says instead."""

    kind = forms.ChoiceField(label="更正", choices=Correction.Kind.choices)
    at = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    title = forms.CharField(label="标题", max_length=300, required=False)
    quote = forms.CharField(label="原文", max_length=300, required=False,
                            help_text="从该任务原文中复制表述目标的文字")
    metric = forms.CharField(label="指标", max_length=200, required=False)
    comparator = forms.ChoiceField(label="比较", choices=COMPARATORS, required=False)
    direction = forms.ChoiceField(label="方向", choices=DIRECTION_CHOICES, required=False)
    value = forms.FloatField(label="目标值", required=False)
    value_high = forms.FloatField(label="上限", required=False)
    unit = forms.CharField(label="单位", max_length=20, required=False)
    region = forms.CharField(label="地区", max_length=100, required=False)
    period_start = forms.IntegerField(label="起始年份", min_value=1949, max_value=2100, required=False)
    period_end = forms.IntegerField(label="终止年份", min_value=1949, max_value=2100, required=False)
    plan_kind = forms.ChoiceField(label="类型", choices=Plan.Kind.choices, required=False)

    TARGET_KINDS = {Correction.Kind.TARGET_ADD, Correction.Kind.TARGET_EDIT}

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind is None:
            return data
        if kind != Correction.Kind.PLAN and data.get("at") is None:
            raise forms.ValidationError("缺少更正位置，请从页面上的按钮提交")
        if kind == Correction.Kind.TITLE and not (data.get("title") or "").strip():
            self.add_error("title", "请填写新的标题")
        if kind in self.TARGET_KINDS:
            for name, label in (("metric", "指标"), ("value", "目标值")):
                if data.get(name) in (None, ""):
                    self.add_error(name, f"请填写{label}")
            if data.get("comparator") == "range" and data.get("value_high") is None:
                self.add_error("value_high", "区间目标请填写上限")
        if kind == Correction.Kind.TARGET_ADD and not (data.get("quote") or "").strip():
            self.add_error("quote", "请填写原文中表述该目标的文字")
        if kind == Correction.Kind.PLAN and not (data.get("title") or "").strip():
            self.add_error("title", "请填写计划标题")
        return data

    def said(self) -> dict:
        """What the person said, in the parser's terms."""
        data, kind = self.cleaned_data, self.cleaned_data["kind"]
        if kind in (Correction.Kind.TITLE, Correction.Kind.SPLIT):
            return {"title": data["title"].strip()} if data.get("title") else {}
        if kind in self.TARGET_KINDS:
            value = _whole(data["value"])
            said = {"metric": data["metric"].strip(), "comparator": data.get("comparator") or "=",
                    "value": [value, _whole(data["value_high"])] if data.get("comparator") == "range" else value,
                    "unit": data.get("unit", "").strip(), "direction": data.get("direction") or "level"}
            if kind == Correction.Kind.TARGET_ADD:
                said["quote"] = data["quote"].strip()
            return said
        if kind == Correction.Kind.PLAN:
            start = data.get("period_start")
            period = [start, data.get("period_end") or start] if start else None
            return {"title": data["title"].strip(), "region": data.get("region", "").strip() or None,
                    "period": period, "kind": data.get("plan_kind") or "other"}
        return {}


def _whole(value: float) -> int | float:
    """1200.0 → 1200: targets keep whole numbers whole, as the parser does."""
    return int(value) if float(value).is_integer() else value
