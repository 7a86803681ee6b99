"""The 督查通报 page: choose plan, period and heading, preview the text, download Word or PDF.

Any signed-in user with a role may use it; the figures cover the tasks of that user's
scope (``visible_tasks``), so the bureau office and leaders draft the bureau's bulletin
and a department sees a bulletin of its own tasks. PDF needs LibreOffice on the server;
without it the PDF button is disabled and says why.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from eduplan.errors import EduplanError, Errors
from eduplan.orgs.access import scope_for
from eduplan.orgs.models import OrgUnit
from eduplan.reports.pdf import libreoffice_path, to_pdf
from eduplan.tracking import clock
from eduplan.tracking.access import visible_plans, visible_tasks
from eduplan.tracking.current import ALL_PLANS, current_plan
from eduplan.tracking.progress import check_period

from .document import DEFAULT_ADDRESSEES, bulletin_blocks, default_issuer, default_title, write_bulletin
from .facts import bulletin_facts, current_period

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MISSING = "服务器未安装 LibreOffice，无法生成 PDF"
ACTIONS = ("preview", "docx", "pdf")
AUTHORITIES = (OrgUnit.Kind.BUREAU, OrgUnit.Kind.CITY, OrgUnit.Kind.PROVINCE)
ERROR_STATUS = {Errors.E630: 503, Errors.E631: 500, Errors.E632: 504, Errors.E633: 400, Errors.E634: 400}


class BulletinForm(forms.Form):
    plan = forms.ChoiceField(label="计划")
    period = forms.CharField(label="报告期", max_length=7, help_text="格式 YYYY-MM，如 2025-06；统计截至该月末（或今天）",
                             widget=forms.TextInput(attrs={"placeholder": "2025-06", "pattern": r"\d{4}-\d{2}"}))
    title = forms.CharField(label="标题", max_length=200, required=False,
                            help_text="留空则为“关于（计划标题）落实情况的督查通报”")
    issuer = forms.CharField(label="发文单位", max_length=100, required=False, help_text="留空则为“（教育局）办公室”")
    number = forms.CharField(label="期号", max_length=30, required=False,
                             widget=forms.TextInput(attrs={"placeholder": "第1期"}))
    day = forms.DateField(label="成文日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          help_text="留空则为统计截止日")
    addressees = forms.CharField(label="主送", max_length=200, required=False)
    sum_to_100 = forms.BooleanField(label="各项百分比合计调整为 100.0%（占比最大的一项取差额）", required=False)

    def __init__(self, *args, plans, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plans = {str(p.pk): p for p in plans}
        self.fields["plan"].choices = [(p.pk, p.title) for p in plans] + ([(ALL_PLANS, "全部计划")] if plans else [])

    def clean_plan(self):
        """The chosen Plan, or None for every plan together."""
        chosen = self.cleaned_data["plan"]
        return None if chosen == ALL_PLANS else self.plans[chosen]

    def clean_period(self) -> str:
        try:
            return check_period(self.cleaned_data["period"])
        except EduplanError as exc:
            raise forms.ValidationError(str(exc)) from None


def _defaults(plan, scope, plans) -> tuple[str, str]:
    """Default title and issuer: the plan's, or for every plan those of the user's authority."""
    if plan is not None:
        return default_title(plan), default_issuer(plan)
    authority = scope.unit if scope.unit is not None and scope.unit.kind in AUTHORITIES else plans[0].bureau
    return f"关于{authority.name}各项工作计划落实情况的督查通报", f"{authority.name}办公室"


@login_required
@require_GET
def bulletin(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.can_read:
        raise PermissionDenied("您没有查看任务的权限")
    plans = list(visible_plans(scope).select_related("bureau").defer("source_text"))
    today = clock.today()
    action = request.GET.get("format", "")
    pdf_available = libreoffice_path() is not None
    context = {"nav": "bulletin", "pdf_available": pdf_available, "pdf_missing": PDF_MISSING, "plans": plans}
    if not action:
        chosen = request.GET.get("plan")
        plan = next((p for p in plans if str(p.pk) == chosen), None) or current_plan(scope, today)
        form = BulletinForm(plans=plans, initial={
            "plan": ALL_PLANS if chosen == ALL_PLANS and plans else (plan.pk if plan else None),
            "period": current_period(today), "addressees": DEFAULT_ADDRESSEES})
        return render(request, "reports/bulletin_form.html", {**context, "form": form})

    form = BulletinForm(request.GET, plans=plans)
    if action not in ACTIONS:
        form.add_error(None, f"未知的操作“{action}”")
    if not form.is_valid():
        return render(request, "reports/bulletin_form.html", {**context, "form": form}, status=400)
    data = form.cleaned_data
    plan = data["plan"]
    tasks = visible_tasks(scope) if plan is None else visible_tasks(scope).filter(plan=plan)
    title, issuer = _defaults(plan, scope, plans)
    options = {"title": data["title"].strip() or title, "issuer": data["issuer"].strip() or issuer,
               "number": data["number"].strip() or None,
               "addressees": data["addressees"].strip()}
    try:
        facts = bulletin_facts(tasks, today=today, period=data["period"],
                               sum_to_100=data["sum_to_100"])
        if action == "preview":
            blocks = bulletin_blocks(facts, day=data["day"], **options)
            return render(request, "reports/bulletin_form.html", {**context, "form": form, "blocks": blocks,
                                                                 "facts": facts})
        with tempfile.TemporaryDirectory(prefix="eduplan-bulletin-") as folder:
            name = f"督查通报_{facts.period}"
            docx = Path(folder) / f"{name}.docx"
            write_bulletin(facts, docx, date=data["day"], **options)
            if action == "pdf":
                content, filename, mime = to_pdf(docx, folder).read_bytes(), f"{name}.pdf", "application/pdf"
            else:
                content, filename, mime = docx.read_bytes(), docx.name, DOCX
    except EduplanError as exc:
        return render(request, "reports/bulletin_form.html", {**context, "form": form, "error": str(exc)},
                      status=ERROR_STATUS.get(exc.error, 400))
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
