"""The dictionary screen /dictionary/ (issue #16 item 1, Done when: "the dictionary screen finds 住所を定めた日 by
typing 住所"): a GET form that works without JavaScript, search by Japanese name, code name or 基本データリスト
name, each item with type, length, codes, sensitivity and who may extract it. The administrator is refused
(logged); an unknown entity is a 404."""

import pytest

from jumin.audit.models import OperationLog
from jumin.core import dictionary as d

pytestmark = pytest.mark.django_db


def test_typing_juusho_finds_the_day_the_address_was_set(screen_as, clerk):
    page = screen_as(clerk).get("/dictionary/", {"q": "住所"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "住所を定めた年月日" in html and "<code>address_since</code>" in html
    assert "「住所」を含む項目" in html
    assert "<code>name</code>" not in html                  # 氏名 has no 住所 in any of its names


def test_search_by_code_name_and_by_basic_data_list_name(screen_as, clerk):
    client = screen_as(clerk)
    assert "住所を定めた年月日" in client.get("/dictionary/", {"q": "address_since"}).content.decode()
    html = client.get("/dictionary/", {"q": "氏名_外国人ローマ字"}).content.decode()
    assert "氏名（アルファベット）" in html


def test_an_entity_shows_every_item_with_type_length_codes_sensitivity_and_roles(screen_as, clerk):
    html = screen_as(clerk).get("/dictionary/", {"entity": "residents"}).content.decode()
    residents = d.entity("residents")
    assert f"住民票（現在・除票）の項目: {len(residents.items)}件" in html
    assert "<summary>2件</summary>" in html                 # 住民種別's code table, expandable
    assert "<code>japanese</code> 日本人住民" in html
    assert "個人番号を含める指定が必要" in html
    assert "対応なし（jumin独自項目）" in html
    assert d.version() in html


def test_htmx_gets_only_the_results(screen_as, clerk):
    html = screen_as(clerk).get("/dictionary/", {"q": "住所"}, HTTP_HX_REQUEST="true").content.decode()
    assert "住所を定めた年月日" in html and "<form" not in html


def test_nothing_found_says_so(screen_as, clerk):
    html = screen_as(clerk).get("/dictionary/", {"q": "年収"}).content.decode()
    assert "該当する項目はありません" in html


def test_the_administrator_is_refused_and_logged(screen_as, admin_user):
    page = screen_as(admin_user).get("/dictionary/")
    assert page.status_code == 403
    assert "データディクショナリを見る権限がありません" in page.content.decode()
    assert OperationLog.objects.get().outcome == "refused"


def test_an_unknown_entity_is_404(screen_as, clerk):
    assert screen_as(clerk).get("/dictionary/", {"entity": "people"}).status_code == 404
    assert OperationLog.objects.get().function == "dictionary.view"


def test_bad_input_gives_a_page_not_a_500(screen_as, clerk):
    client = screen_as(clerk)
    assert client.get("/dictionary/", {"q": "住\x00所"}).status_code == 200
    assert client.get("/dictionary/", {"q": "住" * 10000}).status_code == 200
    assert client.get("/dictionary/", {"entity": "resi\x00dents"}).status_code == 404
    assert "\x00" not in OperationLog.objects.get().detail["entity"]
