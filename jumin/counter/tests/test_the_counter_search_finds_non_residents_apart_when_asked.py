"""The counter's 住民検索 finds 住登外者 too when the clerk asks (issue #17 item 6): in a table of their own, marked
住登外, never mixed in with residents; each opens the 住登外者照会 screen with its history. Not asked, no 住登外者 are
shown. A role without VIEW_NON_RESIDENT gets no checkbox and no 住登外者 even if it sends the field."""

from conftest import _user, actor
from jumin.accounts import rules as perms
from jumin.addressees.actions import do_change_non_resident, do_register_non_resident
from jumin.addressees.queries import COUNTER_SEARCH
from jumin.addressees.tests.conftest import PROPERTY_TAX, landowner
from jumin.audit.models import OperationLog
from jumin.register.models import Resident


def _tables(html: str) -> tuple[str, str]:
    residents, _, rest = html.partition('id="non-resident-table"')
    return residents, rest


def test_a_clerk_finds_the_landowner_by_half_width_kana_and_birth_date(family, clerk, screen_as):
    owner = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)
    taro = Resident.objects.get(name="山田 太郎")
    client = screen_as(clerk)
    page = client.get("/counter/search/")
    assert "住登外者も検索する" in page.content.decode()
    asked = client.post("/counter/search/", {"kana": "ﾔﾏﾀﾞ ﾀﾛｳ", "include_non_residents": "on"}, follow=True)
    residents, others = _tables(asked.content.decode())
    assert taro.addressee_number in residents and owner.addressee_number not in residents
    assert owner.addressee_number in others and "住登外" in others and "西新宿" in others
    assert OperationLog.objects.filter(function=COUNTER_SEARCH, addressee_number=owner.addressee_number).exists()
    born = client.post("/counter/search/", {"kana": "ﾔﾏﾀﾞ ﾀﾛｳ", "birth_date": "S40.4.1",
                                            "include_non_residents": "on"}, follow=True).content.decode()
    residents, others = _tables(born)
    assert taro.addressee_number not in residents and owner.addressee_number in others
    plain = client.post("/counter/search/", {"kana": "ﾔﾏﾀﾞ ﾀﾛｳ"}, follow=True).content.decode()
    assert owner.addressee_number not in plain and "non-resident-table" not in plain


def test_the_non_resident_screen_shows_the_record_and_its_history(db, clerk, screen_as):
    owner = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)
    do_change_non_resident(owner.addressee_number, {"address": {"address": "東京都新宿区西新宿三丁目1番1号"}},
                           actor=actor(clerk), reason="転居の申出")
    client = screen_as(clerk)
    html = client.get(f"/counter/addressees/{owner.addressee_number}/").content.decode()
    assert "住登外者照会" in html and "昭和40年4月1日" in html and "固定資産税" in html
    assert "西新宿三丁目1番1号" in html and "西新宿二丁目8番1号" in html and "転居の申出" in html   # both snapshots
    assert "234567890121" not in html and "************" in html
    shown = client.post(f"/counter/addressees/{owner.addressee_number}/",
                        {"show_individual_number": "1", "reason": "固定資産税の賦課"}).content.decode()
    assert "234567890121" in shown
    assert OperationLog.objects.filter(function="addressees.view", individual_number_shown=True).count() == 1


def test_a_role_without_the_right_sees_no_non_residents(family, clerk, screen_as):
    owner = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)
    analyst = _user("analyst", perms.ANALYST, "統計 五郎")
    client = screen_as(analyst)
    assert "住登外者も検索する" not in client.get("/counter/search/").content.decode()
    html = client.post("/counter/search/", {"kana": "ﾔﾏﾀﾞ ﾀﾛｳ", "include_non_residents": "on"},
                       follow=True).content.decode()
    assert owner.addressee_number not in html and "山田 太郎" in html      # the residents are still found
    assert client.get(f"/counter/addressees/{owner.addressee_number}/").status_code == 403
