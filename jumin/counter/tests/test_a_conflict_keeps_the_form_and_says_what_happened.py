"""Two clerks on the same household: the second one's screen says so and keeps what was typed (issue #4)."""

import html
import re

from conftest import actor
from jumin.register.actions import do_relocate
from jumin.register.models import Resident


def test_registering_from_a_stale_screen_is_a_conflict_with_the_form_kept(family, client, clerk, clerk2):
    client.force_login(clerk)
    household = Resident.objects.first().household_number
    form = client.get(f"/counter/changes/relocation/?household={household}").content.decode()
    assert f'name="expected_versions.households.{household}"' in form
    version = re.search(rf'name="expected_versions.households.{household}" value="(\d+)"', form).group(1)
    confirm = client.post("/counter/changes/relocation/", {
        "household_number": household, f"expected_versions.households.{household}": version,
        "address.address": "宮城県仙台市泉区泉中央一丁目1番1号", "effective_on": "R6.5.1", "notified_on": "R6.5.2",
        "step": "confirm"}).content.decode()
    params = html.unescape(re.search(r'name="params_json" value="([^"]*)"', confirm).group(1))
    # meanwhile another clerk moves the household elsewhere
    do_relocate({"household_number": household, "effective_on": "R6.5.1", "notified_on": "R6.5.2",
                 "address": {"address": "宮城県仙台市太白区長町五丁目2番1号"}}, actor=actor(clerk2))
    response = client.post("/counter/changes/relocation/", {"step": "submit", "params_json": params,
                                                            "idempotency_key": "k1"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "他の職員が更新しました" in page and "宮城県仙台市泉区泉中央一丁目1番1号" in page
    assert set(Resident.objects.values_list("address", flat=True)) == {"宮城県仙台市太白区長町五丁目2番1号"}
