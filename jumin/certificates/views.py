"""The counter's certificate screens (issue #5): 交付請求, 交付履歴 (list, detail, PDF, 処分), 日計表 and 照合.

Views only authorize, parse and call: the rules, rights, the 支援措置/抑止 guard, the transaction and the
operation log live in `actions` and `queries`. A user without the right gets the neutral 403 page; a refused
request comes back with everything typed and the message next to its input; alerts come back with a
「確認して交付」 button that resubmits the same request with the alerts acknowledged.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jumin.accounts import rules as perms
from jumin.certificates import actions, queries, rules
from jumin.certificates.models import current_config
from jumin.core import wareki
from jumin.core.csvfile import attachment, csv_response
from jumin.core.errors import NotFound, RuleViolation
from jumin.core.forms import FORM_ERROR, error_summary, neutral_for_right, run_action
from jumin.core.http import actor_for, authorize, refused_page, typed_number
from jumin.core.models import current_municipality
from jumin.register import queries as register

MAX_PDF_BYTES = 20 * 1024 * 1024


def _day(raw: str | None, *, default: date | None, label: str = "交付日") -> tuple[date | None, str, str]:
    """(day, the text to show in the input, error). Absent → default; blank → no day; else 和暦 or 西暦."""
    if raw is None:
        return default, (wareki.format_wareki(default) if default else ""), ""
    raw = raw.strip()
    if not raw:
        return None, "", ""
    try:
        return wareki.parse_exact_date(raw, field="day", label=label), raw, ""
    except RuleViolation as refusal:
        return None, raw, refusal.message


def _clock(iso: str | None) -> str:
    """An ISO date-time from the queries → 令和7年3月31日 14:05 (local time)."""
    if not iso:
        return ""
    from datetime import datetime

    moment = timezone.localtime(datetime.fromisoformat(iso))
    return f"{wareki.format_wareki(moment.date())} {moment:%H:%M}"


# ------------------------------------------------------------------ 交付請求

def _person_and_members(request, number: str):
    """The person the form is for and the members to choose from, in household order (a 除票: only them)."""
    person = register.get_record(number, actor=actor_for(request))
    members = [person]
    if person["status"] == "resident":
        try:
            members = register.get_household(person["household_number"], actor=actor_for(request))["members"]
        except RuleViolation:
            members = [person]
        if not any(m["addressee_number"] == person["addressee_number"] for m in members):
            members = [person, *members]
    return person, members


def _initial_values(person: dict, members: list[dict], config) -> dict:
    living = person["status"] == "resident"
    kind = "resident_copy" if living else "removed_copy"
    layout = rules.KINDS[kind].layouts[0]
    values = {
        "kind": kind, "layout": layout,
        "subjects": ([m["addressee_number"] for m in members] if layout == rules.HOUSEHOLD
                     else [person["addressee_number"]]),
        "requester.kind": rules.SELF, "requester.name": person["name"], "copies": "1",
    }
    for name, on in config.options_default().items():
        values[f"options.{name}"] = on
    return values


def _parse(post, *, may_see_number: bool) -> tuple[dict, dict]:
    """The posted form → (the action's parameters, the values to show again)."""
    requester = {"kind": post.get("requester.kind", "").strip(), "name": post.get("requester.name", "").strip()}
    for name in ("birth_date", "addressee_number"):
        value = post.get(f"requester.{name}", "").strip()
        if value:
            requester[name] = typed_number(value) if name == "addressee_number" else value
    options = {name: f"options.{name}" in post for name in rules.OPTIONS}
    if not may_see_number:
        options["individual_number"] = False  # never printed for a role that may not see it
    params = {
        "kind": post.get("kind", "").strip(), "layout": post.get("layout", "").strip(),
        "subjects": [n for n in post.getlist("subjects") if n.strip()], "requester": requester,
        "identity_check": post.get("identity_check", "").strip(), "agent_letter": "agent_letter" in post,
        "purpose": post.get("purpose", "").strip(), "options": options, "copies": post.get("copies", "").strip(),
        "reissue": "reissue" in post, "fee_exempt_reason": post.get("fee_exempt_reason", "").strip(),
        "acknowledged_alerts": post.getlist("acknowledged_alerts") if post.get("confirm") == "1" else [],
    }
    values = {"kind": params["kind"], "layout": params["layout"], "subjects": params["subjects"],
              "identity_check": params["identity_check"], "agent_letter": params["agent_letter"],
              "purpose": params["purpose"], "copies": params["copies"], "reissue": params["reissue"],
              "fee_exempt_reason": params["fee_exempt_reason"]}
    values.update({f"requester.{k}": post.get(f"requester.{k}", "")
                   for k in ("kind", "name", "birth_date", "addressee_number")})
    values.update({f"options.{k}": v for k, v in options.items()})
    return params, values


def _fee(values: dict, fees: dict) -> int | None:
    try:
        copies = int(values.get("copies") or 1)
    except ValueError:
        return None
    if values.get("kind") not in rules.KINDS:
        return None
    if values.get("fee_exempt_reason") or values.get("requester.kind") == rules.OFFICIAL:
        return 0
    return rules.fee_for(values["kind"], copies, values.get("requester.kind", ""), fees)


def _issue_context(request, person, members, values, errors, alerts=()) -> dict:
    config = current_config()
    fees = config.fee_table()
    may_see_number = request.user.may(perms.VIEW_INDIVIDUAL_NUMBER)
    kind = rules.KINDS.get(values.get("kind"))
    return {
        "person": person, "members": members, "values": values, "errors": errors,
        "error_summary": error_summary(errors),
        "alerts": list(alerts), "kinds": [
            {"code": k.code, "layouts": list(k.layouts), "reissue": k.reissue_allowed} for k in rules.KINDS.values()],
        "kind_layouts": list(kind.layouts) if kind else [rules.HOUSEHOLD, rules.INDIVIDUAL],
        "layouts": rules.LAYOUT_CHOICES, "requester_kinds": rules.REQUESTER_CHOICES,
        "identity_checks": rules.IDENTITY_CHECKS,
        "options": [{"name": f"options.{name}", "label": label} for name, label in rules.OPTION_LABELS.items()
                    if name != "individual_number" or may_see_number],
        "kind_choices": [(k.code, k.label) for k in rules.KINDS.values() if not k.own_screen], "not_alerts": not alerts,
        "reissue_allowed": bool(kind and kind.reissue_allowed),
        "fee": _fee(values, fees), "max_copies": config.max_copies,
        "fees_json": fees, "official": rules.OFFICIAL, "third_party": rules.THIRD_PARTY,
        "never_for_third_party": [f"f-options-{name}" for name in rules.NEVER_FOR_THIRD_PARTY],
    }


@login_required
@require_http_methods(["GET", "POST"])
def issue(request):
    """交付請求: GET ?person=<宛名番号> opens the form for that person's household; POST issues."""
    refused = authorize(request, perms.ISSUE_CERTIFICATE, "certificate.issue")
    if refused:
        return refused
    number = typed_number(request.POST.get("person", "") if request.method == "POST" else request.GET.get("person", ""))
    if not number:
        return render(request, "certificates/issue_person.html", {"values": {"person": ""}, "errors": {}})
    try:
        person, members = _person_and_members(request, number)
    except NotFound as refusal:
        return render(request, "certificates/issue_person.html",
                      {"values": {"person": number}, "errors": {"person": refusal.message}}, status=404)
    except RuleViolation as refusal:
        return refused_page(request, refusal)
    if request.method == "GET":
        values = _initial_values(person, members, current_config())
        return render(request, "certificates/issue.html", _issue_context(request, person, members, values, {}))

    params, values = _parse(request.POST, may_see_number=request.user.may(perms.VIEW_INDIVIDUAL_NUMBER))

    def again(errors, status, alerts=()):
        context = _issue_context(request, person, members, values, errors, alerts)
        return render(request, "certificates/issue.html", context, status=status)

    result, shown = run_action(request, lambda: actions.do_issue_certificate(
        params, actor=actor_for(request, params["purpose"])), again, conflict_note="",
        alerts=lambda alerts: again({}, 422, alerts))
    if shown:
        return shown
    return redirect(f"/certificates/issuances/{result.issuance.pk}/?issued=1")


# ------------------------------------------------------------------ 交付履歴

@login_required
@require_GET
def issuance_list(request):
    refused = authorize(request, perms.VIEW_ISSUANCES, "certificate.list")
    if refused:
        return refused
    today = timezone.localdate()
    day, day_text, day_error = _day(request.GET.get("day"), default=today)
    terminal = request.GET.get("terminal", "").strip()[:50]
    person = typed_number(request.GET.get("addressee_number", ""))
    errors = {"day": day_error} if day_error else {}
    rows = []
    if not errors:
        try:
            rows = queries.list_issuances(actor=actor_for(request), day=day, terminal=terminal or None,
                                          addressee_number=person or None)
        except RuleViolation as refusal:
            return refused_page(request, refusal)
    for row in rows:
        row["issued_at_display"] = _clock(row["issued_at"])
    return render(request, "certificates/issuance_list.html", {
        "rows": rows, "errors": errors, "values": {"day": day_text, "terminal": terminal, "addressee_number": person},
        "day_display": wareki.format_wareki(day) if day else "全期間", "total_fee": sum(r["fee"] for r in rows
                                                                                  if not r["voided"])})


def _detail(request, issuance_id: int, *, values=None, errors=None, status=200):
    try:
        issuance = queries.get_issuance(issuance_id, actor=actor_for(request))
    except RuleViolation as refusal:
        return refused_page(request, refusal, 404 if isinstance(refusal, NotFound) else 403)
    persons = [{"addressee_number": p["addressee_number"],
                "name": next((v for label, v in p["lines"] if label == "氏名"), "")}
               for p in issuance["content"].get("persons", [])]
    errors = errors or {}
    return render(request, "certificates/issuance_detail.html", {
        "i": issuance, "persons": persons, "issued_at": _clock(issuance["issued_at"]),
        "voided_at": _clock(issuance["voided_at"]), "just_issued": request.GET.get("issued") == "1" and not issuance["voided"],
        "may_print": request.user.may(perms.ISSUE_CERTIFICATE) and issuance["document_kept"] and not issuance["voided"],
        "may_void": request.user.may(perms.VOID_CERTIFICATE) and not issuance["voided"],
        "values": values or {}, "errors": errors,
        "error_summary": error_summary(errors), "options": [label for name, label in rules.OPTION_LABELS.items()
                                                       if issuance["options"].get(name)],
    }, status=status)


@login_required
@require_GET
def issuance_detail(request, issuance_id):
    refused = authorize(request, perms.VIEW_ISSUANCES, "certificate.view")
    return refused or _detail(request, issuance_id)


@login_required
@require_GET
@xframe_options_sameorigin  # the detail page previews it in an <iframe>
def issuance_pdf(request, issuance_id):
    refused = authorize(request, perms.ISSUE_CERTIFICATE, "certificate.pdf")
    if refused:
        return refused
    try:
        pdf, issuance = queries.issued_pdf(issuance_id, actor=actor_for(request))
    except RuleViolation as refusal:
        return refused_page(request, refusal, 404 if isinstance(refusal, NotFound) else 403)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{issuance.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def issuance_void(request, issuance_id):
    """処分 (approver): the reason is required; a refusal comes back next to it, the typed reason kept."""
    reason = request.POST.get("reason", "").strip()

    def again(errors, status):
        if "form" in errors and len(errors) == 1:      # a refusal that names no field is about the reason
            errors = {"reason": errors["form"], "form": FORM_ERROR}
        return _detail(request, issuance_id, values={"reason": reason}, errors=errors, status=status)

    _, shown = run_action(request, lambda: actions.do_void_issuance(
        issuance_id, reason=reason, actor=actor_for(request, reason)), again,
        neutral=lambda refusal: neutral_for_right(refusal) or (404 if isinstance(refusal, NotFound) else None))
    if shown:
        return shown
    messages.info(request, "処分を記録しました。この証明書は照合で「処分済み」と表示されます。")
    return redirect(f"/certificates/issuances/{issuance_id}/")


# ------------------------------------------------------------------ 日計表

def _daily_request(request):
    """(day, terminal, errors, values) from the query; the terminal defaults to this session's."""
    day, day_text, day_error = _day(request.GET.get("day"), default=timezone.localdate())
    if "terminal" in request.GET:
        terminal = request.GET.get("terminal", "").strip()[:50]
    else:
        terminal = (request.session.get("terminal") or "").strip()[:50]
    errors = {}
    if day_error:
        errors["day"] = day_error
    elif day is None:
        errors["day"] = "交付日を入力してください。"
    return day, terminal, errors, {"day": day_text, "terminal": terminal}


@login_required
@require_GET
def daily(request):
    refused = authorize(request, perms.VIEW_ISSUANCES, "certificate.daily")
    if refused:
        return refused
    day, terminal, errors, values = _daily_request(request)
    summary = None
    if not errors:
        try:
            summary = queries.daily_summary(actor=actor_for(request), day=day, terminal=terminal or None)
        except RuleViolation as refusal:
            return refused_page(request, refusal)
    from urllib.parse import urlencode

    query = urlencode({"day": day.isoformat(), "terminal": terminal}) if summary else ""
    return render(request, "certificates/daily.html", {"s": summary, "values": values, "errors": errors,
                                                       "query": query})


def _daily_file(request, fmt: str):
    refused = authorize(request, perms.VIEW_ISSUANCES, "certificate.daily")
    if refused:
        return refused
    day, terminal, errors, _ = _daily_request(request)
    if errors:
        return refused_page(request, errors["day"], 422)
    try:
        summary = queries.daily_summary(actor=actor_for(request), day=day, terminal=terminal or None)
    except RuleViolation as refusal:
        return refused_page(request, refusal)
    name = f"nikkei-{day:%Y%m%d}"
    # The terminal is free text (maybe Japanese): the plain filename stays ASCII, filename* carries it.
    full = f"{name}-{terminal}" if terminal else name
    if fmt == "csv":
        return csv_response(queries.daily_summary_rows(summary), queries.DAILY_CSV_HEADER,
                            filename=f"{full}.csv", ascii_filename=f"{name}.csv")
    response = HttpResponse(queries.daily_summary_pdf(summary, municipality_name=current_municipality().name),
                            content_type="application/pdf")
    response["Content-Disposition"] = attachment(f"{full}.pdf", f"{name}.pdf", inline=True)
    return response


@login_required
@require_GET
def daily_csv(request):
    return _daily_file(request, "csv")


@login_required
@require_GET
def daily_pdf(request):
    return _daily_file(request, "pdf")


# ------------------------------------------------------------------ 照合

def _verify(request, code: str, pdf: bytes | None, *, status_if_not_found: int):
    values = {"code": code}
    result, shown = run_action(
        request, lambda: queries.verify(code, actor=actor_for(request), pdf=pdf),
        lambda errors, status: render(request, "certificates/verify.html", {
            "values": values, "errors": errors, "error_summary": error_summary(errors)}, status=status),
        status=lambda refusal: status_if_not_found)
    if shown:
        return shown
    return render(request, "certificates/verify.html", {"values": values, "errors": {}, "result": result,
                                                        "pdf_checked": pdf is not None})


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    refused = authorize(request, perms.VERIFY_CERTIFICATE, "certificate.verify")
    if refused:
        return refused
    if request.method == "GET":
        return render(request, "certificates/verify.html", {"values": {"code": ""}, "errors": {}})
    code = request.POST.get("code", "").strip()[:40]
    upload = request.FILES.get("pdf")
    pdf = None
    if upload is not None:
        if upload.size > MAX_PDF_BYTES:
            errors = {"pdf": "PDF ファイルが大きすぎます（20MBまで）。", "form": FORM_ERROR}
            return render(request, "certificates/verify.html", {"values": {"code": code}, "errors": errors,
                                                                "error_summary": error_summary(errors)}, status=422)
        pdf = upload.read()
    if not code:
        errors = {"code": "照合番号を入力してください（証明書の下部に印字されています）。", "form": FORM_ERROR}
        return render(request, "certificates/verify.html", {"values": {"code": code}, "errors": errors,
                                                            "error_summary": error_summary(errors)}, status=422)
    return _verify(request, code, pdf, status_if_not_found=422)


@login_required
@require_GET
def verify_code(request, code):
    """The QR code's address: the same result as typing the code."""
    refused = authorize(request, perms.VERIFY_CERTIFICATE, "certificate.verify")
    return refused or _verify(request, code[:40], None, status_if_not_found=404)
