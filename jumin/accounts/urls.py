from django.urls import path

from jumin.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/locked/", views.locked, name="accounts-locked"),
    path("accounts/locked/unlock", views.unlock, name="accounts-unlock"),
]
