from django.urls import path

from . import views

urlpatterns = [
    path("", views.round_list, name="supervision-home"),
    path("rounds/new/", views.round_create, name="supervision-round-new"),
    path("rounds/<int:pk>/", views.round_detail, name="supervision-round"),
    path("rounds/<int:pk>/ledger.xlsx", views.round_ledger, name="supervision-round-ledger"),
    path("rounds/<int:pk>/notice.docx", views.round_notice, name="supervision-round-notice"),
    path("findings/", views.finding_list, name="supervision-findings"),
    path("findings/ledger.xlsx", views.finding_ledger, name="supervision-findings-ledger"),
    path("findings/<int:pk>/", views.finding_detail, name="supervision-finding"),
    path("findings/<int:pk>/rectify/", views.rectify, name="supervision-rectify"),
    path("findings/<int:pk>/review/", views.review, name="supervision-review"),
    path("files/<str:kind>/<int:pk>/", views.file_download, name="supervision-file"),
    path("inbox/", views.inbox_page, name="supervision-inbox"),
    path("inbox/read/", views.inbox_read, name="supervision-inbox-read"),
    path("appraisal/", views.appraisal_list, name="supervision-appraisal"),
    path("appraisal/export.xlsx", views.appraisal_export, name="supervision-appraisal-export"),
    path("appraisal/<int:unit_id>/", views.appraisal_sheet, name="supervision-appraisal-sheet"),
    path("appraisal/<int:unit_id>/adjust/", views.appraisal_adjust, name="supervision-appraisal-adjust"),
]
