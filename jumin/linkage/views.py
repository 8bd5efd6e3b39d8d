"""The OAuth 2.0 endpoints of the linkage API (共通機能 §2.2.5): /oauth/token (client credentials) and
/oauth/introspect (RFC 7662). Outside /api/ on purpose: their answers are OAuth's own JSON (RFC 6749 §5.2 errors),
not jumin's error schema. Each answer is logged: a token issued, or refused with the OAuth error code."""

from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

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



# ------------------------------------------------------------------ 連携の状況 (issue #18 item 6)

@login_required
@require_GET
def status(request):
    """The administrator's screen: deliveries, acknowledgements, lag, failures, dead letters, the day's
    reconciliation per 連携先 and the message log. Views only authorize, parse and call (queries.delivery_status)."""
    from django.shortcuts import render

    from jumin.accounts import rules as perms
    from jumin.core.errors import RuleViolation
    from jumin.core.http import actor_for, authorize
    from jumin.linkage import queries
    from jumin.linkage.models import LinkageClient

    refused = authorize(request, perms.MANAGE_LINKAGE, queries.STATUS)
    if refused:
        return refused
    actor = actor_for(request)
    context = {"status": queries.delivery_status(actor=actor), "values": {}, "errors": {}}
    day = request.GET.get("date", "")[:30]
    if day:
        context["values"]["date"] = day
        try:
            context["recon"] = [queries.reconciliation(c, day=day, actor=actor) for c in
                                LinkageClient.objects.filter(revoked_at__isnull=True).order_by("client_id")]
            context["recon_day"] = context["recon"][0]["date"] if context["recon"] else day
        except RuleViolation as refusal:
            context["errors"]["date"] = refusal.message
    return render(request, "linkage/status.html", context, status=422 if context["errors"] else 200)


@login_required
@require_POST
def resend(request, client_id: str):
    """再送: the file linkage of one 連携先 now, whatever its failures (the range since its last good file)."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from jumin.core.errors import RuleViolation
    from jumin.core.http import actor_for, refused_page
    from jumin.linkage.actions import do_export_files

    try:
        run = do_export_files(client_id[:40], actor=actor_for(request))
    except RuleViolation as refusal:
        return refused_page(request, refusal, 404 if refusal.code == "not_found" else 403)
    if run.ok:
        messages.info(request, f"{run.client.client_id} に送りました（{run.rows} 行、通番 {run.from_seq + 1}〜{run.to_seq}）。"
                      if run.file_name else f"{run.client.client_id} に送る新しい異動はありません。")
    else:
        messages.warning(request, f"{run.client.client_id} に送れませんでした: {run.message}")
    return redirect("/linkage/")


@login_required
@require_POST
def close_koseki(request, notice_number: str):
    """処理済み: a 要確認 戸籍届出通知 the clerk has handled, with what was done (from the 仮登録一覧)."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from jumin.core.errors import RuleViolation
    from jumin.core.http import actor_for, refused_page
    from jumin.linkage.actions import do_close_koseki_notice

    try:
        notice = do_close_koseki_notice(notice_number, actor=actor_for(request), note=request.POST.get("note", "")[:600])
    except RuleViolation as refusal:
        if refusal.field == "note":
            messages.warning(request, refusal.message)
            return redirect("/counter/drafts/")
        return refused_page(request, refusal, 404 if refusal.code == "not_found" else 403)
    messages.info(request, f"戸籍届出通知 {notice.notice_number} を処理済みにしました。")
    return redirect("/counter/drafts/")
