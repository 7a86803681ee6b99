"""Signing in: throttled after repeated failures, passwords stored hashed."""

import pytest
from django.test import Client

from tests.world import PASSWORD

LOGIN = "/accounts/login/"


def attempt(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_signing_in_works(world):
    response = attempt(Client(), "school_a", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_wrong_password_says_so_in_chinese(world):
    response = attempt(Client(), "school_a", "wrong")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_five_failures_lock_the_account_even_for_the_right_password(world, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "school_a", "wrong")
    locked = attempt(client, "school_a", PASSWORD)
    assert locked.status_code == 429
    assert "登录尝试过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_per_user_and_address(world, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "school_a", "wrong")
    other = Client().post(LOGIN, {"username": "school_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 302


def test_passwords_are_stored_hashed(world):
    user = world.users["school_a"]
    user.refresh_from_db()
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("path", ["/", "/tasks/", "/plans/", "/my/"])
def test_pages_need_a_login(db, path):
    response = Client().get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["admin", "school_a", "tiwei", "leader"])
@pytest.mark.parametrize("way", ["session", "token"])
def test_a_signed_in_request_reads_the_membership_with_the_user(world, persona, way):
    """The scope every page asks for comes from the user's own query, through the login form
    and through an API token alike, and it is the same scope as read on its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from eduplan.orgs.access import _load_scope
    from eduplan.orgs.backends import MemberBackend

    client = Client()
    if way == "session":
        assert attempt(client, persona, PASSWORD).status_code == 302
        path, headers = "/tasks/", {}
    else:
        token = client.post("/api/login", {"username": persona, "password": PASSWORD},
                            content_type="application/json").json()["token"]
        path, headers = "/api/tasks", {"Authorization": f"Bearer {token}"}
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, headers=headers).status_code == 200
    alone = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "orgs_membership"')]
    assert alone == []
    user = world.users[persona]
    assert _load_scope(MemberBackend().get_user(user.pk)) == _load_scope(type(user).objects.get(pk=user.pk))
