"""The password-reset form: links point at the configured site whatever the Host header says,
requests are throttled per address and per e-mail address, and the answer never differs."""

import re

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client

from eduplan.security.reset import RATE_LIMIT_CACHE

RESET = "/accounts/password_reset/"
DONE = "/accounts/password_reset/done/"
SITE = "https://plan.qinghe.edu.cn"


@pytest.fixture
def reset_world(world, settings):
    caches[RATE_LIMIT_CACHE].clear()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "10.1.2.3", "jyj.qinghe.local"]
    for name in ("school_a", "school_b"):
        world.users[name].email = f"{name}@qinghe.edu.cn"
        world.users[name].save()
    yield world
    caches[RATE_LIMIT_CACHE].clear()


def ask(email: str, *, address: str = "10.0.0.7", host: str = "testserver", **headers: str):
    return Client().post(RESET, {"email": email}, REMOTE_ADDR=address, HTTP_HOST=host, **headers)


def links() -> list[str]:
    return [link for message in mail.outbox for link in re.findall(r"https?://\S+", message.body)]


@pytest.mark.parametrize("host", ["testserver", "10.1.2.3", "jyj.qinghe.local:8000"])
def test_the_link_uses_the_site_url_whatever_the_host_header(reset_world, settings, host):
    settings.EDUPLAN_SITE_URL = SITE
    response = ask("school_a@qinghe.edu.cn", host=host)
    assert (response.status_code, response["Location"]) == (302, DONE)
    [link] = links()
    assert link.startswith(SITE + "/accounts/reset/")
    assert host.split(":")[0] not in link


@pytest.mark.parametrize("header", ["HTTP_X_FORWARDED_HOST", "HTTP_FORWARDED"])
def test_forwarded_host_headers_change_nothing(reset_world, settings, header):
    settings.EDUPLAN_SITE_URL = SITE
    ask("school_a@qinghe.edu.cn", **{header: "evil.example"})
    [link] = links()
    assert link.startswith(SITE + "/") and "evil" not in link


def test_a_host_that_is_not_allowed_is_refused_before_anything_is_sent(reset_world):
    response = ask("school_a@qinghe.edu.cn", host="evil.example")
    assert response.status_code == 400
    assert mail.outbox == []


def test_without_a_site_url_the_link_uses_the_allowed_host(reset_world, settings):
    settings.EDUPLAN_SITE_URL = ""
    ask("school_a@qinghe.edu.cn", host="jyj.qinghe.local")
    [link] = links()
    assert link.startswith("http://jyj.qinghe.local/accounts/reset/")


def test_requests_from_one_address_are_limited_across_emails(reset_world, settings):
    settings.EDUPLAN_PASSWORD_RESET_PER_ADDRESS = 3
    settings.EDUPLAN_PASSWORD_RESET_PER_EMAIL = 100
    emails = ["school_a@qinghe.edu.cn", "school_b@qinghe.edu.cn", "nobody@qinghe.edu.cn"] * 2
    answers = [(r.status_code, r["Location"]) for r in (ask(email) for email in emails)]
    assert answers == [(302, DONE)] * 6  # the same answer, sent or not
    assert len(mail.outbox) == 2  # school_a and school_b, within the first three; then nothing
    ask("school_a@qinghe.edu.cn", address="10.0.0.8")  # another address still may
    assert len(mail.outbox) == 3


def test_requests_for_one_email_are_limited_across_addresses(reset_world, settings):
    settings.EDUPLAN_PASSWORD_RESET_PER_ADDRESS = 100
    settings.EDUPLAN_PASSWORD_RESET_PER_EMAIL = 2
    answers = [ask("School_A@qinghe.edu.cn ", address=f"10.0.1.{i}").status_code for i in range(5)]
    assert answers == [302] * 5
    assert len(mail.outbox) == 2
    ask("school_b@qinghe.edu.cn", address="10.0.1.9")
    assert len(mail.outbox) == 3


def test_the_limit_sees_the_client_behind_a_trusted_proxy(reset_world, settings):
    settings.EDUPLAN_PASSWORD_RESET_PER_ADDRESS = 1
    settings.EDUPLAN_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    for client_address in ("192.168.5.1", "192.168.5.2"):
        ask("school_a@qinghe.edu.cn", address="10.9.9.9", HTTP_X_FORWARDED_FOR=client_address)
    assert len(mail.outbox) == 2  # two people behind one proxy, one request each
