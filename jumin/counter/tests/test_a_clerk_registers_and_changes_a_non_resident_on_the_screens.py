"""住登外者の登録・変更 screens (issue #17 item 6): form → 確認画面 → 登録, as on the counter's change screens. The
確認画面 shows what will be registered and the candidates of §2.3.2 — the same 氏名 and 生年月日 among residents,
除票 and 住登外者 — before any number is issued; nothing is written until 登録. A refusal keeps what was typed and
names the field; the change screen shows only what changes and needs a reason; a viewer may not open either."""

import json

from conftest import actor
from jumin.addressees.actions import do_register_non_resident
from jumin.addressees.models import NonResident, NonResidentHistory
from jumin.addressees.tests.conftest import PROPERTY_TAX, landowner

FORM = {"step": "confirm", "kind": "taxpayer", "name": "山田 太郎", "name_kana": "ヤマダ タロウ", "birth_date": "S55.5.5",
        "sex": "1", "address.kind": "domestic", "address.postcode": "1600023",
        "address.address": "東京都新宿区西新宿二丁目8番1号", "business": "012", "referring_text": "010"}


def _params(html: str) -> str:
    start = html.index('name="params_json" value="') + len('name="params_json" value="')
    import html as h

    return h.unescape(html[start:html.index('"', start)])


def test_registration_confirms_with_the_candidates_then_numbers(family, clerk, screen_as):
    client = screen_as(clerk)
    assert "住登外者の登録" in client.get("/counter/addressees/new/").content.decode()
    confirm = client.post("/counter/addressees/new/", FORM).content.decode()
    assert "確認画面" in confirm and "東京都新宿区西新宿二丁目8番1号" in confirm
    assert "同じ氏名・生年月日の方がいます" in confirm and "住民" in confirm          # 山田 太郎 S55.5.5 is a resident
    assert not NonResident.objects.exists()
    # the clerk decides it is a different person? No: the register refuses a current resident at 登録
    refused = client.post("/counter/addressees/new/", {"step": "submit", "params_json": _params(confirm)})
    assert refused.status_code == 422 and "住民です" in refused.content.decode() and not NonResident.objects.exists()
    assert 'value="山田 太郎"' in refused.content.decode()                       # what was typed is kept

    other = {**FORM, "name": "佐藤 花子", "name_kana": "サトウ ハナコ", "sex": "2", "birth_date": "1970-01-02"}
    confirm = client.post("/counter/addressees/new/", other).content.decode()
    assert "同じ氏名・生年月日の方は、住民・除票・住登外者にいません" in confirm
    done = client.post("/counter/addressees/new/", {"step": "submit", "params_json": _params(confirm)})
    record = NonResident.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/counter/addressees/{record.addressee_number}/"
    assert record.referring_businesses == ["010", "012"] and record.business == "012"


def test_a_bad_form_names_the_field_and_writes_nothing(db, clerk, screen_as):
    client = screen_as(clerk)
    page = client.post("/counter/addressees/new/", {**FORM, "birth_date": "S40.2.30"})
    assert page.status_code == 422 and "生年月日" in page.content.decode() and 'aria-invalid="true"' in page.content.decode()
    page = client.post("/counter/addressees/new/", {**FORM, "address.address": ""})
    assert page.status_code == 422 and "住所" in page.content.decode()
    assert not NonResident.objects.exists()


def test_the_change_screen_shows_what_changes_and_needs_a_reason(db, clerk, screen_as):
    owner = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)
    client = screen_as(clerk)
    url = f"/counter/addressees/{owner.addressee_number}/change/"
    form = client.get(url).content.decode()
    assert 'value="山田 太郎"' in form and "西新宿二丁目8番1号" in form
    fields = {"step": "confirm", "kind": "taxpayer", "name": "山田 太郎", "name_kana": "ヤマダ タロウ",
              "birth_date": "S40.4.1", "sex": "1", "address.kind": "domestic", "address.postcode": "1600023",
              "address.address": "東京都新宿区西新宿三丁目1番1号", "referring_text": "012", "version": "1"}
    assert client.post(url, fields).status_code == 422                      # no reason
    confirm = client.post(url, {**fields, "reason": "転居の申出"}).content.decode()
    assert "西新宿二丁目8番1号" in confirm and "西新宿三丁目1番1号" in confirm and "ヤマダ タロウ</td>" not in confirm
    params = json.loads(_params(confirm))
    assert params["reason"] == "転居の申出"
    client.post(url, {"step": "submit", "params_json": _params(confirm)})
    assert NonResident.objects.get().address == "東京都新宿区西新宿三丁目1番1号"
    assert NonResidentHistory.objects.filter(addressee_number=owner.addressee_number).count() == 2


def test_a_viewer_may_not_open_the_forms(db, clerk, viewer, screen_as):
    owner = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)
    client = screen_as(viewer)
    assert client.get("/counter/addressees/new/").status_code == 403
    assert client.post("/counter/addressees/new/", FORM).status_code == 403
    assert client.get(f"/counter/addressees/{owner.addressee_number}/change/").status_code == 403
    assert NonResident.objects.count() == 1
