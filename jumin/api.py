"""The JSON API (django-ninja; OpenAPI 3 at /api/openapi.json).

Authentication: the screens' session (with CSRF) or an API token (`Authorization: Bearer jmn_…`,
created with `jumin token create --user NAME`). The terminal is taken from the `X-Jumin-Terminal`
header (入力端末, standard-spec §2.7 / §6.1). Every refusal is JSON:
`{"error": {"code": …, "message": "<Japanese>", "field": "<offending field or null>"}}`;
409 for conflicts (someone else changed the data), 403 for missing rights, 404 for unknown numbers,
422 for rule violations and alerts that need confirmation, 413 for an oversized request.
"""

from django.core.exceptions import RequestDataTooBig
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from jumin.accounts.models import ApiToken
from jumin.core.errors import ConflictError, NotFound, PermissionDenied, RuleViolation


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class CsrfSessionAuth(SessionAuth):
    """Session login from the screens; CSRF is checked for unsafe methods."""

    csrf = True


api = NinjaAPI(
    title="jumin API",
    version="1",
    description="住民記録システム jumin の API。拒否はすべて日本語のメッセージと項目名を含む JSON で返します。",
    auth=[TokenAuth(), CsrfSessionAuth()],
    urls_namespace="api",
)


def error_body(code: str, message: str, field: str | None = None, **extra) -> dict:
    return {"error": {"code": code, "message": message, "field": field, **extra}}


@api.exception_handler(RuleViolation)
def on_rule_violation(request, exc: RuleViolation):
    status = 422
    if isinstance(exc, ConflictError):
        status = 409
    elif isinstance(exc, PermissionDenied):
        status = 403
    elif isinstance(exc, NotFound):
        status = 404
    extra = {}
    alerts = getattr(exc, "alerts", None)
    if alerts:
        extra["alerts"] = [{"code": a.code, "message": a.message, "field": a.field} for a in alerts]
    return api.create_response(request, error_body(exc.code, exc.message, exc.field, **extra), status=status)


_PYDANTIC_MESSAGES = {
    "missing": "{label}を入力してください。",
    "extra_forbidden": "項目「{label}」は入力できません。",
    "bool_type": "{label}は true か false で指定してください。",
    "bool_parsing": "{label}は true か false で指定してください。",
    "string_type": "{label}は文字列で入力してください。",
    "int_type": "{label}は整数で入力してください。",
    "int_parsing": "{label}は整数で入力してください。",
    "list_type": "{label}は一覧（配列）で指定してください。",
    "dict_type": "{label}はオブジェクトで指定してください。",
    "model_type": "{label}はオブジェクトで指定してください。",
    "date_from_datetime_parsing": "{label}は日付（例: 2024-04-01）で指定してください。",
    "json_invalid": "送信された JSON の形式が正しくありません。",
}


def _field_path(loc) -> str:
    parts = [p for p in loc if p not in ("body", "payload", "query", "path")]
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    field = _field_path(first.get("loc", ()))
    template = _PYDANTIC_MESSAGES.get(first.get("type"), "{label}の形式が正しくありません。")
    message = template.format(label=field or "入力")
    return api.create_response(request, error_body("invalid", message, field or None), status=422)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(request, error_body("unauthenticated", "ログインするか、有効なAPIトークンを指定してください。"),
                               status=401)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    return api.create_response(request, error_body("too_large", "送信されたデータが大きすぎます（上限 1MB）。"), status=413)


@api.get("/me", tags=["利用者"], summary="ログイン中の利用者と役割")
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
