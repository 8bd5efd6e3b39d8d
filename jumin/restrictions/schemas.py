"""支援措置 and 抑止 responses (OpenAPI; issue #15 item 4): every item the queries send is listed
(restrictions/queries.order_dict, restriction_dict), so the document says exactly what an answer holds. The
requests are in `restrictions/api.py`."""

from typing import Any

from jumin.register.schemas import Exact


class ProtectedPersonOut(Exact):
    """併せて支援措置を求める者."""

    addressee_number: str
    name: str
    relationship: str


class OffenderOut(Exact):
    """加害者 as the 申出書 names them (used to recognise a request by them, standard-spec §4.6)."""

    id: int
    name: str
    name_kana: str
    birth_date: str | None
    sex: str
    address: str
    addressee_number: str
    note: str


class MovedOutOut(Exact):
    """A protected person whose record is a 除票 by 転出: the protection keeps covering it (前住所 mode)."""

    addressee_number: str
    name: str
    removed_on: str | None
    destination: str


class ProtectionOut(Exact):
    """One 支援措置 (restrictions/queries.order_dict). `alert` is ending_soon / expired while active, else null."""

    id: int
    addressee_number: str
    applicant_name: str
    applicant_name_kana: str
    applicant_alias: str
    applicant_previous_address: str
    applicant_phone: str
    applicant_mobile: str
    applicant_email: str
    kind: str
    kind_label: str
    provisional: bool
    provisional_municipality: str
    starts_on: str
    ends_on: str
    inspection: bool
    copies: bool
    family_register_annex: bool
    transfer_to: str
    transferred_on: str | None
    note: str
    status: str
    status_label: str
    ended_on: str | None
    ended_reason: str
    version: int
    alert: str | None
    extension_opens_on: str
    protected_persons: list[ProtectedPersonOut]
    offenders: list[OffenderOut]
    moved_out: list[MovedOutOut]
    address_mode: str


class HistoryChangeOut(Exact):
    """One item a history row changed, as the supervisor reads it."""

    item: str
    label: str
    before: str
    after: str


class ProtectionHistoryOut(Exact):
    """One change to a 支援措置, with the full snapshot after it (insert-only)."""

    at: str
    user: str
    user_label: str
    action: str
    action_label: str
    snapshot: dict[str, Any]
    changes: list[HistoryChangeOut]


class ProtectionDetailOut(ProtectionOut):
    """One 支援措置 with its change history (restrictions/queries.get_protection)."""

    history: list[ProtectionHistoryOut]


class RestrictionOut(Exact):
    """One 抑止 on a person or a household (restrictions/queries.restriction_dict); `released` while a temporary
    release lasts, `alert` is expired once its planned end has passed without a release."""

    id: int
    addressee_number: str
    household_number: str
    operation: str
    operation_label: str
    level: str
    level_label: str
    starts_on: str
    ends_on: str | None
    reason: str
    order_id: int | None
    created_by: str
    released_until: str | None
    released: bool
    ended_on: str | None
    ended_reason: str
    alert: str | None
    in_force: bool
    released_by: str
    version: int


class RestrictionRowOut(RestrictionOut):
    """A 抑止 in a list, with the person it is set on (or the household's head)."""

    name: str
