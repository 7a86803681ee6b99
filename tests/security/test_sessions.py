"""Signed-in sessions end when idle; their pages are never stored; every page has a CSP that
allows only the app itself, and the pages need no inline script or style to work under it."""

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from eduplan.api.models import ApiToken
from eduplan.security.middleware import SEEN_KEY
from tests.world import PASSWORD

ROOT = Path(__file__).resolve().parents[2] / "eduplan"


def signed_in(username: str) -> Client:
    """Signed in through the login form, as a browser is: a real session row with its expiry."""
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


# ---------------------------------------------------------------- idle timeout

def test_a_session_lives_for_the_idle_timeout(world, settings):
    client = signed_in("school_a")
    left = session_row(client).expire_date - timezone.now()
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE - 60) < left <= timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert settings.SESSION_COOKIE_AGE == 2 * 3600  # the documented default


@pytest.mark.parametrize(("idle_for", "still_signed_in"), [
    (timedelta(minutes=10), True),
    (timedelta(hours=1, minutes=59), True),
    (timedelta(hours=2, seconds=1), False),
    (timedelta(days=3), False),
])
def test_a_session_idle_longer_than_the_timeout_is_signed_out(world, settings, idle_for, still_signed_in):
    client = signed_in("school_a")
    # Move the clock: the session was last saved ``idle_for`` ago, so it expires timeout after that.
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - idle_for + age)
    response = client.get("/")
    if still_signed_in:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_using_the_session_slides_its_expiry_forward(world, settings):
    client = signed_in("school_a")
    session = client.session
    session[SEEN_KEY] = int(time.time()) - settings.EDUPLAN_SESSION_REFRESH_SECONDS - 1
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() + timedelta(minutes=3))
    assert client.get("/").status_code == 200
    left = session_row(client).expire_date - timezone.now()
    assert left > timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_the_expiry_moves_at_most_every_few_minutes(world):
    client = signed_in("school_a")
    client.get("/")  # marks the session as seen now
    before = session_row(client).expire_date
    for _ in range(3):
        assert client.get("/tasks/").status_code == 200
    assert session_row(client).expire_date == before  # no write per request


# ---------------------------------------------------------------- no-store and CSP

@pytest.mark.parametrize(("persona", "path"), [
    ("school_a", "/"), ("school_a", "/tasks/"), ("school_a", "/my/"), ("leader", "/plans/"),
    ("admin", "/admin/"), ("admin", "/api/me"),
])
def test_pages_for_signed_in_users_are_never_stored(world, as_user, persona, path):
    response = as_user(persona).get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_answers_to_a_token_are_never_stored(world):
    token = ApiToken.issue(world.users["school_a"])
    response = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/tasks")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("persona", "path"), [
    (None, "/accounts/login/"), ("school_a", "/"), ("admin", "/admin/"), ("admin", "/api/me"),
])
def test_every_page_has_a_csp_allowing_only_the_app_itself(world, as_user, persona, path):
    client = as_user(persona) if persona else Client()
    csp = client.get(path)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == directives["script-src"] == directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in csp and "http" not in csp


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=", re.I)


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT) for p in ROOT.rglob("templates/**/*.html")),
                         ids=str)
def test_templates_have_no_inline_script_style_or_handler(template):
    text = (ROOT / template).read_text(encoding="utf-8")
    assert not INLINE.findall(text)


@pytest.mark.parametrize(("persona", "path"), [
    ("admin", "/"), ("leader", "/"), ("admin", "/tasks/"), ("admin", "/plans/"), ("admin", "plan"),
    ("admin", "plan-assign"), ("admin", "task"), ("school_a", "/my/"), ("school_a", "report"),
])
def test_rendered_pages_have_nothing_inline_and_load_the_apps_script(world, as_user, persona, path):
    path = {"plan": f"/plans/{world.plan.pk}/", "plan-assign": f"/plans/{world.plan.pk}/assign/",
            "task": f"/tasks/{world.task_a.pk}/",
            "report": f"/assignments/{world.assignment(world.task_a).pk}/report/"}.get(path, path)
    page = as_user(persona).get(path)
    assert page.status_code == 200, path
    html = page.content.decode()
    assert not INLINE.findall(html)
    assert re.search(r'<script src="/static/eduplan/app\.js" defer>', html)


def test_progress_bars_carry_their_width_as_data(world, as_user):
    html = as_user("admin").get("/tasks/").content.decode()
    assert re.search(r'<span data-width="\d+"></span>', html)
