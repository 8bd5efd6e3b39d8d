"""API schemas of the register (for OpenAPI and type checks; the domain rules do the real validation).

Dates are strings so that 和暦 (`S45.3.1`, `昭和45年3月1日`) and 不詳日 forms can be sent as typed.
Unknown fields are refused (extra="forbid"), so a misspelt item is never silently dropped.
"""

from ninja import Schema
from pydantic import ConfigDict


class In(Schema):
    model_config = ConfigDict(extra="forbid")


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
    reentry_of: str | None = None


class ExpectedVersions(In):
    residents: dict[str, int] | None = None
    households: dict[str, int] | None = None


class ChangeIn(In):
    """Fields every change request may carry."""

    effective_on: str | None = None
    notified_on: str | None = None
    ex_officio: bool | None = None
    reason: str | None = None
    acknowledged_alerts: list[str] | None = None
    expected_versions: ExpectedVersions | None = None
    idempotency_key: str | None = None


class MoveInIn(ChangeIn):
    move_in_kind: str | None = "domestic"
    household_number: str | None = None
    address: AddressIn | None = None
    previous_address: AddressIn | None = None
    members: list[NewPersonIn]


class RelocationIn(ChangeIn):
    household_number: str
    members: list[str] | None = None
    address: AddressIn
    destination_household_number: str | None = None
    relationships: dict[str, str] | None = None
    new_head: str | None = None
    remaining_relationships: dict[str, str] | None = None


class MoveOutIn(ChangeIn):
    move_out_kind: str | None = "domestic"
    household_number: str
    members: list[str] | None = None
    destination: AddressIn
    new_head: str | None = None
    remaining_relationships: dict[str, str] | None = None


class MoveInNoticeIn(In):
    addressee_number: str
    notice_on: str | None = None
    moved_out_on: str | None = None
    destination_confirmed: AddressIn
    idempotency_key: str | None = None


class HouseholdSplitIn(ChangeIn):
    household_number: str
    members: list[str]
    relationships: dict[str, str]
    new_head: str | None = None
    remaining_relationships: dict[str, str] | None = None


class HouseholdMergeIn(ChangeIn):
    household_number: str
    into_household_number: str
    relationships: dict[str, str]


class HouseholdChangeIn(ChangeIn):
    household_number: str
    members: list[str]
    into_household_number: str
    relationships: dict[str, str]
    new_head: str | None = None
    remaining_relationships: dict[str, str] | None = None


class HeadChangeIn(ChangeIn):
    household_number: str
    new_head: str
    relationships: dict[str, str]


class BirthIn(ChangeIn):
    household_number: str
    child: PersonIn


class DeathIn(ChangeIn):
    addressee_number: str
    new_head: str | None = None
    remaining_relationships: dict[str, str] | None = None


class ExOfficioEntryIn(ChangeIn):
    household_number: str | None = None
    address: AddressIn | None = None
    previous_address: AddressIn | None = None
    members: list[NewPersonIn]


class ExOfficioRemovalIn(ChangeIn):
    addressee_numbers: list[str]
    new_head: str | None = None
    remaining_relationships: dict[str, str] | None = None


class CorrectionIn(ChangeIn):
    addressee_number: str
    correction_kind: str
    items: dict
    address: AddressIn | None = None
    household_wide: bool | None = None


class FormerSurnameIn(ChangeIn):
    addressee_number: str
    action: str
    former_surname: str | None = None
    former_surname_kana: str | None = None


class AliasIn(ChangeIn):
    addressee_number: str
    action: str
    alias: str | None = None
    alias_kana: str | None = None


class IndividualNumberIn(ChangeIn):
    addressee_number: str
    action: str
    individual_number: str


class ResidentCodeIn(ChangeIn):
    addressee_number: str
    action: str
    resident_code: str


class NaturalizationIn(ChangeIn):
    addressee_number: str
    items: dict


class NationalityLossIn(ChangeIn):
    addressee_number: str
    items: dict


class CancellationIn(ChangeIn):
    change_id: int


class DraftUpdateIn(In):
    params: dict
    expected_version: int | None = None


class ApproveManyIn(In):
    change_ids: list[int]


class DiscardIn(In):
    reason: str | None = None
