"""Malformed numbers from the query string or a form: a 400 or a message, never a 500, and
never a silent stand-in (another year, every message)."""

from __future__ import annotations

import pytest

from eduplan.errors import EduplanError
from eduplan.supervision.models import Message, ScoreAdjustment
from eduplan.supervision.reminders import find_bureau
from eduplan.supervision.scoring import parse_year

# fmt: off
YEARS = [
    # text, year or the error's code
    ("2025",   2025),
    (" 2024 ", 2024),
    ("1900",   1900),
    ("2999",   2999),
    ("0000",   "E879"),  # four digits, but no year of eduplan: date(0, …) would fail
    ("1899",   "E879"),
    ("3000",   "E879"),
    ("²²²²",   "E873"),  # superscripts pass str.isdigit(), then int() fails
    ("٢٠٢٥",   "E873"),  # Arabic-Indic digits: int() reads them, eduplan does not
    ("２０２５", "E873"),  # full-width digits
    ("20x5",   "E873"),
    ("202",    "E873"),
    ("20255",  "E873"),
    ("-2025",  "E873"),
    ("",       "E873"),
    (None,     "E873"),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), YEARS, ids=[repr(y[0]) for y in YEARS])
def test_parse_year(text, expected):
    if isinstance(expected, int):
        assert parse_year(text) == expected
        return
    with pytest.raises(EduplanError) as err:
        parse_year(text)
    assert err.value.code == expected


BAD_YEARS = ["0000", "²²²²", "٢٠٢٥", "20x5", "3000"]


@pytest.mark.parametrize("year", BAD_YEARS)
@pytest.mark.parametrize("page", ["/supervision/appraisal/", "/supervision/appraisal/export.xlsx",
                                  "/supervision/appraisal/{unit}/", "/supervision/appraisal/{unit}/?format=json"])
def test_a_malformed_year_is_a_bad_request(as_user, world, page, year):
    path = page.format(unit=world.unit("青禾区实验小学").pk)
    sep = "&" if "?" in path else "?"
    assert as_user("admin").get(f"{path}{sep}year={year}").status_code == 400


def test_no_year_is_this_year(as_user, world):
    page = as_user("admin").get(f"/supervision/appraisal/{world.unit('青禾区实验小学').pk}/?format=json")
    assert page.json()["year"] == 2025  # the fixed clock's year


@pytest.mark.parametrize("year", BAD_YEARS)
def test_an_adjustment_with_a_malformed_year_is_refused_not_filed_under_another(as_user, world, year):
    school = world.unit("青禾区实验小学")
    response = as_user("admin").post(f"/supervision/appraisal/{school.pk}/adjust/?year={year}",
                                     {"points": "2", "reason": "创建市级文明校园"})
    assert response.status_code == 400
    assert not ScoreAdjustment.objects.exists()


def unread(world) -> int:
    return Message.objects.filter(recipient=world.users["school_a"], read_at__isnull=True).count()


@pytest.mark.parametrize("ids", [["²"], ["abc"], ["-1"], ["0"], ["99999999999999999999"], ["", " "]],
                         ids=["superscript", "letters", "negative", "zero", "too_big", "blank"])
def test_ids_that_name_no_message_mark_nothing(as_user, world, finding, finding_b, ids):
    assert unread(world) == 1
    response = as_user("school_a").post("/supervision/inbox/read/", {"id": ids})
    assert response.status_code == 400
    assert unread(world) == 1  # not "all of them"


def test_the_valid_ids_among_invalid_ones_are_marked(as_user, world, finding):
    message = Message.objects.get(recipient=world.users["school_a"])
    response = as_user("school_a").post("/supervision/inbox/read/", {"id": ["²", str(message.pk)]})
    assert response.status_code == 302 and unread(world) == 0


def test_no_ids_marks_all(as_user, world, finding):
    as_user("school_a").post("/supervision/inbox/read/", {})
    assert unread(world) == 0


# fmt: off
TARGETS = [
    # next, where the redirect goes
    ("/supervision/findings/",                  "/supervision/findings/"),
    ("http://testserver/supervision/findings/", "http://testserver/supervision/findings/"),
    ("//evil.example/",                         "/supervision/inbox/"),
    ("https://evil.example/",                   "/supervision/inbox/"),
    ("/\\evil.example/",                        "/supervision/inbox/"),  # browsers read /\ as //
    ("javascript:alert(1)",                     "/supervision/inbox/"),
    ("",                                        "/supervision/inbox/"),
]
# fmt: on


@pytest.mark.parametrize(("target", "goes_to"), TARGETS, ids=[t[0] or "none" for t in TARGETS])
def test_next_goes_only_to_this_site(as_user, world, target, goes_to):
    response = as_user("school_a").post("/supervision/inbox/read/", {"next": target})
    assert response.status_code == 302 and response["Location"] == goes_to


@pytest.mark.parametrize(("value", "found"), [("{pk}", True), ("澜江市青禾区教育局", True), ("²", False),
                                              ("99999999999999999999", False)])
def test_find_bureau_by_id_or_name(world, value, found):
    value = value.format(pk=world.bureau.pk)
    if found:
        assert find_bureau(value) == world.bureau
        return
    with pytest.raises(EduplanError) as err:
        find_bureau(value)
    assert err.value.code == "E878"
