"""The JSON API (django-ninja; OpenAPI 3 at /api/openapi.json).

Authentication: the screens' session (with CSRF) or an API token (`Authorization: Bearer jmn_…`,
created with `jumin token create --user NAME`). The terminal is taken from the `X-Jumin-Terminal`
header (入力端末, standard-spec §2.7 / §6.1). Every refusal is JSON, on every /api/ path — the framework's own
refusals (unreadable JSON, unknown path, method, unexpected error) included:
`{"error": {"code": …, "message": "<Japanese>", "field": "<offending field or null>"}}`;
400 for a body that cannot be read, 401 without valid credentials, 403 for missing rights (or a session
request without its CSRF token), 404 for unknown numbers and paths, 405 for a method the path does not take,
409 for conflicts (someone else changed the data), 413 for an oversized request, 422 for rule violations,
bad input and alerts that need confirmation, 500 (no details; the traceback goes to the application log).

Bad input is refused at the edge (issue #15): path and query values and the terminal header here, before any
handler runs; request bodies by the schemas (`jumin.register.schemas.In`). Every such refusal is logged in the
operation log.
"""

import logging
import re

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf
from pydantic import BaseModel, ConfigDict

from jumin.accounts.models import ApiToken
from jumin.audit.actions import Actor, log_refusal
from jumin.core.errors import ConflictError, NotFound, PermissionDenied, RuleViolation
from jumin.core.http import terminal_refusal

logger = logging.getLogger("jumin.api")

# Path and query values: no control character at all, and bounded (the longest query value is a search
# address; a path value is a number or a code).
PATH_VALUE_MAX = 100
QUERY_VALUE_MAX = 500
QUERY_PARAMS_MAX = 50
BIGINT_MAX = 2**63 - 1
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class CsrfSessionAuth(SessionAuth):
    """Session login from the screens; CSRF is checked for unsafe methods — but only once there is a session:
    a request with no credentials at all (or a revoked token) is unauthenticated (401), not a CSRF failure."""

    csrf = True

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        if request.method in _UNSAFE and not getattr(request, "_ninja_csrf_exempt", False) \
                and check_csrf(request) is not None:
            raise PermissionDenied("画面の確認用トークン（CSRF）が一致しません。画面を読み込み直してから、もう一度送信してください。",
                                   code="csrf_failed")
        return request.user


# ------------------------------------------------------------------ the error schema (OpenAPI)

class AlertOut(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None
    alerts: list[AlertOut] | None = None


class ErrorOut(Schema):
    """Every refusal: a stable code, a Japanese message for the clerk, the offending field (or null)."""

    error: ErrorDetail


def error_body(code: str, message: str, field: str | None = None, **extra) -> dict:
    return {"error": {"code": code, "message": message, "field": field, **extra}}


def _json_error(request, status: int, code: str, message: str, field: str | None = None, **headers):
    response = api.create_response(request, error_body(code, message, field), status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _function(request) -> str:
    """The operation-log function of a refusal at the API's edge: the operation's name (`search`, `get_record`);
    a path with several methods has one name per method."""
    match = getattr(request, "resolver_match", None)
    names = getattr(getattr(match, "func", None), "operation_names", {})
    return names.get(request.method) or (match.url_name if match and match.url_name else "api")


def _actor(request) -> Actor:
    """The actor of a refusal at the edge. The terminal header is used only when it is a valid name."""
    terminal = request.headers.get("X-Jumin-Terminal", "")
    if not terminal or terminal_refusal(terminal):
        terminal = "api" if "Authorization" in request.headers else "web"
    return Actor(user=getattr(request, "user", None), terminal=terminal)


def _log(request, message: str, detail: dict | None = None) -> None:
    log_refusal(_actor(request), _function(request), message=message, detail=detail)


# ------------------------------------------------------------------ the edge: path, query, terminal

def _authenticated(request):
    """The user behind the request's credentials, or None (the operation itself then answers 401)."""
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        user = ApiToken.authenticate(auth[7:])
        if user is not None:
            request.user = user
            return user
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _value_refusal(value: str, label: str, field: str, limit: int) -> RuleViolation | None:
    """A path or query value with a control character or over its length limit."""
    if _CONTROL.search(value):
        return RuleViolation(f"{label}に制御文字（NUL など）は使えません。", field=field, code="control_character")
    if len(value) > limit:
        return RuleViolation(f"{label}は{limit}文字以内で指定してください。", field=field, code="too_long")
    return None


def input_refusal(request, kwargs: dict) -> tuple[int, RuleViolation] | None:
    """What is wrong with the request's path values, query or terminal header before any handler sees them."""
    for name, value in kwargs.items():
        label = _LABELS.get(name, name)
        if isinstance(value, int) and not 0 <= value <= BIGINT_MAX:
            return 404, NotFound("指定された番号のデータは見つかりません。", field=name)
        refusal = _value_refusal(value, label, name, PATH_VALUE_MAX) if isinstance(value, str) else None
        if refusal:
            return 422, refusal
    items = list(request.GET.lists())
    if len(items) > QUERY_PARAMS_MAX:
        return 422, RuleViolation(f"検索条件などの指定が多すぎます（{QUERY_PARAMS_MAX}項目まで）。", code="too_many")
    for key, values in items:
        if _CONTROL.search(key) or len(key) > PATH_VALUE_MAX:
            return 422, RuleViolation("指定された項目名が正しくありません。", code="invalid")
        label = _LABELS.get(key, key)
        for value in values:
            refusal = _value_refusal(value, label, key, QUERY_VALUE_MAX)
            if refusal:
                return 422, refusal
    terminal = request.headers.get("X-Jumin-Terminal")
    if terminal:
        refusal = terminal_refusal(terminal)
        if refusal:
            return 422, refusal
    return None


def _edge(view):
    """Wrap one URL of the API: refuse bad path/query/terminal input (logged) once the caller is known, and say a
    wrong method in Japanese JSON."""

    def wrapper(request, *args, **kwargs):
        found = input_refusal(request, kwargs)
        if found is not None and _authenticated(request) is not None:
            status, refusal = found
            _log(request, refusal.message, detail={"refused_input": refusal.field or "query"})
            return _json_error(request, status, refusal.code, refusal.message, refusal.field)
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            return _json_error(request, 405, "method_not_allowed",
                               f"このURLは {request.method} では使えません（使えるのは {allowed}）。", Allow=allowed)
        return response

    wrapper.csrf_exempt = True
    wrapper.operation_names = _operation_names(view)
    return wrapper


def _operation_names(view) -> dict:
    """Method → operation name of one ninja URL (its view closes over the PathView holding the operations)."""
    names = {}
    for cell in getattr(view, "__closure__", None) or ():
        for operation in getattr(cell.cell_contents, "operations", None) or ():
            for method in operation.methods:
                names.setdefault(method, operation.view_func.__name__)
    return names


@csrf_exempt  # a PUT to an unknown path is a 404 in JSON, not Django's HTML CSRF page
def unknown_path(request, rest=""):
    return _json_error(request, 404, "not_found", "指定されたURLの API はありません。/api/docs で一覧を確認してください。")


# ------------------------------------------------------------------ every operation lists its refusals

# 429: a refused bearer token counts against its address (accounts.middleware.ApiTokenThrottleMiddleware), so any
# operation can answer it once an address has sent too many — a staff token to the linkage feed, say.
_ALWAYS = (401, 403, 404, 422, 429)
_WITH_BODY = (400, 409, 413)


class JuminAPI(NinjaAPI):
    def _get_bound_routers(self):
        """Each operation documents the refusals it can answer (ErrorOut), added here once for all operations so
        a new endpoint is covered by itself; a handler's own `response=` entries stay as they are."""
        routers = super()._get_bound_routers()
        for bound in routers:
            for view in bound.path_operations.values():
                for operation in view.operations:
                    statuses = _ALWAYS + (_WITH_BODY if set(operation.methods) & _UNSAFE else ())
                    for status in statuses:
                        operation.response_models.setdefault(status, operation._create_response_model(ErrorOut))
        return routers

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _edge(pattern.callback)
        urls.append(re_path(r"^(?P<rest>[\s\S]*)\Z", unknown_path, name="unknown"))  # a newline too
        return urls


api = JuminAPI(
    title="jumin API",
    version="1",
    description="住民記録システム jumin の API。拒否はすべて日本語のメッセージと項目名を含む JSON で返します。",
    auth=[TokenAuth(), CsrfSessionAuth()],
    urls_namespace="api",
)


# ------------------------------------------------------------------ refusals → Japanese JSON

@api.exception_handler(RuleViolation)
def on_rule_violation(request, exc: RuleViolation):
    status = getattr(type(exc), "http_status", 422)   # a refusal with a status of its own (410 Gone)
    if isinstance(exc, ConflictError):
        status = 409
    elif isinstance(exc, PermissionDenied):
        status = 403
        if exc.code == "csrf_failed":
            _log(request, exc.message)
    elif isinstance(exc, NotFound):
        status = 404
    extra = {}
    alerts = getattr(exc, "alerts", None)
    if alerts:
        extra["alerts"] = [{"code": a.code, "message": a.message, "field": a.field} for a in alerts]
    return api.create_response(request, error_body(exc.code, exc.message, exc.field, **extra), status=status)


# Japanese labels of the items the edge bounds; any other field is named by its path.
_LABELS = {
    "addressee_number": "宛名番号", "household_number": "世帯番号", "reason": "理由",
    "idempotency_key": "二重送信防止キー", "purpose": "請求事由", "name": "氏名", "applicant_email": "連絡先（メール）",
    "on": "基準日", "day": "日付", "terminal": "端末名", "note": "備考", "requester.name": "請求者の氏名",
    "individual_number": "個人番号", "resident_code": "住民票コード", "change_id": "異動ID", "issuance_id": "交付ID",
    "code": "照合番号", "registration_number": "印鑑登録番号", "card_number": "印鑑登録証番号",
    "inquiry_number": "照会番号", "order_id": "支援措置ID", "restriction_id": "抑止ID", "page": "ページ",
    "page_size": "1ページの件数", "limit": "件数", "effective_on": "異動日", "notified_on": "届出日",
}

_PYDANTIC_MESSAGES = {
    "missing": "{label}を入力してください。",
    "extra_forbidden": "項目「{label}」は入力できません。",
    "bool_type": "{label}は true か false で指定してください。",
    "bool_parsing": "{label}は true か false で指定してください。",
    "string_type": "{label}は文字列で入力してください。",
    "string_too_long": "{label}は{max_length}文字以内で入力してください。",
    "too_long": "{label}の件数が多すぎます（{max_length}件まで）。",
    "control_character": "{label}に制御文字（NUL など）は使えません。",
    "int_type": "{label}は整数で入力してください。",
    "int_parsing": "{label}は整数で入力してください。",
    "int_from_float": "{label}は整数で入力してください。",
    "int_too_big": "{label}の数値が大きすぎます。",
    "too_deep": "{label}の入れ子は{max_depth}段までです。",
    "greater_than_equal": "{label}は{ge}以上で指定してください。",
    "less_than_equal": "{label}は{le}以下で指定してください。",
    "list_type": "{label}は一覧（配列）で指定してください。",
    "dict_type": "{label}はオブジェクトで指定してください。",
    "model_type": "{label}はオブジェクトで指定してください。",
    "model_attributes_type": "{label}はオブジェクトで指定してください。",
    "date_type": "{label}は日付（例: 2024-04-01）で指定してください。",
    "date_parsing": "{label}は日付（例: 2024-04-01）で指定してください。",
    "date_from_datetime_parsing": "{label}は日付（例: 2024-04-01）で指定してください。",
    "date_from_datetime_inexact": "{label}は日付（例: 2024-04-01）で指定してください。",
    "date_too_early": "{label}には明治6年1月1日（1873年1月1日）以降の日付を指定してください。それより前は太陰暦のため扱えません。",
    "json_invalid": "送信された JSON の形式が正しくありません。",
}


def _field_path(loc) -> str:
    parts = [p for p in loc if p not in ("body", "payload", "query", "path", "q", "form", "file")]
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def validation_message(error: dict) -> tuple[str, str | None]:
    """(Japanese message, field path) for one pydantic error (also used by the multipart endpoints)."""
    ctx = error.get("ctx") or {}
    field = _field_path(error.get("loc", ()))
    if ctx.get("path"):  # found by In's walk over the raw value: the path inside the model
        inner = str(ctx["path"])
        field = f"{field}{inner if inner.startswith('[') else '.' + inner}" if field else inner
    template = _PYDANTIC_MESSAGES.get(error.get("type"), "{label}の形式が正しくありません。")
    label = _LABELS.get(field) or _LABELS.get(field.rsplit(".", 1)[-1]) if field else None
    values = {key: value for key, value in ctx.items() if isinstance(value, (int, str))}
    try:
        message = template.format(**{**values, "label": label or field or "入力"})
    except (KeyError, IndexError):
        message = f"{label or field or '入力'}の形式が正しくありません。"
    return message, field or None


# The refusal codes of the edge's own checks; every other schema refusal is "invalid".
_CODES = {"string_too_long": "too_long", "too_long": "too_long", "control_character": "control_character",
          "int_too_big": "too_large", "date_too_early": "out_of_range"}


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    message, field = validation_message(first)
    _log(request, message, detail={"refused_input": field or ""})
    return api.create_response(request, error_body(_CODES.get(first.get("type"), "invalid"), message, field),
                               status=422)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    message = "ログインするか、有効なAPIトークンを指定してください。"
    _log(request, message, detail={"credentials": "token" if "Authorization" in request.headers else "none"})
    return api.create_response(request, error_body("unauthenticated", message), status=401)


_HTTP_MESSAGES = {
    400: ("bad_request", "送信された内容を読み取れません。Content-Type: application/json で、正しい JSON を送ってください。"),
    403: ("forbidden", "この操作の権限がありません。"),
    404: ("not_found", "指定されたデータは見つかりません。"),
    405: ("method_not_allowed", "このURLではその操作はできません。"),
    429: ("too_many_requests", "短い時間に要求が多すぎます。しばらく待ってからもう一度お試しください。"),
}


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    code, message = _HTTP_MESSAGES.get(exc.status_code, ("error", "要求を処理できませんでした。"))
    if exc.status_code < 500:
        _log(request, message, detail={"framework": str(exc)[:200]})
    return api.create_response(request, error_body(code, message), status=exc.status_code)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, error_body("not_found", "指定されたデータは見つかりません。"), status=404)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    message = "送信されたデータが大きすぎます（上限 1MB）。"
    _log(request, message)
    return api.create_response(request, error_body("too_large", message), status=413)


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    """A defect, not a refusal: the clerk gets a plain Japanese message without details, the traceback goes to
    the application log (redacted like every log line)."""
    logger.exception("unexpected error on %s %s", request.method, request.path)
    return api.create_response(
        request, error_body("server_error", "システムで予期しないエラーが発生しました。時間をおいてもう一度お試しいただき、"
                                            "続く場合はシステム管理者に連絡してください。"), status=500)


class MeOut(BaseModel):
    """The signed-in user: role and the rights it gives (accounts/rules.ROLE_PERMISSIONS)."""

    model_config = ConfigDict(extra="forbid")

    username: str
    display_name: str
    role: str
    role_label: str
    permissions: list[str]


@api.get("/me", tags=["利用者"], response=MeOut, summary="ログイン中の利用者と役割")
def me(request):
    from jumin.accounts.rules import ROLE_PERMISSIONS

    user = request.user
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "role_label": user.get_role_display(), "permissions": sorted(ROLE_PERMISSIONS.get(user.role, ()))}


from jumin.register.api import router as register_router  # noqa: E402
from jumin.search.api import router as search_router  # noqa: E402
from jumin.restrictions.api import router as restrictions_router  # noqa: E402

api.add_router("/", register_router)
api.add_router("/", search_router)
api.add_router("/", restrictions_router)
from jumin.certificates.api import router as certificates_router  # noqa: E402

api.add_router("/", certificates_router)
from jumin.seals.api import router as seals_router  # noqa: E402
api.add_router("/", seals_router)
from jumin.addressees.api import router as addressees_router  # noqa: E402
api.add_router("/", addressees_router)
from jumin.stats.api import router as stats_router  # noqa: E402
api.add_router("/", stats_router)
from jumin.core.api import router as dictionary_router  # noqa: E402
api.add_router("/", dictionary_router)
from jumin.euc.api import router as euc_router  # noqa: E402
api.add_router("/", euc_router)
from jumin.linkage.api import router as linkage_router  # noqa: E402
api.add_router("/", linkage_router)
