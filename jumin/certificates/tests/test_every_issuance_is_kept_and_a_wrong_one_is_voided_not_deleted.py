"""交付履歴 (standard-spec §4.5): time, place, terminal, user, requester, purpose, kind, items, pages, 発行番号
and fee are kept; the row cannot be deleted; 処分 is recorded once, by an approver, with a reason."""

import pytest

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.certificates.actions import do_purge_issued_documents, do_void_issuance
from jumin.certificates.models import Issuance, IssuedDocument
from jumin.certificates.tests.conftest import certificate_state, issue, request_for
from jumin.core.errors import PermissionDenied, RuleViolation


def test_the_issuance_records_everything_the_spec_lists(yamada, clerk):
    params = request_for(yamada["head"], yamada["wife"], layout="household", requester_kind="agent",
                         requester_name="代理 人子", purpose="年金の手続", agent_letter=True)
    params["requester"]["name"] = "代理 人子"
    result = issue(clerk, params)
    i = Issuance.objects.get(pk=result.issuance.pk)
    assert (i.place, i.terminal, i.username, i.kind, i.layout) == ("本庁", "本庁1", "clerk", "resident_copy", "household")
    assert (i.requester_kind, i.requester_name, i.purpose, i.agent_letter) == ("agent", "代理 人子", "年金の手続", True)
    assert i.subjects == [yamada["head"].addressee_number, yamada["wife"].addressee_number]
    assert {"name", "address", "head_name"} <= set(i.items) and i.pages == 1 and i.fee == 300
    assert len(i.issue_numbers) == 1 and len(i.content_digest) == 64 and len(i.pdf_digest) == 64
    log = OperationLog.objects.filter(function="certificate.issue")
    assert sorted(log.values_list("addressee_number", flat=True)) == sorted(i.subjects)
    assert log.first().detail["issuance"] == i.pk and log.first().terminal == "本庁1"


def test_an_issuance_cannot_be_deleted(yamada, clerk):
    issuance = issue(clerk, request_for(yamada["head"], layout="individual")).issuance
    with pytest.raises(ValueError, match="削除できません"):
        issuance.delete()
    assert Issuance.objects.filter(pk=issuance.pk).exists()


def test_an_approver_voids_a_wrong_issuance_and_it_stays_in_the_history(yamada, clerk, approver):
    issuance = issue(clerk, request_for(yamada["head"], layout="individual")).issuance
    voided = do_void_issuance(issuance.pk, reason="氏名の確認誤り（回収・廃棄済み）", actor=actor(approver))
    assert voided.voided_at and voided.voided_by == "approver"
    assert Issuance.objects.filter(pk=issuance.pk).exists()
    assert not IssuedDocument.objects.filter(issuance=issuance).exists()  # no reprint of a voided certificate
    assert OperationLog.objects.get(function="certificate.void").reason == "氏名の確認誤り（回収・廃棄済み）"
    before = certificate_state()
    with pytest.raises(RuleViolation, match="処分済み"):
        do_void_issuance(issuance.pk, reason="二度目", actor=actor(approver))
    assert certificate_state() == before


def test_a_clerk_may_not_void_and_a_reason_is_required(yamada, clerk, approver):
    issuance = issue(clerk, request_for(yamada["head"], layout="individual")).issuance
    with pytest.raises(PermissionDenied):
        do_void_issuance(issuance.pk, reason="誤り", actor=actor(clerk))
    with pytest.raises(RuleViolation, match="理由"):
        do_void_issuance(issuance.pk, reason=" ", actor=actor(approver))
    assert Issuance.objects.get(pk=issuance.pk).voided_at is None


def test_kept_pdfs_expire_but_the_history_stays(yamada, clerk, config):
    from datetime import timedelta

    from django.utils import timezone

    issuance = issue(clerk, request_for(yamada["head"], layout="individual")).issuance
    assert do_purge_issued_documents(actor=actor(clerk)) == 0
    later = timezone.now() + timedelta(days=config.document_retention_days + 1)
    assert do_purge_issued_documents(actor=actor(clerk), now=later) == 1
    assert Issuance.objects.filter(pk=issuance.pk).exists() and not IssuedDocument.objects.exists()


def test_the_nightly_command_removes_expired_pdfs_and_logs_it(yamada, clerk, config):
    import io
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    issuance = issue(clerk, request_for(yamada["head"], layout="individual")).issuance
    IssuedDocument.objects.filter(issuance=issuance).update(expires_at=timezone.now() - timedelta(minutes=1))
    out = io.StringIO()
    call_command("purge_issued_documents", stdout=out)
    assert "1 件" in out.getvalue()
    assert Issuance.objects.filter(pk=issuance.pk).exists() and not IssuedDocument.objects.exists()
    assert OperationLog.objects.get(function="certificate.purge_documents").detail == {"removed": 1}
