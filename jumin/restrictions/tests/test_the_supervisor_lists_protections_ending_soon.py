"""/restrictions/protections/: every order in force, or only those ending within 30 days (overdue ones too:
an end date passing ends nothing), or those of one 宛名番号; alerts for ending soon and expired orders."""

from datetime import timedelta

from django.utils import timezone

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.register.models import Resident
from jumin.restrictions.actions import do_register_protection


def _order(supervisor, resident, starts_days_ago: int, kind="dv"):
    start = timezone.localdate() - timedelta(days=starts_days_ago)
    return do_register_protection({"addressee_number": resident.addressee_number, "kind": kind,
                                   "starts_on": start.isoformat()}, actor=actor(supervisor))


def test_the_list_shows_alerts_and_filters_those_ending_soon(family, hanako, supervisor, client):
    taro, ichiro = Resident.objects.get(name="山田 太郎"), Resident.objects.get(name="山田 一郎")
    far = _order(supervisor, hanako, 10)
    soon = _order(supervisor, taro, 350, kind="stalker")
    overdue = _order(supervisor, ichiro, 400, kind="child_abuse")
    client.force_login(supervisor)

    everything = client.get("/restrictions/protections/").content.decode()
    assert all(f'/restrictions/protections/{o.pk}/"' in everything for o in (far, soon, overdue))
    assert "終了日を過ぎても終了処理がされていない支援措置が 1 件あります" in everything
    assert "期間の終了まで1か月を切った支援措置が 1 件あります" in everything
    assert "終了日経過" in everything and "終了間近" in everything

    ending = client.get("/restrictions/protections/", {"ending_soon": "on"}).content.decode()
    assert f'/restrictions/protections/{soon.pk}/"' in ending and f'/restrictions/protections/{overdue.pk}/"' in ending
    assert f'/restrictions/protections/{far.pk}/"' not in ending
    assert OperationLog.objects.filter(function="protection.list", username="supervisor").exists()


def test_the_list_of_one_person_and_the_htmx_rows(family, hanako, supervisor, client):
    taro = Resident.objects.get(name="山田 太郎")
    hers = _order(supervisor, hanako, 10)
    his = _order(supervisor, taro, 10)
    client.force_login(supervisor)
    rows = client.get("/restrictions/protections/", {"person": hanako.addressee_number}, HTTP_HX_REQUEST="true")
    text = rows.content.decode()
    assert "<html" not in text                                   # only the table, for htmx to swap in
    assert f'/restrictions/protections/{hers.pk}/"' in text and f'/restrictions/protections/{his.pk}/"' not in text
