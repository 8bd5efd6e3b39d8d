"""API schemas of the register (for OpenAPI and type checks; the domain rules do the real validation).

Dates are strings so that 和暦 (`S45.3.1`, `昭和45年3月1日`) and 不詳日 forms can be sent as typed.
Unknown fields are refused (extra="forbid"), so a misspelt item is never silently dropped.
"""

from typing import Any, Literal

from pydantic import Field, create_model

from jumin.core.schemas import (  # noqa: F401  (re-exported: the bases live in core)
    INT_MAX, TEXT_MAX_LENGTH, Day, Exact, IdempotencyKey, In, Number, Page, Reason, Text,
)


class AddressIn(In):
    postcode: str | None = None
    address_code: str | None = None
    address: str | None = None
    address_supplement: str | None = None


class PersonIn(In):
    """Items of one person as keyed in (standard-spec §2.1 / §2.2)."""

    resident_type: str | None = None
    name: str | None = None
    name_kana: str | None = None
    name_kana_confirmed: bool | None = None
    name_alphabet: str | None = None
    former_surname: str | None = None
    former_surname_kana: str | None = None
    former_surname_kana_confirmed: bool | None = None
    alias: str | None = None
    alias_kana: str | None = None
    alias_kana_confirmed: bool | None = None
    name_priority: str | None = None
    birth_date: str | None = None
    sex: str | None = None
    relationship: str | None = None
    domicile_status: str | None = None
    domicile: str | None = None
    domicile_head: str | None = None
    individual_number: str | None = None
    resident_code: str | None = None
    nationality: str | None = None
    foreign_resident_since: str | None = None
    former_alien_registration_on: str | None = None
    article_30_45: str | None = None
    residence_status: str | None = None
    period_of_stay: str | None = None
    period_expires_on: str | None = None
    residence_card_number: str | None = None
    special_permanent_certificate_number: str | None = None
    landing_period: str | None = None
    provisional_stay_period: str | None = None
    transitional_reason: str | None = None
    electoral_roll: bool | None = None
    nhi_member: bool | None = None
    late_elderly_member: bool | None = None
    long_term_care_member: bool | None = None
    pension_member: bool | None = None
    basic_pension_number: str | None = None
    adult_ward: bool | None = None


class NewPersonIn(PersonIn):
    reentry_of: Number | None = None
    non_resident_of: Number | None = None     # the 住登外者's 宛名番号 this person keeps (issue #17)


class ExpectedVersions(In):
    residents: dict[str, int] | None = None
    households: dict[str, int] | None = None


class ChangeIn(In):
    """Fields every change request may carry."""

    effective_on: str | None = None
    notified_on: str | None = None
    ex_officio: bool | None = None
    reason: Reason | None = None
    acknowledged_alerts: list[str] | None = None
    expected_versions: ExpectedVersions | None = None
    idempotency_key: IdempotencyKey | None = None


class MoveInIn(ChangeIn):
    move_in_kind: str | None = "domestic"
    household_number: Number | None = None
    address: AddressIn | None = None
    previous_address: AddressIn | None = None
    members: list[NewPersonIn]


class RelocationIn(ChangeIn):
    household_number: Number
    members: list[Number] | None = None
    address: AddressIn
    destination_household_number: Number | None = None
    relationships: dict[str, str] | None = None
    new_head: Number | None = None
    remaining_relationships: dict[str, str] | None = None


class MoveOutIn(ChangeIn):
    move_out_kind: str | None = "domestic"
    household_number: Number
    members: list[Number] | None = None
    destination: AddressIn
    new_head: Number | None = None
    remaining_relationships: dict[str, str] | None = None


class MoveInNoticeIn(In):
    addressee_number: Number
    notice_on: str | None = None
    moved_out_on: str | None = None
    destination_confirmed: AddressIn
    idempotency_key: IdempotencyKey | None = None


class HouseholdSplitIn(ChangeIn):
    household_number: Number
    members: list[Number]
    relationships: dict[str, str]
    new_head: Number | None = None
    remaining_relationships: dict[str, str] | None = None


class HouseholdMergeIn(ChangeIn):
    household_number: Number
    into_household_number: Number
    relationships: dict[str, str]


class HouseholdChangeIn(ChangeIn):
    household_number: Number
    members: list[Number]
    into_household_number: Number
    relationships: dict[str, str]
    new_head: Number | None = None
    remaining_relationships: dict[str, str] | None = None


class HeadChangeIn(ChangeIn):
    household_number: Number
    new_head: Number
    relationships: dict[str, str]


class BirthIn(ChangeIn):
    household_number: Number
    child: PersonIn


class DeathIn(ChangeIn):
    addressee_number: Number
    new_head: Number | None = None
    remaining_relationships: dict[str, str] | None = None


class ExOfficioEntryIn(ChangeIn):
    household_number: Number | None = None
    address: AddressIn | None = None
    previous_address: AddressIn | None = None
    members: list[NewPersonIn]


class ExOfficioRemovalIn(ChangeIn):
    addressee_numbers: list[Number]
    new_head: Number | None = None
    remaining_relationships: dict[str, str] | None = None


class CorrectionIn(ChangeIn):
    addressee_number: Number
    correction_kind: str
    items: dict
    address: AddressIn | None = None
    household_wide: bool | None = None


class FormerSurnameIn(ChangeIn):
    addressee_number: Number
    action: str
    former_surname: str | None = None
    former_surname_kana: str | None = None


class AliasIn(ChangeIn):
    addressee_number: Number
    action: str
    alias: str | None = None
    alias_kana: str | None = None


class IndividualNumberIn(ChangeIn):
    addressee_number: Number
    action: str
    individual_number: str


class ResidentCodeIn(ChangeIn):
    addressee_number: Number
    action: str
    resident_code: str


class NaturalizationIn(ChangeIn):
    addressee_number: Number
    items: dict


class NationalityLossIn(ChangeIn):
    addressee_number: Number
    items: dict


class CancellationIn(ChangeIn):
    change_id: int


class DraftUpdateIn(In):
    params: dict
    expected_version: int | None = None


class ApproveManyIn(In):
    change_ids: list[int]


class DiscardIn(In):
    reason: Reason | None = None


# ------------------------------------------------------------------ responses (OpenAPI; issue #15 item 4)

class ChangeOut(Exact):
    """One 異動 as the API returns it (register/queries.change_dict); `params`, its input (個人番号 masked), only
    in the change's own view (get_change)."""

    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    effective_on: str
    effective_on_display: str
    notified_on: str | None
    processed_on: str | None
    ex_officio: bool
    late_notification: bool
    reason: str
    summary: str
    entered_by: str
    entered_at: str
    terminal: str
    cancels: int | None
    version: int
    result: dict[str, Any]
    subjects: list[str]
    params: dict[str, Any] = Field(default_factory=dict)


class ApprovedOut(Exact):
    id: int
    ok: Literal[True]
    status: str


class ApprovalRefusedOut(Exact):
    id: int
    ok: Literal[False]
    code: str
    message: str


class ApproveManyOut(Exact):
    """One result per change, in the order sent: approved with its new status, or the refusal."""

    results: list[ApprovedOut | ApprovalRefusedOut]
    approved: int


# ------------------------------------------------------------------ records (exact: every item listed)

class ViewAlert(Exact):
    """A 支援措置・抑止 alert shown with a record (restrictions/queries.guard_view)."""

    code: str
    message: str


def _item_type(field):
    """The JSON type of one record item as record_dict sends it (dates as ISO strings, null when unknown)."""
    from django.db import models as M

    if isinstance(field, M.DateField):
        return str | None
    if isinstance(field, M.BooleanField):
        return bool
    if isinstance(field, (M.IntegerField, M.PositiveIntegerField)):
        return int
    return str


def _record_items() -> dict:
    from jumin.register.models import RecordItems

    return {f.name: (_item_type(f), Field(description=str(f.verbose_name)))
            for f in RecordItems._meta.local_fields}


class RecordDisplay(Exact):
    """The items as a person reads them: 和暦 dates (西暦 for a foreign resident's 生年月日) and code labels."""

    birth_date: str
    became_resident_on: str
    address_since: str
    removed_on: str
    sex: str
    status: str
    resident_type: str
    removal_reason: str


# Every item of one 住民票 (register/models.RecordItems, standard-spec §2.1 / §2.2), generated from the model so
# an item added there is listed here by itself; 個人番号 is masked unless shown on purpose.
RecordItemsOut = create_model("RecordItemsOut", __base__=Exact, __doc__="Every item of one 住民票.",
                              display=(RecordDisplay, ...), **_record_items())


class RecordOut(RecordItemsOut):
    """The current 住民票 or 除票 (register/queries.get_record)."""

    history_number: int
    version: int
    household_version: int
    pending_change_ids: list[int]
    alerts: list[ViewAlert]


class SnapshotOut(RecordItemsOut):
    """One history snapshot (standard-spec §2.8; register/queries._snapshot_dict)."""

    history_number: int
    change_id: int
    reason_code: str
    reason: str
    effective_on: str
    effective_on_display: str
    processed_on: str
    recorded_at: str


class RecordAsOfOut(SnapshotOut):
    """The snapshot in force on a date (register/queries.get_record_as_of)."""

    as_of: str
    basis: str
    alerts: list[ViewAlert]


class ChangedItem(Exact):
    item: str
    before: Any = None
    after: Any = None


class HistoryEntryOut(SnapshotOut):
    """One snapshot of the 異動履歴 with what its change altered (register/queries.get_history)."""

    change_kind: str | None
    changed_items: list[ChangedItem]


class HouseholdMemberOut(RecordItemsOut):
    """A member as the register shows them now; alerts only when the member has some."""

    version: int
    alerts: list[ViewAlert] | None = None


class HouseholdMemberAsOfOut(SnapshotOut):
    """A member as of a date (a snapshot); alerts only when the member has some."""

    alerts: list[ViewAlert] | None = None


class RestrictedMemberOut(Exact):
    """A member under a 照会抑止, shown to a role that may see protected persons: the number and why only."""

    addressee_number: str
    restricted: bool
    message: str


class HouseholdOut(Exact):
    """A household's living members in household order (standard-spec §4.3; register/queries.get_household);
    `version` is null for a household as of a date."""

    household_number: str
    as_of: str | None
    version: int | None
    members: list[HouseholdMemberOut | HouseholdMemberAsOfOut | RestrictedMemberOut]
