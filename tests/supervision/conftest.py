"""A round at two schools of the test world, with one finding at 青禾区实验小学 (school_a)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eduplan.supervision.services import RoundInput, add_finding, create_round

JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n"


def photo(name: str = "现场.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPG, content_type="image/jpeg")


def pdf(name: str = "整改说明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def round_(world):
    data = RoundInput(title="2025年春季平安校园专项督导", kind="inspection", start_date=date(2025, 6, 2),
                      end_date=date(2025, 6, 6), standard="safe_campus",
                      schools=[world.unit("青禾区实验小学"), world.unit("青禾区滨江小学")])
    return create_round(data, user=world.users["admin"], bureau=world.bureau)


@pytest.fixture
def finding(world, round_):
    return add_finding(round_, user=world.users["admin"], school=world.unit("青禾区实验小学"),
                       item=round_.items.get(order=5), description="消防通道堆放体育器材，疏散不畅",
                       severity="serious", found_on=date(2025, 6, 3), deadline=date(2025, 6, 20), photos=[photo()])


@pytest.fixture
def finding_b(world, round_):
    return add_finding(round_, user=world.users["admin"], school=world.unit("青禾区滨江小学"),
                       description="食堂留样记录缺 3 天", severity="minor", found_on=date(2025, 6, 4))
