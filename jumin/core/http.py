"""Request → Actor: who is acting, from which terminal, and why (used by the API and the screens); and the
edge checks every typed value passes before it reaches a query (issue #15: no 5xx from bad input)."""

import re

from django.http import HttpRequest
from django.urls import register_converter
from django.shortcuts import render

from jumin.audit.actions import Actor, require_permission
from jumin.core.errors import RuleViolation

TERMINAL_MAX_LENGTH = 50
# A terminal name (入力端末, standard-spec §2.7): letters, digits, Japanese (漢字・かな・カナ, 全角英数) and
# '-', '_', '.' after the first character. Nothing a spreadsheet reads as a formula (= + - @ first), no space,
# no control character: it is printed on the 日計表 and written into CSV files.
_NAME_CHAR = "0-9A-Za-z\u3005\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_TERMINAL = re.compile(f"[{_NAME_CHAR}][{_NAME_CHAR}._-]{{0,{TERMINAL_MAX_LENGTH - 1}}}")
# C0 controls (tab, LF and CR included: none belongs in a number, a header or a query value) and DEL.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def terminal_refusal(name: str) -> RuleViolation | None:
    """Why a terminal name cannot be used, or None when it can."""
    if _TERMINAL.fullmatch(name or ""):
        return None
    return RuleViolation(
        f"端末名は{TERMINAL_MAX_LENGTH}文字以内の英数字・日本語と「-」「_」「.」（先頭は英数字か日本語）で"
        "指定してください。", field="X-Jumin-Terminal", code="invalid_terminal")


def actor_for(request: HttpRequest, reason: str = "") -> Actor:
    """The terminal (入力端末, standard-spec §2.7) is the API's `X-Jumin-Terminal` header, or the terminal the
    clerk set for this session on the screens. The API refuses an invalid header before any handler runs
    (`jumin.api`); a value that is still invalid here (a screen request with a forged header, an old session)
    is never used: the request counts as coming from "web" or "api"."""
    terminal = request.headers.get("X-Jumin-Terminal", "")
    if terminal and terminal_refusal(terminal):
        terminal = ""
    if not terminal and hasattr(request, "session"):
        terminal = request.session.get("terminal", "")
        if terminal and terminal_refusal(terminal):
            terminal = ""
    terminal = terminal or ("api" if "Authorization" in request.headers else "web")
    return Actor(user=request.user, terminal=terminal, reason=_CONTROL.sub("", reason or "")[:500])


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
    """A 宛名番号 / 世帯番号 as typed: full-width digits, spaces and hyphens are accepted; control characters
    (a NUL sent in a form) are dropped, and the result is at most 20 characters."""
    return _CONTROL.sub("", (raw or "")).strip().translate(str.maketrans("０１２３４５６７８９", "0123456789")) \
        .replace(" ", "").replace("-", "").replace("\u3000", "")[:20]


class TextConverter:
    """`<text:name>` in the screens' URLs: like `str`, but a value with a control character (a %00 in the address)
    or longer than 100 characters does not match — the screen answers 404 instead of sending a NUL to
    PostgreSQL, which refuses it with an error (an HTML 500; issue #15 item 3)."""

    regex = "[^/\x00-\x1f\x7f]{1,100}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TextConverter, "text")
