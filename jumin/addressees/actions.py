"""Every change of a 住登外者 (共通機能 §2.3.2: 付番 0310001, 基本4情報等の更新, 使用停止): one `do_<verb>_<noun>()` each,
one transaction that writes the current record, one full snapshot (履歴番号 + 1), the operation-log row and the
change journal (so extraction and, later, linkage see it). A refusal writes nothing but its log row.

The one number space: a new 住登外者 takes the next 宛名番号 of the register's own series, so it never equals a
resident's. A person who is a current resident is refused (showing the resident's 宛名番号); a 除票 person is
refused unless the caller chooses to link, and then keeps the 除票's 宛名番号 (one person, one number).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone

from jumin.accounts import rules as perms
from jumin.addressees import rules
from jumin.addressees.models import NonResident, NonResidentHistory, NonResidentItems, NonResidentKey
from jumin.audit.actions import Actor, log_operation, logged_refusals, require_permission
from jumin.core import businesses, journal, text
from jumin.core.errors import ConflictError, NotFound, RuleViolation
from jumin.core.models import ADDRESSEE, issue_number
from jumin.core.signals import non_resident_written
from jumin.register import choices as c
from jumin.register.actions.base import outside_number_kept, outside_records
from jumin.register.models import Resident

ITEM_NAMES = [f.name for f in NonResidentItems._meta.concrete_fields if f.name != "id"]
REGISTER, CHANGE, RETIRE = "addressees.register", "addressees.change", "addressees.retire"
BECAME_RESIDENT = "addressees.became_resident"


def _same_person(record, items: dict) -> bool:
    """Same 氏名 by the register search's folding (spaces, width, 異体字 such as 髙 → 高: search.rules.fold_name with
    the installed 異体字 map), same 生年月日 and 性別 — a resident's record or a 住登外者's."""
    from jumin.search.rules import fold_name
    from jumin.search.variants import load_variant_map

    variants = load_variant_map()
    return (fold_name(record.name, variants) == fold_name(items["name"], variants) and record.sex == items["sex"]
            and record.birth_date == items.get("birth_date"))


def _check_not_a_resident(items: dict, *, link: str | None) -> str | None:
    """The register's persons come first (共通機能 §2.3.2 step 1: confirm the person is not a resident or former
    resident). Returns the 除票 宛名番号 to keep when the caller linked one."""
    number = items.get("individual_number") or ""
    found = []
    if number:
        found = list(Resident.objects.filter(individual_number=number).only("addressee_number", "status"))
    if not found and items.get("birth_date") is not None:
        found = [r for r in Resident.objects.filter(birth_date=items["birth_date"], sex=items["sex"])
                 .only("addressee_number", "status", "name", "sex", "birth_date") if _same_person(r, items)]
    living = [r for r in found if r.status == c.RESIDENT]
    if living:
        raise RuleViolation(f"この方は住民です（宛名番号 {living[0].addressee_number}）。住登外者として登録できません。"
                            "住民記録の宛名番号をお使いください。", field="individual_number" if number else "name",
                            code="is_resident")
    if link:
        chosen = next((r for r in found if r.addressee_number == link), None)
        if chosen is None:
            raise RuleViolation(f"連携を指定した宛名番号 {link[:10]} の除票は、この方の除票ではありません。",
                                field="link_removed", code="link_mismatch")
        return chosen.addressee_number
    if found:
        raise RuleViolation(f"この方は除票があります（宛名番号 {found[0].addressee_number}）。同じ宛名番号で住登外者として"
                            "登録するときは、除票との連携（link_removed）を指定してください。",
                            field="link_removed", code="is_removed_resident")
    return None


def _check_individual_number_free(items: dict, *, own: str | None = None) -> None:
    number = items.get("individual_number")
    if not number:
        return
    holder = NonResident.objects.filter(individual_number=number).exclude(addressee_number=own or "") \
        .exclude(state=rules.MERGED).values_list("addressee_number", flat=True).first()
    if holder:
        raise RuleViolation(f"この個人番号は宛名番号 {holder} の住登外者がすでに持っています。同じ方なら、その宛名番号を"
                            "お使いください。", field="individual_number", code="individual_number_taken")


KEY_ITEMS = ("name", "name_alphabet", "name_kana", "alias", "alias_kana", "address", "address_supplement",
             "foreign_address")


def key_values(values: dict) -> dict:
    """The items folded into search keys, as the register's Folder reads them: an address abroad is the 住所."""
    out = {name: values.get(name) or "" for name in KEY_ITEMS}
    if out["foreign_address"]:
        out["address"] = out["foreign_address"]
    return out


def index_non_residents(numbers, folder=None) -> None:
    """Rebuild the search keys of these 住登外者 from their current record and every snapshot (past names and
    addresses stay searchable, as the register's do: standard-spec §6.1)."""
    from jumin.search.actions import Folder

    numbers = sorted(set(numbers))
    folder = folder or Folder()
    keys: dict[str, set] = {n: set() for n in numbers}
    for values in NonResidentHistory.objects.filter(addressee_number__in=numbers).values("addressee_number",
                                                                                         *KEY_ITEMS):
        keys[values["addressee_number"]] |= folder.keys(key_values(values))
    NonResidentKey.objects.filter(addressee_number__in=numbers).delete()
    NonResidentKey.objects.bulk_create(
        [NonResidentKey(addressee_number=n, kind=kind, key=key) for n in numbers for kind, key in sorted(keys[n])],
        batch_size=2000)


def _snapshot(record: NonResident, *, reason_code: str, actor: Actor, reason: str = "") -> None:
    values = {name: getattr(record, name) for name in ITEM_NAMES}
    NonResidentHistory.objects.create(
        **values, history_number=record.history_number, reason_code=reason_code,
        effective_on=timezone.localdate(), reason=reason[:200], recorded_at=record.updated_at,
        recorded_by=str(actor.username)[:150])
    index_non_residents([record.addressee_number])
    non_resident_written.send(sender=NonResident, persons=[(record.addressee_number, record.history_number)],
                              actor=actor)
    journal.record_many({"non_residents": [record.addressee_number],
                         "non_resident_history": [(record.addressee_number, record.history_number)]})


def do_register_non_resident(data: dict, *, actor: Actor, business: str, ex_officio: bool = False,
                             link_removed: str | None = None) -> NonResident:
    """付番 (0310001): a new 住登外者 with a new 宛名番号 of the one series — or, with `link_removed`, the 除票's own
    number. `business`: the 業務ID of the system (or counter) that registers the person."""
    require_permission(actor, perms.REGISTER_NON_RESIDENT, REGISTER)
    detail = {"business": str(business)[:10], "ex_officio": bool(ex_officio)}
    with logged_refusals(actor, REGISTER, detail=detail):
        code = businesses.validate_business(business, field="business", label="登録業務")
        items = rules.clean_items(data, registering=code, today=timezone.localdate())
        if link_removed is not None and not isinstance(link_removed, str):
            raise RuleViolation("除票との連携は宛名番号で指定してください。", field="link_removed")
        try:
            with transaction.atomic():
                kept = _check_not_a_resident(items, link=link_removed)
                _check_individual_number_free(items)
                if kept and NonResident.objects.filter(addressee_number=kept).exists():
                    raise RuleViolation(f"宛名番号 {kept} はすでに住登外者として登録されています。", field="link_removed",
                                        code="already_registered")
                now = timezone.now()
                record = NonResident.objects.create(
                    **items, addressee_number=kept or issue_number(ADDRESSEE), business=code,
                    state=rules.IN_USE, registered_at=now, updated_at=now)
                reason_code = rules.REGISTERED_EX_OFFICIO if ex_officio else rules.REGISTERED
                _snapshot(record, reason_code=reason_code, actor=actor)
                log_operation(actor, REGISTER, [record.addressee_number],
                              detail={**detail, "kind": record.kind, "linked_removed": bool(kept)})
        except IntegrityError as error:      # two registrations of one 除票 at the same moment
            raise ConflictError("同じ方の登録がほかの端末で同時に行われました。もう一度照会してください。") from error
    return record


def _locked(number) -> NonResident:
    record = NonResident.objects.select_for_update().filter(addressee_number=str(number)[:10]).first()
    if record is None:
        raise NotFound(f"宛名番号 {str(number)[:10]} の住登外者は見つかりません。", field="addressee_number")
    return record


def _check_version(record: NonResident, version) -> None:
    if version is not None and version != record.version:
        raise ConflictError(f"宛名番号 {record.addressee_number} はほかの職員が更新しました（版 {record.version}）。"
                            "もう一度照会してから入力してください。")


def _write(record: NonResident, *, reason_code: str, actor: Actor, reason: str = "") -> None:
    record.history_number += 1
    record.version += 1
    record.updated_at = timezone.now()
    record.save()
    _snapshot(record, reason_code=reason_code, actor=actor, reason=reason)


def do_change_non_resident(number: str, data: dict, *, actor: Actor, version: int | None = None,
                           reason: str = "") -> NonResident:
    """基本4情報等の変更 (0310005 → 更新): the items sent replace the current ones; one new snapshot."""
    number = str(number)[:10]
    require_permission(actor, perms.REGISTER_NON_RESIDENT, CHANGE, [number])
    with logged_refusals(actor, CHANGE, [number]):
        reason = text.validate_text(reason, field="reason", label="理由", max_length=200)
        with transaction.atomic():
            record = _locked(number)
            rules.check_may_change(record.state, number=record.addressee_number)
            _check_version(record, version)
            items = rules.clean_items(data, registering=record.business, today=timezone.localdate(), partial=True)
            if not items:
                raise RuleViolation("変更する項目を指定してください。", code="nothing_to_change")
            rules.check_complete({**{name: getattr(record, name) for name in ITEM_NAMES}, **items})
            _check_individual_number_free(items, own=record.addressee_number)
            for name, value in items.items():
                setattr(record, name, value)
            _write(record, reason_code=rules.CHANGED, actor=actor, reason=reason)
            log_operation(actor, CHANGE, [record.addressee_number], reason=reason, detail={"items": sorted(items)})
    return record


def do_retire_non_resident(number: str, *, actor: Actor, reason: str, version: int | None = None) -> NonResident:
    """使用停止: the number stays (never reused) and its history with it; the record is no longer in use."""
    number = str(number)[:10]
    require_permission(actor, perms.REGISTER_NON_RESIDENT, RETIRE, [number])
    with logged_refusals(actor, RETIRE, [number]):
        reason = text.validate_text(reason, field="reason", label="使用停止の理由", required=True, max_length=200)
        with transaction.atomic():
            record = _locked(number)
            rules.check_may_change(record.state, number=record.addressee_number)
            _check_version(record, version)
            record.state = rules.RETIRED
            _write(record, reason_code=rules.RETIRED_REASON, actor=actor, reason=reason)
            log_operation(actor, RETIRE, [record.addressee_number], reason=reason)
    return record


# ------------------------------------------------------------------ a 住登外者 becomes a resident (issue #17 item 3)

def resident_matches(items: dict, *, claimed: str | None, field: str) -> list[tuple[str, str]]:
    """The 住登外者 in use that a person entering the register may be — (宛名番号, "individual_number" | "basic_four")
    — or, when the clerk chose one, [(it, "claimed")] after checking it may be kept: in use, and no 個人番号 on
    both sides that differ."""
    if claimed:
        record = NonResident.objects.filter(addressee_number=str(claimed)[:10]).first()
        if record is None:
            return []
        if record.state != rules.IN_USE:
            label = dict(rules.STATE_CHOICES).get(record.state, record.state)
            raise RuleViolation(f"宛名番号 {record.addressee_number} の住登外者は「{label}」のため、引き継げません。",
                                field=field, code="non_resident_not_in_use")
        number = items.get("individual_number")
        if number and record.individual_number and number != record.individual_number:
            raise RuleViolation(f"個人番号が住登外者（宛名番号 {record.addressee_number}）の個人番号と異なります。"
                                "別の方ではないか確認してください。", field=field, code="individual_number_differs")
        return [(record.addressee_number, "claimed")]
    found: dict[str, str] = {}
    if items.get("individual_number"):
        for n in NonResident.objects.filter(individual_number=items["individual_number"], state=rules.IN_USE) \
                .values_list("addressee_number", flat=True):
            found[n] = "individual_number"
    if items.get("birth_date") is not None and items.get("name"):
        for record in NonResident.objects.filter(birth_date=items["birth_date"], sex=items.get("sex"),
                                                 state=rules.IN_USE).only("addressee_number", "name", "sex",
                                                                          "birth_date"):
            if _same_person(record, items):
                found.setdefault(record.addressee_number, "basic_four")
    return sorted(found.items(), key=lambda kv: (kv[1] != "individual_number", kv[0]))


@receiver(outside_records)
def _on_outside_records(sender, items, claimed, field, **kwargs):
    return resident_matches(items, claimed=claimed, field=field)


def do_mark_non_resident_became_resident(number: str, *, actor: Actor, change_id: int) -> NonResident:
    """The 住登外者 entered the register (転入, 出生, 職権記載) keeping this 宛名番号: the record is marked 住民となった
    with a snapshot, inside the register's transaction; nothing else moves (其の他の業務 learn it from the journal)."""
    record = _locked(number)
    rules.check_may_change(record.state, number=record.addressee_number)
    record.state = rules.BECAME_RESIDENT
    _write(record, reason_code=rules.BECAME_RESIDENT_REASON, actor=actor, reason=f"異動ID {change_id}")
    log_operation(actor, BECAME_RESIDENT, [record.addressee_number], change_id=change_id)
    return record


@receiver(outside_number_kept)
def _on_outside_number_kept(sender, addressee_number, change_id, actor, **kwargs):
    do_mark_non_resident_became_resident(addressee_number, actor=actor, change_id=change_id)


# ------------------------------------------------------------------ migration (共通機能 §2.3.5; issue #17 item 7)

IMPORT = "addressees.import"
CHUNK = 5000


class ImportRefused(RuleViolation):
    """The whole file is refused: `report` lists every row to resolve (line, 宛名番号, code, field, message)."""

    def __init__(self, report: list[dict]):
        super().__init__(f"移行ファイルを取り込めません（解消が必要な行 {len(report)} 件）。すべて解消してから取り込んで"
                         "ください。何も登録していません。", code="import_refused")
        self.report = report


def _chunks(values: list) -> list[list]:
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


def do_import_non_residents(rows: list[tuple[int, dict]], *, actor: Actor) -> dict:
    """Load existing 住登外者 with their own 宛名番号 — never renumbered — all or nothing: every row is cleaned as a
    registration is, and every number checked against residents and 除票, the 住登外者 already held and the file
    itself (rules.import_collisions); one refusal lists them all (ImportRefused). Loaded, the numbering series moves
    past the highest one, so a new number never equals a migrated one. `rows`: (line, items with addressee_number
    and business)."""
    from jumin.core import check_digits
    from jumin.core.models import NumberSequence

    require_permission(actor, perms.REGISTER_NON_RESIDENT, IMPORT)
    with logged_refusals(actor, IMPORT, detail={"rows": len(rows)}):
        today, report, cleaned = timezone.localdate(), [], []
        for line, data in rows:
            data = dict(data)
            number = str(data.pop("addressee_number", "") or "").strip()[:20]
            business = data.pop("business", "")
            if not check_digits.is_valid_addressee_number(number):
                report.append({"line": line, "addressee_number": number, "code": "invalid_number",
                               "field": "addressee_number",
                               "message": "宛名番号は10桁の数字（末尾は検査用数字）で指定してください。"})
                continue
            try:
                code = businesses.validate_business(business, field="business", label="登録業務")
                items = rules.clean_items(data, registering=code, today=today)
            except RuleViolation as refusal:
                report.append({"line": line, "addressee_number": number, "code": refusal.code or "invalid",
                               "field": refusal.field, "message": refusal.message})
                continue
            cleaned.append((line, number, code, items))
        if not rows:
            raise RuleViolation("移行ファイルに住登外者の行がありません。", code="empty")
        with transaction.atomic():
            numbers = [number for _, number, _, _ in cleaned]
            residents, held, holders = {}, set(), {}
            for chunk in _chunks(numbers):
                residents.update(Resident.objects.filter(addressee_number__in=chunk)
                                 .values_list("addressee_number", "name"))
                held |= set(NonResident.objects.filter(addressee_number__in=chunk)
                            .values_list("addressee_number", flat=True))
            report += rules.import_collisions([(line, number) for line, number, _, _ in cleaned],
                                              residents=residents, held=held)
            given = [items["individual_number"] for *_, items in cleaned if items.get("individual_number")]
            for chunk in _chunks(given):
                holders.update(NonResident.objects.filter(individual_number__in=chunk).exclude(state=rules.MERGED)
                               .values_list("individual_number", "addressee_number"))
            seen: dict[str, int] = {}
            for line, number, _, items in cleaned:
                individual = items.get("individual_number")
                if individual and (individual in holders or individual in seen):
                    where = f"宛名番号 {holders[individual]}" if individual in holders else f"{seen[individual]} 行目"
                    report.append({"line": line, "addressee_number": number, "code": "individual_number_taken",
                                   "field": "individual_number", "message": f"個人番号が{where}と重複します。"})
                if individual:
                    seen.setdefault(individual, line)
            if report:
                raise ImportRefused(sorted(report, key=lambda r: r["line"]))
            now = timezone.now()
            user = str(actor.username)[:150]
            NonResident.objects.bulk_create([
                NonResident(**items, addressee_number=number, business=code, state=rules.IN_USE, registered_at=now,
                            updated_at=now) for _, number, code, items in cleaned], batch_size=2000)
            NonResidentHistory.objects.bulk_create([
                NonResidentHistory(**items, addressee_number=number, business=code, state=rules.IN_USE,
                                   history_number=1, reason_code=rules.MIGRATED, effective_on=today,
                                   reason="移行", recorded_at=now, recorded_by=user)
                for _, number, code, items in cleaned], batch_size=2000)
            for chunk in _chunks(numbers):
                index_non_residents(chunk)
            highest = max(int(n[:-1]) for n in numbers)
            sequence, _ = NumberSequence.objects.select_for_update().get_or_create(name=ADDRESSEE)
            if highest > sequence.last_body:
                sequence.last_body = highest
                sequence.save(update_fields=["last_body"])
            non_resident_written.send(sender=NonResident, persons=[(n, 1) for n in numbers], actor=actor)
            log_operation(actor, IMPORT, numbers, detail={"rows": len(numbers)})
            journal.record_many({"non_residents": numbers, "non_resident_history": [(n, 1) for n in numbers]})
    return {"imported": len(numbers), "last_body": sequence.last_body}


# ------------------------------------------------------------------ 名寄せ and its undo (issue #17 item 4)

PROPOSE_MERGE, DECIDE_MERGE, UNMERGE = "addressees.merge.propose", "addressees.merge.decide", "addressees.unmerge"


def _as_dict(record) -> dict | None:
    if record is None:
        return None
    return {"addressee_number": record.addressee_number, "state": getattr(record, "state", None),
            "individual_number": record.individual_number}


def _merge_parties(source: str, target: str, *, lock: bool) -> tuple[NonResident | None, object, bool]:
    """(the source 住登外 record, the target — a 住登外 record or a resident's — and whether it is a resident's)."""
    records = NonResident.objects.select_for_update() if lock else NonResident.objects
    found = {r.addressee_number: r for r in records.filter(addressee_number__in=[source, target])}
    resident = Resident.objects.filter(addressee_number=target).only("addressee_number", "individual_number",
                                                                    "status").first()
    if target in found and resident is None:
        return found.get(source), found[target], False
    if resident is not None:
        if source not in found and Resident.objects.filter(addressee_number=source).exists():
            raise RuleViolation("住民記録の方どうしの名寄せはできません（住民記録の異動・職権修正で行います）。",
                                field="source", code="two_residents")
        return found.get(source), resident, True
    return found.get(source), None, False


def _number_of(value, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RuleViolation("宛名番号を入力してください。", field=field, code="required")
    return value.strip()[:10]


def do_propose_merge(source, target, *, actor: Actor, reason: str):
    """名寄せの提案: a clerk says these two numbers are one person; nothing changes until an approver decides."""
    from jumin.addressees.models import MergeProposal

    numbers = [str(source or "")[:10], str(target or "")[:10]]
    require_permission(actor, perms.REGISTER_NON_RESIDENT, PROPOSE_MERGE, numbers)
    with logged_refusals(actor, PROPOSE_MERGE, numbers):
        source, target = _number_of(source, "source"), _number_of(target, "target")
        reason = text.validate_text(reason, field="reason", label="名寄せの理由", required=True, max_length=200)
        with transaction.atomic():
            record, other, is_resident = _merge_parties(source, target, lock=True)
            rules.check_merge(_as_dict(record), _as_dict(other), source_number=source, target_number=target,
                              target_is_resident=is_resident)
            if MergeProposal.objects.filter(source_number=source, status=rules.PROPOSED).exists():
                raise RuleViolation(f"宛名番号 {source} の名寄せはすでに提案中です。審査の結果を待ってください。",
                                    field="source", code="already_proposed")
            proposal = MergeProposal.objects.create(
                source_number=source, target_number=target, reason=reason, proposed_by=str(actor.username)[:150],
                target_kind=rules.RESIDENT if is_resident else rules.NON_RESIDENT, proposed_at=timezone.now())
            log_operation(actor, PROPOSE_MERGE, [source, target], reason=reason, detail={"merge_id": proposal.pk})
            journal.record_many({"non_resident_merges": [proposal.pk]})
    return proposal


def _locked_proposal(merge_id):
    from jumin.addressees.models import MergeProposal

    proposal = MergeProposal.objects.select_for_update().filter(pk=merge_id).first() \
        if isinstance(merge_id, int) else None
    if proposal is None:
        raise NotFound(f"名寄せ {str(merge_id)[:20]} は見つかりません。", field="merge_id")
    return proposal


def do_decide_merge(merge_id: int, *, approve: bool, actor: Actor, reason: str = "", version: int | None = None):
    """名寄せの決定 (an approver other than the proposer): approved, the source is marked 名寄せ済 with the surviving
    number (a snapshot; both numbers' history stays); rejected, nothing changes but the proposal."""
    require_permission(actor, perms.DECIDE_MERGE, DECIDE_MERGE)
    with logged_refusals(actor, DECIDE_MERGE, detail={"merge_id": str(merge_id)[:20]}):
        if not isinstance(approve, bool):
            raise RuleViolation("決定は true（名寄せする）か false（却下する）で指定してください。", field="approve")
        reason = text.validate_text(reason, field="reason", label="決定の理由", required=not approve, max_length=200)
        with transaction.atomic():
            proposal = _locked_proposal(merge_id)
            if proposal.status != rules.PROPOSED:
                raise RuleViolation(f"この名寄せは「{proposal.get_status_display()}」のため、決定できません。",
                                    field="merge_id", code="not_proposed")
            if version is not None and version != proposal.version:
                raise ConflictError("この名寄せはほかの職員が更新しました。もう一度照会してください。")
            if proposal.proposed_by == actor.username:
                raise RuleViolation("自分が提案した名寄せは決定できません。別の審査者に依頼してください。",
                                    code="self_approval")
            numbers = [proposal.source_number, proposal.target_number]
            if approve:
                record, other, is_resident = _merge_parties(*numbers, lock=True)
                rules.check_merge(_as_dict(record), _as_dict(other), source_number=numbers[0],
                                  target_number=numbers[1], target_is_resident=is_resident)
                proposal.source_state = record.state
                record.state, record.merged_into = rules.MERGED, proposal.target_number
                _write(record, reason_code=rules.MERGED_REASON, actor=actor,
                       reason=f"名寄せ先 {proposal.target_number}（名寄せ {proposal.pk}）")
            proposal.status = rules.APPROVED if approve else rules.REJECTED
            proposal.decided_by, proposal.decided_at = str(actor.username)[:150], timezone.now()
            proposal.decision_reason = reason
            proposal.version += 1
            proposal.save()
            log_operation(actor, DECIDE_MERGE, numbers, reason=reason,
                          detail={"merge_id": proposal.pk, "approved": approve})
            journal.record_many({"non_resident_merges": [proposal.pk]})
    return proposal


def do_unmerge(number, *, actor: Actor, reason: str):
    """名寄せの解除: the merged record is restored exactly as it was before the merge (its items, its state, no
    名寄せ先), with a snapshot; the merge's row says it was undone. Only a record merged by an approved 名寄せ."""
    from jumin.addressees.models import MergeProposal, NonResidentHistory

    number = str(number or "")[:10]
    require_permission(actor, perms.DECIDE_MERGE, UNMERGE, [number])
    with logged_refusals(actor, UNMERGE, [number]):
        reason = text.validate_text(reason, field="reason", label="解除の理由", required=True, max_length=200)
        with transaction.atomic():
            record = _locked(number)
            proposal = MergeProposal.objects.select_for_update().filter(
                source_number=number, status=rules.APPROVED).order_by("-pk").first()
            if record.state != rules.MERGED or proposal is None:
                raise RuleViolation(f"宛名番号 {number} は名寄せされていません。", field="addressee_number",
                                    code="not_merged")
            before = NonResidentHistory.objects.filter(addressee_number=number, reason_code=rules.MERGED_REASON) \
                .order_by("-history_number").values_list("history_number", flat=True).first()
            restored = NonResidentHistory.objects.get(addressee_number=number, history_number=before - 1)
            for name in ITEM_NAMES:
                setattr(record, name, getattr(restored, name))
            _write(record, reason_code=rules.UNMERGED_REASON, actor=actor, reason=reason)
            proposal.status, proposal.version = rules.UNDONE, proposal.version + 1
            proposal.decision_reason = f"{proposal.decision_reason}／解除: {reason}"[:200]
            proposal.save()
            log_operation(actor, UNMERGE, [number, proposal.target_number], reason=reason,
                          detail={"merge_id": proposal.pk})
            journal.record_many({"non_resident_merges": [proposal.pk]})
    return record


# ------------------------------------------------------------------ 団体内統合宛名 (共通機能 §2.4; issue #17 item 5)

ASSIGN_INTEGRATED, LOOKUP_INTEGRATED = "integrated.assign", "integrated.lookup"


def _person_for_integration(number: str) -> tuple[object, str]:
    """The person behind a 宛名番号: the register's record first (a 住登外者 who became a resident is the resident),
    else a 住登外 record in use."""
    resident = Resident.objects.filter(addressee_number=number).first()
    if resident is not None:
        return resident, rules.RESIDENT
    record = NonResident.objects.filter(addressee_number=number).first()
    if record is None:
        raise NotFound(f"宛名番号 {number} の方は見つかりません。", field="addressee_number")
    if record.state != rules.IN_USE:
        label = dict(rules.STATE_CHOICES).get(record.state, record.state)
        raise RuleViolation(f"宛名番号 {number} の住登外者は「{label}」です。"
                            + (f"名寄せ先 {record.merged_into} で付番してください。" if record.merged_into else ""),
                            field="addressee_number", code="not_in_use")
    return record, rules.NON_RESIDENT


def _purpose(purpose) -> str:
    return text.validate_text(purpose, field="purpose", label="利用目的（番号法の事務）", required=True, max_length=200)


def do_assign_integrated_number(addressee_number, *, actor: Actor, business: str, purpose: str):
    """0320001 受信 → 0320004 検索 → 0320002 付番: a 団体内統合宛名番号 for the person with this 宛名番号, issued only
    if no record with the person's 個人番号 exists — otherwise that record is the answer (no second number). The
    person needs a 個人番号. Returns (record, created)."""
    from jumin.addressees.models import IntegratedAddressee
    from jumin.core.models import INTEGRATED

    number = str(addressee_number or "")[:10]
    require_permission(actor, perms.INTEGRATED_NUMBER, ASSIGN_INTEGRATED, [number])
    detail = {"business": str(business)[:10]}
    with logged_refusals(actor, ASSIGN_INTEGRATED, [number], detail=detail):
        code = businesses.validate_business(business, field="business", label="付番を依頼した業務")
        purpose = _purpose(purpose)
        with transaction.atomic():
            person, population = _person_for_integration(number)
            if not person.individual_number:
                raise RuleViolation(f"宛名番号 {number} の方には個人番号の記載がありません。団体内統合宛名番号は個人番号の"
                                    "ある方にだけ付番します。", field="addressee_number", code="no_individual_number")
            existing = IntegratedAddressee.objects.select_for_update().filter(
                individual_number=person.individual_number).first()
            if existing is not None:
                log_operation(actor, ASSIGN_INTEGRATED, [number], individual_number_shown=False, reason=purpose,
                              detail={**detail, "integrated_number": existing.integrated_number, "created": False})
                return existing, False
            place = person.address if population == rules.RESIDENT or person.address else person.foreign_address
            record = IntegratedAddressee.objects.create(
                integrated_number=issue_number(INTEGRATED, length=15), individual_number=person.individual_number,
                addressee_number=number, population=population, name=person.name, name_kana=person.name_kana,
                birth_date=person.birth_date, birth_date_text=person.birth_date_text, sex=person.sex,
                address=f"{place} {getattr(person, 'address_supplement', '')}".strip()[:300], business=code,
                assigned_at=timezone.now(), assigned_by=str(actor.username)[:150])
            log_operation(actor, ASSIGN_INTEGRATED, [number], reason=purpose,
                          detail={**detail, "integrated_number": record.integrated_number, "created": True})
            journal.record_many({"integrated_addressees": [record.integrated_number]})
    return record, True
