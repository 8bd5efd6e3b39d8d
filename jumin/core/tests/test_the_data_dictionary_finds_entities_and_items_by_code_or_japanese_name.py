"""entity() and item() accept the code name or the Japanese name (the EUC query may use either, platform.md §6);
an unknown one is a refusal in Japanese naming it."""

import pytest

from jumin.core import dictionary as d
from jumin.core.errors import RuleViolation


def test_an_item_by_code_name_or_japanese_name():
    assert d.item("residents", "address_since") == d.item("residents", "住所を定めた年月日")
    assert d.item("residents", "address_since").ja == "住所を定めた年月日"


def test_an_unknown_entity_is_refused():
    with pytest.raises(RuleViolation) as refused:
        d.entity("people")
    assert refused.value.field == "entity"
    assert refused.value.message.startswith("「people」というデータはありません。")


def test_an_unknown_item_is_refused():
    with pytest.raises(RuleViolation) as refused:
        d.item("residents", "年収")
    assert refused.value.field == "item"
    assert refused.value.message.startswith("「住民票（現在・除票）」に「年収」という項目はありません。")


def test_search_by_part_of_a_name():
    found = {(i.entity, i.name) for i in d.search("住所")}
    assert ("residents", "address_since") in found and ("residents", "address") in found
    assert ("residents", "name") not in found
    assert ("residents", "address_since") in {(i.entity, i.name) for i in d.search("ADDRESS_SINCE")}
