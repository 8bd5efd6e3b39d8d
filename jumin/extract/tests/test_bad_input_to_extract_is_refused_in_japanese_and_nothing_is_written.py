"""Bad input to `jumin extract` (issue #16, "bad input gets a clear refusal and nothing written"): an unknown
entity, a malformed date, an output format not offered, a `--since` point from another database, in the future
or malformed, a folder that is not empty (unless --force), an unknown user. Each is refused with a Japanese
message before anything is written, and the refusal is in the operation log."""

import json
import uuid

import pytest
from django.core.management import CommandError, call_command

from jumin.audit.models import OperationLog
from jumin.core import journal
from jumin.core.errors import RuleViolation
from jumin.extract.tests.conftest import extract, manifest

pytestmark = pytest.mark.django_db


def refused(user, out, expected: str, **options) -> RuleViolation:
    before = sorted(p.name for p in out.iterdir()) if out.exists() else None
    with pytest.raises(RuleViolation) as refusal:
        extract(user, out, **options)
    assert expected in refusal.value.message
    assert (sorted(p.name for p in out.iterdir()) if out.exists() else None) == before
    row = OperationLog.objects.filter(function="extract.run").latest("id")
    assert row.outcome == "refused" and row.reason == refusal.value.message
    return refusal.value


def test_an_unknown_entity_is_refused(family, analyst, tmp_path):
    assert refused(analyst, tmp_path / "out", "「residentz」というデータはありません", entities="residents,residentz") \
        .field == "entity"


@pytest.mark.parametrize("day", ["2026-02-30", "令和0年1月1日", "2026-13-01", "明日"])
def test_a_malformed_date_is_refused(family, analyst, tmp_path, day):
    assert refused(analyst, tmp_path / "out", "基準日", as_of=day).field == "as_of"


def test_a_format_not_offered_is_refused(family, analyst, tmp_path):
    refused(analyst, tmp_path / "out", "parquet か csv", fmt="xlsx")


def test_a_point_from_another_database_is_refused(family, analyst, tmp_path):
    other = f"{uuid.uuid4()}:0"
    assert refused(analyst, tmp_path / "out", "別のデータベース", since=other).code == "other_database"


def test_a_manifest_from_another_database_is_refused(family, analyst, tmp_path):
    extract(analyst, tmp_path / "t0")
    data = manifest(tmp_path / "t0")
    data["snapshot_point"] = f"{uuid.uuid4()}:{data['snapshot_point'].split(':')[1]}"
    (tmp_path / "copy.json").write_text(json.dumps(data), encoding="utf-8")
    refused(analyst, tmp_path / "out", "別のデータベース", since=str(tmp_path / "copy.json"))


def test_a_point_in_the_future_is_refused(family, analyst, tmp_path):
    future = f"{journal.instance_id()}:{journal.current_seq() + 1}"
    assert refused(analyst, tmp_path / "out", "まだありません", since=future).code == "future_point"


@pytest.mark.parametrize("since", ["yesterday", "1234", "not-a-uuid:5"])
def test_a_malformed_point_is_refused(family, analyst, tmp_path, since):
    refused(analyst, tmp_path / "out", "抽出点", since=since)


def test_a_file_that_is_not_a_manifest_is_refused(family, analyst, tmp_path):
    (tmp_path / "other.json").write_text('{"hello": 1}', encoding="utf-8")
    refused(analyst, tmp_path / "out", "manifest.json", since=str(tmp_path / "other.json"))


def test_a_point_no_extraction_made_is_refused(family, analyst, tmp_path):
    refused(analyst, tmp_path / "out", "抽出の記録が見つかりません", since=journal.point())


def test_a_folder_that_is_not_empty_is_refused_unless_forced(family, analyst, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("前回のメモ", encoding="utf-8")
    assert refused(analyst, out, "空ではありません", ).code == "out_not_empty"
    extract(analyst, out, force=True)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "前回のメモ"
    assert (out / "manifest.json").exists() and (out / "residents.parquet").exists()
    first = manifest(out)["created_at"]
    extract(analyst, out, force=True)                  # again over the earlier extraction: replaced
    assert manifest(out)["created_at"] >= first
    assert not [p for p in out.iterdir() if p.name.endswith(".partial")]


def test_an_unknown_user_is_refused_by_the_command(family, tmp_path):
    with pytest.raises(CommandError) as refusal:
        call_command("extract", out=str(tmp_path / "out"), user="nobody")
    assert "利用者「nobody」は存在しない" in str(refusal.value)
    assert not (tmp_path / "out").exists()
    row = OperationLog.objects.filter(function="extract.run").latest("id")
    assert row.outcome == "refused" and row.detail == {"user": "nobody"}


def test_the_command_prints_the_refusal_in_japanese(family, analyst, tmp_path):
    with pytest.raises(CommandError) as refusal:
        call_command("extract", out=str(tmp_path / "out"), user="analyst", as_of="2026-02-30")
    assert "基準日" in str(refusal.value)
