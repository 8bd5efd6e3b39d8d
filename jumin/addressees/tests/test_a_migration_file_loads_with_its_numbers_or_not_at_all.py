"""Migration of 住登外者 (共通機能 §2.3.5; issue #17 item 7): `jumin addressees import FILE` loads existing 住登外者 with
their own 宛名番号, never renumbered; a file with any collision — with a resident's or a 除票's number, with a
住登外者 already held, within the file — or any bad row is refused whole with a report naming every line, nothing
written and the refusal logged; once loaded, a new number never equals a migrated one."""

import csv

import pytest
from django.core.management import CommandError, call_command

from conftest import actor
from jumin.addressees.actions import IMPORT, do_register_non_resident
from jumin.addressees.models import NonResident, NonResidentHistory, NonResidentKey
from jumin.addressees.queries import find_candidates
from jumin.addressees.tests.conftest import PROPERTY_TAX, TAX, refusals, state
from jumin.core.check_digits import make_addressee_number
from jumin.register.models import Resident

HEADER = ["宛名番号", "住登外者種別", "氏名", "氏名フリガナ", "生年月日", "性別", "address_kind", "郵便番号", "住所", "方書",
          "国名等", "国外住所", "登録業務", "参照業務"]


def _number(body: int) -> str:
    return make_addressee_number(body) or make_addressee_number(body + 1)


def _write(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return str(path)


def _rows():
    return [
        [_number(500001), "taxpayer", "鈴木 一郎", "スズキ イチロウ", "S30.1.2", "1", "domestic", "1500001",
         "東京都渋谷区神宮前一丁目1番1号", "", "", "", "012", "010 012"],
        [_number(500010), "abroad", "WANG FANG", "ワン ファン", "1980-05-06", "2", "abroad", "", "", "",
         "中華人民共和国", "上海市浦東新区世紀大道100号", "010", ""],
    ]


def test_a_file_loads_with_its_numbers_and_new_numbers_pass_them(family, clerk, tmp_path):
    path = _write(tmp_path / "jutogai.csv", _rows())
    call_command("addressees", "import", path, user="clerk")
    first, second = _rows()[0][0], _rows()[1][0]
    assert list(NonResident.objects.order_by("addressee_number").values_list("addressee_number", flat=True)) == \
        [first, second]
    assert NonResidentHistory.objects.get(addressee_number=first).reason_code == "migrated"
    assert NonResidentKey.objects.filter(addressee_number=second).exists()
    found = find_candidates({"kana": "ｽｽﾞｷ ｲﾁﾛｳ"}, actor=actor(clerk), business=TAX)
    assert [r["addressee_number"] for r in found["non_residents"]] == [first]
    fresh = do_register_non_resident({"kind": "taxpayer", "name": "新規 花子", "birth_date": "S50.1.1", "sex": "2",
                                      "address": {"address": "東京都港区芝公園4丁目2番8号"}},
                                     actor=actor(clerk), business=PROPERTY_TAX)
    assert int(fresh.addressee_number[:-1]) > int(second[:-1])


def test_collisions_refuse_the_whole_file_with_a_report(family, clerk, tmp_path, capsys):
    do_register_non_resident({"kind": "taxpayer", "name": "既存 次郎", "birth_date": "S50.1.1", "sex": "1",
                              "address": {"address": "東京都港区芝公園4丁目2番8号"}}, actor=actor(clerk),
                             business=PROPERTY_TAX)
    held = NonResident.objects.get().addressee_number
    taro = Resident.objects.get(name="山田 太郎").addressee_number
    good, other = _rows()
    rows = [good, [taro, *good[1:]], [held, *other[1:]], [good[0], *other[1:]], ["1234567890", *other[1:]],
            [_number(500020), "taxpayer", "", "", "S30.1.2", "1", "domestic", "", "東京都", "", "", "", "012", ""],
            [_number(500030), *good[1:12], "999", ""]]
    before = state()
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError, match="取り込めません"):
        call_command("addressees", "import", _write(tmp_path / "bad.csv", rows), user="clerk", report=str(report))
    assert state() == before and len(refusals(IMPORT)) == 1
    printed = capsys.readouterr().err
    lines = list(csv.reader(open(report, encoding="utf-8-sig")))[1:]
    assert [(line[0], line[2]) for line in lines] == [
        ("3", "resident"), ("4", "held"), ("5", "in_file"), ("6", "invalid_number"), ("7", "required"),
        ("8", "unknown_business")]
    assert "山田 太郎" in printed and "2 行目と重複" in printed and "業務ID" in printed


def test_a_bad_header_or_encoding_is_refused_before_reading(db, clerk, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("宛名番号,あだ名\n0000000019,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="あだ名"):
        call_command("addressees", "import", str(bad), user="clerk")
    sjis = tmp_path / "sjis.csv"
    sjis.write_bytes("宛名番号,氏名\n".encode("cp932"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("addressees", "import", str(sjis), user="clerk")
    assert not NonResident.objects.exists()


def test_a_role_without_the_right_may_not_import(family, viewer, tmp_path):
    with pytest.raises(CommandError):
        call_command("addressees", "import", _write(tmp_path / "f.csv", _rows()), user="viewer")
    assert not NonResident.objects.exists() and len(refusals(IMPORT)) == 1
