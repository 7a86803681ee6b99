"""The ``eduplan`` command: thin wrappers that parse options, call library functions, print."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from .errors import EduplanError, Errors
from .plan import ParsedSource, read_plan
from .plan.readers import SUPPORTED_SUFFIXES

EXAMPLE_PLAN = Path(__file__).parent / "examples" / "qinghe_2025_annual.txt"
FORMATS = ("json", "md", "xlsx")


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


@main.command()
def demo() -> None:
    """解析内置示例计划并打印提纲与量化目标 / parse the bundled example plan and print it."""
    parsed = read_plan(EXAMPLE_PLAN)
    click.echo(render(parsed, "md"))
    plan = parsed.plans[0]
    click.echo(f"\n示例计划：{len(plan.headings)} 个标题，{len(plan.targets)} 个量化目标 / "
               f"{len(plan.headings)} headings, {len(plan.targets)} targets ({EXAMPLE_PLAN.name})")


def run() -> None:
    """Entry point that turns any EduplanError escaping a command into one clear line."""
    try:
        main(standalone_mode=True)
    except EduplanError as err:
        click.echo(str(err), err=True)
        sys.exit(1)


if __name__ == "__main__":
    run()
