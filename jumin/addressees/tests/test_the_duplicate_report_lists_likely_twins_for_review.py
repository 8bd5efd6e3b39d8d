"""The duplicate report (issue #17 item 4): 住登外 records in use that share a 個人番号, a folded 氏名 + 生年月日
(髙橋 = 高橋), or a 氏名 + 住所 — with each other or with a resident — are listed for a clerk to review; a merged
record is not; a 支援措置 person is left out for a role without the right; nothing is merged by the report.
`jumin addressees duplicates --out FILE` writes it as CSV."""

import csv

from django.core.management import call_command

from conftest import actor
from jumin.addressees.actions import (do_change_non_resident, do_decide_merge, do_propose_merge,
                                      do_register_non_resident)
from jumin.addressees.models import NonResident
from jumin.addressees.queries import DUPLICATES, find_duplicates
from jumin.addressees.tests.conftest import PROPERTY_TAX, TAX, landowner
from jumin.audit.models import OperationLog
from jumin.register.models import Resident


def _bases(report):
    return sorted((g["basis"], tuple(m["addressee_number"] for m in g["members"])) for g in report)


def test_twins_are_listed_by_each_basis(family, clerk, approver, tmp_path):
    a = do_register_non_resident(landowner(name="髙橋 一郎", individual_number=""), actor=actor(clerk),
                                 business=PROPERTY_TAX).addressee_number
    b = do_register_non_resident(landowner(name="高橋 一郎", individual_number="", address={"address": "東京都港区1"}),
                                 actor=actor(clerk), business=TAX).addressee_number                    # name + birth
    c = do_register_non_resident(landowner(name="鈴木 二郎", birth_date="S50.1.1", individual_number=""),
                                 actor=actor(clerk), business=TAX).addressee_number
    d = do_register_non_resident(landowner(name="鈴木 二郎", birth_date="S51.1.1", individual_number=""),
                                 actor=actor(clerk), business=PROPERTY_TAX).addressee_number           # name + address
    hanako = Resident.objects.get(name="山田 花子")
    e = do_register_non_resident(landowner(name="山田 花子", birth_date="S57.3.4", sex="2", individual_number=""),
                                 actor=actor(clerk), business=TAX).addressee_number
    do_change_non_resident(e, {"birth_date": "S57.3.3"}, actor=actor(clerk), reason="生年月日の訂正")  # a resident
    do_register_non_resident(landowner(name="別人 三郎", birth_date="S60.1.1", individual_number=""),
                             actor=actor(clerk), business=TAX)                                         # no twin
    report = find_duplicates(actor=actor(clerk))
    assert _bases(report) == sorted([("name_birth", (a, b)), ("name_address", (c, d)),
                                     ("name_birth", tuple(sorted([hanako.addressee_number, e])))])
    resident_line = next(g for g in report if hanako.addressee_number in [m["addressee_number"] for m in g["members"]])
    assert {m["population_label"] for m in resident_line["members"]} == {"住民", "住登外"}
    assert OperationLog.objects.filter(function=DUPLICATES, addressee_number=a).exists()

    out = tmp_path / "twins.csv"
    call_command("addressees", "duplicates", user="clerk", out=str(out))
    lines = list(csv.reader(open(out, encoding="utf-8-sig")))
    assert lines[0] == ["候補", "理由", "宛名番号", "区分", "氏名", "生年月日", "住所"] and len(lines) == 7

    merge = do_propose_merge(b, a, actor=actor(clerk), reason="同一人")
    do_decide_merge(merge.pk, approve=True, actor=actor(approver))
    assert (("name_birth", (a, b))) not in _bases(find_duplicates(actor=actor(clerk)))
    assert NonResident.objects.filter(state="in_use").count() == 5
