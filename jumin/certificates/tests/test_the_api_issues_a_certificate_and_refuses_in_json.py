"""The certificate API: issue (PDF in the answer), list, fetch the PDF again, void, verify, 日計表 — and the
refusals as JSON with a Japanese message and the field."""

import base64

from jumin.certificates.tests.conftest import certificate_state, pdf_text


def body(yamada, **extra):
    return {"kind": "resident_copy", "layout": "household", "subjects": [yamada["head"].addressee_number],
            "requester": {"kind": "self", "name": "山田 太郎"}, "identity_check": "driving_licence"} | extra


def test_a_clerk_issues_and_fetches_the_pdf_again(yamada, clerk, approver, api_as):
    api = api_as(clerk)
    response = api.post("/certificates", body(yamada, household_number=yamada["household"], subjects=[]))
    assert response.status_code == 201, response.content
    answer = response.json()
    pdf = base64.b64decode(answer["pdf_base64"])
    assert "山田 一郎" in pdf_text(pdf)  # the whole household by 世帯番号
    again = api.get(f"/certificates/{answer['id']}/pdf")
    assert again.status_code == 200 and again["Content-Type"] == "application/pdf" and again.content == pdf
    assert api.get("/certificates", day=answer["issued_at"][:10]).json()[0]["id"] == answer["id"]
    assert api.get(f"/certificates/verify/{answer['verification_code']}").json()["pages"] == 1
    check = api.post(f"/certificates/verify/{answer['verification_code']}",
                     {"pdf_base64": base64.b64encode(pdf).decode()}).json()
    assert check["pdf_matches"] is True
    daily = api.get("/certificates/daily", day=answer["issued_at"][:10], format="csv")
    assert daily["Content-Type"].startswith("text/csv") and "住民票の写し" in daily.content.decode("utf-8-sig")
    voided = api_as(approver).post(f"/certificates/{answer['id']}/void", {"reason": "誤交付"}).json()
    assert voided["voided"] is True
    assert api.get(f"/certificates/{answer['id']}/pdf").status_code == 404


def test_refusals_are_json_and_write_nothing(yamada, clerk, viewer, api_as):
    before = certificate_state()
    third = api_as(clerk).post("/certificates", body(
        yamada, requester={"kind": "third_party", "name": "債権者"}, purpose="債権回収",
        options={"individual_number": True}))
    assert third.status_code == 422
    assert third.json()["error"]["field"] == "options.individual_number" and "第三者" in third.json()["error"]["message"]
    forbidden = api_as(viewer).post("/certificates", body(yamada))
    assert forbidden.status_code == 403 and "証明書の交付" in forbidden.json()["error"]["message"]
    unknown = api_as(clerk).post("/certificates", body(yamada, kind="family_register"))
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "kind"
    extra = api_as(clerk).post("/certificates", body(yamada, colour="red"))
    assert extra.status_code == 422
    assert certificate_state() == before
    assert api_as(clerk).get("/certificates/daily", day="2026-01-01", format="xls").status_code == 422
