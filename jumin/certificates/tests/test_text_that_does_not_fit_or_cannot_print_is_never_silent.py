"""Overflow and missing glyphs (standard-spec §4.2): shrink, else alert and list — never silent truncation; a
character IPAmj cannot draw refuses the certificate instead of printing a box or a plain base character."""

import pytest

from conftest import actor, family_params
from jumin.audit.models import REFUSED, OperationLog
from jumin.certificates import rules
from jumin.certificates.models import CertificateConfig
from jumin.certificates.tests.conftest import certificate_state, issue, pdf_text, request_for
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_move_in
from jumin.register.actions.base import ConfirmationRequired
from jumin.register.models import Resident

pytestmark = pytest.mark.usefixtures("either_renderer")

LONG_SUPPLEMENT = "グランドメゾン一番町ガーデンテラスウエストウイング" * 6


def person_with(clerk, **member):
    params = family_params()
    params["members"] = [params["members"][0] | member]
    if "address_supplement" in member:
        params["address"] = params["address"] | {"address_supplement": member.pop("address_supplement")}
        params["members"][0].pop("address_supplement")
    return Resident.objects.get(addressee_number=do_move_in(params, actor=actor(clerk)).result["created"][0])


def test_an_address_that_cannot_fit_is_refused_and_listed(single_step, mayor, config, clerk):
    person = person_with(clerk, address_supplement=LONG_SUPPLEMENT)
    before = certificate_state()
    with pytest.raises(RuleViolation) as refusal:
        issue(clerk, request_for(person, layout="individual"))
    assert refusal.value.code == "overflow" and "住所" in refusal.value.message
    assert certificate_state() == before
    row = OperationLog.objects.get(function="certificate.issue", outcome=REFUSED)
    assert row.detail["overflow"][0]["label"] == "住所"  # the 文字超過リスト entry


def test_in_print_to_limit_mode_the_clerk_confirms_and_the_box_is_marked(single_step, mayor, config, clerk):
    CertificateConfig.objects.update(overflow_mode=rules.OVERFLOW_LIMIT)
    person = person_with(clerk, address_supplement=LONG_SUPPLEMENT)
    params = request_for(person, layout="individual")
    with pytest.raises(ConfirmationRequired) as asked:
        issue(clerk, params)
    params["acknowledged_alerts"] = [a.code for a in asked.value.alerts]
    result = issue(clerk, params)
    text = pdf_text(result.pdf)
    assert "※" in text and "枠に収まらない事項があります" in text
    assert result.issuance.overflow[0]["label"] == "住所"


def test_a_slightly_long_name_shrinks_instead(single_step, mayor, config, clerk):
    person = person_with(clerk, name="長谷川原田中村山本小林 左衛門之助太郎兵衛", name_kana="ハセガワ サエモン")
    text = pdf_text(issue(clerk, request_for(person, layout="individual")).pdf)
    assert "長谷川原田中村山本小林 左衛門之助太郎兵衛" in text


def test_a_character_the_font_lacks_refuses_the_certificate(single_step, mayor, config, clerk):
    """Entry refuses such a character (jumin.core.text); a record that holds one anyway — migrated data, or a
    font downgrade — is still refused here, the last check before anything is printed."""
    person = person_with(clerk, name="山田 花子", name_kana="ヤマダ ハナコ")
    Resident.objects.filter(pk=person.pk).update(name="山田 \u9fef子")
    person.refresh_from_db()
    before = certificate_state()
    with pytest.raises(RuleViolation) as refusal:
        issue(clerk, request_for(person, layout="individual"))
    assert refusal.value.code == "unprintable" and "\u9fef" in refusal.value.message and "外字" in refusal.value.message
    assert certificate_state() == before
