"""Rights checked in actions and queries; 個人番号 shown only on purpose to allowed roles, and logged."""

import logging

from conftest import actor, family_params, register_state
from jumin.audit.models import OperationLog
from jumin.register.actions import do_move_in
from jumin.register.models import Resident


def test_a_viewer_may_read_but_not_change_the_register(family, viewer, api_as):
    taro = Resident.objects.get(name="山田 太郎")
    assert api_as(viewer).get(f"/residents/{taro.addressee_number}").status_code == 200
    before = register_state()
    response = api_as(viewer).post("/changes/move-in", family_params())
    assert response.status_code == 403 and "権限" in response.json()["error"]["message"]
    assert register_state() == before


def test_actions_check_rights_even_when_called_without_the_api(single_step, auditor):
    import pytest

    from jumin.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        do_move_in(family_params(), actor=actor(auditor))
    assert Resident.objects.count() == 0


def test_an_auditor_cannot_read_resident_records(family, auditor, api_as):
    taro = Resident.objects.get(name="山田 太郎")
    assert api_as(auditor).get(f"/residents/{taro.addressee_number}").status_code == 403
    assert OperationLog.objects.filter(function="record.view", username="auditor", outcome="refused").exists()


def test_the_individual_number_is_masked_unless_asked_for(family, clerk, api_as):
    taro = Resident.objects.get(name="山田 太郎")
    record = api_as(clerk).get(f"/residents/{taro.addressee_number}").json()
    assert record["individual_number"] == "************"
    log = OperationLog.objects.filter(function="record.view").latest("pk")
    assert log.individual_number_shown is False and log.addressee_number == taro.addressee_number
    shown = api_as(clerk).get(f"/residents/{taro.addressee_number}", show_individual_number="true",
                              reason="住民票の写し（個人番号あり）の請求").json()
    assert shown["individual_number"] == "123456789018"
    log = OperationLog.objects.filter(function="record.view").latest("pk")
    assert log.individual_number_shown is True and log.terminal == "T-001" and "請求" in log.reason


def test_a_role_that_may_not_see_the_individual_number_is_refused_and_logged(family, viewer, api_as):
    taro = Resident.objects.get(name="山田 太郎")
    response = api_as(viewer).get(f"/residents/{taro.addressee_number}", show_individual_number="true")
    assert response.status_code == 403
    assert "123456789018" not in response.content.decode()
    assert OperationLog.objects.filter(username="viewer", outcome="refused", addressee_number=taro.addressee_number).exists()


def test_the_individual_number_never_reaches_the_application_log(single_step, clerk, api_as, caplog):
    params = family_params()
    params["members"][0]["individual_number"] = "123456789012"   # wrong check digit: refused and logged
    with caplog.at_level(logging.DEBUG):
        api_as(clerk).post("/changes/move-in", params)
        logging.getLogger("jumin").warning("echo %s", "123456789018")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "123456789012" not in text and "123456789018" not in text


def test_without_a_login_or_token_the_api_refuses(family, client):
    taro = Resident.objects.get(name="山田 太郎")
    response = client.get(f"/api/residents/{taro.addressee_number}")
    assert response.status_code == 401
