"""Request → Actor: who is acting, from which terminal, and why (used by the API and the screens)."""

from django.http import HttpRequest
from django.shortcuts import render

from jumin.audit.actions import Actor, require_permission
from jumin.core.errors import RuleViolation


def actor_for(request: HttpRequest, reason: str = "") -> Actor:
    """The terminal (入力端末, standard-spec §2.7) is the API's `X-Jumin-Terminal` header, or the terminal the
    clerk set for this session on the screens."""
    terminal = request.headers.get("X-Jumin-Terminal", "")
    if not terminal and hasattr(request, "session"):
        terminal = request.session.get("terminal", "")
    terminal = terminal or ("api" if "Authorization" in request.headers else "web")
    return Actor(user=request.user, terminal=terminal[:50], reason=reason)


def refused_page(request: HttpRequest, refusal: RuleViolation | str, status: int = 403):
    """The neutral refusal page of the screens: the message only, nothing of the person."""
    message = refusal.message if isinstance(refusal, RuleViolation) else refusal
    return render(request, "counter/refused.html", {"message": message}, status=status)


def refused_or_missing_page(request: HttpRequest, refusal: RuleViolation):
    """The refusal page of a read: 404 when the record is not there, 403 for any other refusal."""
    return refused_page(request, refusal, 404 if refusal.code == "not_found" else 403)


def authorize(request: HttpRequest, permission: str, function: str):
    """None when the user has the right; otherwise the neutral 403 page (the refusal is logged)."""
    try:
        require_permission(actor_for(request), permission, function)
    except RuleViolation as refusal:
        return refused_page(request, refusal)
    return None


def typed_number(raw: str | None) -> str:
    """A 宛名番号 / 世帯番号 as typed: full-width digits, spaces and hyphens are accepted."""
    return (raw or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789")) \
        .replace(" ", "").replace("-", "").replace("\u3000", "")[:20]

