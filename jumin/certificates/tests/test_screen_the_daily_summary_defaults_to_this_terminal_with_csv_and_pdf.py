"""日計表 (issue #5 item 7): for today and this session's terminal unless asked otherwise, with the CSV and PDF of
the same figures; a viewer gets the neutral page for all three."""

import csv
import io

from jumin.certificates.tests.conftest import certificate_state, issue, pdf_text, request_for


def issued_at_two_terminals(yamada, clerk):
    issue(clerk, request_for(yamada["head"], layout="individual", copies=2), terminal="本庁1")
    issue(clerk, request_for(yamada["wife"], layout="individual"), terminal="支所2")


def test_the_page_shows_this_terminal_then_all(yamada, clerk, screen_as):
    issued_at_two_terminals(yamada, clerk)
    client = screen_as(clerk, terminal="本庁1")
    html = client.get("/certificates/daily/").content.decode()
    assert "端末 本庁1" in html
    assert "<td>住民票の写し</td><td>1</td><td>2</td><td>2</td><td>600</td>" in html
    assert 'href="/certificates/daily.csv?day=' in html and "terminal=%E6%9C%AC%E5%BA%811" in html
    html = client.get("/certificates/daily/?terminal=").content.decode()
    assert "全端末" in html and "<td>住民票の写し</td><td>2</td><td>3</td><td>3</td><td>900</td>" in html


def test_the_csv_and_the_pdf_carry_the_same_figures(yamada, clerk, screen_as):
    issued_at_two_terminals(yamada, clerk)
    client = screen_as(clerk, terminal="本庁1")
    response = client.get("/certificates/daily.csv")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["交付日", "端末", "種別"]
    assert ["本庁1", "住民票の写し", "1", "2", "2", "600", "0"] == lines[1][1:]
    pdf = client.get("/certificates/daily.pdf?terminal=")
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].startswith("inline;")
    assert "900" in pdf_text(pdf.content)


def test_a_viewer_gets_the_neutral_page_for_the_page_and_the_files(yamada, clerk, viewer, screen_as):
    issued_at_two_terminals(yamada, clerk)
    before = certificate_state()
    client = screen_as(viewer)
    for path in ("/certificates/daily/", "/certificates/daily.csv", "/certificates/daily.pdf"):
        response = client.get(path)
        assert response.status_code == 403 and response["Content-Type"].startswith("text/html")
    assert certificate_state() == before
