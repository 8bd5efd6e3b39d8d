from conftest import actor, family_params
from jumin.register.actions import do_move_in, do_relocate
from jumin.register.models import Resident, ResidentHistory


def test_a_family_moves_in_and_relocates(single_step, clerk):
    change = do_move_in(family_params(), actor=actor(clerk))
    assert change.status == "approved"
    people = list(Resident.objects.order_by("household_order"))
    assert [p.relationship for p in people] == ["世帯主", "妻", "子"]
    assert all(p.head_name == "山田 太郎" for p in people)
    hh = people[0].household_number
    do_relocate({"household_number": hh, "effective_on": "R6.5.1",
                 "address": {"address": "宮城県仙台市泉区泉中央一丁目1番1号"}}, actor=actor(clerk))
    assert ResidentHistory.objects.count() == 6
    assert set(Resident.objects.values_list("address", flat=True)) == {"宮城県仙台市泉区泉中央一丁目1番1号"}
