"""Migration search.0006: keys built before the 斉 → 斎 equivalence (issue #3) are rebuilt, so a 斉藤 registered
before the upgrade is found by 斎藤 after it; others' keys are left as they are."""

import importlib

from django.apps import apps

from conftest import actor
from jumin.search import queries
from jumin.search.models import SearchKey
from jumin.search.tests.people import move_in, person

migration = importlib.import_module("jumin.search.migrations.0006_rebuild_keys_for_the_sai_equivalence")


def test_old_keys_with_sei_are_rebuilt_and_others_untouched(single_step, clerk):
    sei, other = move_in(clerk, person("斉藤 一", "サイトウ ハジメ", "S50.1.1"), person("高橋 二", "タカハシ ジ", "S50.1.2"))
    SearchKey.objects.filter(addressee_number=sei, key__contains="斎").update(key="斉藤一")  # as built before
    untouched = list(SearchKey.objects.filter(addressee_number=other).order_by("pk").values_list("pk", "key"))
    assert not queries.search({"name": "斎藤 一"}, actor=actor(clerk))["results"]

    migration.rebuild(apps, None)

    assert [r["addressee_number"] for r in queries.search({"name": "斎藤 一"}, actor=actor(clerk))["results"]] == [sei]
    assert not SearchKey.objects.filter(key__contains="斉").exists()
    assert list(SearchKey.objects.filter(addressee_number=other).order_by("pk").values_list("pk", "key")) == untouched
