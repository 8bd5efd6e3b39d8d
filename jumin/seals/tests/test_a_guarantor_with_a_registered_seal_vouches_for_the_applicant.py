"""保証人方式 (standard-spec §5.3): a person whose seal is registered in this municipality signs a 保証書 with
it; the clerk compares it with the registered impression and registers the applicant the same day."""

import pytest

from conftest import actor
from jumin.core.errors import RuleViolation
from jumin.seals.actions import do_abolish_registration
from jumin.seals.tests.conftest import at, register, seal_scan, seal_state


def by_guarantor(clerk, person, guarantor_number, scan=None, **extra):
    params = {"route": "guarantor", "identity_document": "", "guarantor_number": guarantor_number,
              "guarantee_checked": True, "represents": "given_name"} | extra
    return register(clerk, person, scan or seal_scan("花子"), **params)


def test_the_applicant_is_registered_with_the_guarantor_recorded(registered, yamada, clerk):
    guarantor, _ = registered
    registration = by_guarantor(clerk, yamada["wife"], guarantor.registration_number)

    assert registration.route == "guarantor"
    assert registration.guarantor_registration_number == guarantor.registration_number
    assert registration.guarantor_addressee_number == yamada["head"].addressee_number
    assert registration.events.get(action="registered").detail["guarantor"] == guarantor.registration_number


def test_a_guarantor_who_is_not_registered_is_refused(yamada, clerk):
    before = seal_state()
    with pytest.raises(RuleViolation) as refusal:
        by_guarantor(clerk, yamada["wife"], "00000019")   # a valid number nobody holds
    assert refusal.value.code == "guarantor_not_found" and "保証人" in refusal.value.message
    assert seal_state() == before


def test_a_guarantor_whose_registration_was_abolished_is_refused(registered, yamada, clerk):
    guarantor, _ = registered
    do_abolish_registration({"registration_number": guarantor.registration_number, "card_returned": True},
                            actor=actor(clerk), now=at())
    before = seal_state()
    with pytest.raises(RuleViolation) as refusal:
        by_guarantor(clerk, yamada["wife"], guarantor.registration_number)
    assert refusal.value.code == "guarantor_abolished" and seal_state() == before


def test_nobody_guarantees_themselves():
    from jumin.seals.rules import check_guarantor

    with pytest.raises(RuleViolation) as refusal:
        check_guarantor(guarantor_status="active", guarantor_number="00000019", guarantor_addressee="0000000019",
                        applicant_addressee="0000000019")
    assert refusal.value.code == "guarantor_self"


def test_the_clerk_must_confirm_the_guarantee_bears_the_registered_seal(registered, yamada, clerk):
    guarantor, _ = registered
    before = seal_state()
    with pytest.raises(RuleViolation) as refusal:
        by_guarantor(clerk, yamada["wife"], guarantor.registration_number, guarantee_checked=False)
    assert refusal.value.field == "guarantee_checked" and seal_state() == before
