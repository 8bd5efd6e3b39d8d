"""The 印鑑登録証明書 (standard-spec §5.4): impression, registration number, 氏名 (with 旧氏・通称; for foreign
residents the alphabet and katakana names), 生年月日 in 和暦 (西暦 for foreign residents), 性別 (a municipal
setting), the current 住所, the 認証文, the 公印 and the 発行番号 — set in IPAmj明朝 only, recorded in the 交付履歴
like every certificate and verifiable by its code."""

import re
import subprocess
import tempfile

from conftest import actor
from jumin.audit.models import OK, OperationLog
from jumin.certificates.models import IssuedDocument
from jumin.certificates.queries import verify
from jumin.certificates.tests.conftest import pdf_fonts
from jumin.register.actions import do_move_in
from jumin.register.models import Resident
from jumin.seals.tests.conftest import certificate_request, issue, pdf_text, register, seal_scan


def test_a_japanese_residents_certificate(registered, yamada, clerk):
    registration, card = registered
    result = issue(clerk, certificate_request(card.card_number, copies=2, purpose="不動産登記"))
    text = pdf_text(result.pdf)

    assert "印鑑登録証明書" in text
    assert registration.registration_number in text
    assert "山田 太郎" in text and "昭和55年5月5日" in text and "男" in text
    assert "宮城県仙台市青葉区一番町四丁目7番17号 一番町ハイツ301" in text
    assert "この写しは、登録されている印影と相違ないことを証明する。" in text
    assert "宮城県仙台市長" in text and "郡 和子" in text
    issuance = result.issuance
    assert re.fullmatch(r"\d{8} 仙台市 本庁1 プリンタ001 001 1/1", issuance.issue_numbers[0])
    assert issuance.issue_numbers[1].endswith(" 002 1/1")          # each copy its own number
    assert issuance.issue_numbers[0] in text and issuance.verification_code in text
    assert pdf_fonts(result.pdf) == ["IPAmjMincho"]
    assert (issuance.kind, issuance.layout, issuance.copies, issuance.pages, issuance.fee) == \
        ("seal_certificate", "individual", 2, 2, 600)
    assert issuance.subjects == [yamada["head"].addressee_number] and issuance.purpose == "不動産登記"
    assert IssuedDocument.objects.filter(issuance=issuance).exists()
    assert issuance.content["registration_number"] == registration.registration_number
    log = OperationLog.objects.get(function="certificate.issue", outcome=OK)
    assert log.detail["kind"] == "seal_certificate" and log.detail["card_number"] == card.card_number
    assert verify(issuance.verification_code, actor=actor(clerk))["persons"][0]["name"] == "山田 太郎"
    assert registration.events.filter(action="certificate").count() == 1


def test_the_official_seal_is_drawn_as_an_image(registered, clerk):
    _, card = registered
    pdf = issue(clerk, certificate_request(card.card_number)).pdf
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        images = subprocess.run(["pdfimages", "-list", f.name], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) >= 2 + 2   # header lines + the impression and the QR code


def test_former_surname_and_alias_are_printed_and_sex_can_be_left_out(yamada, clerk, seal_settings):
    from jumin.register.actions import do_record_former_surname

    do_record_former_surname({"addressee_number": yamada["wife"].addressee_number, "action": "entry",
                              "former_surname": "佐藤", "effective_on": "R8.11.1", "notified_on": "R8.11.1"},
                             actor=actor(clerk))
    seal_settings.print_sex = False
    seal_settings.save()
    registration = register(clerk, Resident.objects.get(pk=yamada["wife"].pk), seal_scan("佐藤"),
                            represents="former_surname")
    text = pdf_text(issue(clerk, certificate_request(registration.cards.get().card_number, requester="山田 花子")).pdf)
    assert "旧氏" in text and "佐藤" in text
    assert "性別" not in text


def test_a_foreign_residents_certificate_has_the_birth_date_in_the_western_calendar(single_step, clerk, mayor,
                                                                                 config):
    change = do_move_in({
        "move_in_kind": "abroad", "effective_on": "R8.4.1", "notified_on": "R8.4.1",
        "address": {"postcode": "9800811", "address": "宮城県仙台市青葉区一番町四丁目7番17号"},
        "members": [{"resident_type": "foreign", "name": "SMITH JOHN", "name_alphabet": "SMITH JOHN",
                     "name_kana": "スミス ジョン", "birth_date": "1990-07-04", "sex": "1", "relationship": "世帯主",
                     "nationality": "アメリカ合衆国", "article_30_45": "mid_long_term",
                     "residence_status": "技術・人文知識・国際業務", "period_of_stay": "5年",
                     "period_expires_on": "2031-04-01", "residence_card_number": "AB12345678CD",
                     "foreign_resident_since": "R8.4.1"}],
    }, actor=actor(clerk))
    john = Resident.objects.get(addressee_number=change.result["created"][0])
    registration = register(clerk, john, seal_scan("スミス"), represents="katakana", katakana_name="スミス ジョン")
    text = pdf_text(issue(clerk, certificate_request(registration.cards.get().card_number, requester="SMITH JOHN")).pdf)
    assert "1990年7月4日" in text and "平成" not in text
    assert "氏名のカタカナ表記" in text and "スミス ジョン" in text
