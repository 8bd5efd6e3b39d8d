"""Login and logout screens (django.contrib.auth's views with jumin's templates), and the administrator's
screen of locked user names (issue #15 item 5)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jumin.accounts import actions, rules
from jumin.accounts.middleware import EXPIRED_FLAG
from jumin.core.errors import RuleViolation
from jumin.core.http import actor_for, authorize


class LoginForm(AuthenticationForm):
    """Django's form with the lock and the throttle (accounts.actions.do_log_in) in place of its own check."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = actions.do_log_in(self.request, username, password,
                                                    terminal=actor_for(self.request).terminal)
            except RuleViolation as refusal:
                raise forms.ValidationError(refusal.message, code=refusal.code) from None
        elif self.data.get("username"):   # refused by a field (a NUL, too long): logged, not counted
            actions.log_malformed_login(self.request, self.data["username"], terminal=actor_for(self.request).terminal)
        return self.cleaned_data


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    next_page = "/"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.session.pop(EXPIRED_FLAG, False):
            context["notice"] = rules.SESSION_EXPIRED_MESSAGE
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses a GET logout): a link prefetch cannot log a clerk out."""

    next_page = "/login/"

    def post(self, request, *args, **kwargs):
        actions.do_log_out(request, terminal=actor_for(request).terminal)
        return super().post(request, *args, **kwargs)


@login_required
def locked(request):
    """ロック中の利用者名: the administrator sees every locked name and lifts a lock with 解除."""
    refused = authorize(request, rules.MANAGE_USERS, "login_locked_list")
    if refused:
        return refused
    return render(request, "accounts/locked.html",
                  {"names": actions.locked_names(), "max_failures": settings.LOGIN_MAX_FAILURES})


@login_required
@require_POST
def unlock(request):
    refused = authorize(request, rules.MANAGE_USERS, rules.UNLOCK_FUNCTION)
    if refused:
        return refused
    username = request.POST.get("username", "")
    try:
        actions.do_unlock_user(username, actor=actor_for(request))
    except RuleViolation as refusal:
        messages.warning(request, refusal.message)
    else:
        messages.success(request, f"利用者名「{rules.loggable_username(username)}」のロックを解除しました。")
    return redirect("accounts-locked")
