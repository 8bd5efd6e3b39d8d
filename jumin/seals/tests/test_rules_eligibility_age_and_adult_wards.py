"""Who may register (standard-spec §5.1), as pure rules: a living resident, 15 or older on the day, not yet
registered; a 成年被後見人 only where the municipality allows it and with the guardian present."""

from datetime import date

import pytest

from jumin.core.errors import RuleViolation
from jumin.seals.rules import Person, age_on, check_eligibility


def person(birth=date(2000, 1, 1), **extra):
    values = {"addressee_number": "0000000019", "name": "山田 一郎", "status": "resident", "birth_date": birth}
    values.update(extra)
    return Person(**values)


def check(p, *, today=date(2026, 11, 21), adult_ward_allowed=False, guardian_present=False, guardian_name="",
          active=None):
    check_eligibility(p, today=today, min_age=15, adult_ward_allowed=adult_ward_allowed,
                      guardian_present=guardian_present, guardian_name=guardian_name, active_registration=active)


def test_a_person_becomes_15_on_the_15th_birthday_and_not_the_day_before():
    assert age_on(date(2011, 11, 21), date(2026, 11, 20)) == 14
    assert age_on(date(2011, 11, 21), date(2026, 11, 21)) == 15


def test_a_person_born_on_29_february_is_15_from_1_march_in_a_common_year():
    assert age_on(date(2012, 2, 29), date(2027, 2, 28)) == 14
    assert age_on(date(2012, 2, 29), date(2027, 3, 1)) == 15


def test_age_14_is_refused_with_the_age_in_the_message():
    with pytest.raises(RuleViolation) as refusal:
        check(person(date(2012, 6, 1)))
    assert refusal.value.code == "too_young"
    assert "14歳" in refusal.value.message and "15歳未満" in refusal.value.message


def test_age_15_on_the_day_is_accepted():
    check(person(date(2011, 11, 21)))


def test_a_removed_record_is_refused():
    with pytest.raises(RuleViolation) as refusal:
        check(person(status="removed"))
    assert refusal.value.code == "not_resident" and "除票" in refusal.value.message


def test_a_second_registration_is_refused_naming_the_first():
    with pytest.raises(RuleViolation) as refusal:
        check(person(), active="00000019")
    assert refusal.value.code == "already_registered" and "00000019" in refusal.value.message


def test_an_unknown_birth_date_cannot_prove_the_age():
    with pytest.raises(RuleViolation) as refusal:
        check(person(None))
    assert refusal.value.code == "age_unknown"


def test_an_adult_ward_is_refused_where_the_municipality_does_not_allow_it():
    with pytest.raises(RuleViolation) as refusal:
        check(person(adult_ward=True), guardian_present=True, guardian_name="後見 人子")
    assert refusal.value.code == "adult_ward"


def test_an_adult_ward_needs_the_guardian_present_where_it_is_allowed():
    with pytest.raises(RuleViolation) as refusal:
        check(person(adult_ward=True), adult_ward_allowed=True)
    assert refusal.value.code == "guardian_required" and refusal.value.field == "guardian_name"
    check(person(adult_ward=True), adult_ward_allowed=True, guardian_present=True, guardian_name="後見 人子")


def test_a_person_with_a_change_in_draft_waits_for_its_approval():
    with pytest.raises(RuleViolation) as refusal:
        check(person(pending_change=True))
    assert refusal.value.code == "pending_change"
