"""`reindex_all` folds in worker processes on PostgreSQL (outside any transaction); the keys must be exactly
those of the single-process rebuild. On SQLite both runs take the single-process path."""

import pytest

from conftest import actor, family_params
from jumin.register.actions import do_move_in, do_relocate
from jumin.search.bulk import reindex_all
from jumin.search.models import SearchKey


def keys():
    return sorted(SearchKey.objects.values_list("addressee_number", "kind", "key", "current", "living", "sort"))


@pytest.mark.django_db(transaction=True)
def test_two_workers_write_the_same_keys_as_one(single_step, clerk):
    created = do_move_in(family_params(), actor=actor(clerk)).result
    do_relocate({"household_number": created["households"][0], "effective_on": "R6.6.1", "notified_on": "R6.6.1",
                 "address": {"address": "宮城県仙台市青葉区本町三丁目8番1号"}}, actor=actor(clerk))
    by_actions = keys()
    one = reindex_all(workers=1)
    single = keys()
    two = reindex_all(workers=2)
    assert keys() == single == by_actions
    assert one["keys"] == two["keys"] == len(single) and one["persons"] == two["persons"] == 3
