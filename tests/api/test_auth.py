"""Signing in for a token, throttled by django-axes; tokens, logout, and session calls with CSRF."""

import pytest
from django.test import Client

from eduplan.api.models import ApiToken
from tests.world import PASSWORD

SECRET = "k" * 32  # a CSRF secret: 32 characters from its alphabet


def login(client: Client, username: str, password: str):
    return client.post("/api/login", {"username": username, "password": password}, content_type="application/json")


def test_login_returns_a_token_that_authenticates(world, anonymous):
    response = login(anonymous, "school_a", PASSWORD)
    assert response.status_code == 200
    me = Client(headers={"Authorization": f"Bearer {response.json()['token']}"}).get("/api/me").json()
    assert (me["username"], me["role"], me["unit"]["name"]) == ("school_a", "reporter", "青禾区实验小学")
    assert (me["can_report"], me["can_assign"], me["can_import"]) == (True, False, False)


def test_only_a_hash_of_the_token_is_stored(world, anonymous):
    token = login(anonymous, "admin", PASSWORD).json()["token"]
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert ApiToken.objects.filter(user=world.users["admin"]).count() == 1


@pytest.mark.parametrize(("username", "password"), [("school_a", "wrong"), ("nobody", PASSWORD), ("", "")])
def test_a_wrong_login_answers_401_with_the_catalogue_message(world, anonymous, username, password):
    response = login(anonymous, username, password)
    assert response.status_code == 401
    assert response.json()["code"] == "E502"
    assert "wrong username or password" in response.json()["message"]


def test_after_five_failures_even_the_right_password_is_locked_out(world, anonymous):
    answers = [login(anonymous, "school_a", "wrong").status_code for _ in range(5)]
    assert answers == [401, 401, 401, 401, 429]  # axes locks on the fifth failure itself
    response = login(anonymous, "school_a", PASSWORD)
    assert response.status_code == 429
    assert response.json()["code"] == "E503"  # JSON, not axes' HTML page
    assert login(anonymous, "school_b", PASSWORD).status_code == 200  # another username is not locked


def test_an_inactive_users_token_no_longer_works(world, api):
    client = api("school_a")
    world.users["school_a"].is_active = False
    world.users["school_a"].save()
    assert client.get("/api/me").status_code == 401


def test_logout_revokes_the_token(world, api):
    client = api("school_a")
    assert client.post("/api/logout").status_code == 204
    assert client.get("/api/me").status_code == 401
    assert not ApiToken.objects.exists()


def test_a_signed_in_session_may_read_without_a_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["leader"])
    assert client.get("/api/me").json()["role"] == "viewer"


def test_a_session_post_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["school_a"])
    body = {"period": "2025-06", "percent": 50, "narrative": "推进中"}
    url = f"/api/assignments/{world.assignment(world.task_a).pk}/reports"
    response = client.post(url, body, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (403, "E507")
    client.cookies["csrftoken"] = SECRET  # as a page of the web app would have set it
    response = client.post(url, body, content_type="application/json", headers={"X-CSRFToken": SECRET})
    assert response.status_code == 201
