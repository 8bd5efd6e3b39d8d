"""Every 支援措置・抑止 screen refuses a clerk and a viewer with the neutral 403 page: nothing about the order is
shown, nothing is written, and the refusal is in the operation log. An anonymous user is sent to the login."""

import pytest

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.restrictions.actions import do_set_restriction

from .conftest import OFFENDER, state

PAGES = [  # (method, path, function logged)
    ("get", "/restrictions/protections/", "protection.list"),
    ("get", "/restrictions/protections/?ending_soon=on", "protection.list"),
    ("get", "/restrictions/protections/new/?person={number}", "protection.register"),
    ("get", "/restrictions/protections/rows/offender?i=1", "protection.register"),
    ("get", "/restrictions/protections/{order}/", "protection.view"),
    ("get", "/restrictions/restrictions/", "restriction.list"),
    ("post", "/restrictions/protections/new/", "protection.register"),
    ("post", "/restrictions/protections/{order}/extend/", "protection.extend"),
    ("post", "/restrictions/protections/{order}/end/", "protection.end"),
    ("post", "/restrictions/protections/{order}/persons/", "protection.add_person"),
    ("post", "/restrictions/protections/{order}/offenders/", "protection.add_offender"),
    ("post", "/restrictions/protections/{order}/details/", "protection.edit"),
    ("post", "/restrictions/restrictions/", "restriction.set"),
    ("post", "/restrictions/restrictions/{restriction}/end/", "restriction.end"),
    ("post", "/restrictions/restrictions/{restriction}/release/", "restriction.release"),
]
BODY = {"addressee_number": "", "kind": "dv", "offenders[0].name": OFFENDER["name"], "end.reason": "終了",
        "reason": "理由", "minutes": "10", "operation": "view", "level": "error", "expected_version": "1",
        "offender.name": "鈴木 一", "protected_person.addressee_number": "", "details.applicant_phone": "0"}


@pytest.fixture
def targets(protection, hanako, supervisor):
    r = do_set_restriction({"addressee_number": hanako.addressee_number, "operation": "issue", "level": "alert",
                            "reason": "警察からの依頼"}, actor=actor(supervisor))
    return {"order": protection.pk, "number": hanako.addressee_number, "restriction": r.pk}


@pytest.mark.parametrize("role", ["clerk", "viewer"])
@pytest.mark.parametrize("method,path,function", PAGES)
def test_the_screen_is_refused_neutrally_and_logged(targets, hanako, client, role, method, path, function, request):
    client.force_login(request.getfixturevalue(role))
    before = state()
    url = path.format(**targets)
    body = BODY | {"addressee_number": hanako.addressee_number}
    response = client.get(url) if method == "get" else client.post(url, body)
    text = response.content.decode()
    assert response.status_code == 403
    assert "表示できません" in text and "権限がありません" in text
    assert "佐藤 健二" not in text and hanako.address not in text and "山田 花子" not in text
    assert state() == before
    assert OperationLog.objects.filter(function=function, username=role, outcome="refused").exists()


def test_an_anonymous_user_is_sent_to_the_login(targets, client):
    response = client.get(f"/restrictions/protections/{targets['order']}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_supervisor_may_open_every_screen(targets, supervisor, client):
    client.force_login(supervisor)
    for method, path, _ in PAGES:
        if method == "get":
            assert client.get(path.format(**targets)).status_code == 200, path
