"""Fixtures for 住登外宛名: a landowner living in 東京都 as a tax system sends it, and a state helper covering the
register and the 住登外 tables, for checking that a refusal wrote nothing."""

import pytest

from conftest import register_state
from jumin.addressees.models import NonResident, NonResidentHistory
from jumin.audit.models import OperationLog
from jumin.core.models import Journal

TAX = "010"          # 個人住民税
PROPERTY_TAX = "012"


def landowner(**overrides):
    """固定資産税の納税義務者: 東京都 に住み、仙台市に土地を持つ方 (realistic, valid 個人番号 check digit)."""
    data = {"kind": "taxpayer", "name": "山田 太郎", "name_kana": "ヤマダ タロウ", "birth_date": "S40.4.1", "sex": "1",
            "individual_number": "234567890121",
            "address": {"kind": "domestic", "postcode": "1600023", "municipality_code": "131041",
                        "address": "東京都新宿区西新宿二丁目8番1号", "address_supplement": "新宿ハイツ505"},
            "referring_businesses": [PROPERTY_TAX], "contact": "03-5321-1111"}
    data.update(overrides)
    return data


def state():
    """register_state() plus every 住登外 row."""
    out = register_state()
    out["non_residents"] = list(NonResident.objects.order_by("addressee_number").values_list())
    out["non_resident_history"] = NonResidentHistory.objects.count()
    out["journal"] = Journal.objects.count()
    return out


def refusals(function: str) -> list:
    return list(OperationLog.objects.filter(function=function, outcome="refused").values_list("reason", flat=True))


@pytest.fixture
def tax_clerk(clerk):
    return clerk
