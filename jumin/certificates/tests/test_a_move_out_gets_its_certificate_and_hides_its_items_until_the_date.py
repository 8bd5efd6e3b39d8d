"""転出 (standard-spec §4.2): before the 転出予定日 the person is still a resident and a 住民票の写し omits what the
転出届 recorded; the 転出証明書 carries the destination, the numbers and the insurance entries; a re-issue is
marked 再交付. A 国外転出 gets no 転出証明書."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import actor
from jumin.certificates.tests.conftest import certificate_state, issue, pdf_text, request_for
from jumin.core.errors import RuleViolation
from jumin.core.wareki import format_wareki
from jumin.register.actions import do_move_out
from jumin.register.models import Resident

pytestmark = pytest.mark.usefixtures("either_renderer")

DESTINATION = "東京都港区芝公園4丁目2番8号"


def move_out(yamada, clerk, *, days_ahead: int, abroad: bool = False):
    planned = timezone.localdate() + timedelta(days=days_ahead)
    params = {"household_number": yamada["household"], "effective_on": planned.isoformat(),
              "notified_on": timezone.localdate().isoformat(), "destination": {"address": DESTINATION}}
    if abroad:
        params["move_out_kind"] = "abroad"
        params["destination"] = {"address": "アメリカ合衆国"}
    do_move_out(params, actor=actor(clerk))
    return planned


def test_before_the_planned_date_a_resident_copy_omits_the_move_out(yamada, clerk):
    move_out(yamada, clerk, days_ahead=10)
    head = Resident.objects.get(pk=yamada["head"].pk)
    assert head.status == "removed"
    text = pdf_text(issue(clerk, request_for(head, layout="household")).pdf)
    assert "山田 太郎" in text
    assert DESTINATION not in text and "転出" not in text and "消除" not in text
    with pytest.raises(RuleViolation):  # and it is not yet a 除票 to be copied
        issue(clerk, request_for(head, kind="removed_copy", layout="individual"))


def test_the_move_out_certificate_carries_what_the_next_town_needs(yamada, clerk):
    planned = move_out(yamada, clerk, days_ahead=10)
    persons = list(Resident.objects.filter(household_number=yamada["household"]))
    result = issue(clerk, request_for(*persons, kind="move_out", purpose="転入届"))
    text = pdf_text(result.pdf)
    assert "転出証明書" in text and "再交付" not in text
    assert DESTINATION in text and format_wareki(planned) in text
    assert "123456789018" in text and "12345678903" in text  # 個人番号・住民票コード (施行令 §23)
    assert "東京都千代田区千代田1番" in text  # 本籍
    assert "上記のとおり転出の届出があったことを証明する。" in text
    assert result.issuance.fee == 0

    again = issue(clerk, request_for(*persons, kind="move_out", purpose="紛失による再交付", reissue=True))
    assert "再交付" in pdf_text(again.pdf)


def test_a_third_party_gets_no_move_out_certificate(yamada, clerk):
    move_out(yamada, clerk, days_ahead=10)
    head = Resident.objects.get(pk=yamada["head"].pk)
    before = certificate_state()
    with pytest.raises(RuleViolation) as refusal:
        issue(clerk, request_for(head, kind="move_out", requester_kind="third_party", requester_name="他人",
                                 purpose="知りたい"))
    assert "本人・同一世帯員・代理人" in refusal.value.message
    assert certificate_state() == before


def test_a_move_abroad_gets_no_move_out_certificate(yamada, clerk):
    move_out(yamada, clerk, days_ahead=5, abroad=True)
    head = Resident.objects.get(pk=yamada["head"].pk)
    before = certificate_state()
    with pytest.raises(RuleViolation) as refusal:
        issue(clerk, request_for(head, kind="move_out", purpose="転入届"))
    assert "国外転出" in refusal.value.message
    assert certificate_state() == before


def test_after_the_date_the_removed_copy_shows_the_move_out(yamada, clerk):
    move_out(yamada, clerk, days_ahead=-3)
    head = Resident.objects.get(pk=yamada["head"].pk)
    text = pdf_text(issue(clerk, request_for(head, kind="removed_copy", layout="individual")).pdf)
    assert "住民票の除票の写し" in text and DESTINATION in text and "転出" in text
    assert "この写しは、住民票の除票の原本と相違ないことを証明する。" in text
