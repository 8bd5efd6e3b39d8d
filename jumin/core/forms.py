"""The screens' form layer: run an action from a posted form and, when it is refused, show the form again with
every typed value and the message beside its input — or the neutral page when the refusal is about the right.

Every counter screen (certificates, seals, restrictions, and the apps to come) answers a refusal the same way:
- a refusal of the right (the role, 支援措置, 抑止): the neutral 403 page, nothing of the person (the action has
  logged the refusal);
- alerts to confirm (`ConfirmationRequired`, standard-spec §8.1): the form again with the alerts, 422;
- any other refusal: the form again with `{field: message, "form": FORM_ERROR}` (the message beside the input
  the action named, a line at the top), 409 when someone else changed the data meanwhile, else 422.

    result, shown = run_action(request, lambda: actions.do_x(params, actor=actor_for(request)),
                               again=lambda errors, status: render(request, "x.html", context(errors), status=status))
    if shown:
        return shown
    return redirect(...)
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse

from jumin.core.errors import ConflictError, PermissionDenied, RuleViolation
from jumin.core.http import refused_page

FORM_ERROR = "入力内容に誤りがあります。該当する項目のメッセージを確認してください。"
CONFIRMATION = "confirmation_required"   # the code of ConfirmationRequired (its alerts are on `.alerts`)


def field_id(name: str) -> str:
    """The HTML id of the input posted as `name` (`members[0].name` → `f-members-0-name`), so a message and the
    summary's link find their input."""
    return "f-" + name.replace(".", "-").replace("[", "-").replace("]", "").replace(":", "-")


def is_refusal_of_right(refusal: RuleViolation) -> bool:
    """Who may do it (the role, a 支援措置 or 抑止 guard), not what was typed."""
    return isinstance(refusal, PermissionDenied) or refusal.code in ("forbidden", "restricted")


def neutral_for_right(refusal: RuleViolation) -> int | None:
    """The default page rule: the neutral 403 page for a refusal of the right, else the form again (None)."""
    return 403 if is_refusal_of_right(refusal) else None


def form_status(refusal: RuleViolation) -> int:
    """A form shown again: 409 when someone else changed the data meanwhile, else 422."""
    return 409 if isinstance(refusal, ConflictError) else 422


def refusal_errors(refusal: RuleViolation, prefix: str = "", *, conflict_note: str | None = None) -> dict:
    """A refusal as {field: message, "form": FORM_ERROR}, or {"form": message} when it names no field. The field
    is put under `prefix.` (the form's name) when the action did not name it so. With `conflict_note`, a
    conflict is the form's message (plus the note), never a field's: the input was fine, the data moved."""
    if conflict_note is not None and isinstance(refusal, ConflictError):
        return {"form": refusal.message + conflict_note}
    field = refusal.field
    if field and prefix and not field.startswith(prefix + "."):
        field = f"{prefix}.{field}"
    if not field:
        return {"form": refusal.message}
    return {field: refusal.message, "form": FORM_ERROR}


def refusal_message(errors: dict) -> str:
    """The refusal's own message out of `refusal_errors` (its field's, else the form's), for a screen that shows
    it in one place (a row of a list) rather than beside an input."""
    return next((message for name, message in errors.items() if name != "form"), errors.get("form", ""))


def error_summary(errors: dict, checkboxes: Iterable[str] = ()) -> list[dict]:
    """The list at the top of a form: every message once, linked to its input (a checkbox is posted as
    `bool:<name>`, so its input's id is that one's)."""
    boxes = set(checkboxes)
    return [{"message": message, "anchor": field_id(f"bool:{name}" if name in boxes else name)}
            for name, message in errors.items() if name != "form"]


def run_action(request: HttpRequest, call: Callable[[], Any], again: Callable[[dict, int], HttpResponse], *,
               prefix: str = "", conflict_note: str | None = None,
               neutral: Callable[[RuleViolation], int | None] = neutral_for_right,
               status: Callable[[RuleViolation], int] = form_status,
               alerts: Callable[[list], HttpResponse] | None = None) -> tuple[Any, HttpResponse | None]:
    """(call()'s result, None) when the action ran; (None, the response to send) when it was refused.

    `again(errors, status)` shows the form again with the messages (`refusal_errors` with `prefix` and
    `conflict_note`) and the status (`status`, default `form_status`). `neutral(refusal)` gives the status of
    the neutral page for refusals that must not come back as a form (default: 403 for a refusal of the
    right), or None. `alerts(alerts)` shows the alerts to confirm; without it they are an ordinary refusal."""
    try:
        return call(), None
    except RuleViolation as refusal:
        if alerts is not None and refusal.code == CONFIRMATION:
            return None, alerts(list(getattr(refusal, "alerts", [])))
        page = neutral(refusal)
        if page is not None:
            return None, refused_page(request, refusal, page)
        return None, again(refusal_errors(refusal, prefix, conflict_note=conflict_note), status(refusal))
