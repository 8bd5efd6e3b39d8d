"""A clerk who cannot get the locks in time gets a clear conflict (409), and nothing is written."""

import threading

import pytest
from django.db import connection, transaction
from django.db.models import F

from conftest import actor, family_params, register_state
from jumin.core.errors import ConflictError
from jumin.core.models import Municipality
from jumin.register.actions import do_move_in, do_relocate
from jumin.register.models import Household

pytestmark = pytest.mark.django_db(transaction=True)


def short_lock_wait():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
    else:
        connection.ensure_connection()
        connection.connection.execute("PRAGMA busy_timeout = 200")


def test_waiting_too_long_for_another_clerk_is_refused_as_a_conflict(clerk, clerk2):
    Municipality.objects.create(code="041009", name="仙台市", prefecture="宮城県", draft_required=False)
    do_move_in(family_params(), actor=actor(clerk))
    household = Household.objects.get().household_number
    before = register_state()
    holding, done = threading.Event(), threading.Event()

    def clerk_a_holds_the_household():
        with transaction.atomic():
            list(Household.objects.select_for_update().filter(household_number=household))
            if connection.vendor == "sqlite":   # take SQLite's write lock too
                Household.objects.filter(household_number=household).update(version=F("version"))
            holding.set()
            done.wait(10)
        connection.close()

    outcome = {}

    def clerk_b_relocates():
        holding.wait(10)
        short_lock_wait()
        try:
            do_relocate({"household_number": household, "effective_on": "R6.5.1", "notified_on": "R6.5.2",
                         "address": {"address": "宮城県仙台市泉区泉中央一丁目1番1号"}}, actor=actor(clerk2))
        except Exception as exc:  # noqa: BLE001 - recorded for the assertion
            outcome["b"] = exc
        finally:
            done.set()
            connection.close()

    threads = [threading.Thread(target=clerk_a_holds_the_household), threading.Thread(target=clerk_b_relocates)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert isinstance(outcome.get("b"), ConflictError), outcome
    assert "同時" in outcome["b"].message
    assert register_state() == before
