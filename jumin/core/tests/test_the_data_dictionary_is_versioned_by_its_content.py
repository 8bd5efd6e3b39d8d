"""version() = "<edition>-<sha256 of the canonical JSON, 12 hex>": the same models give the same version, and any
change to an item (here: a length) gives another one."""

import hashlib
import json
import re

from jumin.core import dictionary as d


def test_the_version_is_the_hash_of_the_canonical_json():
    data = d.as_json()
    assert re.fullmatch(r"2026\.12-[0-9a-f]{12}", d.version())
    assert data["version"] == d.version()
    body = {k: v for k, v in data.items() if k != "version"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert d.version().endswith(hashlib.sha256(canonical.encode()).hexdigest()[:12])


def test_a_changed_length_changes_the_version(monkeypatch):
    from jumin.register.models import Resident

    before = d.version()
    field = Resident._meta.get_field("name")
    monkeypatch.setattr(field, "max_length", 201)
    d._discovered.cache_clear()
    d._body.cache_clear()
    try:
        assert d.item("residents", "name").length == 201
        assert d.version() != before
    finally:
        monkeypatch.undo()
        d._discovered.cache_clear()
        d._body.cache_clear()
    assert d.version() == before
