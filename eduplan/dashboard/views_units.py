"""A page per org unit (科室, 集团/学区, 学校): its tasks with how late each is, its latest
reports and, for a group, its schools' figures. Readers see the units within their scope: a
school its own page, a department its own, the bureau office and leaders every unit of the
bureau; any other unit is answered as if it did not exist (404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from eduplan.caching import cached
from eduplan.orgs.access import scope_for
from eduplan.orgs.models import OrgUnit
from eduplan.tracking import clock
from eduplan.tracking.current import ALL_PLANS
from eduplan.tracking.progress import period_label
from eduplan.tracking.units import UNIT_KINDS, unit_overview

from .layout import tasks_shown


def get_unit_for_user(user, pk: int) -> OrgUnit:
    """A department, group or school within the user's scope; 404 otherwise."""
    scope = scope_for(user)
    unit = OrgUnit.objects.filter(pk=pk, kind__in=UNIT_KINDS).select_related("parent").first()
    if unit is None or not scope.can_read or not scope.covers(unit):
        raise Http404("单位不存在或无权查看")
    return unit


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    scope = scope_for(request.user)
    today = clock.today()
    tasks, plan = tasks_shown(request, scope, today)

    def content() -> str:
        overview = unit_overview(unit, tasks, today)
        crumbs = [u for u in (unit.parent, unit.parent.parent if unit.parent else None)
                  if u is not None and u.kind in UNIT_KINDS and scope.covers(u)]
        return render_to_string("dashboard/_unit_content.html", {
            "unit": unit, "overview": overview, "plan": plan, "crumbs": list(reversed(crumbs)), "scope": scope,
            "plan_query": f"plan={plan.pk}" if plan else f"plan={ALL_PLANS}",
            "rows": [{"row": r, "period": period_label(r.latest.period) if r.latest else ""} for r in overview.rows],
            "reports": [{"report": r, "period": period_label(r.period)} for r in overview.reports],
        })

    page = cached("unit-html", (scope.key, unit.pk, plan.pk if plan else None), content, scope.bureau_ids)
    return render(request, "dashboard/unit_detail.html", {"content": mark_safe(page), "unit": unit, "nav": "dashboard"})
