"""Search responses (OpenAPI; issue #15 item 4). The request is `api.SearchQuery`."""

from typing import Any

from jumin.register.schemas import Exact, Out


class SearchRow(Out):
    """One result line (search/queries.result_row)."""

    addressee_number: str
    household_number: str | None = None
    name: str | None = None
    name_kana: str | None = None
    alias: str | None = None
    former_surname: str | None = None
    birth_date: str | None = None
    birth_date_display: str | None = None
    sex: str | None = None
    sex_label: str | None = None
    address: str | None = None
    address_supplement: str | None = None
    head_name: str | None = None
    relationship: str | None = None
    status: str | None = None
    status_label: str | None = None
    removal_reason: str | None = None
    resident_type: str | None = None


class SearchOut(Out):
    criteria: dict
    total: int
    total_capped: bool
    page: int
    page_size: int
    results: list[SearchRow]


class SearchHistoryOut(Exact):
    """One of the user's own past searches (standard-spec §6.1; search/queries.recent_searches): the criteria as
    logged (個人番号 masked) and the hit count."""

    at: str
    criteria: dict[str, Any]
    hits: int
