"""Every write to 支援措置 and 抑止: one transaction each, one operation-log row, refusals logged.

Linkage (standard-spec §3.1, §4.6): nothing here sends anything to other systems. In particular a temporary
release (一時解除) is only a `released_until` time on the restriction; it is never recorded as "released",
reverts by itself when that time passes and must never be sent to コンビニ交付 / 住基ネットCS. When the
linkage app lands, it may send 発行抑止 set/end (do_set_restriction / do_end_restriction), never a release.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from jumin.accounts import rules as perms
from jumin.audit.actions import Actor, log_operation, log_refusal
from jumin.core import journal
from jumin.core.errors import ConflictError, NotFound, RuleViolation
from jumin.core.signals import person_flags_changed
from jumin.core.wareki import parse_date
from jumin.register.actions.base import records_written
from jumin.restrictions import models as m
from jumin.restrictions import rules
from jumin.restrictions.queries import kana_key, name_key, order_dict

TEXT_LIMITS = {"applicant_name": 100, "applicant_name_kana": 100, "applicant_alias": 100,
               "applicant_previous_address": 200, "applicant_phone": 30, "applicant_mobile": 30,
               "applicant_email": 254, "provisional_municipality": 100, "transfer_to": 200, "note": 2000}


def _date(value, *, field: str, label: str, required: bool = False) -> date | None:
    if value in (None, ""):
        if required:
            raise RuleViolation(f"{label}を入力してください。", field=field, code="required")
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise RuleViolation(f"{label}は日付で入力してください（例: 2024-04-01、R6.4.1）。", field=field)
    parsed = parse_date(value, field=field, label=label).date
    if parsed is None:
        raise RuleViolation(f"{label}は日付で入力してください（例: 2024-04-01、R6.4.1）。", field=field)
    return parsed


def _text(params: dict, name: str, limit: int, *, field: str | None = None) -> str:
    value = params.get(name) or ""
    if not isinstance(value, str) or len(value) > limit:
        raise RuleViolation(f"{limit}文字以内で入力してください。", field=field or name)
    return value.strip()


def _resident(number, *, field: str):
    from jumin.register.models import Resident

    if not isinstance(number, str) or not number:
        raise RuleViolation("宛名番号を入力してください。", field=field, code="required")
    resident = Resident.objects.filter(addressee_number=number).first()
    if resident is None:
        raise NotFound(f"宛名番号 {number[:10]} の住民票は見つかりません。", field=field)
    return resident


def _history(order: m.ProtectionOrder, actor: Actor, action: str) -> None:
    m.ProtectionHistory.objects.create(order=order, user=actor.user if getattr(actor.user, "pk", None) else None,
                                       action=action, snapshot=order_dict(order))
    if action in FLAG_ACTIONS:      # who is protected changed: the linkage outbox tells the other systems
        person_flags_changed.send(sender=m.ProtectionOrder, flag="protection", addressee_numbers=_numbers(order),
                                  reason=f"protection_{action}", actor=actor)


# The order actions that change who is protected (an extension, an offender or a detail does not).
FLAG_ACTIONS = ("register", "end", "add_person")


def _numbers(order: m.ProtectionOrder) -> list[str]:
    return [order.addressee_number] + list(order.protected_persons.values_list("addressee_number", flat=True))


def _offender(order: m.ProtectionOrder, data, *, field: str) -> m.Offender:
    if not isinstance(data, dict):
        raise RuleViolation("加害者はオブジェクトで指定してください。", field=field)
    name = _text(data, "name", 100, field=f"{field}.name")
    if not name:
        raise RuleViolation("加害者の氏名を入力してください。", field=f"{field}.name", code="required")
    kana = _text(data, "name_kana", 100, field=f"{field}.name_kana")
    sex = data.get("sex") or ""
    if sex not in ("", "1", "2"):
        raise RuleViolation("性別は 1（男）か 2（女）で指定してください。", field=f"{field}.sex")
    number = data.get("addressee_number") or ""
    if number:
        _resident(number, field=f"{field}.addressee_number")
    return m.Offender.objects.create(
        order=order, name=name, name_kana=kana, name_key=name_key(name), kana_key=kana_key(kana) if kana else "",
        birth_date=_date(data.get("birth_date"), field=f"{field}.birth_date", label="加害者の生年月日"), sex=sex,
        address=_text(data, "address", 200, field=f"{field}.address"), addressee_number=number,
        note=_text(data, "note", 2000, field=f"{field}.note"))


def _protected_person(order: m.ProtectionOrder, data, *, field: str) -> m.ProtectedPerson:
    if not isinstance(data, dict):
        raise RuleViolation("併せて支援措置を求める者はオブジェクトで指定してください。", field=field)
    resident = _resident(data.get("addressee_number"), field=f"{field}.addressee_number")
    if resident.addressee_number == order.addressee_number or \
            order.protected_persons.filter(addressee_number=resident.addressee_number).exists():
        raise RuleViolation("同じ方が重複して指定されています。", field=f"{field}.addressee_number", code="duplicate")
    return m.ProtectedPerson.objects.create(order=order, addressee_number=resident.addressee_number,
                                           name=resident.name,
                                           relationship=_text(data, "relationship", 50, field=f"{field}.relationship"))


def _lock_order(order_id: int, expected_version=None) -> m.ProtectionOrder:
    order = m.ProtectionOrder.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise NotFound(f"支援措置ID {order_id} は見つかりません。", field="order_id")
    if expected_version is not None and expected_version != order.version:
        raise ConflictError("この支援措置は他の職員が更新しました。最新の内容を確認してください。", field="expected_version")
    return order


def do_register_protection(params: dict, *, actor: Actor, today: date | None = None) -> m.ProtectionOrder:
    """支援措置の登録 (or 仮支援措置): the 申出者, persons protected with them, offenders, period, operations."""
    function = "protection.register"
    today = today or timezone.localdate()
    try:
        actor.user.require(perms.MANAGE_PROTECTION)
        with transaction.atomic():
            applicant = _resident(params.get("addressee_number"), field="addressee_number")
            kind = params.get("kind")
            if kind not in dict(m.KIND_CHOICES):
                raise RuleViolation("種別は dv・stalker・child_abuse・other のいずれかを指定してください。", field="kind")
            starts_on = _date(params.get("starts_on"), field="starts_on", label="開始日") or today
            ends_on = _date(params.get("ends_on"), field="ends_on", label="終了日") or rules.default_end(starts_on)
            rules.check_period(starts_on, ends_on)
            flags = {}
            for name in ("provisional", "inspection", "copies", "family_register_annex"):
                value = params.get(name, name != "provisional")
                if not isinstance(value, bool):
                    raise RuleViolation("true か false で指定してください。", field=name)
                flags[name] = value
            if not (flags["inspection"] or flags["copies"] or flags["family_register_annex"]):
                raise RuleViolation("対象事務（閲覧・住民票の写し等・戸籍の附票の写し等）を1つ以上選んでください。",
                                    field="copies", code="required")
            order = m.ProtectionOrder.objects.create(
                addressee_number=applicant.addressee_number,
                applicant_name=_text(params, "applicant_name", 100) or applicant.name,
                applicant_name_kana=_text(params, "applicant_name_kana", 100) or applicant.name_kana,
                **{k: _text(params, k, n) for k, n in TEXT_LIMITS.items()
                   if k not in ("applicant_name", "applicant_name_kana")},
                kind=kind, starts_on=starts_on, ends_on=ends_on,
                transferred_on=_date(params.get("transferred_on"), field="transferred_on", label="転送年月日"),
                **flags)
            for i, data in enumerate(params.get("protected_persons") or []):
                _protected_person(order, data, field=f"protected_persons[{i}]")
            for i, data in enumerate(params.get("offenders") or []):
                _offender(order, data, field=f"offenders[{i}]")
            _history(order, actor, "register")
            log_operation(actor, function, _numbers(order), detail={"order_id": order.pk})
            journal.record("protections", [order.pk])   # the change journal, last step (jumin.core.journal)
        return order
    except RuleViolation as refusal:
        log_refusal(actor, function, [str(params.get("addressee_number") or "")[:10]], message=refusal.message)
        raise


def do_extend_protection(order_id: int, *, actor: Actor, expected_version: int | None = None,
                         today: date | None = None) -> m.ProtectionOrder:
    """延長: from 1 month before the end, for 1 year from the day after the old end."""
    function = "protection.extend"
    today = today or timezone.localdate()
    try:
        actor.user.require(perms.MANAGE_PROTECTION)
        with transaction.atomic():
            order = _lock_order(order_id, expected_version)
            if order.status != m.ACTIVE:
                raise RuleViolation("終了した支援措置は延長できません。新たに登録してください。", code="ended")
            old_end = order.ends_on
            order.ends_on = rules.check_extension(old_end, today=today)
            order.version += 1
            order.save()
            _history(order, actor, "extend")
            log_operation(actor, function, _numbers(order),
                          detail={"order_id": order.pk, "from": old_end.isoformat(), "to": order.ends_on.isoformat()})
            journal.record("protections", [order.pk])
        return order
    except RuleViolation as refusal:
        log_refusal(actor, function, (), message=refusal.message, detail={"order_id": order_id})
        raise


def do_end_protection(order_id: int, *, actor: Actor, reason: str, expected_version: int | None = None,
                      today: date | None = None) -> m.ProtectionOrder:
    """終了: only on purpose, with a reason. The 抑止 set for this order are ended with it."""
    function = "protection.end"
    today = today or timezone.localdate()
    try:
        actor.user.require(perms.MANAGE_PROTECTION)
        if not isinstance(reason, str) or not reason.strip() or len(reason) > 500:
            raise RuleViolation("終了理由を500文字以内で入力してください。", field="reason", code="required")
        with transaction.atomic():
            order = _lock_order(order_id, expected_version)
            if order.status != m.ACTIVE:
                raise RuleViolation("この支援措置はすでに終了しています。", code="ended")
            order.status, order.ended_on, order.ended_reason = m.ENDED, today, reason.strip()
            order.version += 1
            order.save()
            open_restrictions = order.restrictions.filter(ended_on__isnull=True)
            ended_ids = list(open_restrictions.values_list("pk", flat=True))
            ended = open_restrictions.update(ended_on=today, ended_by=actor.user, ended_reason="支援措置の終了")
            _history(order, actor, "end")
            log_operation(actor, function, _numbers(order), reason=reason.strip(),
                          detail={"order_id": order.pk, "restrictions_ended": ended})
            journal.record_many({"protections": [order.pk], "restrictions": ended_ids})
        return order
    except RuleViolation as refusal:
        log_refusal(actor, function, (), message=refusal.message, detail={"order_id": order_id})
        raise


def _add_to_order(order_id: int, data: dict, *, actor: Actor, function: str, history_action: str, make,
                  expected_version: int | None = None):
    """Add an offender or a protected person to an order: one transaction, the order's version and history,
    the operation log; a refusal is logged too."""
    try:
        actor.user.require(perms.MANAGE_PROTECTION)
        with transaction.atomic():
            order = _lock_order(order_id, expected_version)
            if order.status != m.ACTIVE:
                raise RuleViolation("終了した支援措置には追加できません。新たに登録してください。", code="ended")
            added = make(order, data)
            order.version += 1
            order.save(update_fields=["version"])
            _history(order, actor, history_action)
            log_operation(actor, function, _numbers(order), detail={"order_id": order.pk})
            journal.record("protections", [order.pk])
        return added
    except RuleViolation as refusal:
        log_refusal(actor, function, (), message=refusal.message, detail={"order_id": order_id})
        raise


def do_add_offender(order_id: int, data: dict, *, actor: Actor, expected_version: int | None = None) -> m.Offender:
    """加害者の追加 (refusals name `offender.<item>`)."""
    return _add_to_order(order_id, data, actor=actor, function="protection.add_offender",
                         history_action="add_offender", make=lambda o, d: _offender(o, d, field="offender"),
                         expected_version=expected_version)


def do_add_protected_person(order_id: int, data: dict, *, actor: Actor,
                            expected_version: int | None = None) -> m.ProtectedPerson:
    """併せて支援措置を求める者の追加 (refusals name `protected_person.<item>`)."""
    return _add_to_order(order_id, data, actor=actor, function="protection.add_person", history_action="add_person",
                         make=lambda o, d: _protected_person(o, d, field="protected_person"),
                         expected_version=expected_version)


DETAIL_FIELDS = ("applicant_phone", "applicant_mobile", "applicant_email", "transfer_to", "transferred_on", "note")


def do_edit_protection(order_id: int, params: dict, *, actor: Actor, expected_version: int) -> m.ProtectionOrder:
    """申出者の連絡先・転送情報・備考の変更. Only the items given change; the version the supervisor saw is
    required (a stale screen is a conflict), and the history keeps the order as it was and as it is."""
    function = "protection.edit"
    try:
        actor.user.require(perms.MANAGE_PROTECTION)
        if isinstance(expected_version, bool) or not isinstance(expected_version, int):
            raise RuleViolation("画面を開いたときの版（expected_version）を指定してください。", field="expected_version",
                                code="required")
        unknown = sorted(set(params) - set(DETAIL_FIELDS))
        if unknown:
            raise RuleViolation(f"項目「{unknown[0][:50]}」はここでは変更できません。変更できるのは連絡先・転送情報・備考です。",
                                field=unknown[0][:50])
        with transaction.atomic():
            order = _lock_order(order_id, expected_version)
            if order.status != m.ACTIVE:
                raise RuleViolation("終了した支援措置は変更できません。", code="ended")
            new = {}
            for name in DETAIL_FIELDS:
                if name not in params:
                    continue
                if name == "transferred_on":
                    new[name] = _date(params[name], field=name, label="転送年月日")
                else:
                    new[name] = _text(params, name, TEXT_LIMITS[name])
            email = new.get("applicant_email")
            if email and ("@" not in email or " " in email):
                raise RuleViolation("メールアドレスは name@example.jp の形で入力してください。", field="applicant_email")
            changed = {k: v for k, v in new.items() if getattr(order, k) != v}
            if not changed:
                raise RuleViolation("変更された項目がありません。", code="unchanged")
            for name, value in changed.items():
                setattr(order, name, value)
            order.version += 1
            order.save()
            _history(order, actor, "edit_details")
            log_operation(actor, function, _numbers(order), detail={"order_id": order.pk, "items": sorted(changed)})
            journal.record("protections", [order.pk])
        return order
    except RuleViolation as refusal:
        log_refusal(actor, function, (), message=refusal.message, detail={"order_id": order_id})
        raise


def do_follow_moves(addressee_numbers) -> list[m.ProtectionHistory]:
    """前住所 mode (standard-spec §3.4): when a protected person's record becomes a 除票 by 転出 (or a 除票 is
    restored), the order is NOT ended or changed — it keeps covering the 除票, whose 転出先 is the address to
    protect — but its history records the switch, with the register's 転出先, so the supervisor sees it.
    Called inside the change's transaction (records_written), so a refused or rolled-back change leaves no row."""
    numbers = [n for n in set(addressee_numbers or ()) if n]
    if not numbers:
        return []
    ids = set(m.ProtectionOrder.objects.filter(status=m.ACTIVE, addressee_number__in=numbers)
              .values_list("pk", flat=True))
    ids |= set(m.ProtectedPerson.objects.filter(order__status=m.ACTIVE, addressee_number__in=numbers)
               .values_list("order_id", flat=True))
    written = []
    for order in m.ProtectionOrder.objects.filter(pk__in=ids).order_by("pk"):
        snapshot = order_dict(order)
        now_gone = {p["addressee_number"] for p in snapshot["moved_out"]}
        last = order.history.order_by("-pk").first()
        before = {p["addressee_number"] for p in (last.snapshot.get("moved_out") or [])} if last else set()
        if now_gone == before:
            continue
        action = "moved_out" if now_gone - before else "moved_back"
        written.append(m.ProtectionHistory.objects.create(order=order, user=None, action=action, snapshot=snapshot))
        log_operation(Actor(user=None, terminal="system"), "protection.address_mode", _numbers(order),
                      reason="転出により前住所地としての支援に切替" if action == "moved_out" else "住民票の回復",
                      detail={"order_id": order.pk, "moved_out": sorted(now_gone)})
    return written


@receiver(records_written)
def _on_records_written(sender, addressee_numbers, **kwargs):
    do_follow_moves(addressee_numbers)


def do_set_restriction(params: dict, *, actor: Actor, today: date | None = None) -> m.Restriction:
    """抑止の設定: a person (宛名番号) or a household (世帯番号), one operation, level error or alert."""
    from jumin.register.models import Household

    function = "restriction.set"
    today = today or timezone.localdate()
    number = params.get("addressee_number") or ""
    household = params.get("household_number") or ""
    try:
        actor.user.require(perms.MANAGE_RESTRICTION)
        with transaction.atomic():
            if bool(number) == bool(household):
                raise RuleViolation("宛名番号か世帯番号のどちらか一方を指定してください。", field="addressee_number",
                                    code="required")
            if number:
                _resident(number, field="addressee_number")
            elif not isinstance(household, str) or not Household.objects.filter(household_number=household).exists():
                raise NotFound(f"世帯番号 {str(household)[:10]} の世帯は見つかりません。", field="household_number")
            if params.get("operation") not in dict(m.OPERATION_CHOICES):
                raise RuleViolation("対象業務は change（異動）・issue（発行）・view（照会）のいずれかです。", field="operation")
            if params.get("level") not in dict(m.LEVEL_CHOICES):
                raise RuleViolation("レベルは error（エラー）か alert（アラート）を指定してください。", field="level")
            reason = _text(params, "reason", 500)
            if not reason:
                raise RuleViolation("抑止の理由を入力してください。", field="reason", code="required")
            starts_on = _date(params.get("starts_on"), field="starts_on", label="開始日") or today
            ends_on = _date(params.get("ends_on"), field="ends_on", label="終了予定日")
            if ends_on is not None:
                rules.check_period(starts_on, ends_on)
            order = None
            if params.get("order_id") is not None:
                order = _lock_order(params["order_id"])
            restriction = m.Restriction.objects.create(
                addressee_number=number, household_number=household, operation=params["operation"],
                level=params["level"], starts_on=starts_on, ends_on=ends_on, reason=reason, order=order,
                created_by=actor.user)
            log_operation(actor, function, [number] if number else (), reason=reason,
                          detail={"restriction_id": restriction.pk, "household_number": household,
                                  "operation": restriction.operation, "level": restriction.level})
            _restriction_changed(restriction, "restriction_set", actor)
            journal.record("restrictions", [restriction.pk])
        return restriction
    except RuleViolation as refusal:
        log_refusal(actor, function, [str(number)[:10]] if number else (), message=refusal.message,
                    detail={"household_number": str(household)[:10]})
        raise


def _restriction_changed(restriction: m.Restriction, reason: str, actor: Actor) -> None:
    """A 抑止 set or ended is told to the linkage outbox for its person, or each member of its household (a
    一時解除 never is: standard-spec §4.6)."""
    from jumin.register.models import Resident

    numbers = [restriction.addressee_number] if restriction.addressee_number else list(
        Resident.objects.filter(household_number=restriction.household_number, status="resident")
        .values_list("addressee_number", flat=True))
    person_flags_changed.send(sender=m.Restriction, flag="restriction", addressee_numbers=numbers, reason=reason,
                              actor=actor)


def _lock_restriction(restriction_id: int) -> m.Restriction:
    restriction = m.Restriction.objects.select_for_update().filter(pk=restriction_id).first()
    if restriction is None:
        raise NotFound(f"抑止ID {restriction_id} は見つかりません。", field="restriction_id")
    if restriction.ended_on is not None:
        raise RuleViolation("この抑止はすでに解除されています。", code="ended")
    return restriction


def do_end_restriction(restriction_id: int, *, actor: Actor, reason: str, today: date | None = None) -> m.Restriction:
    """抑止の解除 (kept, with who ended it and why; never deleted)."""
    function = "restriction.end"
    today = today or timezone.localdate()
    try:
        actor.user.require(perms.MANAGE_RESTRICTION)
        if not isinstance(reason, str) or not reason.strip() or len(reason) > 500:
            raise RuleViolation("解除の理由を500文字以内で入力してください。", field="reason", code="required")
        with transaction.atomic():
            restriction = _lock_restriction(restriction_id)
            restriction.ended_on, restriction.ended_by, restriction.ended_reason = today, actor.user, reason.strip()
            restriction.version += 1
            restriction.save()
            log_operation(actor, function, [restriction.addressee_number] if restriction.addressee_number else (),
                          reason=reason.strip(), detail={"restriction_id": restriction.pk,
                                                         "household_number": restriction.household_number})
            _restriction_changed(restriction, "restriction_end", actor)
            journal.record("restrictions", [restriction.pk])
        return restriction
    except RuleViolation as refusal:
        log_refusal(actor, function, (), message=refusal.message, detail={"restriction_id": restriction_id})
        raise


def do_release_restriction_temporarily(restriction_id: int, *, actor: Actor, minutes: int, reason: str,
                                       now: datetime | None = None) -> m.Restriction:
    """一時解除: for `minutes` (≤ 60) from now, then enforced again by itself. Needs RELEASE_RESTRICTION.
    Never sent to other systems (standard-spec §3.1, §4.6)."""
    function = "restriction.release"
    now = now or timezone.now()
    try:
        actor.user.require(perms.RELEASE_RESTRICTION)
        minutes = rules.check_release_minutes(minutes)
        if not isinstance(reason, str) or not reason.strip() or len(reason) > 500:
            raise RuleViolation("一時解除の理由を500文字以内で入力してください。", field="reason", code="required")
        with transaction.atomic():
            restriction = _lock_restriction(restriction_id)
            restriction.released_until = now + timedelta(minutes=minutes)
            restriction.released_by = actor.user
            restriction.version += 1
            restriction.save()
            log_operation(actor, function, [restriction.addressee_number] if restriction.addressee_number else (),
                          reason=reason.strip(), detail={"restriction_id": restriction.pk, "minutes": minutes,
                                                         "until": restriction.released_until.isoformat(),
                                                         "household_number": restriction.household_number})
            journal.record("restrictions", [restriction.pk])
        return restriction
    except RuleViolation as refusal:
        log_refusal(actor, function, (), message=refusal.message, detail={"restriction_id": restriction_id})
        raise
