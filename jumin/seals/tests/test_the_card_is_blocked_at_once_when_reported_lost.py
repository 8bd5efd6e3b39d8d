"""印鑑登録証 (standard-spec §5.4, §5.5): a 亡失届 blocks the card at once; by default (the common ordinance) it
also abolishes the registration; where the municipality keeps the registration, a new card is issued and only it
works. A damaged card is handed back and replaced."""

import pytest

from conftest import actor
from jumin.audit.models import OK, OperationLog
from jumin.core.errors import RuleViolation
from jumin.seals.actions import do_reissue_card, do_report_card_loss
from jumin.seals.tests.conftest import TODAY, at, certificate_request, issue, seal_state


def test_a_loss_report_blocks_the_card_and_abolishes_the_registration_by_default(registered, clerk):
    registration, card = registered
    do_report_card_loss({"registration_number": registration.registration_number, "reporter": "self"},
                        actor=actor(clerk), now=at())
    card.refresh_from_db()
    registration.refresh_from_db()
    assert (card.status, card.lost_on) == ("lost", TODAY)
    assert (registration.status, registration.abolition_reason, registration.abolished_on) == ("abolished", "loss", TODAY)
    assert OperationLog.objects.filter(function="seal.card_loss", outcome=OK).get().detail["abolished"] is True
    with pytest.raises(RuleViolation) as refusal:
        issue(clerk, certificate_request(card.card_number))
    assert refusal.value.code == "card_lost"


def test_where_the_registration_is_kept_a_new_card_works_and_the_lost_one_never_again(registered, clerk,
                                                                                       seal_settings, mayor):
    seal_settings.loss_abolishes_registration = False
    seal_settings.save()
    registration, lost = registered
    do_report_card_loss({"card_number": lost.card_number, "reporter": "agent", "reporter_name": "山田 花子"},
                        actor=actor(clerk), now=at())
    registration.refresh_from_db()
    assert registration.status == "active"

    new = do_reissue_card({"registration_number": registration.registration_number, "reason": "lost",
                           "identity_document": "my_number_card"}, actor=actor(clerk), now=at())

    assert new.card_number != lost.card_number and new.reissue and new.replaces_id == lost.pk
    assert issue(clerk, certificate_request(new.card_number)).issuance.kind == "seal_certificate"
    with pytest.raises(RuleViolation) as refusal:
        issue(clerk, certificate_request(lost.card_number))
    assert refusal.value.code == "card_lost"


def test_a_new_card_after_a_loss_needs_the_loss_report_first(registered, clerk):
    registration, card = registered
    before = seal_state()
    with pytest.raises(RuleViolation) as refusal:
        do_reissue_card({"registration_number": registration.registration_number, "reason": "lost",
                         "identity_document": "passport"}, actor=actor(clerk), now=at())
    assert refusal.value.code == "card_still_valid" and seal_state() == before


def test_a_damaged_card_is_handed_back_and_replaced(registered, clerk):
    registration, old = registered
    with pytest.raises(RuleViolation) as refusal:
        do_reissue_card({"registration_number": registration.registration_number, "reason": "damaged",
                         "identity_document": "passport"}, actor=actor(clerk), now=at())
    assert refusal.value.field == "old_card_returned"
    new = do_reissue_card({"registration_number": registration.registration_number, "reason": "damaged",
                           "identity_document": "passport", "old_card_returned": True}, actor=actor(clerk), now=at())
    old.refresh_from_db()
    assert old.status == "replaced" and new.status == "valid"
    with pytest.raises(RuleViolation) as refusal:
        issue(clerk, certificate_request(old.card_number))
    assert refusal.value.code == "card_replaced"


def test_a_reissue_needs_a_photo_id(registered, clerk):
    registration, _ = registered
    with pytest.raises(RuleViolation) as refusal:
        do_reissue_card({"registration_number": registration.registration_number, "reason": "damaged",
                         "identity_document": "health_insurance", "old_card_returned": True}, actor=actor(clerk))
    assert refusal.value.field == "identity_document"


def test_a_viewer_may_not_report_a_loss(registered, viewer):
    from jumin.core.errors import PermissionDenied

    registration, _ = registered
    before = seal_state()
    with pytest.raises(PermissionDenied):
        do_report_card_loss({"registration_number": registration.registration_number}, actor=actor(viewer))
    assert seal_state() == before
