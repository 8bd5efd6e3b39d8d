"""`jumin datadict`: the committed docs/data-dictionary.md and .json are what the models give (`--check`), and
the committed JSON's type and length of every item are the model's — so a field whose length or type drifts, or
a field without an entry, fails here (issue #16 item 1)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from jumin.core import dictionary as d
from jumin.core.management.commands.datadict import render

ROOT = Path(settings.BASE_DIR) if hasattr(settings, "BASE_DIR") else Path(__file__).resolve().parents[3]


def test_every_register_item_appears_with_its_japanese_name_and_codes():
    text = render()
    assert "| individual_number | 個人番号 | 個人番号 | string | 12 |  | 個人番号 | 審査・決裁 (include_individual_number) | §7.1 |" in text
    assert "| relationship | 続柄 |" in text
    assert "move_out_domestic=国内転出" in text
    assert f"Version: `{d.version()}`" in text


def test_the_committed_dictionary_is_up_to_date():
    call_command("datadict", "--check")


def test_the_committed_json_has_every_field_with_the_models_type_and_length():
    committed = json.loads((ROOT / "docs" / "data-dictionary.json").read_text(encoding="utf-8"))
    by_entity = {e["code"]: {i["name"]: i for i in e["items"]} for e in committed["entities"]}
    problems = []
    for found in d.entities():
        items = by_entity.get(found.code, {})
        for it in found.items:
            entry = items.get(it.name)
            if entry is None:
                problems.append(f"{it.source}: no entry in docs/data-dictionary.json")
            elif (entry["type"], entry["length"]) != (it.type, it.length):
                problems.append(f"{it.source}: {entry['type']}/{entry['length']} in the file, "
                                f"{it.type}/{it.length} in the model")
    assert not problems, "\n".join(problems) + "\nRun `jumin datadict`."
