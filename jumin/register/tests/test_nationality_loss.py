"""国籍喪失: the Japanese record is removed and a foreign record written; 外国人住民となった年月日 is the
later of the loss date and 住民となった年月日 (standard-spec §3.4)."""

import pytest

from conftest import actor
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_record_former_surname, do_record_nationality_loss
from jumin.register.models import ITEM_FIELDS, Change, Household, Resident, ResidentHistory


def db_state():
    return (Resident.objects.count(), ResidentHistory.objects.count(), Change.objects.count(),
            Household.objects.count(), sorted(Resident.objects.values_list(*ITEM_FIELDS, "history_number")))


def params(number, **overrides):
    out = {"addressee_number": number, "effective_on": "R6.6.20",
           "items": {"nationality": "アメリカ合衆国", "name_alphabet": "YAMADA HANAKO"}}
    out.update(overrides)
    return out


def test_nationality_loss_writes_the_removal_then_the_foreign_record(family, clerk):
    wife = Resident.objects.get(name="山田 花子")
    do_record_former_surname({"addressee_number": wife.addressee_number, "action": "entry",
                              "former_surname": "鈴木", "effective_on": "R6.5.1"}, actor=actor(clerk))
    change = do_record_nationality_loss(params(wife.addressee_number), actor=actor(clerk))

    removal, entry = ResidentHistory.objects.filter(change=change).order_by("history_number")
    assert (removal.reason_code, removal.status, removal.removal_reason, removal.resident_type) == (
        "nationality_loss_removal", "removed", "nationality_loss_removal", "japanese")
    assert (entry.history_number, entry.reason_code, entry.status) == (4, "nationality_loss_entry", "resident")

    wife.refresh_from_db()
    assert (wife.resident_type, wife.nationality, wife.name_alphabet) == ("foreign", "アメリカ合衆国", "YAMADA HANAKO")
    assert (wife.article_30_45, wife.transitional_reason) == ("transitional", "nationality_loss")
    assert str(wife.foreign_resident_since) == "2024-06-20"          # loss date is later than 住民となった年月日
    assert (wife.domicile_status, wife.domicile, wife.domicile_head, wife.former_surname) == ("", "", "", "")
    assert wife.electoral_roll is False
    assert (wife.relationship, wife.head_name, wife.household_number) == ("妻", "山田 太郎", family["households"][0])
    # nobody else in the household changed
    assert ResidentHistory.objects.filter(change=change).count() == 2


def test_the_foreign_resident_date_is_the_residence_date_when_that_is_later(family, clerk):
    child = Resident.objects.get(name="山田 一郎")
    do_record_nationality_loss(params(child.addressee_number, effective_on="R5.1.10"), actor=actor(clerk))
    child.refresh_from_db()
    assert str(child.foreign_resident_since) == "2024-04-01"


def test_nationality_loss_of_a_foreign_resident_or_without_a_nationality_is_refused(family, clerk, api_as):
    wife = Resident.objects.get(name="山田 花子")
    before = db_state()
    response = api_as(clerk).post("/changes/nationality-loss", params(wife.addressee_number, items={}))
    assert response.status_code == 422 and response.json()["error"]["field"] == "items"
    with pytest.raises(RuleViolation) as refusal:
        do_record_nationality_loss(params(wife.addressee_number, items={"name_alphabet": "YAMADA HANAKO"}),
                                   actor=actor(clerk))
    assert refusal.value.field == "items.nationality"
    with pytest.raises(RuleViolation) as refusal:
        do_record_nationality_loss(params(wife.addressee_number, items={
            "nationality": "アメリカ合衆国", "article_30_45": "mid_long_term"}), actor=actor(clerk))
    assert refusal.value.field == "items.residence_status"
    assert db_state() == before

    do_record_nationality_loss(params(wife.addressee_number), actor=actor(clerk))
    before = db_state()
    response = api_as(clerk).post("/changes/nationality-loss", params(wife.addressee_number))
    assert response.status_code == 422 and response.json()["error"]["code"] == "foreign_resident"
    assert db_state() == before


def test_nationality_loss_through_the_api(family, clerk, api_as):
    wife = Resident.objects.get(name="山田 花子")
    response = api_as(clerk).post("/changes/nationality-loss", params(wife.addressee_number))
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "nationality_loss"
