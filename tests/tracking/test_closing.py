"""Closing (办结, a report of "已完成") is the lead unit's or an assigner's call, not a partner's:
in the service, the API and the form alike.

``task_dept`` is led by 基础教育科 (jijiao manager, jijiao_tb reporter) with 体卫艺科 (tiwei) as partner.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from eduplan.api.models import ApiToken
from eduplan.orgs.access import Refused
from eduplan.tracking.access import may_close
from eduplan.tracking.models import ProgressReport
from eduplan.tracking.progress import submit_report

DONE = {"period": "2025-06", "state": "done", "percent": 100, "narrative": "全部完成"}

@pytest.fixture
def api(world):
    """As tests/api's fixture: a client sending a persona's bearer token."""
    return lambda persona: Client(headers={"Authorization": f"Bearer {ApiToken.issue(world.users[persona])}"})


# persona, may close task_dept's assignment
# fmt: off
WHO = [
    ("tiwei", False),      # partner unit's reporter
    ("jijiao_tb", True),   # lead unit's reporter
    ("jijiao", True),      # lead unit's manager
    ("admin", True),       # the bureau office, which assigns
]
# fmt: on


@pytest.mark.parametrize(("persona", "allowed"), WHO)
def test_the_service_lets_only_the_lead_or_an_assigner_close(world, persona, allowed):
    assignment = world.assignment(world.task_dept)
    user = world.users[persona]
    assert may_close(user, assignment) is allowed
    if allowed:
        submit_report(assignment, user=user, **DONE)
        assignment.refresh_from_db()
        assert assignment.closed_at is not None
    else:
        with pytest.raises(Refused) as refused:
            submit_report(assignment, user=user, **DONE)
        assert refused.value.code == "E456"
        assignment.refresh_from_db()
        assert assignment.closed_at is None and not ProgressReport.objects.exists()


@pytest.mark.parametrize(("persona", "allowed"), WHO)
def test_through_the_api_a_partner_gets_403_e456(world, api, persona, allowed):
    url = f"/api/assignments/{world.assignment(world.task_dept).pk}/reports"
    response = api(persona).post(url, DONE, content_type="application/json")
    if allowed:
        assert response.status_code == 201 and response.json()["state"] == "done"
    else:
        assert (response.status_code, response.json()["code"]) == (403, "E456")
    assert (world.assignment(world.task_dept).closed_at is not None) is allowed


def test_through_the_api_a_partner_still_reports_progress(world, api):
    url = f"/api/assignments/{world.assignment(world.task_dept).pk}/reports"
    response = api("tiwei").post(url, DONE | {"state": "in_progress", "percent": 90}, content_type="application/json")
    assert response.status_code == 201
    assert world.assignment(world.task_dept).closed_at is None


@pytest.mark.parametrize(("persona", "allowed"), WHO)
def test_the_form_offers_done_only_to_who_may_close_and_refuses_it_otherwise(world, as_user, persona, allowed):
    client = as_user(persona)
    url = reverse("report-progress", args=[world.assignment(world.task_dept).pk])
    choices = [value for value, _ in client.get(url).context["form"].fields["state"].choices]
    assert ("done" in choices) is allowed
    response = client.post(url, DONE | {"percent": "100"})
    assert response.status_code == (302 if allowed else 200)
    assert (world.assignment(world.task_dept).closed_at is not None) is allowed
    assert ProgressReport.objects.exists() is allowed
