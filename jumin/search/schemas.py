"""Search responses (OpenAPI; issue #15 item 4): every item search/queries sends is listed. The request is
`api.SearchQuery`."""

from typing import Any

from pydantic import Field

from jumin.register.schemas import Exact


class ProtectionFlagOut(Exact):
    """A person's 支援措置 (restrictions/queries.protection_flags), shown only to a role that may see them."""

    protected: bool
    order_ids: list[int]
    provisional: bool
    kinds: list[str]
    ends_on: str
    alert: str | None


class RestrictionFlagOut(Exact):
    """A 抑止 in force on the person or their household (restrictions/queries.restriction_flags)."""

    id: int
    operation: str
    operation_label: str
    level: str
    household: bool
    released: bool
    alert: str | None


class SearchRow(Exact):
    """One result line (search/queries.result_row). For a role that may see protected persons it also carries
    `protection` (null when none) and `restrictions`; under a 照会抑止 the address is replaced and
    `address_masked` is true."""

    addressee_number: str
    household_number: str
    name: str
    name_kana: str
    alias: str
    former_surname: str
    birth_date: str | None
    birth_date_display: str
    sex: str
    sex_label: str
    address: str
    address_supplement: str
    head_name: str
    relationship: str
    status: str
    status_label: str
    removal_reason: str
    resident_type: str
    protection: ProtectionFlagOut | None = None
    restrictions: list[RestrictionFlagOut] = Field(default_factory=list)
    address_masked: bool = False


class SearchOut(Exact):
    """One page of results; the criteria as logged (個人番号 masked); `total` capped at the count limit."""

    criteria: dict[str, Any]
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
