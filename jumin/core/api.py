"""The data dictionary over the API (issue #16 item 1): `GET /api/dictionary` (everything) and
`GET /api/dictionary/{entity}` (one entity). Parsing only: who may read is in core/dictionary_queries.

The answer is the dictionary's canonical JSON (docs/data-dictionary.json, `jumin datadict --format json`) with
`roles` and `where` as lists (typed here) and, per entity, whether the caller may extract it."""

from ninja import Router

from jumin.core import dictionary_queries as queries
from jumin.core.http import actor_for
from jumin.core.schemas import Exact

router = Router()
TAGS = ["データディクショナリ"]


class ItemOut(Exact):
    name: str
    ja: str
    basic: str | None
    type: str
    length: int | None
    null: bool
    codes: list[list[str]]
    sensitivity: str
    spec: str | None
    source: str
    column: str
    path: str
    needs_flag: str | None
    extractable_by: list[str]


class WhereOut(Exact):
    item: str
    value: str


class EntityOut(Exact):
    code: str
    ja: str
    key: list[str]
    permission: str
    retention: str
    protected_rows: str | None
    sensitivity: str
    description: str
    where: list[WhereOut]
    model: str
    table: str
    extractable_by: list[str]
    you_may_extract: bool
    items: list[ItemOut]


class OneEntityOut(EntityOut):
    version: str


class RoleOut(Exact):
    code: str
    label: str


class InternalOut(Exact):
    model: str
    ja: str
    reason: str | None


class DictionaryOut(Exact):
    version: str
    edition: str
    notes: list[str]
    sensitivities: list[str]
    types: list[str]
    roles: list[RoleOut]
    entities: list[EntityOut]
    internal: list[InternalOut]


@router.get("dictionary", tags=TAGS, response=DictionaryOut, summary="データディクショナリ（全データ・全項目）")
def get_dictionary(request):
    return queries.dictionary_answer(actor=actor_for(request))


@router.get("dictionary/{entity}", tags=TAGS, response=OneEntityOut, summary="データディクショナリ（1つのデータの項目）")
def get_dictionary_entity(request, entity: str):
    return queries.entity_answer(entity, actor=actor_for(request))
