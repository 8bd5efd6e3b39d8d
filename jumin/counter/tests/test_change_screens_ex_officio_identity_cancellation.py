"""The 職権 (記載・消除・修正), identity (旧氏・通称・個人番号・住民票コード・帰化・国籍喪失) and cancellation
screens through Django's test client (issue #4 item 4): each renders with its labels, a valid entry goes
through the 確認画面 to the register, and a refusal lands next to its input with the register untouched."""

import html
import re

import pytest

from conftest import actor, register_state
from jumin.core import check_digits
from jumin.counter.templatetags.counter import field_id
from jumin.register.actions import do_move_in, do_relocate
from jumin.register.models import Change, Resident


@pytest.fixture
def desk(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def wang(single_step, clerk):
    """A foreign resident (中長期在留者) moved in from abroad through the real action."""
    person = {"resident_type": "foreign", "name": "WANG FANG", "name_alphabet": "WANG FANG", "name_kana": "ワン ファン",
              "birth_date": "1990-02-03", "sex": "2", "relationship": "世帯主", "nationality": "中国",
              "article_30_45": "mid_long_term", "residence_status": "技術・人文知識・国際業務",
              "period_of_stay": "5年", "period_expires_on": "2029-03-31", "residence_card_number": "AB12345678CD"}
    do_move_in({"move_in_kind": "abroad", "effective_on": "R6.4.1", "notified_on": "R6.4.2",
                "address": {"address": "宮城県仙台市青葉区国分町三丁目7番1号"}, "members": [person]},
               actor=actor(clerk))
    return Resident.objects.get(name="WANG FANG")


def person(name):
    return Resident.objects.get(name=name)


def confirm(desk, kind, form):
    response = desk.post(f"/counter/changes/{kind}/", {**form, "step": "confirm"})
    assert response.status_code == 200, response.content.decode()[:3000]
    page = response.content.decode()
    assert "確認画面" in page and "まだ登録されていません" in page
    return page


def register(desk, kind, page):
    params = html.unescape(re.search(r'name="params_json" value="([^"]*)"', page).group(1))
    key = re.search(r'name="idempotency_key" value="([^"]*)"', page).group(1)
    done = desk.post(f"/counter/changes/{kind}/", {"step": "submit", "params_json": params, "idempotency_key": key})
    assert done.status_code == 302 and "/receipt/" in done["Location"], done.content.decode()[:3000]
    return done


def confirm_and_register(desk, kind, form):
    page = confirm(desk, kind, form)
    return register(desk, kind, page), page


def refused(desk, kind, form, field=None, message=""):
    """Post a form the rules refuse: 422, the message next to `field` (or on the page), nothing written."""
    before = register_state()
    response = desk.post(f"/counter/changes/{kind}/", {**form, "step": "confirm"})
    page = response.content.decode()
    assert response.status_code == 422, page[:3000]
    if field:
        error = re.search(rf'<p class="field-error" id="{field_id(field)}-error" role="alert">([^<]*)</p>', page)
        assert error, f"no message next to {field}: {page[:4000]}"
        assert message in error.group(1)
        # once next to the input and once in the error summary at the top, which links to it
        assert page.count(error.group(1)) == 2, "the message is missing from the summary or shown more often"
        assert f'href="#{field_id(field)}"' in page
    else:
        assert message in page
    assert "まだ登録されていません" not in page
    assert register_state() == before
    return page


def labels_in(page, *labels):
    missing = [label for label in labels if label not in page]
    assert not missing, missing


# ---------------------------------------------------------------- 職権記載

ENTRY = {
    "address.postcode": "9800811", "address.address": "宮城県仙台市青葉区一番町一丁目1番1号",
    "previous_address.address": "不明", "effective_on": "R6.5.1", "notified_on": "R6.5.1",
    "reason": "実態調査により居住を確認（職権記録書 第12号）",
    "members[0].name": "鈴木 次郎", "members[0].name_kana": "スズキ ジロウ", "members[0].birth_date": "S60.1.15",
    "members[0].sex": "1", "members[0].relationship": "世帯主", "members[0].domicile_status": "unknown",
}


def test_ex_officio_entry_screen_records_a_person_with_a_reason(single_step, desk):
    page = desk.get("/counter/changes/ex_officio_entry/").content.decode()
    labels_in(page, "職権記載", "住所", "前住所（任意）", "異動日（住民となった日）", "理由", "理由（職権記録）の入力が必須",
              "氏名", "続柄", 'name="members[0].name"', "記載する人を追加")
    done, preview = confirm_and_register(desk, "ex_officio_entry", ENTRY)
    assert "職権記載（全部） 1人" in preview and "実態調査により居住を確認" in preview
    jiro = person("鈴木 次郎")
    assert jiro.status == "resident" and jiro.address == "宮城県仙台市青葉区一番町一丁目1番1号"
    assert Change.objects.get(kind="ex_officio_entry").ex_officio
    assert "鈴木 次郎" in desk.get(done["Location"]).content.decode()


def test_ex_officio_entry_without_a_reason_is_refused_at_the_reason(single_step, desk):
    page = refused(desk, "ex_officio_entry", {**ENTRY, "reason": ""}, "reason", "理由（職権記録）を入力してください")
    assert 'value="鈴木 次郎"' in page and 'value="宮城県仙台市青葉区一番町一丁目1番1号"' in page


def test_ex_officio_entry_without_a_head_shows_the_members_message(single_step, desk):
    refused(desk, "ex_officio_entry", {**ENTRY, "members[0].relationship": "子"}, "members", "世帯主を1人")


# ---------------------------------------------------------------- 職権消除

def removal_form(**extra):
    return {"household_number": person("山田 太郎").household_number, "effective_on": "R6.6.1",
            "reason": "実態調査により居住の事実なし", **extra}


def test_ex_officio_removal_screen_removes_the_checked_person(family, desk):
    household = person("山田 太郎").household_number
    page = desk.get("/counter/changes/ex_officio_removal/", {"household": household}).content.decode()
    labels_in(page, "職権消除", "消除する方", "山田 太郎", "山田 花子", "山田 一郎", 'name="list:addressee_numbers"',
              "新しい世帯主", "異動日（職権消除の日）", "理由（職権記録）の入力が必須")
    ichiro = person("山田 一郎")
    _, preview = confirm_and_register(desk, "ex_officio_removal",
                                      removal_form(**{"list:addressee_numbers": [ichiro.addressee_number]}))
    assert "職権消除 1人（山田 一郎）" in preview
    assert person("山田 一郎").status == "removed" and person("山田 一郎").removal_reason == "ex_officio_removal"
    assert person("山田 太郎").status == "resident" and person("山田 花子").status == "resident"


def test_ex_officio_removal_of_the_head_names_the_new_head_from_the_select(family, desk):
    taro, hanako, ichiro = person("山田 太郎"), person("山田 花子"), person("山田 一郎")
    confirm_and_register(desk, "ex_officio_removal", removal_form(**{
        "list:addressee_numbers": [taro.addressee_number], "new_head": hanako.addressee_number,
        f"remaining_relationships.{ichiro.addressee_number}": "子"}))
    assert person("山田 太郎").status == "removed"
    assert person("山田 花子").relationship == "世帯主" and person("山田 一郎").relationship == "子"


def test_ex_officio_removal_with_nobody_checked_is_refused_at_the_table(family, desk):
    page = refused(desk, "ex_officio_removal", removal_form(), "addressee_numbers", "1件以上指定してください")
    assert "山田 花子" in page and "実態調査により居住の事実なし" in page


def test_ex_officio_removal_of_the_head_without_a_new_head_is_refused_at_the_select(family, desk):
    taro = person("山田 太郎")
    page = refused(desk, "ex_officio_removal", removal_form(**{"list:addressee_numbers": [taro.addressee_number]}),
                   "new_head", "世帯主")
    assert f'value="{taro.addressee_number}" checked' in page


def test_ex_officio_removal_screen_asks_for_the_household_first(family, desk):
    page = desk.get("/counter/changes/ex_officio_removal/").content.decode()
    labels_in(page, "世帯番号", 'name="household"', "世帯を表示")
    assert 'id="change-form"' not in page
    unknown = desk.get("/counter/changes/ex_officio_removal/", {"household": "9999999999"}).content.decode()
    assert "世帯番号 9999999999 の世帯は見つかりません" in unknown


# ---------------------------------------------------------------- 職権修正・誤記修正

def correction_form(**extra):
    return {"addressee_number": person("山田 太郎").addressee_number, "correction_kind": "clerical_correction",
            "effective_on": "R6.6.1", "reason": "戸籍照会により誤記を確認", **extra}


def test_correction_screen_shows_current_values_and_corrects_only_what_is_filled(family, desk):
    taro = person("山田 太郎")
    page = desk.get("/counter/changes/correction/", {"person": taro.addressee_number}).content.decode()
    labels_in(page, "職権修正・誤記修正", "区分", "誤記修正", "修正後の氏名", "修正後の本籍", "修正後の筆頭者",
              "現在の記載", "ヤマダ\u3000タロウ", "東京都千代田区千代田1番", "昭和55年5月5日",
              "世帯全員の住所を修正する", "理由（職権記録）の入力が必須", 'name="items.domicile"',
              f'name="addressee_number" value="{taro.addressee_number}"')
    before = {k: getattr(taro, k) for k in ("name", "name_kana", "birth_date", "relationship", "address")}
    _, preview = confirm_and_register(desk, "correction", correction_form(**{"items.domicile": "東京都千代田区千代田2番"}))
    assert "東京都千代田区千代田1番" in preview and "東京都千代田区千代田2番" in preview
    taro.refresh_from_db()
    assert taro.domicile == "東京都千代田区千代田2番"
    assert {k: getattr(taro, k) for k in before} == before


def test_correction_of_the_whole_household_address(family, desk):
    confirm_and_register(desk, "correction", correction_form(**{
        "correction_kind": "ex_officio_correction", "address.address": "宮城県仙台市青葉区一番町四丁目7番18号",
        "address.address_supplement": "一番町ハイツ301", "address.postcode": "9800811", "bool:household_wide": "on"}))
    assert {r.address for r in Resident.objects.all()} == {"宮城県仙台市青葉区一番町四丁目7番18号"}


def test_correction_that_would_make_the_head_a_wife_is_refused_at_the_relationship(family, desk):
    page = refused(desk, "correction", correction_form(**{"items.relationship": "妻"}), "items.relationship",
                   "世帯主変更")
    assert 'value="妻"' in page and "戸籍照会により誤記を確認" in page


def test_correction_with_nothing_filled_shows_the_items_message(family, desk):
    refused(desk, "correction", correction_form(), "items", "修正する項目と新しい値を入力してください")


# ---------------------------------------------------------------- 旧氏

def former_surname_form(name="山田 花子", **extra):
    return {"addressee_number": person(name).addressee_number, "effective_on": "R6.6.1", **extra}


def test_former_surname_screen_records_a_former_surname(family, desk):
    hanako = person("山田 花子")
    page = desk.get("/counter/changes/former_surname/", {"person": hanako.addressee_number}).content.decode()
    labels_in(page, "旧氏", "処理", "旧氏の記載", "旧氏の変更", "旧氏の削除", "旧氏のフリガナ", "現在の旧氏",
              "山田 花子", "異動日（請求を受けた日）", 'name="action"')
    confirm_and_register(desk, "former_surname", former_surname_form(
        action="entry", former_surname="佐藤", former_surname_kana="サトウ"))
    hanako.refresh_from_db()
    assert (hanako.former_surname, hanako.former_surname_kana) == ("佐藤", "サトウ")


def test_changing_a_former_surname_that_is_not_recorded_is_refused_at_the_action(family, desk):
    page = refused(desk, "former_surname", former_surname_form(action="change", former_surname="佐藤"), "action",
                   "旧氏が記載されていません")
    assert '<option value="change" selected>' in page and 'value="佐藤"' in page


# ---------------------------------------------------------------- 通称

def test_alias_screen_records_an_alias_of_a_foreign_resident(wang, desk):
    page = desk.get("/counter/changes/alias/", {"person": wang.addressee_number}).content.decode()
    labels_in(page, "通称", "処理", "通称の記載", "通称の削除", "通称のフリガナ", "WANG FANG", "中国", "現在の通称")
    confirm_and_register(desk, "alias", {"addressee_number": wang.addressee_number, "action": "entry",
                                         "alias": "王 芳", "alias_kana": "オウ ホウ", "effective_on": "R6.6.1"})
    wang.refresh_from_db()
    assert wang.alias == "王 芳" and wang.alias_recorded_on.isoformat() == "2024-06-01"


def test_an_alias_for_a_japanese_resident_is_refused_with_the_message_by_the_person(family, desk):
    taro = person("山田 太郎")
    refused(desk, "alias", {"addressee_number": taro.addressee_number, "action": "entry", "alias": "山田 太",
                            "effective_on": "R6.6.1"}, "addressee_number", "通称は外国人住民にのみ記載できます")


# ---------------------------------------------------------------- 個人番号

NEW_NUMBER = "98765432101" + str(check_digits.individual_number_check_digit("98765432101"))


def test_individual_number_screen_records_the_number_and_never_shows_it_back(family, desk):
    hanako = person("山田 花子")
    page = desk.get("/counter/changes/individual_number/", {"person": hanako.addressee_number}).content.decode()
    labels_in(page, "個人番号", "個人番号の記載", "個人番号の変更（請求）", "個人番号の修正", "個人番号（12桁）",
              "登録した後は受付票にもこの画面にも表示されません", "現在の個人番号")
    done, preview = confirm_and_register(desk, "individual_number", {
        "addressee_number": hanako.addressee_number, "action": "entry", "individual_number": NEW_NUMBER,
        "effective_on": "R6.6.1"})
    assert NEW_NUMBER not in re.sub(r'<input type="hidden" name="params_json"[^>]*>', "", preview)
    hanako.refresh_from_db()
    assert hanako.individual_number == NEW_NUMBER
    assert NEW_NUMBER not in desk.get(done["Location"]).content.decode()
    again = desk.get("/counter/changes/individual_number/", {"person": hanako.addressee_number}).content.decode()
    assert NEW_NUMBER not in again and "記載あり（この画面には表示しません）" in again
    taro = person("山田 太郎")
    shown = desk.get("/counter/changes/individual_number/", {"person": taro.addressee_number}).content.decode()
    assert "123456789018" not in shown


def test_a_number_another_person_has_is_refused_at_the_number(family, desk):
    hanako = person("山田 花子")
    refused(desk, "individual_number", {"addressee_number": hanako.addressee_number, "action": "entry",
                                        "individual_number": "123456789018", "effective_on": "R6.6.1"},
            "individual_number", "別の方の住民票または除票に記載されています")


# ---------------------------------------------------------------- 住民票コード

NEW_CODE = "9876543210" + str(check_digits.resident_code_check_digit("9876543210"))


def test_resident_code_screen_changes_the_code_on_request(family, desk):
    taro = person("山田 太郎")
    page = desk.get("/counter/changes/resident_code/", {"person": taro.addressee_number}).content.decode()
    labels_in(page, "住民票コード", "住民票コードの記載", "住民票コードの変更（請求）", "住民票コード（11桁）",
              "12345678903", "受付票には表示されません")
    done, _ = confirm_and_register(desk, "resident_code", {
        "addressee_number": taro.addressee_number, "action": "change_request", "resident_code": NEW_CODE,
        "effective_on": "R6.6.1"})
    taro.refresh_from_db()
    assert taro.resident_code == NEW_CODE
    assert NEW_CODE not in desk.get(done["Location"]).content.decode()


def test_a_resident_code_with_a_wrong_check_digit_is_refused_at_the_code(family, desk):
    taro = person("山田 太郎")
    wrong = NEW_CODE[:-1] + str((int(NEW_CODE[-1]) + 1) % 10)
    page = refused(desk, "resident_code", {"addressee_number": taro.addressee_number, "action": "change_request",
                                           "resident_code": wrong, "effective_on": "R6.6.1"}, "resident_code")
    assert f'value="{wrong}"' in page


# ---------------------------------------------------------------- 帰化・国籍取得

NATURALIZATION = {"items.name": "王 芳", "items.name_kana": "オウ ホウ", "items.domicile_status": "recorded",
                  "items.domicile": "宮城県仙台市青葉区国分町三丁目7番", "items.domicile_head": "王 芳",
                  "effective_on": "R6.7.1", "notified_on": "R6.7.5"}


def test_naturalization_screen_makes_a_foreign_resident_japanese(wang, desk):
    page = desk.get("/counter/changes/naturalization/", {"person": wang.addressee_number}).content.decode()
    labels_in(page, "帰化・国籍取得", "氏名", "フリガナ", "本籍の記載", "本籍", "筆頭者", "帰化・国籍取得の日",
              "WANG FANG", "中国")
    _, preview = confirm_and_register(desk, "naturalization",
                                      {"addressee_number": wang.addressee_number, **NATURALIZATION})
    assert "帰化・国籍取得 WANG FANG → 王 芳" in preview
    wang.refresh_from_db()
    assert (wang.resident_type, wang.name, wang.nationality, wang.domicile) == (
        "japanese", "王 芳", "", "宮城県仙台市青葉区国分町三丁目7番")


def test_naturalization_without_the_new_name_is_refused_at_the_name(wang, desk):
    page = refused(desk, "naturalization", {"addressee_number": wang.addressee_number, **NATURALIZATION,
                                            "items.name": ""}, "items.name", "氏名を入力してください")
    assert 'value="宮城県仙台市青葉区国分町三丁目7番"' in page


# ---------------------------------------------------------------- 国籍喪失

def test_nationality_loss_screen_makes_a_japanese_resident_foreign(family, desk):
    ichiro = person("山田 一郎")
    page = desk.get("/counter/changes/nationality_loss/", {"person": ichiro.addressee_number}).content.decode()
    labels_in(page, "国籍喪失", "国籍・地域", "氏名（アルファベット）", "30条の45区分", "経過滞在者の事由",
              "国籍喪失の日", "山田 一郎", 'name="items.transitional_reason"')
    confirm_and_register(desk, "nationality_loss", {
        "addressee_number": ichiro.addressee_number, "items.nationality": "アメリカ合衆国",
        "items.name_alphabet": "YAMADA ICHIRO", "effective_on": "R6.7.1"})
    ichiro.refresh_from_db()
    assert (ichiro.resident_type, ichiro.nationality, ichiro.article_30_45, ichiro.transitional_reason,
            ichiro.domicile) == ("foreign", "アメリカ合衆国", "transitional", "nationality_loss", "")


def test_nationality_loss_of_a_foreign_resident_is_refused_with_the_message_by_the_person(wang, desk):
    page = refused(desk, "nationality_loss", {"addressee_number": wang.addressee_number,
                                              "items.nationality": "アメリカ合衆国", "effective_on": "R6.7.1"},
                   "addressee_number", "日本人住民の方にのみ")
    assert 'value="アメリカ合衆国"' in page


def test_nationality_loss_without_a_nationality_is_refused_at_the_nationality(family, desk):
    ichiro = person("山田 一郎")
    refused(desk, "nationality_loss", {"addressee_number": ichiro.addressee_number, "items.name_alphabet": "YAMADA",
                                       "effective_on": "R6.7.1"}, "items.nationality", "国籍・地域を入力してください")


# ---------------------------------------------------------------- 異動の取消し

@pytest.fixture
def relocated(family, clerk):
    taro = person("山田 太郎")
    return do_relocate({"household_number": taro.household_number, "effective_on": "R6.5.10", "notified_on": "R6.5.12",
                        "address": {"address": "宮城県仙台市青葉区国分町三丁目7番1号"}}, actor=actor(clerk))


def test_a_relocation_is_cancelled_from_the_history_link(relocated, desk):
    taro = person("山田 太郎")
    assert taro.address == "宮城県仙台市青葉区国分町三丁目7番1号"
    history = desk.get(f"/counter/residents/{taro.addressee_number}/history/").content.decode()
    link = f"/counter/changes/cancellation/?change={relocated.pk}"
    assert link in history
    page = desk.get(link).content.decode()
    labels_in(page, "異動の取消し", f"取り消す異動：異動ID {relocated.pk}", f'name="change_id" value="{relocated.pk}"',
              f"/counter/changes/{relocated.pk}/receipt/", "届出日", "取消しの理由", "理由の入力が必須")
    assert 'name="effective_on"' not in page
    _, preview = confirm_and_register(desk, "cancellation", {"change_id": str(relocated.pk),
                                                             "reason": "転居先の誤入力のため取消し"})
    assert "異動の取消し（異動ID" in preview and "宮城県仙台市青葉区一番町四丁目7番17号" in preview
    assert {r.address for r in Resident.objects.all()} == {"宮城県仙台市青葉区一番町四丁目7番17号"}
    cancellation = Change.objects.get(kind="cancellation")
    assert cancellation.cancels_id == relocated.pk and cancellation.effective_on == relocated.effective_on


def test_a_cancellation_without_a_reason_is_refused_at_the_reason(relocated, desk):
    page = refused(desk, "cancellation", {"change_id": str(relocated.pk)}, "reason", "理由")
    assert f'name="change_id" value="{relocated.pk}"' in page


def test_cancelling_a_change_with_later_changes_shows_why_on_the_page(relocated, desk):
    move_in = Change.objects.get(kind="move_in")
    refused(desk, "cancellation", {"change_id": str(move_in.pk), "reason": "誤り"}, "change_id",
            "後の異動から順に取り消してください")


def test_the_cancellation_screen_without_a_change_asks_for_the_change_id(family, desk):
    page = desk.get("/counter/changes/cancellation/").content.decode()
    labels_in(page, "異動ID", 'name="change_id"')
    refused(desk, "cancellation", {"reason": "誤り"}, "change_id", "異動IDを入力してください")


# ---------------------------------------------------------------- every screen renders; 戻る keeps the input

@pytest.mark.parametrize("kind", ["ex_officio_entry", "ex_officio_removal", "correction", "former_surname", "alias",
                                  "individual_number", "resident_code", "naturalization", "nationality_loss",
                                  "cancellation"])
def test_every_screen_renders_for_a_clerk(family, desk, kind):
    taro = person("山田 太郎")
    response = desk.get(f"/counter/changes/{kind}/", {"person": taro.addressee_number,
                                                      "household": taro.household_number, "change": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="change-form"' in page and "確認へ" in page


def test_back_from_the_confirmation_keeps_what_was_typed(family, desk):
    page = confirm(desk, "correction", correction_form(**{"items.domicile": "東京都千代田区千代田2番"}))
    params = html.unescape(re.search(r'name="params_json" value="([^"]*)"', page).group(1))
    back = desk.post("/counter/changes/correction/back/", {"params_json": params}).content.decode()
    assert 'value="東京都千代田区千代田2番"' in back and "戸籍照会により誤記を確認" in back
    assert '<option value="clerical_correction" selected>' in back
