"""支援措置 and 抑止 endpoints. Parsing only: rights, rules, transactions and the log are in actions/queries.

A temporary release is answered here and nowhere else: it is never sent to other systems (§3.1, §4.6)."""

from typing import Annotated

from ninja import Query, Router, Status
from pydantic import Field

from jumin.core.http import actor_for
from jumin.register.schemas import In, Number, Reason, Text
from jumin.restrictions import actions, queries
from jumin.restrictions import schemas as out

router = Router()
TAGS = ["支援措置・抑止"]


class ProtectedPersonIn(In):
    addressee_number: Number
    relationship: str | None = None


class OffenderIn(In):
    name: Text(100)
    name_kana: Text(100) | None = None
    birth_date: str | None = None
    sex: str | None = None
    address: Text(200) | None = None
    addressee_number: Number | None = None
    note: str | None = None


class ProtectionIn(In):
    addressee_number: Number
    kind: str
    provisional: bool = False
    provisional_municipality: Text(100) | None = None
    starts_on: str | None = None
    ends_on: str | None = None
    inspection: bool = True
    copies: bool = True
    family_register_annex: bool = True
    applicant_name: Text(100) | None = None
    applicant_name_kana: Text(100) | None = None
    applicant_alias: Text(100) | None = None
    applicant_previous_address: Text(200) | None = None
    applicant_phone: Text(30) | None = None
    applicant_mobile: Text(30) | None = None
    applicant_email: Text(254) | None = None
    transfer_to: Text(200) | None = None
    transferred_on: str | None = None
    note: str | None = None
    protected_persons: list[ProtectedPersonIn] = []
    offenders: list[OffenderIn] = []


class OffenderAddIn(OffenderIn):
    expected_version: int | None = None


class ProtectedPersonAddIn(ProtectedPersonIn):
    expected_version: int | None = None


class DetailsIn(In):
    """申出者の連絡先・転送情報・備考. Only the items sent change; expected_version is required."""

    expected_version: int
    applicant_phone: Text(30) | None = None
    applicant_mobile: Text(30) | None = None
    applicant_email: Text(254) | None = None
    transfer_to: Text(200) | None = None
    transferred_on: str | None = None
    note: str | None = None


class VersionIn(In):
    expected_version: int | None = None


class EndIn(In):
    reason: Reason
    expected_version: int | None = None


class RestrictionIn(In):
    addressee_number: Number | None = None
    household_number: Number | None = None
    operation: str
    level: str
    starts_on: str | None = None
    ends_on: str | None = None
    reason: Reason
    order_id: int | None = None


class ReleaseIn(In):
    minutes: int
    reason: Reason


class ReasonIn(In):
    reason: Reason


class ProtectionListQuery(In):
    ending_within_days: Annotated[int, Field(ge=0, le=3660)] | None = None   # 支援措置 last a year, at most ten
    addressee_number: Number | None = None
    include_ended: bool = False


@router.post("protections", tags=TAGS, summary="支援措置の登録（仮支援措置を含む）", response={201: out.ProtectionOut})
def register_protection(request, payload: ProtectionIn):
    order = actions.do_register_protection(payload.model_dump(exclude_unset=True, mode="json"),
                                           actor=actor_for(request))
    return Status(201, queries.order_dict(order))


@router.get("protections", tags=TAGS, response=list[out.ProtectionOut], summary="支援措置の一覧（ending_within_days で終了間近のもの）")
def list_protections(request, q: Query[ProtectionListQuery]):
    return queries.list_protections(actor=actor_for(request), ending_within_days=q.ending_within_days,
                                    addressee_number=q.addressee_number, include_ended=q.include_ended)


@router.get("protections/{int:order_id}", tags=TAGS, response=out.ProtectionDetailOut, summary="支援措置の内容と変更履歴")
def get_protection(request, order_id: int):
    return queries.get_protection(order_id, actor=actor_for(request))


@router.post("protections/{int:order_id}/extend", tags=TAGS, response=out.ProtectionOut,
             summary="支援措置の延長（終了日の1か月前から、1年）")
def extend_protection(request, order_id: int, payload: VersionIn):
    order = actions.do_extend_protection(order_id, actor=actor_for(request), expected_version=payload.expected_version)
    return queries.order_dict(order)


@router.post("protections/{int:order_id}/end", tags=TAGS, response=out.ProtectionOut, summary="支援措置の終了")
def end_protection(request, order_id: int, payload: EndIn):
    order = actions.do_end_protection(order_id, actor=actor_for(request), reason=payload.reason,
                                      expected_version=payload.expected_version)
    return queries.order_dict(order)


@router.post("protections/{int:order_id}/offenders", tags=TAGS, summary="加害者の追加",
             response={201: out.ProtectionDetailOut})
def add_offender(request, order_id: int, payload: OffenderAddIn):
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("expected_version", None)
    actions.do_add_offender(order_id, data, actor=actor_for(request), expected_version=version)
    return Status(201, queries.get_protection(order_id, actor=actor_for(request)))


@router.post("protections/{int:order_id}/persons", tags=TAGS, summary="併せて支援措置を求める者の追加",
             response={201: out.ProtectionDetailOut})
def add_protected_person(request, order_id: int, payload: ProtectedPersonAddIn):
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("expected_version", None)
    actions.do_add_protected_person(order_id, data, actor=actor_for(request), expected_version=version)
    return Status(201, queries.get_protection(order_id, actor=actor_for(request)))


@router.patch("protections/{int:order_id}", tags=TAGS, response=out.ProtectionOut,
              summary="申出者の連絡先・転送情報・備考の変更（expected_version 必須、変更履歴に残る）")
def edit_protection(request, order_id: int, payload: DetailsIn):
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("expected_version")
    order = actions.do_edit_protection(order_id, data, actor=actor_for(request), expected_version=version)
    return queries.order_dict(order)


@router.post("restrictions", tags=TAGS, summary="抑止の設定（個人・世帯、異動・発行・照会）",
             response={201: out.RestrictionOut})
def set_restriction(request, payload: RestrictionIn):
    restriction = actions.do_set_restriction(payload.model_dump(exclude_unset=True), actor=actor_for(request))
    return Status(201, queries.restriction_dict(restriction))


@router.get("restrictions", tags=TAGS, response=list[out.RestrictionRowOut], summary="個人（その世帯を含む）または世帯の抑止の一覧")
def list_restrictions(request, addressee_number: str | None = None, household_number: str | None = None,
                      include_ended: bool = False):
    return queries.list_restrictions(actor=actor_for(request), addressee_number=addressee_number,
                                     household_number=household_number, include_ended=include_ended)


@router.post("restrictions/{int:restriction_id}/end", tags=TAGS, response=out.RestrictionOut, summary="抑止の解除")
def end_restriction(request, restriction_id: int, payload: ReasonIn):
    restriction = actions.do_end_restriction(restriction_id, actor=actor_for(request), reason=payload.reason)
    return queries.restriction_dict(restriction)


@router.post("restrictions/{int:restriction_id}/release", tags=TAGS, response=out.RestrictionOut,
             summary="抑止の一時解除（最大60分、自動的に元に戻る。他システムへは送信しない）")
def release_restriction(request, restriction_id: int, payload: ReleaseIn):
    restriction = actions.do_release_restriction_temporarily(restriction_id, actor=actor_for(request),
                                                             minutes=payload.minutes, reason=payload.reason)
    return queries.restriction_dict(restriction)
