"""職権消除: living persons of one household become 除票 with 消除事由 職権消除 (standard-spec §3.3)."""

import pytest

from conftest import actor
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_ex_officio_removal
from jumin.register.models import Change, Household, Resident, ResidentHistory


def db_state():
    return (Resident.objects.count(), ResidentHistory.objects.count(), Change.objects.count(),
            Household.objects.count(), sorted(Resident.objects.values_list("addressee_number", "status",
                                                                            "relationship", "history_number")))


def person(name):
    return Resident.objects.get(name=name)


def removal(*numbers, **overrides):
    params = {"addressee_numbers": list(numbers), "effective_on": "R6.5.20",
              "reason": "居住の実態がないことを確認したため（実態調査 令和6年5月20日）"}
    params.update(overrides)
    return params


def test_an_ex_officio_removal_makes_the_person_a_removed_record(family, clerk):
    child = person("山田 一郎")
    change = do_ex_officio_removal(removal(child.addressee_number), actor=actor(clerk))

    child.refresh_from_db()
    assert change.ex_officio and change.status == "approved"
    assert (child.status, child.removal_reason, str(child.removed_on)) == (
        "removed", "ex_officio_removal", "2024-05-20")
    latest = ResidentHistory.objects.get(addressee_number=child.addressee_number, history_number=2)
    assert latest.reason_code == "ex_officio_removal" and latest.change_id == change.pk
    assert person("山田 太郎").history_number == 1     # the others are untouched


def test_several_members_of_one_household_can_be_removed_at_once(family, clerk):
    wife, child = person("山田 花子"), person("山田 一郎")
    do_ex_officio_removal(removal(wife.addressee_number, child.addressee_number), actor=actor(clerk))
    assert set(Resident.objects.filter(status="removed").values_list("name", flat=True)) == {"山田 花子", "山田 一郎"}


def test_removing_the_head_with_two_members_left_needs_a_new_head(family, clerk):
    head, wife = person("山田 太郎"), person("山田 花子")
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_ex_officio_removal(removal(head.addressee_number), actor=actor(clerk))
    assert refusal.value.code == "head_required"
    assert db_state() == before

    do_ex_officio_removal(removal(head.addressee_number, new_head=wife.addressee_number,
                                  remaining_relationships={person("山田 一郎").addressee_number: "子"}),
                          actor=actor(clerk))
    wife.refresh_from_db()
    child = person("山田 一郎")
    assert wife.relationship == "世帯主" and child.head_name == "山田 花子" and wife.head_name == "山田 花子"
    assert ResidentHistory.objects.get(addressee_number=wife.addressee_number, history_number=2).reason_code \
        == "head_change"


def test_an_ex_officio_removal_is_refused_without_a_reason_or_across_households(family, clerk):
    child = person("山田 一郎")
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_ex_officio_removal(removal(child.addressee_number, reason=""), actor=actor(clerk))
    assert refusal.value.field == "reason"
    with pytest.raises(RuleViolation) as refusal:
        do_ex_officio_removal(removal(child.addressee_number, child.addressee_number), actor=actor(clerk))
    assert refusal.value.field == "addressee_numbers"
    assert db_state() == before


def test_a_removed_record_cannot_be_removed_again(family, clerk):
    child = person("山田 一郎")
    do_ex_officio_removal(removal(child.addressee_number), actor=actor(clerk))
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_ex_officio_removal(removal(child.addressee_number), actor=actor(clerk))
    assert refusal.value.code == "removed_record"
    assert db_state() == before


def test_an_ex_officio_removal_through_the_api(family, clerk, api_as):
    api = api_as(clerk)
    child = person("山田 一郎")
    response = api.post("/changes/ex-officio-removal", removal("0000000000"))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["field"] == "addressee_numbers[0]"

    response = api.post("/changes/ex-officio-removal", removal(child.addressee_number))
    assert response.status_code == 201, response.content
    assert response.json()["result"]["addressee_numbers"] == [child.addressee_number]
