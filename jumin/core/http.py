"""Request → Actor: who is acting, from which terminal, and why (used by the API and the screens)."""

from django.http import HttpRequest

from jumin.audit.actions import Actor


def actor_for(request: HttpRequest, reason: str = "") -> Actor:
    terminal = request.headers.get("X-Jumin-Terminal", "") or ("api" if "Authorization" in request.headers else "web")
    return Actor(user=request.user, terminal=terminal[:50], reason=reason)
