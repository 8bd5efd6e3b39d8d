"""支援措置 on the counter screens (issues #3, #4, #6): prominent to the counter, invisible to other roles."""

from conftest import actor
from jumin.accounts import rules as roles
from jumin.register.models import Resident


def protect(hanako):
    from conftest import _user
    from jumin.restrictions.actions import do_register_protection

    supervisor = _user("supervisor", roles.SUPERVISOR, "支援 五郎")
    do_register_protection({"addressee_number": hanako.addressee_number, "kind": "dv",
                            "offenders": [{"name": "佐藤 健二", "birth_date": "1975-01-01", "sex": "1"}]},
                           actor=actor(supervisor))


def test_the_clerk_sees_the_protection_on_the_record_and_in_search_results(family, client, clerk):
    hanako = Resident.objects.get(name="山田 花子")
    protect(hanako)
    client.force_login(clerk)
    record = client.get(f"/counter/residents/{hanako.addressee_number}/").content.decode()
    assert "支援措置の対象者です" in record and 'class="warning protect" role="alert"' in record
    results = client.get("/counter/search/", {"kana": "ヤマダ"}).content.decode()
    assert "山田 花子" in results and "支援措置</span>" in results


def test_a_viewer_gets_a_neutral_refusal_and_does_not_find_the_person(family, client, viewer):
    hanako = Resident.objects.get(name="山田 花子")
    protect(hanako)
    client.force_login(viewer)
    record = client.get(f"/counter/residents/{hanako.addressee_number}/")
    text = record.content.decode()
    assert record.status_code == 403 and "表示できません" in text
    assert hanako.address not in text and "支援措置" not in text
    results = client.get("/counter/search/", {"kana": "ヤマダ"}).content.decode()
    assert "山田 花子" not in results and "山田 太郎" in results
