"""API schemas of 住登外宛名 (for OpenAPI and type checks; jumin.addressees.rules does the real validation).

Dates are strings so that 和暦 (`S40.4.1`) and 不詳日 forms can be sent as typed. Unknown fields are refused."""

from __future__ import annotations

from typing import Any

from jumin.core.schemas import Exact, In, Number, Reason, Text
from jumin.search.schemas import SearchRow


class NonResidentAddressIn(In):
    kind: Text(10) | None = None
    postcode: Text(10) | None = None
    municipality_code: Text(10) | None = None
    town_code: Text(10) | None = None
    address: str | None = None
    address_supplement: str | None = None
    country_code: Text(10) | None = None
    country_name: str | None = None
    foreign_address: str | None = None


class NonResidentItemsIn(In):
    """Items of one 住登外者 as a clerk or another system sends them (a change sends only what changes)."""

    kind: Text(10) | None = None
    name: str | None = None
    name_kana: str | None = None
    name_alphabet: str | None = None
    alias: str | None = None
    alias_kana: str | None = None
    birth_date: Text(60) | None = None
    sex: Text(1) | None = None
    individual_number: Text(20) | None = None
    address: NonResidentAddressIn | None = None
    referring_businesses: list[Text(3)] | None = None
    other_business_hidden: bool | None = None
    contact: str | None = None
    notified_on: Text(60) | None = None


class NonResidentRegisterIn(NonResidentItemsIn):
    business: Text(3)
    ex_officio: bool = False
    link_removed: Number | None = None


class NonResidentChangeIn(In):
    items: NonResidentItemsIn
    version: int | None = None
    reason: Reason = ""


class NonResidentRetireIn(In):
    reason: Reason
    version: int | None = None


class NonResidentItemsOut(Exact):
    addressee_number: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    name: str
    name_kana: str
    name_alphabet: str
    alias: str
    alias_kana: str
    birth_date: str | None
    birth_date_text: str
    sex: str
    address_kind: str
    postcode: str
    municipality_code: str
    town_code: str
    address: str
    address_supplement: str
    country_code: str
    country_name: str
    foreign_address: str
    individual_number: str
    business: str
    business_label: str
    referring_businesses: list[str]
    other_business_hidden: bool
    contact: str
    notified_on: str | None
    merged_into: str


class NonResidentSnapshotOut(NonResidentItemsOut):
    history_number: int
    reason_code: str
    reason_label: str
    effective_on: str
    reason: str
    recorded_at: str
    recorded_by: str


class NonResidentOut(NonResidentItemsOut):
    version: int
    history_number: int
    history: list[NonResidentSnapshotOut]


class NonResidentCandidatesQuery(In):
    """住登外者宛名基本情報照会: the 基本4情報 (any of them) with 完全一致 (exact, the default), 前方一致 (prefix) or
    部分一致 (partial), and the 業務ID of the system asking."""

    business: Text(3)
    name: str | None = None
    kana: str | None = None
    given_name: str | None = None
    birth_date: str | None = None
    sex: str | None = None
    address: str | None = None
    addressee_number: str | None = None
    individual_number: str | None = None
    match: str | None = None
    limit: int = 50
    reason: Reason = ""


class RegisteredCandidateOut(SearchRow):
    """A resident or a 除票 person (the counter's search line) with which of the two it is."""

    population: str
    population_label: str


class NonResidentCandidateOut(Exact):
    """A 住登外者 (addressees/queries._row). `withheld`: 他業務参照不可 for the asking 業務 — number, 種別 and 状態 only."""

    population: str
    population_label: str
    addressee_number: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    merged_into: str
    business: str
    business_label: str
    withheld: bool
    name: str
    name_kana: str
    alias: str
    birth_date: str | None
    birth_date_display: str
    sex: str
    sex_label: str
    address: str


class NonResidentCandidatesOut(Exact):
    criteria: dict[str, Any]
    business: str
    registered: list[RegisteredCandidateOut]
    non_residents: list[NonResidentCandidateOut]
    registered_total: int
    non_resident_total: int
    capped: bool


class MergeProposeIn(In):
    source: Number
    target: Number
    reason: Reason


class MergeDecisionIn(In):
    approve: bool
    reason: Reason = ""
    version: int | None = None


class UnmergeIn(In):
    reason: Reason


class MergeOut(Exact):
    """One 名寄せ (addressees/queries.merge_dict)."""

    id: int
    source_number: str
    target_number: str
    target_kind: str
    target_kind_label: str
    status: str
    status_label: str
    reason: str
    proposed_by: str
    proposed_at: str
    decided_by: str
    decided_at: str | None
    decision_reason: str
    version: int


class IntegratedAssignIn(In):
    addressee_number: Number
    business: Text(3)
    purpose: Reason


class IntegratedLookupIn(In):
    individual_number: Text(20)
    purpose: Reason


class IntegratedOut(Exact):
    """One 団体内統合宛名 (addressees/queries.integrated_dict); 個人番号 masked unless looked up by it."""

    integrated_number: str
    addressee_number: str
    population: str
    population_label: str
    individual_number: str
    name: str
    name_kana: str
    birth_date: str | None
    birth_date_text: str
    sex: str
    address: str
    business: str
    assigned_at: str
    created: bool = False
