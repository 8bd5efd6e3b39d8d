"""A dataset or an item the role may not extract is refused with a Japanese message, nothing written, the refusal
logged (issue #16 item 5; rights from jumin.core.dictionary.allowed_items): a viewer has no EXTRACT_DATA, the
analyst may list residents but not 交付履歴 or 印鑑登録 (their entities need view_issuances / register_seal) and never
個人番号; an approver who may see 個人番号 must still ask for it (include_individual_number)."""

import pytest

from conftest import actor
from jumin.audit.models import REFUSED, OperationLog
from jumin.core.errors import PermissionDenied, RuleViolation
from jumin.euc import actions, catalogue, queries
from jumin.euc.tests.conftest import euc_state

LIST = {"dataset": "residents", "items": ["name", "individual_number"]}


def test_a_viewer_may_not_extract_anything(city, viewer, api_as):
    before = euc_state()
    response = api_as(viewer).post("/euc/run", {"query": {"dataset": "residents", "items": ["name"]}, "output": "csv"})
    assert response.status_code == 403
    assert "データ抽出・EUC" in response.json()["error"]["message"]
    assert api_as(viewer).get("/euc/datasets").status_code == 403
    assert euc_state() == before
    assert OperationLog.objects.filter(function="euc.run", outcome=REFUSED, username="viewer").exists()


@pytest.mark.parametrize("dataset", ["issuances", "seals"])
def test_the_analyst_may_not_extract_issuances_or_seals(city, analyst, api_as, dataset):
    before = euc_state()
    query = {"dataset": dataset, "items": ["id"], **({"period": {"from": "R8.4.1", "to": "R8.4.30"}}
                                                     if dataset == "issuances" else {})}
    response = api_as(analyst).post("/euc/preview", {"query": query})
    assert response.status_code == 403
    assert "を抽出する権限がありません" in response.json()["error"]["message"]
    assert euc_state() == before
    assert OperationLog.objects.filter(function="euc.preview", outcome=REFUSED, username="analyst").exists()
    assert dataset not in {d["code"] for d in catalogue.datasets(analyst)}


def test_the_analyst_never_gets_the_individual_number(city, analyst):
    before = euc_state()
    with pytest.raises(PermissionDenied, match="個人番号を表示する権限がない"):
        actions.do_run_euc({**LIST, "include_individual_number": True}, "csv", actor=actor(analyst))
    assert euc_state() == before
    assert OperationLog.objects.filter(function="euc.run", outcome=REFUSED, username="analyst").exists()
    items = {i["name"] for d in catalogue.datasets(analyst) for i in d["items"]}
    assert "individual_number" not in items and "name" in items


def test_an_approver_must_ask_for_the_individual_number(city, approver, api_as):
    before = euc_state()
    with pytest.raises(RuleViolation, match="include_individual_number を true に") as refused:
        queries.preview(LIST, actor=actor(approver))
    assert not isinstance(refused.value, PermissionDenied)
    assert euc_state() == before
    assert OperationLog.objects.filter(function="euc.preview", outcome=REFUSED, username="approver").exists()
    shown = queries.preview({**LIST, "include_individual_number": True}, actor=actor(approver))
    assert "123456789018" in [row[1] for row in shown["rows"]]
