"""帰化・国籍取得: the foreign record is removed and a Japanese record written under the same 宛名番号,
carrying over address, birth date, sex, relationship and numbers (standard-spec §3.4)."""

import pytest

from conftest import actor
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_move_in, do_naturalize, do_record_alias
from jumin.register.models import ITEM_FIELDS, Change, Household, Resident, ResidentHistory


def db_state():
    return (Resident.objects.count(), ResidentHistory.objects.count(), Change.objects.count(),
            Household.objects.count(), sorted(Resident.objects.values_list(*ITEM_FIELDS, "history_number")))


@pytest.fixture
def kim_family(single_step, clerk):
    do_move_in({"effective_on": "R2.4.1", "notified_on": "R2.4.1",
                "address": {"address": "宮城県仙台市青葉区本町三丁目8番1号"},
                "previous_address": {"address": "大阪府大阪市北区中之島1丁目3番20号"},
                "members": [
                    {"resident_type": "foreign", "name": "金 民俊", "name_alphabet": "KIM MINJUN",
                     "birth_date": "1980-03-15", "sex": "1", "relationship": "世帯主", "nationality": "韓国",
                     "foreign_resident_since": "2012-07-09", "article_30_45": "special_permanent",
                     "special_permanent_certificate_number": "SP1234567890",
                     "individual_number": "987654321018", "resident_code": "24727059608"},
                    {"resident_type": "foreign", "name": "金 瑞姫", "name_alphabet": "KIM SEOHUI",
                     "birth_date": "1982-07-01", "sex": "2", "relationship": "妻", "nationality": "韓国",
                     "article_30_45": "special_permanent", "special_permanent_certificate_number": "SP2234567890"},
                ]}, actor=actor(clerk))
    kim = Resident.objects.get(name="金 民俊")
    do_record_alias({"addressee_number": kim.addressee_number, "action": "entry", "alias": "金田 民俊",
                     "effective_on": "R3.1.5"}, actor=actor(clerk))
    kim.refresh_from_db()
    return kim


def params(number, **overrides):
    out = {"addressee_number": number, "effective_on": "R6.6.20", "notified_on": "R6.6.25",
           "items": {"name": "金田 民俊", "name_kana": "カネダ タミトシ", "domicile_status": "recorded",
                     "domicile": "宮城県仙台市青葉区本町三丁目8番", "domicile_head": "金田 民俊"}}
    out.update(overrides)
    return out


def test_naturalization_writes_the_removal_then_the_japanese_record(kim_family, clerk):
    kim = kim_family
    change = do_naturalize(params(kim.addressee_number), actor=actor(clerk))

    removal, entry = ResidentHistory.objects.filter(change=change, addressee_number=kim.addressee_number) \
        .order_by("history_number")
    assert (removal.history_number, removal.reason_code, removal.status) == (3, "naturalization_removal", "removed")
    assert (removal.removal_reason, str(removal.removed_on)) == ("naturalization_removal", "2024-06-20")
    assert (removal.resident_type, removal.name, removal.alias) == ("foreign", "金 民俊", "金田 民俊")
    assert (entry.history_number, entry.reason_code, entry.status) == (4, "naturalization_entry", "resident")

    kim.refresh_from_db()
    assert (kim.resident_type, kim.status, kim.removal_reason, kim.removed_on) == ("japanese", "resident", "", None)
    assert (kim.name, kim.domicile_head, kim.head_name) == ("金田 民俊", "金田 民俊", "金田 民俊")
    # carried over
    assert (kim.address, str(kim.birth_date), kim.sex, kim.relationship) == (
        "宮城県仙台市青葉区本町三丁目8番1号", "1980-03-15", "1", "世帯主")
    assert (kim.individual_number, kim.resident_code) == ("987654321018", "24727059608")
    assert kim.previous_address == "大阪府大阪市北区中之島1丁目3番20号"
    assert str(kim.became_resident_on) == "2012-07-09"          # 外国人住民となった年月日 → 住民となった年月日
    assert str(kim.address_since) == "2020-04-01"
    # foreign items cleared
    assert (kim.nationality, kim.article_30_45, kim.special_permanent_certificate_number, kim.alias,
            kim.name_alphabet, kim.foreign_resident_since, kim.alias_recorded_on) == ("", "", "", "", "", None, None)
    # the wife's 世帯主の氏名 follows
    wife = Resident.objects.get(name="金 瑞姫")
    assert wife.head_name == "金田 民俊" and wife.resident_type == "foreign"
    assert ResidentHistory.objects.get(change=change, addressee_number=wife.addressee_number).reason_code \
        == "ex_officio_correction"
    assert change.ex_officio and change.reason


def test_naturalization_of_a_japanese_resident_or_without_the_domicile_is_refused(kim_family, family, clerk):
    head = Resident.objects.get(name="山田 太郎")
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_naturalize(params(head.addressee_number), actor=actor(clerk))
    assert refusal.value.code == "japanese_resident"
    with pytest.raises(RuleViolation) as refusal:
        do_naturalize(params(kim_family.addressee_number, items={"name": "金田 民俊"}), actor=actor(clerk))
    assert refusal.value.field == "items.domicile_status"
    with pytest.raises(RuleViolation) as refusal:
        do_naturalize(params(kim_family.addressee_number, items={"name": "金田 民俊", "nationality": "日本"}),
                      actor=actor(clerk))
    assert refusal.value.code == "unknown_field"
    assert db_state() == before


def test_naturalization_through_the_api(kim_family, clerk, api_as):
    response = api_as(clerk).post("/changes/naturalization", params(kim_family.addressee_number))
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "naturalization"
    response = api_as(clerk).post("/changes/naturalization", params(kim_family.addressee_number))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "japanese_resident"
