"""支援措置 on every exit (issue #17 item 6): a protected person who moved away and was registered by the tax office
as a 住登外者 under her 除票's number is left out of the 住登外 files (non_residents, non_resident_history) for a role
that did not ask for protected persons, and is there for one that did; the landowner beside her is always there."""

import pytest

from conftest import actor
from jumin.extract.tests.conftest import extract, tables
from jumin.extract.tests.test_a_role_without_view_protected_gets_no_protected_person_in_any_file import texts

pytestmark = pytest.mark.django_db


def test_the_protected_non_resident_is_left_out_unless_asked_for(yamada, clerk, approver, supervisor, tmp_path):
    from jumin.addressees.actions import do_register_non_resident
    from jumin.addressees.tests.conftest import PROPERTY_TAX, landowner
    from jumin.register.actions import do_approve_change, do_move_out
    from jumin.restrictions.actions import do_register_protection

    wife = yamada["wife"]
    do_register_protection({"addressee_number": wife.addressee_number, "kind": "dv"}, actor=actor(supervisor))
    change = do_move_out({"household_number": wife.household_number, "members": [wife.addressee_number],
                          "effective_on": "R7.4.1", "notified_on": "R7.4.1",
                          "destination": {"address": "東京都八王子市元横山町三丁目24番1号"}}, actor=actor(clerk))
    if change.status == "draft":
        do_approve_change(change.pk, actor=actor(approver))
    do_register_non_resident({"kind": "former", "name": wife.name, "birth_date": wife.birth_date.isoformat(),
                              "sex": wife.sex, "address": {"address": "東京都八王子市元横山町三丁目24番1号"}},
                             actor=actor(clerk), business="010", link_removed=wife.addressee_number)
    owner = do_register_non_resident(landowner(individual_number=""), actor=actor(clerk), business=PROPERTY_TAX)

    extract(approver, tmp_path / "without", entities="non_residents,non_resident_history")
    found = texts(tmp_path / "without")
    assert wife.addressee_number not in found and "元横山町" not in found and owner.addressee_number in found
    assert set(tables(tmp_path / "without")) >= {"non_residents", "non_resident_history"}

    extract(approver, tmp_path / "with", entities="non_residents", include_protected=True)
    assert wife.addressee_number in texts(tmp_path / "with")
