"""The supervisor's screens for 支援措置 and 抑止 (issue #6). Views only authorize, parse and call: rights,
rules, transactions and the operation log live in `actions` and `queries`. A user without the right gets the
neutral 403 page (and the refusal is logged); a refused input comes back with every typed value and the
message next to its field."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jumin.accounts import rules as perms
from jumin.core.errors import NotFound, RuleViolation
from jumin.core.forms import error_summary, refusal_message, run_action
from jumin.core.http import actor_for, authorize, refused_or_missing_page, refused_page, typed_number
from jumin.core.wareki import format_wareki
from jumin.counter.params import to_fields, to_params
from jumin.restrictions import actions, queries, rules

ENDING_SOON_DAYS = 30
MAX_ROWS = 20
CHECKBOXES = {"inspection", "copies", "family_register_annex", "provisional"}   # posted as bool:<name>
CONFLICT_NOTE = " 入力した内容は残っています。最新の内容を確認してから、もう一度送信してください。"


def _summary(errors: dict) -> list[dict]:
    """Every message once, linked to its input (a checkbox's input is named bool:<name>)."""
    return error_summary(errors, CHECKBOXES)


def _forbidden(refusal: RuleViolation) -> int | None:
    """The supervisor's screens show the neutral page for the role's refusal only (a 支援措置 or 抑止 refusal
    here is about the order being entered, and comes back beside its input)."""
    return 403 if refusal.code == "forbidden" else None


def _version(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------ 支援措置: list

@login_required
@require_GET
def protection_list(request):
    person = typed_number(request.GET.get("person", ""))
    ending_soon = request.GET.get("ending_soon") in ("on", "1", "true")
    include_ended = request.GET.get("include_ended") in ("on", "1", "true")
    try:
        rows = queries.list_protections(actor=actor_for(request), addressee_number=person or None,
                                        ending_within_days=ENDING_SOON_DAYS if ending_soon else None,
                                        include_ended=include_ended and not ending_soon)
    except RuleViolation as refusal:
        if refusal.code == "forbidden":
            return refused_page(request, refusal)
        rows = []
    context = {
        "rows": rows, "values": {"person": person, "ending_soon": ending_soon, "include_ended": include_ended},
        "errors": {}, "days": ENDING_SOON_DAYS,
        "ending_soon_count": sum(1 for r in rows if r["alert"] == rules.ENDING_SOON),
        "expired_count": sum(1 for r in rows if r["alert"] == rules.EXPIRED),
    }
    template = "restrictions/_protection_rows.html" if request.headers.get("HX-Request") else \
        "restrictions/protection_list.html"
    return render(request, template, context)


# ------------------------------------------------------------------ 支援措置: register

def _applicant(request, number: str) -> tuple[dict | None, list, RuleViolation | None]:
    """The applicant's record and household (read through the register's queries: logged, guarded)."""
    from jumin.register import queries as register

    if not number:
        return None, [], None
    try:
        person = register.get_record(number, actor=actor_for(request))
    except RuleViolation as refusal:
        return None, [], refusal
    members = []
    if person["status"] == "resident":
        try:
            members = [m for m in register.get_household(person["household_number"], actor=actor_for(request))
                       ["members"] if m["addressee_number"] != number]
        except RuleViolation:
            members = []
    return person, members, None


def _rows(params: dict, key: str) -> range:
    value = params.get(key)
    return range(min(max(1, len(value) if isinstance(value, list) else 1), MAX_ROWS))


def _applicant_context(request, values: dict, errors: dict) -> tuple[dict, dict]:
    person, members, problem = _applicant(request, str(values.get("addressee_number") or ""))
    notice = ""
    if problem is not None:
        if isinstance(problem, NotFound):
            errors = {**errors, "addressee_number": errors.get("addressee_number") or problem.message}
        else:      # e.g. a 照会抑止 (error): the record is not shown, but an order may still be registered
            notice = problem.message
    return {"person": person, "members": members, "applicant_notice": notice}, errors


def _new_context(request, values: dict, errors: dict, params: dict | None = None) -> dict:
    params = params or {}
    applicant, errors = _applicant_context(request, values, errors)
    today = timezone.localdate()
    return applicant | {"values": values, "errors": errors, "error_summary": _summary(errors),
            "person_rows": _rows(params, "protected_persons"),
            "offender_rows": _rows(params, "offenders"),
            "default_end": format_wareki(rules.default_end(today)), "today": format_wareki(today)}


@login_required
@require_http_methods(["GET", "POST"])
def protection_new(request):
    denied = authorize(request, perms.MANAGE_PROTECTION, "protection.register")
    if denied:
        return denied
    if request.method == "GET":
        values = {"addressee_number": typed_number(request.GET.get("person", "")), "inspection": True, "copies": True,
                  "family_register_annex": True, "starts_on": format_wareki(timezone.localdate())}
        return render(request, "restrictions/protection_new.html", _new_context(request, values, {}))
    params = to_params(dict(request.POST.lists()))
    values = to_fields(params)
    order, shown = run_action(
        request, lambda: actions.do_register_protection(params, actor=actor_for(request)),
        lambda errors, status: render(request, "restrictions/protection_new.html",
                                      _new_context(request, values, errors, params), status=status),
        neutral=_forbidden)
    if shown:
        return shown
    messages.success(request, f"支援措置を登録しました（ID {order.pk}、{format_wareki(order.starts_on)}〜"
                              f"{format_wareki(order.ends_on)}）。")
    return redirect("restrictions:protection_detail", order_id=order.pk)


@login_required
@require_GET
def protection_row(request, kind):
    """One more 併せて支援を求める者 / 加害者 row for the registration form (htmx)."""
    denied = authorize(request, perms.MANAGE_PROTECTION, "protection.register")
    if denied:
        return denied
    try:
        index = min(max(int(request.GET.get("i", "1")), 0), MAX_ROWS - 1)
    except ValueError:
        index = 1
    rows = {"person": ("restrictions/_person_row.html", "protected_persons"),
            "offender": ("restrictions/_offender_row.html", "offenders")}
    if kind not in rows:
        return refused_page(request, NotFound("この画面はありません。"), 404)
    template, name = rows[kind]
    return render(request, template, {"i": index, "n": index + 1, "p": f"{name}[{index}]", "values": {}, "errors": {},
                                      "focus": True})


# ------------------------------------------------------------------ 支援措置: detail and its forms

def _detail(request, order_id: int, *, values=None, errors=None, open_form: str = "", status: int = 200):
    try:
        order = queries.get_protection(order_id, actor=actor_for(request))
    except RuleViolation as refusal:
        return refused_or_missing_page(request, refusal)
    errors = errors or {}
    seed = {f"details.{k}": order[k] or "" for k in actions.DETAIL_FIELDS}
    return render(request, "restrictions/protection_detail.html", {
        "order": order, "values": seed | (values or {}), "errors": errors, "error_summary": _summary(errors),
        "open_form": open_form, "history": list(reversed(order["history"])),
        "extension_open": order["status"] == "active"
        and timezone.localdate().isoformat() >= order["extension_opens_on"],
        "extended_end": rules.extended_end(date.fromisoformat(order["ends_on"])).isoformat(),
    }, status=status)


@login_required
@require_GET
def protection_detail(request, order_id):
    return _detail(request, order_id)


ORDER_FUNCTIONS = {"extend": "protection.extend", "end": "protection.end", "protected_person": "protection.add_person",
                   "offender": "protection.add_offender", "details": "protection.edit"}


def _post_to_order(request, order_id: int, form: str, call, done: str):
    """Run one of the detail screen's forms; on a refusal show the detail again with that form open, its
    values kept and the message beside the field (409 when someone else changed the order meanwhile)."""
    denied = authorize(request, perms.MANAGE_PROTECTION, ORDER_FUNCTIONS[form])
    if denied:
        return denied
    values = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    _, shown = run_action(
        request, lambda: call(_version(request.POST.get("expected_version"))),
        lambda errors, status: _detail(request, order_id, values=values, errors=errors, open_form=form,
                                       status=status),
        prefix=form, conflict_note=CONFLICT_NOTE,
        neutral=lambda refusal: _forbidden(refusal) or (
            404 if isinstance(refusal, NotFound) and refusal.field == "order_id" else None))
    if shown:
        return shown
    messages.success(request, done)
    return redirect("restrictions:protection_detail", order_id=order_id)


def _sub(request, prefix: str) -> dict:
    """The fields of one form posted as `<prefix>.<item>`, blanks left out."""
    return {k.split(".", 1)[1]: v.strip() for k, v in request.POST.items()
            if k.startswith(prefix + ".") and v.strip()}


@login_required
@require_POST
def protection_extend(request, order_id):
    return _post_to_order(request, order_id, "extend", lambda version: actions.do_extend_protection(
        order_id, actor=actor_for(request), expected_version=version), "支援措置を延長しました。")


@login_required
@require_POST
def protection_end(request, order_id):
    return _post_to_order(request, order_id, "end", lambda version: actions.do_end_protection(
        order_id, actor=actor_for(request), reason=request.POST.get("end.reason", ""), expected_version=version),
        "支援措置を終了しました。この支援措置で設定した抑止も解除しました。")


@login_required
@require_POST
def protection_add_person(request, order_id):
    return _post_to_order(request, order_id, "protected_person", lambda version: actions.do_add_protected_person(
        order_id, {"addressee_number": typed_number(request.POST.get("protected_person.addressee_number", "")),
                   "relationship": request.POST.get("protected_person.relationship", "")},
        actor=actor_for(request), expected_version=version), "併せて支援措置を求める者を追加しました。")


@login_required
@require_POST
def protection_add_offender(request, order_id):
    data = _sub(request, "offender")
    if data.get("addressee_number"):
        data["addressee_number"] = typed_number(data["addressee_number"])
    return _post_to_order(request, order_id, "offender", lambda version: actions.do_add_offender(
        order_id, data, actor=actor_for(request), expected_version=version), "加害者を追加しました。")


@login_required
@require_POST
def protection_edit(request, order_id):
    data = {name: request.POST.get(f"details.{name}", "") for name in actions.DETAIL_FIELDS
            if f"details.{name}" in request.POST}
    return _post_to_order(request, order_id, "details", lambda version: actions.do_edit_protection(
        order_id, data, actor=actor_for(request), expected_version=version), "連絡先・転送情報を変更しました。")


# ------------------------------------------------------------------ 抑止

def _restriction_context(request, values: dict, errors: dict, *, row_error: dict | None = None):
    person = typed_number(request.GET.get("person", ""))
    household = typed_number(request.GET.get("household", ""))
    include_ended = request.GET.get("include_ended") in ("on", "1", "true")
    rows = queries.list_restrictions(actor=actor_for(request), addressee_number=person or None,
                                     household_number=household or None, include_ended=include_ended)
    return {"rows": rows, "values": values, "errors": errors, "error_summary": _summary(errors),
            "filter": {"person": person, "household": household, "include_ended": include_ended},
            "row_error": row_error or {}, "may_release": request.user.may(perms.RELEASE_RESTRICTION),
            "max_minutes": rules.MAX_RELEASE_MINUTES}


@login_required
@require_http_methods(["GET", "POST"])
def restriction_list(request):
    """The 抑止 in force (of a person with their household, of a household, or all), and the form to set one."""
    function = "restriction.set" if request.method == "POST" else "restriction.list"
    denied = authorize(request, perms.MANAGE_RESTRICTION, function)
    if denied:
        return denied
    if request.method == "GET":
        values = {"target": "household" if request.GET.get("household") else "person",
                  "addressee_number": typed_number(request.GET.get("person", "")),
                  "household_number": typed_number(request.GET.get("household", "")),
                  "starts_on": format_wareki(timezone.localdate())}
        return render(request, "restrictions/restriction_list.html", _restriction_context(request, values, {}))
    values = {k: v.strip() for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    target = values.get("target") or "person"
    params = {k: values[k] for k in ("operation", "level", "starts_on", "ends_on", "reason") if values.get(k)}
    if target == "household":
        params["household_number"] = typed_number(values.get("household_number", ""))
    else:
        params["addressee_number"] = typed_number(values.get("addressee_number", ""))

    def again(errors, status):
        if target == "household" and "addressee_number" in errors:     # "one of the two": the chosen one
            errors["household_number"] = errors.pop("addressee_number")
        return render(request, "restrictions/restriction_list.html", _restriction_context(request, values, errors),
                      status=status)

    restriction, shown = run_action(request, lambda: actions.do_set_restriction(params, actor=actor_for(request)),
                                    again, neutral=_forbidden)
    if shown:
        return shown
    target_label = f"世帯番号 {restriction.household_number}" if restriction.household_number else \
        f"宛名番号 {restriction.addressee_number}"
    messages.success(request, f"{target_label} に{restriction.get_operation_display()}の抑止"
                              f"（{restriction.get_level_display()}）を設定しました（ID {restriction.pk}）。")
    query = f"?household={restriction.household_number}" if restriction.household_number else \
        f"?person={restriction.addressee_number}"
    return redirect(request.path + query)


def _list_url(request) -> str:
    """The 抑止 list with the filter the supervisor was looking at (kept in the form's query string)."""
    query = request.GET.urlencode()
    return "/restrictions/restrictions/" + (f"?{query}" if query else "")


def _post_to_restriction(request, restriction_id: int, form: str, call, done: str):
    permission = perms.RELEASE_RESTRICTION if form == "release" else perms.MANAGE_RESTRICTION
    denied = authorize(request, permission, f"restriction.{form}")
    if denied:
        return denied

    def again(errors, status):
        """The list again with the message on the row it is about (not in the form to set one)."""
        values = {"target": "person", "starts_on": format_wareki(timezone.localdate())}
        row_error = {"id": restriction_id, "form": form, "message": refusal_message(errors),
                     "value": {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}}
        return render(request, "restrictions/restriction_list.html",
                      _restriction_context(request, values, {}, row_error=row_error), status=status)

    _, shown = run_action(request, call, again, neutral=_forbidden)
    if shown:
        return shown
    messages.success(request, done)
    return redirect(_list_url(request))


@login_required
@require_POST
def restriction_end(request, restriction_id):
    return _post_to_restriction(request, restriction_id, "end", lambda: actions.do_end_restriction(
        restriction_id, actor=actor_for(request), reason=request.POST.get("reason", "")),
        f"抑止（ID {restriction_id}）を解除しました。")


@login_required
@require_POST
def restriction_release(request, restriction_id):
    raw = request.POST.get("minutes", "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    minutes = int(raw) if raw.isdigit() else raw
    until = timezone.localtime() + timedelta(minutes=minutes if isinstance(minutes, int) else 0)
    return _post_to_restriction(request, restriction_id, "release", lambda: actions.do_release_restriction_temporarily(
        restriction_id, actor=actor_for(request), minutes=minutes, reason=request.POST.get("reason", "")),
        f"抑止（ID {restriction_id}）を {until:%H:%M} まで一時解除しました。時間が過ぎると自動的に元に戻ります。")
