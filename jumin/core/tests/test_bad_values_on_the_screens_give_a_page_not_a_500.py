"""The same bad values sent to the counter, certificates and seals screens — an over-long or NUL-containing
宛名番号, a day before 1873 — give the ordinary refusal or form page, never an HTML 500; the refusal is logged
(issue #15 item 3)."""

import pytest

from jumin.audit.models import REFUSED, OperationLog

BAD_NUMBERS = ["1" * 300, "00000000%0019", "０００\x00"]


@pytest.mark.parametrize("number", BAD_NUMBERS)
@pytest.mark.parametrize("url", ["/counter/residents/{n}/", "/counter/residents/{n}/history/",
                                 "/counter/residents/{n}/as-of/?on=R6.5.1"])
def test_the_counter_answers_a_bad_number_with_a_page(family, clerk, screen_as, url, number):
    """A control character or 100+ characters do not match the screens' `<text:…>` path converter: 404, and no
    NUL ever reaches PostgreSQL (which answered with an error, an HTML 500)."""
    response = screen_as(clerk).get(url.format(n=number))
    assert response.status_code == 404, response.status_code


def test_a_number_that_is_not_there_is_a_logged_refusal(family, clerk, screen_as):
    assert screen_as(clerk).get("/counter/residents/9999999999/").status_code == 404
    assert OperationLog.objects.filter(outcome=REFUSED, addressee_number="9999999999").exists()


def test_the_counter_search_takes_a_nul_as_a_refusal(family, clerk, screen_as):
    response = screen_as(clerk).get("/counter/search/", {"addressee_number": "1\x00", "name": "山" * 300})
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/certificates/daily/?day=1800-01-01", "/certificates/issuances/?day=0001-01-01",
                                 "/certificates/daily.csv?day=1800-01-01"])
def test_the_certificate_screens_answer_an_old_day_with_a_message(family, clerk, screen_as, url):
    assert screen_as(clerk).get(url).status_code in (200, 422)


@pytest.mark.parametrize("number", BAD_NUMBERS)
def test_the_seal_screens_answer_a_bad_number_with_a_page(family, clerk, screen_as, number):
    assert screen_as(clerk).get("/seals/", {"addressee_number": number}).status_code in (200, 403, 404, 422)
    assert screen_as(clerk).get(f"/seals/inquiries/{number}/").status_code in (403, 404)


def test_a_good_number_opens_the_record(family, clerk, screen_as):
    assert screen_as(clerk).get(f"/counter/residents/{family['created'][0]}/").status_code == 200
