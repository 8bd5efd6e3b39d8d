"""One seal cannot serve two persons (standard-spec §5.1): an impression similar to one registered by a member
of the same household is refused; an approver who compared both seals may register it with a reason, and that
override is in the 原票's history and the operation log."""

import pytest

from jumin.audit.models import OperationLog
from jumin.core.errors import RuleViolation
from jumin.seals.tests.conftest import register, seal_scan, seal_state


def test_the_same_seal_for_the_wife_is_refused_naming_the_husbands_registration(registered, yamada, clerk):
    husband, _ = registered
    before = seal_state()
    with pytest.raises(RuleViolation) as refusal:
        register(clerk, yamada["wife"], seal_scan("山田", dpi=300))   # the same seal, scanned again
    assert refusal.value.code == "similar_impression" and refusal.value.field == "impression"
    assert "山田 太郎さん" in refusal.value.message and husband.registration_number in refusal.value.message
    assert seal_state() == before


def test_a_clerk_may_not_override(registered, yamada, clerk):
    before = seal_state()
    with pytest.raises(RuleViolation) as refusal:
        register(clerk, yamada["wife"], seal_scan("山田", dpi=300), override_similarity=True, override_reason="別の印鑑")
    assert refusal.value.code == "override_not_permitted" and seal_state() == before


def test_an_approver_overrides_with_a_reason_and_it_is_logged(registered, yamada, approver):
    husband, _ = registered
    with pytest.raises(RuleViolation) as refusal:
        register(approver, yamada["wife"], seal_scan("山本"), override_similarity=True)
    assert refusal.value.field == "override_reason"

    wife = register(approver, yamada["wife"], seal_scan("山本"), override_similarity=True,
                    override_reason="山本と山田の印影を並べて確認。別の印鑑。")

    assert wife.similarity_override and wife.similarity_override_by == "approver"
    assert wife.similar_to[0]["registration_number"] == husband.registration_number
    assert wife.events.filter(action="similarity_override").exists()
    row = OperationLog.objects.get(function="seal.override_similarity", addressee_number=yamada["wife"].addressee_number)
    assert row.reason.startswith("山本と山田") and row.username == "approver"
    # the husband's record is named in the log too (both persons' seals were compared)
    assert OperationLog.objects.filter(function="seal.override_similarity",
                                       addressee_number=yamada["head"].addressee_number).exists()


def test_an_abolished_or_other_households_seal_is_not_compared(registered, yamada, clerk, family):
    from conftest import actor
    from jumin.seals.actions import do_abolish_registration
    from jumin.seals.tests.conftest import at

    husband, _ = registered
    do_abolish_registration({"registration_number": husband.registration_number, "card_returned": True},
                            actor=actor(clerk), now=at())
    assert register(clerk, yamada["wife"], seal_scan("山田", dpi=300)).similar_to == []
