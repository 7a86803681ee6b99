"""Indicator maths on small trees computed by hand: sum the parts, then divide.

The tree (a city over two districts):
  澜江市教育局 (city)
    甲区教育局            乙区教育局
      一小  二小  三小        四小
Each case says which figures are stored and what the districts and the city must show.
"""

from __future__ import annotations

import pytest

from eduplan.indicators.compute import by_unit_below, figure, series
from eduplan.indicators.models import DataElement, Indicator
from eduplan.indicators.values import NewValue, store_values
from eduplan.orgs.models import OrgUnit


@pytest.fixture
def tree(db):
    city = OrgUnit.objects.create(name="澜江市教育局", kind=OrgUnit.Kind.CITY)
    jia = OrgUnit.objects.create(name="甲区教育局", kind=OrgUnit.Kind.BUREAU, parent=city)
    yi = OrgUnit.objects.create(name="乙区教育局", kind=OrgUnit.Kind.BUREAU, parent=city)
    units = {"city": city, "甲": jia, "乙": yi}
    for name, district in (("一小", jia), ("二小", jia), ("三小", jia), ("四小", yi)):
        units[name] = OrgUnit.objects.create(name=name, kind=OrgUnit.Kind.SCHOOL, parent=district,
                                             school_level="primary")
    return units


def put(units, rows):
    """rows: (unit name, element code, period, value)."""
    elements = {e.code: e for e in DataElement.objects.all()}
    store_values([NewValue(elements[code], units[name], period, value) for name, code, period, value in rows],
                 user=None, source="form")


def rate(code="fitness_pass_rate"):
    return Indicator.objects.get(code=code)


FITNESS = [("一小", "fitness_tested", "2025", 100), ("一小", "fitness_passed", "2025", 90),
           ("二小", "fitness_tested", "2025", 50), ("二小", "fitness_passed", "2025", 45),
           ("四小", "fitness_tested", "2025", 200), ("四小", "fitness_passed", "2025", 150)]

# fmt: off
# (case, extra rows on top of FITNESS, unit, expected value, expected units in the figure)
CASES = [
    ("a district: sum, then divide",                 [], "甲", 135 / 150 * 100, 2),
    ("the city: all districts summed",               [], "city", 285 / 350 * 100, 3),
    ("one school is itself",                         [], "二小", 90.0, 1),
    ("not an average of percentages",                [], "city", 81.42857142857143, 3),  # (90+90+75)/3 would be 85
    ("a school without its numerator is left out",   [("三小", "fitness_tested", "2025", 400)], "甲", 90.0, 2),
    ("a school with both counts is in",              [("三小", "fitness_tested", "2025", 50),
                                                      ("三小", "fitness_passed", "2025", 20)], "甲", 155 / 200 * 100, 3),
    ("a zero count is a figure, not a gap",          [("三小", "fitness_tested", "2025", 50),
                                                      ("三小", "fitness_passed", "2025", 0)], "甲", 135 / 200 * 100, 3),
    ("another period does not leak in",              [("三小", "fitness_tested", "2024", 50),
                                                      ("三小", "fitness_passed", "2024", 0)], "甲", 90.0, 2),
]
# fmt: on


@pytest.mark.parametrize(("extra", "unit", "value", "count"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_rate_is_summed_up_the_tree_then_divided(tree, extra, unit, value, count):
    put(tree, FITNESS + extra)
    result = figure(rate(), tree[unit], "2025")
    assert result.value == pytest.approx(value)
    assert result.units == count


def test_no_figures_no_value(tree):
    result = figure(rate(), tree["甲"], "2025")
    assert (result.value, result.numerator, result.units) == (None, None, 0)


def test_a_school_that_opened_mid_year_counts_from_its_first_figures(tree):
    put(tree, [("一小", "fitness_tested", "2025S1", 100), ("一小", "fitness_passed", "2025S1", 90),
               ("一小", "fitness_tested", "2025S2", 100), ("一小", "fitness_passed", "2025S2", 92),
               ("三小", "fitness_tested", "2025S2", 100), ("三小", "fitness_passed", "2025S2", 60)])
    figures = series(rate(), tree["甲"], ["2025S1", "2025S2"])
    assert [(f.value, f.units) for f in figures.values()] == [(90.0, 1), (pytest.approx(76.0), 2)]


def test_a_school_moved_to_another_district_keeps_its_past_with_the_old_one(tree):
    put(tree, [("一小", "fitness_tested", "2024", 100), ("一小", "fitness_passed", "2024", 80)])
    school = tree["一小"]
    school.parent = tree["乙"]
    school.save()
    put(tree, [("一小", "fitness_tested", "2025", 100), ("一小", "fitness_passed", "2025", 95)])
    assert figure(rate(), tree["甲"], "2024").value == 80.0
    assert figure(rate(), tree["乙"], "2024").units == 0
    assert figure(rate(), tree["乙"], "2025").value == 95.0
    assert figure(rate(), tree["甲"], "2025").units == 0
    assert figure(rate(), tree["city"], "2024").value == 80.0  # the city sees both years either way
    assert figure(rate(), tree["city"], "2025").value == 95.0


def test_authority_figures_are_summed_as_they_stand(tree):
    # 毛入园率 = children in kindergartens ÷ the district's 3–5 population, which the district reports.
    for name in ("一小", "二小"):
        tree[name].school_level = "kindergarten"
        tree[name].save()
    put(tree, [("一小", "kg_children", "2025", 300), ("二小", "kg_children", "2025", 240),
               ("甲", "population_3_5", "2025", 600), ("乙", "population_3_5", "2025", 400)])
    assert figure(rate("kg_gross_enrolment"), tree["甲"], "2025").value == pytest.approx(90.0)
    assert figure(rate("kg_gross_enrolment"), tree["city"], "2025").value == pytest.approx(54.0)


def test_a_total_indicator_has_no_denominator(tree):
    put(tree, [("一小", "new_places", "2025", 270), ("四小", "new_places", "2025", 1080)])
    result = figure(rate("new_places"), tree["city"], "2025")
    assert (result.value, result.denominator) == (1350, None)


def test_a_difference_in_a_formula(tree):
    indicator = Indicator.objects.create(code="not_exchanged", name="未交流教师数",
                                         numerator="teachers_due_exchange - teachers_exchanged")
    put(tree, [("一小", "teachers_due_exchange", "2025", 20), ("一小", "teachers_exchanged", "2025", 3),
               ("四小", "teachers_due_exchange", "2025", 10), ("四小", "teachers_exchanged", "2025", 4)])
    assert figure(indicator, tree["city"], "2025").value == 23


def test_figures_per_child_are_keyed_by_unit_id_not_name(tree):
    namesake = OrgUnit.objects.create(name="一小", kind=OrgUnit.Kind.SCHOOL, parent=tree["乙"], school_level="primary")
    tree["一小乙"] = namesake
    put(tree, FITNESS + [("一小乙", "fitness_tested", "2025", 10), ("一小乙", "fitness_passed", "2025", 10)])
    districts = by_unit_below(rate(), tree["city"], "2025")
    assert {k: round(v.value, 2) for k, v in districts.items()} == {
        tree["甲"].pk: 90.0, tree["乙"].pk: round(160 / 210 * 100, 2)}
    schools = by_unit_below(rate(), tree["city"], "2025", depth=None)
    assert schools[tree["一小"].pk].value == 90.0
    assert schools[namesake.pk].value == 100.0


def test_a_series_is_chronological_across_period_kinds(tree):
    put(tree, [("一小", "fitness_tested", key, 10) for key in ("2025-02", "2024", "2025S1", "2025Q1")]
        + [("一小", "fitness_passed", key, 5) for key in ("2025-02", "2024", "2025S1", "2025Q1")])
    assert list(series(rate(), tree["一小"])) == ["2024", "2025S1", "2025Q1", "2025-02"]


def test_a_formula_naming_an_unknown_element_is_refused(tree):
    broken = Indicator.objects.create(code="broken", name="坏指标", numerator="no_such_element")
    with pytest.raises(ValueError, match="no_such_element"):
        figure(broken, tree["甲"], "2025")


@pytest.mark.parametrize(("numerator", "denominator", "ok"), [
    ("fitness_passed", "fitness_tested", True),
    ("kg_public_children + kg_inclusive_private_children", "kg_children", True),
    ("fitness_passed", "", True),
    ("fitness_passed * 2", "fitness_tested", False),
    ("fitness_passed", "no_such_element", False),
    ("fitness_passed fitness_good", "", False),
])
def test_a_formula_is_checked_before_it_is_saved(db, numerator, denominator, ok):
    from django.core.exceptions import ValidationError

    indicator = Indicator(code="x", name="x", numerator=numerator, denominator=denominator)
    if ok:
        indicator.clean()
    else:
        with pytest.raises(ValidationError):
            indicator.clean()


def test_a_district_placed_under_another_city_carries_its_figures(tree):
    put(tree, FITNESS)
    other_city = OrgUnit.objects.create(name="另一市教育局", kind=OrgUnit.Kind.CITY)
    district = tree["甲"]
    district.parent = other_city
    district.save()
    assert figure(rate(), other_city, "2025").value == pytest.approx(90.0)
    assert figure(rate(), tree["city"], "2025").value == 75.0  # only 乙区's 四小 is left
    assert figure(rate(), tree["甲"], "2025").units == 2


def test_a_moved_school_keeps_its_own_history_and_a_later_correction_stays_with_its_period(tree):
    put(tree, [("一小", "fitness_tested", "2024", 100), ("一小", "fitness_passed", "2024", 90),
               ("二小", "fitness_tested", "2024", 100), ("二小", "fitness_passed", "2024", 50)])
    school = tree["一小"]
    school.parent = tree["乙"]
    school.save()
    assert figure(rate(), school, "2024").value == 90.0  # its own page still shows its past
    put(tree, [("一小", "fitness_passed", "2024", 95)])  # corrected after the move
    assert figure(rate(), tree["甲"], "2024").value == pytest.approx(72.5)  # (95 + 50) / 200: still complete
    assert figure(rate(), school, "2024").value == 95.0


def test_a_school_regrouped_within_its_district_takes_its_figures_to_the_new_group(tree):
    put(tree, FITNESS)
    group = OrgUnit.objects.create(name="第一集团", kind=OrgUnit.Kind.GROUP, parent=tree["甲"])
    school = tree["一小"]
    school.parent = group
    school.save()
    assert figure(rate(), group, "2025").value == 90.0
    assert figure(rate(), tree["甲"], "2025").units == 2


def test_a_unit_that_becomes_an_authority_owns_the_units_below_it(tree):
    group = OrgUnit.objects.create(name="新区", kind=OrgUnit.Kind.GROUP, parent=tree["city"])
    school = OrgUnit.objects.create(name="新区一小", kind=OrgUnit.Kind.SCHOOL, parent=group, school_level="primary")
    assert school.owning_bureau_id == tree["city"].pk
    group.kind = OrgUnit.Kind.BUREAU
    group.save()
    school.refresh_from_db()
    assert school.owning_bureau_id == group.pk


def test_a_cached_figure_follows_a_regrouped_school(tree, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    put(tree, FITNESS)
    group = OrgUnit.objects.create(name="第二集团", kind=OrgUnit.Kind.GROUP, parent=tree["甲"])
    assert figure(rate(), group, "2025").units == 0  # cached now
    school = tree["二小"]
    school.parent = group
    school.save()
    assert figure(rate(), group, "2025").value == 90.0


def test_a_correction_after_a_move_refreshes_the_old_districts_cached_figure(tree, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    put(tree, [("一小", "fitness_tested", "2024", 100), ("一小", "fitness_passed", "2024", 90),
               ("二小", "fitness_tested", "2024", 100), ("二小", "fitness_passed", "2024", 50)])
    school = tree["一小"]
    school.parent = tree["乙"]
    school.save()
    assert figure(rate(), tree["甲"], "2024").value == 70.0  # cached now
    put(tree, [("一小", "fitness_passed", "2024", 95)])
    assert figure(rate(), tree["甲"], "2024").value == pytest.approx(72.5)
