"""Reconciliation (issue #18 item 6): for a day, `GET /api/linkage/v1/reconciliation?date=` gives a 連携先 the number
of events recorded, the first and last numbers, the persons named and a checksum of the entries as it receives them;
a consumer that computes the checksum over what it pulled gets the same value, and a missing or altered entry shows.
A bad or future date is refused (422, logged)."""

from django.test import Client
from django.utils import timezone

from conftest import actor
from jumin.linkage.rules import entry_digest
from jumin.linkage.tests.test_a_tax_system_pulls_a_relocation_made_a_second_earlier import MOVE, _feed, _register, _token
from jumin.register.actions import do_relocate
from jumin.register.models import Resident


def _reconcile(token, day):
    return Client().get("/api/linkage/v1/reconciliation", {"date": day}, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_consumer_and_the_provider_agree_on_the_day(family, clerk, admin):
    token = _token(*_register("--business", "010", "--name", "個人住民税", "--items", "name,address"))
    household = Resident.objects.get(name="山田 太郎").household_number
    do_relocate({"household_number": household, **MOVE}, actor=actor(clerk))
    pulled = _feed(token).json()["events"]
    today = timezone.localdate().isoformat()
    account = _reconcile(token, today).json()
    assert account["events"] == len(pulled) == 6 and account["first"] == 1 and account["last"] == 6
    assert account["persons"] == 3 and account["checksum"] == entry_digest(pulled)
    assert entry_digest(pulled[:-1]) != account["checksum"]                         # a lost entry shows
    assert _reconcile(token, "2020-01-01").json()["events"] == 0
    assert _reconcile(token, "R99.1.1").status_code == 422 and _reconcile(token, "x").status_code == 422
