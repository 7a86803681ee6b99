"""The 数据表模板 page: pick a data set and a period, download one xlsx template for every unit
below that reports it, upload it filled in. The upload is checked cell by cell and saved all
or nothing (``spreadsheet.read_template``); its problems are listed by cell.

The choice (data set, period, unit) travels in the query string and, for the upload, in the
posted form: there is no session state.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from eduplan.errors import EduplanError, Errors
from eduplan.orgs.access import scope_for
from eduplan.periods import Period
from eduplan.tracking import clock
from eduplan.tracking.forms import XlsxUploadForm

from . import collecting
from .access import readable_unit
from .models import DataSet, Submission
from .spreadsheet import ImportResult, TemplateRefused, read_template, template, template_filename

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visible_data_sets(user) -> QuerySet[DataSet]:
    """The shared catalogue's data sets and those of the authorities the user sees."""
    bureau_ids = scope_for(user).bureau_ids
    found = DataSet.objects.all() if bureau_ids is None else DataSet.objects.filter(
        Q(bureau=None) | Q(bureau_id__in=bureau_ids))
    return found.order_by("id")


class SheetChoiceForm(forms.Form):
    data_set = forms.ModelChoiceField(label="数据表", queryset=DataSet.objects.none(), to_field_name="code",
                                      empty_label=None)
    period = forms.CharField(label="期间", max_length=8, required=False,
                             help_text="如 2025（年报）、2025S1（春季学期）、2025Q3、2025-06；留空为当前期间",
                             widget=forms.TextInput(attrs={"placeholder": "2025S1"}))
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["data_set"].queryset = visible_data_sets(user)

    def clean(self) -> dict:
        cleaned = super().clean()
        data_set = cleaned.get("data_set")
        if data_set is None:
            return cleaned
        today = clock.today()
        typed = (cleaned.get("period") or "").strip() or Period.of(data_set.period_kind, today).key
        try:
            cleaned["period"] = collecting.check_period_for(data_set, typed, today)
        except EduplanError as error:
            self.add_error("period", str(error))
        cleaned["unit"] = readable_unit(self.user, cleaned.get("unit"))  # 404 outside the user's scope
        return cleaned


class SheetUploadForm(XlsxUploadForm):
    label = "填好的模板（.xlsx）"
    help_text = "先下载模板，在 Excel 或 WPS 中填写后保存为 .xlsx 再上传"
    not_xlsx = Errors.E742


def _choice_query(choice: dict) -> str:
    return urlencode({"data_set": choice["data_set"].code, "period": choice["period"], "unit": choice["unit"].pk})


def _summary(choice: dict) -> dict:
    """What the page says about the chosen template: how many units, how many submitted."""
    units = collecting.expected_units(choice["data_set"], choice["unit"], choice["period"])
    states = Submission.objects.filter(data_set=choice["data_set"], period=choice["period"], unit__in=units)
    done = states.filter(state__in=[Submission.State.SUBMITTED, Submission.State.ACCEPTED]).count()
    return {"units": len(units), "submitted": done, "period_label": Period.parse(choice["period"]).label}


def _page(request: HttpRequest, form: SheetChoiceForm, *, upload: SheetUploadForm | None = None,
          problems: list | None = None) -> HttpResponse:
    choice = form.cleaned_data if form.is_valid() else None
    context = {"form": form, "choice": choice, "nav": "data", "problems": problems or []}
    if choice:
        context.update(query=_choice_query(choice), summary=_summary(choice),
                       upload=upload or SheetUploadForm(), may_enter=scope_for(request.user).can_report)
    return render(request, "indicators/sheet_page.html", context)


def _choice_form(request: HttpRequest, data) -> SheetChoiceForm:
    if not scope_for(request.user).can_read:
        raise Http404
    return SheetChoiceForm(data, user=request.user)


@login_required
@require_GET
def data_sheets(request: HttpRequest) -> HttpResponse:
    form = _choice_form(request, request.GET if "data_set" in request.GET else None)
    return _page(request, form)


@login_required
@require_GET
def data_sheet_template(request: HttpRequest) -> HttpResponse:
    form = _choice_form(request, request.GET)
    if not form.is_valid():
        return _page(request, form)
    choice = form.cleaned_data
    content = template(choice["data_set"], choice["unit"], choice["period"])
    name = template_filename(choice["data_set"], choice["unit"], choice["period"])
    return FileResponse(BytesIO(content), as_attachment=True, filename=name, content_type=XLSX)


@login_required
@require_POST
def data_sheet_upload(request: HttpRequest) -> HttpResponse:
    form = _choice_form(request, request.POST)
    upload = SheetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form)
    if not upload.is_valid():
        return _page(request, form, upload=upload)
    choice, file = form.cleaned_data, upload.cleaned_data["file"]
    name = Path(file.name).name
    try:
        result = read_template(file, choice["data_set"], choice["unit"], choice["period"], request.user, name=name)
    except TemplateRefused as refused:
        return _page(request, form, upload=SheetUploadForm(), problems=refused.problems)
    except EduplanError as error:
        upload.add_error("file", str(error))
        return _page(request, form, upload=upload)
    messages.success(request, _success_text(name, result))
    return redirect(reverse("data-sheets") + "?" + _choice_query(choice))


def _success_text(name: str, result: ImportResult) -> str:
    text = f"已导入“{name}”：{result.submitted} 个单位的数据已提交"
    if result.unchanged:
        text += f"，{result.unchanged} 个单位已提交且数据未变"
    if result.blank:
        text += f"，{result.blank} 个单位未填写（已跳过）"
    return text
