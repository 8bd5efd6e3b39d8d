"""Issue #15 item 8c: `expected_versions` naming persons or households the change does not touch, or versions
that are not whole numbers ≥ 1, were silently ignored (a lost conflict check); an unknown as-of `basis` was
read as one of the two. Both are refused with a Japanese message, nothing written, the refusal logged."""

import pytest

from conftest import actor, register_state
from jumin.audit.models import REFUSED, OperationLog
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_relocate
from jumin.register.models import Household, Resident
from jumin.register.rules import check_basis, clean_expected_versions

ADDRESS = {"address": "宮城県仙台市若林区荒井東一丁目3番地"}


def relocation(yamada, versions):
    return {"household_number": yamada["household"], "effective_on": "R6.5.1", "notified_on": "R6.5.1",
            "address": ADDRESS, "expected_versions": versions}


@pytest.mark.parametrize("versions,field", [
    ({"residents": {"9999999999": 1}}, "expected_versions.residents.9999999999"),
    ({"households": {"8888888888": 1}}, "expected_versions.households.8888888888"),
    ({"residents": {"0000000000": -1}}, None),
    ({"households": {}, "persons": {}}, "expected_versions.persons"),   # refused by the schema at the edge
], ids=["stranger", "other household", "negative", "unknown section"])
def test_the_api_refuses_them_and_writes_nothing(yamada, clerk, api_as, versions, field):
    if "0000000000" in versions.get("residents", {}):
        versions = {"residents": {yamada["head"]: -1}}
        field = f"expected_versions.residents.{yamada['head']}"
    before = register_state()
    response = api_as(clerk).post("/changes/relocation", relocation(yamada, versions))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["field"] == field
    assert any("\u3040" <= ch <= "\u9fff" for ch in error["message"])
    assert register_state() == before
    assert OperationLog.objects.filter(outcome=REFUSED, username="clerk").exists()


@pytest.mark.parametrize("versions", [["1"], {"residents": ["x"]}, {"households": {"ABC": 1}},
                                      {"households": {"0000000019": "一"}}, {"households": {"0000000019": True}}])
def test_the_action_refuses_what_a_screen_could_send(yamada, clerk, versions):
    before = register_state()
    with pytest.raises(RuleViolation) as refusal:
        do_relocate(relocation(yamada, versions), actor=actor(clerk))
    assert refusal.value.field.startswith("expected_versions")
    assert register_state() == before
    assert OperationLog.objects.filter(function="change.relocation", outcome=REFUSED).exists()


def test_the_version_of_the_household_moving_is_still_checked(yamada, clerk, api_as):
    seen = Household.objects.get(household_number=yamada["household"]).version
    head_version = Resident.objects.get(addressee_number=yamada["head"]).version
    stale = relocation(yamada, {"households": {yamada["household"]: seen + 5}})
    assert api_as(clerk).post("/changes/relocation", stale).status_code == 409
    fresh = relocation(yamada, {"households": {yamada["household"]: str(seen)},
                                "residents": {yamada["head"]: head_version}})
    fresh = api_as(clerk).post("/changes/relocation", fresh)
    assert fresh.status_code == 201, fresh.content


def test_a_viewer_may_not_relocate(yamada, viewer, api_as):
    before = register_state()
    assert api_as(viewer).post("/changes/relocation", relocation(yamada, {})).status_code == 403
    assert register_state() == before


def test_an_unknown_basis_is_refused_on_the_household_and_as_of_reads(yamada, clerk, api_as):
    client = api_as(clerk)
    household = client.get(f"/households/{yamada['household']}", basis="yesterday")
    assert household.status_code == 422 and household.json()["error"]["field"] == "basis"
    as_of = client.get(f"/residents/{yamada['head']}/as-of/2024-05-01", basis="yesterday")
    assert as_of.status_code == 422 and "effective" in as_of.json()["error"]["message"]
    refused = OperationLog.objects.filter(outcome=REFUSED, function__in=["household.view", "record.view_as_of"])
    assert set(refused.values_list("function", flat=True)) == {"household.view", "record.view_as_of"}
    assert client.get(f"/households/{yamada['household']}", basis="recorded").status_code == 200


def test_a_viewer_reads_with_a_known_basis_but_not_an_unknown_one(yamada, viewer, api_as):
    assert api_as(viewer).get(f"/residents/{yamada['head']}/as-of/2024-05-01", basis="effective").status_code == 200
    assert api_as(viewer).get(f"/residents/{yamada['head']}/as-of/2024-05-01", basis="x").status_code == 422


def test_the_pure_rules():
    assert clean_expected_versions(None) == {"residents": {}, "households": {}}
    cleaned = clean_expected_versions({"households": {"0000000019": "3"}})
    assert cleaned == {"residents": {}, "households": {"0000000019": 3}}
    assert check_basis("recorded") == "recorded"
    with pytest.raises(RuleViolation):
        check_basis("")
    with pytest.raises(RuleViolation):
        clean_expected_versions({"residents": {"0000000019": 0}})
