"""A hand-made alignment key: for each task of plan A, the task of plan B about the same work
(None: B has no such task), decided by reading both plans before running the aligner.

Files are those in ../shared (seeds/ and eval/devset/docs/); tasks are named by their number as
``eduplan.compare.items.from_parsed`` gives it. ``also`` lists other answers a reader would
accept too (A's task spans two of B's, or B splits the work in several tasks); the strict score
reads only ``partner``. ``why`` is our own few words on the topic, never the plans' wording.
"""

from __future__ import annotations

from typing import NamedTuple

ANNUAL_A = "000_11dae353d2c9317d.txt"  # a district's 2023 annual plan, 24 tasks
ANNUAL_B = "002_afc61ac5f3af42de.txt"  # another district's 2023 annual plan, 27 tasks
FIVE_YEAR = "004_c23624d64ebf246d.txt"  # a district's 2021–2025 plan; its tasks are parts 四 and 五


class Row(NamedTuple):
    a: str
    task_a: str
    b: str
    partner: str | None
    why: str
    also: tuple[str | None, ...] = ()


def _rows(a: str, b: str, table: list[tuple]) -> list[Row]:
    return [Row(a, task, b, partner, why, tuple(also)) for task, partner, why, *also in table]


# fmt: off
A_TO_B = _rows(ANNUAL_A, ANNUAL_B, [
    ("一/1", "一/1", "party study, ideology work"),
    ("一/2", "一/2", "grassroots party branches"),
    ("一/3", "一/3", "school leaders and cadres"),
    ("一/4", "一/4", "party discipline, integrity"),
    ("一/5", "一/6", "unions, youth league, pioneers"),
    ("二/6", "五/21", "moral and political education"),
    ("二/7", "二/10", "homework relief, tutoring control"),
    ("二/8", "五/21", "sport, arts, labour education"),
    ("二/9", "五/22", "student health, eyesight, canteens"),
    ("三/10", "三/12", "preschool provision and quality"),
    ("三/11", "三/13", "balanced compulsory schooling"),
    ("三/12", "三/14", "senior high development"),
    ("三/13", "三/17", "special needs (and adult learning)", "三/16"),
    ("三/14", "三/15", "vocational schools, industry links"),
    ("四/15", "四/18", "teacher ethics"),
    ("四/16", "四/20", "teacher posts, hiring, rotation"),
    ("四/17", "四/19", "teacher growth, expert teachers"),
    ("五/18", "六/27", "school safety"),
    ("五/19", "六/26", "law-based administration"),
    ("五/20", "六/26", "inspection (B: inside its law task)", "六/25"),
    ("五/21", "二/8", "digital campus, smart education"),
    ("五/22", None, "funding and budgets: B lacks", "六/25"),
    ("五/23", None, "cross-region cooperation: B lacks"),
    ("五/24", None, "civic campaigns, miscellany: B lacks"),
])

B_TO_A = _rows(ANNUAL_B, ANNUAL_A, [
    ("一/1", "一/1", "party study, theory"),
    ("一/2", "一/2", "grassroots party branches"),
    ("一/3", "一/3", "school leaders and cadres"),
    ("一/4", "一/4", "party discipline, integrity"),
    ("一/5", "一/1", "publicity, ideology front", "五/24"),
    ("一/6", "一/5", "united front, mass groups"),
    ("二/7", None, "new school buildings: A spreads it", "三/11", "三/10"),
    ("二/8", "五/21", "smart campus, equipment", "五/24"),
    ("二/9", "三/11", "admissions, no dropouts"),
    ("二/10", "二/7", "homework relief, tutoring control"),
    ("二/11", "二/6", "mental health, parent education"),
    ("三/12", "三/10", "preschool provision and quality"),
    ("三/13", "三/11", "balanced compulsory schooling"),
    ("三/14", "三/12", "senior high development"),
    ("三/15", "三/14", "vocational schools, industry links"),
    ("三/16", "三/13", "community and elderly learning"),
    ("三/17", "三/13", "special needs, inclusion"),
    ("四/18", "四/15", "teacher ethics"),
    ("四/19", "四/17", "teacher growth, expert teachers"),
    ("四/20", "四/16", "teacher posts and rotation"),
    ("五/21", "二/8", "all-round education, sport, arts", "二/6"),
    ("五/22", "二/9", "student health, eyesight, canteens"),
    ("五/23", "二/7", "classroom and homework reform"),
    ("五/24", None, "research projects: A lacks"),
    ("六/25", None, "private schools, fees: A lacks", "五/20", "五/22"),
    ("六/26", "五/19", "law-based administration"),
    ("六/27", "五/18", "school safety"),
])

A_TO_FIVE = _rows(ANNUAL_A, FIVE_YEAR, [
    ("一/1", "五/(一)", "party leadership"),
    ("一/2", "五/(一)", "party leadership"),
    ("一/3", "五/(一)", "cadres (party task)", "四/(三)/4"),
    ("一/4", "五/(一)", "party discipline (party task)"),
    ("一/5", None, "mass groups: one line only", "五/(一)", "四/(十)/1"),
    ("二/6", "四/(一)/2", "moral education actions", "四/(一)/1"),
    ("二/7", "四/(五)/2", "lighter load, better lessons"),
    ("二/8", "四/(一)/2", "sport, arts, labour"),
    ("二/9", None, "school health: eyesight only", "四/(一)/2"),
    ("三/10", "四/(四)/1", "preschool places", "四/(四)/2", "四/(四)/3"),
    ("三/11", "四/(五)/1", "balanced compulsory schooling"),
    ("三/12", "四/(六)/1", "senior high reform", "四/(六)/2"),
    ("三/13", "四/(十)/2", "special needs (and adult learning)", "四/(八)/1"),
    ("三/14", "四/(七)/2", "vocational school, training bases", "四/(七)/3", "四/(七)/1"),
    ("四/15", "四/(三)/2", "teacher ethics"),
    ("四/16", "四/(三)/1", "teacher posts and hiring"),
    ("四/17", "四/(三)/3", "teacher growth, expert teachers"),
    ("五/18", "五/(八)", "school safety"),
    ("五/19", "五/(三)", "law-based administration"),
    ("五/20", "五/(四)", "inspection and evaluation", "五/(五)"),
    ("五/21", "四/(九)/2", "broadband, digital resources", "四/(九)/1", "四/(九)/3"),
    ("五/22", "五/(二)", "funding guarantee"),
    ("五/23", "五/(七)", "cooperation and exchange"),
    ("五/24", None, "civic campaigns, miscellany"),
])

B_TO_FIVE = _rows(ANNUAL_B, FIVE_YEAR, [
    ("一/1", "五/(一)", "party leadership"),
    ("一/2", "五/(一)", "party leadership"),
    ("一/3", "四/(三)/4", "principals' selection, growth", "五/(一)"),
    ("一/4", "五/(一)", "party discipline (party task)"),
    ("一/5", "五/(一)", "ideology work (party task)"),
    ("一/6", None, "mass groups: one line only", "五/(一)"),
    ("二/7", "四/(二)/1", "new schools, more places", "四/(二)/2"),
    ("二/8", "四/(九)/2", "smart campus", "四/(九)/1", "四/(二)/2"),
    ("二/9", None, "admissions: five-year lacks"),
    ("二/10", "四/(五)/2", "lighter load, better lessons"),
    ("二/11", "四/(一)/2", "mental health, parents", "五/(七)"),
    ("三/12", "四/(四)/1", "preschool provision", "四/(四)/2", "四/(四)/3"),
    ("三/13", "四/(五)/1", "school groups, balance"),
    ("三/14", "四/(六)/1", "senior high reform", "四/(六)/2"),
    ("三/15", "四/(七)/3", "school–industry teaching", "四/(七)/2", "四/(七)/1"),
    ("三/16", "四/(八)/1", "community and elderly learning", "四/(八)/2"),
    ("三/17", "四/(十)/2", "special needs, inclusion"),
    ("四/18", "四/(三)/2", "teacher ethics"),
    ("四/19", "四/(三)/3", "teacher growth, expert teachers"),
    ("四/20", "四/(三)/1", "teacher posts and rotation", "四/(五)/1"),
    ("五/21", "四/(一)/2", "all-round education"),
    ("五/22", "四/(一)/2", "eyesight, mental health"),
    ("五/23", "四/(五)/2", "classroom reform", "四/(五)/3", "五/(五)"),
    ("五/24", "五/(六)", "education research"),
    ("六/25", None, "private schools, fees", "五/(五)"),
    ("六/26", "五/(三)", "law-based administration", "五/(四)"),
    ("六/27", "五/(八)", "school safety"),
])

# Devset excerpts that share subject matter.
DEVSET = [
    *_rows("d06.txt", "d08.txt", [
        ("2", "一/1", "kindergartens in every township", "一/2"),
        ("3", "二/3", "running preschools"),
        ("(六)/4", None, "standard primary schools: lacks"),
    ]),
    *_rows("d08.txt", "d06.txt", [
        ("一/1", "2", "kindergartens in every township"),
        ("一/2", "2", "early-years centres"),
        ("二/3", "3", "running preschools"),
    ]),
    *_rows("d30.txt", "d20.txt", [
        ("一/(一)", "一/一/(一)/1", "building schools, more places"),
        ("一/(二)", None, "all-round education: lacks"),
    ]),
    *_rows("d20.txt", "d30.txt", [
        ("一/一/(一)/1", "一/(一)", "building schools, more places"),
    ]),
    *_rows("d01.txt", "d08.txt", [
        ("一/(2)", None, "exam pass rates"),
        ("一/(3)", None, "senior high places"),
        ("一/(4)", None, "vocational schools"),
        ("一/3/(1)", None, "skills training for workers"),
        ("一/3/(2)", None, "adult schools, community learning"),
        ("一/3/(3)", None, "rural training rates"),
        ("一/3/(4)", None, "farm technology projects"),
        ("一/4", "一/1", "township kindergartens, enrolment"),
        ("一/5", None, "school conditions (title only)"),
    ]),
    *_rows("d13.txt", "d08.txt", [
        ("8", "一/1", "township kindergartens, enrolment", "二/3"),
    ]),
    *_rows("d09.txt", "d08.txt", [
        ("二/1", "一/2", "early years, enrolment rates", "一/1"),
        ("二/2", None, "school titles to win"),
    ]),
    *_rows("d22.txt", "d06.txt", [
        ("一/(一)", "(六)/4", "standard compulsory schools"),
        ("一/(二)/1", None, "one big campus build", "(六)/4"),
    ]),
]
# fmt: on

PAIRS: dict[str, list[Row]] = {
    "annual A → annual B": A_TO_B,
    "annual B → annual A": B_TO_A,
    "annual A → five-year": A_TO_FIVE,
    "annual B → five-year": B_TO_FIVE,
    "devset excerpts": DEVSET,
}
