"""The three routes (standard-spec §5.3) and the seal itself (§5.2), as pure rules: photo ID the same day; a
guarantor's number and the checked 保証書; an agent only by inquiry and only with a 委任状; what the seal shows."""

import pytest

from jumin.core.errors import RuleViolation
from jumin.seals.rules import Application, check_application, check_represents


def app(**extra):
    values = {"route": "in_person", "applicant": "self", "identity_document": "driving_licence",
              "represents": "surname", "seal_checked": True}
    values.update(extra)
    return Application(**values)


def refused(application, field, code=None):
    with pytest.raises(RuleViolation) as refusal:
        check_application(application)
    assert refusal.value.field == field
    if code:
        assert refusal.value.code == code
    return refusal.value


def test_in_person_with_a_photo_id_is_complete():
    check_application(app())


def test_in_person_without_a_photo_id_points_to_the_other_routes():
    refusal = refused(app(identity_document=""), "identity_document")
    assert "保証人" in refusal.message and "照会書" in refusal.message


def test_a_health_insurance_card_is_not_a_photo_id():
    refused(app(identity_document="health_insurance"), "identity_document")


def test_the_guarantor_route_needs_the_number_and_the_checked_guarantee():
    refused(app(route="guarantor", identity_document=""), "guarantor_number")
    refused(app(route="guarantor", guarantor_number="00000019"), "guarantee_checked", "guarantee_unchecked")
    check_application(app(route="guarantor", guarantor_number="00000019", guarantee_checked=True))


def test_an_agent_is_accepted_only_by_inquiry_and_only_with_a_letter_of_attorney():
    refused(app(applicant="agent", agent_name="代理 人"), "route", "agent_needs_inquiry")
    refused(app(route="inquiry", applicant="agent", agent_name="代理 人"), "agent_letter", "agent_letter_required")
    refused(app(route="inquiry", applicant="agent", agent_letter=True), "agent_name")
    check_application(app(route="inquiry", applicant="agent", agent_name="代理 人", agent_letter=True))


def test_the_clerk_must_say_what_the_seal_shows_and_that_it_was_inspected():
    refused(app(represents=""), "represents")
    refused(app(represents="occupation"), "represents")
    refused(app(seal_checked=False), "seal_checked", "seal_unchecked")


def test_a_katakana_seal_needs_the_katakana_name_in_katakana():
    refused(app(represents="katakana"), "katakana_name")
    refused(app(represents="katakana", katakana_name="smith"), "katakana_name")
    check_application(app(represents="katakana", katakana_name="スミス ジョン"))


def test_a_former_surname_or_alias_seal_needs_it_on_the_register_and_alphabet_seals_are_for_foreign_residents():
    with pytest.raises(RuleViolation):
        check_represents("former_surname", {"resident_type": "japanese", "former_surname": ""})
    check_represents("former_surname", {"resident_type": "japanese", "former_surname": "佐藤"})
    with pytest.raises(RuleViolation):
        check_represents("alias", {"resident_type": "foreign", "alias": ""})
    with pytest.raises(RuleViolation):
        check_represents("name_alphabet", {"resident_type": "japanese"})
    check_represents("name_alphabet", {"resident_type": "foreign"})
