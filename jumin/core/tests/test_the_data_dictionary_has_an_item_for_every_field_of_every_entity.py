"""The dictionary is the models (issue #16 item 1, "a test fails when a model field has no dictionary entry or its
length/type drifts"): every entity model declares `jumin_entity`, every concrete field of it is an item with the
field's type and length, and every other model of jumin says why it is not an entity."""

from django.apps import apps

from jumin.core import dictionary as d

CODES = ["residents", "history", "households", "changes", "issuances", "seals", "seal_events", "protections",
         "restrictions", "operation_log"]
ENTITY_MODELS = {"register.Resident": "residents", "register.ResidentHistory": "history",
                 "register.Household": "households", "register.Change": "changes",
                 "certificates.Issuance": "issuances", "seals.SealRegistration": "seals",
                 "seals.SealEvent": "seal_events", "restrictions.ProtectionOrder": "protections",
                 "restrictions.Restriction": "restrictions", "audit.OperationLog": "operation_log"}


def test_the_entities_are_the_fixed_codes_in_a_stable_order():
    assert [e.code for e in d.entities()][:len(CODES)] == CODES
    assert [e.code for e in d.entities()] == [e.code for e in d.entities()]


def test_every_entity_model_declares_its_entity():
    for label, code in ENTITY_MODELS.items():
        model = apps.get_model(label)
        assert "jumin_entity" in model.__dict__, f"{label} declares no jumin_entity"
        assert model.__dict__["jumin_entity"].code == code
        assert d.entity(code).model is model


def test_every_concrete_field_is_an_item_with_its_type_and_length():
    for found in d.entities():
        fields = found.model._meta.concrete_fields
        assert [i.name for i in found.items] == [f.name for f in fields], found.code
        for f, it in zip(fields, found.items):
            assert it.type in d.TYPES, it.source
            assert it.source == f"{found.model._meta.app_label}.{found.model.__name__}.{f.name}"
            if not f.is_relation:
                assert it.length == (f.max_length if it.type == "string" else None), it.source
                assert it.column == f.column and it.path == f.name
            assert it.sensitivity in d.SENSITIVITIES
            assert any(ord(ch) > 127 for ch in it.ja), f"{it.source}: no Japanese name ({it.ja!r})"
        jas = [i.ja for i in found.items]
        assert len(set(jas)) == len(jas), f"{found.code}: two items share a Japanese name"


def test_a_field_of_another_type_than_the_models_is_caught():
    resident = d.entity("residents")
    name = next(i for i in resident.items if i.name == "name")
    assert (name.type, name.length) == ("string", 200)
    birth = next(i for i in resident.items if i.name == "birth_date")
    assert (birth.type, birth.length, birth.null) == ("date", None, True)
    assert next(i for i in resident.items if i.name == "household_order").type == "integer"
    assert next(i for i in resident.items if i.name == "adult_ward").type == "boolean"
    assert next(i for i in d.entity("changes").items if i.name == "params").type == "json"
    assert next(i for i in d.entity("seals").items if i.name == "impression_width_mm").type == "number"


def test_foreign_keys_are_shown_as_the_natural_key_of_what_they_point_to():
    def it(code, name):
        return d.item(code, name)

    assert (it("residents", "household").path, it("residents", "household").type,
            it("residents", "household").length) == ("household__household_number", "string", 10)
    assert (it("changes", "entered_by").path, it("changes", "entered_by").type) == ("entered_by__username", "string")
    assert (it("history", "change").path, it("history", "change").type) == ("change_id", "integer")
    assert it("history", "change").column == "change_id"
    assert it("changes", "cancels").path == "cancels_id"
    assert it("seal_events", "inquiry").path == "inquiry__inquiry_number"
    assert it("restrictions", "order").path == "order_id"


def test_every_other_model_of_jumin_says_why_it_is_not_an_entity():
    missing = [m._meta.label for m, reason in d.internal_models() if not reason]
    assert not missing, f"models that are neither an entity nor internal (add jumin_entity or jumin_internal): {missing}"
    entity_labels = {f"{e.model._meta.app_label}.{e.model.__name__}" for e in d.entities()}
    assert not entity_labels & set(d.INTERNAL)
