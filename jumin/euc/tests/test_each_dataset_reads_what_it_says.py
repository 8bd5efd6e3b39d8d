"""The five datasets (issue #16 item 4): 住民 now (除票 on request), 住民 as of a date (by 異動日, through
register.queries.records_as_of), 異動 in a period (本登録 only, 異動事由 conditions), 交付履歴 in a period and 印鑑登録 —
each with its items from the dictionary; the protected person left out of every one for a role that does not ask."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import actor
from jumin.euc import queries
from jumin.euc.tests.conftest import PROTECTED

YEARS = {"from": "2020-01-01", "to": "2035-12-31"}


def values(out, column=0):
    return [row[column] for row in out["rows"]]


@pytest.fixture
def moved_out(city, clerk):
    """佐藤 和子 moves out (R7.5.1): a 除票 now, still a resident as of R7.4.30."""
    from jumin.register.actions import do_move_out

    kazuko = city["kazuo"].household.members.get(name="佐藤 和子")
    do_move_out({"household_number": kazuko.household_number, "members": [kazuko.addressee_number],
                 "effective_on": "R7.5.1", "notified_on": "R7.4.20",
                 "destination": {"address": "東京都千代田区千代田1番1号"}}, actor=actor(clerk))


def test_residents_now_and_with_removed_records(moved_out, analyst):
    now = queries.preview({"dataset": "residents", "items": ["name"]}, actor=actor(analyst))
    assert "佐藤 和子" not in values(now) and now["total"] == 4
    every = queries.preview({"dataset": "residents", "items": ["name", "status"], "include_removed": True},
                            actor=actor(analyst))
    assert ["佐藤 和子", "除票"] in every["rows"] and PROTECTED not in values(every)


def test_residents_as_of_a_date(moved_out, analyst):
    before = queries.preview({"dataset": "residents_as_of", "as_of": "R7.4.30", "items": ["name"]}, actor=actor(analyst))
    after = queries.preview({"dataset": "residents_as_of", "as_of": "令和7年5月1日", "items": ["name"]},
                            actor=actor(analyst))
    assert "佐藤 和子" in values(before) and "佐藤 和子" not in values(after)
    assert PROTECTED not in values(before)
    with pytest.raises(Exception, match="基準日（as_of）を指定"):
        queries.preview({"dataset": "residents_as_of", "items": ["name"]}, actor=actor(analyst))


def test_changes_in_a_period_by_reason(moved_out, analyst):
    out = queries.preview({"dataset": "changes", "period": YEARS, "items": ["name", "reason_code", "effective_on"],
                           "where": {"all": [{"item": "異動事由", "op": "eq", "value": "国内転出"}]}}, actor=actor(analyst))
    assert out["rows"] == [["佐藤 和子", "国内転出", "2025-05-01"]]
    moved_in = queries.preview({"dataset": "changes", "period": {"from": "R6.4.1", "to": "R6.4.1"}, "items": ["name"],
                                "where": {"all": [{"item": "reason_code", "op": "eq", "value": "move_in_domestic"}]}},
                               actor=actor(analyst))
    assert moved_in["total"] == 5 and PROTECTED not in values(moved_in)


def test_issuances_and_seals_for_an_approver(city, clerk, approver):
    from jumin.certificates.models import CertificateConfig, Signatory
    from jumin.certificates.seal import default_seal_svg
    from jumin.certificates.tests.conftest import issue, request_for
    from jumin.seals.tests.conftest import register

    Signatory.objects.create(title="宮城県仙台市長", name="郡 和子", valid_from=timezone.localdate() - timedelta(days=9),
                             seal_svg=default_seal_svg("仙台市長之印"))
    CertificateConfig.objects.create(place="本庁", verification_url="http://127.0.0.1:8000/certificates/verify/")
    issue(clerk, request_for(city["yamada"], layout="individual"))
    issue(clerk, request_for(city["mio"], layout="individual", acknowledged_alerts=["protected"]))
    register(clerk, city["kazuo"])
    today = timezone.localdate().isoformat()
    issued = queries.preview({"dataset": "issuances", "period": {"from": today, "to": today},
                              "items": ["kind", "requester_name", "fee", "user"]}, actor=actor(approver))
    assert issued["rows"] == [["住民票の写し", "山田 太郎", 300, "clerk"]]       # hers left out: not asked for
    asked = queries.preview({"dataset": "issuances", "period": {"from": today, "to": today}, "items": ["requester_name"],
                             "include_protected": True}, actor=actor(approver))
    assert values(asked) == ["山田 太郎", PROTECTED]
    seals = queries.preview({"dataset": "seals", "items": ["registration_number", "name", "age", "status"],
                             "as_of": "R8.4.1"}, actor=actor(approver))
    assert [row[1:] for row in seals["rows"]] == [["佐藤 一男", 70, "登録中"]]
    assert "impression_png" not in {c["name"] for c in seals["columns"]}
    assert ["印影（PNG、解像度つき）", "秘匿項目のため抽出できません。"] in seals["left_out"]
