"""A big upload shows how far it is: the xlsx template goes up through the page's script
with a progress bar, then the answer page replaces the form (here: the success message)."""

from __future__ import annotations

import io
import time

from openpyxl import load_workbook

from eduplan.indicators.models import DataSet, DataValue
from eduplan.indicators.spreadsheet import template
from tests.world import PASSWORD

from .conftest import shoot, sign_in

FIGURES = [400, 372, 300, 400, 150]  # tested, passed, good, screened, myopic


def filled_template(bureau, school) -> bytes:
    content = template(DataSet.objects.get(code="health_semester"), bureau, "2025S1")
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == school.pk)
    for column, value in enumerate(FIGURES, start=3):
        sheet.cell(row=row, column=column).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_upload_shows_its_progress_then_the_answer(people, open_page, tmp_path):
    bureau, _ = people
    school = bureau.subtree().get(name="青禾区实验小学")
    upload = tmp_path / "体质健康模板.xlsx"
    upload.write_bytes(filled_template(bureau, school))
    page = open_page()
    sign_in(page, "admin", PASSWORD)
    page.goto(f"/data/sheets/?data_set=health_semester&period=2025S1&unit={bureau.pk}")
    # Hold the request a moment so the bar can be seen before the answer replaces the page.
    page.route("**/data/sheets/upload/", lambda route: (time.sleep(1.5), route.continue_()))
    page.set_input_files("input[type=file]", str(upload))
    page.click("text=上传并导入")
    bar = page.locator("progress.upload-progress")
    bar.wait_for(state="attached")
    assert page.locator(".upload-note").inner_text().startswith(("正在上传", "上传完成"))
    assert page.locator("button:has-text('上传并导入')").is_disabled()
    shoot(page, "upload-progress")
    # The answer page: the success message of the redirect the upload was answered with.
    message = page.locator(".messages .msg-success")
    message.wait_for()
    assert message.inner_text().startswith("已导入“体质健康模板.xlsx”：1 个单位的数据已提交")
    assert DataValue.objects.filter(unit=school, period="2025S1").count() == len(FIGURES)
    assert not page.locator("progress.upload-progress").count()  # the answer page replaced the form
    assert "/data/sheets/" in page.url
