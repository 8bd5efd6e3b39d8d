"""A correction of the 世帯主's 氏名 changes every member's 世帯主の氏名 (standard-spec §3.3)."""

from conftest import actor
from jumin.register.actions import do_correct_record
from jumin.register.models import Change, ChangeSubject, Resident, ResidentHistory


def test_correcting_the_heads_name_rewrites_the_head_name_of_every_member(family, clerk):
    head = Resident.objects.get(name="山田 太郎")
    change = do_correct_record({"addressee_number": head.addressee_number, "correction_kind": "clerical_correction",
                                "effective_on": "R6.6.3", "reason": "戸籍の記載と異なっていたため",
                                "items": {"name": "山田 太朗", "name_kana": "ヤマダ タロウ"}}, actor=actor(clerk))

    members = Resident.objects.filter(household_number=head.household_number)
    assert {m.head_name for m in members} == {"山田 太朗"}
    assert all(m.history_number == 2 for m in members)
    snapshots = ResidentHistory.objects.filter(change=change)
    assert {(s.name, s.head_name, s.reason_code) for s in snapshots} == {
        ("山田 太朗", "山田 太朗", "clerical_correction"),
        ("山田 花子", "山田 太朗", "clerical_correction"),
        ("山田 一郎", "山田 太朗", "clerical_correction"),
    }
    # the whole household was locked while the change was planned
    assert set(ChangeSubject.objects.filter(change=change).exclude(addressee_number="")
               .values_list("addressee_number", flat=True)) == {m.addressee_number for m in members}
    assert Change.objects.get(pk=change.pk).result["addressee_numbers"]
