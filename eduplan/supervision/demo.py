"""Supervision in the demo: a 平安校园 round at four schools whose findings stand at every
step (closed, awaiting review, 催办, 督办, not yet due), the inboxes filled by a reminder run,
and one appraisal adjustment. Everything goes through the services, as on the pages.

Call ``add_supervision_demo(bureau, admin, day)`` from the demo builder, inside its
``stamped_on(day)`` block so the records carry the demo's date.
"""

from __future__ import annotations

import struct
import zlib
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from eduplan.orgs.models import OrgUnit

from . import reminders
from .inbox import unit_people
from .scoring import adjust_score
from .services import RoundInput, add_finding, create_round, report_rectification, review_rectification

SCHOOLS = ("青禾区实验小学", "青禾区滨江小学", "青禾区第一中学", "青禾区育才学校")


def demo_png(rgb: tuple[int, int, int] = (200, 120, 60)) -> bytes:
    """A small plain-coloured PNG: stands in for a photo taken on site."""
    width, height = 32, 24
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _photo(name: str, rgb: tuple[int, int, int]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_png(rgb), content_type="image/png")


def add_supervision_demo(bureau: OrgUnit, admin, day: date) -> None:
    schools = {name: bureau.subtree().get(name=name) for name in SCHOOLS}
    start = day - timedelta(days=29)
    round_ = create_round(RoundInput(
        title=f"{day.year}年{'秋季' if start.month >= 8 else '春季'}开学平安校园专项督导", kind="inspection", start_date=start,
        end_date=start + timedelta(days=4), standard="safe_campus", schools=list(schools.values())),
        user=admin, bureau=bureau)
    items = {item.order: item for item in round_.items.all()}

    def finding(school: str, item: int, text: str, severity: str, found: int, deadline: int):
        return add_finding(round_, user=admin, school=schools[school], item=items[item], description=text,
                           severity=severity, found_on=start + timedelta(days=found),
                           deadline=start + timedelta(days=deadline), photos=[_photo("现场照片.png", (190, 90, 60))])

    closed = finding("青禾区实验小学", 5, "一楼东侧消防通道堆放体育器材，疏散不畅", "serious", 1, 12)
    waiting = finding("青禾区实验小学", 8, "食堂食品留样记录缺少两天", "minor", 1, 20)
    urged = finding("青禾区滨江小学", 7, "食堂两名从业人员健康证已过期", "minor", 2, 25)
    finding("青禾区第一中学", 4, "一键报警装置未与公安联网，测试无响应", "serious", 1, 9)
    finding("青禾区育才学校", 2, "隐患排查台账近两个月未更新", "minor", 3, 33)

    school_user = unit_people(schools["青禾区实验小学"]).first() or admin
    report_rectification(closed.rectification, user=school_user, narrative="已将体育器材移入器材室，通道清空并张贴禁放标识。",
                         done=True, files=[_photo("整改后照片.png", (90, 160, 90))])
    review_rectification(closed.rectification, user=admin, approve=True, note="现场复核通道已畅通。")
    report_rectification(waiting.rectification, user=school_user, narrative="已补登留样记录，食堂管理员签字确认。",
                         done=True, files=[_photo("留样记录.png", (220, 220, 200))])
    other = unit_people(schools["青禾区滨江小学"]).first() or admin
    report_rectification(urged.rectification, user=other, narrative="两名人员已预约体检，结果出来前暂停上岗。", percent=50)
    adjust_score(schools["青禾区滨江小学"], day.year, user=admin, points="1", reason="承办全区食品安全现场观摩会",
                 as_of=day)
    reminders.run(day, send=True, bureau=bureau)
