import datetime
import json

import pytest

from jumin.core.errors import RuleViolation
from jumin.core.wareki import Era, format_wareki, load_eras, parse_exact_date

BUNDLED = [
    {"name": "明治", "abbr": "M", "start": "1868-01-25", "overlap_day": False},
    {"name": "大正", "abbr": "T", "start": "1912-07-30", "overlap_day": True},
    {"name": "昭和", "abbr": "S", "start": "1926-12-25", "overlap_day": True},
    {"name": "平成", "abbr": "H", "start": "1989-01-08", "overlap_day": False},
    {"name": "令和", "abbr": "R", "start": "2019-05-01", "overlap_day": False},
]
WITH_A_NEW_ERA = BUNDLED + [{"name": "未来", "abbr": "A", "start": "2040-04-01", "overlap_day": False}]


def test_the_bundled_table_has_the_five_modern_eras():
    assert [(e.name, e.abbr, e.start.isoformat(), e.overlap_day) for e in load_eras()] == [
        (row["name"], row["abbr"], row["start"], row["overlap_day"]) for row in BUNDLED
    ]


def test_a_new_era_in_the_file_named_by_jumin_eras_file_needs_no_code_change(tmp_path, monkeypatch):
    table = tmp_path / "eras.json"
    table.write_text(json.dumps(WITH_A_NEW_ERA, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("JUMIN_ERAS_FILE", str(table))

    assert format_wareki(datetime.date(2040, 4, 1)) == "未来元年4月1日"
    assert parse_exact_date("A2.1.1") == datetime.date(2041, 1, 1)
    with pytest.raises(RuleViolation):
        parse_exact_date("令和22年4月1日")


def test_every_function_accepts_a_table_as_an_argument():
    eras = [Era.from_dict(row) for row in WITH_A_NEW_ERA]

    assert format_wareki(datetime.date(2040, 4, 1), eras=eras) == "未来元年4月1日"
    assert parse_exact_date("未来元年4月1日", eras=WITH_A_NEW_ERA) == datetime.date(2040, 4, 1)
    assert format_wareki(datetime.date(2040, 4, 1)) == "令和22年4月1日"


def test_a_table_out_of_order_is_refused():
    with pytest.raises(ValueError):
        format_wareki(datetime.date(2000, 1, 1), eras=list(reversed(BUNDLED)))


def test_an_era_abbreviation_must_be_one_letter():
    broken = BUNDLED[:-1] + [{"name": "令和", "abbr": "RW", "start": "2019-05-01"}]

    with pytest.raises(ValueError):
        format_wareki(datetime.date(2000, 1, 1), eras=broken)
