"""The OAuth 2.0 endpoints of the linkage API (共通機能 §2.2.5): /oauth/token (client credentials) and
/oauth/introspect (RFC 7662). Outside /api/ on purpose: their answers are OAuth's own JSON (RFC 6749 §5.2 errors),
not jumin's error schema. Each answer is logged: a token issued, or refused with the OAuth error code."""

from types import SimpleNamespace

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from jumin.audit.actions import Actor, log_operation, log_refusal
from jumin.linkage.oauth import server

TOKEN, INTROSPECT = "linkage.token", "linkage.introspect"


def client_actor(client_id: str) -> Actor:
    """The operation log's actor for a 連携先: not a member of staff, named by its client ID."""
    return Actor(user=SimpleNamespace(username=f"linkage:{client_id[:40]}", role="linkage", pk=None),
                 terminal="linkage")


def _asked_client(request) -> str:
    """Who the request says it is, for the log only (before or without authentication): the form's client_id,
    the Basic header's user, or the assertion's `sub` read unverified."""
    import base64
    import json

    asked = str(request.POST.get("client_id") or "")
    header = request.headers.get("Authorization", "")
    if not asked and header[:6].lower() == "basic ":
        try:
            asked = base64.b64decode(header[6:]).decode().split(":", 1)[0]
        except (ValueError, UnicodeDecodeError):
            asked = ""
    assertion = str(request.POST.get("client_assertion") or "")
    if not asked and assertion.count(".") == 2:
        try:
            part = assertion.split(".")[1]
            asked = str(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))).get("sub") or "")
        except (ValueError, UnicodeDecodeError, AttributeError):
            asked = ""
    return asked[:40] or "unknown"


def _logged(request, response, function: str):
    import json

    try:
        body = json.loads(response.content or b"{}")
    except ValueError:
        body = {}
    client = _asked_client(request)
    if response.status_code >= 400:
        log_refusal(client_actor(client), function, message=str(body.get("error_description") or body.get("error")),
                    detail={"error": str(body.get("error"))[:40]})
    else:
        log_operation(client_actor(client), function, detail={"scope": str(body.get("scope", ""))[:500]})
    return response


def _answer(request, function: str, make):
    """The OAuth answer, or — over plain http to anything but the loopback address — 400 invalid_request: OAuth 2.0
    requires TLS (RFC 6749 §1.6; behind a TLS proxy, set SECURE_PROXY_SSL_HEADER)."""
    from authlib.oauth2.rfc6749.errors import InsecureTransportError

    try:
        response = make()
    except InsecureTransportError:
        response = JsonResponse({"error": "invalid_request",
                                 "error_description": "TLS（https）で接続してください。OAuth 2.0 は暗号化された通信が必要です。"},
                                status=400)
    return _logged(request, response, function)


@csrf_exempt
@require_POST
def token(request):
    """Client credentials → a Bearer token (no refresh token)."""
    return _answer(request, TOKEN, lambda: server.create_token_response(request))


@csrf_exempt
@require_POST
def introspect(request):
    return _answer(request, INTROSPECT, lambda: server.create_endpoint_response("introspection", request))

