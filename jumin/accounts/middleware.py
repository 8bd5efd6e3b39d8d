"""The session's absolute lifetime and the address throttle for API tokens (issue #15 item 5)."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse

from jumin.accounts import actions, rules
from jumin.core.errors import RuleViolation
from jumin.core.http import actor_for

LOGIN_AT = "login_at"
EXPIRED_FLAG = "session_expired"


def remember_login_time(sender, request, user, **kwargs):
    """user_logged_in: the time the absolute lifetime counts from (seconds since the epoch)."""
    if hasattr(request, "session"):
        request.session[LOGIN_AT] = time.time()


class SessionLifetimeMiddleware:
    """Logs a session out JUMIN_SESSION_MAX_SECONDS after its login, however active it was (SESSION_COOKIE_AGE
    is the idle timeout beside it). The request then goes on as anonymous: a screen sends it to the login page,
    which says why; the API answers 401."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and \
                rules.session_expired(request.session.get(LOGIN_AT), time.time(), settings.SESSION_MAX_SECONDS):
            actions.do_log_out(request, terminal=actor_for(request).terminal, reason=rules.SESSION_EXPIRED_MESSAGE)
            logout(request)
            request.session[EXPIRED_FLAG] = True
        return self.get_response(request)


class ApiTokenThrottleMiddleware:
    """A bearer token the API refuses (401) counts as one failure of its address, and once the address is over
    the login throttle the refusal is 429 instead. A good token is not held back: it is 256 random bits, so there
    is nothing to guess, and checking the throttle first would cost a query on every API call."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 401 or not request.headers.get("Authorization", "").lower().startswith("bearer "):
            return response
        terminal = request.headers.get("X-Jumin-Terminal", "")[:50] or "api"
        actions.do_record_token_failure(request, terminal=terminal)
        try:
            actions.check_address(actions.request_address(request), actions.anonymous_actor(terminal),
                                  rules.TOKEN_FUNCTION)
        except RuleViolation as refusal:
            return JsonResponse({"error": {"code": refusal.code, "message": refusal.message, "field": None}},
                                status=429, json_dumps_params={"ensure_ascii": False})
        return response
