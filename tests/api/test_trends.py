"""GET /api/trends: the trend page's figures, scoped like every read."""

import pytest


@pytest.mark.parametrize(("persona", "total"), [("admin", 28), ("leader", 28), ("school_a", 1), ("tiwei", 1)])
def test_the_trends_are_scoped(world, api, persona, total):
    response = api(persona).get("/api/trends")
    assert response.status_code == 200
    data = response.json()
    assert [m["period"] for m in data["months"]] == [f"2025-{m:02d}" for m in range(1, 7)]
    assert data["months"][-1]["total"] == total
    assert data["months"][-1]["as_of"] == "2025-06-30"


def test_the_trends_match_the_dashboard_this_month(world, api):
    client = api("admin")
    dashboard, trends = client.get("/api/dashboard").json(), client.get(f"/api/trends?plan={world.plan.pk}").json()
    assert trends["months"][-1]["by_status"] == dashboard["by_status"]
    assert trends["months"][-1]["by_light"] == dashboard["by_light"]
    assert [u["name"] for u in trends["units"]][-1] == "未分派"


def test_a_plan_out_of_sight_is_not_found(world, api):
    assert api("school_a").get("/api/trends?plan=999999").status_code == 404
