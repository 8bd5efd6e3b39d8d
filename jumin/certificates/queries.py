"""Reads of the 交付履歴: lists, one issuance with its PDF, verification by code, and the 日計表.
Each read checks the reader's right and writes the operation log (standard-spec §4.5, §6.1)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Sum
from django.utils import timezone

from jumin.accounts import rules as perms
from jumin.audit.actions import Actor, log_operation, log_refusal, refuse, require_permission
from jumin.certificates import rules
from jumin.certificates.models import Issuance, IssuedDocument
from jumin.core.csvfile import write_csv
from jumin.core.errors import NotFound
from jumin.core.wareki import format_wareki
from jumin.restrictions.queries import hidden_numbers, refuse_hidden



def issuance_dict(i: Issuance, *, full: bool = False) -> dict:
    out = {
        "id": i.pk, "issued_at": timezone.localtime(i.issued_at).isoformat(timespec="seconds"),
        "issued_on_display": format_wareki(i.day), "place": i.place, "terminal": i.terminal, "printer": i.printer,
        "username": i.username, "kind": i.kind, "kind_label": i.get_kind_display(), "layout": i.layout,
        "layout_label": i.get_layout_display(), "reissue": i.reissue, "requester_kind": i.requester_kind,
        "requester_kind_label": i.get_requester_kind_display(), "requester_name": i.requester_name,
        "purpose": i.purpose, "subjects": i.subjects, "copies": i.copies, "pages": i.pages,
        "issue_numbers": i.issue_numbers, "fee": i.fee, "fee_exempt_reason": i.fee_exempt_reason,
        "verification_code": i.verification_code, "voided": i.voided_at is not None,
        "voided_at": timezone.localtime(i.voided_at).isoformat(timespec="seconds") if i.voided_at else None,
        "voided_by": i.voided_by, "void_reason": i.void_reason,
        "items": [rules_item_label(x) for x in i.items],
        "individual_number_printed": i.individual_number_printed, "overflow": i.overflow,
    }
    if full:
        out.update({"identity_check": i.get_identity_check_display(), "agent_letter": i.agent_letter,
                    "options": i.options, "content_digest": i.content_digest, "pdf_digest": i.pdf_digest,
                    "content": i.content, "document_kept": IssuedDocument.objects.filter(issuance=i).exists()})
    return out


ITEM_LABELS = {
    "name": "氏名", "address": "住所", "name_alphabet": "氏名（アルファベット）", "former_surname": "旧氏", "alias": "通称",
    "birth_date": "生年月日", "sex": "性別", "head_name": "世帯主", "relationship": "続柄",
    "became_resident_on": "住民となった年月日", "address_since": "住所を定めた年月日", "domicile": "本籍",
    "domicile_head": "筆頭者", "previous_address": "転入前住所", "nationality": "国籍・地域",
    "article_30_45": "法第30条の45に規定する区分", "residence_status": "在留資格", "period_of_stay": "在留期間",
    "period_expires_on": "在留期間の満了の日", "residence_card_number": "在留カード等の番号",
    "resident_code": "住民票コード", "individual_number": "個人番号", "planned_move_out_on": "転出予定年月日",
    "destination": "転出先", "removal_reason": "消除事由", "history": "履歴",
    "seal_impression": "印影", "seal_registration_number": "印鑑登録番号", "katakana_name": "氏名のカタカナ表記",
}


def rules_item_label(item: str) -> str:
    return ITEM_LABELS.get(item, item)


def list_issuances(*, actor: Actor, day: date | None = None, terminal: str | None = None,
                   addressee_number: str | None = None, limit: int = 200) -> list[dict]:
    function = "certificate.list"
    require_permission(actor, perms.VIEW_ISSUANCES, function)
    rows = Issuance.objects.order_by("-issued_at")
    if day:
        rows = rows.filter(day=day)
    if terminal:
        rows = rows.filter(terminal=terminal)
    if addressee_number:
        rows = rows.filter(subjects__contains=[addressee_number]) if _json_contains() else \
            rows.filter(subjects__icontains=f'"{addressee_number}"')
    hidden = hidden_numbers(actor)   # 支援措置・照会抑止: not listed to a reader without VIEW_PROTECTED
    out = []
    for i in rows.iterator():
        if len(out) >= limit:
            break
        if not hidden.intersection(i.subjects):
            out.append(issuance_dict(i))
    log_operation(actor, function, [addressee_number] if addressee_number else (),
                  detail={"day": day.isoformat() if day else None, "terminal": terminal, "rows": len(out)})
    return out


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def get_issuance(issuance_id: int, *, actor: Actor) -> dict:
    function = "certificate.view"
    require_permission(actor, perms.VIEW_ISSUANCES, function)
    issuance = Issuance.objects.filter(pk=issuance_id).first()
    if issuance is None:
        refuse(actor, function, NotFound(f"交付履歴 {issuance_id} は見つかりません。", field="issuance"))
    refuse_hidden(actor, issuance.subjects, function=function, detail={"issuance": issuance.pk})
    log_operation(actor, function, issuance.subjects, detail={"issuance": issuance.pk})
    return issuance_dict(issuance, full=True)


def issued_pdf(issuance_id: int, *, actor: Actor) -> tuple[bytes, Issuance]:
    """The kept PDF, for printing (again): every fetch is in the operation log as certificate.pdf."""
    function = "certificate.pdf"
    require_permission(actor, perms.ISSUE_CERTIFICATE, function)
    issuance = Issuance.objects.filter(pk=issuance_id).first()
    document = IssuedDocument.objects.filter(issuance_id=issuance_id).first() if issuance else None
    if issuance is None or document is None or issuance.voided_at is not None:
        message = (f"交付履歴 {issuance_id} は見つかりません。" if issuance is None else
                   "この証明書は処分済みです。" if issuance.voided_at is not None else
                   "この証明書のPDFは保存期間を過ぎたため削除されました。必要なら新たに交付してください。")
        refusal = NotFound(message, field="issuance")
        log_refusal(actor, function, issuance.subjects if issuance else (), message=message)
        raise refusal
    refuse_hidden(actor, issuance.subjects, function=function, detail={"issuance": issuance.pk})
    log_operation(actor, function, issuance.subjects, individual_number_shown=issuance.individual_number_printed,
                  detail={"issuance": issuance.pk})
    return bytes(document.pdf), issuance


def verify(code: str, *, actor: Actor, pdf: bytes | None = None) -> dict:
    """照合: what the code on a paper or PDF copy was issued as, so a forged or altered copy shows.

    The answer gives the 発行番号, date, kind, the persons' names and the content digest; with the PDF file the
    checker also learns whether the file is byte-for-byte the one issued."""
    import hashlib

    function = "certificate.verify"
    require_permission(actor, perms.VERIFY_CERTIFICATE, function)
    normalised = rules.normalise_code(code)
    issuance = Issuance.objects.filter(verification_code=normalised).first() if normalised else None
    if issuance is None:
        message = ("照合番号の形式が正しくありません（英数字13文字、例: ABCD-EFGH-JKLMN）。" if normalised is None
                   else "この照合番号で交付された証明書はありません。偽造または照合番号の読み違いの可能性があります。")
        log_refusal(actor, function, (), message=message, detail={"code": (code or "")[:40]})
        raise NotFound(message, field="code")
    refuse_hidden(actor, issuance.subjects, function=function, detail={"issuance": issuance.pk})
    persons = [{"addressee_number": p["addressee_number"],
                "name": next((v for label, v in p["lines"] if label == "氏名"), "")}
               for p in issuance.content.get("persons", [])]
    out = {
        "verification_code": issuance.verification_code, "kind_label": issuance.get_kind_display(),
        "issued_at": timezone.localtime(issuance.issued_at).isoformat(timespec="seconds"),
        "issued_on_display": format_wareki(issuance.day), "issue_numbers": issuance.issue_numbers,
        "pages": issuance.pages, "copies": issuance.copies, "persons": persons,
        "content_digest": issuance.content_digest, "voided": issuance.voided_at is not None,
        "void_reason": issuance.void_reason,
        "status": "処分済み（無効）" if issuance.voided_at else "有効に交付されています",
    }
    if pdf is not None:
        out["pdf_matches"] = hashlib.sha256(pdf).hexdigest() == issuance.pdf_digest
    log_operation(actor, function, issuance.subjects,
                  detail={"issuance": issuance.pk, "pdf_checked": pdf is not None,
                          "pdf_matches": out.get("pdf_matches")})
    return out


def daily_summary(*, actor: Actor, day: date, terminal: str | None = None) -> dict:
    """日計表: per kind, the requests, copies, pages and fees of one day (one terminal or all)."""
    function = "certificate.daily"
    require_permission(actor, perms.VIEW_ISSUANCES, function)
    rows = Issuance.objects.filter(day=day)
    if terminal:
        rows = rows.filter(terminal=terminal)
    live = rows.filter(voided_at__isnull=True)
    grouped = {r["kind"]: r for r in live.values("kind").annotate(
        requests=Count("pk"), copies=Sum("copies"), pages=Sum("pages"), fee=Sum("fee"),
        exempt=Count("pk", filter=~Q(fee_exempt_reason="")))}
    lines = []
    for code, label in rules.KIND_CHOICES:
        g = grouped.get(code)
        if g:
            lines.append({"kind": code, "kind_label": label, "requests": g["requests"], "copies": g["copies"] or 0,
                          "pages": g["pages"] or 0, "fee": g["fee"] or 0, "exempt": g["exempt"]})
    totals = {k: sum(line[k] for line in lines) for k in ("requests", "copies", "pages", "fee", "exempt")}
    voided = rows.filter(voided_at__isnull=False).count()
    terminals = sorted(set(rows.values_list("terminal", flat=True)))
    log_operation(actor, function, (), detail={"day": day.isoformat(), "terminal": terminal})
    return {"day": day.isoformat(), "day_display": format_wareki(day), "terminal": terminal or "",
            "terminals": terminals, "lines": lines, "totals": totals, "voided": voided}


DAILY_CSV_HEADER = ["交付日", "端末", "種別", "件数", "通数", "枚数", "手数料（円）", "免除件数"]


def daily_summary_rows(summary: dict) -> list[list]:
    """The 日計表 as CSV records (after `DAILY_CSV_HEADER`): one per kind, the total, the voided count."""
    where = [summary["day"], summary["terminal"] or "全端末"]
    rows = [where + [line["kind_label"], line["requests"], line["copies"], line["pages"], line["fee"],
                     line["exempt"]] for line in summary["lines"]]
    t = summary["totals"]
    rows.append(where + ["合計", t["requests"], t["copies"], t["pages"], t["fee"], t["exempt"]])
    rows.append(where + ["処分（件数）", summary["voided"], "", "", "", ""])
    return rows


def daily_summary_csv(summary: dict) -> str:
    """The 日計表 CSV text, through the project's one writer (the terminal name is free text: neutralised)."""
    return write_csv(daily_summary_rows(summary), DAILY_CSV_HEADER)


def daily_summary_pdf(summary: dict, *, municipality_name: str) -> bytes:
    from django.template.loader import render_to_string

    from jumin.certificates.render import html_to_pdf

    html = render_to_string("certificates/daily_pdf.html", {"s": summary, "municipality": municipality_name})
    return html_to_pdf(html, stylesheet=DAILY_CSS)


DAILY_CSS = """
@page { size: A4 portrait; margin: 15mm; @bottom-right { content: counter(page) "/" counter(pages);
        font-family: IPAmjMincho; font-size: 8pt; } }
html { font-family: IPAmjMincho; font-size: 10pt; }
h1 { font-size: 15pt; text-align: center; font-weight: normal; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: .25mm solid #000; padding: 1mm 2mm; }
td.n { text-align: right; }
"""
