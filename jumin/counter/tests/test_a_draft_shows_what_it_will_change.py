from conftest import actor, register_state
from jumin.register.actions import do_relocate
from jumin.register.models import Resident


def test_the_draft_page_shows_each_person_before_and_after_and_writes_nothing(family, municipality, client,
                                                                             clerk, approver):
    municipality.draft_required = True
    municipality.save()
    household = Resident.objects.first().household_number
    draft = do_relocate({"household_number": household, "effective_on": "R6.5.1", "notified_on": "R6.5.1",
                         "address": {"address": "宮城県仙台市泉区泉中央一丁目1番1号"}}, actor=actor(clerk))
    client.force_login(approver)
    before = register_state()
    page = client.get(f"/counter/drafts/{draft.pk}/").content.decode()
    assert "山田 太郎" in page and "宮城県仙台市青葉区一番町四丁目7番17号" in page and "宮城県仙台市泉区泉中央一丁目1番1号" in page
    assert "この異動を本登録" in page
    assert register_state() == before
