"""Issue #15 item 10: 異動履歴 showed internal values (`japanese`, `resident`, 性別 `1`, `recorded`, ISO dates)
and 仮登録一覧 showed UTC. Every screen a person reads shows code labels, 和暦, Japan time and 〒980-0811."""

import re
from datetime import datetime, timezone as tz

import pytest

from conftest import actor, family_params
from jumin.counter.templatetags.display import jst, postcode, shown_item, wareki
from jumin.register.actions import do_move_in
from jumin.register.models import Change, Resident


def cells(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", html, re.S)]


@pytest.mark.django_db
def test_the_history_shows_labels_wareki_and_postcodes_never_internal_values(family, clerk, screen_as):
    taro = Resident.objects.get(name="山田 太郎")
    html = screen_as(clerk).get(f"/counter/residents/{taro.addressee_number}/history/").content.decode()
    shown = cells(html)
    rows = {shown[i]: shown[i + 2] for i in range(0, len(shown) - 2, 3)}     # 項目 → 変更後 (the 転入)
    assert rows["住民種別"] == "日本人住民" and rows["住民状態"] == "住民" and rows["性別"] == "男"
    assert rows["本籍の記載区分"] == "記載あり" and rows["生年月日"] == "昭和55年5月5日"
    assert rows["住所を定めた年月日"] == "令和6年4月1日" and rows["住所の郵便番号"] == "〒980-0811"
    for internal in ("japanese", "resident", "recorded", "1980-05-05", "2024-04-01", "9800811"):
        assert internal not in shown, internal
    assert re.search(r"処理日 令和\d+年\d+月\d+日", html) and not re.search(r"処理日 \d{4}-", html)


@pytest.mark.django_db
def test_the_drafts_list_and_a_draft_show_the_time_in_japan(municipality, clerk, approver, screen_as):
    change = do_move_in(family_params(), actor=actor(clerk))
    Change.objects.filter(pk=change.pk).update(entered_at=datetime(2024, 4, 5, 1, 23, tzinfo=tz.utc))
    listing = screen_as(approver).get("/counter/drafts/").content.decode()
    assert "令和6年4月5日 10:23" in listing and "2024-04-05T01:23" not in listing
    detail = screen_as(clerk).get(f"/counter/drafts/{change.pk}/").content.decode()
    assert "令和6年4月5日 10:23" in detail


def test_the_display_filters_read_like_the_standard():
    assert wareki("2019-05-01") == "令和元年5月1日" and wareki("") == "" and wareki("不詳") == "不詳"
    assert jst("2024-12-31T15:00:00+00:00") == "令和7年1月1日 00:00"
    assert postcode("9800845") == "〒980-0845" and postcode("980-0845") == "〒980-0845"
    assert postcode("12") == "12" and postcode("") == ""
    assert shown_item("birth_date", "1990-02-03", {"resident_type": "foreign"}) == "1990年2月3日"
    assert shown_item("birth_date", "1990-02-03", {"birth_date_text": "平成2年2月日不詳"}) == "平成2年2月日不詳"
    assert shown_item("individual_number", "123456789018", {}) == "************"
    assert shown_item("sex", "2", {}) == "女" and shown_item("domicile_status", "none", {}) == "なし"
