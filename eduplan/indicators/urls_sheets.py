from django.urls import path

from . import views_sheets

urlpatterns = [
    path("", views_sheets.data_sheets, name="data-sheets"),
    path("template/", views_sheets.data_sheet_template, name="data-sheet-template"),
    path("upload/", views_sheets.data_sheet_upload, name="data-sheet-upload"),
]
