"""照合 (issue #5 item 6): the code printed on every page (and in the QR) finds the issuance; a made-up code, a
voided certificate or an altered PDF file shows as such; only authorised roles may look."""

import hashlib

import pytest

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.certificates.actions import do_void_issuance
from jumin.certificates.queries import verify
from jumin.certificates.tests.conftest import issue, pdf_text, request_for
from jumin.core.errors import NotFound, PermissionDenied

pytestmark = pytest.mark.usefixtures("either_renderer")


def test_the_code_on_the_paper_finds_the_issuance(yamada, clerk, auditor):
    result = issue(clerk, request_for(yamada["head"], layout="individual"))
    code = result.issuance.verification_code
    assert code in pdf_text(result.pdf)
    answer = verify(code.lower().replace("-", ""), actor=actor(auditor))
    assert answer["status"] == "有効に交付されています"
    assert answer["issue_numbers"] == result.issuance.issue_numbers
    assert answer["persons"] == [{"addressee_number": yamada["head"].addressee_number, "name": "山田 太郎"}]
    assert OperationLog.objects.filter(function="certificate.verify", user=auditor).exists()


def test_the_issued_file_matches_and_an_altered_one_does_not(yamada, clerk):
    result = issue(clerk, request_for(yamada["head"], layout="individual"))
    code = result.issuance.verification_code
    assert verify(code, actor=actor(clerk), pdf=result.pdf)["pdf_matches"] is True
    altered = result.pdf.replace(b"startxref", b"% edited\nstartxref")  # an incremental edit changes the bytes
    assert hashlib.sha256(altered).hexdigest() != result.issuance.pdf_digest
    assert verify(code, actor=actor(clerk), pdf=altered)["pdf_matches"] is False


def test_a_voided_certificate_shows_as_invalid(yamada, clerk, approver):
    issuance = issue(clerk, request_for(yamada["head"], layout="individual")).issuance
    do_void_issuance(issuance.pk, reason="誤交付", actor=actor(approver))
    answer = verify(issuance.verification_code, actor=actor(clerk))
    assert answer["voided"] and answer["status"].startswith("処分済み")


def test_a_made_up_code_is_not_found_and_a_malformed_one_says_how_it_looks(yamada, clerk):
    issue(clerk, request_for(yamada["head"], layout="individual"))
    from jumin.certificates.rules import new_verification_code

    with pytest.raises(NotFound, match="偽造"):
        verify(new_verification_code(b"\x01" * 8), actor=actor(clerk))
    with pytest.raises(NotFound, match="形式"):
        verify("HELLO", actor=actor(clerk))


def test_a_viewer_may_not_verify(yamada, clerk, viewer):
    issuance = issue(clerk, request_for(yamada["head"], layout="individual")).issuance
    with pytest.raises(PermissionDenied):
        verify(issuance.verification_code, actor=actor(viewer))
