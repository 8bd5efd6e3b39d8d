"""Issuing and voiding certificates. Every state change of the app is here (design.md).

`do_issue_certificate` reads the register, applies the rules in `rules.py` and the 支援措置/抑止 guard, then
in one transaction takes the 通番, renders the PDF, and writes the 交付履歴 row, the kept PDF and the
operation-log row. If rendering fails, nothing is written and no number is used up.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from jumin.accounts import rules as perms
from jumin.audit.actions import Actor, log_operation, log_refusal, refuse
from jumin.certificates import rules
from jumin.certificates.document import build_document
from jumin.certificates.render import unprintable_refusal
from jumin.certificates.models import IssueCounter, Issuance, IssuedDocument, current_config, signatory_on
from jumin.core import journal
from jumin.core.errors import ConflictError, NotFound, RuleViolation
from jumin.core.models import current_municipality
from jumin.register import choices as c
from jumin.register.actions.base import Alert, ConfirmationRequired
from jumin.register.models import Resident, ResidentHistory
from jumin.register.queries import pending_changes, record_dict

FUNCTION = "certificate.issue"


@dataclass
class IssueResult:
    issuance: Issuance
    pdf: bytes
    alerts: list


def _refuse(actor: Actor, numbers, refusal: RuleViolation, function: str = FUNCTION):
    refuse(actor, function, refusal, numbers)


def _text(params: dict, name: str) -> str:
    value = params.get(name)
    return value.strip() if isinstance(value, str) else ""


def parse_request(params: dict) -> rules.Request:
    requester = params.get("requester") or {}
    copies = rules.parse_copies(params.get("copies"))
    kind = _text(params, "kind")
    layout = _text(params, "layout") or (rules.KINDS[kind].layouts[0] if kind in rules.KINDS else "")
    options = params.get("options") or {}
    if not isinstance(options, dict):
        raise RuleViolation("記載事項の選択はオブジェクトで指定してください。", field="options")
    return rules.Request(
        kind=kind, layout=layout, requester_kind=(requester.get("kind") or "").strip(),
        requester_name=(requester.get("name") or "").strip(), identity_check=_text(params, "identity_check"),
        purpose=_text(params, "purpose"), options=options, copies=copies, reissue=bool(params.get("reissue")),
        agent_letter=bool(params.get("agent_letter")),
    )


def _subject_numbers(params: dict) -> list[str]:
    numbers = [n.strip() for n in params.get("subjects") or [] if isinstance(n, str) and n.strip()]
    household = _text(params, "household_number")
    if not numbers and household:
        numbers = list(Resident.objects.filter(household__household_number=household, status=c.RESIDENT)
                       .values_list("addressee_number", flat=True))
    return list(dict.fromkeys(numbers))


def _history_lines(number: str) -> list[dict]:
    """履歴 for a 個人票 on request: each approved change with its 異動日 and what it made of the address."""
    from jumin.register.queries import display_date

    out, previous_address = [], None
    for s in ResidentHistory.objects.filter(addressee_number=number).order_by("history_number"):
        address = " ".join(x for x in (s.address, s.address_supplement) if x)
        value = s.get_reason_code_display()
        if address != previous_address:
            value += f"　{address}"
        out.append({"label": display_date(s.effective_on, s.effective_on_text), "value": value})
        previous_address = address
    return out


def do_issue_certificate(params: dict, *, actor: Actor, now: datetime | None = None) -> IssueResult:
    """Issue one request (all copies) — standard-spec §4; refusals per issue #5 item 8."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    numbers = _subject_numbers(params)
    try:
        actor.user.require(perms.ISSUE_CERTIFICATE)
    except RuleViolation as refusal:
        _refuse(actor, numbers, refusal)
    config = current_config()
    try:
        req = parse_request(params)
        rules.check_request(req, max_copies=config.max_copies)
        kind = rules.KINDS[req.kind]
        if kind.subjects == rules.MOVED_OUT and req.requester_kind not in (rules.SELF, rules.SAME_HOUSEHOLD, rules.AGENT):
            raise RuleViolation(f"{kind.label}は本人・同一世帯員・代理人にのみ交付します。", field="requester.kind")
        options = rules.resolve_options(kind, req.requester_kind, req.options, config.options_default())
        if kind.subjects == rules.MOVED_OUT:
            # 転出証明書 carries 本籍・筆頭者, 住民票コード and 個人番号 by law (住民基本台帳法施行令 §23).
            options |= {"head_relationship": True, "domicile": True, "resident_code": True, "individual_number": True}
        if options["individual_number"]:
            actor.user.require(perms.VIEW_INDIVIDUAL_NUMBER)
        if options["history"] and req.layout == rules.HOUSEHOLD:
            raise RuleViolation("履歴は個人票でのみ記載できます（世帯連記式は最新の事項のみ）。", field="options.history")
        if not numbers:
            raise RuleViolation("証明書に記載する方を選んでください。", field="subjects")
        residents = {r.addressee_number: r for r in Resident.objects.filter(addressee_number__in=numbers)
                     .select_related("household")}
        missing = [n for n in numbers if n not in residents]
        if missing:
            raise NotFound(f"宛名番号 {missing[0]} の住民票は見つかりません。", field="subjects")
        pending = pending_changes(numbers)
        states = [rules.SubjectState(
            addressee_number=r.addressee_number, name=r.name, status=r.status, removal_reason=r.removal_reason,
            removed_on=r.removed_on, planned_move_out_on=r.planned_move_out_on,
            pending_change=bool(pending.get(r.addressee_number)), household_number=r.household_number,
        ) for r in residents.values()]
        rules.check_subjects(kind, req.layout, states, today)
        signatory = signatory_on(today)
        if signatory is None and kind.attestation:
            raise RuleViolation("認証者（市区町村長・職務代理者）が設定されていません。証明書設定で登録してください。",
                                code="no_signatory")
    except RuleViolation as refusal:
        _refuse(actor, numbers, refusal)

    requester = dict(params.get("requester") or {})
    from jumin.restrictions.queries import guard_certificate

    alerts = list(guard_certificate(actor, subject_numbers=numbers, requester=requester, now=now))

    ordered = sorted(residents.values(), key=lambda r: (r.household_order, r.addressee_number))
    records = [record_dict(r, show_individual_number=True) for r in ordered]
    history = {r.addressee_number: _history_lines(r.addressee_number) for r in ordered} if options["history"] else {}
    municipality = current_municipality()
    document = build_document(kind=kind, layout=req.layout, records=records, options=options, today=today,
                              history=history, chosen_items=(set(params.get("items") or []) or None) if kind.items_certificate else None,
                              overflow_mode=config.overflow_mode, reissue=req.reissue,
                              municipality=municipality, signatory=signatory,
                              official=req.requester_kind == rules.OFFICIAL)
    try:
        if document.unprintable:
            raise unprintable_refusal(document.unprintable)
        if document.overflow and config.overflow_mode == rules.OVERFLOW_REFUSE:
            listed = "、".join(f"{o['name']}さんの{o['label']}" for o in document.overflow)
            raise RuleViolation(f"枠に収まらない項目があります（{listed}）。文字超過リストに記録しました。"
                                "証明書は交付していません。", field="subjects", code="overflow")
    except RuleViolation as refusal:
        log_refusal(actor, FUNCTION, numbers, message=refusal.message,
                    detail={"overflow": document.overflow, "unprintable": document.unprintable})
        raise
    alerts += [Alert(f"overflow_{i}", f"{o['name']}さんの{o['label']}は枠に収まりません（※を付して"
                     f"{'枠内まで印字' if config.overflow_mode == rules.OVERFLOW_LIMIT else '空欄に'}します）。")
               for i, o in enumerate(document.overflow)]
    acknowledged = set(params.get("acknowledged_alerts") or [])
    unconfirmed = [a for a in alerts if a.code not in acknowledged]
    if unconfirmed:
        raise ConfirmationRequired(unconfirmed)

    place = _text(params, "place") or config.place
    printer = _text(params, "printer") or "プリンタ001"
    terminal = actor.terminal or "端末未設定"
    fee = rules.fee_for(kind.code, req.copies, req.requester_kind, config.fee_table())
    exempt_reason = _text(params, "fee_exempt_reason")
    if req.requester_kind == rules.OFFICIAL:
        exempt_reason = exempt_reason or "公用"
    if exempt_reason:
        fee = 0
    with transaction.atomic(), journal.collecting():
        serials = take_serials(today, terminal, req.copies)
        code = rules.new_verification_code()
        pdf, issue_numbers, pages = document.render(
            serials=serials, municipality_name=municipality.name, terminal=terminal, printer=printer,
            verification_code=code, verification_url=config.verification_url, day=today)
        issuance = record_issuance(
            actor=actor, pdf=pdf, now=now, retention_days=config.document_retention_days,
            log_detail={"alerts": [a.code for a in alerts], "requester_kind": req.requester_kind},
            day=today, place=place, terminal=terminal, printer=printer, kind=kind.code, layout=req.layout,
            reissue=req.reissue, requester_kind=req.requester_kind, requester_name=req.requester_name,
            identity_check=req.identity_check, agent_letter=req.agent_letter, purpose=req.purpose,
            subjects=[r["addressee_number"] for r in records],
            household_number=records[0]["household_number"] if req.layout == rules.HOUSEHOLD else "",
            options=options, items=document.items, copies=req.copies, pages=pages, issue_numbers=issue_numbers,
            fee=fee, fee_exempt_reason=exempt_reason, verification_code=code,
            content_digest=rules.content_digest(document.content), content=document.content,
            overflow=document.overflow, individual_number_printed=document.individual_number_printed,
        )
    return IssueResult(issuance=issuance, pdf=pdf, alerts=alerts)


def take_serials(day, terminal: str, copies: int) -> list[int]:
    """The next 通番 of the day at this terminal, one per copy (発行番号, standard-spec §4.2). Inside the caller's
    transaction: the row lock keeps two issues apart, and a rolled-back issue gives its numbers back."""
    assert transaction.get_connection().in_atomic_block, "take_serials needs a transaction"
    counter, _ = IssueCounter.objects.select_for_update().get_or_create(day=day, terminal=terminal)
    first = counter.last_serial + 1
    counter.last_serial += copies
    counter.save(update_fields=["last_serial"])
    return list(range(first, first + copies))


def record_issuance(*, actor: Actor, pdf: bytes, now: datetime, retention_days: int, log_detail: dict,
                    **fields) -> Issuance:
    """The 交付履歴 row, the kept PDF and the operation-log row of one issue (any certificate, including the
    印鑑登録証明書). Inside the caller's transaction, after the PDF is rendered."""
    try:
        with transaction.atomic():
            issuance = Issuance.objects.create(issued_at=now, user=actor.user, username=actor.username,
                                               pdf_digest=hashlib.sha256(pdf).hexdigest(), **fields)
    except IntegrityError:  # a verification code collided (1 in 2^60): the whole request is refused
        raise ConflictError("照合番号の採番が重複しました。もう一度交付してください。")
    IssuedDocument.objects.create(issuance=issuance, pdf=pdf, expires_at=now + timedelta(days=retention_days))
    log_operation(actor, FUNCTION, issuance.subjects, individual_number_shown=issuance.individual_number_printed,
                  reason=issuance.purpose,
                  detail={"issuance": issuance.pk, "kind": issuance.kind, "copies": issuance.copies,
                          "pages": issuance.pages, "issue_numbers": issuance.issue_numbers} | log_detail)
    journal.record("issuances", [issuance.pk])   # written when the caller's collecting() block closes
    return issuance


def do_void_issuance(issuance_id: int, *, reason: str, actor: Actor, now: datetime | None = None) -> Issuance:
    """処分: a wrongly issued certificate is recorded as destroyed. The row stays (standard-spec §4.5)."""
    function = "certificate.void"
    try:
        actor.user.require(perms.VOID_CERTIFICATE)
        if not (reason or "").strip():
            raise RuleViolation("処分の理由を入力してください。", field="reason")
    except RuleViolation as refusal:
        _refuse(actor, (), refusal, function)
    with transaction.atomic():
        issuance = Issuance.objects.select_for_update().filter(pk=issuance_id).first()
        if issuance is None:
            _refuse(actor, (), NotFound(f"交付履歴 {issuance_id} は見つかりません。", field="issuance"), function)
        if issuance.voided_at is not None:
            _refuse(actor, issuance.subjects, RuleViolation(
                f"この証明書は{timezone.localtime(issuance.voided_at):%Y-%m-%d %H:%M}に処分済みです。",
                code="already_voided"), function)
        issuance.voided_at = now or timezone.now()
        issuance.voided_by = actor.username
        issuance.void_reason = reason.strip()[:500]
        issuance.save(update_fields=["voided_at", "voided_by", "void_reason"])
        IssuedDocument.objects.filter(issuance=issuance).delete()
        log_operation(actor, function, issuance.subjects, reason=issuance.void_reason,
                      detail={"issuance": issuance.pk, "verification_code": issuance.verification_code})
        journal.record("issuances", [issuance.pk])   # the change journal, last step (jumin.core.journal)
    return issuance


def do_purge_issued_documents(*, actor: Actor, now: datetime | None = None) -> int:
    """Remove the kept PDFs whose reprint period is over. The 交付履歴 rows are never touched."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = IssuedDocument.objects.filter(expires_at__lt=now)
        count = expired.count()
        if count:
            expired.delete()
            log_operation(actor, "certificate.purge_documents", (), detail={"removed": count})
    return count
