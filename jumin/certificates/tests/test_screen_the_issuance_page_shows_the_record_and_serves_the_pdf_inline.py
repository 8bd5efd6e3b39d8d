"""交付履歴 detail: who may view the 交付履歴 (clerk, auditor) sees the numbers, requester and items; who may issue
also gets the kept PDF inline (for reprinting, framed by this site only); a viewer gets the neutral page."""

from jumin.certificates.tests.conftest import certificate_state, issue, pdf_text, request_for


def issued(yamada, clerk):
    return issue(clerk, request_for(yamada["head"], yamada["wife"], yamada["child"], layout="household",
                                    purpose="児童手当")).issuance


def test_the_clerk_sees_the_record_and_gets_the_pdf_inline(yamada, clerk, screen_as):
    issuance = issued(yamada, clerk)
    client = screen_as(clerk)
    html = client.get(f"/certificates/issuances/{issuance.pk}/").content.decode()
    assert "交付履歴：住民票の写し" in html and "交付完了" not in html
    assert issuance.verification_code in html and issuance.issue_numbers[0] in html
    assert "山田 太郎（本人）" in html and "児童手当" in html and "個人番号カード" in html
    assert "住所、世帯主、氏名、生年月日" in html
    assert "<iframe" not in html                                  # the preview only right after issuing

    pdf = client.get(f"/certificates/issuances/{issuance.pk}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline;")
    assert pdf["X-Frame-Options"] == "SAMEORIGIN"
    assert "山田 花子" in pdf_text(pdf.content)


def test_right_after_issuing_the_page_previews_the_pdf(yamada, clerk, screen_as):
    issuance = issued(yamada, clerk)
    html = screen_as(clerk).get(f"/certificates/issuances/{issuance.pk}/?issued=1").content.decode()
    assert "交付完了" in html and f'<iframe src="/certificates/issuances/{issuance.pk}/pdf"' in html


def test_an_auditor_sees_the_record_but_not_the_pdf(yamada, clerk, auditor, screen_as):
    issuance = issued(yamada, clerk)
    client = screen_as(auditor)
    html = client.get(f"/certificates/issuances/{issuance.pk}/").content.decode()
    assert issuance.verification_code in html and "/pdf" not in html
    assert client.get(f"/certificates/issuances/{issuance.pk}/pdf").status_code == 403


def test_a_viewer_gets_the_neutral_page_for_both(yamada, clerk, viewer, screen_as):
    issuance = issued(yamada, clerk)
    before = certificate_state()
    client = screen_as(viewer)
    for path in (f"/certificates/issuances/{issuance.pk}/", f"/certificates/issuances/{issuance.pk}/pdf"):
        response = client.get(path)
        assert response.status_code == 403
        assert issuance.verification_code not in response.content.decode()
    assert certificate_state() == before


def test_an_unknown_issuance_is_a_404_page(yamada, clerk, screen_as):
    response = screen_as(clerk).get("/certificates/issuances/999/")
    assert response.status_code == 404 and "交付履歴 999 は見つかりません" in response.content.decode()
