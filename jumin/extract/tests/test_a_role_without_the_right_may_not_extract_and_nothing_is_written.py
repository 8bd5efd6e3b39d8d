"""Rights (issue #16 item 2): the user's role decides what is extracted, through the data dictionary
(`allowed_items`: データ抽出 and each entity's own right). A role without them, or asking for an entity or for
items it may not have (個人番号, 支援措置), is refused with a Japanese message, nothing is written, and the
refusal is in the operation log."""

import pytest

from jumin.audit.models import OperationLog
from jumin.core.errors import PermissionDenied
from jumin.extract.tests.conftest import extract, manifest

pytestmark = pytest.mark.django_db


def refused(user, out, **options):
    with pytest.raises(PermissionDenied) as refusal:
        extract(user, out, **options)
    assert not out.exists()
    row = OperationLog.objects.filter(function="extract.run").latest("id")
    assert row.outcome == "refused" and row.username == user.username and row.reason == refusal.value.message
    return refusal.value.message


def test_a_clerk_without_the_extraction_right_is_refused(family, clerk, tmp_path):
    assert "データ抽出・EUC" in refused(clerk, tmp_path / "out")


def test_an_entity_the_role_may_not_extract_is_refused(family, auditor, analyst, tmp_path):
    message = refused(auditor, tmp_path / "out", entities="residents")
    assert "住民票" in message and "住民票の照会" in message
    assert "操作ログ" in refused(analyst, tmp_path / "out", entities="operation_log")


def test_items_the_role_may_not_have_are_refused_not_dropped(family, analyst, tmp_path):
    assert "個人番号" in refused(analyst, tmp_path / "out", include_individual_number=True)
    assert "支援措置" in refused(analyst, tmp_path / "out", include_protected=True)


def test_a_role_that_may_extracts_what_it_may_and_the_manifest_says_what_was_left_out(family, analyst, approver,
                                                                                      tmp_path):
    extract(analyst, tmp_path / "analyst")
    left = manifest(tmp_path / "analyst")["left_out"]
    assert {e["entity"] for e in left["entities"]} >= {"issuances", "seals", "operation_log", "protections"}
    assert {(i["entity"], i["item"]) for i in left["items"]} >= {("residents", "individual_number"),
                                                                 ("changes", "params")}
    extract(approver, tmp_path / "approver", include_individual_number=True)
    got = manifest(tmp_path / "approver")
    assert got["individual_number"] is True
    columns = next(f["columns"] for f in got["files"] if f["entity"] == "residents")
    assert "individual_number" in [c["name"] for c in columns]
    assert OperationLog.objects.filter(function="extract.run", username="approver").get().individual_number_shown
