"""Folded keys live in indexed columns, written by the change actions — never computed over the table at
query time — and the bulk rebuild gives exactly the same keys (issue #3 item 5)."""

from conftest import family_params
from jumin.search.bulk import reindex_all
from jumin.search.models import SearchKey


def keys():
    return sorted(SearchKey.objects.values_list("addressee_number", "kind", "key", "current", "living"))


def test_a_change_writes_the_keys_and_a_refused_change_writes_none(single_step, clerk, api_as):
    assert api_as(clerk).post("/changes/move-in", family_params()).status_code == 201
    written = keys()
    assert {kind for _, kind, *_ in written} >= {"name", "name_given", "kana", "kana_given", "address"}
    params = family_params()
    params["members"][0]["birth_date"] = "2099-01-01"
    assert api_as(clerk).post("/changes/move-in", params).status_code == 422
    assert keys() == written


def test_the_bulk_rebuild_gives_the_same_keys_as_the_actions(family, clerk, api_as):
    from jumin.register.models import Resident

    household = Resident.objects.first().household_number
    response = api_as(clerk).post("/changes/relocation", {"household_number": household, "effective_on": "R6.5.1",
                                                          "notified_on": "R6.5.1",
                                                          "address": {"address": "宮城県仙台市泉区"}})
    assert response.status_code == 201
    incremental = keys()
    result = reindex_all()
    assert keys() == incremental and result["keys"] == len(incremental)
