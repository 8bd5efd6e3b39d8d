"""Incremental extraction (issue #16 item 3): a full extraction at t0, merged by key with the incremental one
from t0 to t1, equals a full extraction at t1 — for every entity each role extracts, after a realistic mix of
actions between t0 and t1: changes entered and approved, one cancelled, a certificate issued and one voided, a
seal registered, another abolished and purged (a deleted row), a protection set, a restriction set and ended.

This is what proves that every action that writes an extracted row journals it (jumin.core.journal): a row
changed without a journal entry would be missing from the increment and the merge would differ.
"""

from datetime import date

import pytest

from conftest import actor, family_params
from jumin.core.models import current_municipality
from jumin.extract.tests.conftest import extract, manifest, merged, tables
from jumin.register.models import Resident

pytestmark = pytest.mark.django_db


def two_step():
    municipality = current_municipality()
    municipality.draft_required = True
    municipality.save()


def approve(change, approver):
    from jumin.register.actions import do_approve_change

    return do_approve_change(change.pk, actor=actor(approver))


def relocation(household, address):
    return {"household_number": household, "effective_on": "R6.6.1", "notified_on": "R6.6.1",
            "address": {"postcode": "9800811", "address": address}}


SATO = {"name": "佐藤 一人", "name_kana": "サトウ カズト", "birth_date": "S60.1.1", "sex": "1", "relationship": "世帯主",
        "domicile_status": "recorded", "domicile": "宮城県仙台市青葉区本町三丁目8番", "domicile_head": "佐藤 一人"}


def certificate(clerk, person):
    from jumin.certificates.tests.conftest import issue, request_for

    return issue(clerk, request_for(person, layout="individual")).issuance


def test_full_at_t0_plus_the_increment_to_t1_equals_a_full_extraction_at_t1(yamada, clerk, approver, supervisor,
                                                                           tmp_path):
    from jumin.certificates.actions import do_void_issuance
    from jumin.register.actions import do_cancel_change, do_correct_record, do_relocate
    from jumin.restrictions.actions import (do_edit_protection, do_end_restriction, do_register_protection,
                                            do_set_restriction)
    from jumin.seals.actions import do_abolish_registration, do_purge_expired_registrations, do_report_card_loss
    from jumin.seals.tests.conftest import register, seal_scan

    from jumin.register.actions import do_move_in

    head, wife, child = yamada["head"], yamada["wife"], yamada["child"]
    sato = Resident.objects.get(addressee_number=do_move_in(family_params(members=[SATO]),
                                                            actor=actor(clerk)).result["created"][0])
    # before t0: rows that the day's actions will change — each by one action only, so a missing journal entry
    # in any of them shows
    first_issue = certificate(clerk, head)
    seal_of_head = register(clerk, head)
    seal_of_wife = register(clerk, wife, scan=seal_scan("花子"), represents="given_name")
    register(clerk, sato, scan=seal_scan("佐藤"))
    order = do_register_protection({"addressee_number": head.addressee_number, "kind": "dv"}, actor=actor(supervisor))
    held = do_set_restriction({"addressee_number": child.addressee_number, "operation": "issue", "level": "alert",
                               "reason": "確認のため"}, actor=actor(supervisor))
    everyone = {"include_protected": True, "include_individual_number": True}
    extract(approver, tmp_path / "approver_t0", **everyone)
    extract(supervisor, tmp_path / "supervisor_t0", include_protected=True)

    # t0 → t1: the counter's day
    two_step()
    do_abolish_registration({"registration_number": seal_of_head.registration_number, "card_returned": True},
                            actor=actor(clerk))
    assert do_purge_expired_registrations(today=date(2040, 1, 1)) == 1       # the abolished 原票 is removed
    do_report_card_loss({"registration_number": seal_of_wife.registration_number}, actor=actor(clerk))  # 廃止
    approve(do_relocate(relocation(yamada["household"], "宮城県仙台市青葉区一番町一丁目2番3号"), actor=actor(clerk)),
            approver)
    approve(do_relocate(relocation(sato.household_number, "宮城県仙台市泉区泉中央一丁目1番1号"), actor=actor(clerk)),
            approver)                                            # the 原票 follows the new address (seals)
    corrected = approve(do_correct_record({"addressee_number": child.addressee_number,
                                           "correction_kind": "clerical_correction", "effective_on": "R6.6.3",
                                           "reason": "誤記", "items": {"name": "山田 壱郎"}}, actor=actor(clerk)),
                        approver)
    approve(do_cancel_change({"change_id": corrected.pk, "reason": "誤記ではなかったため"}, actor=actor(clerk)),
            approver)
    certificate(clerk, wife)
    do_void_issuance(first_issue.pk, reason="記載誤りのため", actor=actor(approver))
    register(clerk, Resident.objects.get(pk=head.pk), scan=seal_scan("太郎"), represents="given_name")
    do_edit_protection(order.pk, {"note": "転居先の照会に注意"}, expected_version=order.version,
                       actor=actor(supervisor))
    do_register_protection({"addressee_number": wife.addressee_number, "kind": "dv"}, actor=actor(supervisor))
    do_end_restriction(held.pk, reason="確認済み", actor=actor(supervisor))
    do_set_restriction({"household_number": yamada["household"], "operation": "change", "level": "alert",
                        "reason": "同居人の確認"}, actor=actor(supervisor))

    for user, name, options in ((approver, "approver", everyone), (supervisor, "supervisor",
                                                                   {"include_protected": True})):
        increment = extract(user, tmp_path / f"{name}_increment", since=str(tmp_path / f"{name}_t0" / "manifest.json"),
                            **options)
        assert increment["mode"] == "incremental", increment.get("full_because")
        now = extract(user, tmp_path / f"{name}_t1", **options)
        assert now["snapshot_point"] == increment["snapshot_point"]
        assert merged(tmp_path / f"{name}_t0", tmp_path / f"{name}_increment") == tables(tmp_path / f"{name}_t1"), name

    rows = {f["file"]: f["rows"] for f in manifest(tmp_path / "approver_increment")["files"]}
    assert rows["seals.deleted.parquet"] == 1                    # the purged 原票 is listed as no longer present
    assert rows["residents.parquet"] == 4 and rows["issuances.parquet"] == 2 and rows["seals.parquet"] == 3
    rows = {f["entity"]: f["rows"] for f in manifest(tmp_path / "supervisor_increment")["files"]}
    assert rows["protections"] == 2 and rows["restrictions"] == 2
