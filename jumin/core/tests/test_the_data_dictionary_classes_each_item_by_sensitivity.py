"""Sensitivity classes (issue #16 item 1): 個人番号, 本籍, 支援措置, 操作ログ and 秘匿 items are marked, so an
extraction can leave them out for a role that may not have them."""

from jumin.core import dictionary as d


def sensitivity(code, name):
    return d.item(code, name).sensitivity


def test_individual_number_and_the_change_input_that_may_hold_it():
    assert sensitivity("residents", "individual_number") == d.INDIVIDUAL_NUMBER
    assert sensitivity("history", "individual_number") == d.INDIVIDUAL_NUMBER
    assert sensitivity("changes", "params") == d.INDIVIDUAL_NUMBER


def test_domicile_items():
    for name in ("domicile", "domicile_head", "domicile_status"):
        assert sensitivity("residents", name) == d.DOMICILE
        assert sensitivity("history", name) == d.DOMICILE


def test_every_item_of_a_protection_and_of_the_operation_log():
    assert {i.sensitivity for i in d.entity("protections").items} == {d.PROTECTION}
    assert {i.sensitivity for i in d.entity("operation_log").items} == {d.LOG}
    assert sensitivity("restrictions", "order") == d.PROTECTION


def test_the_seal_impression_image_is_never_extracted():
    assert sensitivity("seals", "impression_png") == d.SECRET
    assert sensitivity("seals", "impression_hash") == d.NORMAL


def test_ordinary_items_are_ordinary():
    for name in ("name", "address", "birth_date", "addressee_number"):
        assert sensitivity("residents", name) == d.NORMAL
