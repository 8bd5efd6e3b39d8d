from jumin.register import actions
from jumin.register.api import CHANGE_ENDPOINTS
from jumin.register.choices import CHANGE_KIND_CHOICES


def test_every_change_kind_has_an_endpoint_in_the_openapi_document(client):
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    for path, action_name, _, _ in CHANGE_ENDPOINTS:
        assert f"/api/changes/{path}" in paths
        assert callable(getattr(actions, action_name)), action_name
    kinds_with_endpoints = {path.replace("-", "_") for path, *_ in CHANGE_ENDPOINTS}
    kinds_with_endpoints |= {"correction", "former_surname", "alias", "individual_number", "resident_code"}
    missing = {kind for kind, _ in CHANGE_KIND_CHOICES} - kinds_with_endpoints - {"migration"}
    assert missing == set()


def test_the_read_endpoints_are_documented(client):
    paths = set(client.get("/api/openapi.json").json()["paths"])
    assert {"/api/residents/{addressee_number}", "/api/residents/{addressee_number}/history",
            "/api/residents/{addressee_number}/as-of/{on}", "/api/households/{household_number}",
            "/api/changes", "/api/changes/{change_id}/approve", "/api/changes/approve"} <= paths
