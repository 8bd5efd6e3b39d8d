"""住民票コードの在庫 (issue #18 item 7a, standard-spec §4.3): an administrator loads CS's file; a 出生 (and a 国外転入
bringing no code) takes the next code of the pool when approved — a valid check digit, in the record, its snapshot
and its linkage event, the pool row marked with who took it. A domestic 転入 takes none. An empty pool still records
the birth and says the code is missing; a low pool says so. Refused whole, with every line's fault and nothing
loaded: a wrong check digit, a duplicate, a code already held, a broken encoding; a clerk may not load codes."""

import io

import pytest
from django.core.management import CommandError, call_command

from conftest import actor, family_params
from jumin.audit.models import OperationLog
from jumin.core.check_digits import is_valid_resident_code
from jumin.linkage import synthetic
from jumin.linkage.actions import LOAD_CODES
from jumin.linkage.models import LinkageEvent
from jumin.register.actions import do_approve_change, do_move_in, do_record_birth
from jumin.register.models import Resident, ResidentCodeStock, ResidentHistory


def _load(tmp_path, data: bytes, user="admin"):
    path = tmp_path / "codes.txt"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("linkage", "cs", "codes", str(path), "--user", user, stdout=out, stderr=err)
    return out.getvalue()


def _family(clerk, approver):
    change = do_move_in(family_params(), actor=actor(clerk))
    return do_approve_change(change.pk, actor=actor(approver)).result


def _birth(household):
    return {"household_number": household, "effective_on": "R6.10.1", "notified_on": "R6.10.8",
            "child": {"name": "山田 二郎", "name_kana": "ヤマダ ジロウ", "sex": "1", "relationship": "子",
                      "domicile_status": "recorded", "domicile": "東京都千代田区千代田1番", "domicile_head": "山田 太郎"}}


def test_a_birth_gets_the_next_code_of_the_pool_when_approved(municipality, clerk, approver, admin, tmp_path):
    assert "3 件を在庫に取り込みました" in _load(tmp_path, synthetic.resident_code_file(3))
    first, second, third = synthetic.pool_codes(3)
    family = _family(clerk, approver)
    draft = do_record_birth(_birth(family["households"][0]), actor=actor(clerk))
    assert draft.status == "draft" and ResidentCodeStock.objects.filter(used_by="").count() == 3   # a draft takes none

    approved = do_approve_change(draft.pk, actor=actor(approver))
    [baby] = approved.result["created"]
    child = Resident.objects.get(addressee_number=baby)
    assert child.resident_code == first and is_valid_resident_code(first)
    assert ResidentHistory.objects.get(addressee_number=baby).resident_code == first
    assert LinkageEvent.objects.get(addressee_number=baby).after["resident_code"] == first
    taken = ResidentCodeStock.objects.get(code=first)
    assert (taken.used_by, taken.change_id) == (baby, draft.pk) and taken.used_at is not None
    assert approved.result["resident_code_given"] == [baby]

    domestic = do_move_in(family_params(members=[{**family_params()["members"][0], "name": "佐藤 一", "resident_code": "",
                                                  "individual_number": "", "name_kana": "サトウ ハジメ"}],
                                        address={"postcode": "9800021", "address": "宮城県仙台市青葉区中央一丁目1番1号"}),
                          actor=actor(clerk))
    do_approve_change(domestic.pk, actor=actor(approver))
    assert Resident.objects.get(name="佐藤 一").resident_code == ""                      # 国内転入: none taken
    abroad = do_move_in(family_params(move_in_kind="abroad", previous_address={"address": "アメリカ合衆国"},
                                      members=[{**family_params()["members"][0], "name": "鈴木 一", "resident_code": "",
                                                "individual_number": "", "name_kana": "スズキ ハジメ"}],
                                      address={"postcode": "9800021", "address": "宮城県仙台市青葉区中央二丁目1番1号"}),
                        actor=actor(clerk))
    do_approve_change(abroad.pk, actor=actor(approver))
    assert Resident.objects.get(name="鈴木 一").resident_code == second
    assert list(ResidentCodeStock.objects.filter(used_by="").values_list("code", flat=True)) == [third]


def test_an_empty_pool_records_the_birth_and_says_the_code_is_missing(single_step, clerk, admin, tmp_path):
    family = do_move_in(family_params(), actor=actor(clerk)).result
    change = do_record_birth(_birth(family["households"][0]), actor=actor(clerk))
    [baby] = change.result["created"]
    assert Resident.objects.get(addressee_number=baby).resident_code == ""
    assert change.result["resident_code_missing"] == [baby]


def test_a_low_pool_is_reported_with_the_change_that_took_from_it(single_step, clerk, admin, tmp_path):
    single_step.resident_code_alert_below = 5
    single_step.save()
    _load(tmp_path, synthetic.resident_code_file(3))
    family = do_move_in(family_params(), actor=actor(clerk)).result
    change = do_record_birth(_birth(family["households"][0]), actor=actor(clerk))
    assert change.result["resident_code_stock_low"] == 2
    out, err = io.StringIO(), io.StringIO()
    call_command("linkage", "cs", "stock", stdout=out, stderr=err)
    assert "未使用 2 件、使用済み 1 件" in out.getvalue() and "下回っています" in err.getvalue()


GOOD = "\n".join(synthetic.pool_codes(2, start=100))


@pytest.mark.parametrize("data, line, message", [
    (GOOD.encode() + b"\n\xff\xfe\n", 3, "UTF-8 ではありません"),
    (f"住民票コード\n{GOOD}\n98000313373\n".encode(), 4, "検査用数字が一致しません"),
    (f"住民票コード\n{GOOD}\n{synthetic.pool_codes(1)[0]}\n{synthetic.pool_codes(1)[0]}\n".encode(), 5,
     "4行目と同じ住民票コードです"),
    (f"{GOOD}\n1234\n".encode(), 3, "11桁の数字です"),
    (b"\n", 0, "1件もありません"),
])
def test_a_faulty_file_is_refused_whole_with_each_line(municipality, admin, tmp_path, data, line, message):
    path = tmp_path / "codes.txt"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError, match="ファイル全体を取り込みませんでした"):
        call_command("linkage", "cs", "codes", str(path), "--user", "admin", stderr=err)
    assert f"{line}行目" in err.getvalue() and message in err.getvalue()
    assert not ResidentCodeStock.objects.exists()
    assert OperationLog.objects.get(function=LOAD_CODES, outcome="refused").username == "admin"


def test_a_code_already_on_a_record_refuses_the_file(single_step, clerk, admin, tmp_path):
    do_move_in(family_params(), actor=actor(clerk))                 # 山田 太郎 holds 12345678903
    with pytest.raises(CommandError):
        _load(tmp_path, ("\n".join([*synthetic.pool_codes(2), "12345678903"]) + "\n").encode())
    assert not ResidentCodeStock.objects.exists()
    _load(tmp_path, synthetic.resident_code_file(2))
    with pytest.raises(CommandError):                              # loaded already: the same file again is refused
        _load(tmp_path, synthetic.resident_code_file(2))
    assert ResidentCodeStock.objects.count() == 2


def test_a_clerk_may_not_load_codes(municipality, clerk, tmp_path):
    with pytest.raises(CommandError, match="権限がありません"):
        _load(tmp_path, synthetic.resident_code_file(2), user="clerk")
    assert not ResidentCodeStock.objects.exists()
    assert OperationLog.objects.filter(function=LOAD_CODES, outcome="refused", username="clerk").exists()
