"""Every state change of 印鑑登録, one `do_<verb>_<noun>()` each (design.md).

Each runs in one transaction: rights → rules (`rules.py`, `impression.py`) → the 原票 / card / 照会書 rows →
the 原票's history (`SealEvent`) → the operation log. A refusal raises `RuleViolation` with a Japanese message
before anything is written; the refusal itself is logged (outside the rolled-back transaction).

The register's own changes reach the 原票 through `records_written`, sent inside the change's transaction:
a 転出, 死亡 or other 消除 abolishes the registration ex officio (職権抹消), a name change the seal no longer
shows abolishes it, and an address change within the municipality is carried over — all in the same
transaction as the change, so a draft or a refused change touches no 原票.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone

from jumin.accounts import rules as perms
from jumin.audit.actions import Actor, log_operation, refuse
from jumin.core import journal
from jumin.core.check_digits import next_addressee_number, validate_addressee_number
from jumin.core.errors import ConflictError, NotFound, RuleViolation
from jumin.core.models import NumberSequence
from jumin.core.signals import person_flags_changed
from jumin.core.wareki import format_wareki
from jumin.register.actions.base import ConfirmationRequired, lock_residents, records_written
from jumin.register.models import Resident, ResidentHistory
from jumin.register.queries import pending_changes
from jumin.seals import impression as imp
from jumin.seals import rules
from jumin.seals.models import (SealCard, SealEvent, SealInquiry, SealRegistration, SealSettings,
                                current_settings)

# Three numbered series, told apart by their length; each is a simple sequence with an M11 check digit (like
# 宛名番号, standard-spec §7.3), so a number typed from paper with one wrong digit is refused, not mistaken.
REGISTRATION_SERIES, REGISTRATION_DIGITS = "seal_registration", 8   # 印鑑登録番号
INQUIRY_SERIES, INQUIRY_DIGITS = "seal_inquiry", 9                  # 照会番号
CARD_SERIES, CARD_DIGITS = "seal_card", 10                          # 印鑑登録証番号
LENGTHS = {"registration_number": REGISTRATION_DIGITS, "guarantor_number": REGISTRATION_DIGITS,
           "inquiry_number": INQUIRY_DIGITS, "card_number": CARD_DIGITS, "addressee_number": 10}
SYSTEM = Actor(user=None, terminal="system")


# ------------------------------------------------------------------ helpers


def _refuse(actor: Actor, function: str, numbers, refusal: RuleViolation, detail: dict | None = None):
    refuse(actor, function, refusal, numbers, detail=detail)


def _text(params: dict, name: str, limit: int = 200) -> str:
    value = params.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _flag(params: dict, name: str) -> bool:
    return params.get(name) is True


def _number(params: dict, name: str, label: str) -> str:
    raw = params.get(name)
    raw = raw if isinstance(raw, str) else ""
    cleaned = raw.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace("-", "").replace(" ", "")
    return validate_addressee_number(cleaned, field=name, label=label, length=LENGTHS[name])


def issue_number(series: str, digits: int) -> str:
    """The next number of a series (inside the caller's transaction: a rolled-back action gives it back)."""
    assert transaction.get_connection().in_atomic_block, "issue_number needs a transaction"
    sequence, _ = NumberSequence.objects.select_for_update().get_or_create(name=series)
    sequence.last_body, number = next_addressee_number(sequence.last_body, digits)
    sequence.save(update_fields=["last_body"])
    return number


def _typed(params: dict, name: str) -> str:
    """A number as typed, for the operation log of a refusal (never validated here)."""
    raw = params.get(name)
    return raw.strip()[:10] if isinstance(raw, str) else ""


def _read_upload(upload, max_bytes: int) -> bytes:
    """The uploaded scan as bytes: bytes as given, or a file object whose size is checked before it is read."""
    if upload is None:
        imp.check_file_size(0, max_bytes)
    if isinstance(upload, (bytes, bytearray, memoryview)):
        data = bytes(upload)
        imp.check_file_size(len(data), max_bytes)
        return data
    size = getattr(upload, "size", None)
    if size is not None:
        imp.check_file_size(int(size), max_bytes)
    data = upload.read(max_bytes + 1)
    imp.check_file_size(len(data), max_bytes)
    return data


def measure(upload, settings: SealSettings) -> imp.Impression:
    """Read and measure an uploaded scan and apply the municipality's size limits."""
    data = _read_upload(upload, settings.max_upload_bytes)
    measured = imp.read_impression(data, max_bytes=settings.max_upload_bytes, scanner_dpi=settings.scanner_dpi,
                                   min_dpi=settings.min_dpi)
    imp.check_size(measured.ink_width_mm, measured.ink_height_mm, min_mm=settings.min_size_mm,
                   max_mm=settings.max_size_mm)
    return measured


def parse_application(params: dict, *, route: str | None = None) -> rules.Application:
    return rules.Application(
        route=route or _text(params, "route"), applicant=_text(params, "applicant") or rules.SELF,
        agent_name=_text(params, "agent_name"), agent_letter=_flag(params, "agent_letter"),
        identity_document=_text(params, "identity_document", 40),
        guarantor_number=_text(params, "guarantor_number", 20), guarantee_checked=_flag(params, "guarantee_checked"),
        represents=_text(params, "represents", 30), katakana_name=_text(params, "katakana_name"),
        seal_checked=_flag(params, "seal_checked"), guardian_present=_flag(params, "guardian_present"),
        guardian_name=_text(params, "guardian_name"),
    )


def address_of(resident) -> str:
    return " ".join(x for x in (resident.address, resident.address_supplement) if x)


def _person(resident: Resident) -> rules.Person:
    pending = pending_changes([resident.addressee_number]).get(resident.addressee_number)
    return rules.Person(addressee_number=resident.addressee_number, name=resident.name, status=resident.status,
                        birth_date=resident.birth_date, adult_ward=resident.adult_ward, pending_change=bool(pending),
                        resident_type=resident.resident_type)


def _lock_person(number: str) -> Resident:
    """The applicant's record, row-locked with their household (the register's lock order), so two members of
    one household cannot register the same seal at the same moment."""
    resident = lock_residents([number]).get(number)
    if resident is None:
        raise NotFound(f"宛名番号 {number} の住民票は見つかりません。", field="addressee_number")
    return resident


def active_registration(number: str, *, lock: bool = False) -> SealRegistration | None:
    rows = SealRegistration.objects.filter(addressee_number=number, status=rules.ACTIVE)
    if lock:
        rows = rows.select_for_update()
    return rows.first()


def similar_registrations(impression_hash: str, resident: Resident, settings: SealSettings) -> list[dict]:
    """Active registrations of the applicant's living household members whose impression is similar
    (one seal cannot serve two persons, standard-spec §5.1)."""
    members = dict(Resident.objects.filter(household_id=resident.household_id, status="resident")
                   .exclude(addressee_number=resident.addressee_number).values_list("addressee_number", "name"))
    out = []
    for reg in SealRegistration.objects.filter(addressee_number__in=list(members), status=rules.ACTIVE) \
            .order_by("registration_number").only("registration_number", "addressee_number", "impression_hash"):
        distance = imp.hash_distance(impression_hash, reg.impression_hash)
        if distance <= settings.similarity_threshold_bits:
            out.append({"registration_number": reg.registration_number, "addressee_number": reg.addressee_number,
                        "name": members[reg.addressee_number], "distance_bits": distance})
    return out


def _decide_similarity(similar: list[dict], params: dict, actor: Actor) -> tuple[bool, str]:
    """(overridden, reason). Similar impressions are refused unless a user with the right confirms, with a reason."""
    if not similar:
        return False, ""
    first = similar[0]
    percent = round(first["distance_bits"] / imp.HASH_BITS * 100, 1)
    if not _flag(params, "override_similarity"):
        raise RuleViolation(
            f"同じ世帯の{first['name']}さんが登録している印影（登録番号 {first['registration_number']}）とよく似ています"
            f"（相違 {percent}%）。1つの印鑑を2人で登録することはできません。別の印鑑で申請してください。別の印鑑である"
            "ことを確かめたときは、審査・決裁の権限を持つ職員が「類似印影を承認して登録」で登録します。",
            field="impression", code="similar_impression")
    if not actor.user.may(perms.OVERRIDE_SEAL_SIMILARITY):
        raise RuleViolation("類似印影を承認して登録する権限がありません。審査・決裁の権限を持つ職員に依頼してください。",
                            field="override_similarity", code="override_not_permitted")
    reason = _text(params, "override_reason", 500)
    if not reason:
        raise RuleViolation("類似印影を承認する理由（両方の印鑑を見比べた結果など）を入力してください。",
                            field="override_reason", code="required")
    return True, reason


def _event(actor: Actor | str, action: str, day: date, *, registration=None, inquiry=None, detail=None,
           terminal: str = "") -> SealEvent:
    username = actor if isinstance(actor, str) else actor.username
    terminal = terminal or ("" if isinstance(actor, str) else actor.terminal)
    event = SealEvent.objects.create(registration=registration, inquiry=inquiry, action=action, day=day,
                                     username=username, terminal=terminal[:50], detail=detail or {})
    journal.record("seal_events", [event.pk])   # joins the action's collecting() block (jumin.core.journal)
    return event


def _issue_card(registration: SealRegistration, actor: Actor, today: date, now: datetime, *,
                replaces: SealCard | None = None, reason: str = "") -> SealCard:
    card = SealCard.objects.create(card_number=issue_number(CARD_SERIES, CARD_DIGITS), registration=registration,
                                   issued_on=today, issued_at=now, reissue=replaces is not None or bool(reason),
                                   reissue_reason=reason,
                                   replaces=replaces)
    _event(actor, "card_reissued" if card.reissue else "card_issued", today, registration=registration,
           detail={"card_number": card.card_number, "reason": reason,
                   "replaces": replaces.card_number if replaces else ""})
    return card


def _abolish(registration: SealRegistration, *, reason: str, note: str, day: date, now: datetime, username: str,
             terminal: str, card_returned: bool = False, detail: dict | None = None) -> None:
    settings = current_settings()
    registration.status = rules.ABOLISHED
    registration.abolished_on = day
    registration.abolished_at = now
    registration.abolition_reason = reason
    registration.abolition_note = note[:500]
    registration.abolished_by = username
    registration.retain_until = rules.retain_until(day, settings.retention_years)
    registration.version += 1
    registration.save()
    journal.record("seals", [registration.registration_number])
    cards = list(SealCard.objects.filter(registration=registration, status=rules.CARD_VALID))
    for card in cards:
        card.status = rules.CARD_RETURNED if card_returned else rules.CARD_VOID
        card.ended_on = day
        card.save(update_fields=["status", "ended_on"])
    _event(username, "abolished", day, registration=registration, terminal=terminal,
           detail={"reason": reason, "note": note[:500], "cards": [c.card_number for c in cards],
                   "card_returned": card_returned} | (detail or {}))
    person_flags_changed.send(sender=SealRegistration, flag="seal", addressee_numbers=[registration.addressee_number],
                              reason=f"seal_abolished_{reason}", actor=None, operator=username)


def _registration_snapshot(resident: Resident) -> dict:
    return {"name": resident.name, "former_surname": resident.former_surname, "alias": resident.alias,
            "name_alphabet": resident.name_alphabet, "birth_date": resident.birth_date, "sex": resident.sex,
            "address": address_of(resident), "resident_type": resident.resident_type}


def _check_person(resident: Resident, app: rules.Application, settings: SealSettings, today: date,
                  record_extra: dict | None = None) -> None:
    existing = active_registration(resident.addressee_number, lock=True)
    rules.check_eligibility(_person(resident), today=today, min_age=settings.min_age,
                            adult_ward_allowed=settings.adult_ward_with_guardian,
                            guardian_present=app.guardian_present, guardian_name=app.guardian_name,
                            active_registration=existing.registration_number if existing else None)
    record = {"resident_type": resident.resident_type, "former_surname": resident.former_surname,
              "alias": resident.alias} | (record_extra or {})
    rules.check_represents(app.represents, record)


def _guard(actor: Actor, number: str, function: str) -> None:
    """支援措置・抑止 (the one enforcement module): a person the clerk may not see cannot be registered either."""
    from jumin.restrictions.queries import guard_view

    guard_view(actor, number, function=function)


# ------------------------------------------------------------------ registration (same day: photo ID or guarantor)


def do_register_seal(params: dict, *, impression, actor: Actor, now: datetime | None = None) -> SealRegistration:
    """印鑑登録 in person the same day (standard-spec §5.3): `route` "in_person" (photo ID) or "guarantor"
    (保証書 signed with a registered seal). The inquiry route is `do_send_inquiry` + `do_answer_inquiry`."""
    function = "seal.register"
    now = now or timezone.now()
    today = timezone.localdate(now)
    typed = _typed(params, "addressee_number")
    try:
        actor.user.require(perms.REGISTER_SEAL)
        number = _number(params, "addressee_number", "宛名番号")
        app = parse_application(params)
        if app.route == rules.INQUIRY:
            raise RuleViolation("照会書・回答書による登録は「照会書の発送」で受け付けます。", field="route",
                                code="use_inquiry")
        rules.check_application(app)
        guarantor_number = ""
        if app.route == rules.GUARANTOR:
            guarantor_number = _number(params, "guarantor_number", "保証人の印鑑登録番号")
        settings = current_settings()
        measured = measure(impression, settings)
        _guard(actor, number, function)
        with transaction.atomic(), journal.collecting():
            resident = _lock_person(number)
            _check_person(resident, app, settings, today, {"katakana_name": app.katakana_name})
            guarantor = None
            if app.route == rules.GUARANTOR:
                guarantor = SealRegistration.objects.select_for_update().filter(
                    registration_number=guarantor_number).first()
                rules.check_guarantor(guarantor_status=guarantor.status if guarantor else None,
                                      guarantor_number=guarantor_number,
                                      guarantor_addressee=guarantor.addressee_number if guarantor else "",
                                      applicant_addressee=number)
            similar = similar_registrations(measured.dhash, resident, settings)
            overridden, override_reason = _decide_similarity(similar, params, actor)
            registration = SealRegistration(
                registration_number=issue_number(REGISTRATION_SERIES, REGISTRATION_DIGITS), addressee_number=number,
                status=rules.ACTIVE, registered_on=today, registered_at=now, route=app.route, applicant=rules.SELF,
                identity_document=app.identity_document if app.route == rules.IN_PERSON else "",
                guarantor_registration_number=guarantor.registration_number if guarantor else "",
                guarantor_addressee_number=guarantor.addressee_number if guarantor else "",
                guardian_name=app.guardian_name if resident.adult_ward else "", represents=app.represents,
                katakana_name=app.katakana_name, entered_by=actor.username, terminal=actor.terminal[:50],
                **_registration_snapshot(resident))
            registration.set_impression(measured)
            _apply_override(registration, similar, overridden, override_reason, actor)
            registration.save()
            journal.record("seals", [registration.registration_number])
            card = _issue_card(registration, actor, today, now)
            _event(actor, "registered", today, registration=registration,
                   detail=_registered_detail(registration, card))
            _log_registered(actor, function, registration, card, similar, overridden)
        return registration
    except IntegrityError:
        _refuse(actor, function, [typed], ConflictError(
            "同じ方の登録が同時に行われました。登録状況を確認してください。", code="conflict"))
    except RuleViolation as refusal:
        _refuse(actor, function, [typed], refusal)


def _apply_override(target, similar: list[dict], overridden: bool, reason: str, actor: Actor) -> None:
    target.similar_to = similar
    target.similarity_override = overridden
    target.similarity_override_by = actor.username if overridden else ""
    target.similarity_override_reason = reason


def _registered_detail(registration: SealRegistration, card: SealCard) -> dict:
    return {"route": registration.route, "card_number": card.card_number,
            "impression_mm": [registration.impression_width_mm, registration.impression_height_mm],
            "dpi": [registration.impression_dpi_x, registration.impression_dpi_y],
            "dpi_source": registration.impression_dpi_source, "guarantor": registration.guarantor_registration_number,
            "inquiry": registration.inquiry.inquiry_number if registration.inquiry_id else ""}


def _log_registered(actor: Actor, function: str, registration: SealRegistration, card: SealCard, similar, overridden):
    person_flags_changed.send(sender=SealRegistration, flag="seal", addressee_numbers=[registration.addressee_number],
                              reason="seal_registered", actor=actor)
    log_operation(actor, function, [registration.addressee_number],
                  detail={"registration_number": registration.registration_number, "card_number": card.card_number,
                          "route": registration.route,
                          "impression_mm": [registration.impression_width_mm, registration.impression_height_mm],
                          "similar": [s["registration_number"] for s in similar]})
    if overridden:
        _event(actor, "similarity_override", registration.registered_on, registration=registration,
               detail={"similar_to": similar, "reason": registration.similarity_override_reason})
        log_operation(actor, "seal.override_similarity", [registration.addressee_number]
                      + [s["addressee_number"] for s in similar], reason=registration.similarity_override_reason,
                      detail={"registration_number": registration.registration_number, "similar_to": similar})


# ------------------------------------------------------------------ registration by 照会書・回答書


def do_send_inquiry(params: dict, *, impression, actor: Actor, now: datetime | None = None) -> SealInquiry:
    """申請 by the inquiry route (also by a 代理人 with 委任状): the impression is measured and kept with the
    照会書, which is mailed to the applicant's address; the 回答書 must come back by the deadline."""
    function = "seal.inquiry_send"
    now = now or timezone.now()
    today = timezone.localdate(now)
    typed = _typed(params, "addressee_number")
    try:
        actor.user.require(perms.REGISTER_SEAL)
        number = _number(params, "addressee_number", "宛名番号")
        app = parse_application(params, route=rules.INQUIRY)
        rules.check_application(app)
        settings = current_settings()
        measured = measure(impression, settings)
        _guard(actor, number, function)
        with transaction.atomic(), journal.collecting():
            resident = _lock_person(number)
            _check_person(resident, app, settings, today, {"katakana_name": app.katakana_name})
            open_inquiry = SealInquiry.objects.filter(addressee_number=number, status=rules.INQUIRY_SENT,
                                                      deadline_on__gte=today).first()
            if open_inquiry is not None:
                raise RuleViolation(f"{resident.name}さんには回答待ちの照会書があります（照会番号 {open_inquiry.inquiry_number}、"
                                    f"期限 {format_wareki(open_inquiry.deadline_on)}）。回答書を受け付けてください。",
                                    field="addressee_number", code="inquiry_open")
            similar = similar_registrations(measured.dhash, resident, settings)
            overridden, override_reason = _decide_similarity(similar, params, actor)
            inquiry = SealInquiry(
                inquiry_number=issue_number(INQUIRY_SERIES, INQUIRY_DIGITS), addressee_number=number,
                name=resident.name,
                address=address_of(resident), applicant=app.applicant,
                agent_name=app.agent_name if app.applicant == rules.AGENT else "",
                agent_letter=app.agent_letter if app.applicant == rules.AGENT else False,
                guardian_name=app.guardian_name if resident.adult_ward else "", sent_on=today, sent_at=now,
                deadline_on=rules.reply_deadline(today, settings.inquiry_deadline_days), represents=app.represents,
                katakana_name=app.katakana_name, entered_by=actor.username, terminal=actor.terminal[:50])
            inquiry.set_impression(measured)
            _apply_override(inquiry, similar, overridden, override_reason, actor)
            inquiry.save()
            _event(actor, "inquiry_sent", today, inquiry=inquiry,
                   detail={"inquiry_number": inquiry.inquiry_number, "deadline_on": inquiry.deadline_on.isoformat(),
                           "applicant": app.applicant, "agent_name": inquiry.agent_name})
            log_operation(actor, function, [number], detail={
                "inquiry_number": inquiry.inquiry_number, "deadline_on": inquiry.deadline_on.isoformat(),
                "applicant": app.applicant, "similar": [s["registration_number"] for s in similar]})
            if overridden:
                log_operation(actor, "seal.override_similarity", [number] + [s["addressee_number"] for s in similar],
                              reason=override_reason, detail={"inquiry_number": inquiry.inquiry_number,
                                                              "similar_to": similar})
        return inquiry
    except RuleViolation as refusal:
        _refuse(actor, function, [typed], refusal)


def do_answer_inquiry(inquiry_number: str, params: dict, *, actor: Actor,
                      now: datetime | None = None) -> SealRegistration:
    """回答書 brought back (by the applicant, or a 代理人 with the 委任欄 filled in) within the deadline: the seal is
    registered with the impression taken at the application, and the card issued."""
    function = "seal.inquiry_answer"
    now = now or timezone.now()
    today = timezone.localdate(now)
    numbers: list[str] = []
    try:
        actor.user.require(perms.REGISTER_SEAL)
        number_text = _number({"inquiry_number": inquiry_number}, "inquiry_number", "照会番号")
        bearer = _text(params, "bearer") or rules.SELF
        rules.check_reply_bearer(bearer=bearer, agent_name=_text(params, "agent_name"),
                                 agent_letter=_flag(params, "agent_letter"),
                                 identity_document=_text(params, "identity_document", 40),
                                 reply_checked=_flag(params, "reply_checked"))
        settings = current_settings()
        found = SealInquiry.objects.filter(inquiry_number=number_text).first()
        if found is None:
            raise NotFound(f"照会番号 {number_text} の照会書はありません。", field="inquiry_number")
        numbers = [found.addressee_number]
        rules.check_reply(status=found.status, deadline=found.deadline_on, today=today, fmt=format_wareki)
        _guard(actor, found.addressee_number, function)
        with transaction.atomic(), journal.collecting():
            resident = _lock_person(found.addressee_number)
            inquiry = SealInquiry.objects.select_for_update().get(pk=found.pk)
            rules.check_reply(status=inquiry.status, deadline=inquiry.deadline_on, today=today, fmt=format_wareki)
            app = rules.Application(route=rules.INQUIRY, applicant=inquiry.applicant, represents=inquiry.represents,
                                    katakana_name=inquiry.katakana_name, seal_checked=True,
                                    guardian_present=bool(inquiry.guardian_name) or _flag(params, "guardian_present"),
                                    guardian_name=inquiry.guardian_name or _text(params, "guardian_name"))
            _check_person(resident, app, settings, today, {"katakana_name": inquiry.katakana_name})
            similar = similar_registrations(inquiry.impression_hash, resident, settings)
            if inquiry.similarity_override and {s["registration_number"] for s in similar} <= \
                    {s["registration_number"] for s in inquiry.similar_to}:
                overridden, override_reason = True, inquiry.similarity_override_reason
            else:
                overridden, override_reason = _decide_similarity(similar, params, actor)
            registration = SealRegistration(
                registration_number=issue_number(REGISTRATION_SERIES, REGISTRATION_DIGITS),
                addressee_number=resident.addressee_number, status=rules.ACTIVE, registered_on=today,
                registered_at=now, route=rules.INQUIRY,
                applicant=inquiry.applicant, agent_name=inquiry.agent_name, agent_letter=inquiry.agent_letter,
                identity_document=_text(params, "identity_document", 40), inquiry=inquiry,
                guardian_name=app.guardian_name if resident.adult_ward else "", entered_by=actor.username,
                terminal=actor.terminal[:50], **_registration_snapshot(resident))
            inquiry.copy_impression_to(registration)
            _apply_override(registration, similar, overridden, override_reason, actor)
            registration.save()
            journal.record("seals", [registration.registration_number])
            inquiry.status = rules.INQUIRY_ANSWERED
            inquiry.answered_on = today
            inquiry.save(update_fields=["status", "answered_on"])
            card = _issue_card(registration, actor, today, now)
            _event(actor, "registered", today, registration=registration,
                   detail=_registered_detail(registration, card) | {
                       "bearer": bearer, "bearer_agent": _text(params, "agent_name")})
            _log_registered(actor, function, registration, card, similar,
                            overridden and not inquiry.similarity_override)
        return registration
    except IntegrityError:
        _refuse(actor, function, numbers, ConflictError("同じ方の登録が同時に行われました。登録状況を確認してください。"))
    except RuleViolation as refusal:
        _refuse(actor, function, numbers, refusal, {"inquiry_number": str(inquiry_number)[:20]})


# ------------------------------------------------------------------ 印鑑登録証: loss and re-issue


def _find_registration(params: dict, *, lock: bool = True) -> SealRegistration:
    number = _number(params, "registration_number", "印鑑登録番号")
    rows = SealRegistration.objects.select_for_update() if lock else SealRegistration.objects
    registration = rows.filter(registration_number=number).first()
    if registration is None:
        raise NotFound(f"印鑑登録番号 {number} の登録はありません。", field="registration_number")
    return registration


def _require_active(registration: SealRegistration) -> None:
    if registration.status != rules.ACTIVE:
        raise RuleViolation(f"印鑑登録番号 {registration.registration_number} の登録は廃止されています"
                            f"（{format_wareki(registration.abolished_on)} {registration.get_abolition_reason_display()}）。",
                            field="registration_number", code="registration_abolished")


def _check_reporter(params: dict) -> tuple[str, str]:
    who = _text(params, "reporter") or rules.SELF
    if who not in rules.APPLICANT_LABELS:
        raise RuleViolation("届出人（本人・代理人）を選んでください。", field="reporter")
    name = _text(params, "reporter_name")
    if who == rules.AGENT and not name:
        raise RuleViolation("届出をした代理人の氏名を入力してください。", field="reporter_name", code="required")
    return who, name


def do_report_card_loss(params: dict, *, actor: Actor, now: datetime | None = None) -> SealCard:
    """亡失届: the card (`card_number`, or the valid card of `registration_number`) is blocked at once; where the
    ordinance says so (the default), the registration is abolished in the same transaction."""
    function = "seal.card_loss"
    now = now or timezone.now()
    today = timezone.localdate(now)
    numbers: list[str] = []
    try:
        actor.user.require(perms.REGISTER_SEAL)
        who, name = _check_reporter(params)
        settings = current_settings()
        with transaction.atomic(), journal.collecting():
            if params.get("card_number"):
                card_number = _number(params, "card_number", "印鑑登録証番号")
                card = SealCard.objects.select_for_update().select_related("registration") \
                    .filter(card_number=card_number).first()
                if card is None:
                    raise NotFound(f"印鑑登録証番号 {card_number} の登録証はありません。", field="card_number")
                registration = SealRegistration.objects.select_for_update().get(pk=card.registration_id)
            else:
                registration = _find_registration(params)
                card = SealCard.objects.select_for_update().filter(registration=registration,
                                                                   status=rules.CARD_VALID).first()
                if card is None:
                    raise RuleViolation("この登録には有効な印鑑登録証がありません（亡失の届出済みか、登録が廃止されています）。",
                                        field="registration_number", code="no_valid_card")
            numbers = [registration.addressee_number]
            if card.status == rules.CARD_LOST:
                raise RuleViolation(f"この印鑑登録証（{card.card_number}）は{format_wareki(card.lost_on)}に亡失の届出がされて"
                                    "います。", field="card_number", code="already_lost")
            if card.status != rules.CARD_VALID:
                raise RuleViolation(f"この印鑑登録証（{card.card_number}）は既に使えなくなっています"
                                    f"（{card.get_status_display()}）。", field="card_number", code="card_not_valid")
            card.status = rules.CARD_LOST
            card.lost_on, card.lost_at, card.ended_on = today, now, today
            card.save(update_fields=["status", "lost_on", "lost_at", "ended_on"])
            _event(actor, "card_lost", today, registration=registration,
                   detail={"card_number": card.card_number, "reporter": who, "reporter_name": name})
            abolished = False
            if settings.loss_abolishes_registration and registration.status == rules.ACTIVE:
                _abolish(registration, reason=rules.LOSS, note=f"印鑑登録証 {card.card_number} の亡失届", day=today,
                         now=now, username=actor.username, terminal=actor.terminal)
                abolished = True
            log_operation(actor, function, numbers, detail={
                "card_number": card.card_number, "registration_number": registration.registration_number,
                "abolished": abolished, "reporter": who})
        return card
    except RuleViolation as refusal:
        _refuse(actor, function, numbers or [_typed(params, "registration_number")], refusal)


def do_reissue_card(params: dict, *, actor: Actor, now: datetime | None = None) -> SealCard:
    """再交付 of the 印鑑登録証 of an active registration: a damaged card is handed back and replaced; after a loss
    report (where the loss does not abolish the registration) a new card is issued. The registrant comes in
    person with a photo ID."""
    function = "seal.card_reissue"
    now = now or timezone.now()
    today = timezone.localdate(now)
    numbers: list[str] = []
    try:
        actor.user.require(perms.REGISTER_SEAL)
        reason = _text(params, "reason")
        if reason not in dict(rules.REISSUE_CHOICES):
            raise RuleViolation("再交付の事由（毀損・汚損／亡失）を選んでください。", field="reason", code="required")
        if _text(params, "identity_document", 40) not in rules.PHOTO_ID_LABELS:
            raise RuleViolation("登録者本人の写真付き本人確認書類を確認し、選んでください。", field="identity_document",
                                code="required")
        with transaction.atomic(), journal.collecting():
            registration = _find_registration(params)
            numbers = [registration.addressee_number]
            _require_active(registration)
            current = SealCard.objects.select_for_update().filter(registration=registration,
                                                                  status=rules.CARD_VALID).first()
            if reason == rules.REISSUE_DAMAGED:
                if current is None:
                    raise RuleViolation("有効な印鑑登録証がありません。亡失したときは亡失届の後に「亡失」で再交付します。",
                                        field="reason", code="no_valid_card")
                if not _flag(params, "old_card_returned"):
                    raise RuleViolation("毀損・汚損した印鑑登録証を回収してください（回収したことを確認してください）。",
                                        field="old_card_returned", code="required")
                current.status = rules.CARD_REPLACED
                current.ended_on = today
                current.save(update_fields=["status", "ended_on"])
                replaced = current
            else:
                if current is not None:
                    raise RuleViolation(f"有効な印鑑登録証（{current.card_number}）があります。亡失したときは先に亡失届を"
                                        "受け付けてください。", field="reason", code="card_still_valid")
                replaced = SealCard.objects.filter(registration=registration, status=rules.CARD_LOST) \
                    .order_by("-lost_at").first()
                if replaced is not None and hasattr(replaced, "replaced_by"):
                    replaced = None
            card = _issue_card(registration, actor, today, now, replaces=replaced, reason=reason)
            log_operation(actor, function, numbers, detail={
                "registration_number": registration.registration_number, "card_number": card.card_number,
                "replaces": replaced.card_number if replaced else "", "reason": reason})
        return card
    except RuleViolation as refusal:
        _refuse(actor, function, numbers or [_typed(params, "registration_number")], refusal)


# ------------------------------------------------------------------ 廃止


def do_abolish_registration(params: dict, *, actor: Actor, now: datetime | None = None) -> SealRegistration:
    """登録の廃止 on request (本人, or a 代理人 with 委任状): the card is handed back (or was lost)."""
    function = "seal.abolish"
    now = now or timezone.now()
    today = timezone.localdate(now)
    numbers: list[str] = []
    try:
        actor.user.require(perms.REGISTER_SEAL)
        applicant = _text(params, "applicant") or rules.SELF
        if applicant not in rules.APPLICANT_LABELS:
            raise RuleViolation("申請者（本人・代理人）を選んでください。", field="applicant")
        if applicant == rules.AGENT:
            if not _text(params, "agent_name"):
                raise RuleViolation("代理人の氏名を入力してください。", field="agent_name", code="required")
            if not _flag(params, "agent_letter"):
                raise RuleViolation("代理人による廃止の申請には委任状の確認が必要です。", field="agent_letter",
                                    code="agent_letter_required")
        with transaction.atomic(), journal.collecting():
            registration = _find_registration(params)
            numbers = [registration.addressee_number]
            _require_active(registration)
            returned = _flag(params, "card_returned")
            note = _text(params, "note", 500) or ("印鑑登録証を返納" if returned else "印鑑登録証の返納なし")
            _abolish(registration, reason=rules.BY_REQUEST, note=note, day=today, now=now, username=actor.username,
                     terminal=actor.terminal, card_returned=returned,
                     detail={"applicant": applicant, "agent_name": _text(params, "agent_name")})
            log_operation(actor, function, numbers, reason=note, detail={
                "registration_number": registration.registration_number, "applicant": applicant,
                "card_returned": returned})
        return registration
    except RuleViolation as refusal:
        _refuse(actor, function, numbers or [_typed(params, "registration_number")], refusal)


# ------------------------------------------------------------------ following the register (職権抹消, 住所)


def follow_register(addressee_numbers) -> list[SealRegistration]:
    """Called inside a register change's transaction with the persons whose records it wrote: each active
    registration is abolished ex officio when its person is no longer a resident (転出, 死亡, 職権消除 …) or the
    seal no longer shows the person's name; otherwise the 原票 takes the new address and other items."""
    numbers = [n for n in set(addressee_numbers or ()) if n]
    if not numbers:
        return []
    registrations = list(SealRegistration.objects.select_for_update()
                         .filter(status=rules.ACTIVE, addressee_number__in=numbers).order_by("registration_number"))
    if not registrations:
        return []
    residents = {r.addressee_number: r for r in Resident.objects.filter(
        addressee_number__in=[r.addressee_number for r in registrations])}
    changes = {}
    for number, change_id, reason_code, effective_on in ResidentHistory.objects.filter(
            addressee_number__in=list(residents)).order_by("addressee_number", "history_number") \
            .values_list("addressee_number", "change_id", "reason_code", "effective_on"):
        changes[number] = (change_id, reason_code, effective_on)
    now = timezone.now()
    today = timezone.localdate(now)
    touched = []
    for registration in registrations:
        resident = residents.get(registration.addressee_number)
        change_id, reason_code, effective_on = changes.get(registration.addressee_number, (None, "", None))
        detail = {"change_id": change_id, "reason_code": reason_code,
                  "effective_on": effective_on.isoformat() if effective_on else None}
        if resident is None or resident.status != "resident":
            reason = rules.abolition_for_removal(resident.removal_reason if resident else "")
            note = f"住民票の消除（{resident.get_removal_reason_display() if resident else '記録なし'}）による職権抹消"
            _abolish(registration, reason=reason, note=note, day=today, now=now, username=SYSTEM.username,
                     terminal=SYSTEM.terminal, detail=detail)
            log_operation(SYSTEM, "seal.abolish_ex_officio", [registration.addressee_number], change_id=change_id,
                          reason=note, detail={"registration_number": registration.registration_number,
                                               "abolition_reason": reason})
            touched.append(registration)
            continue
        if resident.adult_ward and not registration.guardian_name and not current_settings().adult_ward_with_guardian:
            note = "成年被後見人となったため（意思能力を有しない者）の職権抹消"
            _abolish(registration, reason=rules.INELIGIBLE, note=note, day=today, now=now, username=SYSTEM.username,
                     terminal=SYSTEM.terminal, detail=detail)
            log_operation(SYSTEM, "seal.abolish_ex_officio", [registration.addressee_number], change_id=change_id,
                          reason=note, detail={"registration_number": registration.registration_number,
                                               "abolition_reason": rules.INELIGIBLE})
            touched.append(registration)
            continue
        before = {"name": registration.name, "former_surname": registration.former_surname,
                  "alias": registration.alias, "name_alphabet": registration.name_alphabet,
                  "katakana_name": registration.katakana_name}
        after = {"name": resident.name, "former_surname": resident.former_surname, "alias": resident.alias,
                 "name_alphabet": resident.name_alphabet, "katakana_name": registration.katakana_name}
        lapsed = rules.lapses_on_name_change(registration.represents, before, after)
        if lapsed:
            labels = {"surname": "氏", "given_name": "名", "former_surname": "旧氏", "alias": "通称",
                      "name_alphabet": "氏名（アルファベット）", "katakana_name": "氏名のカタカナ表記"}
            note = (f"{'・'.join(labels[p] for p in lapsed)}の変更（{registration.name} → {resident.name}）により、"
                    f"登録印（{registration.get_represents_display()}）が氏名等を表さなくなったための職権抹消")
            _abolish(registration, reason=rules.NAME_CHANGE, note=note, day=today, now=now,
                     username=SYSTEM.username, terminal=SYSTEM.terminal, detail=detail | {"changed": lapsed})
            log_operation(SYSTEM, "seal.abolish_ex_officio", [registration.addressee_number], change_id=change_id,
                          reason=note, detail={"registration_number": registration.registration_number,
                                               "abolition_reason": rules.NAME_CHANGE, "changed": lapsed})
            touched.append(registration)
            continue
        new = _registration_snapshot(resident)
        updated = {k: v for k, v in new.items() if getattr(registration, k) != v}
        if not updated:
            continue
        old = {k: getattr(registration, k) for k in updated}
        for k, v in updated.items():
            setattr(registration, k, v)
        registration.version += 1
        registration.save()
        journal.record("seals", [registration.registration_number])
        shown = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in updated.items()}
        shown_old = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in old.items()}
        action = "address_carried" if set(updated) == {"address"} else "items_updated"
        _event(SYSTEM.username, action, today, registration=registration, terminal=SYSTEM.terminal,
               detail=detail | {"before": shown_old, "after": shown})
        log_operation(SYSTEM, "seal.follow_register", [registration.addressee_number], change_id=change_id,
                      detail={"registration_number": registration.registration_number, "items": sorted(updated)})
        touched.append(registration)
    return touched


@receiver(records_written)
def _on_records_written(sender, addressee_numbers, **kwargs):
    follow_register(addressee_numbers)


# ------------------------------------------------------------------ 印鑑登録証明書


@dataclass
class IssueResult:
    issuance: object
    pdf: bytes
    alerts: list
    registration: SealRegistration


def do_issue_seal_certificate(params: dict, *, actor: Actor, now: datetime | None = None) -> IssueResult:
    """印鑑登録証明書 (standard-spec §5.4): on presentation of the 印鑑登録証 (or, where the municipality allows it,
    the registrant's 個人番号カード). Recorded in the 交付履歴 like every certificate, with its 発行番号, 照合番号,
    QR code, 認証文 and 公印; the impression printed at its registered physical size."""
    from jumin.certificates import rules as cert_rules
    from jumin.certificates.actions import record_issuance, take_serials
    from jumin.certificates.models import current_config, signatory_on
    from jumin.certificates.render import unprintable_refusal
    from jumin.core.models import current_municipality
    from jumin.restrictions.queries import guard_certificate
    from jumin.seals.document import build_certificate

    function = "seal.certificate"
    now = now or timezone.now()
    today = timezone.localdate(now)
    numbers: list[str] = []
    kind = cert_rules.KINDS["seal_certificate"]
    try:
        actor.user.require(perms.ISSUE_CERTIFICATE)
        settings = current_settings()
        config = current_config()
        presentation = _text(params, "presentation") or rules.PRESENT_CARD
        requester = params.get("requester") or {}
        requester = requester if isinstance(requester, dict) else {}
        requester_kind = (requester.get("kind") or rules.SELF) if isinstance(requester.get("kind") or "", str) else ""
        requester_name = requester.get("name").strip()[:200] if isinstance(requester.get("name"), str) else ""
        if requester_kind not in rules.APPLICANT_LABELS:
            raise RuleViolation("請求者（本人・代理人）を選んでください。", field="requester.kind")
        if not requester_name:
            raise RuleViolation("請求者の氏名を入力してください。", field="requester.name", code="required")
        copies = cert_rules.parse_copies(params.get("copies"))   # 0 is refused, not read as blank (issue #15)
        if not 1 <= copies <= config.max_copies:
            raise RuleViolation(f"通数は1〜{config.max_copies}通で指定してください。", field="copies")
        card = None
        if presentation == rules.PRESENT_CARD:
            card_number = _number(params, "card_number", "印鑑登録証番号")
            card = SealCard.objects.select_related("registration").filter(card_number=card_number).first()
            registration = card.registration if card else None
            numbers = [registration.addressee_number] if registration else []
            rules.check_card(card_status=card.status if card else None, card_number=card_number,
                             lost_on_text=format_wareki(card.lost_on) if card and card.lost_on else "",
                             registration_status=registration.status if registration else None,
                             abolished_text=_abolished_text(registration))
        elif presentation == rules.PRESENT_MY_NUMBER_CARD:
            if not settings.my_number_card_alternative:
                raise RuleViolation("印鑑登録証明書の交付には印鑑登録証の提示が必要です（この市区町村では個人番号カードで"
                                    "代えることはできません）。", field="presentation", code="card_required")
            if requester_kind != rules.SELF:
                raise RuleViolation("個人番号カードによる交付は登録者本人に限ります。代理人は印鑑登録証を提示してください。",
                                    field="requester.kind", code="self_only")
            number = _number(params, "addressee_number", "宛名番号")
            numbers = [number]
            registration = active_registration(number)
            if registration is None:
                raise RuleViolation("この方の印鑑登録はありません（廃止されているか、登録されていません）。",
                                    field="addressee_number", code="not_registered")
        else:
            raise RuleViolation("提示された書類（印鑑登録証・個人番号カード）を選んでください。", field="presentation")
        resident = Resident.objects.filter(addressee_number=registration.addressee_number).first()
        if resident is None:
            raise NotFound(f"宛名番号 {registration.addressee_number} の住民票は見つかりません。", field="card_number")
        pending = pending_changes([resident.addressee_number])
        cert_rules.check_subjects(kind, cert_rules.INDIVIDUAL, [cert_rules.SubjectState(
            addressee_number=resident.addressee_number, name=resident.name, status=resident.status,
            removal_reason=resident.removal_reason, removed_on=resident.removed_on,
            planned_move_out_on=resident.planned_move_out_on,
            pending_change=bool(pending.get(resident.addressee_number)),
            household_number=resident.household_number)], today)
        if resident.status != "resident":   # before the 転出予定日 a 住民票の写し is still issued; a seal is not
            raise RuleViolation(f"{resident.name}さんは住民ではありません。印鑑登録証明書は交付できません。",
                                field="card_number", code="removed")
        signatory = signatory_on(today)
        if signatory is None:
            raise RuleViolation("認証者（市区町村長・職務代理者）が設定されていません。証明書設定で登録してください。",
                                code="no_signatory")
    except RuleViolation as refusal:
        _refuse(actor, function, numbers, refusal)

    guard_requester = {"kind": requester_kind, "name": requester_name}
    for key in ("birth_date", "addressee_number"):   # lets the guard recognise an offender (支援措置)
        if isinstance(requester.get(key), str) and requester[key].strip():
            guard_requester[key] = requester[key].strip()[:40]
    try:
        alerts = list(guard_certificate(actor, subject_numbers=numbers, requester=guard_requester, function=function,
                                        now=now))
    except RuleViolation as refusal:
        if refusal.code in ("restricted", "forbidden"):
            raise   # the guard logged it with the real reason
        _refuse(actor, function, numbers, refusal)
    municipality = current_municipality()
    document = build_certificate(registration=registration, resident=resident, settings=settings,
                                 signatory=signatory, municipality=municipality, today=today)
    if document.unprintable:
        _refuse(actor, function, numbers, unprintable_refusal(document.unprintable))
    acknowledged = set(params.get("acknowledged_alerts") or [])
    unconfirmed = [a for a in alerts if a.code not in acknowledged]
    if unconfirmed:
        raise ConfirmationRequired(unconfirmed)

    place = _text(params, "place") or config.place
    printer = _text(params, "printer") or "プリンタ001"
    terminal = actor.terminal or "端末未設定"
    exempt_reason = _text(params, "fee_exempt_reason", 100)
    fee = 0 if exempt_reason else cert_rules.fee_for(kind.code, copies, requester_kind, config.fee_table())
    try:
        with transaction.atomic(), journal.collecting():
            # The card or the registration may have changed since it was read (a loss report at another desk).
            locked = SealRegistration.objects.select_for_update().get(pk=registration.pk)
            if card is not None:
                card = SealCard.objects.select_for_update().get(pk=card.pk)
                rules.check_card(card_status=card.status, card_number=card.card_number,
                                 lost_on_text=format_wareki(card.lost_on) if card.lost_on else "",
                                 registration_status=locked.status, abolished_text=_abolished_text(locked))
            elif locked.status != rules.ACTIVE:
                raise RuleViolation("この方の印鑑登録は廃止されています。", field="addressee_number",
                                    code="registration_abolished")
            serials = take_serials(today, terminal, copies)
            code = cert_rules.new_verification_code()
            pdf, issue_numbers, pages = document.render(
                serials=serials, municipality_name=municipality.name, terminal=terminal, printer=printer,
                verification_code=code, verification_url=config.verification_url, day=today)
            issuance = record_issuance(
                actor=actor, pdf=pdf, now=now, retention_days=config.document_retention_days,
                log_detail={"alerts": [a.code for a in alerts], "requester_kind": requester_kind,
                            "registration_number": registration.registration_number,
                            "presentation": presentation, "card_number": card.card_number if card else ""},
                day=today, place=place, terminal=terminal, printer=printer, kind=kind.code,
                layout=cert_rules.INDIVIDUAL, reissue=False, requester_kind=requester_kind,
                requester_name=requester_name,
                identity_check="my_number_card" if presentation == rules.PRESENT_MY_NUMBER_CARD else "seal_card",
                agent_letter=False, purpose=_text(params, "purpose", 500), subjects=[resident.addressee_number],
                household_number="", options={"presentation": presentation, "print_sex": settings.print_sex},
                items=document.items, copies=copies, pages=pages, issue_numbers=issue_numbers, fee=fee,
                fee_exempt_reason=exempt_reason, verification_code=code,
                content_digest=cert_rules.content_digest(document.content), content=document.content,
                overflow=[], individual_number_printed=False)
            _event(actor, "certificate", today, registration=locked,
                   detail={"issuance": issuance.pk, "copies": copies, "presentation": presentation,
                           "card_number": card.card_number if card else "", "issue_numbers": issue_numbers})
    except RuleViolation as refusal:
        _refuse(actor, function, numbers, refusal)
    return IssueResult(issuance=issuance, pdf=pdf, alerts=alerts, registration=registration)


def _abolished_text(registration: SealRegistration | None) -> str:
    if registration is None or registration.abolished_on is None:
        return ""
    return f"{format_wareki(registration.abolished_on)} {registration.get_abolition_reason_display()}"


# ------------------------------------------------------------------ retention


def do_purge_expired_registrations(*, actor: Actor = SYSTEM, today: date | None = None) -> int:
    """Remove abolished 原票 (with their cards and history) whose retention period is over. Active registrations,
    and abolished ones still within `retention_years`, are never touched."""
    today = today or timezone.localdate()
    with transaction.atomic():
        expired = SealRegistration.objects.filter(status=rules.ABOLISHED, retain_until__lt=today)
        rows = list(expired.values_list("registration_number", "addressee_number"))
        if not rows:
            return 0
        inquiries = list(expired.exclude(inquiry=None).values_list("inquiry_id", flat=True))
        events = list(SealEvent.objects.filter(registration__in=expired).values_list("pk", flat=True)) + \
            list(SealEvent.objects.filter(inquiry_id__in=inquiries).values_list("pk", flat=True))
        SealEvent.objects.filter(registration__in=expired).delete()
        SealCard.objects.filter(registration__in=expired).update(replaces=None)
        SealCard.objects.filter(registration__in=expired).delete()
        expired.delete()
        SealEvent.objects.filter(inquiry_id__in=inquiries).delete()
        SealInquiry.objects.filter(pk__in=inquiries).delete()
        log_operation(actor, "seal.purge", [n for _, n in rows],
                      detail={"removed": [r for r, _ in rows], "before": today.isoformat()})
        # The change journal: the removed rows, so an incremental extraction lists them as no longer present.
        journal.record_many({"seals": [r for r, _ in rows], "seal_events": events})
    return len(rows)
