"""The 优质均衡 pages: one address, ``/balance/?unit=<id>&year=2025``, shows what the unit is:

- a school: its own row only (its seven indicators, the 6-of-7 rule, each gap);
- a county bureau: every school, the 差异系数 per indicator and 学段 with the schools that pull
  it up, the path over the years as a chart, a what-if, the checklist, the import and the
  自评 pack downloads;
- a city or province: its counties side by side.

Thin: the access helper first (``readable_unit``: 404 outside the user's scope), then
``service`` loads the figures and ``assess`` computes.
"""

from __future__ import annotations

import io
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from eduplan.audit.log import record, snapshot
from eduplan.errors import EduplanError, Errors
from eduplan.indicators.access import readable_unit
from eduplan.orgs.access import Refused, scope_for
from eduplan.orgs.models import OrgUnit
from eduplan.periods import Period, PeriodKind
from eduplan.tracking import clock
from eduplan.tracking.forms import XlsxUploadForm

from . import assess, chart, exports, service
from .checklist import ITEM_BY_CODE, ITEMS, PARTS, RECOGNITION, recognition_met, recognition_rate
from .importing import SheetRefused, read_sheet
from .models import ChecklistEntry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTRIBUTORS = 3  # schools named as pulling a CV up


class SheetForm(XlsxUploadForm):
    label = "统计报表（.xlsx）"
    help_text = "一所学校一行，每项数据一列；学校按“学校标识码”或“学校名称”对应"
    not_xlsx = Errors.E742


def parse_year(typed: str) -> str | None:
    """A year as its key ("2025"), or None: what ``eduplan.periods`` reads as a year
    (1900–2999; not a semester or a month, not "²⁰²⁵", which ``str.isdigit`` would pass)."""
    try:
        period = Period.parse(typed)
    except ValueError:
        return None
    return period.key if period.kind == PeriodKind.YEAR else None


def _year(request: HttpRequest, known: list[str]) -> str:
    """The ``?year=`` asked for; else the newest year with figures, else this year."""
    typed = request.GET.get("year", "").strip()
    if typed:
        year = parse_year(typed)
        if year:
            return year
        messages.error(request, Errors.E826.render(value=typed[:20]))
    return known[-1] if known else str(clock.today().year)


def _page_url(unit: OrgUnit, year: str, **extra: str) -> str:
    return f"{reverse('balance')}?{urlencode({'unit': unit.pk, 'year': year, **extra})}"


@login_required
def balance_page(request: HttpRequest) -> HttpResponse:
    unit = readable_unit(request.user, request.GET.get("unit"))
    if unit.kind == OrgUnit.Kind.SCHOOL:
        return _school_page(request, unit)
    if unit.kind == OrgUnit.Kind.BUREAU:
        return _county_page(request, unit)
    if unit.kind in (OrgUnit.Kind.CITY, OrgUnit.Kind.PROVINCE):
        return _area_page(request, unit)
    raise Refused(Errors.E830, unit=unit.name)


# ---------------------------------------------------------------- a school


def _school_page(request: HttpRequest, school: OrgUnit) -> HttpResponse:
    county = service.county_of(school)
    if county is None:
        raise Refused(Errors.E830, unit=school.name)
    data = service.county_data(county)
    year = _year(request, sorted(data.years))
    result = data.result(year)
    rows = [(stage_result.stage, r) for stage_result in result.stages for r in stage_result.schools
            if r.school.id == school.pk]
    excluded = next((e.reason for e in result.excluded if e.school.id == school.pk), "")
    return render(request, "balance/school.html", {
        "school": school, "county": county, "year": year, "years": sorted(data.years), "rows": rows,
        "excluded": excluded, "measures": assess.MEASURES, "nav": "balance",
        "form_url": reverse("data-form", args=[service.DATA_SET, school.pk, year]),
    })


# ---------------------------------------------------------------- a county


def _what_if(request: HttpRequest, data: service.CountyData, year: str, before: assess.CountyResult):
    """The what-if asked for in the query string, as (the ask, the county after), or None."""
    school_id, code, typed = (request.GET.get(k, "").strip() for k in ("wi_school", "wi_code", "wi_amount"))
    if not (school_id and code and typed):
        return None
    schools = data.years.get(year, [])
    school = next((s for s in schools if str(s.id) == school_id), None)
    measure = assess.MEASURE_BY_CODE.get(code)
    try:
        amount = float(typed.replace(",", ""))
    except ValueError:
        messages.error(request, Errors.E825.render(value=typed[:20]))
        return None
    if school is None or measure is None or not math.isfinite(amount) or abs(amount) > 1e12:
        messages.error(request, Errors.E825.render(value=typed[:20]))
        return None
    after = assess.what_if(schools, {(school.id, code): amount}, data.standards)
    rows = []
    for stage in assess.Stage:
        old, new = before.stage(stage), after.stage(stage)
        old_row, new_row = old.result(school.id), new.result(school.id)
        if old_row is None or new_row is None:
            continue
        rows.append({"stage": stage, "cv_before": old.variation(code).cv, "cv_after": new.variation(code).cv,
                     "bar": new.variation(code).bar, "meets": new.variation(code).meets,
                     "before": old_row, "after": new_row, "county_passes": new.passes})
    return {"school": school, "measure": measure, "amount": amount, "rows": rows}


def _checklist(county: OrgUnit, year: str) -> tuple[list[dict], tuple[int | None, int | None], dict]:
    entries = {e.item: e for e in ChecklistEntry.objects.filter(county=county, year=int(year))}
    parts = []
    for part in PARTS:
        items = [{"item": item, "entry": entries.get(item.code)} for item in ITEMS if item.part == part]
        parts.append({"name": part, "items": items,
                      "met": sum(1 for i in items if i["entry"] and i["entry"].status == ChecklistEntry.Status.MET)})
    survey_entry = entries.get("R1")
    survey = (survey_entry.surveyed, survey_entry.satisfied) if survey_entry else (None, None)
    return parts, survey, entries


def _may_edit(request: HttpRequest, county: OrgUnit) -> bool:
    scope = scope_for(request.user)
    return scope.can_import and scope.covers(county)


def _county_page(request: HttpRequest, county: OrgUnit, *, year: str | None = None,
                 problems: list | None = None) -> HttpResponse:
    """``year`` and ``problems``: an upload refused, shown on the page it came from."""
    data = service.county_data(county)
    years = sorted(data.years)
    year = year or _year(request, years)
    results = data.results()
    result = results.get(year) or data.result(year)
    reported = [s.id for s in data.years.get(year, [])]
    roster = service.roster(county, year, reported)
    stages = []
    for stage_result in result.stages:
        stages.append({
            "result": stage_result, "stage": stage_result.stage,
            "variations": [(v, [c for c in v.contributions[:CONTRIBUTORS] if c.share >= 0.005])
                           for v in stage_result.variations],
            "svg": mark_safe(chart.svg(results, stage_result.stage, element_id=f"cv-{stage_result.stage.value}",
                                       title=f"{county.name}{stage_result.stage.label}各项指标差异系数")),
            "chart_rows": chart.cv_rows(results, stage_result.stage), "chart_years": sorted(results),
        })
    parts, survey, _ = _checklist(county, year)
    rate = recognition_rate(*survey)
    return render(request, "balance/county.html", {
        "county": county, "year": year, "years": years, "result": result, "stages": stages,
        "measures": assess.MEASURES, "roster": roster, "what_if": _what_if(request, data, year, result),
        "schools": sorted(data.years.get(year, []), key=lambda s: s.name), "parts": parts,
        "survey": survey, "rate": rate, "rate_met": recognition_met(*survey), "may_edit": _may_edit(request, county),
        "statuses": ChecklistEntry.Status.choices, "upload": SheetForm(), "nav": "balance",
        "problems": problems, "recognition": RECOGNITION,
        "query": request.GET,
    })


# ---------------------------------------------------------------- a city or province


def _area_page(request: HttpRequest, unit: OrgUnit) -> HttpResponse:
    year = _year(request, [])
    counties = service.load(unit, [year])
    rows = []
    for data in counties.values():
        result = data.result(year)
        cells = []
        for stage_result in result.stages:
            cvs = [v.cv for v in stage_result.variations if v.cv is not None]
            cells.append({"result": stage_result, "passing": sum(r.passes for r in stage_result.schools),
                          "cv_met": sum(v.meets for v in stage_result.variations),
                          "max_cv": max(cvs) if cvs else None})
        rows.append({"county": data.county, "cells": cells, "passes": result.passes,
                     "reported": len(data.years.get(year, []))})
    return render(request, "balance/area.html", {
        "unit": unit, "year": year, "rows": rows, "stages": list(assess.Stage), "nav": "balance",
        "passing": sum(r["passes"] for r in rows),
    })


# ---------------------------------------------------------------- downloads and edits


def _county_for(request: HttpRequest, county_id: int) -> OrgUnit:
    county = readable_unit(request.user, county_id)
    if county.kind != OrgUnit.Kind.BUREAU:
        raise Http404
    return county


def _bad_year(request: HttpRequest, county: OrgUnit, typed: str) -> HttpResponse:
    """A year in the address that is none: the county's page with the message, answered 400."""
    messages.error(request, Errors.E826.render(value=typed[:20]))
    response = _county_page(request, county)
    response.status_code = 400
    return response


def _download(body: bytes, name: str, content_type: str) -> FileResponse:
    return FileResponse(io.BytesIO(body), as_attachment=True, filename=name, content_type=content_type)


@login_required
def resource_table(request: HttpRequest, county_id: int, year: str) -> HttpResponse:
    county = _county_for(request, county_id)
    typed, year = year, parse_year(year)
    if year is None:
        return _bad_year(request, county, typed)
    result = service.county_data(county, [year]).result(year)
    return _download(exports.resource_table(county.name, year, result),
                     f"{county.name}{year}年义务教育学校资源配置表.xlsx", XLSX)


@login_required
def summary(request: HttpRequest, county_id: int, year: str) -> HttpResponse:
    county = _county_for(request, county_id)
    typed, year = year, parse_year(year)
    if year is None:
        return _bad_year(request, county, typed)
    result = service.county_data(county, [year]).result(year)
    _, survey, entries = _checklist(county, year)
    body = exports.summary_docx(county.name, year, result, exports.checklist_lines(entries), survey, clock.today())
    return _download(body, f"{county.name}{year}年优质均衡自评报告.docx", DOCX)


@login_required
@require_POST
def upload(request: HttpRequest, county_id: int) -> HttpResponse:
    county = _county_for(request, county_id)
    if not _may_edit(request, county):
        raise Refused(Errors.E827, action="导入统计报表")
    year = request.POST.get("year", "").strip()
    back = parse_year(year) or str(clock.today().year)  # the page to go back to
    form = SheetForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect(_page_url(county, back))
    upload_file = form.cleaned_data["file"]
    try:
        done = read_sheet(upload_file, county, year, request.user, name=upload_file.name)
    except SheetRefused as refused:
        messages.error(request, str(refused))
        response = _county_page(request, county, year=back, problems=refused.problems)
        response.status_code = 400
        return response
    except EduplanError as error:
        messages.error(request, str(error))
        return redirect(_page_url(county, back))
    messages.success(request, f"已导入 {done.submitted} 所学校的 {back} 年数据"
                              + (f"，{done.unchanged} 所与已提交的数据相同未改动" if done.unchanged else ""))
    return redirect(_page_url(county, back))


@login_required
@require_POST
def checklist_item(request: HttpRequest, county_id: int, year: str) -> HttpResponse:
    county = _county_for(request, county_id)
    typed, year = year, parse_year(year)
    if year is None:
        return _bad_year(request, county, typed)
    if not _may_edit(request, county):
        raise Refused(Errors.E827, action="填写自评清单")
    code, status = request.POST.get("item", ""), request.POST.get("status", "")
    back = redirect(_page_url(county, year) + f"#item-{code}")
    if code not in ITEM_BY_CODE or status not in ChecklistEntry.Status.values:
        messages.error(request, Errors.E829.render(value=f"{code[:10]} {status[:10]}"))
        return back
    surveyed, satisfied = _count(request, "surveyed", "调查人数"), _count(request, "satisfied", "满意人数")
    if surveyed is False or satisfied is False:
        return back
    if surveyed is not None and satisfied is not None and satisfied > surveyed:
        messages.error(request, Errors.E828.render(satisfied=satisfied, surveyed=surveyed))
        return back
    entry, _ = ChecklistEntry.objects.get_or_create(county=county, year=int(year), item=code)
    before = snapshot(entry)
    entry.status, entry.evidence = status, request.POST.get("evidence", "").strip()[:2000]
    if code == "R1":
        entry.surveyed, entry.satisfied = surveyed, satisfied
        met = recognition_met(surveyed, satisfied)
        if met is not None:  # the rate decides, not the status picked
            entry.status = ChecklistEntry.Status.MET if met else ChecklistEntry.Status.NOT_MET
    entry.updated_by = request.user
    entry.save()
    record(request.user, "balance.checklist", entry, before, snapshot(entry))
    messages.success(request, f"已保存：{ITEM_BY_CODE[code].text[:24]}……")
    return back


def _count(request: HttpRequest, name: str, label: str) -> int | None | bool:
    """A whole number typed in the form; None when blank; False (with a message) when wrong.
    Decimal digits, as ``int`` reads them (full-width ones too): ``str.isdigit`` would pass "²"."""
    typed = request.POST.get(name, "").strip()
    if not typed:
        return None
    if not typed.isdecimal() or len(typed) > 9:
        messages.error(request, Errors.E701.render(value=typed[:20], element=label))
        return False
    return int(typed)
