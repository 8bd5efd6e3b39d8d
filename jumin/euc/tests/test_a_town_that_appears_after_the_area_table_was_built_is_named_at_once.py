"""The 行政区・町丁 table is built once per database and then kept in step with the change journal: a family
that moves into a 町丁 nobody lived in before is counted under its name at once, not under a bare code."""

from conftest import actor
from jumin.euc import catalogue, queries
from jumin.euc.tests.conftest import move_in, person


def test_a_new_town_is_named_in_the_next_count_without_rebuilding_the_table(city, clerk, analyst):
    before = catalogue.area_table()
    assert "04105010002" not in before.towns

    move_in(clerk, address={"postcode": "9813133", "address_code": "04105010002",
                            "address": "宮城県仙台市泉区泉中央二丁目1番1号", "address_supplement": ""},
            members=[person("高橋 誠", "タカハシ マコト", "1980-05-05", "1", "世帯主", "高橋 誠")])

    after = catalogue.area_table()
    assert after.towns["04105010002"] == "泉区泉中央二丁目"
    assert after.towns.items() >= before.towns.items()

    answer = queries.preview({"dataset": "residents", "count_by": ["town"]}, actor=actor(analyst))
    labels = [row[0] for row in answer["rows"]]
    assert "泉区泉中央二丁目" in labels and "04105010002" not in labels
