"""The counter's 印鑑登録 screens (issue #7): a person's seal status, registration by the three routes, the
照会書 and its 回答書, 印鑑登録証 loss and re-issue, 廃止, and the 印鑑登録証明書.

Views only authorize, parse and call: rules, rights, the 支援措置/抑止 guard, transactions and the operation log
live in `actions` and `queries`. A user without the right gets the neutral 403 page; a refused request comes
back with everything typed (except the image file, which a browser cannot refill) and the message beside its
input.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jumin.accounts import rules as perms
from jumin.core.errors import NotFound, RuleViolation
from jumin.core.forms import error_summary, neutral_for_right, run_action
from jumin.core.http import actor_for, authorize, refused_page, typed_number
from jumin.register import queries as register
from jumin.seals import actions, queries, rules
from jumin.seals.models import current_settings

DONE = {"registered": "印鑑を登録し、印鑑登録証を交付しました。", "loss": "亡失の届出を受け付けました。この登録証はもう使えません。",
        "reissue": "印鑑登録証を再交付しました。", "abolished": "印鑑登録を廃止しました。"}


def _person(request, number: str) -> dict:
    return register.get_record(number, actor=actor_for(request))


def _post_flags(post, names) -> dict:
    return {name: name in post for name in names}


# ------------------------------------------------------------------ status


@login_required
@require_GET
def index(request):
    """?person=<宛名番号> shows the person's 印鑑登録; ?q= finds a person by any of the numbers."""
    refused = authorize(request, perms.REGISTER_SEAL, "seal.view")
    if refused:
        return refused
    q = request.GET.get("q", "").strip()[:30]
    number = typed_number(request.GET.get("person", ""))
    if not number and q:
        # Any refusal of the search (no such person, a number typed wrong) is said on the search form itself.
        number, shown = run_action(
            request, lambda: queries.find_person(q, actor=actor_for(request)),
            lambda errors, status: render(request, "seals/find.html", {
                "values": {"q": q}, "errors": errors, "error_summary": error_summary(errors)}, status=status),
            neutral=lambda refusal: None, status=lambda refusal: 404)
        if shown:
            return shown
        return redirect(f"/seals/?person={number}")
    if not number:
        return render(request, "seals/find.html", {"values": {"q": ""}, "errors": {}})
    return _status_page(request, number)


def _status_page(request, number: str, *, errors=None, values=None, section: str = "", status: int = 200):
    try:
        person = _person(request, number)
        seal = queries.seal_status(number, actor=actor_for(request))
    except NotFound as refusal:
        return render(request, "seals/find.html", {"values": {"q": number}, "errors": {"q": refusal.message},
                                                   "error_summary": error_summary({"q": refusal.message})}, status=404)
    except RuleViolation as refusal:
        return refused_page(request, refusal)
    errors = errors or {}
    done = request.GET.get("done", "")
    return render(request, "seals/status.html", {
        "person": person, "seal": seal, "errors": errors, "error_summary": error_summary(errors),
        "values": values or {"reporter": "self", "applicant": "self"}, "section": section,
        "done": DONE.get(done, ""), "settings": current_settings(),
        "may_issue": request.user.may(perms.ISSUE_CERTIFICATE),
        "applicants": rules.APPLICANT_CHOICES, "photo_ids": rules.PHOTO_IDS, "reissue_reasons": rules.REISSUE_CHOICES,
    }, status=status)


# ------------------------------------------------------------------ registration (3 routes)

REGISTER_FLAGS = ("agent_letter", "guarantee_checked", "seal_checked", "guardian_present", "override_similarity")
REGISTER_TEXTS = ("route", "applicant", "agent_name", "identity_document", "guarantor_number", "represents",
                  "katakana_name", "guardian_name", "override_reason")


def _register_context(request, person, values, errors):
    settings = current_settings()
    return {"person": person, "values": values, "errors": errors, "error_summary": error_summary(errors),
            "routes": rules.ROUTE_CHOICES, "applicants": rules.APPLICANT_CHOICES, "photo_ids": rules.PHOTO_IDS,
            "represents": rules.REPRESENTS_CHOICES, "settings": settings,
            "may_override": request.user.may(perms.OVERRIDE_SEAL_SIMILARITY)}


@login_required
@require_http_methods(["GET", "POST"])
def register_form(request):
    refused = authorize(request, perms.REGISTER_SEAL, "seal.register")
    if refused:
        return refused
    number = typed_number(request.POST.get("person", "") if request.method == "POST" else request.GET.get("person", ""))
    if not number:
        return redirect("/seals/")
    try:
        person = _person(request, number)
    except NotFound:
        return redirect(f"/seals/?q={number}")
    except RuleViolation as refusal:
        return refused_page(request, refusal)
    if request.method == "GET":
        values = {"route": rules.IN_PERSON, "applicant": rules.SELF,
                  "represents": rules.SURNAME if person["resident_type"] == "japanese" else rules.NAME}
        return render(request, "seals/register.html", _register_context(request, person, values, {}))

    values = {name: request.POST.get(name, "").strip() for name in REGISTER_TEXTS}
    values.update(_post_flags(request.POST, REGISTER_FLAGS))
    params = dict(values, addressee_number=number)
    upload = request.FILES.get("impression")
    inquiry_route = values["route"] == rules.INQUIRY
    act = actions.do_send_inquiry if inquiry_route else actions.do_register_seal
    done, shown = run_action(
        request, lambda: act(params, impression=upload, actor=actor_for(request)),
        lambda errors, status: render(request, "seals/register.html",
                                      _register_context(request, person, values, errors), status=status),
        conflict_note="")
    if shown:
        return shown
    if inquiry_route:
        return redirect(f"/seals/inquiries/{done.inquiry_number}/?sent=1")
    return redirect(f"/seals/?person={number}&done=registered")


@login_required
@require_GET
def guarantor(request):
    """htmx: the 保証人's name and registered impression, to compare with the 保証書."""
    refused = authorize(request, perms.REGISTER_SEAL, "seal.guarantor")
    if refused:
        return refused
    number = typed_number(request.GET.get("guarantor_number", ""))
    context = {"number": number}
    if number:
        try:
            context["g"] = queries.guarantor(number, actor=actor_for(request))
        except RuleViolation as refusal:
            context["error"] = refusal.message
    return render(request, "seals/_guarantor.html", context)


# ------------------------------------------------------------------ 照会書・回答書

ANSWER_FLAGS = ("agent_letter", "reply_checked", "guardian_present", "override_similarity")
ANSWER_TEXTS = ("bearer", "agent_name", "identity_document", "guardian_name", "override_reason")


def _inquiry_page(request, inquiry_number, *, values=None, errors=None, status=200):
    try:
        inquiry = queries.get_inquiry(inquiry_number, actor=actor_for(request))
        person = _person(request, inquiry["addressee_number"])
    except RuleViolation as refusal:
        return refused_page(request, refusal, 404 if isinstance(refusal, NotFound) else 403)
    errors = errors or {}
    return render(request, "seals/inquiry.html", {
        "i": inquiry, "person": person, "values": values or {"bearer": rules.SELF}, "errors": errors,
        "error_summary": error_summary(errors), "sent": request.GET.get("sent") == "1",
        "applicants": rules.APPLICANT_CHOICES, "reply_ids": rules.REPLY_IDS,
        "may_override": request.user.may(perms.OVERRIDE_SEAL_SIMILARITY)}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def inquiry(request, inquiry_number):
    refused = authorize(request, perms.REGISTER_SEAL, "seal.inquiry_view")
    if refused:
        return refused
    if request.method == "GET":
        return _inquiry_page(request, inquiry_number)
    values = {name: request.POST.get(name, "").strip() for name in ANSWER_TEXTS}
    values.update(_post_flags(request.POST, ANSWER_FLAGS))
    registration, shown = run_action(
        request, lambda: actions.do_answer_inquiry(inquiry_number, dict(values), actor=actor_for(request)),
        lambda errors, status: _inquiry_page(request, inquiry_number, values=values, errors=errors, status=status))
    if shown:
        return shown
    return redirect(f"/seals/?person={registration.addressee_number}&done=registered")


@login_required
@require_GET
@xframe_options_sameorigin
def inquiry_letter(request, inquiry_number):
    refused = authorize(request, perms.REGISTER_SEAL, "seal.inquiry_letter")
    if refused:
        return refused
    try:
        pdf = queries.inquiry_letter(inquiry_number, actor=actor_for(request))
    except RuleViolation as refusal:
        return refused_page(request, refusal, 404 if isinstance(refusal, NotFound) else 403)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="seal-inquiry-{inquiry_number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------------------ images


def _png(request, **which):
    refused = authorize(request, perms.REGISTER_SEAL, "seal.impression")
    if refused:
        return refused
    try:
        data = queries.impression_png(actor=actor_for(request), **which)
    except RuleViolation as refusal:
        return refused_page(request, refusal, 404 if isinstance(refusal, NotFound) else 403)
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def registration_impression(request, registration_number):
    return _png(request, registration_number=registration_number)


@login_required
@require_GET
def inquiry_impression(request, inquiry_number):
    return _png(request, inquiry_number=inquiry_number)


# ------------------------------------------------------------------ card loss, re-issue, abolition


def _registration_action(request, registration_number, section, action, texts, flags, done):
    values = {name: request.POST.get(name, "").strip() for name in texts}
    values.update(_post_flags(request.POST, flags))
    number = typed_number(request.POST.get("person", ""))
    _, shown = run_action(
        request, lambda: action(dict(values, registration_number=registration_number), actor=actor_for(request)),
        lambda errors, status: _status_page(request, number, errors=errors, values=values, section=section,
                                            status=status),
        neutral=lambda refusal: neutral_for_right(refusal) or (None if number else 422))   # no page to go back to
    if shown:
        return shown
    return redirect(f"/seals/?person={number}&done={done}")


@login_required
@require_POST
def card_loss(request, registration_number):
    return _registration_action(request, registration_number, "loss", actions.do_report_card_loss,
                                ("reporter", "reporter_name"), (), "loss")


@login_required
@require_POST
def card_reissue(request, registration_number):
    return _registration_action(request, registration_number, "reissue", actions.do_reissue_card,
                                ("reason", "identity_document"), ("old_card_returned",), "reissue")


@login_required
@require_POST
def abolish(request, registration_number):
    return _registration_action(request, registration_number, "abolish", actions.do_abolish_registration,
                                ("applicant", "agent_name", "note"), ("agent_letter", "card_returned"), "abolished")


# ------------------------------------------------------------------ 印鑑登録証明書


def _certificate_context(request, person, values, errors, alerts=()):
    from jumin.certificates.models import current_config
    from jumin.certificates.rules import fee_for

    config = current_config()
    try:
        copies = int(values.get("copies") or 1)
    except ValueError:
        copies = 1
    return {"person": person, "values": values, "errors": errors, "error_summary": error_summary(errors),
            "alerts": list(alerts), "not_alerts": not alerts, "applicants": rules.APPLICANT_CHOICES,
            "presentations": rules.PRESENTATION_CHOICES if current_settings().my_number_card_alternative
            else rules.PRESENTATION_CHOICES[:1], "max_copies": config.max_copies,
            "fee": fee_for("seal_certificate", copies, values.get("requester.kind", "self"), config.fee_table())}


@login_required
@require_http_methods(["GET", "POST"])
def certificate(request):
    """印鑑登録証明書の交付: the card number (typed or read by a scanner), the requester, copies."""
    refused = authorize(request, perms.ISSUE_CERTIFICATE, "seal.certificate")
    if refused:
        return refused
    number = typed_number(request.POST.get("person", "") if request.method == "POST" else request.GET.get("person", ""))
    person = None
    if number:
        try:
            person = _person(request, number)
        except NotFound:
            person = None
        except RuleViolation as refusal:
            return refused_page(request, refusal)
    if request.method == "GET":
        values = {"presentation": rules.PRESENT_CARD, "requester.kind": rules.SELF,
                  "requester.name": person["name"] if person else "", "copies": "1"}
        return render(request, "seals/certificate_form.html", _certificate_context(request, person, values, {}))
    values = {name: request.POST.get(name, "").strip() for name in (
        "presentation", "card_number", "requester.kind", "requester.name", "requester.birth_date", "copies", "purpose",
        "fee_exempt_reason")}
    requester = {"kind": values["requester.kind"], "name": values["requester.name"],
                 "birth_date": values["requester.birth_date"]}
    params = {"presentation": values["presentation"], "card_number": values["card_number"],
              "addressee_number": number, "requester": requester, "copies": values["copies"],
              "purpose": values["purpose"], "fee_exempt_reason": values["fee_exempt_reason"],
              "acknowledged_alerts": request.POST.getlist("acknowledged_alerts") if request.POST.get("confirm") == "1"
              else []}

    def again(errors, status, alerts=()):
        return render(request, "seals/certificate_form.html",
                      _certificate_context(request, person, values, errors, alerts), status=status)

    result, shown = run_action(request, lambda: actions.do_issue_seal_certificate(params, actor=actor_for(request)),
                               again, alerts=lambda alerts: again({}, 422, alerts))
    if shown:
        return shown
    return redirect(f"/certificates/issuances/{result.issuance.pk}/?issued=1")
