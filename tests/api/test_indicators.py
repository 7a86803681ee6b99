"""The indicators API gives the same figures as the pages, within the caller's scope."""

from __future__ import annotations

import pytest

from eduplan.indicators.models import DataElement
from eduplan.indicators.values import NewValue, store_values


@pytest.fixture
def figures(world):
    elements = {e.code: e for e in DataElement.objects.filter(code__in=["fitness_tested", "fitness_passed"])}
    rows = []
    for name, tested, passed in (("青禾区实验小学", 100, 90), ("青禾区滨江小学", 50, 45)):
        unit = world.unit(name)
        rows += [NewValue(elements["fitness_tested"], unit, "2025S1", tested),
                 NewValue(elements["fitness_passed"], unit, "2025S1", passed)]
    store_values(rows, user=None, source="form")


def test_the_bureau_reads_its_figures_and_each_school_below(world, api, figures):
    body = api("leader").get("/api/indicators/fitness_pass_rate").json()
    assert body["latest"] == {"period": "2025S1", "value": 90.0, "numerator": 135.0, "denominator": 150.0,
                              "units": 2}
    groups = {row["unit_name"]: row["figure"]["value"] for row in body["below"]}
    assert groups == {"青禾第一教育集团": 90.0, "青禾第二教育集团": 90.0}
    listed = {row["code"]: row["latest"] for row in api("leader").get("/api/indicators").json()}
    assert listed["fitness_pass_rate"]["value"] == 90.0 and listed["myopia_rate"] is None


@pytest.mark.parametrize(("persona", "unit", "status"), [
    ("school_a", "青禾区实验小学", 200), ("school_a", "青禾区滨江小学", 404), ("leader", "青禾区滨江小学", 200),
])
def test_a_school_reads_only_its_own_figures(world, api, figures, persona, unit, status):
    response = api(persona).get(f"/api/indicators/fitness_pass_rate?unit={world.unit(unit).pk}")
    assert response.status_code == status
    if status == 200:
        assert response.json()["latest"]["units"] == 1
    else:
        assert response.json()["code"] == "E505"


def test_an_unknown_indicator_is_a_404(world, api):
    assert api("leader").get("/api/indicators/no_such_code").status_code == 404
