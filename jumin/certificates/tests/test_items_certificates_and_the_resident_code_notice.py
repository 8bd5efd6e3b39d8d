"""住民票記載事項証明書 (only the items chosen), 除票記載事項証明書, 住民票コード通知票 (standard-spec §4.1)."""

import pytest
from django.core.management import call_command

from conftest import actor
from jumin.certificates.tests.conftest import issue, pdf_text, request_for
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_record_death

pytestmark = pytest.mark.usefixtures("either_renderer")


def test_an_items_certificate_prints_only_the_chosen_items(yamada, clerk):
    result = issue(clerk, request_for(yamada["head"], kind="resident_items", layout="individual",
                                      items=["name", "birth_date", "address"]))
    text = pdf_text(result.pdf)
    assert "住民票記載事項証明書" in text
    assert "山田 太郎" in text and "昭和55年5月5日" in text and "一番町ハイツ301" in text
    assert "続柄" not in text and "性別" not in text and "転入前住所" not in text
    assert "上記の事項は、住民票に記載されている事項と相違ないことを証明する。" in text


def test_a_removed_items_certificate_for_a_deceased_person(yamada, clerk):
    do_record_death({"addressee_number": yamada["child"].addressee_number, "effective_on": "R6.8.1",
                     "notified_on": "R6.8.2"}, actor=actor(clerk))
    text = pdf_text(issue(clerk, request_for(yamada["child"], kind="removed_items", layout="individual",
                                             requester_kind="household", requester_name="山田 太郎")).pdf)
    assert "住民票除票記載事項証明書" in text and "死亡" in text and "令和6年8月1日" in text
    assert "上記の事項は、住民票の除票に記載されている事項と相違ないことを証明する。" in text


def test_the_resident_code_notice_tells_the_person_their_code(yamada, clerk):
    text = pdf_text(issue(clerk, request_for(yamada["head"], kind="resident_code_notice")).pdf)
    assert "住民票コード通知票" in text and "12345678903" in text and "証明する" not in text
    with pytest.raises(RuleViolation):
        issue(clerk, request_for(yamada["head"], kind="resident_code_notice", requester_kind="third_party",
                                 requester_name="他人", purpose="知りたい"))


def test_the_demo_city_can_issue_at_once(family, clerk, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo_setup", stdout=open("/dev/null", "w"))
    from jumin.accounts.models import User
    from jumin.register.models import Resident

    demo_clerk = User.objects.get(username="clerk")
    head = Resident.objects.get(name="山田 太郎")
    assert "宮城県仙台市長" in pdf_text(issue(demo_clerk, request_for(head, layout="individual")).pdf)
    call_command("demo_setup", stdout=open("/dev/null", "w"))  # idempotent: still one mayor
    from jumin.certificates.models import Signatory

    assert Signatory.objects.count() == 1
