"""The outbox (issue #18 item 1): every approved change — a 異動, a 職権修正, a 取消 — writes one linkage event per
person in the change's own transaction (the register's `snapshots_written`, sent by apply_plan), numbered gap-free
per municipality. Drafts write nothing (apply_plan runs on approval only); a rolled-back change leaves no event and
no gap. 抑止 and its 一時解除 are not register changes and are never sent (standard-spec §4.6)."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils import timezone

from jumin.core.models import advance_sequence, current_municipality
from jumin.linkage import rules
from jumin.linkage.models import LinkageEvent
from jumin.register.actions.base import snapshots_written
from jumin.register.models import ITEM_FIELDS


def series(municipality: str) -> str:
    """The municipality's event counter (core.NumberSequence): one gap-free sequence per municipality."""
    return f"linkage:{municipality}"


def take_numbers(municipality: str, count: int) -> int:
    """The first of `count` new event numbers of the municipality (the row lock orders them by commit)."""
    return advance_sequence(series(municipality), count) - count + 1


def write_events(change, persons, *, operator: str) -> list[LinkageEvent]:
    """One event per (items before or None, snapshot written) of an approved change. Caller holds the transaction."""
    if not persons:
        return []
    municipality = current_municipality().code
    first = take_numbers(municipality, len(persons))
    now = timezone.now()
    events = [LinkageEvent(
        municipality=municipality, seq=first + i, change_id=change.pk, change_kind=change.kind,
        reason_code=snapshot.reason_code, addressee_number=snapshot.addressee_number,
        household_number=snapshot.household_number, history_number=snapshot.history_number,
        effective_on=snapshot.effective_on, effective_on_text=snapshot.effective_on_text or "", recorded_at=now,
        operator=operator[:150], before=rules.item_values(before, ITEM_FIELDS),
        after=rules.item_values({name: getattr(snapshot, name) for name in ITEM_FIELDS}, ITEM_FIELDS))
        for i, (before, snapshot) in enumerate(persons)]
    LinkageEvent.objects.bulk_create(events)
    return events


@receiver(snapshots_written)
def _on_snapshots_written(sender, change, persons, actor, **kwargs):
    write_events(change, persons, operator=str(getattr(actor, "username", "") or ""))


# ------------------------------------------------------------------ 連携先 (issue #18 item 2)

ADD_CLIENT, REVOKE_CLIENT = "linkage.client.add", "linkage.client.revoke"


def _fernet():
    """The key that seals client secrets, derived from the server's SECRET_KEY (docs/adr/0004)."""
    import base64
    import hashlib

    from cryptography.fernet import Fernet
    from django.conf import settings

    digest = hashlib.sha256(f"jumin-linkage-client-secret:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    return _fernet().decrypt(sealed.encode()).decode()


def register_items() -> dict[str, str]:
    """The items a 連携先 may receive: the data dictionary's items of the 住民票 (entity residents)."""
    from jumin.core.dictionary import entity

    return {i.name: i.ja for i in entity("residents").items}


hash_secret = rules.hash_secret


def do_add_linkage_client(data: dict, *, actor) -> tuple:
    """Register a 連携先: its items checked against the dictionary and the 個人番号 against the 番号利用事務 table;
    a client ID ("<業務ID>-<n>") and a secret, returned once (only its hash is kept)."""
    import secrets

    from django.db import transaction

    from jumin.accounts import rules as perms
    from jumin.audit.actions import log_operation, logged_refusals, require_permission
    from jumin.core import businesses
    from jumin.linkage.models import LinkageClient

    require_permission(actor, perms.MANAGE_LINKAGE, ADD_CLIENT)
    with logged_refusals(actor, ADD_CLIENT, detail={"business": str(data.get("business") or "")[:10]}):
        cleaned = rules.clean_client(data, known_items=register_items(), number_use=businesses.NUMBER_USE,
                                     business_names=businesses.NAMES)
        secret = secrets.token_urlsafe(32)
        with transaction.atomic():
            taken = LinkageClient.objects.select_for_update().filter(business=cleaned["business"]).count()
            client = LinkageClient.objects.create(
                **cleaned, client_id=f"{cleaned['business']}-{taken + 1:02d}", secret_hash=hash_secret(secret),
                secret_sealed=seal(secret),
                created_at=timezone.now(), created_by=str(actor.username)[:150])
            log_operation(actor, ADD_CLIENT, [], detail={"client_id": client.client_id, "items": cleaned["items"],
                                                         "removed": cleaned["receives_removed"],
                                                         "protected": cleaned["receives_protected"]})
    return client, secret


def do_revoke_linkage_client(client_id: str, *, actor):
    """A revoked 連携先 gets no token and no data from now on; its row and its deliveries stay."""
    from django.db import transaction

    from jumin.accounts import rules as perms
    from jumin.audit.actions import log_operation, logged_refusals, require_permission
    from jumin.core.errors import NotFound, RuleViolation
    from jumin.linkage.models import LinkageClient

    require_permission(actor, perms.MANAGE_LINKAGE, REVOKE_CLIENT)
    with logged_refusals(actor, REVOKE_CLIENT, detail={"client_id": str(client_id)[:40]}):
        with transaction.atomic():
            client = LinkageClient.objects.select_for_update().filter(client_id=str(client_id)[:40]).first()
            if client is None:
                raise NotFound(f"連携先 {str(client_id)[:40]} は登録されていません。", field="client_id")
            if client.revoked_at:
                raise RuleViolation(f"連携先 {client.client_id} はすでに失効しています。", code="already_revoked")
            client.revoked_at = timezone.now()
            client.save(update_fields=["revoked_at"])
            log_operation(actor, REVOKE_CLIENT, [], detail={"client_id": client.client_id})
    return client
