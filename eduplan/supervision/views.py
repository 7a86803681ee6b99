"""Supervision pages: rounds, findings and their rectification, the inbox, the appraisal.

Thin: each view starts with an access helper (``supervision.access``), hands the work to the
services and shapes what the template shows. A service's ``EduplanError`` is shown next to
its field and changes nothing; a refusal is a 403, something invisible a 404.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from eduplan.errors import EduplanError
from eduplan.orgs.access import Refused, Scope, scope_for
from eduplan.orgs.models import OrgUnit
from eduplan.reports.bulletin.document import write_blocks
from eduplan.tracking import clock
from eduplan.tracking.progress import IMAGE_TYPES

from . import exports, scoring, work
from .access import (
    check_staff,
    get_finding_for_user,
    get_round_for_user,
    is_staff,
    may_rectify,
    may_review,
    visible_findings,
    visible_rounds,
    visible_units,
)
from .forms import AdjustForm, FindingForm, RectifyForm, ReviewForm, RoundForm
from .inbox import mark_read
from .models import FindingPhoto, Message, Rectification, RectificationEvidence
from .services import (
    RoundInput,
    add_finding,
    appraisal_rules_for,
    check_open,
    create_round,
    escalation_of,
    report_rectification,
    reported_done_by,
    review_rectification,
    rules_for,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _posted(request: HttpRequest) -> tuple:
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _bureau(scope: Scope) -> OrgUnit:
    """The bureau the user works in; a superuser without a unit works in the first one."""
    if scope.unit is not None:
        return scope.unit.bureau()
    bureau = OrgUnit.objects.filter(kind=OrgUnit.Kind.BUREAU).order_by("path").first()
    if bureau is None:
        raise Http404("尚未建立教育局")
    return bureau


def _attachment(content: bytes, filename: str, content_type: str) -> FileResponse:
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=content_type)


def _rows(findings, today: date) -> list[dict]:
    """Findings with their rectification's escalation, for the tables."""
    rules: dict[int, object] = {}
    rows = []
    for finding in findings:
        rect = finding.rectification
        bureau_id = finding.round.bureau_id
        if bureau_id not in rules:  # once per bureau, not once per finding
            rules[bureau_id] = rules_for(finding.round.bureau)
        bureau_rules = rules[bureau_id]
        rows.append({"finding": finding, "rect": rect, "escalation": escalation_of(rect, today, bureau_rules)})
    return rows


# ---------------------------------------------------------------- rounds

@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    rounds = visible_rounds(scope).prefetch_related("schools")
    findings = visible_findings(scope)
    counts = {state: findings.filter(rectification__state=state).count() for state in Rectification.State.values}
    per_round = Counter(findings.values_list("round_id", flat=True))  # only what this user may see
    rounds = list(rounds)
    for round_ in rounds:
        round_.visible_findings = per_round[round_.pk]
    return render(request, "supervision/round_list.html", {
        "nav": "supervision", "rounds": rounds, "can_run": is_staff(scope),
        "counts": counts, "total": findings.count(),
    })


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    bureau = _bureau(scope)
    check_staff(request.user, bureau, "创建督导轮次")
    today = clock.today()
    form = RoundForm(*_posted(request), bureau=bureau, initial={"start_date": today, "end_date": today,
                                                                "standard": "safe_campus"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = create_round(RoundInput(
                title=data["title"], kind=data["kind"], start_date=data["start_date"], end_date=data["end_date"],
                schools=list(data["schools"]), standard=data["standard"], section=data["section"],
                items_text=data["items_text"]), user=request.user, bureau=bureau)
        except EduplanError as err:
            form.show_error(err)
        else:
            messages.success(request, f"已创建督导轮次“{round_.title}”")
            return redirect("supervision-round", pk=round_.pk)
    return render(request, "supervision/round_form.html", {"nav": "supervision", "form": form})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, pk)
    scope = scope_for(request.user)
    can_run = is_staff(scope) and scope.covers(round_.bureau)
    today = clock.today()
    form = None
    if can_run:
        form = FindingForm(*_posted(request), round_=round_, initial={"found_on": today})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                finding = add_finding(round_, user=request.user, school=data["school"], item=data["item"],
                                      description=data["description"], severity=data["severity"],
                                      found_on=data["found_on"], deadline=data["deadline"], photos=data["photos"],
                                      assignee=data["assignee"])
            except EduplanError as err:
                form.show_error(err)
            else:
                messages.success(request, f"已记录{finding.school.name}的问题并交办整改")
                return redirect("supervision-round", pk=round_.pk)
    elif request.method == "POST":
        raise PermissionDenied("只有教育局督导人员可以记录问题")
    findings = visible_findings(scope).filter(round=round_).select_related("rectification__assignee_unit")
    return render(request, "supervision/round_detail.html", {
        "nav": "supervision", "round": round_, "items": round_.items.all(), "rows": _rows(findings, today),
        "schools": _round_schools(round_, scope, findings), "form": form, "can_run": can_run,
    })


def _round_schools(round_, scope: Scope, findings):
    """The round's schools this user may know of: all of them for the bureau, otherwise only
    its own (and those whose findings it was given to rectify), never the other schools."""
    schools = round_.schools.order_by("path")
    if scope.everything or scope.whole_authority:
        return schools
    return schools.filter(Q(path__startswith=scope.unit_path) | Q(pk__in=findings.values("school_id")))


def _findings_ledger(request: HttpRequest, findings, title: str, filename: str) -> FileResponse:
    today = clock.today()
    findings = list(findings.select_related("rectification__assignee_unit", "rectification__closed_by"))
    escalations = {row["rect"].pk: row["escalation"] for row in _rows(findings, today)}
    buffer = io.BytesIO()
    exports.write_ledger(findings, escalations, buffer, title=title)
    return _attachment(buffer.getvalue(), filename, XLSX)


@login_required
def round_ledger(request: HttpRequest, pk: int) -> FileResponse:
    round_ = get_round_for_user(request.user, pk)
    findings = visible_findings(scope_for(request.user)).filter(round=round_)
    return _findings_ledger(request, findings, f"{round_.title}问题清单（整改台账）", f"{round_.title}问题清单.xlsx")


@login_required
def round_notice(request: HttpRequest, pk: int) -> FileResponse:
    round_ = get_round_for_user(request.user, pk)
    check_staff(request.user, round_.bureau, "生成督导通报")
    today = clock.today()
    findings = list(visible_findings(scope_for(request.user)).filter(round=round_)
                    .select_related("rectification__assignee_unit"))
    escalations = {row["rect"].pk: row["escalation"] for row in _rows(findings, today)}
    issuer = f"{round_.bureau.name}督导室"
    blocks = exports.notice_blocks(round_, findings, escalations, issuer=issuer, day=today,
                                   number=request.GET.get("number", "")[:40])
    buffer = io.BytesIO()
    write_blocks(blocks, buffer, title=blocks[1].text, issuer=issuer)
    return _attachment(buffer.getvalue(), f"{round_.title}通报.docx", DOCX)


# ---------------------------------------------------------------- findings and rectification

@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    findings = visible_findings(scope).select_related("rectification__assignee_unit")
    state = request.GET.get("state", "")
    if state in Rectification.State.values:
        findings = findings.filter(rectification__state=state)
    return render(request, "supervision/finding_list.html", {
        "nav": "supervision", "rows": _rows(findings.order_by("rectification__deadline", "id"), clock.today()),
        "state": state, "states": Rectification.State.choices,
    })


@login_required
def finding_ledger(request: HttpRequest) -> FileResponse:
    findings = visible_findings(scope_for(request.user)).order_by("round", "school__path", "id")
    return _findings_ledger(request, findings, "督导问题清单（整改台账）", "整改台账.xlsx")


def _render_finding(request: HttpRequest, finding, rectify_form=None, review_form=None) -> HttpResponse:
    rect = finding.rectification
    user = request.user
    can_rectify = may_rectify(user, rect) and rect.state == Rectification.State.OPEN
    can_review = (may_review(user, rect) and rect.state == Rectification.State.SUBMITTED
                  and not reported_done_by(rect, user))
    reports = list(rect.reports.select_related("unit", "created_by").prefetch_related("evidence"))
    return render(request, "supervision/finding_detail.html", {
        "nav": "supervision", "finding": finding, "rect": rect,
        "escalation": escalation_of(rect, clock.today(), rules_for(finding.round.bureau)),
        "verdict": work.verdict(rect, clock.today(), work.thresholds_for(finding.round.bureau)),
        "photos": finding.photos.all(), "reports": reports, "reviews": rect.reviews.select_related("reviewer"),
        "can_rectify": can_rectify, "can_review": can_review,
        "own_done_report": rect.state == Rectification.State.SUBMITTED and may_review(user, rect) and not can_review,
        "rectify_form": rectify_form or (RectifyForm(initial={"percent": rect.latest_percent}) if can_rectify else None),
        "review_form": review_form or (ReviewForm(initial={"decision": "approve"}) if can_review else None),
    })


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_finding(request, get_finding_for_user(request.user, pk))


@login_required
@require_POST
def rectify(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_finding_for_user(request.user, pk)
    if not may_rectify(request.user, finding.rectification):
        raise PermissionDenied("只有整改责任单位可以填报整改情况")
    try:
        check_open(finding.rectification, finding)  # awaiting review or closed: the page has no form to show it
    except EduplanError as err:
        messages.error(request, str(err))
        return redirect("supervision-finding", pk=finding.pk)
    form = RectifyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report_rectification(finding.rectification, user=request.user, narrative=data["narrative"],
                                 percent=data["percent"], done=data["done"], files=data["files"])
        except EduplanError as err:
            form.show_error(err)
        else:
            messages.success(request, "已提交整改销号申请，等待审核" if data["done"] else "已提交整改进展")
            return redirect("supervision-finding", pk=finding.pk)
    return _render_finding(request, finding, rectify_form=form)


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_finding_for_user(request.user, pk)
    if not may_review(request.user, finding.rectification):
        raise PermissionDenied("只有教育局督导人员可以审核整改销号")
    form = ReviewForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            review_rectification(finding.rectification, user=request.user, approve=approve,
                                 note=form.cleaned_data["note"])
        except Refused:
            raise  # E880: whoever reported it done may not review it, a 403 with its reason
        except EduplanError as err:
            form.show_error(err)
        else:
            messages.success(request, "已审核通过，问题已销号" if approve else "已退回重新整改")
            return redirect("supervision-finding", pk=finding.pk)
    return _render_finding(request, finding, review_form=form)


@login_required
def file_download(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    if kind == "photo":
        row = FindingPhoto.objects.filter(pk=pk).first()
        finding_id = row.finding_id if row else None
    elif kind == "evidence":
        row = RectificationEvidence.objects.select_related("report__rectification").filter(pk=pk).first()
        finding_id = row.report.rectification.finding_id if row else None
    else:
        raise Http404("文件不存在")
    if row is None:
        raise Http404("文件不存在或无权查看")
    get_finding_for_user(request.user, finding_id)
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不在服务器上，请联系管理员") from None
    # Only a picture is shown in the page; anything else (a photo stored before photos were
    # pictures only, any evidence) is downloaded.
    inline = kind == "photo" and Path(row.original_name).suffix.lower() in IMAGE_TYPES
    return FileResponse(handle, as_attachment=not inline, filename=row.original_name)


# ---------------------------------------------------------------- inbox

@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    rows = Message.objects.filter(recipient=request.user)
    if request.GET.get("unread"):
        rows = rows.filter(read_at__isnull=True)
    return render(request, "supervision/inbox.html", {"nav": "inbox", "rows": rows[:200],
                                                      "unread_only": bool(request.GET.get("unread"))})


@login_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    posted = request.POST.getlist("id")
    ids = [int(i) for i in posted if _is_id(i)]
    if posted and not ids:  # ids were named, none of them a message: mark nothing, least of all everything
        raise BadRequest("消息编号无效")
    mark_read(request.user, ids if posted else None)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("supervision-inbox")


def _is_id(text: str) -> bool:
    """A row id as posted: ASCII digits (``isdigit`` alone takes "²"), within a 64-bit key."""
    return text.isascii() and text.isdigit() and 0 < int(text) < 2**63


# ---------------------------------------------------------------- appraisal

def _year(request: HttpRequest) -> int:
    """The year asked for (this year when none): a malformed one is a 400, never another year,
    since an adjustment posted with it would land in the wrong year."""
    value = request.GET.get("year", "").strip()
    if not value:
        return clock.today().year
    try:
        return scoring.parse_year(value)
    except EduplanError as err:
        raise BadRequest(str(err)) from None


@login_required
def appraisal_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.can_read:
        raise PermissionDenied("无权查看考核")
    year, today = _year(request), clock.today()
    bureau = _bureau(scope)
    within = scope.unit.path if scope.unit is not None and not scope.whole_authority else ""
    units = scoring.appraised_units(bureau, year, within)
    sheets = list(zip(units, scoring.sheets_for(units, year, today), strict=True))
    return render(request, "supervision/appraisal_list.html", {
        "nav": "appraisal", "year": year, "sheets": sheets, "years": range(today.year - 2, today.year + 1),
    })


def _unit_for_appraisal(request: HttpRequest, unit_id: int) -> OrgUnit:
    unit = visible_units(scope_for(request.user)).filter(pk=unit_id).first()
    if unit is None or unit.is_authority:
        raise Http404("单位不存在或无权查看")
    return unit


@login_required
def appraisal_sheet(request: HttpRequest, unit_id: int, form: AdjustForm | None = None) -> HttpResponse:
    unit = _unit_for_appraisal(request, unit_id)
    year = _year(request)
    sheet = scoring.sheet_for(unit, year, clock.today())
    if request.GET.get("format") == "json":
        return JsonResponse({"unit": sheet.unit, "year": year, "base": str(sheet.base), "total": str(sheet.total),
                             "grade": sheet.grade, "lines": [{"code": line.code, "text": line.text,
                                                              "points": str(line.points)} for line in sheet.lines]})
    scope = scope_for(request.user)
    can_adjust = is_staff(scope) and scope.covers(unit)
    if can_adjust and form is None:
        form = AdjustForm(veto_items=appraisal_rules_for(unit.bureau()).veto_list())
    return render(request, "supervision/appraisal_sheet.html", {
        "nav": "appraisal", "unit": unit, "year": year, "sheet": sheet, "form": form, "can_adjust": can_adjust,
        "points_text": scoring.points_text,
    })


@login_required
@require_POST
def appraisal_adjust(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit_for_appraisal(request, unit_id)
    year = _year(request)
    check_staff(request.user, unit.bureau(), "调整考核得分")
    form = AdjustForm(request.POST, veto_items=appraisal_rules_for(unit.bureau()).veto_list())
    if form.is_valid():
        data = form.cleaned_data
        try:
            scoring.adjust_score(unit, year, user=request.user, points=data["points"], reason=data["reason"],
                                 veto_item=data["veto_item"], as_of=clock.today())
        except EduplanError as err:
            form.show_error(err)
        else:
            messages.success(request, "已调整考核得分，调整记录已存入审计日志")
            return redirect(f"{request.path.rsplit('adjust/', 1)[0]}?year={year}")
    return appraisal_sheet(request, unit_id, form=form)


@login_required
def appraisal_export(request: HttpRequest) -> FileResponse:
    scope = scope_for(request.user)
    if not scope.can_read:
        raise PermissionDenied("无权查看考核")
    year, today = _year(request), clock.today()
    within = scope.unit.path if scope.unit is not None and not scope.whole_authority else ""
    sheets = scoring.sheets_for(scoring.appraised_units(_bureau(scope), year, within), year, today)
    buffer = io.BytesIO()
    exports.write_appraisal(sheets, buffer, year=year)
    return _attachment(buffer.getvalue(), f"{year}年度目标管理考核.xlsx", XLSX)
