"""The 受付票 (issue #15 item 10): the municipality's name, the time it was taken in Japan time, dates in 和暦
and postcodes as 〒980-0811 — and a person the reader may not see (支援措置) is left off it."""

import re

from django.utils import timezone

from conftest import actor, family_params
from jumin.register.actions import do_move_in
from jumin.register.models import Change, Resident


def test_the_receipt_of_a_move_in_reads_as_a_japanese_municipality_prints_it(single_step, clerk, client):
    change = do_move_in(family_params(), actor=actor(clerk))
    client.force_login(clerk)
    page = client.get(f"/counter/changes/{change.pk}/receipt/").content.decode()
    text = re.sub(r"<[^>]+>", " ", page)
    local = timezone.localtime(Change.objects.get().entered_at, timezone.get_fixed_timezone(9 * 60))
    assert "宮城県仙台市" in text
    assert f"受付日時 令和{local.year - 2018}年{local.month}月{local.day}日 {local:%H:%M}" in text
    assert "令和6年4月5日" in text and "2024-04-05" not in text                 # 届出日 in 和暦
    assert "〒980-0811 宮城県仙台市青葉区一番町四丁目7番17号一番町ハイツ301" in text
    assert "onclick" not in page and "data-print" in page


def test_a_protected_person_is_not_on_the_receipt_a_viewer_opens(single_step, clerk, viewer, client):
    from jumin.counter.tests.test_protection_shows_on_the_counter_screens import protect

    change = do_move_in(family_params(), actor=actor(clerk))
    hanako = Resident.objects.get(name="山田 花子")
    protect(hanako)
    client.force_login(viewer)
    page = client.get(f"/counter/changes/{change.pk}/receipt/").content.decode()
    assert hanako.addressee_number not in page and "山田 花子" not in page   # the slip, or a neutral refusal
    client.force_login(clerk)
    assert hanako.addressee_number in client.get(f"/counter/changes/{change.pk}/receipt/").content.decode()
