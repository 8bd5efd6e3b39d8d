"""Request → Actor: who is acting, from which terminal, and why (used by the API and the screens)."""

from django.http import HttpRequest

from jumin.audit.actions import Actor


def actor_for(request: HttpRequest, reason: str = "") -> Actor:
    """The terminal (入力端末, standard-spec §2.7) is the API's `X-Jumin-Terminal` header, or the terminal the
    clerk set for this session on the screens."""
    terminal = request.headers.get("X-Jumin-Terminal", "")
    if not terminal and hasattr(request, "session"):
        terminal = request.session.get("terminal", "")
    terminal = terminal or ("api" if "Authorization" in request.headers else "web")
    return Actor(user=request.user, terminal=terminal[:50], reason=reason)
