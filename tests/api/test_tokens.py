"""API tokens: they expire, their owner lists and revokes them, and a password change ends them."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from eduplan.api.models import ApiToken, hash_key
from tests.world import PASSWORD

NEW_PASSWORD = "Qinghe-new-2025!"


def bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def row(token: str) -> ApiToken:
    return ApiToken.objects.get(key_hash=hash_key(token))


# ---------------------------------------------------------------- lifetime

def test_login_tells_when_the_token_expires(world, settings):
    settings.EDUPLAN_API_TOKEN_DAYS = 7
    answer = Client().post("/api/login", {"username": "school_a", "password": PASSWORD},
                           content_type="application/json").json()
    expires = row(answer["token"]).expires_at
    assert abs(expires - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    # answered in the bureau's zone: the date read off it is the local one at any hour of the day
    assert answer["expires_at"] == timezone.localtime(expires).isoformat(timespec="milliseconds")
    assert answer["expires_at"].endswith(timezone.localtime(expires).isoformat()[-6:])  # "+08:00" by default


@pytest.mark.parametrize("utc_hour", [0, 15, 16, 23])
def test_api_times_carry_the_local_date_whatever_the_utc_hour(world, utc_hour):
    token = ApiToken.issue(world.users["school_a"])
    moment = timezone.now().replace(hour=utc_hour, minute=30, second=0, microsecond=0)
    ApiToken.objects.filter(pk=row(token).pk).update(expires_at=moment + timedelta(days=3))
    listed = bearer(token).get("/api/tokens").json()
    mine = next(item for item in listed if item["current"])
    local = timezone.localtime(moment + timedelta(days=3))
    assert mine["expires_at"].startswith(local.date().isoformat())
    assert mine["expires_at"].endswith(local.isoformat()[-6:])


@pytest.mark.parametrize(("expires_in", "status"), [
    (timedelta(days=1), 200),
    (timedelta(seconds=30), 200),
    (timedelta(seconds=-1), 401),
    (timedelta(days=-40), 401),
])
def test_an_expired_token_is_refused(world, expires_in, status):
    token = ApiToken.issue(world.users["school_a"])
    ApiToken.objects.filter(pk=row(token).pk).update(expires_at=timezone.now() + expires_in)
    response = bearer(token).get("/api/me")
    assert response.status_code == status
    if status == 401:
        assert response.json()["code"] == "E501"


def test_a_new_login_clears_the_users_expired_tokens(world):
    user = world.users["school_a"]
    old = ApiToken.issue(user)
    ApiToken.objects.filter(pk=row(old).pk).update(expires_at=timezone.now() - timedelta(days=1))
    ApiToken.issue(user)
    assert not ApiToken.objects.filter(key_hash=hash_key(old)).exists()
    assert ApiToken.objects.filter(user=user).count() == 1


# ---------------------------------------------------------------- list and revoke

def test_the_list_shows_only_my_working_tokens_and_marks_this_one(world):
    mine, other_of_mine, expired = (ApiToken.issue(world.users["school_a"]) for _ in range(3))
    ApiToken.objects.filter(pk=row(expired).pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    ApiToken.issue(world.users["school_b"])
    listed = bearer(mine).get("/api/tokens").json()
    assert {t["id"]: t["current"] for t in listed} == {row(mine).pk: True, row(other_of_mine).pk: False}
    assert all(t["expires_at"] and t["created_at"] for t in listed)


def test_a_signed_in_session_lists_tokens_too(world):
    ApiToken.issue(world.users["leader"])
    client = Client()
    client.force_login(world.users["leader"])
    assert [t["current"] for t in client.get("/api/tokens").json()] == [False]


def test_revoking_my_token_stops_it(world):
    caller, spare = ApiToken.issue(world.users["school_a"]), ApiToken.issue(world.users["school_a"])
    assert bearer(caller).delete(f"/api/tokens/{row(spare).pk}").status_code == 204
    assert bearer(spare).get("/api/me").status_code == 401
    assert bearer(caller).get("/api/me").status_code == 200


@pytest.mark.parametrize("whose", ["someone else's", "missing"])
def test_only_my_own_tokens_can_be_revoked(world, whose):
    caller = ApiToken.issue(world.users["school_a"])
    victim = ApiToken.issue(world.users["admin"])
    target = row(victim).pk if whose == "someone else's" else row(victim).pk + 1000
    response = bearer(caller).delete(f"/api/tokens/{target}")
    assert (response.status_code, response.json()["code"]) == (404, "E445")
    assert bearer(victim).get("/api/me").status_code == 200


def test_logout_revokes_only_the_token_it_was_called_with(world):
    used, other = ApiToken.issue(world.users["school_a"]), ApiToken.issue(world.users["school_a"])
    assert bearer(used).post("/api/logout").status_code == 204
    assert (bearer(used).get("/api/me").status_code, bearer(other).get("/api/me").status_code) == (401, 200)


def test_the_admin_shows_a_staff_user_only_their_own_tokens(world):
    own = row(ApiToken.issue(world.users["admin"]))
    others = row(ApiToken.issue(world.users["school_a"]))
    client = Client()
    client.force_login(world.users["admin"])
    page = client.get("/admin/api/apitoken/")
    assert page.status_code == 200
    assert str(own) in page.content.decode() and str(others) not in page.content.decode()
    assert client.get(f"/admin/api/apitoken/{others.pk}/delete/").status_code in (302, 403, 404)
    assert client.post(f"/admin/api/apitoken/{own.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not ApiToken.objects.filter(pk=own.pk).exists()
    assert ApiToken.objects.filter(pk=others.pk).exists()


# ---------------------------------------------------------------- a password change ends every token

def change_with_set_password(world, user):
    user.set_password(NEW_PASSWORD)
    user.save()


def change_with_the_form(world, user):
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/password_change/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def change_in_the_admin(world, user):
    client = Client()
    client.force_login(world.users["admin"])
    response = client.post(f"/admin/auth/user/{user.pk}/password/", {
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:500]


def disable_in_the_admin(world, user):
    user.set_unusable_password()
    user.save()


def change_by_reset_link(world, user):
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = client.get(f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/")
    assert link.status_code == 302  # to the same page with the token kept in the session
    response = client.post(link["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def change_with_manage_changepassword(world, user):
    with mock.patch("getpass.getpass", return_value=NEW_PASSWORD):
        call_command("changepassword", user.get_username(), stdout=mock.MagicMock())


@pytest.mark.parametrize("change", [
    change_with_set_password, change_with_the_form, change_in_the_admin, disable_in_the_admin,
    change_by_reset_link, change_with_manage_changepassword,
], ids=lambda change: change.__name__)
def test_a_password_change_revokes_every_token_of_that_user(world, change):
    user = world.users["school_a"]
    tokens = [ApiToken.issue(user) for _ in range(2)]
    bystander = ApiToken.issue(world.users["school_b"])
    change(world, user)
    assert [bearer(t).get("/api/me").status_code for t in tokens] == [401, 401]
    assert not ApiToken.objects.filter(user=user).exists()
    assert bearer(bystander).get("/api/me").status_code == 200


@pytest.mark.parametrize("save", [
    lambda user: user.save(),
    lambda user: user.save(update_fields=["first_name", "last_login"]),
], ids=["whole user", "other fields"])
def test_saving_a_user_without_a_new_password_keeps_the_tokens(world, save):
    user = world.users["school_a"]
    token = ApiToken.issue(user)
    user.first_name = "新名字"
    save(user)
    assert bearer(token).get("/api/me").status_code == 200


def test_rehashing_the_same_password_at_login_keeps_the_tokens(world, settings):
    user = world.users["school_a"]
    token = ApiToken.issue(user)
    old_hash = user.password
    # A stronger preferred hasher, as after a Django upgrade: the next sign-in re-hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.ScryptPasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    client = Client()
    assert client.post("/accounts/login/", {"username": "school_a", "password": PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert user.password != old_hash and user.password.startswith("scrypt$")
    assert bearer(token).get("/api/me").status_code == 200


def test_the_token_endpoints_are_described_and_need_credentials(world):
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert "get" in paths["/api/tokens"] and "delete" in paths["/api/tokens/{token_id}"]
    assert Client().get("/api/tokens").status_code == 401
    assert Client().delete("/api/tokens/1").status_code == 401


def test_the_login_answer_holding_a_token_is_never_stored(world):
    """The caller is anonymous before and after logging in, yet the answer holds a bearer token."""
    from django.test import Client

    from tests.world import PASSWORD

    answer = Client().post("/api/login", {"username": "admin", "password": PASSWORD}, content_type="application/json")
    assert answer.status_code == 200 and "token" in answer.json()
    assert "no-store" in answer["Cache-Control"]
