"""The ``eduplan`` command: thin wrappers that parse options, call library functions, print."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from .errors import EduplanError, Errors
from .plan import ParsedSource, read_plan
from .plan.readers import SUPPORTED_SUFFIXES

EXAMPLE_PLAN = Path(__file__).parent / "examples" / "qinghe_2025_annual.txt"
FORMATS = ("json", "md", "xlsx")
DEMO_TODAY = "2025-09-30"  # inside the example plan's year, so the demo's warnings mean something


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="eduplan")
def main() -> None:
    """eduplan：教育工作要点与发展规划的解析、跟踪与报告 / work plans into tracked work."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True,
              help="输出格式 / output format")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="输出目录，每个文件一个结果 / write one result per file into this directory")
def parse(paths: tuple[Path, ...], fmt: str, out_dir: Path | None) -> None:
    """解析计划文件或目录 / parse plan files (.txt .docx .html .pdf) or directories."""
    files, failures = _collect_files(paths)
    if out_dir is None and (fmt == "xlsx" or len(files) > 1):
        out_dir = Path("out")
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    with click.progressbar(files, label="解析 / parsing", file=sys.stderr,
                           show_pos=True, item_show_func=lambda p: p.name if p else "") as bar:
        for path in _quiet_when_single(bar, files):
            try:
                parsed = read_plan(path)
                _emit(parsed, fmt, out_dir, path)
            except EduplanError as err:
                failures.append(f"{path}: {err}")
    for line in failures:
        click.echo(line, err=True)
    if out_dir is not None:
        click.echo(f"{len(files) - len(failures)}/{len(files)} 个文件已写入 {out_dir} / files written", err=True)
    if failures:
        sys.exit(1)


def _quiet_when_single(bar: Iterator[Path], files: list[Path]) -> Iterator[Path]:
    # A progress bar for one file is noise on stdout-bound output; click hides it off a tty anyway.
    return iter(files) if len(files) <= 1 else bar


def _collect_files(paths: tuple[Path, ...]) -> tuple[list[Path], list[str]]:
    files: list[Path] = []
    failures: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            if not found:
                failures.append(Errors.E111.render(path=path))
            files.extend(found)
        else:
            files.append(path)  # a missing or odd file gets its own clear error from the reader
    return files, failures


def _emit(parsed: ParsedSource, fmt: str, out_dir: Path | None, path: Path) -> None:
    if fmt == "xlsx":
        from .plan.render_xlsx import write_task_table

        assert out_dir is not None
        write_task_table(parsed, out_dir / f"{path.stem}.xlsx")
        return
    text = render(parsed, fmt)
    if out_dir is None:
        click.echo(text)
        return
    target = out_dir / f"{path.stem}.{fmt}"
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as err:
        raise EduplanError(Errors.E301, path=target, reason=err.strerror) from err


def render(parsed: ParsedSource, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(parsed.to_dict(), ensure_ascii=False, indent=2)
    if fmt == "md":
        from .plan.render_markdown import render_markdown

        return render_markdown(parsed)
    raise EduplanError(Errors.E302, fmt=fmt)


@main.command("compare")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="报告文件，.xlsx 或 .html / report file, .xlsx or .html")
def compare_plans(paths: tuple[Path, ...], out: Path) -> None:
    """对比计划文件，第一个文件中的计划为参照 / compare plan files; the first file's plan is the reference."""
    from .compare.comparison import compare
    from .compare.files import read_plans
    from .compare.report import check_report_path, write_report

    check_report_path(out)  # before parsing: a wrong suffix should not cost a minute of work
    plans = read_plans(paths)
    write_report(compare(plans), out)
    click.echo(f"已写入 / written: {out}（{len(plans)} 个计划 / plans；参照 / reference：{plans[0].name}）")


def _setup_django(db: Path | None = None, *, migrate: bool = True) -> None:
    """Point Django at the database (a SQLite file unless EDUPLAN_DATABASE_URL is set), migrate.

    ``migrate=False`` for backup and restore: a backup copies the schema as it is, and a restore
    replaces it (the next start migrates a restored older database)."""
    import os

    if db is not None:
        os.environ["EDUPLAN_DB"] = str(db.resolve())
        os.environ.setdefault("EDUPLAN_DATA_DIR", str(db.resolve().parent / "eduplan-data"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eduplan.config.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    if not os.environ.get("EDUPLAN_DATABASE_URL"):
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    if migrate:
        call_command("migrate", verbosity=0, interactive=False)
    from .tracking.clock import stamp_on_database_day

    stamp_on_database_day()  # a demo database's records are made on its day


DB_OPTION = click.option("--db", type=click.Path(path_type=Path, dir_okay=False),
                         help="SQLite 数据库文件 / SQLite database file (default: ./eduplan-data/eduplan.sqlite3)")


@main.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--bureau", required=True, help="教育局名称或编号 / the bureau (name or id) that owns the plan")
@click.option("--replaces", "replaces_id", type=int, help="作为该计划的新版本导入 / import as a revision of plan ID")
@click.option("--yes", is_flag=True, help="不预览，直接保存 / save without showing the preview first")
@DB_OPTION
def import_(path: Path, bureau: str, replaces_id: int | None, yes: bool, db: Path | None) -> None:
    """导入计划文件：先显示解析结果，确认后在一个事务中保存 / import a plan file."""
    _setup_django(db)
    from .orgs.models import OrgUnit
    from .tracking.importing import import_parsed, plan_changes, read_upload
    from .tracking.models import Plan

    parsed = read_upload(path)
    unit = OrgUnit.objects.filter(kind=OrgUnit.Kind.BUREAU).filter(
        **({"pk": int(bureau)} if bureau.isdigit() else {"name": bureau})).first()
    if unit is None:
        raise EduplanError(Errors.E405, unit=bureau)
    replaces = Plan.objects.filter(pk=replaces_id, bureau=unit).first() if replaces_id else None
    if replaces_id and replaces is None:
        raise EduplanError(Errors.E418, plan=replaces_id)
    click.echo(render(parsed, "md"))
    if replaces is not None and parsed.plans:
        from .tracking.corrections import corrected_source, for_plan

        # The saving applies the plan's corrections again: preview what it will save.
        shown, outcomes = corrected_source(parsed, for_plan(replaces))
        for change in plan_changes(replaces, shown.plans[0]):
            if change.kind != "unchanged":
                click.echo(f"{CHANGE_LABELS[change.kind]} {change.number} {change.title} {'；'.join(change.details)}")
        for row, outcome in outcomes:
            if not outcome.applied:
                click.echo(f"更正未沿用（原文已改动） / correction dropped: {row.get_kind_display()} {row.quote[:40]}")
    if not yes and not _confirm("保存到数据库？ / save?"):
        click.echo("未保存 / nothing saved")
        return
    with path.open("rb") as handle:
        result = import_parsed(parsed, bureau=unit, source_file=handle, replaces=replaces)
    for plan in result.plans:
        click.echo(f"已导入 / imported: #{plan.pk} {plan.title}（{plan.tasks.count()} 项任务，版本 {plan.version}）")


def _confirm(question: str) -> bool:
    """Ask yes/no; when there is no terminal to answer on (cron, a pipe that ends), say that
    --yes is needed instead of click's bare "Aborted!"."""
    try:
        return click.confirm(question, default=True)
    except click.Abort:
        if not sys.stdin.isatty():
            raise EduplanError(Errors.E490) from None
        raise


@main.command("init-bureau")
@click.argument("name")
@click.option("--admin", "admin_name", default="admin", show_default=True, help="局办公室管理员用户名 / admin username")
@DB_OPTION
def init_bureau(name: str, admin_name: str, db: Path | None) -> None:
    """新建教育局（含常用科室与分派规则）及其管理员 / create a bureau with its admin user."""
    import secrets

    _setup_django(db)
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from .orgs.models import Membership, OrgUnit
    from .orgs.services import create_user
    from .tracking.setup import setup_bureau

    if OrgUnit.objects.filter(kind=OrgUnit.Kind.BUREAU, name=name).exists():
        raise EduplanError(Errors.E419, unit=name)
    if get_user_model().objects.filter(username=admin_name).exists():
        raise EduplanError(Errors.E424, user=admin_name)
    password = secrets.token_urlsafe(12)
    with transaction.atomic():  # a bureau without its admin would be left unusable
        bureau = setup_bureau(name)
        create_user(admin_name, password, role=Membership.Role.ADMIN, unit=bureau, display_name="局办公室管理员")
    click.echo(f"已创建 / created: {bureau.name}（{bureau.children.count()} 个科室）")
    click.echo(f"admin: {admin_name} / {password}")


@main.group()
def export() -> None:
    """导出报表：任务分解表、工作台账、督查通报 / export reports."""


def _active_user(username: str):
    """The active user a command acts as (E609 if there is none of that name)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise EduplanError(Errors.E609, user=username)
    return user


def _plan(plan_id: int):
    from .tracking.models import Plan

    plan = Plan.objects.select_related("bureau").filter(pk=plan_id).first()
    if plan is None:
        raise EduplanError(Errors.E418, plan=plan_id)
    return plan


class _Progress:
    """A click progress bar fed by the exporters' ``progress(done, total)`` callbacks."""

    def __init__(self, label: str) -> None:
        self.label, self.bar, self.shown = label, None, 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@export.command("breakdown")
@click.argument("plan_id", type=int)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="xlsx 文件 / output file")
@DB_OPTION
def export_breakdown(plan_id: int, out: Path, db: Path | None) -> None:
    """导出计划的任务分解表（xlsx） / write a plan's task breakdown table."""
    _setup_django(db)
    from .reports.breakdown.export import write_breakdown

    progress = _Progress("任务分解表 / breakdown")
    try:
        write_breakdown(_plan(plan_id), out, progress=progress)
    finally:
        progress.close()
    click.echo(f"已写入 / written: {out}")


@export.command("ledger")
@click.option("--plan", "plan_id", type=int, help="只导出该计划 / only this plan (default: every plan)")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="xlsx 文件 / output file")
@DB_OPTION
def export_ledger(plan_id: int | None, out: Path, db: Path | None) -> None:
    """导出工作台账（xlsx） / write the progress ledger."""
    _setup_django(db)
    from .reports.ledger.build import write_ledger
    from .tracking.clock import today
    from .tracking.models import Task

    tasks = Task.objects.filter(removed_in_version__isnull=True)
    if plan_id is not None:
        tasks = tasks.filter(plan=_plan(plan_id))
    progress = _Progress("工作台账 / ledger")
    try:
        rows = write_ledger(tasks, out, today=today(), progress=progress)
    finally:
        progress.close()
    click.echo(f"已写入 / written: {out}（{rows} 行）")


@export.command("bulletin")
@click.argument("plan_id", type=int)
@click.option("--period", help="报告期 YYYY-MM，默认本月 / report period, default this month")
@click.option("--number", help="期号，如“第3期” / issue number")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="docx 文件 / output file")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF / also write a PDF (needs LibreOffice)")
@DB_OPTION
def export_bulletin(plan_id: int, period: str | None, number: str | None, out: Path, pdf: bool,
                    db: Path | None) -> None:
    """导出督查通报（docx，可选 PDF） / write the supervision bulletin."""
    _setup_django(db)
    from .reports.bulletin.document import default_issuer, default_title, write_bulletin
    from .reports.bulletin.facts import bulletin_facts
    from .reports.pdf import to_pdf
    from .tracking.clock import today

    plan = _plan(plan_id)
    facts = bulletin_facts(plan.tasks.filter(removed_in_version__isnull=True), today=today(), period=period)
    write_bulletin(facts, out, title=default_title(plan), issuer=default_issuer(plan), number=number)
    click.echo(f"已写入 / written: {out}")
    if pdf:
        click.echo(f"已写入 / written: {to_pdf(out, out.parent)}")


@main.command("import-breakdown")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--plan", "plan_id", type=int, required=True, help="计划编号 / plan id")
@click.option("--user", "username", required=True, help="以该用户身份保存（记入审计日志） / act as this user")
@click.option("--yes", is_flag=True, help="不确认，直接保存 / save without asking")
@DB_OPTION
def import_breakdown(path: Path, plan_id: int, username: str, yes: bool, db: Path | None) -> None:
    """导入修改后的任务分解表：逐格检查，全部无误才保存 / import an edited breakdown table."""
    _setup_django(db)
    from .orgs.access import scope_for
    from .reports.breakdown.importing import apply_breakdown, read_breakdown
    from .tracking.clock import today

    if not path.is_file():
        raise EduplanError(Errors.E101, path=path)
    user = _active_user(username)
    plan = _plan(plan_id)
    scope = scope_for(user)
    if not (scope.can_assign and scope.covers(plan.bureau)):  # as on the web page: the bureau office
        raise PermissionDenied(f"{username} 不能为整个计划分派任务 / {username} cannot assign across the plan")
    reading = read_breakdown(path, plan, name=path.name)
    if reading.problems:
        for problem in reading.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(reading.problems)} 处问题，未保存任何内容 / {len(reading.problems)} problems, nothing saved",
                   err=True)
        sys.exit(1)
    for change in reading.changes:
        kind = "新增任务" if change.kind == "new_task" else "修改"
        click.echo(f"第 {change.row} 行 {kind} {change.number} {change.title}：{'；'.join(change.details)}")
    if not reading.changes:
        click.echo("没有需要保存的修改 / nothing changed")
        return
    if not yes and not _confirm(f"保存这 {len(reading.changes)} 处修改？ / save?"):
        click.echo("未保存 / nothing saved")
        return
    apply_breakdown(reading, user=user, today=today())
    click.echo(f"已保存 {len(reading.changes)} 处修改 / saved")


@main.group()
def corrections() -> None:
    """计划识别结果的人工更正 / people's corrections of what the parser read."""


@corrections.command("export")
@click.option("--bureau", help="只导出该教育局（名称或编号） / only this bureau (name or id)")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="写入文件，默认输出到屏幕 / output file")
@DB_OPTION
def corrections_export(bureau: str | None, out: Path | None, db: Path | None) -> None:
    """把更正导出为解析器测试用例表 / write the corrections as parser test cases."""
    _setup_django(db)
    from .orgs.models import OrgUnit
    from .tracking.corrections import export_cases

    unit = None
    if bureau:
        unit = OrgUnit.objects.filter(kind=OrgUnit.Kind.BUREAU).filter(
            **({"pk": int(bureau)} if bureau.isdigit() else {"name": bureau})).first()
        if unit is None:
            raise EduplanError(Errors.E405, unit=bureau)
    table = export_cases(unit)
    if out is None:
        click.echo(table, nl=False)
        return
    try:
        out.write_text(table, encoding="utf-8")
    except OSError as err:
        raise EduplanError(Errors.E301, path=out, reason=err.strerror or err) from None
    click.echo(f"已写入 / written: {out}（{table.count(chr(10) + '    (')} 条 / cases）", err=True)


@main.group()
def data() -> None:
    """学校数据：数据表的 Excel 模板，导出与导入 / school data: data set templates out and in."""


DATA_SET_OPTION = click.option("--data-set", "code", required=True, help="数据表代码，如 health_semester / data set code")
UNIT_OPTION = click.option("--unit", "unit_id", type=int, required=True,
                           help="填报范围的单位编号（模板列出其下应填报的单位） / the unit whose units the template lists")
PERIOD_OPTION = click.option("--period", required=True, help="期间，如 2025、2025S1、2025Q3 / period key")


def _data_set_and_unit(code: str, unit_id: int):
    from .indicators.models import DataSet
    from .orgs.models import OrgUnit

    data_set = DataSet.objects.filter(code=code).first()
    if data_set is None:
        raise EduplanError(Errors.E714, data_set=code)
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise EduplanError(Errors.E405, unit=unit_id)
    return data_set, unit


@data.command("template")
@DATA_SET_OPTION
@UNIT_OPTION
@PERIOD_OPTION
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="xlsx 文件 / output file")
@DB_OPTION
def data_template(code: str, unit_id: int, period: str, out: Path, db: Path | None) -> None:
    """导出数据表的填报模板（xlsx，每个应填报单位一行） / write a data set's template, a row per unit."""
    _setup_django(db)
    from .indicators.spreadsheet import template

    content = template(*_data_set_and_unit(code, unit_id), period)
    try:
        out.write_bytes(content)
    except OSError as err:
        raise EduplanError(Errors.E301, path=out, reason=err.strerror) from err
    click.echo(f"已写入 / written: {out}")


@data.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@DATA_SET_OPTION
@UNIT_OPTION
@PERIOD_OPTION
@click.option("--user", "username", required=True, help="以该用户身份提交（记入审计日志） / submit as this user")
@DB_OPTION
def data_import(path: Path, code: str, unit_id: int, period: str, username: str, db: Path | None) -> None:
    """导入填好的模板：逐格检查，全部无误才提交 / import a filled template, all or nothing."""
    _setup_django(db)
    from .indicators.spreadsheet import TemplateRefused, read_template

    if not path.is_file():
        raise EduplanError(Errors.E101, path=path)
    user = _active_user(username)
    data_set, unit = _data_set_and_unit(code, unit_id)
    progress = _Progress("检查并导入 / checking and importing")
    try:
        result = read_template(path, data_set, unit, period, user, name=path.name, progress=progress)
    except TemplateRefused as refused:
        progress.close()
        for problem in refused.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(refused.problems)} 处问题，未保存任何内容 / {len(refused.problems)} problems, nothing saved",
                   err=True)
        sys.exit(1)
    finally:
        progress.close()
    click.echo(f"已提交 / submitted: {result.submitted} 个单位；已提交且未变 / unchanged: {result.unchanged}；"
               f"未填写 / blank: {result.blank}")


@main.command()
@click.option("--send", is_flag=True, help="写入站内消息（按规则同时发邮件）；不加则只显示 / deliver; without it, only show")
@click.option("--bureau", help="只处理该教育局（名称或编号） / only this bureau (name or id)")
@DB_OPTION
def reminders(send: bool, bureau: str | None, db: Path | None) -> None:
    """每日提醒：临期、逾期、长期未更新、数据迟报，及整改督办 / the daily reminder digest."""
    _setup_django(db)
    from .supervision.reminders import find_bureau, run
    from .tracking.clock import today

    digests, delivery = run(today(), send=send, bureau=find_bureau(bureau) if bureau else None)
    for digest in digests:
        click.echo(f"{digest.user.username}：{digest.title(today())}")
        if not send:
            click.echo(digest.body())
    if delivery is None:
        click.echo(f"共 {len(digests)} 人有提醒（未发送，加 --send 发送） / {len(digests)} digests, not sent")
        return
    click.echo(f"已发送 / sent: 站内消息 {delivery.messages} 条，督办升级 {delivery.escalations} 项，"
               f"邮件 {delivery.emails} 封")
    if delivery.email_errors:
        raise EduplanError(Errors.E874, reason="；".join(delivery.email_errors[:3]))


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@DB_OPTION
def manage(args: tuple[str, ...], db: Path | None) -> None:
    """运行 Django 管理命令，如 createsuperuser / run a Django management command."""
    _setup_django(db)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["eduplan manage", *args])


CHANGE_LABELS = {"added": "新增", "removed": "删除", "changed": "修改", "unchanged": "未变"}


# Requests one server process works on at once. A Python process runs one thread at a time, so
# more threads only take turns, and under load each request then waited on all the others
# (bench/README, "Fewer threads per process": with 8 threads the p95 of pages was 1.25–1.45×
# that of 3 on PostgreSQL, and reports took nearly twice as long). A few keep the process busy
# while some wait on the database or the network.
SERVER_THREADS = 3


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=SERVER_THREADS, show_default=True, type=click.IntRange(1, 256),
              help="每个进程同时处理的请求数 / requests each process works on at once")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="服务进程数，多核服务器可设为核数 / server processes; one per core uses every core")
@DB_OPTION
def serve(host: str, port: int, threads: int, workers: int, db: Path | None) -> None:
    """启动网页服务 / serve the web app."""
    os.environ["EDUPLAN_WORKERS"] = str(workers)  # settings: the processes share their throttles
    _setup_django(db)
    from .server import serve as run_server

    run_server(host, port, threads=threads, workers=workers, on_ready=lambda url: click.echo(f"URL: {url}"))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@DB_OPTION
def demo(host: str, port: int, db: Path | None) -> None:
    """演示：建库、导入示例计划、创建用户与进展，然后启动网页服务 / run the demo site."""
    from datetime import date

    _setup_django(db)
    from django.conf import settings

    from .demo_data import DEMO_USERS, build_demo, is_demo_database, reset_passwords
    from .orgs.models import OrgUnit
    from .server import serve as run_server
    from .tracking import clock

    # The demo's date is kept beside its database, so `eduplan serve` and `eduplan export` on it
    # later keep the same date (EDUPLAN_TODAY, when set, still wins for one run).
    if OrgUnit.objects.exists():
        if not is_demo_database():
            raise EduplanError(Errors.E425)
        if clock.database_today() is None:  # a demo database made before its clock was kept
            clock.fix_database_today(date.fromisoformat(DEMO_TODAY))
        passwords = reset_passwords()
        click.echo("使用已有的演示数据库，演示用户密码已重置 / existing demo database, passwords reset")
    else:
        click.echo("正在创建演示数据…… / building the demo data...")
        day = date.fromisoformat(settings.EDUPLAN_TODAY or DEMO_TODAY)
        passwords = build_demo(day).passwords
        clock.fix_database_today(day)
    click.echo(f"演示日期 / demo date: {clock.today()}")
    for username, display, _role, unit in DEMO_USERS[1:]:
        click.echo(f"  {display}（{unit}）：{username} / {passwords[username]}")

    def announce(url: str) -> None:
        click.echo(f"URL: {url}")
        click.echo(f"admin: admin / {passwords['admin']}")

    run_server(host, port, threads=SERVER_THREADS, on_ready=announce)


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


@main.command()
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="备份文件（.tar.gz），默认写入数据目录下的 backups/ / archive to write (default: DATA_DIR/backups/)")
@DB_OPTION
def backup(out: Path | None, db: Path | None) -> None:
    """备份数据库和上传的文件（服务运行时也可以） / back up the database and uploaded files, even while serving."""
    _setup_django(db, migrate=False)
    from .backup import create_backup, default_backup_path

    progress = _Progress("备份 / backup")
    try:
        summary = create_backup(out or default_backup_path(), progress=progress)
    finally:
        progress.close()
    click.echo(f"已备份 / backed up: {summary.path}（{_megabytes(summary.size)}）")
    click.echo(f"  {summary.engine}：{len(summary.tables)} 张表 tables，{summary.rows} 行 rows；"
               f"{summary.files} 个文件 files（{_megabytes(summary.media_bytes)}）")


@main.command()
@click.argument("archive", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="覆盖已有的数据库和文件 / replace a database and files that hold data")
@DB_OPTION
def restore(archive: Path, force: bool, db: Path | None) -> None:
    """从备份恢复数据库和上传的文件（请先停止服务） / restore a backup (stop the server first)."""
    _setup_django(db, migrate=False)
    from .backup import restore_backup

    progress = _Progress("恢复 / restore")
    try:
        summary = restore_backup(archive, force=force, progress=progress)
    finally:
        progress.close()
    click.echo(f"已恢复 / restored: {summary.archive}（备份于 / made {summary.created_at}）")
    click.echo(f"  {summary.engine} {summary.database}：{len(summary.tables)} 张表 tables，{summary.rows} 行 rows")
    click.echo(f"  {summary.media_root}：{summary.files} 个文件 files（{_megabytes(summary.media_bytes)}）")
    if summary.replaced_rows or summary.replaced_files:
        click.echo(f"  已替换原有的 {summary.replaced_rows} 行、{summary.replaced_files} 个文件 / "
                   f"replaced {summary.replaced_rows} rows and {summary.replaced_files} files")


def run() -> None:
    """Entry point that turns any EduplanError (or refused permission) into one clear line."""
    try:
        main(standalone_mode=True)
    except EduplanError as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    except PermissionDenied as err:
        click.echo(Errors.E426.render(reason=err), err=True)
        sys.exit(1)
    except ImproperlyConfigured as err:  # a setting refused while loading (E44x): already one line
        click.echo(str(err), err=True)
        sys.exit(1)


if __name__ == "__main__":
    run()
