"""照合 (issue #5 item 6): a checker types the code from the paper (or follows the QR code) and sees whether the
certificate was issued, its 発行番号, the persons and the digest; with the PDF file, whether the file is the
one issued. A voided certificate says so; an unknown code says so beside the input; a viewer may not."""

from django.core.files.uploadedfile import SimpleUploadedFile

from jumin.certificates.actions import do_void_issuance
from jumin.certificates.tests.conftest import certificate_state, error_beside, issue, request_for
from conftest import actor


def issued(yamada, clerk):
    return issue(clerk, request_for(yamada["head"], yamada["wife"], layout="household"))


def test_an_auditor_types_the_code_and_sees_what_was_issued(yamada, clerk, auditor, screen_as):
    result = issued(yamada, clerk)
    code = result.issuance.verification_code
    response = screen_as(auditor).post("/certificates/verify/", {"code": code.lower().replace("-", " ")})
    html = response.content.decode()
    assert response.status_code == 200 and "有効" in html and "処分済み" not in html
    assert result.issuance.issue_numbers[0] in html and "山田 太郎、山田 花子" in html
    assert result.issuance.content_digest in html
    assert "一致" not in html                                           # no file, no file verdict


def test_the_qr_address_shows_the_same_result(yamada, clerk, screen_as):
    result = issued(yamada, clerk)
    response = screen_as(clerk).get(f"/certificates/verify/{result.issuance.verification_code}")
    assert response.status_code == 200 and "有効" in response.content.decode()


def test_the_issued_pdf_matches_and_an_altered_one_does_not(yamada, clerk, screen_as):
    result = issued(yamada, clerk)
    client = screen_as(clerk)
    code = result.issuance.verification_code
    same = client.post("/certificates/verify/", {"code": code, "pdf": SimpleUploadedFile("c.pdf", result.pdf)})
    assert "PDF は交付されたものと一致します。" in same.content.decode()
    altered = result.pdf + b"\n% one line added after issuing\n"
    other = client.post("/certificates/verify/", {"code": code, "pdf": SimpleUploadedFile("c.pdf", altered)})
    assert "PDF は交付されたものと一致しません。" in other.content.decode()


def test_a_voided_certificate_is_shown_as_voided(yamada, clerk, approver, screen_as):
    result = issued(yamada, clerk)
    do_void_issuance(result.issuance.pk, reason="印字ずれ", actor=actor(approver))
    html = screen_as(clerk).get(f"/certificates/verify/{result.issuance.verification_code}").content.decode()
    assert "処分済み（無効）" in html and "印字ずれ" in html


def test_an_unknown_or_misread_code_is_said_beside_the_input(yamada, clerk, screen_as):
    client = screen_as(clerk)
    typo = client.post("/certificates/verify/", {"code": "ABCD-EFGH-JKLM"})
    assert typo.status_code == 422
    assert "照合番号の形式が正しくありません" in error_beside(typo.content.decode(), "f-code")
    assert 'value="ABCD-EFGH-JKLM"' in typo.content.decode()
    from jumin.certificates.rules import new_verification_code

    unknown = client.get(f"/certificates/verify/{new_verification_code()}")
    assert unknown.status_code == 404
    assert "この照合番号で交付された証明書はありません" in error_beside(unknown.content.decode(), "f-code")
    empty = client.post("/certificates/verify/", {"code": ""})
    assert "照合番号を入力してください" in error_beside(empty.content.decode(), "f-code")


def test_a_viewer_may_not_verify_and_a_stranger_is_sent_to_log_in(yamada, clerk, viewer, screen_as, client):
    result = issued(yamada, clerk)
    code = result.issuance.verification_code
    before = certificate_state()
    for response in (screen_as(viewer).get(f"/certificates/verify/{code}"),
                     screen_as(viewer).post("/certificates/verify/", {"code": code})):
        assert response.status_code == 403 and "山田" not in response.content.decode()
    stranger = client.get(f"/certificates/verify/{code}")
    assert stranger.status_code == 302 and stranger["Location"].startswith("/login/?next=")
    assert certificate_state() == before
