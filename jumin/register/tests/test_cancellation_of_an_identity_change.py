"""Cancelling a 帰化 restores the foreign record; cancelling a partial 転居 into a new household returns the
movers to their household in the standard order (standard-spec §3.4, §4.3)."""

from conftest import actor
from jumin.register.actions import do_cancel_change, do_move_in, do_naturalize, do_relocate
from jumin.register.models import ITEM_FIELDS, Resident, ResidentHistory


def items(record):
    return {name: getattr(record, name) for name in ITEM_FIELDS}


def test_a_cancelled_naturalization_restores_the_foreign_record(single_step, clerk):
    do_move_in({"effective_on": "R2.4.1", "notified_on": "R2.4.1", "move_in_kind": "abroad",
                "address": {"address": "宮城県仙台市青葉区本町三丁目8番1号"}, "previous_address": {"address": "国外"},
                "members": [{"resident_type": "foreign", "name": "王 偉", "name_alphabet": "WANG WEI",
                             "birth_date": "1988-11-11", "sex": "1", "relationship": "世帯主", "nationality": "中国",
                             "article_30_45": "mid_long_term", "residence_status": "永住者", "period_of_stay": "無期限",
                             "period_expires_on": "2099-12-31", "residence_card_number": "AB12345678CD"}]},
               actor=actor(clerk))
    wang = Resident.objects.get(name="王 偉")
    original = items(wang)
    change = do_naturalize({"addressee_number": wang.addressee_number, "effective_on": "R6.6.1",
                            "items": {"name": "王 偉", "domicile_status": "recorded",
                                      "domicile": "宮城県仙台市青葉区本町三丁目8番", "domicile_head": "王 偉"}},
                           actor=actor(clerk))

    cancellation = do_cancel_change({"change_id": change.pk, "reason": "帰化の通知が別人のものだったため"},
                                    actor=actor(clerk))

    wang.refresh_from_db()
    assert items(wang) == original
    assert wang.history_number == 4
    assert ResidentHistory.objects.get(change=cancellation).reason_code == "cancel_correction"


def test_a_cancelled_partial_relocation_returns_the_movers_to_their_household(family, clerk):
    household = family["households"][0]
    before = sorted(Resident.objects.values_list("name", "household_number", "household_order", "relationship",
                                                 "address", "head_name"))
    wife, child = Resident.objects.get(name="山田 花子"), Resident.objects.get(name="山田 一郎")
    relocation = do_relocate({"household_number": household, "effective_on": "R6.5.1", "notified_on": "R6.5.1",
                              "members": [wife.addressee_number, child.addressee_number],
                              "relationships": {wife.addressee_number: "世帯主", child.addressee_number: "子"},
                              "address": {"address": "宮城県仙台市泉区泉中央一丁目1番1号"}}, actor=actor(clerk))
    assert Resident.objects.get(pk=wife.pk).household_number != household

    cancellation = do_cancel_change({"change_id": relocation.pk, "reason": "届出の取下げ"}, actor=actor(clerk))

    after = sorted(Resident.objects.values_list("name", "household_number", "household_order", "relationship",
                                                "address", "head_name"))
    assert after == before
    assert set(ResidentHistory.objects.filter(change=cancellation).values_list("reason_code", flat=True)) \
        == {"cancel_correction"}
