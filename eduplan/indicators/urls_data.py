from django.urls import path, re_path

from . import views_data

urlpatterns = [
    path("", views_data.data_home, name="data-home"),
    path("completeness/", views_data.data_completeness, name="data-completeness"),
    # Not "sheets/…": the spreadsheet pages live under /data/sheets/.
    re_path(r"^(?!sheets/)(?P<data_set_code>[\w-]+)/(?P<unit_id>[0-9]+)/(?P<period>[^/]+)/$", views_data.data_form,
            name="data-form"),
]
