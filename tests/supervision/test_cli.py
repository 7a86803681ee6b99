"""``eduplan reminders``: a thin command over the reminder service."""

from __future__ import annotations

from unittest import mock

from click.testing import CliRunner

from eduplan import cli
from eduplan.supervision.models import Message


def run(*args: str):
    with mock.patch.object(cli, "_setup_django"):  # the test database is already set up
        return CliRunner().invoke(cli.main, ["reminders", *args])


def test_without_send_it_only_shows(world, finding):
    result = run()
    assert result.exit_code == 0, result.output
    assert "school_a：" in result.output and "已逾期 10 天" in result.output and "未发送" in result.output
    assert not Message.objects.filter(kind="digest").exists()


def test_send_fills_the_inboxes(world, finding):
    result = run("--send", "--bureau", world.bureau.name)
    assert result.exit_code == 0, result.output
    assert "督办升级 1 项" in result.output
    assert Message.objects.filter(recipient=world.users["school_a"], kind="digest").exists()


def test_an_unknown_bureau_is_one_line(world):
    result = run("--bureau", "不存在的教育局")
    assert result.exit_code == 1 and "E878" in str(result.exception)
