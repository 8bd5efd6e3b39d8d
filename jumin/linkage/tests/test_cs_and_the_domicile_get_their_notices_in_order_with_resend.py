"""本人確認情報 for 住基ネット CS and 戸籍の附票 記載事項通知 for a 本籍 elsewhere (issue #18 item 7b): an administrator
writes them in event order into the CS folder, each file with its manifest line; a person without a 住民票コード is
listed in the exceptions file, never dropped unseen; a second run writes only what is new; a resend writes a range
again under a new name and advances nothing; an unreachable folder records a failure, advances nothing, and the next
run writes it all. Refused and logged: a resend range that does not exist, a clerk."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from conftest import _user, actor
from jumin.accounts import rules as perms
from jumin.audit.models import OperationLog
from jumin.linkage.actions import WRITE_CS_NOTICES
from jumin.linkage.models import CsRun
from jumin.linkage.tests.test_a_tax_system_pulls_a_relocation_made_a_second_earlier import MOVE
from jumin.register.actions import do_relocate
from jumin.register.models import Resident


def _write(out, *extra, user="admin"):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("linkage", "cs", "notices", "--out", str(out), "--user", user, *extra, stdout=stdout, stderr=stderr)
    return stdout.getvalue()


def _rows(path):
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def _file(out, kind, resend=False):
    names = sorted(p for p in out.glob(f"*_{kind}_*.csv") if ".exceptions" not in p.name
                   and ("_resend" in p.name) == resend)
    return names[-1]


def test_the_move_in_and_the_relocation_reach_cs_and_the_domicile_in_order(family, admin, clerk, tmp_path):
    taro = Resident.objects.get(name="山田 太郎")
    _write(tmp_path)
    identity = _rows(_file(tmp_path, "identity"))
    assert identity[0][:4] == ["通番", "異動事由", "異動年月日", "住民票コード"]
    assert [row[0] for row in identity[1:]] == ["1"] and identity[1][3] == "12345678903"   # 太郎 has a code
    assert identity[1][8] == "123456789018" and identity[1][4] == "山田 太郎"
    exceptions = _rows(next(tmp_path.glob("*_identity_*.exceptions.csv")))
    assert [row[0] for row in exceptions[1:]] == ["2", "3"] and "住民票コード" in exceptions[1][2]
    fuhyo = _rows(_file(tmp_path, "fuhyo"))                     # 本籍 東京都千代田区: all three, to the 本籍地
    assert [row[0] for row in fuhyo[1:]] == ["1", "2", "3"] and fuhyo[1][3] == "東京都千代田区千代田1番"
    moved_in = _rows(_file(tmp_path, "move_in"))                # 転入通知 to the 転出地: 太郎 (the others have no code)
    assert moved_in[0][:3] == ["通番", "転入年月日", "住民票コード"] and [row[0] for row in moved_in[1:]] == ["1"]
    assert moved_in[1][7] == "東京都千代田区千代田1番1号"
    manifest = _rows(tmp_path / "manifest.csv")
    assert {row[0] for row in manifest[1:]} >= {_file(tmp_path, "identity").name, _file(tmp_path, "fuhyo").name}

    do_relocate({"household_number": taro.household_number, **MOVE}, actor=actor(clerk))
    out = _write(tmp_path)
    assert "通番 4〜6" in out
    moved = _rows(_file(tmp_path, "identity"))
    assert [row[0] for row in moved[1:]] == ["4"] and moved[1][7].startswith("宮城県仙台市泉区")
    assert [row[0] for row in _rows(_file(tmp_path, "fuhyo"))[1:]] == ["4", "5", "6"]
    assert len(list(tmp_path.glob("*_move_in_*.csv"))) == 2   # the first file and its exceptions: a 転居 is no 転入
    assert "新しい通知はありません" in _write(tmp_path)
    assert OperationLog.objects.filter(function=WRITE_CS_NOTICES, outcome="ok", addressee_number=taro.addressee_number,
                                       individual_number_shown=True).exists()


def test_a_resend_writes_the_range_again_and_advances_nothing(family, admin, tmp_path):
    _write(tmp_path)
    first = _rows(_file(tmp_path, "fuhyo"))
    _write(tmp_path, "--resend", "0-3")
    assert _rows(_file(tmp_path, "fuhyo", resend=True)) == first
    assert CsRun.objects.filter(resend=True).count() == 3
    assert "新しい通知はありません" in _write(tmp_path)


def test_an_unreachable_folder_advances_nothing_and_the_next_run_writes_it_all(family, admin, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(CommandError):
        _write(blocked)
    assert not CsRun.objects.filter(ok=True).exists()
    assert OperationLog.objects.filter(function=WRITE_CS_NOTICES, outcome="refused").exists()
    good = tmp_path / "cs"
    good.mkdir()
    _write(good)
    assert [row[0] for row in _rows(_file(good, "fuhyo"))[1:]] == ["1", "2", "3"]


def test_a_protected_person_is_flagged_for_cs_to_restrict(family, admin, tmp_path):
    from jumin.restrictions.actions import do_register_protection

    taro = Resident.objects.get(name="山田 太郎")
    do_register_protection({"addressee_number": taro.addressee_number, "kind": "dv"},
                           actor=actor(_user("supervisor", perms.SUPERVISOR, "支援 五郎")))
    _write(tmp_path)
    assert _rows(_file(tmp_path, "identity"))[1][-1] == "1"
    assert [row[-1] for row in _rows(_file(tmp_path, "fuhyo"))[1:]] == ["1", "", ""]


def test_a_resend_of_a_range_that_does_not_exist_or_a_clerk_is_refused(family, admin, clerk, tmp_path):
    with pytest.raises(CommandError, match="再送の範囲"):
        _write(tmp_path, "--resend", "2-99")
    with pytest.raises(CommandError, match="権限がありません"):
        _write(tmp_path, user="clerk")
    assert not CsRun.objects.exists() and not list(tmp_path.iterdir())
    assert OperationLog.objects.filter(function=WRITE_CS_NOTICES, outcome="refused").count() == 2
