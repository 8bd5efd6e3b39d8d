"""Login and logout screens (django.contrib.auth's views with jumin's templates)."""

from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    next_page = "/"


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses a GET logout): a link prefetch cannot log a clerk out."""

    next_page = "/login/"
