"""The token endpoint (共通機能 §2.2.5; issue #18 item 3): a 連携先 registered from the CLI obtains a Bearer token with
the client-credentials grant, authenticating with `client_secret_jwt` (an HS256 assertion signed with its secret)
or, allowed for now, `client_secret_basic`; the token lives TOKEN_SECONDS, has no refresh token, carries the scopes
`001:<resource>:<operation>` of its methods, and introspection says so. Refused, each logged and no token stored:
an unknown client, a wrong secret, a forged, expired or replayed assertion, a revoked client, another grant."""

import base64
import time
import uuid

import pytest
from django.test import Client

from conftest import _user, actor
from jumin.accounts import rules as perms
from jumin.audit.models import OperationLog
from jumin.linkage.actions import do_add_linkage_client, do_revoke_linkage_client
from jumin.linkage.models import LinkageToken
from jumin.linkage.rules import TOKEN_SECONDS
from jumin.linkage.views import TOKEN

AUDIENCE = "http://127.0.0.1:8000/oauth/token"


@pytest.fixture
def tax(db):
    admin = _user("admin", perms.ADMIN, "管理 四郎")
    client, secret = do_add_linkage_client({"business": "010", "name": "個人住民税", "items": ["name", "address"]},
                                           actor=actor(admin))
    return client, secret, admin


def oauth():
    """A client on the loopback address: OAuth 2.0 must use TLS (Authlib refuses plain http but on loopback)."""
    return Client(HTTP_HOST="127.0.0.1:8000")


def basic(client_id, secret):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def assertion(client_id, secret, *, exp_in=120, aud=AUDIENCE, jti=None):
    from joserfc import jwt
    from joserfc.jwk import OctKey

    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": aud, "iat": now, "exp": now + exp_in,
              "jti": jti or uuid.uuid4().hex}
    return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(secret))


def jwt_form(client_id, secret, **kw):
    return {"grant_type": "client_credentials", "client_id": client_id,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion(client_id, secret, **kw)}


def test_a_token_by_client_secret_jwt_and_by_basic(tax):
    client, secret, _ = tax
    answer = oauth().post("/oauth/token", jwt_form(client.client_id, secret))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == TOKEN_SECONDS and "refresh_token" not in body
    assert body["scope"] == "001:changes:read 001:persons:read"
    stored = LinkageToken.objects.get()
    assert stored.token_hash != body["access_token"] and body["access_token"] not in str(list(
        LinkageToken.objects.values()))
    by_basic = oauth().post("/oauth/token", {"grant_type": "client_credentials", "scope": "001:changes:read"},
                             HTTP_AUTHORIZATION=basic(client.client_id, secret))
    assert by_basic.status_code == 200 and by_basic.json()["scope"] == "001:changes:read"

    seen = oauth().post("/oauth/introspect", {"token": body["access_token"]},
                         HTTP_AUTHORIZATION=basic(client.client_id, secret)).json()
    assert seen["active"] and seen["client_id"] == client.client_id and seen["business"] == "010"
    assert OperationLog.objects.filter(function=TOKEN, outcome="ok", username=f"linkage:{client.client_id}").count() == 2


def test_bad_credentials_get_no_token(tax):
    client, secret, admin = tax
    refused = [
        oauth().post("/oauth/token", {"grant_type": "client_credentials"},
                      HTTP_AUTHORIZATION=basic("999-01", secret)),
        oauth().post("/oauth/token", {"grant_type": "client_credentials"},
                      HTTP_AUTHORIZATION=basic(client.client_id, "wrong")),
        oauth().post("/oauth/token", jwt_form(client.client_id, "not-the-secret-but-long-enough-to-sign")),
        oauth().post("/oauth/token", jwt_form(client.client_id, secret, exp_in=-600)),
        oauth().post("/oauth/token", jwt_form(client.client_id, secret, aud="https://elsewhere/token")),
        oauth().post("/oauth/token", {"grant_type": "password", "username": "x", "password": "y"},
                      HTTP_AUTHORIZATION=basic(client.client_id, secret)),
    ]
    replayed = jwt_form(client.client_id, secret, jti="once")
    assert oauth().post("/oauth/token", replayed).status_code == 200
    refused.append(oauth().post("/oauth/token", replayed))
    do_revoke_linkage_client(client.client_id, actor=actor(admin))
    refused.append(oauth().post("/oauth/token", jwt_form(client.client_id, secret)))
    # RFC 6749 §5.2: invalid_client is 401 when the client authenticated in the Authorization header, else 400
    assert [r.status_code for r in refused] == [401, 401, 400, 400, 400, 400, 400, 400], [r.content for r in refused]
    assert all(r.json()["error"] in ("invalid_client", "unsupported_grant_type", "unauthorized_client")
               for r in refused)
    assert LinkageToken.objects.count() == 1
    assert OperationLog.objects.filter(function=TOKEN, outcome="refused").count() == len(refused)


def test_plain_http_off_the_loopback_is_refused(tax):
    client, secret, _ = tax
    answer = Client(HTTP_HOST="testserver").post("/oauth/token", {"grant_type": "client_credentials"},
                                                 HTTP_AUTHORIZATION=basic(client.client_id, secret))
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"
    assert "TLS" in answer.json()["error_description"] and not LinkageToken.objects.exists()
    assert OperationLog.objects.filter(function=TOKEN, outcome="refused").count() == 1
