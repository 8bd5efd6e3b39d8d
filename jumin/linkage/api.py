"""The linkage API (共通機能 §2.2: REST PULL; issue #18 item 3): the differential feed. Authenticated by the linkage
OAuth token (Bearer, from /oauth/token), never by a staff login; each operation needs its scope."""

from ninja import Router
from ninja.security import HttpBearer

from jumin.core.errors import PermissionDenied
from jumin.linkage import queries, rules
from jumin.linkage import schemas as s

TAGS = ["庁内連携"]


class LinkageBearer(HttpBearer):
    """A linkage access token: active, of a client not revoked. The scope is checked by each operation."""

    def authenticate(self, request, token):
        from jumin.linkage.oauth import Validator

        found = Validator(None).authenticate_token(token)
        if found is None or found.is_expired() or found.is_revoked():
            return None
        request.linkage_token = found
        return found.client


def _client(request, scope: str, function: str):
    """The 連携先 behind the token, if the token has the operation's scope (a refusal is logged)."""
    from jumin.audit.actions import refuse
    from jumin.linkage.views import client_actor

    token = request.linkage_token
    if scope not in token.scope.split():
        refuse(client_actor(token.client.client_id), function,
               PermissionDenied(f"このトークンにはスコープ {scope} がありません。", code="insufficient_scope"),
               detail={"scope": token.scope[:200]})
    return token.client


router = Router(auth=[LinkageBearer()])


@router.get("linkage/v1/changes", tags=TAGS, response={200: s.FeedOut, 410: s.FeedGoneOut},
            summary="差分データ（通番 after より後の異動を順に。連携先の項目だけ。同じ after なら同じ答え）")
def changes(request, after: int = 0, limit: int = 100):
    from jumin.linkage.views import client_actor

    client = _client(request, f"{rules.PROVIDER}:changes:read", queries.CHANGES)
    return queries.changes(client, after=after, limit=limit, actor=client_actor(client.client_id))


@router.get("linkage/v1/reconciliation", tags=TAGS, response=s.ReconciliationOut,
            summary="日次の突合（その日の異動の件数・通番の範囲・人数と、受け取った内容のチェックサム）")
def reconciliation(request, date: str):
    from jumin.linkage.views import client_actor

    client = _client(request, f"{rules.PROVIDER}:changes:read", queries.RECONCILIATION)
    return queries.reconciliation(client, day=date, actor=client_actor(client.client_id))


@router.get("linkage/v1/persons/{addressee_number}", tags=TAGS, response=s.PersonAsOfOut,
            summary="ある日時点の個人（異動日または記録日の基準。連携先の項目だけ）")
def person(request, addressee_number: str, as_of: str = "", basis: str = "effective"):
    from jumin.linkage.views import client_actor

    client = _client(request, f"{rules.PROVIDER}:persons:read", queries.PERSON)
    return queries.person_as_of(client, addressee_number, as_of=as_of, basis=basis,
                                actor=client_actor(client.client_id))


@router.get("linkage/v1/persons", tags=TAGS, response=s.PersonsPageOut,
            summary="ある日時点の全件データ（宛名番号順のページ。next を after に渡して続きを取得）")
def persons(request, as_of: str = "", after: str = "", limit: int = 100):
    from jumin.linkage.views import client_actor

    client = _client(request, f"{rules.PROVIDER}:persons:read", queries.PERSONS)
    return queries.persons_as_of(client, as_of=as_of, after=after, limit=limit, actor=client_actor(client.client_id))
