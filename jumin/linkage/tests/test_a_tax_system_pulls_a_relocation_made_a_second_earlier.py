"""The differential feed (issue #18 item 3, "done when"): a tax system's client, registered from the CLI, obtains a
token and pulls a 転居 made a second earlier — its items only, never a 個人番号 it may not have; the same `after`
gives the same answer; a 支援措置 person is a masked marker for a client that receives such persons and withheld for
one that does not; every number is there. Refused: `after` beyond the last (409, resynchronise), `limit` out of range
(422), a staff token or none (401), a token without the scope (403), a revoked client (401)."""

import base64
import io

from django.core.management import call_command
from django.test import Client

from conftest import _user, actor
from jumin.accounts import rules as perms
from jumin.accounts.models import ApiToken
from jumin.audit.models import OperationLog
from jumin.linkage.queries import CHANGES
from jumin.register.actions import do_relocate
from jumin.register.models import Resident

MOVE = {"effective_on": "R6.5.1", "notified_on": "R6.5.1",
        "address": {"postcode": "9813204", "address": "宮城県仙台市泉区寺岡一丁目1番1号"}}


def _register(*args) -> tuple[str, str]:
    out = io.StringIO()
    call_command("linkage", "client", "add", *args, stdout=out)
    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines() if ": " in line)
    return lines["client_id"], lines["client_secret"]


def _token(client_id, secret, scope=None) -> str:
    form = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    auth = "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    answer = Client(HTTP_HOST="127.0.0.1:8000").post("/oauth/token", form, HTTP_AUTHORIZATION=auth)
    assert answer.status_code == 200, answer.content
    return answer.json()["access_token"]


def _feed(token, **params):
    return Client().get("/api/linkage/v1/changes", params, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_tax_system_pulls_the_relocation_with_its_items_only(family, clerk, admin):
    client_id, secret = _register("--business", "010", "--name", "個人住民税", "--items", "name,address,postcode")
    token = _token(client_id, secret)
    start = _feed(token).json()
    assert [e["seq"] for e in start["events"]] == [1, 2, 3] and start["last"] == 3 and not start["more"]

    household = Resident.objects.get(name="山田 太郎").household_number
    do_relocate({"household_number": household, **MOVE}, actor=actor(clerk))
    page = _feed(token, after=start["next"]).json()
    assert [e["seq"] for e in page["events"]] == [4, 5, 6] and page["next"] == 6
    moved = page["events"][0]
    assert moved["kind"] == "relocation" and not moved["withheld"] and not moved["restricted"]
    assert set(moved["after"]) == {"name", "address", "postcode"} and moved["after"]["address"].startswith("宮城県仙台市泉区")
    assert moved["before"]["address"].startswith("宮城県仙台市青葉区") and moved["changed"] == ["address", "postcode"]
    everything = str(_feed(token).json())
    assert "123456789018" not in everything and "individual_number" not in everything     # 個人番号: never
    assert _feed(token, after=3).json() == page                                           # the same answer
    logged = OperationLog.objects.filter(function=CHANGES, outcome="ok", username=f"linkage:{client_id}")
    assert logged.filter(addressee_number=moved["addressee_number"]).exists()


def test_a_protected_person_is_masked_or_withheld(family, clerk, admin):
    from jumin.restrictions.actions import do_register_protection

    supervisor = _user("supervisor", perms.SUPERVISOR, "支援 五郎")
    hanako = Resident.objects.get(name="山田 花子")
    do_register_protection({"addressee_number": hanako.addressee_number, "kind": "dv"}, actor=actor(supervisor))
    receives = _token(*_register("--business", "024", "--name", "国民健康保険", "--items", "name,address",
                                 "--protected"))
    plain = _token(*_register("--business", "010", "--name", "個人住民税", "--items", "name,address"))
    masked = next(e for e in _feed(receives).json()["events"] if e.get("addressee_number") == hanako.addressee_number)
    assert masked["restricted"] and masked["after"] is None and masked["before"] is None
    events = _feed(plain).json()["events"]
    assert [e["seq"] for e in events] == [1, 2, 3, 4]
    withheld = [e for e in events if e["withheld"]]
    assert len(withheld) == 1 and withheld[0]["addressee_number"] is None and withheld[0]["after"] is None
    # the 支援措置 flag itself reaches every 連携先 — her number and the flag, nothing of her record
    flag = events[3]
    assert (flag["kind"], flag["addressee_number"], flag["after"]) == ("flag.protection", hanako.addressee_number,
                                                                      {"支援措置": True})
    assert hanako.addressee_number not in str(events[:3]) and "山田 花子" not in str(events)


def test_bad_requests_are_refused(family, clerk, admin):
    client_id, secret = _register("--business", "010", "--name", "個人住民税", "--items", "name")
    token = _token(client_id, secret)
    beyond = _feed(token, after=99)
    assert beyond.status_code == 409 and "再同期" in beyond.json()["error"]["message"]
    assert _feed(token, limit=0).status_code == 422 and _feed(token, limit=5000).status_code == 422
    assert Client().get("/api/linkage/v1/changes").status_code == 401
    _, staff = ApiToken.issue(clerk, "staff")
    assert _feed(staff).status_code == 401
    other = _token(client_id, secret, scope="001:persons:read")
    assert _feed(other).status_code == 403
    call_command("linkage", "client", "revoke", client_id)
    assert _feed(token).status_code == 401
    assert OperationLog.objects.filter(function=CHANGES, outcome="refused").count() == 4     # 409, 422 ×2, 403
