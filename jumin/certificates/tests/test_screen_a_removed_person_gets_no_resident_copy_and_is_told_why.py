"""A 除票 person gets no 住民票の写し (issue #5 item 8): the reason shows under the list of persons, the form keeps
what was chosen, nothing is written; the 除票の写し for the same person is issued."""

from jumin.certificates.models import Issuance
from jumin.certificates.tests.conftest import certificate_state, error_beside, household_form


def form_for(yamada, person, kind):
    return household_form(yamada, person=person.addressee_number, kind=kind, layout="individual",
                          subjects=[person.addressee_number], **{"requester.name": person.name})


def test_the_resident_copy_is_refused_beside_the_persons(yamada, removed_child, clerk, screen_as):
    before = certificate_state()
    response = screen_as(clerk).post("/certificates/new/", form_for(yamada, removed_child, "resident_copy"))
    assert response.status_code == 422
    html = response.content.decode()
    assert error_beside(html, "f-subjects") == "山田 一郎さんは除票です。住民票の除票の写しを選んでください。"
    assert '<option value="resident_copy" selected>' in html      # what the clerk chose stays chosen
    assert 'href="#f-subjects"' in html                            # and the summary at the top links to it
    assert certificate_state() == before


def test_the_removed_copy_is_issued(yamada, removed_child, clerk, screen_as):
    response = screen_as(clerk).post("/certificates/new/", form_for(yamada, removed_child, "removed_copy"))
    assert response.status_code == 302
    assert Issuance.objects.get().kind == "removed_copy"
