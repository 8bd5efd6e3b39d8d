"""Refusals (issue #5 item 8 and §4.2): each one says why in Japanese, is in the operation log, and leaves the
register, the 交付履歴 and the 通番 untouched."""

import pytest

from conftest import actor
from jumin.audit.models import REFUSED, OperationLog
from jumin.certificates.tests.conftest import certificate_state, issue, request_for
from jumin.core.errors import PermissionDenied, RuleViolation
from jumin.register.actions import do_move_out, do_relocate


def refused(user, params, *, code=None, field=None, words=""):
    before = certificate_state()
    with pytest.raises(RuleViolation) as refusal:
        issue(user, params)
    assert certificate_state() == before
    if code:
        assert refusal.value.code == code
    if field:
        assert refusal.value.field == field
    assert words in refusal.value.message
    assert OperationLog.objects.filter(function="certificate.issue", outcome=REFUSED).exists()
    return refusal.value


def test_a_viewer_may_not_issue(yamada, viewer):
    refusal = refused(viewer, request_for(yamada["head"], layout="individual"), words="証明書の交付")
    assert isinstance(refusal, PermissionDenied)


def test_a_removed_person_gets_no_resident_copy_but_may_get_the_removed_copy(yamada, clerk):
    do_move_out({"household_number": yamada["household"], "members": [yamada["child"].addressee_number],
                 "effective_on": "R6.5.1", "notified_on": "R6.5.1",
                 "destination": {"address": "東京都港区芝公園4丁目2番8号"}}, actor=actor(clerk))
    yamada["child"].refresh_from_db()
    refused(clerk, request_for(yamada["child"], layout="individual"), code="removed", words="除票")
    result = issue(clerk, request_for(yamada["child"], kind="removed_copy", layout="individual"))
    assert result.issuance.kind == "removed_copy"


def test_the_removed_copy_is_refused_for_a_living_resident(yamada, clerk):
    refused(clerk, request_for(yamada["head"], kind="removed_copy", layout="individual"), words="住民です")


def test_a_person_with_a_change_in_draft_gets_nothing_until_it_is_approved(yamada, clerk):
    from jumin.core.models import current_municipality  # the family fixture is single-step; switch to drafts

    m = current_municipality()
    m.draft_required = True
    m.save()
    do_relocate({"household_number": yamada["household"], "effective_on": "R6.6.1", "notified_on": "R6.6.1",
                 "address": {"address": "宮城県仙台市青葉区本町三丁目8番1号"}}, actor=actor(clerk))
    refused(clerk, request_for(yamada["head"], layout="household"), code="pending_change", words="仮登録")


@pytest.mark.parametrize("option", ["individual_number", "resident_code"])
def test_a_third_party_asking_for_the_numbers_is_refused(yamada, clerk, option):
    params = request_for(yamada["head"], layout="individual", requester_kind="third_party",
                         requester_name="債権者 株式会社", purpose="債権回収", options={option: True})
    refused(clerk, params, field=f"options.{option}", words="第三者")


def test_individual_number_needs_a_purpose(yamada, clerk):
    refused(clerk, request_for(yamada["head"], layout="individual", options={"individual_number": True}),
            field="purpose", words="請求事由")


def test_an_unknown_person_is_refused(yamada, clerk):
    params = request_for(yamada["head"], layout="individual")
    params["subjects"] = ["9999999999"]
    refused(clerk, params, words="見つかりません")


def test_two_households_cannot_share_a_household_copy(yamada, clerk, single_step):
    from jumin.register.actions import do_split_household

    child = yamada["child"].addressee_number
    do_split_household({"household_number": yamada["household"], "effective_on": "R6.10.1", "notified_on": "R6.10.3",
                        "members": [child], "relationships": {child: "世帯主"}}, actor=actor(clerk))
    yamada["child"].refresh_from_db()
    refused(clerk, request_for(yamada["head"], yamada["child"], layout="household"), words="同じ世帯")


def test_no_certificate_without_a_certifying_officer(family, config, clerk):
    from jumin.register.models import Resident

    head = Resident.objects.get(name="山田 太郎")
    refused(clerk, request_for(head, layout="individual"), code="no_signatory", words="認証者")
