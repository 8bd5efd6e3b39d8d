"""A person row the clerk added but never typed in holds only the preselected 住民種別: it is dropped like an
empty row (counter/params.to_params), not refused as a person without a name (issue #15 item 10)."""

from jumin.counter.params import to_params


def test_an_untouched_row_is_dropped_and_the_family_goes_to_the_confirmation(single_step, clerk, client):
    from jumin.register.models import Resident

    client.force_login(clerk)
    form = {"step": "confirm", "effective_on": "R6.4.1", "address.address": "宮城県仙台市青葉区一番町1番",
            "previous_address.address": "東京都千代田区千代田1番1号", "members[0].name": "山田 太郎",
            "members[0].birth_date": "S55.5.5", "members[0].sex": "1", "members[0].relationship": "世帯主",
            "members[0].resident_type": "japanese", "members[0].domicile_status": "unknown",
            "members[1].resident_type": "japanese", "members[1].name": ""}
    page = client.post("/counter/changes/move_in/", form).content.decode()
    assert "確認画面" in page and "全部転入 1人" in page and Resident.objects.count() == 0


def test_only_rows_holding_nothing_but_preselected_items_are_dropped():
    params = to_params({"members[0].name": ["山田 太郎"], "members[0].resident_type": ["japanese"],
                        "members[1].resident_type": ["foreign"], "members[2].resident_type": ["japanese"],
                        "members[2].sex": ["2"]})
    assert params == {"members": [{"name": "山田 太郎", "resident_type": "japanese"},
                                  {"resident_type": "japanese", "sex": "2"}]}
