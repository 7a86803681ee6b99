from django.urls import path

from . import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/import/", views.plan_import, name="plan-import"),
    path("plans/import/<int:pk>/", views.plan_import_review, name="plan-import-review"),
    path("plans/import/<int:pk>/correct/", views.plan_import_correct, name="plan-import-correct"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/assign/", views.plan_assign, name="plan-assign"),
    path("plans/<int:pk>/correct/", views.plan_correct, name="plan-correct"),
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/assign/", views.task_assign, name="task-assign"),
    path("my/", views.my_tasks, name="my-tasks"),
    path("assignments/<int:pk>/report/", views.report_progress, name="report-progress"),
    path("assignments/<int:pk>/reopen/", views.assignment_reopen, name="assignment-reopen"),
    path("milestones/<int:pk>/mark/", views.milestone_mark, name="milestone-mark"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
]
