"""A third party's 生年月日 is checked against the 支援措置 offenders, so it must be a date: one that cannot be
read comes back beside its input, with the rest of the form as typed, and nothing is written."""

from jumin.certificates.tests.conftest import certificate_state, error_beside, household_form


def test_the_date_is_refused_beside_the_input(yamada, clerk, screen_as):
    data = household_form(yamada, layout="individual", **{"requester.kind": "third_party",
                                                          "requester.name": "佐藤 一", "requester.birth_date": "S99.13.1",
                                                          "purpose": "相続手続"})
    data["subjects"] = [yamada["head"].addressee_number]
    before = certificate_state()
    response = screen_as(clerk).post("/certificates/new/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "請求者の生年月日" in error_beside(html, "f-requester-birth_date")
    assert 'value="S99.13.1"' in html and 'value="相続手続"' in html
    assert certificate_state() == before


def test_a_viewer_sending_the_same_is_refused_for_the_right(yamada, viewer, screen_as):
    data = household_form(yamada, **{"requester.kind": "third_party", "requester.birth_date": "S99.13.1"})
    before = certificate_state()
    assert screen_as(viewer).post("/certificates/new/", data).status_code == 403
    assert certificate_state() == before
