"""Life cycle (standard-spec §5.5, issue #7 item 6): the register's own changes reach the 原票 in the same
transaction (`records_written`). A 転出 (once approved), a 死亡 or a name change the seal no longer shows abolishes
the registration ex officio (職権抹消), with date and reason; a 転居 within the municipality is carried over, and
the certificate shows the new address. A draft, or a change that is refused, touches no 原票."""

import pytest

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.core.errors import RuleViolation
from jumin.core.models import current_municipality
from jumin.register.actions import (do_approve_change, do_correct_record, do_move_out, do_record_death,
                                    do_record_former_surname, do_relocate)
from jumin.seals.models import SealRegistration
from jumin.seals.tests.conftest import certificate_request, issue, pdf_text, register, seal_scan


def move_out(yamada, clerk, *members):
    return do_move_out({"household_number": yamada["household"], "members": [m.addressee_number for m in members],
                        "effective_on": "R8.11.20", "notified_on": "R8.11.20",
                        "destination": {"address": "東京都港区芝公園4丁目2番8号"}}, actor=actor(clerk))


def reload(registration):
    return SealRegistration.objects.get(pk=registration.pk)


def test_an_approved_move_out_abolishes_the_registration_in_the_same_change(registered, yamada, clerk, approver):
    registration, card = registered
    municipality = current_municipality()
    municipality.draft_required = True
    municipality.save()

    change = move_out(yamada, clerk, yamada["wife"], yamada["head"], yamada["child"])
    assert reload(registration).status == "active"              # a draft (仮登録) changes nothing

    do_approve_change(change.pk, actor=actor(approver))

    registration = reload(registration)
    assert (registration.status, registration.abolition_reason) == ("abolished", "move_out")
    assert registration.abolished_by == "system" and "転出" in registration.abolition_note
    assert registration.cards.get().status == "void"
    assert registration.events.get(action="abolished").detail["change_id"] == change.pk
    assert registration.retain_until == registration.abolished_on.replace(year=registration.abolished_on.year + 5)
    row = OperationLog.objects.get(function="seal.abolish_ex_officio")
    assert row.change_id == change.pk and row.addressee_number == yamada["head"].addressee_number
    with pytest.raises(RuleViolation) as refusal:
        issue(clerk, certificate_request(card.card_number))
    assert refusal.value.code == "registration_abolished"


def test_a_refused_change_leaves_the_registration_as_it_was(registered, yamada, clerk):
    registration, _ = registered
    with pytest.raises(RuleViolation):   # the 世帯主 leaves two members behind without naming a new head
        move_out(yamada, clerk, yamada["head"])
    assert reload(registration).status == "active"
    assert not OperationLog.objects.filter(function="seal.abolish_ex_officio").exists()


def test_a_death_abolishes_the_registration(registered, yamada, clerk):
    registration, _ = registered
    do_record_death({"addressee_number": yamada["head"].addressee_number, "effective_on": "R8.11.20",
                     "notified_on": "R8.11.21", "new_head": yamada["wife"].addressee_number}, actor=actor(clerk))
    registration = reload(registration)
    assert (registration.status, registration.abolition_reason) == ("abolished", "death")


def test_a_name_change_abolishes_a_seal_showing_the_name(registered, yamada, clerk):
    registration, _ = registered   # a 「山田」 seal (氏)
    do_correct_record({"addressee_number": yamada["head"].addressee_number, "correction_kind": "clerical_correction",
                       "effective_on": "R8.11.21", "reason": "戸籍謄本により氏の誤記を訂正",
                       "items": {"name": "山本 太郎", "name_kana": "ヤマモト タロウ"}}, actor=actor(clerk))
    registration = reload(registration)
    assert (registration.status, registration.abolition_reason) == ("abolished", "name_change")
    assert "山田 太郎 → 山本 太郎" in registration.abolition_note


def test_a_seal_of_the_given_name_survives_a_change_of_surname(yamada, clerk):
    registration = register(clerk, yamada["wife"], seal_scan("花子"), represents="given_name")
    do_correct_record({"addressee_number": yamada["wife"].addressee_number, "correction_kind": "ex_officio_correction",
                       "effective_on": "R8.11.21", "reason": "戸籍の記載に合わせる", "items": {"name": "山本 花子"}},
                      actor=actor(clerk))
    registration = reload(registration)
    assert registration.status == "active" and registration.name == "山本 花子"
    assert registration.events.filter(action="items_updated").exists()


def test_a_former_surname_seal_lapses_when_the_former_surname_is_deleted(yamada, clerk):
    from jumin.register.models import Resident

    wife = yamada["wife"].addressee_number
    do_record_former_surname({"addressee_number": wife, "action": "entry", "former_surname": "佐藤",
                              "effective_on": "R8.11.1", "notified_on": "R8.11.1"}, actor=actor(clerk))
    registration = register(clerk, Resident.objects.get(addressee_number=wife), seal_scan("佐藤"),
                            represents="former_surname")
    do_record_former_surname({"addressee_number": wife, "action": "deletion", "effective_on": "R8.11.21",
                              "notified_on": "R8.11.21"}, actor=actor(clerk))
    assert reload(registration).abolition_reason == "name_change"


def test_a_move_within_the_city_is_carried_over_and_printed(registered, yamada, clerk):
    registration, card = registered
    do_relocate({"household_number": yamada["household"], "effective_on": "R8.11.20", "notified_on": "R8.11.21",
                 "address": {"postcode": "9813133", "address": "宮城県仙台市泉区泉中央一丁目1番1号"}},
                actor=actor(clerk))
    registration = reload(registration)
    assert registration.status == "active"
    assert registration.address == "宮城県仙台市泉区泉中央一丁目1番1号"
    event = registration.events.get(action="address_carried")
    assert event.detail["before"]["address"].startswith("宮城県仙台市青葉区一番町")
    assert OperationLog.objects.filter(function="seal.follow_register").exists()
    text = pdf_text(issue(clerk, certificate_request(card.card_number)).pdf)
    assert "宮城県仙台市泉区泉中央一丁目1番1号" in text and "一番町" not in text


def test_a_household_member_moving_out_does_not_touch_the_others_registration(registered, yamada, clerk):
    registration, _ = registered
    move_out(yamada, clerk, yamada["child"])
    assert reload(registration).status == "active"


def test_becoming_an_adult_ward_abolishes_the_registration_where_wards_may_not_register(registered, yamada, clerk):
    registration, _ = registered
    do_correct_record({"addressee_number": yamada["head"].addressee_number, "correction_kind": "ex_officio_correction",
                       "effective_on": "R8.11.21", "reason": "後見登記の通知", "items": {"adult_ward": True}},
                      actor=actor(clerk))
    registration = reload(registration)
    assert (registration.status, registration.abolition_reason) == ("abolished", "ineligible")
    assert "成年被後見人" in registration.abolition_note
