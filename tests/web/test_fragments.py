"""Table rows rendered once per content (``eduplan.fragments``): a row shows only what its value
holds, and a changed row is a new value, so a remembered row can never be an old one."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.template import Context, Template, engines
from django.template.loader import get_template
from django.template.loader_tags import IncludeNode
from django.urls import reverse

from eduplan import fragments
from eduplan.dashboard.layout import GroupRow
from eduplan.tracking.progress import submit_report
from eduplan.tracking.rows import TaskRow
from eduplan.tracking.status import Light, Status

TASK = TaskRow(pk=7, number="二/7", title="加强学校体育工作", plan_title="青禾区2025年教育工作要点",
               status=Status.LAGGING, light=Light.YELLOW, expected=60, percent=35,
               reasons=("进度35%，落后序时进度25个百分点",), leads=("体卫艺科", "青禾区实验小学"),
               deadlines=(date(2025, 12, 31), date(2025, 11, 30)))
UNASSIGNED = TaskRow(pk=8, number="", title="办好特殊教育", plan_title="", status=Status.NOT_STARTED,
                     light=Light.GREEN, expected=0, percent=0, reasons=(), leads=(), deadlines=())
GROUP = GroupRow(name="青禾区实验小学", link="/units/5/", depth=1, total=4, done=1, done_share=25,
                 average_percent=48, green=2, yellow=1, red=1,
                 bars=(("green", 50.0, 2, "绿"), ("yellow", 25.0, 1, "黄"), ("red", 25.0, 1, "红")))


class Asking(Context):
    """A context that notes every name a template looks up, in ``{{ }}``, ``{% if %}`` and
    ``{% for %}`` alike (``string_if_invalid`` sees only the first)."""

    def __init__(self, values: dict) -> None:
        super().__init__(values)
        self.asked: set[str] = set()

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)


def names_a_template_may_ask(template: str) -> set[str]:
    """``row``, and the names the template (with what it includes) binds itself."""
    source = "".join(Path(origin.name).read_text() for origin in _sources(template))
    bound = {"row", "forloop"}
    for names in re.findall(r"{%\s*for\s+(.+?)\s+in\s", source):
        bound |= {name.strip() for name in names.split(",")}
    return bound | set(re.findall(r"\bwith\s+(\w+)=", source))


def _sources(template: str):
    main = get_template(template).template
    yield main.origin
    for node in main.nodelist.get_nodes_by_type(IncludeNode):
        yield get_template(node.template.var).template.origin


@pytest.fixture(autouse=True)
def _fresh_memo():
    fragments._remembered.cache_clear()  # no row remembered by another test answers for this one
    yield
    fragments._remembered.cache_clear()


# One row per row template: each must show what its value holds and ask for nothing else.
@pytest.mark.parametrize(("template", "row", "shown"), [
    ("tracking/_task_row.html", TASK, ["二/7", "/tasks/7/", "青禾区2025年教育工作要点", "体卫艺科、青禾区实验小学",
                                       "2025-12-31<br>2025-11-30", "35%", "序时 60%", "light-yellow"]),
    ("tracking/_task_row.html", UNASSIGNED, ["办好特殊教育", "未分派", "—", "0%"]),
    ("dashboard/_warning_row.html", TASK, ["light-yellow", "二/7", "体卫艺科、青禾区实验小学：进度35%",
                                           "<li>进度35%，落后序时进度25个百分点</li>"]),
    ("dashboard/_overdue_row.html", TASK, ["/tasks/7/", "体卫艺科、青禾区实验小学", "2025-12-31<br>2025-11-30", "35%"]),
    ("dashboard/_group_row.html", GROUP, ['<a href="/units/5/">青禾区实验小学</a>', "indent-1", "25%", "平均进度 48%",
                                          'data-width="50.0"', "绿 2 · 黄 1 · 红 1"]),
    ("dashboard/_group_row.html", GROUP.__class__(**{**GROUP.__dict__, "link": "", "depth": 0}),
     ['<td class="group-name">青禾区实验小学</td>']),
])
def test_a_row_template_shows_its_row_and_nothing_else(db, monkeypatch, template, row, shown):
    monkeypatch.setattr(engines["django"].engine, "string_if_invalid", "«missing %s»")
    html = fragments.render_row(template, row)
    assert "«missing" not in html
    for part in shown:
        assert part in html
    context = Asking({"row": row})
    assert get_template(template).template.render(context) == html
    assert context.asked <= names_a_template_may_ask(template)


def test_the_check_sees_a_name_asked_in_a_condition():
    context = Asking({"row": TASK})
    Template("{% if row.pk and several_plans %}{% endif %}{% for a in state.assignments %}{{ a }}{% endfor %}"
             ).render(context)
    assert {"several_plans", "state"} <= context.asked


def test_a_remembered_row_is_the_same_html_and_a_changed_row_is_rendered_anew(db, settings):
    settings.EDUPLAN_ROW_MEMO = True
    first = fragments.render_row("tracking/_task_row.html", TASK)
    assert fragments.render_row("tracking/_task_row.html", TASK) is first  # remembered
    moved = TaskRow(**{**TASK.__dict__, "percent": 80, "status": Status.ON_TRACK, "light": Light.GREEN})
    again = fragments.render_row("tracking/_task_row.html", moved)
    assert "80%" in again and "light-green" in again and "35%" not in again
    settings.EDUPLAN_ROW_MEMO = False
    assert fragments.render_row("tracking/_task_row.html", TASK) == first


def test_the_task_list_row_follows_a_report(world, as_user):
    client = as_user("admin")
    row_of = lambda page: page[page.index(f'href="/tasks/{world.task_a.pk}/"'):][:900]  # noqa: E731
    before = row_of(client.get(reverse("task-list")).content.decode())
    submit_report(world.assignment(world.task_a), user=world.users["school_a"], period="2025-06", percent=100,
                  state="done", narrative="已完成")
    after = row_of(client.get(reverse("task-list")).content.decode())
    assert after != before
    assert "100%" in after and "status-done" in after


# (value, label) pairs, the chosen value, and the HTML of the options
OPTION_CASES = [
    ((("", "全部"), ("5", "青禾区实验小学")), "", '<option value="" selected>全部</option><option value="5">青禾区实验小学</option>'),
    ((("", "全部"), ("5", "青禾区实验小学")), "5", '<option value="">全部</option><option value="5" selected>青禾区实验小学</option>'),
    ((("7", "<b>A&B</b>学校"),), "", '<option value="7">&lt;b&gt;A&amp;B&lt;/b&gt;学校</option>'),
    ((("x\"y", "引号"),), "x\"y", '<option value="x&quot;y" selected>引号</option>'),
    ((), "", ""),
]


@pytest.mark.parametrize(("choices", "chosen", "html"), OPTION_CASES)
@pytest.mark.parametrize("memo", [True, False])
def test_options_are_escaped_and_the_chosen_one_selected_remembered_or_not(settings, choices, chosen, html, memo):
    settings.EDUPLAN_ROW_MEMO = memo
    fragments._remembered_options.cache_clear()
    assert fragments.render_options(choices, chosen) == html
    assert fragments.render_options(choices, chosen) == html  # the second time from the memo
