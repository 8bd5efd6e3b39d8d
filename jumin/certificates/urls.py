from django.urls import path

import jumin.core.http  # noqa: F401  (registers the <text:…> converter)

from jumin.certificates import views

app_name = "certificates"
urlpatterns = [
    path("new/", views.issue, name="issue"),
    path("issuances/", views.issuance_list, name="issuance_list"),
    path("issuances/<int:issuance_id>/", views.issuance_detail, name="issuance_detail"),
    path("issuances/<int:issuance_id>/pdf", views.issuance_pdf, name="issuance_pdf"),
    path("issuances/<int:issuance_id>/void", views.issuance_void, name="issuance_void"),
    path("daily/", views.daily, name="daily"),
    path("daily.csv", views.daily_csv, name="daily_csv"),
    path("daily.pdf", views.daily_pdf, name="daily_pdf"),
    path("verify/", views.verify, name="verify"),
    path("verify/<text:code>", views.verify_code, name="verify_code"),
]
