"""交付: the clerk sends the form and lands on the issuance's page (交付完了) with the 発行番号 of each page,
the 照合番号, the fee and the PDF; a viewer who posts the same form gets the neutral page and nothing is written."""

from jumin.certificates.models import Issuance
from jumin.certificates.tests.conftest import certificate_state, household_form


def test_the_clerk_issues_and_sees_the_numbers_the_fee_and_the_pdf(yamada, clerk, screen_as):
    client = screen_as(clerk, terminal="本庁1")
    response = client.post("/certificates/new/", household_form(yamada, copies="2"))
    issuance = Issuance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/certificates/issuances/{issuance.pk}/?issued=1"
    assert issuance.subjects == [yamada[k].addressee_number for k in ("head", "wife", "child")]
    assert (issuance.kind, issuance.layout, issuance.copies, issuance.fee) == ("resident_copy", "household", 2, 600)
    assert issuance.terminal == "本庁1" and issuance.requester_kind == "self"

    html = client.get(response["Location"]).content.decode()
    assert "交付完了" in html
    assert issuance.verification_code in html
    assert len(issuance.issue_numbers) == 2                       # one page a copy, each its own 通番
    for number in issuance.issue_numbers:
        assert f"<li>{number}</li>" in html
    assert "本庁1 プリンタ001 001 1/1" in issuance.issue_numbers[0]
    assert "600円" in html
    assert f'href="/certificates/issuances/{issuance.pk}/pdf"' in html
    assert "山田 花子" in html and "山田 一郎" in html


def test_the_options_left_unticked_are_not_printed(yamada, clerk, screen_as):
    screen_as(clerk).post("/certificates/new/", household_form(yamada, **{"options.head_relationship": None}))
    issuance = Issuance.objects.get()
    assert issuance.options["head_relationship"] is False and "relationship" not in issuance.items


def test_a_viewer_posting_the_form_gets_the_neutral_page_and_nothing_is_written(yamada, viewer, screen_as):
    before = certificate_state()
    response = screen_as(viewer).post("/certificates/new/", household_form(yamada))
    assert response.status_code == 403
    assert "表示できません" in response.content.decode()
    assert certificate_state() == before
