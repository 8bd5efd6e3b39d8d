"""The 交付履歴 of a certificate names the persons and keeps its content (the address); the auditor reads
交付履歴 and 照合 but has no VIEW_PROTECTED, so an issuance for a 支援措置 person is left out of the list and
reading or verifying it is refused neutrally and logged (issue #15 item 1)."""

import pytest

from jumin.audit.models import OperationLog
from jumin.certificates.tests.conftest import certificate_state, config, issue, mayor, request_for  # noqa: F401
from jumin.restrictions.queries import NEUTRAL_MESSAGE


@pytest.fixture
def issued(protection, hanako, mayor, config, clerk):  # noqa: F811
    """A 住民票の写し of 花子 (protected) asked by herself, and one of 太郎 (not protected)."""
    from jumin.register.models import Resident

    taro = Resident.objects.get(name="山田 太郎")
    own = issue(clerk, request_for(hanako, acknowledged_alerts=["protected"])).issuance
    return own, issue(clerk, request_for(taro)).issuance


def test_the_auditor_does_not_see_the_protected_persons_issuance(issued, hanako, auditor, api_as):
    own, other = issued
    assert [i["id"] for i in api_as(auditor).get("/certificates").json()] == [other.pk]
    before = certificate_state()
    for path in (f"/certificates/{own.pk}", f"/certificates/verify/{own.verification_code}"):
        refused = api_as(auditor).get(path)
        assert refused.status_code == 403 and refused.json()["error"]["message"] == NEUTRAL_MESSAGE
        assert "山田 花子" not in refused.content.decode()
    assert certificate_state() == before
    assert OperationLog.objects.filter(username="auditor", outcome="refused", addressee_number=hanako.addressee_number,
                                       function__in=["certificate.view", "certificate.verify"]).count() == 2


def test_the_clerk_with_the_right_sees_and_verifies_it(issued, clerk, api_as):
    own, _ = issued
    assert own.pk in [i["id"] for i in api_as(clerk).get("/certificates").json()]
    assert api_as(clerk).get(f"/certificates/verify/{own.verification_code}").json()["persons"][0]["name"] == "山田 花子"
