"""The statistics' pure rules (住民記録 §10.1): age bands, 満年齢, the month a 月報 is for, and which column of the
住基月報 each snapshot counts in — with its arithmetic 前月末 + 増 − 減 = 当月末."""

from datetime import date

import pytest

from jumin.core.errors import RuleViolation
from jumin.register.rules import age_on as register_age_on
from jumin.stats import rules

RES, REM = "resident", "removed"
JP, FR = "japanese", "foreign"


def test_five_year_bands_run_from_0_4_to_95_99_and_100_and_over():
    bands = rules.five_year_bands()
    assert [b.label for b in bands[:2]] == ["0～4歳", "5～9歳"]
    assert bands[-2].label == "95～99歳" and bands[-1].label == "100歳以上" and len(bands) == 21
    assert rules.band_index(0, bands) == 0 and rules.band_index(4, bands) == 0 and rules.band_index(5, bands) == 1
    assert rules.band_index(99, bands) == 19 and rules.band_index(100, bands) == 20 and rules.band_index(117, bands) == 20
    assert rules.band_index(None, bands) is None and rules.band_index(-1, bands) is None


def test_single_year_bands_are_each_age_to_99_then_100_and_over():
    bands = rules.single_year_bands()
    assert len(bands) == 101 and bands[37].label == "37歳" and bands[-1].label == "100歳以上"
    assert rules.band_index(37, bands) == 37 and rules.band_index(104, bands) == 100


@pytest.mark.parametrize("birth,on,age", [
    (date(2000, 4, 1), date(2026, 3, 31), 25), (date(2000, 4, 1), date(2026, 4, 1), 26),
    (date(2004, 2, 29), date(2026, 2, 28), 21), (date(2004, 2, 29), date(2026, 3, 1), 22),
    (date(2026, 10, 1), date(2026, 10, 1), 0),
])
def test_age_is_completed_years_as_the_register_counts_it(birth, on, age):
    assert rules.age_on(birth, on) == age == register_age_on(birth, on)


def test_every_person_lands_in_one_row_of_the_age_table_unknown_ages_included():
    counts = {(3, "1"): 2, (3, "2"): 1, (4, "2"): 5, (57, "1"): 7, (101, "2"): 1, (None, "1"): 2, (-1, "2"): 1}
    table = rules.age_table(counts, rules.five_year_bands())
    assert table.rows[0] == {"label": "0～4歳", "male": 2, "female": 6, "total": 8}
    assert table.rows[11] == {"label": "55～59歳", "male": 7, "female": 0, "total": 7}
    assert table.rows[20]["total"] == 1
    assert table.unknown == {"label": "年齢不詳", "male": 2, "female": 1, "total": 3}
    assert table.total == {"label": "計", "male": 11, "female": 8, "total": 19} and sum(counts.values()) == 19
    assert rules.age_table({(30, "1"): 1}, rules.five_year_bands()).unknown is None


@pytest.mark.parametrize("typed,expected", [
    ("2026-09", (2026, 9)), ("2026/9", (2026, 9)), ("2026年9月", (2026, 9)), ("令和8年9月", (2026, 9)),
    ("R8.9", (2026, 9)), ("Ｒ８．９", (2026, 9)), ("令和8年9月30日", (2026, 9)), ("平成31年4月", (2019, 4)),
    ("令和元年5月", (2019, 5)),
])
def test_the_month_of_a_report_is_read_in_wareki_or_seireki(typed, expected):
    month = rules.parse_month(typed)
    assert (month.year, month.month) == expected


@pytest.mark.parametrize("typed,fragment", [
    ("", "対象月を入力"), ("2026-13", "1から12"), ("令和0年9月", "令和"), ("あいうえお", "形式"), ("1860-01", "明治6年"),
    ("x" * 40, "形式"),
])
def test_a_malformed_month_is_refused_in_japanese(typed, fragment):
    with pytest.raises(RuleViolation) as refused:
        rules.parse_month(typed)
    assert fragment in refused.value.message and refused.value.field == "month"


@pytest.mark.parametrize("typed", ["令和0年4月1日", "2026-02-30", "R8.2.30", "昭和65年1月1日"])
def test_a_malformed_day_is_refused_in_japanese(typed):
    with pytest.raises(RuleViolation) as refused:
        rules.parse_day(typed)
    assert refused.value.field == "as_of" and refused.value.message.startswith("基準日に存在しない")


def test_months_know_their_first_last_and_previous_end_and_their_wareki_label():
    feb = rules.Month(2028, 2)
    assert feb.first == date(2028, 2, 1) and feb.last == date(2028, 2, 29) and feb.previous_end == date(2028, 1, 31)
    assert rules.Month(2019, 5).label == "令和元年5月" and rules.Month(2026, 9).iso == "2026-09"
    assert rules.default_month(date(2026, 9, 30)) == rules.Month(2026, 9)
    assert rules.default_month(date(2026, 10, 1)) == rules.Month(2026, 9)
    assert rules.default_month(date(2026, 1, 15)) == rules.Month(2025, 12)


def _rows(before: dict[str, int]) -> dict[str, rules.ReportRow]:
    return {key: rules.ReportRow(key, key, before=n) for key, n in before.items()}


def test_each_snapshot_counts_in_its_column_and_every_row_balances():
    aoba, izumi = "04101", "04105"
    rows = _rows({"計": 10, JP: 9, FR: 1, "ward:" + aoba: 6, "ward:" + izumi: 4})
    events = [
        rules.Event("move_in_domestic", None, (RES, JP, aoba), 3),           # 転入 3
        rules.Event("move_in_abroad", (REM, FR, ""), (RES, FR, izumi), 1),   # 国外転入等 (back again) → 転入
        rules.Event("birth", None, (RES, JP, izumi), 1),                     # 出生
        rules.Event("death", (RES, JP, aoba), (REM, JP, aoba), 1),           # 死亡
        rules.Event("move_out_domestic", (RES, JP, izumi), (REM, JP, izumi), 2),  # 転出
        rules.Event("relocation", (RES, JP, aoba), (RES, JP, izumi), 1),     # 区間移動
        rules.Event("relocation", (RES, JP, aoba), (RES, JP, aoba), 2),      # 転居 within 青葉区
        rules.Event("naturalization_removal", (RES, FR, izumi), (REM, FR, izumi), 1),  # 外国人の減 (その他)
        rules.Event("naturalization_entry", (REM, FR, izumi), (RES, JP, izumi), 1),    # 日本人の増 (その他)
        rules.Event("clerical_correction", (REM, JP, aoba), (REM, JP, aoba), 4),       # a 除票 corrected: nothing
        rules.Event("minor_correction", (RES, JP, aoba), (RES, JP, aoba), 5),          # not a move: nothing
    ]
    rules.count_events(events, rows)
    total, japanese, foreign = rows["計"], rows[JP], rows[FR]
    assert total.counts == {"transfer_in": 4, "birth": 1, "death": 1, "transfer_out": 2, "relocation": 3,
                            "other_out": 1, "other_in": 1}
    assert japanese.counts["other_in"] == 1 and "other_out" not in japanese.counts
    assert foreign.counts == {"transfer_in": 1, "other_out": 1}
    assert rows["ward:" + aoba].counts == {"transfer_in": 3, "death": 1, "ward_out": 1, "relocation": 2}
    assert rows["ward:" + izumi].counts["ward_in"] == 1 and "relocation" not in rows["ward:" + izumi].counts
    for row, after in ((total, 12), (japanese, 11), (foreign, 1), (rows["ward:" + aoba], 7), (rows["ward:" + izumi], 5)):
        row.after = after
        assert row.before + row.gains - row.losses == after and row.balances
    total.after = 13
    assert not total.balances
    cells = rules.report_cells(rows["計"])
    assert cells[0] == 10 and cells[-1] == "不一致" and cells[4] == ""      # 区間転入 is blank outside 行政区 rows


def test_gain_and_loss_columns_follow_the_reason():
    assert rules.gain_column("move_in_domestic") == rules.gain_column("move_in_abroad") == rules.TRANSFER_IN
    assert rules.gain_column("birth") == rules.BIRTH
    assert {rules.gain_column(code) for code in ("ex_officio_entry", "cancel_increase", "migration",
                                                 "naturalization_entry")} == {rules.OTHER_IN}
    assert rules.loss_column("move_out_abroad") == rules.TRANSFER_OUT and rules.loss_column("death") == rules.DEATH
    assert rules.loss_column("ex_officio_removal") == rules.loss_column("cancel_decrease") == rules.OTHER_OUT
