"""Reading the data dictionary (issue #16 item 1): who may, and the answers of the API and the screen.

The dictionary describes the structure of the data, never a person, so every role whose work touches the data may
read it: 住民票の照会 (clerks, viewers, supervisors, analysts), データ抽出・EUC (everyone who extracts) or 操作ログの照会
(auditors). Only the system administrator, whose role has no business data at all, is refused — the refusal is
logged like any other. A successful read is not logged: it shows no 宛名番号 (standard-spec §10.2 logs accesses
to records), and logging it would bury the rows that matter.
"""

from jumin.accounts import rules
from jumin.audit.actions import Actor, refuse
from jumin.core import dictionary as d
from jumin.core.errors import NotFound, PermissionDenied, RuleViolation

FUNCTION = "dictionary.view"
READ_RIGHTS = (rules.VIEW_RECORD, rules.EXTRACT_DATA, rules.VIEW_OPERATION_LOG)
QUERY_MAX = 100


def may_read(role: str | None) -> bool:
    return any(rules.has_permission(role, right) for right in READ_RIGHTS)


def require_reader(actor: Actor) -> None:
    if not may_read(getattr(actor.user, "role", None)):
        refuse(actor, FUNCTION, PermissionDenied(
            "データディクショナリを見る権限がありません（住民票の照会、データ抽出・EUC、操作ログの照会のいずれかが必要です）。"))


def _api_entity(data: dict, actor: Actor) -> dict:
    entity = dict(data)
    entity["where"] = [{"item": k, "value": str(v)} for k, v in data["where"].items()]
    entity["you_may_extract"] = d.may_extract(actor.user.role, data["code"])
    return entity


def dictionary_answer(*, actor: Actor) -> dict:
    """The whole dictionary (as_json) for the API: roles and `where` as lists, and whether this user may extract
    each entity."""
    require_reader(actor)
    data = d.as_json()
    return {**data, "roles": [{"code": code, "label": label} for code, label in data["roles"].items()],
            "entities": [_api_entity(e, actor) for e in data["entities"]]}


def entity_answer(code: str, *, actor: Actor) -> dict:
    """One entity with its items; an unknown code is a 404 with the known codes in the message (logged)."""
    require_reader(actor)
    try:
        found = d.entity(code)
    except RuleViolation:
        known = "、".join(e.code for e in d.entities())
        refuse(actor, FUNCTION, NotFound(f"「{code[:QUERY_MAX]}」というデータはありません（あるもの: {known}）。",
                                         field="entity"), detail={"entity": code[:QUERY_MAX]})
    return {"version": d.version(), **_api_entity(d.entity_json(found), actor)}


def screen(query: str, entity_code: str | None, *, actor: Actor) -> dict:
    """The dictionary screen: the entities, and the items matching `query` (Japanese name, code name or
    基本データリスト name; all items of the chosen entity when no query)."""
    require_reader(actor)
    query = (query or "").strip()[:QUERY_MAX]
    labels = d.role_labels()
    chosen = None
    if entity_code:
        try:
            chosen = d.entity(entity_code)
        except RuleViolation:
            refuse(actor, FUNCTION, NotFound(f"「{entity_code[:QUERY_MAX]}」というデータはありません。",
                                             field="entity"), detail={"entity": entity_code[:QUERY_MAX]})
    matches = {(i.entity, i.name) for i in d.search(query)} if query else None
    groups = []
    for found in d.entities():
        if chosen is not None and found.code != chosen.code:
            continue
        if chosen is None and not query:
            items = []
        else:
            items = [i for i in found.items if matches is None or (i.entity, i.name) in matches]
        if query and not items:
            continue
        groups.append({
            "entity": found, "extractable_by": [labels[c] for c in d.extractable_by(found)],
            "you_may_extract": d.may_extract(actor.user.role, found.code),
            "items": [{"item": i, "basic": i.basic or d.NO_BASIC,
                       "extractable_by": [labels[c] for c in d.extractable_by(found, i)],
                       "needs_flag": {"include_individual_number": "個人番号を含める指定",
                                      "include_protected": "支援措置を含める指定"}.get(d.needs_flag(i))}
                      for i in items]})
    return {"version": d.version(), "query": query, "chosen": chosen, "groups": groups,
            "entities": d.entities(), "hits": sum(len(g["items"]) for g in groups), "notes": d.NOTES}
