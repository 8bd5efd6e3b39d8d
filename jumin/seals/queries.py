"""Reads of 印鑑登録: a person's seal status, one registration, the impression image, the 照会書. Each read
checks the reader's right and the 支援措置・抑止 guard, and writes the operation log."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from jumin.accounts import rules as perms
from jumin.audit.actions import Actor, log_operation, log_refusal, refuse, require_permission
from jumin.core.errors import NotFound
from jumin.core.wareki import format_wareki
from jumin.seals import rules
from jumin.seals.models import SealCard, SealInquiry, SealRegistration, current_settings


def _day(value: date | None) -> str:
    return format_wareki(value) if value else ""


def _guard(actor: Actor, number: str, function: str) -> list:
    from jumin.restrictions.queries import guard_view

    return [{"code": a.code, "message": a.message} for a in guard_view(actor, number, function=function)]


def card_dict(card: SealCard) -> dict:
    return {"card_number": card.card_number, "status": card.status, "status_label": card.get_status_display(),
            "issued_on": card.issued_on.isoformat(), "issued_on_display": _day(card.issued_on),
            "reissue": card.reissue, "reissue_reason": card.reissue_reason,
            "lost_on": card.lost_on.isoformat() if card.lost_on else None, "lost_on_display": _day(card.lost_on),
            "ended_on": card.ended_on.isoformat() if card.ended_on else None, "ended_on_display": _day(card.ended_on)}


def _impression(obj) -> dict:
    return {"width_mm": obj.impression_width_mm, "height_mm": obj.impression_height_mm,
            "square_mm": obj.impression_square_mm, "image_width_mm": round(obj.impression_image_width_mm, 2),
            "image_height_mm": round(obj.impression_image_height_mm, 2),
            "dpi": [obj.impression_dpi_x, obj.impression_dpi_y], "dpi_source": obj.impression_dpi_source,
            "format": obj.impression_format, "sha256": obj.impression_sha256, "hash": obj.impression_hash,
            "represents": obj.represents, "represents_label": obj.get_represents_display(),
            "similar_to": obj.similar_to, "similarity_override": obj.similarity_override,
            "similarity_override_by": obj.similarity_override_by,
            "similarity_override_reason": obj.similarity_override_reason}


def registration_dict(r: SealRegistration, *, events: bool = False) -> dict:
    out = {
        "registration_number": r.registration_number, "addressee_number": r.addressee_number, "status": r.status,
        "status_label": r.get_status_display(), "registered_on": r.registered_on.isoformat(),
        "registered_on_display": _day(r.registered_on), "route": r.route, "route_label": r.get_route_display(),
        "applicant": r.applicant, "applicant_label": r.get_applicant_display(), "agent_name": r.agent_name,
        "identity_document": r.identity_document,
        "identity_document_label": rules.REPLY_ID_LABELS.get(r.identity_document, r.identity_document),
        "guarantor_registration_number": r.guarantor_registration_number,
        "inquiry_number": r.inquiry.inquiry_number if r.inquiry_id else "", "guardian_name": r.guardian_name,
        "name": r.name, "former_surname": r.former_surname, "alias": r.alias, "name_alphabet": r.name_alphabet,
        "katakana_name": r.katakana_name, "birth_date": r.birth_date.isoformat() if r.birth_date else None,
        "sex": r.sex, "address": r.address, "impression": _impression(r),
        "abolished_on": r.abolished_on.isoformat() if r.abolished_on else None,
        "abolished_on_display": _day(r.abolished_on), "abolition_reason": r.abolition_reason,
        "abolition_reason_label": r.get_abolition_reason_display() if r.abolition_reason else "",
        "abolition_note": r.abolition_note, "abolished_by": r.abolished_by,
        "retain_until": r.retain_until.isoformat() if r.retain_until else None,
        "retain_until_display": _day(r.retain_until), "entered_by": r.entered_by, "version": r.version,
        "cards": [card_dict(c) for c in r.cards.order_by("pk")],
    }
    out["valid_card"] = next((c for c in out["cards"] if c["status"] == rules.CARD_VALID), None)
    if events:
        out["events"] = [{"at": timezone.localtime(e.at).isoformat(timespec="seconds"), "day": e.day.isoformat(),
                          "day_display": _day(e.day), "action": e.action, "action_label": e.get_action_display(),
                          "username": e.username, "terminal": e.terminal, "detail": e.detail}
                         for e in r.events.order_by("at", "pk")]
    return out


def inquiry_dict(i: SealInquiry, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    status = rules.inquiry_status(i.status, i.deadline_on, today)
    return {"inquiry_number": i.inquiry_number, "addressee_number": i.addressee_number, "name": i.name,
            "address": i.address, "applicant": i.applicant, "applicant_label": i.get_applicant_display(),
            "agent_name": i.agent_name, "status": status, "status_label": rules.INQUIRY_STATUS_LABELS[status],
            "sent_on": i.sent_on.isoformat(), "sent_on_display": _day(i.sent_on),
            "deadline_on": i.deadline_on.isoformat(), "deadline_on_display": _day(i.deadline_on),
            "answered_on": i.answered_on.isoformat() if i.answered_on else None, "impression": _impression(i)}


def seal_status(addressee_number: str, *, actor: Actor, today: date | None = None) -> dict:
    """A person's 印鑑登録: the active registration (with its card), abolished ones still kept, 照会書."""
    function = "seal.view"
    require_permission(actor, perms.REGISTER_SEAL, function, [addressee_number])
    alerts = _guard(actor, addressee_number, function)
    registrations = list(SealRegistration.objects.filter(addressee_number=addressee_number)
                         .select_related("inquiry").order_by("-registered_at", "-pk"))
    inquiries = list(SealInquiry.objects.filter(addressee_number=addressee_number).order_by("-sent_at", "-pk"))
    active = next((r for r in registrations if r.status == rules.ACTIVE), None)
    out = {"addressee_number": addressee_number, "alerts": alerts,
           "active": registration_dict(active, events=True) if active else None,
           "abolished": [registration_dict(r, events=True) for r in registrations if r.status != rules.ACTIVE],
           "inquiries": [inquiry_dict(i, today=today) for i in inquiries]}
    log_operation(actor, function, [addressee_number],
                  detail={"registrations": [r.registration_number for r in registrations]})
    return out


def get_registration(registration_number: str, *, actor: Actor) -> dict:
    function = "seal.view"
    require_permission(actor, perms.REGISTER_SEAL, function)
    registration = SealRegistration.objects.select_related("inquiry").filter(
        registration_number=registration_number).first()
    if registration is None:
        refuse(actor, function,
               NotFound(f"印鑑登録番号 {registration_number} の登録はありません。", field="registration_number"))
    _guard(actor, registration.addressee_number, function)
    log_operation(actor, function, [registration.addressee_number],
                  detail={"registration_number": registration.registration_number})
    return registration_dict(registration, events=True)


def find_person(text: str, *, actor: Actor) -> str:
    """The 宛名番号 behind a typed 宛名番号 (10 digits), 印鑑登録番号 (8) or 照会番号 (9) — a card number (10 digits)
    is tried when no resident has that 宛名番号."""
    from jumin.register.models import Resident

    function = "seal.find"
    require_permission(actor, perms.REGISTER_SEAL, function)
    number = (text or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace("-", "") \
        .replace(" ", "")[:20]
    found = ""
    if len(number) == 10 and Resident.objects.filter(addressee_number=number).exists():
        found = number
    elif len(number) == 10:
        card = SealCard.objects.select_related("registration").filter(card_number=number).first()
        found = card.registration.addressee_number if card else ""
    elif len(number) == 8:
        found = SealRegistration.objects.filter(registration_number=number).values_list(
            "addressee_number", flat=True).first() or ""
    elif len(number) == 9:
        found = SealInquiry.objects.filter(inquiry_number=number).values_list("addressee_number", flat=True).first() or ""
    if not found:
        refusal = NotFound("該当する方が見つかりません。宛名番号（10桁）、印鑑登録番号（8桁）、照会番号（9桁）または"
                           "印鑑登録証番号（10桁）を入力してください。", field="q")
        log_refusal(actor, function, (), message=refusal.message, detail={"q": number})
        raise refusal
    return found


def impression_png(registration_number: str = "", *, actor: Actor, inquiry_number: str = "") -> bytes:
    """The stored impression (PNG with its dpi), for the counter screens (comparing a 保証書 or a presented seal)."""
    function = "seal.impression"
    require_permission(actor, perms.REGISTER_SEAL, function)
    if inquiry_number:
        obj = SealInquiry.objects.filter(inquiry_number=inquiry_number).first()
    else:
        obj = SealRegistration.objects.filter(registration_number=registration_number).first()
    if obj is None:
        refuse(actor, function, NotFound("印影が見つかりません。", field="registration_number"))
    _guard(actor, obj.addressee_number, function)
    log_operation(actor, function, [obj.addressee_number],
                  detail={"registration_number": registration_number, "inquiry_number": inquiry_number})
    return bytes(obj.impression_png)


def guarantor(registration_number: str, *, actor: Actor) -> dict:
    """A 保証人 as the clerk checks the 保証書: name, status and the registered impression to compare with."""
    function = "seal.guarantor"
    require_permission(actor, perms.REGISTER_SEAL, function)
    registration = SealRegistration.objects.filter(registration_number=registration_number).first()
    if registration is None:
        refuse(actor, function, NotFound(f"印鑑登録番号 {registration_number} の登録はありません。", field="guarantor_number"))
    _guard(actor, registration.addressee_number, function)
    log_operation(actor, function, [registration.addressee_number],
                  detail={"registration_number": registration.registration_number})
    return {"registration_number": registration.registration_number, "name": registration.name,
            "status": registration.status, "status_label": registration.get_status_display(),
            "impression": _impression(registration)}


def inquiry_letter(inquiry_number: str, *, actor: Actor) -> bytes:
    """The 照会書・回答書 PDF to mail (printed again on request, every print logged)."""
    from jumin.certificates.models import signatory_on
    from jumin.core.models import current_municipality
    from jumin.seals.document import inquiry_letter_pdf

    function = "seal.inquiry_letter"
    require_permission(actor, perms.REGISTER_SEAL, function)
    inquiry = SealInquiry.objects.filter(inquiry_number=inquiry_number).first()
    if inquiry is None:
        refuse(actor, function, NotFound(f"照会番号 {inquiry_number} の照会書はありません。", field="inquiry_number"))
    _guard(actor, inquiry.addressee_number, function)
    pdf = inquiry_letter_pdf(inquiry, municipality=current_municipality(), signatory=signatory_on(inquiry.sent_on))
    log_operation(actor, function, [inquiry.addressee_number], detail={"inquiry_number": inquiry.inquiry_number})
    return pdf


def get_inquiry(inquiry_number: str, *, actor: Actor) -> dict:
    function = "seal.inquiry_view"
    require_permission(actor, perms.REGISTER_SEAL, function)
    inquiry = SealInquiry.objects.filter(inquiry_number=inquiry_number).first()
    if inquiry is None:
        refuse(actor, function, NotFound(f"照会番号 {inquiry_number} の照会書はありません。", field="inquiry_number"))
    _guard(actor, inquiry.addressee_number, function)
    log_operation(actor, function, [inquiry.addressee_number], detail={"inquiry_number": inquiry.inquiry_number})
    return inquiry_dict(inquiry)


def settings_dict() -> dict:
    s = current_settings()
    return {"min_size_mm": s.min_size_mm, "max_size_mm": s.max_size_mm, "max_upload_mb": s.max_upload_mb,
            "scanner_dpi": s.scanner_dpi, "min_dpi": s.min_dpi, "similarity_threshold_bits": s.similarity_threshold_bits,
            "min_age": s.min_age, "adult_ward_with_guardian": s.adult_ward_with_guardian,
            "inquiry_deadline_days": s.inquiry_deadline_days, "print_sex": s.print_sex,
            "retention_years": s.retention_years, "loss_abolishes_registration": s.loss_abolishes_registration,
            "my_number_card_alternative": s.my_number_card_alternative}

