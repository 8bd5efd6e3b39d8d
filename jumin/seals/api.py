"""印鑑登録 endpoints. Parsing only: rights, rules, the guard, transactions and the log are in actions/queries.

Registration and the 照会書 take the impression scan as a file, so they are `multipart/form-data` with two
parts: `payload` (the JSON object described by the schema) and `impression` (the PNG or JPEG). Everything
else is JSON. A 印鑑登録証明書 comes back with its PDF (base64) and is then in the 交付履歴 (`/api/certificates`).
"""

import base64
import json

from django.http import HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from pydantic import ValidationError as PydanticError

from jumin.certificates import queries as certificate_queries
from jumin.core.errors import RuleViolation
from jumin.audit.actions import refuse
from jumin.core.http import actor_for
from jumin.register.schemas import In, Number, Reason, Text
from jumin.certificates.schemas import binary
from jumin.seals import actions, queries
from jumin.seals import schemas as out

router = Router()
TAGS = ["印鑑登録"]


class RegisterIn(In):
    addressee_number: Number
    route: str
    applicant: str = "self"
    agent_name: Text(200) = ""
    agent_letter: bool = False
    identity_document: Text(40) = ""
    guarantor_number: Number = ""
    guarantee_checked: bool = False
    represents: str
    katakana_name: Text(200) = ""
    seal_checked: bool = False
    guardian_present: bool = False
    guardian_name: Text(200) = ""
    override_similarity: bool = False
    override_reason: Reason = ""


class AnswerIn(In):
    bearer: str = "self"
    agent_name: Text(200) = ""
    agent_letter: bool = False
    identity_document: Text(40)
    reply_checked: bool = False
    guardian_present: bool = False
    guardian_name: Text(200) = ""
    override_similarity: bool = False
    override_reason: Reason = ""


class LossIn(In):
    reporter: str = "self"
    reporter_name: Text(200) = ""


class ReissueIn(In):
    reason: Text(10)
    identity_document: Text(40)
    old_card_returned: bool = False


class AbolishIn(In):
    applicant: str = "self"
    agent_name: Text(200) = ""
    agent_letter: bool = False
    card_returned: bool = False
    note: Reason = ""


class SealRequesterIn(In):
    kind: Text(12) = "self"
    name: Text(200)
    birth_date: str | None = None          # lets the 支援措置 guard recognise an offender
    addressee_number: Number | None = None


class CertificateIn(In):
    presentation: str = "card"
    card_number: Number | None = None
    addressee_number: Number | None = None
    requester: SealRequesterIn
    copies: int = 1
    purpose: Text(500) = ""
    place: Text(50) | None = None
    printer: Text(30) | None = None
    fee_exempt_reason: Text(100) | None = None
    acknowledged_alerts: list[str] = []


def _payload(request, schema, text: str) -> dict:
    """The `payload` part of a multipart request, checked against its schema (the API's Japanese messages); a
    refusal is logged like every refusal at the edge."""
    from jumin.api import validation_message

    try:
        data = json.loads(text or "")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        refusal = RuleViolation("payload は JSON のオブジェクトで指定してください。", field="payload")
    else:
        try:
            return schema.model_validate(data).model_dump()
        except PydanticError as exc:
            message, field = validation_message(exc.errors()[0])
            refusal = RuleViolation(message, field=field or "payload")
    refuse(actor_for(request), "seal.payload", refusal, detail={"refused_input": refusal.field})


@router.get("seals/persons/{addressee_number}", tags=TAGS, response=out.SealStatusOut, summary="ある方の印鑑登録（登録中・廃止済み・照会書）")
def person_status(request, addressee_number: str):
    return queries.seal_status(addressee_number, actor=actor_for(request))


@router.post("seals/registrations", tags=TAGS, response={201: out.RegistrationOut},
             summary="印鑑登録（本人確認書類または保証人による即日登録; multipart: payload + impression）")
def register(request, payload: Form[str], impression: File[UploadedFile]):
    params = _payload(request, RegisterIn, payload)
    registration = actions.do_register_seal(params, impression=impression, actor=actor_for(request))
    return Status(201, queries.registration_dict(registration, events=True))


@router.post("seals/inquiries", tags=TAGS, response={201: out.InquirySentOut},
             summary="照会書による申請（照会書の発送; multipart: payload + impression）")
def send_inquiry(request, payload: Form[str], impression: File[UploadedFile]):
    params = _payload(request, RegisterIn, payload)
    inquiry = actions.do_send_inquiry(params, impression=impression, actor=actor_for(request))
    body = queries.inquiry_dict(inquiry)
    body["letter_pdf_base64"] = base64.b64encode(queries.inquiry_letter(inquiry.inquiry_number,
                                                                        actor=actor_for(request))).decode()
    return Status(201, body)


@router.get("seals/inquiries/{inquiry_number}", tags=TAGS, response=out.InquiryOut, summary="照会書の状態（回答待ち・回答済み・期限切れ）")
def get_inquiry(request, inquiry_number: str):
    return queries.get_inquiry(inquiry_number, actor=actor_for(request))


@router.post("seals/inquiries/{inquiry_number}/answer", tags=TAGS, response={201: out.RegistrationOut},
             summary="回答書の受付（期限内）→ 登録と印鑑登録証の交付")
def answer_inquiry(request, inquiry_number: str, payload: AnswerIn):
    registration = actions.do_answer_inquiry(inquiry_number, payload.model_dump(), actor=actor_for(request))
    return Status(201, queries.registration_dict(registration, events=True))


@router.get("seals/registrations/{registration_number}", tags=TAGS, response=out.RegistrationOut,
            summary="印鑑登録原票（履歴つき）")
def get_registration(request, registration_number: str):
    return queries.get_registration(registration_number, actor=actor_for(request))


@router.get("seals/registrations/{registration_number}/impression", tags=TAGS,
            summary="登録されている印影（PNG、解像度つき）", openapi_extra=binary("image/png", "印影の画像（PNG、解像度つき）"))
def impression(request, registration_number: str):
    data = queries.impression_png(registration_number, actor=actor_for(request))
    return HttpResponse(data, content_type="image/png")


@router.post("seals/registrations/{registration_number}/loss", tags=TAGS, response=out.RegistrationOut,
             summary="印鑑登録証の亡失届")
def card_loss(request, registration_number: str, payload: LossIn):
    actions.do_report_card_loss(payload.model_dump() | {"registration_number": registration_number},
                                actor=actor_for(request))
    return queries.get_registration(registration_number, actor=actor_for(request))


@router.post("seals/cards/{card_number}/loss", tags=TAGS, response=out.RegistrationOut, summary="印鑑登録証の亡失届（登録証番号で）")
def card_loss_by_number(request, card_number: str, payload: LossIn):
    card = actions.do_report_card_loss(payload.model_dump() | {"card_number": card_number}, actor=actor_for(request))
    return queries.get_registration(card.registration.registration_number, actor=actor_for(request))


@router.post("seals/registrations/{registration_number}/cards", tags=TAGS, response={201: out.RegistrationOut},
             summary="印鑑登録証の再交付")
def reissue(request, registration_number: str, payload: ReissueIn):
    actions.do_reissue_card(payload.model_dump() | {"registration_number": registration_number},
                            actor=actor_for(request))
    return Status(201, queries.get_registration(registration_number, actor=actor_for(request)))


@router.post("seals/registrations/{registration_number}/abolish", tags=TAGS, response=out.RegistrationOut,
             summary="印鑑登録の廃止（申請）")
def abolish(request, registration_number: str, payload: AbolishIn):
    actions.do_abolish_registration(payload.model_dump() | {"registration_number": registration_number},
                                    actor=actor_for(request))
    return queries.get_registration(registration_number, actor=actor_for(request))


@router.post("seals/certificates", tags=TAGS, response={201: out.SealCertificateOut},
             summary="印鑑登録証明書の交付（印鑑登録証の提示）→ PDF と交付履歴")
def issue_certificate(request, payload: CertificateIn):
    params = payload.model_dump(mode="json")
    result = actions.do_issue_seal_certificate(params, actor=actor_for(request))
    body = certificate_queries.issuance_dict(result.issuance)
    body["registration_number"] = result.registration.registration_number
    body["alerts"] = [{"code": a.code, "message": a.message} for a in result.alerts]
    body["pdf_base64"] = base64.b64encode(result.pdf).decode()
    return Status(201, body)
