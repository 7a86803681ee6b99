"""The pages: the 工作台账 download and the 督查通报 form, for each persona's scope."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from eduplan.reports import pdf
from eduplan.reports.bulletin import views as bulletin_views


def ledger_titles(response) -> set[str]:
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {row[1] for row in wb["工作台账"].iter_rows(min_row=3, values_only=True)}


@pytest.mark.parametrize(("persona", "count"), [("admin", 28), ("leader", 28), ("jijiao", 1), ("school_b", 1)])
def test_the_ledger_download_holds_the_users_tasks(reported, as_user, persona, count):
    response = as_user(persona).get(reverse("ledger-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    titles = ledger_titles(response)
    assert len(titles) == count
    if persona == "school_b":
        assert titles == {"9. 加强美育和劳动教育"}  # not task_a, which is school_a's


def test_the_ledger_of_one_plan_and_of_a_plan_not_visible(reported, as_user):
    client = as_user("admin")
    response = client.get(reverse("ledger-export") + f"?plan={reported.plan.pk}")
    assert response.status_code == 200 and len(ledger_titles(response)) == 28
    assert client.get(reverse("ledger-export") + "?plan=99999").status_code == 404


def test_a_user_without_a_role_may_not_download(world, client):
    user = get_user_model().objects.create_user("nobody", password="x-Very-long-1")
    client.force_login(user)
    assert client.get(reverse("ledger-export")).status_code == 403
    assert client.get(reverse("bulletin")).status_code == 403


def test_anonymous_visitors_sign_in_first(world, client):
    for name in ("ledger-export", "bulletin"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_dashboard_links_to_the_ledger_and_the_bulletin(world, as_user):
    page = as_user("leader").get(reverse("dashboard") + f"?plan={world.plan.pk}").content.decode()
    assert f'href="{reverse("ledger-export")}?plan={world.plan.pk}"' in page and "下载工作台账（.xlsx）" in page
    assert f'href="{reverse("bulletin")}?plan={world.plan.pk}"' in page
    assert f'<a href="{reverse("bulletin")}" >通报</a>' in page or ">通报</a>" in page


def test_the_bulletin_form_has_defaults(world, as_user):
    page = as_user("admin").get(reverse("bulletin")).content.decode()
    assert 'value="2025-06"' in page  # the clock's month
    assert "下载 Word（.docx）" in page and "下载 PDF" in page
    assert f'<option value="{world.plan.pk}" selected>' in page
    assert "机关各科室、局属各单位、各学校" in page


def test_the_bulletin_preview_shows_the_text(reported, as_user):
    response = as_user("leader").get(reverse("bulletin"), {"plan": reported.plan.pk, "period": "2025-06",
                                                           "format": "preview"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "关于澜江市青禾区2025年教育工作要点落实情况的督查通报" in page
    assert "共确定重点任务28项" in page and "澜江市青禾区教育局办公室" in page
    assert "9. 加强美育和劳动教育" in page


def test_the_bulletin_downloads_as_word(reported, as_user):
    response = as_user("admin").get(reverse("bulletin"), {
        "plan": reported.plan.pk, "period": "2025-05", "title": "五月督查通报", "issuer": "局督导室",
        "number": "第5期", "format": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    assert "五月督查通报" in texts and "第5期" in texts and "局督导室" in texts
    assert any(t.startswith("截至2025年5月31日") for t in texts)


def test_a_school_gets_a_bulletin_of_its_own_tasks(reported, as_user):
    response = as_user("school_b").get(reverse("bulletin"), {"plan": reported.plan.pk, "period": "2025-06",
                                                             "format": "preview"})
    page = response.content.decode()
    assert "共确定重点任务1项" in page
    assert "加强学校体育工作" not in page


@pytest.mark.skipif(pdf.libreoffice_path() is None, reason="LibreOffice not installed")
def test_the_bulletin_downloads_as_pdf(reported, as_user):
    response = as_user("admin").get(reverse("bulletin"), {"plan": reported.plan.pk, "period": "2025-06",
                                                          "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-"


def test_without_libreoffice_the_pdf_button_is_disabled_and_says_why(reported, as_user, monkeypatch):
    monkeypatch.setattr(bulletin_views, "libreoffice_path", lambda: None)
    monkeypatch.setattr(pdf, "libreoffice_path", lambda: None)
    client = as_user("admin")
    page = client.get(reverse("bulletin")).content.decode()
    assert 'value="pdf" disabled' in page and "服务器未安装 LibreOffice，无法生成 PDF" in page
    response = client.get(reverse("bulletin"), {"plan": reported.plan.pk, "period": "2025-06", "format": "pdf"})
    assert response.status_code == 503
    assert "[E630]" in response.content.decode()


@pytest.mark.parametrize(("period", "code"), [("2025/06", "E409"), ("2025-08", "E634")])
def test_a_bad_period_is_explained(reported, as_user, period, code):
    response = as_user("admin").get(reverse("bulletin"), {"plan": reported.plan.pk, "period": period,
                                                          "format": "docx"})
    assert response.status_code == 400
    assert f"[{code}]" in response.content.decode()


def test_a_plan_outside_the_scope_is_not_offered(reported, as_user):
    response = as_user("admin").get(reverse("bulletin"), {"plan": 99999, "period": "2025-06", "format": "docx"})
    assert response.status_code == 400
    assert "99999" in response.content.decode()  # "选择一个有效的选项。99999 不在可用的选项中。"
