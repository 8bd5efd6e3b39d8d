"""連携先 as data (issue #18 item 2): an administrator registers a tax system from the CLI with its 業務ID, the items
it may receive (the data dictionary's names), whether it gets 除票 and 支援措置 persons and how it is delivered to;
the client ID and secret are printed once and only the secret's hash is kept. Refused with nothing written and the
refusal logged: an unknown 業務ID or item, the 個人番号 for a 業務 that is not a 番号利用事務 (番号法 別表), file
linkage without a place, a role without the right; a revoked client stays listed as 失効."""

import io

import pytest
from django.core.management import CommandError, call_command

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.core.errors import PermissionDenied, RuleViolation
from jumin.linkage.actions import ADD_CLIENT, do_add_linkage_client, do_revoke_linkage_client, hash_secret
from jumin.linkage.models import LinkageClient


def test_a_tax_system_is_registered_and_its_secret_printed_once(admin):
    out = io.StringIO()
    call_command("linkage", "client", "add", "--business", "010", "--name", "個人住民税",
                 "--items", "name,name_kana,birth_date,sex,address,individual_number", "--removed", stdout=out)
    printed = out.getvalue()
    client = LinkageClient.objects.get()
    assert client.client_id == "010-01" and f"client_id: {client.client_id}" in printed
    secret = printed.split("client_secret: ")[1].split()[0]
    assert client.secret_hash == hash_secret(secret) and secret not in str(list(LinkageClient.objects.values()))
    assert client.items == ["name", "name_kana", "birth_date", "sex", "address", "individual_number"]
    assert client.receives_removed and not client.receives_protected and client.methods == ["pull"]
    assert secret not in str(list(OperationLog.objects.values()))
    listed = io.StringIO()
    call_command("linkage", "client", "list", stdout=listed)
    assert "010-01\t個人住民税\t有効" in listed.getvalue()
    call_command("linkage", "client", "revoke", "010-01")
    listed = io.StringIO()
    call_command("linkage", "client", "list", stdout=listed)
    assert "010-01\t個人住民税\t失効" in listed.getvalue()


@pytest.mark.parametrize("data, code", [
    ({"business": "999", "name": "x", "items": ["name"]}, "unknown_business"),
    ({"business": "010", "name": "", "items": ["name"]}, "required"),
    ({"business": "010", "name": "個人住民税", "items": []}, "required"),
    ({"business": "010", "name": "個人住民税", "items": ["nickname"]}, "unknown_item"),
    ({"business": "006", "name": "選挙人名簿", "items": ["name", "individual_number"]}, "individual_number_not_allowed"),
    ({"business": "010", "name": "個人住民税", "items": ["name"], "methods": ["fax"]}, "unknown_method"),
    ({"business": "010", "name": "個人住民税", "items": ["name"], "methods": ["file"]}, "required"),
])
def test_bad_clients_are_refused_with_nothing_written(admin, data, code):
    with pytest.raises(RuleViolation) as refused:
        do_add_linkage_client(data, actor=actor(admin))
    assert refused.value.code == code and any("\u3040" <= ch <= "\u9fff" for ch in refused.value.message)
    assert not LinkageClient.objects.exists()
    assert OperationLog.objects.filter(function=ADD_CLIENT, outcome="refused").count() == 1


def test_a_role_without_the_right_may_not_register_or_revoke(admin, clerk):
    client, _ = do_add_linkage_client({"business": "024", "name": "国民健康保険", "items": ["name"]}, actor=actor(admin))
    with pytest.raises(PermissionDenied):
        do_add_linkage_client({"business": "010", "name": "個人住民税", "items": ["name"]}, actor=actor(clerk))
    with pytest.raises(PermissionDenied):
        do_revoke_linkage_client(client.client_id, actor=actor(clerk))
    with pytest.raises(CommandError):
        call_command("linkage", "client", "add", "--business", "010", "--name", "x", "--items", "name",
                     "--user", "clerk")
    assert LinkageClient.objects.count() == 1 and LinkageClient.objects.get().revoked_at is None
    with pytest.raises(RuleViolation):
        do_revoke_linkage_client("999-01", actor=actor(admin))
