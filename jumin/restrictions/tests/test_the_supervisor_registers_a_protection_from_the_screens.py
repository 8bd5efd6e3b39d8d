"""The supervisor registers a 支援措置 on /restrictions/protections/new/?person=…: the applicant's record is shown,
offenders' birth dates are typed in 和暦 or 西暦, the period defaults to 1 year; a refusal keeps every typed
value, puts the message next to its field, writes nothing and is logged."""

from jumin.audit.models import OperationLog
from jumin.register.models import Resident
from jumin.restrictions import models as m
from jumin.restrictions.rules import default_end

from .conftest import state


def _form(hanako, **extra):
    return {"addressee_number": hanako.addressee_number, "kind": "dv", "starts_on": "R6.4.1",
            "bool:inspection": ["", "on"], "bool:copies": ["", "on"], "bool:family_register_annex": [""],
            "bool:provisional": [""], "applicant_phone": "090-1111-2222",
            "protected_persons[0].addressee_number": Resident.objects.get(name="山田 一郎").addressee_number,
            "protected_persons[0].relationship": "子",
            "offenders[0].name": "佐藤 健二", "offenders[0].name_kana": "サトウ ケンジ",
            "offenders[0].birth_date": "S50.1.1", "offenders[0].sex": "1",
            "offenders[0].address": "東京都千代田区千代田2番2号", **extra}


def test_the_form_shows_the_applicant_and_the_default_period(hanako, supervisor, client):
    client.force_login(supervisor)
    page = client.get("/restrictions/protections/new/", {"person": hanako.addressee_number})
    text = page.content.decode()
    assert page.status_code == 200
    assert "山田 花子" in text and hanako.address in text and 'name="offenders[0].name"' in text
    assert "山田 一郎" in text                                        # household members to pick from
    assert 'name="bool:copies" checked' in text and 'name="bool:provisional" checked' not in text   # defaults


def test_the_supervisor_registers_a_protection_and_lands_on_its_detail(hanako, supervisor, client):
    client.force_login(supervisor)
    response = client.post("/restrictions/protections/new/", _form(hanako))
    order = m.ProtectionOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/restrictions/protections/{order.pk}/"
    assert (order.kind, order.copies, order.family_register_annex, order.applicant_phone) == ("dv", True, False,
                                                                                              "090-1111-2222")
    assert order.ends_on == default_end(order.starts_on) and order.starts_on.isoformat() == "2024-04-01"
    offender = order.offenders.get()
    assert offender.birth_date.isoformat() == "1975-01-01" and offender.kana_key
    assert order.protected_persons.get().relationship == "子"
    logged = OperationLog.objects.filter(function="protection.register", outcome="ok")
    assert {row.addressee_number for row in logged} == {hanako.addressee_number,
                                                       order.protected_persons.get().addressee_number}
    detail = client.get(response["Location"]).content.decode()
    assert "支援措置を登録しました" in detail and "佐藤 健二" in detail and "昭和50年1月1日" in detail
    assert "令和6年4月1日〜令和7年3月31日" in detail and "登録" in detail


def test_a_western_birth_date_is_accepted_too(hanako, supervisor, client):
    client.force_login(supervisor)
    client.post("/restrictions/protections/new/", _form(hanako, **{"offenders[0].birth_date": "1975/1/1"}))
    assert m.Offender.objects.get().birth_date.isoformat() == "1975-01-01"


def test_a_refusal_keeps_what_was_typed_and_writes_nothing(hanako, supervisor, client):
    client.force_login(supervisor)
    before = state()
    response = client.post("/restrictions/protections/new/", _form(hanako, **{
        "offenders[0].name": "", "offenders[1].name": "鈴木 一", "offenders[1].birth_date": "昭和99年13月1日"}))
    text = response.content.decode()
    assert response.status_code == 422
    assert 'id="f-offenders-0-name-error"' in text and "加害者の氏名を入力してください。" in text
    assert 'value="サトウ ケンジ"' in text and 'value="S50.1.1"' in text and 'value="鈴木 一"' in text
    assert 'value="090-1111-2222"' in text and 'name="offenders[1].name"' in text
    assert state() == before
    log = OperationLog.objects.get(function="protection.register")
    assert log.outcome == "refused" and log.reason == "加害者の氏名を入力してください。"


def test_no_operation_chosen_is_refused_next_to_the_checkboxes(hanako, supervisor, client):
    client.force_login(supervisor)
    before = state()
    response = client.post("/restrictions/protections/new/", _form(hanako, **{
        "bool:inspection": [""], "bool:copies": [""], "bool:family_register_annex": [""]}))
    assert response.status_code == 422 and 'id="f-bool-copies-error"' in response.content.decode()
    assert 'href="#f-bool-copies"' in response.content.decode()
    assert "対象事務（閲覧・住民票の写し等・戸籍の附票の写し等）を1つ以上選んでください。" in response.content.decode()
    assert state() == before
    assert OperationLog.objects.get(function="protection.register").outcome == "refused"


def test_an_unknown_applicant_number_is_said_next_to_the_number(family, supervisor, client):
    client.force_login(supervisor)
    page = client.get("/restrictions/protections/new/", {"person": "0000099999"})
    text = page.content.decode()
    assert "見つかりません" in text and 'aria-invalid="true"' in text and 'id="protection-form"' not in text
