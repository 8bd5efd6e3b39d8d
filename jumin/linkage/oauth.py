"""The OAuth 2.0 authorisation server of the linkage API (共通機能 §2.2.5; issue #18 item 3), on Authlib
(docs/adr/0004): the client-credentials grant only, client authentication `client_secret_jwt` (RFC 7523, each
assertion used once) or, allowed for now, `client_secret_basic`; Bearer tokens of TOKEN_SECONDS, no refresh token;
token introspection (RFC 7662) for the resource side; scopes `${業務システムID}:${リソース名}:${操作名}`."""

from __future__ import annotations

from datetime import timedelta

from authlib.integrations.django_oauth2 import AuthorizationServer, ResourceProtector
from authlib.integrations.django_oauth2.resource_protector import BearerTokenValidator
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant as _ClientCredentialsGrant
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7662 import IntrospectionEndpoint as _IntrospectionEndpoint
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jumin.linkage import rules
from jumin.linkage.models import LinkageAssertion, LinkageClient, LinkageToken

TOKEN_PATH = "/oauth/token"


class ClientCredentialsGrant(_ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(rules.AUTH_METHODS)


class ClientSecretJWT(JWTBearerClientAssertion):
    """client_secret_jwt: an HS256 assertion signed with the client's own secret, for this token endpoint."""

    def get_audiences(self):
        base = getattr(settings, "JUMIN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
        return [base + TOKEN_PATH, *getattr(settings, "JUMIN_LINKAGE_AUDIENCES", [])]

    def resolve_client_public_key(self, client):
        from joserfc.jwk import OctKey

        from jumin.linkage.actions import unseal

        return OctKey.import_key(unseal(client.secret_sealed))

    def validate_jti(self, claims, jti):
        expires = timezone.now() + timedelta(seconds=max(int(claims.get("exp", 0)) - int(timezone.now().timestamp()),
                                                          0) + 60)
        try:
            with transaction.atomic():
                LinkageAssertion.objects.create(client_id=str(claims["sub"])[:40], jti=str(jti)[:200],
                                                expires_at=expires)
        except IntegrityError:
            return False
        return True


class Server(AuthorizationServer):
    def query_client(self, client_id):
        return LinkageClient.objects.filter(client_id=str(client_id)[:40], revoked_at__isnull=True).first()

    def save_token(self, token, request):
        now = timezone.now()
        return LinkageToken.objects.create(
            token_hash=rules.hash_secret(token["access_token"]), client=request.client, scope=token.get("scope", ""),
            issued_at=now, expires_at=now + timedelta(seconds=int(token["expires_in"])))


class IntrospectionEndpoint(_IntrospectionEndpoint):
    CLIENT_AUTH_METHODS = list(rules.AUTH_METHODS)

    def query_token(self, token_string, token_type_hint):
        return LinkageToken.objects.select_related("client").filter(
            token_hash=rules.hash_secret(token_string or "")).first()

    def introspect_token(self, token):
        return {"active": True, "client_id": token.client.client_id, "scope": token.scope, "token_type": "Bearer",
                "exp": token.get_expires_at(), "iat": int(token.issued_at.timestamp()),
                "business": token.client.business}

    def check_permission(self, token, client, request):
        return token.client_id == client.pk        # a client introspects its own tokens


class Validator(BearerTokenValidator):
    def authenticate_token(self, token_string):
        return LinkageToken.objects.select_related("client").filter(
            token_hash=rules.hash_secret(token_string or "")).first()


def build_server() -> Server:
    server = Server(LinkageClient, LinkageToken)
    server.load_config({"token_expires_in": {"client_credentials": rules.TOKEN_SECONDS},
                        "refresh_token_generator": False})
    server.register_grant(ClientCredentialsGrant)
    server.register_client_auth_method(ClientSecretJWT.CLIENT_AUTH_METHOD, ClientSecretJWT())
    server.register_endpoint(IntrospectionEndpoint)
    return server


server = build_server()
protector = ResourceProtector()
protector.register_token_validator(Validator(LinkageToken))
