from django.urls import path

from jumin.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.index, name="index"),
    path("statistics.xlsx", views.download_xlsx, name="xlsx"),
    path("statistics.pdf", views.download_pdf, name="pdf"),
]
