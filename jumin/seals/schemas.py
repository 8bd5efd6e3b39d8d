"""印鑑登録 responses (OpenAPI; issue #15 item 4): every item the queries send is listed (seals/queries.py), so
the document says exactly what an answer holds. The requests are in `seals/api.py`."""

from typing import Any

from jumin.certificates.schemas import IssuedOut
from jumin.register.schemas import Exact, ViewAlert


class CardOut(Exact):
    """印鑑登録証 (seals/queries.card_dict)."""

    card_number: str
    status: str
    status_label: str
    issued_on: str
    issued_on_display: str
    reissue: bool
    reissue_reason: str
    lost_on: str | None
    lost_on_display: str
    ended_on: str | None
    ended_on_display: str


class SimilarSealOut(Exact):
    """A household member's registration whose impression is similar (standard-spec §5.1)."""

    registration_number: str
    addressee_number: str
    name: str
    distance_bits: int


class ImpressionOut(Exact):
    """The registered impression as measured from the scan (seals/queries._impression)."""

    width_mm: float
    height_mm: float
    square_mm: float
    image_width_mm: float
    image_height_mm: float
    dpi: list[float]
    dpi_source: str
    format: str
    sha256: str
    hash: str
    represents: str
    represents_label: str
    similar_to: list[SimilarSealOut]
    similarity_override: bool
    similarity_override_by: str
    similarity_override_reason: str


class SealEventOut(Exact):
    """One line of the 原票's history."""

    at: str
    day: str
    day_display: str
    action: str
    action_label: str
    username: str
    terminal: str
    detail: dict[str, Any]


class RegistrationOut(Exact):
    """印鑑登録原票 with its cards and history (seals/queries.registration_dict with events)."""

    registration_number: str
    addressee_number: str
    status: str
    status_label: str
    registered_on: str
    registered_on_display: str
    route: str
    route_label: str
    applicant: str
    applicant_label: str
    agent_name: str
    identity_document: str
    identity_document_label: str
    guarantor_registration_number: str
    inquiry_number: str
    guardian_name: str
    name: str
    former_surname: str
    alias: str
    name_alphabet: str
    katakana_name: str
    birth_date: str | None
    sex: str
    address: str
    impression: ImpressionOut
    abolished_on: str | None
    abolished_on_display: str
    abolition_reason: str
    abolition_reason_label: str
    abolition_note: str
    abolished_by: str
    retain_until: str | None
    retain_until_display: str
    entered_by: str
    version: int
    cards: list[CardOut]
    valid_card: CardOut | None
    events: list[SealEventOut]


class InquiryOut(Exact):
    """照会書 (seals/queries.inquiry_dict): its status (回答待ち・回答済み・期限切れ) as of today."""

    inquiry_number: str
    addressee_number: str
    name: str
    address: str
    applicant: str
    applicant_label: str
    agent_name: str
    status: str
    status_label: str
    sent_on: str
    sent_on_display: str
    deadline_on: str
    deadline_on_display: str
    answered_on: str | None
    impression: ImpressionOut


class InquirySentOut(InquiryOut):
    """A 照会書 just sent, with the 照会書・回答書 PDF to mail (base64)."""

    letter_pdf_base64: str


class SealStatusOut(Exact):
    """A person's 印鑑登録 (seals/queries.seal_status): the active registration, abolished ones still kept, 照会書."""

    addressee_number: str
    alerts: list[ViewAlert]
    active: RegistrationOut | None
    abolished: list[RegistrationOut]
    inquiries: list[InquiryOut]


class SealCertificateOut(IssuedOut):
    """A 印鑑登録証明書 just issued: its 交付履歴 (also in /api/certificates), the registration and the PDF."""

    registration_number: str
