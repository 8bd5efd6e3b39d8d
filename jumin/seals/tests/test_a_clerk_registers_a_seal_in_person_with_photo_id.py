"""Registration in person with a photo ID, the same day (standard-spec §5.3): the 原票 with the measured
impression, the 印鑑登録証 with its number, the 原票's history and the operation log — all in one action."""

import io

import pytest
from PIL import Image

from conftest import actor
from jumin.audit.models import OK, REFUSED, OperationLog
from jumin.core.check_digits import is_valid_addressee_number
from jumin.core.errors import PermissionDenied
from jumin.seals.actions import do_register_seal
from jumin.seals.tests.conftest import TODAY, at, in_person, register, seal_scan, seal_state


def test_the_seal_card_and_history_are_written_with_the_measured_size(yamada, clerk):
    registration = register(clerk, yamada["head"], seal_scan("山田", mm=15, dpi=600))

    assert registration.status == "active" and registration.route == "in_person"
    assert registration.registered_on == TODAY
    assert len(registration.registration_number) == 8 and is_valid_addressee_number(registration.registration_number, 8)
    assert (registration.name, registration.sex, registration.birth_date.isoformat()) == ("山田 太郎", "1", "1980-05-05")
    assert registration.address == "宮城県仙台市青葉区一番町四丁目7番17号 一番町ハイツ301"
    assert registration.impression_width_mm == pytest.approx(15, abs=0.15)
    assert registration.identity_document == "driving_licence"
    card = registration.cards.get()
    assert card.status == "valid" and len(card.card_number) == 10 and card.issued_on == TODAY
    assert list(registration.events.values_list("action", flat=True)) == ["card_issued", "registered"]
    row = OperationLog.objects.get(function="seal.register", outcome=OK)
    assert row.addressee_number == yamada["head"].addressee_number and row.username == "clerk"
    assert row.detail["registration_number"] == registration.registration_number


def test_the_impression_is_kept_as_png_with_its_dpi(yamada, clerk):
    registration = register(clerk, yamada["head"], seal_scan("山田", dpi=600, fmt="JPEG"))

    kept = Image.open(io.BytesIO(bytes(registration.impression_png)))
    assert kept.format == "PNG" and kept.info["dpi"][0] == pytest.approx(600, abs=0.01)
    assert registration.impression_format == "JPEG"
    assert registration.impression_image_width_mm == pytest.approx(17, abs=0.2)


def test_a_viewer_may_not_register_and_nothing_is_written(yamada, viewer):
    before = seal_state()
    with pytest.raises(PermissionDenied):
        register(viewer, yamada["head"])
    assert seal_state() == before
    assert OperationLog.objects.filter(function="seal.register", outcome=REFUSED, username="viewer").exists()


def test_an_approver_may_register_too(yamada, approver):
    assert register(approver, yamada["wife"], seal_scan("花子")).entered_by == "approver"


def test_two_members_of_a_household_register_their_own_seals(yamada, clerk):
    register(clerk, yamada["head"], seal_scan("山田"))
    wife = register(clerk, yamada["wife"], seal_scan("花子"))
    assert wife.status == "active" and wife.similar_to == []


def test_an_unknown_addressee_number_is_refused(yamada, clerk):
    from jumin.core.errors import NotFound

    with pytest.raises(NotFound):
        do_register_seal(in_person(yamada["head"], addressee_number="0000009997"), impression=seal_scan(),
                         actor=actor(clerk), now=at())
