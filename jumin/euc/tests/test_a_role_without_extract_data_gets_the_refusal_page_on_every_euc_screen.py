"""A role without EXTRACT_DATA (照会のみ, 窓口, システム管理者) gets the neutral refusal page on every EUC screen —
the wizard, a run, a download, the approver's list, the saved queries — with the refusal in the operation log
and nothing written; and its home screen offers no EUC link (standard-spec §6.1 操作権限). The approver's list
needs APPROVE_EXTRACT besides: the analyst, who may extract, is refused there."""

import pytest

from conftest import _user
from jumin.accounts import rules as perms
from jumin.audit.models import REFUSED, OperationLog
from jumin.euc.models import EucRun, SavedQuery

GETS = ["/euc/", "/euc/runs/1/", "/euc/runs/1/download", "/euc/approvals/", "/euc/saved/", "/euc/saved/1/"]


@pytest.mark.parametrize("role", [perms.VIEWER, perms.CLERK, perms.ADMIN])
def test_every_euc_screen_refuses_a_role_that_may_not_extract(role, municipality, screen_as):
    assert not perms.has_permission(role, perms.EXTRACT_DATA)
    user = _user(f"no_euc_{role}", role, "抽出 不可")
    client = screen_as(user)
    for path in GETS:
        response = client.get(path)
        assert response.status_code == 403, path
        text = response.content.decode()
        right = "EUC出力の承認" if "approvals" in path else "データ抽出・EUC"
        assert "表示できません" in text and f"この操作（{right}）を行う権限がありません。" in text, path
    response = client.post("/euc/", {"step": "dataset", "dataset": "residents", "do": "next"})
    assert response.status_code == 403
    response = client.post("/euc/", {"step": "output", "query": '{"dataset": "residents", "items": ["name"]}',
                                     "output": "csv", "do": "run"})
    assert response.status_code == 403
    assert client.post("/euc/runs/1/approve").status_code == 403
    refusals = OperationLog.objects.filter(username=user.username, outcome=REFUSED)
    assert refusals.count() >= len(GETS) + 3
    assert EucRun.objects.count() == 0 and SavedQuery.objects.count() == 0
    home = client.get("/").content.decode()
    assert "/euc/" not in home


def test_the_approvers_list_needs_the_right_to_approve(municipality, screen_as):
    analyst = _user("analyst", perms.ANALYST, "統計 六郎")
    client = screen_as(analyst)
    assert client.get("/euc/").status_code == 200                   # may extract …
    response = client.get("/euc/approvals/")                        # … but not approve
    assert response.status_code == 403 and "EUC出力の承認" in response.content.decode()
    assert OperationLog.objects.filter(username="analyst", outcome=REFUSED).count() == 1
    home = client.get("/").content.decode()
    assert 'href="/euc/"' in home and "/euc/approvals/" not in home
