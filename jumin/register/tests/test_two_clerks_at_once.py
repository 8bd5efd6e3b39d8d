"""Two clerks change the same household at the same moment (issue #2 item 7).

Real concurrent transactions in two threads, each with its own database connection: clerk A holds its
row locks (inside an outer transaction) until clerk B is blocked on them, then commits. B must get a
conflict, or — when B did not say which version it saw — apply on top of A's result. No update is lost.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from conftest import actor, family_params
from jumin.core.errors import ConflictError
from jumin.core.models import Municipality
from jumin.register.actions import do_move_in, do_relocate
from jumin.register.models import Household, Resident, ResidentHistory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def household(clerk, clerk2):
    Municipality.objects.create(code="041009", name="仙台市", prefecture="宮城県", draft_required=False)
    do_move_in(family_params(), actor=actor(clerk))
    return Household.objects.get()


def relocation(household, address, version=None):
    params = {"household_number": household.household_number, "effective_on": "R6.5.1", "notified_on": "R6.5.2",
              "address": {"address": address}}
    if version is not None:
        params["expected_versions"] = {"households": {household.household_number: version}}
    return params


def run_overlapping(first, second):
    """Run `first` in a transaction held open until `second` has started waiting, then commit."""
    outcome = {}
    started = threading.Event()

    def clerk_a():
        try:
            with transaction.atomic():
                outcome["a"] = first()
                started.set()
                time.sleep(0.5)   # B is now blocked on our row locks
        except Exception as exc:  # noqa: BLE001 - recorded for the assertion
            outcome["a"] = exc
        finally:
            started.set()
            connection.close()

    def clerk_b():
        started.wait(10)
        try:
            outcome["b"] = second()
        except Exception as exc:  # noqa: BLE001
            outcome["b"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk_a), threading.Thread(target=clerk_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcome


def test_the_second_clerk_working_from_the_same_version_gets_a_conflict(household, clerk, clerk2):
    version = household.version
    outcome = run_overlapping(
        lambda: do_relocate(relocation(household, "宮城県仙台市泉区泉中央一丁目1番1号", version), actor=actor(clerk)),
        lambda: do_relocate(relocation(household, "宮城県仙台市太白区長町五丁目2番1号", version), actor=actor(clerk2)),
    )
    assert not isinstance(outcome["a"], Exception), outcome["a"]
    assert isinstance(outcome["b"], ConflictError), outcome["b"]
    assert "他の職員が更新しました" in outcome["b"].message
    assert set(Resident.objects.values_list("address", flat=True)) == {"宮城県仙台市泉区泉中央一丁目1番1号"}
    assert ResidentHistory.objects.count() == 6          # 3 move-in + 3 relocation, nothing from B


def test_without_a_version_the_second_change_applies_on_top_of_the_first_and_nothing_is_lost(household, clerk,
                                                                                             clerk2):
    outcome = run_overlapping(
        lambda: do_relocate(relocation(household, "宮城県仙台市泉区泉中央一丁目1番1号"), actor=actor(clerk)),
        lambda: do_relocate(relocation(household, "宮城県仙台市太白区長町五丁目2番1号"), actor=actor(clerk2)),
    )
    assert not isinstance(outcome["a"], Exception), outcome["a"]
    assert not isinstance(outcome["b"], Exception), outcome["b"]
    taro = Resident.objects.get(name="山田 太郎")
    history = list(ResidentHistory.objects.filter(addressee_number=taro.addressee_number)
                   .order_by("history_number").values_list("history_number", "address"))
    assert history == [(1, "宮城県仙台市青葉区一番町四丁目7番17号"), (2, "宮城県仙台市泉区泉中央一丁目1番1号"),
                       (3, "宮城県仙台市太白区長町五丁目2番1号")]
    assert taro.address == "宮城県仙台市太白区長町五丁目2番1号" and taro.history_number == 3
