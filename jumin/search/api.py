"""Search endpoints. Parsing only: rights, rules and the operation log are in jumin.search.queries."""

from ninja import Query, Router

from jumin.core.http import actor_for
from jumin.register.schemas import In, Page, Reason
from jumin.search import queries
from jumin.search.schemas import SearchHistoryOut, SearchOut

router = Router()


class SearchQuery(In):
    name: str | None = None
    kana: str | None = None
    given_name: str | None = None
    address: str | None = None
    birth_date: str | None = None
    sex: str | None = None
    address_code: str | None = None
    addressee_number: str | None = None
    household_number: str | None = None
    resident_code: str | None = None
    individual_number: str | None = None
    residence_card_number: str | None = None
    special_permanent_certificate_number: str | None = None
    removal_reason: str | None = None
    blank: str | None = None
    match: str | None = None
    include_removed: bool = False
    page: Page = 1
    page_size: int = 20
    reason: Reason = ""


@router.get("search", tags=["検索"], response=SearchOut, exclude_unset=True,
            summary="住民の検索（カナのあいまい検索・異体字・和暦・過去の氏名と住所を含む）")
def search(request, q: Query[SearchQuery]):
    params = q.model_dump(exclude={"page", "page_size", "reason"}, exclude_none=True)
    return queries.search(params, actor=actor_for(request, q.reason), page=q.page, page_size=q.page_size)


@router.get("search/history", tags=["検索"], response=list[SearchHistoryOut], summary="自分の検索履歴")
def history(request, limit: int = 20):
    return queries.recent_searches(actor=actor_for(request), limit=min(max(limit, 1), 100))
