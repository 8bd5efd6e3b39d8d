"""Logging in and out, the lock and the address throttle, unlocking (issue #15 item 5, docs/security.md).

Every attempt leaves an operation-log row (function `login`, outcome ok or refused; `logout`; `login_lockout`
when a name gets locked; `login_unlock`; `api_token` for a refused bearer token). A password is never logged.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Count, Max
from django.utils import timezone

from jumin.accounts import rules
from jumin.accounts.models import LoginFailure, User
from jumin.audit.actions import Actor, log_operation, log_refusal, refuse, require_permission
from jumin.core.errors import RuleViolation


class LoginRefused(RuleViolation):
    default_code = "login_failed"


def request_address(request) -> str:
    return rules.client_address(request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""),
                                settings.PROXY_HOPS)


def consecutive_failures(username: str) -> int:
    return LoginFailure.objects.filter(username=username, cleared_at__isnull=True).count()


def address_failures(address: str) -> int:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_ADDRESS_WINDOW_SECONDS)
    return LoginFailure.objects.filter(address=address, at__gte=since).count()


def anonymous_actor(terminal: str, username: str = "-") -> Actor:
    """An actor with a name but no user (an unsaved User): the operation-log row keeps the name as typed."""
    return Actor(user=User(username=username or "-", role=""), terminal=terminal)


def _attempt_actor(username: str, terminal: str) -> Actor:
    """The operation log's actor for a login attempt: the user if the name exists, else the name as typed."""
    user = User.objects.filter(username=username).first() if username else None
    return Actor(user=user, terminal=terminal) if user else anonymous_actor(terminal, username)


def check_address(address: str, actor: Actor, function: str) -> None:
    """The address throttle: refused (and logged) while the address has too many failures in the window."""
    if rules.is_address_throttled(address_failures(address), settings.LOGIN_ADDRESS_MAX_FAILURES):
        refuse(actor, function, LoginRefused(rules.address_throttled_message(settings.LOGIN_ADDRESS_WINDOW_SECONDS),
                                             code="too_many_attempts"), detail={"address": address})


def do_log_in(request, username: str, password: str, *, terminal: str = "web") -> User:
    """The user, or LoginRefused (logged). Order: the address throttle, then the name's lock — both before the
    password is checked, so neither a throttled address nor a locked name learns whether a password is right."""
    username = rules.loggable_username(username)
    address = request_address(request)
    actor = _attempt_actor(username, terminal)
    detail = {"address": address}
    check_address(address, actor, rules.LOGIN_FUNCTION)
    limit = settings.LOGIN_MAX_FAILURES
    if rules.is_locked(consecutive_failures(username), limit):
        refuse(actor, rules.LOGIN_FUNCTION, LoginRefused(rules.locked_message(limit), code="locked"), detail=detail)
    user = authenticate(request, username=username, password=password)
    if user is None:
        LoginFailure.objects.create(username=username, address=address)
        if rules.is_locked(consecutive_failures(username), limit):
            log_operation(actor, rules.LOCKOUT_FUNCTION, reason=rules.locked_message(limit), detail=detail)
            refuse(actor, rules.LOGIN_FUNCTION, LoginRefused(rules.locked_message(limit), code="locked"),
                   detail=detail)
        refuse(actor, rules.LOGIN_FUNCTION, LoginRefused(rules.login_failed_message(limit)), detail=detail)
    LoginFailure.objects.filter(username=username, cleared_at__isnull=True).update(cleared_at=timezone.now())
    log_operation(Actor(user=user, terminal=terminal), rules.LOGIN_FUNCTION, detail=detail)
    return user


def log_malformed_login(request, username: str, *, terminal: str = "web") -> None:
    """A login the form refused before any check (a NUL or an over-long name): logged as refused, not counted."""
    log_refusal(anonymous_actor(terminal, rules.loggable_username(username)), rules.LOGIN_FUNCTION,
                message="利用者名に使えない文字が含まれているか、長すぎます。", detail={"address": request_address(request)})


def do_log_out(request, *, terminal: str = "web", reason: str = "") -> None:
    """The operation-log row of a logout (the view or the session lifetime ends the session itself)."""
    if request.user.is_authenticated:
        log_operation(Actor(user=request.user, terminal=terminal), rules.LOGOUT_FUNCTION, reason=reason,
                      detail={"address": request_address(request)})


def do_record_token_failure(request, *, terminal: str = "api") -> None:
    """A bearer token that was refused counts towards its address's throttle like a failed login."""
    address = request_address(request)
    LoginFailure.objects.create(username="", address=address)
    log_refusal(anonymous_actor(terminal), rules.TOKEN_FUNCTION,
                message="APIトークンが無効です。", detail={"address": address})


def locked_names() -> list[dict]:
    """Every locked user name with its lock time and, when such a user exists, the user (for the admin screen)."""
    rows = (LoginFailure.objects.filter(cleared_at__isnull=True).exclude(username="")
            .values("username").annotate(failures=Count("id"), locked_at=Max("at"))
            .filter(failures__gte=settings.LOGIN_MAX_FAILURES).order_by("-locked_at"))
    users = User.objects.in_bulk([r["username"] for r in rows], field_name="username")
    return [{**row, "user": users.get(row["username"])} for row in rows]


def do_unlock_user(username: str, *, actor: Actor) -> None:
    """Lifts a name's lock (its failures stop counting). Needs 利用者の管理; the command line (`jumin user unlock`)
    acts with actor.user None: whoever runs it on the server already holds the database."""
    if actor.user is not None:
        require_permission(actor, rules.MANAGE_USERS, rules.UNLOCK_FUNCTION)
    name = rules.loggable_username(username)
    if not rules.is_locked(consecutive_failures(name), settings.LOGIN_MAX_FAILURES):
        refuse(actor, rules.UNLOCK_FUNCTION, RuleViolation(f"利用者名「{name}」はロックされていません。",
                                                           field="username", code="not_locked"),
               detail={"username": name})
    LoginFailure.objects.filter(username=name, cleared_at__isnull=True).update(cleared_at=timezone.now())
    log_operation(actor, rules.UNLOCK_FUNCTION, detail={"username": name})
