from django.urls import path

from jumin.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.status, name="status"),
    path("resend/<str:client_id>/", views.resend, name="resend"),
    path("koseki/<str:notice_number>/close/", views.close_koseki, name="close_koseki"),
]
