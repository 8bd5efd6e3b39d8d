"""A third party can never get 個人番号 (issue #5 item 2): the form comes back with the reason under the 個人番号
option, everything typed still there, and nothing written; without the option the same request is issued."""

from jumin.certificates.models import Issuance
from jumin.certificates.tests.conftest import certificate_state, error_beside, household_form, is_checked

THIRD_PARTY = {"layout": "individual", "subjects": None, "requester.kind": "third_party",
               "requester.name": "株式会社 東北債権", "requester.birth_date": "", "purpose": "債権回収のため",
               "identity_check": "official_document"}


def test_the_refusal_is_beside_the_option_and_nothing_is_written(yamada, clerk, screen_as):
    data = household_form(yamada, **THIRD_PARTY, **{"options.individual_number": "on"})
    data["subjects"] = [yamada["head"].addressee_number]
    before = certificate_state()
    response = screen_as(clerk).post("/certificates/new/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert error_beside(html, "f-options-individual_number") == "第三者からの請求には個人番号を記載できません。"
    assert certificate_state() == before
    # nothing typed is lost
    assert 'value="株式会社 東北債権"' in html and 'value="債権回収のため"' in html
    assert '<option value="third_party" selected>' in html and '<option value="official_document" selected>' in html
    assert is_checked(html, "f-options-individual_number")
    assert is_checked(html, f"f-subjects-{yamada['head'].addressee_number}")
    assert not is_checked(html, f"f-subjects-{yamada['wife'].addressee_number}")
    assert 'value="individual" checked' in html


def test_without_the_option_the_third_party_gets_the_copy(yamada, clerk, screen_as):
    data = household_form(yamada, **THIRD_PARTY)
    data["subjects"] = [yamada["head"].addressee_number]
    response = screen_as(clerk).post("/certificates/new/", data)
    assert response.status_code == 302
    issuance = Issuance.objects.get()
    assert issuance.requester_kind == "third_party" and not issuance.individual_number_printed
