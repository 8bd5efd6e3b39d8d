"""A 世帯連記式 住民票の写し read back with pdftotext: name, address with 方書, 和暦 birth date, 発行番号,
認証文, the mayor; and the numbers omitted unless asked for (standard-spec §4.2, §4.4)."""

import re

import pytest

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.certificates.models import Issuance
from jumin.certificates.tests.conftest import issue, pdf_text, request_for

pytestmark = pytest.mark.usefixtures("either_renderer")


def test_the_copy_carries_every_item_in_household_order(yamada, clerk):
    result = issue(clerk, request_for(yamada["child"], yamada["head"], yamada["wife"], layout="household"))
    text = pdf_text(result.pdf)
    assert "住民票の写し（世帯連記式）" in text
    assert "宮城県仙台市青葉区一番町四丁目7番17号 一番町ハイツ301" in text  # 方書 always printed
    assert text.index("山田 太郎") < text.index("山田 花子") < text.index("山田 一郎")  # §4.3 order, not request order
    assert "昭和55年5月5日" in text and "平成24年6月1日" in text
    assert "この写しは、世帯全員の住民票の原本と相違ないことを証明する。" in text
    assert "宮城県仙台市長" in text and "郡 和子" in text
    number = result.issuance.issue_numbers[0]
    assert re.fullmatch(r"\d{8} 仙台市 本庁1 プリンタ001 001 1/1", number)
    assert number in text
    assert result.issuance.verification_code in text
    # numbers and 本籍 are omitted unless asked for
    assert "123456789018" not in text and "12345678903" not in text and "本籍" not in text


def test_a_part_of_the_household_gets_the_plain_attestation(yamada, clerk):
    text = pdf_text(issue(clerk, request_for(yamada["head"], layout="household")).pdf)
    assert "この写しは、住民票の原本と相違ないことを証明する。" in text
    assert "山田 花子" not in text


def test_the_numbers_and_domicile_print_when_the_person_asks(yamada, clerk):
    params = request_for(yamada["head"], layout="individual", purpose="勤務先への提出",
                         options={"individual_number": True, "resident_code": True, "domicile": True})
    result = issue(clerk, params)
    text = pdf_text(result.pdf)
    assert "123456789018" in text and "12345678903" in text
    assert "東京都千代田区千代田1番" in text
    issuance = result.issuance
    assert issuance.individual_number_printed
    assert "123456789018" not in str(issuance.content)  # the kept content never holds the number
    row = OperationLog.objects.get(function="certificate.issue", addressee_number=yamada["head"].addressee_number)
    assert row.individual_number_shown and row.reason == "勤務先への提出"


def test_each_copy_has_its_own_number_and_the_day_series_continues(yamada, clerk):
    first = issue(clerk, request_for(yamada["head"], layout="individual", copies=2)).issuance
    assert first.copies == 2 and first.pages == 2 and first.fee == 600
    assert [n.split()[4] for n in first.issue_numbers] == ["001", "002"]
    second = issue(clerk, request_for(yamada["head"], layout="individual")).issuance
    assert second.issue_numbers[0].split()[4] == "003"
    other_terminal = issue(clerk, request_for(yamada["head"], layout="individual"), terminal="本庁2").issuance
    assert other_terminal.issue_numbers[0].split()[2:5] == ["本庁2", "プリンタ001", "001"]
    assert Issuance.objects.count() == 3


def test_a_foreign_residents_birth_date_prints_in_the_western_calendar(family, mayor, config, clerk):
    from jumin.register.actions import do_move_in

    change = do_move_in({
        "move_in_kind": "abroad", "effective_on": "R6.4.1", "notified_on": "R6.4.5",
        "address": {"address": "宮城県仙台市青葉区国分町一丁目1番1号"},
        "members": [{"name": "SMITH JOHN", "name_alphabet": "SMITH JOHN", "birth_date": "1990-02-03", "sex": "1",
                     "relationship": "世帯主", "resident_type": "foreign", "nationality": "アメリカ合衆国",
                     "article_30_45": "mid_long_term", "residence_status": "技術・人文知識・国際業務",
                     "period_of_stay": "3年", "period_expires_on": "2027-03-31", "residence_card_number": "AB12345678CD"}],
    }, actor=actor(clerk))
    from jumin.register.models import Resident

    smith = Resident.objects.get(addressee_number=change.result["created"][0])
    text = pdf_text(issue(clerk, request_for(smith, layout="individual")).pdf)
    assert "1990年2月3日" in text and "2027年3月31日" in text
    assert "アメリカ合衆国" in text and "中長期在留者" in text
