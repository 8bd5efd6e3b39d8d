"""Certificate responses (OpenAPI; issue #15 item 4): every item the queries send is listed, so the document
says exactly what an answer holds. The requests are in `certificates/api.py`."""

from typing import Any

from jumin.register.schemas import Exact, ViewAlert


class OverflowOut(Exact):
    """An item that did not fit its frame (文字超過; certificates/document.py)."""

    addressee_number: str
    name: str
    label: str
    item: str
    length: int


class IssuanceOut(Exact):
    """One 交付履歴 row (standard-spec §4.5; certificates/queries.issuance_dict)."""

    id: int
    issued_at: str
    issued_on_display: str
    place: str
    terminal: str
    printer: str
    username: str
    kind: str
    kind_label: str
    layout: str
    layout_label: str
    reissue: bool
    requester_kind: str
    requester_kind_label: str
    requester_name: str
    purpose: str
    subjects: list[str]
    copies: int
    pages: int
    issue_numbers: list[str]
    fee: int
    fee_exempt_reason: str
    verification_code: str
    voided: bool
    voided_at: str | None
    voided_by: str
    void_reason: str
    items: list[str]
    individual_number_printed: bool
    overflow: list[OverflowOut]


class IssuanceDetailOut(IssuanceOut):
    """One 交付履歴 with what was certified (certificates/queries.get_issuance; 個人番号 is never kept)."""

    identity_check: str
    agent_letter: bool
    options: dict[str, Any]
    content_digest: str
    pdf_digest: str
    content: dict[str, Any]
    document_kept: bool


class IssuedOut(IssuanceOut):
    """A certificate just issued: its 交付履歴, the alerts the clerk acknowledged, and the PDF (base64)."""

    alerts: list[ViewAlert]
    pdf_base64: str


class VerifiedPersonOut(Exact):
    addressee_number: str
    name: str


class VerificationOut(Exact):
    """照合 (certificates/queries.verify): what a 照合番号 was issued as; `pdf_matches` only when a PDF was sent."""

    verification_code: str
    kind_label: str
    issued_at: str
    issued_on_display: str
    issue_numbers: list[str]
    pages: int
    copies: int
    persons: list[VerifiedPersonOut]
    content_digest: str
    voided: bool
    void_reason: str
    status: str
    pdf_matches: bool | None = None


class DailyTotalsOut(Exact):
    requests: int
    copies: int
    pages: int
    fee: int
    exempt: int


class DailyLineOut(DailyTotalsOut):
    kind: str
    kind_label: str


class DailySummaryOut(Exact):
    """日計表 (certificates/queries.daily_summary): per kind the requests, copies, pages, fees and exemptions of
    one day (one terminal, or all when `terminal` is empty), and the number voided."""

    day: str
    day_display: str
    terminal: str
    terminals: list[str]
    lines: list[DailyLineOut]
    totals: DailyTotalsOut
    voided: int


def binary(media_type: str, description: str, *, status: int = 200) -> dict:
    """`openapi_extra` for an answer that is a file, not JSON (ninja's `response=` describes JSON only)."""
    return {"responses": {status: {"description": description,
                                   "content": {media_type: {"schema": {"type": "string", "format": "binary"}}}}}}
