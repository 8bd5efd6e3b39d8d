"""The Shift_JIS CSV (for systems that cannot read UTF-8) drops nothing in silence: every character CP932 cannot hold
as itself is replaced and listed — which character, what it became, how often, in which columns and rows — on the
run and in its API answer (issue #16 item 4)."""

from conftest import actor
from jumin.euc import actions
from jumin.register.models import Resident


def test_an_mj_character_and_an_ivs_are_reported(city, analyst, api_as):
    # A migrated record (not typed at the counter): 𠮷 (U+20BB7) and 葛 with its IVS.
    Resident.objects.filter(pk=city["kazuo"].pk).update(name="𠮷田 一男", address="宮城県仙台市泉区葛\U000E0100岡1番")
    run = actions.do_run_euc({"dataset": "residents", "items": ["name", "address"], "sort": [{"item": "name"}]},
                             "csv_sjis", actor=actor(analyst))
    text = open(run.file_path, "rb").read().decode("cp932")
    assert "〓田 一男" in text and "泉区葛岡1番" in text
    report = {entry["char"]: entry for entry in run.conversion_report}
    assert report["𠮷"]["replacement"] == "〓" and report["𠮷"]["code"] == "U+20BB7"
    assert report["𠮷"]["columns"] == ["氏名"] and report["𠮷"]["count"] == 1 and len(report["𠮷"]["rows"]) == 1
    assert report["葛\U000E0100"]["replacement"] == "葛" and report["葛\U000E0100"]["columns"] == ["住所"]
    answer = api_as(analyst).get(f"/euc/runs/{run.pk}").json()
    assert {e["char"] for e in answer["conversion_report"]} == {"𠮷", "葛\U000E0100"}


def test_a_file_cp932_holds_has_an_empty_report(city, analyst):
    run = actions.do_run_euc({"dataset": "residents", "items": ["name"]}, "csv_sjis", actor=actor(analyst))
    assert run.conversion_report == []
    assert "山田 太郎" in open(run.file_path, "rb").read().decode("cp932")
