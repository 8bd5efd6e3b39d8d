"""The API of 住登外宛名 (共通機能 §2.3.4: other systems must be able to get and assign numbers): a tax system's token
registers a landowner (201, the new 宛名番号), reads the record with its history, changes it with the 版 it read
(409 with a stale one) and retires it; a viewer's token reads but gets 403 for a registration, with nothing written;
bad input is 422 naming the field; an unknown number is 404."""

from jumin.addressees.models import NonResident
from jumin.addressees.tests.conftest import PROPERTY_TAX, landowner, state


def test_a_tax_system_registers_reads_changes_and_retires(db, clerk, api_as):
    api = api_as(clerk)
    created = api.post("/addressees", {**landowner(), "business": PROPERTY_TAX})
    assert created.status_code == 201, created.content
    body = created.json()
    number = body["addressee_number"]
    assert body["state"] == "in_use" and body["individual_number"] == "************"
    assert body["business_label"] == "固定資産税" and [h["history_number"] for h in body["history"]] == [1]

    read = api.get(f"/addressees/{number}", show_individual_number="true").json()
    assert read["individual_number"] == "234567890121" and read["version"] == 1

    changed = api.post(f"/addressees/{number}/changes", {"items": {"name_kana": "ヤマダ タロー"}, "version": 1,
                                                          "reason": "フリガナの訂正"})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = api.post(f"/addressees/{number}/changes", {"items": {"contact": "x"}, "version": 1})
    assert stale.status_code == 409 and stale.json()["error"]["message"]

    retired = api.post(f"/addressees/{number}/retirement", {"reason": "納税義務の消滅", "version": 2})
    assert retired.status_code == 200 and retired.json()["state"] == "retired"
    assert [h["reason_code"] for h in retired.json()["history"]] == ["retired", "changed", "registered"]


def test_a_viewer_reads_but_may_not_register(db, clerk, viewer, api_as):
    number = api_as(clerk).post("/addressees", {**landowner(), "business": PROPERTY_TAX}).json()["addressee_number"]
    api = api_as(viewer)
    assert api.get(f"/addressees/{number}").status_code == 200
    before = state()
    refused = api.post("/addressees", {**landowner(individual_number=""), "business": PROPERTY_TAX})
    assert refused.status_code == 403 and "住登外者" in refused.json()["error"]["message"]
    assert state() == before


def test_bad_input_is_422_naming_the_field_and_an_unknown_number_is_404(db, clerk, api_as):
    api = api_as(clerk)
    before = state()
    missing = api.post("/addressees", {**landowner(name=""), "business": PROPERTY_TAX})
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "name"
    unknown = api.post("/addressees", {**landowner(), "business": PROPERTY_TAX, "nickname": "x"})
    assert unknown.status_code == 422
    assert api.post("/addressees", {**landowner(), "business": "999"}).status_code == 422
    assert state() == before and not NonResident.objects.exists()
    assert api.get("/addressees/9999999999").status_code == 404


def test_another_system_searches_candidates_before_numbering(family, clerk, viewer, api_as):
    number = api_as(clerk).post("/addressees", {**landowner(), "business": PROPERTY_TAX}).json()["addressee_number"]
    found = api_as(viewer).get("/addressees/candidates", business="010", kana="ﾔﾏﾀﾞ ﾀﾛｳ")
    assert found.status_code == 200, found.content
    body = found.json()
    assert [r["population"] for r in body["registered"]] == ["resident"]
    assert [r["addressee_number"] for r in body["non_residents"]] == [number]
    assert body["criteria"]["match"] == "exact" and body["business"] == "010"
    before = state()
    missing = api_as(viewer).get("/addressees/candidates", kana="ヤマダ タロウ")
    assert missing.status_code == 422
    too_broad = api_as(viewer).get("/addressees/candidates", business="010", kana="ヤ")
    assert too_broad.status_code == 422 and too_broad.json()["error"]["field"] == "kana"
    assert state() == before
