"""The 工作台账 on paper: converted to PDF by LibreOffice, every column of the ledger is on the
first page across (one page wide, A4 landscape) and the header row repeats on every page."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from eduplan.reports import pdf
from eduplan.reports.ledger.build import write_ledger
from eduplan.tracking.models import Task
from tests.world import TODAY

needs_tools = pytest.mark.skipif(pdf.libreoffice_path() is None or shutil.which("pdftotext") is None,
                                 reason="LibreOffice (soffice) or poppler-utils not installed")


def page_texts(pdf_path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1]


def page_size(pdf_path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf_path)], check=True, capture_output=True, text=True).stdout
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    return float(width), float(height)


# reporting periods shown as history columns, the last column's header, most pages of the ledger sheet
CASES = [
    (None, "2025年6月", 2),  # the months with reports: 5 and 6
    ([f"2025-{m:02d}" for m in range(1, 13)], "2025年12月", 3),  # a year of history, still one page wide
]


@needs_tools
@pytest.mark.parametrize(("periods", "last_header", "most_pages"), CASES)
def test_the_ledger_prints_one_page_wide_with_the_header_on_every_page(reported, tmp_path, periods, last_header,
                                                                        most_pages):
    xlsx = tmp_path / "ledger.xlsx"
    write_ledger(Task.objects.filter(plan=reported.plan), xlsx, today=TODAY, periods=periods)
    made = pdf.to_pdf(xlsx, tmp_path)
    width, height = page_size(made)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    pages = page_texts(made)
    ledger = [page for page in pages if "最近填报" in page]  # the 汇总 sheet follows on its own page
    assert 1 <= len(ledger) <= most_pages
    for page in ledger:  # every column on each page across, the header row repeated
        assert "序号" in page and "重点任务" in page and last_header in page
    assert sum(len(re.findall(r"按进度推进|未启动|滞后|已完成|逾期", page)) for page in ledger) >= 28
