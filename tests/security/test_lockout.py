"""Lockout by address as well as by user and address, and the client's address behind a proxy."""

import pytest
from django.test import Client, RequestFactory

from eduplan.security.client_ip import client_ip
from tests.world import PASSWORD

LOGIN = "/accounts/login/"


def attempt(username: str, password: str, address: str = "10.0.0.9", **headers: str):
    return Client().post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


@pytest.fixture
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.EDUPLAN_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    return settings


@pytest.mark.parametrize(("failures", "locked"), [(7, False), (8, True), (12, True)])
def test_many_failures_across_usernames_lock_the_address(world, limits, failures, locked):
    for i in range(failures):  # a different username each time: no per-user count ever reaches 5
        attempt(f"guess{i % 4}", "wrong")
    right = attempt("school_a", PASSWORD)
    assert right.status_code == (429 if locked else 302)
    if locked:
        assert "登录尝试过多" in right.content.decode()
    assert attempt("school_a", PASSWORD, address="10.0.0.10").status_code == 302  # other addresses are not


def test_the_api_login_is_locked_by_address_too(world, limits):
    for i in range(8):
        attempt(f"guess{i}", "wrong")
    response = Client().post("/api/login", {"username": "school_b", "password": PASSWORD},
                             content_type="application/json", REMOTE_ADDR="10.0.0.9")
    assert (response.status_code, response.json()["code"]) == (429, "E503")


def test_the_per_user_limit_still_applies_below_the_address_limit(world, limits):
    for _ in range(5):
        attempt("school_a", "wrong")
    assert attempt("school_a", PASSWORD).status_code == 429
    assert attempt("school_b", PASSWORD).status_code == 302  # 5 < 8: the address itself is not locked


# ---------------------------------------------------------------- behind a proxy

@pytest.mark.parametrize(("header", "count", "remote", "sent", "expected"), [
    ("", 1, "10.0.0.1", {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.1"),  # not configured: ignored
    ("X-Forwarded-For", 1, "10.0.0.1", {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "1.2.3.4"),
    ("X-Forwarded-For", 1, "10.0.0.1", {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, "1.2.3.4"),  # forged left part
    ("X-Forwarded-For", 2, "10.0.0.1", {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4, 10.0.0.2"}, "1.2.3.4"),
    ("X-Forwarded-For", 2, "10.0.0.1", {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.1"),  # too few hops
    ("X-Forwarded-For", 1, "10.0.0.1", {}, "10.0.0.1"),
    ("X-Forwarded-For", 1, "10.0.0.1", {"HTTP_X_FORWARDED_FOR": "not-an-address"}, "10.0.0.1"),
    ("X-Forwarded-For", 1, "10.0.0.1", {"HTTP_X_FORWARDED_FOR": "2001:db8::7"}, "2001:db8::7"),
    ("X-Real-IP", 1, "10.0.0.1", {"HTTP_X_REAL_IP": "1.2.3.4", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}, "1.2.3.4"),
])
def test_the_client_address(settings, header, count, remote, sent, expected):
    settings.EDUPLAN_TRUSTED_PROXY_HEADER = header
    settings.EDUPLAN_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **sent)
    assert client_ip(request) == expected


@pytest.mark.parametrize(("header", "b_locked_out"), [("", True), ("X-Forwarded-For", False)])
def test_behind_one_proxy_a_lockout_hits_everyone_unless_the_header_is_trusted(world, settings, header, b_locked_out):
    settings.EDUPLAN_TRUSTED_PROXY_HEADER = header
    proxy = "10.0.0.254"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("school_a", "wrong", address=proxy, HTTP_X_FORWARDED_FOR="192.168.1.10")
    assert attempt("school_a", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="192.168.1.10").status_code == 429
    other_person = attempt("school_a", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="192.168.1.11")
    assert other_person.status_code == (429 if b_locked_out else 302)


def test_a_client_cannot_dodge_the_lockout_by_sending_the_header_itself(world, settings):
    settings.EDUPLAN_TRUSTED_PROXY_HEADER = "X-Forwarded-For"  # one proxy, which appends the real address
    for forged in range(settings.AXES_FAILURE_LIMIT):
        attempt("school_a", "wrong", address="10.0.0.254", HTTP_X_FORWARDED_FOR=f"7.7.7.{forged}, 192.168.1.10")
    locked = attempt("school_a", PASSWORD, address="10.0.0.254", HTTP_X_FORWARDED_FOR="8.8.8.8, 192.168.1.10")
    assert locked.status_code == 429
