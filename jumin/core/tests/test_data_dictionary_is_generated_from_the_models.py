from django.core.management import call_command

from jumin.core.management.commands.datadict import render


def test_every_register_item_appears_with_its_japanese_name_and_codes():
    text = render()
    assert "| individual_number | 個人番号 | 個人番号 | CharField | 12 |  | yes | §7.1 |" in text
    assert "| relationship | 続柄 |" in text
    assert "move_out_domestic=国内転出" in text


def test_the_committed_dictionary_is_up_to_date():
    call_command("datadict", "--check")
