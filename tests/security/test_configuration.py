"""Production configuration: a secret key per install, no '*' host, and `check --deploy` clean."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from eduplan.security.hosts import own_names, site_url_for
from eduplan.security.secret import KEY_FILE, load_or_create_secret_key

# Settings that a developer's shell or CI may have set: each test states its own.
# Left out of the child's environment: what a production install would not have set. The
# browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright in this process, and check --deploy
# rightly refuses it.
OURS = ("EDUPLAN_SECRET_KEY", "EDUPLAN_DEBUG", "EDUPLAN_ALLOWED_HOSTS", "EDUPLAN_SITE_URL", "EDUPLAN_HTTPS",
        "EDUPLAN_DATABASE_URL", "EDUPLAN_DB", "EDUPLAN_TRUSTED_PROXY_HEADER", "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE")


def environment(data: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in OURS}
    return {**env, "EDUPLAN_DATA_DIR": str(data), **values}


def setting(name: str, data: Path, **values: str) -> subprocess.CompletedProcess:
    """Load the settings in a fresh process, as `eduplan serve` does, and print one of them."""
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'eduplan.config.settings'; "
            f"from django.conf import settings; print(settings.{name})")
    return subprocess.run([sys.executable, "-c", code], env=environment(data, **values), capture_output=True,
                          text=True, timeout=120, check=False)


# ---------------------------------------------------------------- secret key

def test_the_key_file_is_created_once_private_and_then_reused(tmp_path):
    data = tmp_path / "data"
    first = load_or_create_secret_key(data)
    key_file = data / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first) >= 50 and key_file.read_text().strip() == first
    modified = key_file.stat().st_mtime_ns
    assert load_or_create_secret_key(data) == first
    assert key_file.stat().st_mtime_ns == modified
    assert [p.name for p in data.iterdir()] == [KEY_FILE]  # no temporary file left behind


def test_each_install_gets_its_own_key(tmp_path):
    assert load_or_create_secret_key(tmp_path / "a") != load_or_create_secret_key(tmp_path / "b")


def test_a_truncated_key_file_is_refused_not_used(tmp_path):
    (tmp_path / KEY_FILE).write_text("short\n")
    with pytest.raises(ImproperlyConfigured, match=r"\[E442\]"):
        load_or_create_secret_key(tmp_path)


def test_the_settings_use_the_key_file_and_the_environment_wins(tmp_path):
    data = tmp_path / "data"
    runs = [setting("SECRET_KEY", data) for _ in range(2)]
    assert all(run.returncode == 0 for run in runs), runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stdout.strip() == (data / KEY_FILE).read_text().strip()
    assert "insecure" not in runs[0].stdout
    explicit = setting("SECRET_KEY", tmp_path / "other", EDUPLAN_SECRET_KEY="k" * 60)
    assert explicit.stdout.strip() == "k" * 60
    assert not (tmp_path / "other" / KEY_FILE).exists()


# ---------------------------------------------------------------- hosts and site URL

@pytest.mark.parametrize(("values", "expected"), [
    ({}, "['localhost', '127.0.0.1', '[::1]']"),
    ({"EDUPLAN_ALLOWED_HOSTS": "plan.qinghe.local, 10.1.2.3"}, "['localhost', '127.0.0.1', '[::1]', "
                                                                "'plan.qinghe.local', '10.1.2.3']"),
    ({"EDUPLAN_ALLOWED_HOSTS": "*", "EDUPLAN_DEBUG": "1"}, "['localhost', '127.0.0.1', '[::1]', '*']"),
    ({"EDUPLAN_ALLOWED_HOSTS": "*"}, "[E440]"),
    ({"EDUPLAN_ALLOWED_HOSTS": "plan.qinghe.local,*"}, "[E440]"),
])
def test_allowed_hosts(tmp_path, values, expected):
    run = setting("ALLOWED_HOSTS", tmp_path, EDUPLAN_SECRET_KEY="k" * 60, **values)
    assert expected in (run.stdout if run.returncode == 0 else run.stderr)


@pytest.mark.parametrize(("value", "expected"), [
    ("https://plan.qinghe.edu.cn/", "https://plan.qinghe.edu.cn"),
    ("http://10.1.2.3:8000", "http://10.1.2.3:8000"),
    ("plan.qinghe.edu.cn", "[E443]"),
    ("ftp://plan.qinghe.edu.cn", "[E443]"),
    ("https://plan.qinghe.edu.cn/eduplan/", "[E443]"),
    ("http://10.1.2.3:port", "[E443]"),
])
def test_the_site_url_is_checked(tmp_path, value, expected):
    run = setting("EDUPLAN_SITE_URL", tmp_path, EDUPLAN_SECRET_KEY="k" * 60, EDUPLAN_SITE_URL=value)
    assert expected in (run.stdout if run.returncode == 0 else run.stderr)


def test_a_proxy_header_that_is_not_a_header_name_is_refused(tmp_path):
    run = setting("EDUPLAN_TRUSTED_PROXY_HEADER", tmp_path, EDUPLAN_SECRET_KEY="k" * 60,
                  EDUPLAN_TRUSTED_PROXY_HEADER="X-Forwarded-For: 1.2.3.4")
    assert run.returncode != 0 and "[E444]" in run.stderr


def test_a_host_that_is_not_allowed_gets_400(db):
    assert Client(HTTP_HOST="evil.example").get("/accounts/login/").status_code == 400
    assert Client(HTTP_HOST="127.0.0.1:8000").get("/accounts/login/").status_code == 200


@pytest.mark.parametrize("bind", ["0.0.0.0", "::"])
def test_serving_on_every_interface_allows_the_machines_names_but_never_everything(bind):
    import socket

    names = own_names(bind)
    assert "*" not in names and socket.gethostname() in names
    assert not {"localhost", "127.0.0.1", "[::1]"} & set(names)  # always allowed by the settings anyway
    assert site_url_for(bind, 8000) is None


@pytest.mark.parametrize(("bind", "names", "url"), [
    ("192.168.1.20", ["192.168.1.20"], "http://192.168.1.20:8000"),
    ("plan.qinghe.local", ["plan.qinghe.local"], "http://plan.qinghe.local:8000"),
    ("fd00::20", ["[fd00::20]"], "http://[fd00::20]:8000"),
])
def test_serving_on_one_address_allows_that_address(bind, names, url):
    assert (own_names(bind), site_url_for(bind, 8000)) == (names, url)


# ---------------------------------------------------------------- manage check --deploy

@pytest.mark.parametrize(("values", "clean", "warnings"), [
    ({}, True, []),  # plain HTTP on an intranet, as `eduplan serve` runs by default
    ({"EDUPLAN_ALLOWED_HOSTS": "plan.qinghe.local"}, True, []),
    ({"EDUPLAN_SITE_URL": "https://plan.qinghe.edu.cn", "EDUPLAN_ALLOWED_HOSTS": "plan.qinghe.edu.cn"}, True, []),
    ({"EDUPLAN_DEBUG": "1"}, False, ["security.W018"]),  # the check still has teeth
    ({"EDUPLAN_SECRET_KEY": "too-short"}, False, ["security.W009"]),
])
def test_check_deploy_is_clean_in_the_production_configuration(tmp_path, values, clean, warnings):
    env = environment(tmp_path / "data", **values)
    run = subprocess.run([sys.executable, "-m", "eduplan.cli", "manage", "--db", str(tmp_path / "e.sqlite3"),
                          "check", "--deploy", "--fail-level", "WARNING"], env=env, capture_output=True,
                         text=True, timeout=300, check=False)
    output = run.stdout + run.stderr
    assert (run.returncode == 0) == clean, output
    if clean:
        assert "System check identified no issues" in output
    for warning in warnings:
        assert warning in output


@pytest.mark.parametrize("bind", ["127.0.0.1", "::1", "localhost"])
def test_serving_on_loopback_builds_no_reset_links_to_loopback(bind):
    """Behind a reverse proxy the server binds loopback: a reset link to it would open the
    reader's own computer, so the Host header (limited to the allowed names) is used instead."""
    assert site_url_for(bind, 8000) is None
