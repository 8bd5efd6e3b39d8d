from jumin.counter.params import to_fields, to_params


def test_flat_fields_become_the_same_parameters_the_api_takes():
    fields = {
        "effective_on": ["R6.4.1"], "address.postcode": ["9800811"], "address.address": ["宮城県仙台市青葉区一番町"],
        "members[0].name": ["山田 太郎"], "members[0].relationship": ["世帯主"],
        "members[1].name": ["山田 花子"], "members[1].relationship": ["妻"], "members[2].name": [""],
        "list:members_selected": ["0000000019", ""], "bool:ex_officio": ["on"], "relationships.0000000027": ["子"],
        "csrfmiddlewaretoken": ["x"],
    }
    assert to_params(fields) == {
        "effective_on": "R6.4.1", "address": {"postcode": "9800811", "address": "宮城県仙台市青葉区一番町"},
        "members": [{"name": "山田 太郎", "relationship": "世帯主"}, {"name": "山田 花子", "relationship": "妻"}],
        "members_selected": ["0000000019"], "ex_officio": True, "relationships": {"0000000027": "子"},
    }


def test_parameters_fill_the_form_again_under_the_same_names():
    params = {"address": {"address": "仙台市"}, "members": [{"name": "山田 太郎"}], "ex_officio": True}
    assert to_fields(params) == {"address.address": "仙台市", "members[0].name": "山田 太郎", "ex_officio": True}
