"""The answer to an entry names the change's persons from what the action has just written, without reading
them back (issue #15 item 12); it must be the same list a later `GET /changes/{id}` reads from the table —
also when the change is applied at once and creates the persons (single-step 転入), and after a draft is edited."""

from conftest import family_params


def read_back(api, change_id):
    response = api.get(f"/changes/{change_id}")
    assert response.status_code == 200, response.content
    return response.json()["subjects"]


def test_a_single_step_move_in_names_the_persons_it_created(single_step, clerk, api_as):
    api = api_as(clerk)
    answer = api.post("/changes/move-in", family_params()).json()
    assert answer["status"] == "approved"
    assert len(answer["subjects"]) == 3
    assert answer["subjects"] == answer["result"]["created"] == read_back(api, answer["id"])


def test_a_draft_and_its_edit_name_the_same_persons_as_the_table(family, municipality, clerk, api_as):
    municipality.draft_required = True
    municipality.save()
    api = api_as(clerk)
    household = family["households"][0]
    body = {"household_number": household, "effective_on": "R6.6.1", "notified_on": "R6.6.1",
            "address": {"postcode": "9800811", "address": "宮城県仙台市青葉区一番町一丁目1番1号"}}
    entered = api.post("/changes/relocation", body).json()
    assert entered["status"] == "draft"
    assert sorted(entered["subjects"]) == sorted(family["created"])
    assert entered["subjects"] == read_back(api, entered["id"])
    edited = api.put(f"/changes/{entered['id']}", {"params": {**body, "effective_on": "R6.6.2", "notified_on": "R6.6.2"},
                                                     "expected_version": entered["version"]})
    assert edited.status_code == 200, edited.content
    assert edited.json()["subjects"] == read_back(api, entered["id"]) == entered["subjects"]
