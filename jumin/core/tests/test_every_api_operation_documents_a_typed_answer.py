"""Every API operation says what its success answer holds (issue #15 item 4): each 2xx response of
/api/openapi.json has a schema, and a JSON object answer names its properties — no untyped `dict`. Binary
answers (PDF, CSV, PNG) document their media type instead. Read from the OpenAPI document itself, so a new
operation is covered by itself."""

import pytest

from jumin.api import api

BINARY = ("application/pdf", "text/csv", "image/png")


def _resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        target = document
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def untyped(schema: dict | None, document: dict) -> str | None:
    """Why a response schema says nothing about its answer, or None when it is typed."""
    if not schema:
        return "no schema"
    schema = _resolve(schema, document)
    if schema.get("type") == "array":
        return untyped(schema.get("items"), document)
    if "anyOf" in schema or "oneOf" in schema:
        for option in schema.get("anyOf") or schema.get("oneOf"):
            reason = untyped(option, document)
            if reason:
                return reason
        return None
    if schema.get("type") == "object" and not schema.get("properties"):
        return "an object without properties"
    if not schema.get("type") and not schema.get("properties"):
        return "no type"
    return None


def _operations():
    document = api.get_openapi_schema()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation, document


def test_every_success_answer_is_typed():
    problems = []
    for path, method, operation, document in _operations():
        successes = {status: r for status, r in operation["responses"].items() if str(status).startswith("2")}
        if not successes:
            problems.append(f"{method.upper()} {path}: no 2xx response")
        for status, response in successes.items():
            content = response.get("content") or {}
            if not content:
                problems.append(f"{method.upper()} {path} {status}: no content")
            for media_type, body in content.items():
                if media_type in BINARY:
                    continue
                reason = untyped(body.get("schema"), document)
                if reason:
                    problems.append(f"{method.upper()} {path} {status} {media_type}: {reason}")
    assert not problems, "\n".join(problems)


def test_binary_answers_name_their_media_type():
    document = api.get_openapi_schema()
    expected = {("/api/certificates/{issuance_id}/pdf", "get"): {"application/pdf"},
                ("/api/certificates/daily", "get"): {"application/json", "text/csv", "application/pdf"},
                ("/api/seals/registrations/{registration_number}/impression", "get"): {"image/png"}}
    for (path, method), media_types in expected.items():
        responses = {str(status): r for status, r in document["paths"][path][method]["responses"].items()}
        assert set(responses["200"]["content"]) == media_types, path


@pytest.mark.parametrize("schema,reason", [
    (None, "no schema"), ({"type": "object"}, "an object without properties"),
    ({"type": "array", "items": {"type": "object", "additionalProperties": True}}, "an object without properties"),
    ({"type": "object", "properties": {"id": {"type": "integer"}}}, None),
    ({"type": "array", "items": {"$ref": "#/components/schemas/X"}}, None),
])
def test_the_check_itself_tells_a_bare_object_from_a_typed_one(schema, reason):
    document = {"components": {"schemas": {"X": {"type": "object", "properties": {"a": {"type": "string"}}}}}}
    assert untyped(schema, document) == reason


def test_no_two_schemas_share_a_name():
    """The OpenAPI document keeps one component per class name: two classes with one name (the dictionary's and
    the EUC catalogue's ItemOut did) make one of them documented with the other's fields."""
    from collections import Counter

    from pydantic import BaseModel

    import jumin.api  # noqa: F401  (every router imported, so every schema class exists)

    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    names = Counter(c.__name__ for c in set(every(BaseModel)) if c.__module__.startswith("jumin.")
                    and not c.__name__.startswith("_") and "[" not in c.__name__)
    assert [name for name, n in names.items() if n > 1] == []
