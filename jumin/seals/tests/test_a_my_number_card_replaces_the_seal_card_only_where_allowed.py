"""The authorised alternative to the 印鑑登録証 (standard-spec §5.4: コンビニ交付 by マイナンバーカード): only where
the municipality allows it, only for the registrant in person; otherwise the card is required."""

import pytest

from jumin.core.errors import RuleViolation
from jumin.seals.tests.conftest import issue, seal_state


def by_my_number_card(person, kind="self"):
    return {"presentation": "my_number_card", "addressee_number": person.addressee_number,
            "requester": {"kind": kind, "name": person.name}}


def test_without_the_setting_the_card_is_required(registered, yamada, clerk):
    before = seal_state()
    with pytest.raises(RuleViolation) as refusal:
        issue(clerk, by_my_number_card(yamada["head"]))
    assert refusal.value.code == "card_required" and seal_state() == before


def test_with_the_setting_the_registrant_in_person_gets_it(registered, yamada, clerk, seal_settings):
    seal_settings.my_number_card_alternative = True
    seal_settings.save()
    result = issue(clerk, by_my_number_card(yamada["head"]))
    assert result.issuance.identity_check == "my_number_card"
    with pytest.raises(RuleViolation) as refusal:
        issue(clerk, by_my_number_card(yamada["head"], kind="agent"))
    assert refusal.value.code == "self_only"


def test_a_person_without_a_registration_gets_nothing(yamada, clerk, seal_settings):
    seal_settings.my_number_card_alternative = True
    seal_settings.save()
    with pytest.raises(RuleViolation) as refusal:
        issue(clerk, by_my_number_card(yamada["wife"]))
    assert refusal.value.code == "not_registered"
