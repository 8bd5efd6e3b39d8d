from django.urls import path

import jumin.core.http  # noqa: F401  (registers the <text:…> converter)

from jumin.euc import views

app_name = "euc"
urlpatterns = [
    path("", views.wizard, name="wizard"),
    path("check/date", views.check_date, name="check_date"),
    path("runs/", views.run_log, name="runs"),
    path("runs/<int:run_id>/", views.run_status, name="run"),
    path("runs/<int:run_id>/download", views.download, name="download"),
    path("runs/<int:run_id>/approve", views.approve, name="approve"),
    path("approvals/", views.approvals, name="approvals"),
    path("saved/", views.saved_list, name="saved"),
    path("saved/<int:query_id>/", views.saved_open, name="saved_open"),
]
