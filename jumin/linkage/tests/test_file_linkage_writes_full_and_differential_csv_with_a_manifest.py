"""File linkage (issue #18 item 4): for a 連携先 delivered by file, `jumin linkage export --full` writes every current
record with its items, `jumin linkage export` the events since the last run — CSV in UTF-8 with the dictionary's
Japanese names as the header and IVS kept, renamed into place whole, with a manifest line (file, rows, SHA-256).
A second run with nothing new writes nothing; an unreachable place records a failed run, advances nothing, and the
next run sends the same events again — nothing lost, nothing twice."""

import csv
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from conftest import _user, actor
from jumin.accounts import rules as perms
from jumin.linkage.actions import do_add_linkage_client, do_export_files
from jumin.linkage.models import LinkageRun
from jumin.register.actions import do_correct_record, do_relocate
from jumin.register.models import Resident

IVS_NAME = "葛\U000E0102西 太郎"     # an MJ IVS: kept byte for byte


def _rows(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.fixture
def tax(family, tmp_path):
    admin = _user("admin", perms.ADMIN, "管理 四郎")
    client, _ = do_add_linkage_client({"business": "010", "name": "個人住民税", "items": ["name", "address"],
                                       "methods": ["file"], "directory": str(tmp_path)}, actor=actor(admin))
    return client, admin, tmp_path


def test_a_full_file_then_the_differences(tax, clerk):
    client, admin, place = tax
    full = do_export_files(client.client_id, actor=actor(admin), full=True)
    rows = _rows(place / full.file_name)
    assert rows[0] == ["区分", "宛名番号", "氏名", "住所"] and len(rows) == 4 and full.to_seq == 3
    assert (place / "manifest.csv").read_text(encoding="utf-8").splitlines()[1].split(",") == \
        [full.file_name, "3", hashlib.sha256((place / full.file_name).read_bytes()).hexdigest()]

    assert do_export_files(client.client_id, actor=actor(admin)).file_name == ""        # nothing new
    head = Resident.objects.get(name="山田 太郎")
    do_correct_record({"addressee_number": head.addressee_number, "correction_kind": "ex_officio_correction",
                       "effective_on": "R6.6.3", "reason": "本籍地からの通知", "items": {"name": IVS_NAME}},
                      actor=actor(clerk))
    diff = do_export_files(client.client_id, actor=actor(admin))
    rows = _rows(place / diff.file_name)
    assert rows[0][:7] == ["通番", "区分", "異動の種類", "異動事由", "宛名番号", "異動年月日", "記録日時"]
    assert [r[0] for r in rows[1:]] == ["4", "5", "6"] and diff.from_seq == 3 and diff.to_seq == 6
    mine = next(r for r in rows[1:] if r[4] == head.addressee_number)
    assert mine[7] == IVS_NAME and mine[3] == "ex_officio_correction"
    assert not list(place.glob(".*.partial"))


def test_an_unreachable_place_loses_nothing(tax, clerk, tmp_path):
    client, admin, place = tax
    do_export_files(client.client_id, actor=actor(admin), full=True)
    household = Resident.objects.get(name="山田 太郎").household_number
    do_relocate({"household_number": household, "effective_on": "R6.5.1", "notified_on": "R6.5.1",
                 "address": {"postcode": "9813204", "address": "宮城県仙台市泉区寺岡一丁目1番1号"}}, actor=actor(clerk))
    client.directory = str(tmp_path / "the share is down")
    client.save()
    failed = do_export_files(client.client_id, actor=actor(admin))
    assert not failed.ok and "書けませんでした" in failed.message
    with pytest.raises(CommandError, match="書けませんでした"):
        call_command("linkage", "export", "--client", client.client_id)
    client.directory = str(place)
    client.save()
    again = do_export_files(client.client_id, actor=actor(admin))
    assert again.ok and again.from_seq == 3 and [r[0] for r in _rows(place / again.file_name)[1:]] == ["4", "5", "6"]
    assert LinkageRun.objects.filter(ok=False).count() == 2
    assert do_export_files(client.client_id, actor=actor(admin)).rows == 0                 # and not twice


def test_a_client_without_file_linkage_or_a_clerk_is_refused(tax, clerk):
    from jumin.core.errors import PermissionDenied, RuleViolation

    client, admin, _ = tax
    pull, _ = do_add_linkage_client({"business": "024", "name": "国民健康保険", "items": ["name"]}, actor=actor(admin))
    with pytest.raises(RuleViolation, match="ファイル連携の設定がありません"):
        do_export_files(pull.client_id, actor=actor(admin))
    with pytest.raises(PermissionDenied):
        do_export_files(client.client_id, actor=actor(clerk))
    assert not LinkageRun.objects.exists()
