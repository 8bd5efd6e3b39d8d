"""日計表 (issue #5 item 7): per kind and terminal, requests, copies, pages and fees; 公用 is free; voided
certificates are counted apart; CSV and PDF."""

from conftest import actor
from jumin.certificates.actions import do_void_issuance
from jumin.certificates.queries import daily_summary, daily_summary_csv, daily_summary_pdf
from jumin.certificates.tests.conftest import issue, pdf_text, request_for


def test_fees_are_summed_per_kind_and_official_requests_are_exempt(yamada, clerk, approver):
    issue(clerk, request_for(yamada["head"], layout="individual", copies=2))
    issue(clerk, request_for(yamada["head"], layout="individual", requester_kind="official",
                             requester_name="宮城県警察本部", identity_check="official_document", purpose="捜査"))
    wrong = issue(clerk, request_for(yamada["head"], layout="individual")).issuance
    issue(clerk, request_for(yamada["head"], layout="individual"), terminal="本庁2")
    do_void_issuance(wrong.pk, reason="誤交付", actor=actor(approver))

    summary = daily_summary(actor=actor(clerk), day=wrong.day, terminal="本庁1")
    [line] = summary["lines"]
    assert (line["requests"], line["copies"], line["pages"], line["fee"], line["exempt"]) == (2, 3, 3, 600, 1)
    assert summary["voided"] == 1
    assert daily_summary(actor=actor(clerk), day=wrong.day)["totals"]["fee"] == 900

    csv_text = daily_summary_csv(summary)
    assert csv_text.splitlines()[0].startswith("交付日,端末,種別")
    assert f"{wrong.day.isoformat()},本庁1,住民票の写し,2,3,3,600,1" in csv_text
    text = pdf_text(daily_summary_pdf(summary, municipality_name="仙台市"))
    assert "証明書交付 日計表" in text and "600" in text and "処分した証明書: 1 件" in text
