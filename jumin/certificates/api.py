"""Certificate endpoints. Parsing only: rights, rules, the guard, transactions and the log are in
actions/queries. An issued PDF comes back in the response (base64) and stays fetchable for the reprint period."""

import base64

from django.http import HttpResponse
from ninja import Query, Router, Status

from jumin.certificates import actions, queries
from jumin.certificates import schemas as out
from jumin.core.csvfile import csv_response
from jumin.core.errors import RuleViolation
from jumin.core.http import actor_for, terminal_refusal
from jumin.core.models import current_municipality
from jumin.register.schemas import Day, In, Number, Reason, Text

router = Router()
TAGS = ["証明書"]


class RequesterIn(In):
    kind: Text(12)
    name: Text(200)
    addressee_number: Number | None = None
    birth_date: str | None = None


class OptionsIn(In):
    head_relationship: bool | None = None
    domicile: bool | None = None
    resident_code: bool | None = None
    individual_number: bool | None = None
    former_surname: bool | None = None
    alias: bool | None = None
    history: bool | None = None
    previous_address: bool | None = None


class IssueIn(In):
    kind: str
    layout: str | None = None
    subjects: list[Number] = []
    household_number: Number | None = None
    requester: RequesterIn
    identity_check: str
    agent_letter: bool = False
    purpose: Text(500) = ""
    options: OptionsIn = OptionsIn()
    items: list[str] = []
    copies: int = 1
    reissue: bool = False
    place: Text(50) | None = None
    printer: Text(30) | None = None
    fee_exempt_reason: Text(100) | None = None
    acknowledged_alerts: list[str] = []


class VoidIn(In):
    reason: Reason


class ListQuery(In):
    day: Day | None = None
    terminal: Text(50) | None = None
    addressee_number: Number | None = None


class DailyQuery(In):
    day: Day
    terminal: Text(50) | None = None
    format: str = "json"


class VerifyIn(In):
    unbounded_fields = frozenset({"pdf_base64"})

    pdf_base64: str | None = None


# The 日計表 as a file: format=csv (UTF-8 with BOM) or format=pdf; format=json is the schema above.
_DAILY_FILES = {"responses": {200: {"content": {
    "text/csv": {"schema": {"type": "string", "format": "binary"}},
    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}


@router.post("certificates", tags=TAGS, summary="証明書の交付（交付請求 → PDF と交付履歴）", response={201: out.IssuedOut})
def issue(request, payload: IssueIn):
    params = payload.model_dump(mode="json")
    params["options"] = payload.options.model_dump(exclude_none=True)
    result = actions.do_issue_certificate(params, actor=actor_for(request))
    body = queries.issuance_dict(result.issuance)
    body["alerts"] = [{"code": a.code, "message": a.message} for a in result.alerts]
    body["pdf_base64"] = base64.b64encode(result.pdf).decode()
    return Status(201, body)


@router.get("certificates", tags=TAGS, response=list[out.IssuanceOut], summary="交付履歴の一覧")
def list_issuances(request, q: Query[ListQuery]):
    return queries.list_issuances(actor=actor_for(request), day=q.day, terminal=q.terminal,
                                  addressee_number=q.addressee_number)


@router.get("certificates/daily", tags=TAGS, response=out.DailySummaryOut, summary="日計表（format=json|csv|pdf）",
            openapi_extra=_DAILY_FILES)
def daily(request, q: Query[DailyQuery]):
    if q.format not in ("json", "csv", "pdf"):
        raise RuleViolation("format は json・csv・pdf のいずれかです。", field="format")
    summary = queries.daily_summary(actor=actor_for(request), day=q.day, terminal=q.terminal)
    # A filter may name a terminal recorded before names were checked: only a valid name goes into the file name.
    named = q.terminal and not terminal_refusal(q.terminal)
    name = f"nikkei-{q.day:%Y%m%d}{'-' + q.terminal if named else ''}"
    if q.format == "csv":
        return csv_response(queries.daily_summary_rows(summary), queries.DAILY_CSV_HEADER, filename=f"{name}.csv")
    if q.format == "pdf":
        pdf = queries.daily_summary_pdf(summary, municipality_name=current_municipality().name)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    return summary


@router.get("certificates/verify/{code}", tags=TAGS, response=out.VerificationOut, exclude_unset=True,
            summary="照合番号による証明書の照合")
def verify(request, code: str):
    return queries.verify(code, actor=actor_for(request))


@router.post("certificates/verify/{code}", tags=TAGS, response=out.VerificationOut, exclude_unset=True,
             summary="照合番号と PDF ファイルによる照合（改ざんの検出）")
def verify_pdf(request, code: str, payload: VerifyIn):
    try:
        pdf = base64.b64decode(payload.pdf_base64 or "", validate=True)
    except ValueError:
        raise RuleViolation("pdf_base64 は base64 で符号化した PDF を指定してください。", field="pdf_base64")
    return queries.verify(code, actor=actor_for(request), pdf=pdf)


@router.get("certificates/{int:issuance_id}", tags=TAGS, response=out.IssuanceDetailOut, summary="交付履歴の内容")
def get_issuance(request, issuance_id: int):
    return queries.get_issuance(issuance_id, actor=actor_for(request))


@router.get("certificates/{int:issuance_id}/pdf", tags=TAGS, summary="交付した PDF（再印刷、保存期間内）",
            openapi_extra=out.binary("application/pdf", "交付した証明書の PDF"))
def pdf(request, issuance_id: int):
    data, issuance = queries.issued_pdf(issuance_id, actor=actor_for(request))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{issuance.pk}.pdf"'
    return response


@router.post("certificates/{int:issuance_id}/void", tags=TAGS, response=out.IssuanceOut, summary="処分（誤って交付した証明書の廃棄を記録）")
def void(request, issuance_id: int, payload: VoidIn):
    issuance = actions.do_void_issuance(issuance_id, reason=payload.reason, actor=actor_for(request))
    return queries.issuance_dict(issuance)
