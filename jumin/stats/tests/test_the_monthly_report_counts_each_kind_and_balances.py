"""The 住基月報 (住民記録 §10.1): a month's 異動 by kind — 増 (転入・出生・その他), 減 (転出・死亡・その他), 転居 — between
前月末人口 and 当月末人口, per 日本人/外国人 and 行政区 (区間転入・区間転出 for a 転居 across 行政区). Built through the real
change actions, a draft and a change of the next month included; the arithmetic 前月末 + 増 − 減 = 当月末 is checked
on every row, and on every month of a synthetic city's history."""

from datetime import date

import pytest

from conftest import actor, family_params
from jumin.register.actions import (do_move_in, do_move_out, do_record_birth, do_record_death, do_relocate)
from jumin.register.models import Change, Resident
from jumin.stats import rules
from jumin.stats.queries import monthly_report_of, population_of

SEPTEMBER = rules.Month(2026, 9)
AOBA, IZUMI = "04101", "04105"


def _person(name, kana, birth, sex, relationship, head):
    return {"name": name, "name_kana": kana, "birth_date": birth, "sex": sex, "relationship": relationship,
            "domicile_status": "recorded", "domicile": "東京都千代田区千代田1番", "domicile_head": head}


def _move_in(clerk, members, address, effective_on, notified_on):
    return do_move_in(family_params(members=members, address=address, effective_on=effective_on,
                                    notified_on=notified_on), actor=actor(clerk))


IZUMI_HOME = {"postcode": "9813204", "address_code": "04105001003", "address": "宮城県仙台市泉区紫山三丁目1番1号"}
AOBA_HOME = {"postcode": "9800811", "address_code": "04101002002", "address": "宮城県仙台市青葉区国分町二丁目5番5号"}
AOBA_OTHER = {"postcode": "9800811", "address_code": "04101001004", "address": "宮城県仙台市青葉区一番町四丁目1番1号"}


@pytest.fixture
def september(family, single_step, clerk):
    """Before September: the 山田 family (3, 青葉区) and the 佐藤 couple (2, 泉区). In September: a 転入, a 出生, a
    死亡, the couple's 転居 to 青葉区, the 山田 family's 転居 inside 青葉区, a 転出, and a 転入 entered last but dated
    in September; not counted: a 転入 left as a draft and a 転入 dated in October."""
    yamada = family["households"][0]
    taro, hanako, ichiro = family["created"]
    couple = _move_in(clerk, [_person("佐藤 健", "サトウ ケン", "S50.1.1", "1", "世帯主", "佐藤 健"),
                              _person("佐藤 恵", "サトウ メグミ", "S52.2.2", "2", "妻", "佐藤 健")],
                      IZUMI_HOME, "R7.4.1", "R7.4.2").result
    single = _move_in(clerk, [_person("鈴木 一", "スズキ ハジメ", "H10.3.3", "1", "世帯主", "鈴木 一")],
                      AOBA_OTHER, "R8.9.3", "R8.9.4").result
    do_record_birth({"household_number": yamada, "effective_on": "R8.9.5", "notified_on": "R8.9.7",
                     "child": {**_person("山田 二郎", "ヤマダ ジロウ", "R8.9.5", "1", "子", "山田 太郎")}},
                    actor=actor(clerk))
    do_record_death({"addressee_number": hanako, "effective_on": "R8.9.10", "notified_on": "R8.9.11"},
                    actor=actor(clerk))
    do_relocate({"household_number": couple["households"][0], "effective_on": "R8.9.15", "notified_on": "R8.9.15",
                 "address": AOBA_HOME}, actor=actor(clerk))
    do_relocate({"household_number": yamada, "effective_on": "R8.9.20", "notified_on": "R8.9.21",
                 "address": {**AOBA_OTHER, "address": "宮城県仙台市青葉区一番町四丁目9番9号"}}, actor=actor(clerk))
    do_move_out({"household_number": single["households"][0], "members": single["created"],
                 "effective_on": "R8.9.25", "notified_on": "R8.9.25",
                 "destination": {"address": "東京都港区芝公園4丁目2番8号"}}, actor=actor(clerk))
    _move_in(clerk, [_person("田中 翼", "タナカ ツバサ", "H12.4.4", "2", "世帯主", "田中 翼")],
             {**AOBA_OTHER, "address": "宮城県仙台市青葉区一番町四丁目2番2号"}, "R8.10.2", "R8.10.5")
    single_step.draft_required = True
    single_step.save()
    draft = _move_in(clerk, [_person("高橋 光", "タカハシ ヒカル", "H15.5.5", "2", "世帯主", "高橋 光")],
                     {**AOBA_OTHER, "address": "宮城県仙台市青葉区一番町四丁目3番3号"}, "R8.9.12", "R8.9.12")
    assert Change.objects.get(pk=draft.pk).status == "draft"
    single_step.draft_required = False
    single_step.save()
    late = _move_in(clerk, [_person("伊藤 凛", "イトウ リン", "H20.6.6", "2", "世帯主", "伊藤 凛")],
                    {**AOBA_OTHER, "address": "宮城県仙台市青葉区一番町四丁目4番4号"}, "R8.9.28", "R8.9.30").result
    return {"late": late["created"][0]}


def test_each_kind_lands_in_its_column_and_the_month_balances(september):
    report = monthly_report_of(SEPTEMBER, today=date(2026, 12, 2))
    rows = {row.key: row for row in report.rows}
    total = rows[rules.ALL]
    assert (total.before, total.after) == (5, 6)
    assert total.counts == {"transfer_in": 2, "birth": 1, "death": 1, "transfer_out": 1, "relocation": 5}
    assert (total.gains, total.losses, total.balance) == (3, 2, 1) and total.balances
    japanese = rows["japanese"]
    assert (japanese.before, japanese.after, japanese.counts) == (5, 6, total.counts)
    assert (rows["foreign"].before, rows["foreign"].after, rows["foreign"].counts) == (0, 0, {})
    aoba, izumi = rows["ward:" + AOBA], rows["ward:" + IZUMI]
    assert aoba.label == "青葉区" and izumi.label == "泉区"
    assert (aoba.before, aoba.after) == (3, 6) and (izumi.before, izumi.after) == (2, 0)
    assert aoba.counts == {"transfer_in": 2, "birth": 1, "death": 1, "transfer_out": 1, "ward_in": 2, "relocation": 3}
    assert izumi.counts == {"ward_out": 2}
    assert report.balances and all(row.balances for row in report.rows)
    assert (report.households_before, report.households_after) == (2, 3)


def test_the_month_counts_persons_by_reason_and_approved_changes_by_kind(september):
    report = monthly_report_of(SEPTEMBER, today=date(2026, 12, 2))
    reasons = {r["code"]: r["persons"] for r in report.reasons}
    assert {k: reasons.get(k) for k in ("move_in_domestic", "birth", "death", "move_out_domestic", "relocation")} \
        == {"move_in_domestic": 2, "birth": 1, "death": 1, "move_out_domestic": 1, "relocation": 5}
    kinds = {k["code"]: k["changes"] for k in report.kinds}
    assert kinds == {"move_in": 2, "birth": 1, "death": 1, "relocation": 2, "move_out": 1}
    assert [k["label"] for k in report.kinds][0] == "転入"


def test_the_end_of_the_month_is_the_population_as_of_its_last_day(september):
    report = monthly_report_of(SEPTEMBER, today=date(2026, 12, 2))
    assert report.rows[0].after == population_of(date(2026, 9, 30)).total
    assert report.rows[0].before == population_of(date(2026, 8, 31)).total
    assert Resident.objects.filter(addressee_number=september["late"], status="resident").exists()
    october = monthly_report_of(rules.Month(2026, 10), today=date(2026, 12, 2))
    assert october.rows[0].counts == {"transfer_in": 1} and october.rows[0].before == 6 and october.balances


def test_the_current_month_is_counted_through_today(september):
    report = monthly_report_of(rules.Month(2026, 9), today=date(2026, 9, 16))
    total = report.rows[0]
    assert report.through == date(2026, 9, 16)
    assert total.counts == {"transfer_in": 1, "birth": 1, "death": 1, "relocation": 2} and total.after == 6
    assert total.balances


def test_every_month_of_a_synthetic_citys_history_balances(synthetic_city):
    months = [rules.Month(year, month) for year in (2003, 2012, 2019, 2025, 2026) for month in range(1, 13)
              if date(year, month, 1) <= date(2026, 11, 1)]
    moved = 0
    for month in months:
        report = monthly_report_of(month, today=date(2026, 12, 2))
        assert report.balances, (month, [(r.label, r.before, r.gains, r.losses, r.after) for r in report.rows])
        moved += report.rows[0].gains + report.rows[0].losses
    assert moved > 50          # the city's history does move: the check is not over empty months
