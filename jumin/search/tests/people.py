"""People for the search tests, moved in through the real actions (so the keys come from the engine)."""

from conftest import actor
from jumin.register.actions import do_move_in

ADDRESS = {"postcode": "9800811", "address_code": "04101001001", "address": "宮城県仙台市青葉区一番町四丁目7番17号"}


def person(name, kana, birth, sex="1", **items):
    return {"name": name, "name_kana": kana, "birth_date": birth, "sex": sex, "relationship": "世帯主",
            "domicile_status": "unknown", **items}


def move_in(clerk, *people, address=ADDRESS, effective_on="R6.4.1"):
    """Each person moves in as the head of their own household; returns their 宛名番号 in order."""
    numbers = []
    for member in people:
        change = do_move_in({"effective_on": effective_on, "notified_on": effective_on, "address": address,
                             "previous_address": {"address": "東京都千代田区千代田1番1号"},
                             "members": [member]}, actor=actor(clerk))
        numbers += change.result["created"]
    return numbers
