"""EUC実行履歴 (issue #16 item 5; 住民記録 §10.2): every run is listed with who, when, what and the file's digest,
and the approver finds by 宛名番号 every run whose output held that person — not the runs that did not. The
analyst sees their own runs, and a search by person (an audit question) is refused beside the field, logged.
The list shows what was asked without the values typed (a value may name a person)."""

import pytest

from conftest import _user, actor
from jumin.accounts import rules as perms
from jumin.audit.models import REFUSED, OperationLog
from jumin.euc import actions
from jumin.euc.tests.wizard_helpers import small_city
from jumin.register.models import Resident

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "euc"])


@pytest.fixture
def runs(single_step, approver, tmp_path):
    small_city(tmp_path, residents=80, removed=5)
    person = Resident.objects.filter(status="resident").order_by("addressee_number").first()
    analyst = _user("analyst", perms.ANALYST, "統計 六郎")
    found = actions.do_run_euc({"dataset": "residents", "items": ["addressee_number", "name"],
                                "where": {"all": [{"item": "addressee_number", "op": "eq",
                                                   "value": person.addressee_number}]}}, "csv", actor=actor(analyst))
    other = actions.do_run_euc({"dataset": "residents", "items": ["addressee_number"],
                                "where": {"all": [{"item": "addressee_number", "op": "ne",
                                                   "value": person.addressee_number}]}}, "xlsx", actor=actor(approver))
    return person, found, other


def test_the_approver_finds_who_extracted_a_person(runs, screen_as, approver):
    person, found, other = runs
    client = screen_as(approver)
    listing = client.get("/euc/runs/").content.decode()
    assert f'href="/euc/runs/{found.id}/"' in listing and f'href="/euc/runs/{other.id}/"' in listing
    assert "条件: 宛名番号 等しい" in listing and found.sha256[:12] in listing
    searched = client.get("/euc/runs/", {"addressee_number": person.addressee_number}).content.decode()
    assert f'href="/euc/runs/{found.id}/"' in searched and f'href="/euc/runs/{other.id}/"' not in searched
    assert f"宛名番号 {person.addressee_number} の方を含む出力 1 件" in searched
    page = client.get(f"/euc/runs/{found.id}/").content.decode()      # the run itself: who, what, the digest
    assert "analyst" in page and found.sha256 in page
    assert "抽出した本人（analyst）だけがダウンロードできます" in page and f"/euc/runs/{found.id}/download" not in page


def test_the_analyst_sees_their_own_runs_and_may_not_search_by_person(runs, screen_as):
    person, found, other = runs
    client = screen_as(_analyst())
    listing = client.get("/euc/runs/").content.decode()
    assert f'href="/euc/runs/{found.id}/"' in listing and f'href="/euc/runs/{other.id}/"' not in listing
    response = client.get("/euc/runs/", {"addressee_number": person.addressee_number})
    assert response.status_code == 403
    assert "EUC の記録を人で探せるのは、承認者・監査担当だけです。" in response.content.decode()
    assert OperationLog.objects.filter(username="analyst", function="euc.run.list", outcome=REFUSED,
                                       addressee_number=person.addressee_number).count() == 1


def _analyst():
    from jumin.accounts.models import User

    return User.objects.get(username="analyst")
