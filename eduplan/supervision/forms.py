"""Supervision forms: loose on purpose, the services check the input and say what is wrong."""

from __future__ import annotations

from django import forms

from eduplan.errors import EduplanError
from eduplan.orgs.models import OrgUnit
from eduplan.tracking.assigning import assignable_units
from eduplan.tracking.forms import DATE, MultipleFileField
from eduplan.tracking.models import Section

from .checklists import standard_choices
from .models import ChecklistItem, Finding, Round

FILES_HELP = "可多选，最多 10 个；支持图片（jpg/png）、PDF、Word、Excel、zip"
PHOTOS_HELP = "可多选，最多 10 张；仅支持图片（jpg/png）"


class ErrorPlacing:
    """Put a service's one-line message next to the field it concerns."""

    FIELD_OF_ERROR: dict[str, str] = {}

    def show_error(self, err: EduplanError) -> None:
        self.add_error(self.FIELD_OF_ERROR.get(err.code), str(err))  # type: ignore[attr-defined]


class RoundForm(ErrorPlacing, forms.Form):
    title = forms.CharField(label="名称", max_length=200, widget=forms.TextInput(attrs={"placeholder": "如：2025年秋季开学平安校园专项督导"}))
    kind = forms.ChoiceField(label="类型", choices=Round.Kind.choices)
    standard = forms.ChoiceField(label="检查标准", required=False, choices=[("", "（不使用）"), *standard_choices()])
    section = forms.ModelChoiceField(label="计划部分", required=False, queryset=Section.objects.none(),
                                     help_text="以该部分的重点任务作为检查项目")
    items_text = forms.CharField(label="自定检查项目", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text="每行一项，可写成“类别：项目”")
    schools = forms.ModelMultipleChoiceField(label="被督导学校", queryset=OrgUnit.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    start_date = forms.DateField(label="开始日期", widget=DATE)
    end_date = forms.DateField(label="结束日期", widget=DATE)

    FIELD_OF_ERROR = {"E861": "schools", "E862": "items_text", "E410": "end_date", "E870": "standard"}

    def __init__(self, *args, bureau: OrgUnit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = (Section.objects.filter(plan__bureau=bureau).select_related("plan")
                                           .order_by("plan", "order"))
        self.fields["schools"].queryset = bureau.subtree().filter(kind=OrgUnit.Kind.SCHOOL, active=True)


class FindingForm(ErrorPlacing, forms.Form):
    school = forms.ModelChoiceField(label="学校", queryset=OrgUnit.objects.none())
    item = forms.ModelChoiceField(label="检查项目", required=False, queryset=ChecklistItem.objects.none())
    description = forms.CharField(label="问题描述", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label="严重程度", choices=Finding.Severity.choices)
    found_on = forms.DateField(label="发现日期", widget=DATE)
    deadline = forms.DateField(label="整改时限", required=False, widget=DATE, help_text="留空按本局默认整改期限")
    assignee = forms.ModelChoiceField(label="整改责任单位", required=False, queryset=OrgUnit.objects.none(),
                                      help_text="留空由该学校整改")
    photos = MultipleFileField(label="现场照片", required=False, help_text=PHOTOS_HELP)

    FIELD_OF_ERROR = {"E871": "school", "E875": "description", "E876": "severity", "E863": "deadline",
                      "E401": "photos", "E402": "photos", "E403": "photos", "E417": "photos"}

    def __init__(self, *args, round_: Round, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = round_.schools.order_by("path")
        self.fields["item"].queryset = round_.items.all()
        self.fields["assignee"].queryset = assignable_units(round_.bureau)


class RectifyForm(ErrorPlacing, forms.Form):
    narrative = forms.CharField(label="整改情况", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    percent = forms.CharField(label="整改进度（%）", required=False, max_length=10,
                              widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}))
    done = forms.BooleanField(label="整改已完成，申请销号", required=False,
                              help_text="申请销号须上传整改后的照片或文件，由教育局督导人员审核")
    files = MultipleFileField(label="佐证材料", required=False, help_text=FILES_HELP)

    FIELD_OF_ERROR = {"E877": "narrative", "E408": "percent", "E864": "files", "E401": "files", "E402": "files",
                      "E403": "files", "E417": "files"}


class ReviewForm(ErrorPlacing, forms.Form):
    decision = forms.ChoiceField(label="审核结果", choices=[("approve", "审核通过，销号"), ("return", "退回重新整改")],
                                 widget=forms.RadioSelect)
    note = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    FIELD_OF_ERROR = {"E867": "note"}


class AdjustForm(ErrorPlacing, forms.Form):
    points = forms.CharField(label="调整分值", required=False, max_length=10, help_text="正数加分，负数扣分",
                             widget=forms.NumberInput(attrs={"step": "0.1"}))
    veto_item = forms.ChoiceField(label="一票否决事项", required=False)
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    FIELD_OF_ERROR = {"E868": "reason", "E869": "points", "E872": "veto_item"}

    def __init__(self, *args, veto_items: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["veto_item"].choices = [("", "（无）"), *((v, v) for v in veto_items)]
